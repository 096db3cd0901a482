// A child process of bench/perf.mjs: runs programs on one system and prints one JSON line
// { results: [{ runs: [{ ms, cpuMs, status }], stdout, stderr }], maxRSS } (stdout/stderr of each
// file's first run; maxRSS: this process's peak RSS in bytes). With several files the runs alternate
// between them (a, b, a, b, …) so that both see the same machine load. Each system runs in its own
// process so that its peak RSS is its own.
//
//   node bench/lib/perf-runner.mjs '{"system":"quickjs","files":["…"],"repeat":3,"limits":{…}}'
import { readFileSync } from "node:fs";
import { withNonce } from "./perf-nonce.mjs";
import { loadIsolatedVm, peakRss, runIsolatedVm, runNodeVm, runQuickJS, runStelpInProcess } from "./perf-systems.mjs";

const task = JSON.parse(process.argv[2]);
const { system, files, repeat, limits } = task;
if (system === "isolated-vm" && !loadIsolatedVm().ivm) {
  process.stdout.write(`\n${JSON.stringify({ unavailable: loadIsolatedVm().reason })}\n`);
  process.exit(0);
}
const results = files.map(() => ({ runs: [], stdout: null, stderr: null }));
for (let i = 0; i < repeat; i++) {
  for (let f = 0; f < files.length; f++) {
    const file = files[f];
    let result;
    if (system === "stelp-inprocess") {
      result = await runStelpInProcess(withNonce(readFileSync(file), `${process.pid}-${i}`), limits);
    } else {
      const source = `${readFileSync(file, "utf8")}\n// perf run ${process.pid}-${i}\n`;
      if (system === "quickjs") result = await runQuickJS(source, limits);
      else if (system === "node-vm") result = runNodeVm(source, limits);
      else if (system === "isolated-vm") result = runIsolatedVm(source, limits);
      else throw new Error(`unknown system ${system}`);
    }
    const slot = results[f];
    slot.stdout ??= result.stdout;
    slot.stderr ??= result.stderr;
    slot.runs.push({ ms: result.ms, cpuMs: result.cpuMs, status: result.status });
    result = null;
    globalThis.gc?.(); // one run's garbage (e.g. a Wasm instance's memory) must not add to the next run's peak RSS
  }
}
process.stdout.write(`\n${JSON.stringify({ results, maxRSS: peakRss() })}\n`);
