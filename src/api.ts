/**
 * The embedding API: check, compile and run, with options an embedder can write by hand (a policy
 * object or the path of a policy file, an engine, limit overrides). It is a thin layer over the
 * pipeline (src/pipeline.ts); the results are the CLI's `--json` objects.
 */
import { compilerVersion, type OptimizeTarget } from "./compile.js";
import { hasErrors, type Diagnostic } from "./diagnostic.js";
import type { EngineName } from "./engines/result.js";
import { packageVersion } from "./paths.js";
import { buildSource, checkSource, runDiagnostics, runModule, runSource, type RunResult, type Timings } from "./pipeline.js";
import { defaultPolicy, loadPolicyFile, policyHash, withLimits, type Policy, type PolicyLimits } from "./policy.js";
import type { ModuleCache } from "./cache.js";
import type { ToolSet } from "./tools.js";

export interface StelpOptions {
  /** A policy object, or the path of a policy JSON file (default: policies/default.json). */
  policy?: Policy | string;
  /** Overrides of the policy's limits, as the CLI's --fuel, --memory-bytes, … flags. */
  limits?: Partial<PolicyLimits>;
  /** Where `run` executes (default "node"). */
  engine?: EngineName;
  /** asconfig.json target: "fast" (default) or "release" (-O3, for modules meant to be shipped). */
  optimize?: OptimizeTarget;
  /** The module cache (default: the process-wide one), or false. */
  cache?: ModuleCache | false;
  /**
   * Host tools the snippet may call: `{ name: { params: { p: "string" }, returns: "number[]", call } }`
   * (src/tools.ts). The policy must approve each one (`"tools": { "name": { "maxCalls": 5 } }`).
   * A bad registration throws ToolDefinitionError.
   */
  tools?: ToolSet;
}

export interface CheckReport {
  ok: boolean;
  status: "ok" | "rejected";
  exitCode: number;
  diagnostics: Diagnostic[];
  timings: Timings;
}

/** A compiled snippet: the instrumented module and what it was built for. */
export interface CompiledModule {
  wasm: Uint8Array;
  /** The module's imports, as "module.name". */
  imports: string[];
  /** The policy the module was instrumented for (its limits are baked into the module). */
  policy: Policy;
  policyHash: string;
  metadata: { stelpVersion: string; assemblyscript: string; optimize: OptimizeTarget; cacheHit: boolean; timings: Timings };
}

export interface CompileReport {
  ok: boolean;
  status: "ok" | "rejected" | "internal_error";
  exitCode: number;
  diagnostics: Diagnostic[];
  timings: Timings;
  /** Present when ok. */
  module?: CompiledModule;
}

function resolvePolicy(options: StelpOptions): Policy {
  const base = options.policy === undefined ? defaultPolicy() : typeof options.policy === "string" ? loadPolicyFile(options.policy) : options.policy;
  return options.limits && Object.keys(options.limits).length > 0 ? withLimits(base, options.limits) : base;
}

/** Stages 1–3 (parse, check, types): the diagnostics `stelp check` prints. */
export function check(source: string, options: StelpOptions = {}): CheckReport {
  const { diagnostics, timings } = checkSource(source, {
    policy: resolvePolicy(options),
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const ok = !hasErrors(diagnostics);
  return { ok, status: ok ? "ok" : "rejected", exitCode: ok ? 0 : 2, diagnostics, timings };
}

/** Stages 1–5: a module ready to run on any engine, or the reasons it could not be built. */
export async function compile(source: string, options: StelpOptions = {}): Promise<CompileReport> {
  const policy = resolvePolicy(options);
  const optimize = options.optimize ?? "fast";
  const built = await buildSource(source, {
    policy,
    optimize,
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const exitCode = built.status === "ok" ? 0 : built.status === "rejected" ? 2 : 1;
  const report: CompileReport = { ok: built.ok, status: built.status, exitCode, diagnostics: built.diagnostics, timings: built.timings };
  if (built.wasm) {
    report.module = {
      wasm: built.wasm,
      imports: built.imports,
      policy: built.policy,
      policyHash: built.policyHash,
      metadata: { stelpVersion: packageVersion(), assemblyscript: compilerVersion(), optimize, cacheHit: built.cacheHit, timings: built.timings },
    };
  }
  return report;
}

/**
 * Runs a snippet (source text: compiled first, through the cache) or a module from `compile`. A
 * module runs under the policy it was built for; passing a different policy or limits is an error
 * rather than a silent mismatch (its memory cap and call depth are inside the module).
 */
export async function run(moduleOrSource: string | CompiledModule, options: StelpOptions = {}): Promise<RunResult> {
  const engine = options.engine ?? "node";
  if (typeof moduleOrSource === "string") {
    return runSource(moduleOrSource, {
      policy: resolvePolicy(options),
      engine,
      optimize: options.optimize ?? "fast",
      ...(options.cache === undefined ? {} : { cache: options.cache }),
      ...(options.tools ? { tools: options.tools } : {}),
    });
  }
  const module = moduleOrSource;
  if (options.policy !== undefined || options.limits !== undefined) {
    const wanted = policyHash(resolvePolicy(options));
    if (wanted !== module.policyHash) throw new Error(`this module was compiled for policy ${module.policyHash}, not ${wanted}: compile it again with that policy`);
  }
  const start = performance.now();
  const ran = await runModule(module.wasm, module.policy, engine, { imports: module.imports, ...(options.tools ? { tools: options.tools } : {}) });
  const { engineMessage, ...rest } = ran;
  const timings: Timings = { parse: 0, check: 0, emit: 0, compile: 0, instrument: 0, run: Math.round((performance.now() - start) * 1000) / 1000 };
  return { ...rest, diagnostics: runDiagnostics(ran.status, engineMessage, module.policy), timings };
}
