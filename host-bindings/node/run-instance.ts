/**
 * Runs one instrumented module with the WASI subset of ./wasi.ts and returns the captured bytes and
 * how it ended. Used by the node engine's worker thread (./worker.ts) and by the inline engine
 * (src/engines/node.ts, runInline), which runs it on the caller's thread.
 */
import type { MessagePort } from "node:worker_threads";
import { thrownEnding } from "../../src/engines/outcome.js";
import { createWasiHost, ProcExit } from "./wasi.js";

export interface WorkerInput {
  /** The module, compiled by the main thread (which keeps it for cached bytes), or its bytes. */
  module?: WebAssembly.Module;
  wasm?: Uint8Array;
  captureLimit: number;
  /** The node engine's worker: where tool calls go (see ./worker.ts). */
  toolChannel?: ToolChannel;
}

/** The worker's line to the main thread, which runs the tools: a port, and a flag to wait on. */
export interface ToolChannel {
  port: MessagePort;
  /** Int32Array over 4 bytes: the main thread sets it to 1 after posting a reply. */
  signal: SharedArrayBuffer;
}

/** Runs one tool call to its reply (src/tools.ts ToolHost: directly, or across threads). */
export type ToolInvoker = (name: string, args: Uint8Array) => Uint8Array;

/**
 * The `stelp_tools` imports the module declares: one per tool it calls, each handing the encoded
 * arguments to `invoke` and keeping the reply for `__result`, which copies it into the module.
 */
export function toolImports(module: WebAssembly.Module, invoke: ToolInvoker | undefined, memory: () => WebAssembly.Memory | undefined): Record<string, (...args: number[]) => number | void> {
  const imports: Record<string, (...args: number[]) => number | void> = {};
  let pending: Uint8Array | null = null;
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.module !== "stelp_tools" || entry.kind !== "function") continue;
    if (entry.name === "__result") {
      imports.__result = (ptr: number) => {
        const mem = memory();
        if (!mem || !pending) throw new Error("stelp: a tool reply was fetched without a call");
        new Uint8Array(mem.buffer).set(pending, ptr >>> 0);
        pending = null;
      };
      continue;
    }
    const name = entry.name;
    imports[name] = (ptr: number, length: number) => {
      const mem = memory();
      if (!mem) throw new Error("stelp: a tool was called before the module's memory was bound");
      if (!invoke) throw new Error(`stelp: the module calls the tool ${name} but the run has no tools`);
      // A copy: the module's memory may grow (and move) while the host works.
      const args = new Uint8Array(mem.buffer, ptr >>> 0, length >>> 0).slice();
      pending = invoke(name, args);
      return pending.byteLength;
    };
  }
  return imports;
}

export interface WorkerOutput {
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** "returned", "trap" (a WebAssembly.RuntimeError), "exit" (proc_exit) or "error" (anything else). */
  ending: "returned" | "trap" | "exit" | "error";
  message: string;
  exitCode?: number;
}

/**
 * @param invokeTool how tool calls are answered: the inline engine passes its ToolHost; the worker
 *   builds one from input.toolChannel.
 */
export function runInstance(input: WorkerInput, invokeTool?: ToolInvoker): WorkerOutput {
  const host = createWasiHost(input.captureLimit);
  let ending: WorkerOutput["ending"] = "returned";
  let message = "";
  let exitCode: number | undefined;
  try {
    const module = input.module ?? new WebAssembly.Module(input.wasm as Uint8Array<ArrayBuffer>);
    let memory: WebAssembly.Memory | undefined;
    const tools = toolImports(module, invokeTool, () => memory);
    const imports = Object.keys(tools).length > 0 ? { ...host.imports, stelp_tools: tools } : host.imports;
    const instance = new WebAssembly.Instance(module, imports);
    memory = instance.exports.memory as WebAssembly.Memory;
    host.bindMemory(memory);
    (instance.exports._start as () => void)();
  } catch (error) {
    ({ ending, message, exitCode } = thrownEnding(error, ProcExit));
  }
  return {
    stdout: Buffer.concat(host.output.stdout),
    stderr: Buffer.concat(host.output.stderr),
    ending,
    message,
    ...(exitCode === undefined ? {} : { exitCode }),
  };
}

