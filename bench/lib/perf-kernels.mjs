// The compute kernels of bench/perf.mjs (bench/kernels/*.js) and the limits every system runs them
// under. Each kernel's first `const NAME = value; // perf-small: value` line sets its size: "full"
// keeps it (about 0.1–1 s in plain node), "small" substitutes the perf-small value (milliseconds:
// for smoke runs and test/perf-bench.test.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const kernelsDir = fileURLToPath(new URL("../kernels/", import.meta.url));

const SIZE_LINE = /^const (\w+) = ([^;]+); \/\/ perf-small: (\S+)\s*$/m;

/** Applies a size to a kernel's source: "full" (as written) or "small". */
export function sizedSource(source, size = "full") {
  const match = SIZE_LINE.exec(source);
  if (!match) throw new Error("kernel has no `const NAME = value; // perf-small: value` line");
  if (size === "full") return source;
  if (size !== "small") throw new Error(`unknown kernel size ${size}`);
  return source.replace(SIZE_LINE, `const ${match[1]} = ${match[3]}; // perf-small: ${match[3]}`);
}

/** [{ name, file, source }] for every kernel, in name order. */
export function loadKernels({ size = "full", only = null } = {}) {
  return readdirSync(kernelsDir)
    .filter((name) => name.endsWith(".js"))
    .sort()
    .map((name) => ({ name: name.slice(0, -3), file: join(kernelsDir, name), source: sizedSource(readFileSync(join(kernelsDir, name), "utf8"), size) }))
    .filter((kernel) => !only || only.includes(kernel.name));
}

/**
 * Bounds for the kernels, the same for every system that has them: the kernels are long on purpose,
 * so fuel is effectively unbounded (but still metered) and the wall clock is generous.
 */
export const KERNEL_LIMITS = {
  fuel: 1e15,
  memoryBytes: 256 * 1024 * 1024,
  callDepth: 2000,
  outputBytes: 1024 * 1024,
  wallClockMs: 120_000,
};
