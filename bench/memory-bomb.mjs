#!/usr/bin/env node
// Host memory during a memory bomb. The policy caps the snippet's linear memory (64 MiB by
// default); this measures what the *host* pays while a bomb runs into that cap: the RSS of the
// process that runs the node engine (worker thread in-process), and the RSS of the wasmtime child.
//
//   npx tsc -p tsconfig.json && node bench/memory-bomb.mjs [--memory BYTES] [--fuel N] [--engine node|wasmtime]
//
// Each bomb is built once here (compilation has its own large footprint, so it is kept out of the
// measurement), then run in a fresh node process that only loads the module and runs it:
//   node engine: that process's RSS, sampled every 5 ms (process.memoryUsage.rss()), and its
//                resourceUsage().maxRSS (the kernel's high-water mark);
//   wasmtime:    the child's peak RSS from `/usr/bin/time -f %M` (a wrapper passed as STELP_WASMTIME),
//                or VmHWM from /proc/<pid>/status sampled every 5 ms when /usr/bin/time is absent,
//                plus the runner's own RSS.
// Baseline = the runner's RSS just before the run starts (module loaded, nothing running). The
// verdict: a run's growth over the baseline should stay under the memory cap plus a fixed engine
// overhead (OVERHEAD_MIB: a worker isolate, or wasmtime's own runtime); anything above is a bug.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MiB = 1024 * 1024;
const OVERHEAD_MIB = 64;
const self = fileURLToPath(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

// ---------------------------------------------------------------------------------------------
// Child mode: run one module, measure, print one JSON line.

if (process.argv[2] === "--child") {
  const [, , , wasmPath, engine, policyPath, timeReport] = process.argv;
  const { runModule } = await import("../dist/src/index.js");
  const wasm = new Uint8Array(readFileSync(wasmPath));
  const policy = JSON.parse(readFileSync(policyPath, "utf8"));
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const baseline = process.memoryUsage.rss();
  // The kernel's high-water mark before the run: start-up (loading asc and binaryen) can already be
  // above anything the run adds, so only a rise of this mark is attributable to the run.
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let peak = baseline;
  let childHwmKb = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    if (engine === "wasmtime" && !timeReport) {
      // Fallback without /usr/bin/time: VmHWM of our wasmtime child, read while it lives.
      for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const status = readFileSync(`/proc/${entry}/status`, "utf8");
          if (!/^Name:\s*wasmtime/m.test(status) || Number(/^PPid:\s*(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
          childHwmKb = Math.max(childHwmKb, Number(/^VmHWM:\s*(\d+)/m.exec(status)?.[1] ?? 0));
        } catch {
          // gone
        }
      }
    }
  }, 5);
  const start = performance.now();
  const run = await runModule(wasm, policy, engine);
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  if (timeReport && existsSync(timeReport)) {
    const kb = Number(readFileSync(timeReport, "utf8").trim().split(/\s+/).pop());
    if (Number.isFinite(kb)) childHwmKb = kb;
  }
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    `${JSON.stringify({ status: run.status, fuel: run.fuel.used, ms: Math.round(ms), baseline, peak, maxRssBefore, maxRss, childPeak: childHwmKb * 1024, engineMessage: run.engineMessage })}\n`,
  );
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent mode.

const { buildSource, defaultPolicy, findWasmtime, withLimits } = await import("../dist/src/index.js");

const memoryBytes = Number(arg("--memory", String(defaultPolicy().limits.memoryBytes)));
// Enough fuel that memory, not fuel, is the bound each bomb reaches.
const fuel = Number(arg("--fuel", "100000000000"));
const policy = withLimits(defaultPolicy(), { memoryBytes, fuel, wallClockMs: 120_000 });
const engines = arg("--engine") ? [arg("--engine")] : findWasmtime() ? ["node", "wasmtime"] : ["node"];
if (!findWasmtime()) console.log("wasmtime not found: measuring the node engine only (npm run setup:wasmtime)");

const BOMBS = {
  "no bomb (hello)": `console.log("hello");`,
  "array push": `const a = [];\nwhile (true) { a.push(a.length * 0.5); }`,
  "string doubling": `let s = "ab";\nwhile (true) { s = s + s; }`,
  "Map growth": `const m = new Map();\nlet i = 0;\nwhile (true) { m.set(i, i * 2); i++; }`,
  "array of strings": `const a = [];\nlet i = 0;\nwhile (true) { a.push("item " + i); i++; }`,
  // 1e8 elements (800 MB) reach the memory cap; from about 2e8 the runtime refuses the length up
  // front with a runtime error ("does not fit in a stelp program's memory") instead.
  "huge Array(n).fill(0)": `const a = new Array(1e8).fill(0);\nconsole.log(a.length);`,
};

const work = mkdtempSync(join(tmpdir(), "stelp-membench-"));
const policyPath = join(work, "policy.json");
writeFileSync(policyPath, JSON.stringify(policy));

// /usr/bin/time wrapper around the real wasmtime: the child's exact peak RSS.
const realWasmtime = findWasmtime();
const gnuTime = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0 ? "/usr/bin/time" : null;

function runChild(wasmPath, engine) {
  const env = { ...process.env };
  let timeReport = "";
  if (engine === "wasmtime" && gnuTime && realWasmtime) {
    timeReport = join(work, `time-${Math.random().toString(36).slice(2)}.txt`);
    const wrapper = join(work, "wasmtime-timed");
    writeFileSync(wrapper, `#!/bin/sh\nexec ${gnuTime} -f "%M" -o "${timeReport}" "${realWasmtime}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    env.STELP_WASMTIME = wrapper;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", self, "--child", wasmPath, engine, policyPath, timeReport], { env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.once("error", reject);
    child.once("close", (code) => {
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        reject(new Error(`runner exited with ${code}: ${out}`));
      }
    });
  });
}

const mib = (bytes) => (bytes / MiB).toFixed(1);
console.log(`memory cap ${mib(memoryBytes)} MiB, fuel ${fuel}, node ${process.version}; sizes in MiB`);
const header = ["bomb", "engine", "status", "ms", "baseline", "peak", "maxRSS before→after", "growth", "child peak", "verdict"];
const widths = [22, 9, 14, 7, 9, 8, 20, 8, 11, 30];
console.log(header.map((h, i) => h.padEnd(widths[i])).join(""));
const rows = [];
let unbounded = 0;
try {
  for (const [name, source] of Object.entries(BOMBS)) {
    const built = await buildSource(source, { policy });
    if (!built.wasm) {
      console.log(`${name}: build failed: ${JSON.stringify(built.diagnostics.slice(0, 2))}`);
      continue;
    }
    const wasmPath = join(work, `${name.replace(/\W+/g, "-")}.wasm`);
    writeFileSync(wasmPath, built.wasm);
    for (const engine of engines) {
      const r = await runChild(wasmPath, engine);
      // Growth of the host over its idle baseline: the sampled peak, or the rise of the kernel's
      // high-water mark during the run (which catches a spike between two samples), whichever is larger.
      const growth = Math.max(r.peak - r.baseline, r.maxRss - r.maxRssBefore);
      const limitForHost = memoryBytes + OVERHEAD_MIB * MiB;
      const childOver = engine === "wasmtime" ? r.childPeak - limitForHost : -1;
      const bounded = growth <= limitForHost && childOver <= 0;
      if (!bounded) unbounded++;
      const verdict = bounded ? `ok (< cap + ${OVERHEAD_MIB})` : `UNBOUNDED: ${mib(Math.max(growth, r.childPeak))} > ${mib(limitForHost)}`;
      const row = [name, engine, r.status, r.ms, mib(r.baseline), mib(r.peak), `${mib(r.maxRssBefore)}→${mib(r.maxRss)}`, mib(growth), engine === "wasmtime" ? mib(r.childPeak) : "-", verdict];
      rows.push({ name, engine, ...r, growth });
      console.log(row.map((c, i) => String(c).padEnd(widths[i])).join(""));
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `\nbaseline: the runner's RSS before the run; peak: sampled every 5 ms; maxRSS: resourceUsage().maxRSS of the runner; growth: max(peak - baseline, rise of maxRSS during the run);` +
    `\nchild peak: the wasmtime process's own maximum RSS (${gnuTime ? "/usr/bin/time -f %M" : "VmHWM sampled from /proc"}).`,
);
if (process.argv.includes("--json")) console.log(JSON.stringify(rows));
process.exitCode = unbounded > 0 ? 1 : 0;
