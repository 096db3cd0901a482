// Integer-valued numbers: which `let`/`const` variables of type number provably only ever hold
// finite integers, and which expressions provably evaluate to one. The emitter uses this to index
// arrays without the integrality test of a general JavaScript number: for a finite integer i,
// "i is an array index below length" is `<u32><i32>i < <u32>length` (a saturating truncation of
// i >= 2^31 gives 2^31 - 1, never below a length: one AS array holds fewer than 2^30 elements;
// a negative i gives a negative i32, above every length read unsigned). NaN, fractions and the
// infinities never reach that test: their values are never integer-valued by these rules.
//
// The facts are flow-insensitive: a variable qualifies when every value ever stored in it is a
// finite integer, whatever the order of the stores (closures, loops, TDZ reads of AS's 0.0 default
// included). Each integer-valued expression has a magnitude bound: |value| <= 2^bits.
//
//  - literals: integers (bits of their magnitude); `a.length`: 31; `x | y`, `x & y`, `x ^ y`,
//    `x << y`, `x >> y`, `~x`: 31 (ToInt32); `x >>> y`: 32 (ToUint32), whatever the operands are;
//  - `-x`: bits(x) (may give -0, which indexes like +0 in JavaScript and here);
//  - `x + y`, `x - y`: max + 1 and `x * y`: sum, of integer operands: an f64 sum or product of
//    integers is an integer (exact below 2^53, and every f64 of magnitude >= 2^53 is an integer)
//    and finite while the bound stays below 2^1023 (we stop at MAX_BITS);
//  - `c ? x : y`: the larger bound of x and y;
//  - a variable: the bound found for it (below).
//
// A variable (a `let`/`const` declared once with an initialiser, not a parameter nor a for-of,
// for-in or catch binding) qualifies when its initialiser and every value assigned with `=` are
// integer-valued and every other write is `++`, `--`, `+= e` or `-= e` with an integer-valued e
// (the step). Such a variable's magnitude stays below 2^(max(assigned bits, step bits + 55) + 1):
// adding a step |k| <= 2^s to an f64 v with |v| >= 2^(s+54) rounds back to v (|k| is below half
// of v's ulp, 2^(e-53) for |v| in [2^e, 2^(e+1))), so the steps can grow |v| at most to just past
// 2^(s+54), whatever the number of iterations; no fuel or time argument is needed. The bounds are
// a fixpoint: start at 0 for every candidate, raise each variable to what its writes need, drop a
// variable whose bound passes MAX_BITS (e.g. `v = v * 2`) together with every expression that
// uses it, repeat until nothing changes.
import type { Expr, TypedProgram, VariableSymbol } from "./typed-program.js";

/** Bounds above this are not tracked (2^1000 leaves room below f64's 2^1024 for one more add). */
const MAX_BITS = 1000;

/** Magnitude bounds (bits) of the variables that only ever hold finite integers. */
export type IntegerFacts = Map<VariableSymbol, number>;

/** Bits of |value| for an integer-valued expression, or null when it may be fractional, NaN or infinite. */
export function integerBits(e: Expr, facts: IntegerFacts): number | null {
  switch (e.kind) {
    case "number":
      if (!Number.isInteger(e.value)) return null;
      return Math.max(0, Math.ceil(Math.log2(Math.abs(e.value) + 1)));
    case "var": {
      if (e.type.kind !== "number") return null;
      return facts.get(e.symbol) ?? null;
    }
    case "member":
      return e.name === "length" && (e.object.type.kind === "array" || e.object.type.kind === "string") ? 31 : null;
    case "unary":
      if (e.type.kind !== "number") return null;
      if (e.op === "~") return 31;
      if (e.op === "-") return integerBits(e.operand, facts);
      return null;
    case "binary": {
      if (e.type.kind !== "number") return null;
      switch (e.op) {
        case "|":
        case "&":
        case "^":
        case "<<":
        case ">>":
          return 31;
        case ">>>":
          return 32;
        case "+":
        case "-":
        case "*": {
          if (e.left.type.kind !== "number" || e.right.type.kind !== "number") return null;
          const l = integerBits(e.left, facts);
          const r = l === null ? null : integerBits(e.right, facts);
          if (l === null || r === null) return null;
          const bits = e.op === "*" ? l + r : Math.max(l, r) + 1;
          return bits <= MAX_BITS ? bits : null;
        }
        default:
          return null;
      }
    }
    case "conditional": {
      if (e.type.kind !== "number") return null;
      const a = integerBits(e.consequent, facts);
      const b = a === null ? null : integerBits(e.alternate, facts);
      return a === null || b === null ? null : Math.max(a, b);
    }
    default:
      return null;
  }
}

interface Writes {
  decls: number;
  /** Values stored whole: the initialiser and `=`. */
  values: Expr[];
  /** Steps of `+=`/`-=` (null: `++`/`--`, a step of 1). */
  steps: (Expr | null)[];
  /** Written some other way (`*=`, a binding of for-of, for-in or catch, a parameter). */
  other: boolean;
}

/** Finds the integer-valued variables of a program (see the file comment). */
export function integerFacts(p: TypedProgram): IntegerFacts {
  const writes = new Map<VariableSymbol, Writes>();
  const of = (s: VariableSymbol): Writes => {
    let w = writes.get(s);
    if (!w) writes.set(s, (w = { decls: 0, values: [], steps: [], other: false }));
    return w;
  };
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    const n = node as Record<string, unknown> & { kind?: unknown };
    switch (n.kind) {
      case "var-decl": {
        const w = of(n.symbol as VariableSymbol);
        w.decls++;
        w.values.push(n.init as Expr);
        break;
      }
      case "assign": {
        const target = n.target as { kind: string; symbol?: VariableSymbol };
        if (target.kind === "var") {
          const w = of(target.symbol!);
          if (n.op === "=") w.values.push(n.value as Expr);
          else if (n.op === "+=" || n.op === "-=") w.steps.push(n.value as Expr);
          else w.other = true;
        }
        break;
      }
      case "update": {
        const target = n.target as { kind: string; symbol?: VariableSymbol };
        if (target.kind === "var") of(target.symbol!).steps.push(null);
        break;
      }
      case "for-of":
      case "for-in":
        of(n.binding as VariableSymbol).other = true;
        break;
      case "try": {
        const handler = n.handler as { param: VariableSymbol | null } | null;
        if (handler?.param) of(handler.param).other = true;
        break;
      }
      case "variable": {
        // A symbol reached through a reference: parameters are written by their callers.
        const s = n as unknown as VariableSymbol;
        if (s.isParam) of(s).other = true;
        return;
      }
      default:
        break;
    }
    for (const key of Object.keys(n)) {
      if (key === "type" || key === "loc") continue;
      visit(n[key]);
    }
  };
  for (const f of p.functions) {
    for (const param of f.symbol.params) of(param).other = true;
    visit(f.symbol.defaults);
    visit(f.body);
  }
  for (const c of p.classes ?? []) visit(c.fields.map((f) => f.init));
  visit(p.body);

  const facts: IntegerFacts = new Map();
  for (const [s, w] of writes) {
    if (s.type.kind === "number" && !s.isParam && !w.other && w.decls === 1) facts.set(s, 0);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [s, bits] of facts) {
      const w = writes.get(s)!;
      let need = 0;
      let ok = true;
      for (const v of w.values) {
        const b = integerBits(v, facts);
        if (b === null) ok = false;
        else need = Math.max(need, b);
      }
      let step = -1;
      for (const v of w.steps) {
        const b = v === null ? 0 : integerBits(v, facts);
        if (b === null) ok = false;
        else step = Math.max(step, b);
      }
      if (step >= 0) need = Math.max(need, step + 55) + 1;
      if (!ok || need > MAX_BITS) {
        facts.delete(s);
        changed = true;
      } else if (need > bits) {
        facts.set(s, need);
        changed = true;
      }
    }
  }
  return facts;
}
