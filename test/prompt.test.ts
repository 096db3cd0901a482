/**
 * `stelp prompt`: the prompt's claims are checked against stelp itself, so the prompt cannot drift
 * from the subset. renderPrompt() lists a construct as accepted exactly when the checker accepts its
 * probe; here every accepted probe must also run under stelp and print what node prints, every
 * rewrite shown for a rejected construct must be accepted, the core constructs must stay accepted
 * and host access must stay rejected.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSource, runSource } from "../src/pipeline.js";
import { defaultPolicy, loadPolicyFile, validatePolicy } from "../src/policy.js";
import { acceptedConstructs, CONSTRUCTS, renderPrompt, RULE_HINTS, RUN_RULE_HINTS } from "../src/prompt.js";
import { projectRoot, stelp } from "./helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "stelp-prompt-test-"));

function rulesOf(source: string): string[] {
  return checkSource(source).diagnostics.filter((d) => d.severity === "error").map((d) => d.rule);
}

function nodeOutput(source: string, name: string): { stdout: string; stderr: string } {
  const file = join(tmp, `${name.replace(/\W+/g, "_")}.js`);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
  return { stdout: r.stdout, stderr: r.stderr };
}

const accepted = acceptedConstructs(defaultPolicy());

describe("the prompt's constructs", () => {
  it("are well formed: unique ids, a rewrite for every construct that can be rejected", () => {
    const ids = CONSTRUCTS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONSTRUCTS) {
      if (!c.core) expect(c.rejected, c.id).toBeDefined();
      if (c.forbidden) expect(c.rejected?.rule, c.id).toBeDefined();
      if (!c.forbidden) expect(c.accepted.length, c.id).toBeGreaterThan(0);
    }
  });

  for (const c of CONSTRUCTS) {
    if (c.forbidden) {
      it(`${c.id}: host access stays rejected (${c.rejected!.rule})`, () => {
        expect(accepted.has(c.id), `the checker accepts ${JSON.stringify(c.probe)}`).toBe(false);
        expect(rulesOf(c.probe)).toContain(c.rejected!.rule);
        if (c.rejected!.rewrite !== null) expect(rulesOf(c.rejected!.rewrite)).toEqual([]);
      });
      continue;
    }
    if (c.core) {
      it(`${c.id}: a core construct stays accepted`, () => {
        expect(rulesOf(c.probe), `the checker rejects the core construct "${c.id}"`).toEqual([]);
      });
    }
    if (accepted.has(c.id)) {
      it(`${c.id}: accepted today, and stelp prints what node prints`, { timeout: 60_000 }, async () => {
        const result = await runSource(c.probe);
        expect(result.status, JSON.stringify(result.diagnostics)).toBe("ok");
        expect({ stdout: result.stdout, stderr: result.stderr }).toEqual(nodeOutput(c.probe, c.id));
      });
    } else if (c.rejected && c.rejected.rewrite !== null) {
      it(`${c.id}: rejected today, and the prompt's rewrite is accepted`, () => {
        expect(rulesOf(c.rejected!.rewrite!), `the rewrite for "${c.id}"`).toEqual([]);
      });
    }
  }
});

describe("renderPrompt", () => {
  it("lists a construct as accepted exactly when the checker accepts its probe", () => {
    const none = renderPrompt(defaultPolicy(), new Set(["values"]));
    const text = renderPrompt(defaultPolicy(), new Set(["values", "arrays"]));
    const arrays = CONSTRUCTS.find((c) => c.id === "arrays")!;
    expect(none).toContain(arrays.rejected!.instead);
    expect(none).not.toContain(arrays.accepted);
    expect(text).toContain(arrays.accepted);
    expect(text).not.toContain(arrays.rejected!.instead);
    // Advice that depends on what else is accepted.
    const regex = CONSTRUCTS.find((c) => c.id === "regular-expressions")!;
    expect(renderPrompt(defaultPolicy(), new Set(["string-methods"]))).toMatch(/regular expressions.*→ string methods/);
    expect(renderPrompt(defaultPolicy(), new Set())).toMatch(/regular expressions.*→ compare strings directly/);
    expect(regex.rejected).toBeDefined();
  });

  it("has no duplicate rule ids", () => {
    const ids = RULE_HINTS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const run = RUN_RULE_HINTS.map((r) => r.id);
    expect(new Set(run).size).toBe(run.length);
  });

  it("states the default policy's limits and that nothing of the host is reachable", () => {
    const text = renderPrompt(defaultPolicy());
    expect(text).toContain('policy "default"');
    expect(text).toContain("1,000,000,000 units");
    expect(text).toContain("2,000 nested calls");
    expect(text).toContain("Memory: 64 MiB");
    expect(text).toContain("Output: 1 MiB");
    expect(text).toContain("10,000 ms");
    expect(text).toContain("Host functions: none");
    expect(text).toContain("`Math.random` is available");
    for (const rule of RULE_HINTS) if (rule.id !== "random-not-granted") expect(text).toContain(`\`${rule.id}\``);
    for (const c of CONSTRUCTS) {
      if (c.forbidden || !accepted.has(c.id)) expect(text).toContain(c.rejected!.instead);
      else expect(text).toContain(c.accepted);
    }
  });

  it("follows the policy: limits, Math.random and approved host imports", () => {
    const policy = validatePolicy({
      name: "tight",
      limits: { fuel: 5000, callDepth: 100, memoryBytes: 131072, outputBytes: 4096, wallClockMs: 500 },
      imports: ["env.now_ms", "host.lookup"],
      random: { seed: 7 },
    });
    const text = renderPrompt(policy);
    expect(text).toContain('policy "tight"');
    expect(text).toContain("5,000 units");
    expect(text).toContain("100 nested calls");
    expect(text).toContain("Memory: 128 KiB");
    expect(text).toContain("Output: 4 KiB");
    expect(text).toContain("500 ms");
    expect(text).toContain("`env.now_ms`, `host.lookup`");
    expect(text).toContain("`Math.random` is available");
    expect(text).toMatch(/`random`[,;]/);
    expect(text).not.toContain("`random-not-granted`");
    const strict = renderPrompt(loadPolicyFile(join(projectRoot, "policies", "no-random.json")));
    expect(strict).toContain("`Math.random` is not available");
    expect(strict).not.toMatch(/`random`[,;]/); // not in the Math list either
    expect(strict).toContain("`random-not-granted`");
  });

  it("tells the model how to print", () => {
    const text = renderPrompt(defaultPolicy());
    expect(text).toContain("### Output");
    expect(text).toMatch(/console\.log/);
    expect(text).toMatch(/console\.error/);
  });
});

describe("stelp prompt (CLI)", () => {
  it("prints the prompt for the default policy", () => {
    const run = stelp(["prompt"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(renderPrompt(defaultPolicy()));
  });

  it("takes --policy", () => {
    const policyFile = join(tmp, "imports.json");
    writeFileSync(policyFile, JSON.stringify({ name: "with-host", limits: { fuel: 1234567 }, imports: ["env.lookup"] }));
    const run = stelp(["prompt", "--policy", policyFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('policy "with-host"');
    expect(run.stdout).toContain("1,234,567 units");
    expect(run.stdout).toContain("`env.lookup`");
  });

  it("rejects a bad policy (78) and extra arguments (64)", () => {
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, JSON.stringify({ limits: { fuel: -1 } }));
    expect(stelp(["prompt", "--policy", bad]).code).toBe(78);
    const extra = stelp(["prompt", "snippet.js"]);
    expect(extra.code).toBe(64);
    expect(extra.stderr).toMatch(/prompt takes only --policy/);
    expect(stelp(["prompt", "--policy"]).code).toBe(64);
  });

  it("is listed in --help", () => {
    expect(stelp(["--help"]).stdout).toMatch(/stelp prompt \[--policy FILE\]/);
  });
});
