// Preloaded (`node -r`) into plain-node runs of bench/perf.mjs: times the program from just before
// node loads it (after node's own start-up) to process exit, in wall and CPU time (user + system, all
// threads), and records the process's peak RSS (VmHWM). Writes { ms, cpuMs, maxRSS } (bytes) to the
// file named by PERF_TIMER_FILE.
"use strict";
const fs = require("node:fs");
const file = process.env.PERF_TIMER_FILE;
delete process.env.PERF_TIMER_FILE;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const start = performance.now();
const startCpu = cpu();
process.on("exit", () => {
  const ms = performance.now() - start;
  const cpuMs = cpu() - startCpu;
  let maxRSS = process.resourceUsage().maxRSS * 1024;
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (match) maxRSS = Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  if (file) fs.writeFileSync(file, JSON.stringify({ ms, cpuMs, maxRSS }));
});
