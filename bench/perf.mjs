#!/usr/bin/env node
// Performance of stelp next to the other ways to run untrusted JavaScript, in one run:
//
//   npx tsc -p tsconfig.json && node bench/perf.mjs [--quick] [--kernels-only] [--humaneval-only]
//       [--repeat N] [--kernels a,b] [--humaneval-limit N] [--metric cpu|wall] [--release] [--out DIR]
//
// --metric: what the kernel tables and ratios use: CPU time (user + system of the process that runs
// the program, default: on a loaded machine wall time mostly measures the wait for a core) or wall.
// --release: build the kernels with asc's -O3 target instead of stelp's default "fast" (-O1).
//
// Systems
//   plain node       `node -r bench/lib/perf-node-timer.cjs KERNEL.js` in a fresh process per run: JIT,
//                    no sandbox (the limit). Timed from just before node loads the program to exit.
//   stelp node       the instrumented module, compiled + instantiated + `_start` in a fresh child
//                    process (what the node engine's worker does, without the worker's start-up);
//                    "stelp node engine wall" is runModule(…, "node") as an embedder calls it.
//   stelp wasmtime   runModule(…, "wasmtime") with the module compiled beforehand by `wasmtime
//                    compile` (same options), minus the same for an empty program (process start-up,
//                    the runtime's instantiation): execution, as for the other systems. The engine
//                    itself compiles each time (it never loads native code from disk); that compile
//                    is reported on its own (it grows with the module: the fuel table shows both),
//                    and the HumanEval part's "cache hit + wasmtime run" includes it.
//   quickjs          quickjs-emscripten 0.32: a fresh runtime + context per run with a memory
//                    limit, a stack limit and an interrupt handler with a deadline; timed: evalCode.
//   isolated-vm      if it loads (PERF_ISOLATED_VM=path/to/isolated-vm): a fresh isolate with a
//                    memory limit; timed: compileScript + run with a timeout.
//   node:vm          a fresh context; timed: runInContext with a timeout. Not a security boundary.
// No system reuses compiled code between runs: each run of a program gets unique bytes (a Wasm
// custom section, a trailing comment) so V8's module and script caches cannot serve a repeat.
// Stelp builds exclude compilation (asc + binaryen), measured separately (HumanEval part).
// The kernels (bench/kernels/*.js) must print the same stdout on every system as in plain node;
// a stelp difference is reported as a miscompile.
//
// Fuel overhead: the same kernel built with and without fuel metering (buildSource's bench-only
// `meterFuel: false`), run the same way on the same engine.
//
// HumanEval-X (164 programs, bench/lib/datasets.mjs): per program, with the compiler warm, a stelp
// build without cache (stage timings) + a node-engine run; then a cache hit (build from the cache +
// run) next to quickjs (create runtime + context + eval), node:vm and isolated-vm (create + eval).
// Cold: the first build in a fresh process (compiler worker start included) vs quickjs's first run
// in a fresh process (Wasm module load included).
//
// Peak RSS: each kernel × system runs in its own child process (process.resourceUsage().maxRSS);
// wasmtime's through /usr/bin/time on the wasmtime process.
//
// Output: a table on stdout and bench/out/perf.json (perf-quick.json with --quick). The machine is
// noisy: compare ratios measured in the same run, not absolute times across runs.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { flagReader } from "./lib/cli.mjs";
import { loadHumanEval, repoRoot } from "./lib/datasets.mjs";
import { KERNEL_LIMITS, loadKernels } from "./lib/perf-kernels.mjs";
import { withNonce } from "./lib/perf-nonce.mjs";
import { loadIsolatedVm, runIsolatedVm, runNodeVm, runQuickJS } from "./lib/perf-systems.mjs";

const USAGE = `usage: node bench/perf.mjs [--quick] [--kernels-only] [--humaneval-only] [--repeat N] [--kernels a,b]
       [--humaneval-limit N] [--metric cpu|wall] [--release] [--out DIR]`;

function parseArgs(argv) {
  const options = { quick: false, kernels: true, humaneval: true, metric: "cpu", optimize: "fast", repeat: null, only: null, humanevalLimit: null, out: join(repoRoot, "bench", "out") };
  const flags = flagReader(argv, fail);
  const { value, number } = flags;
  for (let arg; (arg = flags.next()) !== undefined; ) {
    if (arg === "--quick") options.quick = true;
    else if (arg === "--kernels-only") options.humaneval = false;
    else if (arg === "--release") options.optimize = "release";
    else if (arg === "--humaneval-only") options.kernels = false;
    else if (arg === "--repeat") options.repeat = number();
    else if (arg === "--metric") {
      options.metric = value();
      if (!["cpu", "wall"].includes(options.metric)) fail("--metric must be cpu or wall");
    }
    else if (arg === "--kernels") options.only = value().split(",");
    else if (arg === "--humaneval-limit") options.humanevalLimit = number();
    else if (arg === "--out") options.out = resolve(value());
    else if (arg === "-h" || arg === "--help") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument ${arg}`);
  }
  options.repeat ??= options.quick ? 1 : 3;
  options.humanevalLimit ??= options.quick ? 12 : Infinity;
  return options;
}

function fail(message, code = 64) {
  console.error(`bench/perf: ${message}\n${USAGE}`);
  process.exit(code);
}

const options = parseArgs(process.argv.slice(2));
if (!existsSync(join(repoRoot, "dist", "src", "index.js"))) fail("dist/src/index.js is missing: build first with `npx tsc -p tsconfig.json`", 1);
const stelp = await import(new URL("../dist/src/index.js", import.meta.url).href);
const { buildSource, runModule, defaultPolicy, withLimits, findWasmtime, MemoryModuleCache } = stelp;

const runnerPath = fileURLToPath(new URL("./lib/perf-runner.mjs", import.meta.url));
const coldPath = fileURLToPath(new URL("./lib/perf-cold.mjs", import.meta.url));
const timerPath = fileURLToPath(new URL("./lib/perf-node-timer.cjs", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "stelp-perf-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

// --- statistics and formatting --------------------------------------------------------------------

function quantile(values, q) {
  const sorted = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}
const median = (values) => quantile(values, 0.5);
const round = (value, digits = 2) => (value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const fmtMs = (ms) => (ms === null || ms === undefined ? "—" : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtRatio = (r) => (r === null || r === undefined ? "—" : r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`);
const fmtMiB = (bytes) => (bytes === null || bytes === undefined ? "—" : `${(bytes / 1048576).toFixed(0)}`);
const fmtPct = (r) => (r === null || r === undefined ? "—" : `${r >= 0 ? "+" : ""}${(r * 100).toFixed(1)}%`);

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i] ?? "").length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c ?? "").padEnd(widths[i]) : String(c ?? "").padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function lastJsonLine(text) {
  const lines = text.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

function spawnCollect(command, args, { env = {}, timeoutMs = 600_000 } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"], cwd: work });
    const out = [];
    const err = [];
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => err.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

async function runnerChild(task) {
  const result = await spawnCollect(process.execPath, ["--expose-gc", runnerPath, JSON.stringify(task)], { env: task.env ?? {} });
  if (result.code !== 0) return { error: `runner exited ${result.code ?? result.signal}: ${result.stderr.trim().split("\n").slice(-3).join(" | ")}` };
  try {
    return lastJsonLine(result.stdout);
  } catch {
    return { error: `runner printed no result: ${result.stderr.trim().slice(-300)}` };
  }
}

// --- the machine ----------------------------------------------------------------------------------

function gitHead() {
  const r = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" });
  const dirty = spawnSync("git", ["status", "--porcelain", "src", "host-bindings"], { cwd: repoRoot, encoding: "utf8" });
  return r.status === 0 ? `${r.stdout.trim()}${dirty.stdout.trim() ? " (+ uncommitted changes in src/ or host-bindings/)" : ""}` : null;
}

const wasmtimePath = findWasmtime();
const ivm = loadIsolatedVm();
const report = {
  date: new Date().toISOString(),
  commit: process.env.PERF_COMMIT_LABEL || gitHead(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
  loadAverageAtStart: loadavg().map((l) => round(l, 2)),
  options: { quick: options.quick, repeat: options.repeat, metric: options.metric, optimize: options.optimize },
  systems: {
    quickjs: `quickjs-emscripten ${JSON.parse(readFileSync(join(repoRoot, "node_modules", "quickjs-emscripten", "package.json"), "utf8")).version}`,
    wasmtime: wasmtimePath ? spawnSync(wasmtimePath, ["--version"], { encoding: "utf8" }).stdout.trim() : null,
    isolatedVm: ivm.ivm ? `isolated-vm from ${ivm.where}` : null,
    isolatedVmUnavailable: ivm.ivm ? null : ivm.reason,
  },
  kernels: null,
  humaneval: null,
};

console.log(`stelp perf: ${report.date}, commit ${report.commit ?? "?"}, node ${report.node}, ${report.cpus}, load average ${report.loadAverageAtStart.join(" ")}`);
console.log(`repeat ${options.repeat}${options.quick ? " (--quick)" : ""}; kernels built with asc target "${options.optimize}"; medians of the runs; figures on ${options.metric === "cpu" ? "CPU time (user + system): the machine's load inflates wall times" : "wall time"}`);
if (!wasmtimePath) console.log("wasmtime: not installed (`npm run setup:wasmtime`): the stelp wasmtime columns are skipped");
if (ivm.ivm) console.log(`isolated-vm: loaded from ${ivm.where} (not a dependency of stelp: see the README's perf section)`);
if (!ivm.ivm) console.log(`isolated-vm: not measured. ${ivm.reason}. See the README's perf section: isolated-vm 5.0.4 (engines node >=18) has no install path that works offline here: its prebuilt binary comes from GitHub releases and building it needs node-gyp with the node headers; set PERF_ISOLATED_VM=/path/to/node_modules/isolated-vm to include one you built.`);

// --- A. compute kernels -----------------------------------------------------------------------------

const kernelPolicy = withLimits(defaultPolicy(), KERNEL_LIMITS);

async function buildKernel(source, meterFuel) {
  const built = await buildSource(source, { limits: KERNEL_LIMITS, cache: false, meterFuel, optimize: options.optimize });
  if (!built.wasm) throw new Error(`stelp rejected or failed to build a kernel (${built.status}): ${built.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`).join("; ")}`);
  return built;
}

const rusagePath = fileURLToPath(new URL("./lib/perf-wasmtime-rusage.py", import.meta.url));
const python = (() => {
  const r = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
})();
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * runModule on an engine, `repeat` times for each module, alternating between them. Per module:
 * { runs: [{ ms, cpuMs }], stdout, stderr, status, maxRSS }. Node engine: CPU of this process (the
 * worker thread runs in it; the compiler worker is idle). wasmtime: CPU and peak RSS of the wasmtime
 * process, through a python wrapper (STELP_WASMTIME) that reads its rusage; with `precompile`, the
 * wrapper compiles the module first and the run (CPU, RSS, wall) is the precompiled module's alone,
 * with the compile's CPU as compileCpuMs.
 */
async function engineRuns(wasms, engine, repeat, { policy = kernelPolicy, precompile = false } = {}) {
  const out = wasms.map(() => ({ runs: [], stdout: null, stderr: null, status: null, maxRSS: null }));
  const wrap = engine === "wasmtime" && python;
  const usageFile = join(work, "wasmtime-rusage.json");
  const wrapper = join(work, "wasmtime-rusage.sh");
  if (wrap) {
    writeFileSync(wrapper, `#!/bin/sh\nexec '${python}' '${rusagePath}' '${usageFile}' ${precompile ? "--precompile " : ""}'${wasmtimePath}' "$@"\n`);
    chmodSync(wrapper, 0o755);
  }
  const saved = process.env.STELP_WASMTIME;
  if (wrap) process.env.STELP_WASMTIME = wrapper;
  try {
    for (let i = 0; i < repeat; i++) {
      for (let w = 0; w < wasms.length; w++) {
        if (wrap) rmSync(usageFile, { force: true });
        const startCpu = cpuNow();
        const start = performance.now();
        const ran = await runModule(withNonce(wasms[w], `main-${i}`), policy, engine);
        let ms = performance.now() - start;
        let cpuMs = cpuNow() - startCpu;
        let compileCpuMs;
        const slot = out[w];
        if (wrap) {
          try {
            const usage = JSON.parse(readFileSync(usageFile, "utf8"));
            cpuMs = usage.cpuMs;
            slot.maxRSS = Math.max(slot.maxRSS ?? 0, usage.maxRSS);
            if (precompile) {
              ms = usage.wallMs;
              compileCpuMs = usage.compileCpuMs;
            }
          } catch {
            cpuMs = null;
          }
        }
        slot.runs.push({ ms, cpuMs, compileCpuMs, status: ran.status });
        slot.stdout ??= ran.stdout;
        slot.stderr ??= ran.stderr;
        slot.status ??= ran.status;
        if (ran.status !== "ok") slot.status = ran.status;
      }
    }
  } finally {
    if (saved === undefined) delete process.env.STELP_WASMTIME;
    else process.env.STELP_WASMTIME = saved;
  }
  return out;
}

async function plainNode(file, repeat) {
  const runs = [];
  let stdout = null;
  let maxRSS = 0;
  for (let i = 0; i < repeat; i++) {
    const timerFile = join(work, `timer-${i}.json`);
    const r = await spawnCollect(process.execPath, ["-r", timerPath, file], { env: { PERF_TIMER_FILE: timerFile } });
    const timer = JSON.parse(readFileSync(timerFile, "utf8"));
    rmSync(timerFile);
    runs.push({ ms: timer.ms, cpuMs: timer.cpuMs, status: r.code === 0 ? "ok" : `exit ${r.code}` });
    maxRSS = Math.max(maxRSS, timer.maxRSS);
    stdout ??= r.stdout;
  }
  return { runs, stdout, maxRSS };
}

const SYSTEMS = [
  // key, label, whether ratios use it
  ["node", "plain node"],
  ["stelp-node", "stelp node"],
  ["stelp-wasmtime", "stelp wasmtime"],
  ["quickjs", "quickjs"],
  ["isolated-vm", "isolated-vm"],
  ["node-vm", "node:vm"],
];

const METRICS = { cpu: "cpuMs", wall: "ms" };
const medianOf = (runs, field) => median(runs.map((r) => r[field]));

function summarise(runs, extra = {}) {
  return { ms: medianOf(runs, "ms"), cpuMs: medianOf(runs, "cpuMs"), runs: runs.map((r) => ({ ms: round(r.ms), cpuMs: round(r.cpuMs) })), ...extra };
}

async function benchKernels() {
  const kernels = loadKernels({ size: "full", only: options.only });
  if (kernels.length === 0) fail(`no kernels match ${options.only}`);
  const repeat = options.repeat;
  console.log(`\n== A. compute kernels (${kernels.map((k) => k.name).join(", ")}) ==`);
  // Baselines: an empty program through each engine's whole path (start-up, runtime instantiation).
  const empty = await buildKernel('console.log("ready");\n', true);
  const baseRepeat = Math.max(5, repeat);
  const [nodeBase] = await engineRuns([empty.wasm], "node", baseRepeat);
  const [wasmtimeBase] = wasmtimePath ? await engineRuns([empty.wasm], "wasmtime", baseRepeat, { precompile: true }) : [null];
  const baseline = {
    "stelp-node-engine": { ms: medianOf(nodeBase.runs, "ms"), cpuMs: medianOf(nodeBase.runs, "cpuMs") },
    "stelp-wasmtime": wasmtimeBase ? { ms: medianOf(wasmtimeBase.runs, "ms"), cpuMs: medianOf(wasmtimeBase.runs, "cpuMs"), maxRSS: wasmtimeBase.maxRSS } : null,
  };
  console.log(
    `empty program through the engines (median of ${baseRepeat}; each kernel subtracts its own interleaved empty runs): node engine ${fmtMs(baseline["stelp-node-engine"].ms)} ms wall / ${fmtMs(baseline["stelp-node-engine"].cpuMs)} ms CPU` +
      (baseline["stelp-wasmtime"] ? `; wasmtime ${fmtMs(baseline["stelp-wasmtime"].ms)} ms wall / ${fmtMs(baseline["stelp-wasmtime"].cpuMs)} ms CPU` : ""),
  );
  const net = (summary, base) => ({ ...summary, gross: { ms: summary.ms, cpuMs: summary.cpuMs }, ms: summary.ms - base.ms, cpuMs: summary.cpuMs === null ? null : summary.cpuMs - base.cpuMs });
  const results = [];
  const miscompiles = [];
  const otherMismatches = [];
  for (const kernel of kernels) {
    const file = join(work, `${kernel.name}.js`);
    writeFileSync(file, kernel.source);
    const row = { kernel: kernel.name, systems: {}, compile: {} };
    const log = (text) => process.stdout.write(text);
    log(`${kernel.name}: plain node`);
    const reference = await plainNode(file, repeat);
    row.systems.node = summarise(reference.runs, { maxRSS: reference.maxRSS });
    const expected = reference.stdout;
    row.stdout = expected;

    log(", build");
    const metered = await buildKernel(kernel.source, true);
    const unmetered = await buildKernel(kernel.source, false);
    row.compile = metered.timings;
    row.wasmBytes = { metered: metered.wasm.byteLength, unmetered: unmetered.wasm.byteLength };
    const wasmFile = join(work, `${kernel.name}.wasm`);
    const wasmFileUnmetered = join(work, `${kernel.name}.unmetered.wasm`);
    writeFileSync(wasmFile, metered.wasm);
    writeFileSync(wasmFileUnmetered, unmetered.wasm);

    const reproducer = `node bin/stelp.js run bench/kernels/${kernel.name}.js --fuel ${KERNEL_LIMITS.fuel} --memory ${KERNEL_LIMITS.memoryBytes} --timeout ${KERNEL_LIMITS.wallClockMs}`;
    const check = (system, stdout, runs, isStelp) => {
      const status = runs.find((r) => r.status !== "ok")?.status ?? "ok";
      if (stdout === expected && status === "ok") return true;
      const record = { kernel: kernel.name, system, status, expected: expected.slice(0, 400), got: (stdout ?? "").slice(0, 400), reproducer };
      (isStelp ? miscompiles : otherMismatches).push(record);
      return false;
    };

    const limits = KERNEL_LIMITS;
    log(", stelp node (metered, unmetered)");
    const pair = await runnerChild({ system: "stelp-inprocess", files: [wasmFile, wasmFileUnmetered], repeat: repeat * 2, limits });
    if (pair.error) {
      row.systems["stelp-node"] = { error: pair.error };
      miscompiles.push({ kernel: kernel.name, system: "stelp-node", status: pair.error, reproducer });
    } else {
      row.systems["stelp-node"] = summarise(pair.results[0].runs, { maxRSS: pair.maxRSS, ok: check("stelp-node", pair.results[0].stdout, pair.results[0].runs, true) });
      row.systems["stelp-node-unmetered"] = summarise(pair.results[1].runs, { ok: check("stelp-node-unmetered", pair.results[1].stdout, pair.results[1].runs, true) });
    }
    // Engine runs alternate with runs of the empty program, whose median is subtracted (per kernel, so
    // that a baseline taken at a quieter or busier moment does not skew one kernel).
    log(", stelp node engine");
    const [engine, engineEmpty] = await engineRuns([metered.wasm, empty.wasm], "node", repeat);
    const nodeBaseline = { ms: medianOf(engineEmpty.runs, "ms"), cpuMs: medianOf(engineEmpty.runs, "cpuMs") };
    row.systems["stelp-node-engine"] = net(summarise(engine.runs, { ok: check("stelp-node-engine", engine.stdout, engine.runs, true) }), nodeBaseline);
    row.systems["stelp-node-engine"].baseline = nodeBaseline;
    if (wasmtimePath) {
      log(", stelp wasmtime (metered, unmetered)");
      const [m, u, e] = await engineRuns([metered.wasm, unmetered.wasm, empty.wasm], "wasmtime", repeat * 2, { precompile: true });
      const wasmtimeBaseline = { ms: medianOf(e.runs, "ms"), cpuMs: medianOf(e.runs, "cpuMs") };
      row.systems["stelp-wasmtime"] = net(summarise(m.runs, { maxRSS: m.maxRSS, ok: check("stelp-wasmtime", m.stdout, m.runs, true), compileCpuMs: medianOf(m.runs, "compileCpuMs") }), wasmtimeBaseline);
      row.systems["stelp-wasmtime"].baseline = wasmtimeBaseline;
      row.systems["stelp-wasmtime-unmetered"] = net(summarise(u.runs, { ok: check("stelp-wasmtime-unmetered", u.stdout, u.runs, true), compileCpuMs: medianOf(u.runs, "compileCpuMs") }), wasmtimeBaseline);
    }
    for (const system of ["quickjs", "isolated-vm", "node-vm"]) {
      if (system === "isolated-vm" && !ivm.ivm) continue;
      log(`, ${system}`);
      const r = await runnerChild({ system, files: [file], repeat, limits, env: process.env.PERF_ISOLATED_VM ? { PERF_ISOLATED_VM: process.env.PERF_ISOLATED_VM } : {} });
      if (r.error || r.unavailable) {
        row.systems[system] = { error: r.error ?? r.unavailable };
        continue;
      }
      row.systems[system] = summarise(r.results[0].runs, { maxRSS: r.maxRSS, ok: check(system, r.results[0].stdout, r.results[0].runs, false) });
    }
    log("\n");
    results.push(row);
  }

  // Ratios per kernel (on CPU time and on wall time), then medians over kernels.
  const ratio = (row, system, reference, field) => {
    const a = row.systems[system]?.[field];
    const b = row.systems[reference]?.[field];
    return typeof a === "number" && typeof b === "number" && b > 0 ? a / b : null;
  };
  const keys = [...SYSTEMS.map(([key]) => key), "stelp-node-engine"];
  for (const row of results) {
    row.ratios = {};
    row.fuelOverhead = {};
    for (const [metric, field] of Object.entries(METRICS)) {
      row.ratios[metric] = Object.fromEntries(keys.map((key) => [key, { vsNode: round(ratio(row, key, "node", field), 3), vsQuickjs: round(ratio(row, key, "quickjs", field), 4) }]));
      row.fuelOverhead[metric] = {
        node: round(ratio(row, "stelp-node", "stelp-node-unmetered", field) - 1, 4),
        wasmtime: wasmtimePath ? round(ratio(row, "stelp-wasmtime", "stelp-wasmtime-unmetered", field) - 1, 4) : null,
      };
    }
  }
  const summary = {};
  for (const metric of Object.keys(METRICS)) {
    summary[metric] = {};
    for (const key of keys) {
      summary[metric][key] = {
        medianVsNode: round(median(results.map((r) => r.ratios[metric][key]?.vsNode)), 3),
        medianVsQuickjs: round(median(results.map((r) => r.ratios[metric][key]?.vsQuickjs)), 4),
      };
    }
    summary[metric].fuelOverhead = {
      node: round(median(results.map((r) => r.fuelOverhead[metric].node)), 4),
      wasmtime: wasmtimePath ? round(median(results.map((r) => r.fuelOverhead[metric].wasmtime)), 4) : null,
    };
  }
  summary.medianMaxRSS = Object.fromEntries(keys.map((key) => [key, median(results.map((r) => r.systems[key]?.maxRSS))]));

  // The tables.
  const primary = options.metric;
  const field = METRICS[primary];
  const shown = SYSTEMS.filter(([key]) => key !== "isolated-vm" || ivm.ivm).filter(([key]) => key !== "stelp-wasmtime" || wasmtimePath);
  const cell = (r, key, f) => (r.systems[key]?.error ? "error" : `${fmtMs(r.systems[key]?.[f])}${r.systems[key]?.ok === false ? " ✗" : ""}`);
  for (const [metric, f] of [[primary, field], ...Object.entries(METRICS).filter(([m]) => m !== primary)]) {
    console.log(`\nexecution time, ms ${metric === "cpu" ? "CPU (user + system)" : "wall"} (median of ${repeat}; stelp excludes compilation (wasmtime: precompiled, its compile is in the fuel table); wasmtime and "stelp node engine" (runModule: worker start included) net of an empty program)`);
    console.log(
      table(
        ["kernel", ...shown.map(([, label]) => label), "stelp node engine"],
        results.map((r) => [r.kernel, ...shown.map(([key]) => cell(r, key, f)), cell(r, "stelp-node-engine", f)]),
      ),
    );
  }
  const s = summary[primary];
  console.log(`\nratio to plain node (${primary} time / plain node's; lower is faster)`);
  console.log(
    table(
      ["kernel", ...shown.map(([, label]) => label)],
      [...results.map((r) => [r.kernel, ...shown.map(([key]) => fmtRatio(r.ratios[primary][key]?.vsNode))]), ["MEDIAN", ...shown.map(([key]) => fmtRatio(s[key].medianVsNode))]],
    ),
  );
  const inv = (r) => (r ? 1 / r : null);
  console.log(`\nspeed-up over quickjs (quickjs's ${primary} time / the system's; higher is faster)`);
  console.log(
    table(
      ["kernel", ...shown.map(([, label]) => label)],
      [...results.map((r) => [r.kernel, ...shown.map(([key]) => fmtRatio(inv(r.ratios[primary][key]?.vsQuickjs)))]), ["MEDIAN", ...shown.map(([key]) => fmtRatio(inv(s[key].medianVsQuickjs)))]],
    ),
  );
  console.log(`\nfuel metering overhead (metered / unmetered − 1, same engine, runs alternated; ${primary} time, wall in brackets) wasmtime's compile of each module (CPU), and module size`);
  console.log(
    table(
      ["kernel", "node: metered", "unmetered", "overhead", ...(wasmtimePath ? ["wasmtime: metered", "unmetered", "overhead", "compile ms CPU"] : []), "KiB metered/unmetered"],
      [
        ...results.map((r) => [
          r.kernel,
          fmtMs(r.systems["stelp-node"]?.[field]),
          fmtMs(r.systems["stelp-node-unmetered"]?.[field]),
          `${fmtPct(r.fuelOverhead[primary].node)} (${fmtPct(r.fuelOverhead.wall.node)})`,
          ...(wasmtimePath
            ? [
                fmtMs(r.systems["stelp-wasmtime"]?.[field]),
                fmtMs(r.systems["stelp-wasmtime-unmetered"]?.[field]),
                `${fmtPct(r.fuelOverhead[primary].wasmtime)} (${fmtPct(r.fuelOverhead.wall.wasmtime)})`,
                `${fmtMs(r.systems["stelp-wasmtime"]?.compileCpuMs)}/${fmtMs(r.systems["stelp-wasmtime-unmetered"]?.compileCpuMs)}`,
              ]
            : []),
          `${(r.wasmBytes.metered / 1024).toFixed(0)}/${(r.wasmBytes.unmetered / 1024).toFixed(0)}`,
        ]),
        ["MEDIAN", "", "", `${fmtPct(s.fuelOverhead.node)} (${fmtPct(summary.wall.fuelOverhead.node)})`, ...(wasmtimePath ? ["", "", `${fmtPct(s.fuelOverhead.wasmtime)} (${fmtPct(summary.wall.fuelOverhead.wasmtime)})`, ""] : []), ""],
      ],
    ),
  );
  console.log("\npeak RSS, MiB (each system in its own process: node-based ones include node itself; wasmtime: the wasmtime process)");
  console.log(
    table(
      ["kernel", ...shown.map(([, label]) => label)],
      [
        ...results.map((r) => [r.kernel, ...shown.map(([key]) => fmtMiB(r.systems[key]?.maxRSS))]),
        ["MEDIAN", ...shown.map(([key]) => fmtMiB(summary.medianMaxRSS[key]))],
        ["(empty program)", "", "", fmtMiB(baseline["stelp-wasmtime"]?.maxRSS), "", ...(ivm.ivm ? [""] : []), ""],
      ],
    ),
  );
  if (miscompiles.length > 0) {
    console.log(`\nMISCOMPILED: ${miscompiles.length} stelp run(s) did not print what plain node printed:`);
    for (const m of miscompiles) console.log(`  ${m.kernel} on ${m.system} (${m.status}): expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.got)}\n    reproduce: ${m.reproducer}`);
  } else console.log(`\nstelp stdout identical to plain node's for every kernel, engine and build (${results.length} kernels)`);
  if (otherMismatches.length > 0) {
    console.log("other systems that differ from plain node:");
    for (const m of otherMismatches) console.log(`  ${m.kernel} on ${m.system} (${m.status}): got ${JSON.stringify(m.got.slice(0, 120))}`);
  }
  return { limits: KERNEL_LIMITS, metric: primary, baselines: baseline, results, summary, miscompiles, otherMismatches };
}

// --- B. HumanEval-X end-to-end latency --------------------------------------------------------------

async function benchHumanEval() {
  const dataset = loadHumanEval();
  const problems = dataset.problems.slice(0, options.humanevalLimit === Infinity ? undefined : options.humanevalLimit);
  const policy = defaultPolicy();
  const limits = policy.limits;
  console.log(`\n== B. HumanEval-X end to end (${problems.length} programs, default policy) ==`);

  // Cold: fresh processes.
  const coldSamples = options.quick ? 2 : Math.max(3, options.repeat);
  const cold = { stelp: [], quickjs: [] };
  for (let i = 0; i < coldSamples; i++) {
    const problem = problems[i % problems.length];
    const file = join(work, `cold-${i}.js`);
    writeFileSync(file, problem.source);
    for (const system of ["stelp", "quickjs"]) {
      const r = await spawnCollect(process.execPath, [coldPath, system, file]);
      try {
        cold[system].push({ id: problem.id, ...lastJsonLine(r.stdout) });
      } catch {
        cold[system].push({ id: problem.id, error: r.stderr.trim().slice(-300) });
      }
    }
  }
  process.stdout.write(`cold: ${coldSamples} fresh processes per system\n`);

  // Warm the compiler (the kernels part may not have run).
  await buildSource('console.log("warm-up");\n', { cache: false });

  const rows = [];
  let done = 0;
  for (const problem of problems) {
    const row = { id: problem.id };
    const cache = new MemoryModuleCache();
    const buildStart = performance.now();
    const built = await buildSource(problem.source, { cache });
    const buildMs = performance.now() - buildStart;
    row.status = built.status;
    if (built.wasm) {
      row.stages = { ...built.timings };
      const runStart = performance.now();
      const ran = await runModule(built.wasm, built.policy, "node");
      row.stages.run = performance.now() - runStart;
      row.warm = buildMs + row.stages.run;
      row.runStatus = ran.status;
      row.stelpOutput = ran.stdout + ran.stderr;
      // Cache hits: build from the cache + run (node engine), `repeat` times.
      const hits = [];
      const hitsCpu = [];
      const hitsWasmtime = [];
      const inProcess = [];
      const inProcessCpu = [];
      for (let i = 0; i < options.repeat; i++) {
        let cpu = cpuNow();
        const start = performance.now();
        const hit = await buildSource(problem.source, { cache });
        if (!hit.cacheHit) throw new Error(`expected a cache hit for ${problem.id}`);
        await runModule(hit.wasm, hit.policy, "node");
        hits.push(performance.now() - start);
        hitsCpu.push(cpuNow() - cpu);
        if (wasmtimePath) {
          const startW = performance.now();
          const hitW = await buildSource(problem.source, { cache });
          await runModule(hitW.wasm, hitW.policy, "wasmtime");
          hitsWasmtime.push(performance.now() - startW);
        }
        cpu = cpuNow();
        const startI = performance.now();
        const hitI = await buildSource(problem.source, { cache });
        await runModule(hitI.wasm, hitI.policy, "inline");
        inProcess.push(performance.now() - startI);
        inProcessCpu.push(cpuNow() - cpu);
      }
      row.cacheHit = median(hits);
      row.cacheHitCpu = median(hitsCpu);
      row.cacheHitWasmtime = median(hitsWasmtime);
      row.cacheHitInProcess = median(inProcess);
      row.cacheHitInProcessCpu = median(inProcessCpu);
    }
    // The JS sandboxes: create + eval of the same program.
    const q = [];
    const qCpu = [];
    const v = [];
    const iv = [];
    for (let i = 0; i < options.repeat; i++) {
      const nonce = `\n// perf run ${i}\n`;
      const rq = await runQuickJS(problem.source + nonce, limits, { timeEval: "create+eval" });
      q.push(rq.ms);
      qCpu.push(rq.cpuMs);
      row.quickjsStatus = rq.status;
      row.quickjsOutput = rq.stdout + rq.stderr;
      v.push(runNodeVm(problem.source + nonce, limits, { timeEval: "create+eval" }).ms);
      if (ivm.ivm) iv.push(runIsolatedVm(problem.source + nonce, limits, { timeEval: "create+eval" }).ms);
    }
    row.quickjs = median(q);
    row.quickjsCpu = median(qCpu);
    row.nodeVm = median(v);
    row.isolatedVm = iv.length ? median(iv) : null;
    rows.push(row);
    done++;
    if (done % 20 === 0 || done === problems.length) process.stdout.write(`  ${done}/${problems.length} programs\n`);
  }

  const accepted = rows.filter((r) => r.stages);
  const stageNames = ["parse", "check", "emit", "compile", "instrument", "run"];
  const pct = (values) => ({ p50: round(quantile(values, 0.5)), p95: round(quantile(values, 0.95)) });
  const summary = {
    programs: rows.length,
    accepted: accepted.length,
    stelpRunOk: accepted.filter((r) => r.runStatus === "ok").length,
    outputAgreesWithQuickjs: accepted.filter((r) => r.stelpOutput === r.quickjsOutput).length,
    cold: {
      stelp: pct(cold.stelp.map((c) => c.ms)),
      stelpStages: Object.fromEntries(stageNames.map((s) => [s, pct(cold.stelp.map((c) => c.timings?.[s]))])),
      quickjs: pct(cold.quickjs.map((c) => c.ms)),
      stelpMaxRSS: median(cold.stelp.map((c) => c.maxRSS)),
      quickjsMaxRSS: median(cold.quickjs.map((c) => c.maxRSS)),
    },
    warmStages: Object.fromEntries(stageNames.map((s) => [s, pct(accepted.map((r) => r.stages[s]))])),
    warmEndToEnd: pct(accepted.map((r) => r.warm)),
    cacheHit: pct(accepted.map((r) => r.cacheHit)),
    cacheHitWasmtime: wasmtimePath ? pct(accepted.map((r) => r.cacheHitWasmtime)) : null,
    cacheHitInProcess: pct(accepted.map((r) => r.cacheHitInProcess)),
    cacheHitCpu: pct(accepted.map((r) => r.cacheHitCpu)),
    cacheHitInProcessCpu: pct(accepted.map((r) => r.cacheHitInProcessCpu)),
    quickjsCpu: pct(accepted.map((r) => r.quickjsCpu)),
    cacheHitOverQuickjsCpuMedian: round(median(accepted.map((r) => r.cacheHitCpu / r.quickjsCpu)), 3),
    quickjs: pct(accepted.map((r) => r.quickjs)),
    nodeVm: pct(accepted.map((r) => r.nodeVm)),
    isolatedVm: ivm.ivm ? pct(accepted.map((r) => r.isolatedVm)) : null,
    cacheHitOverQuickjsMedian: round(median(accepted.map((r) => r.cacheHit / r.quickjs)), 3),
  };
  const rowsOut = [
    ["stelp cold: first build + run in a fresh process", summary.cold.stelp],
    ...stageNames.map((s) => [`  of which ${s}`, summary.cold.stelpStages[s]]),
    ["quickjs cold: load module + create + eval, fresh process", summary.cold.quickjs],
    ...stageNames.map((s) => [`stelp warm ${s}`, summary.warmStages[s]]),
    ["stelp warm end to end (build, no cache + node run)", summary.warmEndToEnd],
    ["stelp cache hit + node engine run", summary.cacheHit],
    ...(wasmtimePath ? [["stelp cache hit + wasmtime run", summary.cacheHitWasmtime]] : []),
    ["stelp cache hit + inline engine run (caller's thread, no worker)", summary.cacheHitInProcess],
    ["quickjs create runtime+context + eval", summary.quickjs],
    ...(ivm.ivm ? [["isolated-vm create isolate+context + eval", summary.isolatedVm]] : []),
    ["node:vm create context + eval (no boundary)", summary.nodeVm],
  ];
  console.log(`\nlatency per program, ms (accepted by stelp: ${accepted.length} of ${rows.length}; all systems over the same programs)`);
  console.log(table(["what", "p50", "p95"], rowsOut.map(([what, v]) => [what, fmtMs(v?.p50), fmtMs(v?.p95)])));
  console.log(`cache hit + node engine run / quickjs create+eval, median over programs: ${fmtRatio(summary.cacheHitOverQuickjsMedian)} wall, ${fmtRatio(summary.cacheHitOverQuickjsCpuMedian)} CPU`);
  console.log(`CPU p50 (all threads of this process): stelp cache hit + node engine run ${fmtMs(summary.cacheHitCpu.p50)} ms, + inline engine run ${fmtMs(summary.cacheHitInProcessCpu.p50)} ms; quickjs create+eval ${fmtMs(summary.quickjsCpu.p50)} ms`);
  console.log(`stelp run status ok: ${summary.stelpRunOk}/${accepted.length}; stdout+stderr identical to quickjs's: ${summary.outputAgreesWithQuickjs}/${accepted.length} (quickjs formats console arguments with String())`);
  const peak = `peak RSS of the cold processes, MiB: stelp ${fmtMiB(summary.cold.stelpMaxRSS)} (includes the compiler worker), quickjs ${fmtMiB(summary.cold.quickjsMaxRSS)}`;
  console.log(peak);
  return { cold, summary, rows: rows.map(({ stelpOutput: _a, quickjsOutput: _b, ...rest }) => rest) };
}

// --- run --------------------------------------------------------------------------------------------

if (options.kernels) report.kernels = await benchKernels();
if (options.humaneval) report.humaneval = await benchHumanEval();
report.loadAverageAtEnd = loadavg().map((l) => round(l, 2));

// Targets of issue 5.
if (report.kernels) {
  const s = report.kernels.summary[report.kernels.metric];
  const vsQ = s["stelp-node"].medianVsQuickjs ? 1 / s["stelp-node"].medianVsQuickjs : null;
  const vsQw = s["stelp-wasmtime"]?.medianVsQuickjs ? 1 / s["stelp-wasmtime"].medianVsQuickjs : null;
  report.targets = {
    "kernels: stelp ≥ 10× faster than quickjs (median)": { node: round(vsQ), wasmtime: round(vsQw), met: vsQ !== null && vsQ >= 10 },
    "kernels: stelp ≤ 2× plain node (median)": { node: s["stelp-node"].medianVsNode, wasmtime: s["stelp-wasmtime"]?.medianVsNode ?? null, met: s["stelp-node"].medianVsNode !== null && s["stelp-node"].medianVsNode <= 2 },
    "fuel overhead ≤ 15% (median)": { node: s.fuelOverhead.node, wasmtime: s.fuelOverhead.wasmtime, met: s.fuelOverhead.node !== null && s.fuelOverhead.node <= 0.15 && (s.fuelOverhead.wasmtime === null || s.fuelOverhead.wasmtime <= 0.15) },
    "no miscompiles": { met: report.kernels.miscompiles.length === 0 },
  };
}
if (report.humaneval) {
  const h = report.humaneval.summary;
  report.targets ??= {};
  report.targets["cache-hit run ≤ quickjs create+eval (p50 wall, node engine)"] = { stelp: h.cacheHit.p50, quickjs: h.quickjs.p50, stelpCpu: h.cacheHitCpu.p50, quickjsCpu: h.quickjsCpu.p50, met: h.cacheHit.p50 <= h.quickjs.p50 };
  report.targets["cache-hit run ≤ quickjs create+eval (p50 wall, inline engine)"] = { stelp: h.cacheHitInProcess.p50, quickjs: h.quickjs.p50, stelpCpu: h.cacheHitInProcessCpu.p50, quickjsCpu: h.quickjsCpu.p50, met: h.cacheHitInProcess.p50 <= h.quickjs.p50 };
}
if (report.targets) {
  console.log(`\ntargets (issue 5; kernel figures on ${options.metric} time)`);
  for (const [name, value] of Object.entries(report.targets)) {
    const { met, ...figures } = value;
    console.log(`  ${met ? "MET    " : "NOT MET"}  ${name}  ${JSON.stringify(figures)}`);
  }
}
mkdirSync(options.out, { recursive: true });
const outFile = join(options.out, options.quick ? "perf-quick.json" : options.only || !options.kernels || !options.humaneval || options.humanevalLimit !== Infinity ? "perf.partial.json" : "perf.json");
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${outFile}`);
process.exit(report.kernels?.miscompiles.length ? 1 : 0);
