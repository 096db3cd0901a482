/**
 * The checker proper: walks the acorn AST with an explicit whitelist per node type, resolves every
 * identifier through a scope chain, builds the typed IR (src/typed-program.ts) and the type
 * constraints, solves them, and runs the flow checks (missing returns, use before initialisation,
 * captured variables).
 *
 * Built-in methods and global functions are typed by src/check/members.ts; this file handles the
 * language itself.
 */
import type * as acorn from "acorn";
import { diagnostic, type Diagnostic } from "../diagnostic.js";
import type { SourceComment, StelpProgram } from "../parse.js";
import {
  BOOLEAN,
  DYN,
  NUMBER,
  STRING,
  VOID,
  typeName,
  type AssertExpr,
  type AssignOp,
  type BinaryOp,
  type ClassDecl,
  type ClosureExpr,
  type ConsoleExpr,
  type Expr,
  type FunctionSymbol,
  type IndexExpr,
  type Loc,
  type LValue,
  type MathFunction,
  type Stmt,
  type Type,
  type TypedFunction,
  type TypedProgram,
  type VariableSymbol,
} from "../typed-program.js";
import {
  FORBIDDEN_GLOBALS,
  FORBIDDEN_PROPERTIES,
  MATH_CONSTANTS,
  MATH_FUNCTIONS,
  RESERVED_NAMES,
  UNSUPPORTED_BUILTINS,
  isMathFunction,
} from "./builtins.js";
import { listCompletes } from "./flow.js";
import { findJsDoc, parseJsDoc, type JsDoc } from "./jsdoc.js";
import { Solver, TVar, type Term } from "./solver.js";
import { scanFormat } from "./format.js";
import { Members, type ArgX } from "./members.js";
import { signatureText, type ToolSignature } from "../tools.js";

export interface CheckOptions {
  allowRandom: boolean;
  /** Host tools the embedder registered (src/tools.ts); calls to them are typed against these. */
  tools?: readonly ToolSignature[];
  /** Names of the tools the policy approves (a registered tool outside it is rejected). */
  approvedTools?: ReadonlySet<string>;
  /** Set when the run's engine cannot link host tools: every tool call is rejected with this reason. */
  toolsUnavailable?: string;
  /** Slots (variables, parameters, returns, array elements) that hold values of several types. */
  dynSlots?: ReadonlySet<string>;
  /** Assignment statements `x = e` that start a new variable x (x changes type there). */
  splits?: ReadonlySet<string>;
}

/** Maximum nesting of statements and expressions (deeper input is rejected, not crashed on). */
export const MAX_NESTING = 500;
/** At most this many diagnostics are reported (then one `too-many-diagnostics`). */
export const MAX_DIAGNOSTICS = 50;
/** Parameters one function may declare (see the check in the function collector). */
export const MAX_PARAMETERS = 64;

class TooManyDiagnostics extends Error {}

// ---------------------------------------------------------------------------------------------
// Scopes and bindings

/** A function body (or the program): the unit of "capture" and of initialisation order. */
export interface FnCtx {
  id: number;
  parent: FnCtx | null;
  info: FnInfo | null;
  /** Bindings of enclosing contexts that must be initialised when this function runs. */
  requires: Map<FnCtx, Requirement>;
  /** Call sites (and function-value sites) whose callee is this context's function. */
  callSites: CallRecord[];
}

interface Requirement {
  /** Source offset at which the binding is initialised (end of its declarator). */
  end: number;
  name: string;
  line: number;
}

interface CallRecord {
  caller: FnCtx;
  callee: FnInfo;
  node: acorn.Node;
  /** Inside a try block with a catch (in the caller): an exception stops there. */
  caught: boolean;
  pos: number;
  loc: Loc;
  /** A function value is made here (the call happens later, whenever the value is called). */
  value: boolean;
}

export interface VarBinding {
  kind: "variable";
  sym: VariableSymbol;
  tv: TVar;
  ctx: FnCtx;
  /** Offset where the binding becomes initialised; -1 for parameters. */
  declEnd: number;
  isConst: boolean;
  /** Assigned somewhere after its declaration. */
  assigned: boolean;
  /** Declared in the head of a `for (let …;;)` loop (a fresh copy per iteration in JS). */
  forHead: boolean;
  /** A `var` declared inside a block (accepted as block-scoped only if nothing captures it). */
  nestedVar: boolean;
  /** Used by a nested function. */
  captured: boolean;
  /** Stable key of this slot across re-checks (dyn slots). */
  slot: string;
  /** Reads of the variable, and how many of them are converted with ToNumber (arithmetic operands). */
  reads: number;
  numericReads: number;
}

export interface FnBinding {
  kind: "function";
  info: FnInfo;
  ctx: FnCtx;
  /** -1 for hoisted `function` declarations; end of the declarator for `const f = () => …`. */
  declEnd: number;
}

export interface ClassBinding {
  kind: "class";
  cls: ClassInfo;
  ctx: FnCtx;
  /** Classes are not hoisted: usable after their declaration. */
  declEnd: number;
}

type Binding = VarBinding | FnBinding | ClassBinding;

/** A class of the snippet (top level only; no `extends`, getters, setters or static fields). */
export interface ClassInfo {
  id: number;
  name: string;
  node: acorn.ClassDeclaration;
  decl: ClassDecl;
  /** Fields in creation order: class fields, then `this.f = …` at the top of the constructor. */
  fields: { name: string; tv: TVar; slot: string; node: acorn.Node; classField: acorn.PropertyDefinition | null }[];
  ctor: FnInfo;
  methods: Map<string, FnInfo>;
  statics: Map<string, FnInfo>;
}

export interface FnInfo {
  sym: FunctionSymbol;
  node: acorn.Function;
  params: VarBinding[];
  /** Parameters with a default value, by index (their expressions, checked in the body scope). */
  defaults: (Expr | null)[];
  /** Arguments a call must pass (parameters before the first default). */
  minArgs: number;
  ret: TVar;
  ctx: FnCtx;
  declScope: Scope;
  jsdoc: JsDoc | null;
  valueReturns: number;
  emptyReturns: Loc[];
  body: Stmt[] | null;
  walked: boolean;
  /** Expression-bodied arrow: the return type is the body's type, void included. */
  expressionBody: boolean;
  /** Variables of enclosing functions used here or by functions called from here. */
  captures: Set<VarBinding>;
  /** Function values made from this function. */
  closures: { e: ClosureExpr; params: TVar[]; ret: TVar }[];
  /** A method or constructor: its class (and the `this` binding, once the body is walked). */
  thisClass?: ClassInfo;
  thisBinding?: VarBinding;
}

export class Scope {
  readonly names = new Map<string, Binding>();
  /** typeof-narrowed views of dyn variables in this block: name → narrowed binding. */
  readonly narrowed = new Map<string, { binding: VarBinding; type: Type }>();
  constructor(
    readonly parent: Scope | null,
    readonly ctx: FnCtx,
  ) {}
  lookup(name: string): Binding | null {
    for (let s: Scope | null = this; s; s = s.parent) {
      const b = s.names.get(name);
      if (b) return b;
    }
    return null;
  }
  lookupNarrowed(name: string): { binding: VarBinding; type: Type } | null {
    for (let s: Scope | null = this; s; s = s.parent) {
      const n = s.narrowed.get(name);
      if (n) return n;
      if (s.names.has(name)) return null;
    }
    return null;
  }
}

export interface TExpr {
  e: Expr;
  t: TVar;
  /** A function literal or a function name: can become a callback of any arity. */
  fn?: FnInfo;
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function locOf(node: acorn.Node | null | undefined): Loc {
  if (node && node.loc) return { line: node.loc.start.line, column: node.loc.start.column + 1 };
  return { line: 0, column: 0 };
}

/** AS-safe spelling of a JS identifier: ASCII letters, digits and `_`; others as `_xHEX_`. */
export function mangle(name: string): string {
  let out = "";
  for (const ch of name) {
    if (/^[A-Za-z0-9_]$/.test(ch)) out += ch;
    else out += `_x${ch.codePointAt(0)!.toString(16)}_`;
  }
  return out;
}

const UNSUPPORTED_STATEMENTS: Record<string, [string, string]> = {
  WithStatement: ["with statements", "refer to the variables directly"],
  ClassDeclaration: ["classes here", "declare classes at the top level of the snippet"],
  DebuggerStatement: ["debugger statements", "remove the debugger statement"],
};

const UNSUPPORTED_EXPRESSIONS: Record<string, [string, string]> = {
  ClassExpression: ["classes", "classes are not supported yet: use functions and plain variables"],
  TaggedTemplateExpression: ["tagged templates", "use an untagged template literal `…${x}…` or string concatenation"],
  YieldExpression: ["yield", "generators are not supported: use a loop"],
  ChainExpression: ["optional chaining (?.)", "values are never null or undefined in stelp: use . and direct calls"],
  Super: ["super", "classes are not supported"],
  SpreadElement: ["spread syntax (...)", "spread only in array literals and in calls such as push(...a) and Math.max(...a)"],
  ParenthesizedExpression: ["parenthesized expression", "remove the parentheses"],
};

const CALLBACK_ARITY_HINT = "a callback may declare at most as many parameters as its caller passes";

/** Names assigned anywhere in a subtree (`x = …`, `x += …`, `x++`, `for (x of …)`). */
function collectAssignedNames(root: acorn.Node, out: Set<string>): void {
  const stack: unknown[] = [root];
  let budget = 2_000_000;
  while (stack.length > 0) {
    if (--budget < 0) throw new RangeError("too large");
    const n = stack.pop();
    if (!n || typeof n !== "object") continue;
    if (Array.isArray(n)) {
      for (const c of n) stack.push(c);
      continue;
    }
    const node = n as acorn.Node & Record<string, unknown>;
    if (typeof node.type !== "string") continue;
    if (node.type === "AssignmentExpression") {
      const left = (node as unknown as acorn.AssignmentExpression).left;
      if (left.type === "Identifier") out.add(left.name);
    } else if (node.type === "UpdateExpression") {
      const arg = (node as unknown as acorn.UpdateExpression).argument;
      if (arg.type === "Identifier") out.add(arg.name);
    } else if (node.type === "ForOfStatement" || node.type === "ForInStatement") {
      const left = (node as unknown as acorn.ForOfStatement).left;
      if (left.type === "Identifier") out.add(left.name);
    }
    for (const key of Object.keys(node)) {
      if (key === "loc" || key === "type" || key === "start" || key === "end") continue;
      const v = node[key];
      if (v && typeof v === "object") stack.push(v);
    }
  }
}

/** Identifier references to `name` in a subtree (not property names, not object keys). */
function referencesOutside(root: acorn.Node, name: string, inside: { start: number; end: number }[]): boolean {
  const stack: unknown[] = [root];
  let budget = 2_000_000;
  while (stack.length > 0) {
    if (--budget < 0) return true;
    const n = stack.pop();
    if (!n || typeof n !== "object") continue;
    if (Array.isArray(n)) {
      for (const c of n) stack.push(c);
      continue;
    }
    const node = n as acorn.Node & Record<string, unknown>;
    if (typeof node.type !== "string") continue;
    if (node.type === "Identifier" && (node as unknown as acorn.Identifier).name === name) {
      if (!inside.some((r) => node.start >= r.start && node.end <= r.end)) return true;
      continue;
    }
    if (node.type === "MemberExpression" && !(node as unknown as acorn.MemberExpression).computed) {
      stack.push((node as unknown as acorn.MemberExpression).object);
      continue;
    }
    if (node.type === "Property" && !(node as unknown as acorn.Property).computed && !(node as unknown as acorn.Property).shorthand) {
      stack.push((node as unknown as acorn.Property).value);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (key === "loc" || key === "type" || key === "start" || key === "end") continue;
      const v = node[key];
      if (v && typeof v === "object") stack.push(v);
    }
  }
  return false;
}

/** Names bound by a pattern (identifiers, destructuring). */
function collectPatternNames(p: acorn.Node | null | undefined, out: Set<string>): void {
  if (!p) return;
  switch (p.type) {
    case "Identifier":
      out.add((p as acorn.Identifier).name);
      return;
    case "AssignmentPattern":
      collectPatternNames((p as acorn.AssignmentPattern).left, out);
      return;
    case "RestElement":
      collectPatternNames((p as acorn.RestElement).argument, out);
      return;
    case "ArrayPattern":
      for (const e of (p as acorn.ArrayPattern).elements) collectPatternNames(e, out);
      return;
    case "ObjectPattern":
      for (const prop of (p as acorn.ObjectPattern).properties) collectPatternNames(prop.type === "Property" ? prop.value : prop, out);
      return;
  }
}

/** JavaScript's own-key order: array-index keys ascending, then the others in insertion order. */
export function jsKeyOrder(keys: readonly string[]): string[] {
  const isIndex = (k: string) => /^(0|[1-9]\d{0,9})$/.test(k) && Number(k) <= 4294967294;
  const idx = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...idx, ...keys.filter((k) => !isIndex(k))];
}

/** The identifiers a destructuring pattern declares, in order. */
function patternIdentifiers(p: acorn.Node | null | undefined): acorn.Identifier[] {
  const out: acorn.Identifier[] = [];
  const visit = (n: acorn.Node | null | undefined): void => {
    if (!n) return;
    switch (n.type) {
      case "Identifier":
        out.push(n as acorn.Identifier);
        return;
      case "AssignmentPattern":
        visit((n as acorn.AssignmentPattern).left);
        return;
      case "RestElement":
        visit((n as acorn.RestElement).argument);
        return;
      case "ArrayPattern":
        for (const e of (n as acorn.ArrayPattern).elements) visit(e);
        return;
      case "ObjectPattern":
        for (const prop of (n as acorn.ObjectPattern).properties) visit(prop.type === "Property" ? prop.value : prop);
        return;
    }
  };
  visit(p);
  return out;
}

/** Whether the program has a try statement. */
function containsTry(root: acorn.Node): boolean {
  const stack: unknown[] = [root];
  let budget = 2_000_000;
  while (stack.length > 0) {
    if (--budget < 0) return true;
    const n = stack.pop();
    if (!n || typeof n !== "object") continue;
    if (Array.isArray(n)) {
      for (const c of n) stack.push(c);
      continue;
    }
    const node = n as acorn.Node & Record<string, unknown>;
    if (node.type === "TryStatement") return true;
    for (const key of Object.keys(node)) {
      if (key === "loc") continue;
      const v = node[key];
      if (v && typeof v === "object") stack.push(v);
    }
  }
  return false;
}

/** A return, or a break/continue that leaves the given blocks (not counting nested functions and loops for unlabelled jumps). */
function findLeavingJumps(blocks: acorn.Node[]): acorn.Node | null {
  let found: acorn.Node | null = null;
  const visit = (n: unknown, loopDepth: number, labels: Set<string>, switchDepth = 0): void => {
    if (found || !n || typeof n !== "object") return;
    if (Array.isArray(n)) {
      for (const c of n) visit(c, loopDepth, labels);
      return;
    }
    const node = n as acorn.Node & Record<string, unknown>;
    if (typeof node.type !== "string") return;
    switch (node.type) {
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "ClassDeclaration":
      case "ClassExpression":
        return;
      case "ReturnStatement":
        found = node;
        return;
      case "BreakStatement":
      case "ContinueStatement": {
        const label = (node as unknown as acorn.BreakStatement).label;
        const inside = node.type === "BreakStatement" ? loopDepth + switchDepth > 0 : loopDepth > 0;
        if (label ? !labels.has(label.name) : !inside) found = node;
        return;
      }
      case "LabeledStatement": {
        const inner = new Set(labels);
        inner.add((node as unknown as acorn.LabeledStatement).label.name);
        visit((node as unknown as acorn.LabeledStatement).body, loopDepth, inner);
        return;
      }
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "WhileStatement":
      case "DoWhileStatement":
        for (const key of Object.keys(node)) if (key !== "loc") visit(node[key], loopDepth + 1, labels, switchDepth);
        return;
      case "SwitchStatement":
        for (const key of Object.keys(node)) if (key !== "loc") visit(node[key], loopDepth, labels, switchDepth + 1);
        return;
    }
    for (const key of Object.keys(node)) if (key !== "loc") visit(node[key], loopDepth, labels, switchDepth);
  };
  for (const b of blocks) visit(b, 0, new Set());
  return found;
}

/** Whether ctx is (transitively) nested inside outer. */
function isInside(ctx: FnCtx, outer: FnCtx): boolean {
  for (let c = ctx.parent; c; c = c.parent) if (c === outer) return true;
  return false;
}

/** `var` declarations of a function body (not of nested functions), with their enclosing statement. */
function collectVars(stmts: acorn.Statement[]): { decl: acorn.VariableDeclaration; container: acorn.Node | null }[] {
  const out: { decl: acorn.VariableDeclaration; container: acorn.Node | null }[] = [];
  const visit = (s: acorn.Node | null | undefined, container: acorn.Node | null): void => {
    if (!s || typeof s !== "object") return;
    switch (s.type) {
      case "VariableDeclaration":
        if ((s as acorn.VariableDeclaration).kind === "var") out.push({ decl: s as acorn.VariableDeclaration, container });
        return;
      case "BlockStatement":
        for (const c of (s as acorn.BlockStatement).body) visit(c, s);
        return;
      case "IfStatement": {
        const i = s as acorn.IfStatement;
        visit(i.consequent, i.consequent.type === "BlockStatement" ? i.consequent : i);
        if (i.alternate) visit(i.alternate, i.alternate.type === "BlockStatement" ? i.alternate : i);
        return;
      }
      case "ForStatement": {
        const f = s as acorn.ForStatement;
        if (f.init && f.init.type === "VariableDeclaration") visit(f.init, f);
        visit(f.body, f.body.type === "BlockStatement" ? f.body : f);
        return;
      }
      case "ForInStatement":
      case "ForOfStatement": {
        const f = s as acorn.ForOfStatement;
        if (f.left.type === "VariableDeclaration") visit(f.left, f);
        visit(f.body, f.body.type === "BlockStatement" ? f.body : f);
        return;
      }
      case "WhileStatement":
      case "DoWhileStatement": {
        const w = s as acorn.WhileStatement;
        visit(w.body, w.body.type === "BlockStatement" ? w.body : w);
        return;
      }
      case "LabeledStatement":
        visit((s as acorn.LabeledStatement).body, container);
        return;
      case "SwitchStatement":
        for (const c of (s as acorn.SwitchStatement).cases) for (const x of c.consequent) visit(x, s);
        return;
      case "TryStatement": {
        const t = s as acorn.TryStatement;
        visit(t.block, t.block);
        if (t.handler) visit(t.handler.body, t.handler.body);
        if (t.finalizer) visit(t.finalizer, t.finalizer);
        return;
      }
      default:
        return;
    }
  };
  for (const s of stmts) visit(s, null);
  return out;
}

// ---------------------------------------------------------------------------------------------

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly solver = new Solver();
  private readonly comments: readonly SourceComment[];
  private nextId = 0;
  private readonly usedNames = new Set<string>();
  private readonly nameCounters = new Map<string, number>();
  private readonly exprs: TExpr[] = [];
  private readonly varBindings: VarBinding[] = [];
  readonly fnInfos: FnInfo[] = [];
  private readonly consoles: { e: ConsoleExpr; first: acorn.Node }[] = [];
  private readonly calls: CallRecord[] = [];
  private readonly ctxs: FnCtx[] = [];
  readonly programCtx: FnCtx;
  private readonly globals: VariableSymbol[] = [];
  private readonly assignedNames = new Set<string>();
  /** Slots that turned out to need several types: the caller re-checks with them as dyn. */
  readonly wantDyn = new Set<string>();
  /** Assignment statements that should start a new variable: the caller re-checks with them split. */
  readonly wantSplit = new Set<string>();
  private readonly dynSlots: ReadonlySet<string>;
  private readonly splits: ReadonlySet<string>;
  /** The `x = e;` statement being checked, if x could be split there. */
  private splitCandidate: { stmt: acorn.ExpressionStatement; scope: Scope } | null = null;
  /** Bindings created by splits (old and new): they must not be captured. */
  private readonly splitBindings: { old: VarBinding; fresh: VarBinding; at: acorn.Node }[] = [];
  /** The snippet uses try: exceptions become pending values (see TryStmt). */
  private hasTry = false;
  /** Try blocks with a catch around the current statement (in the current function). */
  private catchDepth = 0;
  /** Functions (contexts) that contain a throw statement. */
  private readonly throwsDirectly = new Set<FnCtx>();
  /** Calls whose result may carry a pending exception, and the statement that checks after them. */
  private readonly checkedCalls = new Map<acorn.Node, Stmt>();
  /** Statement whose top-level expression may be a checked call (while walking it). */
  private statementCalls: acorn.Node[] | null = null;
  /** Initial values of class fields (their declarations' initialisers). */
  private readonly fieldInits = new Map<ClassInfo["fields"][number], Expr>();
  /** Classes of the snippet, by id. */
  readonly classes: ClassInfo[] = [];
  /** Method names of the snippet's classes (a receiver with such a method may be an instance). */
  private readonly userMethodNames = new Set<string>();
  /** Index reads used as numbers (arithmetic operands): on arrays of numbers, out of range reads NaN. */
  private readonly numericIndex = new Set<acorn.Node>();
  private readonly members: Members;
  /** Index reads whose result only feeds an equality or a condition (may read past the end). */
  private lenientIndex = new Set<acorn.Node>();
  usesRandom = false;
  /** Host tools the snippet calls. */
  private readonly usedTools = new Map<string, ToolSignature>();
  /** Host tool calls: each may throw (the tool failed), like a call of a function that throws. */
  private readonly toolCallSites: { caller: FnCtx; node: acorn.Node; name: string; caught: boolean; loc: Loc }[] = [];
  /** `await tool(…)` being checked: the call's site is the await expression. */
  private awaitedCall: { call: acorn.Node; await: acorn.Node } | null = null;
  /** Loops, switches and labelled statements around the current statement (innermost last). */
  private targets: { id: number; kind: "loop" | "switch" | "block"; labels: string[] }[] = [];
  /** Labels of the labelled statement being entered (consumed by the loop it labels). */
  private pendingLabels: string[] = [];
  private nextTargetId = 1;
  /** Case clauses being checked: a binding declared in one case must not be used from another. */
  private readonly caseStack: { switchId: number; index: number }[] = [];
  private readonly caseOf = new Map<Binding, { switchId: number; index: number }>();
  private depth = 0;
  private tooDeepReported = false;
  private errorCount = 0;
  private suppressed = 0;
  /** Per loop nesting: whether we are inside a loop (for `break`/`continue` checks by acorn). */

  constructor(
    private readonly program: acorn.Program,
    readonly options: CheckOptions,
  ) {
    const comments = (program as StelpProgram).comments;
    this.comments = Array.isArray(comments) ? comments : [];
    this.programCtx = this.newCtx(null, null);
    this.dynSlots = options.dynSlots ?? new Set();
    this.splits = options.splits ?? new Set();
    this.members = new Members(this);
  }

  // -------------------------------------------------------------------------------------------
  // Diagnostics

  report(rule: string, message: string, hint: string, at: acorn.Node | Loc | null): void {
    const loc = at === null ? { line: 0, column: 0 } : "type" in at ? locOf(at) : (at as Loc);
    // Drop exact duplicates (same rule at the same place).
    if (this.diagnostics.some((d) => d.rule === rule && d.line === loc.line && d.column === loc.column && d.message === message)) return;
    this.errorCount++;
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.suppressed++;
      if (this.suppressed > 10_000) throw new TooManyDiagnostics();
      return;
    }
    this.diagnostics.push(diagnostic(rule, message, hint, loc, "check"));
  }

  // -------------------------------------------------------------------------------------------
  // Entry

  run(): TypedProgram | null {
    let body: Stmt[] = [];
    try {
      const scope = new Scope(null, this.programCtx);
      if (!this.program || typeof this.program !== "object" || this.program.type !== "Program" || !Array.isArray(this.program.body)) {
        this.report("internal-error", "the checker was not given a parsed program", "pass the AST returned by parse()", null);
        return null;
      }
      collectAssignedNames(this.program, this.assignedNames);
      this.hasTry = containsTry(this.program);
      for (const st of this.program.body) {
        if (st.type !== "ClassDeclaration") continue;
        for (const m of st.body.body) {
          if (m.type === "MethodDefinition" && m.kind === "method" && !m.static && m.key.type === "Identifier") this.userMethodNames.add(m.key.name);
        }
      }
      this.findImplicitGlobals();
      const stmts = this.bodyOf(this.program);
      body = this.statementList(stmts, scope, true, this.program);
      this.solver.drain();
      this.solver.defaultAll(NUMBER);
      this.finishFunctions();
      this.checkInitialisationOrder();
      this.checkExceptions();
      this.checkImplicitGlobalFns();
      this.computeCaptures();
      this.finalizeTypes();
      this.planConsoles();
    } catch (e) {
      if (!(e instanceof TooManyDiagnostics)) throw e;
    }
    if (this.suppressed > 0) {
      this.diagnostics.push(
        diagnostic(
          "too-many-diagnostics",
          `${this.suppressed} more problem(s) not shown`,
          "fix the problems above first",
          { line: 0, column: 0 },
          "check",
          "warning",
        ),
      );
    }
    // `const i = map.get(k); if (i === undefined) …`: the variable must be able to hold undefined.
    let wantsMore = false;
    for (const { b, e } of this.numericInits) {
      const readMayMiss =
        (e.kind === "index" && e.object.type.kind !== "record" && e.object.type.kind !== "tuple") ||
        (e.kind === "member" && e.object.type.kind === "dict") ||
        (e.kind === "method" && ((e.name === "get" && e.object.type.kind === "map") || ((e.name === "find" || e.name === "findLast") && e.object.type.kind === "array")));
      if (readMayMiss && this.undefinedTested.has(b.sym) && !this.dynSlots.has(b.slot) && b.sym.type.kind !== "dyn") {
        this.wantDyn.add(b.slot);
        wantsMore = true;
      }
    }
    if (wantsMore && this.errorCount === 0) {
      this.report("type-mismatch", "a variable holds the undefined of a read that may find nothing", "re-checked with a value of several types", { line: 0, column: 0 });
    }
    if (this.errorCount > 0) {
      // Slots that turned dyn only through inference in this round: the next round knows it from
      // the start (member reads and operators on them then see dyn).
      for (const b of this.varBindings) {
        if (!this.dynSlots.has(b.slot) && this.solver.kindOf(b.tv) === "dyn" && !this.solver.isPoisoned(b.tv)) this.wantDyn.add(b.slot);
      }
      for (const f of this.fnInfos) {
        const slot = `ret:${f.node.start}`;
        if (!this.dynSlots.has(slot) && this.solver.kindOf(f.ret) === "dyn" && !this.solver.isPoisoned(f.ret)) this.wantDyn.add(slot);
      }
      return null;
    }
    const functions: TypedFunction[] = this.fnInfos
      .filter((f) => f.walked)
      .map((f) => ({
        symbol: f.sym,
        body: f.body ?? [],
        bodyCompletes: f.expressionBody ? false : listCompletes(f.body ?? []),
      }));
    const tools = [...this.usedTools.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    return { classes: this.classes.map((c) => c.decl), functions, body, globals: this.globals, usesRandom: this.usesRandom, exceptions: this.hasTry, ...(tools.length > 0 ? { tools } : {}) };
  }

  // -------------------------------------------------------------------------------------------
  // Names and symbols

  private newCtx(parent: FnCtx | null, info: FnInfo | null): FnCtx {
    const ctx: FnCtx = { id: this.ctxs.length, parent, info, requires: new Map(), callSites: [] };
    this.ctxs.push(ctx);
    return ctx;
  }

  emitName(name: string): string {
    const base = "u_" + mangle(name);
    let candidate = base;
    let i = this.nameCounters.get(base) ?? 0;
    while (this.usedNames.has(candidate)) candidate = `${base}_${++i}`;
    this.nameCounters.set(base, i);
    this.usedNames.add(candidate);
    return candidate;
  }

  private newVariable(
    name: string,
    node: acorn.Node,
    scope: Scope,
    opts: { isConst: boolean; declEnd: number; isParam: boolean; forHead?: boolean; nestedVar?: boolean },
  ): VarBinding {
    const global = scope.ctx === this.programCtx && scope.parent === null;
    const sym: VariableSymbol = {
      kind: "variable",
      id: this.nextId++,
      name,
      emitName: this.emitName(name),
      type: NUMBER,
      mutable: !opts.isConst,
      global,
      isParam: opts.isParam,
      boxed: false,
      loc: locOf(node),
    };
    const slot = `var:${node.start}`;
    const b: VarBinding = {
      kind: "variable",
      sym,
      tv: this.dynSlots.has(slot) ? this.solver.fresh(DYN) : this.solver.fresh(),
      ctx: scope.ctx,
      declEnd: opts.declEnd,
      isConst: opts.isConst,
      assigned: false,
      forHead: opts.forHead ?? false,
      nestedVar: opts.nestedVar ?? false,
      captured: false,
      slot,
      reads: 0,
      numericReads: 0,
    };
    this.varBindings.push(b);
    if (global) this.globals.push(sym);
    return b;
  }

  /** A compiler-made local (e.g. the hidden index of a for…of loop is not one: the emitter makes those). */
  private checkDeclaredName(name: string, node: acorn.Node): boolean {
    if (RESERVED_NAMES.has(name)) {
      this.report(
        "reserved-name",
        `\`${name}\` cannot be declared: it is a built-in name`,
        `choose another name, e.g. \`my${name[0]!.toUpperCase()}${name.slice(1)}\``,
        node,
      );
      return false;
    }
    return true;
  }

  private declare(scope: Scope, name: string, binding: Binding, node: acorn.Node): void {
    const existing = scope.names.get(name);
    if (existing) {
      this.report(
        "duplicate-declaration",
        `\`${name}\` is declared twice in the same scope`,
        "rename one of the declarations",
        node,
      );
      return;
    }
    scope.names.set(name, binding);
  }

  // -------------------------------------------------------------------------------------------
  // Hoisting

  /** Whether `const/let/var f = <function>` can be a function binding (never reassigned). */
  private isFunctionBinding(kind: string, name: string, init: acorn.Expression | null | undefined): boolean {
    if (!init || (init.type !== "ArrowFunctionExpression" && init.type !== "FunctionExpression")) return false;
    return kind === "const" || !this.assignedNames.has(name);
  }

  /** Declares the let/const/function names of a statement list before walking it (JS hoisting, TDZ). */
  private hoist(stmts: acorn.Statement[], scope: Scope, nestedVars: Set<acorn.VariableDeclaration> | null = null): void {
    for (const s of stmts) {
      if (!s || typeof s !== "object") continue;
      if (s.type === "VariableDeclaration") {
        if (s.kind === "var" && !(nestedVars && nestedVars.has(s)) && !this.topVars.has(s)) continue; // reported when walked
        for (const d of s.declarations) {
          if (!d) continue;
          if (d.id.type === "ArrayPattern" || d.id.type === "ObjectPattern") {
            for (const id of patternIdentifiers(d.id)) {
              this.checkDeclaredName(id.name, id);
              const b = this.newVariable(id.name, id, scope, { isConst: s.kind === "const", declEnd: d.end, isParam: false, nestedVar: s.kind === "var" && !!nestedVars && nestedVars.has(s) && !this.topVars.has(s) });
              this.declare(scope, id.name, b, id);
            }
            continue;
          }
          if (d.id.type !== "Identifier") continue;
          const name = d.id.name;
          this.checkDeclaredName(name, d.id);
          const init = d.init;
          if (this.isFunctionBinding(s.kind, name, init)) {
            const info = this.newFunction(name, init as acorn.Function, d.id, scope, s);
            this.declare(scope, name, { kind: "function", info, ctx: scope.ctx, declEnd: d.end }, d.id);
          } else {
            const b = this.newVariable(name, d.id, scope, {
              isConst: s.kind === "const",
              declEnd: d.end,
              isParam: false,
              nestedVar: s.kind === "var" && !!nestedVars && nestedVars.has(s) && !this.topVars.has(s),
            });
            this.declare(scope, name, b, d.id);
          }
        }
      } else if (s.type === "FunctionDeclaration") {
        if (!s.id) continue;
        const name = s.id.name;
        this.checkDeclaredName(name, s.id);
        const info = this.newFunction(name, s, s.id, scope, s);
        this.declare(scope, name, { kind: "function", info, ctx: scope.ctx, declEnd: -1 }, s.id);
      } else if (s.type === "ClassDeclaration" && s.id && scope.parent === null && scope.ctx === this.programCtx) {
        const cls = this.declareClass(s, scope);
        if (cls) this.declare(scope, s.id.name, { kind: "class", cls, ctx: scope.ctx, declEnd: s.end }, s.id);
      }
    }
  }

  /** Function bodies (and the program) with implicit-global assignments turned into declarations. */
  private readonly rewritten = new Map<acorn.Node, acorn.Statement[]>();
  /** Functions whose body declares an implicit global (they must not be re-entered). */
  private readonly implicitGlobalFns = new Map<acorn.Node, string>();

  private bodyOf(node: acorn.Program | acorn.BlockStatement): acorn.Statement[] {
    return this.rewritten.get(node) ?? (node.body as acorn.Statement[]);
  }

  /**
   * Sloppy-mode implicit globals: \`s = e;\` (or \`for (k in o)\`) where s is declared nowhere. When
   * that statement is at the top of a function (or of the program), no use of s comes before it, and
   * every use is in that function (not in nested ones), s behaves exactly like \`let s = e;\` in its
   * place, provided the function is never re-entered while s is live (checked after solving).
   */
  private findImplicitGlobals(): void {
    const declared = new Set<string>();
    const refs = new Map<string, { start: number; fn: acorn.Node | null }[]>();
    const fnStack: acorn.Node[] = [];
    const visit = (n: unknown, fn: acorn.Node | null): void => {
      if (!n || typeof n !== "object") return;
      if (Array.isArray(n)) {
        for (const c of n) visit(c, fn);
        return;
      }
      const node = n as acorn.Node & Record<string, unknown>;
      if (typeof node.type !== "string") return;
      if (++budget > 2_000_000) throw new RangeError("too large");
      switch (node.type) {
        case "VariableDeclarator":
          collectPatternNames((node as unknown as acorn.VariableDeclarator).id, declared);
          break;
        case "FunctionDeclaration":
        case "FunctionExpression":
        case "ArrowFunctionExpression": {
          const f = node as unknown as acorn.Function;
          if (f.id) declared.add(f.id.name);
          for (const p of f.params) collectPatternNames(p, declared);
          fnStack.push(node);
          visit(f.params, node);
          visit(f.body, node);
          fnStack.pop();
          return;
        }
        case "ClassDeclaration":
        case "ClassExpression":
          if ((node as unknown as acorn.ClassDeclaration).id) declared.add((node as unknown as acorn.ClassDeclaration).id!.name);
          break;
        case "CatchClause":
          if ((node as unknown as acorn.CatchClause).param) collectPatternNames((node as unknown as acorn.CatchClause).param!, declared);
          break;
        case "Identifier": {
          const name = (node as unknown as acorn.Identifier).name;
          const list = refs.get(name) ?? [];
          list.push({ start: node.start, fn });
          refs.set(name, list);
          return;
        }
        case "MemberExpression":
          visit((node as unknown as acorn.MemberExpression).object, fn);
          if ((node as unknown as acorn.MemberExpression).computed) visit((node as unknown as acorn.MemberExpression).property, fn);
          return;
        case "Property":
          if ((node as unknown as acorn.Property).computed) visit((node as unknown as acorn.Property).key, fn);
          visit((node as unknown as acorn.Property).value, fn);
          return;
        case "LabeledStatement":
          visit((node as unknown as acorn.LabeledStatement).body, fn);
          return;
        case "BreakStatement":
        case "ContinueStatement":
          return;
      }
      for (const key of Object.keys(node)) {
        if (key === "loc" || key === "type" || key === "start" || key === "end") continue;
        visit(node[key], fn);
      }
    };
    let budget = 0;
    visit(this.program.body, null);
    void fnStack;
    const known = (name: string) =>
      declared.has(name) ||
      FORBIDDEN_GLOBALS.has(name) ||
      UNSUPPORTED_BUILTINS.has(name) ||
      RESERVED_NAMES.has(name) ||
      this.members.isBuiltinGlobal(name) ||
      ["Math", "console", "JSON", "Number", "String", "Array", "Object", "Set", "Map", "NaN", "Infinity", "undefined"].includes(name);
    const consider = (body: acorn.Statement[], owner: acorn.Program | acorn.BlockStatement, fn: acorn.Node | null): void => {
      let out: acorn.Statement[] | null = null;
      body.forEach((st, i) => {
        let name: string | null = null;
        let replacement: acorn.Statement | null = null;
        if (st.type === "ExpressionStatement" && st.expression.type === "AssignmentExpression" && st.expression.operator === "=" && st.expression.left.type === "Identifier") {
          name = st.expression.left.name;
          const decl = {
            type: "VariableDeclaration",
            kind: "let",
            start: st.start,
            end: st.end,
            loc: st.loc,
            declarations: [{ type: "VariableDeclarator", id: st.expression.left, init: st.expression.right, start: st.expression.start, end: st.expression.end, loc: st.expression.loc }],
          };
          replacement = decl as unknown as acorn.Statement;
        } else if ((st.type === "ForInStatement" || st.type === "ForOfStatement") && st.left.type === "Identifier") {
          name = st.left.name;
          const left = st.left;
          const decl = {
            type: "VariableDeclaration",
            kind: "let",
            start: left.start,
            end: left.end,
            loc: left.loc,
            declarations: [{ type: "VariableDeclarator", id: left, init: null, start: left.start, end: left.end, loc: left.loc }],
          };
          replacement = { ...st, left: decl } as unknown as acorn.Statement;
        }
        if (!name || !replacement || known(name)) return;
        const uses = refs.get(name) ?? [];
        const first = Math.min(...uses.map((u) => u.start));
        const idStart = st.type === "ExpressionStatement" ? (st.expression as acorn.AssignmentExpression).left.start : (st as acorn.ForInStatement).left.start;
        if (first !== idStart) return;
        if (fn !== null) {
          // Every use inside this function's own body (not nested functions).
          if (!uses.every((u) => u.fn === fn)) return;
        } else if (!uses.every((u) => u.fn !== null || u.start >= idStart)) {
          return;
        }
        if (st.type !== "ExpressionStatement" && !uses.every((u) => u.start >= st.start && u.start < st.end)) return;
        declared.add(name);
        if (!out) out = [...body];
        out[i] = replacement;
        if (fn) this.implicitGlobalFns.set(fn, name);
      });
      if (out) this.rewritten.set(owner, out);
    };
    consider(this.program.body as acorn.Statement[], this.program, null);
    const walkFns = (n: unknown): void => {
      if (!n || typeof n !== "object") return;
      if (Array.isArray(n)) {
        for (const c of n) walkFns(c);
        return;
      }
      const node = n as acorn.Node & Record<string, unknown>;
      if (typeof node.type !== "string") return;
      if ((node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression") && (node as unknown as acorn.Function).body.type === "BlockStatement") {
        const body = (node as unknown as acorn.Function).body as acorn.BlockStatement;
        consider(body.body, body, node);
      }
      for (const key of Object.keys(node)) {
        if (key === "loc" || key === "type" || key === "start" || key === "end") continue;
        walkFns(node[key]);
      }
    };
    walkFns(this.program.body);
  }

  /** Functions with implicit globals must not be re-entered (the global would be shared). */
  private checkImplicitGlobalFns(): void {
    for (const [fnNode, name] of this.implicitGlobalFns) {
      const info = this.fnInfos.find((f) => f.node === fnNode);
      if (!info) continue;
      // Can info reach itself through calls or function values?
      const seen = new Set<FnInfo>();
      const stack: FnInfo[] = this.calls.filter((c) => c.caller === info.ctx).map((c) => c.callee);
      let reentrant = false;
      while (stack.length > 0) {
        const f = stack.pop()!;
        if (f === info) {
          reentrant = true;
          break;
        }
        if (seen.has(f)) continue;
        seen.add(f);
        for (const c of this.calls) if (c.caller === f.ctx || isInside(c.caller, f.ctx)) stack.push(c.callee);
      }
      if (reentrant) {
        this.report(
          "undeclared-identifier",
          `\`${name}\` is not declared (it becomes a global that the recursive \`${info.sym.name}\` shares between calls)`,
          `declare it: \`let ${name} = …\``,
          info.sym.loc,
        );
      }
    }
  }

  /** \`var\` declarations accepted at the top of their function (declared like \`let\` there). */
  private readonly topVars = new Set<acorn.VariableDeclaration>();
  /** `var` declarations accepted as block-scoped (every use is inside their block). */
  private readonly blockVars = new Set<acorn.VariableDeclaration>();
  /** `var` declarations that are not equivalent to `let` (reported when walked). */
  private readonly badVars = new Map<acorn.VariableDeclaration, [string, string]>();

  /**
   * Decides, for the `var` declarations of one function body, whether each behaves exactly like a
   * `let` in its place: at the top of the function, or inside a block that contains every use of the
   * name. Anything else (redeclarations, uses outside the block) is rejected.
   */
  private classifyVars(stmts: acorn.Statement[], fnRoot: acorn.Node): void {
    const vars = collectVars(stmts);
    const byName = new Map<string, { decl: acorn.VariableDeclaration; container: acorn.Node | null }[]>();
    for (const v of vars) {
      for (const d of v.decl.declarations) {
        if (d.id.type !== "Identifier") continue;
        const list = byName.get(d.id.name) ?? [];
        list.push(v);
        byName.set(d.id.name, list);
      }
    }
    for (const [name, list] of byName) {
      const top = list.filter((v) => v.container === null);
      if (list.length > 1 && top.length > 0) {
        for (const v of list.slice(1)) {
          this.badVars.set(v.decl, [
            `\`var ${name}\` is declared again (var redeclarations share one variable)`,
            `declare \`${name}\` once with let, and assign it afterwards`,
          ]);
        }
        if (top[0] === list[0]) this.topVars.add(list[0]!.decl);
        continue;
      }
      if (top.length === 1) {
        this.topVars.add(top[0]!.decl);
        continue;
      }
      // Block-level vars: every use must be inside one of the declaring blocks, blocks disjoint.
      const ranges = list.map((v) => ({ start: v.container!.start, end: v.container!.end }));
      const disjoint = ranges.every((r, i) => ranges.every((q, j) => i === j || r.end <= q.start || q.end <= r.start));
      const noInit = list.find((v) => v.decl.declarations.some((d) => d.id.type === "Identifier" && d.id.name === name && !d.init));
      if (!disjoint || referencesOutside(fnRoot, name, ranges) || noInit) {
        for (const v of list) {
          this.badVars.set(v.decl, [
            `\`var ${name}\` is used outside the block that declares it (var is function-scoped)`,
            `declare \`${name}\` with let at the top of the function (or in the block, if only the block uses it)`,
          ]);
        }
        continue;
      }
      for (const v of list) this.blockVars.add(v.decl);
    }
  }

  /**
   * A class declaration: its fields (class fields, then the `this.f = …` statements at the top of the
   * constructor, in that order, which is the order JS creates them in), constructor, methods and
   * static methods. Bodies are walked where the declaration stands.
   */
  private declareClass(node: acorn.ClassDeclaration, scope: Scope): ClassInfo | null {
    const name = node.id!.name;
    this.checkDeclaredName(name, node.id!);
    if (node.superClass) {
      this.report("unsupported-syntax", "class inheritance (`extends`) is not supported", "put the fields and methods in one class, or use composition (a field holding the other object)", node.superClass);
      return null;
    }
    const id = this.classes.length;
    const decl: ClassDecl = { id, name, emitName: `C_${mangle(name)}_${id}`, fields: [], constructor: null, methods: [], hasToString: false };
    const cls: ClassInfo = { id, name, node, decl, fields: [], ctor: null as unknown as FnInfo, methods: new Map(), statics: new Map() };
    this.classes.push(cls);
    const term = (): TVar => this.solver.fresh({ kind: "class", id, name });
    const addField = (fname: string, at: acorn.Node, classField: acorn.PropertyDefinition | null): void => {
      if (cls.fields.some((f) => f.name === fname)) return;
      const slot = `cfield:${node.start}:${fname}`;
      cls.fields.push({ name: fname, tv: this.dynSlots.has(slot) ? this.solver.fresh(DYN) : this.solver.fresh(), slot, node: at, classField });
    };
    let ctorNode: acorn.FunctionExpression | null = null;
    const methodNode = (m: acorn.MethodDefinition | acorn.PropertyDefinition): string | null => {
      if (m.computed || m.key.type === "PrivateIdentifier") {
        this.report("unsupported-syntax", "computed and private (#) class members are not supported", "use a plain name", m.key);
        return null;
      }
      const key = m.key.type === "Identifier" ? m.key.name : m.key.type === "Literal" ? String(m.key.value) : null;
      if (key === null) return null;
      if (FORBIDDEN_PROPERTIES.has(key) && !(m.type === "MethodDefinition" && m.kind === "constructor")) {
        this.report("forbidden-property", `a member named \`${key}\` is not allowed`, "use another name", m.key);
        return null;
      }
      return key;
    };
    for (const m of node.body.body) {
      if (m.type === "StaticBlock") {
        this.report("unsupported-syntax", "static blocks are not supported", "initialise at the top level instead", m);
        continue;
      }
      const key = methodNode(m);
      if (key === null) continue;
      if (m.type === "PropertyDefinition") {
        if (m.static) {
          this.report("unsupported-syntax", "static fields are not supported", "use a top-level constant", m);
          continue;
        }
        addField(key, m.key, m);
        continue;
      }
      if (m.kind === "get" || m.kind === "set") {
        this.report("unsupported-syntax", "getters and setters are not supported", "use a method, e.g. `getArea()`", m);
        continue;
      }
      if (m.kind === "constructor") {
        ctorNode = m.value;
        continue;
      }
      const info = this.newFunction(key, m.value, m.key, scope, m);
      info.sym.emitName = `u_${mangle(key)}`;
      if (m.static) {
        info.sym.method = { classId: id, kind: "static" };
        info.sym.emitName = `${decl.emitName}_${mangle(key)}`;
        cls.statics.set(key, info);
      } else {
        info.sym.method = { classId: id, kind: "method" };
        info.thisClass = cls;
        if (cls.methods.has(key)) this.report("duplicate-declaration", `method \`${key}\` is declared twice`, "rename one", m.key);
        cls.methods.set(key, info);
        this.userMethodNames.add(key);
        if (key === "toString") decl.hasToString = true;
      }
    }
    // Fields the constructor creates: `this.f = …;` statements directly in its body.
    if (ctorNode) {
      for (const st of ctorNode.body.body) {
        if (st.type === "ExpressionStatement" && st.expression.type === "AssignmentExpression" && st.expression.operator === "=") {
          const left = st.expression.left;
          if (left.type === "MemberExpression" && left.object.type === "ThisExpression" && !left.computed && left.property.type === "Identifier") addField(left.property.name, left.property, null);
        }
      }
    }
    const fnNode: acorn.FunctionExpression =
      ctorNode ??
      ({ type: "FunctionExpression", id: null, params: [], body: { type: "BlockStatement", body: [], start: node.start, end: node.end, loc: node.loc }, start: node.start, end: node.end, loc: node.loc, generator: false, async: false, expression: false } as unknown as acorn.FunctionExpression);
    const ctor = this.newFunction(name, fnNode, node.id!, scope, node);
    ctor.sym.method = { classId: id, kind: "constructor" };
    ctor.sym.emitName = "constructor";
    ctor.thisClass = cls;
    cls.ctor = ctor;
    decl.constructor = ctor.sym;
    void term;
    return cls;
  }

  /** The type of `this` in a class's methods. */
  classTerm(cls: ClassInfo): TVar {
    return this.solver.fresh({ kind: "class", id: cls.id, name: cls.name });
  }

  classById(id: number): ClassInfo | undefined {
    return this.classes[id];
  }

  isUserMethodName(name: string): boolean {
    return this.userMethodNames.has(name);
  }

  /** `new C(args)`: the constructor's parameters take the arguments (missing ones are undefined). */
  newInstance(node: acorn.NewExpression, cls: ClassInfo, scope: Scope): TExpr {
    const loc = locOf(node);
    const info = cls.ctor;
    const argx = this.args(node.arguments, scope);
    if (argx.some((a) => a.spread)) {
      this.report("unsupported-syntax", "spread arguments in `new` are not supported", "pass the arguments explicitly", node);
      return this.bad(node);
    }
    while (argx.length < info.minArgs && info.params.length === info.node.params.length) argx.push({ x: this.unit("undefined", node), spread: false, node });
    if (argx.length > info.params.length) {
      this.report("argument-count", `\`new ${cls.name}\` takes ${info.params.length} argument(s) but is given ${argx.length}`, "pass one argument per constructor parameter", node);
      return this.bad(node);
    }
    const args = argx.map((a, i) => {
      const p = info.params[i]!;
      return this.flow(a.x, p.tv, a.node, p.slot, (pt, at) => `argument ${i + 1} of \`new ${cls.name}\` is a ${typeName(at)} but parameter \`${p.sym.name}\` is a ${typeName(pt)}`, "");
    });
    this.recordCall(scope.ctx, info, node, false);
    return this.make({ kind: "new", classId: cls.id, args, type: NUMBER, loc }, this.classTerm(cls));
  }

  newFunction(name: string, node: acorn.Function, idNode: acorn.Node, scope: Scope, docNode: acorn.Node): FnInfo {
    const sym: FunctionSymbol = {
      kind: "function",
      id: this.nextId++,
      name,
      emitName: this.emitName(name),
      params: [],
      defaults: [],
      returnType: VOID,
      captures: [],
      valueArities: [],
      loc: locOf(idNode),
    };
    const retSlot = `ret:${node.start}`;
    const info: FnInfo = {
      sym,
      node,
      params: [],
      defaults: [],
      minArgs: 0,
      ret: this.dynSlots.has(retSlot) ? this.solver.fresh(DYN) : this.solver.fresh(),
      ctx: null as unknown as FnCtx,
      declScope: scope,
      jsdoc: null,
      valueReturns: 0,
      emptyReturns: [],
      body: null,
      walked: false,
      expressionBody: node.type === "ArrowFunctionExpression" && node.expression,
      captures: new Set(),
      closures: [],
    };
    info.ctx = this.newCtx(scope.ctx, info);
    this.fnInfos.push(info);
    const comment = findJsDoc(this.comments, docNode.start);
    info.jsdoc = comment ? parseJsDoc(comment) : null;
    // Parameters (their scope is created when the body is walked; the symbols exist now so that
    // calls before the declaration can constrain their types).
    const bodyScope = new Scope(scope, info.ctx);
    const seen = new Set<string>();
    let sawDefault = false;
    if (node.params.length > MAX_PARAMETERS) {
      // Wasm engines cap a function's parameters (V8 at 1000, with closures' captures added), and
      // wide frames exhaust an engine's native stack before the metered call depth: with 64
      // parameters, 2000 nested calls still stop at the meter, with the same fuel on every engine.
      this.report(
        "input-too-complex",
        `\`${sym.name}\` declares ${node.params.length} parameters; the limit is ${MAX_PARAMETERS}`,
        "pass the values in an array or an object instead",
        node,
      );
    }
    for (const p of node.params) {
      if (p.type === "ArrayPattern" || p.type === "ObjectPattern") {
        // A destructured parameter: a hidden parameter, destructured at the start of the body.
        const b = this.newVariable("arg", p, bodyScope, { isConst: false, declEnd: -1, isParam: true });
        info.params.push(b);
        sym.params.push(b.sym);
        if (!sawDefault) info.minArgs = info.params.length;
        continue;
      }
      const id = p.type === "AssignmentPattern" && p.left.type === "Identifier" ? p.left : p.type === "Identifier" ? p : null;
      if (!id) continue; // reported when the body is walked
      const pname = id.name;
      if (seen.has(pname)) {
        this.report("duplicate-declaration", `parameter \`${pname}\` is declared twice`, "rename one of the parameters", id);
        continue;
      }
      seen.add(pname);
      this.checkDeclaredName(pname, id);
      const b = this.newVariable(pname, id, bodyScope, { isConst: false, declEnd: -1, isParam: true });
      info.params.push(b);
      sym.params.push(b.sym);
      if (p.type === "AssignmentPattern") sawDefault = true;
      else if (!sawDefault) info.minArgs = info.params.length;
      const tag = info.jsdoc?.params.get(pname);
      // A documented type is a promise: the parameter never becomes a value of several types.
      if (tag) b.tv = this.solver.fresh();
      if (tag) {
        if (tag.type === null) {
          this.report(
            "unsupported-type",
            `JSDoc type {${tag.text}} of parameter \`${pname}\` is not supported`,
            "stelp supports the types number, string, boolean and arrays of them (write e.g. {number} or {number[]})",
            tag.loc,
          );
          this.solver.poison(b.tv);
        } else {
          this.solver.assign(b.tv, tag.type, `JSDoc on line ${tag.loc.line}`);
        }
      }
    }
    const rtag = info.jsdoc?.returns;
    if (rtag) info.ret = this.solver.fresh();
    if (rtag) {
      if (rtag.type === null) {
        this.report(
          "unsupported-type",
          `JSDoc return type {${rtag.text}} of \`${name}\` is not supported`,
          "stelp supports the types number, string, boolean, void and arrays of them (write e.g. {number})",
          rtag.loc,
        );
        this.solver.poison(info.ret);
      } else {
        this.solver.assign(info.ret, rtag.type, `JSDoc on line ${rtag.loc.line}`);
      }
    }
    return info;
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  enter(node: acorn.Node): boolean {
    this.depth++;
    if (this.depth > MAX_NESTING) {
      if (!this.tooDeepReported) {
        this.tooDeepReported = true;
        this.report(
          "input-too-complex",
          `the code is nested more than ${MAX_NESTING} levels deep`,
          "flatten it: use intermediate variables, early returns or helper functions",
          node,
        );
      }
      this.depth--;
      return false;
    }
    return true;
  }

  leave(): void {
    this.depth--;
  }

  private statementList(stmts: acorn.Statement[], scope: Scope, isFunctionTop: boolean, fnRoot: acorn.Node | null = null): Stmt[] {
    if (isFunctionTop && fnRoot) this.classifyVars(stmts, fnRoot);
    this.hoist(stmts, scope, this.blockVars);
    const out: Stmt[] = [];
    for (const s of stmts) this.statement(s, scope, out, isFunctionTop);
    return out;
  }

  /** The body of if/while/for: a block, or a single statement in its own scope. */
  private nestedBody(node: acorn.Statement, scope: Scope): Stmt[] {
    const inner = new Scope(scope, scope.ctx);
    if (node.type === "BlockStatement") {
      if (!this.enter(node)) return [];
      try {
        return this.statementList(node.body, inner, false);
      } finally {
        this.depth--;
      }
    }
    return this.statementList([node], inner, false);
  }

  private statement(node: acorn.Statement, scope: Scope, out: Stmt[], isFunctionTop: boolean): void {
    if (!node || typeof node !== "object") return;
    if (!this.enter(node)) return;
    try {
      this.statementInner(node, scope, out, isFunctionTop);
    } finally {
      this.depth--;
    }
  }

  private statementInner(node: acorn.Statement, scope: Scope, out: Stmt[], isFunctionTop: boolean): void {
    const loc = locOf(node);
    switch (node.type) {
      case "ExpressionStatement": {
        if (node.directive !== undefined) return; // "use strict" and friends: no effect here
        const ex = node.expression;
        if (ex.type === "AssignmentExpression" && ex.operator === "=" && (ex.left.type === "ArrayPattern" || ex.left.type === "ObjectPattern")) {
          // `[a, b] = [b, a];`: the value first (into a hidden constant), then each target.
          const x = this.value(ex.right, scope);
          const inner = new Scope(scope, scope.ctx);
          const hidden = this.newVariable("destructured", ex.left, inner, { isConst: true, declEnd: node.end, isParam: false });
          this.solver.unify(hidden.tv, x.t);
          const body: Stmt[] = [{ kind: "var-decl", loc, symbol: hidden.sym, init: x.e }];
          this.bindPattern(ex.left, hidden, inner, body, "assign");
          out.push({ kind: "block", loc, body });
          return;
        }
        if (ex.type === "AssignmentExpression" && ex.operator === "=" && ex.left.type === "Identifier") {
          const b = scope.names.get(ex.left.name);
          if (b && b.kind === "variable" && !b.isConst) {
            if (this.splits.has(`split:${node.start}`)) {
              this.split(node, ex, b, scope, out);
              return;
            }
            this.splitCandidate = { stmt: node, scope };
          }
        }
        try {
          // `x = f();` (a plain variable: if f throws, x keeps its value) or `f();`.
          const calls = [ex, ...(ex.type === "AssignmentExpression" && ex.operator === "=" && ex.left.type === "Identifier" ? [ex.right] : [])];
          const x = this.expression(ex, scope, true, true);
          const st: Stmt = { kind: "expr", loc, expr: x.e };
          for (const c of calls) this.checkedCalls.set(c, st);
          out.push(st);
        } finally {
          this.splitCandidate = null;
        }
        return;
      }
      case "VariableDeclaration":
        this.variableDeclaration(node, scope, out);
        return;
      case "FunctionDeclaration": {
        if (!isFunctionTop) {
          this.report(
            "unsupported-syntax",
            "function declarations inside blocks are not supported",
            "declare the function at the top level of the snippet or of the enclosing function",
            node,
          );
          return;
        }
        const b = node.id ? scope.names.get(node.id.name) : undefined;
        if (b && b.kind === "function" && b.info.node === node) this.functionBody(b.info);
        return;
      }
      case "ReturnStatement": {
        const info = scope.ctx.info;
        if (!info) return; // acorn rejects top-level return
        if (node.argument) {
          const x = this.expression(node.argument, scope, true);
          info.valueReturns++;
          const v = this.flow(x, info.ret, node.argument, `ret:${info.node.start}`, (fnT, valT) =>
            `\`${info.sym.name}\` returns a ${typeName(valT)} here but a ${typeName(fnT)} elsewhere`,
            "a function must always return values of one type",
          );
          const st: Stmt = { kind: "return", loc, value: v };
          this.checkedCalls.set(node.argument, st);
          out.push(st);
        } else {
          info.emptyReturns.push(loc);
          out.push({ kind: "return", loc, value: null });
        }
        return;
      }
      case "IfStatement": {
        const test = this.condition(node.test, scope);
        const narrowed = this.typeofNarrowing(node.test, scope);
        const inner = narrowed ? narrowed : scope;
        const consequent = this.nestedBody(node.consequent, inner);
        const alternate = node.alternate ? this.nestedBody(node.alternate, scope) : null;
        out.push({ kind: "if", loc, test, consequent, alternate });
        return;
      }
      case "WhileStatement": {
        const id = this.enterTarget("loop");
        try {
          const test = this.condition(node.test, scope);
          const body = this.nestedBody(node.body, scope);
          out.push({ kind: "while", id, loc, test, body });
        } finally {
          this.targets.pop();
        }
        return;
      }
      case "DoWhileStatement": {
        const id = this.enterTarget("loop");
        try {
          const body = this.nestedBody(node.body, scope);
          const test = this.condition(node.test, scope);
          out.push({ kind: "do-while", id, loc, body, test });
        } finally {
          this.targets.pop();
        }
        return;
      }
      case "SwitchStatement":
        this.switchStatement(node, scope, out);
        return;
      case "TryStatement":
        this.tryStatement(node, scope, out);
        return;
      case "ClassDeclaration": {
        const b = node.id ? scope.names.get(node.id.name) : undefined;
        if (b && b.kind === "class" && b.cls.node === node) {
          this.functionBody(b.cls.ctor);
          for (const m of b.cls.methods.values()) this.functionBody(m);
          for (const m of b.cls.statics.values()) this.functionBody(m);
          return;
        }
        if (node.superClass && scope.parent === null && scope.ctx === this.programCtx) return; // reported when declared
        this.otherStatement(node, out);
        return;
      }
      case "ThrowStatement": {
        if (this.catchDepth === 0) this.throwsDirectly.add(scope.ctx);
        const arg = node.argument;
        const errors = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"];
        if ((arg.type === "NewExpression" || arg.type === "CallExpression") && arg.callee.type === "Identifier" && errors.includes(arg.callee.name) && !scope.lookup(arg.callee.name)) {
          if (arg.arguments.length > 1 || arg.arguments.some((a) => a.type === "SpreadElement")) {
            this.report("argument-count", `\`${arg.callee.name}\` takes a message`, "throw new Error(\"message\")", arg);
            return;
          }
          let value: Expr | null = null;
          if (arg.arguments[0]) {
            const m = this.value(arg.arguments[0], scope);
            this.members.requireStringable(m, arg.arguments[0], "an error message");
            value = m.e;
          }
          out.push({ kind: "throw", loc, errorName: arg.callee.name, value });
          return;
        }
        const x = this.value(arg, scope);
        this.members.requireStringable(x, arg, "a thrown value");
        out.push({ kind: "throw", loc, errorName: null, value: x.e });
        return;
      }
      case "LabeledStatement": {
        const labels: string[] = [];
        let body: acorn.Statement = node;
        while (body.type === "LabeledStatement") {
          labels.push(body.label.name);
          body = body.body;
        }
        if (/^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(body.type)) {
          this.pendingLabels = labels;
          this.statementInner(body, scope, out, false);
          return;
        }
        this.pendingLabels = labels;
        const id = this.enterTarget("block");
        try {
          const inner = this.nestedBody(body, scope);
          out.push({ kind: "labeled", id, loc, body: inner });
        } finally {
          this.targets.pop();
        }
        return;
      }
      case "ForStatement": {
        const id = this.enterTarget("loop");
        try {
          this.forStatement(node, scope, out, id);
        } finally {
          this.targets.pop();
        }
        return;
      }
      case "ForOfStatement":
      case "ForInStatement": {
        const id = this.enterTarget("loop");
        try {
          this.forOfIn(node, scope, out, id);
        } finally {
          this.targets.pop();
        }
        return;
      }
      case "BlockStatement": {
        const body = this.statementList(node.body, new Scope(scope, scope.ctx), false);
        out.push({ kind: "block", loc, body });
        return;
      }
      case "EmptyStatement":
        return;
      case "BreakStatement":
      case "ContinueStatement": {
        const isBreak = node.type === "BreakStatement";
        let target: number | null = null;
        for (let i = this.targets.length - 1; i >= 0; i--) {
          const t = this.targets[i]!;
          if (node.label ? t.labels.includes(node.label.name) : isBreak ? t.kind !== "block" : t.kind === "loop") {
            target = t.id;
            break;
          }
        }
        if (target === null) {
          this.report("unsupported-syntax", `this ${isBreak ? "break" : "continue"} has no target`, "break out of a loop, a switch or a labelled statement", node);
          return;
        }
        out.push(isBreak ? { kind: "break", loc, target } : { kind: "continue", loc, target });
        return;
      }
      default:
        this.otherStatement(node, out);
    }
  }

  /**
   * `try { … } catch (e) { … } finally { … }`: the caught value is a value of several types (an Error
   * thrown with `new Error(…)` has `message` and `name`). With a finally block, the try and catch
   * blocks may not leave it with return, break or continue.
   */
  private tryStatement(node: acorn.TryStatement, scope: Scope, out: Stmt[]): void {
    const loc = locOf(node);
    if (node.finalizer) {
      const leaves = findLeavingJumps([node.block, ...(node.handler ? [node.handler.body] : [])]);
      if (leaves) {
        this.report("unsupported-syntax", "return, break or continue inside try/catch with a finally block is not supported", "set a variable and leave after the try statement", leaves);
        return;
      }
    }
    const id = this.enterTarget("block");
    let block: Stmt[];
    if (node.handler) this.catchDepth++;
    try {
      block = this.statementList(node.block.body, new Scope(scope, scope.ctx), false);
    } finally {
      this.targets.pop();
      if (node.handler) this.catchDepth--;
    }
    const handlerId = this.nextTargetId++;
    let handler: { param: VariableSymbol | null; body: Stmt[] } | null = null;
    if (node.handler) {
      const hs = new Scope(scope, scope.ctx);
      let param: VariableSymbol | null = null;
      const p = node.handler.param;
      if (p) {
        if (p.type !== "Identifier") {
          this.report("unsupported-syntax", "destructuring the caught value is not supported", "catch (e) and read e.message", p);
          return;
        }
        this.checkDeclaredName(p.name, p);
        const b = this.newVariable(p.name, p, hs, { isConst: false, declEnd: -1, isParam: false });
        this.solver.unify(b.tv, this.solver.fresh(DYN));
        hs.names.set(p.name, b);
        param = b.sym;
      }
      this.targets.push({ id: handlerId, kind: "block", labels: [] });
      try {
        handler = { param, body: this.statementList(node.handler.body.body, hs, false) };
      } finally {
        this.targets.pop();
      }
    }
    const finalizer = node.finalizer ? this.statementList(node.finalizer.body, new Scope(scope, scope.ctx), false) : null;
    out.push({ kind: "try", id, handlerId, loc, block, handler, finalizer });
  }

  /**
   * After solving: which functions may throw (directly, or by calling one that may), and checks that
   * every call of one is a statement's own call (`f();`, `x = f();`, `let y = f();`, `return f();`),
   * where the emitter checks for a pending exception right after it.
   */
  private checkExceptions(): void {
    if (!this.hasTry) return;
    const may = new Set<FnInfo>();
    for (const f of this.fnInfos) if (this.throwsDirectly.has(f.ctx)) may.add(f);
    for (const t of this.toolCallSites) if (!t.caught && t.caller.info) may.add(t.caller.info);
    let changed = true;
    while (changed) {
      changed = false;
      for (const c of this.calls) {
        if (c.value || c.caught || !may.has(c.callee)) continue;
        const callerInfo = c.caller.info;
        if (callerInfo && !may.has(callerInfo)) {
          may.add(callerInfo);
          changed = true;
        }
      }
    }
    for (const c of this.calls) {
      if (!may.has(c.callee)) continue;
      if (c.value) {
        this.report("unsupported-syntax", `\`${c.callee.sym.name}\` may throw, so it cannot be used as a function value`, "call it directly, and catch its exceptions where you call it", c.loc);
        continue;
      }
      const st = this.checkedCalls.get(c.node);
      if (!st) {
        this.report("unsupported-syntax", `\`${c.callee.sym.name}\` may throw: call it as a statement of its own`, `store its result first: \`const r = ${c.callee.sym.name}(…);\`, then use r`, c.loc);
        continue;
      }
      (st as { mayThrow?: boolean }).mayThrow = true;
    }
    // A tool call may throw wherever it is (the tool can fail): the same rules as a throwing call.
    for (const t of this.toolCallSites) {
      const st = this.checkedCalls.get(t.node);
      if (!st) {
        this.report("unsupported-syntax", `the tool \`${t.name}\` may throw (this snippet uses try): call it as a statement of its own`, `store its result first: \`const r = ${t.name}(…);\`, then use r`, t.loc);
        continue;
      }
      (st as { mayThrow?: boolean }).mayThrow = true;
    }
    const throwing = [
      ...this.calls.filter((c) => may.has(c.callee) && !c.value).map((c) => ({ node: c.node, name: c.callee.sym.name, loc: c.loc })),
      ...this.toolCallSites.map((t) => ({ node: t.node, name: t.name, loc: t.loc })),
    ];
    for (const c of this.toolCallSites) {
      if (!this.checkedCalls.has(c.node)) continue;
      for (const d of throwing) {
        if (d.node !== c.node && d.node.start >= c.node.start && d.node.end <= c.node.end) {
          this.report("unsupported-syntax", `\`${d.name}\` may throw: call it as a statement of its own, not inside another call`, "store its result in a variable first", d.loc);
        }
      }
    }
    // A call's arguments must not contain another call that may throw.
    for (const c of this.calls) {
      if (!may.has(c.callee) || !this.checkedCalls.has(c.node)) continue;
      for (const d of throwing) {
        if (d.node !== c.node && d.node.start > c.node.start && d.node.end <= c.node.end) {
          this.report("unsupported-syntax", `\`${d.name}\` may throw: call it as a statement of its own, not inside another call`, "store its result in a variable first", d.loc);
        }
      }
    }
  }

  private enterTarget(kind: "loop" | "switch" | "block"): number {
    const id = this.nextTargetId++;
    this.targets.push({ id, kind, labels: this.pendingLabels });
    this.pendingLabels = [];
    return id;
  }

  /**
   * `switch`: the discriminant is kept in a hidden constant; the case clauses share one scope, but a
   * binding declared in one clause may not be used from another (JS would throw if that clause ran
   * without the declaring one).
   */
  private switchStatement(node: acorn.SwitchStatement, scope: Scope, out: Stmt[]): void {
    const loc = locOf(node);
    const d = this.value(node.discriminant, scope);
    const inner = new Scope(scope, scope.ctx);
    const hidden = this.newVariable("switch", node, inner, { isConst: true, declEnd: node.discriminant.end, isParam: false });
    this.solver.unify(hidden.tv, d.t);
    const decl: Stmt = { kind: "var-decl", loc, symbol: hidden.sym, init: d.e };
    const id = this.enterTarget("switch");
    try {
      const all = node.cases.flatMap((c) => c.consequent);
      const before = new Set(inner.names.values());
      this.hoist(all, inner, this.blockVars);
      // Which clause declares each hoisted binding.
      node.cases.forEach((c, index) => {
        for (const st of c.consequent) {
          if (st.type === "VariableDeclaration") {
            for (const dd of st.declarations) {
              if (dd.id.type !== "Identifier") continue;
              const b = inner.names.get(dd.id.name);
              if (b && !before.has(b)) this.caseOf.set(b, { switchId: id, index });
            }
          }
        }
      });
      const cases: { test: Expr | null; body: Stmt[] }[] = [];
      node.cases.forEach((c, index) => {
        this.caseStack.push({ switchId: id, index });
        try {
          let test: Expr | null = null;
          if (c.test) {
            const t = this.value(c.test, inner);
            const ref = this.make({ kind: "var", symbol: hidden.sym, type: NUMBER, loc: locOf(c.test) }, hidden.tv);
            test = this.members.equality({ ...(c.test as acorn.Node), type: "BinaryExpression", operator: "===", left: node.discriminant, right: c.test } as unknown as acorn.BinaryExpression, "===", ref, t).e;
          }
          const body: Stmt[] = [];
          for (const st of c.consequent) this.statement(st, inner, body, false);
          cases.push({ test, body });
        } finally {
          this.caseStack.pop();
        }
      });
      out.push({ kind: "switch", id, loc, discriminant: decl as Extract<Stmt, { kind: "var-decl" }>, cases });
    } finally {
      this.targets.pop();
    }
  }

  private otherStatement(node: acorn.Statement, _out: Stmt[]): void {
    const type = (node as acorn.Node).type;
    if (/^(Import|Export)/.test(type)) {
      this.report("forbidden-module", "import and export declarations are not allowed", "a stelp snippet is one self-contained script: write the code you need inline", node);
      return;
    }
    const entry = UNSUPPORTED_STATEMENTS[type];
    if (entry) this.report("unsupported-syntax", `${entry[0]} are not supported`, entry[1], node);
    else this.report("unsupported-syntax", `${(node as acorn.Node).type} is not supported`, "rewrite this statement with the supported subset (see docs/subset.md)", node);
  }

  private forStatement(node: acorn.ForStatement, scope: Scope, out: Stmt[], id: number): void {
    const loc = locOf(node);
    const head = new Scope(scope, scope.ctx);
    const init: Stmt[] = [];
    if (node.init) {
      if (node.init.type === "VariableDeclaration") {
        this.hoist([node.init], head, this.blockVars);
        for (const b of head.names.values()) if (b.kind === "variable") b.forHead = node.init.kind !== "var";
        this.variableDeclaration(node.init, head, init);
      } else {
        const x = this.expression(node.init, head, true, true);
        init.push({ kind: "expr", loc: locOf(node.init), expr: x.e });
      }
    }
    const test = node.test ? this.condition(node.test, head) : null;
    const update = node.update ? this.expression(node.update, head, true, true).e : null;
    const body = this.nestedBody(node.body, head);
    out.push({ kind: "for", id, loc, init, test, update, body });
  }

  private forOfIn(node: acorn.ForOfStatement | acorn.ForInStatement, scope: Scope, out: Stmt[], id: number): void {
    const loc = locOf(node);
    const isOf = node.type === "ForOfStatement";
    const word = isOf ? "for…of" : "for…in";
    if (isOf && (node as acorn.ForOfStatement).await) {
      this.report("unsupported-syntax", "for await is not supported", "snippets run synchronously: use for…of", node);
      return;
    }
    const head = new Scope(scope, scope.ctx);
    const left = node.left;
    let binding: VarBinding | null = null;
    let declaredHere = false;
    if (left.type === "VariableDeclaration") {
      const d = left.declarations[0];
      if (left.declarations.length !== 1 || !d || d.init) {
        this.report("unsupported-syntax", `this ${word} declaration is not supported`, `declare one loop variable: for (const x ${isOf ? "of" : "in"} …)`, left);
        return;
      }
      if (d.id.type !== "Identifier") {
        if (!isOf || (d.id.type !== "ArrayPattern" && d.id.type !== "ObjectPattern") || left.kind === "var") {
          this.report("unsupported-syntax", `this destructuring in ${word} is not supported`, "declare one loop variable", d.id);
          this.value(node.right, scope);
          return;
        }
        // for (const [k, v] of …): a hidden loop variable, destructured at the start of each iteration.
        const hidden = this.newVariable("entry", d.id, head, { isConst: true, declEnd: d.id.end, isParam: false });
        const iter = this.value(node.right, scope);
        this.members.iterate(iter, hidden.tv, node.right, "for…of", hidden.slot);
        const patScope = new Scope(head, scope.ctx);
        for (const id of patternIdentifiers(d.id)) {
          this.checkDeclaredName(id.name, id);
          const b = this.newVariable(id.name, id, patScope, { isConst: left.kind === "const", declEnd: d.id.end, isParam: false });
          this.declare(patScope, id.name, b, id);
        }
        const prefix: Stmt[] = [];
        this.bindPattern(d.id, hidden, patScope, prefix, "declare");
        const body = this.nestedBody(node.body, patScope);
        out.push({ kind: "for-of", id, loc, binding: hidden.sym, iterable: iter.e, body: [...prefix, ...body] });
        return;
      }
      if (left.kind === "var" && !this.topVars.has(left) && !this.blockVars.has(left)) {
        const bad = this.badVars.get(left);
        this.report("unsupported-syntax", bad ? bad[0] : "this `var` declaration is not supported", bad ? bad[1] : "use let or const", left);
        return;
      }
      if (left.kind === "var" && this.topVars.has(left)) {
        // A function-level var used as the loop variable: the loop assigns it.
        const b = scope.lookup(d.id.name);
        if (!b || b.kind !== "variable") return;
        binding = b;
        b.assigned = true;
      } else {
        this.checkDeclaredName(d.id.name, d.id);
        binding = this.newVariable(d.id.name, d.id, head, { isConst: left.kind === "const", declEnd: d.id.end, isParam: false, nestedVar: left.kind === "var" });
        head.names.set(d.id.name, binding);
        declaredHere = true;
      }
    } else if (left.type === "Identifier") {
      const b = this.resolve(left.name, left, scope);
      if (!b) {
        this.unknownName(left.name, left);
        return;
      }
      if (b.kind !== "variable" || b.isConst) {
        this.report("const-assignment", `\`${left.name}\` cannot be the loop variable`, "declare the loop variable: for (const x of …)", left);
        return;
      }
      b.assigned = true;
      binding = b;
    } else {
      this.report("unsupported-syntax", `this ${word} loop variable is not supported`, `declare one loop variable: for (const x ${isOf ? "of" : "in"} …)`, left);
      return;
    }
    // The iterable is evaluated outside the loop variable's scope (TDZ: it cannot use it).
    const iter = this.value(node.right, scope);
    const elem = binding.tv;
    if (isOf) this.members.iterate(iter, elem, node.right, "for…of", binding.slot);
    else this.members.forInKeys(iter, elem, node.right);
    if (!declaredHere && !binding.sym.global && binding.ctx !== scope.ctx) binding.captured = true;
    const body = this.nestedBody(node.body, head);
    if (isOf) out.push({ kind: "for-of", id, loc, binding: binding.sym, iterable: iter.e, body });
    else out.push({ kind: "for-in", id, loc, binding: binding.sym, object: iter.e, body });
  }

  /**
   * `x = e;` where x changes type: from here on (in this block) x is a new variable, as if the
   * statement were `let x = e;` (the old x is not used after it, and nothing captures either).
   */
  private split(stmt: acorn.ExpressionStatement, ex: acorn.AssignmentExpression, old: VarBinding, scope: Scope, out: Stmt[]): void {
    const name = (ex.left as acorn.Identifier).name;
    const x = this.value(ex.right, scope);
    const fresh = this.newVariable(name, ex.left, scope, { isConst: false, declEnd: stmt.end, isParam: false });
    fresh.slot = `var:${stmt.start}`;
    scope.names.set(name, fresh);
    this.splitBindings.push({ old, fresh, at: ex.left });
    const v = this.flow(x, fresh.tv, ex.right, fresh.slot, (a, b) => `cannot initialise \`${name}\` (${typeName(a)}) with a ${typeName(b)}`, "");
    out.push({ kind: "var-decl", loc: locOf(stmt), symbol: fresh.sym, init: v });
  }

  private variableDeclaration(node: acorn.VariableDeclaration, scope: Scope, out: Stmt[]): void {
    if (node.kind === "var" && !this.topVars.has(node) && !this.blockVars.has(node)) {
      const bad = this.badVars.get(node);
      this.report("unsupported-syntax", bad ? bad[0] : "this `var` declaration is not supported", bad ? bad[1] : "use let or const", node);
      return;
    }
    if (node.kind !== "let" && node.kind !== "const" && node.kind !== "var") {
      this.report("unsupported-syntax", `\`${node.kind}\` declarations are not supported`, "use let or const", node);
      return;
    }
    for (const d of node.declarations) {
      if (d.id.type !== "Identifier") {
        this.destructuringDeclaration(node, d, scope, out);
        continue;
      }
      const name = d.id.name;
      const b = scope.names.get(name);
      if (!b || b.kind === "class") continue;
      if (b.kind === "function") {
        if (b.info.node === d.init) this.functionBody(b.info);
        continue;
      }
      if (b.sym.loc.line !== locOf(d.id).line || b.sym.loc.column !== locOf(d.id).column) continue; // duplicate, reported
      if (!d.init) {
        if (node.kind === "var" || node.kind === "let") {
          // `let x;` / `var x;` hold undefined until assigned.
          const u = this.unit("undefined", d);
          const v = this.flow(u, b.tv, d, b.slot, (a) => `\`${name}\` starts as undefined and later holds a ${typeName(a)}`, "");
          out.push({ kind: "var-decl", loc: locOf(d), symbol: b.sym, init: v });
          continue;
        }
        this.report(
          "uninitialized-variable",
          `\`${name}\` is declared without a value`,
          `initialise it, e.g. \`let ${name} = 0\` (or "" or false, matching how it is used)`,
          d,
        );
        this.solver.poison(b.tv);
        continue;
      }
      if (this.dynSlots.has(b.slot) && (d.init.type === "MemberExpression" || d.init.type === "CallExpression")) {
        // A dyn variable can hold the undefined of a read that finds nothing.
        this.lenientIndex.add(d.init);
      }
      const x = this.expression(d.init, scope, false);
      if (x.e.kind === "index" || x.e.kind === "member" || x.e.kind === "method") this.numericInits.push({ b, e: x.e });
      const v = this.flow(x, b.tv, d.init, b.slot, (a, v) => `cannot initialise \`${name}\` (${typeName(a)}) with a ${typeName(v)}`, "");
      this.solver.noteOrigin(b.tv, `from the initial value of \`${name}\` on line ${locOf(d).line}`);
      const st: Stmt = { kind: "var-decl", loc: locOf(d), symbol: b.sym, init: v };
      this.checkedCalls.set(d.init, st);
      out.push(st);
    }
  }

  private destructuringDeclaration(node: acorn.VariableDeclaration, d: acorn.VariableDeclarator, scope: Scope, out: Stmt[]): void {
    void node;
    if (!d.init) {
      this.report("unsupported-syntax", "a destructuring declaration needs a value", "write `const [a, b] = value;`", d);
      return;
    }
    const x = this.value(d.init, scope);
    const hidden = this.newVariable("destructured", d.id, scope, { isConst: true, declEnd: d.end, isParam: false });
    this.solver.unify(hidden.tv, x.t);
    out.push({ kind: "var-decl", loc: locOf(d), symbol: hidden.sym, init: x.e });
    this.bindPattern(d.id as acorn.Pattern, hidden, scope, out, "declare");
  }

  /**
   * Destructuring: binds (or assigns) the names of a pattern from the value in \`source\` (a hidden
   * constant): \`[a, , b, ...rest]\` reads elements 0 and 2 and slices from 3; \`{ k, k2: name }\`
   * reads entries. Default values are not supported.
   */
  bindPattern(pattern: acorn.Pattern, source: VarBinding, scope: Scope, out: Stmt[], mode: "declare" | "assign"): void {
    const ref = (at: acorn.Node): TExpr => {
      source.reads++;
      return this.make({ kind: "var", symbol: source.sym, type: NUMBER, loc: locOf(at) }, source.tv);
    };
    const synthetic = (at: acorn.Node): acorn.MemberExpression => ({ ...(at as object), type: "MemberExpression", object: at, property: at, computed: true, optional: false }) as unknown as acorn.MemberExpression;
    const target = (el: acorn.Pattern, value: TExpr): void => {
      if (el.type === "AssignmentPattern") {
        this.report("unsupported-syntax", "default values in destructuring are not supported", "read the value, then test it: `let a = arr[0]; if (a === undefined) a = 1;`", el);
        return;
      }
      if (el.type === "ArrayPattern" || el.type === "ObjectPattern") {
        const inner = this.newVariable("destructured", el, scope, { isConst: true, declEnd: el.end, isParam: false });
            this.solver.unify(inner.tv, value.t);
        out.push({ kind: "var-decl", loc: locOf(el), symbol: inner.sym, init: value.e });
        this.bindPattern(el, inner, scope, out, mode);
        return;
      }
      if (mode === "declare" && el.type === "Identifier") {
        const b = scope.names.get(el.name);
        if (!b || b.kind !== "variable") return;
        const v = this.flow(value, b.tv, el, b.slot, (a, vt) => `cannot initialise \`${el.name}\` (${typeName(a)}) with a ${typeName(vt)}`, "");
        out.push({ kind: "var-decl", loc: locOf(el), symbol: b.sym, init: v });
        return;
      }
      if (mode === "assign") {
        const t = this.assignTarget(el, scope, "=");
        if (!t) return;
        const v = this.flow(value, t.tv, el, t.slot, (a, vt) => `cannot assign a ${typeName(vt)} to ${t.what}, which holds a ${typeName(a)}`, "");
        const e = this.make({ kind: "assign", op: "=", target: t.lv, value: v, type: NUMBER, loc: locOf(el) }, t.tv);
        out.push({ kind: "expr", loc: locOf(el), expr: e.e });
        return;
      }
      this.report("unsupported-syntax", "this destructuring target is not supported", "destructure into plain names", el);
    };
    if (pattern.type === "ArrayPattern") {
      pattern.elements.forEach((el, i) => {
        if (!el) return;
        if (el.type === "RestElement") {
          const e: Expr = { kind: "method", object: ref(el).e, name: "slice", args: [this.lit("number", i, el).e], spread: [false], type: NUMBER, loc: locOf(el) };
          const rt = this.solver.fresh();
          this.whenKnown(source.tv, (t) => {
            if (t.kind !== "array") this.report("type-mismatch", `\`...rest\` in an array pattern needs an array, not a ${this.solver.describe(source.tv)}`, "destructure arrays", el);
            else this.solver.unify(rt, source.tv);
          });
          target(el.argument, this.make(e, rt));
          return;
        }
        const v = this.members.index(synthetic(el), ref(el), this.lit("number", i, el), false, false);
        target(el, v);
      });
      return;
    }
    if (pattern.type === "ObjectPattern") {
      for (const p of pattern.properties) {
        if (p.type === "RestElement" || p.computed) {
          this.report("unsupported-syntax", "rest and computed keys in object patterns are not supported", "read each entry: `const a = o.a;`", p);
          continue;
        }
        const key = p.key.type === "Identifier" ? p.key.name : p.key.type === "Literal" ? String(p.key.value) : null;
        if (key === null) continue;
        const v = this.members.property({ ...(p as object), type: "MemberExpression", object: p, property: p.key, computed: false } as unknown as acorn.MemberExpression, ref(p), key);
        target(p.value, v);
      }
      return;
    }
    target(pattern, ref(pattern));
  }

  functionBody(info: FnInfo): void {
    if (info.walked) return;
    info.walked = true;
    const savedTargets = this.targets;
    const savedLabels = this.pendingLabels;
    const savedCatch = this.catchDepth;
    this.targets = [];
    this.pendingLabels = [];
    this.catchDepth = 0;
    try {
      this.functionBodyInner(info);
    } finally {
      this.targets = savedTargets;
      this.pendingLabels = savedLabels;
      this.catchDepth = savedCatch;
    }
  }

  private functionBodyInner(info: FnInfo): void {
    const node = info.node;
    const scope = info.declScope;
    if (node.async || node.generator) {
      this.report(
        "unsupported-syntax",
        node.async ? "async functions are not supported" : "generator functions are not supported",
        node.async ? "snippets run synchronously: remove async/await" : "use a loop or a plain function",
        node,
      );
      this.solver.poison(info.ret);
      info.body = [];
      return;
    }
    const bodyScope = new Scope(scope, info.ctx);
    let ok = true;
    for (const p of node.params) {
      if (p.type === "Identifier") continue;
      if (p.type === "AssignmentPattern" && p.left.type === "Identifier") continue;
      if (p.type === "ArrayPattern" || p.type === "ObjectPattern") continue;
      const what =
        p.type === "RestElement"
          ? ["rest parameters", "declare each parameter explicitly, or take an array parameter"]
          : ["destructuring parameters", "take plain parameters and read them directly"];
      this.report("unsupported-syntax", `${what[0]} are not supported`, what[1]!, p);
      ok = false;
    }
    for (const b of info.params) {
      if (!bodyScope.names.has(b.sym.name)) bodyScope.names.set(b.sym.name, b);
    }
    const prologueFields: Stmt[] = [];
    if (info.thisClass) {
      // `this`: a constant of the class's type (captured like any variable by arrow functions).
      const cls = info.thisClass;
      const tb = this.newVariable("this", node, bodyScope, { isConst: true, declEnd: -1, isParam: true });
      this.solver.unify(tb.tv, this.classTerm(cls));
      bodyScope.names.set("this", tb);
      info.thisBinding = tb;
      if (info.sym.method) info.sym.method.thisName = tb.sym.emitName;
      if (info.sym.method?.kind === "constructor") {
        // Class field initialisers run first, in order, with `this` available.
        for (const f of cls.fields) {
          const cf = f.classField;
          if (!cf) continue;
          let init: Expr;
          if (cf.value) {
            const x = this.value(cf.value, bodyScope);
            init = this.flow(x, f.tv, cf.value, f.slot, (a, b) => `field \`${f.name}\` is a ${typeName(a)} but its initial value is a ${typeName(b)}`, "");
          } else {
            init = this.flow(this.unit("undefined", cf), f.tv, cf, f.slot, (a) => `field \`${f.name}\` starts undefined and holds a ${typeName(a)}`, "");
          }
          this.fieldInits.set(f, init);
        }
        this.checkConstructorOrder(info, cls);
      }
    }
    void prologueFields;
    for (const p of node.params) {
      const id = p.type === "RestElement" ? p.argument : p.type === "AssignmentPattern" ? p.left : null;
      if (id && id.type === "Identifier" && !bodyScope.names.has(id.name)) {
        const b = this.newVariable(id.name, id, bodyScope, { isConst: false, declEnd: -1, isParam: true });
        this.solver.poison(b.tv);
        bodyScope.names.set(id.name, b);
      }
    }
    // Destructured parameters: their names live in the body scope.
    const prologue: Stmt[] = [];
    let pj = 0;
    for (const p of node.params) {
      if (p.type === "ArrayPattern" || p.type === "ObjectPattern") {
        const hidden = info.params[pj];
        if (hidden) {
          for (const id of patternIdentifiers(p)) {
            this.checkDeclaredName(id.name, id);
            const b = this.newVariable(id.name, id, bodyScope, { isConst: false, declEnd: -1, isParam: false });
            this.declare(bodyScope, id.name, b, id);
          }
          this.bindPattern(p, hidden, bodyScope, prologue, "declare");
        }
      }
      if (p.type === "Identifier" || p.type === "AssignmentPattern" || p.type === "ArrayPattern" || p.type === "ObjectPattern") pj++;
    }
    // Default values: checked in the parameter scope (they may use earlier parameters).
    let pi = 0;
    for (const p of node.params) {
      if (p.type === "Identifier" || p.type === "ArrayPattern" || p.type === "ObjectPattern") {
        info.defaults.push(null);
        pi++;
        continue;
      }
      if (p.type === "AssignmentPattern" && p.left.type === "Identifier") {
        const b = info.params[pi];
        if (b) {
          const x = this.value(p.right, bodyScope);
          const v = this.flow(x, b.tv, p.right, b.slot, (a, v) => `the default value of \`${b.sym.name}\` is a ${typeName(v)} but the parameter is a ${typeName(a)}`, "");
          info.defaults.push(v);
        }
        pi++;
      }
    }
    info.sym.defaults = info.defaults;
    if (!ok) this.solver.poison(info.ret);
    const fnBody = node.body;
    if (node.type === "ArrowFunctionExpression" && node.expression) {
      const expr = fnBody as acorn.Expression;
      if (!this.enter(expr)) {
        info.body = [];
        return;
      }
      try {
        const x = this.expression(expr, bodyScope, true);
        const v = this.flow(x, info.ret, expr, `ret:${node.start}`, (fnT, valT) => `\`${info.sym.name}\` is documented to return ${typeName(fnT)} but returns a ${typeName(valT)}`, "");
        info.valueReturns++;
        info.body = [...prologue, { kind: "return", loc: locOf(expr), value: v }];
      } finally {
        this.depth--;
      }
      return;
    }
    const block = fnBody as acorn.BlockStatement;
    if (!this.enter(block)) {
      info.body = [];
      return;
    }
    try {
      info.body = [...prologue, ...this.statementList(this.bodyOf(block), bodyScope, true, block)];
    } finally {
      this.depth--;
    }
    if (info.valueReturns === 0) {
      const r = this.solver.typeOf(info.ret);
      if (r && r.kind !== "void" && !this.solver.isPoisoned(info.ret)) {
        this.report(
          "missing-return",
          `\`${info.sym.name}\` is documented to return ${this.solver.describe(info.ret)} but never returns a value`,
          "add a `return <value>;` statement or fix the @returns tag",
          info.jsdoc?.returns?.loc ?? info.sym.loc,
        );
        this.solver.poison(info.ret);
      } else {
        this.solver.assign(info.ret, VOID);
      }
    } else if (info.emptyReturns.length > 0 && this.solver.kindOf(info.ret) !== "dyn") {
      // `return;` gives undefined: with values elsewhere, the result holds several types.
      this.wantDyn.add(`ret:${info.node.start}`);
      this.report(
        "missing-return",
        `\`${info.sym.name}\` returns a value on some paths but \`return;\` has no value`,
        "return a value of the same type on every path",
        info.emptyReturns[0]!,
      );
      this.solver.poison(info.ret);
    }
  }

  /** Runs after solving: functions that return values must not fall off their end. */
  private finishFunctions(): void {
    for (const info of this.fnInfos) {
      if (!info.walked) {
        // A declaration we never reached (e.g. in an unsupported position): nothing to emit.
        info.body = info.body ?? [];
        continue;
      }
      if (info.expressionBody || info.valueReturns === 0) continue;
      if (listCompletes(info.body ?? []) && this.solver.kindOf(info.ret) !== "dyn") {
        // Falling off the end returns undefined: the result holds several types.
        this.wantDyn.add(`ret:${info.node.start}`);
        const end = info.node.loc ? { line: info.node.loc.end.line, column: info.node.loc.end.column } : info.sym.loc;
        this.report(
          "missing-return",
          `\`${info.sym.name}\` can reach its end without returning a value`,
          "add a final `return <value>;` after the last statement (every path must return)",
          end,
        );
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Type constraints

  unify(a: TVar, b: TVar, at: acorn.Node | Loc, message: (a: Type, b: Type) => string, hint: string, rule = "type-mismatch"): boolean {
    const r = this.solver.unify(a, b);
    if (r.ok) return true;
    const origin = r.leftOrigin ? ` (${r.leftOrigin})` : "";
    this.report(rule, message(r.left, r.right) + origin, hint || "use values of one type consistently (a variable keeps its type forever)", at);
    this.solver.poison(b);
    return false;
  }

  /**
   * A value flows into a slot (variable, parameter, return value, element): their types must
   * agree. If the slot is dyn (holds values of several types), the value is boxed instead. When they
   * disagree and the slot has a key, the slot is remembered so that a re-check can make it dyn.
   */
  flow(x: TExpr, slot: TVar, at: acorn.Node | Loc, key: string | null | (() => void), message: (slot: Type, value: Type) => string, hint: string): Expr {
    const s = this.solver;
    const sk = s.kindOf(slot);
    if (sk === "dyn" && !s.isPoisoned(slot)) return this.box(x);
    const conflict = (left: Type, right: Type, origin: string | null): void => {
      if (typeof key === "function") key();
      else if (key !== null && this.dynAllowed(left, right)) this.wantDyn.add(key);
      this.report("type-mismatch", message(left, right) + (origin ? ` (${origin})` : ""), hint || "use values of one type consistently (a variable keeps its type forever)", at);
    };
    if (x.e.kind === "unit" && sk !== x.e.value) {
      // null/undefined decide nothing by themselves: the slot's other values do (or it becomes dyn).
      const unitKind = x.e.value;
      const e: Expr = { kind: "box", value: x.e, type: DYN, loc: x.e.loc };
      this.make(e, slot);
      if (sk === null) {
        this.whenKnown(
          slot,
          (t) => {
            if (t.kind !== unitKind && t.kind !== "dyn") conflict(s.resolve(slot), { kind: unitKind }, s.originOf(slot));
          },
          () => {
            s.assign(slot, { kind: unitKind });
            return true;
          },
        );
      } else if (!s.isPoisoned(slot)) {
        conflict(s.show(slot), { kind: unitKind }, s.originOf(slot));
      }
      return e;
    }
    if (x.e.kind === "array" && sk !== null && sk !== "tuple" && sk !== "array" && s.kindOf(x.t) === null) {
      // An undecided `[a, b]` meeting a slot that is not a pair: it is an array (so the conflict is
      // the array's, and the slot can become dyn).
      s.assign(x.t, { kind: "array", elem: s.fresh() });
    }
    const r = s.unify(slot, x.t);
    if (r.ok) return x.e;
    conflict(r.left, r.right, r.leftOrigin);
    s.poison(x.t);
    return x.e;
  }

  /** Slot types that a dyn slot can replace: everything but functions and void. */
  private dynAllowed(a: Type, b: Type): boolean {
    const ok = (t: Type): boolean => t.kind !== "fn" && t.kind !== "void";
    return ok(a) && ok(b);
  }

  /** Wraps a value into a dyn box (the emitter converts according to the value's final type). */
  box(x: TExpr): Expr {
    const e: Expr = { kind: "box", value: x.e, type: DYN, loc: x.e.loc };
    this.make(e, this.solver.fresh(DYN));
    return e;
  }

  expect(t: TVar, type: Type | Term, at: acorn.Node, message: (actual: Type) => string, hint: string, origin: string | null = null): boolean {
    const r = this.solver.assign(t, type, origin ? `${origin} on line ${locOf(at).line}` : null);
    if (!r.ok) {
      const o = r.leftOrigin ? ` (${r.leftOrigin})` : "";
      this.report("type-mismatch", message(r.left) + o, hint, at);
      this.solver.poison(t);
      return false;
    }
    return true;
  }

  /** The expression must produce a value (not the result of a function that returns nothing). */
  private requireValue(t: TVar, at: acorn.Node, what: string): void {
    const solver = this.solver;
    const c = {
      done: false,
      step: (): boolean => {
        if (solver.isPoisoned(t)) return true;
        const ty = solver.typeOf(t);
        if (!ty) return false;
        if (ty.kind === "void") {
          this.report(
            "void-value",
            `${what} has no value (the function returns nothing)`,
            "use the call as a statement on its own line, or make the function return a value",
            at,
          );
          solver.poison(t);
        }
        return true;
      },
    };
    solver.defer(c, [t]);
  }

  /** Runs `then` once `t` has a type (immediately if it has one). */
  whenKnown(t: TVar, then: (term: Term) => void, fallback?: () => boolean): void {
    const solver = this.solver;
    solver.defer(
      {
        done: false,
        step: (): boolean => {
          if (solver.isPoisoned(t)) return true;
          const ty = solver.typeOf(t);
          if (!ty) return false;
          then(ty);
          return true;
        },
        ...(fallback ? { fallback } : {}),
      },
      [t],
    );
  }

  /** Comparison operands: two numbers, two strings, or a number and a string (ToNumber). */
  private comparable(l: TVar, r: TVar, at: acorn.Node, op: string): void {
    const s = this.solver;
    s.defer(
      {
        done: false,
        step: (): boolean => {
          if (s.isPoisoned(l) || s.isPoisoned(r)) return true;
          const lt = s.kindOf(l);
          const rt = s.kindOf(r);
          if (!lt || !rt) return false;
          const ok = (k: string) => k === "number" || k === "string" || k === "dyn";
          if (!ok(lt) || !ok(rt)) {
            this.report(
              "type-mismatch",
              `\`${op}\` compares a ${s.describe(l)} with a ${s.describe(r)}`,
              lt === "boolean" || rt === "boolean" ? "compare numbers or strings; for booleans use === or !==" : "compare two numbers or two strings",
              at,
            );
            s.poison(l);
          }
          return true;
        },
      },
      [l, r],
    );
  }

  /** `l + r`: string if either side is a string, number if both are numbers (booleans count as 0/1). */
  private plus(res: TVar, l: TVar, r: TVar, at: acorn.Node, opText: string): void {
    const s = this.solver;
    const fail = () => {
      this.report(
        "type-mismatch",
        `\`${opText}\` cannot combine a ${s.describe(l)} and a ${s.describe(r)}`,
        "add two numbers, or concatenate with at least one string (convert arrays with .join())",
        at,
      );
      s.poison(res);
    };
    const set = (v: TVar, t: Type): void => {
      const u = s.assign(v, t);
      if (!u.ok) {
        const origin = u.leftOrigin ? ` (${u.leftOrigin})` : "";
        this.report(
          "type-mismatch",
          `\`${opText}\` needs a ${typeName(t)} here but this value is a ${typeName(u.left)}${origin}`,
          "use values of one type consistently (a variable keeps its type forever)",
          at,
        );
        s.poison(res);
      }
    };
    const numeric = (k: string | null) => k === "number" || k === "boolean";
    const stringy = (k: string | null) => k === "number" || k === "boolean" || k === "string" || k === "null" || k === "undefined" || k === "array";
    s.defer(
      {
        done: false,
        step: (): boolean => {
          if (s.isPoisoned(res) || s.isPoisoned(l) || s.isPoisoned(r)) return true;
          const lt = s.kindOf(l);
          const rt = s.kindOf(r);
          const resT = s.kindOf(res);
          if (lt === "void" || rt === "void") return true; // reported by requireValue
          if (lt === "dyn" || rt === "dyn") {
            if (resT === "dyn" || !resT) {
              set(res, DYN);
              return true;
            }
            fail();
            return true;
          }
          if (lt === "string" || rt === "string") {
            if ((lt && !stringy(lt)) || (rt && !stringy(rt))) {
              fail();
              return true;
            }
            // Arrays are joined: their elements must convert exactly.
            for (const [k, v] of [[lt, l], [rt, r]] as const) {
              if (k === "array") this.members.requireJoinable((s.typeOf(v) as { elem: TVar }).elem, at);
            }
            set(res, STRING);
            return true;
          }
          if (lt && rt) {
            if (numeric(lt) && numeric(rt)) set(res, NUMBER);
            else fail();
            return true;
          }
          if (resT) {
            if (resT === "number") {
              if (!lt) set(l, NUMBER);
              if (!rt) set(r, NUMBER);
              return true;
            }
            if (resT === "string") {
              if (lt && !rt) {
                set(r, STRING);
                return true;
              }
              if (rt && !lt) {
                set(l, STRING);
                return true;
              }
              return false;
            }
            this.report("type-mismatch", `\`${opText}\` produces a number or a string, not a ${s.describe(res)}`, "", at);
            s.poison(res);
            return true;
          }
          return false;
        },
      },
      [res, l, r],
    );
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  make(e: Expr, t: TVar): TExpr {
    const x = { e, t };
    this.exprs.push(x);
    return x;
  }

  lit(kind: "number", value: number, node: acorn.Node | Loc): TExpr;
  lit(kind: "string", value: string, node: acorn.Node | Loc): TExpr;
  lit(kind: "boolean", value: boolean, node: acorn.Node | Loc): TExpr;
  lit(kind: "number" | "string" | "boolean", value: number | string | boolean, node: acorn.Node | Loc): TExpr {
    const type = kind === "number" ? NUMBER : kind === "string" ? STRING : BOOLEAN;
    const loc = "type" in node ? locOf(node as acorn.Node) : (node as Loc);
    return this.make({ kind, value, type, loc } as Expr, this.solver.fresh(type));
  }

  unit(value: "null" | "undefined", node: acorn.Node): TExpr {
    return this.make({ kind: "unit", value, type: { kind: value }, loc: locOf(node) }, this.solver.fresh({ kind: value }));
  }

  /** A placeholder for an expression that was rejected (its type is poisoned). */
  bad(node: acorn.Node): TExpr {
    const t = this.solver.fresh();
    this.solver.poison(t);
    return this.make({ kind: "number", value: 0, type: NUMBER, loc: locOf(node) }, t);
  }

  /** A value used as a condition (JS truthiness). */
  private condition(node: acorn.Expression, scope: Scope): Expr {
    this.markLenient(node);
    return this.expression(node, scope, false).e;
  }

  /**
   * Index reads (`s[i]`, `a[i]`) that only feed an equality test or a condition may read past the
   * end: JS gives undefined, which compares unequal to any string or number and is falsy.
   */
  private markLenient(node: acorn.Node): void {
    const stack: acorn.Node[] = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === "LogicalExpression") {
        const l = n as acorn.LogicalExpression;
        // Only the operands' truthiness matters when the whole thing is a condition.
        stack.push(l.left, l.right);
      } else if (n.type === "UnaryExpression" && (n as acorn.UnaryExpression).operator === "!") {
        stack.push((n as acorn.UnaryExpression).argument);
      } else if (n.type === "BinaryExpression") {
        const b = n as acorn.BinaryExpression;
        if (b.operator === "==" || b.operator === "!=" || b.operator === "===" || b.operator === "!==") {
          if (b.left.type === "MemberExpression" || b.left.type === "CallExpression") this.lenientIndex.add(b.left);
          if (b.right.type === "MemberExpression" || b.right.type === "CallExpression") this.lenientIndex.add(b.right);
        }
      } else if (n.type === "MemberExpression" || n.type === "CallExpression") {
        this.lenientIndex.add(n);
      }
    }
  }

  /** Whether reads at this node handle a missing element (see markLenient). */
  isLenient(node: acorn.Node): boolean {
    return this.lenientIndex.has(node);
  }

  /** An operand that is converted with ToNumber: an out-of-range read of a number array is NaN there. */
  markNumeric(node: acorn.Node): void {
    if (node.type === "MemberExpression" && (node as acorn.MemberExpression).computed) this.numericIndex.add(node);
    else if (node.type === "Identifier") this.numericIdents.add(node);
  }

  /** Identifiers that are operands converted with ToNumber. */
  private readonly numericIdents = new Set<acorn.Node>();
  /** `let x = a[i]`: if every read of x is numeric, an out-of-range read may give NaN. */
  private readonly numericInits: { b: VarBinding; e: Expr }[] = [];
  /** Variables compared with null/undefined somewhere. */
  readonly undefinedTested = new Set<VariableSymbol>();

  /**
   * Checks an expression. `allowVoid`: statement position (the value is discarded).
   * `allowSequence`: statement or for-loop position (the comma operator is fine there).
   */
  expression(node: acorn.Expression | acorn.Node, scope: Scope, allowVoid: boolean, allowSequence = false): TExpr {
    if (!node || typeof node !== "object") return this.bad(this.program);
    if (!this.enter(node)) return this.bad(node);
    try {
      const x = this.expressionInner(node as acorn.Expression, scope, allowSequence);
      if (!allowVoid) this.requireValue(x.t, node, this.describe(node));
      return x;
    } finally {
      this.depth--;
    }
  }

  value(node: acorn.Expression | acorn.Node, scope: Scope): TExpr {
    return this.expression(node, scope, false);
  }

  private describe(node: acorn.Node): string {
    if (node.type === "CallExpression") {
      const c = (node as acorn.CallExpression).callee;
      if (c.type === "Identifier") return `the call \`${c.name}(…)\``;
      if (c.type === "MemberExpression" && c.property.type === "Identifier") {
        if (c.object.type === "Identifier") return `the call \`${c.object.name}.${c.property.name}(…)\``;
        return `the call \`.${c.property.name}(…)\``;
      }
      return "this call";
    }
    return "this expression";
  }

  private expressionInner(node: acorn.Expression, scope: Scope, allowSequence: boolean): TExpr {
    const loc = locOf(node);
    switch (node.type) {
      case "Literal":
        return this.literal(node);
      case "Identifier":
        return this.identifier(node, scope);
      case "TemplateLiteral": {
        const quasis: string[] = [];
        for (const q of node.quasis) {
          if (typeof q.value.cooked !== "string") return this.bad(node);
          quasis.push(q.value.cooked);
        }
        const expressions = node.expressions.map((e) => {
          const x = this.value(e, scope);
          this.members.requireStringable(x, e, "a template literal");
          return x.e;
        });
        return this.make({ kind: "template", quasis, expressions, type: STRING, loc }, this.solver.fresh(STRING));
      }
      case "UnaryExpression":
        return this.unary(node, scope);
      case "UpdateExpression": {
        const target = this.assignTarget(node.argument, scope, node.operator);
        if (!target) return this.bad(node);
        if (this.solver.kindOf(target.tv) !== "dyn") this.expect(target.tv, NUMBER, node.argument, (t) => `\`${node.operator}\` needs a number but ${target.what} is a ${typeName(t)}`, "only numbers can be incremented or decremented");
        return this.make({ kind: "update", op: node.operator, prefix: node.prefix, target: target.lv, type: NUMBER, loc }, this.solver.fresh(NUMBER));
      }
      case "BinaryExpression":
        return this.binary(node, scope);
      case "LogicalExpression":
        return this.logical(node, scope);
      case "AssignmentExpression":
        return this.assignment(node, scope);
      case "ConditionalExpression": {
        const test = this.condition(node.test, scope);
        const a = this.value(node.consequent, scope);
        const b = this.value(node.alternate, scope);
        const slot = `cond:${node.start}`;
        const res = this.dynSlots.has(slot) ? this.solver.fresh(DYN) : this.solver.fresh();
        const msg = (x: Type, y: Type) => `the branches of \`?:\` have different types (${typeName(x)} and ${typeName(y)})`;
        const ca = this.flow(a, res, node.consequent, slot, msg, "make both branches produce the same type");
        const cb = this.flow(b, res, node.alternate, slot, msg, "make both branches produce the same type");
        return this.make({ kind: "conditional", test, consequent: ca, alternate: cb, type: NUMBER, loc }, res);
      }
      case "CallExpression":
        return this.call(node, scope);
      case "NewExpression":
        return this.members.newExpression(node, scope);
      case "MemberExpression":
        return this.member(node, scope);
      case "ArrayExpression":
        return this.arrayLiteral(node, scope);
      case "ObjectExpression":
        return this.objectLiteral(node, scope);
      case "SequenceExpression": {
        // `(a, b)`: every part is evaluated, the value is the last one (the others are discarded).
        const parts = node.expressions.map((e, i) => this.expression(e, scope, i < node.expressions.length - 1 || allowSequence, true));
        const last = parts[parts.length - 1]!;
        return this.make({ kind: "sequence", expressions: parts.map((p) => p.e), type: NUMBER, loc }, last.t);
      }
      case "ArrowFunctionExpression":
      case "FunctionExpression":
        return this.functionValue(node, scope, null);
      case "ThisExpression":
        return this.thisExpression(node, scope);
      case "ImportExpression":
        this.report("forbidden-module", "dynamic import() is not allowed", "a stelp snippet is one self-contained script: write the code inline", node);
        return this.bad(node);
      case "MetaProperty":
        if (node.meta.name === "import") {
          this.report("forbidden-global", "import.meta is not available", "a stelp snippet has no module context: remove import.meta", node);
        } else {
          this.report("unsupported-syntax", "new.target is not supported", "classes and constructors are not supported", node);
        }
        return this.bad(node);
      case "AwaitExpression": {
        // `await searchFlights(…)` at the top level, as action plans are written: a tool call
        // returns its result (an async tool is awaited by the host), so the await changes nothing.
        const arg = node.argument;
        if (arg.type === "CallExpression" && arg.callee.type === "Identifier" && !scope.lookup(arg.callee.name) && this.toolNamed(arg.callee.name)) {
          // The statement that holds the call holds the await: that is where its exception is checked.
          this.awaitedCall = { call: arg, await: node };
          return this.call(arg, scope);
        }
        this.report("unsupported-syntax", "await is only supported directly on a tool call", "snippets run synchronously: call functions directly (`await` may only precede a host tool call)", node);
        return this.bad(node);
      }
      default:
        break;
    }
    const entry = UNSUPPORTED_EXPRESSIONS[node.type];
    if (entry && entry[0]) this.report("unsupported-syntax", `${entry[0]} ${entry[0].endsWith("s") ? "are" : "is"} not supported`, entry[1], node);
    else this.report("unsupported-syntax", `${node.type} is not supported`, "rewrite this expression with the supported subset (see docs/subset.md)", node);
    return this.bad(node);
  }

  private literal(node: acorn.Literal): TExpr {
    if (node.regex) {
      this.report(
        "unsupported-regex",
        `regular expression literals are not supported (/${node.regex.pattern}/${node.regex.flags})`,
        "use string methods: split/replaceAll/includes/indexOf with a string, or loop over the characters (regular expressions are only accepted as a single-character split separator such as /\\s/ or /,/)",
        node,
      );
      return this.bad(node);
    }
    if (node.bigint !== undefined || typeof node.value === "bigint") {
      this.report("unsupported-syntax", "BigInt literals are not supported", "use ordinary numbers (exact up to 2**53)", node);
      return this.bad(node);
    }
    switch (typeof node.value) {
      case "number":
        return this.lit("number", node.value, node);
      case "string":
        return this.lit("string", node.value, node);
      case "boolean":
        return this.lit("boolean", node.value, node);
    }
    if (node.value === null) return this.unit("null", node);
    this.report("unsupported-syntax", "this literal is not supported", "use a number, string or boolean literal", node);
    return this.bad(node);
  }

  /** Reports a name that is not declared: forbidden, unsupported built-in or unknown. */
  unknownName(name: string, node: acorn.Node): void {
    const tool = this.toolNamed(name);
    if (tool) {
      this.report("function-not-value", `the tool \`${name}\` can only be called directly`, `call it: ${signatureText(tool)}`, node);
      return;
    }
    const forbidden = FORBIDDEN_GLOBALS.get(name);
    if (forbidden !== undefined) {
      this.report("forbidden-global", `\`${name}\` is not available in a stelp snippet`, forbidden, node);
      return;
    }
    if (this.members.isBuiltinGlobal(name)) {
      this.report("function-not-value", `\`${name}\` can only be called directly`, `call it, e.g. \`${name}(x)\`, or wrap it: \`(x) => ${name}(x)\``, node);
      return;
    }
    const unsupported = UNSUPPORTED_BUILTINS.get(name);
    if (unsupported !== undefined) {
      this.report("unsupported-builtin", `\`${name}\` is not supported by stelp yet`, unsupported, node);
      return;
    }
    if (name === "Math" || name === "console") {
      this.report(
        "unsupported-syntax",
        `\`${name}\` can only be used as \`${name}.name…\``,
        name === "Math" ? "call a Math function directly, e.g. `Math.max(a, b)`" : "call console.log(…) or console.error(…) directly",
        node,
      );
      return;
    }
    this.report("undeclared-identifier", `\`${name}\` is not declared`, `declare it with let or const (or as a function) before using it, or fix the spelling`, node);
  }

  /** Resolves a name to a binding, recording captures and what the current function needs initialised. */
  resolve(name: string, node: acorn.Node, scope: Scope): Binding | null {
    const b = scope.lookup(name);
    if (!b) return null;
    const declaredIn = this.caseOf.get(b);
    if (declaredIn) {
      const here = this.caseStack.find((c) => c.switchId === declaredIn.switchId);
      if (!here || here.index !== declaredIn.index) {
        this.report(
          "use-before-declaration",
          `\`${name}\` is declared in another case clause of this switch`,
          "declare it before the switch, or wrap each case body in braces: `case 1: { let x = …; … }`",
          node,
        );
      }
    }
    const here = scope.ctx;
    if (b.ctx === here) {
      if (b.declEnd >= 0 && node.start < b.declEnd) {
        this.report(
          "use-before-declaration",
          `\`${name}\` is used before its declaration has run`,
          `move the declaration of \`${name}\` above this use (let/const are not usable before they are declared)`,
          node,
        );
      }
      return b;
    }
    if (b.kind === "variable" && !b.sym.global) {
      b.captured = true;
      for (let c: FnCtx | null = here; c && c !== b.ctx; c = c.parent) c.info?.captures.add(b);
    }
    if (b.declEnd >= 0) {
      const prev = here.requires.get(b.ctx);
      if (!prev || prev.end < b.declEnd) here.requires.set(b.ctx, { end: b.declEnd, name, line: b.kind === "variable" ? b.sym.loc.line : b.kind === "function" ? b.info.sym.loc.line : locOf(b.cls.node).line });
    }
    return b;
  }

  private identifier(node: acorn.Identifier, scope: Scope): TExpr {
    const name = node.name;
    const narrowed = scope.lookupNarrowed(name);
    const b = this.resolve(name, node, scope);
    if (!b) {
      if (name === "NaN") return this.lit("number", NaN, node);
      if (name === "Infinity") return this.lit("number", Infinity, node);
      if (name === "undefined") return this.unit("undefined", node);
      this.unknownName(name, node);
      return this.bad(node);
    }
    if (b.kind === "function") return this.functionName(b.info, node, scope);
    if (b.kind === "class") {
      this.report("function-not-value", `class \`${name}\` is used as a value`, `create instances with \`new ${name}(…)\``, node);
      return this.bad(node);
    }
    b.reads++;
    if (this.numericIdents.has(node)) b.numericReads++;
    const ref = this.make({ kind: "var", symbol: b.sym, type: NUMBER, loc: locOf(node) }, b.tv);
    if (narrowed && narrowed.binding === b) return this.members.unboxed(ref, narrowed.type, node);
    return ref;
  }

  /** `this` in a method or constructor (arrow functions see their method's `this`). */
  private thisExpression(node: acorn.ThisExpression, scope: Scope): TExpr {
    for (let c: FnCtx | null = scope.ctx; c; c = c.parent) {
      const info = c.info;
      if (!info) break;
      if (info.node.type === "ArrowFunctionExpression") continue;
      if (!info.thisClass) break;
      const b = this.resolve("this", node, scope);
      if (!b || b.kind !== "variable") break;
      b.reads++;
      return this.make({ kind: "var", symbol: b.sym, type: NUMBER, loc: locOf(node) }, b.tv);
    }
    this.report("unsupported-syntax", "`this` is only supported in the methods and the constructor of a class", "use a class method, or pass the object as a parameter", node);
    return this.bad(node);
  }

  /**
   * In a constructor, `this.f` may be read only after the statement that creates f, and `this` used
   * otherwise (method calls, passing it on) only after every field exists: JS would see undefined.
   */
  private checkConstructorOrder(info: FnInfo, cls: ClassInfo): void {
    const body = info.node.body as acorn.BlockStatement;
    if (!body || body.type !== "BlockStatement") return;
    const created = new Map<string, number>();
    let lastCreate = -1;
    for (const st of body.body) {
      if (st.type === "ExpressionStatement" && st.expression.type === "AssignmentExpression" && st.expression.operator === "=") {
        const left = st.expression.left;
        if (left.type === "MemberExpression" && left.object.type === "ThisExpression" && !left.computed && left.property.type === "Identifier") {
          const f = cls.fields.find((x) => x.name === (left.property as acorn.Identifier).name);
          if (f && !f.classField && !created.has(f.name)) {
            created.set(f.name, st.end);
            lastCreate = st.end;
          }
        }
      }
    }
    const visit = (n: unknown, parent: acorn.Node | null): void => {
      if (!n || typeof n !== "object") return;
      if (Array.isArray(n)) {
        for (const c of n) visit(c, parent);
        return;
      }
      const node = n as acorn.Node & Record<string, unknown>;
      if (typeof node.type !== "string") return;
      if (node.type === "FunctionExpression" || node.type === "FunctionDeclaration" || node.type === "ClassExpression") return;
      if (node.type === "ThisExpression") {
        const m = parent && parent.type === "MemberExpression" && (parent as acorn.MemberExpression).object === node ? (parent as acorn.MemberExpression) : null;
        const fname = m && !m.computed && m.property.type === "Identifier" ? m.property.name : null;
        const field = fname ? cls.fields.find((f) => f.name === fname) : null;
        if (field && (field.classField || (created.get(field.name) ?? Infinity) <= node.start)) return;
        if (field && this.isCreatingAssignment(m!, body)) return;
        if (!field && node.start > lastCreate) return;
        if (field) {
          this.report("use-before-declaration", `\`this.${fname}\` is used before the constructor creates it`, `create \`this.${fname}\` first (an assignment at the top of the constructor)`, node);
        } else if (!fname || !cls.methods.has(fname) || node.start <= lastCreate) {
          if (fname && !cls.methods.has(fname)) return; // reported as a missing field elsewhere
          this.report("use-before-declaration", "`this` is used before the constructor has created every field", "create all fields first (assignments at the top of the constructor)", node);
        }
        return;
      }
      for (const key of Object.keys(node)) {
        if (key === "loc" || key === "type" || key === "start" || key === "end") continue;
        visit(node[key], node);
      }
    };
    visit(body.body, null);
  }

  /** Whether `this.f` is the target of a field-creating `this.f = …` statement of the constructor. */
  private isCreatingAssignment(m: acorn.MemberExpression, body: acorn.BlockStatement): boolean {
    return body.body.some((st) => st.type === "ExpressionStatement" && st.expression.type === "AssignmentExpression" && st.expression.operator === "=" && st.expression.left === m);
  }

  /** A function used as a value: a closure of its own arity (callbacks adapt it, see bindCallback). */
  private functionName(info: FnInfo, node: acorn.Node, scope: Scope): TExpr {
    const x = this.closureOf(info, node, scope);
    x.fn = info;
    return x;
  }

  /** A function literal used as a value (an argument, an element, a variable that is reassigned…). */
  functionValue(node: acorn.ArrowFunctionExpression | acorn.FunctionExpression, scope: Scope, nameHint: string | null): TExpr {
    const name = node.type === "FunctionExpression" && node.id ? node.id.name : (nameHint ?? "lambda");
    if (node.type === "FunctionExpression" && node.id) {
      this.report(
        "unsupported-syntax",
        "named function expressions are not supported",
        `drop the name after \`function\`, or declare it: \`function ${node.id.name}(…) { … }\``,
        node.id,
      );
    }
    const info = this.newFunction(name, node, node, scope, node);
    this.functionBody(info);
    const x = this.closureOf(info, node, scope);
    x.fn = info;
    return x;
  }

  /** A closure expression of `info` with its own parameters (a callback slot may re-bind it). */
  private closureOf(info: FnInfo, node: acorn.Node, scope: Scope): TExpr {
    const params = info.params.map((p) => p.tv);
    const e: ClosureExpr = { kind: "closure", fn: info.sym, params: [], ret: NUMBER, type: NUMBER, loc: locOf(node) };
    const rec = { e, params, ret: info.ret };
    info.closures.push(rec);
    this.recordCall(scope.ctx, info, node, true);
    if (info.minArgs < info.params.length) {
      // A value is always called with all its arguments: defaults only apply to direct calls.
      rec.params = params.slice(0, info.params.length);
    }
    const t = this.solver.fresh({ kind: "fn", params: rec.params, ret: info.ret });
    return this.make(e, t);
  }

  /**
   * Binds a callback argument to the signature its caller uses: `params.length` arguments of these
   * types and a result of type `ret` (or "void": ignored, "truthy": any value, tested for truthiness,
   * "number": a number or a boolean). Function literals and names adapt to the arity (they may
   * declare fewer parameters); other function values must match exactly.
   */
  bindCallback(arg: TExpr, at: acorn.Node, params: TVar[], ret: TVar | "void" | "truthy" | "number", what: string): void {
    const s = this.solver;
    if (arg.fn && arg.e.kind === "closure") {
      const info = arg.fn;
      const rec = info.closures.find((c) => c.e === arg.e);
      if (!rec) return;
      if (info.params.length > params.length && info.minArgs > params.length) {
        this.report(
          "argument-count",
          `the callback of ${what} takes ${info.params.length} parameters but is called with ${params.length}`,
          CALLBACK_ARITY_HINT,
          at,
        );
        s.poison(arg.t);
        return;
      }
      for (let i = 0; i < info.params.length && i < params.length; i++) {
        const p = info.params[i]!;
        this.unify(p.tv, params[i]!, at, (pt, at2) => `the callback's parameter \`${p.sym.name}\` is a ${typeName(pt)} but ${what} passes a ${typeName(at2)}`, "");
      }
      rec.params = params;
      let slotRet: TVar;
      if (ret === "void") slotRet = s.fresh(VOID);
      else if (ret === "truthy") slotRet = s.fresh(BOOLEAN);
      else if (ret === "number") {
        slotRet = s.fresh(NUMBER);
        this.whenKnown(info.ret, (t) => {
          if (t.kind !== "number" && t.kind !== "boolean") {
            this.report("type-mismatch", `the callback of ${what} must return a number, not a ${s.describe(info.ret)}`, "return a negative number, zero or a positive number", at);
          }
        });
      } else {
        slotRet = ret;
        this.unify(ret, info.ret, at, (a, b) => `the callback of ${what} returns a ${typeName(b)} but a ${typeName(a)} is expected`, "");
      }
      if (ret === "void" || ret === "truthy") {
        this.requireValueOrVoid(info.ret, ret === "truthy", at, what);
      }
      rec.ret = slotRet;
      const u = s.unify(arg.t, s.fresh({ kind: "fn", params, ret: slotRet }));
      if (!u.ok) {
        // The literal's own fn type had another arity: rebuild it.
        const fresh = s.fresh({ kind: "fn", params, ret: slotRet });
        arg.t = fresh;
        const idx = this.exprs.findIndex((x) => x.e === arg.e);
        if (idx >= 0) this.exprs[idx]!.t = fresh;
      }
      return;
    }
    // Any other function value: must have exactly this signature.
    const retVar = ret === "void" ? s.fresh(VOID) : ret === "truthy" ? s.fresh(BOOLEAN) : ret === "number" ? s.fresh(NUMBER) : ret;
    this.unify(
      s.fresh({ kind: "fn", params, ret: retVar }),
      arg.t,
      at,
      (a, b) => `${what} needs a ${typeName(a)} but this is a ${typeName(b)}`,
      "pass a function literal, e.g. `(x) => …`",
    );
  }

  /** A callback whose result is ignored or only tested: any value is fine, but it must be known. */
  private requireValueOrVoid(t: TVar, mustHaveValue: boolean, at: acorn.Node, what: string): void {
    if (!mustHaveValue) return;
    this.whenKnown(t, (term) => {
      if (term.kind === "void") {
        this.report("void-value", `the callback of ${what} returns nothing`, "return a value (the test) from the callback", at);
      }
    });
  }

  recordCall(caller: FnCtx, callee: FnInfo, node: acorn.Node, value: boolean): void {
    const rec: CallRecord = { caller, callee, node, pos: node.start, loc: locOf(node), value, caught: this.catchDepth > 0 };
    this.calls.push(rec);
    callee.ctx.callSites.push(rec);
  }

  private unary(node: acorn.UnaryExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    switch (node.operator) {
      case "-":
      case "+":
      case "~": {
        this.markNumeric(node.argument);
        const x = this.value(node.argument, scope);
        this.members.requireNumeric(x, node.argument, `unary \`${node.operator}\``);
        return this.make({ kind: "unary", op: node.operator, operand: x.e, type: NUMBER, loc }, this.solver.fresh(NUMBER));
      }
      case "!": {
        const x = this.value(node.argument, scope);
        return this.make({ kind: "unary", op: "!", operand: x.e, type: BOOLEAN, loc }, this.solver.fresh(BOOLEAN));
      }
      case "typeof": {
        if (node.argument.type === "Identifier" && !scope.lookup(node.argument.name) && !["NaN", "Infinity", "undefined"].includes(node.argument.name)) {
          this.unknownName(node.argument.name, node.argument);
          return this.bad(node);
        }
        const x = this.value(node.argument, scope);
        return this.make({ kind: "unary", op: "typeof", operand: x.e, type: STRING, loc }, this.solver.fresh(STRING));
      }
      case "void":
        this.report("unsupported-syntax", "the void operator is not supported", "write the expression as a statement of its own", node);
        return this.bad(node);
      case "delete":
        return this.members.deleteExpression(node, scope);
    }
    return this.bad(node);
  }

  private binary(node: acorn.BinaryExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    const op = node.operator;
    if (op === "instanceof") return this.members.instanceOf(node, scope);
    if (node.left.type === "PrivateIdentifier") {
      this.report("unsupported-syntax", "private names are not supported", "classes are not supported", node.left);
      return this.bad(node);
    }
    if (op === "in") return this.members.inExpression(node, scope);
    if (op !== "==" && op !== "!=" && op !== "===" && op !== "!==") {
      this.markNumeric(node.left);
      this.markNumeric(node.right);
    } else {
      if (node.left.type === "MemberExpression" || node.left.type === "CallExpression") this.lenientIndex.add(node.left);
      if (node.right.type === "MemberExpression" || node.right.type === "CallExpression") this.lenientIndex.add(node.right);
    }
    const l = this.value(node.left, scope);
    const r = this.value(node.right, scope);
    switch (op) {
      case "+": {
        const res = this.solver.fresh();
        this.plus(res, l.t, r.t, node, "+");
        return this.make({ kind: "binary", op: "+", left: l.e, right: r.e, type: NUMBER, loc }, res);
      }
      case "-":
      case "*":
      case "/":
      case "%":
      case "**":
      case "&":
      case "|":
      case "^":
      case "<<":
      case ">>":
      case ">>>": {
        this.members.requireNumeric(l, node.left, `\`${op}\``);
        this.members.requireNumeric(r, node.right, `\`${op}\``);
        return this.make({ kind: "binary", op, left: l.e, right: r.e, type: NUMBER, loc }, this.solver.fresh(NUMBER));
      }
      case "<":
      case "<=":
      case ">":
      case ">=": {
        const lk = this.solver.kindOf(l.t);
        const rk = this.solver.kindOf(r.t);
        // Mixed number/string compares numerically (ToNumber of the string), as in JS.
        const mixed = (lk === "string" && rk === "number") || (lk === "number" && rk === "string") || lk === "dyn" || rk === "dyn";
        if (!mixed) this.unify(l.t, r.t, node, (a, b) => `\`${op}\` compares a ${typeName(a)} with a ${typeName(b)}`, "compare two numbers or two strings");
        this.comparable(l.t, r.t, node, op);
        return this.make({ kind: "binary", op, left: l.e, right: r.e, type: BOOLEAN, loc }, this.solver.fresh(BOOLEAN));
      }
      case "==":
      case "!=":
      case "===":
      case "!==":
        return this.members.equality(node, op, l, r);
    }
    return this.bad(node);
  }

  private logical(node: acorn.LogicalExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    // `d[k] || 0`, `m.get(k) ?? 0`: a missing entry (JS undefined) gives the right side.
    if (node.operator !== "&&" && (node.left.type === "MemberExpression" || node.left.type === "CallExpression")) this.lenientIndex.add(node.left);
    const l = this.value(node.left, scope);
    const r = this.value(node.right, scope);
    const lenientRead = (l.e.kind === "index" && l.e.lenient) || (l.e.kind === "member" && l.e.lenient) || (l.e.kind === "method" && l.e.lenient);
    if (node.operator === "??" && !lenientRead) {
      const lk = this.solver.kindOf(l.t);
      if (lk !== "dyn" && lk !== "null" && lk !== "undefined") {
        this.unify(l.t, r.t, node, (a, b) => `the operands of \`??\` have different types (${typeName(a)} and ${typeName(b)})`, "use operands of the same type");
        // Values of static types are never null or undefined: `a ?? b` is `a`.
        return this.make(l.e, l.t);
      }
    }
    // The result is one of the operands: a slot that becomes dyn when they have different types.
    const slot = `logic:${node.start}`;
    const res = this.dynSlots.has(slot) ? this.solver.fresh(DYN) : this.solver.fresh();
    const msg = (a: Type, b: Type) => `the operands of \`${node.operator}\` have different types (${typeName(a)} and ${typeName(b)})`;
    const hint = "use operands of the same type (the result is one of the operands), or compare first: `(a !== 0) && (b !== \"\")`";
    const left = this.flow(l, res, node.left, slot, msg, hint);
    const right = this.flow(r, res, node.right, slot, msg, hint);
    return this.make({ kind: "logical", op: node.operator, left, right, type: NUMBER, loc }, res);
  }

  /** The target of an assignment or update: its lvalue, its type and how to name it in messages. */
  assignTarget(node: acorn.Node, scope: Scope, op: string): { lv: LValue; tv: TVar; what: string; binding: VarBinding | null; slot: string | null } | null {
    if (node.type === "Identifier") {
      const name = (node as acorn.Identifier).name;
      const b = this.resolve(name, node, scope);
      if (!b) {
        this.unknownName(name, node);
        return null;
      }
      if (b.kind === "function") {
        this.report("const-assignment", `cannot assign to function \`${name}\``, "functions cannot be reassigned: use a variable for values that change", node);
        return null;
      }
      if (b.kind === "class") {
        this.report("const-assignment", `cannot assign to class \`${name}\``, "use another name", node);
        return null;
      }
      if (b.isConst) {
        this.report("const-assignment", `\`${name}\` is a constant: \`${op}\` would throw a TypeError`, `declare it with let: \`let ${name} = …\``, node);
        return null;
      }
      b.assigned = true;
      return { lv: { kind: "var", symbol: b.sym }, tv: b.tv, what: `\`${name}\``, binding: b, slot: b.slot };
    }
    if (node.type === "MemberExpression") {
      const m = node as acorn.MemberExpression;
      if (m.object.type === "Super") {
        this.report("unsupported-syntax", "super is not supported", "classes are not supported", m.object);
        return null;
      }
      if (m.object.type === "Identifier" && (m.object.name === "Math" || m.object.name === "console") && !scope.lookup(m.object.name)) {
        this.report("unsupported-syntax", `cannot assign to \`${m.object.name}\` properties`, "use your own variables", node);
        return null;
      }
      return this.members.elementTarget(m, scope);
    }
    this.report("unsupported-syntax", "destructuring assignment is not supported", "assign each variable separately", node);
    return null;
  }

  private assignment(node: acorn.AssignmentExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    const op = node.operator;
    if (op === "??=") {
      this.report("unsupported-syntax", "`??=` is not supported", "values are never null or undefined in stelp: the assignment would never happen; remove it", node);
      return this.bad(node);
    }
    const target = this.assignTarget(node.left, scope, op);
    const v = this.value(node.right, scope);
    if (!target) return this.bad(node);
    let value = v.e;
    switch (op) {
      case "=":
      case "&&=":
      case "||=":
        value = this.flow(
          v,
          target.tv,
          node.right,
          op === "=" && this.splitCandidate && this.splitCandidate.stmt.expression === node && target.binding && this.splitCandidate.scope.names.get(target.binding.sym.name) === target.binding
            ? (() => {
                const key = `split:${this.splitCandidate!.stmt.start}`;
                return () => this.wantSplit.add(key);
              })()
            : target.slot,
          (a, b) => `cannot assign a ${typeName(b)} to ${target.what}, which holds a ${typeName(a)}`,
          "a variable keeps the type of its first value: use another variable for the new value",
        );
        break;
      case "+=":
        this.plus(target.tv, target.tv, v.t, node, "+=");
        break;
      default: {
        const hint = "only numbers can be used with arithmetic and bitwise operators";
        if (this.solver.kindOf(target.tv) !== "dyn") {
          this.expect(target.tv, NUMBER, node.left, (t) => `\`${op}\` needs a number but ${target.what} is a ${typeName(t)}`, hint);
        }
        this.members.requireNumeric(v, node.right, `\`${op}\``);
      }
    }
    return this.make({ kind: "assign", op: op as AssignOp, target: target.lv, value, type: NUMBER, loc }, target.tv);
  }

  checkPropertyName(node: acorn.MemberExpression): string | null {
    if (!node.computed) {
      if (node.property.type !== "Identifier") {
        this.report("unsupported-syntax", "private names are not supported", "classes are not supported", node.property);
        return null;
      }
      const name = node.property.name;
      if (FORBIDDEN_PROPERTIES.has(name)) {
        this.report("forbidden-property", `property \`${name}\` is not allowed`, "do not touch object internals; use the value directly", node.property);
        return null;
      }
      return name;
    }
    const p = node.property;
    if (p.type === "Literal" && typeof p.value === "string" && FORBIDDEN_PROPERTIES.has(p.value)) {
      this.report("forbidden-property", `property \`${p.value}\` is not allowed`, "do not touch object internals; use the value directly", p);
      return null;
    }
    if (p.type === "TemplateLiteral" && p.quasis.some((q) => FORBIDDEN_PROPERTIES.has(q.value.cooked ?? ""))) {
      this.report("forbidden-property", "this property is not allowed", "do not touch object internals; use the value directly", p);
      return null;
    }
    return null;
  }

  isBuiltinObject(node: acorn.Node, name: string, scope: Scope): boolean {
    return node.type === "Identifier" && (node as acorn.Identifier).name === name && !scope.lookup(name);
  }

  private member(node: acorn.MemberExpression, scope: Scope): TExpr {
    if (node.optional) {
      this.report("unsupported-syntax", "optional chaining (?.) is not supported", "values are never null or undefined in stelp: use .", node);
      return this.bad(node);
    }
    if (node.object.type === "Super") {
      this.report("unsupported-syntax", "super is not supported", "classes are not supported", node.object);
      return this.bad(node);
    }
    if (node.computed) {
      if (this.checkPropertyName(node) === null && this.diagnosticsAt(node.property)) return this.bad(node);
      const obj = this.value(node.object, scope);
      const idx = this.value(node.property, scope);
      return this.members.index(node, obj, idx, this.lenientIndex.has(node), this.numericIndex.has(node));
    }
    const prop = this.checkPropertyName(node);
    if (prop === null) return this.bad(node);
    if (this.isBuiltinObject(node.object, "Math", scope)) {
      const c = MATH_CONSTANTS.get(prop);
      if (c !== undefined) return this.lit("number", c, node);
      if (isMathFunction(prop)) {
        this.report("function-not-value", `\`Math.${prop}\` is used as a value`, `call it: \`Math.${prop}(…)\`, or wrap it: \`(x) => Math.${prop}(x)\``, node);
      } else {
        this.report("unsupported-builtin", `\`Math.${prop}\` does not exist or is not supported`, "see docs/subset.md for the supported Math functions and constants", node.property);
      }
      return this.bad(node);
    }
    if (this.isBuiltinObject(node.object, "console", scope)) {
      this.report("function-not-value", `\`console.${prop}\` is used as a value`, "call console.log(…) or console.error(…) directly", node);
      return this.bad(node);
    }
    const staticMember = this.members.staticMember(node, prop, scope);
    if (staticMember) return staticMember;
    const obj = this.value(node.object, scope);
    const x = this.members.property(node, obj, prop);
    if (this.lenientIndex.has(node) && x.e.kind === "member") x.e.lenient = true;
    return x;
  }

  /** Whether a diagnostic was reported at this node's position. */
  private diagnosticsAt(node: acorn.Node): boolean {
    const l = locOf(node);
    return this.diagnostics.some((d) => d.line === l.line && d.column === l.column);
  }

  /** Evaluates call arguments; function literals stay adaptable callbacks. */
  args(nodes: (acorn.Expression | acorn.SpreadElement)[], scope: Scope): ArgX[] {
    return nodes.map((a) => {
      if (a.type === "SpreadElement") return { x: this.value(a.argument, scope), spread: true, node: a };
      return { x: this.value(a, scope), spread: false, node: a };
    });
  }

  private call(node: acorn.CallExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    if (node.optional) {
      this.report("unsupported-syntax", "optional calls (?.()) are not supported", "call the function directly", node);
      return this.bad(node);
    }
    const callee = node.callee;
    if (callee.type === "Identifier") {
      const b = this.resolve(callee.name, callee, scope);
      if (!b) {
        const tool = this.toolNamed(callee.name);
        if (tool) return this.toolCall(node, tool, scope);
        if (this.members.isBuiltinGlobal(callee.name)) return this.members.globalCall(node, callee.name, scope);
        this.args(node.arguments, scope);
        this.unknownName(callee.name, callee);
        return this.bad(node);
      }
      if (b.kind === "variable") return this.callValue(node, this.identifier(callee, scope), scope);
      if (b.kind === "class") {
        this.args(node.arguments, scope);
        this.report("not-callable", `class \`${callee.name}\` cannot be called without new`, `write \`new ${callee.name}(…)\``, node);
        return this.bad(node);
      }
      return this.directCall(node, b.info, scope);
    }
    if (callee.type === "MemberExpression" && !callee.optional) {
      if (callee.object.type === "Super") {
        this.report("unsupported-syntax", "super is not supported", "classes are not supported", callee.object);
        return this.bad(node);
      }
      let prop: string | null = null;
      if (!callee.computed) {
        if (callee.property.type === "Identifier") prop = callee.property.name;
      } else if (callee.property.type === "Literal" && typeof callee.property.value === "string") {
        prop = callee.property.value;
      }
      if (prop !== null && FORBIDDEN_PROPERTIES.has(prop)) {
        this.report("forbidden-property", `property \`${prop}\` is not allowed`, "do not touch object internals", callee.property);
        return this.bad(node);
      }
      if (prop !== null && callee.object.type === "Identifier") {
        const cb = scope.lookup(callee.object.name);
        if (cb && cb.kind === "class") {
          this.resolve(callee.object.name, callee.object, scope);
          const info = cb.cls.statics.get(prop);
          if (!info) {
            this.args(node.arguments, scope);
            this.report("unsupported-builtin", `\`${cb.cls.name}\` has no static method \`${prop}\``, "call a static method declared with `static`", callee.property);
            return this.bad(node);
          }
          return this.directCall(node, info, scope);
        }
      }
      if (prop !== null) {
        if (this.isBuiltinObject(callee.object, "Math", scope)) return this.mathCall(node, prop, scope);
        if (this.isBuiltinObject(callee.object, "console", scope)) return this.consoleCall(node, prop, scope);
        const st = this.members.staticCall(node, callee, prop, scope);
        if (st) return st;
        return this.members.methodCall(node, callee, prop, scope);
      }
    }
    const cx = this.expression(callee, scope, false);
    return this.callValue(node, cx, scope);
  }

  /** A call of a snippet function by name (or a static method): arguments flow into its parameters. */
  private directCall(node: acorn.CallExpression, info: FnInfo, scope: Scope): TExpr {
    const loc = locOf(node);
    const argx = this.args(node.arguments, scope);
    if (argx.some((a) => a.spread)) {
      this.report("unsupported-syntax", "spread arguments (...) in calls of your own functions are not supported", "pass the arguments explicitly, or make the function take an array", node);
      return this.bad(node);
    }
    const declared = info.node.params.length;
    // Missing arguments are undefined (parameters with defaults take their default).
    while (argx.length < info.minArgs && info.params.length === declared) {
      argx.push({ x: this.unit("undefined", node), spread: false, node });
    }
    if (argx.length > info.params.length || argx.length < info.minArgs || info.params.length !== declared) {
      this.report(
        "argument-count",
        `\`${info.sym.name}\` takes ${info.minArgs < declared ? `${info.minArgs} to ${declared}` : declared} argument(s) but is called with ${argx.length}`,
        "pass one argument per parameter (missing arguments would be undefined)",
        node,
      );
      return this.bad(node);
    }
    let argsOk = true;
    const args: Expr[] = [];
    argx.forEach((a, i) => {
      const p = info.params[i]!;
      const before = this.errorCount;
      args.push(
        this.flow(
          a.x,
          p.tv,
          a.node,
          p.slot,
          (pt, at) => `argument ${i + 1} of \`${info.sym.name}\` is a ${typeName(at)} but parameter \`${p.sym.name}\` is a ${typeName(pt)}`,
          "pass a value of the parameter's type (every call must use the same types)",
        ),
      );
      if (this.errorCount > before) argsOk = false;
      this.solver.noteOrigin(p.tv, `from the call of \`${info.sym.name}\` on line ${loc.line}`);
    });
    this.recordCall(scope.ctx, info, node, false);
    if (!argsOk) return this.bad(node);
    return this.make({ kind: "call", callee: info.sym, args, type: NUMBER, loc }, info.ret);

  }

  /** The registered host tool of this name (a snippet's own declaration of the name shadows it). */
  private toolNamed(name: string): ToolSignature | undefined {
    return this.options.tools?.find((t) => t.name === name);
  }

  /** A call of a host tool: checked against the signature the embedder registered. */
  private toolCall(node: acorn.CallExpression, tool: ToolSignature, scope: Scope): TExpr {
    const loc = locOf(node);
    const argx = this.args(node.arguments, scope);
    const approved = this.options.approvedTools;
    if (!approved || !approved.has(tool.name)) {
      const listed = approved && approved.size > 0 ? `the policy approves: ${[...approved].sort().join(", ")}` : "the policy approves no tools";
      this.report("tool-not-approved", `the tool \`${tool.name}\` is not approved by the policy`, `do the work without it (${listed})`, node.callee);
      return this.bad(node);
    }
    if (this.options.toolsUnavailable) {
      this.report("tools-unavailable", `the tool \`${tool.name}\` cannot be called here: ${this.options.toolsUnavailable}`, "run with the node engine (the default) or the inline engine, which link host tools", node.callee);
      return this.bad(node);
    }
    if (argx.some((a) => a.spread)) {
      this.report("unsupported-syntax", "spread arguments (...) in tool calls are not supported", `pass the arguments explicitly: ${signatureText(tool)}`, node);
      return this.bad(node);
    }
    if (argx.length !== tool.params.length) {
      this.report("argument-count", `the tool \`${tool.name}\` takes ${tool.params.length} argument(s) but is called with ${argx.length}`, `call it as ${signatureText(tool)}`, node);
      return this.bad(node);
    }
    let argsOk = true;
    const args = argx.map((a, i) => {
      const p = tool.params[i]!;
      const before = this.errorCount;
      const slot = this.solver.fresh(p.type, `the parameter \`${p.name}\` of the tool \`${tool.name}\``);
      const x = this.flow(
        a.x,
        slot,
        a.node,
        null,
        (pt, at) => `argument ${i + 1} of the tool \`${tool.name}\` is a ${typeName(at)} but parameter \`${p.name}\` is a ${typeName(pt)}`,
        `pass values of the declared types: ${signatureText(tool)}`,
      );
      if (this.errorCount > before) argsOk = false;
      return x;
    });
    if (!argsOk) return this.bad(node);
    this.usedTools.set(tool.name, tool);
    // A failing tool throws: the function around the call may throw, unless a catch here takes it.
    const site = this.awaitedCall?.call === node ? this.awaitedCall.await : node;
    this.awaitedCall = null;
    this.toolCallSites.push({ caller: scope.ctx, node: site, name: tool.name, caught: this.catchDepth > 0, loc });
    return this.make({ kind: "tool-call", tool: tool.name, args, type: NUMBER, loc }, this.solver.fresh(tool.returns, `the result of the tool \`${tool.name}\``));
  }

  /** Calls a function value: `f(x)` where f is a variable or parameter holding a function. */
  private callValue(node: acorn.CallExpression, callee: TExpr, scope: Scope): TExpr {
    const loc = locOf(node);
    const argx = this.args(node.arguments, scope);
    if (argx.some((a) => a.spread)) {
      this.report("unsupported-syntax", "spread arguments (...) are not supported here", "pass the arguments explicitly", node);
      return this.bad(node);
    }
    if (argx.length > 4) {
      this.report("argument-count", "function values take at most 4 arguments", "pass an array or an object instead", node);
      return this.bad(node);
    }
    const k = this.solver.kindOf(callee.t);
    if (k && k !== "fn" && !this.solver.isPoisoned(callee.t)) {
      this.report("not-callable", `this is a ${this.solver.describe(callee.t)}, not a function`, "call a function declared with `function` or `const f = (…) => …`", node.callee);
      return this.bad(node);
    }
    const ret = this.solver.fresh();
    const params = argx.map(() => this.solver.fresh());
    if (!this.unify(callee.t, this.solver.fresh({ kind: "fn", params, ret }), node, (a, b) => `this function value is a ${typeName(a)} but it is called as a ${typeName(b)}`, "call a function value with the same number and types of arguments everywhere")) {
      return this.bad(node);
    }
    const args = argx.map((a, i) => this.flow(a.x, params[i]!, a.node, null, (p, v) => `argument ${i + 1} is a ${typeName(v)} but the function takes a ${typeName(p)}`, ""));
    if (callee.e.kind === "closure" && callee.fn) {
      // An immediately-called literal or a function name: a direct call.
      void 0;
    }
    return this.make({ kind: "call-value", callee: callee.e, args, type: NUMBER, loc }, ret);
  }

  private mathCall(node: acorn.CallExpression, name: string, scope: Scope): TExpr {
    const loc = locOf(node);
    for (const a of node.arguments) this.markNumeric(a);
    const argx = this.args(node.arguments, scope);
    if (!isMathFunction(name)) {
      if (MATH_CONSTANTS.has(name)) this.report("not-callable", `\`Math.${name}\` is a constant, not a function`, `use it without parentheses: \`Math.${name}\``, node);
      else this.report("unsupported-builtin", `\`Math.${name}\` does not exist or is not supported`, "see docs/subset.md for the supported Math functions", (node.callee as acorn.MemberExpression).property);
      return this.bad(node);
    }
    const arity = MATH_FUNCTIONS.get(name);
    if (name === "random" && !this.options.allowRandom) {
      this.report(
        "random-not-granted",
        "Math.random is not granted by the policy",
        "make the program deterministic (e.g. a fixed list of test values or your own seeded generator), or run with a policy that grants a random seed",
        node,
      );
      return this.bad(node);
    }
    const hasSpread = argx.some((a) => a.spread);
    if (hasSpread && arity !== null) {
      this.report("unsupported-syntax", `spread arguments are only supported for Math.min, Math.max and Math.hypot`, `pass exactly ${arity} argument(s)`, node);
      return this.bad(node);
    }
    if (arity !== null && arity !== undefined && argx.length !== arity) {
      this.report("argument-count", `\`Math.${name}\` takes ${arity} argument(s) but is called with ${argx.length}`, `pass exactly ${arity} number argument(s)`, node);
      return this.bad(node);
    }
    argx.forEach((a, i) => {
      if (a.spread) {
        this.expect(a.x.t, { kind: "array", elem: this.solver.fresh(NUMBER) }, a.node, (t) => `\`...\` in \`Math.${name}\` needs an array of numbers, not a ${typeName(t)}`, "spread an array of numbers");
      } else {
        this.members.requireNumeric(a.x, a.node, `argument ${i + 1} of \`Math.${name}\``);
      }
    });
    if (name === "random") this.usesRandom = true;
    return this.make(
      { kind: "math-call", name: name as MathFunction, args: argx.map((a) => a.x.e), spread: argx.map((a) => a.spread), type: NUMBER, loc },
      this.solver.fresh(NUMBER),
    );
  }

  private consoleCall(node: acorn.CallExpression, name: string, scope: Scope): TExpr {
    const loc = locOf(node);
    const argx = this.args(node.arguments, scope);
    if (argx.some((a) => a.spread)) {
      this.report("unsupported-syntax", "spread arguments in console calls are not supported", "pass the values explicitly, or print `arr.join(\" \")`", node);
      return this.bad(node);
    }
    for (const a of argx) this.members.requirePrintable(a.x, a.node);
    if (name === "assert") {
      const args = node.arguments as acorn.Expression[];
      if (argx.length === 0) {
        // console.assert() with no arguments: the test is undefined, so it always fails.
        const test = this.unit("undefined", node);
        const e: AssertExpr = { kind: "assert", test: test.e, message: null, type: VOID, loc };
        return this.make(e, this.solver.fresh(VOID));
      }
      let message: ConsoleExpr | null = null;
      if (argx.length > 1) {
        const rest = argx.slice(1);
        const first = rest[0]!;
        const prefix: Expr = { kind: "template", quasis: ["Assertion failed: ", ""], expressions: [first.x.e], type: STRING, loc: first.x.e.loc };
        this.make(prefix, this.solver.fresh(STRING));
        this.members.requireStringable(first.x, first.node, "console.assert's message");
        message = { kind: "console", stream: "err", args: [prefix, ...rest.slice(1).map((a) => a.x.e)], format: "join", type: VOID, loc };
        if (rest.length > 1) this.consoles.push({ e: message, first: args[1]! });
      }
      const e: AssertExpr = { kind: "assert", test: argx[0]!.x.e, message, type: VOID, loc };
      return this.make(e, this.solver.fresh(VOID));
    }
    const stream = name === "log" || name === "info" || name === "debug" ? "out" : name === "error" || name === "warn" || name === "trace" ? "err" : null;
    if (!stream || name === "trace") {
      this.report("unsupported-builtin", `\`console.${name}\` is not supported`, "use console.log(…) (stdout) or console.error(…) (stderr)", (node.callee as acorn.MemberExpression).property);
      return this.bad(node);
    }
    const e: ConsoleExpr = { kind: "console", stream, args: argx.map((a) => a.x.e), format: "join", type: VOID, loc };
    if (argx.length > 0) this.consoles.push({ e, first: node.arguments[0]! });
    return this.make(e, this.solver.fresh(VOID));
  }

  // -------------------------------------------------------------------------------------------
  // Arrays and objects

  private arrayLiteral(node: acorn.ArrayExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    const slot = `elem:${node.start}`;
    const elem = this.dynSlots.has(slot) ? this.solver.fresh(DYN) : this.solver.fresh();
    const elements: Expr[] = [];
    const spread: boolean[] = [];
    const xs: (TExpr | null)[] = [];
    for (const el of node.elements) {
      if (el === null) {
        this.report("unsupported-value", "array holes (`[1, , 2]`) are not supported", "write every element (holes read as undefined)", node);
        return this.bad(node);
      }
      if (el.type === "SpreadElement") {
        const keys = this.members.arrayKeysSpread(el.argument, scope);
        if (keys) {
          this.unify(elem, this.solver.fresh(NUMBER), el, (a) => `the array holds ${typeName(a)} values but \`...Array(n).keys()\` gives numbers`, "");
          elements.push(keys.e);
          spread.push(true);
          xs.push(null);
          continue;
        }
        const x = this.value(el.argument, scope);
        this.members.iterate(x, elem, el.argument, "spread (...)");
        elements.push(x.e);
        spread.push(true);
        xs.push(null);
        continue;
      }
      const x = this.value(el, scope);
      xs.push(x);
      elements.push(x.e);
      spread.push(false);
    }
    const e: Expr = { kind: "array", elements, spread, type: NUMBER, loc };
    const flowAll = (): void => {
      xs.forEach((x, i) => {
        if (!x) return;
        elements[i] = this.flow(x, elem, node.elements[i]!, slot, (a, b) => `this array mixes ${typeName(a)} and ${typeName(b)} elements`, "keep one type per array (e.g. all numbers), or use separate arrays");
      });
    };
    const s = this.solver;
    const k0 = xs[0] ? s.kindOf(xs[0].t) : null;
    const k1 = xs[1] ? s.kindOf(xs[1].t) : null;
    if (xs.length === 2 && xs[0] && xs[1] && !this.dynSlots.has(slot) && !(k0 && k0 === k1)) {
      // `[a, b]` of two types (or unknown ones): an array, or a [key, value] pair where one is
      // expected (Object.fromEntries, new Map, a tuple parameter…): decided by how it is used.
      const t = s.fresh();
      this.whenKnown(
        t,
        (term) => {
          if (term.kind === "tuple") {
            this.unify(term.elems[0]!, xs[0]!.t, node.elements[0]!, (a, b) => `this pair's first element is a ${typeName(b)} but a ${typeName(a)} is expected`, "");
            this.unify(term.elems[1]!, xs[1]!.t, node.elements[1]!, (a, b) => `this pair's second element is a ${typeName(b)} but a ${typeName(a)} is expected`, "");
          } else if (term.kind === "array") {
            s.unify(elem, term.elem);
            flowAll();
          } else {
            this.report("type-mismatch", `an array literal is used as a ${s.describe(t)}`, "", node);
          }
        },
        () => {
          const f0 = s.kindOf(xs[0]!.t);
          const f1 = s.kindOf(xs[1]!.t);
          // Two values of different known types: a pair (as in [key, value]); otherwise an array.
          if (f0 && f1 && f0 !== f1 && f0 !== "dyn" && f1 !== "dyn" && f0 !== "void" && f1 !== "void") s.assign(t, { kind: "tuple", elems: [s.fresh(), s.fresh()] });
          else s.assign(t, { kind: "array", elem });
          return true;
        },
      );
      return this.make(e, t);
    }
    flowAll();
    return this.make(e, this.solver.fresh({ kind: "array", elem }));
  }

  private objectLiteral(node: acorn.ObjectExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    const slot = `vals:${node.start}`;
    // An object whose values have different types is a record (fixed keys, a type per key).
    if (this.dynSlots.has(slot)) return this.recordLiteral(node, scope);
    const value = this.solver.fresh();
    const keys: string[] = [];
    const values: Expr[] = [];
    for (const p of node.properties) {
      if (p.type === "SpreadElement") {
        this.report("unsupported-syntax", "object spread (`{...o}`) is not supported", "copy the entries with a loop over Object.keys(o)", p);
        return this.bad(node);
      }
      if (p.kind !== "init" || p.method) {
        this.report("unsupported-syntax", "getters, setters and methods in object literals are not supported", "store plain values; write functions separately", p);
        return this.bad(node);
      }
      let key: string | null = null;
      if (!p.computed && p.key.type === "Identifier") key = p.key.name;
      else if (p.key.type === "Literal" && (typeof p.key.value === "string" || typeof p.key.value === "number")) key = String(p.key.value);
      if (key === null) {
        this.report("unsupported-syntax", "computed keys in object literals are not supported", "create the object, then set `obj[key] = value`", p.key);
        return this.bad(node);
      }
      if (FORBIDDEN_PROPERTIES.has(key)) {
        this.report("forbidden-property", `property \`${key}\` is not allowed`, "use another key", p.key);
        return this.bad(node);
      }
      const x = this.value(p.value, scope);
      values.push(this.flow(x, value, p.value, slot, (a, b) => `this object mixes ${typeName(a)} and ${typeName(b)} values`, "stelp objects are dictionaries with one value type: use separate variables, or one type for all values"));
      keys.push(key);
    }
    return this.make({ kind: "object", keys, values, type: NUMBER, loc }, this.solver.fresh({ kind: "dict", value }));
  }

  /** `{ name: "a", age: 3 }`: a record with one typed field per key, in JS own-key order. */
  private recordLiteral(node: acorn.ObjectExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    const keys: string[] = [];
    const values: Expr[] = [];
    const types = new Map<string, TVar>();
    for (const p of node.properties) {
      if (p.type === "SpreadElement" || p.kind !== "init" || p.method) return this.bad(node); // reported in the first round
      let key: string | null = null;
      if (!p.computed && p.key.type === "Identifier") key = p.key.name;
      else if (p.key.type === "Literal" && (typeof p.key.value === "string" || typeof p.key.value === "number")) key = String(p.key.value);
      if (key === null) return this.bad(node);
      if (types.has(key)) {
        this.report("unsupported-syntax", `the key \`${key}\` appears twice in this object`, "write each key once", p.key);
        return this.bad(node);
      }
      const x = this.value(p.value, scope);
      const slot = `field:${node.start}:${key}`;
      const tv = this.dynSlots.has(slot) ? this.solver.fresh(DYN) : this.solver.fresh();
      values.push(this.flow(x, tv, p.value, slot, (a, b) => `\`${key}\` is a ${typeName(b)} here but a ${typeName(a)} elsewhere`, ""));
      keys.push(key);
      types.set(key, tv);
    }
    const order = jsKeyOrder(keys);
    const term: Term = { kind: "record", keys: order, fields: order.map((k) => types.get(k)!) };
    return this.make({ kind: "object", keys, values, type: NUMBER, loc }, this.solver.fresh(term));
  }

  /** `if (typeof x === "string") { … }`: inside, a dyn variable x that is never assigned reads as that type. */
  private typeofNarrowing(test: acorn.Expression, scope: Scope): Scope | null {
    if (test.type !== "BinaryExpression" || (test.operator !== "==" && test.operator !== "===")) return null;
    let t: acorn.Node = test.left;
    let lit: acorn.Node = test.right;
    if (t.type !== "UnaryExpression") [t, lit] = [lit, t];
    if (t.type !== "UnaryExpression" || (t as acorn.UnaryExpression).operator !== "typeof") return null;
    const arg = (t as acorn.UnaryExpression).argument;
    if (arg.type !== "Identifier" || lit.type !== "Literal" || typeof (lit as acorn.Literal).value !== "string") return null;
    const b = scope.lookup(arg.name);
    if (!b || b.kind !== "variable" || this.solver.kindOf(b.tv) !== "dyn" || this.assignedNames.has(arg.name)) return null;
    const kind = (lit as acorn.Literal).value as string;
    const type: Type | null = kind === "string" ? STRING : kind === "number" ? NUMBER : kind === "boolean" ? BOOLEAN : null;
    if (!type) return null;
    const inner = new Scope(scope, scope.ctx);
    inner.narrowed.set(arg.name, { binding: b, type });
    return inner;
  }

  // -------------------------------------------------------------------------------------------
  // After solving

  /** Calls run functions: every binding a callee needs must be initialised at the call. */
  private checkInitialisationOrder(): void {
    const work: FnCtx[] = this.ctxs.filter((c) => c.requires.size > 0);
    const queued = new Set(work);
    let budget = 2_000_000;
    const reported = new Set<string>();
    while (work.length > 0) {
      const ctx = work.pop()!;
      queued.delete(ctx);
      for (const call of ctx.callSites) {
        for (const [owner, req] of ctx.requires) {
          if (--budget < 0) throw new RangeError("initialisation analysis budget exhausted");
          if (owner === call.caller) {
            if (call.pos < req.end) {
              const key = `${call.pos}:${req.name}`;
              if (reported.has(key)) continue;
              reported.add(key);
              this.report(
                "use-before-declaration",
                call.value
                  ? `a function value of \`${call.callee.sym.name}\` is made before \`${req.name}\` (declared on line ${req.line}) is initialised, and it uses \`${req.name}\``
                  : `\`${call.callee.sym.name}\` is called before \`${req.name}\` (declared on line ${req.line}) is initialised, and it uses \`${req.name}\``,
                `move the declaration of \`${req.name}\` above this ${call.value ? "use" : "call"}`,
                call.loc,
              );
            }
          } else {
            const prev = call.caller.requires.get(owner);
            if (!prev || prev.end < req.end) {
              call.caller.requires.set(owner, req);
              if (!queued.has(call.caller)) {
                queued.add(call.caller);
                work.push(call.caller);
              }
            }
          }
        }
      }
    }
  }

  /**
   * Closure conversion: each function's captured variables are the enclosing functions' variables it
   * uses, plus those of the functions it calls or makes values of (which it must pass on). A captured
   * variable that is assigned after its initialisation lives in a shared `__Ref` cell.
   */
  private computeCaptures(): void {
    let changed = true;
    let budget = 1_000_000;
    while (changed) {
      changed = false;
      for (const call of this.calls) {
        const callerInfo = call.caller.info;
        for (const v of call.callee.captures) {
          if (--budget < 0) throw new RangeError("capture analysis budget exhausted");
          if (v.ctx === call.caller) continue;
          if (!callerInfo) continue;
          if (!callerInfo.captures.has(v)) {
            callerInfo.captures.add(v);
            changed = true;
          }
        }
      }
    }
    for (const info of this.fnInfos) {
      const caps = [...info.captures].sort((a, b) => a.sym.id - b.sym.id);
      info.sym.captures = caps.map((b) => b.sym);
      if (info.closures.length > 0) {
        for (const v of caps) {
          if (v.forHead && v.assigned) {
            this.report(
              "captured-variable",
              `a function value of \`${info.sym.name}\` captures the loop variable \`${v.sym.name}\` (each iteration has its own copy in JS)`,
              `copy it first: \`const ${v.sym.name}Now = ${v.sym.name};\` inside the loop body, and use that in the function`,
              info.sym.loc,
            );
          }
        }
      }
    }
    for (const sp of this.splitBindings) {
      if (sp.old.captured || sp.fresh.captured) {
        this.report(
          "type-mismatch",
          `\`${sp.fresh.sym.name}\` changes type here (${typeName(this.resolved(sp.old.tv))} to ${typeName(this.resolved(sp.fresh.tv))}) and a nested function uses it`,
          `use a new variable for the ${typeName(this.resolved(sp.fresh.tv))} value`,
          sp.at,
        );
      }
    }
    for (const b of this.varBindings) {
      if (!b.captured) continue;
      if (b.nestedVar) {
        this.report(
          "captured-variable",
          `\`var ${b.sym.name}\` is declared in a block and used by a nested function`,
          `declare it with let (or at the top of the function)`,
          b.sym.loc,
        );
      }
      if (b.assigned) b.sym.boxed = true;
    }
  }

  /** The dyn-slot key of a variable (for re-checking it as dyn). */
  slotOf(sym: VariableSymbol): string | null {
    const b = this.varBindings.find((v) => v.sym === sym);
    return b ? b.slot : null;
  }

  resolved(t: TVar): Type {
    return this.solver.resolve(t);
  }

  private finalizeTypes(): void {
    for (const cls of this.classes) {
      cls.decl.fields = cls.fields.map((f) => ({ name: f.name, emitName: `u_${mangle(f.name)}`, type: this.resolved(f.tv), init: this.fieldInits.get(f) ?? null }));
      cls.decl.methods = [...cls.methods.values(), ...cls.statics.values()].map((m) => m.sym);
    }
    for (const { b, e } of this.numericInits) {
      if (e.kind === "index" && b.reads > 0 && b.reads === b.numericReads && !b.captured) e.numeric = true;
    }
    for (const x of this.exprs) x.e.type = this.resolved(x.t);
    for (const b of this.varBindings) {
      b.sym.type = this.resolved(b.tv);
      if (b.sym.isParam) b.sym.mutable = b.assigned;
    }
    for (const f of this.fnInfos) {
      f.sym.returnType = this.resolved(f.ret);
      const arities = new Set<number>();
      for (const c of f.closures) {
        c.e.params = c.params.map((p) => this.resolved(p));
        c.e.ret = this.resolved(c.ret);
        c.e.type = { kind: "fn", params: c.e.params, ret: c.e.ret };
        arities.add(c.e.params.length);
      }
      f.sym.valueArities = [...arities].sort();
    }
    for (const b of this.varBindings) {
      if (b.sym.type.kind === "void" && !this.solver.isPoisoned(b.tv)) {
        this.report("void-value", `\`${b.sym.name}\` would hold no value`, "store only values returned by functions that return one", b.sym.loc);
      }
    }
    this.members.finalize();
  }

  private planConsoles(): void {
    for (const { e, first } of this.consoles) {
      const a0 = e.args[0]!;
      if (e.args.length < 2 || a0.type.kind !== "string") continue;
      if (a0.kind !== "string") {
        e.format = "format";
        continue;
      }
      const scan = scanFormat(a0.value, e.args.map((a) => a.type));
      if (!scan.hasPercent) continue;
      e.format = "format";
      const nonPrimitive = e.args.findIndex((a, i) => i > 0 && a.type.kind !== "number" && a.type.kind !== "string" && a.type.kind !== "boolean");
      if (nonPrimitive > 0) {
        this.report(
          "unsupported-format",
          `console format directives with a ${typeName(e.args[nonPrimitive]!.type)} argument (argument ${nonPrimitive + 1}) are not supported`,
          "print the value as its own argument without % directives, or format it with JSON.stringify",
          first,
        );
        continue;
      }
      for (const u of scan.unsupported) {
        this.report(
          "unsupported-format",
          `console format directive %${u.directive} with a ${typeName(u.type)} argument (argument ${u.index + 1}) is not supported`,
          "use %s, or build the text with + or a template literal",
          first,
        );
      }
    }
  }
}

export type { IndexExpr, BinaryOp };
