/**
 * Both engines on the same instrumented modules: same status, same stdout, same metered fuel. In CI
 * wasmtime must be installed (.ci/run does it); elsewhere its half skips with a visible reason.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runOnNode } from "../src/engines/node.js";
import { endingStatus, fuelUsed, splitTrailer, statusForCause } from "../src/engines/result.js";
import { thrownEnding } from "../src/engines/outcome.js";
import { ExitCause } from "../src/instrument.js";
import { DEFAULT_LIMITS } from "../src/policy.js";
import { indexSource } from "../src/targets/esm-files.js";
import { runOnWasmtime, WasmtimeMissingError } from "../src/engines/wasmtime.js";
import { buildAs, testPolicy } from "./helpers/build.js";
import { skipWasmtime } from "./helpers/wasmtime.js";

const programs: Record<string, { body: string; limits?: Parameters<typeof testPolicy>[0]; status: string }> = {
  hello: { body: `__stelp_log_out("héllo wörld ✓ 😀");\n__stelp_log_err("to stderr");\n__stelp_finish();`, status: "ok" },
  infiniteLoop: { body: `let x: f64 = 0;\nwhile (true) { x += 1; }\n__stelp_finish();`, limits: { fuel: 2_000_000 }, status: "fuel_exhausted" },
  deepRecursion: { body: `function r(n: f64): f64 { return r(n + 1) + 1; }\n__stelp_log_out(r(0).toString());\n__stelp_finish();`, limits: { callDepth: 2000 }, status: "call_depth_limit" },
  outputFlood: { body: `while (true) __stelp_log_out("flood flood flood");\n__stelp_finish();`, limits: { outputBytes: 10_000, fuel: 50_000_000 }, status: "output_limit" },
  memoryBomb: { body: `let s = "ab";\nwhile (true) s = s + s;\n__stelp_finish();`, limits: { memoryBytes: 8 * 1024 * 1024, fuel: 200_000_000 }, status: "memory_limit" },
  abort: { body: `const a = new Array<f64>(2);\n__stelp_log_out(a[5].toString());\n__stelp_finish();`, status: "runtime_error" },
};

describe.each(Object.entries(programs))("%s", (_name, program) => {
  const policy = testPolicy(program.limits);

  it("node: ends with the expected status and reports fuel", async () => {
    const run = await runOnNode(await buildAs(program.body, policy), policy.limits);
    expect(run.status).toBe(program.status);
    expect(run.fuelUsed).not.toBeNull();
  });

  it.skipIf(skipWasmtime)("wasmtime: same status, stdout, stderr and fuel as node", async () => {
    const wasm = await buildAs(program.body, policy);
    const [onNode, onWasmtime] = [await runOnNode(wasm, policy.limits), await runOnWasmtime(wasm, policy.limits)];
    expect(onWasmtime.status).toBe(program.status);
    expect(onWasmtime.stdout).toBe(onNode.stdout);
    expect(onWasmtime.stderr).toBe(onNode.stderr);
    expect(onWasmtime.fuelUsed).toBe(onNode.fuelUsed);
  });
});

describe("node engine", () => {
  it("the wall-clock backstop terminates a run and reports timeout", async () => {
    // Fuel far beyond what 300 ms can burn: only the backstop can stop this.
    const policy = testPolicy({ fuel: 1e15, wallClockMs: 300 });
    const run = await runOnNode(await buildAs(`let x: f64 = 0;\nwhile (true) { x += 1; }\n__stelp_finish();`, policy), policy.limits);
    expect(run.status).toBe("timeout");
  });

  it("decodes the output as UTF-8", async () => {
    const policy = testPolicy();
    const run = await runOnNode(await buildAs(programs.hello!.body, policy), policy.limits);
    expect(run.stdout).toBe("héllo wörld ✓ 😀\n");
    expect(run.stderr).toBe("to stderr\n");
  });
});

describe("wasmtime engine", () => {
  it.skipIf(skipWasmtime)("a timeout ends the child and leaves no temp folder behind", async () => {
    const policy = testPolicy({ fuel: 1e15, wallClockMs: 300 });
    const wasm = await buildAs(`let x: f64 = 0;\nwhile (true) { x += 1; }\n__stelp_finish();`, policy);
    // A private TMPDIR: other runs on the machine (benches, other test files) create stelp-* folders too.
    const savedTmp = process.env.TMPDIR;
    const privateTmp = mkdtempSync(join(tmpdir(), "engines-tmp-"));
    process.env.TMPDIR = privateTmp;
    try {
      const run = await runOnWasmtime(wasm, policy.limits);
      expect(run.status).toBe("timeout");
      expect(readdirSync(privateTmp)).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(privateTmp, { recursive: true, force: true });
    }
  });

  it("says how to install wasmtime when it is missing", async () => {
    const saved = process.env.STELP_WASMTIME;
    process.env.STELP_WASMTIME = "/nonexistent/wasmtime";
    try {
      await expect(runOnWasmtime(new Uint8Array(), testPolicy().limits)).rejects.toThrow(WasmtimeMissingError);
      await expect(runOnWasmtime(new Uint8Array(), testPolicy().limits)).rejects.toThrow(/npm run setup:wasmtime/);
    } finally {
      if (saved === undefined) delete process.env.STELP_WASMTIME;
      else process.env.STELP_WASMTIME = saved;
    }
    expect(existsSync("/nonexistent")).toBe(false);
  });
});

describe("trailer", () => {
  it("is found after program output and separated from what follows", () => {
    const bytes = Buffer.concat([Buffer.from("err line\n"), Buffer.from([0xff]), Buffer.from("STELP 1 -5\nError: engine said\n")]);
    const { programStderr, trailer, after } = splitTrailer(bytes);
    expect(programStderr.toString()).toBe("err line\n");
    expect(trailer).toEqual({ cause: 1, fuelRemaining: -5 });
    expect(after.toString()).toBe("Error: engine said\n");
  });

  it("is absent from plain output", () => {
    expect(splitTrailer(Buffer.from("STELP 0 1\n")).trailer).toBeNull();
    // A lone 0xFF before the mark, a mark without its record, a plain Uint8Array.
    const bytes = new Uint8Array([0xff, 0x41, 0xff, ...Buffer.from("STELP 6 10")]);
    expect(splitTrailer(bytes)).toMatchObject({ trailer: { cause: 6, fuelRemaining: 10 } });
    expect(splitTrailer(bytes).programStderr).toEqual(new Uint8Array([0xff, 0x41]));
    expect(splitTrailer(new Uint8Array([0xff, ...Buffer.from("STELP x")])).trailer).toBeNull();
  });

  it("each exit cause has its status (ExitCause's numbers), and the ESM embeds the same functions", () => {
    const statuses: Record<keyof typeof ExitCause, string> = {
      ok: "ok",
      fuel: "fuel_exhausted",
      depth: "call_depth_limit",
      memory: "memory_limit",
      output: "output_limit",
      trap: "trap",
      abort: "runtime_error",
      tool: "tool_limit",
    };
    for (const [name, cause] of Object.entries(ExitCause)) expect(statusForCause(cause), name).toBe(statuses[name as keyof typeof ExitCause]);
    expect(statusForCause(99)).toBe("internal_error");
    expect(fuelUsed({ cause: ExitCause.fuel, fuelRemaining: -3 }, 100)).toBe(100);
    const index = indexSource(DEFAULT_LIMITS, []);
    for (const fn of [splitTrailer, statusForCause, fuelUsed, thrownEnding, endingStatus]) expect(index).toContain(fn.toString());
  });
});
