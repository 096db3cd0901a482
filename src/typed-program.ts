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

// ---------------------------------------------------------------------------------------------
// Types

export type Type = PrimitiveType | VoidType;

export interface PrimitiveType {
  readonly kind: "number" | "boolean" | "string";
}
export interface VoidType {
  readonly kind: "void";
}

export const NUMBER: PrimitiveType = Object.freeze({ kind: "number" });
export const BOOLEAN: PrimitiveType = Object.freeze({ kind: "boolean" });
export const STRING: PrimitiveType = Object.freeze({ kind: "string" });
export const VOID: VoidType = Object.freeze({ kind: "void" });

export function sameType(a: Type, b: Type): boolean {
  return a.kind === b.kind;
}

/** The JavaScript name of a type, for diagnostics ("number", "string", "boolean", "undefined"). */
export function typeName(t: Type): string {
  return t.kind === "void" ? "undefined (no value)" : t.kind;
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
  loc: Loc;
}

export interface FunctionSymbol {
  kind: "function";
  id: number;
  name: string;
  emitName: string;
  params: VariableSymbol[];
  returnType: Type;
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
  | BlockStmt
  | BreakStmt
  | ContinueStmt
  | ReturnStmt;

interface StmtBase {
  loc: Loc;
}

/** One `let`/`const` declarator (a declaration with several declarators becomes several). */
export interface VarDeclStmt extends StmtBase {
  kind: "var-decl";
  symbol: VariableSymbol;
  init: Expr;
}
export interface ExprStmt extends StmtBase {
  kind: "expr";
  expr: Expr;
}
export interface IfStmt extends StmtBase {
  kind: "if";
  test: Expr;
  consequent: Stmt[];
  alternate: Stmt[] | null;
}
export interface WhileStmt extends StmtBase {
  kind: "while";
  test: Expr;
  body: Stmt[];
}
export interface DoWhileStmt extends StmtBase {
  kind: "do-while";
  body: Stmt[];
  test: Expr;
}
export interface ForStmt extends StmtBase {
  kind: "for";
  /** Declarations (`for (let i = 0, j = 1; …)`) or one expression statement. */
  init: Stmt[];
  test: Expr | null;
  update: Expr | null;
  body: Stmt[];
}
export interface BlockStmt extends StmtBase {
  kind: "block";
  body: Stmt[];
}
export interface BreakStmt extends StmtBase {
  kind: "break";
}
export interface ContinueStmt extends StmtBase {
  kind: "continue";
}
export interface ReturnStmt extends StmtBase {
  kind: "return";
  /** null for `return;`. A value of type void (`return log()`) means "evaluate, then return". */
  value: Expr | null;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | NumberLit
  | StringLit
  | BooleanLit
  | VarRef
  | AssignExpr
  | UpdateExpr
  | UnaryExpr
  | BinaryExpr
  | LogicalExpr
  | ConditionalExpr
  | CallExpr
  | MathCallExpr
  | ConsoleExpr
  | TemplateExpr
  | StringLengthExpr
  | SequenceExpr;

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

/** `target op value`; the value of the expression is the new value of the target. */
export interface AssignExpr extends ExprBase {
  kind: "assign";
  op: AssignOp;
  target: VariableSymbol;
  value: Expr;
}
export interface UpdateExpr extends ExprBase {
  kind: "update";
  op: "++" | "--";
  prefix: boolean;
  target: VariableSymbol;
}
export interface UnaryExpr extends ExprBase {
  kind: "unary";
  /** `-`, `+`, `~` on numbers; `!` on any value (JS truthiness). */
  op: "-" | "+" | "!" | "~";
  operand: Expr;
}

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%" | "**";
export type BitwiseOp = "&" | "|" | "^" | "<<" | ">>" | ">>>";
export type ComparisonOp = "<" | "<=" | ">" | ">=";
export type EqualityOp = "===" | "!==";
export type BinaryOp = ArithmeticOp | BitwiseOp | ComparisonOp | EqualityOp;

/**
 * Binary operators. `+` is addition when the result type is number and concatenation when it is
 * string (operands of other types are converted with JS `String(x)`). `==`/`!=` arrive as `===`/`!==`
 * (both sides always have the same type). Comparisons take two numbers or two strings.
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
  op: "&&" | "||";
  left: Expr;
  right: Expr;
}
export interface ConditionalExpr extends ExprBase {
  kind: "conditional";
  test: Expr;
  consequent: Expr;
  alternate: Expr;
}
/** A call of a snippet function (functions are not values: the callee is always a symbol). */
export interface CallExpr extends ExprBase {
  kind: "call";
  callee: FunctionSymbol;
  args: Expr[];
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

/** A template literal: quasis[0] expr[0] quasis[1] ... (cooked strings; `String(x)` conversion). */
export interface TemplateExpr extends ExprBase {
  kind: "template";
  quasis: string[];
  expressions: Expr[];
}
export interface StringLengthExpr extends ExprBase {
  kind: "string-length";
  object: Expr;
}
/** Comma expression, only produced for `for (…; …; i++, j--)` updates; the value is the last one. */
export interface SequenceExpr extends ExprBase {
  kind: "sequence";
  expressions: Expr[];
}

// ---------------------------------------------------------------------------------------------
// Program

export interface TypedFunction {
  symbol: FunctionSymbol;
  body: Stmt[];
  /** True when the end of the body is reachable (only possible for void functions). */
  bodyCompletes: boolean;
}

export interface TypedProgram {
  /** Every function of the snippet, nested ones included (hoisted, with unique names). */
  functions: TypedFunction[];
  /** Top-level statements, in source order. Top-level `let`/`const` are globals. */
  body: Stmt[];
  /** The top-level variables (VariableSymbol.global), in declaration order. */
  globals: VariableSymbol[];
  /** Whether the snippet calls Math.random (the policy granted a seed). */
  usesRandom: boolean;
}
