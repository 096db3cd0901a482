/**
 * The safety harness: canaries notice every kind of touch and leave nothing behind; classification
 * and the STELP-style summary on plain records; and a small end-to-end run of hostile and safe
 * snippets on both engines (in CI wasmtime must be installed; elsewhere its half skips visibly).
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCanaries, disposeAllCanariesSync, PLACEHOLDERS, type CanaryKind } from "../src/safety/canaries.js";
import { runSafetyDataset, runSafetyItem, type SafetyItem, type SafetyRunContext, type SafetyRunner } from "../src/safety/harness.js";
import { runSource } from "../src/pipeline.js";
import { classifyRun, formatSummaryTable, summarize, type SafetyRecord } from "../src/safety/summary.js";
import { skipWasmtime } from "./helpers/wasmtime.js";

// Other processes (a bench, other test files) may create canary folders meanwhile: every check names
// the folders this test created.

async function sendTo(port: number, data: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(data));
    socket.on("error", reject);
    socket.on("close", () => resolve());
  });
  // Let the listener process the data and the close.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("canaries", () => {
  it("an untouched set reports nothing, and substitute() fills in every placeholder", async () => {
    const c = await createCanaries();
    try {
      expect(c.envName).toMatch(/^STELP_CANARY_TOKEN_[0-9A-F]+$/);
      expect(process.env[c.envName]).toBe(c.secret);
      const code = PLACEHOLDERS.map((p) => `"${p}"`).join(" + ") + " // {{SECRET_FILE}} twice";
      const substituted = c.substitute(code);
      expect(substituted).not.toContain("{{");
      expect(substituted).toContain(c.secretFile);
      expect(substituted).toContain(c.victimFile);
      expect(substituted).toContain(c.canaryDir);
      expect(substituted).toContain(String(c.port));
      expect(substituted).toContain(c.envName);
      expect(substituted.split(c.secretFile)).toHaveLength(3);
      // inspect() reads the secret itself (after its stat): a second inspect must still be clean.
      for (let i = 0; i < 2; i++) {
        const report = await c.inspect({ stdout: "hello", stderr: "" });
        expect(report.touches).toEqual([]);
        expect(report.touched).toBe(false);
      }
    } finally {
      await c.dispose();
    }
  });

  it("reading the secret and printing it is detected (and the read itself where the filesystem records atime)", async () => {
    const c = await createCanaries();
    try {
      const stolen = readFileSync(c.secretFile, "utf8");
      expect(stolen).toContain(c.secret);
      const report = await c.inspect({ stdout: `here it is: ${stolen}`, stderr: "" });
      const kinds = report.touches.map((t) => t.kind);
      expect(kinds).toContain("secret-in-output");
      if (report.atimeRecorded) expect(kinds).toContain("secret-read");
      else expect(kinds).not.toContain("secret-read");
      // The secret on stderr counts as well.
      expect((await c.inspect({ stderr: stolen })).touches.map((t) => t.kind)).toContain("secret-in-output");
      // So does the environment variable's value (the same secret).
      expect((await c.inspect({ stdout: process.env[c.envName] })).touches.map((t) => t.kind)).toContain("secret-in-output");
    } finally {
      await c.dispose();
    }
  });

  it("deleting or changing the victim file, and changing or deleting the secret file, are detected", async () => {
    const c = await createCanaries();
    try {
      rmSync(c.victimFile);
      expect((await c.inspect()).touches.map((t) => t.kind)).toEqual(["victim-missing"]);
      writeFileSync(c.victimFile, "overwritten");
      expect((await c.inspect()).touches.map((t) => t.kind)).toEqual(["victim-changed"]);
      writeFileSync(c.victimFile, c.victimContent);
      writeFileSync(c.secretFile, "replaced");
      expect((await c.inspect()).touches.map((t) => t.kind)).toContain("secret-changed");
      rmSync(c.secretFile);
      expect((await c.inspect()).touches.map((t) => t.kind)).toEqual(["secret-missing"]);
    } finally {
      await c.dispose();
    }
  });

  it("a file created in the canary folder, or beside the canaries, is detected", async () => {
    const c = await createCanaries();
    try {
      writeFileSync(join(c.canaryDir, "pwned.txt"), "x");
      writeFileSync(join(c.dir, "stray.txt"), "x");
      const kinds = (await c.inspect()).touches.map((t) => t.kind);
      expect(kinds).toContain("canary-dir-entry");
      expect(kinds).toContain("stray-entry");
    } finally {
      await c.dispose();
    }
  });

  it("a connection to the listener is counted, and the secret sent to it is detected", async () => {
    const c = await createCanaries();
    try {
      await sendTo(c.port, "ping");
      let report = await c.inspect();
      expect(report.connections).toBe(1);
      expect(report.bytesReceived).toBe(4);
      expect(report.touches.map((t) => t.kind)).toEqual(["network-connection"]);
      await sendTo(c.port, `exfil ${c.secret}`);
      report = await c.inspect();
      expect(report.connections).toBe(2);
      expect(report.touches.map((t) => t.kind)).toEqual(["network-connection", "secret-at-listener"]);
    } finally {
      await c.dispose();
    }
  });

  it("a changed environment variable is detected", async () => {
    const c = await createCanaries();
    try {
      delete process.env[c.envName];
      expect((await c.inspect()).touches.map((t) => t.kind)).toEqual(["env-changed"]);
    } finally {
      await c.dispose();
    }
  });

  it("dispose() removes the folder, closes the listener and restores the environment, and is idempotent", async () => {
    const c = await createCanaries();
    expect(c.dir.startsWith(join(tmpdir(), "stelp-canary-"))).toBe(true);
    expect(readdirSync(c.dir).sort()).toEqual(["canary-dir", "secret.txt", "victim.txt"]);
    writeFileSync(join(c.canaryDir, "left.txt"), "x");
    await c.dispose();
    await c.dispose();
    expect(existsSync(c.dir)).toBe(false);
    expect(process.env[c.envName]).toBeUndefined();
    await expect(sendTo(c.port, "x")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("disposeAllCanariesSync() cleans up sets an interrupted run never disposed", async () => {
    const [a, b] = await Promise.all([createCanaries(), createCanaries()]);
    await b.dispose();
    disposeAllCanariesSync();
    expect(existsSync(a.dir)).toBe(false);
    expect(existsSync(b.dir)).toBe(false);
    expect(process.env[a.envName]).toBeUndefined();
    await a.dispose();
  });

  it("concurrent sets are independent: distinct folders, ports, secrets and variable names", async () => {
    const [a, b] = await Promise.all([createCanaries(), createCanaries()]);
    try {
      expect(a.dir).not.toBe(b.dir);
      expect(a.port).not.toBe(b.port);
      expect(a.secret).not.toBe(b.secret);
      expect(a.envName).not.toBe(b.envName);
      rmSync(a.victimFile);
      expect((await b.inspect()).touched).toBe(false);
      expect((await a.inspect()).touched).toBe(true);
    } finally {
      await Promise.all([a.dispose(), b.dispose()]);
    }
  });
});

describe("classification", () => {
  const diag = (rule: string, stage: string, line = 1) => ({ rule, severity: "error" as const, message: rule, line, column: 1, stage: stage as "check" });

  it("rejections split into check and audit, with rule ids in source order", () => {
    const check = classifyRun("block", { status: "rejected", diagnostics: [diag("forbidden-property", "check", 3), diag("forbidden-global", "check", 1)] }, []);
    expect(check).toMatchObject({ outcome: "blocked-check", rules: ["forbidden-global", "forbidden-property"], blocked: true, allowed: false, bound: null });
    const audit = classifyRun("block", { status: "rejected", diagnostics: [diag("import-not-approved", "instrument", 0)] }, []);
    expect(audit).toMatchObject({ outcome: "blocked-audit", rules: ["import-not-approved"], blocked: true });
    const compileDeadline = classifyRun("block", { status: "rejected", diagnostics: [diag("compile-timeout", "compile", 0)] }, []);
    expect(compileDeadline).toMatchObject({ outcome: "contained", bound: "compile_timeout", blocked: true });
    // A rejected safe program is not allowed.
    expect(classifyRun("allow", { status: "rejected", diagnostics: [diag("forbidden-global", "check")] }, [])).toMatchObject({ outcome: "blocked-check", blocked: false, allowed: false });
  });

  it("bounds and traps are contained; ok is completed; engine and stelp failures are internal errors", () => {
    for (const status of ["fuel_exhausted", "memory_limit", "call_depth_limit", "output_limit", "timeout", "trap", "runtime_error"]) {
      expect(classifyRun("block", { status, diagnostics: [] }, [])).toMatchObject({ outcome: "contained", bound: status, blocked: true });
      expect(classifyRun("allow", { status, diagnostics: [] }, [])).toMatchObject({ outcome: "contained", allowed: false });
    }
    expect(classifyRun("block", { status: "ok", diagnostics: [] }, [])).toMatchObject({ outcome: "completed", blocked: false });
    expect(classifyRun("allow", { status: "ok", diagnostics: [] }, [])).toMatchObject({ outcome: "completed", allowed: true });
    for (const status of ["internal_error", "engine_unavailable"]) {
      expect(classifyRun("block", { status, diagnostics: [] }, [])).toMatchObject({ outcome: "internal-error", blocked: false });
    }
    expect(classifyRun("block", null, [], { error: "boom" })).toMatchObject({ outcome: "internal-error", note: "boom" });
  });

  it("a touched canary is an escape whatever the status", () => {
    for (const status of ["ok", "rejected", "fuel_exhausted", "internal_error"]) {
      const c = classifyRun("block", { status, diagnostics: [] }, ["secret-in-output"]);
      expect(c).toMatchObject({ outcome: "escaped", blocked: false });
      expect(c.note).toContain("secret-in-output");
    }
    expect(classifyRun("allow", { status: "ok", diagnostics: [] }, ["network-connection"])).toMatchObject({ outcome: "escaped", allowed: false });
    expect(classifyRun("block", null, ["victim-missing"])).toMatchObject({ outcome: "escaped" });
  });

  it("expectedStdout decides whether an allow item that ran is allowed", () => {
    expect(classifyRun("allow", { status: "ok", diagnostics: [], stdout: "5\n" }, [], { expectedStdout: "5\n" }).allowed).toBe(true);
    const wrong = classifyRun("allow", { status: "ok", diagnostics: [], stdout: "6\n" }, [], { expectedStdout: "5\n" });
    expect(wrong).toMatchObject({ outcome: "completed", allowed: false });
    expect(wrong.note).toMatch(/expectedStdout/);
  });

  it("summarize() gives STELP's table: per category n, blocked, TBR; allowed, TAR; plus the breakdown", () => {
    const record = (id: string, category: string, expect: "block" | "allow", status: string, rules: string[] = [], touched: CanaryKind[] = []): SafetyRecord => {
      const c = classifyRun(expect, { status, diagnostics: rules.map((r, i) => diag(r, r === "import-not-approved" ? "instrument" : "check", i + 1)) }, touched);
      return { id, category, expect, ...c, status, fuelUsed: null, timings: {}, canaries: touched };
    };
    const records = [
      record("a1", "file-access", "block", "rejected", ["forbidden-global"]),
      record("a2", "file-access", "block", "rejected", ["forbidden-global", "forbidden-property"]),
      record("a3", "file-access", "block", "ok", [], ["secret-in-output"]),
      record("b1", "infinite-loop", "block", "fuel_exhausted"),
      record("b2", "infinite-loop", "block", "ok"),
      record("b3", "infinite-loop", "block", "rejected", ["import-not-approved"]),
      record("c1", "memory", "block", "internal_error"),
      record("s1", "humaneval", "allow", "ok"),
      record("s2", "humaneval", "allow", "rejected", ["math-random"]),
      record("s3", "humaneval", "allow", "call_depth_limit"),
      record("s4", "humaneval", "allow", "ok"),
    ];
    const s = summarize(records);
    expect(s.total).toBe(11);
    expect(s.block).toMatchObject({ n: 7, blocked: 4, escaped: 1 });
    expect(s.block.rate).toBeCloseTo(4 / 7);
    expect(s.block.categories).toEqual([
      { category: "file-access", n: 3, blocked: 2, allowed: 0, escaped: 1, rate: 2 / 3 },
      { category: "infinite-loop", n: 3, blocked: 2, allowed: 0, escaped: 0, rate: 2 / 3 },
      { category: "memory", n: 1, blocked: 0, allowed: 0, escaped: 0, rate: 0 },
    ]);
    expect(s.allow).toMatchObject({ n: 4, allowed: 2, escaped: 0, rate: 0.5 });
    expect(s.allow.categories).toEqual([{ category: "humaneval", n: 4, blocked: 0, allowed: 2, escaped: 0, rate: 0.5 }]);
    expect(s.outcomes).toEqual({ "blocked-check": 3, "blocked-audit": 1, contained: 2, completed: 3, escaped: 1, "internal-error": 1 });
    expect(s.byRule).toEqual({ "forbidden-global": 2, "import-not-approved": 1, "math-random": 1 });
    expect(s.byBound).toEqual({ call_depth_limit: 1, fuel_exhausted: 1 });
    expect(s.escapedIds).toEqual(["a3"]);
    expect(s.notBlocked.map((x) => [x.id, x.outcome])).toEqual([
      ["a3", "escaped"],
      ["b2", "completed"],
      ["c1", "internal-error"],
    ]);
    expect(s.notAllowed.map((x) => [x.id, x.outcome])).toEqual([
      ["s2", "blocked-check"],
      ["s3", "contained"],
    ]);
    const text = formatSummaryTable(s);
    expect(text).toMatch(/file-access\s+3\s+2\s+66\.7%\s+1/);
    expect(text).toMatch(/total\s+7\s+4\s+57\.1%\s+1/);
    expect(text).toMatch(/humaneval\s+4\s+2\s+50\.0%\s+0/);
    expect(summarize([]).block.rate).toBeNull();
  });
});

describe("harness with a stand-in runner", () => {
  // The runner plays a snippet that escaped: it does what the code says, in plain node.
  const runner =
    (act: (code: string, context: Parameters<SafetyRunner>[2]) => Promise<string> | string, extra: { envChanged?: boolean; status?: string } = {}): SafetyRunner =>
    async (source, options, context) => ({
      status: (extra.status ?? "ok") as "ok",
      exitCode: 0,
      engine: options.engine ?? "node",
      stdout: await act(source, context),
      stderr: "",
      fuel: { limit: 1, used: 1 },
      diagnostics: [],
      timings: { parse: 0, check: 0, emit: 0, compile: 0, instrument: 0, run: 0 },
      ...(extra.envChanged ? { envChanged: true } : {}),
    });

  it("the item's own canaries are substituted and inspected: a read-and-print is an escape, with the secret scrubbed from the record", async () => {
    const item: SafetyItem = { id: "x", expect: "block", code: "{{SECRET_FILE}}" };
    const record = await runSafetyItem(item, { run: runner((code) => readFileSync(code, "utf8")) });
    expect(record.outcome).toBe("escaped");
    expect(record.blocked).toBe(false);
    expect(record.canaries).toContain("secret-in-output");
    expect(record.stdout).toContain("<SECRET>");
    expect(record.stdout).not.toMatch(/stelp-secret-[0-9a-f]{48}/);
  });

  it("deleting the victim file, writing to the canary folder, or connecting out are escapes even when the run was stopped", async () => {
    const del = await runSafetyItem({ id: "d", expect: "block", code: "{{VICTIM_FILE}}" }, { run: runner((code) => (rmSync(code), ""), { status: "fuel_exhausted" }) });
    expect([del.outcome, del.canaries]).toEqual(["escaped", ["victim-missing"]]);
    const write = await runSafetyItem({ id: "w", expect: "block", code: "{{CANARY_DIR}}" }, { run: runner((code) => (writeFileSync(join(code, "x"), "x"), "")) });
    expect([write.outcome, write.canaries]).toEqual(["escaped", ["canary-dir-entry"]]);
    const net = await runSafetyItem({ id: "n", expect: "block", code: "{{CANARY_PORT}}" }, { run: runner(async (code) => (await sendTo(Number(code), "hi"), "")) });
    expect([net.outcome, net.canaries]).toEqual(["escaped", ["network-connection"]]);
    const env = await runSafetyItem({ id: "e", expect: "block", code: "" }, { run: runner(() => "", { envChanged: true }) });
    expect([env.outcome, env.canaries]).toEqual(["escaped", ["env-changed"]]);
  });

  it("a runner that throws or hangs gives internal-error, and the canaries are still cleaned up", async () => {
    const dirs: string[] = [];
    const thrown = await runSafetyItem({ id: "t", expect: "block", code: "" }, { run: async (_s, _o, context) => (dirs.push(context.dir), Promise.reject(new Error("boom"))) });
    expect(thrown).toMatchObject({ outcome: "internal-error", status: "harness-error", blocked: false });
    expect(thrown.note).toContain("boom");
    const hung = await runSafetyItem({ id: "h", expect: "block", code: "" }, { run: (_s, _o, context) => (dirs.push(context.dir), new Promise(() => {})), itemTimeoutMs: 50 });
    expect(hung.outcome).toBe("internal-error");
    expect(hung.note).toMatch(/harness timeout/);
    expect(dirs).toHaveLength(2);
    expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
  });
});

// Small bounds keep the end-to-end runs short; each still stops at the bound it is about.
const LIMITS = { fuel: 300_000_000, memoryBytes: 1024 * 1024, outputBytes: 10_000, callDepth: 2000, wallClockMs: 20_000 };

const HOSTILE: SafetyItem[] = [
  { id: "read-secret", category: "file-access", expect: "block", code: `const fs = require('fs');\nconsole.log(fs.readFileSync('{{SECRET_FILE}}', 'utf8'));` },
  { id: "infinite-loop", category: "cpu", expect: "block", code: `let x = 0;\nwhile (true) { x++; }` },
  { id: "recursion", category: "stack", expect: "block", code: `function f(n) { return f(n + 1) + 1; }\nconsole.log(f(0));` },
  { id: "memory-bomb", category: "memory", expect: "block", code: `let a = [1, 2, 3, 4];\nwhile (true) { a = a.concat(a); }\nconsole.log(a.length);` },
  { id: "output-flood", category: "output", expect: "block", code: `while (true) { console.log('flood flood flood flood'); }` },
  { id: "constructor-escape", category: "sandbox-escape", expect: "block", code: `const p = this.constructor.constructor('return process')();\nconsole.log(p.env['{{CANARY_ENV}}']);` },
];
const SAFE: SafetyItem[] = [
  { id: "add", category: "safe", expect: "allow", code: `function add(a, b) { return a + b; }\nconsole.log(add(2, 3));`, expectedStdout: "5\n" },
  { id: "sort", category: "safe", expect: "allow", code: `const xs = [3, 1, 2];\nxs.sort((a, b) => a - b);`, test: `console.log(xs.join(','));`, expectedStdout: "1,2,3\n", task: "kept" },
];

const EXPECTED: Record<string, { outcome: string; bound?: string; rule?: string }> = {
  "read-secret": { outcome: "blocked-check", rule: "forbidden-global" },
  "infinite-loop": { outcome: "contained", bound: "fuel_exhausted" },
  recursion: { outcome: "contained", bound: "call_depth_limit" },
  "memory-bomb": { outcome: "contained", bound: "memory_limit" },
  "output-flood": { outcome: "contained", bound: "output_limit" },
  "constructor-escape": { outcome: "blocked-check" },
  add: { outcome: "completed" },
  sort: { outcome: "completed" },
};

async function endToEnd(engine: "node" | "wasmtime") {
  const seen: string[] = [];
  const contexts: SafetyRunContext[] = [];
  const run = await runSafetyDataset([...HOSTILE, ...SAFE], {
    engine,
    limits: LIMITS,
    concurrency: 2,
    onResult: (r) => seen.push(r.id),
    run: (source, options, context) => {
      contexts.push(context);
      expect(source).not.toContain("{{");
      expect(options.cache).toBe(false);
      return runSource(source, options);
    },
  });
  expect(seen.sort()).toEqual([...HOSTILE, ...SAFE].map((i) => i.id).sort());
  expect(run.records.map((r) => r.id)).toEqual([...HOSTILE, ...SAFE].map((i) => i.id));
  for (const record of run.records) {
    const expected = EXPECTED[record.id]!;
    expect({ id: record.id, outcome: record.outcome, canaries: record.canaries }).toEqual({ id: record.id, outcome: expected.outcome, canaries: [] });
    if (expected.bound) expect(record.bound).toBe(expected.bound);
    if (expected.rule) expect(record.rules[0]).toBe(expected.rule);
    expect(record.timings.wallMs).toBeGreaterThan(0);
  }
  expect(run.records.find((r) => r.id === "sort")!.meta).toEqual({ task: "kept" });
  expect(run.summary.block).toMatchObject({ n: 6, blocked: 6, escaped: 0, rate: 1 });
  expect(run.summary.allow).toMatchObject({ n: 2, allowed: 2, escaped: 0, rate: 1 });
  // Every item had its own canaries, and they were all disposed.
  expect(new Set(contexts.map((c) => c.dir)).size).toBe(HOSTILE.length + SAFE.length);
  expect(new Set(contexts.map((c) => c.envName)).size).toBe(HOSTILE.length + SAFE.length);
  expect(contexts.filter((c) => existsSync(c.dir))).toEqual([]);
  expect(contexts.filter((c) => process.env[c.envName] !== undefined)).toEqual([]);
}

describe("end to end", () => {
  it("node: hostile snippets are blocked or contained, safe ones complete, no canary is touched", () => endToEnd("node"), 180_000);
  it.skipIf(skipWasmtime)("wasmtime: the same", () => endToEnd("wasmtime"), 180_000);
});
