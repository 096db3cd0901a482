/**
 * Stage 4: AssemblyScript → Wasm with the asc programmatic API, in process. The options come from
 * asconfig.json (`options` for every build, plus one `targets` entry for the optimisation level), so
 * the file is the single place that says how snippets are compiled. Files are served from memory: the
 * emitted entry as `snippet.ts`, and host-bindings/assembly/ under the virtual folder `stelp/`.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { CompileReply, CompileRequest } from "./compile-worker.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { packageRoot } from "./paths.js";

export type OptimizeTarget = "fast" | "release";

export interface CompileOptions {
  /** asconfig.json target: `fast` (default) or `release` (-O3, for modules meant to be shipped). */
  target?: OptimizeTarget;
  /** Also return the Wasm text format (for `--emit-wat` and debugging). */
  emitText?: boolean;
  /** Compile in this thread instead of the warm compiler worker (no deadline). */
  inProcess?: boolean;
  /** Deadline for one compile in the worker; default STELP_COMPILE_TIMEOUT_MS or 60 000 ms. */
  deadlineMs?: number;
}

export interface CompileResult {
  wasm: Uint8Array | null;
  text?: string;
  diagnostics: Diagnostic[];
}

interface AsConfig {
  options: Record<string, unknown>;
  targets: Record<string, Record<string, unknown>>;
}

let asconfigCache: AsConfig | undefined;
let runtimeFilesCache: Map<string, string> | undefined;

function loadAsConfig(): AsConfig {
  asconfigCache ??= JSON.parse(readFileSync(join(packageRoot(), "asconfig.json"), "utf8")) as AsConfig;
  return asconfigCache;
}

/** host-bindings/assembly/*.ts, keyed by their virtual path `stelp/<name>.ts`. */
function runtimeFiles(): Map<string, string> {
  if (runtimeFilesCache) return runtimeFilesCache;
  const dir = join(packageRoot(), "host-bindings", "assembly");
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".ts")) files.set(`stelp/${name}`, readFileSync(join(dir, name), "utf8"));
  }
  runtimeFilesCache = files;
  return files;
}

/** Turns asconfig-style options into asc argv (`{ runtime: "incremental" }` → `--runtime incremental`). */
function toArgv(options: Record<string, unknown>): string[] {
  const argv: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === false || value === undefined || value === null) continue;
    if (value === true) argv.push(`--${key}`);
    else if (Array.isArray(value)) {
      for (const item of value) argv.push(`--${key}`, String(item));
    } else argv.push(`--${key}`, String(value));
  }
  return argv;
}

export function compilerVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "node_modules", "assemblyscript", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * Compiles in the warm compiler worker, with a deadline, when the built worker exists (after
 * `npm run build`); in this thread otherwise.
 */
export async function compile(assemblyScript: string, options: CompileOptions = {}): Promise<CompileResult> {
  if (options.inProcess || !existsSync(compileWorkerPath())) return compileInProcess(assemblyScript, options);
  return compilerWorker().compile(assemblyScript, options);
}

function compileWorkerPath(): string {
  return join(packageRoot(), "dist", "src", "compile-worker.js");
}

const DEFAULT_DEADLINE_MS = 60_000;

function compileFailure(rule: string, message: string, hint: string): CompileResult {
  return { wasm: null, diagnostics: [diagnostic(rule, message, hint, undefined, "compile")] };
}

interface Pending {
  request: CompileRequest;
  resolve: (result: CompileResult) => void;
  timer?: NodeJS.Timeout;
}

/** One long-lived worker; requests queue and run one at a time. */
class CompilerWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly queue: Pending[] = [];
  private current: Pending | undefined;

  compile(source: string, options: CompileOptions): Promise<CompileResult> {
    const { inProcess: _inProcess, deadlineMs: _deadline, ...rest } = options;
    return new Promise((resolve) => {
      this.queue.push({ request: { id: this.nextId++, source, options: rest }, resolve });
      this.pump(options.deadlineMs ?? (Number(process.env.STELP_COMPILE_TIMEOUT_MS) || DEFAULT_DEADLINE_MS));
    });
  }

  private spawn(): Worker {
    const worker = new Worker(compileWorkerPath(), {
      // Bounds what one compile can take from the host; asc's own heap is JS, binaryen's is Wasm memory.
      resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: 64 },
      env: {},
    });
    // Events from a worker that was already replaced (terminated at a deadline) are ignored.
    worker.on("message", (reply: CompileReply) => {
      if (this.worker === worker) this.finish(reply.id, reply.result);
    });
    worker.on("error", (error) => {
      if (this.worker === worker) this.fail(`the compiler worker failed: ${error.message}`);
    });
    worker.on("exit", () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.current) this.fail("the compiler worker exited during a compile");
    });
    return worker;
  }

  private pump(deadlineMs: number): void {
    if (this.current || this.queue.length === 0) return;
    const pending = this.queue.shift()!;
    this.current = pending;
    this.worker ??= this.spawn();
    this.worker.ref();
    pending.timer = setTimeout(() => {
      const worker = this.worker;
      this.worker = undefined;
      this.fail(`compilation exceeded its deadline of ${deadlineMs} ms`, "compile-timeout");
      void worker?.terminate();
    }, deadlineMs);
    this.worker.postMessage(pending.request);
    this.deadline = deadlineMs;
  }

  private deadline = DEFAULT_DEADLINE_MS;

  private finish(id: number, result: CompileResult): void {
    const pending = this.current;
    if (!pending || pending.request.id !== id) return;
    clearTimeout(pending.timer);
    this.current = undefined;
    // Transferred typed arrays arrive as Uint8Array; keep the type the in-process path returns.
    pending.resolve(result.wasm ? { ...result, wasm: new Uint8Array(result.wasm) } : result);
    if (this.queue.length === 0) this.worker?.unref();
    this.pump(this.deadline);
  }

  private fail(message: string, rule = "compile-failed"): void {
    const pending = this.current;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.current = undefined;
    if (this.queue.length === 0) this.worker?.unref();
    pending.resolve(
      compileFailure(
        rule,
        message,
        rule === "compile-timeout"
          ? "the snippet is too large or complex to compile within the limit: simplify it (fewer, smaller functions)"
          : "this is a stelp bug; please report the snippet",
      ),
    );
    this.pump(this.deadline);
  }
}

let sharedWorker: CompilerWorker | undefined;

function compilerWorker(): CompilerWorker {
  sharedWorker ??= new CompilerWorker();
  return sharedWorker;
}

/** The compile itself, in the calling thread. */
export async function compileInProcess(assemblyScript: string, options: CompileOptions = {}): Promise<CompileResult> {
  const config = loadAsConfig();
  const target = options.target ?? "fast";
  const targetOptions = config.targets[target];
  if (!targetOptions) {
    return { wasm: null, diagnostics: [diagnostic("compile-config", `asconfig.json has no target "${target}"`, "add the target to asconfig.json", undefined, "compile")] };
  }
  const argv = [
    "snippet.ts",
    "--outFile", "snippet.wasm",
    ...(options.emitText ? ["--textFile", "snippet.wat"] : []),
    ...toArgv({ ...config.options, ...targetOptions }),
    "--noColors",
  ];
  // Loaded on first use: asc patches globals (e.g. Array.prototype.sort) when it loads, which must
  // not happen in an embedder's main thread; normally only the compiler worker loads it.
  const { default: asc } = await import("assemblyscript/asc");
  const sources = runtimeFiles();
  const outputs = new Map<string, Uint8Array | string>();
  const messages: string[] = [];
  let result;
  try {
    result = await asc.main(argv, {
      readFile: (name: string) => (name === "snippet.ts" ? assemblyScript : (sources.get(name) ?? null)),
      writeFile: (name: string, contents: Uint8Array | string) => {
        outputs.set(name, contents);
      },
      listFiles: () => [],
      reportDiagnostic: (d) => {
        // DiagnosticCategory: 0 pedantic, 1 info, 2 warning, 3 error
        if (d.category !== 3) return;
        // asc's Source does not expose its text: map the offset back through the files we served.
        const range = d.range as { start: number; source?: { normalizedPath?: string } } | null;
        const path = range?.source?.normalizedPath;
        const text = path === "snippet.ts" ? assemblyScript : path ? sources.get(path) : undefined;
        let where = "";
        if (range && path && text !== undefined) {
          const before = text.slice(0, range.start);
          const line = before.split("\n").length;
          const column = range.start - before.lastIndexOf("\n");
          where = ` at ${path}:${line}:${column}`;
        } else if (path) where = ` in ${path}`;
        messages.push(`AS${d.code}: ${d.message}${where}`);
      },
    });
  } catch (error) {
    messages.push(`asc threw: ${(error as Error).message}`);
  }
  const wasm = outputs.get("snippet.wasm");
  if (!result || result.error || !(wasm instanceof Uint8Array)) {
    if (messages.length === 0) messages.push(result?.error?.message ?? "asc produced no module");
    return {
      wasm: null,
      diagnostics: messages.map((m) =>
        diagnostic(
          "compile-error",
          `the AssemblyScript compiler rejected the emitted code: ${m}`,
          "this is a stelp bug, not an error in your snippet; please report it with the snippet. Rewriting the construct named here more plainly usually works around it.",
          undefined,
          "compile",
        ),
      ),
    };
  }
  const text = outputs.get("snippet.wat");
  return { wasm, ...(typeof text === "string" ? { text } : {}), diagnostics: [] };
}
