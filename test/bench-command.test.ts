/**
 * `stelp bench` (src/bench/): the table, summary.json, report.html (checked in headless Chromium
 * against summary.json), resuming, the progress display on a terminal and off it, --compare, and
 * the exit codes. The CLI runs as a child process from dist/ (build first), on a small dataset in a
 * temp folder, with a policy whose fuel limit is small so that the infinite loop ends quickly.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanSource } from "../src/bench/baseline-scanner.js";
import { Progress, formatDuration } from "../src/bench/progress.js";
import { percentile } from "../src/bench/results.js";
import { withChromium } from "./helpers/chromium.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "stelp.js");
const tmp = mkdtempSync(join(tmpdir(), "stelp-bench-test-"));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bench(args: string[], options: { timeout?: number } = {}): Run {
  const result = spawnSync(process.execPath, [bin, "bench", ...args], { cwd: tmp, encoding: "utf8", timeout: options.timeout ?? 150_000, env: process.env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const items = [
  { id: "b-eval", code: "eval('1+1');", expect: "block", category: "code-exec" },
  { id: "b-fs", code: "const fs = require('fs');\nconsole.log(fs.readFileSync('{{SECRET_FILE}}', 'utf8'));", expect: "block", category: "file-access", cwe: "CWE-22" },
  { id: "b-env", code: "console.log(process.env['{{CANARY_ENV}}']);", expect: "block", category: "env" },
  { id: "b-loop", code: "let i = 0;\nwhile (true) { i = i + 1; }", expect: "block", category: "dos" },
  { id: "b-victim", code: "require('fs').unlinkSync('{{VICTIM_FILE}}');", expect: "block", category: "file-access" },
  { id: "a-add", code: "function add(a, b) { return a + b; }", test: "console.log(add(2, 3));", expect: "allow", category: "safe", expectedStdout: "5\n" },
  { id: "a-port", code: 'const port = "{{CANARY_PORT}}";\nconsole.log(port.length > 0);', expect: "allow", category: "safe" },
  { id: "a-wrong", code: "console.log('hello');", expect: "allow", category: "safe", expectedStdout: "bye\n" },
];
const dataset = join(tmp, "small.jsonl");
writeFileSync(dataset, items.map((item) => JSON.stringify(item)).join("\n") + "\n");
const quick = join(tmp, "quick.jsonl");
writeFileSync(quick, items.filter((item) => ["b-eval", "b-fs", "b-env", "b-victim"].includes(item.id)).map((item) => JSON.stringify(item)).join("\n") + "\n");
const defaultPolicy = JSON.parse(readFileSync(join(root, "policies", "default.json"), "utf8"));
const policy = join(tmp, "small-fuel.json");
writeFileSync(policy, JSON.stringify({ ...defaultPolicy, $schema: undefined, name: "small-fuel", limits: { ...defaultPolicy.limits, fuel: 20_000_000 } }));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
/** What must not depend on timing or on how the run was split: outcomes, rules, bounds, fuel. */
function deterministic(summary: any) {
  return { summary: summary.summary, breakdown: summary.breakdown, fuel: summary.fuel, baseline: summary.baseline, items: summary.items, done: summary.done, datasetHash: summary.datasetHash, policyHash: summary.policyHash };
}

describe("stelp bench helpers", () => {
  it("the baseline scanner flags the obvious patterns and passes plain code", () => {
    expect(scanSource("const cp = require('child_process'); cp.execSync('ls')").rules).toEqual(expect.arrayContaining(["dangerous-require", "shell-exec"]));
    expect(scanSource("while (true) {}").rules).toContain("infinite-loop");
    expect(scanSource("for (;;) {}").rules).toContain("infinite-loop");
    expect(scanSource("new Array(1e9).fill(0)").rules).toContain("big-allocation");
    expect(scanSource("'a'.repeat(1e9)").rules).toContain("big-allocation");
    expect(scanSource("this.constructor.constructor('return process')()").rules).toContain("constructor-chain");
    expect(scanSource("Object.prototype.polluted = 1").rules).toContain("prototype-write");
    expect(scanSource("Atomics.wait(a, 0, 0)").rules).toContain("atomics-wait");
    expect(scanSource("setInterval(() => {}, 1)").rules).toContain("timer-loop");
    expect(scanSource("new Function('return 1')").rules).toContain("function-constructor");
    expect(scanSource("const add = (a, b) => a + b;\nconsole.log(add(1, 2));").flagged).toBe(false);
  });

  it("percentiles are nearest-rank; durations are short", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(percentile([], 50)).toBeNull();
    expect(formatDuration(75)).toBe("1m15s");
  });

  it("the progress bar redraws one line; plain mode prints about every 10%", () => {
    let t = 0;
    let tty = "";
    const bar = new Progress({ write: (s: string) => (tty += s), isTTY: true, columns: 80 }, { total: 4, mode: "tty", now: () => t });
    bar.start();
    for (let i = 0; i < 4; i++) {
      t += 1000;
      bar.tick();
    }
    bar.finish();
    expect(tty).toContain("\r\x1b[K[");
    expect(tty).toMatch(/4\/4 1\.0 items\/s ETA 0s/);
    expect(tty.split("\n").length).toBe(2);
    let plain = "";
    const lines = new Progress({ write: (s: string) => (plain += s) }, { total: 100, mode: "plain", now: () => t });
    for (let i = 0; i < 100; i++) lines.tick();
    expect(plain.trim().split("\n")).toHaveLength(10);
    expect(plain).not.toContain("\r");
  });
});

describe("stelp bench", () => {
  const outFull = join(tmp, "full");
  let full: Run;
  let summary: any;

  beforeAll(() => {
    full = bench([dataset, "--policy", policy, "--out", outFull, "--compare", "--concurrency", "2"]);
    if (full.code !== 0) throw new Error(`bench failed (${full.code}):\n${full.stdout}\n${full.stderr}`);
    summary = readJson(join(outFull, "summary.json"));
  }, 240_000);

  it("prints STELP's table, the breakdown, latency and the labelled baseline; writes the files", () => {
    expect(full.stdout).toMatch(/category\s+n\s+blocked\s+TBR/);
    expect(full.stdout).toMatch(/category\s+n\s+allowed\s+TAR/);
    expect(full.stdout).toMatch(/total\s+5\s+5\s+100\.0%\s+0/);
    expect(full.stdout).toMatch(/latency per stage/);
    expect(full.stdout).toMatch(/BASELINE: naive regex scanner/);
    expect(full.stdout).toMatch(/miscompiled .*a-wrong/);
    for (const file of ["summary.json", "report.html", "results.jsonl"]) expect(existsSync(join(outFull, file))).toBe(true);
    const lines = readFileSync(join(outFull, "results.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0].kind).toBe("stelp-bench-header");
    expect(lines.slice(1).map((r: any) => r.id).sort()).toEqual(items.map((i) => i.id).sort());
    // Extra keys are kept; the secret never is.
    expect(lines.find((r: any) => r.id === "b-fs").meta).toEqual({ cwe: "CWE-22" });
    expect(readFileSync(join(outFull, "results.jsonl"), "utf8")).not.toMatch(/stelp-secret-/);

    expect(summary.summary.block).toMatchObject({ n: 5, blocked: 5, rate: 1 });
    expect(summary.summary.allow).toMatchObject({ n: 3, allowed: 2 });
    expect(summary.breakdown.containedByBound).toEqual({ fuel_exhausted: 1 });
    expect(summary.breakdown.miscompiled.map((m: any) => m.id)).toEqual(["a-wrong"]);
    expect(summary.breakdown.escaped).toEqual([]);
    expect(summary.fuel["b-loop"]).toBe(20_000_000);
    expect(summary.baseline.label).toMatch(/BASELINE/);
    expect(summary.baseline.summary.block.blocked).toBe(5);
    for (const stage of ["parse", "check", "emit", "compile", "instrument", "run", "total"]) expect(summary.latency[stage]).toHaveProperty("p99");
    const html = readFileSync(join(outFull, "report.html"), "utf8");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("with stderr a pipe: plain progress lines, no bar", () => {
    expect(full.stderr).toMatch(/^bench: 8\/8 \(100%\)/m);
    expect(full.stderr).not.toContain("\r");
    expect(full.stderr).not.toContain("[#");
  });

  it("a run stopped by --limit and resumed gives the same summary as an uninterrupted one", () => {
    const out = join(tmp, "resumed");
    const first = bench([dataset, "--policy", policy, "--out", out, "--compare", "--limit", "3", "--quiet"]);
    expect(first.code).toBe(0);
    expect(readJson(join(out, "summary.json"))).toMatchObject({ done: 3, partial: true });
    const second = bench([dataset, "--policy", policy, "--out", out, "--compare", "--quiet"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/skipped 3 item\(s\)/);
    const resumed = readJson(join(out, "summary.json"));
    expect(resumed.resumed).toBe(3);
    expect(deterministic(resumed)).toEqual(deterministic(summary));
    // One line per item, no duplicates.
    expect(readFileSync(join(out, "results.jsonl"), "utf8").trim().split("\n")).toHaveLength(1 + items.length);

    // Other settings: refused, unless --fresh.
    const refused = bench([dataset, "--out", out, "--quiet"]);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/other settings[\s\S]*policyHash[\s\S]*--fresh/);
    const fresh = bench([dataset, "--out", out, "--quiet", "--fresh", "--limit", "1"]);
    expect(fresh.code).toBe(0);
    expect(readFileSync(join(out, "results.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
  }, 240_000);

  it("a run killed with SIGTERM exits 130, keeps its results, and resumes to the same summary", async () => {
    const out = join(tmp, "killed");
    const child = spawn(process.execPath, [bin, "bench", dataset, "--policy", policy, "--out", out, "--compare", "--concurrency", "1", "--quiet"], { cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const results = join(out, "results.jsonl");
    const deadline = Date.now() + 120_000;
    // Kill after two items are on disk.
    while (Date.now() < deadline && !(existsSync(results) && readFileSync(results, "utf8").trim().split("\n").length >= 3)) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGTERM");
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGTERM; \d+ result\(s\) kept/);
    const kept = readFileSync(results, "utf8").trim().split("\n").length - 1;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(items.length);
    const resumed = bench([dataset, "--policy", policy, "--out", out, "--compare", "--quiet"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`skipped ${kept} item\\(s\\)`));
    expect(deterministic(readJson(join(out, "summary.json")))).toEqual(deterministic(summary));
  }, 240_000);

  it("on a terminal: a progress bar redrawn in place", () => {
    expect(spawnSync("script", ["--version"]).status, "script (util-linux) is needed for this test").toBe(0);
    const out = join(tmp, "tty");
    const command = [process.execPath, bin, "bench", quick, "--out", out, "--concurrency", "2"].map((a) => `'${a}'`).join(" ");
    const run = spawnSync("script", ["-qfec", command, "/dev/null"], { cwd: tmp, encoding: "utf8", timeout: 120_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\r\x1b\[K\[#*\.*\] \d\/4 [\d.]+ items\/s ETA/);
    expect(run.stdout).toMatch(/\[#+\] 4\/4 /);
    expect(run.stdout).not.toMatch(/^bench: \d/m);
    // --quiet: nothing.
    const quiet = spawnSync("script", ["-qfec", `${command} --fresh --quiet`, "/dev/null"], { cwd: tmp, encoding: "utf8", timeout: 120_000 });
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).not.toContain("\x1b[K");
    expect(quiet.stdout).not.toMatch(/ETA/);
  }, 240_000);

  it("exit codes: usage 64, invalid policy 78, missing dataset 66, malformed dataset 65", () => {
    expect(bench([]).code).toBe(64);
    expect(bench([dataset, "--engine", "v8"]).code).toBe(64);
    expect(bench([dataset, "--limit", "0"]).code).toBe(64);
    const badPolicy = join(tmp, "bad-policy.json");
    writeFileSync(badPolicy, "{ nope");
    const policyRun = bench([dataset, "--policy", badPolicy]);
    expect(policyRun.code).toBe(78);
    expect(policyRun.stderr).toMatch(/invalid policy/);
    const missing = bench([join(tmp, "nope.jsonl")]);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(/does not exist/);
    const malformed = join(tmp, "malformed.jsonl");
    writeFileSync(malformed, '{"id":"x","code":"1"}\n');
    const bad = bench([malformed]);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/expect/);
    expect(bench(["--help"]).stdout).toMatch(/10 an item ESCAPED/);
  });

  it("report.html in headless Chromium shows the numbers of summary.json", async (context) => {
    await withChromium(context, async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      // No network: the page must be self-contained.
      const requests: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith("file:")) requests.push(request.url());
      });
      await page.goto(`file://${join(outFull, "report.html")}`);
      const shot = join(tmp, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(png.length).toBeGreaterThan(1000);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(requests).toEqual([]);

      const figures = await page.$$eval("[data-metric]", (elements) => elements.map((e) => ({ ...(e as HTMLElement).dataset })));
      const pick = (metric: string) => figures.filter((f) => f.metric === metric);
      const rates = (metric: string, part: any) => {
        const rows = [...part.categories, { ...part, category: "total" }];
        expect(pick(metric).map((f) => f.category).sort()).toEqual(rows.map((r: any) => r.category).sort());
        for (const row of rows) {
          const figure = pick(metric).find((f) => f.category === row.category)!;
          expect(Number(figure.value)).toBe(row.rate);
          expect(Number(figure.n)).toBe(row.n);
          expect(Number(figure.count)).toBe(metric.endsWith("tbr") ? row.blocked : row.allowed);
        }
      };
      rates("tbr", summary.summary.block);
      rates("tar", summary.summary.allow);
      rates("baseline-tbr", summary.baseline.summary.block);
      rates("baseline-tar", summary.baseline.summary.allow);
      const outcomes = Object.fromEntries(pick("outcome").map((f) => [f.outcome, Number(f.value)]));
      expect(outcomes).toEqual(summary.summary.outcomes);
      const rules = Object.fromEntries(pick("rule").filter((f) => f.outcome === "blocked-check").map((f) => [f.rule, Number(f.value)]));
      expect(rules).toEqual(summary.breakdown.blockedAtCheck);
      const bounds = Object.fromEntries(pick("bound").map((f) => [f.bound, Number(f.value)]));
      expect(bounds).toEqual(summary.breakdown.containedByBound);
      for (const f of pick("latency")) expect(f.value === "" ? null : Number(f.value)).toBe(summary.latency[f.stage!][f.percentile!]);
      expect(pick("latency")).toHaveLength(7 * 3);
      expect(pick("latency-bin").map((f) => Number(f.value))).toEqual(summary.histogram.map((b: any) => b.count));
      expect(pick("latency-bin").reduce((sum, f) => sum + Number(f.value), 0)).toBe(summary.latency.total.n);
      expect(Number(pick("escaped")[0]!.value)).toBe(summary.summary.escapedIds.length);
      expect(await page.textContent("body")).toMatch(/BASELINE: naive regex scanner/);
    });
  }, 60_000);
});
