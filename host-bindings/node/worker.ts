/**
 * The node engine's worker thread: instantiates one instrumented module with the WASI subset of
 * ./wasi.ts, runs `_start`, and posts back the captured bytes. The main thread's wall-clock backstop
 * terminates this worker if it runs too long.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createWasiHost, ProcExit } from "./wasi.js";

export interface WorkerInput {
  wasm: Uint8Array;
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
    const module = new WebAssembly.Module(input.wasm as Uint8Array<ArrayBuffer>);
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

parentPort?.postMessage(run(workerData as WorkerInput));
