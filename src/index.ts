/** stelp's library API. check / compile / run (src/api.ts) are the embedding API; the stage functions are exported for tools. */
export { check, compile, run, type StelpOptions, type CheckReport, type CompileReport, type CompiledModule } from "./api.js";
export { parse, type ParseResult } from "./parse.js";
export { check as checkProgram, type CheckOptions, type CheckResult } from "./check.js";
export { emit, type EmitResult } from "./emit.js";
export { compile as compileAssemblyScript, type CompileOptions, type CompileResult } from "./compile.js";
export { instrument, ExitCause, type InstrumentResult } from "./instrument.js";
export { MemoryModuleCache, DiskModuleCache, TieredModuleCache, defaultModuleCache, cacheKey, type ModuleCache, type CachedModule } from "./cache.js";
export { buildSource, checkSource, runModule, runSource, type BuildOptions, type BuildResult, type RunOptions, type RunModuleOptions, type RunResult, type Timings } from "./pipeline.js";
export { parseToolType, signatureText, toolSignatures, ToolDefinitionError, type ToolDefinition, type ToolSet, type ToolSignature, type ToolCallCounts } from "./tools.js";
export { defaultPolicy, loadPolicyFile, validatePolicy, approvedImports, policyHash, withLimits, PolicyError, DEFAULT_TOOL_LIMITS, type Policy, type PolicyLimits, type ToolLimits } from "./policy.js";
export { EXIT_CODES, type EngineName, type RunStatus } from "./engines/result.js";
export { findWasmtime, WasmtimeMissingError } from "./engines/wasmtime.js";
export { setNodeEngineSpareWorker } from "./engines/node.js";
export type { Diagnostic, Severity } from "./diagnostic.js";
export { createCanaries, disposeAllCanariesSync, PLACEHOLDERS, CANARY_KINDS, type Canaries, type CanaryKind, type CanaryReport, type CanaryTouch, type CanaryOutputs } from "./safety/canaries.js";
export { runSafetyDataset, runSafetyItem, type SafetyItem, type SafetyOptions, type SafetyRun, type SafetyRunner, type SafetyRunContext, type SafetyRunnerResult } from "./safety/harness.js";
export { classifyRun, summarize, errorRules, formatSummaryTable, SAFETY_OUTCOMES, type SafetyOutcome, type ContainmentBound, type Classification, type SafetyRecord, type SafetySummary, type CategoryRow, type ExpectationSummary, type Expectation } from "./safety/summary.js";
export { runWithRepair, feedbackFor, type CodeGenerator, type RepairAttempt, type RepairFeedback, type RepairOptions, type RepairOutcome } from "./repair.js";
