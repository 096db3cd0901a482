/**
 * Conservative reachability on the typed IR: can control reach the end of a statement list?
 * `while (true)`/`for (;;)` loops without a `break` do not complete; `return`, `break` and
 * `continue` do not complete; an `if` completes when one of its branches does.
 */
import type { Expr, Stmt } from "../typed-program.js";

interface LoopState {
  breaks: boolean;
  continues: boolean;
}

/** True when the test is a literal that JS always considers truthy. */
export function isConstantTruthy(e: Expr | null): boolean {
  if (e === null) return true;
  switch (e.kind) {
    case "boolean":
      return e.value;
    case "number":
      return e.value !== 0 && !Number.isNaN(e.value);
    case "string":
      return e.value.length > 0;
    default:
      return false;
  }
}

export function listCompletes(stmts: readonly Stmt[], loop: LoopState | null = null): boolean {
  for (const s of stmts) {
    if (!stmtCompletes(s, loop)) return false;
  }
  return true;
}

function stmtCompletes(s: Stmt, loop: LoopState | null): boolean {
  switch (s.kind) {
    case "var-decl":
    case "expr":
      return true;
    case "return":
      return false;
    case "break":
      if (loop) loop.breaks = true;
      return false;
    case "continue":
      if (loop) loop.continues = true;
      return false;
    case "block":
      return listCompletes(s.body, loop);
    case "if": {
      const a = listCompletes(s.consequent, loop);
      const b = s.alternate ? listCompletes(s.alternate, loop) : true;
      return a || b;
    }
    case "while": {
      const inner: LoopState = { breaks: false, continues: false };
      listCompletes(s.body, inner);
      return inner.breaks || !isConstantTruthy(s.test);
    }
    case "for": {
      const inner: LoopState = { breaks: false, continues: false };
      listCompletes(s.body, inner);
      return inner.breaks || !isConstantTruthy(s.test);
    }
    case "do-while": {
      const inner: LoopState = { breaks: false, continues: false };
      const bodyCompletes = listCompletes(s.body, inner);
      if (inner.breaks) return true;
      return (bodyCompletes || inner.continues) && !isConstantTruthy(s.test);
    }
  }
}
