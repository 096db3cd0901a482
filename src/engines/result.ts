/**
 * What an engine reports, and how a run's end is classified. Both engines decode the same trailer
 * record (see host-bindings/assembly/io.ts) so that the same program gets the same status and fuel.
 */
import { ExitCause } from "../instrument.js";

export type RunStatus =
  | "ok"
  | "rejected"
  | "fuel_exhausted"
  | "memory_limit"
  | "call_depth_limit"
  | "output_limit"
  | "tool_limit"
  | "timeout"
  | "trap"
  | "runtime_error"
  | "engine_unavailable"
  | "internal_error";

/** Process exit codes, documented in README. */
export const EXIT_CODES: Record<RunStatus, number> = {
  ok: 0,
  internal_error: 1,
  rejected: 2,
  fuel_exhausted: 3,
  memory_limit: 4,
  call_depth_limit: 5,
  output_limit: 6,
  timeout: 7,
  trap: 8,
  runtime_error: 8,
  tool_limit: 9,
  engine_unavailable: 69,
};
/** Bad command line. */
export const USAGE_EXIT_CODE = 64;
/** The policy file is missing, not JSON, or invalid. */
export const POLICY_EXIT_CODE = 78;

/** "inline": the node engine's runner on the caller's thread (no worker, no wall-clock backstop). */
export type EngineName = "node" | "wasmtime" | "inline";

/** The limits an engine enforces as its own second guard, and the wall-clock backstop. */
export interface EngineLimits {
  fuel: number;
  memoryBytes: number;
  outputBytes: number;
  wallClockMs: number;
  callDepth: number;
}

export interface EngineRun {
  status: RunStatus;
  stdout: string;
  stderr: string;
  /** Fuel units used, from the module's own meter; null when the run ended without a trailer. */
  fuelUsed: number | null;
  /** What the engine itself said (a trap message, a timeout), for diagnostics. */
  engineMessage: string;
}

export interface Trailer {
  cause: number;
  fuelRemaining: number;
}

const TRAILER_MARK = Buffer.from([0xff, 0x53, 0x54, 0x45, 0x4c, 0x50, 0x20]); // 0xFF "STELP "

/**
 * Splits stderr bytes into the program's own stderr, the trailer, and what followed the trailer (an
 * engine's error message). 0xFF never appears in the UTF-8 the runtime writes, so the first mark is
 * the trailer.
 */
export function splitTrailer(stderr: Buffer): { programStderr: Buffer; trailer: Trailer | null; after: Buffer } {
  const at = stderr.indexOf(TRAILER_MARK);
  if (at < 0) return { programStderr: stderr, trailer: null, after: Buffer.alloc(0) };
  const end = stderr.indexOf(0x0a, at);
  const record = stderr.subarray(at + TRAILER_MARK.length, end < 0 ? stderr.length : end).toString("latin1");
  const match = /^(\d+) (-?\d+)$/.exec(record);
  const trailer = match ? { cause: Number(match[1]), fuelRemaining: Number(match[2]) } : null;
  return { programStderr: stderr.subarray(0, at), trailer, after: end < 0 ? Buffer.alloc(0) : stderr.subarray(end + 1) };
}

export function statusForCause(cause: number): RunStatus {
  switch (cause) {
    case ExitCause.ok:
      return "ok";
    case ExitCause.fuel:
      return "fuel_exhausted";
    case ExitCause.depth:
      return "call_depth_limit";
    case ExitCause.memory:
      return "memory_limit";
    case ExitCause.output:
      return "output_limit";
    case ExitCause.trap:
      return "trap";
    case ExitCause.abort:
      return "runtime_error";
    case ExitCause.tool:
      return "tool_limit";
    default:
      return "internal_error";
  }
}

/** Fuel used according to the trailer: exhaustion always reports exactly the limit. */
export function fuelUsed(trailer: Trailer | null, limit: number): number | null {
  if (!trailer) return null;
  if (trailer.cause === ExitCause.fuel) return limit;
  return Math.max(0, Math.min(limit, limit - trailer.fuelRemaining));
}

/** Decodes captured bytes as Node would print them (invalid UTF-8 → U+FFFD). */
export function decodeOutput(bytes: Buffer): string {
  return bytes.toString("utf8");
}
