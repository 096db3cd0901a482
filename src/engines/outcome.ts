/**
 * How a run ended, read from what the module left: the trailer it writes to stderr when it stops
 * (host-bindings/assembly/io.ts) and how its `_start` call ended. One copy for every place that runs
 * a module: the node and inline engines (./node.ts), the wasmtime engine's trailer (./wasmtime.ts),
 * and the generated ESM (src/targets/esm-files.ts), which embeds these functions' own source text so
 * that it needs no stelp at run time.
 *
 * So each function here must be self-contained: no imports (types excepted), no references to
 * anything outside its own body. test/engines.test.ts checks the cause table against ExitCause.
 */
import type { RunStatus } from "./result.js";

export interface Trailer {
  cause: number;
  fuelRemaining: number;
}

/** How the module's `_start` call ended: returned, trapped, called proc_exit, or threw something else. */
export type Ending = "returned" | "trap" | "exit" | "error";

/**
 * Splits stderr bytes into the program's own stderr, the trailer, and what followed the trailer (an
 * engine's error message). The trailer starts with 0xFF "STELP "; 0xFF never appears in the UTF-8
 * the runtime writes, so the first mark is the trailer. Works on any Uint8Array (a Buffer stays one).
 */
export function splitTrailer<B extends Uint8Array>(stderr: B): { programStderr: B; trailer: Trailer | null; after: B } {
  const mark = [0xff, 0x53, 0x54, 0x45, 0x4c, 0x50, 0x20];
  let at = -1;
  search: for (let i = stderr.indexOf(0xff); i >= 0 && i + mark.length <= stderr.length; i = stderr.indexOf(0xff, i + 1)) {
    for (let j = 1; j < mark.length; j++) if (stderr[i + j] !== mark[j]) continue search;
    at = i;
    break;
  }
  if (at < 0) return { programStderr: stderr, trailer: null, after: stderr.subarray(stderr.length) as B };
  const newline = stderr.indexOf(0x0a, at);
  const end = newline < 0 ? stderr.length : newline;
  let record = "";
  for (let i = at + mark.length; i < end; i++) record += String.fromCharCode(stderr[i]!);
  const match = /^(\d+) (-?\d+)$/.exec(record);
  const trailer = match ? { cause: Number(match[1]), fuelRemaining: Number(match[2]) } : null;
  return { programStderr: stderr.subarray(0, at) as B, trailer, after: stderr.subarray(newline < 0 ? stderr.length : newline + 1) as B };
}

/** The status of a trailer's exit cause (the numbers of ExitCause in src/instrument.ts). */
export function statusForCause(cause: number): RunStatus {
  const statuses: RunStatus[] = ["ok", "fuel_exhausted", "call_depth_limit", "memory_limit", "output_limit", "trap", "runtime_error", "tool_limit"];
  return statuses[cause] ?? "internal_error";
}

/** Fuel used according to the trailer: exhaustion (cause 1) always reports exactly the limit. */
export function fuelUsed(trailer: Trailer | null, limit: number): number | null {
  if (!trailer) return null;
  if (trailer.cause === 1) return limit;
  return Math.max(0, Math.min(limit, limit - trailer.fuelRemaining));
}

/**
 * How `_start` ended when it threw: the runtime's exit (an instance of the host's exit class, which
 * carries the code), a WebAssembly trap, or anything else (an engine error such as stack exhaustion).
 */
export function thrownEnding(error: unknown, ExitError: abstract new (...args: never[]) => { code: number; message: string }): { ending: Ending; message: string; exitCode?: number } {
  if (error instanceof ExitError) return { ending: "exit", message: error.message, exitCode: error.code };
  if (error instanceof WebAssembly.RuntimeError) return { ending: "trap", message: error.message };
  return { ending: "error", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/**
 * The status of a run that ended without a trailer: a trap the runtime did not route (a stelp bug),
 * a module that exited by itself, or native stack exhaustion. V8 reports the last as a RangeError,
 * not a trap (frames large enough exhaust the stack before the metered call depth); wasmtime's "call
 * stack exhausted" is call_depth_limit too (./wasmtime.ts), so both engines agree (without fuel).
 */
export function endingStatus(ending: Ending, message: string, exitCode: number | undefined): RunStatus {
  if (ending === "error" && /^RangeError: Maximum call stack size exceeded/.test(message)) return "call_depth_limit";
  if (ending === "error") return "internal_error";
  return ending === "exit" && exitCode === 0 ? "ok" : "trap";
}
