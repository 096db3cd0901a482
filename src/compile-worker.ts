/**
 * A warm AssemblyScript compiler in a worker thread: src/compile.ts sends it emitted sources and
 * enforces a deadline by terminating it, so a pathological snippet cannot hang or exhaust the host
 * process at compile time, and repeated compiles reuse a loaded compiler.
 */
import { parentPort } from "node:worker_threads";
import type { CompileOptions, CompileResult } from "./compile.js";

export interface CompileRequest {
  id: number;
  source: string;
  options: CompileOptions;
}

export interface CompileReply {
  id: number;
  result: CompileResult;
}

// binaryen prints validation failures through console; compile errors come back as diagnostics, so
// silence it before binaryen binds the console (hence the dynamic import below).
console.log = () => {};
console.error = () => {};
console.warn = () => {};
const { compileInProcess } = await import("./compile.js");

parentPort?.on("message", (request: CompileRequest) => {
  void compileInProcess(request.source, request.options).then((result) => {
    const reply: CompileReply = { id: request.id, result };
    parentPort!.postMessage(reply);
  });
});
