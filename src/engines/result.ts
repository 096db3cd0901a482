/**
 * What an engine reports, and how a run's end is classified. Both engines decode the same trailer
 * record (see host-bindings/assembly/io.ts) so that the same program gets the same status and fuel.
 */

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

export { endingStatus, fuelUsed, splitTrailer, statusForCause, type Ending, type Trailer } from "./outcome.js";

/** Decodes captured bytes as Node would print them (invalid UTF-8 → U+FFFD). */
export function decodeOutput(bytes: Buffer): string {
  return bytes.toString("utf8");
}
