/**
 * Resource bombs written the way a hostile or careless snippet writes them, through the whole
 * pipeline (JS source → metered Wasm). Every bomb must stop at the bound its policy names, with the
 * same status and the same metered fuel on node and wasmtime (the wall clock is the exception: its
 * status must match, fuel is unknown). Then: concurrent runs do not interfere, and a run that times
 * out leaves no worker thread, child process or temp folder behind.
 *
 * The limits are small so that each bomb stops in well under a second. In CI (CI=true) wasmtime must
 * be installed; elsewhere its half skips with a visible reason (test/helpers/wasmtime.ts).
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSource, runModule } from "../src/pipeline.js";
import { defaultPolicy, withLimits, type Policy, type PolicyLimits } from "../src/policy.js";
import { skipWasmtime } from "./helpers/wasmtime.js";

type Run = Awaited<ReturnType<typeof runModule>>;

const MiB = 1024 * 1024;
/** Per test: the first build warms the compiler, and the machine may be shared. */
const T = { timeout: 120_000 };

interface Bomb {
  source: string;
  limits: Partial<PolicyLimits>;
  status: string;
  /** For output bombs: the policy's byte cap the captured output must respect. */
  output?: boolean;
}

const BOMBS: Record<string, Bomb> = {
  "infinite loop": { source: `let ticks = 0;\nwhile (true) { ticks++; }\n`, limits: { fuel: 2_000_000 }, status: "fuel_exhausted" },
  "empty for(;;)": { source: `for (;;) {}\n`, limits: { fuel: 1_000_000 }, status: "fuel_exhausted" },
  "nested loops": {
    source: `let t = 0;\nfor (let i = 0; i < 1e9; i++) {\n  for (let j = 0; j < 1e9; j++) {\n    for (let k = 0; k < 1e9; k++) t += (i ^ j) + k;\n  }\n}\nconsole.log(t);\n`,
    limits: { fuel: 3_000_000 },
    status: "fuel_exhausted",
  },
  "exponential recursion": {
    source: `function fib(n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }\nconsole.log(fib(60));\n`,
    limits: { fuel: 3_000_000 },
    status: "fuel_exhausted",
  },
  "busy string work": {
    source: `let s = "";\nwhile (true) { s = "ab" + s.slice(0, 100); s.indexOf("zz"); }\n`,
    limits: { fuel: 2_000_000 },
    status: "fuel_exhausted",
  },
  "array push loop": { source: `const a = [];\nwhile (true) { a.push(1.5); }\n`, limits: { memoryBytes: 4 * MiB, fuel: 1e12 }, status: "memory_limit" },
  "string doubling": { source: `let s = "ab";\nwhile (true) { s = s + s; }\nconsole.log(s.length);\n`, limits: { memoryBytes: 4 * MiB, fuel: 1e12 }, status: "memory_limit" },
  "huge Array(n).fill(0)": {
    source: `const a = new Array(100000000).fill(0);\nconsole.log(a.length);\n`,
    limits: { memoryBytes: 4 * MiB, fuel: 1e12 },
    status: "memory_limit",
  },
  "Array(n) beyond any 32-bit memory": {
    source: `const a = new Array(200000000).fill(0);\nconsole.log(a.length);\n`,
    limits: { memoryBytes: 4 * MiB, fuel: 1e12 },
    status: "memory_limit",
  },
  "string repeat": { source: `const s = "x".repeat(50000000);\nconsole.log(s.length);\n`, limits: { memoryBytes: 4 * MiB, fuel: 1e12 }, status: "memory_limit" },
  "Map growth": {
    source: `const m = new Map();\nlet i = 0;\nwhile (true) { m.set(i, "v" + i); i++; }\n`,
    limits: { memoryBytes: 4 * MiB, fuel: 1e12 },
    status: "memory_limit",
  },
  "unbounded recursion": {
    source: `function descend(n) { return descend(n + 1) + 1; }\nconsole.log(descend(0));\n`,
    limits: { callDepth: 300 },
    status: "call_depth_limit",
  },
  "mutual recursion": {
    source: `function ping(n) { return pong(n + 1); }\nfunction pong(n) { return ping(n + 1) + 1; }\nconsole.log(ping(0));\n`,
    limits: { callDepth: 500 },
    status: "call_depth_limit",
  },
  "recursive closure": {
    source: `const walk = (n) => n < 0 ? 0 : walk(n + 1) + 1;\nconsole.log(walk(0));\n`,
    limits: { callDepth: 1000 },
    status: "call_depth_limit",
  },
  "stdout flood": {
    source: `let line = 0;\nwhile (true) { console.log(\`line \${line} of a flood\`); line++; }\n`,
    limits: { outputBytes: 5000, fuel: 1e12 },
    status: "output_limit",
    output: true,
  },
  "stderr flood": { source: `while (true) { console.error("error error error"); }\n`, limits: { outputBytes: 3000, fuel: 1e12 }, status: "output_limit", output: true },
  "one huge line": { source: `console.log("x".repeat(200000));\n`, limits: { outputBytes: 10000, fuel: 1e12 }, status: "output_limit", output: true },
};

function policyFor(limits: Partial<PolicyLimits>): Policy {
  // A generous wall clock: only the bound under test may stop these runs.
  return withLimits(defaultPolicy(), { wallClockMs: 30_000, ...limits });
}

async function build(source: string, policy: Policy): Promise<Uint8Array> {
  const built = await buildSource(source, { policy });
  if (!built.wasm) throw new Error(`build failed (${built.status}): ${JSON.stringify(built.diagnostics)}`);
  return built.wasm;
}

const builds = new Map<string, Promise<Uint8Array>>();
const nodeRuns = new Map<string, Promise<Run>>();

function buildBomb(name: string): Promise<Uint8Array> {
  if (!builds.has(name)) builds.set(name, build(BOMBS[name]!.source, policyFor(BOMBS[name]!.limits)));
  return builds.get(name)!;
}

function runBombOnNode(name: string): Promise<Run> {
  if (!nodeRuns.has(name)) nodeRuns.set(name, buildBomb(name).then((wasm) => runModule(wasm, policyFor(BOMBS[name]!.limits), "node")));
  return nodeRuns.get(name)!;
}

function expectAtBound(run: Run, bomb: Bomb, policy: Policy): void {
  expect(run.status, run.engineMessage).toBe(bomb.status);
  expect(run.fuel.used).not.toBeNull();
  if (bomb.status === "fuel_exhausted") expect(run.fuel.used).toBe(policy.limits.fuel);
  else expect(run.fuel.used!).toBeLessThan(policy.limits.fuel);
  if (bomb.output) {
    expect(Buffer.byteLength(run.stdout) + Buffer.byteLength(run.stderr)).toBeLessThanOrEqual(policy.limits.outputBytes);
    expect(Buffer.byteLength(run.stdout) + Buffer.byteLength(run.stderr)).toBeGreaterThan(policy.limits.outputBytes / 2);
  } else {
    // Non-output bombs print nothing of their own before the bound.
    expect(run.stdout).toBe("");
  }
}

describe.each(Object.keys(BOMBS))("bomb: %s", (name) => {
  const bomb = BOMBS[name]!;
  const policy = policyFor(bomb.limits);

  it("node: stops at the bound the policy names", T, async () => {
    expectAtBound(await runBombOnNode(name), bomb, policy);
  });

  it.skipIf(skipWasmtime)("wasmtime: same status, output and fuel as node", T, async () => {
    const onWasmtime = await runModule(await buildBomb(name), policy, "wasmtime");
    const onNode = await runBombOnNode(name);
    expectAtBound(onWasmtime, bomb, policy);
    expect(onWasmtime.status).toBe(onNode.status);
    expect(onWasmtime.fuel.used).toBe(onNode.fuel.used);
    expect(onWasmtime.stdout).toBe(onNode.stdout);
    expect(onWasmtime.stderr).toBe(onNode.stderr);
  });

  it("inline (the caller's thread): same status, output and fuel as node", T, async () => {
    const inline = await runModule(await buildBomb(name), policy, "inline");
    const onNode = await runBombOnNode(name);
    expectAtBound(inline, bomb, policy);
    expect(inline.status).toBe(onNode.status);
    expect(inline.fuel.used).toBe(onNode.fuel.used);
    expect(inline.stdout).toBe(onNode.stdout);
    expect(inline.stderr).toBe(onNode.stderr);
  });
});

describe("bomb: wall clock", () => {
  // Fuel far beyond what 300 ms can burn: only the wall-clock backstop can stop this.
  const policy = withLimits(defaultPolicy(), { fuel: 1e15, wallClockMs: 300 });
  const source = `let x = 0;\nwhile (true) { x = (x + 1) % 7; }\n`;

  async function expectPromptTimeout(engine: "node" | "wasmtime"): Promise<void> {
    const wasm = await build(source, policy);
    const start = performance.now();
    const run = await runModule(wasm, policy, engine);
    const elapsed = performance.now() - start;
    expect(run.status).toBe("timeout");
    expect(run.exitCode).toBe(7);
    expect(run.fuel.used).toBeNull();
    expect(elapsed).toBeGreaterThanOrEqual(250);
    // The backstop plus engine start and the kill grace (2 s on wasmtime), never the fuel's 1e15.
    expect(elapsed).toBeLessThan(6000);
  }

  it("node: a tiny wallClockMs with huge fuel ends in timeout, promptly", T, () => expectPromptTimeout("node"));
  it.skipIf(skipWasmtime)("wasmtime: the same status", T, () => expectPromptTimeout("wasmtime"));
});

describe("bomb: recursion with wide frames", () => {
  // Wide frames exhaust an engine's native stack before the metered call depth: 1000 parameters did
  // (node died with a RangeError, wasmtime said call_depth_limit, neither had fuel). The checker caps
  // parameters at 64, where 2000 nested calls still stop at the meter on both engines.
  const wide = (n: number): string => {
    const params = Array.from({ length: n }, (_, i) => `a${i}`).join(", ");
    const next = Array.from({ length: n }, (_, i) => `a${(i + 1) % n} * 1.5 + ${i}`).join(", ");
    return `function d(${params}) { return d(${next}) + a0 * a${n - 1}; }\nconsole.log(d(${Array.from({ length: n }, (_, i) => i + 0.5).join(", ")}));\n`;
  };
  const policy = policyFor({});
  let onNode: Promise<Run> | undefined;
  const nodeRun = (): Promise<Run> => (onNode ??= build(wide(64), policy).then((wasm) => runModule(wasm, policy, "node")));

  it("1000 parameters: rejected at check", T, async () => {
    const built = await buildSource(wide(1000), { policy, cache: false });
    expect(built.status).toBe("rejected");
    expect(built.diagnostics.map((d) => d.rule)).toContain("input-too-complex");
  });

  it("64 parameters, node: call_depth_limit from the meter", T, async () => {
    const run = await nodeRun();
    expect(run.status, run.engineMessage).toBe("call_depth_limit");
    expect(run.exitCode).toBe(5);
    expect(run.fuel.used).not.toBeNull();
  });

  it.skipIf(skipWasmtime)("64 parameters, wasmtime: the same status and fuel", T, async () => {
    const run = await runModule(await build(wide(64), policy), policy, "wasmtime");
    expect(run.status, run.engineMessage).toBe("call_depth_limit");
    expect(run.fuel.used).toBe((await nodeRun()).fuel.used);
  });
});

describe("bomb: recursion past the shadow stack", () => {
  // With a call depth far above the default, asc's shadow stack (managed locals) fills first; its
  // "stack overflow" abort is the call-depth bound too, at the same point on both engines.
  const source = `function d(n) { let s = "x" + n; return d(n + 1) + s.length; }\nconsole.log(d(0));\n`;
  const policy = policyFor({ callDepth: 8000 });
  let onNode: Promise<Run> | undefined;
  const nodeRun = (): Promise<Run> => (onNode ??= build(source, policy).then((wasm) => runModule(wasm, policy, "node")));

  it("node: call_depth_limit, not a runtime error", T, async () => {
    const run = await nodeRun();
    expect(run.status, run.stderr).toBe("call_depth_limit");
    expect(run.fuel.used).not.toBeNull();
  });

  it.skipIf(skipWasmtime)("wasmtime: the same status and fuel", T, async () => {
    const run = await runModule(await build(source, policy), policy, "wasmtime");
    expect(run.status, run.stderr).toBe("call_depth_limit");
    expect(run.fuel.used).toBe((await nodeRun()).fuel.used);
  });
});

describe("concurrent runs", () => {
  const normal = {
    fib: { source: `function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconsole.log(fib(18));\n`, limits: {} },
    strings: { source: `let s = "";\nfor (let i = 0; i < 200; i++) s += String.fromCharCode(97 + (i % 26));\nconsole.log(s.length, s.slice(0, 30));\nconsole.error("done");\n`, limits: {} },
    sort: { source: `const a = [];\nfor (let i = 0; i < 500; i++) a.push((i * 7919) % 1000);\na.sort((x, y) => x - y);\nconsole.log(a[0], a[250], a[499]);\n`, limits: {} },
  };
  const mix: Record<string, { source: string; limits: Partial<PolicyLimits> }> = {
    loop: BOMBS["infinite loop"]!,
    memory: BOMBS["string doubling"]!,
    ...normal,
    flood: BOMBS["stdout flood"]!,
  };

  async function soloAndTogether(engine: "node" | "wasmtime"): Promise<void> {
    const entries = await Promise.all(Object.entries(mix).map(async ([name, p]) => ({ name, policy: policyFor(p.limits), wasm: await build(p.source, policyFor(p.limits)) })));
    const solo: Run[] = [];
    for (const e of entries) solo.push(await runModule(e.wasm, e.policy, engine));
    // Each program twice, all at once (12 runs on node's worker threads or wasmtime children).
    const together = await Promise.all([...entries, ...entries].map((e) => runModule(e.wasm, e.policy, engine)));
    together.forEach((run, i) => {
      const expected = solo[i % entries.length]!;
      const label = `${entries[i % entries.length]!.name} (${engine})`;
      expect(run.status, label).toBe(expected.status);
      expect(run.fuel.used, label).toBe(expected.fuel.used);
      expect(run.stdout, label).toBe(expected.stdout);
      expect(run.stderr, label).toBe(expected.stderr);
    });
    expect(solo.map((r) => r.status)).toEqual(["fuel_exhausted", "memory_limit", "ok", "ok", "ok", "output_limit"]);
    expect(solo[2]!.stdout).toBe("2584\n");
  }

  it("node: a bomb running next to normal programs changes nobody's result or fuel", T, async () => {
    await soloAndTogether("node");
  });

  it.skipIf(skipWasmtime)("wasmtime: the same", T, async () => {
    await soloAndTogether("wasmtime");
  });
});

/** Children of this process whose command is wasmtime (from /proc; Linux only). */
function childProcesses(comm: RegExp): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const match = /^\d+ \((.*)\) (\S) (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, "utf8"));
      if (match && Number(match[3]) === process.pid && comm.test(match[1]!)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1];
    return state !== undefined && state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Runs `work` while sampling which matching children exist; returns them with the work's result. */
async function watchingChildren<T>(comm: RegExp, work: () => Promise<T>): Promise<{ result: T; seen: Set<number> }> {
  const seen = new Set<number>();
  const timer = setInterval(() => childProcesses(comm).forEach((pid) => seen.add(pid)), 20);
  try {
    return { result: await work(), seen };
  } finally {
    clearInterval(timer);
  }
}

const threadCount = (): number => readdirSync("/proc/self/task").length;
const workerHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === "MessagePort" || r === "Worker").length;

describe.skipIf(process.platform !== "linux")("a timed-out run leaves nothing behind", () => {
  const policy = withLimits(defaultPolicy(), { fuel: 1e15, wallClockMs: 200 });
  const source = `let x = 1;\nwhile (true) { x = (x * 3) % 1000003; }\n`;
  let privateTmp = "";
  let savedTmp: string | undefined;
  let wasm: Uint8Array;

  beforeAll(async () => {
    wasm = await build(source, policy);
    // A private TMPDIR: stelp's temp folders (os.tmpdir()/stelp-*) land here, and no other test
    // running at the same time can add or remove any.
    privateTmp = mkdtempSync(join(tmpdir(), "stelp-bombs-tmp-"));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    expect(tmpdir()).toBe(privateTmp);
  }, 120_000);

  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(privateTmp, { recursive: true, force: true });
  });

  it("node: the worker thread is gone and the handle count is back to the baseline", T, async () => {
    await runModule(wasm, policy, "node"); // warm-up: lazily started threads (libuv pool, V8 platform) stay
    await new Promise((resolve) => setTimeout(resolve, 50));
    const threads = threadCount();
    const handles = workerHandles();
    let peakThreads = threads;
    const sampler = setInterval(() => (peakThreads = Math.max(peakThreads, threadCount())), 20);
    try {
      for (let i = 0; i < 3; i++) expect((await runModule(wasm, policy, "node")).status).toBe("timeout");
      // Three at once as well.
      const runs = await Promise.all([0, 1, 2].map(() => runModule(wasm, policy, "node")));
      expect(runs.map((r) => r.status)).toEqual(["timeout", "timeout", "timeout"]);
    } finally {
      clearInterval(sampler);
    }
    expect(peakThreads, "the runs did start worker threads").toBeGreaterThan(threads);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(threadCount()).toBeLessThanOrEqual(threads);
    expect(workerHandles()).toBe(handles);
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it.skipIf(skipWasmtime)("wasmtime: the child process is gone and its temp folder removed", T, async () => {
    const { result, seen } = await watchingChildren(/^wasmtime/, () => Promise.all([0, 1, 2].map(() => runModule(wasm, policy, "wasmtime"))));
    expect(result.map((r) => r.status)).toEqual(["timeout", "timeout", "timeout"]);
    expect(seen.size, "the runs did start wasmtime children").toBeGreaterThan(0);
    for (const pid of seen) expect(alive(pid), `wasmtime pid ${pid}`).toBe(false);
    expect(childProcesses(/^wasmtime/)).toEqual([]);
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  describe("when wasmtime itself misbehaves (a stand-in binary via STELP_WASMTIME)", () => {
    let saved: string | undefined;
    let fakes = "";
    beforeAll(() => {
      saved = process.env.STELP_WASMTIME;
      fakes = mkdtempSync(join(privateTmp, "fake-wasmtime-"));
    });
    afterAll(() => {
      if (saved === undefined) delete process.env.STELP_WASMTIME;
      else process.env.STELP_WASMTIME = saved;
    });

    function fake(name: string, script: string): string {
      const path = join(fakes, name);
      writeFileSync(path, `#!/bin/sh\n${script}\n`);
      chmodSync(path, 0o755);
      return path;
    }

    const stelpTemps = (): string[] => readdirSync(privateTmp).filter((n) => n.startsWith("stelp-"));

    it("a child that ignores its own timeout is killed by the backstop: timeout, no process, no temp folder", T, async () => {
      process.env.STELP_WASMTIME = fake("hang", "exec /bin/sleep 1000");
      const start = performance.now();
      const { result, seen } = await watchingChildren(/^(hang|sleep)$/, () => runModule(wasm, policy, "wasmtime"));
      expect(result.status).toBe("timeout");
      expect(performance.now() - start).toBeLessThan(policy.limits.wallClockMs + 2000 + 3000);
      expect(seen.size).toBeGreaterThan(0);
      for (const pid of seen) expect(alive(pid), `pid ${pid}`).toBe(false);
      expect(stelpTemps()).toEqual([]);
    });

    it("a child that floods its output is cut at the capture cap: output_limit, no process, no temp folder", T, async () => {
      process.env.STELP_WASMTIME = fake("flood", "exec /bin/cat /dev/zero");
      const capped = withLimits(policy, { outputBytes: 10_000 });
      const { result, seen } = await watchingChildren(/^(flood|cat)$/, () => runModule(wasm, capped, "wasmtime"));
      expect(result.status).toBe("output_limit");
      expect(result.stdout.length).toBeLessThan(10_000 + 256 * 1024);
      for (const pid of seen) expect(alive(pid), `pid ${pid}`).toBe(false);
      expect(stelpTemps()).toEqual([]);
    });
  });
});
