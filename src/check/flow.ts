/**
 * Conservative reachability on the typed IR: can control reach the end of a statement list?
 * `while (true)`/`for (;;)` loops without a `break` that leaves them do not complete; `return`,
 * `break` and `continue` do not complete; an `if` completes when one of its branches does; a
 * `switch` completes when it has no default, when a `break` leaves it, or when its last body does.
 */
import type { Expr, Stmt } from "../typed-program.js";

interface FlowState {
  /** Ids of the loops, switches and labelled statements that a `break` leaves. */
  broken: Set<number>;
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

export function listCompletes(stmts: readonly Stmt[], state: FlowState = { broken: new Set() }): boolean {
  for (const s of stmts) {
    if (!stmtCompletes(s, state)) return false;
  }
  return true;
}

function stmtCompletes(s: Stmt, state: FlowState): boolean {
  switch (s.kind) {
    case "var-decl":
    case "expr":
      return true;
    case "return":
    case "throw":
      return false;
    case "break":
      state.broken.add(s.target);
      return false;
    case "continue":
      return false;
    case "block":
      return listCompletes(s.body, state);
    case "labeled": {
      const a = listCompletes(s.body, state);
      return a || state.broken.has(s.id);
    }
    case "if": {
      const a = listCompletes(s.consequent, state);
      const b = s.alternate ? listCompletes(s.alternate, state) : true;
      return a || b;
    }
    case "while":
    case "for":
      listCompletes(s.body, state);
      return state.broken.has(s.id) || !isConstantTruthy(s.test);
    case "for-of":
    case "for-in":
      listCompletes(s.body, state);
      return true;
    case "do-while": {
      const bodyCompletes = listCompletes(s.body, state);
      if (state.broken.has(s.id)) return true;
      // A `continue` reaches the test too: be conservative and treat the test as reached.
      return (bodyCompletes || hasContinue(s.body, s.id)) && !isConstantTruthy(s.test);
    }
    case "try": {
      const block = listCompletes(s.block, state);
      const handler = s.handler ? listCompletes(s.handler.body, state) : false;
      const fin = s.finalizer ? listCompletes(s.finalizer, state) : true;
      return (block || handler || state.broken.has(s.id) || state.broken.has(s.handlerId)) && fin;
    }
    case "switch": {
      let last = true;
      for (const c of s.cases) last = listCompletes(c.body, state);
      const hasDefault = s.cases.some((c) => c.test === null);
      return !hasDefault || last || state.broken.has(s.id);
    }
  }
}

/** Whether a `continue` of loop `id` occurs in the statements. */
function hasContinue(stmts: readonly Stmt[], id: number): boolean {
  for (const s of stmts) {
    switch (s.kind) {
      case "continue":
        if (s.target === id) return true;
        break;
      case "block":
      case "labeled":
      case "while":
      case "do-while":
      case "for":
      case "for-of":
      case "for-in":
        if (hasContinue(s.body, id)) return true;
        break;
      case "if":
        if (hasContinue(s.consequent, id) || (s.alternate && hasContinue(s.alternate, id))) return true;
        break;
      case "switch":
        if (s.cases.some((c) => hasContinue(c.body, id))) return true;
        break;
      case "try":
        if (hasContinue(s.block, id) || (s.handler && hasContinue(s.handler.body, id)) || (s.finalizer && hasContinue(s.finalizer, id))) return true;
        break;
      default:
        break;
    }
  }
  return false;
}
