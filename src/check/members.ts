/**
 * Typing of the built-in library: methods of arrays, strings, numbers, Maps, Sets and dictionary
 * objects, their properties (`length`, `size`), indexing, and the global functions and
 * constructors (`Number`, `parseInt`, `Array.from`, `Object.keys`, `JSON.stringify`, `new Set`…).
 *
 * A method whose receiver type is not known yet (a parameter typed only by later calls) is a
 * deferred constraint: it is applied when the receiver's type becomes known, so the callback
 * parameters and the result get their types then. Every accepted combination has a JavaScript-exact
 * implementation in the emitter (src/emit.ts) and the runtime.
 */
import type * as acorn from "acorn";
import {
  BOOLEAN,
  DYN,
  NUMBER,
  STRING,
  VOID,
  typeName,
  type BuiltinCallExpr,
  type Expr,
  type IndexExpr,
  type MethodCallExpr,
  type Type,
} from "../typed-program.js";
import { locOf, type Checker, type Scope, type TExpr } from "./checker.js";
import type { Term, TVar } from "./solver.js";

export interface ArgX {
  x: TExpr;
  spread: boolean;
  node: acorn.Node;
}

interface Call {
  node: acorn.CallExpression;
  recv: TExpr;
  term: Term;
  args: ArgX[];
  result: TVar;
  name: string;
  /** `arr.name` for messages. */
  what: string;
}

type Impl = (m: Members, c: Call) => void;

/** Which receiver kinds have a method of this name (in preference order for unknown receivers). */
const METHOD_KINDS = new Map<string, string[]>();

/**
 * Method tables are looked up by the property name the snippet wrote, so they have no prototype:
 * `a.valueOf()` or `a.propertyIsEnumerable(i)` must not find Object.prototype's functions.
 */
function methodTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

const ARRAY_METHODS: Record<string, Impl> = methodTable();
const STRING_METHODS: Record<string, Impl> = methodTable();
const NUMBER_METHODS: Record<string, Impl> = methodTable();
const BOOLEAN_METHODS: Record<string, Impl> = methodTable();
const MAP_METHODS: Record<string, Impl> = methodTable();
const SET_METHODS: Record<string, Impl> = methodTable();
const DICT_METHODS: Record<string, Impl> = methodTable();
const RECORD_METHODS: Record<string, Impl> = methodTable();

const TABLES: Record<string, Record<string, Impl>> = {
  string: STRING_METHODS,
  array: ARRAY_METHODS,
  number: NUMBER_METHODS,
  boolean: BOOLEAN_METHODS,
  map: MAP_METHODS,
  set: SET_METHODS,
  dict: DICT_METHODS,
  record: RECORD_METHODS,
};

/** Methods that exist in JS but are deliberately not supported, with a hint. */
const REJECTED_METHODS: Record<string, string> = Object.assign(methodTable<string>(), {
  localeCompare: "localeCompare depends on the locale's collation: compare with < and > (code-unit order), e.g. `a < b ? -1 : a > b ? 1 : 0`",
  match: "regular expressions are not supported: use indexOf/includes, or loop over the characters",
  matchAll: "regular expressions are not supported: loop over the characters",
  search: "regular expressions are not supported: use indexOf",
  normalize: "Unicode normalisation is not supported",
  toLocaleString: "locale formatting is not supported: use toString() or toFixed()",
  toLocaleUpperCase: "use toUpperCase()",
  toLocaleLowerCase: "use toLowerCase()",
  copyWithin: "copy the elements with a loop",
  toSorted: "copy the array and sort it: `[...a].sort(…)`",
  toReversed: "copy the array and reverse it: `[...a].reverse()`",
  toSpliced: "copy the array and splice it: `const b = [...a]; b.splice(…)`",
  with: "copy the array and assign the element",
});

for (const [kind, table] of Object.entries(TABLES)) void kind, void table;

function def(table: Record<string, Impl>, kind: string, names: string[], impl: Impl): void {
  for (const n of names) {
    table[n] = impl;
    const kinds = METHOD_KINDS.get(n) ?? [];
    if (!kinds.includes(kind)) kinds.push(kind);
    METHOD_KINDS.set(n, kinds);
  }
}

/** The element type of an array term. */
function elemOf(t: Term): TVar {
  return (t as { elem: TVar }).elem;
}

// ---------------------------------------------------------------------------------------------
// Strings

def(STRING_METHODS, "string", ["charAt"], (m, c) => {
  if (!m.count(c, 0, 1)) return;
  m.numArg(c, 0);
  m.result(c, STRING);
});
def(STRING_METHODS, "string", ["charCodeAt", "codePointAt"], (m, c) => {
  if (!m.count(c, 0, 1)) return;
  m.numArg(c, 0);
  m.result(c, NUMBER);
});
def(STRING_METHODS, "string", ["at"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.numArg(c, 0);
  m.result(c, STRING);
});
def(STRING_METHODS, "string", ["indexOf", "lastIndexOf"], (m, c) => {
  if (!m.count(c, 1, 2)) return;
  m.strArg(c, 0);
  m.numArg(c, 1);
  m.result(c, NUMBER);
});
def(STRING_METHODS, "string", ["includes", "startsWith", "endsWith"], (m, c) => {
  if (!m.count(c, 1, 2)) return;
  m.strArg(c, 0);
  m.numArg(c, 1);
  m.result(c, BOOLEAN);
});
def(STRING_METHODS, "string", ["slice", "substring", "substr"], (m, c) => {
  if (!m.count(c, 0, 2)) return;
  m.numArg(c, 0);
  m.numArg(c, 1);
  m.result(c, STRING);
});
def(STRING_METHODS, "string", ["toUpperCase", "toLowerCase", "trim", "trimStart", "trimEnd", "trimLeft", "trimRight", "toString", "valueOf"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, STRING);
});
def(STRING_METHODS, "string", ["repeat"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.numArg(c, 0);
  m.result(c, STRING);
});
def(STRING_METHODS, "string", ["padStart", "padEnd"], (m, c) => {
  if (!m.count(c, 1, 2)) return;
  m.numArg(c, 0);
  m.strArg(c, 1);
  m.result(c, STRING);
});
def(STRING_METHODS, "string", ["split"], (m, c) => {
  if (!m.count(c, 0, 2)) return;
  m.separatorArg(c, 0);
  m.numArg(c, 1);
  m.result(c, { kind: "array", elem: m.ck.solver.fresh(STRING) });
});
def(STRING_METHODS, "string", ["replace", "replaceAll"], (m, c) => {
  if (!m.count(c, 2, 2)) return;
  m.strArg(c, 0);
  const r = c.args[1]!;
  if (r.x.fn) {
    m.ck.report("unsupported-builtin", `a function as the replacement of \`${c.name}\` is not supported`, "compute the replacement string first, or build the result with a loop", r.node);
    m.ck.solver.poison(c.result);
    return;
  }
  m.strArg(c, 1);
  m.result(c, STRING);
});
def(STRING_METHODS, "string", ["concat"], (m, c) => {
  for (let i = 0; i < c.args.length; i++) {
    if (c.args[i]!.spread) {
      m.spreadNotSupported(c, i);
      return;
    }
    m.stringableArg(c, i);
  }
  m.result(c, STRING);
});

// ---------------------------------------------------------------------------------------------
// Numbers and booleans

def(NUMBER_METHODS, "number", ["toString"], (m, c) => {
  if (!m.count(c, 0, 1)) return;
  m.numArg(c, 0);
  m.result(c, STRING);
});
def(NUMBER_METHODS, "number", ["toFixed", "toPrecision", "toExponential"], (m, c) => {
  if (!m.count(c, 0, 1)) return;
  m.numArg(c, 0);
  m.result(c, STRING);
});
def(NUMBER_METHODS, "number", ["valueOf"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, NUMBER);
});
def(BOOLEAN_METHODS, "boolean", ["toString"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, STRING);
});
def(BOOLEAN_METHODS, "boolean", ["valueOf"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, BOOLEAN);
});

// ---------------------------------------------------------------------------------------------
// Arrays

def(ARRAY_METHODS, "array", ["push", "unshift"], (m, c) => {
  const elem = elemOf(c.term);
  c.args.forEach((a, i) => {
    if (a.spread) m.spreadInto(c, i, elem);
    else m.elemArg(c, i, elem);
  });
  m.result(c, NUMBER);
});
def(ARRAY_METHODS, "array", ["pop", "shift"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.resultVar(c, elemOf(c.term));
});
def(ARRAY_METHODS, "array", ["at"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.numArg(c, 0);
  m.resultVar(c, elemOf(c.term));
});
def(ARRAY_METHODS, "array", ["slice"], (m, c) => {
  if (!m.count(c, 0, 2)) return;
  m.numArg(c, 0);
  m.numArg(c, 1);
  m.result(c, { kind: "array", elem: elemOf(c.term) });
});
def(ARRAY_METHODS, "array", ["splice"], (m, c) => {
  if (c.args.length < 1) {
    m.count(c, 1, Infinity);
    return;
  }
  const elem = elemOf(c.term);
  c.args.forEach((a, i) => {
    if (a.spread) {
      if (i < 2) m.spreadNotSupported(c, i);
      else m.spreadInto(c, i, elem);
    } else if (i < 2) m.numArg(c, i);
    else m.elemArg(c, i, elem);
  });
  m.result(c, { kind: "array", elem });
});
def(ARRAY_METHODS, "array", ["concat"], (m, c) => {
  const elem = elemOf(c.term);
  c.args.forEach((a, i) => {
    if (a.spread) {
      m.spreadNotSupported(c, i);
      return;
    }
    m.concatArg(c, i, elem);
  });
  m.result(c, { kind: "array", elem });
});
def(ARRAY_METHODS, "array", ["indexOf", "lastIndexOf"], (m, c) => {
  if (!m.count(c, 1, 2)) return;
  m.elemArg(c, 0, elemOf(c.term));
  m.numArg(c, 1);
  m.result(c, NUMBER);
});
def(ARRAY_METHODS, "array", ["includes"], (m, c) => {
  if (!m.count(c, 1, 2)) return;
  m.elemArg(c, 0, elemOf(c.term));
  m.numArg(c, 1);
  m.result(c, BOOLEAN);
});
def(ARRAY_METHODS, "array", ["join"], (m, c) => {
  if (!m.count(c, 0, 1)) return;
  m.strArg(c, 0);
  m.joinable(c, elemOf(c.term));
  m.result(c, STRING);
});
def(ARRAY_METHODS, "array", ["toString"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.joinable(c, elemOf(c.term));
  m.result(c, STRING);
});
def(ARRAY_METHODS, "array", ["reverse"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.resultVar(c, c.recv.t);
});
def(ARRAY_METHODS, "array", ["fill"], (m, c) => {
  if (!m.count(c, 1, 3)) return;
  m.elemArg(c, 0, elemOf(c.term));
  m.numArg(c, 1);
  m.numArg(c, 2);
  m.resultVar(c, c.recv.t);
});
def(ARRAY_METHODS, "array", ["flat"], (m, c) => {
  if (!m.count(c, 0, 1)) return;
  if (c.args.length === 1) {
    const a = c.args[0]!.x.e;
    if (a.kind !== "number" || a.value !== 1) {
      m.ck.report("unsupported-builtin", "`flat` is only supported with depth 1", "call .flat() (depth 1) once per level", c.args[0]!.node);
      return;
    }
  }
  const elem = elemOf(c.term);
  m.ck.whenKnown(elem, (t) => {
    // Depth 1: arrays of arrays lose one level; other elements stay.
    if (t.kind === "array") m.result(c, { kind: "array", elem: elemOf(t) });
    else m.result(c, { kind: "array", elem });
  });
});
def(ARRAY_METHODS, "array", ["sort"], (m, c) => {
  if (!m.count(c, 0, 1)) return;
  const elem = elemOf(c.term);
  if (c.args.length === 1) m.callback(c, 0, [elem, elem], "number");
  else m.sortable(c, elem);
  m.resultVar(c, c.recv.t);
});
def(ARRAY_METHODS, "array", ["map"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  const u = m.ck.solver.fresh();
  m.callback(c, 0, m.elementCallbackParams(c), u);
  m.result(c, { kind: "array", elem: u });
});
def(ARRAY_METHODS, "array", ["flatMap"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  const u = m.ck.solver.fresh();
  m.callback(c, 0, m.elementCallbackParams(c), m.ck.solver.fresh({ kind: "array", elem: u }));
  m.result(c, { kind: "array", elem: u });
});
def(ARRAY_METHODS, "array", ["filter"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.callback(c, 0, m.elementCallbackParams(c), "truthy");
  m.result(c, { kind: "array", elem: elemOf(c.term) });
});
def(ARRAY_METHODS, "array", ["some", "every"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.callback(c, 0, m.elementCallbackParams(c), "truthy");
  m.result(c, BOOLEAN);
});
def(ARRAY_METHODS, "array", ["find", "findLast"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.callback(c, 0, m.elementCallbackParams(c), "truthy");
  m.resultVar(c, elemOf(c.term));
});
def(ARRAY_METHODS, "array", ["findIndex", "findLastIndex"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.callback(c, 0, m.elementCallbackParams(c), "truthy");
  m.result(c, NUMBER);
});
def(ARRAY_METHODS, "array", ["forEach"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.callback(c, 0, m.elementCallbackParams(c), "void");
  m.result(c, VOID);
});
def(ARRAY_METHODS, "array", ["reduce", "reduceRight"], (m, c) => {
  if (!m.count(c, 1, 2)) return;
  const s = m.ck.solver;
  const elem = elemOf(c.term);
  const acc = c.args.length === 2 ? s.fresh() : elem;
  if (c.args.length === 2) m.elemArg(c, 1, acc);
  m.callback(c, 0, [acc, elem, s.fresh(NUMBER), c.recv.t], acc);
  m.resultVar(c, acc);
});
def(ARRAY_METHODS, "array", ["keys"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, { kind: "array", elem: m.ck.solver.fresh(NUMBER) });
});
def(ARRAY_METHODS, "array", ["entries"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, { kind: "array", elem: m.ck.solver.fresh({ kind: "tuple", elems: [m.ck.solver.fresh(NUMBER), elemOf(c.term)] }) });
});
def(ARRAY_METHODS, "array", ["values"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, { kind: "array", elem: elemOf(c.term) });
});

// ---------------------------------------------------------------------------------------------
// Map, Set, dictionaries

def(MAP_METHODS, "map", ["get"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  const t = c.term as { key: TVar; value: TVar };
  m.elemArg(c, 0, t.key);
  m.resultVar(c, t.value);
});
def(MAP_METHODS, "map", ["set"], (m, c) => {
  if (!m.count(c, 2, 2)) return;
  const t = c.term as { key: TVar; value: TVar };
  m.elemArg(c, 0, t.key);
  m.elemArg(c, 1, t.value);
  m.resultVar(c, c.recv.t);
});
def(MAP_METHODS, "map", ["has", "delete"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.elemArg(c, 0, (c.term as { key: TVar }).key);
  m.result(c, BOOLEAN);
});
def(MAP_METHODS, "map", ["clear"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, VOID);
});
def(MAP_METHODS, "map", ["keys"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, { kind: "array", elem: (c.term as { key: TVar }).key });
});
def(MAP_METHODS, "map", ["values"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, { kind: "array", elem: (c.term as { value: TVar }).value });
});
def(MAP_METHODS, "map", ["entries"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  const t = c.term as { key: TVar; value: TVar };
  m.result(c, { kind: "array", elem: m.ck.solver.fresh({ kind: "tuple", elems: [t.key, t.value] }) });
});
def(MAP_METHODS, "map", ["forEach"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  const t = c.term as { key: TVar; value: TVar };
  m.callback(c, 0, [t.value, t.key, c.recv.t], "void");
  m.result(c, VOID);
});
def(SET_METHODS, "set", ["add"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.elemArg(c, 0, elemOf(c.term));
  m.resultVar(c, c.recv.t);
});
def(SET_METHODS, "set", ["has", "delete"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.elemArg(c, 0, elemOf(c.term));
  m.result(c, BOOLEAN);
});
def(SET_METHODS, "set", ["clear"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, VOID);
});
def(SET_METHODS, "set", ["keys", "values"], (m, c) => {
  if (!m.count(c, 0, 0)) return;
  m.result(c, { kind: "array", elem: elemOf(c.term) });
});
def(SET_METHODS, "set", ["forEach"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  const e = elemOf(c.term);
  m.callback(c, 0, [e, e, c.recv.t], "void");
  m.result(c, VOID);
});
def(DICT_METHODS, "dict", ["hasOwnProperty"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.keyArg(c, 0);
  m.result(c, BOOLEAN);
});
def(RECORD_METHODS, "record", ["hasOwnProperty"], (m, c) => {
  if (!m.count(c, 1, 1)) return;
  m.keyArg(c, 0);
  m.result(c, BOOLEAN);
});


/** Global functions callable by name. */
const GLOBAL_FUNCTIONS = new Set(["Number", "String", "Boolean", "parseInt", "parseFloat", "isNaN", "isFinite", "Array"]);

/** Constants of `Number`. */
const NUMBER_CONSTANTS = new Map<string, number>([
  ["MAX_SAFE_INTEGER", Number.MAX_SAFE_INTEGER],
  ["MIN_SAFE_INTEGER", Number.MIN_SAFE_INTEGER],
  ["MAX_VALUE", Number.MAX_VALUE],
  ["MIN_VALUE", Number.MIN_VALUE],
  ["EPSILON", Number.EPSILON],
  ["POSITIVE_INFINITY", Infinity],
  ["NEGATIVE_INFINITY", -Infinity],
  ["NaN", NaN],
]);

// ---------------------------------------------------------------------------------------------

export class Members {
  /** Method calls whose name must be final-checked (e.g. the emitter needs element types). */
  constructor(readonly ck: Checker) {}

  // ---- small helpers used by the method tables ----------------------------------------------

  count(c: Call, min: number, max: number): boolean {
    const spreadAt = c.args.findIndex((a) => a.spread);
    if (spreadAt >= 0) {
      this.spreadNotSupported(c, spreadAt);
      return false;
    }
    if (c.args.length < min || c.args.length > max) {
      const range = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      this.ck.report("argument-count", `\`${c.what}\` takes ${range} argument(s) but is called with ${c.args.length}`, "pass the arguments the method documents", c.node);
      this.ck.solver.poison(c.result);
      return false;
    }
    return true;
  }

  spreadNotSupported(c: Call, i: number): void {
    this.ck.report("unsupported-syntax", `spread arguments are not supported in \`${c.what}\``, "pass the arguments explicitly", c.args[i]!.node);
    this.ck.solver.poison(c.result);
  }

  result(c: Call, t: Type | Term): void {
    this.bind(c.result, t, c.node, c.recv);
  }

  resultVar(c: Call, v: TVar): void {
    this.bind(c.result, v, c.node, c.recv);
  }

  /**
   * Gives a deferred result its type. It may already have another one (inferred before the
   * receiver's type was known): that is reported, and when the receiver is a variable that turned
   * out to hold values of several types, the next round makes it dyn from the start.
   */
  bind(result: TVar, t: Type | Term | TVar, at: acorn.Node, receiver: TExpr | null = null): void {
    const s = this.ck.solver;
    const r = t instanceof Object && "parent" in t ? s.unify(result, t as TVar) : s.assign(result, t as Type | Term);
    if (r.ok) return;
    if (receiver && receiver.e.kind === "var" && (s.kindOf(receiver.t) === "dyn" || s.find(receiver.t) === s.find(result))) {
      // The receiver turned out dyn after its reads were typed (or its elements are values of its own
      // type, as in a recursive function over nested arrays): the next round makes it dyn from the start.
      const slot = this.ck.slotOf(receiver.e.symbol);
      if (slot) this.ck.wantDyn.add(slot);
    }
    this.ck.report("type-mismatch", `this is a ${typeName(r.right)} here but it is used as a ${typeName(r.left)}`, "use values of one type consistently", at);
    s.poison(result);
  }

  numArg(c: Call, i: number): void {
    const a = c.args[i];
    if (!a) return;
    this.requireNumeric(a.x, a.node, `argument ${i + 1} of \`${c.what}\``);
  }

  strArg(c: Call, i: number): void {
    const a = c.args[i];
    if (!a) return;
    this.ck.expect(a.x.t, STRING, a.node as acorn.Node, (t) => `argument ${i + 1} of \`${c.what}\` must be a string, not a ${typeName(t)}`, "pass a string");
  }

  stringableArg(c: Call, i: number): void {
    const a = c.args[i];
    if (!a) return;
    this.requireStringable(a.x, a.node, `\`${c.what}\``);
  }

  keyArg(c: Call, i: number): void {
    const a = c.args[i];
    if (!a) return;
    this.requireKey(a.x, a.node);
  }

  elemArg(c: Call, i: number, elem: TVar): void {
    const a = c.args[i];
    if (!a) return;
    const e = this.ck.flow(a.x, elem, a.node, null, (el, v) => `\`${c.what}\` needs a ${typeName(el)} here, not a ${typeName(v)}`, "arrays, Maps and Sets hold values of one type");
    this.replaceArg(c, i, e);
  }

  private replaceArg(c: Call, i: number, e: Expr): void {
    const call = this.calls.get(c.node);
    if (call && call.args[i] !== e) call.args[i] = e;
  }

  spreadInto(c: Call, i: number, elem: TVar): void {
    const a = c.args[i]!;
    this.iterate(a.x, elem, a.node, `\`${c.what}(...)\``);
  }

  /** `a.concat(x)`: x is an array of the same element type, or one element. */
  concatArg(c: Call, i: number, elem: TVar): void {
    const a = c.args[i]!;
    const s = this.ck.solver;
    this.ck.whenKnown(a.x.t, (t) => {
      if (t.kind === "tuple") {
        this.ck.report("unsupported-builtin", `\`${c.what}\` with a [key, value] pair argument is not supported`, "push the pair, or concatenate an array of pairs", a.node);
        return;
      }
      if (t.kind === "array") {
        // concat spreads every array argument: its elements must be elements of the result.
        const eu = s.unify(elemOf(t), elem);
        if (!eu.ok) this.ck.report("type-mismatch", `\`${c.what}\` adds the elements of its array arguments: ${s.describe(a.x.t)} does not fit an array of ${s.describe(elem)}`, "concatenate arrays of one element type (use push to add an array as one element)", a.node);
        return;
      }
      this.elemArg(c, i, elem);
    }, () => {
      s.unify(a.x.t, s.fresh({ kind: "array", elem }));
      return true;
    });
  }

  /** Elements joined with `join`/`toString`/`String(a)`: primitives, nested arrays, null/undefined. */
  joinable(c: Call, elem: TVar): void {
    this.requireJoinable(elem, c.node);
  }

  requireJoinable(elem: TVar, at: acorn.Node): void {
    const s = this.ck.solver;
    this.ck.whenKnown(elem, (t) => {
      if (t.kind === "array") this.requireJoinable(elemOf(t), at);
      else if (t.kind === "dict" || t.kind === "record" || t.kind === "tuple" || t.kind === "map" || t.kind === "set" || t.kind === "fn" || t.kind === "void") {
        this.ck.report("unsupported-builtin", `joining ${s.describe(elem)} elements into a string is not supported`, "map the elements to strings first", at);
      }
    });
  }

  /** Default sort compares String(x): every element type that converts exactly is fine. */
  sortable(c: Call, elem: TVar): void {
    this.requireJoinable(elem, c.node);
    this.ck.whenKnown(elem, (t) => {
      if (t.kind === "dyn" || t.kind === "undefined") {
        this.ck.report("unsupported-builtin", "sort() without a comparator on values of several types is not supported", "pass a comparator, e.g. `(a, b) => …`", c.node);
      }
    });
  }

  /** The (value, index, array) parameters of array callbacks. */
  elementCallbackParams(c: Call): TVar[] {
    return [elemOf(c.term), this.ck.solver.fresh(NUMBER), c.recv.t];
  }

  callback(c: Call, i: number, params: TVar[], ret: TVar | "void" | "truthy" | "number"): void {
    const a = c.args[i];
    if (!a) return;
    this.ck.bindCallback(a.x, a.node, params, ret, `\`${c.what}\``);
  }

  /** `split(sep)`: a string, or a regular expression that matches exactly one fixed character class. */
  separatorArg(c: Call, i: number): void {
    const a = c.args[i];
    if (!a) return;
    if (a.x.e.kind === "builtin" && a.x.e.name === "regex-class") return;
    this.strArg(c, i);
  }

  // ---- shared requirements -------------------------------------------------------------------

  /** Operand of arithmetic: a number, or a string/boolean/null/undefined that JS converts with ToNumber. */
  requireNumeric(x: TExpr, at: acorn.Node, what: string): void {
    const s = this.ck.solver;
    const k = s.kindOf(x.t);
    if (!k) {
      s.assign(x.t, NUMBER, `used with ${what}`);
      return;
    }
    this.ck.whenKnown(x.t, (t) => {
      if (t.kind === "number" || t.kind === "string" || t.kind === "boolean" || t.kind === "null" || t.kind === "undefined" || t.kind === "dyn") return;
      const origin = s.originOf(x.t);
      this.ck.report("type-mismatch", `${what} needs a number, not a ${s.describe(x.t)}${origin ? ` (${origin})` : ""}`, "only numbers can be used with arithmetic and bitwise operators", at);
      s.poison(x.t);
    });
  }

  /** Converted with String(x) (templates, concatenation): primitives, arrays of them, dyn. */
  requireStringable(x: TExpr, at: acorn.Node, what: string): void {
    const s = this.ck.solver;
    this.ck.whenKnown(x.t, (t) => {
      if (t.kind === "array") {
        this.requireJoinable(elemOf(t), at);
        return;
      }
      if (t.kind === "tuple") {
        for (const e of (t as { elems: TVar[] }).elems) this.ck.whenKnown(e, (et) => {
          if (et.kind === "array") this.requireJoinable(elemOf(et), at);
          else if (et.kind !== "number" && et.kind !== "string" && et.kind !== "boolean" && et.kind !== "null" && et.kind !== "undefined" && et.kind !== "dyn") {
            this.ck.report("unsupported-builtin", `converting a ${s.describe(x.t)} to a string in ${what} is not supported`, "build the text from its parts", at);
          }
        });
        return;
      }
      if (t.kind === "class") return; // its toString(), or "[object Object]"
      if (t.kind === "dict" || t.kind === "record" || t.kind === "map" || t.kind === "set" || t.kind === "fn") {
        this.ck.report("unsupported-builtin", `converting a ${s.describe(x.t)} to a string in ${what} is not supported`, "build the text from its parts (JSON.stringify for data)", at);
        s.poison(x.t);
      }
    });
  }

  /** A console.log argument: anything but function values. */
  requirePrintable(x: TExpr, at: acorn.Node): void {
    const s = this.ck.solver;
    this.ck.whenKnown(x.t, (t) => {
      if (t.kind === "fn") {
        this.ck.report("unsupported-builtin", "printing a function is not supported", "print the function's result instead", at);
        s.poison(x.t);
      }
    });
  }

  /** A dictionary key: a string, or a number (converted with String(n)). */
  requireKey(x: TExpr, at: acorn.Node): void {
    const s = this.ck.solver;
    this.ck.whenKnown(
      x.t,
      (t) => {
        if (t.kind !== "string" && t.kind !== "number" && t.kind !== "dyn") {
          this.ck.report("type-mismatch", `an object key must be a string or a number, not a ${s.describe(x.t)}`, "use string keys", at);
          s.poison(x.t);
        }
      },
      () => {
        s.assign(x.t, STRING);
        return true;
      },
    );
  }

  // ---- iteration -----------------------------------------------------------------------------

  /** Elements of an iterable (for…of, spread, new Set(x), Array.from(x)): arrays, strings, Sets. */
  iterate(x: TExpr, elem: TVar, at: acorn.Node, what: string, slot: string | null = null): void {
    const s = this.ck.solver;
    this.ck.whenKnown(
      x.t,
      (t) => {
        switch (t.kind) {
          case "array":
          case "set":
            if (!this.ck.unify(elem, elemOf(t), at, (a, b) => `${what} gives ${typeName(b)} values here, but ${typeName(a)} values are expected`, "") && slot) this.ck.wantDyn.add(slot);
            return;
          case "string":
            this.ck.unify(elem, s.fresh(STRING), at, (a) => `${what} of a string gives strings, but ${typeName(a)} values are expected`, "");
            return;
          case "map": {
            const m = t as { key: TVar; value: TVar };
            this.ck.unify(elem, s.fresh({ kind: "tuple", elems: [m.key, m.value] }), at, (a, b) => `${what} of a Map gives ${typeName(b)} entries, but ${typeName(a)} values are expected`, "");
            return;
          }
          case "dyn":
            if (!this.ck.unify(elem, s.fresh(DYN), at, (a) => `${what} of a value of several types gives values of several types, but ${typeName(a)} values are expected`, "") && slot) this.ck.wantDyn.add(slot);
            return;
          default:
            this.ck.report("type-mismatch", `${what} needs an array, a string or a Set, not a ${s.describe(x.t)}`, t.kind === "dict" ? "objects are not iterable: use Object.keys(o)" : "iterate over an array", at);
            s.poison(x.t);
        }
      },
      () => {
        s.unify(x.t, s.fresh({ kind: "array", elem }));
        return true;
      },
    );
  }

  /** Keys of `for (k in o)`: a dictionary's keys, or an array's/string's indices, as strings. */
  forInKeys(x: TExpr, key: TVar, at: acorn.Node): void {
    const s = this.ck.solver;
    this.ck.unify(key, s.fresh(STRING), at, (a) => `for…in gives string keys, but the loop variable holds ${typeName(a)} values`, "use a fresh loop variable");
    this.ck.whenKnown(
      x.t,
      (t) => {
        if (t.kind === "dict" || t.kind === "array" || t.kind === "string" || t.kind === "record" || t.kind === "dyn") return;
        this.ck.report("type-mismatch", `for…in needs an object or an array, not a ${s.describe(x.t)}`, t.kind === "map" ? "use for (const k of map.keys())" : "loop over an object's keys", at);
      },
      () => {
        s.unify(x.t, s.fresh({ kind: "dict", value: s.fresh() }));
        return true;
      },
    );
  }

  /** `[...Array(n).keys()]`: the numbers 0…n-1. */
  arrayKeysSpread(node: acorn.Node, scope: Scope): TExpr | null {
    if (node.type !== "CallExpression") return null;
    const call = node as acorn.CallExpression;
    const callee = call.callee;
    if (call.arguments.length !== 0 || callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier" || callee.property.name !== "keys") return null;
    const inner = callee.object;
    if ((inner.type !== "CallExpression" && inner.type !== "NewExpression") || !this.ck.isBuiltinObject(inner.callee, "Array", scope) || inner.arguments.length !== 1) return null;
    const n = inner.arguments[0]!;
    if (n.type === "SpreadElement") return null;
    const nx = this.ck.value(n, scope);
    this.requireNumeric(nx, n, "`Array(n)`");
    return this.builtin("Array.range", [nx], node, { kind: "array", elem: this.ck.solver.fresh(NUMBER) });
  }

  // ---- expressions ---------------------------------------------------------------------------

  private builtin(name: string, args: TExpr[], node: acorn.Node, type: Type | Term | TVar, spread: boolean[] = []): TExpr {
    const e: BuiltinCallExpr = { kind: "builtin", name, args: args.map((a) => a.e), spread: args.map((_, i) => spread[i] ?? false), type: NUMBER, loc: locOf(node) };
    const t = type instanceof Object && "parent" in type ? (type as TVar) : this.ck.solver.fresh(type as Type | Term);
    return this.ck.make(e, t);
  }

  /** `o[i]`. */
  index(node: acorn.MemberExpression, obj: TExpr, idx: TExpr, lenient: boolean, numeric: boolean): TExpr {
    const s = this.ck.solver;
    const result = s.fresh();
    const e: IndexExpr = { kind: "index", object: obj.e, index: idx.e, lenient, numeric, type: NUMBER, loc: locOf(node) };
    const x = this.ck.make(e, result);
    const at = node.property;
    this.ck.whenKnown(
      obj.t,
      (t) => {
        switch (t.kind) {
          case "array":
            this.bind(result, elemOf(t), node, obj);
            this.requireIndex(idx, at, true);
            return;
          case "string":
            this.bind(result, STRING, node, obj);
            this.requireIndex(idx, at, false);
            return;
          case "dict":
            this.bind(result, (t as { value: TVar }).value, node, obj);
            this.requireKey(idx, at);
            return;
          case "record": {
            const key = idx.e.kind === "string" ? idx.e.value : idx.e.kind === "number" ? String(idx.e.value) : null;
            const r = t as { keys: string[]; fields: TVar[] };
            const at2 = key === null ? -1 : r.keys.indexOf(key);
            if (at2 < 0) {
              this.ck.report(
                "unsupported-syntax",
                key === null ? "an object with fields of different types can only be read with fixed keys" : `this object has no key \`${key}\``,
                key === null ? "read o.key, or keep one type for all values to use it as a dictionary" : `the keys are ${r.keys.join(", ")}`,
                node,
              );
              s.poison(result);
              return;
            }
            this.bind(result, r.fields[at2]!, node, obj);
            return;
          }
          case "tuple": {
            const i = idx.e.kind === "number" ? idx.e.value : -1;
            if (i !== 0 && i !== 1) {
              this.ck.report("unsupported-syntax", "a [key, value] pair can only be indexed with 0 or 1", "write entry[0] or entry[1], or destructure it: const [k, v] = entry", node);
              s.poison(result);
              return;
            }
            this.bind(result, (t as { elems: TVar[] }).elems[i]!, node, obj);
            return;
          }
          case "map":
            this.ck.report("unsupported-syntax", "`map[key]` reads a property, not an entry", "use map.get(key)", node);
            s.poison(result);
            return;
          case "dyn":
            // A value of several types: the read is dynamic too (undefined when JS finds nothing).
            this.bind(result, DYN, node, obj);
            this.ck.whenKnown(idx.t, (it) => {
              if (it.kind !== "number" && it.kind !== "string" && it.kind !== "dyn") {
                this.ck.report("type-mismatch", `a key must be a number or a string, not a ${s.describe(idx.t)}`, "index with a number or a string", at);
              }
            });
            return;
          default:
            this.ck.report("type-mismatch", `indexing with [] needs an array, a string or an object, not a ${s.describe(obj.t)}`, "index arrays and strings with a number", node);
            s.poison(result);
        }
      },
      () => {
        const ik = s.kindOf(idx.t);
        if (ik === "string") s.unify(obj.t, s.fresh({ kind: "dict", value: result }));
        else if (s.kindOf(result) === "string") s.assign(obj.t, STRING);
        else s.unify(obj.t, s.fresh({ kind: "array", elem: result }));
        return true;
      },
    );
    return x;
  }

  /** An array or string index: a number (a string index of an array, e.g. a for…in key, is converted). */
  private requireIndex(idx: TExpr, at: acorn.Node, stringOk: boolean): void {
    const s = this.ck.solver;
    if (!s.kindOf(idx.t)) {
      s.assign(idx.t, NUMBER);
      return;
    }
    this.ck.whenKnown(idx.t, (t) => {
      if (t.kind === "number" || (stringOk && t.kind === "string")) return;
      this.ck.report("type-mismatch", `an index must be a number, not a ${s.describe(idx.t)}`, "index with a number", at);
      s.poison(idx.t);
    });
  }

  /** `o.name` for a value o. */
  property(node: acorn.MemberExpression, obj: TExpr, prop: string): TExpr {
    const s = this.ck.solver;
    const result = s.fresh();
    const e: Expr = { kind: "member", object: obj.e, name: prop, type: NUMBER, loc: locOf(node) };
    const x = this.ck.make(e, result);
    const bad = () => {
      this.ck.report("unsupported-builtin", `property \`${prop}\` of a ${s.describe(obj.t)} is not supported`, METHOD_KINDS.has(prop) ? `\`${prop}\` is a method: call it with ()` : "see docs/subset.md for the supported properties", node.property);
      s.poison(result);
    };
    this.ck.whenKnown(
      obj.t,
      (t) => {
        switch (t.kind) {
          case "array":
          case "string":
          case "tuple":
            if (prop === "length") this.bind(result, NUMBER, node, obj);
            else bad();
            return;
          case "map":
          case "set":
            if (prop === "size") this.bind(result, NUMBER, node, obj);
            else bad();
            return;
          case "dict":
            this.bind(result, (t as { value: TVar }).value, node, obj);
            return;
          case "record": {
            const r = t as { keys: string[]; fields: TVar[] };
            const i = r.keys.indexOf(prop);
            if (i < 0) {
              this.ck.report("unsupported-syntax", `this object has no key \`${prop}\``, `the keys are ${r.keys.join(", ")} (add the key to the object literal)`, node.property);
              s.poison(result);
              return;
            }
            this.bind(result, r.fields[i]!, node, obj);
            return;
          }
          case "dyn":
            this.bind(result, DYN, node, obj);
            return;
          case "class": {
            const cls = this.ck.classById((t as { id: number }).id)!;
            const f = cls.fields.find((x) => x.name === prop);
            if (f) {
              this.bind(result, f.tv, node, obj);
              return;
            }
            this.ck.report(
              "unsupported-syntax",
              cls.methods.has(prop) ? `method \`${prop}\` is used as a value` : `\`${cls.name}\` has no field \`${prop}\``,
              cls.methods.has(prop) ? `call it: \`.${prop}(…)\`` : "create every field in the constructor (this.x = …) or declare it as a class field",
              node.property,
            );
            s.poison(result);
            return;
          }
          default:
            bad();
        }
      },
      () => {
        const unified =
          prop === "length"
            ? s.assign(obj.t, STRING)
            : prop === "size"
              ? s.unify(obj.t, s.fresh({ kind: "set", elem: s.fresh() }))
              : s.unify(obj.t, s.fresh({ kind: "dict", value: result }));
        if (!unified.ok) {
          // e.g. `e && e.message` with nothing else known about e: e would be a dictionary of its
          // own type. Nothing can decide it later, so say so instead of retrying.
          this.ck.report(
            "type-mismatch",
            `the type of this value cannot be inferred from \`.${prop}\` alone`,
            "give the parameter a JSDoc type (`/** @param {…} name */`), or call the function with an argument",
            node,
          );
          s.poison(result);
          s.poison(obj.t);
        }
        return true;
      },
    );
    return x;
  }

  /** Assignment targets `o[i]` and `o.name`. */
  elementTarget(m: acorn.MemberExpression, scope: Scope): { lv: import("../typed-program.js").LValue; tv: TVar; what: string; binding: null; slot: string | null } | null {
    const s = this.ck.solver;
    const obj = this.ck.value(m.object, scope);
    this.lastElementObject = obj.t;
    const result = s.fresh();
    if (m.computed) {
      if (this.ck.checkPropertyName(m) === null && m.property.type === "Literal" && typeof m.property.value === "string" && /^(__proto__|constructor|prototype)$/.test(m.property.value)) return null;
      const idx = this.ck.value(m.property, scope);
      this.ck.whenKnown(
        obj.t,
        (t) => {
          if (t.kind === "array") {
            this.bind(result, elemOf(t), m, obj);
            this.requireIndex(idx, m.property, false);
          } else if (t.kind === "dict") {
            this.bind(result, (t as { value: TVar }).value, m, obj);
            this.requireKey(idx, m.property);
          } else if (t.kind === "record" && idx.e.kind === "string" && (t as { keys: string[] }).keys.includes(idx.e.value)) {
            const r = t as { keys: string[]; fields: TVar[] };
            this.bind(result, r.fields[r.keys.indexOf(idx.e.value)]!, m, obj);
          } else if (t.kind === "string") {
            this.ck.report("unsupported-syntax", "strings cannot be changed by index (the assignment is ignored in JS)", "build a new string, e.g. `s.slice(0, i) + c + s.slice(i + 1)`", m);
            s.poison(result);
          } else {
            this.ck.report("type-mismatch", `cannot assign an element of a ${s.describe(obj.t)}`, "assign elements of arrays and objects", m);
            s.poison(result);
          }
        },
        () => {
          const ik = s.kindOf(idx.t);
          if (ik === "string") s.unify(obj.t, s.fresh({ kind: "dict", value: result }));
          else s.unify(obj.t, s.fresh({ kind: "array", elem: result }));
          return true;
        },
      );
      return { lv: { kind: "index", object: obj.e, index: idx.e }, tv: result, what: "this element", binding: null, slot: null };
    }
    const prop = this.ck.checkPropertyName(m);
    if (prop === null) return null;
    let fieldSlot: string | null = null;
    this.ck.whenKnown(
      obj.t,
      (t) => {
        if (t.kind === "dict") {
          this.bind(result, (t as { value: TVar }).value, m, obj);
          return;
        }
        if (t.kind === "class") {
          const cls = this.ck.classById((t as { id: number }).id)!;
          const f = cls.fields.find((x) => x.name === prop);
          if (f) {
            this.bind(result, f.tv, m, obj);
            fieldSlot = f.slot;
            return;
          }
          this.ck.report("unsupported-syntax", `\`${cls.name}\` has no field \`${prop}\``, "create every field at the top of the constructor (this.x = …) or declare it as a class field", m.property);
          s.poison(result);
          return;
        }
        if (t.kind === "record") {
          const r = t as { keys: string[]; fields: TVar[] };
          const i = r.keys.indexOf(prop);
          if (i >= 0) {
            this.bind(result, r.fields[i]!, m, obj);
            return;
          }
          this.ck.report("unsupported-syntax", `this object has no key \`${prop}\` (its keys are fixed)`, `add \`${prop}\` to the object literal`, m.property);
          s.poison(result);
          return;
        }
        this.ck.report(
          "unsupported-syntax",
          `assigning property \`${prop}\` of a ${s.describe(obj.t)} is not supported`,
          t.kind === "array" && prop === "length" ? "use splice to shorten an array (`a.splice(n)`) or push to grow it" : "assign entries of objects used as dictionaries",
          m,
        );
        s.poison(result);
      },
      () => {
        s.unify(obj.t, s.fresh({ kind: "dict", value: result }));
        return true;
      },
    );
    return { lv: { kind: "member", object: obj.e, name: prop }, tv: result, what: `\`.${prop}\``, binding: null, slot: fieldSlot };
  }

  /** The object of the last element target (for delete). */
  private lastElementObject: TVar | null = null;

  /** Set elements and Map keys compare by SameValueZero: values of several types are not supported there. */
  private requireKeyable(elem: TVar, at: acorn.Node, what: string): void {
    this.ck.whenKnown(elem, (t) => {
      if (t.kind === "dyn") {
        this.ck.report("unsupported-builtin", `${what} of values of several types are not supported`, "keep one type per Set or Map key", at);
      }
    });
  }

  /** `x instanceof Array` (also Set, Map, Object): decided by x's type, or at run time for a dyn x. */
  instanceOf(node: acorn.BinaryExpression, scope: Scope): TExpr {
    const s = this.ck.solver;
    const right = node.right;
    if (right.type === "Identifier") {
      const b = scope.lookup(right.name);
      if (b && b.kind === "class") {
        const x = this.ck.value(node.left as acorn.Expression, scope);
        const id = b.cls.id;
        const res = this.builtin(`instanceof class`, [x, this.ck.lit("number", id, node)], node, BOOLEAN);
        this.ck.whenKnown(x.t, (t) => {
          if (t.kind === "dyn") this.ck.report("unsupported-syntax", "`instanceof` of a value of several types with a class is not supported", "keep instances in their own variables", node);
        });
        return res;
      }
    }
    const errors = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"];
    if (right.type === "Identifier" && errors.includes(right.name) && !scope.lookup(right.name)) {
      const x = this.ck.value(node.left as acorn.Expression, scope);
      return this.builtin(`instanceof ${right.name}`, [x], node, BOOLEAN);
    }
    const classes = ["Array", "Set", "Map", "Object"];
    if (right.type !== "Identifier" || !classes.includes(right.name) || scope.lookup(right.name)) {
      this.ck.value(node.left as acorn.Expression, scope);
      this.ck.report("unsupported-syntax", "`instanceof` is only supported with Array, Set, Map and Object", "check the type with typeof or Array.isArray", node);
      return this.ck.bad(node);
    }
    const x = this.ck.value(node.left as acorn.Expression, scope);
    return this.builtin(`instanceof ${right.name}`, [x], node, BOOLEAN);
  }

  /** `key in obj`. */
  inExpression(node: acorn.BinaryExpression, scope: Scope): TExpr {
    const s = this.ck.solver;
    const key = this.ck.value(node.left, scope);
    const obj = this.ck.value(node.right, scope);
    const x = this.ck.make({ kind: "in", key: key.e, object: obj.e, type: BOOLEAN, loc: locOf(node) }, s.fresh(BOOLEAN));
    this.ck.whenKnown(
      obj.t,
      (t) => {
        if (t.kind === "dict") this.requireKey(key, node.left);
        else if (t.kind === "array") this.requireIndex(key, node.left, true);
        else if (t.kind === "record") this.requireKey(key, node.left);
        else {
          this.ck.report("type-mismatch", `\`in\` needs an object or an array, not a ${s.describe(obj.t)}`, t.kind === "map" || t.kind === "set" ? "use .has(key)" : "use includes() for strings", node);
        }
      },
      () => {
        s.unify(obj.t, s.fresh({ kind: "dict", value: s.fresh() }));
        return true;
      },
    );
    return x;
  }

  /** `delete o[k]` / `delete o.k` on a dictionary. */
  deleteExpression(node: acorn.UnaryExpression, scope: Scope): TExpr {
    const s = this.ck.solver;
    const arg = node.argument;
    if (arg.type !== "MemberExpression" || arg.optional) {
      this.ck.report("unsupported-syntax", "delete only removes object entries", "remove entries with `delete obj[key]`; variables cannot be deleted", node);
      return this.ck.bad(node);
    }
    const target = this.elementTarget(arg, scope);
    if (!target) return this.ck.bad(node);
    const obj = target.lv.kind === "var" ? null : target.lv.object;
    const objTv = this.lastElementObject;
    if (objTv) {
      this.ck.whenKnown(objTv, (t) => {
        if (t.kind !== "dict") {
          this.ck.report("unsupported-syntax", `delete on a ${s.describe(objTv)} is not supported`, t.kind === "array" ? "delete leaves a hole in an array: use splice(i, 1)" : "delete removes entries of objects used as dictionaries", node);
        }
      });
    }
    const x = this.ck.make(
      { kind: "builtin", name: "delete", args: target.lv.kind === "index" ? [target.lv.object, target.lv.index] : [obj!, { kind: "string", value: (target.lv as { name: string }).name, type: STRING, loc: locOf(arg) }], spread: [false, false], type: BOOLEAN, loc: locOf(node) },
      s.fresh(BOOLEAN),
    );
    return x;
  }

  /** `==`, `!=`, `===`, `!==`. */
  equality(node: acorn.BinaryExpression, op: "==" | "!=" | "===" | "!==", l: TExpr, r: TExpr): TExpr {
    const s = this.ck.solver;
    const loc = locOf(node);
    const loose = op.length === 2;
    const isUnit = (x: TExpr) => x.e.kind === "unit";
    const x = this.ck.make({ kind: "binary", op, left: l.e, right: r.e, type: BOOLEAN, loc }, s.fresh(BOOLEAN));
    if (isUnit(l) || isUnit(r)) {
      // Comparisons with null/undefined: decided by the other side's type. A variable tested like this
      // may hold undefined (e.g. `const i = map.get(k); if (i === undefined)`): see undefinedTested.
      const other = isUnit(l) ? r : l;
      if (other.e.kind === "var") this.ck.undefinedTested.add(other.e.symbol);
      return x;
    }
    const lk = s.kindOf(l.t);
    const rk = s.kindOf(r.t);
    if (lk && rk && lk !== rk) {
      if (lk === "dyn" || rk === "dyn") return x;
      if (loose && ((lk === "number" && rk === "string") || (lk === "string" && rk === "number"))) return x;
      if (lk === "null" || lk === "undefined" || rk === "null" || rk === "undefined") return x;
    }
    this.ck.unify(
      l.t,
      r.t,
      node,
      (a, b) => `\`${op}\` compares a ${typeName(a)} with a ${typeName(b)}${op.length === 3 ? " (always " + (op === "===" ? "false" : "true") + " in JavaScript)" : ""}`,
      "compare values of the same type (both numbers, both strings or both booleans)",
    );
    return x;
  }

  /** A typeof-narrowed read of a dyn variable. */
  unboxed(ref: TExpr, type: Type, node: acorn.Node): TExpr {
    return this.builtin("unbox", [ref], node, type);
  }

  // ---- globals -------------------------------------------------------------------------------

  isBuiltinGlobal(name: string): boolean {
    return GLOBAL_FUNCTIONS.has(name);
  }

  /** `Number.MAX_SAFE_INTEGER`, …; null when the expression is not a static member. */
  staticMember(node: acorn.MemberExpression, prop: string, scope: Scope): TExpr | null {
    if (this.ck.isBuiltinObject(node.object, "Number", scope)) {
      const v = NUMBER_CONSTANTS.get(prop);
      if (v !== undefined) return this.ck.lit("number", v, node);
      this.ck.report("unsupported-builtin", `\`Number.${prop}\` is not supported`, "call Number.isInteger(x) etc. directly; constants: MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, MAX_VALUE, MIN_VALUE, EPSILON", node.property);
      return this.ck.bad(node);
    }
    for (const name of ["String", "Array", "Object", "JSON", "Set", "Map"]) {
      if (this.ck.isBuiltinObject(node.object, name, scope)) {
        this.ck.report("unsupported-builtin", `\`${name}.${prop}\` is not supported as a value`, "call the supported functions directly (see docs/subset.md)", node.property);
        return this.ck.bad(node);
      }
    }
    return null;
  }

  /** Calls of global functions: `Number(x)`, `parseInt(s)`, `Array(n)`… */
  globalCall(node: acorn.CallExpression, name: string, scope: Scope): TExpr {
    const args = this.ck.args(node.arguments, scope);
    if (args.some((a) => a.spread)) {
      this.ck.report("unsupported-syntax", `spread arguments in \`${name}(…)\` are not supported`, "pass the arguments explicitly", node);
      return this.ck.bad(node);
    }
    const s = this.ck.solver;
    const arity = (min: number, max: number): boolean => {
      if (args.length < min || args.length > max) {
        this.ck.report("argument-count", `\`${name}\` takes ${min === max ? min : `${min} to ${max}`} argument(s) but is called with ${args.length}`, "pass the documented arguments", node);
        return false;
      }
      return true;
    };
    switch (name) {
      case "Number": {
        if (!arity(0, 1)) return this.ck.bad(node);
        if (args.length === 1) this.requireConvertible(args[0]!.x, args[0]!.node, "Number(…)");
        return this.builtin("Number", args.map((a) => a.x), node, NUMBER);
      }
      case "String": {
        if (!arity(0, 1)) return this.ck.bad(node);
        if (args.length === 1) this.requireStringable(args[0]!.x, args[0]!.node, "String(…)");
        return this.builtin("String", args.map((a) => a.x), node, STRING);
      }
      case "Boolean": {
        if (!arity(0, 1)) return this.ck.bad(node);
        return this.builtin("Boolean", args.map((a) => a.x), node, BOOLEAN);
      }
      case "parseInt":
      case "parseFloat": {
        if (!arity(1, name === "parseInt" ? 2 : 1)) return this.ck.bad(node);
        this.requireStringOrNumber(args[0]!.x, args[0]!.node, `${name}(…)`);
        if (args[1]) this.requireNumeric(args[1].x, args[1].node, "the radix of parseInt");
        return this.builtin(name, args.map((a) => a.x), node, NUMBER);
      }
      case "isNaN":
      case "isFinite": {
        if (!arity(1, 1)) return this.ck.bad(node);
        this.requireNumeric(args[0]!.x, args[0]!.node, `${name}(…)`);
        return this.builtin(name, args.map((a) => a.x), node, BOOLEAN);
      }
      case "Array":
        return this.arrayConstructor(node, args, "Array");
    }
    void s;
    this.ck.report("unsupported-builtin", `\`${name}\` is not supported`, "see docs/subset.md", node);
    return this.ck.bad(node);
  }

  private requireConvertible(x: TExpr, at: acorn.Node, what: string): void {
    const s = this.ck.solver;
    this.ck.whenKnown(x.t, (t) => {
      if (t.kind === "number" || t.kind === "string" || t.kind === "boolean" || t.kind === "null" || t.kind === "undefined" || t.kind === "dyn") return;
      if (t.kind === "array") {
        this.requireJoinable(elemOf(t), at);
        return;
      }
      this.ck.report("type-mismatch", `${what} of a ${s.describe(x.t)} is not supported`, "convert numbers, strings and booleans", at);
    });
  }

  private requireStringOrNumber(x: TExpr, at: acorn.Node, what: string): void {
    const s = this.ck.solver;
    if (!s.kindOf(x.t)) {
      s.assign(x.t, STRING);
      return;
    }
    this.ck.whenKnown(x.t, (t) => {
      if (t.kind === "string" || t.kind === "number" || t.kind === "dyn") return;
      this.ck.report("type-mismatch", `${what} needs a string, not a ${s.describe(x.t)}`, "pass a string", at);
    });
  }

  /** `new Array(n).fill(x)`, `new Array()`, `new Array(a, b)`; `new Array(n)` alone would have holes. */
  private arrayConstructor(node: acorn.CallExpression | acorn.NewExpression, args: ArgX[], what: string): TExpr {
    const s = this.ck.solver;
    if (args.some((a) => a.spread)) {
      this.ck.report("unsupported-syntax", `spread arguments in \`${what}(…)\` are not supported`, "use an array literal: [...a]", node);
      return this.ck.bad(node);
    }
    if (args.length === 1) {
      const filled = this.pendingFill.get(node);
      if (!filled) {
        this.ck.report(
          "unsupported-value",
          `\`${what}(n)\` makes an array of n holes`,
          "fill it right away: `new Array(n).fill(0)`, or use `Array.from({ length: n }, (_, i) => …)`",
          node,
        );
        return this.ck.bad(node);
      }
      this.requireNumeric(args[0]!.x, args[0]!.node, `\`${what}(n)\``);
      return this.builtin("Array.holes", [args[0]!.x], node, { kind: "array", elem: s.fresh() });
    }
    const elem = s.fresh();
    const xs = args.map((a, i) => {
      const e = this.ck.flow(a.x, elem, a.node, null, (el, v) => `\`${what}(…)\` mixes ${typeName(el)} and ${typeName(v)} elements`, "");
      return { ...a.x, e, t: args[i]!.x.t };
    });
    return this.builtin("Array.of", xs, node, { kind: "array", elem });
  }

  /** `new Array(n)` nodes that are immediately `.fill`ed. */
  private readonly pendingFill = new Map<acorn.Node, boolean>();

  /** `new X(…)`. */
  newExpression(node: acorn.NewExpression, scope: Scope): TExpr {
    const s = this.ck.solver;
    const callee = node.callee;
    if (callee.type === "Identifier") {
      const b = this.ck.resolve(callee.name, callee, scope);
      if (b && b.kind === "class") return this.ck.newInstance(node, b.cls, scope);
    }
    const name = callee.type === "Identifier" && !scope.lookup(callee.name) ? callee.name : null;
    const args = () => this.ck.args(node.arguments, scope);
    switch (name) {
      case "Array":
        return this.arrayConstructor(node, args(), "new Array");
      case "Set": {
        const a = args();
        if (a.length > 1 || a.some((x) => x.spread)) {
          this.ck.report("argument-count", "`new Set` takes at most one iterable", "pass an array, a string or a Set", node);
          return this.ck.bad(node);
        }
        const elem = s.fresh();
        if (a.length === 1) this.iterate(a[0]!.x, elem, a[0]!.node, "`new Set(…)`");
        this.requireKeyable(elem, node, "Set elements");
        return this.builtin("Set.new", a.map((x) => x.x), node, { kind: "set", elem });
      }
      case "Map": {
        const a = args();
        const key = s.fresh();
        const value = s.fresh();
        if (a.length > 1 || a.some((x) => x.spread)) {
          this.ck.report("argument-count", "`new Map` takes at most one iterable of [key, value] pairs", "pass an array of pairs, e.g. Object.entries(o), or another Map", node);
          return this.ck.bad(node);
        }
        if (a.length === 1) {
          const x = a[0]!.x;
          if (x.e.kind === "array" && x.e.elements.some((el) => el.kind === "array")) {
            this.ck.report("unsupported-builtin", "`new Map([[k, v], …])` with array literals is not supported", "create the Map empty and add entries with map.set(k, v)", a[0]!.node);
            return this.ck.bad(node);
          }
          this.iterate(x, s.fresh({ kind: "tuple", elems: [key, value] }), a[0]!.node, "`new Map(…)`");
        }
        this.requireKeyable(key, node, "Map keys");
        return this.builtin("Map.new", a.map((x) => x.x), node, { kind: "map", key, value });
      }
      case "Object": {
        const a = args();
        if (a.length > 0) {
          this.ck.report("unsupported-builtin", "`new Object(x)` is not supported", "use an object literal: {}", node);
          return this.ck.bad(node);
        }
        return this.ck.make({ kind: "object", keys: [], values: [], type: NUMBER, loc: locOf(node) }, s.fresh({ kind: "dict", value: s.fresh() }));
      }
    }
    args();
    if (name && this.ck.isBuiltinObject(callee, name, scope) && /^[A-Z]/.test(name)) {
      this.ck.report("unsupported-syntax", `\`new ${name}(…)\` is not supported`, name === "Date" ? "dates and clocks are not available: snippets are deterministic" : "use arrays, objects, Map and Set", node);
    } else {
      this.ck.report("unsupported-syntax", "`new` is only supported for Array, Set, Map and Object", "classes are not supported yet: use functions and objects", node);
    }
    return this.ck.bad(node);
  }

  /** `Number.isInteger(x)`, `Array.from(x)`, `Object.keys(o)`, `JSON.stringify(x)`, `String.fromCharCode(…)`. */
  staticCall(node: acorn.CallExpression, callee: acorn.MemberExpression, prop: string, scope: Scope): TExpr | null {
    const objName = ["Number", "String", "Array", "Object", "JSON"].find((n) => this.ck.isBuiltinObject(callee.object, n, scope));
    if (!objName) return null;
    const full = `${objName}.${prop}`;
    const s = this.ck.solver;
    if (full === "Array.from" && node.arguments.length >= 1 && node.arguments[0]!.type === "ObjectExpression") return this.arrayFromLength(node, scope);
    const args = this.ck.args(node.arguments, scope);
    const spreadOk = full === "String.fromCharCode" || full === "String.fromCodePoint" || full === "Array.of";
    if (!spreadOk && args.some((a) => a.spread)) {
      this.ck.report("unsupported-syntax", `spread arguments in \`${full}\` are not supported`, "pass the arguments explicitly", node);
      return this.ck.bad(node);
    }
    const arity = (min: number, max: number): boolean => {
      if (args.length < min || args.length > max) {
        this.ck.report("argument-count", `\`${full}\` takes ${min === max ? min : `${min} to ${max}`} argument(s) but is called with ${args.length}`, "pass the documented arguments", node);
        return false;
      }
      return true;
    };
    const xs = args.map((a) => a.x);
    switch (full) {
      case "Number.isInteger":
      case "Number.isSafeInteger":
      case "Number.isFinite":
      case "Number.isNaN":
        if (!arity(1, 1)) return this.ck.bad(node);
        return this.builtin(full, xs, node, BOOLEAN);
      case "Number.parseInt":
      case "Number.parseFloat":
        if (!arity(1, prop === "parseInt" ? 2 : 1)) return this.ck.bad(node);
        this.requireStringOrNumber(xs[0]!, args[0]!.node, full);
        if (xs[1]) this.requireNumeric(xs[1], args[1]!.node, "the radix");
        return this.builtin(prop, xs, node, NUMBER);
      case "String.fromCharCode":
      case "String.fromCodePoint":
        args.forEach((a) => {
          if (a.spread) this.ck.expect(a.x.t, { kind: "array", elem: s.fresh(NUMBER) }, a.node as acorn.Node, (t) => `\`...\` in \`${full}\` needs an array of numbers, not a ${typeName(t)}`, "");
          else this.requireNumeric(a.x, a.node, full);
        });
        return this.builtin(full, xs, node, STRING, args.map((a) => a.spread));
      case "Array.isArray":
        if (!arity(1, 1)) return this.ck.bad(node);
        return this.builtin(full, xs, node, BOOLEAN);
      case "Array.of": {
        const elem = s.fresh();
        args.forEach((a) => {
          if (a.spread) this.iterate(a.x, elem, a.node, "`Array.of(...)`");
          else s.unify(elem, a.x.t);
        });
        return this.builtin("Array.of", xs, node, { kind: "array", elem }, args.map((a) => a.spread));
      }
      case "Array.from": {
        if (!arity(1, 2)) return this.ck.bad(node);
        const elem = s.fresh();
        this.iterate(xs[0]!, elem, args[0]!.node, "`Array.from`");
        if (args.length === 1) return this.builtin(full, xs, node, { kind: "array", elem });
        const u = s.fresh();
        this.ck.bindCallback(xs[1]!, args[1]!.node, [elem, s.fresh(NUMBER)], u, "`Array.from`");
        return this.builtin("Array.fromMap", xs, node, { kind: "array", elem: u });
      }
      case "Object.keys":
      case "Object.values":
      case "Object.entries": {
        if (!arity(1, 1)) return this.ck.bad(node);
        const o = xs[0]!;
        const result = s.fresh();
        this.ck.whenKnown(
          o.t,
          (t) => {
            if (t.kind === "dict") {
              const v = (t as { value: TVar }).value;
              s.assign(
                result,
                prop === "keys"
                  ? { kind: "array", elem: s.fresh(STRING) }
                  : prop === "values"
                    ? { kind: "array", elem: v }
                    : { kind: "array", elem: s.fresh({ kind: "tuple", elems: [s.fresh(STRING), v] }) },
              );
            } else if ((t.kind === "record" || t.kind === "class") && prop === "keys") {
              s.assign(result, { kind: "array", elem: s.fresh(STRING) });
            } else if (t.kind === "dyn" && prop !== "entries") {
              s.assign(result, { kind: "array", elem: prop === "keys" ? s.fresh(STRING) : s.fresh(DYN) });
            } else if (t.kind === "array" && prop === "entries") {
              this.ck.report("unsupported-builtin", "`Object.entries` of an array is not supported", "use arr.entries() or a counting loop", args[0]!.node);
              s.poison(result);
            } else if (t.kind === "array" && prop === "keys") {
              s.assign(result, { kind: "array", elem: s.fresh(STRING) });
            } else if (t.kind === "array" && prop === "values") {
              s.unify(result, o.t);
            } else {
              this.ck.report("type-mismatch", `\`${full}\` needs an object, not a ${s.describe(o.t)}`, "pass an object used as a dictionary", args[0]!.node);
              s.poison(result);
            }
          },
          () => {
            s.unify(o.t, s.fresh({ kind: "dict", value: s.fresh() }));
            return true;
          },
        );
        return this.builtin(full, xs, node, result);
      }
      case "Object.fromEntries": {
        if (!arity(1, 1)) return this.ck.bad(node);
        const v = s.fresh();
        const pair = s.fresh({ kind: "tuple", elems: [s.fresh(STRING), v] });
        this.iterate(xs[0]!, pair, args[0]!.node, "`Object.fromEntries`");
        return this.builtin(full, xs, node, { kind: "dict", value: v });
      }
      case "JSON.stringify": {
        if (!arity(1, 3)) return this.ck.bad(node);
        if (args.length > 1) {
          const r = args[1]!.x.e;
          if (r.kind !== "unit" || r.value !== "null") {
            this.ck.report("unsupported-builtin", "a JSON.stringify replacer is not supported", "pass null as the replacer", args[1]!.node);
            return this.ck.bad(node);
          }
          if (args[2]) this.requireNumeric(xs[2]!, args[2].node, "the indentation of JSON.stringify");
        }
        this.requireJsonable(xs[0]!, args[0]!.node);
        return this.builtin(full, xs, node, STRING);
      }
    }
    this.ck.report("unsupported-builtin", `\`${full}\` is not supported`, objName === "JSON" ? "JSON.parse is not supported: put the data in the snippet as literals" : "see docs/subset.md for the supported built-ins", callee.property);
    return this.ck.bad(node);
  }

  /** Values that JSON.stringify turns into a string: no functions, no undefined at the top. */
  private requireJsonable(x: TExpr, at: acorn.Node): void {
    const s = this.ck.solver;
    const check = (v: TVar, top: boolean): void => {
      this.ck.whenKnown(v, (t) => {
        if (t.kind === "fn" || t.kind === "void" || (top && t.kind === "undefined")) {
          this.ck.report("unsupported-builtin", `JSON.stringify of a ${s.describe(v)} is not supported (it gives undefined)`, "stringify data: numbers, strings, booleans, arrays and objects", at);
          return;
        }
        if (t.kind === "array" || t.kind === "set") check(elemOf(t), false);
        else if (t.kind === "dict" || t.kind === "map") check((t as { value: TVar }).value, false);
        else if (t.kind === "record") for (const f of (t as { fields: TVar[] }).fields) check(f, false);
        else if (t.kind === "class") for (const f of this.ck.classById((t as { id: number }).id)!.fields) check(f.tv, false);
        else if (t.kind === "tuple") for (const f of (t as { elems: TVar[] }).elems) check(f, false);
      });
    };
    check(x.t, true);
  }

  /** `Array.from({ length: n }, (_, i) => …)` (or without the function: n undefineds). */
  private arrayFromLength(node: acorn.CallExpression, scope: Scope): TExpr {
    const s = this.ck.solver;
    const obj = node.arguments[0] as acorn.ObjectExpression;
    const p = obj.properties[0];
    if (
      obj.properties.length !== 1 ||
      !p ||
      p.type !== "Property" ||
      p.computed ||
      p.kind !== "init" ||
      !((p.key.type === "Identifier" && p.key.name === "length") || (p.key.type === "Literal" && p.key.value === "length"))
    ) {
      this.ck.report("unsupported-builtin", "`Array.from` of an object is only supported as `Array.from({ length: n }, f)`", "pass an array, a string or a Set, or { length: n }", obj);
      return this.ck.bad(node);
    }
    const n = this.ck.value(p.value, scope);
    this.requireNumeric(n, p.value, "`length`");
    if (node.arguments.length === 1) {
      return this.builtin("Array.fromLength", [n], node, { kind: "array", elem: s.fresh({ kind: "undefined" }) });
    }
    if (node.arguments.length !== 2 || node.arguments[1]!.type === "SpreadElement") {
      this.ck.report("argument-count", "`Array.from({ length: n }, f)` takes a length object and a function", "pass a function `(_, i) => …`", node);
      return this.ck.bad(node);
    }
    const f = this.ck.value(node.arguments[1]!, scope);
    const u = s.fresh();
    this.ck.bindCallback(f, node.arguments[1]!, [s.fresh({ kind: "undefined" }), s.fresh(NUMBER)], u, "`Array.from`");
    return this.builtin("Array.fromLength", [n, f], node, { kind: "array", elem: u });
  }

  private readonly calls = new Map<acorn.Node, MethodCallExpr>();

  /** `recv.name(args)` for a value receiver. */
  methodCall(node: acorn.CallExpression, callee: acorn.MemberExpression, prop: string, scope: Scope): TExpr {
    const s = this.ck.solver;
    // `new Array(n).fill(x)` / `Array(n).fill(x)`: the array is filled before anyone can see a hole.
    const inner = callee.object;
    if (
      prop === "fill" &&
      node.arguments.length === 1 &&
      (inner.type === "NewExpression" || inner.type === "CallExpression") &&
      this.ck.isBuiltinObject(inner.callee, "Array", scope) &&
      inner.arguments.length === 1
    ) {
      this.pendingFill.set(inner, true);
    }
    if (prop === "split" && node.arguments.length >= 1) {
      const sep = node.arguments[0]!;
      if (sep.type === "Literal" && sep.regex) return this.splitRegex(node, callee, sep, scope);
    }
    const recv = this.ck.value(callee.object, scope);
    const args = this.ck.args(node.arguments, scope);
    const result = s.fresh();
    const siteCtx = scope.ctx;
    const e: MethodCallExpr = { kind: "method", object: recv.e, name: prop, args: args.map((a) => a.x.e), spread: args.map((a) => a.spread), type: NUMBER, loc: locOf(node) };
    if ((prop === "get" || prop === "find" || prop === "findLast") && this.ck.isLenient(node)) e.lenient = true;
    this.calls.set(node, e);
    const x = this.ck.make(e, result);
    const rejected = REJECTED_METHODS[prop];
    const kinds = METHOD_KINDS.get(prop);
    if (!kinds && !rejected && !this.ck.isUserMethodName(prop)) {
      if (!s.isPoisoned(recv.t)) {
        this.ck.report("unsupported-builtin", `method \`${prop}\` is not supported`, "see docs/subset.md for the supported methods of arrays, strings, numbers, Maps, Sets and objects", callee.property);
      }
      s.poison(result);
      return x;
    }
    const apply = (t: Term): void => {
      if (t.kind === "class") {
        this.classMethodCall(node, callee, recv, t.id, prop, args, result, e, siteCtx);
        return;
      }
      const table = TABLES[t.kind];
      const impl = table ? table[prop] : undefined;
      if (!impl) {
        if (t.kind === "dyn") {
          this.ck.report("unsupported-builtin", `\`.${prop}()\` on a value of several types is not supported`, "check its type first: `if (typeof x === \"string\") { … x.${prop}(…) … }`", callee.property);
        } else {
          this.ck.report(
            "unsupported-builtin",
            rejected ? `\`${prop}\` is not supported` : `\`${prop}\` is not a supported method of a ${s.describe(recv.t)}`,
            rejected ?? "see docs/subset.md for the supported methods",
            callee.property,
          );
        }
        s.poison(result);
        return;
      }
      impl(this, { node, recv, term: t, args, result, name: prop, what: `${typeNameShort(t)}.${prop}` });
    };
    const k = s.kindOf(recv.t);
    if (!k && kinds && kinds.length === 1 && !rejected && !this.ck.isUserMethodName(prop)) {
      // Only one kind of value has this method: that decides the receiver's type now.
      const only = kinds[0]!;
      const term: Term =
        only === "array"
          ? { kind: "array", elem: s.fresh() }
          : only === "set"
            ? { kind: "set", elem: s.fresh() }
            : only === "map"
              ? { kind: "map", key: s.fresh(), value: s.fresh() }
              : only === "dict"
                ? { kind: "dict", value: s.fresh() }
                : { kind: only as "string" };
      s.assign(recv.t, term);
    }
    this.ck.whenKnown(recv.t, apply, () => {
      const pref = kinds?.[0] ?? "string";
      const term: Term = pref === "array" ? { kind: "array", elem: s.fresh() } : pref === "set" ? { kind: "set", elem: s.fresh() } : pref === "map" ? { kind: "map", key: s.fresh(), value: s.fresh() } : { kind: pref as "string" };
      s.assign(recv.t, term);
      return true;
    });
    return x;
  }

  /** `o.m(args)` where o is an instance of a class of the snippet: a direct call of the method. */
  private classMethodCall(node: acorn.CallExpression, callee: acorn.MemberExpression, recv: TExpr, classId: number, prop: string, args: ArgX[], result: TVar, e: MethodCallExpr, siteCtx: import("./checker.js").FnCtx): void {
    const s = this.ck.solver;
    const cls = this.ck.classById(classId)!;
    const info = cls.methods.get(prop);
    if (!info) {
      const f = cls.fields.find((x) => x.name === prop);
      if (f) {
        this.ck.report("unsupported-syntax", `calling the field \`${prop}\` of a \`${cls.name}\` is not supported`, "call a method, or read the function into a variable first", callee.property);
      } else {
        this.ck.report("unsupported-builtin", `\`${cls.name}\` has no method \`${prop}\``, `the methods are ${[...cls.methods.keys()].join(", ") || "none"}`, callee.property);
      }
      s.poison(result);
      return;
    }
    if (args.some((a) => a.spread)) {
      this.ck.report("unsupported-syntax", "spread arguments in method calls are not supported", "pass the arguments explicitly", node);
      s.poison(result);
      return;
    }
    while (args.length < info.minArgs && info.params.length === info.node.params.length) args.push({ x: this.ck.unit("undefined", node), spread: false, node });
    if (args.length > info.params.length || args.length < info.minArgs) {
      this.ck.report("argument-count", `\`${cls.name}.${prop}\` takes ${info.params.length} argument(s) but is called with ${args.length}`, "pass one argument per parameter", node);
      s.poison(result);
      return;
    }
    e.args = args.map((a, i) => {
      const p = info.params[i]!;
      return this.ck.flow(a.x, p.tv, a.node, p.slot, (pt, at) => `argument ${i + 1} of \`${cls.name}.${prop}\` is a ${typeName(at)} but parameter \`${p.sym.name}\` is a ${typeName(pt)}`, "");
    });
    e.spread = e.args.map(() => false);
    e.method = info.sym;
    this.ck.recordCall(siteCtx, info, node, false);
    this.bind(result, info.ret, node);
  }

  /** `s.split(/x/)` with a regular expression that matches exactly one character of a fixed class. */
  private splitRegex(node: acorn.CallExpression, callee: acorn.MemberExpression, sep: acorn.Literal, scope: Scope): TExpr {
    const s = this.ck.solver;
    const cls = regexCharClass(sep.regex!.pattern, sep.regex!.flags);
    if (cls === null) {
      this.ck.report(
        "unsupported-regex",
        `this regular expression is not supported (/${sep.regex!.pattern}/${sep.regex!.flags})`,
        "split by a string, e.g. s.split(\" \"); a regular expression separator must match exactly one character, like /\\s/, /,/ or /[,;]/",
        sep,
      );
      return this.ck.bad(node);
    }
    const recv = this.ck.value(callee.object, scope);
    this.ck.expect(recv.t, STRING, callee.object, (t) => `split needs a string, not a ${typeName(t)}`, "split strings");
    const rest = this.ck.args(node.arguments.slice(1), scope);
    if (rest.length > 1 || rest.some((a) => a.spread)) {
      this.ck.report("argument-count", "`split` takes a separator and an optional limit", "", node);
      return this.ck.bad(node);
    }
    if (rest[0]) this.requireNumeric(rest[0].x, rest[0].node, "the limit of split");
    const clsExpr: Expr = { kind: "builtin", name: "regex-class", args: [{ kind: "string", value: cls, type: STRING, loc: locOf(sep) }], spread: [false], type: STRING, loc: locOf(sep) };
    const e: MethodCallExpr = { kind: "method", object: recv.e, name: "split", args: [clsExpr, ...rest.map((r) => r.x.e)], spread: [false, ...rest.map(() => false)], type: NUMBER, loc: locOf(node) };
    return this.ck.make(e, s.fresh({ kind: "array", elem: s.fresh(STRING) }));
  }

  finalize(): void {}
}

function typeNameShort(t: Term): string {
  switch (t.kind) {
    case "array":
      return "Array";
    case "string":
      return "String";
    case "number":
      return "Number";
    case "boolean":
      return "Boolean";
    case "map":
      return "Map";
    case "set":
      return "Set";
    case "dict":
    case "record":
      return "Object";
    default:
      return t.kind;
  }
}

/** JS whitespace (`\s`): WhiteSpace and LineTerminator code points. */
export const JS_WHITESPACE = "\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/**
 * The set of characters a regular expression matches when it is exactly one character (possibly a
 * class or an escape) and has no flags that change matching: returns the characters as a string, or
 * null when the pattern is anything else.
 */
export function regexCharClass(pattern: string, flags: string): string | null {
  if (flags.replace(/[gu]/g, "") !== "") return null;
  const single = (p: string): string | null => {
    if (p.length === 1 && !"\\^$.|?*+()[]{}/".includes(p)) return p;
    if (p.length === 2 && p[0] === "\\") {
      const c = p[1]!;
      if (c === "s") return JS_WHITESPACE;
      if (c === "t") return "\t";
      if (c === "n") return "\n";
      if (c === "r") return "\r";
      if ("\\^$.|?*+()[]{}/-,;:=!".includes(c)) return c;
      return null;
    }
    return null;
  };
  const one = single(pattern);
  if (one !== null) return one;
  // [abc], [,;\s] (no ranges, no negation).
  if (pattern.startsWith("[") && pattern.endsWith("]") && pattern.length > 2 && pattern[1] !== "^") {
    const body = pattern.slice(1, -1);
    let out = "";
    for (let i = 0; i < body.length; i++) {
      const ch = body[i]!;
      if (ch === "\\") {
        const esc = single(body.slice(i, i + 2));
        if (esc === null) return null;
        out += esc;
        i++;
        continue;
      }
      if (ch === "-" && i > 0 && i < body.length - 1) return null;
      if (ch === "[" || ch === "]") return null;
      out += ch;
    }
    return out.length > 0 ? out : null;
  }
  return null;
}
