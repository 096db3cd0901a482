// A child process of bench/perf.mjs: the cold path of one system in a fresh process. Prints one JSON
// line { ms, timings?, status, maxRSS } where ms runs from the start of this module (after node's own
// start-up) to the program's end:
//   stelp:   load dist/, buildSource (first compile: starts the compiler worker) + runModule on node;
//   quickjs: load quickjs-emscripten and its Wasm module, create runtime + context, eval.
//
//   node bench/lib/perf-cold.mjs stelp|quickjs FILE
import { readFileSync } from "node:fs";

const start = performance.now();
const [system, file] = process.argv.slice(2);
const source = readFileSync(file, "utf8");
let out;
if (system === "stelp") {
  const { buildSource, runModule } = await import(new URL("../../dist/src/index.js", import.meta.url).href);
  const built = await buildSource(source, { cache: false });
  const runStart = performance.now();
  const ran = built.wasm ? await runModule(built.wasm, built.policy, "node") : { status: built.status };
  built.timings.run = performance.now() - runStart;
  out = { ms: performance.now() - start, timings: built.timings, status: ran.status };
} else if (system === "quickjs") {
  const { runQuickJS } = await import("./perf-systems.mjs");
  const { defaultPolicy } = await import(new URL("../../dist/src/index.js", import.meta.url).href);
  const loadStart = performance.now();
  const ran = await runQuickJS(source, defaultPolicy().limits, { timeEval: "create+eval" });
  out = { ms: performance.now() - loadStart, status: ran.status };
} else throw new Error(`unknown system ${system}`);
const { peakRss } = await import("./perf-systems.mjs");
process.stdout.write(`\n${JSON.stringify({ ...out, maxRSS: peakRss() })}\n`);
process.exit(0);
