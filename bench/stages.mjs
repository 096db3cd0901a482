#!/usr/bin/env node
// Per-stage latency of the pipeline on the bundled examples, and execution time of the compute
// example on each engine next to plain node, measured in the same run (ratios, not absolute times,
// are what to compare: these machines are shared and noisy).
//
//   npm run build && node bench/stages.mjs [--repeat N]
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSource, findWasmtime } from "../dist/src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const repeat = Number(process.argv[process.argv.indexOf("--repeat") + 1]) || 5;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const examples = readdirSync(join(root, "examples"))
  .filter((name) => name.endsWith(".js"))
  .map((name) => ({ name, source: readFileSync(join(root, "examples", name), "utf8") }))
  .filter(({ source }) => /^\/\/ expect: ok/.test(source));

console.log(`stelp pipeline stages, ${repeat} runs per example (ms; first run includes compiler warm-up)`);
console.log(["example", "stage", "p50", "p95", "first"].map((s) => s.padEnd(14)).join(""));
for (const { name, source } of examples) {
  const runs = [];
  for (let i = 0; i < repeat; i++) runs.push((await runSource(source)).timings);
  for (const stage of Object.keys(runs[0])) {
    const values = runs.map((t) => t[stage]);
    console.log([name, stage, percentile(values, 50).toFixed(1), percentile(values, 95).toFixed(1), values[0].toFixed(1)].map((s) => String(s).padEnd(14)).join(""));
  }
}

// Execution: the run stage of examples/collatz.js on each engine vs plain `node examples/collatz.js`.
const collatz = readFileSync(join(root, "examples", "collatz.js"), "utf8");
const time = (fn) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const plain = [];
for (let i = 0; i < repeat; i++) plain.push(time(() => spawnSync(process.execPath, [join(root, "examples", "collatz.js")])));
const engines = findWasmtime() ? ["node", "wasmtime"] : ["node"];
console.log("\ncollatz.js execution (process or worker start included), median ms and ratio to plain node");
const plainMedian = percentile(plain, 50);
console.log(`plain node     ${plainMedian.toFixed(1)}  1.00x`);
for (const engine of engines) {
  const runs = [];
  for (let i = 0; i < repeat; i++) runs.push((await runSource(collatz, { engine })).timings.run);
  const median = percentile(runs, 50);
  console.log(`stelp ${engine.padEnd(9)}${median.toFixed(1)}  ${(median / plainMedian).toFixed(2)}x`);
}
if (engines.length === 1) console.log("(wasmtime not installed: run `npm run setup:wasmtime` to include it)");
