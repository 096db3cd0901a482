/**
 * The typed program: what the checker (src/check.ts) hands to the emitter (src/emit.ts).
 *
 * It is a small typed IR, not the acorn AST: every identifier is already resolved to a symbol, every
 * expression carries its concrete static type, and constructs are normalised (`==` is `===`,
 * compound assignments keep their operator, console formatting is planned). The emitter never has to
 * resolve a name or infer a type; it only chooses AssemblyScript spellings.
 *
 * To grow the subset: add a member to `Type` (arrays, objects, closures...), add node kinds to
 * `Stmt`/`Expr`, and extend the checker's dispatch tables and the emitter's switches (TypeScript's
 * exhaustiveness checks point at every place that needs a case).
 */

import type { ToolSignature } from "./tools.js";

// ---------------------------------------------------------------------------------------------
// Types

export type Type = PrimitiveType | VoidType | UnitType | DynType | ArrayType | TupleType | RecordType | DictType | MapType | SetType | FnType | ClassType;

export interface PrimitiveType {
  readonly kind: "number" | "boolean" | "string";
}
export interface VoidType {
  readonly kind: "void";
}
/** `null` / `undefined` as the only value of their own type (e.g. `new Array(n).fill(null)`). */
export interface UnitType {
  readonly kind: "null" | "undefined";
}
/** A boxed value of any JavaScript type (a slot that holds values of several types). */
export interface DynType {
  readonly kind: "dyn";
}
/** A homogeneous array (AS `Array<T>`). */
export interface ArrayType {
  readonly kind: "array";
  readonly elem: Type;
}
/**
 * A pair `[a, b]` as `Object.entries`, `map.entries()` and `arr.entries()` give them (runtime
 * `__JsEntry<A, B>`); prints and serialises like an array of two elements.
 */
export interface TupleType {
  readonly kind: "tuple";
  readonly elems: readonly [Type, Type];
}
/**
 * An object literal whose values have different types: a fixed set of keys (in JS own-key order:
 * array-index keys ascending, then the others in insertion order), each with its own type. Emitted
 * as a generated class with one field per key.
 */
export interface RecordType {
  readonly kind: "record";
  readonly keys: readonly string[];
  readonly fields: readonly Type[];
}
/** An instance of a class of the snippet (see TypedProgram.classes for its fields and methods). */
export interface ClassType {
  readonly kind: "class";
  readonly id: number;
  readonly name: string;
}
/** An object used as a dictionary with string keys (runtime `__JsDict<V>`). */
export interface DictType {
  readonly kind: "dict";
  readonly value: Type;
}
export interface MapType {
  readonly kind: "map";
  readonly key: Type;
  readonly value: Type;
}
export interface SetType {
  readonly kind: "set";
  readonly elem: Type;
}
/** A function value called with exactly `params.length` arguments (subclass of `__Fn<n>`). */
export interface FnType {
  readonly kind: "fn";
  readonly params: readonly Type[];
  readonly ret: Type;
}

export const NUMBER: PrimitiveType = Object.freeze({ kind: "number" });
export const BOOLEAN: PrimitiveType = Object.freeze({ kind: "boolean" });
export const STRING: PrimitiveType = Object.freeze({ kind: "string" });
export const VOID: VoidType = Object.freeze({ kind: "void" });
export const NULL: UnitType = Object.freeze({ kind: "null" });
export const UNDEFINED: UnitType = Object.freeze({ kind: "undefined" });
export const DYN: DynType = Object.freeze({ kind: "dyn" });

export function sameType(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "array":
      return sameType(a.elem, (b as ArrayType).elem);
    case "set":
      return sameType(a.elem, (b as SetType).elem);
    case "tuple":
      return sameType(a.elems[0], (b as TupleType).elems[0]) && sameType(a.elems[1], (b as TupleType).elems[1]);
    case "class":
      return a.id === (b as ClassType).id;
    case "record": {
      const r = b as RecordType;
      return a.keys.join("\u0000") === r.keys.join("\u0000") && a.fields.every((f, i) => sameType(f, r.fields[i]!));
    }
    case "dict":
      return sameType(a.value, (b as DictType).value);
    case "map":
      return sameType(a.key, (b as MapType).key) && sameType(a.value, (b as MapType).value);
    case "fn": {
      const f = b as FnType;
      return a.params.length === f.params.length && a.params.every((p, i) => sameType(p, f.params[i]!)) && sameType(a.ret, f.ret);
    }
    default:
      return true;
  }
}

/** Whether values of this type are AS references (arrays, collections, functions, boxed values). */
export function isReference(t: Type): boolean {
  return t.kind === "string" || t.kind === "array" || t.kind === "tuple" || t.kind === "record" || t.kind === "class" || t.kind === "dict" || t.kind === "map" || t.kind === "set" || t.kind === "fn" || t.kind === "dyn";
}

/** The JavaScript name of a type, for diagnostics ("number", "string[]", "Map<string, number>"). */
export function typeName(t: Type, depth = 0): string {
  if (depth > 6) return "…";
  switch (t.kind) {
    case "void":
      return "undefined (no value)";
    case "dyn":
      return "value of several types";
    case "array": {
      const e = typeName(t.elem, depth + 1);
      return /^[\w.…]+$/.test(e) ? `${e}[]` : `(${e})[]`;
    }
    case "tuple":
      return `[${typeName(t.elems[0], depth + 1)}, ${typeName(t.elems[1], depth + 1)}]`;
    case "record":
      return `{ ${t.keys.map((k, i) => `${k}: ${typeName(t.fields[i]!, depth + 1)}`).join(", ")} }`;
    case "class":
      return t.name;
    case "dict":
      return `object of ${typeName(t.value, depth + 1)} values`;
    case "map":
      return `Map<${typeName(t.key, depth + 1)}, ${typeName(t.value, depth + 1)}>`;
    case "set":
      return `Set<${typeName(t.elem, depth + 1)}>`;
    case "fn":
      return `function(${t.params.map((p) => typeName(p, depth + 1)).join(", ")}) => ${t.ret.kind === "void" ? "void" : typeName(t.ret, depth + 1)}`;
    default:
      return t.kind;
  }
}

// ---------------------------------------------------------------------------------------------
// Positions

/** 1-based line and column in the snippet. */
export interface Loc {
  line: number;
  column: number;
}

// ---------------------------------------------------------------------------------------------
// Symbols

export interface VariableSymbol {
  kind: "variable";
  /** Unique within the program. */
  id: number;
  /** The name as written in the snippet. */
  name: string;
  /** Unique, AssemblyScript-safe name (`u_<name>` plus a suffix when needed). */
  emitName: string;
  type: Type;
  /** `let` (true) or `const`/parameter-that-is-never-assigned (false). */
  mutable: boolean;
  /** Declared at the top level of the snippet (a global of the AS module). */
  global: boolean;
  isParam: boolean;
  /**
   * Captured by a nested function and assigned after its initialisation: stored in a shared
   * `__Ref<T>` cell (read and written as `<emitName>.value`) by its owner and by every function that
   * captures it.
   */
  boxed: boolean;
  loc: Loc;
}

export interface FunctionSymbol {
  kind: "function";
  id: number;
  name: string;
  emitName: string;
  params: VariableSymbol[];
  /** Default values of parameters (null: no default). Evaluated in the callee when the argument is missing. */
  defaults: (Expr | null)[];
  returnType: Type;
  /**
   * Variables of enclosing functions (not module globals) that this function reads or writes,
   * directly or through the functions it calls: passed as leading arguments of the lifted AS
   * function (by value, or the `__Ref` cell when `boxed`).
   */
  captures: VariableSymbol[];
  /** Arities of the function values made from this function (one `__Fn<n>` class each). */
  valueArities: number[];
  /** A method (or the constructor) of a class: emitted inside the class, `this` is `u_this`. */
  method?: { classId: number; kind: "method" | "constructor" | "static"; thisName?: string };
  loc: Loc;
}

// ---------------------------------------------------------------------------------------------
// Statements

export type Stmt =
  | VarDeclStmt
  | ExprStmt
  | IfStmt
  | WhileStmt
  | DoWhileStmt
  | ForStmt
  | ForOfStmt
  | ForInStmt
  | SwitchStmt
  | LabeledStmt
  | BlockStmt
  | BreakStmt
  | ContinueStmt
  | ReturnStmt
  | ThrowStmt
  | TryStmt;

interface StmtBase {
  loc: Loc;
}

/** One `let`/`const` declarator (a declaration with several declarators becomes several). */
export interface VarDeclStmt extends StmtBase {
  kind: "var-decl";
  symbol: VariableSymbol;
  init: Expr;
  /** The initialiser calls a function that may throw: check for a pending exception after it. */
  mayThrow?: boolean;
}
export interface ExprStmt extends StmtBase {
  kind: "expr";
  expr: Expr;
  /** The expression calls a function that may throw: check for a pending exception after it. */
  mayThrow?: boolean;
}
export interface IfStmt extends StmtBase {
  kind: "if";
  test: Expr;
  consequent: Stmt[];
  alternate: Stmt[] | null;
}
/** Loops, switches and labelled blocks have an id that `break`/`continue` name as their target. */
export interface WhileStmt extends StmtBase {
  kind: "while";
  id: number;
  test: Expr;
  body: Stmt[];
}
export interface DoWhileStmt extends StmtBase {
  kind: "do-while";
  id: number;
  body: Stmt[];
  test: Expr;
}
export interface ForStmt extends StmtBase {
  kind: "for";
  id: number;
  /** Declarations (`for (let i = 0, j = 1; …)`) or one expression statement. */
  init: Stmt[];
  test: Expr | null;
  update: Expr | null;
  body: Stmt[];
}
/**
 * `for (const x of iterable)`: arrays (index loop that re-reads the length, like the array
 * iterator), strings (by code point), Sets and Maps (insertion order; Map entries are not supported
 * as bindings yet, only `map.keys()`/`values()` arrays).
 */
export interface ForOfStmt extends StmtBase {
  kind: "for-of";
  id: number;
  binding: VariableSymbol;
  iterable: Expr;
  body: Stmt[];
}
/** `for (const k in obj)`: a dictionary's keys in JS own-key order, or an array's indices as strings. */
export interface ForInStmt extends StmtBase {
  kind: "for-in";
  id: number;
  binding: VariableSymbol;
  object: Expr;
  body: Stmt[];
}
/**
 * `switch (d) { case a: … default: … }`: `discriminant` declares a hidden constant holding d; each
 * case's `test` is `hidden === a` (null for default). Tests run in order until one matches (or the
 * default is chosen), then the bodies run from there on, falling through, until a `break`.
 */
export interface SwitchStmt extends StmtBase {
  kind: "switch";
  id: number;
  discriminant: VarDeclStmt;
  cases: { test: Expr | null; body: Stmt[] }[];
}
/** `label: { … }` (a labelled statement that is not a loop): `break label` leaves it. */
export interface LabeledStmt extends StmtBase {
  kind: "labeled";
  id: number;
  body: Stmt[];
}
export interface BlockStmt extends StmtBase {
  kind: "block";
  body: Stmt[];
}
/** Leaves the loop, switch or labelled statement `target` (an id). */
export interface BreakStmt extends StmtBase {
  kind: "break";
  target: number;
}
/** Continues the loop `target` (an id). */
export interface ContinueStmt extends StmtBase {
  kind: "continue";
  target: number;
}
/**
 * `throw value` (no try/catch in the subset): the run stops with a runtime error whose message is
 * `Uncaught <Name>: <message>` for `new Error(message)` (and the other error constructors), or
 * `Uncaught <String(value)>` for other values. Node prints a stack trace instead.
 */
export interface ThrowStmt extends StmtBase {
  kind: "throw";
  /** The error constructor's name (`Error`, `TypeError`…), or null for another value. */
  errorName: string | null;
  /** The message (a string) for an error object, or the thrown value itself. */
  value: Expr | null;
}
/**
 * `try { … } catch (e) { … } finally { … }` (when the snippet uses try, exceptions are pending
 * values: `throw` stores the thrown value and leaves the try block, the function or the program).
 * `id` is the try block's construct id (a throw breaks out of it); `handlerId` the catch block's when
 * there is a finally block (a throw in the catch block still runs the finally block).
 */
export interface TryStmt extends StmtBase {
  kind: "try";
  id: number;
  handlerId: number;
  block: Stmt[];
  handler: { param: VariableSymbol | null; body: Stmt[] } | null;
  finalizer: Stmt[] | null;
}
export interface ReturnStmt extends StmtBase {
  kind: "return";
  /** The value calls a function that may throw: check for a pending exception before returning. */
  mayThrow?: boolean;
  /** null for `return;`. A value of type void (`return log()`) means "evaluate, then return". */
  value: Expr | null;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | NumberLit
  | StringLit
  | BooleanLit
  | UnitLit
  | VarRef
  | AssignExpr
  | UpdateExpr
  | UnaryExpr
  | BinaryExpr
  | LogicalExpr
  | ConditionalExpr
  | CallExpr
  | ToolCallExpr
  | CallValueExpr
  | ClosureExpr
  | MathCallExpr
  | ConsoleExpr
  | AssertExpr
  | TemplateExpr
  | SequenceExpr
  | ArrayLit
  | ObjectLit
  | IndexExpr
  | MemberExpr
  | MethodCallExpr
  | BuiltinCallExpr
  | InExpr
  | NewExpr
  | BoxExpr;

interface ExprBase {
  type: Type;
  loc: Loc;
}

export interface NumberLit extends ExprBase {
  kind: "number";
  value: number;
}
export interface StringLit extends ExprBase {
  kind: "string";
  value: string;
}
export interface BooleanLit extends ExprBase {
  kind: "boolean";
  value: boolean;
}
/** `null` or `undefined` (its type is null/undefined, or dyn when it flows into a dyn slot). */
export interface UnitLit extends ExprBase {
  kind: "unit";
  value: "null" | "undefined";
}
export interface VarRef extends ExprBase {
  kind: "var";
  symbol: VariableSymbol;
}

export type AssignOp =
  | "="
  | "+="
  | "-="
  | "*="
  | "/="
  | "%="
  | "**="
  | "&="
  | "|="
  | "^="
  | "<<="
  | ">>="
  | ">>>="
  | "&&="
  | "||=";

/** What an assignment or update writes: a variable, an array element or a dictionary entry. */
export type LValue =
  | { kind: "var"; symbol: VariableSymbol }
  | { kind: "index"; object: Expr; index: Expr }
  | { kind: "member"; object: Expr; name: string };

/** `target op value`; the value of the expression is the new value of the target. */
export interface AssignExpr extends ExprBase {
  kind: "assign";
  op: AssignOp;
  target: LValue;
  value: Expr;
}
export interface UpdateExpr extends ExprBase {
  kind: "update";
  op: "++" | "--";
  prefix: boolean;
  target: LValue;
}
export interface UnaryExpr extends ExprBase {
  kind: "unary";
  /** `-`, `+`, `~` on numbers (strings and booleans are converted with ToNumber); `!` on any value; `typeof`. */
  op: "-" | "+" | "!" | "~" | "typeof";
  operand: Expr;
}

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%" | "**";
export type BitwiseOp = "&" | "|" | "^" | "<<" | ">>" | ">>>";
export type ComparisonOp = "<" | "<=" | ">" | ">=";
export type EqualityOp = "===" | "!==" | "==" | "!=";
export type BinaryOp = ArithmeticOp | BitwiseOp | ComparisonOp | EqualityOp;

/**
 * Binary operators. `+` is addition when the result type is number and concatenation when it is
 * string (operands of other types are converted with JS `String(x)`). Arithmetic, bitwise and
 * relational operators convert string/boolean operands with ToNumber where JS would (a relational
 * comparison of two strings compares code units). `==`/`!=` between a number and a string convert
 * the string; otherwise both sides have one type and `==` is `===`.
 */
export interface BinaryExpr extends ExprBase {
  kind: "binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

/** `&&`, `||` (operands of the same type; the result is one of the operands, as in JS). */
export interface LogicalExpr extends ExprBase {
  kind: "logical";
  op: "&&" | "||" | "??";
  left: Expr;
  right: Expr;
}
export interface ConditionalExpr extends ExprBase {
  kind: "conditional";
  test: Expr;
  consequent: Expr;
  alternate: Expr;
}
/** A direct call of a snippet function (its captured variables are passed first by the emitter). */
export interface CallExpr extends ExprBase {
  kind: "call";
  callee: FunctionSymbol;
  /** For a method call `o.m(…)`: the instance. */
  receiver?: Expr;
  /** One per argument written; missing trailing arguments take the parameter defaults. */
  args: Expr[];
}
/** A call of a host tool the embedder registered and the policy approved (see src/tools.ts). */
export interface ToolCallExpr extends ExprBase {
  kind: "tool-call";
  tool: string;
  /** One per parameter, already of the parameter's type. */
  args: Expr[];
}
/** A call of a function value (`f(x)` where f is a parameter or variable of function type). */
export interface CallValueExpr extends ExprBase {
  kind: "call-value";
  callee: Expr;
  args: Expr[];
}
/** A function value made from a snippet function: an instance of its `__Fn<arity>` class. */
export interface ClosureExpr extends ExprBase {
  kind: "closure";
  fn: FunctionSymbol;
  /**
   * The signature the value is called with: `params.length` arguments (the function ignores the
   * ones beyond its own parameters) and a result of type `ret`. When the function returns another
   * type, the value adapts it: a void slot discards the result, a boolean slot takes its truthiness
   * (filter, some…), a number slot converts a boolean with ToNumber (sort comparators).
   */
  params: Type[];
  ret: Type;
}
export type MathFunction =
  | "abs"
  | "floor"
  | "ceil"
  | "round"
  | "trunc"
  | "sign"
  | "min"
  | "max"
  | "pow"
  | "sqrt"
  | "cbrt"
  | "exp"
  | "expm1"
  | "log"
  | "log1p"
  | "log2"
  | "log10"
  | "sin"
  | "cos"
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "atan2"
  | "sinh"
  | "cosh"
  | "tanh"
  | "asinh"
  | "acosh"
  | "atanh"
  | "hypot"
  | "fround"
  | "clz32"
  | "imul"
  | "random";

/** `Math.<name>(args)`; all arguments are numbers, the result is a number. */
export interface MathCallExpr extends ExprBase {
  kind: "math-call";
  name: MathFunction;
  args: Expr[];
  /** Parallel to args: `Math.max(...xs)` spreads an array of numbers. */
  spread: boolean[];
}

/**
 * `console.log(...)` (stream "out") / `console.error(...)` (stream "err"); type void.
 * `format` says how Node would format the arguments (util.format):
 *  - "join": each argument formatted (strings raw, numbers as console.log shows them, booleans),
 *    separated by one space;
 *  - "format": the first argument is a string that may contain `%` directives and there are more
 *    arguments: apply util.format's directive substitution (at run time) before joining the rest.
 */
export interface ConsoleExpr extends ExprBase {
  kind: "console";
  stream: "out" | "err";
  args: Expr[];
  format: "join" | "format";
}

/**
 * `console.assert(test, ...rest)`: when `test` is falsy, Node prints `Assertion failed` (no more
 * arguments) or `Assertion failed: <String(rest[0])>` followed by the rest, formatted like
 * console.error, on stderr. `message` is that console.error call (its first argument is the
 * prefixed string); the arguments are evaluated before the test, as in JS.
 */
export interface AssertExpr extends ExprBase {
  kind: "assert";
  test: Expr;
  message: ConsoleExpr | null;
}

/** A template literal: quasis[0] expr[0] quasis[1] ... (cooked strings; `String(x)` conversion). */
export interface TemplateExpr extends ExprBase {
  kind: "template";
  quasis: string[];
  expressions: Expr[];
}
/** Comma expression: every expression is evaluated, the value is the last one. */
export interface SequenceExpr extends ExprBase {
  kind: "sequence";
  expressions: Expr[];
}
/** `[a, b, ...c]`. */
export interface ArrayLit extends ExprBase {
  kind: "array";
  elements: Expr[];
  /** Parallel to elements: the element is a spread (`...x` of an array, string or Set). */
  spread: boolean[];
}
/** `{ k: v, … }` as a dictionary (the type is dict); keys in source order (JS own-key order applies). */
export interface ObjectLit extends ExprBase {
  kind: "object";
  keys: string[];
  values: Expr[];
}
/** `o[i]`: array element, string code unit (as a string), or dictionary entry. */
export interface IndexExpr extends ExprBase {
  kind: "index";
  object: Expr;
  index: Expr;
  /**
   * Set when the read feeds something that handles JS `undefined` for a missing element or key: an
   * equality comparison, a condition, or the left side of `||`/`??`. The emitter then tests for the
   * element instead of stopping with a runtime error.
   */
  lenient: boolean;
  /**
   * Set when the read is an operand converted with ToNumber (arithmetic, relational, Math): an
   * index outside an array of numbers then reads NaN, exactly what JS computes from undefined.
   */
  numeric: boolean;
}
/** `o.name` for a built-in property (`length`, `size`) or a dictionary entry. */
export interface MemberExpr extends ExprBase {
  kind: "member";
  object: Expr;
  name: string;
  /** A dictionary entry read where a missing key (JS undefined) is handled: see IndexExpr.lenient. */
  lenient?: boolean;
}
/** A built-in method of a value: `a.push(x)`, `s.slice(1)`, `m.get(k)`… (chosen by the receiver's type). */
export interface MethodCallExpr extends ExprBase {
  kind: "method";
  object: Expr;
  name: string;
  args: Expr[];
  /** Parallel to args: `...x` (only where the method takes any number of arguments, e.g. push). */
  spread: boolean[];
  /** `map.get(k)` where a missing key (JS undefined) is handled: see IndexExpr.lenient. */
  lenient?: boolean;
  /** A method of a class of the snippet (a direct call `object.m(args)`). */
  method?: FunctionSymbol;
}
/**
 * A built-in global function or constructor: `Number(x)`, `String(x)`, `parseInt(s, r)`,
 * `parseFloat(s)`, `isNaN(x)`, `isFinite(x)`, `Number.isInteger(x)`, `Array.isArray(x)`,
 * `Array.from(x)`, `String.fromCharCode(…)`, `Object.keys(o)`, `JSON.stringify(x)`,
 * `new Set(x)`, `new Map()`, `new Array(n)`…
 */
export interface BuiltinCallExpr extends ExprBase {
  kind: "builtin";
  name: string;
  args: Expr[];
  /** Parallel to args: `...x` (e.g. `String.fromCharCode(...codes)`). */
  spread: boolean[];
}
/** `new C(…)` of a class of the snippet. */
export interface NewExpr extends ExprBase {
  kind: "new";
  classId: number;
  args: Expr[];
}
/** `key in obj` (dictionaries: own key; arrays: index in range). */
export interface InExpr extends ExprBase {
  kind: "in";
  key: Expr;
  object: Expr;
}
/** Converts a statically typed value into a dyn value (inserted where a value flows into a dyn slot). */
export interface BoxExpr extends ExprBase {
  kind: "box";
  value: Expr;
}

// ---------------------------------------------------------------------------------------------
// Program

export interface TypedFunction {
  symbol: FunctionSymbol;
  body: Stmt[];
  /** True when the end of the body is reachable (only possible for void functions). */
  bodyCompletes: boolean;
}

/** A class of the snippet: fields in creation order (class fields, then `this.f = …` of the constructor). */
export interface ClassDecl {
  id: number;
  name: string;
  emitName: string;
  fields: { name: string; emitName: string; type: Type; init: Expr | null }[];
  constructor: FunctionSymbol | null;
  methods: FunctionSymbol[];
  /** The class defines `toString()` (String(x), templates and join call it). */
  hasToString: boolean;
}

export interface TypedProgram {
  /** Classes of the snippet (their methods are also in `functions`, marked with `method`). */
  classes: ClassDecl[];
  /** Every function of the snippet, nested ones included (hoisted, with unique names). */
  functions: TypedFunction[];
  /** Top-level statements, in source order. Top-level `let`/`const` are globals. */
  body: Stmt[];
  /** The top-level variables (VariableSymbol.global), in declaration order. */
  globals: VariableSymbol[];
  /** The snippet uses try: exceptions are pending values instead of stopping the run at once. */
  exceptions?: boolean;
  /** Whether the snippet calls Math.random (the policy granted a seed). */
  usesRandom: boolean;
  /** The host tools the snippet calls (each becomes one import), sorted by name. */
  tools?: ToolSignature[];
}
