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

export function check(ast: acorn.Program, options: CheckOptions): CheckResult {
  const opts: CheckOptions = { allowRandom: Boolean(options && options.allowRandom) };
  let checker: Checker | null = null;
  try {
    checker = new Checker(ast, opts);
    const program = checker.run();
    return { program, diagnostics: checker.diagnostics };
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
