// Runs a program under plain node, the reference of bench/correctness.mjs: `node -r
// node-preload.cjs FILE` in a private temporary folder, with a wall-clock timeout and an output cap.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PRELOAD = fileURLToPath(new URL("./node-preload.cjs", import.meta.url));
const MARK = Buffer.from("\u0000STELP-BENCH-UNCAUGHT\u0000\n");
const OUTPUT_CAP = 8 * 1024 * 1024;

/**
 * Resolves to { exitCode, signal, stdout, stderr, uncaught, timedOut, ms }: `stderr` is the
 * program's own stderr (Node's report of an uncaught exception is cut off), `uncaught` the first line
 * of that exception (`TypeError: x is not a function`, or the thrown string) or null.
 */
export function runNode(source, { timeoutMs = 20_000, name = "program" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "stelp-bench-node-"));
  const file = join(dir, `${name.replace(/[^\w.-]+/g, "_")}.js`);
  const uncaughtFile = join(dir, "uncaught.json");
  writeFileSync(file, source);
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-r", PRELOAD, file], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", STELP_BENCH_UNCAUGHT_FILE: uncaughtFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out = [];
    const err = [];
    let size = 0;
    let timedOut = false;
    let capped = false;
    const collect = (chunks) => (chunk) => {
      size += chunk.length;
      if (size > OUTPUT_CAP) {
        capped = true;
        child.kill("SIGKILL");
        return;
      }
      chunks.push(chunk);
    };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - start;
      const stderrBytes = Buffer.concat(err);
      const at = stderrBytes.indexOf(MARK);
      let uncaught = null;
      if (at >= 0) {
        try {
          uncaught = JSON.parse(readFileSync(uncaughtFile, "utf8")).headline;
        } catch {
          uncaught = "<unknown uncaught error>";
        }
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: (at >= 0 ? stderrBytes.subarray(0, at) : stderrBytes).toString("utf8"),
        uncaught,
        timedOut,
        capped,
        ms: Math.round(ms * 10) / 10,
      });
    });
  });
}
