/**
 * The pipeline: source → AST → typed program → AssemblyScript → Wasm → instrumented Wasm → result.
 * Each stage is its own module; this file only passes data between them, times them, and stops at
 * the first stage that reports an error.
 */
import type { Program } from "acorn";
import { cacheKey, defaultModuleCache, type ModuleCache } from "./cache.js";
import { check } from "./check.js";
import { compile, type OptimizeTarget } from "./compile.js";
import { hasErrors, type Diagnostic } from "./diagnostic.js";
import { emit } from "./emit.js";
import { runInline, runOnNode } from "./engines/node.js";
import { EXIT_CODES, type EngineName, type RunStatus } from "./engines/result.js";
import { runOnWasmtime, WasmtimeMissingError } from "./engines/wasmtime.js";
import { instrument } from "./instrument.js";
import { parse } from "./parse.js";
import { defaultPolicy, policyHash, TOOL_IMPORT_MODULE, TOOL_RESULT_IMPORT, withLimits, type Policy, type PolicyLimits } from "./policy.js";
import { ToolHost, toolSetFingerprint, toolSignatures, type ToolCallCounts, type ToolSet } from "./tools.js";
import type { TypedProgram } from "./typed-program.js";

export interface Timings {
  parse: number;
  check: number;
  emit: number;
  compile: number;
  instrument: number;
  run: number;
}

export interface BuildOptions {
  policy?: Policy;
  /** Overrides of the policy's limits (CLI flags such as --fuel). */
  limits?: Partial<PolicyLimits>;
  /** asconfig.json target; `fast` by default. */
  optimize?: OptimizeTarget;
  /** Module cache; the process-wide default (memory, plus disk with STELP_CACHE_DIR) unless `false`. */
  cache?: ModuleCache | false;
  /**
   * Bench-only (bench/perf.mjs): `false` builds the module without fuel metering, to measure the
   * meter's overhead; the fuel limit is then NOT enforced. Never set it for untrusted code.
   */
  meterFuel?: boolean;
  /** Host tools the snippet may call (the policy must approve them too); see src/tools.ts. */
  tools?: ToolSet;
  /** The engine the module is for: with wasmtime, tool calls are rejected at check time. */
  engine?: EngineName;
}

export interface RunOptions extends BuildOptions {
  engine?: EngineName;
}

export interface BuildResult {
  ok: boolean;
  /** "rejected" when the snippet (or its imports) broke a rule; "internal_error" when stelp failed. */
  status: "ok" | "rejected" | "internal_error";
  diagnostics: Diagnostic[];
  policy: Policy;
  /** The emitted AssemblyScript, when emission got that far. */
  assemblyScript?: string;
  /** The instrumented module. */
  wasm?: Uint8Array;
  imports: string[];
  policyHash: string;
  timings: Timings;
  /** True when the module came from the cache (parse → instrument were skipped). */
  cacheHit: boolean;
}

export interface RunResult {
  status: RunStatus;
  exitCode: number;
  engine: EngineName;
  stdout: string;
  stderr: string;
  fuel: { limit: number; used: number | null };
  diagnostics: Diagnostic[];
  timings: Timings;
  /** Calls per host tool, when the run was given tools. */
  toolCalls?: ToolCallCounts;
}

function zeroTimings(): Timings {
  return { parse: 0, check: 0, emit: 0, compile: 0, instrument: 0, run: 0 };
}

function timed<T>(timings: Timings, stage: keyof Timings, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    timings[stage] = Math.round((performance.now() - start) * 1000) / 1000;
  }
}

async function timedAsync<T>(timings: Timings, stage: keyof Timings, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[stage] = Math.round((performance.now() - start) * 1000) / 1000;
  }
}

const WASMTIME_NO_TOOLS = "the wasmtime engine runs the module in its own process, where the embedder's functions cannot be linked";

/** Stages 1–3 only: the diagnostics `stelp check` prints. */
export function checkSource(source: string, options: BuildOptions = {}): { diagnostics: Diagnostic[]; program: TypedProgram | null; timings: Timings } {
  const policy = effectivePolicy(options);
  const timings = zeroTimings();
  const parsed = timed(timings, "parse", () => parse(source));
  if (!parsed.ast || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics, program: null, timings };
  const ast: Program = parsed.ast;
  const tools = toolSignatures(options.tools);
  const checked = timed(timings, "check", () =>
    check(ast, {
      allowRandom: policy.random !== null,
      tools,
      approvedTools: new Set(Object.keys(policy.tools ?? {})),
      ...(options.engine === "wasmtime" ? { toolsUnavailable: WASMTIME_NO_TOOLS } : {}),
    }),
  );
  return { diagnostics: [...parsed.diagnostics, ...checked.diagnostics], program: hasErrors(checked.diagnostics) ? null : checked.program, timings };
}

function effectivePolicy(options: BuildOptions): Policy {
  const base = options.policy ?? defaultPolicy();
  return options.limits ? withLimits(base, options.limits) : base;
}

/** Stages 1–5: a module ready to run on any engine. */
export async function buildSource(source: string, options: BuildOptions = {}): Promise<BuildResult> {
  const policy = effectivePolicy(options);
  const result = (status: BuildResult["status"], diagnostics: Diagnostic[], timings: Timings, extra: Partial<BuildResult> = {}): BuildResult => ({
    ok: status === "ok",
    status,
    diagnostics,
    policy,
    imports: [],
    policyHash: policyHash(policy),
    timings,
    cacheHit: false,
    ...extra,
  });
  // A library caller may pass anything: only text reaches the cache key (checkSource turns the rest
  // into a diagnostic).
  const cache = options.cache === false || typeof source !== "string" ? undefined : (options.cache ?? defaultModuleCache());
  const target = options.optimize ?? "fast";
  const meterFuel = options.meterFuel ?? true;
  // Tool signatures shape the emitted code (their types), so they are part of the key.
  const toolKey = options.tools ? toolSetFingerprint(toolSignatures(options.tools)) : "";
  const key = cache ? cacheKey(source, policy, `${meterFuel ? target : `${target}+unmetered`}${toolKey ? `\n${toolKey}` : ""}`) : "";
  const hit = cache?.get(key);
  if (hit) return result("ok", hit.diagnostics, zeroTimings(), { wasm: hit.wasm, imports: hit.imports, cacheHit: true });
  const checked = checkSource(source, { ...options, policy });
  const { timings } = checked;
  if (!checked.program) return result("rejected", checked.diagnostics, timings);
  const program = checked.program;
  const emitted = timed(timings, "emit", () => emit(program));
  if (hasErrors(emitted.diagnostics)) return result("rejected", [...checked.diagnostics, ...emitted.diagnostics], timings);
  const compiled = await timedAsync(timings, "compile", () => compile(emitted.source, { target }));
  if (!compiled.wasm) {
    // Exceeding the compile deadline is a bound the snippet hit; any other compile failure is ours.
    const status = compiled.diagnostics.some((d) => d.rule === "compile-timeout") ? "rejected" : "internal_error";
    return result(status, compiled.diagnostics, timings, { assemblyScript: emitted.source });
  }
  const wasm = compiled.wasm;
  const instrumented = timed(timings, "instrument", () => instrument(wasm, policy, { meterFuel }));
  if (!instrumented.wasm) {
    const rejected = instrumented.diagnostics.every((d) => d.rule !== "instrument-failed");
    return result(rejected ? "rejected" : "internal_error", instrumented.diagnostics, timings, { assemblyScript: emitted.source });
  }
  const diagnostics = [...checked.diagnostics, ...emitted.diagnostics];
  cache?.set(key, { wasm: instrumented.wasm, imports: instrumented.imports, diagnostics });
  return result("ok", diagnostics, timings, {
    assemblyScript: emitted.source,
    wasm: instrumented.wasm,
    imports: instrumented.imports,
  });
}

export interface RunModuleOptions {
  /** The module's imports ("module.name"), when known (BuildResult.imports): checked against `tools`. */
  imports?: readonly string[];
  /** The host tools the module may call. */
  tools?: ToolSet;
}

/** Runs an already-built module. */
export async function runModule(
  wasm: Uint8Array,
  policy: Policy,
  engine: EngineName = "node",
  options: RunModuleOptions = {},
): Promise<Omit<RunResult, "timings" | "diagnostics"> & { engineMessage: string }> {
  const limits = policy.limits;
  const ended = (status: RunStatus, engineMessage: string) => ({ status, exitCode: EXIT_CODES[status], engine, stdout: "", stderr: "", fuel: { limit: limits.fuel, used: null }, engineMessage });
  const toolImports = (options.imports ?? []).filter((i) => i.startsWith(`${TOOL_IMPORT_MODULE}.`) && i !== `${TOOL_IMPORT_MODULE}.${TOOL_RESULT_IMPORT}`).map((i) => i.slice(TOOL_IMPORT_MODULE.length + 1));
  if (toolImports.length > 0) {
    if (engine === "wasmtime") return ended("rejected", `the module calls host tools (${toolImports.join(", ")}) and ${WASMTIME_NO_TOOLS}`);
    const missing = toolImports.filter((name) => !options.tools || typeof options.tools[name]?.call !== "function");
    if (missing.length > 0) return ended("rejected", `the module calls host tools that this run was not given: ${missing.join(", ")}`);
  }
  const tools = options.tools && Object.keys(options.tools).length > 0 ? new ToolHost(options.tools, policy) : undefined;
  try {
    const run = engine === "wasmtime" ? await runOnWasmtime(wasm, limits) : engine === "inline" ? await runInline(wasm, limits, tools) : await runOnNode(wasm, limits, tools);
    return {
      status: run.status,
      exitCode: EXIT_CODES[run.status],
      engine,
      stdout: run.stdout,
      stderr: run.stderr,
      fuel: { limit: limits.fuel, used: run.fuelUsed },
      engineMessage: run.engineMessage,
      ...(tools ? { toolCalls: { ...tools.calls } } : {}),
    };
  } catch (error) {
    const missing = error instanceof WasmtimeMissingError;
    return ended(missing ? "engine_unavailable" : "internal_error", error instanceof Error ? error.message : String(error));
  }
}

/** The whole pipeline: what `stelp run` does. */
export async function runSource(source: string, options: RunOptions = {}): Promise<RunResult> {
  const engine = options.engine ?? "node";
  const built = await buildSource(source, options);
  const limit = built.policy.limits.fuel;
  if (!built.wasm) {
    const status: RunStatus = built.status === "rejected" ? "rejected" : "internal_error";
    return { status, exitCode: EXIT_CODES[status], engine, stdout: "", stderr: "", fuel: { limit, used: null }, diagnostics: built.diagnostics, timings: built.timings };
  }
  const wasm = built.wasm;
  const ran = await timedAsync(built.timings, "run", () => runModule(wasm, built.policy, engine, { imports: built.imports, ...(options.tools ? { tools: options.tools } : {}) }));
  const diagnostics = [...built.diagnostics, ...runDiagnostics(ran.status, ran.engineMessage, built.policy)];
  const { engineMessage: _unused, ...rest } = ran;
  return { ...rest, diagnostics, timings: built.timings };
}

const EXPLAIN_WITH_ENGINE_MESSAGE = new Set<RunStatus>(["trap", "internal_error", "engine_unavailable"]);

/** A run that ended at a bound or a trap gets one diagnostic saying which, and what to change. */
export function runDiagnostics(status: RunStatus, engineMessage: string, policy: Policy): Diagnostic[] {
  const { limits } = policy;
  const make = (rule: string, message: string, hint: string): Diagnostic[] => [
    // The engine's own words only help where our trailer did not explain the stop.
    { rule, severity: "error", message: engineMessage && EXPLAIN_WITH_ENGINE_MESSAGE.has(status) ? `${message} (${engineMessage.split("\n")[0]})` : message, line: 0, column: 0, hint, stage: "run" },
  ];
  switch (status) {
    case "ok":
      return [];
    case "fuel_exhausted":
      return make("fuel-exhausted", `the snippet used all ${limits.fuel} units of fuel`, "look for an infinite or very long loop or recursion; make the computation cheaper, or raise the limit with --fuel");
    case "memory_limit":
      return make("memory-limit", `the snippet needed more than ${limits.memoryBytes} bytes of memory`, "build smaller strings or data; avoid doubling a value in a loop");
    case "call_depth_limit":
      return make("call-depth-limit", `the snippet nested more than ${limits.callDepth} calls`, "check the recursion's base case, or rewrite deep recursion as a loop");
    case "output_limit":
      return make("output-limit", `the snippet wrote more than ${limits.outputBytes} bytes of output`, "print less: summarise results instead of printing inside long loops");
    case "rejected":
      return make("tools-unavailable", engineMessage, "run with the node engine (the default) or the inline engine, and pass every tool the snippet calls");
    case "tool_limit":
      return make("tool-limit", "the snippet reached a host tool's limit in the policy (see stderr)", "call the tool fewer times or with less data: fetch once, then filter and reuse the result");
    case "timeout":
      return make("timeout", `the run exceeded the wall-clock limit of ${limits.wallClockMs} ms`, "make the computation cheaper");
    case "trap":
      return make("runtime-trap", "the snippet stopped on a WebAssembly trap", "this usually points at a stelp bug; please report the snippet");
    case "runtime_error":
      return make("runtime-error", "the snippet stopped on a runtime error (see stderr)", "fix the error printed on stderr");
    case "engine_unavailable":
      return make("engine-unavailable", "the requested engine is not available", "use --engine node, or install wasmtime with `npm run setup:wasmtime`");
    default:
      return make("internal-error", "stelp failed while running the snippet", "this is a stelp bug; please report the snippet");
  }
}
