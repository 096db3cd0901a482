/**
 * A pool of child processes (./pool-worker.ts) that run safety items for runSafetyDataset's `run`
 * option (src/safety/harness.ts). Running items out of process keeps the bench alive when stelp
 * itself hangs or blows up on a hostile item (in the parser or checker, which run synchronously): a
 * child that exceeds the per-item timeout, or dies, is killed and replaced, and the item's run
 * rejects with what happened (the harness records it as internal-error with that note).
 *
 * Children get a capped V8 heap (the compile worker thread has its own cap) and, with the cache on,
 * a shared on-disk module cache in a temporary folder that close() removes.
 *
 * Used by `stelp bench` (./command.ts) and bench/safety.mjs (from dist/).
 */
import { fork, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunOptions } from "../pipeline.js";
import { packageRoot } from "../paths.js";
import type { SafetyRunContext, SafetyRunner, SafetyRunnerResult } from "../safety/harness.js";

/** The worker's compiled file: beside this one in dist/, or dist/'s copy when this runs from src/ (tests). */
function workerPath(): string {
  const here = fileURLToPath(new URL("./pool-worker.js", import.meta.url));
  if (existsSync(here)) return here;
  const built = join(packageRoot(), "dist", "src", "bench", "pool-worker.js");
  if (existsSync(built)) return built;
  throw new Error(`the bench pool worker is not built (${built}): run \`npx tsc -p tsconfig.json\``);
}

interface Task {
  id: string;
  source: string;
  options: RunOptions;
  context: { envName: string; secret: string };
  cache: boolean;
}

type Reply = { id: string; stage?: string; ok?: boolean; result?: SafetyRunnerResult; error?: string; ready?: boolean };

class Child {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private stderr = "";

  constructor(
    private readonly worker: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly heapMb: number,
  ) {}

  private start(): Promise<void> {
    const child = fork(this.worker, [], { stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "advanced", env: this.env, execArgv: [`--max-old-space-size=${this.heapMb}`] });
    this.child = child;
    this.stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: Reply) => {
        if (message && message.ready) {
          child.off("message", onMessage);
          child.off("exit", onExit);
          resolve();
        }
      };
      const onExit = (code: number | null, signal: string | null) => reject(new Error(`bench worker exited during start-up (code ${code}, signal ${signal}): ${this.stderr.trim()}`));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
    return this.ready;
  }

  async run(task: Task, timeoutMs: number): Promise<SafetyRunnerResult> {
    if (!this.child) {
      try {
        await this.start();
      } catch (error) {
        this.stop();
        throw error;
      }
    } else await this.ready;
    const child = this.child!;
    return new Promise<SafetyRunnerResult>((resolve, reject) => {
      let settled = false;
      let stage = "starting";
      const finish = (fn: () => void, restart: boolean) => {
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
      const where = () => (stage === "checking" ? "in parse/check" : stage === "checked" ? "after parse/check (compile or run)" : "before parse/check");
      const onMessage = (message: Reply) => {
        if (message.id !== task.id) return;
        if (message.stage) {
          stage = message.stage;
          return;
        }
        if (message.ok) finish(() => resolve(message.result!), false);
        else finish(() => reject(new Error(message.error)), false);
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish(() => reject(new Error(`stelp died ${where()} on this item (worker exit code ${code}, signal ${signal}) ${this.stderr.trim().split("\n").slice(-2).join(" | ")}`.trim())), true);
      const timer = setTimeout(() => finish(() => reject(new Error(`stelp hung ${where()}: no result within ${timeoutMs} ms (worker killed)`)), true), timeoutMs);
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send(task);
    });
  }

  stop(): void {
    if (this.child) this.child.kill("SIGKILL");
    this.child = null;
  }
}

export interface PoolOptions {
  /** Child processes, i.e. items at once (default 2). */
  size?: number;
  /** Share a module cache between the children in a temporary folder (default true). */
  cache?: boolean;
  /** A child that has not answered within this is killed and replaced (default 90 s). */
  timeoutMs?: number;
  /** Each child's V8 heap cap, MB (default 1536). */
  heapMb?: number;
}

export interface SafetyPool {
  /** runSafetyDataset's `run` option; at most `size` items run at once. */
  run: SafetyRunner;
  /** Kills the children and removes the cache folder. Idempotent. */
  close(): void;
  cacheDir: string | null;
  size: number;
}

export function createSafetyPool({ size = 2, cache = true, timeoutMs = 90_000, heapMb = 1536 }: PoolOptions = {}): SafetyPool {
  const worker = workerPath();
  const cacheDir = cache ? mkdtempSync(join(tmpdir(), "stelp-safety-cache-")) : null;
  const env = { ...process.env };
  if (cacheDir) env.STELP_CACHE_DIR = cacheDir;
  else delete env.STELP_CACHE_DIR;
  const idle = Array.from({ length: Math.max(1, size) }, () => new Child(worker, env, heapMb));
  const all = [...idle];
  const waiting: ((child: Child) => void)[] = [];
  let nextTask = 0;
  let closed = false;
  const acquire = () => (idle.length > 0 ? Promise.resolve(idle.pop()!) : new Promise<Child>((resolve) => waiting.push(resolve)));
  const release = (child: Child) => {
    const next = waiting.shift();
    if (next) next(child);
    else idle.push(child);
  };
  return {
    cacheDir,
    size: all.length,
    async run(source: string, options: RunOptions, context: SafetyRunContext) {
      const child = await acquire();
      try {
        const { cache: _cache, ...rest } = options;
        return await child.run({ id: `${context.id}#${nextTask++}`, source, options: rest, context: { envName: context.envName, secret: context.secret }, cache }, timeoutMs);
      } finally {
        release(child);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      for (const child of all) child.stop();
      if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
