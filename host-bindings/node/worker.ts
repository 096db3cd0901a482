/**
 * The node engine's worker thread: instantiates one instrumented module with the WASI subset of
 * ./wasi.ts, runs `_start`, and posts back the captured bytes. The main thread's wall-clock backstop
 * terminates this worker if it runs too long.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createWasiHost, ProcExit } from "./wasi.js";

export interface WorkerInput {
  /** The module, compiled by the main thread (which keeps it for cached bytes), or its bytes. */
  module?: WebAssembly.Module;
  wasm?: Uint8Array;
  captureLimit: number;
}

export interface WorkerOutput {
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** "returned", "trap" (a WebAssembly.RuntimeError), "exit" (proc_exit) or "error" (anything else). */
  ending: "returned" | "trap" | "exit" | "error";
  message: string;
  exitCode?: number;
}

function run(input: WorkerInput): WorkerOutput {
  const host = createWasiHost(input.captureLimit);
  let ending: WorkerOutput["ending"] = "returned";
  let message = "";
  let exitCode: number | undefined;
  try {
    const module = input.module ?? new WebAssembly.Module(input.wasm as Uint8Array<ArrayBuffer>);
    const instance = new WebAssembly.Instance(module, host.imports);
    host.bindMemory(instance.exports.memory as WebAssembly.Memory);
    (instance.exports._start as () => void)();
  } catch (error) {
    if (error instanceof ProcExit) {
      ending = "exit";
      exitCode = error.code;
      message = error.message;
    } else if (error instanceof WebAssembly.RuntimeError) {
      ending = "trap";
      message = error.message;
    } else {
      ending = "error";
      message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return {
    stdout: Buffer.concat(host.output.stdout),
    stderr: Buffer.concat(host.output.stderr),
    ending,
    message,
    ...(exitCode === undefined ? {} : { exitCode }),
  };
}

// The input comes as workerData, or, for a worker started ahead of time (src/engines/node.ts keeps
// one spare so that a run does not wait for a thread to boot), as the first message.
if (workerData) parentPort?.postMessage(run(workerData as WorkerInput));
else parentPort?.once("message", (input: WorkerInput) => parentPort?.postMessage(run(input)));
