/**
 * Stage 2: check that the snippet is in the stelp subset and infer its static types.
 * Never throws: everything outside the subset becomes a diagnostic. The implementation lives in
 * src/check/ (checker.ts walks the AST, solver.ts infers types, flow.ts checks reachability).
 */
import type * as acorn from "acorn";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import type { TypedProgram } from "./typed-program.js";
import { Checker, type CheckOptions } from "./check/checker.js";

export type { CheckOptions } from "./check/checker.js";

export interface CheckResult {
  program: TypedProgram | null;
  diagnostics: Diagnostic[];
}

/** How many times the checker may re-run with more dyn slots or split assignments. */
const MAX_ROUNDS = 8;

/**
 * Checks the program. When a variable, parameter, return value or array element turns out to hold
 * values of several types, the checker asks for that slot to be a dyn value (or, for `x = e;` that
 * changes x's type, for x to be a new variable from there on) and the program is checked again from
 * scratch with that decision; the diagnostics of the last round are reported.
 */
export function check(ast: acorn.Program, options: CheckOptions): CheckResult {
  const dynSlots = new Set<string>();
  const splits = new Set<string>();
  let checker: Checker | null = null;
  try {
    for (let round = 0; ; round++) {
      const opts: CheckOptions = { ...options, allowRandom: Boolean(options && options.allowRandom), dynSlots, splits };
      checker = new Checker(ast, opts);
      const program = checker.run();
      if (program || round + 1 >= MAX_ROUNDS) return { program, diagnostics: checker.diagnostics };
      const before = dynSlots.size + splits.size;
      const splitsBefore = splits.size;
      for (const k of checker.wantSplit) splits.add(k);
      // A split assignment resolves the conflict at its variable: dyn requests of the same round wait.
      if (splits.size === splitsBefore) for (const k of checker.wantDyn) dynSlots.add(k);
      if (dynSlots.size + splits.size === before) return { program, diagnostics: checker.diagnostics };
    }
  } catch (e) {
    const previous = checker ? checker.diagnostics : [];
    const d =
      e instanceof RangeError
        ? diagnostic(
            "input-too-complex",
            "the snippet is too large or too deeply nested to check",
            "simplify it: flatten nested expressions, split long functions, use fewer statements",
            { line: 0, column: 0 },
            "check",
          )
        : diagnostic(
            "internal-error",
            `the checker failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
            "this is a stelp bug; rewriting the construct near the error may work around it",
            { line: 0, column: 0 },
            "check",
          );
    return { program: null, diagnostics: [...previous, d] };
  }
}
