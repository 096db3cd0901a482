/**
 * examples/agent: an action plan that calls two host tools (one async), run through the library
 * (run.mjs, compared with expected-output.txt) and through the CLI's --tools.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot, stelp } from "./helpers/cli.js";
import { spawnSync } from "node:child_process";
import { loadPolicyFile } from "../src/policy.js";

const dir = join(projectRoot, "examples", "agent");

describe("examples/agent", () => {
  it("its policy validates and approves exactly the two tools", () => {
    const policy = loadPolicyFile(join(dir, "policy.json"));
    expect(Object.keys(policy.tools ?? {}).sort()).toEqual(["searchFlights", "sendEmail"]);
    expect(policy.tools!.sendEmail!.maxCalls).toBe(1);
  });

  it("run.mjs prints its expected output", () => {
    const ran = spawnSync(process.execPath, [join(dir, "run.mjs")], { cwd: projectRoot, encoding: "utf8", timeout: 120_000 });
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe(readFileSync(join(dir, "expected-output.txt"), "utf8"));
  }, 180_000);

  it("the CLI runs the plan with --tools, and rejects it without them or on wasmtime", () => {
    const args = ["run", join(dir, "plan.js"), "--tools", join(dir, "tools.mjs"), "--policy", join(dir, "policy.json")];
    const ok = stelp([...args, "--json"]);
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.stdout) as { status: string; stdout: string; toolCalls: Record<string, number> };
    expect(result).toMatchObject({ status: "ok", stdout: "emailed B6 416 at $349.99 to the traveller\n", toolCalls: { searchFlights: 1, sendEmail: 1 } });
    const wasmtime = stelp([...args, "--engine", "wasmtime"]);
    expect(wasmtime.code).toBe(2);
    expect(wasmtime.stderr).toContain("tools-unavailable");
    const without = stelp(["run", join(dir, "plan.js"), "--policy", join(dir, "policy.json")]);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain("undeclared-identifier");
    const missing = stelp(["run", join(dir, "plan.js"), "--tools", join(dir, "no-such-tools.mjs")]);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toMatch(/^stelp: --tools .*no-such-tools\.mjs: cannot load the module/);
  }, 180_000);
});
