// A small pool of stelp worker processes (bench/lib/stelp-worker.mjs). Each task has a timeout:
// a worker that exceeds it, or dies, is killed and replaced, and the task resolves with what
// happened instead of a result.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./stelp-worker.mjs", import.meta.url));

class Worker {
  constructor() {
    this.child = null;
    this.ready = null;
  }

  start() {
    this.child = fork(WORKER, [], { stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "advanced" });
    this.stderr = "";
    this.child.stderr.on("data", (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message && message.ready) {
          this.child.off("message", onMessage);
          this.child.off("exit", onExit);
          resolve();
        }
      };
      const onExit = (code, signal) => reject(new Error(`stelp worker exited during start-up (code ${code}, signal ${signal}): ${this.stderr.trim()}`));
      this.child.on("message", onMessage);
      this.child.once("exit", onExit);
    });
    return this.ready;
  }

  /** Resolves to { kind: "result", result, ms } | { kind: "error", error, ms } | { kind: "hang", ms } | { kind: "died", error, ms }. */
  async run(task, timeoutMs) {
    if (!this.child) await this.start();
    else await this.ready;
    const child = this.child;
    const start = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value, restart) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (restart) {
          child.kill("SIGKILL");
          this.child = null;
        }
        resolve({ ...value, ms: Math.round((performance.now() - start) * 10) / 10 });
      };
      const onMessage = (message) => {
        if (message.id !== task.id) return;
        if (message.ok) finish({ kind: "result", result: message.result }, false);
        else finish({ kind: "error", error: message.error }, false);
      };
      const onExit = (code, signal) => finish({ kind: "died", error: `stelp worker died (code ${code}, signal ${signal}) ${this.stderr.trim().split("\n").slice(-3).join(" | ")}` }, true);
      const timer = setTimeout(() => finish({ kind: "hang" }, true), timeoutMs);
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
 * Runs `work(item, worker)` for every item with `size` lanes; each lane owns one stelp worker.
 * `onDone(item, value)` is called as each item finishes.
 */
export async function runPool(items, size, work, onDone) {
  let next = 0;
  const lanes = [];
  const workers = [];
  for (let lane = 0; lane < Math.max(1, Math.min(size, items.length)); lane++) {
    const worker = new Worker();
    workers.push(worker);
    lanes.push(
      (async () => {
        while (next < items.length) {
          const item = items[next++];
          const value = await work(item, (task, timeoutMs) => worker.run(task, timeoutMs));
          onDone(item, value);
        }
      })(),
    );
  }
  try {
    await Promise.all(lanes);
  } finally {
    for (const worker of workers) worker.stop();
  }
}
