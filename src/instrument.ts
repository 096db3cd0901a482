/**
 * Stage 5: post-process the compiled module with binaryen so that it cannot exceed the policy, on any
 * engine, without relying on that engine's own limits:
 *   a. import audit: every import must be approved by the policy; stelp's own intrinsics (module
 *      "stelp") are replaced by code here and never reach an engine;
 *   b. fuel metering: a global counter charged at every function entry and loop header with the static
 *      cost of the code that can run before the next charge point (an upper bound: both arms of an
 *      `if` are charged), plus dynamic charges for bulk memory operations and memory growth;
 *      exhaustion calls the runtime's __stelp_exit(CAUSE_FUEL), which writes the trailer and traps;
 *      a function whose loops make no calls keeps the counter in a local while it runs (synced with
 *      the global around calls, returns and exits), with the same counts;
 *   c. the memory maximum: the module's declared maximum becomes the policy's, so memory.grow fails
 *      at the same size everywhere; a failed grow is remembered so the trap that follows is reported
 *      as the memory limit;
 *   d. a call-depth counter incremented on function entry and decremented on every exit, with a
 *      deterministic limit instead of each engine's native stack size.
 * Every `unreachable` is routed through __stelp_exit(CAUSE_TRAP) so that the engines learn the fuel
 * left even when a run ends in a trap. Functions on the exit path itself are left alone.
 */
import binaryen from "binaryen";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { approvedImports, type Policy } from "./policy.js";
import { callClosure, fail, functionNames, InstrumentError, mapChildren, neverReturningFunctions, wrappers } from "./binaryen-ir.js";

/** Exit causes; the numbers are shared with host-bindings/assembly/io.ts. */
export const ExitCause = {
  ok: 0,
  fuel: 1,
  depth: 2,
  memory: 3,
  output: 4,
  trap: 5,
  abort: 6,
  tool: 7,
} as const;

export const FUEL_GLOBAL_EXPORT = "__stelp_fuel";
/** binaryen.js now takes one bigint for i64.const; its typings still declare (low, high). */
function i64Const(module: binaryen.Module, value: number): number {
  return (module.i64.const as unknown as (v: bigint) => number)(BigInt(value));
}

const EXIT_FUNCTION_EXPORT = "__stelp_exit";
const PAGE_BYTES = 65536;
/**
 * Labels of blocks the instrumentation adds: charge code and fuel bookkeeping (not counted),
 * separately charged regions (one unit where they sit), and call wrappers (counted as the call they
 * wrap, operands included, so that keeping fuel in a local changes no count).
 */
const CHARGE_LABEL = "stelp$charge$";
const SYNC_LABEL = "stelp$sync$";
const REGION_LABEL = "stelp$region$";
const CALL_LABEL = "stelp$call$";
const ARGS_LABEL = "stelp$args$";
/** A call of a function that never returns, followed by an `unreachable` (counted as the call). */
const NO_RETURN_LABEL = "stelp$noreturn$";
/** An `if` arm at least this costly is charged on its own instead of with the enclosing region. */
const SPLIT_ARM_COST = 8;
/** Bulk memory operations cost one fuel unit per this many bytes (memory.grow: per byte of new pages). */
const BYTES_PER_FUEL = 16;

export interface InstrumentResult {
  wasm: Uint8Array | null;
  diagnostics: Diagnostic[];
  /** Imports of the instrumented module, as "module.name". */
  imports: string[];
  /** Exports of the instrumented module. */
  exports: string[];
  /** Pages of static data the module needs before any allocation. */
  initialPages: number;
}

/** The features asc emits by default (see asc --help "Features"); nothing else is accepted. */
const FEATURES =
  binaryen.Features.MVP |
  binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt;

interface FunctionContext {
  ref: number;
  name: string;
  results: number;
  /** Fuel is kept in a local while this function runs (see fuelLocal). */
  cachedFuel: boolean;
  /** Temporaries added lazily (index per type). */
  temps: Map<string, number>;
}

export interface InstrumentOptions {
  /**
   * Keep fuel in a local in functions whose loops make no calls (default true). `false` meters
   * through the global everywhere, with the same counts: test/instrument.test.ts compares the two.
   */
  fuelInLocals?: boolean;
  /**
   * Inject fuel metering (default true). `false` is for measurement only (bench/perf.mjs compares a
   * metered and an unmetered module): the import audit, call depth, memory bounds and trap routing
   * stay, but no fuel is ever charged, so the policy's fuel limit is not enforced.
   */
  meterFuel?: boolean;
}

export function instrument(wasm: Uint8Array, policy: Policy, options: InstrumentOptions = {}): InstrumentResult {
  const empty: InstrumentResult = { wasm: null, diagnostics: [], imports: [], exports: [], initialPages: 0 };
  let module: binaryen.Module | undefined;
  try {
    module = binaryen.readBinaryWithFeatures(wasm, FEATURES);
    return instrumentModule(module, policy, options.meterFuel ?? true, options.fuelInLocals ?? true);
  } catch (error) {
    if (error instanceof AuditError) return { ...empty, diagnostics: error.diagnostics };
    const message = error instanceof InstrumentError ? error.message : `unexpected failure: ${(error as Error)?.message ?? String(error)}`;
    if (process.env.STELP_DEBUG) console.error(error);
    return {
      ...empty,
      diagnostics: [
        diagnostic(
          "instrument-failed",
          `the compiled module could not be instrumented: ${message}`,
          "this is a stelp bug, not an error in your snippet; please report it with the snippet",
          undefined,
          "instrument",
        ),
      ],
    };
  } finally {
    module?.dispose();
  }
}

class AuditError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super("import audit failed");
  }
}

function instrumentModule(module: binaryen.Module, policy: Policy, meterFuel: boolean, fuelInLocals: boolean): InstrumentResult {
  const { limits } = policy;
  const approved = new Set(approvedImports(policy));
  const i32 = binaryen.i32;
  const i64 = binaryen.i64;

  // --- globals the instrumentation owns -------------------------------------------------------
  const FUEL = "__stelp_fuel";
  const DEPTH = "__stelp_depth";
  const GROW_FAILED = "__stelp_grow_failed";
  module.addGlobal(FUEL, i64, true, i64Const(module, limits.fuel));
  module.addGlobal(DEPTH, i32, true, module.i32.const(0));
  module.addGlobal(GROW_FAILED, i32, true, module.i32.const(0));

  // --- a. import audit, and intrinsics replaced by code ---------------------------------------
  const auditDiagnostics: Diagnostic[] = [];
  const intrinsics: Record<string, () => number> = {
    "stelp.fuel_remaining": () => module.global.get(FUEL, i64),
    "stelp.output_limit": () => module.i32.const(Math.min(limits.outputBytes, 2 ** 31 - 1)),
    "stelp.grow_failed": () => module.global.get(GROW_FAILED, i32),
    "stelp.seed": () => {
      if (!policy.random) {
        fail("the module uses Math.random but the policy grants no seed (the checker should have rejected it)");
      }
      return module.f64.const(policy.random.seed);
    },
  };
  for (const name of functionNames(module)) {
    const info = binaryen.getFunctionInfo(module.getFunction(name));
    if (!info.module) continue;
    const key = `${info.module}.${info.base}`;
    const intrinsic = intrinsics[key];
    if (intrinsic) {
      module.removeFunction(name);
      module.addFunction(name, info.params, info.results, [], intrinsic());
    } else if (!approved.has(key) || info.module === "stelp") {
      auditDiagnostics.push(
        diagnostic(
          "import-not-approved",
          `the module imports ${key}, which the policy "${policy.name}" does not approve`,
          `approved imports are: ${[...approved].join(", ")}; remove the call that needs ${key}, or use a policy that lists it under "imports"`,
          undefined,
          "instrument",
        ),
      );
    }
  }
  for (let i = 0; i < module.getNumGlobals(); i++) {
    const info = binaryen.getGlobalInfo(module.getGlobalByIndex(i));
    if (info.module && !approved.has(`${info.module}.${info.base}`)) {
      auditDiagnostics.push(diagnostic("import-not-approved", `the module imports global ${info.module}.${info.base}`, "globals cannot be imported under any policy", undefined, "instrument"));
    }
  }
  const memoryInfo = module.hasMemory() ? module.getMemoryInfo() : null;
  if (!memoryInfo) fail("the module has no memory");
  if (memoryInfo.module) {
    auditDiagnostics.push(diagnostic("import-not-approved", `the module imports its memory from ${memoryInfo.module}.${memoryInfo.base}`, "a stelp module must define its own memory", undefined, "instrument"));
  }
  if (module.getNumTables() > 0) {
    const table = binaryen.getTableInfo(module.getTableByIndex(0));
    if (table.module) auditDiagnostics.push(diagnostic("import-not-approved", `the module imports a table from ${table.module}.${table.base}`, "a stelp module must define its own table", undefined, "instrument"));
  }
  if (auditDiagnostics.length > 0) throw new AuditError(auditDiagnostics);

  // --- locate the runtime's exit function -----------------------------------------------------
  let exitFunction: string | undefined;
  const exportNames: string[] = [];
  for (let i = 0; i < module.getNumExports(); i++) {
    const info = binaryen.getExportInfo(module.getExportByIndex(i));
    exportNames.push(info.name);
    if (info.name === EXIT_FUNCTION_EXPORT && info.kind === binaryen.ExternalFunction) exitFunction = info.value;
  }
  if (!exitFunction) fail(`the module does not export ${EXIT_FUNCTION_EXPORT} (the emitter always re-exports it)`);
  if (!exportNames.includes("_start")) fail("the module does not export _start");
  // The host never needs to call the exit path; only _start, memory and the fuel global stay visible.
  for (const name of exportNames) {
    if (name !== "_start" && name !== "memory") module.removeExport(name);
  }
  module.addGlobalExport(FUEL, FUEL_GLOBAL_EXPORT);

  // --- tiny functions inlined before anything is counted --------------------------------------
  inlineTinyFunctions(module, exitFunction);

  const exempt = callClosure(module, exitFunction);
  const noReturn = neverReturningFunctions(module, exitFunction);

  const callExit = (cause: number): number => module.call(exitFunction!, [module.i32.const(cause)], binaryen.none);
  /**
   * A limit's exit: the call and an `unreachable` after it (never reached: the exit traps). Without
   * it the engine must assume the call returns, so the cold path merges back into the hot one; V8
   * then keeps the loop's state ready for both paths, which made a metered collatz loop ~20%
   * slower. Only for code the fuel count skips (charges, the entry check): no figure changes.
   */
  const exitForLimit = (cause: number): number => module.block(null, [callExit(cause), module.unreachable()], binaryen.unreachable);
  let labelCounter = 0;
  const label = (prefix: string) => `${prefix}${labelCounter++}`;
  /**
   * In a function whose loops make no calls, fuel lives in a local while it runs (a register in the
   * engine's hot loops, instead of a global's load and store at every charge): loaded from the global
   * on entry and after every call, stored back before every call, return and exit. The global is
   * therefore exact whenever anything else can see it (a callee, the host, the exit path that writes
   * the trailer), and every charge happens at the same point as with the global counter: the same
   * fuel everywhere. Elsewhere (no loops, or calls in a loop, where the stores and loads around each
   * call would cost more than they save) the charge works on the global directly.
   */
  const fuelLocal = (context: FunctionContext): number => addTemp(context, i64, "fuel");
  const storeFuel = (context: FunctionContext): number => module.block(label(SYNC_LABEL), [module.global.set(FUEL, module.local.get(fuelLocal(context), i64))]);
  const loadFuel = (context: FunctionContext): number => module.block(label(SYNC_LABEL), [module.local.set(fuelLocal(context), module.global.get(FUEL, i64))]);
  /** fuel -= amount; if (fuel < 0) exit(fuel) */
  const charge = (context: FunctionContext, amount: number): number => {
    const fuel = fuelLocal(context);
    if (!context.cachedFuel) {
      return module.block(label(CHARGE_LABEL), [
        module.global.set(FUEL, module.local.tee(fuel, module.i64.sub(module.global.get(FUEL, i64), amount), i64)),
        module.if(module.i64.lt_s(module.local.get(fuel, i64), i64Const(module, 0)), exitForLimit(ExitCause.fuel)),
      ]);
    }
    return module.block(label(CHARGE_LABEL), [
      module.local.set(fuel, module.i64.sub(module.local.get(fuel, i64), amount)),
      module.if(module.i64.lt_s(module.local.get(fuel, i64), i64Const(module, 0)), module.block(null, [module.global.set(FUEL, module.local.get(fuel, i64)), exitForLimit(ExitCause.fuel)])),
    ]);
  };
  /**
   * A call with the fuel stored before it and loaded after it. When its operands charge fuel
   * themselves (a loop inside an argument, rare), they run first, into temporaries; otherwise the
   * call is wrapped as it is and the wrapper costs what the call costs (see regionCost).
   */
  const syncedCall = (context: FunctionContext, call: number): number => {
    const type = binaryen.getExpressionType(call);
    const info = binaryen.getExpressionInfo(call) as unknown as { operands: number[] };
    if (info.operands.some(chargesFuel)) {
      const setup: number[] = [];
      info.operands.forEach((operand, index) => {
        const temp = addTemp(context, binaryen.getExpressionType(operand), `operand${index}`);
        setup.push(module.local.set(temp, operand));
        (binaryen.getExpressionId(call) === binaryen.CallId ? wrappers.Call! : wrappers.CallIndirect!).setOperandAt!(call, index, module.local.get(temp, binaryen.getExpressionType(operand)));
      });
      return module.block(label(ARGS_LABEL), [...setup, syncedCall(context, call)], type);
    }
    if (type === binaryen.none || type === binaryen.unreachable) {
      return module.block(label(CALL_LABEL), [storeFuel(context), call, loadFuel(context)], type === binaryen.unreachable ? binaryen.none : type);
    }
    const result = addTemp(context, type, "call-result");
    return module.block(label(CALL_LABEL), [storeFuel(context), module.local.set(result, call), loadFuel(context), module.local.get(result, type)], type);
  };
  const chargeStatic = (context: FunctionContext, cost: number): number => charge(context, i64Const(module, cost));

  const addTemp = (context: FunctionContext, type: number, slot: string): number => {
    const key = `${slot}:${type}`;
    let index = context.temps.get(key);
    if (index === undefined) {
      index = (binaryen as unknown as { _BinaryenFunctionAddVar(f: number, t: number): number })._BinaryenFunctionAddVar(context.ref, type);
      context.temps.set(key, index);
    }
    return index;
  };

  /** `body` preceded by a charge of its own static cost, as a region the enclosing cost skips. */
  const chargedRegion = (context: FunctionContext, body: number): number =>
    module.block(label(REGION_LABEL), [chargeStatic(context, regionCost(body)), body], binaryen.getExpressionType(body));

  /** Rewrites one expression tree in place; returns the expression that replaces `expr`. */
  const rewrite = (context: FunctionContext, expr: number): number => {
    mapChildren(expr, (child) => rewrite(context, child));
    const id = binaryen.getExpressionId(expr);
    switch (id) {
      case binaryen.LoopId: {
        if (!meterFuel) return expr;
        const body = (binaryen.getExpressionInfo(expr) as binaryen.LoopInfo).body;
        wrappers.Loop!.setBody!(expr, chargedRegion(context, body));
        return expr;
      }
      case binaryen.IfId: {
        if (!meterFuel) return expr;
        const info = binaryen.getExpressionInfo(expr) as binaryen.IfInfo;
        if (regionCost(info.ifTrue) >= SPLIT_ARM_COST) wrappers.If!.setIfTrue!(expr, chargedRegion(context, info.ifTrue));
        if (info.ifFalse && regionCost(info.ifFalse) >= SPLIT_ARM_COST) wrappers.If!.setIfFalse!(expr, chargedRegion(context, info.ifFalse));
        return expr;
      }
      case binaryen.ReturnId: {
        const value = (binaryen.getExpressionInfo(expr) as binaryen.ReturnInfo).value;
        const leave = module.global.set(DEPTH, module.i32.sub(module.global.get(DEPTH, i32), module.i32.const(1)));
        const store = context.cachedFuel ? [storeFuel(context)] : [];
        if (!value) return module.block(null, [leave, ...store, expr], binaryen.unreachable);
        const type = binaryen.getExpressionType(value);
        if (type === binaryen.unreachable) return expr;
        const temp = addTemp(context, type, "return");
        return module.block(null, [module.local.set(temp, value), leave, ...store, module.return(module.local.get(temp, type))], binaryen.unreachable);
      }
      case binaryen.CallId:
      case binaryen.CallIndirectId: {
        const info = binaryen.getExpressionInfo(expr) as binaryen.CallInfo;
        if (info.isReturn) fail("tail calls are not supported");
        // A call that never returns (a runtime error's abort: an index out of bounds, a failed
        // conversion) becomes a dead end for the engine too: without the `unreachable` V8 merges
        // the cold path back into the loop around it, and a loop with such a check ran ~15% slower.
        // It needs the fuel stored before it (the exit reports it), never loaded after.
        if (id === binaryen.CallId && noReturn.has(info.target)) {
          const simple = !context.cachedFuel || !info.operands.some(chargesFuel);
          const call = simple ? expr : syncedCall(context, expr);
          const type = binaryen.getExpressionType(call);
          const dropped = type === binaryen.none || type === binaryen.unreachable ? call : module.drop(call);
          const store = simple && context.cachedFuel ? [storeFuel(context)] : [];
          return module.block(label(NO_RETURN_LABEL), [...store, dropped, module.unreachable()], binaryen.unreachable);
        }
        return context.cachedFuel ? syncedCall(context, expr) : expr;
      }
      case binaryen.UnreachableId:
        return module.block(null, [...(context.cachedFuel ? [storeFuel(context)] : []), callExit(ExitCause.trap), expr], binaryen.unreachable);
      case binaryen.MemoryGrowId: {
        const delta = (binaryen.getExpressionInfo(expr) as binaryen.MemoryGrowInfo).delta;
        const pages = addTemp(context, i32, "grow-pages");
        const result = addTemp(context, i32, "grow-result");
        return module.block(
          null,
          [
            module.local.set(pages, delta),
            meterFuel ? charge(context, module.i64.mul(module.i64.extend_u(module.local.get(pages, i32)), i64Const(module, PAGE_BYTES / BYTES_PER_FUEL))) : module.nop(),
            module.local.set(result, module.memory.grow(module.local.get(pages, i32))),
            module.global.set(GROW_FAILED, module.i32.eq(module.local.get(result, i32), module.i32.const(-1))),
            module.local.get(result, i32),
          ],
          i32,
        );
      }
      case binaryen.MemoryCopyId:
      case binaryen.MemoryFillId: {
        if (!meterFuel) return expr;
        // Evaluate the operands in their original order into temporaries, charge by size, then run.
        const info = binaryen.getExpressionInfo(expr) as unknown as Record<string, number>;
        const isCopy = id === binaryen.MemoryCopyId;
        const operands = isCopy ? [info.dest!, info.source!, info.size!] : [info.dest!, info.value!, info.size!];
        const temps = operands.map((_, index) => addTemp(context, i32, `bulk${index}`));
        const get = (index: number) => module.local.get(temps[index]!, i32);
        const sizeFuel = module.i64.div_u(module.i64.extend_u(get(2)), i64Const(module, BYTES_PER_FUEL));
        return module.block(null, [
          ...operands.map((operand, index) => module.local.set(temps[index]!, operand)),
          charge(context, sizeFuel),
          isCopy ? module.memory.copy(get(0), get(1), get(2)) : module.memory.fill(get(0), get(1), get(2)),
        ]);
      }
      default:
        return expr;
    }
  };

  // --- b + d. meter and depth-count every function not on the exit path ----------------------
  // Listed again: the inlining removed the functions it absorbed.
  for (const name of functionNames(module)) {
    if (exempt.has(name)) continue;
    const ref = module.getFunction(name);
    const info = binaryen.getFunctionInfo(ref);
    if (info.module) continue; // an import
    const context: FunctionContext = { ref, name, results: info.results, cachedFuel: meterFuel && fuelInLocals && loopsWithoutCalls(info.body, noReturn), temps: new Map() };
    const body = rewrite(context, info.body);
    const entryCost = regionCost(body) + 1;
    const enter = [
      ...(context.cachedFuel ? [loadFuel(context)] : []),
      module.global.set(DEPTH, module.i32.add(module.global.get(DEPTH, i32), module.i32.const(1))),
      module.if(module.i32.gt_s(module.global.get(DEPTH, i32), module.i32.const(limits.callDepth)), exitForLimit(ExitCause.depth)),
      ...(meterFuel ? [chargeStatic(context, entryCost)] : []),
    ];
    const leave = context.cachedFuel
      ? module.block(null, [module.global.set(DEPTH, module.i32.sub(module.global.get(DEPTH, i32), module.i32.const(1))), storeFuel(context)])
      : module.global.set(DEPTH, module.i32.sub(module.global.get(DEPTH, i32), module.i32.const(1)));
    let newBody: number;
    if (info.results === binaryen.none) {
      newBody = module.block(null, [...enter, body, leave], binaryen.none);
    } else {
      const temp = addTemp(context, info.results, "result");
      newBody = module.block(null, [...enter, module.local.set(temp, body), leave, module.local.get(temp, info.results)], info.results);
    }
    wrappers.Function!.setBody!(ref, newBody);
  }

  if (!module.validate()) fail("binaryen validation failed after instrumentation");

  // --- c. memory maximum ------------------------------------------------------------------------
  const maxPages = Math.floor(limits.memoryBytes / PAGE_BYTES);
  if (memoryInfo.initial > maxPages) {
    throw new AuditError([
      diagnostic(
        "memory-limit-too-small",
        `the module needs ${memoryInfo.initial} pages (${memoryInfo.initial * 64} KiB) of memory to start, more than the policy's ${limits.memoryBytes} bytes`,
        "raise limits.memoryBytes in the policy",
        undefined,
        "instrument",
      ),
    ]);
  }
  const binary = setMemoryMaximum(module.emitBinary(), maxPages);
  const imports: string[] = [];
  const compiled = new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>);
  for (const entry of WebAssembly.Module.imports(compiled)) imports.push(`${entry.module}.${entry.name}`);
  // Defence in depth: re-audit what the engines will actually see.
  const unapproved = imports.filter((name) => !approved.has(name));
  if (unapproved.length > 0) fail(`instrumented module still imports ${unapproved.join(", ")}`);
  return {
    wasm: binary,
    diagnostics: [],
    imports,
    exports: WebAssembly.Module.exports(compiled).map((entry) => entry.name),
    initialPages: memoryInfo.initial,
  };
}

/**
 * Static cost of a region: one unit per expression that can run before the next charge point. A
 * nested loop or a separately charged `if` arm costs one unit here (its body is charged on entry);
 * the charge code itself costs nothing.
 */
function regionCost(expr: number): number {
  let cost = 0;
  const stack = [expr];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const id = binaryen.getExpressionId(current);
    if (id === binaryen.BlockId) {
      const info = binaryen.getExpressionInfo(current) as binaryen.BlockInfo;
      const name = info.name ?? "";
      if (name.startsWith(CHARGE_LABEL) || name.startsWith(SYNC_LABEL)) continue;
      if (name.startsWith(REGION_LABEL)) {
        cost++;
        continue;
      }
      if (name.startsWith(ARGS_LABEL)) {
        // [local.set(t0, operand0), …, the wrapped call on the temporaries]: the call and its operands.
        cost++;
        for (const child of info.children) {
          if (binaryen.getExpressionId(child) === binaryen.LocalSetId) stack.push((binaryen.getExpressionInfo(child) as binaryen.LocalSetInfo).value);
        }
        continue;
      }
      if (name.startsWith(NO_RETURN_LABEL)) {
        // [a fuel store?, the call (maybe wrapped, maybe dropped), unreachable]: the call.
        for (const child of info.children.slice(0, -1)) {
          stack.push(binaryen.getExpressionId(child) === binaryen.DropId ? (binaryen.getExpressionInfo(child) as binaryen.DropInfo).value : child);
        }
        continue;
      }
      if (name.startsWith(CALL_LABEL)) {
        // [store, call, load] or [store, local.set(result, call), load, local.get(result)]: the call.
        const inner = info.children[1]!;
        stack.push(binaryen.getExpressionId(inner) === binaryen.LocalSetId ? (binaryen.getExpressionInfo(inner) as binaryen.LocalSetInfo).value : inner);
        continue;
      }
    } else if (id !== binaryen.NopId) cost++;
    if (id === binaryen.LoopId) continue;
    mapChildren(current, (child) => {
      stack.push(child);
      return child;
    });
  }
  return cost;
}

/**
 * Largest function body (binaryen's expression count) inlined into its callers. asc's default -O1
 * inlines nothing, so the shadow stack's overflow check, field getters and the like stayed calls,
 * each with this stage's depth count and fuel charge: a Map- or string-heavy kernel spent ~15% of
 * its time in the stack check alone. Inlining these (binaryen's plain `inlining` pass, no
 * re-optimisation) took maps and strings ~18% faster for 5–10 ms of the stage's time; larger sizes
 * gained nothing more. The inlined code is metered where it lands, the same on every engine.
 */
const INLINE_MAX_SIZE = 10;

/** Inlines the functions up to INLINE_MAX_SIZE, except the exit function (its calls stay calls: the exit path is found by them). */
function inlineTinyFunctions(module: binaryen.Module, exitFunction: string): void {
  // The sizes are process-wide binaryen settings (asc sets its own when it optimises): restore them.
  const saved = [binaryen.getAlwaysInlineMaxSize(), binaryen.getFlexibleInlineMaxSize(), binaryen.getOneCallerInlineMaxSize()] as const;
  try {
    binaryen.setAlwaysInlineMaxSize(INLINE_MAX_SIZE);
    binaryen.setFlexibleInlineMaxSize(INLINE_MAX_SIZE);
    binaryen.setOneCallerInlineMaxSize(INLINE_MAX_SIZE);
    binaryen.setPassArgument("no-inline", exitFunction.replace(/[*?]/g, "?"));
    module.runPasses(["no-inline", "inlining"]);
  } finally {
    binaryen.setPassArgument("no-inline", null);
    binaryen.setAlwaysInlineMaxSize(saved[0]);
    binaryen.setFlexibleInlineMaxSize(saved[1]);
    binaryen.setOneCallerInlineMaxSize(saved[2]);
  }
}

/**
 * Whether `body` has loops and none of them makes a call that can return (the functions that keep
 * fuel in a local): a call that never returns only needs the fuel stored before it.
 */
function loopsWithoutCalls(body: number, noReturn: Set<string>): boolean {
  let loops = 0;
  const calls = (expr: number): boolean => {
    const stack = [expr];
    while (stack.length > 0) {
      const current = stack.pop()!;
      const id = binaryen.getExpressionId(current);
      if (id === binaryen.CallIndirectId) return true;
      if (id === binaryen.CallId && !noReturn.has((binaryen.getExpressionInfo(current) as binaryen.CallInfo).target)) return true;
      mapChildren(current, (child) => {
        stack.push(child);
        return child;
      });
    }
    return false;
  };
  const stack = [body];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (binaryen.getExpressionId(current) === binaryen.LoopId) {
      loops++;
      if (calls((binaryen.getExpressionInfo(current) as binaryen.LoopInfo).body)) return false;
      continue;
    }
    mapChildren(current, (child) => {
      stack.push(child);
      return child;
    });
  }
  return loops > 0;
}

/** Whether evaluating `expr` charges fuel itself (a loop, a separately charged arm, a bulk memory charge). */
function chargesFuel(expr: number): boolean {
  const stack = [expr];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (binaryen.getExpressionId(current) === binaryen.BlockId) {
      const name = (binaryen.getExpressionInfo(current) as binaryen.BlockInfo).name ?? "";
      if (name.startsWith(CHARGE_LABEL) || name.startsWith(REGION_LABEL)) return true;
    }
    mapChildren(current, (child) => {
      stack.push(child);
      return child;
    });
  }
  return false;
}

// --- binary patching of the memory section ----------------------------------------------------

function readLeb(bytes: Uint8Array, offset: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[offset++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, offset];
    shift += 7;
  }
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** Rewrites the (single, defined) memory's limits to `maximum` pages. */
export function setMemoryMaximum(binary: Uint8Array, maximum: number): Uint8Array {
  let offset = 8; // magic + version
  while (offset < binary.length) {
    const id = binary[offset]!;
    const [size, contentStart] = readLeb(binary, offset + 1);
    const contentEnd = contentStart + size;
    if (id === 5) {
      const [count, limitsStart] = readLeb(binary, contentStart);
      if (count !== 1) fail(`expected one memory, found ${count}`);
      const flags = binary[limitsStart]!;
      if (flags & ~1) fail(`unsupported memory flags ${flags}`);
      const [initial] = readLeb(binary, limitsStart + 1);
      const content = [...writeLeb(1), 0x01, ...writeLeb(initial), ...writeLeb(maximum)];
      const section = [5, ...writeLeb(content.length), ...content];
      const out = new Uint8Array(binary.length - (contentEnd - offset) + section.length);
      out.set(binary.subarray(0, offset), 0);
      out.set(section, offset);
      out.set(binary.subarray(contentEnd), offset + section.length);
      return out;
    }
    offset = contentEnd;
  }
  fail("the module has no memory section");
}
