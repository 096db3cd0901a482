/**
 * Runs one instrumented module with the WASI subset of ./wasi.ts and returns the captured bytes and
 * how it ended. Used by the node engine's worker thread (./worker.ts) and by the inline engine
 * (src/engines/node.ts, runInline), which runs it on the caller's thread.
 */
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

export function runInstance(input: WorkerInput): WorkerOutput {
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

