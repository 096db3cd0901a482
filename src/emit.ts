/**
 * Stage 3: write the typed program as one AssemblyScript entry file.
 *
 * Conventions (see docs/subset.md): every user name is already mangled to `u_…` by the checker;
 * every number is an f64 literal; every declaration is annotated; JavaScript semantics that AS does
 * not share (truthiness, `%`, `**`, ToInt32, number formatting, Math, arrays, strings, collections,
 * JSON, inspect) go through runtime helpers in host-bindings/assembly (served as `./stelp/index`).
 * Functions are lifted to top-level AS functions that take their captured variables first; function
 * values are instances of generated `__Fn<n>` subclasses (docs/runtime-abi.md). Never throws.
 */
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { TOOL_IMPORT_MODULE } from "./policy.js";
import type { ToolSignature } from "./tools.js";
import { integerBits, integerFacts, type IntegerFacts } from "./narrow.js";
import type {
  ClassDecl,
  AssignExpr,
  BinaryExpr,
  BuiltinCallExpr,
  ClosureExpr,
  ConsoleExpr,
  Expr,
  FunctionSymbol,
  IndexExpr,
  LogicalExpr,
  LValue,
  MathCallExpr,
  MethodCallExpr,
  Stmt,
  Type,
  TypedFunction,
  TypedProgram,
  UpdateExpr,
  VariableSymbol,
} from "./typed-program.js";

export interface EmitResult {
  source: string;
  diagnostics: Diagnostic[];
}

export function emit(program: TypedProgram): EmitResult {
  recordNames = new Map();
  classDecls = new Map((program && Array.isArray(program.classes) ? program.classes : []).map((c) => [c.id, c]));
  try {
    return { source: new Emitter().program(program), diagnostics: [] };
  } catch (e) {
    const d =
      e instanceof RangeError
        ? diagnostic("input-too-complex", "the program is too deeply nested to emit", "flatten deeply nested expressions", { line: 0, column: 0 }, "emit")
        : diagnostic(
            "internal-error",
            `the emitter failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
            "this is a stelp bug; rewriting the construct may work around it",
            { line: 0, column: 0 },
            "emit",
          );
    return { source: "", diagnostics: [d] };
  }
}

/**
 * Appends lines and arrays of lines to `target`. `push(...lines)` passes every line as an argument,
 * and V8 throws a RangeError past ~100 000 arguments: a long, flat program must still emit.
 */
function append(target: string[], ...parts: (string | Iterable<string>)[]): void {
  for (const part of parts) {
    if (typeof part === "string") target.push(part);
    else for (const line of part) target.push(line);
  }
}

// ---------------------------------------------------------------------------------------------
// Literals

/** An AS f64 literal that denotes exactly `v`. */
export function numberLiteral(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  if (Object.is(v, -0)) return "(-0.0)";
  if (v < 0) return `(-${numberLiteral(-v)})`;
  let s = String(v); // shortest round-trip representation
  if (s.includes("e")) s = s.replace("e+", "e");
  else if (!s.includes(".")) s += ".0";
  return s;
}

/** An AS string literal: printable ASCII as is, everything else (lone surrogates too) as \uXXXX. */
export function stringLiteral(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += "\\u" + c.toString(16).padStart(4, "0");
  }
  return out + '"';
}

/** Record types of the program being emitted: their generated class names (see recordName). */
let recordNames = new Map<string, string>();
/** The snippet's classes, by id (set per emit). */
let classDecls = new Map<number, ClassDecl>();

/** The class of a record type (`__R0`, `__R1`…, one per distinct type in the program). */
function recordName(t: Extract<Type, { kind: "record" }>): string {
  const key = JSON.stringify(t);
  let name = recordNames.get(key);
  if (!name) {
    name = `__R${recordNames.size}`;
    recordNames.set(key, name);
  }
  return name;
}

/** The AS type of a JS type. */
export function asType(t: Type): string {
  switch (t.kind) {
    case "number":
      return "f64";
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "void":
      return "void";
    case "null":
    case "undefined":
      return "__Unit | null";
    case "dyn":
      return "__Dyn";
    case "array":
      return `Array<${asType(t.elem)}>`;
    case "tuple":
      return `__JsEntry<${asType(t.elems[0])}, ${asType(t.elems[1])}>`;
    case "record":
      return recordName(t);
    case "class":
      return classDecls.get(t.id)?.emitName ?? `C_${t.id}`;
    case "dict":
      return `__JsDict<${asType(t.value)}>`;
    case "map":
      return `__JsMap<${asType(t.key)}, ${asType(t.value)}>`;
    case "set":
      return `__JsSet<${asType(t.elem)}>`;
    case "fn":
      return `__Fn${t.params.length}<${[...t.params.map(asType), asType(t.ret)].join(", ")}>`;
  }
}

/** A short identifier for a type, used in the names of generated helpers. */
function typeKey(t: Type): string {
  switch (t.kind) {
    case "number":
      return "n";
    case "boolean":
      return "b";
    case "string":
      return "s";
    case "void":
      return "v";
    case "null":
      return "z";
    case "undefined":
      return "u";
    case "dyn":
      return "y";
    case "array":
      return `A${typeKey(t.elem)}`;
    case "tuple":
      return `T${typeKey(t.elems[0])}${typeKey(t.elems[1])}`;
    case "record":
      return recordName(t).slice(2);
    case "class":
      return `K${t.id}`;
    case "dict":
      return `D${typeKey(t.value)}`;
    case "map":
      return `M${typeKey(t.key)}${typeKey(t.value)}`;
    case "set":
      return `S${typeKey(t.elem)}`;
    case "fn":
      return `F${t.params.length}${t.params.map(typeKey).join("")}R${typeKey(t.ret)}`;
  }
}

function isRef(t: Type): boolean {
  return t.kind !== "number" && t.kind !== "boolean" && t.kind !== "void";
}

/** A zero value of an AS type, for temporaries. */
function zeroOf(t: Type): string {
  if (t.kind === "number") return "0.0";
  if (t.kind === "boolean") return "false";
  if (t.kind === "string") return '""';
  return "null";
}

// ---------------------------------------------------------------------------------------------
// Fixed prelude pieces (emitted only when used)

/**
 * Runtime classes that emitted code may name only in types, each with its word-boundary pattern,
 * compiled once: a fresh RegExp per emitted program left V8 compiling (and keeping) thousands of
 * regexps in long runs such as the fuzz tests.
 */
const TYPE_ONLY_RUNTIME_NAMES: readonly (readonly [string, RegExp])[] = [
  "__JsDict", "__JsMap", "__JsSet", "__JsEntry", "__Fn0", "__Fn1", "__Fn2", "__Fn3", "__Fn4", "__Ref", "__InspectNode", "__JsonWriter",
].map((name) => [name, new RegExp(`\\b${name}\\b`)] as const);

const FOREVER_GLOBAL = `/** Always true; never written (see the \`for\` statement in emit.ts). */
let __stelp_forever: bool = true;`;

const UNIT_CLASS = `/** The type of null/undefined-only values (never instantiated: the value is always null). */
class __Unit {}`;

const NUM_FORMAT = `function __num_format(kind: i32, x: f64, arg: f64): string {
  if (!__js_num_format_arg_ok(kind, x, arg)) abort("RangeError: " + __js_num_format_arg_error(kind), "stelp", 0, 0);
  if (kind == 0) return __js_num_to_fixed(x, arg);
  if (kind == 1) return __js_num_to_exponential(x, arg);
  if (kind == 2) return __js_num_to_precision(x, arg);
  return __js_num_to_string_radix(x, arg);
}`;

const KEY_INDEX = `/** An array index from a property key (a for…in key): canonical "0".."4294967294", else NaN. */
function __key_index(k: string): f64 {
  const n = k.length;
  if (n == 0 || n > 10) return NaN;
  if (k.charCodeAt(0) == 48) return n == 1 ? 0.0 : NaN;
  let v: f64 = 0;
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + <f64>(c - 48);
  }
  return v <= 4294967294.0 ? v : NaN;
}`;

const STR_AT_OR_NULL = `/** s[i], or null (JS undefined) when i is not an index of s. */
function __str_at_or_null(s: string, i: f64): string | null {
  if (!__js_str_has_index(s, i)) return null;
  return s.charAt(<i32>i);
}`;

const ASSERT = `function __assert(ok: bool): void {
  if (!ok) __stelp_log_err("Assertion failed");
}
function __assert_msg(ok: bool, message: string): void {
  if (!ok) __stelp_log_err(message);
}`;

const DYN_PRELUDE = `/**
 * A JavaScript value of any type, for slots that hold values of several types. tag: 0 undefined,
 * 1 null, 2 boolean (n is 0 or 1), 3 number (n), 4 string (s), 5 object (o: arrays, objects…).
 */
class __Dyn {
  constructor(public tag: i32, public n: f64, public s: string, public o: __DynObj | null) {}
  truthy(): bool {
    if (this.tag == 2) return this.n != 0;
    if (this.tag == 3) return this.n == this.n && this.n != 0;
    if (this.tag == 4) return this.s.length > 0;
    return this.tag == 5;
  }
  toNumber(): f64 {
    if (this.tag == 0) return NaN;
    if (this.tag == 1) return 0;
    if (this.tag == 2 || this.tag == 3) return this.n;
    if (this.tag == 4) return __js_string_to_number(this.s);
    return __js_string_to_number(this.o!.toStr());
  }
  toStr(): string {
    if (this.tag == 0) return "undefined";
    if (this.tag == 1) return "null";
    if (this.tag == 2) return this.n != 0 ? "true" : "false";
    if (this.tag == 3) return __js_num_to_string(this.n);
    if (this.tag == 4) return this.s;
    return this.o!.toStr();
  }
  /** String(x) as Array.prototype.join and the default sort see it (called by the runtime). */
  u_toString(): string {
    return this.toStr();
  }
  typeOf(): string {
    if (this.tag == 0) return "undefined";
    if (this.tag == 1) return "object";
    if (this.tag == 2) return "boolean";
    if (this.tag == 3) return "number";
    if (this.tag == 4) return "string";
    return this.o!.typeOf();
  }
  inspect(levels: i32): __InspectNode {
    if (this.tag == 0) return __inspect_text("undefined");
    if (this.tag == 1) return __inspect_text("null");
    if (this.tag == 2) return __inspect_bool(this.n != 0);
    if (this.tag == 3) return __inspect_num(this.n);
    if (this.tag == 4) return __inspect_str(this.s);
    return this.o!.inspect(levels);
  }
  json(w: __JsonWriter): void {
    if (this.tag == 0) w.undef();
    else if (this.tag == 1) w.nul();
    else if (this.tag == 2) w.bool(this.n != 0);
    else if (this.tag == 3) w.num(this.n);
    else if (this.tag == 4) w.str(this.s);
    else this.o!.json(w);
  }
  /** ToPrimitive: objects become their string (arrays join, objects "[object Object]"). */
  prim(): __Dyn {
    return this.tag == 5 ? __dyn_str(this.o!.toStr()) : this;
  }
}
/** The object inside a dyn value (one generated subclass per boxed type). */
abstract class __DynObj {
  abstract toStr(): string;
  abstract inspect(levels: i32): __InspectNode;
  abstract json(w: __JsonWriter): void;
  abstract ref(): usize;
  typeOf(): string {
    return "object";
  }
  isArray(): bool {
    return false;
  }
  /** 1 array, 2 Set, 3 Map, 4 plain object. */
  abstract kind(): i32;
  /** A property read (d[k], d.k): the value, or undefined. */
  abstract getProp(k: string): __Dyn;
  /** Object.keys: own enumerable keys. */
  abstract keys(): Array<string>;
  /** A live iterator (for…of, spread). */
  abstract iter(): __DynIter;
}
/** Iteration over a dyn value: \`while (it.next()) { it.value! }\`. */
abstract class __DynIter {
  value: __Dyn | null = null;
  abstract next(): bool;
}
/** Iterates a string by code points. */
class __DynStrIter extends __DynIter {
  i: i32 = 0;
  parts: Array<string>;
  constructor(s: string) {
    super();
    this.parts = __js_str_code_points(s);
  }
  next(): bool {
    if (this.i >= this.parts.length) return false;
    this.value = __dyn_str(unchecked(this.parts[this.i]));
    this.i++;
    return true;
  }
}
/** Names JS finds on the prototypes (methods we cannot hold in a dyn value): kind 0 Object, 1 Array, 2 Set, 3 Map, 4 String, 5 Number/Boolean. */
function __dyn_inherited(kind: i32, k: string): bool {
  if (__js_is_object_prototype_key(k)) return true;
  let names = "";
  if (kind == 1) names = ",at,concat,copyWithin,entries,every,fill,filter,find,findIndex,findLast,findLastIndex,flat,flatMap,forEach,includes,indexOf,join,keys,lastIndexOf,map,pop,push,reduce,reduceRight,reverse,shift,slice,some,sort,splice,toLocaleString,toReversed,toSorted,toSpliced,unshift,values,with,";
  else if (kind == 2) names = ",add,clear,delete,entries,forEach,has,keys,values,";
  else if (kind == 3) names = ",clear,delete,entries,forEach,get,has,keys,set,values,";
  else if (kind == 4) names = ",anchor,at,big,blink,bold,charAt,charCodeAt,codePointAt,concat,endsWith,fixed,fontcolor,fontsize,includes,indexOf,isWellFormed,italics,lastIndexOf,link,localeCompare,match,matchAll,normalize,padEnd,padStart,repeat,replace,replaceAll,search,slice,small,split,startsWith,strike,sub,substr,substring,sup,toLocaleLowerCase,toLocaleUpperCase,toLowerCase,toUpperCase,toWellFormed,trim,trimEnd,trimLeft,trimRight,trimStart,";
  else if (kind == 5) names = ",toExponential,toFixed,toPrecision,";
  return names.includes("," + k + ",");
}
function __dyn_inherited_abort(k: string): __Dyn {
  abort("reading '" + k + "' finds an inherited method: JavaScript would read a function", "stelp", 0, 0);
  return __dyn_undef();
}
/** d[k] / d.k on a dyn value. */
function __dyn_get(d: __Dyn, key: __Dyn): __Dyn {
  const k = key.toStr();
  if (d.tag <= 1) {
    abort("TypeError: Cannot read properties of " + (d.tag == 0 ? "undefined" : "null") + " (reading '" + k + "')", "stelp", 0, 0);
    return d;
  }
  if (d.tag == 4) {
    if (k == "length") return __dyn_num(<f64>d.s.length);
    const i = __key_index(k);
    if (i == i) return i < <f64>d.s.length ? __dyn_str(d.s.charAt(<i32>i)) : __dyn_undef();
    return __dyn_inherited(4, k) ? __dyn_inherited_abort(k) : __dyn_undef();
  }
  if (d.tag != 5) return __dyn_inherited(5, k) ? __dyn_inherited_abort(k) : __dyn_undef();
  return d.o!.getProp(k);
}
/** Object.keys of a dyn value. */
function __dyn_keys(d: __Dyn): Array<string> {
  if (d.tag <= 1) abort("TypeError: Cannot convert undefined or null to object", "stelp", 0, 0);
  if (d.tag == 4) {
    const out = new Array<string>(d.s.length);
    for (let i = 0; i < d.s.length; i++) unchecked((out[i] = __js_num_to_string(<f64>i)));
    return out;
  }
  if (d.tag != 5) return new Array<string>(0);
  return d.o!.keys();
}
/** for…of over a dyn value. */
function __dyn_iter(d: __Dyn): __DynIter {
  if (d.tag == 4) return new __DynStrIter(d.s);
  if (d.tag != 5) abort("TypeError: " + d.toStr() + " is not iterable", "stelp", 0, 0);
  return d.o!.iter();
}
/** [...d], Array.from(d). */
function __dyn_to_array(d: __Dyn): Array<__Dyn> {
  const it = __dyn_iter(d);
  const out = new Array<__Dyn>(0);
  while (it.next()) out.push(it.value!);
  return out;
}
function __dyn_undef(): __Dyn {
  return new __Dyn(0, NaN, "", null);
}
function __dyn_null(): __Dyn {
  return new __Dyn(1, 0, "", null);
}
function __dyn_bool(b: bool): __Dyn {
  return new __Dyn(2, b ? 1 : 0, "", null);
}
function __dyn_num(x: f64): __Dyn {
  return new __Dyn(3, x, "", null);
}
function __dyn_str(s: string): __Dyn {
  return new __Dyn(4, 0, s, null);
}
function __dyn_obj(o: __DynObj): __Dyn {
  return new __Dyn(5, 0, "", o);
}
/** a === b */
function __dyn_seq(a: __Dyn, b: __Dyn): bool {
  if (a.tag != b.tag) return false;
  if (a.tag <= 1) return true;
  if (a.tag <= 3) return a.n == b.n;
  if (a.tag == 4) return a.s == b.s;
  return a.o!.ref() == b.o!.ref();
}
/** a == b (IsLooselyEqual) */
function __dyn_leq(a: __Dyn, b: __Dyn): bool {
  if (a.tag == b.tag) return __dyn_seq(a, b);
  if (a.tag <= 1 && b.tag <= 1) return true;
  if (a.tag <= 1 || b.tag <= 1) return false;
  if (a.tag == 3 && b.tag == 4) return a.n == __js_string_to_number(b.s);
  if (a.tag == 4 && b.tag == 3) return __js_string_to_number(a.s) == b.n;
  if (a.tag == 2) return __dyn_leq(__dyn_num(a.n), b);
  if (b.tag == 2) return __dyn_leq(a, __dyn_num(b.n));
  if (a.tag == 5) return __dyn_leq(a.prim(), b);
  if (b.tag == 5) return __dyn_leq(a, b.prim());
  return false;
}
/** a < b (op 0), a <= b (1), a > b (2), a >= b (3) with ToPrimitive, strings by code units. */
function __dyn_cmp(a: __Dyn, b: __Dyn, op: i32): bool {
  const x = a.prim();
  const y = b.prim();
  if (x.tag == 4 && y.tag == 4) {
    const c = __js_str_compare(x.s, y.s);
    return op == 0 ? c < 0 : op == 1 ? c <= 0 : op == 2 ? c > 0 : c >= 0;
  }
  const p = x.toNumber();
  const q = y.toNumber();
  return op == 0 ? p < q : op == 1 ? p <= q : op == 2 ? p > q : p >= q;
}
/** a + b */
function __dyn_add(a: __Dyn, b: __Dyn): __Dyn {
  const x = a.prim();
  const y = b.prim();
  if (x.tag == 4 || y.tag == 4) return __dyn_str(x.toStr() + y.toStr());
  return __dyn_num(x.toNumber() + y.toNumber());
}`;

const DYN_USES = [
  "__js_str_code_points",
  "__js_is_object_prototype_key",
  "__js_string_to_number",
  "__js_num_to_string",
  "__js_str_compare",
  "__InspectNode",
  "__inspect_text",
  "__inspect_bool",
  "__inspect_num",
  "__inspect_str",
  "__JsonWriter",
];

// ---------------------------------------------------------------------------------------------

interface FnState {
  /** Temporaries: name → declaration. */
  temps: Map<string, string>;
  /** Loops, switches and labelled statements being emitted (ids, innermost last). */
  constructs: number[];
  /** Jump codes that leave each construct on their way to an outer one (checked right after it). */
  crossing: Map<number, Set<number>>;
  /** Try (and catch-with-finally) constructs around the current statement: where a throw goes. */
  tries: number[];
  counter: number;
  /** The function being emitted (null at the top level). */
  fn: FunctionSymbol | null;
}

class Emitter {
  private readonly imports = new Set<string>(["__stelp_finish"]);
  private readonly formatHelpers = new Map<string, string>();
  /** Generated helpers and classes, by name, in creation order. */
  private readonly helpers = new Map<string, string>();
  /** Exceptions are pending values (the snippet uses try). */
  private exceptions = false;
  /** The host tools the program calls (src/tools.ts). */
  private tools = new Map<string, ToolSignature>();
  /** Methods' `this` variables (their emitted names), found in the typed program. */
  readonly thisNames = new Map<FunctionSymbol, string>();
  private fn: FnState = { temps: new Map(), counter: 0, fn: null, constructs: [], crossing: new Map(), tries: [] };
  private depth = 0;

  private use(name: string): string {
    this.imports.add(name);
    return name;
  }

  /** Variables that only ever hold finite integers (src/narrow.ts). */
  private ints: IntegerFacts = new Map();

  /**
   * A call of the array-element helper `base` (host-bindings/assembly/array.ts): its `_int` form
   * when the index is provably a finite integer (src/narrow.ts), and its `_at` form, on the array's
   * address, when the array is a variable that nothing evaluated after it can reassign (`stable`):
   * the variable keeps the array rooted, where the helper's managed parameter would cost a
   * shadow-stack store at every access.
   */
  private arrayElement(base: string, index: Expr | null, arrayText: string, elem: Type | null, args: string[], stable: boolean): string {
    const name = index && index.type.kind === "number" && integerBits(index, this.ints) !== null ? `${base}_int` : base;
    const typeArgs = elem ? `<${asType(elem)}>` : "";
    const array = stripParens(arrayText);
    if (stable && isVariableText(array)) return `${this.use(`${name}_at`)}${typeArgs}(changetype<usize>(${array}), ${args.join(", ")})`;
    return `${this.use(name)}${typeArgs}(${array}, ${args.join(", ")})`;
  }

  private helper(name: string, text: string | (() => string), uses: string[] = []): string {
    for (const u of uses) this.use(u);
    if (!this.helpers.has(name)) {
      this.helpers.set(name, ""); // reserve (recursive helpers)
      this.helpers.set(name, typeof text === "string" ? text : text());
    }
    return name;
  }

  program(p: TypedProgram): string {
    this.exceptions = Boolean(p.exceptions);
    this.ints = integerFacts(p);
    this.tools = new Map((p.tools ?? []).map((t) => [t.name, t]));
    const functionTexts: string[] = [];
    const methods = new Map<FunctionSymbol, TypedFunction>();
    for (const f of p.functions) {
      if (f.symbol.method && f.symbol.method.kind !== "static") methods.set(f.symbol, f);
      else functionTexts.push(this.func(f));
    }
    for (const c of p.classes ?? []) functionTexts.push(this.classDecl(c, methods));

    const topState: FnState = { temps: new Map(), counter: 0, fn: null, constructs: [], crossing: new Map(), tries: [] };
    this.fn = topState;
    const top: string[] = [];
    this.stmts(p.body, top, "");

    const out: string[] = [];
    out.push("// Generated by stelp from a JavaScript snippet: AssemblyScript entry file (do not edit).");
    if (this.formatHelpers.size > 0) {
      for (const name of ["__js_inspect_num", "__js_num_to_string", "__js_parse_int_auto", "__js_string_to_number", "__js_parse_float", "__js_inspect_string_quoted"]) this.use(name);
    }
    // Runtime classes named only in types (e.g. a parameter of type __JsSet<f64>) need imports too.
    const text = [...this.helpers.values(), ...functionTexts, ...top].join("\n");
    for (const [name, pattern] of TYPE_ONLY_RUNTIME_NAMES) {
      if (pattern.test(text)) this.use(name);
    }
    if (/\b__Unit\b/.test(text)) this.helper("__Unit", UNIT_CLASS);
    // Record classes (generating one may name others: repeat until none is new).
    for (let done = 0; done < recordNames.size; ) {
      const entries = [...recordNames];
      for (; done < entries.length; done++) {
        const [key, name] = entries[done]!;
        const t = JSON.parse(key) as Extract<Type, { kind: "record" }>;
        this.helper(name, `/** A record { ${t.keys.join(", ")} } */\nclass ${name} {\n  constructor(${t.fields.map((f, i) => `public f${i}: ${asType(f)}`).join(", ")}) {}\n}`);
      }
    }
    if (/\b__Dyn\b/.test(text) && !this.helpers.has("__Dyn")) this.dynPrelude();
    const byModule = new Map<string, string[]>();
    for (const name of [...this.imports].sort()) {
      const m = runtimeModuleOf(name);
      const list = byModule.get(m) ?? [];
      list.push(name);
      byModule.set(m, list);
    }
    for (const [m, names] of [...byModule].sort((a, b) => (a[0] === "index" ? -1 : b[0] === "index" ? 1 : a[0] < b[0] ? -1 : 1))) {
      out.push(`import { ${names.join(", ")} } from "./stelp/${m}";`);
    }
    out.push(`export { __stelp_exit } from "./stelp/index";`);
    out.push("");
    if (this.formatHelpers.size > 0) {
      out.push(FORMAT_PRELUDE);
      for (const text of this.formatHelpers.values()) out.push(text);
    }
    for (const text of this.helpers.values()) out.push(text, "");
    for (const t of functionTexts) out.push(t, "");
    if (topState.temps.size > 0) append(out, topState.temps.values());
    append(out, top);
    out.push("__stelp_finish();");
    return out.join("\n") + "\n";
  }

  // -------------------------------------------------------------------------------------------
  // Functions and closures

  private func(f: TypedFunction, ctorOf: ClassDecl | null = null): string {
    const state: FnState = { temps: new Map(), counter: 0, fn: f.symbol, constructs: [], crossing: new Map(), tries: [] };
    this.fn = state;
    const sym = f.symbol;
    const isMethod = sym.method && sym.method.kind !== "static";
    const params: string[] = [];
    for (const c of sym.captures) params.push(`${c.emitName}: ${this.slotType(c)}`);
    const prologue: string[] = [];
    sym.params.forEach((p, i) => {
      const d = sym.defaults[i];
      const name = p.boxed ? `${p.emitName}__in` : p.emitName;
      params.push(`${name}: ${asType(p.type)}${d ? ` = ${stripParens(this.expr(d))}` : ""}`);
      if (p.boxed) prologue.push(`  let ${p.emitName}: ${this.slotType(p)} = new ${this.use("__Ref")}<${asType(p.type)}>(${name});`);
    });
    const body: string[] = [];
    this.stmts(f.body, body, "  ");
    const last = f.body[f.body.length - 1];
    if (sym.returnType.kind === "dyn" && f.bodyCompletes) {
      // Falling off the end returns undefined.
      this.dynPrelude();
      body.push("  return __dyn_undef();");
    } else if (sym.returnType.kind !== "void" && !(last && last.kind === "return")) {
      // The checker proved the end unreachable; AS's own flow analysis may not see it.
      body.push("  return unreachable();");
    }
    const head = isMethod
      ? ctorOf
        ? `constructor(${params.join(", ")}) {`
        : `${sym.emitName}(${params.join(", ")}): ${asType(sym.returnType)} {`
      : `function ${sym.emitName}(${params.join(", ")}): ${asType(sym.returnType)} {`;
    const lines = [`// line ${sym.loc.line}: ${sym.name}`, head];
    if (isMethod) {
      // `this` is a variable like any other (closures capture it).
      const self = f.body.length >= 0 ? this.thisName(f) : "u_this";
      lines.push(`  const ${self}: ${asType({ kind: "class", id: sym.method!.classId, name: "" })} = this;`);
    }
    append(lines, [...state.temps.values()].map((t) => "  " + t));
    if (ctorOf) {
      for (const fld of ctorOf.fields) {
        if (fld.init) lines.push(`  this.${fld.emitName} = ${stripParens(this.expr(fld.init))};`);
      }
    }
    append(lines, prologue, body, "}");
    return lines.join("\n");
  }

  /**
   * A class: fields (value types start at zero, references are definitely assigned by the
   * constructor), the constructor (field initialisers, then its body) and the methods, each starting
   * with `const u_this = this;` so that closures can capture it.
   */
  private classDecl(c: ClassDecl, methods: Map<FunctionSymbol, TypedFunction>): string {
    const lines: string[] = [`// class ${c.name}`, `class ${c.emitName} {`];
    for (const f of c.fields) {
      lines.push(isRef(f.type) && f.type.kind !== "null" && f.type.kind !== "undefined" ? `  ${f.emitName}!: ${asType(f.type)};` : `  ${f.emitName}: ${asType(f.type)} = ${zeroOf(f.type)};`);
    }
    const emitMember = (sym: FunctionSymbol | null, isCtor: boolean): void => {
      if (!sym) return;
      const f = methods.get(sym);
      if (!f) return;
      const text = this.func(f, isCtor ? c : null);
      // Indent the function into the class body.
      append(lines, text.split("\n").map((l) => "  " + l));
    };
    emitMember(c.constructor, true);
    for (const m of c.methods) if (m.method?.kind === "method") emitMember(m, false);
    lines.push("}");
    return lines.join("\n");
  }

  /** The emitted name of a method's `this` variable. */
  private thisName(f: TypedFunction): string {
    return f.symbol.method?.thisName ?? "u_this";
  }

  /** The AS type of a variable's storage: `__Ref<T>` when it is boxed. */
  private slotType(v: VariableSymbol): string {
    return v.boxed ? `${this.use("__Ref")}<${asType(v.type)}>` : asType(v.type);
  }

  /** A read or write of a variable. */
  private varName(v: VariableSymbol): string {
    return v.boxed ? `${v.emitName}.value` : v.emitName;
  }

  /** The class of a function value with this signature; returns its name. */
  private closureClass(e: ClosureExpr): string {
    const f = e.fn;
    const n = e.params.length;
    const sig = [...e.params, e.ret].map(typeKey).join("");
    const name = `__C_${f.emitName}_${n}_${sig}`;
    return this.helper(name, () => {
      const base = this.use(`__Fn${n}`);
      const fields = f.captures.map((c) => `public ${c.emitName}: ${this.slotType(c)}`).join(", ");
      const params = e.params.map((p, i) => `a${i}: ${asType(p)}`).join(", ");
      const k = Math.min(n, f.params.length);
      const args = [...f.captures.map((c) => `this.${c.emitName}`), ...Array.from({ length: k }, (_, i) => `a${i}`)].join(", ");
      const call = `${f.emitName}(${args})`;
      let body: string;
      const fr = f.returnType;
      if (e.ret.kind === "void") body = `${call};`;
      else if (e.ret.kind === "boolean" && fr.kind !== "boolean") body = `return ${this.truthyOf(fr, call)};`;
      else if (e.ret.kind === "number" && fr.kind === "boolean") body = `return ${call} ? 1.0 : 0.0;`;
      else body = `return ${call};`;
      return [
        `class ${name} extends ${base}<${[...e.params.map(asType), asType(e.ret)].join(", ")}> {`,
        `  constructor(${fields}) {`,
        "    super();",
        "  }",
        `  call(${params}): ${asType(e.ret)} {`,
        `    ${body}`,
        "  }",
        "}",
      ].join("\n");
    });
  }

  // -------------------------------------------------------------------------------------------
  // Temporaries

  /** A fresh temporary of type t: returns how to assign it and how to read it. */
  private temp(t: Type): { set: (v: string) => string; get: string } {
    const name = `__t${++this.fn.counter}`;
    // References other than strings start as null (no allocation); reads assert non-null.
    const ref = isRef(t) && t.kind !== "string";
    const type = ref ? `${asType(t)} | null` : asType(t);
    this.fn.temps.set(name, `let ${name}: ${type} = ${zeroOf(t)};`);
    return { set: (v: string) => (ref ? `(${name} = ${stripParens(v)})!` : `(${name} = ${stripParens(v)})`), get: ref ? `${name}!` : name };
  }

  /** A fresh name for a loop-local constant. */
  private local(prefix: string): string {
    return `__${prefix}${++this.fn.counter}`;
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private stmts(list: readonly Stmt[], out: string[], indent: string): void {
    let lastLine = -1;
    for (const s of list) {
      if (s.loc.line !== lastLine && s.kind !== "block") {
        out.push(`${indent}// line ${s.loc.line}`);
        lastLine = s.loc.line;
      }
      this.stmt(s, out, indent);
    }
  }

  private block(list: readonly Stmt[], indent: string): string[] {
    const out: string[] = [];
    this.stmts(list, out, indent + "  ");
    return out;
  }

  private declare(v: VariableSymbol, init: string, indent: string): string {
    if (v.boxed) return `${indent}let ${v.emitName}: ${this.slotType(v)} = new ${this.use("__Ref")}<${asType(v.type)}>(${stripParens(init)});`;
    const keyword = v.mutable ? "let" : "const";
    return `${indent}${keyword} ${v.emitName}: ${asType(v.type)} = ${stripParens(init)};`;
  }

  private stmt(s: Stmt, out: string[], indent: string): void {
    if (++this.depth > 2000) throw new RangeError("too deep");
    try {
      this.stmtInner(s, out, indent);
    } finally {
      this.depth--;
    }
  }

  private stmtInner(s: Stmt, out: string[], indent: string): void {
    switch (s.kind) {
      case "var-decl": {
        const init = s.init;
        const text = init.kind === "index" && init.numeric && init.object.type.kind === "array" && init.object.type.elem.kind === "number" ? this.indexOrNaN(init) : this.exprAs(init, s.symbol.type);
        out.push(this.declare(s.symbol, text, indent));
        if (s.mayThrow && this.exceptions) append(out, this.checkPending(indent));
        return;
      }
      case "expr":
        if (s.mayThrow && this.exceptions && s.expr.kind === "assign" && s.expr.target.kind === "var") {
          // `x = f();`: if f throws, x keeps its old value.
          const tmp = this.local("val");
          append(out, `${indent}const ${tmp}: ${asType(s.expr.value.type)} = ${stripParens(this.expr(s.expr.value))};`, this.checkPending(indent));
          out.push(`${indent}${this.varName(s.expr.target.symbol)} = ${tmp};`);
          return;
        }
        out.push(`${indent}${this.exprStatement(s.expr)};`);
        if (s.mayThrow && this.exceptions) append(out, this.checkPending(indent));
        return;
      case "try":
        this.tryStmt(s, out, indent);
        return;
      case "if": {
        append(out, `${indent}if (${this.testCond(s.test)}) {`, this.block(s.consequent, indent));
        if (s.alternate) append(out, `${indent}} else {`, this.block(s.alternate, indent));
        out.push(`${indent}}`);
        return;
      }
      case "while": {
        const test = this.testCond(s.test);
        if (test === "true") {
          const body = this.inConstruct(s.id, () => this.block(s.body, indent));
          append(out, `${indent}while (${test}) {`, body, `${indent}}`);
        } else {
          const body = this.inConstruct(s.id, () => this.block(s.body, indent + "  "));
          append(out, ...testFirstLoop(test, "", body, indent));
        }
        this.afterConstruct(s.id, out, indent);
        return;
      }
      case "do-while": {
        const body = this.inConstruct(s.id, () => this.block(s.body, indent));
        append(out, `${indent}do {`, body, `${indent}} while (${this.testCond(s.test)});`);
        this.afterConstruct(s.id, out, indent);
        return;
      }
      case "switch":
        this.switchStmt(s, out, indent);
        return;
      case "labeled": {
        // A labelled block: a loop that runs once, so that \`break\` leaves it.
        const body = this.inConstruct(s.id, () => this.block(s.body, indent));
        append(out, `${indent}do {`, body, `${indent}} while (false);`);
        this.afterConstruct(s.id, out, indent);
        return;
      }
      case "for": {
        let init = "";
        const decls = s.init.filter((i) => i.kind === "var-decl");
        const pre: string[] = [];
        if (decls.length > 0 && decls.length === s.init.length) {
          if (decls.some((d) => d.kind === "var-decl" && d.symbol.boxed)) {
            // Boxed loop variables: declare them before the loop (they are never captured by values).
            for (const d of decls) if (d.kind === "var-decl") pre.push(this.declare(d.symbol, this.exprAs(d.init, d.symbol.type), indent + "  "));
          } else {
            const keyword = decls.every((d) => d.kind === "var-decl" && d.symbol.mutable) ? "let" : decls.length === 1 ? "const" : "let";
            init =
              keyword +
              " " +
              decls.map((d) => (d.kind === "var-decl" ? `${d.symbol.emitName}: ${asType(d.symbol.type)} = ${stripParens(this.exprAs(d.init, d.symbol.type))}` : "")).join(", ");
          }
        } else if (s.init.length === 1 && s.init[0]!.kind === "expr") {
          init = this.exprStatement(s.init[0]!.expr);
        }
        let test = s.test ? this.testCond(s.test) : "true";
        if (test === "true") {
          // asc's flow analysis gets a `for` whose condition is constant-true wrong when the body ends
          // in `continue` or `break`: it treats the code after the loop as unreachable and drops it
          // (silently at top level) or traps. A never-written global hides the constant from asc;
          // Binaryen folds it away again.
          this.helper("__stelp_forever", FOREVER_GLOBAL);
          test = "__stelp_forever";
        }
        const update = s.update ? this.exprStatement(s.update) : "";
        if (test !== "__stelp_forever") {
          // Declarations and the loop in a block of their own (the scope of a `for`'s `let`).
          const body = this.inConstruct(s.id, () => this.block(s.body, indent + "    "));
          append(out, `${indent}{`, pre, ...(init ? [`${indent}  ${init};`] : []), ...testFirstLoop(test, update, body, indent + "  "), `${indent}}`);
          this.afterConstruct(s.id, out, indent);
        } else if (pre.length > 0) {
          const body = this.inConstruct(s.id, () => this.block(s.body, indent + "  "));
          append(out, `${indent}{`, pre, `${indent}  for (; ${test}; ${update}) {`, body, `${indent}  }`);
          this.afterConstruct(s.id, out, indent + "  ");
          out.push(`${indent}}`);
        } else {
          const body = this.inConstruct(s.id, () => this.block(s.body, indent));
          append(out, `${indent}for (${init}; ${test}; ${update}) {`, body, `${indent}}`);
          this.afterConstruct(s.id, out, indent);
        }
        return;
      }
      case "for-of":
        this.forOf(s, out, indent);
        this.afterConstruct(s.id, out, indent);
        return;
      case "for-in":
        this.forIn(s, out, indent);
        this.afterConstruct(s.id, out, indent);
        return;
      case "block":
        append(out, `${indent}{`, this.block(s.body, indent), `${indent}}`);
        return;
      case "break":
      case "continue":
        append(out, this.jump(s.kind, s.target, indent));
        return;
      case "throw": {
        if (this.exceptions) {
          // A pending exception: store the thrown value, then leave to the nearest try or the caller.
          this.exceptionPrelude();
          const value = s.errorName
            ? `__dyn_obj(new __ErrorObj(${stringLiteral(s.errorName)}, ${s.value ? stripParens(this.toStr(s.value)) : '""'}))`
            : stripParens(this.toDyn(s.value!));
          append(out, `${indent}__exc = ${value};`, this.propagate(indent));
          return;
        }
        // Uncaught: stop with Node's first line of the report (Node also prints the source and a stack).
        const msg = s.errorName
          ? s.value
            ? `${stringLiteral(`Uncaught ${s.errorName}: `)} + ${this.toStr(s.value)}`
            : stringLiteral(`Uncaught ${s.errorName}`)
          : `${stringLiteral("Uncaught ")} + ${this.toStr(s.value!)}`;
        out.push(`${indent}abort(${msg}, "stelp", 0, 0);`);
        if (this.fn.fn && this.fn.fn.returnType.kind !== "void") out.push(`${indent}return unreachable();`);
        return;
      }
      case "return":
        if (!s.value && this.fn.fn && this.fn.fn.returnType.kind === "dyn") {
          this.dynPrelude();
          out.push(`${indent}return __dyn_undef();`);
        } else if (!s.value) out.push(`${indent}return;`);
        else if (s.value.type.kind === "void") out.push(`${indent}${this.exprStatement(s.value)};`, `${indent}return;`);
        else if (s.mayThrow && this.exceptions) {
          const rt = this.fn.fn ? this.fn.fn.returnType : s.value.type;
          const tmp = this.local("ret");
          append(out, `${indent}const ${tmp}: ${asType(rt)} = ${stripParens(this.exprAs(s.value, rt))};`, this.checkPending(indent), `${indent}return ${tmp};`);
        } else out.push(`${indent}return ${stripParens(this.exprAs(s.value, this.fn.fn ? this.fn.fn.returnType : s.value.type))};`);
        return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Host tools: one import per tool, arguments and result in src/tools.ts's encoding.

  /** The AS function that calls a tool: encodes the arguments, calls the import, decodes the reply. */
  private toolFunction(name: string): string {
    const sig = this.tools.get(name);
    if (!sig) throw new Error(`emit: the tool ${name} is not in the program's tool list`);
    const imported = `__tool_import_${name}`;
    const fn = `__tool_${name}`;
    this.helper(imported, `@external(${stringLiteral(TOOL_IMPORT_MODULE)}, ${stringLiteral(name)})\ndeclare function ${imported}(args: usize, length: i32): i32;`);
    return this.helper(fn, () => {
      const W = this.use("__ToolWriter");
      const invoke = this.use("__tool_invoke");
      const params = sig.params.map((p, i) => `a${i}: ${asType(p.type)}`).join(", ");
      const lines = [`function ${fn}(${params}): ${asType(sig.returns)} {`, `  const w = new ${W}();`];
      sig.params.forEach((p, i) => lines.push(`  ${this.toolEncode(p.type, "w", `a${i}`)}`));
      const rt = sig.returns;
      const zero = rt.kind === "void" ? "" : ` ${rt.kind === "number" ? "0.0" : rt.kind === "boolean" ? "false" : `changetype<${asType(rt)}>(0)`}`;
      lines.push(`  const r = ${invoke}(${imported}(w.dataStart(), w.length));`, `  if (r === null) {`);
      if (this.exceptions) {
        // The tool failed: its error becomes the pending exception, checked after the statement.
        this.exceptionPrelude();
        lines.push(`    __exc = __dyn_obj(new __ErrorObj(${this.use("__tool_error_name")}(), ${this.use("__tool_error_message")}()));`);
      } else lines.push(`    ${this.use("__tool_uncaught")}();`);
      lines.push(`    return${zero};`, `  }`);
      if (rt.kind !== "void") lines.push(`  return ${this.toolDecode(rt, "r!")};`);
      lines.push("}");
      return lines.join("\n");
    });
  }

  /** A statement that appends `value` (of type t) to the tool writer `w`. */
  private toolEncode(t: Type, w: string, value: string): string {
    switch (t.kind) {
      case "number":
        return `${w}.num(${value});`;
      case "boolean":
        return `${w}.bool(${value});`;
      case "string":
        return `${w}.str(${value});`;
      case "array":
      case "record": {
        const name = `__tool_enc_${typeKey(t)}`;
        this.helper(name, () => {
          const W = this.use("__ToolWriter");
          const body =
            t.kind === "array"
              ? [`  const n = v.length;`, `  w.count(n);`, `  for (let i = 0; i < n; i++) {`, `    ${this.toolEncode(t.elem, "w", "unchecked(v[i])")}`, `  }`]
              : t.fields.map((f, i) => `  ${this.toolEncode(f, "w", `v.f${i}`)}`);
          return [`function ${name}(w: ${W}, v: ${asType(t)}): void {`, ...body, `}`].join("\n");
        });
        return `${name}(${w}, ${value});`;
      }
      default:
        throw new Error(`emit: a ${t.kind} cannot cross the tool boundary`);
    }
  }

  /** An expression that reads a value of type t from the tool reader `r`. */
  private toolDecode(t: Type, r: string): string {
    switch (t.kind) {
      case "number":
        return `${r}.num()`;
      case "boolean":
        return `${r}.bool()`;
      case "string":
        return `${r}.str()`;
      case "array":
      case "record": {
        const name = `__tool_dec_${typeKey(t)}`;
        this.helper(name, () => {
          const R = this.use("__ToolReader");
          const body =
            t.kind === "array"
              ? [`  const n = r.count();`, `  const a = new ${asType(t)}();`, `  for (let i = 0; i < n; i++) a.push(${this.toolDecode(t.elem, "r")});`, `  return a;`]
              : [...t.fields.map((f, i) => `  const f${i} = ${this.toolDecode(f, "r")};`), `  return new ${asType(t)}(${t.fields.map((_, i) => `f${i}`).join(", ")});`];
          return [`function ${name}(r: ${R}): ${asType(t)} {`, ...body, `}`].join("\n");
        });
        return `${name}(${r})`;
      }
      default:
        throw new Error(`emit: a ${t.kind} cannot cross the tool boundary`);
    }
  }

  private exceptionPrelude(): void {
    this.dynPrelude();
    this.helper(
      "__exc",
      `/** The pending exception (the snippet uses try): set by throw, cleared by catch. */
let __exc: __Dyn | null = null;
/** A thrown Error object: \`name\` and \`message\`. */
class __ErrorObj extends __DynObj {
  constructor(public name: string, public message: string) {
    super();
  }
  toStr(): string {
    return this.message.length == 0 ? this.name : this.name + ": " + this.message;
  }
  inspect(levels: i32): __InspectNode {
    abort("printing an Error object is not supported (Node prints its stack trace): print e.message", "stelp", 0, 0);
    return __inspect_text("");
  }
  json(w: __JsonWriter): void {
    w.beginObject();
    w.endObject();
  }
  ref(): usize {
    return changetype<usize>(this);
  }
  kind(): i32 {
    return 5;
  }
  getProp(k: string): __Dyn {
    if (k == "message") return __dyn_str(this.message);
    if (k == "name") return __dyn_str(this.name);
    if (k == "stack") return __dyn_inherited_abort(k);
    return __dyn_inherited(0, k) || k == "toString" ? __dyn_inherited_abort(k) : __dyn_undef();
  }
  keys(): Array<string> {
    return new Array<string>(0);
  }
  iter(): __DynIter {
    abort("TypeError: object is not iterable", "stelp", 0, 0);
    return new __DynStrIter("");
  }
}
/** An exception that reached the top level: the run stops with Node's first line of the report. */
function __uncaught(): void {
  const e = __exc!;
  abort("Uncaught " + (e.tag == 4 ? e.s : e.toStr()), "stelp", 0, 0);
}`,
    );
  }

  /** Where a pending exception goes from here: the nearest try, the caller, or the top (uncaught). */
  private propagate(indent: string): string[] {
    const tries = this.fn.tries;
    if (tries.length > 0) return this.jump("break", tries[tries.length - 1]!, indent);
    if (this.fn.fn) {
      const rt = this.fn.fn.method?.kind === "constructor" ? ({ kind: "void" } as Type) : this.fn.fn.returnType;
      return [`${indent}return${rt.kind === "void" ? "" : ` ${rt.kind === "number" ? "0.0" : rt.kind === "boolean" ? "false" : `changetype<${asType(rt)}>(0)`}`};`];
    }
    return [`${indent}__uncaught();`];
  }

  /** After a statement whose call may throw: leave if an exception is pending. */
  private checkPending(indent: string): string[] {
    this.exceptionPrelude();
    return [`${indent}if (__exc !== null) {`, ...this.propagate(indent + "  "), `${indent}}`];
  }

  /**
   * try/catch/finally: the try block is a loop that runs once (a throw breaks out of it); then, if an
   * exception is pending, the catch block takes it; then the finally block; then a pending exception
   * (thrown without a catch, or by the catch block) goes on outward.
   */
  private tryStmt(s: Extract<Stmt, { kind: "try" }>, out: string[], indent: string): void {
    this.exceptionPrelude();
    this.fn.tries.push(s.id);
    const block = this.inConstruct(s.id, () => this.block(s.block, indent));
    this.fn.tries.pop();
    append(out, `${indent}do {`, block, `${indent}} while (false);`);
    this.afterConstruct(s.id, out, indent);
    if (s.handler) {
      const inner = indent + "  ";
      const head = [`${indent}if (__exc !== null) {`];
      if (s.handler.param) head.push(this.declare(s.handler.param, "__exc!", inner));
      head.push(`${inner}__exc = null;`);
      if (s.finalizer) {
        // A throw in the catch block still runs the finally block first.
        this.fn.tries.push(s.handlerId);
        const body = this.inConstruct(s.handlerId, () => this.block(s.handler!.body, inner));
        this.fn.tries.pop();
        append(out, head, `${inner}do {`, body, `${inner}} while (false);`);
        this.afterConstruct(s.handlerId, out, inner);
        out.push(`${indent}}`);
      } else {
        append(out, head, this.block(s.handler.body, indent), `${indent}}`);
      }
    }
    if (s.finalizer) {
      append(out, `${indent}{`, this.block(s.finalizer, indent), `${indent}}`);
      append(out, this.checkPending(indent));
    }
  }

  /** Emits a construct's body with the construct on the stack of jump targets. */
  private inConstruct<T>(id: number, body: () => T): T {
    this.fn.constructs.push(id);
    try {
      return body();
    } finally {
      this.fn.constructs.pop();
    }
  }

  /**
   * \`break\`/\`continue\` of construct \`target\`. AS has no labels: a jump out of more than the innermost
   * construct records a code in \`__jump\`, breaks out of the innermost one, and each construct it
   * leaves checks the code right after itself (see afterConstruct).
   */
  private jump(kind: "break" | "continue", target: number, indent: string): string[] {
    const stack = this.fn.constructs;
    const top = stack[stack.length - 1];
    if (top === target) return [`${indent}${kind};`];
    const code = target * 2 + (kind === "continue" ? 1 : 0);
    const at = stack.lastIndexOf(target);
    if (at < 0) throw new Error(`jump to construct ${target} that is not open`);
    for (let i = at + 1; i < stack.length; i++) {
      const set = this.fn.crossing.get(stack[i]!) ?? new Set<number>();
      set.add(code);
      this.fn.crossing.set(stack[i]!, set);
    }
    this.fn.temps.set("__jump", "let __jump: i32 = 0;");
    return [`${indent}{`, `${indent}  __jump = ${code};`, `${indent}  break;`, `${indent}}`];
  }

  /** After construct \`id\`: finish the jumps that left it (continue or leave the parent, or go on outward). */
  private afterConstruct(id: number, out: string[], indent: string): void {
    const codes = this.fn.crossing.get(id);
    if (!codes || codes.size === 0) return;
    this.fn.crossing.delete(id);
    const stack = this.fn.constructs;
    const parent = stack[stack.length - 1];
    const lines: string[] = [`${indent}if (__jump != 0) {`];
    for (const code of [...codes].sort((a, b) => a - b)) {
      const target = code >> 1;
      if (target !== parent) continue;
      lines.push(`${indent}  if (__jump == ${code}) {`, `${indent}    __jump = 0;`, `${indent}    ${code & 1 ? "continue" : "break"};`, `${indent}  }`);
    }
    if ([...codes].some((c) => c >> 1 !== parent)) {
      // Still on the way to an outer construct: leave the parent too (its own check continues).
      for (const code of codes) {
        if (code >> 1 === parent) continue;
        const at = stack.lastIndexOf(code >> 1);
        for (let i = at + 1; i < stack.length; i++) {
          const set = this.fn.crossing.get(stack[i]!) ?? new Set<number>();
          set.add(code);
          this.fn.crossing.set(stack[i]!, set);
        }
      }
      lines.push(`${indent}  break;`);
    }
    lines.push(`${indent}}`);
    append(out, lines);
  }

  /**
   * \`switch\`: a loop that runs once (so that \`break\` leaves it), the index of the clause that
   * matched (tests in order; the default if none), then every body from that clause on.
   */
  private switchStmt(s: Extract<Stmt, { kind: "switch" }>, out: string[], indent: string): void {
    const inner = indent + "  ";
    const m = this.local("case");
    const n = s.cases.length;
    const lines: string[] = [`${indent}do {`, this.declare(s.discriminant.symbol, this.expr(s.discriminant.init), inner), `${inner}let ${m}: i32 = ${n};`];
    const defaultIndex = s.cases.findIndex((c) => c.test === null);
    let chain = "";
    s.cases.forEach((c, i) => {
      if (!c.test) return;
      chain += `${chain ? " else " : inner}if (${this.testCond(c.test)}) ${m} = ${i};`;
    });
    if (defaultIndex >= 0) chain += chain ? ` else ${m} = ${defaultIndex};` : `${inner}${m} = ${defaultIndex};`;
    if (chain) lines.push(chain);
    const bodies = this.inConstruct(s.id, () =>
      s.cases.map((c, i) => [`${inner}if (${m} <= ${i}) {`, ...this.block(c.body, inner), `${inner}}`]),
    );
    for (const b of bodies) append(lines, b);
    lines.push(`${indent}} while (false);`);
    append(out, lines);
    this.afterConstruct(s.id, out, indent);
  }

  /** Binds the loop variable of for…of/for…in to `value` (a fresh binding per iteration, or an assignment). */
  private bindLoopVar(v: VariableSymbol, value: string, declared: boolean, indent: string): string {
    if (declared) return this.declare(v, value, indent);
    return `${indent}${this.varName(v)} = ${value};`;
  }

  private forOf(s: Extract<Stmt, { kind: "for-of" }>, out: string[], indent: string): void {
    const src = s.iterable;
    if (src.kind === "method" && src.args.length === 0 && ["keys", "values", "entries"].includes(src.name)) {
      const ot = src.object.type;
      // Iterators are live (elements added during the loop are visited): iterate the collection.
      if (ot.kind === "array" || ot.kind === "map" || ot.kind === "set") {
        this.forOfLive(s, src.object, ot, src.name as "keys" | "values" | "entries", out, indent);
        return;
      }
    }
    const t = s.iterable.type;
    const v = s.binding;
    // The binding is declared by the loop unless it is an existing variable (assigned each time).
    const declared = !this.isOuterBinding(s);
    const inner = indent + "  ";
    const body = this.inConstruct(s.id, () => this.block(s.body, inner));
    if (t.kind === "array" || t.kind === "string") {
      const it = this.local("it");
      const i = this.local("i");
      const src = t.kind === "string" ? `${this.use("__js_str_code_points")}(${stripParens(this.expr(s.iterable))})` : stripParens(this.expr(s.iterable));
      const elemT = t.kind === "array" ? asType(t.elem) : "string";
      out.push(
        `${indent}{`,
        `${inner}const ${it}: Array<${elemT}> = ${src};`,
        // The array iterator re-reads the length each step (pushes during the loop are visited).
        `${inner}for (let ${i}: i32 = 0; ${i} < ${it}.length; ${i}++) {`,
        this.bindLoopVar(v, `unchecked(${it}[${i}])`, declared, inner + "  "),
        ...body.map((l) => "  " + l),
        `${inner}}`,
        `${indent}}`,
      );
      return;
    }
    if (t.kind === "dyn") {
      this.dynPrelude();
      const it = this.local("it");
      out.push(
        `${indent}{`,
        `${inner}const ${it} = __dyn_iter(${stripParens(this.expr(s.iterable))});`,
        `${inner}while (${it}.next()) {`,
        this.bindLoopVar(v, `${it}.value!`, declared, inner + "  "),
        ...body.map((l) => "  " + l),
        `${inner}}`,
        `${indent}}`,
      );
      return;
    }
    if (t.kind === "map") {
      const it = this.local("it");
      out.push(
        `${indent}{`,
        `${inner}const ${it} = ${stripParens(this.expr(s.iterable))}.iterator();`,
        `${inner}while (${it}.next()) {`,
        this.bindLoopVar(v, `new ${this.use("__JsEntry")}<${asType(t.key)}, ${asType(t.value)}>(${it}.key, ${it}.value)`, declared, inner + "  "),
        ...body.map((l) => "  " + l),
        `${inner}}`,
        `${indent}}`,
      );
      return;
    }
    if (t.kind === "set") {
      const it = this.local("it");
      out.push(
        `${indent}{`,
        `${inner}const ${it} = ${stripParens(this.expr(s.iterable))}.iterator();`,
        `${inner}while (${it}.next()) {`,
        this.bindLoopVar(v, `${it}.value`, declared, inner + "  "),
        ...body.map((l) => "  " + l),
        `${inner}}`,
        `${indent}}`,
      );
      return;
    }
    throw new Error(`for…of over ${t.kind}`);
  }

  /** `for (… of a.keys() / a.values() / a.entries())` (arrays, Maps, Sets) as a live iteration. */
  private forOfLive(s: Extract<Stmt, { kind: "for-of" }>, obj: Expr, t: Type, which: "keys" | "values" | "entries", out: string[], indent: string): void {
    const v = s.binding;
    const declared = !this.isOuterBinding(s);
    const inner = indent + "  ";
    const body = this.inConstruct(s.id, () => this.block(s.body, inner));
    const it = this.local("it");
    const head: string[] = [];
    let value: string;
    if (t.kind === "array") {
      const i = this.local("i");
      const E = asType(t.elem);
      head.push(`${inner}const ${it}: Array<${E}> = ${stripParens(this.expr(obj))};`, `${inner}for (let ${i}: i32 = 0; ${i} < ${it}.length; ${i}++) {`);
      value = which === "keys" ? `<f64>${i}` : which === "values" ? `unchecked(${it}[${i}])` : `new ${this.use("__JsEntry")}<f64, ${E}>(<f64>${i}, unchecked(${it}[${i}]))`;
    } else if (t.kind === "map") {
      head.push(`${inner}const ${it} = ${stripParens(this.expr(obj))}.iterator();`, `${inner}while (${it}.next()) {`);
      value = which === "keys" ? `${it}.key` : which === "values" ? `${it}.value` : `new ${this.use("__JsEntry")}<${asType(t.key)}, ${asType(t.value)}>(${it}.key, ${it}.value)`;
    } else if (t.kind === "set") {
      head.push(`${inner}const ${it} = ${stripParens(this.expr(obj))}.iterator();`, `${inner}while (${it}.next()) {`);
      value = which === "entries" ? `new ${this.use("__JsEntry")}<${asType(t.elem)}, ${asType(t.elem)}>(${it}.value, ${it}.value)` : `${it}.value`;
    } else {
      throw new Error(`for…of over ${t.kind}.${which}()`);
    }
    append(out, `${indent}{`, head, this.bindLoopVar(v, value, declared, inner + "  "), body.map((l) => "  " + l), `${inner}}`, `${indent}}`);
  }

  private outerBindings = new Set<VariableSymbol>();

  private isOuterBinding(s: { binding: VariableSymbol; loc: { line: number; column: number } }): boolean {
    // A binding declared by the loop has its location inside the loop head.
    const b = s.binding;
    return b.loc.line < s.loc.line || (b.loc.line === s.loc.line && b.loc.column < s.loc.column);
  }

  private forIn(s: Extract<Stmt, { kind: "for-in" }>, out: string[], indent: string): void {
    const t = s.object.type;
    const v = s.binding;
    const declared = !this.isOuterBinding(s);
    const inner = indent + "  ";
    const body = this.inConstruct(s.id, () => this.block(s.body, inner));
    const o = this.local("o");
    if (t.kind === "dyn") {
      this.dynPrelude();
      const ks = this.local("ks");
      const i = this.local("i");
      out.push(
        `${indent}{`,
        `${inner}const ${ks}: Array<string> = __dyn_keys(${stripParens(this.expr(s.object))});`,
        `${inner}for (let ${i}: i32 = 0; ${i} < ${ks}.length; ${i}++) {`,
        this.bindLoopVar(v, `unchecked(${ks}[${i}])`, declared, inner + "  "),
        ...body.map((l) => "  " + l),
        `${inner}}`,
        `${indent}}`,
      );
      return;
    }
    if (t.kind === "dict") {
      const ks = this.local("ks");
      const i = this.local("i");
      const k = this.local("k");
      out.push(
        `${indent}{`,
        `${inner}const ${o} = ${stripParens(this.expr(s.object))};`,
        `${inner}const ${ks}: Array<string> = ${o}.keys();`,
        `${inner}for (let ${i}: i32 = 0; ${i} < ${ks}.length; ${i}++) {`,
        `${inner}  const ${k}: string = unchecked(${ks}[${i}]);`,
        // Keys deleted during the loop are skipped, as V8 does.
        `${inner}  if (!${o}.has(${k})) continue;`,
        this.bindLoopVar(v, k, declared, inner + "  "),
        ...body.map((l) => "  " + l),
        `${inner}}`,
        `${indent}}`,
      );
      return;
    }
    if (t.kind === "record") {
      const ks = this.local("ks");
      const i = this.local("i");
      out.push(
        `${indent}{`,
        `${inner}const ${o} = ${stripParens(this.expr(s.object))};`,
        `${inner}const ${ks}: Array<string> = [${t.keys.map(stringLiteral).join(", ")}];`,
        `${inner}for (let ${i}: i32 = 0; ${i} < ${ks}.length; ${i}++) {`,
        this.bindLoopVar(v, `unchecked(${ks}[${i}])`, declared, inner + "  "),
        ...body.map((l) => "  " + l),
        `${inner}}`,
        `${indent}}`,
      );
      return;
    }
    if (t.kind === "array" || t.kind === "string") {
      const n = this.local("n");
      const i = this.local("i");
      out.push(
        `${indent}{`,
        `${inner}const ${o} = ${stripParens(this.expr(s.object))};`,
        `${inner}const ${n}: i32 = ${o}.length;`,
        `${inner}for (let ${i}: i32 = 0; ${i} < ${n}; ${i}++) {`,
        ...(t.kind === "array" ? [`${inner}  if (${i} >= ${o}.length) continue;`] : []),
        this.bindLoopVar(v, `${this.use("__js_num_to_string")}(<f64>${i})`, declared, inner + "  "),
        ...body.map((l) => "  " + l),
        `${inner}}`,
        `${indent}}`,
      );
      return;
    }
    throw new Error(`for…in over ${t.kind}`);
  }

  /** An expression whose value is discarded: drop the outer parentheses. */
  private exprStatement(e: Expr): string {
    return stripParens(this.expr(e));
  }

  // -------------------------------------------------------------------------------------------
  // Conversions

  /** A statement's condition (if/while/for): no outer parentheses needed. */
  private testCond(e: Expr): string {
    return stripParens(this.cond(e));
  }

  /** A JS condition: truthiness of the value as an AS bool (safe in any expression context). */
  private cond(e: Expr): string {
    if (e.kind === "logical" && (e.op === "&&" || e.op === "||")) {
      // Only the truthiness of the result matters: the same short-circuit over the operands' truthiness.
      return `(${this.cond(e.left)} ${e.op} ${this.cond(e.right)})`;
    }
    const r = this.readParts(e);
    if (r) return `(${[...r.setup, `${r.present} ? ${this.truthyOf(e.type, r.get)} : ${r.inherited}`].join(", ")})`;
    return this.truthyOf(e.type, this.expr(e));
  }

  /**
   * A read that may find nothing (JS undefined) where the caller handles that: its setup (receiver
   * and key in temporaries), a test for the element, the read itself, and what JS finds when the
   * key is missing but inherited (a dictionary's "toString" reads Object.prototype's function).
   */
  private readParts(e: Expr): { setup: string[]; present: string; get: string; inherited: string } | null {
    if (e.kind === "index" && e.lenient) {
      const ot = e.object.type;
      if (ot.kind === "array" || ot.kind === "string") {
        const o = this.temp(ot);
        const k = this.temp({ kind: "number" });
        const setup = [o.set(this.expr(e.object)), k.set(ot.kind === "array" ? this.indexNum(e.index) : this.num(e.index))];
        if (ot.kind === "array") {
          return { setup, present: this.arrayElement("__js_array_has_index", e.index, o.get, ot.elem, [k.get], true), get: this.arrayElement("__js_array_get", e.index, o.get, ot.elem, [k.get], true), inherited: "false" };
        }
        return { setup, present: `${this.use("__js_str_has_index")}(${o.get}, ${k.get})`, get: `${this.use("__js_str_get")}(${o.get}, ${k.get})`, inherited: "false" };
      }
      if (ot.kind === "dict") return this.dictParts(e.object, this.key(e.index));
      return null;
    }
    if (e.kind === "member" && e.lenient && e.object.type.kind === "dict") return this.dictParts(e.object, stringLiteral(e.name));
    if (e.kind === "method" && e.lenient && e.name === "get" && e.object.type.kind === "map") {
      const mt = e.object.type;
      const o = this.temp(mt);
      const k = this.temp(mt.key);
      return { setup: [o.set(this.expr(e.object)), k.set(this.expr(e.args[0]!))], present: `${o.get}.has(${k.get})`, get: `${o.get}.get(${k.get})`, inherited: "false" };
    }
    return null;
  }

  /** An expression of type t that stops the run with a message (for cases JS handles with values we cannot hold). */
  private abortValue(t: Type, message: string): string {
    const name = `__abort_${typeKey(t)}`;
    this.helper(name, `function ${name}(message: string): ${asType(t)} {\n  abort(message, "stelp", 0, 0);\n  return unreachable();\n}`);
    return `${name}(${stringLiteral(message)})`;
  }

  private dictParts(obj: Expr, keyText: string): { setup: string[]; present: string; get: string; inherited: string } {
    const o = this.temp(obj.type);
    const k = this.temp({ kind: "string" });
    this.use("__js_is_object_prototype_key");
    return { setup: [o.set(this.expr(obj)), k.set(keyText)], present: `${o.get}.has(${k.get})`, get: `${o.get}.get(${k.get})`, inherited: `__js_is_object_prototype_key(${k.get})` };
  }

  private truthyOf(t: Type, text: string): string {
    switch (t.kind) {
      case "boolean":
        return text;
      case "number":
        return `${this.use("__js_truthy_num")}(${stripParens(text)})`;
      case "string":
        return `${this.use("__js_truthy_str")}(${stripParens(text)})`;
      case "null":
      case "undefined":
      case "void":
        return isSimple(text) ? "false" : `(${stripParens(text)}, false)`;
      case "dyn":
        return `${wrap(text)}.truthy()`;
      default:
        // Objects are always truthy.
        return isSimple(text) ? "true" : `(${stripParens(text)}, true)`;
    }
  }

  /** The expression converted with ToNumber (numbers, booleans, strings, null, undefined, dyn). */
  private num(e: Expr): string {
    if (e.kind === "index" && e.numeric && e.object.type.kind === "array" && e.object.type.elem.kind === "number") return this.indexOrNaN(e);
    if (e.kind === "index" && e.numeric && e.object.type.kind === "dict" && e.object.type.value.kind === "number") {
      // A missing entry is undefined, which ToNumber makes NaN.
      const r = this.readParts({ ...e, lenient: true })!;
      return `(${[...r.setup, `${r.present} ? ${r.get} : (${r.inherited} ? ${this.abortValue({ kind: "number" }, "the key names an inherited Object.prototype member: JavaScript would read that function")} : NaN)`].join(", ")})`;
    }
    const text = this.expr(e);
    switch (e.type.kind) {
      case "number":
        return text;
      case "boolean":
        return `(${text} ? 1.0 : 0.0)`;
      case "string":
        return `${this.use("__js_string_to_number")}(${stripParens(text)})`;
      case "null":
        return isSimple(text) || e.kind === "unit" ? "0.0" : `(${stripParens(text)}, 0.0)`;
      case "undefined":
        return isSimple(text) || e.kind === "unit" ? "NaN" : `(${stripParens(text)}, NaN)`;
      case "dyn":
        return `${wrap(text)}.toNumber()`;
      default:
        throw new Error(`ToNumber of ${e.type.kind}`);
    }
  }

  /** JS String(x) of a value. */
  private toStr(e: Expr): string {
    return this.toStrText(e.type, this.expr(e), e.kind === "unit");
  }

  private toStrText(t: Type, text: string, literal = false): string {
    switch (t.kind) {
      case "string":
        return text;
      case "number":
        return `${this.use("__js_num_to_string")}(${stripParens(text)})`;
      case "boolean":
        return `${this.use("__js_bool_to_string")}(${stripParens(text)})`;
      case "null":
        return literal || isSimple(text) ? '"null"' : `(${stripParens(text)}, "null")`;
      case "undefined":
      case "void":
        return literal || isSimple(text) ? '"undefined"' : `(${stripParens(text)}, "undefined")`;
      case "array":
        if (t.elem.kind === "dyn") {
          this.arrayMethodHelperDynJoin();
          return `__dyn_join(${stripParens(text)})`;
        }
        return `${this.use("__js_array_join")}<${asType(t.elem)}>(${stripParens(text)}, ",")`;
      case "dyn":
        return `${wrap(text)}.toStr()`;
      case "class": {
        const c = classDecls.get(t.id)!;
        if (c.hasToString) return `${wrap(text)}.u_toString()`;
        return isSimple(text) ? '"[object Object]"' : `(${stripParens(text)}, "[object Object]")`;
      }
      case "tuple": {
        const name = `__tuple_str_${typeKey(t)}`;
        this.helper(name, () => `function ${name}(v: ${asType(t)}): string {\n  return ${this.joinElem(t.elems[0], "v.key")} + "," + ${this.joinElem(t.elems[1], "v.value")};\n}`);
        return `${name}(${stripParens(text)})`;
      }
      default:
        throw new Error(`String() of ${t.kind}`);
    }
  }

  /** An element as Array.prototype.join shows it (null and undefined as ""). */
  private joinElem(t: Type, text: string): string {
    if (t.kind === "null" || t.kind === "undefined") return '""';
    if (t.kind === "dyn") return `(${text}.tag > 1 ? ${text}.toStr() : "")`;
    return this.toStrText(t, text);
  }

  private arrayMethodHelperDynJoin(): void {
    this.dynPrelude();
    this.helper(
      "__dyn_join",
      'function __dyn_join(a: Array<__Dyn>, sep: string = ","): string {\n  let out = "";\n  for (let i = 0; i < a.length; i++) {\n    if (i > 0) out += sep;\n    const x = unchecked(a[i]);\n    if (x.tag > 1) out += x.toStr();\n  }\n  return out;\n}',
    );
  }

  /** An expression that must have the AS type of `t` (boxes into dyn where needed). */
  private exprAs(e: Expr, t: Type): string {
    void t;
    return this.expr(e);
  }

  // -------------------------------------------------------------------------------------------
  // console.log and inspect

  /** console.log's rendering of one argument (strings raw, everything else like util.inspect). */
  private inspect(e: Expr): string {
    return this.inspectText(e.type, this.expr(e), e.kind === "unit");
  }

  private inspectText(t: Type, text: string, literal: boolean): string {
    const e = { kind: literal ? "unit" : "other" };
    switch (t.kind) {
      case "string":
        return text;
      case "number":
        return `${this.use("__js_inspect_num")}(${stripParens(text)})`;
      case "boolean":
        return `${this.use("__js_bool_to_string")}(${stripParens(text)})`;
      case "void":
      case "undefined":
        return isSimple(text) || e.kind === "unit" ? '"undefined"' : `(${stripParens(text)}, "undefined")`;
      case "null":
        return isSimple(text) || e.kind === "unit" ? '"null"' : `(${stripParens(text)}, "null")`;
      default:
        return `${this.use("__js_inspect_log")}(${this.inspectNode(t)}(${stripParens(text)}, ${this.use("__INSPECT_LEVELS")}))`;
    }
  }

  /** The name of a generated function `(v: T, levels: i32): __InspectNode` for type t. */
  private inspectNode(t: Type): string {
    const name = `__insp_${typeKey(t)}`;
    this.use("__InspectNode");
    return this.helper(name, () => {
      const T = asType(t);
      const head = `function ${name}(v: ${T}, levels: i32): __InspectNode {`;
      switch (t.kind) {
        case "number":
          return `${head}\n  return ${this.use("__inspect_num")}(v);\n}`;
        case "boolean":
          return `${head}\n  return ${this.use("__inspect_bool")}(v);\n}`;
        case "string":
          return `${head}\n  return ${this.use("__inspect_str")}(v);\n}`;
        case "null":
        case "undefined":
          return `${head}\n  return ${this.use("__inspect_text")}("${t.kind}");\n}`;
        case "dyn":
          return `${head}\n  return v.inspect(levels);\n}`;
        case "array": {
          const el = this.inspectNode(t.elem);
          this.use("__inspect_stub");
          this.use("__inspect_array");
          this.use("__INSPECT_ARRAY");
          this.use("__INSPECT_MAX_ITEMS");
          return `${head}
  const ref = changetype<usize>(v);
  const length = v.length;
  if (levels <= 0) return __inspect_stub(__INSPECT_ARRAY, "", ref, length);
  const node = __inspect_array(ref, length);
  const shown = length <= __INSPECT_MAX_ITEMS ? length : __INSPECT_MAX_ITEMS + 1;
  for (let i = 0; i < shown; i++) node.add(${el}(unchecked(v[i]), levels - 1));
  return node;
}`;
        }
        case "tuple": {
          const a = this.inspectNode(t.elems[0]);
          const b = this.inspectNode(t.elems[1]);
          this.use("__inspect_stub");
          this.use("__inspect_array");
          this.use("__INSPECT_ARRAY");
          return `${head}
  const ref = changetype<usize>(v);
  if (levels <= 0) return __inspect_stub(__INSPECT_ARRAY, "", ref, 2);
  return __inspect_array(ref, 2).add(${a}(v.key, levels - 1)).add(${b}(v.value, levels - 1));
}`;
        }
        case "class": {
          const c = classDecls.get(t.id)!;
          const fs = c.fields.map((f) => this.inspectNode(f.type));
          this.use("__inspect_stub");
          this.use("__inspect_object");
          this.use("__INSPECT_OBJECT");
          return `${head}
  const ref = changetype<usize>(v);
  if (levels <= 0) return __inspect_stub(__INSPECT_OBJECT, ${stringLiteral(c.name)}, ref, ${c.fields.length});
  return __inspect_object(ref, ${stringLiteral(c.name)})${c.fields.map((f, i) => `.prop(${stringLiteral(f.name)}, ${fs[i]}(v.${f.emitName}, levels - 1))`).join("")};
}`;
        }
        case "record": {
          const fs = t.fields.map((f) => this.inspectNode(f));
          this.use("__inspect_stub");
          this.use("__inspect_object");
          this.use("__INSPECT_OBJECT");
          return `${head}
  const ref = changetype<usize>(v);
  if (levels <= 0) return __inspect_stub(__INSPECT_OBJECT, "", ref, ${t.keys.length});
  return __inspect_object(ref, "")${t.keys.map((k, i) => `.prop(${stringLiteral(k)}, ${fs[i]}(v.f${i}, levels - 1))`).join("")};
}`;
        }
        case "dict": {
          const el = this.inspectNode(t.value);
          this.use("__inspect_stub");
          this.use("__inspect_object");
          this.use("__INSPECT_OBJECT");
          return `${head}
  const ref = changetype<usize>(v);
  const keys = v.keys();
  if (levels <= 0) return __inspect_stub(__INSPECT_OBJECT, "", ref, keys.length);
  const node = __inspect_object(ref, "");
  for (let i = 0; i < keys.length; i++) node.prop(unchecked(keys[i]), ${el}(v.get(unchecked(keys[i])), levels - 1));
  return node;
}`;
        }
        case "map": {
          const k = this.inspectNode(t.key);
          const val = this.inspectNode(t.value);
          this.use("__inspect_stub");
          this.use("__inspect_map");
          this.use("__INSPECT_MAP");
          this.use("__INSPECT_MAX_ITEMS");
          return `${head}
  const ref = changetype<usize>(v);
  const size = <i32>v.size;
  if (levels <= 0) return __inspect_stub(__INSPECT_MAP, "", ref, size);
  const node = __inspect_map(ref, size);
  const it = v.iterator();
  let shown = 0;
  while (shown <= __INSPECT_MAX_ITEMS && it.next()) {
    node.entry(${k}(it.key, levels - 1), ${val}(it.value, levels - 1));
    shown++;
  }
  return node;
}`;
        }
        case "set": {
          const el = this.inspectNode(t.elem);
          this.use("__inspect_stub");
          this.use("__inspect_set");
          this.use("__INSPECT_SET");
          this.use("__INSPECT_MAX_ITEMS");
          return `${head}
  const ref = changetype<usize>(v);
  const size = <i32>v.size;
  if (levels <= 0) return __inspect_stub(__INSPECT_SET, "", ref, size);
  const node = __inspect_set(ref, size);
  const it = v.iterator();
  let shown = 0;
  while (shown <= __INSPECT_MAX_ITEMS && it.next()) {
    node.add(${el}(it.value, levels - 1));
    shown++;
  }
  return node;
}`;
        }
        case "fn":
          return `${head}\n  return ${this.use("__inspect_text")}("[Function (anonymous)]");\n}`;
        case "void":
          return `${head}\n  return ${this.use("__inspect_text")}("undefined");\n}`;
      }
    });
  }

  /** The name of a generated function `(w: __JsonWriter, v: T): void` for type t. */
  private jsonWriter(t: Type): string {
    const name = `__json_${typeKey(t)}`;
    this.use("__JsonWriter");
    return this.helper(name, () => {
      const head = `function ${name}(w: __JsonWriter, v: ${asType(t)}): void {`;
      switch (t.kind) {
        case "number":
          return `${head}\n  w.num(v);\n}`;
        case "boolean":
          return `${head}\n  w.bool(v);\n}`;
        case "string":
          return `${head}\n  w.str(v);\n}`;
        case "null":
          return `${head}\n  w.nul();\n}`;
        case "undefined":
        case "void":
        case "fn":
          return `${head}\n  w.undef();\n}`;
        case "dyn":
          return `${head}\n  v.json(w);\n}`;
        case "array": {
          const el = this.jsonWriter(t.elem);
          return `${head}\n  w.beginArray();\n  for (let i = 0; i < v.length; i++) ${el}(w, unchecked(v[i]));\n  w.endArray();\n}`;
        }
        case "tuple": {
          const a = this.jsonWriter(t.elems[0]);
          const b = this.jsonWriter(t.elems[1]);
          return `${head}\n  w.beginArray();\n  ${a}(w, v.key);\n  ${b}(w, v.value);\n  w.endArray();\n}`;
        }
        case "class": {
          const c = classDecls.get(t.id)!;
          const fs = c.fields.map((f) => this.jsonWriter(f.type));
          return `${head}\n  w.beginObject();\n${c.fields.map((f, i) => `  w.key(${stringLiteral(f.name)});\n  ${fs[i]}(w, v.${f.emitName});\n`).join("")}  w.endObject();\n}`;
        }
        case "record": {
          const fs = t.fields.map((f) => this.jsonWriter(f));
          return `${head}\n  w.beginObject();\n${t.keys.map((k, i) => `  w.key(${stringLiteral(k)});\n  ${fs[i]}(w, v.f${i});\n`).join("")}  w.endObject();\n}`;
        }
        case "dict": {
          const el = this.jsonWriter(t.value);
          return `${head}\n  w.beginObject();\n  const keys = v.keys();\n  for (let i = 0; i < keys.length; i++) {\n    w.key(unchecked(keys[i]));\n    ${el}(w, v.get(unchecked(keys[i])));\n  }\n  w.endObject();\n}`;
        }
        case "map":
        case "set":
          // Maps and Sets have no own enumerable properties.
          return `${head}\n  w.beginObject();\n  w.endObject();\n}`;
      }
    });
  }

  private stringify(t: Type, value: string, gap: string): string {
    const w = this.jsonWriter(t);
    const name = `__stringify_${typeKey(t)}`;
    this.helper(
      name,
      `function ${name}(v: ${asType(t)}, gap: string): string {
  const w = new __JsonWriter(gap);
  ${w}(w, v);
  const r = w.result();
  if (r === null) abort("JSON.stringify gave undefined here (the value is undefined or a function)", "stelp", 0, 0);
  return r!;
}`,
    );
    return `${name}(${stripParens(value)}, ${gap})`;
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  private expr(e: Expr): string {
    if (++this.depth > 2000) throw new RangeError("too deep");
    try {
      return this.exprInner(e);
    } finally {
      this.depth--;
    }
  }

  private exprInner(e: Expr): string {
    switch (e.kind) {
      case "number":
        return numberLiteral(e.value);
      case "string":
        return stringLiteral(e.value);
      case "boolean":
        return e.value ? "true" : "false";
      case "unit":
        this.helper("__Unit", UNIT_CLASS);
        return "null";
      case "var":
        return this.varName(e.symbol);
      case "assign":
        return this.assign(e);
      case "update":
        return this.update(e);
      case "unary": {
        switch (e.op) {
          case "-":
            return `(-${wrap(this.num(e.operand))})`;
          case "+":
            return this.num(e.operand);
          case "~":
            return `${this.use("__js_bitnot")}(${stripParens(this.num(e.operand))})`;
          case "!":
            return `(!${wrap(this.cond(e.operand))})`;
          case "typeof":
            return this.typeOf(e.operand);
        }
        break;
      }
      case "binary":
        return this.binary(e);
      case "logical":
        return this.logical(e);
      case "conditional":
        return `(${this.cond(e.test)} ? ${this.expr(e.consequent)} : ${this.expr(e.alternate)})`;
      case "call": {
        const args = [...e.callee.captures.map((c) => c.emitName), ...e.args.map((a) => stripParens(this.expr(a)))];
        return `${e.callee.emitName}(${args.join(", ")})`;
      }
      case "tool-call":
        return `${this.toolFunction(e.tool)}(${e.args.map((a) => stripParens(this.expr(a))).join(", ")})`;
      case "call-value":
        return `${wrap(this.expr(e.callee))}.call(${e.args.map((a) => stripParens(this.expr(a))).join(", ")})`;
      case "closure": {
        const cls = this.closureClass(e);
        return `new ${cls}(${e.fn.captures.map((c) => c.emitName).join(", ")})`;
      }
      case "math-call":
        return this.mathCall(e);
      case "console":
        return `${this.use(e.stream === "out" ? "__stelp_log_out" : "__stelp_log_err")}(${this.consoleLine(e)})`;
      case "assert": {
        this.helper("__assert", ASSERT, ["__stelp_log_err"]);
        if (!e.message) return `__assert(${stripParens(this.cond(e.test))})`;
        return `__assert_msg(${stripParens(this.cond(e.test))}, ${this.consoleLine(e.message)})`;
      }
      case "template": {
        const parts: string[] = [];
        e.quasis.forEach((q, i) => {
          if (q.length > 0) parts.push(stringLiteral(q));
          const x = e.expressions[i];
          if (x) parts.push(this.toStr(x));
        });
        if (parts.length === 0) return '""';
        if (parts.length === 1) return e.quasis[0] === "" && e.expressions.length === 1 && e.expressions[0]!.type.kind !== "string" ? parts[0]! : parts[0]!;
        // The first operand must be a string for AS to pick string concatenation (it is one: toStr).
        return `(${parts.join(" + ")})`;
      }
      case "sequence":
        return `(${e.expressions.map((x) => stripParens(this.expr(x))).join(", ")})`;
      case "array":
        return this.arrayLiteral(e);
      case "object": {
        if (e.type.kind === "record") {
          const rt = e.type;
          const name = recordName(rt);
          // Values are evaluated in source order, then placed in key order.
          const maker = `__mk_${name.slice(2)}_${e.keys.map((k) => rt.keys.indexOf(k)).join("_")}`;
          this.helper(maker, () => {
            const params = e.keys.map((k, i) => `v${i}: ${asType(rt.fields[rt.keys.indexOf(k)]!)}`).join(", ");
            const args = rt.keys.map((k) => `v${e.keys.indexOf(k)}`).join(", ");
            return `function ${maker}(${params}): ${name} {\n  return new ${name}(${args});\n}`;
          });
          return `${maker}(${e.values.map((v) => stripParens(this.expr(v))).join(", ")})`;
        }
        const t = e.type.kind === "dict" ? e.type.value : e.type;
        const D = `${this.use("__JsDict")}<${asType(t)}>`;
        if (e.keys.length === 0) return `new ${D}()`;
        const name = `__dict_${typeKey(t)}_${e.keys.length}`;
        this.helper(
          name,
          `function ${name}(keys: Array<string>, values: Array<${asType(t)}>): ${D} {\n  const d = new ${D}();\n  for (let i = 0; i < keys.length; i++) d.set(unchecked(keys[i]), unchecked(values[i]));\n  return d;\n}`,
        );
        return `${name}([${e.keys.map(stringLiteral).join(", ")}], [${e.values.map((v) => stripParens(this.expr(v))).join(", ")}])`;
      }
      case "index":
        return this.index(e, false);
      case "member":
        return this.member(e);
      case "method":
        return this.method(e);
      case "builtin":
        return this.builtin(e);
      case "in": {
        const ot = e.object.type;
        if (ot.kind === "dict") return `${wrap(this.expr(e.object))}.hasIn(${this.key(e.key)})`;
        if (ot.kind === "array") return `${this.use("__js_array_has_index")}<${asType(ot.elem)}>(${stripParens(this.expr(e.object))}, ${this.indexNum(e.key)})`;
        if (ot.kind === "record") {
          this.helper("__in_keys", "function __in_keys(keys: Array<string>, k: string): bool {\n  return keys.includes(k) || __js_is_object_prototype_key(k);\n}", ["__js_is_object_prototype_key"]);
          return `(${stripParens(this.expr(e.object))}, __in_keys([${ot.keys.map(stringLiteral).join(", ")}], ${this.key(e.key)}))`;
        }
        throw new Error(`in on ${ot.kind}`);
      }
      case "box":
        return e.type.kind === "dyn" ? this.toDyn(e.value) : this.expr(e.value);
      case "new": {
        const c = classDecls.get(e.classId)!;
        return `new ${c.emitName}(${e.args.map((a) => stripParens(this.expr(a))).join(", ")})`;
      }
    }
    throw new Error(`unknown expression kind ${(e as Expr).kind}`);
  }

  private dynPrelude(): void {
    this.helper("__key_index", KEY_INDEX);
    this.helper("__Dyn", DYN_PRELUDE, DYN_USES);
  }

  /** The expression as a __Dyn (boxing a statically typed value). */
  private toDyn(e: Expr): string {
    if (e.type.kind !== "dyn") {
      // A read that may find nothing gives undefined.
      if (e.kind === "method" && e.lenient && (e.name === "find" || e.name === "findLast") && e.object.type.kind === "array") {
        const at = e.object.type;
        this.dynPrelude();
        const name = `__dyn_${e.name}_${typeKey(at.elem)}`;
        const T = asType(at.elem);
        const last = e.name === "findLast";
        this.helper(
          name,
          () =>
            `function ${name}(a: Array<${T}>, f: __Fn3<${T}, f64, Array<${T}>, bool>): __Dyn {\n  const len = a.length;\n  for (let k = ${last ? "len - 1" : "0"}; ${last ? "k >= 0" : "k < len"}; k${last ? "--" : "++"}) {\n    if (k >= a.length) abort("the ${e.name}() callback shortened the array: JavaScript would call it with undefined", "stelp", 0, 0);\n    const v = unchecked(a[k]);\n    if (f.call(v, <f64>k, a)) return ${this.toDynText(at.elem, "v")};\n  }\n  return __dyn_undef();\n}`,
          ["__Fn3"],
        );
        return `${name}(${stripParens(this.expr(e.object))}, ${stripParens(this.expr(e.args[0]!))})`;
      }
      const r = this.readParts(e);
      if (r) {
        this.dynPrelude();
        const missing = r.inherited === "false" ? "__dyn_undef()" : `(${r.inherited} ? __dyn_inherited_abort(${r.get.replace(/^.*\.get\((.*)\)$/, "$1")}) : __dyn_undef())`;
        return `(${[...r.setup, `${r.present} ? ${this.toDynText(e.type, r.get)} : ${missing}`].join(", ")})`;
      }
    }
    return this.toDynText(e.type, this.expr(e), e.kind === "unit");
  }

  private toDynText(t: Type, text: string, literal = false): string {
    this.dynPrelude();
    switch (t.kind) {
      case "dyn":
        return text;
      case "number":
        return `__dyn_num(${stripParens(text)})`;
      case "string":
        return `__dyn_str(${stripParens(text)})`;
      case "boolean":
        return `__dyn_bool(${stripParens(text)})`;
      case "null":
        return literal || isSimple(text) ? "__dyn_null()" : `(${stripParens(text)}, __dyn_null())`;
      case "undefined":
      case "void":
        return literal || isSimple(text) ? "__dyn_undef()" : `(${stripParens(text)}, __dyn_undef())`;
      case "fn":
        throw new Error("boxing a function value");
      default: {
        const cls = this.dynObjClass(t);
        return `__dyn_obj(new ${cls}(${stripParens(text)}))`;
      }
    }
  }

  /** The __DynObj subclass for boxed values of a reference type. */
  private dynObjClass(t: Type): string {
    const name = `__DynObj_${typeKey(t)}`;
    return this.helper(name, () => {
      const T = asType(t);
      const str =
        t.kind === "array" || t.kind === "tuple" || t.kind === "class"
          ? this.toStrText(t, "this.v")
          : t.kind === "map"
            ? '"[object Map]"'
            : t.kind === "set"
              ? '"[object Set]"'
              : '"[object Object]"';
      const kind = t.kind === "array" || t.kind === "tuple" ? 1 : t.kind === "set" ? 2 : t.kind === "map" ? 3 : 4;
      const inheritedKind = t.kind === "array" || t.kind === "tuple" ? 1 : t.kind === "set" ? 2 : t.kind === "map" ? 3 : 0;
      const tail = `return __dyn_inherited(${inheritedKind}, k) ? __dyn_inherited_abort(k) : __dyn_undef();`;
      let getProp: string;
      let keys: string;
      let iter: string;
      const iterName = `__DynIter_${typeKey(t)}`;
      switch (t.kind) {
        case "array": {
          getProp = `if (k == "length") return __dyn_num(<f64>this.v.length);\n    const i = __key_index(k);\n    if (i == i) return i < <f64>this.v.length ? ${this.toDynText(t.elem, "unchecked(this.v[<i32>i])")} : __dyn_undef();\n    ${tail}`;
          keys = "const out = new Array<string>(this.v.length);\n    for (let i = 0; i < this.v.length; i++) unchecked((out[i] = __js_num_to_string(<f64>i)));\n    return out;";
          this.helper(iterName, `class ${iterName} extends __DynIter {\n  i: i32 = 0;\n  constructor(public a: ${T}) {\n    super();\n  }\n  next(): bool {\n    if (this.i >= this.a.length) return false;\n    this.value = ${this.toDynText(t.elem, "unchecked(this.a[this.i])")};\n    this.i++;\n    return true;\n  }\n}`);
          iter = `return new ${iterName}(this.v);`;
          break;
        }
        case "tuple": {
          getProp = `if (k == "length") return __dyn_num(2.0);\n    if (k == "0") return ${this.toDynText(t.elems[0], "this.v.key")};\n    if (k == "1") return ${this.toDynText(t.elems[1], "this.v.value")};\n    ${tail}`;
          keys = 'return ["0", "1"];';
          this.helper(iterName, `class ${iterName} extends __DynIter {\n  i: i32 = 0;\n  constructor(public a: ${T}) {\n    super();\n  }\n  next(): bool {\n    if (this.i >= 2) return false;\n    this.value = this.i == 0 ? ${this.toDynText(t.elems[0], "this.a.key")} : ${this.toDynText(t.elems[1], "this.a.value")};\n    this.i++;\n    return true;\n  }\n}`);
          iter = `return new ${iterName}(this.v);`;
          break;
        }
        case "dict":
          getProp = `if (this.v.has(k)) return ${this.toDynText(t.value, "this.v.get(k)")};\n    ${tail}`;
          keys = "return this.v.keys();";
          iter = 'abort("TypeError: object is not iterable", "stelp", 0, 0);\n    return new __DynStrIter("");';
          break;
        case "class": {
          const c = classDecls.get(t.id)!;
          getProp = `${c.fields.map((f) => `if (k == ${stringLiteral(f.name)}) return ${this.toDynText(f.type, `this.v.${f.emitName}`)};`).join("\n    ")}\n    ${c.methods.length ? `if (${JSON.stringify(c.methods.map((m) => m.name))}.includes(k)) return __dyn_inherited_abort(k);\n    ` : ""}${tail}`;
          keys = `return [${c.fields.map((f) => stringLiteral(f.name)).join(", ")}];`;
          iter = 'abort("TypeError: object is not iterable", "stelp", 0, 0);\n    return new __DynStrIter("");';
          break;
        }
        case "record":
          getProp = `${t.keys.map((k, i) => `if (k == ${stringLiteral(k)}) return ${this.toDynText(t.fields[i]!, `this.v.f${i}`)};`).join("\n    ")}\n    ${tail}`;
          keys = `return [${t.keys.map(stringLiteral).join(", ")}];`;
          iter = 'abort("TypeError: object is not iterable", "stelp", 0, 0);\n    return new __DynStrIter("");';
          break;
        case "set": {
          getProp = `if (k == "size") return __dyn_num(this.v.size);\n    ${tail}`;
          keys = "return new Array<string>(0);";
          this.helper(iterName, `class ${iterName} extends __DynIter {\n  it: __JsSetIterator<${asType(t.elem)}>;\n  constructor(s: ${T}) {\n    super();\n    this.it = s.iterator();\n  }\n  next(): bool {\n    if (!this.it.next()) return false;\n    this.value = ${this.toDynText(t.elem, "this.it.value")};\n    return true;\n  }\n}`, ["__JsSetIterator"]);
          iter = `return new ${iterName}(this.v);`;
          break;
        }
        case "map": {
          getProp = `if (k == "size") return __dyn_num(this.v.size);\n    ${tail}`;
          keys = "return new Array<string>(0);";
          const pair: Type = { kind: "tuple", elems: [t.key, t.value] };
          this.helper(iterName, `class ${iterName} extends __DynIter {\n  it: __JsMapIterator<${asType(t.key)}, ${asType(t.value)}>;\n  constructor(m: ${T}) {\n    super();\n    this.it = m.iterator();\n  }\n  next(): bool {\n    if (!this.it.next()) return false;\n    this.value = ${this.toDynText(pair, `new __JsEntry<${asType(t.key)}, ${asType(t.value)}>(this.it.key, this.it.value)`)};\n    return true;\n  }\n}`, ["__JsMapIterator", "__JsEntry"]);
          iter = `return new ${iterName}(this.v);`;
          break;
        }
        default:
          throw new Error(`boxing a ${t.kind}`);
      }
      return [
        `class ${name} extends __DynObj {`,
        `  constructor(public v: ${T}) {`,
        "    super();",
        "  }",
        `  toStr(): string {\n    return ${str};\n  }`,
        `  inspect(levels: i32): __InspectNode {\n    return ${this.inspectNode(t)}(this.v, levels);\n  }`,
        `  json(w: __JsonWriter): void {\n    ${this.jsonWriter(t)}(w, this.v);\n  }`,
        `  ref(): usize {\n    return changetype<usize>(this.v);\n  }`,
        ...(t.kind === "array" || t.kind === "tuple" ? ["  isArray(): bool {\n    return true;\n  }"] : []),
        `  kind(): i32 {\n    return ${kind};\n  }`,
        `  getProp(k: string): __Dyn {\n    ${getProp}\n  }`,
        `  keys(): Array<string> {\n    ${keys}\n  }`,
        `  iter(): __DynIter {\n    ${iter}\n  }`,
        "}",
      ].join("\n");
    });
  }


  private typeOf(x: Expr): string {
    const t = x.type;
    let name: string;
    switch (t.kind) {
      case "number":
      case "string":
      case "boolean":
      case "undefined":
        name = t.kind;
        break;
      case "void":
        name = "undefined";
        break;
      case "fn":
        name = "function";
        break;
      case "dyn":
        return `${wrap(this.expr(x))}.typeOf()`;
      default:
        name = "object";
    }
    const text = this.expr(x);
    return isSimple(text) || x.kind === "unit" ? stringLiteral(name) : `(${stripParens(text)}, ${stringLiteral(name)})`;
  }

  /** A dictionary key: strings as they are, numbers with ToString. */
  private key(e: Expr): string {
    if (e.type.kind === "number") return `${this.use("__js_num_to_string")}(${stripParens(this.expr(e))})`;
    if (e.type.kind === "dyn") return `${wrap(this.expr(e))}.toStr()`;
    return stripParens(this.expr(e));
  }

  /** An array index as f64 (a property-key string such as a for…in key is converted). */
  private indexNum(e: Expr): string {
    if (e.type.kind === "string") return `${this.helper("__key_index", KEY_INDEX)}(${stripParens(this.expr(e))})`;
    return stripParens(this.expr(e));
  }

  private arrayLiteral(e: Extract<Expr, { kind: "array" }>): string {
    if (e.type.kind === "tuple") {
      const [a, b] = e.type.elems;
      return `new ${this.use("__JsEntry")}<${asType(a)}, ${asType(b)}>(${stripParens(this.expr(e.elements[0]!))}, ${stripParens(this.expr(e.elements[1]!))})`;
    }
    const t = e.type.kind === "array" ? e.type.elem : e.type;
    const T = asType(t);
    if (!e.spread.some((s) => s)) {
      if (e.elements.length === 0) return `new Array<${T}>(0)`;
      return `[${e.elements.map((x) => stripParens(this.expr(x))).join(", ")}]`;
    }
    // With spreads: build it up in order.
    const name = `__arr_build_${typeKey(t)}`;
    this.helper(name, `function ${name}(): Array<${T}> {\n  return new Array<${T}>(0);\n}`);
    let acc = `${name}()`;
    for (let i = 0; i < e.elements.length; i++) {
      const x = e.elements[i]!;
      if (e.spread[i]) {
        acc = `${this.helper(`__push_all_${typeKey(t)}`, `function __push_all_${typeKey(t)}(a: Array<${T}>, b: Array<${T}>): Array<${T}> {\n  for (let i = 0; i < b.length; i++) a.push(unchecked(b[i]));\n  return a;\n}`)}(${acc}, ${this.iterableArray(x)})`;
      } else {
        acc = `${this.helper(`__push1_${typeKey(t)}`, `function __push1_${typeKey(t)}(a: Array<${T}>, v: ${T}): Array<${T}> {\n  a.push(v);\n  return a;\n}`)}(${acc}, ${stripParens(this.expr(x))})`;
      }
    }
    return acc;
  }

  /** The elements of an iterable (array, string, Set) as an array (a copy where needed). */
  private iterableArray(x: Expr): string {
    const t = x.type;
    const text = stripParens(this.expr(x));
    if (t.kind === "array") return text;
    if (t.kind === "string") return `${this.use("__js_str_code_points")}(${text})`;
    if (t.kind === "set") return `${wrap(text)}.values()`;
    if (t.kind === "map") return `${wrap(text)}.entries()`;
    if (t.kind === "dyn") {
      this.dynPrelude();
      return `__dyn_to_array(${text})`;
    }
    throw new Error(`iterating over ${t.kind}`);
  }

  /** `a[i]` of an array of numbers where JS would convert undefined to NaN: out of range reads NaN. */
  private indexOrNaN(e: IndexExpr): string {
    return this.arrayElement("__js_array_get_nan", e.index, this.expr(e.object), null, [this.indexNum(e.index)], isPure(e.index));
  }

  private index(e: IndexExpr, allowNull: boolean): string {
    const ot = e.object.type;
    if (ot.kind === "dyn") {
      this.dynPrelude();
      return `__dyn_get(${stripParens(this.expr(e.object))}, ${stripParens(this.toDyn(e.index))})`;
    }
    const obj = stripParens(this.expr(e.object));
    if (ot.kind === "array" && ot.elem.kind === "dyn") {
      // Elements of several types: a read outside the array is undefined, as in JS.
      this.dynPrelude();
      if (e.index.type.kind !== "number") return `__dyn_get(__dyn_obj(new ${this.dynObjClass(ot)}(${obj})), ${stripParens(this.toDyn(e.index))})`;
      this.helper("__dyn_aget", "function __dyn_aget(a: Array<__Dyn>, i: f64): __Dyn {\n  return __js_array_has_index<__Dyn>(a, i) ? unchecked(a[<i32>i]) : __dyn_undef();\n}", ["__js_array_has_index"]);
      return `__dyn_aget(${obj}, ${stripParens(this.expr(e.index))})`;
    }
    if (ot.kind === "dict" && ot.value.kind === "dyn") {
      this.dynPrelude();
      this.helper("__dyn_dget", 'function __dyn_dget(d: __JsDict<__Dyn>, k: string): __Dyn {\n  if (d.has(k)) return d.get(k);\n  return __js_is_object_prototype_key(k) ? __dyn_inherited_abort(k) : __dyn_undef();\n}', ["__JsDict", "__js_is_object_prototype_key"]);
      return `__dyn_dget(${obj}, ${this.key(e.index)})`;
    }
    switch (ot.kind) {
      case "array":
        return this.arrayElement("__js_array_get", e.index, obj, ot.elem, [this.indexNum(e.index)], isPure(e.index));
      case "string":
        if (allowNull && e.lenient) return `${this.helper("__str_at_or_null", STR_AT_OR_NULL, ["__js_str_has_index"])}(${obj}, ${stripParens(this.num(e.index))})`;
        return `${this.use("__js_str_get")}(${obj}, ${stripParens(this.num(e.index))})`;
      case "dict":
        return `${wrap(obj)}.get(${this.key(e.index)})`;
      case "tuple":
        return `${wrap(obj)}.${e.index.kind === "number" && e.index.value === 1 ? "value" : "key"}`;
      case "record": {
        const key = e.index.kind === "string" ? e.index.value : e.index.kind === "number" ? String(e.index.value) : "";
        return `${wrap(obj)}.f${ot.keys.indexOf(key)}`;
      }
      default:
        throw new Error(`indexing ${ot.kind}`);
    }
  }

  private member(e: Extract<Expr, { kind: "member" }>): string {
    const ot = e.object.type;
    const obj = this.expr(e.object);
    // Arrays: the field read inline (the std getter is a call with a shadow-stack frame at -O1).
    if (ot.kind === "array" && e.name === "length") {
      const array = stripParens(obj);
      return isVariableText(array) ? `(<f64>${this.use("__js_array_len_at")}(changetype<usize>(${array})))` : `(<f64>${this.use("__js_array_len")}<${asType(ot.elem)}>(${array}))`;
    }
    if (ot.kind === "string" && e.name === "length") return `(<f64>${this.use("__js_string_length")}(${stripParens(obj)}))`;
    if (ot.kind === "tuple" && e.name === "length") return isSimple(obj) ? "2.0" : `(${stripParens(obj)}, 2.0)`;
    if ((ot.kind === "map" || ot.kind === "set") && e.name === "size") return `${wrap(obj)}.size`;
    if (ot.kind === "dict" && ot.value.kind === "dyn") {
      this.dynPrelude();
      this.helper("__dyn_dget", 'function __dyn_dget(d: __JsDict<__Dyn>, k: string): __Dyn {\n  if (d.has(k)) return d.get(k);\n  return __js_is_object_prototype_key(k) ? __dyn_inherited_abort(k) : __dyn_undef();\n}', ["__JsDict", "__js_is_object_prototype_key"]);
      return `__dyn_dget(${stripParens(obj)}, ${stringLiteral(e.name)})`;
    }
    if (ot.kind === "dict") return `${wrap(obj)}.get(${stringLiteral(e.name)})`;
    if (ot.kind === "record") return `${wrap(obj)}.f${ot.keys.indexOf(e.name)}`;
    if (ot.kind === "class") {
      const f = classDecls.get(ot.id)!.fields.find((x) => x.name === e.name)!;
      return `${wrap(obj)}.${f.emitName}`;
    }
    if (ot.kind === "dyn") {
      this.dynPrelude();
      return `__dyn_get(${stripParens(obj)}, __dyn_str(${stringLiteral(e.name)}))`;
    }
    throw new Error(`property ${e.name} of ${ot.kind}`);
  }

  // ---- assignment ----------------------------------------------------------------------------

  /**
   * Reads and writes of an element lvalue (`o[k]` / `o.name`) through temporaries for o and k. When
   * o and k are plain names or literals and the rest of the expression (`rest`, the assigned value)
   * cannot change any variable, they are used directly: evaluating them again gives the same values,
   * and array code such as `row[j] += x` then keeps no managed temporary (a shadow-stack store per
   * iteration).
   */
  private element(lv: Exclude<LValue, { kind: "var" }>, rest: Expr | null): { setup: string[]; get: string; set: (v: string) => string; setAfterGet?: (v: string) => string; type: Type } {
    const ot = lv.object.type;
    const objectText = this.expr(lv.object);
    // The key must be pure too: a call in it could reassign the object's variable, which JavaScript
    // read before the key.
    const direct = isSimple(objectText) && (rest === null || isPure(rest)) && (lv.kind === "member" || isPure(lv.index));
    const o = direct ? { set: (v: string) => v, get: objectText } : this.temp(ot);
    const setup = direct ? [] : [o.set(objectText)];
    let keyText: string;
    if (lv.kind === "member") keyText = stringLiteral(lv.name);
    else {
      const kt: Type = ot.kind === "array" ? { kind: "number" } : { kind: "string" };
      const indexText = ot.kind === "array" ? this.indexNum(lv.index) : this.key(lv.index);
      if (direct && isSimple(indexText)) keyText = indexText;
      else {
        const k = this.temp(kt);
        if (direct) setup.push(o.set(objectText)); // keeps the order: object, then key
        setup.push(k.set(indexText));
        keyText = k.get;
      }
    }
    if (ot.kind === "array") {
      // The key was evaluated once (keyText may be a temporary holding it): its facts still hold.
      // The object and key texts are variables or temporaries that nothing here reassigns.
      const index = lv.kind === "index" ? lv.index : null;
      return {
        setup,
        get: this.arrayElement("__js_array_get", index, o.get, ot.elem, [keyText], true),
        set: (v) => this.arrayElement("__js_array_set_value", index, o.get, ot.elem, [keyText, stripParens(v)], true),
        // Direct: the rest is pure, so after a successful read of the element the store is in bounds.
        setAfterGet: direct && isVariableText(o.get) ? (v) => `${this.use("__js_array_store_read_at")}<${asType(ot.elem)}>(changetype<usize>(${o.get}), ${keyText}, ${stripParens(v)})` : undefined,
        type: ot.elem,
      };
    }
    if (ot.kind === "dict") {
      const T = asType(ot.value);
      this.helper("__dset", `function __dset<T>(d: __JsDict<T>, k: string, v: T): T {\n  d.set(k, v);\n  return v;\n}`, ["__JsDict"]);
      return { setup, get: `${o.get}.get(${keyText})`, set: (v) => `__dset<${T}>(${o.get}, ${keyText}, ${stripParens(v)})`, type: ot.value };
    }
    if (ot.kind === "class") {
      const key = lv.kind === "member" ? lv.name : "";
      const f = classDecls.get(ot.id)!.fields.find((x) => x.name === key)!;
      return { setup: setup.slice(0, 1), get: `${o.get}.${f.emitName}`, set: (v) => `(${o.get}.${f.emitName} = ${stripParens(v)})`, type: f.type };
    }
    if (ot.kind === "record") {
      const key = lv.kind === "member" ? lv.name : lv.index.kind === "string" ? lv.index.value : "";
      const i = ot.keys.indexOf(key);
      const T = asType(ot.fields[i]!);
      const name = `__rset_${recordName(ot).slice(2)}_${i}`;
      this.helper(name, `function ${name}(o: ${recordName(ot)}, v: ${T}): ${T} {\n  o.f${i} = v;\n  return v;\n}`);
      return { setup: setup.slice(0, 1), get: `${o.get}.f${i}`, set: (v) => `${name}(${o.get}, ${stripParens(v)})`, type: ot.fields[i]! };
    }
    throw new Error(`assigning an element of ${ot.kind}`);
  }

  private assign(e: AssignExpr): string {
    const v = e.value;
    if (e.target.kind === "var") {
      const x = this.varName(e.target.symbol);
      return this.assignOp(e.op, x, (val) => `(${x} = ${stripParens(val)})`, v, e.type);
    }
    const el = this.element(e.target, v);
    if (e.op === "=" && e.target.kind !== "member") {
      // Simple assignment: JS evaluates the object, the key, then the value.
      return `(${[...el.setup, el.set(this.expr(v))].join(", ")})`;
    }
    return `(${[...el.setup, this.assignOp(e.op, el.get, el.setAfterGet ?? el.set, v, el.type)].join(", ")})`;
  }

  /** `target op= v` given how to read and write the target. */
  private assignOp(op: AssignExpr["op"], get: string, set: (v: string) => string, v: Expr, t: Type): string {
    if (t.kind === "dyn" && op !== "=" && op !== "&&=" && op !== "||=") {
      this.dynPrelude();
      if (op === "+=") return set(`__dyn_add(${get}, ${stripParens(this.toDyn(v))})`);
      // Arithmetic on a dyn target: ToNumber, compute, store the number.
      const numT: Type = { kind: "number" };
      let result = "";
      this.assignOp(op, `${wrap(get)}.toNumber()`, (x) => ((result = x), x), v, numT);
      return set(`__dyn_num(${stripParens(result)})`);
    }
    switch (op) {
      case "=":
        return set(this.expr(v));
      case "+=":
        if (t.kind === "string") return set(`${get} + ${this.toStr(v)}`);
        return set(`${get} + ${this.num(v)}`);
      case "-=":
      case "*=":
      case "/=":
        return set(`${get} ${op[0]} ${this.num(v)}`);
      case "%=":
        return set(this.mod(get, v));
      case "**=":
        return set(`${this.use("__js_pow")}(${get}, ${stripParens(this.num(v))})`);
      case "&=":
      case "|=":
      case "^=":
      case "<<=":
      case ">>=":
      case ">>>=":
        return set(this.bitwise(op.slice(0, -1), get, this.num(v)));
      case "&&=":
        return t.kind === "boolean" ? set(`${get} && ${this.expr(v)}`) : `(${this.truthyOf(t, get)} ? ${set(this.expr(v))} : ${get})`;
      case "||=":
        return t.kind === "boolean" ? set(`${get} || ${this.expr(v)}`) : `(${this.truthyOf(t, get)} ? ${get} : ${set(this.expr(v))})`;
    }
  }

  private update(e: UpdateExpr): string {
    const delta = e.op === "++" ? "+ 1.0" : "- 1.0";
    const targetType = e.target.kind === "var" ? e.target.symbol.type : null;
    if (targetType && targetType.kind === "dyn" && e.target.kind === "var") {
      this.dynPrelude();
      const x = this.varName(e.target.symbol);
      const old = this.temp({ kind: "number" });
      // ToNumber the old value; the expression's value is the old (postfix) or new (prefix) number.
      return e.prefix
        ? `(${old.set(`${wrap(x)}.toNumber() ${delta}`)}, ${x} = __dyn_num(${old.get}), ${old.get})`
        : `(${old.set(`${wrap(x)}.toNumber()`)}, ${x} = __dyn_num(${old.get} ${delta}), ${old.get})`;
    }
    if (e.target.kind === "var") {
      const x = this.varName(e.target.symbol);
      if (!e.target.symbol.boxed) return e.prefix ? `(${e.op}${x})` : `(${x}${e.op})`;
      if (e.prefix) return `(${x} = ${x} ${delta})`;
      const old = this.temp({ kind: "number" });
      return `(${old.set(x)}, ${x} = ${old.get} ${delta}, ${old.get})`;
    }
    const el = this.element(e.target, null);
    const set = el.setAfterGet ?? el.set;
    if (e.prefix) return `(${[...el.setup, set(`${el.get} ${delta}`)].join(", ")})`;
    const old = this.temp({ kind: "number" });
    return `(${[...el.setup, old.set(el.get), set(`${old.get} ${delta}`), old.get].join(", ")})`;
  }

  // ---- operators -----------------------------------------------------------------------------

  private bitwise(op: string, l: string, r: string): string {
    const helper = BITWISE_HELPERS[op];
    if (!helper) throw new Error(`unknown bitwise operator ${op}`);
    return `${this.use(helper)}(${stripParens(l)}, ${stripParens(r)})`;
  }

  /** `left % right` (left already emitted): an inlined i32 fast path when right is a nonzero integer literal. */
  private mod(left: string, right: Expr): string {
    if (right.kind === "number" && Number.isInteger(right.value) && right.value !== 0 && Math.abs(right.value) <= 0x7fffffff) {
      return `${this.use("__js_mod_int")}(${left}, ${right.value})`;
    }
    return `${this.use("__js_mod")}(${left}, ${stripParens(this.num(right))})`;
  }

  private binary(e: BinaryExpr): string {
    switch (e.op) {
      case "+":
        if (e.type.kind === "dyn") {
          this.dynPrelude();
          return `__dyn_add(${stripParens(this.toDyn(e.left))}, ${stripParens(this.toDyn(e.right))})`;
        }
        if (e.type.kind === "string") {
          if (e.left.type.kind === "array" || e.right.type.kind === "array") {
            // ToPrimitive of an array happens after both operands are evaluated.
            const lt = e.left.type;
            const rt = e.right.type;
            const name = `__cat_${typeKey(lt)}_${typeKey(rt)}`;
            this.helper(name, () => `function ${name}(a: ${asType(lt)}, b: ${asType(rt)}): string {\n  return ${this.toStrText(lt, "a")} + ${this.toStrText(rt, "b")};\n}`);
            return `${name}(${stripParens(this.expr(e.left))}, ${stripParens(this.expr(e.right))})`;
          }
          return `(${this.toStr(e.left)} + ${this.toStr(e.right)})`;
        }
        return `(${this.num(e.left)} + ${this.num(e.right)})`;
      case "-":
      case "*":
      case "/":
        return `(${this.num(e.left)} ${e.op} ${this.num(e.right)})`;
      case "%":
        return this.mod(stripParens(this.num(e.left)), e.right);
      case "**":
        return `${this.use("__js_pow")}(${stripParens(this.num(e.left))}, ${stripParens(this.num(e.right))})`;
      case "&":
      case "|":
      case "^":
      case "<<":
      case ">>":
      case ">>>":
        return this.bitwise(e.op, this.num(e.left), this.num(e.right));
      case "<":
      case "<=":
      case ">":
      case ">=": {
        if (e.left.type.kind === "dyn" || e.right.type.kind === "dyn") {
          this.dynPrelude();
          const op = e.op === "<" ? 0 : e.op === "<=" ? 1 : e.op === ">" ? 2 : 3;
          return `__dyn_cmp(${stripParens(this.toDyn(e.left))}, ${stripParens(this.toDyn(e.right))}, ${op})`;
        }
        const bothStrings = e.left.type.kind === "string" && e.right.type.kind === "string";
        const left = bothStrings ? this.expr(e.left) : this.num(e.left);
        const right = bothStrings ? this.expr(e.right) : this.num(e.right);
        // `name < (…)` can make AS try to parse type arguments (`name<T>(…)`): parenthesise.
        const safeLeft = /^[A-Za-z_$][\w$.]*$/.test(left) ? `(${left})` : left;
        return `(${safeLeft} ${e.op} ${right})`;
      }
      case "===":
      case "!==":
      case "==":
      case "!=":
        return this.equality(e);
    }
  }

  private equality(e: BinaryExpr): string {
    const negate = e.op === "!==" || e.op === "!=";
    const loose = e.op.length === 2;
    const l = e.left;
    const r = e.right;
    const divisibility = divisibilityTest(l, r) ?? divisibilityTest(r, l);
    if (divisibility) {
      const test = `${this.use("__js_mod_int_is_zero")}(${stripParens(this.num(divisibility.dividend))}, ${divisibility.divisor})`;
      return negate ? `(!${test})` : test;
    }
    const lk = l.type.kind;
    const rk = r.type.kind;
    const isUnitT = (k: string) => k === "null" || k === "undefined";
    // Comparisons with null/undefined.
    if (isUnitT(lk) || isUnitT(rk)) {
      const [u, other] = isUnitT(lk) ? [l, r] : [r, l];
      const ok = other.type.kind;
      let result: string;
      if (ok === "dyn") {
        const tag = u.type.kind === "null" ? 1 : 0;
        const d = `${wrap(this.expr(other))}.tag`;
        result = this.withEffects([u], loose ? `(${d} <= 1)` : `(${d} == ${tag})`);
      } else if (isUnitT(ok)) {
        const same = loose || ok === u.type.kind;
        result = this.withEffects([u, other], same ? "true" : "false");
      } else if (this.readParts(other) && other.type.kind !== "null" && other.type.kind !== "undefined") {
        // d[k] === undefined: the key is missing (and not inherited); an element is never null here.
        const r = this.readParts(other)!;
        const missing = `(${[...r.setup, `!${r.present} && !${r.inherited}`].join(", ")})`;
        result = loose || u.type.kind === "undefined" ? missing : `(${[...r.setup, "false"].join(", ")})`;
      } else if (other.kind === "index" && other.lenient && (other.object.type.kind === "string" || other.object.type.kind === "array")) {
        // s[i] === undefined: i is not an index of s (an element is never undefined or null here).
        const ot = other.object.type;
        const has =
          ot.kind === "array"
            ? `${this.use("__js_array_has_index")}<${asType(ot.elem)}>(${stripParens(this.expr(other.object))}, ${this.indexNum(other.index)})`
            : `${this.use("__js_str_has_index")}(${stripParens(this.expr(other.object))}, ${stripParens(this.num(other.index))})`;
        const elemUnit = ot.kind === "array" && (ot.elem.kind === "null" || ot.elem.kind === "undefined" || ot.elem.kind === "dyn");
        if (elemUnit) throw new Error("comparing an element that may be null or undefined");
        result = loose || u.type.kind === "undefined" ? `(!${has})` : this.withEffects([u, other.object, other.index], "false");
      } else {
        // A value of a static type is never null or undefined.
        result = this.withEffects([u, other], "false");
      }
      return negate ? `(!${wrap(result)})` : result;
    }
    if (lk === "dyn" || rk === "dyn") {
      this.dynPrelude();
      const call = `${loose ? "__dyn_leq" : "__dyn_seq"}(${stripParens(this.toDyn(l))}, ${stripParens(this.toDyn(r))})`;
      return negate ? `(!${call})` : call;
    }
    if (lk === rk && lk !== "string") {
      // Reads that may find nothing (undefined): equal only to another missing read.
      const rl = this.readParts(l);
      const rr = this.readParts(r);
      if (rl || rr) {
        const pl = rl ? this.temp({ kind: "boolean" }) : null;
        const pr = rr ? this.temp({ kind: "boolean" }) : null;
        // Left to right: the left operand (or its receiver and key), then the right one.
        const tl = rl ? null : this.temp(l.type);
        const setup = [...(rl ? [...rl.setup, pl!.set(rl.present)] : [tl!.set(this.expr(l))]), ...(rr ? [...rr.setup, pr!.set(rr.present)] : [])];
        const lv = rl ? rl.get : tl!.get;
        const rv = rr ? rr.get : this.expr(r);
        const guardInherited = (x: typeof rl, p: string) => (x && x.inherited !== "false" ? `(!${p} && ${x.inherited} ? ${this.abortValue({ kind: "boolean" }, "the key names an inherited Object.prototype member: JavaScript would read that function")} : false) || ` : "");
        let test: string;
        if (rl && rr) test = `${guardInherited(rl, pl!.get)}${guardInherited(rr, pr!.get)}(${pl!.get} && ${pr!.get} ? ${lv} == ${rv} : ${pl!.get} == ${pr!.get})`;
        else if (rl) test = `${guardInherited(rl, pl!.get)}(${pl!.get} && ${lv} == ${rv})`;
        else test = `${guardInherited(rr, pr!.get)}(${pr!.get} && ${lv} == ${rv})`;
        const res = `(${[...setup, test].join(", ")})`;
        return negate ? `(!${res})` : res;
      }
    }
    let left: string;
    let right: string;
    if (lk === rk) {
      const lenient = lk === "string";
      left = l.kind === "index" && lenient ? this.index(l, true) : this.expr(l);
      right = r.kind === "index" && lenient ? this.index(r, true) : this.expr(r);
    } else if (loose && ((lk === "number" && rk === "string") || (lk === "string" && rk === "number"))) {
      left = this.num(l);
      right = this.num(r);
    } else {
      throw new Error(`comparing ${lk} with ${rk}`);
    }
    return `(${left} ${negate ? "!=" : "=="} ${right})`;
  }

  /** Evaluates the expressions for their side effects, then gives `value`. */
  private withEffects(xs: Expr[], value: string): string {
    const parts = xs.map((x) => this.expr(x)).filter((t) => !isSimple(t) && t !== "null");
    if (parts.length === 0) return value;
    return `(${[...parts.map(stripParens), value].join(", ")})`;
  }

  private logical(e: LogicalExpr): string {
    const t = e.type;
    const l = e.left;
    if (e.op === "??" && l.kind === "method" && l.lenient && l.name === "get" && l.object.type.kind === "map" && l.args.length === 1) {
      // `m.get(k) ?? c`: one lookup (getOr) instead of has() then get(), when the values are never
      // null (number, string, boolean) and c is a literal or a variable: evaluating c before the
      // lookup instead of after a miss is then unobservable (Map lookups run no snippet code).
      const vt = l.object.type.value.kind;
      const r = e.right.kind;
      const sameType = e.type.kind === vt && e.right.type.kind === vt;
      if (sameType && (vt === "number" || vt === "string" || vt === "boolean") && (r === "number" || r === "string" || r === "boolean" || r === "var")) {
        return `${wrap(this.expr(l.object))}.getOr(${stripParens(this.expr(l.args[0]!))}, ${stripParens(this.expr(e.right))})`;
      }
    }
    const r = e.op !== "&&" ? this.readParts(e.left) : null;
    if (r) {
      // `d[k] || x` / `d[k] ?? x`: a missing entry is undefined, which gives x.
      const inheritedAbort = r.inherited === "false" ? "" : `${r.inherited} ? ${this.abortValue(t, "the key names an inherited Object.prototype member: JavaScript would read that function")} : `;
      const missing = `${inheritedAbort}${this.expr(e.right)}`;
      const present = e.op === "??" ? r.get : `${this.truthyOf(t, r.get)} ? ${r.get} : ${this.expr(e.right)}`;
      return `(${[...r.setup, `${r.present} ? (${present}) : (${missing})`].join(", ")})`;
    }
    if (t.kind === "boolean") return `(${this.expr(e.left)} ${e.op === "??" ? "||" : e.op} ${this.expr(e.right)})`;
    // JS returns one of the operands: evaluate the left one once.
    const left = this.expr(e.left);
    let test: string;
    let again: string;
    if (isSimple(left)) {
      test = this.truthyOf(t, left);
      again = left;
    } else {
      const tmp = this.temp(t);
      test = this.truthyOf(t, tmp.set(left));
      again = tmp.get;
    }
    const right = this.expr(e.right);
    return e.op === "&&" ? `(${test} ? ${right} : ${again})` : `(${test} ? ${again} : ${right})`;
  }

  private mathCall(e: MathCallExpr): string {
    if (e.spread.some((s) => s)) {
      // Math.max(...xs, y): collect every argument into one array, then fold.
      const parts = e.args.map((a, i) => (e.spread[i] ? stripParens(this.expr(a)) : `[${stripParens(this.num(a))}]`));
      const all = parts.length === 1 ? parts[0]! : `${this.helper("__concat_n", "function __concat_n(a: Array<f64>, b: Array<f64>): Array<f64> {\n  return a.concat(b);\n}")}(${parts.join(", ")})`;
      void all;
      let acc = parts[0]!;
      for (let i = 1; i < parts.length; i++) acc = `__concat_n(${acc}, ${parts[i]})`;
      const fold = `__math_${e.name}_all`;
      if (e.name === "hypot") {
        this.use("__js_math_hypot");
        this.helper(fold, `function ${fold}(xs: Array<f64>): f64 {\n  const s = new StaticArray<f64>(xs.length);\n  for (let i = 0; i < xs.length; i++) s[i] = unchecked(xs[i]);\n  return xs.length == 0 ? 0.0 : __js_math_hypot(s);\n}`);
      } else {
        const fn = this.use(`__js_math_${e.name}`);
        const init = e.name === "min" ? "Infinity" : "-Infinity";
        this.helper(fold, `function ${fold}(xs: Array<f64>): f64 {\n  let acc: f64 = ${init};\n  for (let i = 0; i < xs.length; i++) acc = ${fn}(acc, unchecked(xs[i]));\n  return acc;\n}`);
      }
      return `${fold}(${acc})`;
    }
    const args = e.args.map((a) => stripParens(this.num(a)));
    switch (e.name) {
      case "min":
      case "max": {
        if (args.length === 0) return e.name === "min" ? "Infinity" : "(-Infinity)";
        if (args.length === 1) return `${this.use(`__js_math_${e.name}`)}(${args[0]}, ${e.name === "min" ? "Infinity" : "-Infinity"})`;
        const fn = this.use(`__js_math_${e.name}`);
        let acc = args[0]!;
        for (let i = 1; i < args.length; i++) acc = `${fn}(${acc}, ${args[i]})`;
        return acc;
      }
      case "hypot":
        if (args.length === 0) return "0.0";
        return `${this.use("__js_math_hypot")}([${args.join(", ")}])`;
      default:
        return `${this.use(`__js_math_${e.name}`)}(${args.join(", ")})`;
    }
  }

  /** The text of one console line (util.format of the arguments). */
  private consoleLine(e: ConsoleExpr): string {
    if (e.args.length === 0) return '""';
    const primitive = (t: Type) => t.kind === "number" || t.kind === "boolean" || t.kind === "string";
    const allPrimitive = e.args.every((a) => primitive(a.type));
    if (e.format === "format" && allPrimitive) {
      const sig = e.args
        .slice(1)
        .map((a) => (a.type.kind === "number" ? "n" : a.type.kind === "boolean" ? "b" : "s"))
        .join("");
      const name = `__fmt_s${sig}`;
      if (!this.formatHelpers.has(name)) this.formatHelpers.set(name, formatHelper(name, e.args.map((a) => a.type)));
      this.use("__js_inspect_num");
      this.use("__js_bool_to_string");
      return `${name}(${e.args.map((a) => stripParens(this.expr(a))).join(", ")})`;
    }
    if (e.args.length >= 2 && !allPrimitive) {
      // Arguments are evaluated before any of them is formatted (a later argument may change an
      // earlier array): format them in a helper that receives the values.
      const guard = e.format === "format";
      const name = `__log_${guard ? "g_" : ""}${e.args.map((a) => typeKey(a.type)).join("_")}`;
      this.helper(name, () => {
        const params = e.args.map((a, i) => `a${i}: ${asType(a.type)}`).join(", ");
        const parts = e.args.map((a, i) => this.inspectText(a.type, i === 0 && guard ? "__fmt_guard(a0)" : `a${i}`, false));
        if (guard) {
          this.helper(
            "__fmt_guard",
            'function __fmt_guard(s: string): string {\n  if (s.includes("%")) abort("console.log: a computed format string with % directives and array or object arguments is not supported by stelp", "stelp", 0, 0);\n  return s;\n}',
          );
        }
        return `function ${name}(${params}): string {\n  return ${parts.join(' + " " + ')};\n}`;
      });
      return `${name}(${e.args.map((a) => stripParens(this.expr(a))).join(", ")})`;
    }
    const parts = e.args.map((a) => this.inspect(a));
    if (parts.length === 1 && e.args[0]!.type.kind !== "string" && !parts[0]!.startsWith("__") && !parts[0]!.startsWith("(")) return parts[0]!;
    // Keep the first operand a string so that AS concatenates.
    return parts.join(' + " " + ');
  }

  // ---- methods -------------------------------------------------------------------------------

  private method(e: MethodCallExpr): string {
    const ot = e.object.type;
    if (e.method) {
      const m = e.method;
      return `${wrap(this.expr(e.object))}.${m.emitName}(${e.args.map((a) => stripParens(this.expr(a))).join(", ")})`;
    }
    if (e.name === "fill" && e.object.kind === "builtin" && e.object.name === "Array.holes" && e.args.length === 1 && ot.kind === "array") {
      // new Array(n).fill(x): never observable with holes.
      return `${this.use("__js_array_new_filled")}<${asType(ot.elem)}>(${stripParens(this.num(e.object.args[0]!))}, ${stripParens(this.expr(e.args[0]!))})`;
    }
    const obj = stripParens(this.expr(e.object));
    const a = e.args;
    const n = (i: number) => stripParens(this.num(a[i]!));
    const x = (i: number) => stripParens(this.expr(a[i]!));
    const optNum = (i: number) => (a[i] ? `, ${n(i)}` : "");
    switch (ot.kind) {
      case "string":
        return this.stringMethod(e, obj, n, x, optNum);
      case "number":
        return this.numberMethod(e, obj, n);
      case "boolean":
        if (e.name === "toString") return `${this.use("__js_bool_to_string")}(${obj})`;
        return obj;
      case "array":
        return this.arrayMethod(e, ot.elem, obj, n, x, optNum);
      case "map":
        switch (e.name) {
          case "get":
          case "has":
          case "delete":
            return `${wrap(obj)}.${e.name}(${x(0)})`;
          case "set":
            return `${wrap(obj)}.set(${x(0)}, ${x(1)})`;
          case "clear":
            return `${wrap(obj)}.clear()`;
          case "keys":
          case "values":
          case "entries":
            return `${wrap(obj)}.${e.name}()`;
          case "forEach":
            return `${wrap(obj)}.forEach(${x(0)})`;
        }
        break;
      case "set":
        switch (e.name) {
          case "add":
          case "has":
          case "delete":
            return `${wrap(obj)}.${e.name}(${x(0)})`;
          case "clear":
            return `${wrap(obj)}.clear()`;
          case "keys":
          case "values":
            return `${wrap(obj)}.values()`;
          case "forEach":
            return `${wrap(obj)}.forEach(${x(0)})`;
        }
        break;
      case "dict":
        if (e.name === "hasOwnProperty") return `${wrap(obj)}.has(${this.key(a[0]!)})`;
        break;
      case "record":
        if (e.name === "hasOwnProperty") return `(${obj}, [${ot.keys.map(stringLiteral).join(", ")}].includes(${this.key(a[0]!)}))`;
        break;
    }
    throw new Error(`method ${e.name} of ${ot.kind}`);
  }

  private stringMethod(e: MethodCallExpr, s: string, n: (i: number) => string, x: (i: number) => string, optNum: (i: number) => string): string {
    const a = e.args;
    const h = (name: string) => this.use(name);
    switch (e.name) {
      case "charAt":
        return `${h("__js_str_char_at")}(${s}${optNum(0)})`;
      case "charCodeAt":
        // One argument: the inlined runtime read (ops.ts); none: position 0 through the library.
        if (a.length === 1) return `${h("__js_char_code_at")}(${s}, ${n(0)})`;
        return `${h("__js_str_char_code_at")}(${s}${optNum(0)})`;
      case "codePointAt":
        this.helper(
          "__code_point_at",
          `function __code_point_at(s: string, i: f64): f64 {\n  if (!__js_str_pos_in_range(s, i)) abort("codePointAt(" + __js_num_to_string(i) + ") is out of range (length " + s.length.toString() + "): JavaScript would return undefined", "stelp", 0, 0);\n  return __js_str_code_point_at(s, i);\n}`,
          ["__js_str_pos_in_range", "__js_str_code_point_at", "__js_num_to_string"],
        );
        return `__code_point_at(${s}, ${a[0] ? n(0) : "0.0"})`;
      case "at":
        return `${h("__js_str_at")}(${s}, ${n(0)})`;
      case "indexOf":
        return `${h("__js_str_index_of")}(${s}, ${x(0)}${optNum(1)})`;
      case "lastIndexOf":
        return `${h("__js_str_last_index_of")}(${s}, ${x(0)}${optNum(1)})`;
      case "includes":
        return `${h("__js_str_includes")}(${s}, ${x(0)}${optNum(1)})`;
      case "startsWith":
        return `${h("__js_str_starts_with")}(${s}, ${x(0)}${optNum(1)})`;
      case "endsWith":
        return `${h("__js_str_ends_with")}(${s}, ${x(0)}${optNum(1)})`;
      case "slice":
        return `${h("__js_str_slice")}(${s}${optNum(0)}${optNum(1)})`;
      case "substring":
        return `${h("__js_str_substring")}(${s}${optNum(0)}${optNum(1)})`;
      case "substr":
        return `${h("__js_str_substr")}(${s}${optNum(0)}${optNum(1)})`;
      case "toUpperCase":
        return `${h("__js_str_to_upper_case")}(${s})`;
      case "toLowerCase":
        return `${h("__js_str_to_lower_case")}(${s})`;
      case "trim":
        return `${h("__js_str_trim")}(${s})`;
      case "trimStart":
      case "trimLeft":
        return `${h("__js_str_trim_start")}(${s})`;
      case "trimEnd":
      case "trimRight":
        return `${h("__js_str_trim_end")}(${s})`;
      case "toString":
      case "valueOf":
        return s;
      case "repeat":
        return `${h("__js_str_repeat")}(${s}, ${n(0)})`;
      case "padStart":
        return `${h("__js_str_pad_start")}(${s}, ${n(0)}${a[1] ? `, ${x(1)}` : ""})`;
      case "padEnd":
        return `${h("__js_str_pad_end")}(${s}, ${n(0)}${a[1] ? `, ${x(1)}` : ""})`;
      case "split": {
        if (a.length === 0) return `${h("__js_str_split_undefined")}(${s})`;
        const sep = a[0]!;
        if (sep.kind === "builtin" && sep.name === "regex-class") {
          const chars = (sep.args[0] as { value: string }).value;
          this.helper(
            "__split_chars",
            `/** s.split(/[chars]/, limit): split at every character of \`chars\` (a one-character regular expression). */
function __split_chars(s: string, chars: string, limit: f64 = 4294967295.0): Array<string> {
  const lim = __js_to_uint32(limit);
  const out = new Array<string>(0);
  if (lim == 0) return out;
  const n = s.length;
  if (n == 0) {
    out.push(s);
    return out;
  }
  let start = 0;
  for (let i = 0; i < n; i++) {
    if (chars.indexOf(s.charAt(i)) >= 0) {
      out.push(s.substring(start, i));
      if (<u32>out.length == lim) return out;
      start = i + 1;
    }
  }
  out.push(s.substring(start, n));
  return out;
}`,
            ["__js_to_uint32"],
          );
          return `__split_chars(${s}, ${stringLiteral(chars)}${optNum(1)})`;
        }
        return `${h("__js_str_split")}(${s}, ${x(0)}${optNum(1)})`;
      }
      case "replace":
        return `${h("__js_str_replace")}(${s}, ${x(0)}, ${x(1)})`;
      case "replaceAll":
        return `${h("__js_str_replace_all")}(${s}, ${x(0)}, ${x(1)})`;
      case "concat":
        return `(${[s, ...a.map((arg) => this.toStr(arg))].join(" + ")})`;
    }
    throw new Error(`string method ${e.name}`);
  }

  private numberMethod(e: MethodCallExpr, v: string, n: (i: number) => string): string {
    const a = e.args;
    const fmt = (kind: number) => {
      this.helper("__num_format", NUM_FORMAT, [
        "__js_num_format_arg_ok",
        "__js_num_format_arg_error",
        "__js_num_to_fixed",
        "__js_num_to_exponential",
        "__js_num_to_precision",
        "__js_num_to_string_radix",
      ]);
      return `__num_format(${kind}, ${v}, ${n(0)})`;
    };
    switch (e.name) {
      case "toString":
        return a.length === 0 ? `${this.use("__js_num_to_string")}(${v})` : fmt(3);
      case "toFixed":
        return a.length === 0 ? `${this.use("__js_num_to_fixed")}(${v}, 0.0)` : fmt(0);
      case "toExponential":
        return a.length === 0 ? `${this.use("__js_num_to_exponential_auto")}(${v})` : fmt(1);
      case "toPrecision":
        return a.length === 0 ? `${this.use("__js_num_to_string")}(${v})` : fmt(2);
      case "valueOf":
        return v;
    }
    throw new Error(`number method ${e.name}`);
  }

  private arrayMethod(e: MethodCallExpr, elem: Type, arr: string, n: (i: number) => string, x: (i: number) => string, optNum: (i: number) => string): string {
    const a = e.args;
    const T = asType(elem);
    const h = (name: string) => this.use(name);
    const g = (name: string) => `${h(name)}<${T}>`;
    if (elem.kind === "dyn") {
      const dynSearch = (name: string, body: string) =>
        this.helper(name, `function ${name}(a: Array<__Dyn>, v: __Dyn, from: f64 = 0.0): ${name.endsWith("includes") ? "bool" : "f64"} {\n${body}\n}`);
      this.dynPrelude();
      switch (e.name) {
        case "indexOf":
          dynSearch("__dyn_index_of", "  const n = a.length;\n  let k = Math.trunc(from);\n  if (k != k) k = 0;\n  if (k < 0) k = Math.max(0, n + k);\n  for (let i = <i32>Math.min(k, <f64>n); i < n; i++) if (__dyn_seq(unchecked(a[i]), v)) return <f64>i;\n  return -1;");
          return `__dyn_index_of(${arr}, ${x(0)}${optNum(1)})`;
        case "includes":
          dynSearch(
            "__dyn_includes",
            "  const n = a.length;\n  let k = Math.trunc(from);\n  if (k != k) k = 0;\n  if (k < 0) k = Math.max(0, n + k);\n  for (let i = <i32>Math.min(k, <f64>n); i < n; i++) {\n    const x = unchecked(a[i]);\n    if (__dyn_seq(x, v) || (x.tag == 3 && v.tag == 3 && x.n != x.n && v.n != v.n)) return true;\n  }\n  return false;",
          );
          return `__dyn_includes(${arr}, ${x(0)}${optNum(1)})`;
        case "lastIndexOf":
          if (a.length > 1) break;
          dynSearch("__dyn_last_index_of", "  for (let i = a.length - 1; i >= 0; i--) if (__dyn_seq(unchecked(a[i]), v)) return <f64>i;\n  return -1;");
          return `__dyn_last_index_of(${arr}, ${x(0)})`;
        case "join":
        case "toString":
          this.helper(
            "__dyn_join",
            'function __dyn_join(a: Array<__Dyn>, sep: string = ","): string {\n  let out = "";\n  for (let i = 0; i < a.length; i++) {\n    if (i > 0) out += sep;\n    const x = unchecked(a[i]);\n    if (x.tag > 1) out += x.toStr();\n  }\n  return out;\n}',
          );
          return `__dyn_join(${arr}${e.name === "join" && a[0] ? `, ${x(0)}` : ""})`;
        case "sort":
          if (a.length === 0) throw new Error("sort() without a comparator on values of several types");
          break;
      }
    }
    switch (e.name) {
      case "push":
      case "unshift": {
        if (a.length === 1 && !e.spread[0]) return `${g(e.name === "push" ? "__js_array_push" : "__js_array_unshift")}(${arr}, ${x(0)})`;
        // Several arguments: evaluated first, then added in order.
        const items = this.argsArray(e, elem, 0);
        return `${g(e.name === "push" ? "__js_array_push_many" : "__js_array_unshift_many")}(${arr}, ${items})`;
      }
      case "pop":
        return `${g("__js_array_pop")}(${arr})`;
      case "shift":
        return `${g("__js_array_shift")}(${arr})`;
      case "at":
        return `${g("__js_array_at")}(${arr}, ${n(0)})`;
      case "slice":
        return `${g("__js_array_slice")}(${arr}${optNum(0)}${optNum(1)})`;
      case "splice": {
        if (a.length === 1) return `${g("__js_array_splice")}(${arr}, ${n(0)})`;
        if (a.length === 2) return `${g("__js_array_splice")}(${arr}, ${n(0)}, ${n(1)})`;
        return `${g("__js_array_splice")}(${arr}, ${n(0)}, ${n(1)}, ${this.argsArray(e, elem, 2)})`;
      }
      case "concat": {
        let acc = `${g("__js_array_slice")}(${arr})`;
        for (let i = 0; i < a.length; i++) {
          const arg = a[i]!;
          const isArr = arg.type.kind === "array" && !(elem.kind === "array" && sameShape(arg.type, elem));
          acc = isArr ? `${g("__js_array_concat")}(${acc}, ${x(i)})` : `${g("__js_array_concat_value")}(${acc}, ${x(i)})`;
        }
        return acc;
      }
      case "indexOf":
        return `${g("__js_array_index_of")}(${arr}, ${x(0)}${optNum(1)})`;
      case "lastIndexOf":
        return `${g("__js_array_last_index_of")}(${arr}, ${x(0)}${optNum(1)})`;
      case "includes":
        return `${g("__js_array_includes")}(${arr}, ${x(0)}${optNum(1)})`;
      case "join":
        return `${g("__js_array_join")}(${arr}${a[0] ? `, ${x(0)}` : ""})`;
      case "toString":
        return `${g("__js_array_to_string")}(${arr})`;
      case "reverse":
        return `${g("__js_array_reverse")}(${arr})`;
      case "fill":
        if (e.object.kind === "builtin" && e.object.name === "Array.holes" && a.length === 1) {
          return `${g("__js_array_new_filled")}(${stripParens(this.num(e.object.args[0]!))}, ${x(0)})`;
        }
        return `${g("__js_array_fill")}(${arr}, ${x(0)}${optNum(1)}${optNum(2)})`;
      case "flat":
        if (elem.kind === "array") return `${h("__js_array_flat")}<${asType(elem.elem)}>(${arr})`;
        return `${g("__js_array_slice")}(${arr})`;
      case "sort":
        if (a.length === 0) return `${g("__js_array_sort")}(${arr})`;
        return `${g("__js_array_sort_by")}(${arr}, ${x(0)})`;
      case "map":
        return `${h("__js_array_map")}<${T}, ${asType(e.type.kind === "array" ? e.type.elem : e.type)}>(${arr}, ${x(0)})`;
      case "flatMap":
        return `${h("__js_array_flat_map")}<${T}, ${asType(e.type.kind === "array" ? e.type.elem : e.type)}>(${arr}, ${x(0)})`;
      case "filter":
        return `${g("__js_array_filter")}(${arr}, ${x(0)})`;
      case "some":
        return `${g("__js_array_some")}(${arr}, ${x(0)})`;
      case "every":
        return `${g("__js_array_every")}(${arr}, ${x(0)})`;
      case "find":
        return `${g("__js_array_find")}(${arr}, ${x(0)})`;
      case "findLast":
        return `${g("__js_array_find_last")}(${arr}, ${x(0)})`;
      case "findIndex":
        return `${g("__js_array_find_index")}(${arr}, ${x(0)})`;
      case "findLastIndex":
        return `${g("__js_array_find_last_index")}(${arr}, ${x(0)})`;
      case "forEach":
        return `${g("__js_array_for_each")}(${arr}, ${x(0)})`;
      case "reduce":
      case "reduceRight": {
        const base = e.name === "reduce" ? "__js_array_reduce" : "__js_array_reduce_right";
        if (a.length === 1) return `${h(base + "1")}<${T}>(${arr}, ${x(0)})`;
        return `${h(base)}<${T}, ${asType(e.type)}>(${arr}, ${x(0)}, ${x(1)})`;
      }
      case "keys":
        this.helper("__array_keys", "function __array_keys<T>(a: Array<T>): Array<f64> {\n  const out = new Array<f64>(a.length);\n  for (let i = 0; i < a.length; i++) unchecked((out[i] = <f64>i));\n  return out;\n}");
        return `__array_keys<${T}>(${arr})`;
      case "values":
        return `${g("__js_array_slice")}(${arr})`;
      case "entries":
        this.helper("__array_entries", "function __array_entries<T>(a: Array<T>): Array<__JsEntry<f64, T>> {\n  const out = new Array<__JsEntry<f64, T>>(a.length);\n  for (let i = 0; i < a.length; i++) unchecked((out[i] = new __JsEntry<f64, T>(<f64>i, unchecked(a[i]))));\n  return out;\n}");
        return `__array_entries<${T}>(${arr})`;
    }
    throw new Error(`array method ${e.name}`);
  }

  /** Arguments from `from` on (with spreads) as one array of elem, evaluated in order. */
  private argsArray(e: { args: Expr[]; spread: boolean[] }, elem: Type, from: number): string {
    const T = asType(elem);
    const parts: string[] = [];
    for (let i = from; i < e.args.length; i++) {
      const arg = e.args[i]!;
      parts.push(e.spread[i] ? this.iterableArray(arg) : `[${stripParens(this.expr(arg))}]`);
    }
    if (parts.length === 0) return `new Array<${T}>(0)`;
    if (parts.length === 1 && !e.spread[from]) return parts[0]!;
    const cat = `__cat_${typeKey(elem)}`;
    this.helper(cat, `function ${cat}(a: Array<${T}>, b: Array<${T}>): Array<${T}> {\n  return a.concat(b);\n}`);
    let acc = e.spread[from] ? `${this.use("__js_array_slice")}<${T}>(${parts[0]})` : parts[0]!;
    for (let i = 1; i < parts.length; i++) acc = `${cat}(${acc}, ${parts[i]})`;
    return acc;
  }

  // ---- builtins ------------------------------------------------------------------------------

  private builtin(e: BuiltinCallExpr): string {
    const a = e.args;
    const x = (i: number) => stripParens(this.expr(a[i]!));
    const n = (i: number) => stripParens(this.num(a[i]!));
    switch (e.name) {
      case "Number":
        return a.length === 0 ? "0.0" : this.num(a[0]!);
      case "String":
        return a.length === 0 ? '""' : this.toStr(a[0]!);
      case "Boolean":
        return a.length === 0 ? "false" : this.cond(a[0]!);
      case "parseInt":
      case "parseFloat": {
        const s = a[0]!.type.kind === "string" ? x(0) : this.toStr(a[0]!);
        if (e.name === "parseFloat") return `${this.use("__js_parse_float")}(${stripParens(s)})`;
        if (a.length === 2) return `${this.use("__js_parse_int")}(${stripParens(s)}, ${n(1)})`;
        return `${this.use("__js_parse_int_auto")}(${stripParens(s)})`;
      }
      case "isNaN":
        this.helper("__is_nan", "function __is_nan(x: f64): bool {\n  return x != x;\n}");
        return `__is_nan(${n(0)})`;
      case "isFinite":
        this.helper("__is_finite", "function __is_finite(x: f64): bool {\n  return x - x == 0;\n}");
        return `__is_finite(${n(0)})`;
      case "Number.isInteger":
      case "Number.isSafeInteger":
      case "Number.isFinite":
      case "Number.isNaN": {
        if (a[0]!.type.kind === "dyn") {
          this.dynPrelude();
          const which = e.name.slice("Number.".length);
          const test = which === "isInteger" ? `__js_is_integer(d.n)` : which === "isSafeInteger" ? `__js_is_safe_integer(d.n)` : which === "isFinite" ? "d.n - d.n == 0" : "d.n != d.n";
          const name = `__dyn_${which}`;
          this.helper(name, `function ${name}(d: __Dyn): bool {\n  return d.tag == 3 && ${test};\n}`, which === "isInteger" ? ["__js_is_integer"] : which === "isSafeInteger" ? ["__js_is_safe_integer"] : []);
          return `${name}(${x(0)})`;
        }
        // No conversion: anything but a number gives false.
        if (a[0]!.type.kind !== "number") return this.withEffects([a[0]!], "false");
        if (e.name === "Number.isInteger") return `${this.use("__js_is_integer")}(${x(0)})`;
        if (e.name === "Number.isSafeInteger") return `${this.use("__js_is_safe_integer")}(${x(0)})`;
        if (e.name === "Number.isFinite") {
          this.helper("__is_finite", "function __is_finite(x: f64): bool {\n  return x - x == 0;\n}");
          return `__is_finite(${x(0)})`;
        }
        this.helper("__is_nan", "function __is_nan(x: f64): bool {\n  return x != x;\n}");
        return `__is_nan(${x(0)})`;
      }
      case "String.fromCharCode":
      case "String.fromCodePoint": {
        const one = e.name === "String.fromCharCode" ? "__js_str_from_char_code" : "__js_str_from_code_point";
        const arr = e.name === "String.fromCharCode" ? "__js_str_from_char_code_array" : "__js_str_from_code_point_array";
        if (a.length === 1 && !e.spread[0]) return `${this.use(one)}(${n(0)})`;
        if (a.length === 0) return '""';
        return `${this.use(arr)}(${this.argsArrayNum(e)})`;
      }
      case "instanceof Array":
      case "instanceof Set":
      case "instanceof Map":
      case "instanceof Object": {
        const cls = e.name.slice("instanceof ".length);
        const t = a[0]!.type;
        if (t.kind === "dyn") {
          this.dynPrelude();
          const test = cls === "Object" ? "d.tag == 5" : `d.tag == 5 && d.o!.kind() == ${cls === "Array" ? 1 : cls === "Set" ? 2 : 3}`;
          const name = `__dyn_instanceof_${cls}`;
          this.helper(name, `function ${name}(d: __Dyn): bool {\n  return ${test};\n}`);
          return `${name}(${x(0)})`;
        }
        const isObject = ["array", "tuple", "dict", "record", "map", "set", "fn"].includes(t.kind);
        const result =
          cls === "Object" ? isObject : cls === "Array" ? t.kind === "array" || t.kind === "tuple" : cls === "Set" ? t.kind === "set" : t.kind === "map";
        return this.withEffects([a[0]!], result ? "true" : "false");
      }
      case "instanceof Error":
      case "instanceof TypeError":
      case "instanceof RangeError":
      case "instanceof SyntaxError":
      case "instanceof ReferenceError":
      case "instanceof EvalError":
      case "instanceof URIError": {
        const name = e.name.slice("instanceof ".length);
        if (a[0]!.type.kind !== "dyn" || !this.exceptions) return this.withEffects([a[0]!], "false");
        this.exceptionPrelude();
        const fn = `__is_error_${name}`;
        this.helper(fn, `function ${fn}(d: __Dyn): bool {\n  if (d.tag != 5 || d.o!.kind() != 5) return false;\n  return ${name === "Error" ? "true" : `changetype<__ErrorObj>(d.o!).name == ${stringLiteral(name)}`};\n}`);
        return `${fn}(${x(0)})`;
      }
      case "instanceof class": {
        const t = a[0]!.type;
        const id = (a[1] as { value: number }).value;
        return this.withEffects([a[0]!], t.kind === "class" && t.id === id ? "true" : "false");
      }
      case "Array.isArray":
        if (a[0]!.type.kind === "dyn") {
          this.dynPrelude();
          this.helper("__dyn_is_array", "function __dyn_is_array(d: __Dyn): bool {\n  return d.tag == 5 && d.o!.isArray();\n}");
          return `__dyn_is_array(${x(0)})`;
        }
        return this.withEffects([a[0]!], a[0]!.type.kind === "array" || a[0]!.type.kind === "tuple" ? "true" : "false");
      case "Array.of": {
        const t = e.type.kind === "array" ? e.type.elem : e.type;
        if (a.length === 0) return `new Array<${asType(t)}>(0)`;
        return this.argsArray(e, t, 0);
      }
      case "Array.from": {
        const src = a[0]!;
        if (src.type.kind === "array") return `${this.use("__js_array_from_array")}<${asType(src.type.elem)}>(${x(0)})`;
        if (src.type.kind === "string") return `${this.use("__js_array_from_string")}(${x(0)})`;
        if (src.type.kind === "set") return `${wrap(x(0))}.values()`;
        break;
      }
      case "Array.fromMap": {
        const src = a[0]!;
        const u = e.type.kind === "array" ? asType(e.type.elem) : "f64";
        if (src.type.kind === "array") return `${this.use("__js_array_from_array_map")}<${asType(src.type.elem)}, ${u}>(${x(0)}, ${x(1)})`;
        if (src.type.kind === "string") return `${this.use("__js_array_from_string_map")}<${u}>(${x(0)}, ${x(1)})`;
        if (src.type.kind === "set") return `${this.use("__js_array_from_array_map")}<${asType(src.type.elem)}, ${u}>(${wrap(x(0))}.values(), ${x(1)})`;
        break;
      }
      case "Array.fromLength": {
        const t = e.type.kind === "array" ? e.type.elem : e.type;
        if (a.length === 1) {
          this.helper("__Unit", UNIT_CLASS);
          return `${this.use("__js_array_from_length_filled")}<${asType(t)}>(${n(0)}, null)`;
        }
        // The callback gets (undefined, index): adapt the (undefined, f64) function to (f64).
        const f = a[1]!;
        const adapter = `__FromLen_${typeKey(t)}`;
        this.use("__Fn1");
        this.use("__Fn2");
        this.helper("__Unit", UNIT_CLASS);
        this.helper(
          adapter,
          `class ${adapter} extends __Fn1<f64, ${asType(t)}> {\n  constructor(public f: __Fn2<__Unit | null, f64, ${asType(t)}>) {\n    super();\n  }\n  call(i: f64): ${asType(t)} {\n    return this.f.call(null, i);\n  }\n}`,
        );
        return `${this.use("__js_array_from_length")}<${asType(t)}>(${n(0)}, new ${adapter}(${stripParens(this.expr(f))}))`;
      }
      case "Array.range":
        this.helper(
          "__array_range",
          'function __array_range(n: f64): Array<f64> {\n  if (!(n >= 0 && n <= 4294967295.0 && Math.trunc(n) == n)) abort("RangeError: Invalid array length", "stelp", 0, 0);\n  const len = <i32>n;\n  const out = new Array<f64>(len);\n  for (let i = 0; i < len; i++) unchecked((out[i] = <f64>i));\n  return out;\n}',
        );
        return `__array_range(${n(0)})`;
      case "Array.holes":
        throw new Error("new Array(n) without fill");
      case "Object.keys": {
        const t = a[0]!.type;
        if (t.kind === "dict") return `${wrap(x(0))}.keys()`;
        if (t.kind === "record") return this.withEffects([a[0]!], `[${t.keys.map(stringLiteral).join(", ")}]`);
        if (t.kind === "class") return this.withEffects([a[0]!], `[${classDecls.get(t.id)!.fields.map((f) => stringLiteral(f.name)).join(", ")}]`);
        if (t.kind === "dyn") {
          this.dynPrelude();
          return `__dyn_keys(${x(0)})`;
        }
        if (t.kind === "array") {
          this.helper("__index_keys", "function __index_keys<T>(a: Array<T>): Array<string> {\n  const out = new Array<string>(a.length);\n  for (let i = 0; i < a.length; i++) unchecked((out[i] = __js_num_to_string(<f64>i)));\n  return out;\n}", ["__js_num_to_string"]);
          return `__index_keys<${asType(t.elem)}>(${x(0)})`;
        }
        break;
      }
      case "Object.values": {
        const t = a[0]!.type;
        if (t.kind === "dyn") {
          this.dynPrelude();
          this.helper("__dyn_values", "function __dyn_values(d: __Dyn): Array<__Dyn> {\n  const ks = __dyn_keys(d);\n  const out = new Array<__Dyn>(ks.length);\n  for (let i = 0; i < ks.length; i++) unchecked((out[i] = __dyn_get(d, __dyn_str(unchecked(ks[i])))));\n  return out;\n}");
          return `__dyn_values(${x(0)})`;
        }
        if (t.kind === "dict") return `${wrap(x(0))}.values()`;
        if (t.kind === "array") return `${this.use("__js_array_slice")}<${asType(t.elem)}>(${x(0)})`;
        break;
      }
      case "JSON.stringify": {
        let gap = '""';
        if (a.length === 3) {
          const g = a[2]!;
          gap = g.type.kind === "string" ? `${this.use("__js_json_gap_str")}(${x(2)})` : `${this.use("__js_json_gap_num")}(${n(2)})`;
        }
        return this.stringify(a[0]!.type, this.expr(a[0]!), gap);
      }
      case "Set.new": {
        const t = e.type.kind === "set" ? e.type.elem : e.type;
        if (a.length === 0) return `new ${this.use("__JsSet")}<${asType(t)}>()`;
        return `${this.use("__js_set_from_array")}<${asType(t)}>(${this.iterableArray(a[0]!)})`;
      }
      case "Map.new": {
        if (e.type.kind !== "map") break;
        if (a.length === 1) {
          const src = a[0]!;
          if (src.type.kind === "map") return `${this.use("__js_map_copy")}<${asType(e.type.key)}, ${asType(e.type.value)}>(${x(0)})`;
          return `${this.use("__js_map_from_entries")}<${asType(e.type.key)}, ${asType(e.type.value)}>(${x(0)})`;
        }
        return `new ${this.use("__JsMap")}<${asType(e.type.key)}, ${asType(e.type.value)}>()`;
      }
      case "Object.fromEntries": {
        if (e.type.kind !== "dict") break;
        const V = asType(e.type.value);
        this.helper(
          `__from_entries_${typeKey(e.type.value)}`,
          `function __from_entries_${typeKey(e.type.value)}(a: Array<__JsEntry<string, ${V}>>): __JsDict<${V}> {\n  const d = new __JsDict<${V}>();\n  for (let i = 0; i < a.length; i++) d.set(unchecked(a[i]).key, unchecked(a[i]).value);\n  return d;\n}`,
        );
        return `__from_entries_${typeKey(e.type.value)}(${this.iterableArray(a[0]!)})`;
      }
      case "Object.entries": {
        const t = a[0]!.type;
        if (t.kind === "dict") return `${wrap(x(0))}.entries()`;
        break;
      }
      case "delete": {
        const t = a[0]!.type;
        if (t.kind === "dict") return `(${wrap(x(0))}.delete(${this.key(a[1]!)}), true)`;
        break;
      }
      case "unbox": {
        const t = e.type.kind;
        if (t === "number") return `${wrap(x(0))}.n`;
        if (t === "boolean") return `(${wrap(x(0))}.n != 0)`;
        if (t === "string") return `${wrap(x(0))}.s`;
        break;
      }
      case "regex-class":
        throw new Error("a regular expression outside split");
    }
    throw new Error(`builtin ${e.name}`);
  }

  /** Arguments (with spreads) as one Array<f64> of numbers. */
  private argsArrayNum(e: { args: Expr[]; spread: boolean[] }): string {
    const parts = e.args.map((arg, i) => (e.spread[i] ? stripParens(this.expr(arg)) : `[${stripParens(this.num(arg))}]`));
    if (parts.length === 1) return parts[0]!;
    this.helper("__cat_n", "function __cat_n(a: Array<f64>, b: Array<f64>): Array<f64> {\n  return a.concat(b);\n}");
    let acc = parts[0]!;
    for (let i = 1; i < parts.length; i++) acc = `__cat_n(${acc}, ${parts[i]})`;
    return acc;
  }
}

/** Whether two types have the same shape (for concat: is the argument an element or an array of elements?). */
function sameShape(a: Type, b: Type): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A loop that tests before each iteration (`while`, `for`), as `if (test) do { body } while
 * ((update, test))`. asc compiles `while`/`for` to `loop { if (test) { body; br loop } }`: the body
 * is an `if` arm, which the fuel metering (src/instrument.ts) charges on its own after the loop
 * header's charge, two charges per iteration; a do-while compiles to `loop { body; br_if loop }`,
 * one charge. The same JavaScript order: test, body, update, test, …; `continue` in a do-while goes
 * to its condition, which runs the update first, as `continue` in a `for` does; `break` leaves the
 * do-while. The test's text is emitted twice (emitting it has no effect on the emitter's state
 * beyond declaring temporaries, which both copies share). `body` is indented for `indent + "    "`.
 */
function testFirstLoop(test: string, update: string, body: string[], indent: string): string[] {
  const next = update ? `(${update}, ${test})` : test;
  return [`${indent}if (${test}) {`, `${indent}  do {`, ...body, `${indent}  } while (${next});`, `${indent}}`];
}

/**
 * The runtime module that defines a helper. The core (io, numbers, Math, operators, closures) comes
 * through `./stelp/index`; the larger libraries are imported from their own files, so that a snippet
 * that does not use arrays does not make the compiler read them.
 */
export function runtimeModuleOf(name: string): string {
  if (name.startsWith("__js_array_") || name === "__js_value_to_string") return "array";
  if (name.startsWith("__js_str_") || name === "__js_is_whitespace") return "string";
  if (/^__Js(Map|Set|Dict|Entry|MapIterator|SetIterator)$/.test(name) || name.startsWith("__js_map_") || name.startsWith("__js_set_") || name === "__js_is_object_prototype_key") return "collections";
  if (name === "__JsonWriter" || name.startsWith("__js_json_")) return "json";
  if (name === "__ToolWriter" || name === "__ToolReader" || name.startsWith("__tool_")) return "tools";
  if (name === "__InspectNode" || name.startsWith("__inspect_") || name.startsWith("__INSPECT_") || name === "__js_log_value" || (name.startsWith("__js_inspect") && name !== "__js_inspect_num")) return "inspect";
  return "index";
}

/** ToInt32/ToUint32-based operators, as runtime helpers (f64, f64) => f64. */
const BITWISE_HELPERS: Record<string, string> = {
  "&": "__js_bitand",
  "|": "__js_bitor",
  "^": "__js_bitxor",
  "<<": "__js_shl",
  ">>": "__js_shr",
  ">>>": "__js_ushr",
};

/**
 * An expression that cannot change any variable or element: literals, variable reads, operators,
 * element and field reads, templates (runtime helpers they call may allocate or abort, never write).
 */
function isPure(e: Expr): boolean {
  switch (e.kind) {
    case "number":
    case "string":
    case "boolean":
    case "unit":
    case "var":
      return true;
    case "unary":
      return isPure(e.operand);
    case "binary":
    case "logical":
      return isPure(e.left) && isPure(e.right);
    case "conditional":
      return isPure(e.test) && isPure(e.consequent) && isPure(e.alternate);
    case "template":
      return e.expressions.every(isPure);
    case "index":
      return isPure(e.object) && isPure(e.index);
    case "member":
      return isPure(e.object);
    case "box":
      return isPure(e.value);
    default:
      return false;
  }
}

/** A variable (or a captured variable's box field) as emitted: it holds, and so roots, its value. */
function isVariableText(text: string): boolean {
  return /^[A-Za-z_$][\w$]*(\.value)?$/.test(text) && !["null", "true", "false", "NaN", "Infinity"].includes(text);
}

/**
 * `x % c` compared with the literal 0 (`zero` is the other operand), c a nonzero integer literal in
 * i32 range: the test of divisibility that __js_mod_int_is_zero makes without computing the
 * remainder as a JavaScript number. Either operand order; the literal has no effects to keep.
 */
function divisibilityTest(remainder: Expr, zero: Expr): { dividend: Expr; divisor: number } | null {
  if (zero.kind !== "number" || zero.value !== 0 || remainder.kind !== "binary" || remainder.op !== "%") return null;
  const { left, right } = remainder;
  if (left.type.kind !== "number" || right.kind !== "number") return null;
  if (!Number.isInteger(right.value) || right.value === 0 || Math.abs(right.value) > 0x7fffffff) return null;
  return { dividend: left, divisor: right.value };
}

/** A name or a literal: evaluating it twice (or not at all) is harmless. */
function isSimple(text: string): boolean {
  return isVariableText(text) || /^\(?-?[\d.]+(e-?\d+)?\)?$/.test(text) || /^"([^"\\]|\\.)*"$/.test(text) || text === "NaN" || text === "Infinity" || text === "(-Infinity)" || text === "true" || text === "false" || text === "null";
}

// ---------------------------------------------------------------------------------------------
// Format helpers (console.log with a format string): util.format's loop, specialised per signature.

const FORMAT_PRELUDE = `// console.log formatting with %-directives (Node's util.format), per argument type.
function __fmt_num(x: f64, c: i32): string {
  if (c == 102) return __js_inspect_num(x + 0.0); // %f: parseFloat(String(x)) turns -0 into 0
  if (c == 106) return isFinite(x) ? __js_num_to_string(x) : "null"; // %j
  if (c == 105) return __js_inspect_num(__js_parse_int_auto(__js_num_to_string(x))); // %i: parseInt(x)
  return __js_inspect_num(x); // %s %d %o %O
}
function __fmt_bool(b: bool, c: i32): string {
  if (c == 100) return b ? "1" : "0"; // %d: Number(b)
  if (c == 105 || c == 102) return "NaN"; // %i %f: parseInt("true")
  return b ? "true" : "false";
}
function __fmt_hex(c: i32, digits: i32): string {
  let out = "";
  for (let k = digits - 1; k >= 0; k--) {
    const h = (c >> (k * 4)) & 15;
    out += String.fromCharCode(h < 10 ? 48 + h : 87 + h);
  }
  return out;
}
function __fmt_json_str(s: string): string {
  // JSON.stringify(s) (well-formed: lone surrogates escaped)
  let out = "\\"";
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c == 34) out += "\\\\\\"";
    else if (c == 92) out += "\\\\\\\\";
    else if (c == 8) out += "\\\\b";
    else if (c == 12) out += "\\\\f";
    else if (c == 10) out += "\\\\n";
    else if (c == 13) out += "\\\\r";
    else if (c == 9) out += "\\\\t";
    else if (c < 32) out += "\\\\u" + __fmt_hex(c, 4);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) == 0xdc00) {
      out += s.substring(i, i + 2);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += "\\\\u" + __fmt_hex(c, 4);
    else out += String.fromCharCode(c);
  }
  return out + "\\"";
}
function __fmt_str(s: string, c: i32): string {
  if (c == 106) return __fmt_json_str(s); // %j
  if (c == 100) return __js_inspect_num(__js_string_to_number(s)); // %d: Number(s)
  if (c == 105) return __js_inspect_num(__js_parse_int_auto(s)); // %i: parseInt(s)
  if (c == 102) return __js_inspect_num(__js_parse_float(s)); // %f: parseFloat(s)
  if (c == 111 || c == 79) return __js_inspect_string_quoted(s); // %o %O: util.inspect(s)
  return s; // %s
}
`;

/** The per-signature util.format loop: argument 0 is the format string. */
function formatHelper(name: string, types: readonly Type[]): string {
  const params = types.map((t, i) => `a${i}: ${asType(t)}`).join(", ");
  const n = types.length;
  const convert: string[] = [];
  const rest: string[] = [];
  for (let i = 1; i < n; i++) {
    const t = types[i]!;
    const conv = t.kind === "number" ? `__fmt_num(a${i}, c)` : t.kind === "boolean" ? `__fmt_bool(a${i}, c)` : `__fmt_str(a${i}, c)`;
    convert.push(`          ${i === 1 ? "if" : "else if"} (a == ${i}) tmp = ${conv};`);
    const shown = t.kind === "number" ? `__js_inspect_num(a${i})` : t.kind === "boolean" ? `__js_bool_to_string(a${i})` : `a${i}`;
    rest.push(`  if (a <= ${i}) { str += join + ${shown}; join = " "; }`);
  }
  return `function ${name}(${params}): string {
  const n: i32 = ${n};
  let a: i32 = 0;
  let str: string = "";
  let join: string = "";
  let lastPos: i32 = 0;
  const len: i32 = a0.length;
  for (let i: i32 = 0; i < len - 1; i++) {
    if (a0.charCodeAt(i) == 37) {
      const c: i32 = a0.charCodeAt(++i);
      if (a + 1 != n) {
        let tmp: string = "";
        if (c == 37) {
          str += a0.substring(lastPos, i);
          lastPos = i + 1;
          continue;
        } else if (c == 115 || c == 106 || c == 100 || c == 79 || c == 111 || c == 105 || c == 102 || c == 99) {
          a++;
          if (c != 99) {
${convert.join("\n")}
          }
        } else {
          continue;
        }
        if (lastPos != i - 1) str += a0.substring(lastPos, i - 1);
        str += tmp;
        lastPos = i + 1;
      } else if (c == 37) {
        str += a0.substring(lastPos, i);
        lastPos = i + 1;
      }
    }
  }
  if (lastPos != 0) {
    a++;
    join = " ";
    if (lastPos < len) str += a0.substring(lastPos);
  }
  if (a <= 0) { str += join + a0; join = " "; }
${rest.join("\n")}
  return str;
}
`;
}

/** Adds parentheses unless the text is already a single primary expression. */
function wrap(text: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(text) || /^[\d.]+(e-?\d+)?$/.test(text) || isWrapped(text)) return text;
  return `(${text})`;
}

function isWrapped(text: string): boolean {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      depth--;
      if (depth === 0 && i < text.length - 1) return false;
    }
  }
  return depth === 0;
}

/** Removes one pair of outer parentheses when they wrap the whole text (not a comma sequence). */
function stripParens(text: string): string {
  return isWrapped(text) && !hasTopLevelComma(text.slice(1, -1)) ? text.slice(1, -1) : text;
}

/** Whether the text has a comma outside any brackets and strings (a sequence expression). */
function hasTopLevelComma(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 0) return true;
  }
  return false;
}
