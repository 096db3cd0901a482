/**
 * The node engine (the default): runs an instrumented module in a worker thread of this process, with
 * the WASI subset of host-bindings/node. Needs no external binary. The module's own meter enforces
 * fuel, depth, memory and output; the worker adds a wall-clock backstop and heap limits.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, Worker } from "node:worker_threads";
import { packageRoot } from "../paths.js";
import { runInstance, type ToolChannel, type WorkerInput, type WorkerOutput } from "../../host-bindings/node/run-instance.js";
import type { ToolHost } from "../tools.js";
import { decodeOutput, endingStatus, fuelUsed, splitTrailer, statusForCause, type EngineLimits, type EngineRun } from "./result.js";

/** Room above the output cap for the trailer and for bytes the module flushes before trapping. */
const CAPTURE_SLACK = 64 * 1024;

function workerPath(): string {
  const path = join(packageRoot(), "dist", "host-bindings", "node", "worker.js");
  if (!existsSync(path)) throw new Error(`stelp: ${path} is missing; run \`npm run build\` first`);
  return path;
}

function startWorker(): Worker {
  return new Worker(workerPath(), {
    // The snippet's memory is Wasm linear memory (bounded by the module); these bound the host side.
    resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 32, stackSizeMb: 16 },
    stdout: true,
    stderr: true,
    env: {},
  });
}

/**
 * One worker started ahead of time, so that a run does not wait ~30 ms for a thread to boot. Each
 * worker still runs exactly one module and is then terminated: nothing is shared between runs. The
 * spare is unref'd (it never keeps the process alive) and replaced after each run.
 */
let spare: Worker | null = null;
let spareEnabled = true;

/** Turns the spare worker off (a one-shot CLI run gains nothing from it) or on (the default). */
export function setNodeEngineSpareWorker(enabled: boolean): void {
  spareEnabled = enabled;
  if (!enabled && spare) {
    void spare.terminate();
    spare = null;
  }
}

function takeWorker(): Worker {
  const worker = spare ?? startWorker();
  spare = null;
  worker.ref();
  return worker;
}

function replenishSpare(): void {
  if (spare || !spareEnabled) return;
  const worker = startWorker();
  worker.unref();
  // A spare that dies before it is used (it should not) is simply forgotten.
  worker.once("exit", () => {
    if (spare === worker) spare = null;
  });
  worker.once("error", () => {
    if (spare === worker) spare = null;
  });
  spare = worker;
}

/**
 * Compiled modules by their bytes' identity: the module cache hands out the same Uint8Array for a
 * hit, so a repeated run skips V8's compile. Weak: forgotten with the bytes.
 */
const compiled = new WeakMap<Uint8Array, WebAssembly.Module>();

async function compiledModule(wasm: Uint8Array): Promise<WebAssembly.Module> {
  let module = compiled.get(wasm);
  if (!module) {
    module = await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>);
    compiled.set(wasm, module);
  }
  return module;
}

/**
 * The main thread's end of a run's tool channel: answers each call the worker posts with the
 * ToolHost's reply (awaiting async tools), then raises the signal the worker waits on.
 */
function serveTools(tools: ToolHost): { channel: ToolChannel; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  port1.on("message", (request: { name: string; args: Uint8Array }) => {
    void tools.call(request.name, request.args).then((reply) => {
      port1.postMessage(reply, [reply.buffer as ArrayBuffer]);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
  });
  return { channel: { port: port2, signal }, close: () => port1.close() };
}

export async function runOnNode(wasm: Uint8Array, limits: EngineLimits, tools?: ToolHost): Promise<EngineRun> {
  let input: WorkerInput;
  try {
    input = { module: await compiledModule(wasm), captureLimit: limits.outputBytes + CAPTURE_SLACK };
  } catch (error) {
    // Not a valid module: let the worker report it the way it always has.
    input = { wasm, captureLimit: limits.outputBytes + CAPTURE_SLACK };
  }
  const served = tools ? serveTools(tools) : null;
  if (served) input.toolChannel = served.channel;
  const worker = takeWorker();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await new Promise<{ kind: "done"; output: WorkerOutput } | { kind: "timeout" } | { kind: "failed"; message: string }>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "timeout" }), limits.wallClockMs);
    worker.once("message", (output: WorkerOutput) => resolve({ kind: "done", output }));
    worker.once("error", (error) => resolve({ kind: "failed", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
    worker.once("exit", (code) => resolve({ kind: "failed", message: `worker exited with code ${code} before reporting` }));
    worker.postMessage(input, served ? [served.channel.port] : []);
  });
  clearTimeout(timer);
  served?.close();
  // The result is in hand: ending the thread need not delay the caller (it is ended either way).
  const ended = worker.terminate();
  if (outcome.kind !== "done") await ended;
  replenishSpare();

  if (outcome.kind === "timeout") {
    return { status: "timeout", stdout: "", stderr: "", fuelUsed: null, engineMessage: `wall-clock limit of ${limits.wallClockMs} ms reached` };
  }
  if (outcome.kind === "failed") {
    const heap = /ERR_WORKER_OUT_OF_MEMORY/.test(outcome.message);
    return { status: heap ? "memory_limit" : "internal_error", stdout: "", stderr: "", fuelUsed: null, engineMessage: outcome.message };
  }
  return classifyOutput(outcome.output, limits);
}

/**
 * The inline engine: the same module run on the caller's thread, without a worker. A cache hit then
 * costs well under a millisecond. The module's own bounds hold (fuel, call depth, memory, output: they
 * are inside it), but there is no wall-clock backstop and the caller's thread is busy until the
 * fuel runs out: for embedders that want latency and accept fuel as the only CPU bound.
 */
export async function runInline(wasm: Uint8Array, limits: EngineLimits, tools?: ToolHost): Promise<EngineRun> {
  let module: WebAssembly.Module;
  try {
    module = await compiledModule(wasm);
  } catch (error) {
    return { status: "internal_error", stdout: "", stderr: "", fuelUsed: null, engineMessage: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  const invoke = tools ? (name: string, args: Uint8Array) => tools.callSync(name, args) : undefined;
  return classifyOutput(runInstance({ module, captureLimit: limits.outputBytes + CAPTURE_SLACK }, invoke), limits);
}

function classifyOutput(output: WorkerOutput, limits: EngineLimits): EngineRun {
  const { programStderr, trailer } = splitTrailer(Buffer.from(output.stderr));
  const stdout = decodeOutput(Buffer.from(output.stdout));
  const stderr = decodeOutput(programStderr);
  if (trailer) {
    return { status: statusForCause(trailer.cause), stdout, stderr, fuelUsed: fuelUsed(trailer, limits.fuel), engineMessage: output.message };
  }
  // No trailer: the module stopped on a trap the runtime did not route (a stelp bug), exited itself,
  // or exhausted the native stack (see endingStatus).
  const status = endingStatus(output.ending, output.message, output.exitCode);
  return { status, stdout, stderr, fuelUsed: null, engineMessage: output.message };
}
