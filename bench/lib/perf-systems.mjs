// The systems bench/perf.mjs compares, each as a sandbox user would set it up: every `run…`
// returns { status, stdout, stderr, ms, setupMs } where `ms` is the timed part (see perf.mjs's
// header for exactly what that is per system) and `setupMs` what was done before it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { formatWithOptions } from "node:util";
import vm from "node:vm";

const distUrl = new URL("../../dist/", import.meta.url);

/**
 * Peak RSS of this process since its exec, in bytes: VmHWM from /proc/self/status (Linux).
 * process.resourceUsage().maxRSS is not used because it keeps the parent's RSS at fork time (a
 * child of a large bench process would report the parent's size); it is the fallback elsewhere.
 */
export function peakRss() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Wall and CPU (user + system, all threads of this process) clocks, in ms. */
export function clocks() {
  const cpu = process.cpuUsage();
  return { wall: performance.now(), cpu: (cpu.user + cpu.system) / 1000 };
}
export function since(start) {
  const now = clocks();
  return { ms: now.wall - start.wall, cpuMs: now.cpu - start.cpu };
}

// --- stelp, in process: the node engine's worker body without the worker -----------------------

let stelpHost;
async function stelpHostModules() {
  stelpHost ??= { wasi: await import(new URL("host-bindings/node/wasi.js", distUrl).href) };
  return stelpHost;
}

// The trailer, as src/engines/result.ts reads it. Not imported from there: that module loads the
// instrumenter and with it binaryen (~100 MiB of RSS), which would swamp the peak RSS of a run.
const TRAILER_MARK = Buffer.from([0xff, 0x53, 0x54, 0x45, 0x4c, 0x50, 0x20]); // 0xFF "STELP "
const CAUSES = ["ok", "fuel_exhausted", "call_depth_limit", "memory_limit", "output_limit", "trap", "runtime_error"];
function splitTrailer(stderr) {
  const at = stderr.indexOf(TRAILER_MARK);
  if (at < 0) return { programStderr: stderr, cause: null };
  const end = stderr.indexOf(0x0a, at);
  const match = /^(\d+) (-?\d+)$/.exec(stderr.subarray(at + TRAILER_MARK.length, end < 0 ? stderr.length : end).toString("latin1"));
  return { programStderr: stderr.subarray(0, at), cause: match ? Number(match[1]) : null };
}

/**
 * What the node engine's worker does (host-bindings/node/worker.ts): compile the module, instantiate
 * it with the WASI subset, run `_start`; timed from the Wasm compile to `_start`'s return, without
 * the worker thread's start.
 */
export async function runStelpInProcess(wasm, limits) {
  const { wasi } = await stelpHostModules();
  const host = wasi.createWasiHost(limits.outputBytes + 64 * 1024);
  const start = clocks();
  let ending = "returned";
  let message = "";
  try {
    const module = new WebAssembly.Module(wasm);
    const instance = new WebAssembly.Instance(module, host.imports);
    host.bindMemory(instance.exports.memory);
    instance.exports._start();
  } catch (error) {
    ending = error instanceof wasi.ProcExit ? "exit" : "trap";
    message = String(error?.message ?? error);
  }
  const { ms, cpuMs } = since(start);
  const { programStderr, cause } = splitTrailer(Buffer.concat(host.output.stderr));
  const status = cause !== null ? (CAUSES[cause] ?? "internal_error") : ending === "returned" ? "ok" : `no-trailer ${ending}: ${message}`;
  return { status, stdout: Buffer.concat(host.output.stdout).toString("utf8"), stderr: programStderr.toString("utf8"), ms, cpuMs, setupMs: 0 };
}

// --- console for the JS sandboxes ---------------------------------------------------------------

/**
 * A console for sandboxes that only pass strings out: primitives are formatted with String(), as
 * console.log prints them (the kernels print only numbers and strings); console.assert as Node 20.
 */
const CONSOLE_PRELUDE = `(() => {
  const print = globalThis.__print;
  delete globalThis.__print;
  const line = (args) => args.map((a) => String(a)).join(" ");
  globalThis.console = {
    log: (...a) => print(1, line(a)), info: (...a) => print(1, line(a)), debug: (...a) => print(1, line(a)),
    error: (...a) => print(2, line(a)), warn: (...a) => print(2, line(a)),
    assert: (c, ...a) => { if (!c) print(2, a.length ? "Assertion failed: " + line(a) : "Assertion failed"); },
  };
})();`;

function capture() {
  const out = { stdout: [], stderr: [] };
  const print = (fd, text) => (fd === 1 ? out.stdout : out.stderr).push(`${text}\n`);
  return { out, print };
}

// --- quickjs-emscripten -------------------------------------------------------------------------

let quickjsModule;
/** Loads (once per process) the QuickJS Wasm module: the equivalent of stelp's warm compiler. */
export async function loadQuickJS() {
  if (!quickjsModule) {
    const { getQuickJS } = await import("quickjs-emscripten");
    quickjsModule = await getQuickJS();
  }
  return quickjsModule;
}

/**
 * One program in a fresh QuickJS runtime + context with a memory limit, a stack limit and an
 * interrupt handler with a deadline (what a sandbox user sets). `timeEval` says what `ms` covers:
 * "eval" (evalCode in the prepared context) or "create+eval" (runtime and context creation too).
 */
export async function runQuickJS(source, limits, { timeEval = "eval" } = {}) {
  const QuickJS = await loadQuickJS();
  const setupStart = clocks();
  const runtime = QuickJS.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(4 * 1024 * 1024);
  const deadline = Date.now() + limits.wallClockMs;
  runtime.setInterruptHandler(() => Date.now() > deadline);
  const context = runtime.newContext();
  const { out, print } = capture();
  const printFn = context.newFunction("__print", (fd, text) => {
    print(context.getNumber(fd), context.getString(text));
  });
  context.setProp(context.global, "__print", printFn);
  printFn.dispose();
  context.unwrapResult(context.evalCode(CONSOLE_PRELUDE)).dispose();
  const setupMs = since(setupStart).ms;
  const start = clocks();
  const result = context.evalCode(source, "program.js");
  const evaluated = since(start);
  let status = "ok";
  if (result.error) {
    const error = context.dump(result.error);
    result.error.dispose();
    status = `error: ${typeof error === "object" && error ? `${error.name}: ${error.message}` : String(error)}`;
    out.stderr.push(`Uncaught ${typeof error === "object" && error ? `${error.name}: ${error.message}` : String(error)}\n`);
  } else result.value.dispose();
  context.dispose();
  runtime.dispose();
  const { ms, cpuMs } = timeEval === "create+eval" ? since(setupStart) : evaluated;
  return { status, stdout: out.stdout.join(""), stderr: out.stderr.join(""), ms, cpuMs, setupMs };
}

// --- node:vm --------------------------------------------------------------------------------------

/**
 * One program in a fresh node:vm context with a timeout (no memory limit exists; not a security
 * boundary: a floor). `ms` covers vm.runInContext (compile + run), or context creation too.
 */
export function runNodeVm(source, limits, { timeEval = "eval" } = {}) {
  const setupStart = clocks();
  const out = { stdout: [], stderr: [] };
  const line = (args) => `${formatWithOptions({}, ...args)}\n`;
  const sandboxConsole = {
    log: (...a) => out.stdout.push(line(a)), info: (...a) => out.stdout.push(line(a)), debug: (...a) => out.stdout.push(line(a)),
    error: (...a) => out.stderr.push(line(a)), warn: (...a) => out.stderr.push(line(a)),
    assert: (c, ...a) => { if (!c) out.stderr.push(a.length ? `Assertion failed: ${formatWithOptions({}, ...a)}\n` : "Assertion failed\n"); },
  };
  const context = vm.createContext({ console: sandboxConsole });
  const setupMs = since(setupStart).ms;
  const start = clocks();
  let status = "ok";
  try {
    vm.runInContext(source, context, { filename: "program.js", timeout: limits.wallClockMs });
  } catch (error) {
    status = `error: ${error?.name}: ${error?.message}`;
    out.stderr.push(`Uncaught ${error?.name}: ${error?.message}\n`);
  }
  const evaluated = since(start);
  const { ms, cpuMs } = timeEval === "create+eval" ? since(setupStart) : evaluated;
  return { status, stdout: out.stdout.join(""), stderr: out.stderr.join(""), ms, cpuMs, setupMs };
}

// --- isolated-vm (optional) -----------------------------------------------------------------------

let ivmState;
/** { ivm } when isolated-vm can be loaded (PERF_ISOLATED_VM names its folder, else normal resolution); { reason } otherwise. */
export function loadIsolatedVm() {
  if (ivmState) return ivmState;
  const require = createRequire(import.meta.url);
  const where = process.env.PERF_ISOLATED_VM || "isolated-vm";
  try {
    ivmState = { ivm: require(where), where };
  } catch (error) {
    ivmState = { reason: `isolated-vm cannot be loaded (${where}): ${String(error?.message ?? error).split("\n")[0]}` };
  }
  return ivmState;
}

/** One program in a fresh isolate (memory limit) and context; `ms` covers compile + run with a timeout. */
export function runIsolatedVm(source, limits, { timeEval = "eval" } = {}) {
  const { ivm } = loadIsolatedVm();
  const setupStart = clocks();
  const isolate = new ivm.Isolate({ memoryLimit: Math.ceil(limits.memoryBytes / (1024 * 1024)) });
  const context = isolate.createContextSync();
  const { out, print } = capture();
  context.evalClosureSync(`globalThis.__print = (fd, s) => $0.applySync(undefined, [fd, s]);\n${CONSOLE_PRELUDE}`, [new ivm.Reference(print)]);
  const setupMs = since(setupStart).ms;
  const start = clocks();
  let status = "ok";
  try {
    const script = isolate.compileScriptSync(source, { filename: "program.js" });
    script.runSync(context, { timeout: limits.wallClockMs });
  } catch (error) {
    status = `error: ${error?.name}: ${error?.message}`;
    out.stderr.push(`Uncaught ${error?.name}: ${error?.message}\n`);
  }
  const evaluated = since(start);
  context.release();
  isolate.dispose();
  const { ms, cpuMs } = timeEval === "create+eval" ? since(setupStart) : evaluated;
  return { status, stdout: out.stdout.join(""), stderr: out.stderr.join(""), ms, cpuMs, setupMs };
}
