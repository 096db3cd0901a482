// Quick kernel timing for compiler work (not part of bench/perf.mjs's report): builds each kernel
// with stelp and runs the instrumented module in this process `--repeat` times (CPU time, median),
// next to plain node run in a child process, and checks that stdout equals plain node's.
//
//   npx tsc -p tsconfig.json && node bench/lib/perf-quick-kernels.mjs [--kernels a,b] [--repeat N] [--release]
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./datasets.mjs";
import { KERNEL_LIMITS, loadKernels } from "./perf-kernels.mjs";
import { withNonce } from "./perf-nonce.mjs";
import { runStelpInProcess } from "./perf-systems.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const only = opt("--kernels", null)?.split(",") ?? null;
const repeat = Number(opt("--repeat", "3"));
const optimize = args.includes("--release") ? "release" : "fast";
const { buildSource } = await import(new URL("../../dist/src/index.js", import.meta.url).href);
const work = mkdtempSync(join(tmpdir(), "stelp-quick-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const kernel of loadKernels()) {
  if (only && !only.includes(kernel.name)) continue;
  const file = join(work, `${kernel.name}.js`);
  writeFileSync(file, kernel.source);
  const nodeRuns = [];
  let expected = null;
  for (let i = 0; i < repeat; i++) {
    const timerFile = join(work, "timer.json");
    const r = spawnSync(process.execPath, ["-r", join(repoRoot, "bench/lib/perf-node-timer.cjs"), file], { encoding: "utf8", env: { ...process.env, PERF_TIMER_FILE: timerFile } });
    expected ??= r.stdout;
    nodeRuns.push(JSON.parse(readFileSync(timerFile, "utf8")).cpuMs);
  }
  const built = await buildSource(kernel.source, { limits: KERNEL_LIMITS, cache: false, optimize });
  if (!built.wasm) throw new Error(`${kernel.name}: ${built.status} ${JSON.stringify(built.diagnostics)}`);
  const runs = [];
  let stdout = null;
  for (let i = 0; i < repeat; i++) {
    const r = await runStelpInProcess(withNonce(built.wasm, `${i}`), KERNEL_LIMITS);
    stdout ??= r.stdout;
    if (r.status !== "ok") throw new Error(`${kernel.name}: ${r.status}`);
    runs.push(r.cpuMs);
  }
  rows.push({ kernel: kernel.name, node: median(nodeRuns), stelp: median(runs), ratio: median(runs) / median(nodeRuns), same: stdout === expected || `DIFFERENT:\n${stdout}\nvs\n${expected}` });
}
rmSync(work, { recursive: true, force: true });
for (const r of rows) console.log(`${r.kernel.padEnd(8)} node ${r.node.toFixed(1).padStart(7)}  stelp ${r.stelp.toFixed(1).padStart(7)}  ratio ${r.ratio.toFixed(2).padStart(6)}  ${r.same === true ? "same stdout" : r.same}`);
const ratios = rows.map((r) => r.ratio).sort((a, b) => a - b);
if (ratios.length) console.log(`median ratio ${((ratios[(ratios.length - 1) >> 1] + ratios[ratios.length >> 1]) / 2).toFixed(2)}`);
