/**
 * The compute kernels of bench/perf.mjs (bench/kernels/*.js), at their small size, through stelp on
 * the node engine: each must be accepted and print exactly what plain node prints. Correctness only:
 * timing is never asserted here (bench/perf.mjs measures it). PERF_KERNEL_SIZE=full runs the bench's
 * own sizes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runSource } from "../src/pipeline.js";
// @ts-expect-error: a plain .mjs module of the bench, without type declarations
import { KERNEL_LIMITS, loadKernels } from "../bench/lib/perf-kernels.mjs";

interface Kernel {
  name: string;
  source: string;
}

const size = process.env.PERF_KERNEL_SIZE === "full" ? "full" : "small";
const kernels = loadKernels({ size }) as Kernel[];
const dir = mkdtempSync(join(tmpdir(), "stelp-perf-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plainNode(kernel: Kernel): string {
  const file = join(dir, `${kernel.name}.js`);
  writeFileSync(file, kernel.source);
  const run = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 120_000 });
  expect(run.status, `plain node failed on ${kernel.name}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

describe("bench/perf.mjs kernels", () => {
  it("are all there", () => {
    expect(kernels.map((k) => k.name)).toEqual(expect.arrayContaining(["fib", "sieve", "nbody", "strings", "sort", "matmul", "collatz", "maps"]));
  });

  it.each(kernels.map((k) => [k.name, k] as const))("%s: stelp (node engine) prints what plain node prints", async (_name, kernel) => {
    const expected = plainNode(kernel);
    expect(expected.length).toBeGreaterThan(0);
    const result = await runSource(kernel.source, { limits: KERNEL_LIMITS, engine: "node" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.status).toBe("ok");
    expect(result.stdout).toBe(expected);
    expect(result.stderr).toBe("");
  }, 300_000);

  it("an unmetered build (meterFuel: false, bench-only) prints the same and charges no fuel", async () => {
    const kernel = kernels.find((k) => k.name === "fib")!;
    const metered = await runSource(kernel.source, { limits: KERNEL_LIMITS, cache: false });
    const unmetered = await runSource(kernel.source, { limits: KERNEL_LIMITS, cache: false, meterFuel: false });
    expect(unmetered.status).toBe("ok");
    expect(unmetered.stdout).toBe(metered.stdout);
    expect(metered.fuel.used).toBeGreaterThan(0);
    expect(unmetered.fuel.used).toBe(0);
  }, 300_000);
});
