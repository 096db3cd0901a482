// A pool of child processes (bench/lib/safety-worker.mjs) that run safety items for
// runSafetyDataset's `run` option. Running items out of process keeps the bench alive when stelp
// itself hangs or blows up on a hostile item (in the parser or checker, which run synchronously): a
// child that exceeds the per-item timeout, or dies, is killed and replaced, and the item's run
// rejects with what happened (the harness records it as internal-error with that note).
//
// Children get a capped V8 heap (the compile worker thread has its own cap) and, with the cache on,
// a shared on-disk module cache in a temporary folder that close() removes.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./safety-worker.mjs", import.meta.url));

class Child {
  constructor(env, heapMb) {
    this.env = env;
    this.heapMb = heapMb;
    this.child = null;
    this.ready = null;
    this.stderr = "";
  }

  start() {
    this.child = fork(WORKER, [], { stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "advanced", env: this.env, execArgv: [`--max-old-space-size=${this.heapMb}`] });
    this.stderr = "";
    this.child.stderr.on("data", (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    const child = this.child;
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message && message.ready) {
          child.off("message", onMessage);
          child.off("exit", onExit);
          resolve();
        }
      };
      const onExit = (code, signal) => reject(new Error(`safety worker exited during start-up (code ${code}, signal ${signal}): ${this.stderr.trim()}`));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
    return this.ready;
  }

  async run(task, timeoutMs) {
    if (!this.child) await this.start();
    else await this.ready;
    const child = this.child;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn, restart) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (restart) {
          child.kill("SIGKILL");
          if (this.child === child) this.child = null;
        }
        fn();
      };
      let stage = "starting";
      const where = () => (stage === "checking" ? "in parse/check" : stage === "checked" ? "after parse/check (compile or run)" : "before parse/check");
      const onMessage = (message) => {
        if (message.id !== task.id) return;
        if (message.stage) {
          stage = message.stage;
          return;
        }
        if (message.ok) finish(() => resolve(message.result), false);
        else finish(() => reject(new Error(message.error)), false);
      };
      const onExit = (code, signal) =>
        finish(() => reject(new Error(`stelp died ${where()} on this item (worker exit code ${code}, signal ${signal}) ${this.stderr.trim().split("\n").slice(-2).join(" | ")}`.trim())), true);
      const timer = setTimeout(() => finish(() => reject(new Error(`stelp hung ${where()}: no result within ${timeoutMs} ms (worker killed)`)), true), timeoutMs);
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send(task);
    });
  }

  stop() {
    if (this.child) this.child.kill("SIGKILL");
    this.child = null;
  }
}

/**
 * createSafetyPool({ size, cache, timeoutMs, heapMb }) → { run, close }: `run` has the signature of
 * runSafetyDataset's `run` option; at most `size` items run at once.
 */
export function createSafetyPool({ size = 2, cache = true, timeoutMs = 90_000, heapMb = 1536 } = {}) {
  const cacheDir = cache ? mkdtempSync(join(tmpdir(), "stelp-safety-cache-")) : null;
  const env = { ...process.env };
  if (cacheDir) env.STELP_CACHE_DIR = cacheDir;
  else delete env.STELP_CACHE_DIR;
  const idle = Array.from({ length: size }, () => new Child(env, heapMb));
  const all = [...idle];
  const waiting = [];
  let nextTask = 0;
  const acquire = () => (idle.length > 0 ? Promise.resolve(idle.pop()) : new Promise((resolve) => waiting.push(resolve)));
  const release = (child) => {
    const next = waiting.shift();
    if (next) next(child);
    else idle.push(child);
  };
  return {
    cacheDir,
    async run(source, options, context) {
      const child = await acquire();
      try {
        const { cache: _cache, ...rest } = options;
        return await child.run({ id: `${context.id}#${nextTask++}`, source, options: rest, context: { envName: context.envName, secret: context.secret }, cache }, timeoutMs);
      } finally {
        release(child);
      }
    },
    close() {
      for (const child of all) child.stop();
      if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
