/**
 * A pool of child processes (./pool-worker.ts) that run snippets with runSource. Running them out of
 * process keeps a bench alive when stelp itself hangs or blows up on a hostile item (in the parser or
 * checker, which run synchronously): a child that exceeds the per-item timeout, or dies, is killed
 * and replaced, and the item ends with what happened (a PoolOutcome).
 *
 * Children get a capped V8 heap (the compile worker thread has its own cap) and, with the cache on,
 * a shared on-disk module cache in a temporary folder that close() removes.
 *
 * Two faces of the same lanes: createSafetyPool, runSafetyDataset's `run` option (src/safety/harness.ts;
 * `stelp bench`, bench/safety.mjs), which rejects with the outcome's note (the harness records it as
 * internal-error); and createRunPool (bench/correctness.mjs), which returns every outcome.
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

/** One run in a child (./pool-worker.ts reads the same shape). */
export interface Task {
  id: string;
  source: string;
  options: RunOptions;
  /** A safety item's canary variable, set in the child's environment for the run. */
  context?: { envName: string; secret: string };
  cache: boolean;
}

type Reply = { id: string; stage?: string; ok?: boolean; result?: SafetyRunnerResult; error?: string; ready?: boolean };

/**
 * How one task ended in a child: its result; an error stelp threw; no answer within the timeout
 * ("hang", the child was killed); or the child died. `stage` says how far the child got: "checking"
 * (in parse/check, synchronous in the child), "checked" (compile or run) or "starting".
 */
export type PoolOutcome =
  | { kind: "result"; result: SafetyRunnerResult; ms: number }
  | { kind: "error"; error: string; ms: number }
  | { kind: "hang"; stage: string; error: string; ms: number }
  | { kind: "died"; stage: string; error: string; ms: number };

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

  async run(task: Task, timeoutMs: number): Promise<PoolOutcome> {
    const start = performance.now();
    const ms = () => Math.round((performance.now() - start) * 10) / 10;
    if (!this.child) {
      try {
        await this.start();
      } catch (error) {
        this.stop();
        return { kind: "died", stage: "starting", error: (error as Error).message, ms: ms() };
      }
    } else await this.ready;
    const child = this.child!;
    return new Promise<PoolOutcome>((resolve) => {
      let settled = false;
      let stage = "starting";
      const finish = (outcome: PoolOutcome, restart: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (restart) {
          child.kill("SIGKILL");
          if (this.child === child) this.child = null;
        }
        resolve(outcome);
      };
      const where = () => (stage === "checking" ? "in parse/check" : stage === "checked" ? "after parse/check (compile or run)" : "before parse/check");
      const onMessage = (message: Reply) => {
        if (message.id !== task.id) return;
        if (message.stage) {
          stage = message.stage;
          return;
        }
        if (message.ok) finish({ kind: "result", result: message.result!, ms: ms() }, false);
        else finish({ kind: "error", error: message.error ?? "unknown error", ms: ms() }, false);
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish({ kind: "died", stage, error: `stelp died ${where()} on this item (worker exit code ${code}, signal ${signal}) ${this.stderr.trim().split("\n").slice(-2).join(" | ")}`.trim(), ms: ms() }, true);
      const timer = setTimeout(() => finish({ kind: "hang", stage, error: `stelp hung ${where()}: no result within ${timeoutMs} ms (worker killed)`, ms: ms() }, true), timeoutMs);
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

export interface RunPool {
  /** Runs a snippet with runSource in a child; at most `size` run at once. Never rejects. */
  run(source: string, options: RunOptions, timeoutMs?: number): Promise<PoolOutcome>;
  /** Kills the children and removes the cache folder. Idempotent. */
  close(): void;
  cacheDir: string | null;
  size: number;
}

export interface SafetyPool {
  /** runSafetyDataset's `run` option; at most `size` items run at once. */
  run: SafetyRunner;
  /** Kills the children and removes the cache folder. Idempotent. */
  close(): void;
  cacheDir: string | null;
  size: number;
}

interface Lanes {
  run(task: (id: number) => Omit<Task, "cache">, timeoutMs: number): Promise<PoolOutcome>;
  close(): void;
  cacheDir: string | null;
  size: number;
}

function createLanes({ size = 2, cache = true, heapMb = 1536 }: PoolOptions): Lanes {
  const worker = workerPath();
  const cacheDir = cache ? mkdtempSync(join(tmpdir(), "stelp-bench-cache-")) : null;
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
    async run(task, timeoutMs) {
      const child = await acquire();
      try {
        return await child.run({ ...task(nextTask++), cache }, timeoutMs);
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

/** A pool that runs snippets out of process (bench/correctness.mjs): a hang or a crash is an outcome. */
export function createRunPool(options: PoolOptions = {}): RunPool {
  const lanes = createLanes(options);
  const defaultTimeout = options.timeoutMs ?? 90_000;
  return {
    cacheDir: lanes.cacheDir,
    size: lanes.size,
    run(source, runOptions, timeoutMs = defaultTimeout) {
      const { cache: _cache, ...rest } = runOptions;
      return lanes.run((n) => ({ id: `run#${n}`, source, options: rest }), timeoutMs);
    },
    close: () => lanes.close(),
  };
}

/** A pool for runSafetyDataset: each item's canary secret is in its child's environment for the run. */
export function createSafetyPool(options: PoolOptions = {}): SafetyPool {
  const lanes = createLanes(options);
  const timeoutMs = options.timeoutMs ?? 90_000;
  return {
    cacheDir: lanes.cacheDir,
    size: lanes.size,
    async run(source: string, runOptions: RunOptions, context: SafetyRunContext) {
      const { cache: _cache, ...rest } = runOptions;
      const outcome = await lanes.run((n) => ({ id: `${context.id}#${n}`, source, options: rest, context: { envName: context.envName, secret: context.secret } }), timeoutMs);
      // The harness records a rejection as internal-error with this note.
      if (outcome.kind !== "result") throw new Error(outcome.error);
      return outcome.result;
    },
    close: () => lanes.close(),
  };
}
