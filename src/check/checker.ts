/**
 * The checker proper: walks the acorn AST with an explicit whitelist per node type, resolves every
 * identifier through a scope chain, builds the typed IR (src/typed-program.ts) and the type
 * constraints, solves them, and runs the flow checks (missing returns, use before initialisation).
 */
import type * as acorn from "acorn";
import { diagnostic, type Diagnostic } from "../diagnostic.js";
import type { SourceComment, StelpProgram } from "../parse.js";
import {
  BOOLEAN,
  NUMBER,
  STRING,
  VOID,
  typeName,
  type AssignOp,
  type BinaryOp,
  type ConsoleExpr,
  type Expr,
  type FunctionSymbol,
  type Loc,
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
  STRING_METHODS,
  UNSUPPORTED_BUILTINS,
  isMathFunction,
} from "./builtins.js";
import { listCompletes } from "./flow.js";
import { findJsDoc, parseJsDoc, type JsDoc } from "./jsdoc.js";
import { Solver, type TVar } from "./solver.js";
import { scanFormat } from "./format.js";

export interface CheckOptions {
  allowRandom: boolean;
}

/** Maximum nesting of statements and expressions (deeper input is rejected, not crashed on). */
export const MAX_NESTING = 500;
/** At most this many diagnostics are reported (then one `too-many-diagnostics`). */
export const MAX_DIAGNOSTICS = 50;

class TooManyDiagnostics extends Error {}

// ---------------------------------------------------------------------------------------------
// Scopes and bindings

/** A function body (or the program): the unit of "capture" and of initialisation order. */
interface FnCtx {
  id: number;
  parent: FnCtx | null;
  info: FnInfo | null;
  /** Bindings of enclosing contexts that must be initialised when this function runs. */
  requires: Map<FnCtx, Requirement>;
  /** Call sites whose callee is this context's function. */
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
  pos: number;
  loc: Loc;
}

interface VarBinding {
  kind: "variable";
  sym: VariableSymbol;
  tv: TVar;
  ctx: FnCtx;
  /** Offset where the binding becomes initialised; -1 for parameters. */
  declEnd: number;
  isConst: boolean;
  assigned: boolean;
}

interface FnBinding {
  kind: "function";
  info: FnInfo;
  ctx: FnCtx;
  /** -1 for hoisted `function` declarations; end of the declarator for `const f = () => …`. */
  declEnd: number;
}

type Binding = VarBinding | FnBinding;

interface FnInfo {
  sym: FunctionSymbol;
  node: acorn.Function;
  params: VarBinding[];
  ret: TVar;
  ctx: FnCtx;
  jsdoc: JsDoc | null;
  valueReturns: number;
  emptyReturns: Loc[];
  body: Stmt[] | null;
  walked: boolean;
  /** Expression-bodied arrow: the return type is the body's type, void included. */
  expressionBody: boolean;
}

class Scope {
  readonly names = new Map<string, Binding>();
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
}

interface TExpr {
  e: Expr;
  t: TVar;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function locOf(node: acorn.Node | null | undefined): Loc {
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
  SwitchStatement: ["switch statements", "use an if / else if chain"],
  TryStatement: ["try/catch statements", "exceptions are not supported yet: check for error conditions with if and return a sentinel value"],
  ThrowStatement: ["throw statements", "exceptions are not supported yet: print a message with console.error and return a sentinel value"],
  LabeledStatement: ["labelled statements", "restructure the loops (e.g. move the inner loop into a function and return from it)"],
  WithStatement: ["with statements", "refer to the variables directly"],
  ClassDeclaration: ["classes", "classes are not supported yet: use functions and plain variables"],
  DebuggerStatement: ["debugger statements", "remove the debugger statement"],
  ForInStatement: ["for…in loops", "use a counting for loop: for (let i = 0; i < n; i++)"],
  ForOfStatement: ["for…of loops", "use a counting for loop: for (let i = 0; i < n; i++)"],
};

const UNSUPPORTED_EXPRESSIONS: Record<string, [string, string]> = {
  ThisExpression: ["`this`", "use plain functions with parameters instead of `this`"],
  ArrayExpression: ["array literals", "arrays are not supported yet: use separate variables or a loop that computes values"],
  ObjectExpression: ["object literals", "objects are not supported yet: use separate variables"],
  NewExpression: ["`new`", "constructors and classes are not supported: call plain functions"],
  ClassExpression: ["classes", "classes are not supported yet: use functions and plain variables"],
  TaggedTemplateExpression: ["tagged templates", "use an untagged template literal `…${x}…` or string concatenation"],
  AwaitExpression: ["await", "snippets run synchronously: call functions directly"],
  YieldExpression: ["yield", "generators are not supported: use a loop"],
  ChainExpression: ["optional chaining (?.)", "values are never null or undefined in stelp: use . and direct calls"],
  SequenceExpression: ["the comma operator", "write separate statements (the comma operator is only allowed in a for loop update)"],
  Super: ["super", "classes are not supported"],
  SpreadElement: ["spread syntax (...)", "pass arguments explicitly"],
  ParenthesizedExpression: ["parenthesized expression", "remove the parentheses"],
  ArrowFunctionExpression: ["", ""],
  FunctionExpression: ["", ""],
};

const FUNCTION_NOT_VALUE_HINT =
  "functions are not values yet: call the function directly, e.g. `f(x)`, instead of passing, storing or returning it";

// ---------------------------------------------------------------------------------------------

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly solver = new Solver();
  private readonly comments: readonly SourceComment[];
  private nextId = 0;
  private readonly usedNames = new Set<string>();
  private readonly nameCounters = new Map<string, number>();
  private readonly exprs: TExpr[] = [];
  private readonly varBindings: VarBinding[] = [];
  private readonly fnInfos: FnInfo[] = [];
  private readonly consoles: { e: ConsoleExpr; first: acorn.Node }[] = [];
  private readonly calls: CallRecord[] = [];
  private readonly ctxs: FnCtx[] = [];
  private readonly programCtx: FnCtx;
  private readonly globals: VariableSymbol[] = [];
  private usesRandom = false;
  private depth = 0;
  private tooDeepReported = false;
  private errorCount = 0;
  private suppressed = 0;

  constructor(
    private readonly program: acorn.Program,
    private readonly options: CheckOptions,
  ) {
    const comments = (program as StelpProgram).comments;
    this.comments = Array.isArray(comments) ? comments : [];
    this.programCtx = this.newCtx(null, null);
  }

  // -------------------------------------------------------------------------------------------
  // Diagnostics

  private report(rule: string, message: string, hint: string, at: acorn.Node | Loc | null): void {
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
      const stmts = this.program.body as acorn.Statement[];
      body = this.statementList(stmts, scope, true);
      this.solver.drain();
      this.solver.defaultAll(NUMBER);
      this.finishFunctions();
      this.checkInitialisationOrder();
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
    if (this.errorCount > 0) return null;
    const functions: TypedFunction[] = this.fnInfos.map((f) => ({
      symbol: f.sym,
      body: f.body ?? [],
      bodyCompletes: f.expressionBody ? false : listCompletes(f.body ?? []),
    }));
    return { functions, body, globals: this.globals, usesRandom: this.usesRandom };
  }

  // -------------------------------------------------------------------------------------------
  // Names and symbols

  private newCtx(parent: FnCtx | null, info: FnInfo | null): FnCtx {
    const ctx: FnCtx = { id: this.ctxs.length, parent, info, requires: new Map(), callSites: [] };
    this.ctxs.push(ctx);
    return ctx;
  }

  private emitName(name: string): string {
    const base = "u_" + mangle(name);
    let candidate = base;
    let i = this.nameCounters.get(base) ?? 0;
    while (this.usedNames.has(candidate)) candidate = `${base}_${++i}`;
    this.nameCounters.set(base, i);
    this.usedNames.add(candidate);
    return candidate;
  }

  private newVariable(name: string, node: acorn.Node, scope: Scope, opts: { isConst: boolean; declEnd: number; isParam: boolean }): VarBinding {
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
      loc: locOf(node),
    };
    const b: VarBinding = { kind: "variable", sym, tv: this.solver.fresh(), ctx: scope.ctx, declEnd: opts.declEnd, isConst: opts.isConst, assigned: false };
    this.varBindings.push(b);
    if (global) this.globals.push(sym);
    return b;
  }

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

  /** Declares the let/const/function names of a statement list before walking it (JS hoisting, TDZ). */
  private hoist(stmts: acorn.Statement[], scope: Scope): void {
    for (const s of stmts) {
      if (!s || typeof s !== "object") continue;
      if (s.type === "VariableDeclaration") {
        for (const d of s.declarations) {
          if (!d || d.id.type !== "Identifier") continue;
          const name = d.id.name;
          this.checkDeclaredName(name, d.id);
          const init = d.init;
          if (s.kind === "const" && init && (init.type === "ArrowFunctionExpression" || init.type === "FunctionExpression")) {
            const info = this.newFunction(name, init, d.id, scope, s);
            this.declare(scope, name, { kind: "function", info, ctx: scope.ctx, declEnd: d.end }, d.id);
          } else {
            const b = this.newVariable(name, d.id, scope, { isConst: s.kind === "const", declEnd: d.end, isParam: false });
            if (s.kind === "var") this.solver.poison(b.tv);
            this.declare(scope, name, b, d.id);
          }
        }
      } else if (s.type === "FunctionDeclaration") {
        if (!s.id) continue;
        const name = s.id.name;
        this.checkDeclaredName(name, s.id);
        const info = this.newFunction(name, s, s.id, scope, s);
        this.declare(scope, name, { kind: "function", info, ctx: scope.ctx, declEnd: -1 }, s.id);
      }
    }
  }

  private newFunction(name: string, node: acorn.Function, idNode: acorn.Node, scope: Scope, docNode: acorn.Node): FnInfo {
    const sym: FunctionSymbol = {
      kind: "function",
      id: this.nextId++,
      name,
      emitName: this.emitName(name),
      params: [],
      returnType: VOID,
      loc: locOf(idNode),
    };
    const info: FnInfo = {
      sym,
      node,
      params: [],
      ret: this.solver.fresh(),
      ctx: null as unknown as FnCtx,
      jsdoc: null,
      valueReturns: 0,
      emptyReturns: [],
      body: null,
      walked: false,
      expressionBody: node.type === "ArrowFunctionExpression" && node.expression,
    };
    info.ctx = this.newCtx(scope.ctx, info);
    this.fnInfos.push(info);
    const comment = findJsDoc(this.comments, docNode.start);
    info.jsdoc = comment ? parseJsDoc(comment) : null;
    // Parameters (their scope is created when the body is walked; the symbols exist now so that
    // calls before the declaration can constrain their types).
    const bodyScope = new Scope(scope, info.ctx);
    const seen = new Set<string>();
    for (const p of node.params) {
      if (p.type !== "Identifier") continue; // reported when the body is walked
      const pname = p.name;
      if (seen.has(pname)) {
        this.report("duplicate-declaration", `parameter \`${pname}\` is declared twice`, "rename one of the parameters", p);
        continue;
      }
      seen.add(pname);
      this.checkDeclaredName(pname, p);
      const b = this.newVariable(pname, p, bodyScope, { isConst: false, declEnd: -1, isParam: true });
      info.params.push(b);
      sym.params.push(b.sym);
      const tag = info.jsdoc?.params.get(pname);
      if (tag) {
        if (tag.type === null) {
          this.report(
            "unsupported-type",
            `JSDoc type {${tag.text}} of parameter \`${pname}\` is not supported`,
            "stelp supports the types number, string and boolean (write e.g. {number})",
            tag.loc,
          );
          this.solver.poison(b.tv);
        } else {
          this.solver.assign(b.tv, tag.type, `JSDoc on line ${tag.loc.line}`);
        }
      }
    }
    const rtag = info.jsdoc?.returns;
    if (rtag) {
      if (rtag.type === null) {
        this.report(
          "unsupported-type",
          `JSDoc return type {${rtag.text}} of \`${name}\` is not supported`,
          "stelp supports the types number, string, boolean and void (write e.g. {number})",
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

  private enter(node: acorn.Node): boolean {
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

  private statementList(stmts: acorn.Statement[], scope: Scope, isFunctionTop: boolean): Stmt[] {
    this.hoist(stmts, scope);
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
        const x = this.expression(node.expression, scope, true);
        out.push({ kind: "expr", loc, expr: x.e });
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
        if (b && b.kind === "function" && b.info.node === node) this.functionBody(b.info, scope);
        return;
      }
      case "ReturnStatement": {
        const info = scope.ctx.info;
        if (!info) return; // acorn rejects top-level return
        if (node.argument) {
          const x = this.expression(node.argument, scope, true);
          info.valueReturns++;
          this.unify(info.ret, x.t, node.argument, (fnT, valT) =>
            `\`${info.sym.name}\` returns a ${typeName(valT)} here but a ${typeName(fnT)} elsewhere`,
            "a function must always return values of one type",
          );
          out.push({ kind: "return", loc, value: x.e });
        } else {
          info.emptyReturns.push(loc);
          out.push({ kind: "return", loc, value: null });
        }
        return;
      }
      case "IfStatement": {
        const test = this.condition(node.test, scope);
        const consequent = this.nestedBody(node.consequent, scope);
        const alternate = node.alternate ? this.nestedBody(node.alternate, scope) : null;
        out.push({ kind: "if", loc, test, consequent, alternate });
        return;
      }
      case "WhileStatement": {
        const test = this.condition(node.test, scope);
        const body = this.nestedBody(node.body, scope);
        out.push({ kind: "while", loc, test, body });
        return;
      }
      case "DoWhileStatement": {
        const body = this.nestedBody(node.body, scope);
        const test = this.condition(node.test, scope);
        out.push({ kind: "do-while", loc, body, test });
        return;
      }
      case "ForStatement": {
        const head = new Scope(scope, scope.ctx);
        const init: Stmt[] = [];
        if (node.init) {
          if (node.init.type === "VariableDeclaration") {
            this.hoist([node.init], head);
            this.variableDeclaration(node.init, head, init);
          } else {
            const x = this.expression(node.init, head, true, true);
            init.push({ kind: "expr", loc: locOf(node.init), expr: x.e });
          }
        }
        const test = node.test ? this.condition(node.test, head) : null;
        const update = node.update ? this.expression(node.update, head, true, true).e : null;
        const body = this.nestedBody(node.body, head);
        out.push({ kind: "for", loc, init, test, update, body });
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
        const word = node.type === "BreakStatement" ? "break" : "continue";
        if (node.label) {
          this.report("unsupported-syntax", `labelled ${word} is not supported`, `use an unlabelled ${word} (restructure nested loops with a helper function)`, node);
          return;
        }
        out.push({ kind: node.type === "BreakStatement" ? "break" : "continue", loc });
        return;
      }
      default: {
        const type = (node as acorn.Node).type;
        if (/^(Import|Export)/.test(type)) {
          this.report("forbidden-module", "import and export declarations are not allowed", "a stelp snippet is one self-contained script: write the code you need inline", node);
          return;
        }
        const entry = UNSUPPORTED_STATEMENTS[type];
        if (entry) this.report("unsupported-syntax", `${entry[0]} are not supported`, entry[1], node);
        else this.report("unsupported-syntax", `${(node as acorn.Node).type} is not supported`, "rewrite this statement with the supported subset (see docs/subset.md)", node);
      }
    }
  }

  private variableDeclaration(node: acorn.VariableDeclaration, scope: Scope, out: Stmt[]): void {
    if (node.kind === "var") {
      this.report("unsupported-syntax", "`var` declarations are not supported", "use let or const", node);
      return;
    }
    if (node.kind !== "let" && node.kind !== "const") {
      this.report("unsupported-syntax", `\`${node.kind}\` declarations are not supported`, "use let or const", node);
      return;
    }
    for (const d of node.declarations) {
      if (d.id.type !== "Identifier") {
        this.report(
          "unsupported-syntax",
          "destructuring declarations are not supported",
          "declare one variable per name: `const a = …; const b = …;`",
          d.id,
        );
        continue;
      }
      const name = d.id.name;
      const b = scope.names.get(name);
      if (!b) continue;
      if (b.kind === "function") {
        if (b.info.node === d.init) this.functionBody(b.info, scope);
        continue;
      }
      if (b.sym.loc.line !== locOf(d.id).line || b.sym.loc.column !== locOf(d.id).column) continue; // duplicate, reported
      if (!d.init) {
        this.report(
          "uninitialized-variable",
          `\`${name}\` is declared without a value`,
          `initialise it, e.g. \`let ${name} = 0\` (or "" or false, matching how it is used)`,
          d,
        );
        this.solver.poison(b.tv);
        continue;
      }
      if (d.init.type === "ArrowFunctionExpression" || d.init.type === "FunctionExpression") {
        this.report(
          "unsupported-syntax",
          "a function can only be bound with const",
          `write \`const ${name} = (…) => …\` (functions are not values that can be reassigned)`,
          d.init,
        );
        this.solver.poison(b.tv);
        continue;
      }
      const x = this.expression(d.init, scope, false);
      this.unify(b.tv, x.t, d.init, (a, v) => `cannot initialise \`${name}\` (${typeName(a)}) with a ${typeName(v)}`, "");
      this.solver.noteOrigin(b.tv, `from the initial value of \`${name}\` on line ${locOf(d).line}`);
      out.push({ kind: "var-decl", loc: locOf(d), symbol: b.sym, init: x.e });
    }
  }

  private functionBody(info: FnInfo, scope: Scope): void {
    if (info.walked) return;
    info.walked = true;
    const node = info.node;
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
    if (node.type === "FunctionExpression" && node.id) {
      this.report(
        "unsupported-syntax",
        "named function expressions are not supported",
        `drop the name after \`function\`: \`const ${info.sym.name} = function (…) { … }\``,
        node.id,
      );
    }
    const bodyScope = new Scope(scope, info.ctx);
    let ok = true;
    for (const p of node.params) {
      if (p.type !== "Identifier") {
        const what =
          p.type === "AssignmentPattern"
            ? ["default parameter values", "remove the default and pass every argument explicitly"]
            : p.type === "RestElement"
              ? ["rest parameters", "declare each parameter explicitly"]
              : ["destructuring parameters", "take plain parameters and read them directly"];
        this.report("unsupported-syntax", `${what[0]} are not supported`, what[1]!, p);
        ok = false;
      }
    }
    for (const b of info.params) {
      if (!bodyScope.names.has(b.sym.name)) bodyScope.names.set(b.sym.name, b);
    }
    for (const p of node.params) {
      const id = p.type === "AssignmentPattern" ? p.left : p.type === "RestElement" ? p.argument : null;
      if (id && id.type === "Identifier" && !bodyScope.names.has(id.name)) {
        const b = this.newVariable(id.name, id, bodyScope, { isConst: false, declEnd: -1, isParam: true });
        this.solver.poison(b.tv);
        bodyScope.names.set(id.name, b);
      }
    }
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
        this.unify(info.ret, x.t, expr, (fnT, valT) => `\`${info.sym.name}\` is documented to return ${typeName(fnT)} but returns a ${typeName(valT)}`, "");
        info.valueReturns++;
        info.body = [{ kind: "return", loc: locOf(expr), value: x.e }];
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
      info.body = this.statementList(block.body, bodyScope, true);
    } finally {
      this.depth--;
    }
    if (info.valueReturns === 0) {
      const r = this.solver.typeOf(info.ret);
      if (r && r.kind !== "void" && !this.solver.isPoisoned(info.ret)) {
        this.report(
          "missing-return",
          `\`${info.sym.name}\` is documented to return ${typeName(r)} but never returns a value`,
          "add a `return <value>;` statement or fix the @returns tag",
          info.jsdoc?.returns?.loc ?? info.sym.loc,
        );
        this.solver.poison(info.ret);
      } else {
        this.solver.assign(info.ret, VOID);
      }
    } else if (info.emptyReturns.length > 0) {
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
      if (listCompletes(info.body ?? [])) {
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

  private unify(a: TVar, b: TVar, at: acorn.Node | Loc, message: (a: Type, b: Type) => string, hint: string, rule = "type-mismatch"): boolean {
    const r = this.solver.unify(a, b);
    if (r.ok) return true;
    const origin = r.leftOrigin ? ` (${r.leftOrigin})` : "";
    this.report(rule, message(r.left, r.right) + origin, hint || "use values of one type consistently (a variable keeps its type forever)", at);
    this.solver.poison(b);
    return false;
  }

  private expect(t: TVar, type: Type, at: acorn.Node, message: (actual: Type) => string, hint: string, origin: string | null = null): void {
    const r = this.solver.assign(t, type, origin ? `${origin} on line ${locOf(at).line}` : null);
    if (!r.ok) {
      const origin = r.leftOrigin ? ` (${r.leftOrigin})` : "";
      this.report("type-mismatch", message(r.left) + origin, hint, at);
      this.solver.poison(t);
    }
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

  /** Comparison operands: both numbers or both strings. */
  private requireComparable(t: TVar, at: acorn.Node, op: string): void {
    const solver = this.solver;
    solver.defer(
      {
        done: false,
        step: (): boolean => {
          if (solver.isPoisoned(t)) return true;
          const ty = solver.typeOf(t);
          if (!ty) return false;
          if (ty.kind === "boolean") {
            this.report("type-mismatch", `\`${op}\` compares two booleans`, "compare numbers or strings; for booleans use === or !==", at);
            solver.poison(t);
          }
          return true;
        },
      },
      [t],
    );
  }

  /** `l + r`: string if either side is a string, number if both are numbers. */
  private plus(res: TVar, l: TVar, r: TVar, at: acorn.Node, opText: string): void {
    const s = this.solver;
    const fail = (lt: Type, rt: Type) => {
      this.report(
        "type-mismatch",
        `\`${opText}\` cannot combine a ${typeName(lt)} and a ${typeName(rt)}`,
        lt.kind === "boolean" || rt.kind === "boolean"
          ? "convert the boolean explicitly, e.g. `(b ? 1 : 0)`"
          : "add two numbers, or concatenate with at least one string",
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
    s.defer(
      {
        done: false,
        step: (): boolean => {
          if (s.isPoisoned(res) || s.isPoisoned(l) || s.isPoisoned(r)) return true;
          const lt = s.typeOf(l);
          const rt = s.typeOf(r);
          const resT = s.typeOf(res);
          if (lt?.kind === "void" || rt?.kind === "void") return true; // reported by requireValue
          if (lt?.kind === "string" || rt?.kind === "string") {
            set(res, STRING);
            return true;
          }
          if (lt && rt) {
            if (lt.kind === "number" && rt.kind === "number") set(res, NUMBER);
            else fail(lt, rt);
            return true;
          }
          if (resT) {
            if (resT.kind === "number") {
              set(l, NUMBER);
              set(r, NUMBER);
              return true;
            }
            if (resT.kind === "string") {
              if (lt) {
                set(r, STRING);
                return true;
              }
              if (rt) {
                set(l, STRING);
                return true;
              }
              return false;
            }
            this.report("type-mismatch", `\`${opText}\` produces a number or a string, not a ${typeName(resT)}`, "", at);
            s.poison(res);
            return true;
          }
          if (lt?.kind === "boolean") {
            set(r, STRING);
            return true;
          }
          if (rt?.kind === "boolean") {
            set(l, STRING);
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

  private make(e: Expr, t: TVar): TExpr {
    const x = { e, t };
    this.exprs.push(x);
    return x;
  }

  private lit(kind: "number", value: number, node: acorn.Node): TExpr;
  private lit(kind: "string", value: string, node: acorn.Node): TExpr;
  private lit(kind: "boolean", value: boolean, node: acorn.Node): TExpr;
  private lit(kind: "number" | "string" | "boolean", value: number | string | boolean, node: acorn.Node): TExpr {
    const type = kind === "number" ? NUMBER : kind === "string" ? STRING : BOOLEAN;
    return this.make({ kind, value, type, loc: locOf(node) } as Expr, this.solver.fresh(type));
  }

  /** A placeholder for an expression that was rejected (its type is poisoned). */
  private bad(node: acorn.Node): TExpr {
    const t = this.solver.fresh();
    this.solver.poison(t);
    return this.make({ kind: "number", value: 0, type: NUMBER, loc: locOf(node) }, t);
  }

  /** A value used as a condition (JS truthiness). */
  private condition(node: acorn.Expression, scope: Scope): Expr {
    return this.expression(node, scope, false).e;
  }

  /**
   * Checks an expression. `allowVoid`: statement position (the value is discarded).
   * `allowSequence`: for-loop init/update position.
   */
  private expression(node: acorn.Expression | acorn.Node, scope: Scope, allowVoid: boolean, allowSequence = false): TExpr {
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

  private value(node: acorn.Expression | acorn.Node, scope: Scope): TExpr {
    return this.expression(node, scope, false);
  }

  private describe(node: acorn.Node): string {
    if (node.type === "CallExpression") {
      const c = (node as acorn.CallExpression).callee;
      if (c.type === "Identifier") return `the call \`${c.name}(…)\``;
      if (c.type === "MemberExpression" && c.object.type === "Identifier" && c.property.type === "Identifier")
        return `the call \`${c.object.name}.${c.property.name}(…)\``;
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
        const expressions = node.expressions.map((e) => this.value(e, scope).e);
        return this.make({ kind: "template", quasis, expressions, type: STRING, loc }, this.solver.fresh(STRING));
      }
      case "UnaryExpression":
        return this.unary(node, scope);
      case "UpdateExpression": {
        const target = this.assignTarget(node.argument, scope, node.operator);
        if (!target) return this.bad(node);
        this.expect(target.tv, NUMBER, node.argument, (t) => `\`${node.operator}\` needs a number but \`${target.sym.name}\` is a ${typeName(t)}`, "only numbers can be incremented or decremented");
        return this.make({ kind: "update", op: node.operator, prefix: node.prefix, target: target.sym, type: NUMBER, loc }, this.solver.fresh(NUMBER));
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
        this.unify(a.t, b.t, node.alternate, (x, y) => `the branches of \`?:\` have different types (${typeName(x)} and ${typeName(y)})`, "make both branches produce the same type");
        return this.make({ kind: "conditional", test, consequent: a.e, alternate: b.e, type: NUMBER, loc }, a.t);
      }
      case "CallExpression":
        return this.call(node, scope);
      case "MemberExpression":
        return this.member(node, scope);
      case "SequenceExpression": {
        if (!allowSequence) break;
        const parts = node.expressions.map((e) => this.expression(e, scope, true));
        const last = parts[parts.length - 1]!;
        return this.make({ kind: "sequence", expressions: parts.map((p) => p.e), type: NUMBER, loc }, last.t);
      }
      case "ArrowFunctionExpression":
      case "FunctionExpression":
        this.report("function-not-value", "a function expression is used as a value", `${FUNCTION_NOT_VALUE_HINT}; declare it as \`const name = (…) => …\` or \`function name(…) { … }\``, node);
        return this.bad(node);
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
      this.report("unsupported-syntax", "regular expression literals are not supported", "compare strings directly or loop over the characters", node);
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
    if (node.value === null) {
      this.report("unsupported-value", "`null` is not supported", "use a value of the variable's own type as a sentinel, e.g. -1 or \"\"", node);
      return this.bad(node);
    }
    this.report("unsupported-syntax", "this literal is not supported", "use a number, string or boolean literal", node);
    return this.bad(node);
  }

  /** Reports a name that is not declared: forbidden, unsupported built-in or unknown. */
  private unknownName(name: string, node: acorn.Node): void {
    const forbidden = FORBIDDEN_GLOBALS.get(name);
    if (forbidden !== undefined) {
      this.report("forbidden-global", `\`${name}\` is not available in a stelp snippet`, forbidden, node);
      return;
    }
    if (name === "undefined") {
      this.report("unsupported-value", "`undefined` is not supported", "every variable holds a value of its own type: use a sentinel such as -1, \"\" or false", node);
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

  /** Resolves a name to a binding, recording what the current function needs initialised. */
  private resolve(name: string, node: acorn.Node, scope: Scope): Binding | null {
    const b = scope.lookup(name);
    if (!b) return null;
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
      const fn = here.info?.sym.name ?? "function";
      this.report(
        "captured-variable",
        `\`${fn}\` uses \`${name}\`, a variable of an enclosing function (closures are not supported yet)`,
        `pass \`${name}\` as a parameter of \`${fn}\`, or declare it at the top level of the snippet`,
        node,
      );
      return b;
    }
    if (b.declEnd >= 0) {
      const prev = here.requires.get(b.ctx);
      if (!prev || prev.end < b.declEnd) here.requires.set(b.ctx, { end: b.declEnd, name, line: b.kind === "variable" ? b.sym.loc.line : b.info.sym.loc.line });
    }
    return b;
  }

  private identifier(node: acorn.Identifier, scope: Scope): TExpr {
    const name = node.name;
    const b = this.resolve(name, node, scope);
    if (!b) {
      if (name === "NaN") return this.lit("number", NaN, node);
      if (name === "Infinity") return this.lit("number", Infinity, node);
      this.unknownName(name, node);
      return this.bad(node);
    }
    if (b.kind === "function") {
      this.report("function-not-value", `function \`${name}\` is used as a value`, FUNCTION_NOT_VALUE_HINT, node);
      return this.bad(node);
    }
    return this.make({ kind: "var", symbol: b.sym, type: NUMBER, loc: locOf(node) }, b.tv);
  }

  private unary(node: acorn.UnaryExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    switch (node.operator) {
      case "-":
      case "+":
      case "~": {
        const x = this.value(node.argument, scope);
        this.expect(x.t, NUMBER, node.argument, (t) => `unary \`${node.operator}\` needs a number, not a ${typeName(t)}`, node.operator === "+" ? "stelp does not convert strings to numbers: keep the value a number" : "apply it to a number");
        return this.make({ kind: "unary", op: node.operator, operand: x.e, type: NUMBER, loc }, this.solver.fresh(NUMBER));
      }
      case "!": {
        const x = this.value(node.argument, scope);
        return this.make({ kind: "unary", op: "!", operand: x.e, type: BOOLEAN, loc }, this.solver.fresh(BOOLEAN));
      }
      case "typeof":
        this.report("unsupported-syntax", "typeof is not supported", "every value has one static type in stelp: the check is not needed", node);
        return this.bad(node);
      case "void":
        this.report("unsupported-syntax", "the void operator is not supported", "write the expression as a statement of its own", node);
        return this.bad(node);
      case "delete":
        this.report("unsupported-syntax", "delete is not supported", "objects are not supported yet; variables cannot be deleted", node);
        return this.bad(node);
    }
    return this.bad(node);
  }

  private binary(node: acorn.BinaryExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    const op = node.operator;
    if (op === "in" || op === "instanceof") {
      this.report("unsupported-syntax", `the \`${op}\` operator is not supported`, op === "in" ? "objects are not supported yet" : "every value has one static type in stelp: the check is not needed", node);
      return this.bad(node);
    }
    if (node.left.type === "PrivateIdentifier") {
      this.report("unsupported-syntax", "private names are not supported", "classes are not supported", node.left);
      return this.bad(node);
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
        const msg = (side: string) => (t: Type) => `\`${op}\` needs numbers but its ${side} operand is a ${typeName(t)}`;
        const hint = "only numbers can be used with arithmetic and bitwise operators";
        this.expect(l.t, NUMBER, node.left, msg("left"), hint, `used with \`${op}\``);
        this.expect(r.t, NUMBER, node.right, msg("right"), hint, `used with \`${op}\``);
        return this.make({ kind: "binary", op, left: l.e, right: r.e, type: NUMBER, loc }, this.solver.fresh(NUMBER));
      }
      case "<":
      case "<=":
      case ">":
      case ">=": {
        this.unify(l.t, r.t, node, (a, b) => `\`${op}\` compares a ${typeName(a)} with a ${typeName(b)}`, "compare two numbers or two strings");
        this.requireComparable(l.t, node, op);
        return this.make({ kind: "binary", op, left: l.e, right: r.e, type: BOOLEAN, loc }, this.solver.fresh(BOOLEAN));
      }
      case "==":
      case "!=":
      case "===":
      case "!==": {
        this.unify(
          l.t,
          r.t,
          node,
          (a, b) => `\`${op}\` compares a ${typeName(a)} with a ${typeName(b)}${op.length === 3 ? " (always " + (op === "===" ? "false" : "true") + " in JavaScript)" : ""}`,
          "compare values of the same type (both numbers, both strings or both booleans)",
        );
        const norm: BinaryOp = op === "==" || op === "===" ? "===" : "!==";
        return this.make({ kind: "binary", op: norm, left: l.e, right: r.e, type: BOOLEAN, loc }, this.solver.fresh(BOOLEAN));
      }
    }
    return this.bad(node);
  }

  private logical(node: acorn.LogicalExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    const l = this.value(node.left, scope);
    const r = this.value(node.right, scope);
    this.unify(
      l.t,
      r.t,
      node,
      (a, b) => `the operands of \`${node.operator}\` have different types (${typeName(a)} and ${typeName(b)})`,
      node.operator === "??" ? "use operands of the same type" : "use operands of the same type (the result is one of the operands), or compare first: `(a !== 0) && (b !== \"\")`",
    );
    if (node.operator === "??") {
      // Values are never null or undefined in stelp: `a ?? b` is `a` (b is never evaluated).
      return this.make(l.e, l.t);
    }
    return this.make({ kind: "logical", op: node.operator, left: l.e, right: r.e, type: NUMBER, loc }, l.t);
  }

  private assignTarget(node: acorn.Node, scope: Scope, op: string): VarBinding | null {
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
      if (b.isConst) {
        this.report("const-assignment", `\`${name}\` is a constant: \`${op}\` would throw a TypeError`, `declare it with let: \`let ${name} = …\``, node);
        return null;
      }
      b.assigned = true;
      return b;
    }
    if (node.type === "MemberExpression") {
      const m = node as acorn.MemberExpression;
      if (m.object.type !== "Super") {
        const obj = m.object.type === "Identifier" && ((m.object as acorn.Identifier).name === "Math" || (m.object as acorn.Identifier).name === "console") && !scope.lookup((m.object as acorn.Identifier).name)
          ? null
          : this.value(m.object, scope);
        if (obj && this.solver.isPoisoned(obj.t)) return null;
      }
      if (!m.computed && m.property.type === "Identifier" && FORBIDDEN_PROPERTIES.has(m.property.name)) {
        this.report("forbidden-property", `property \`${m.property.name}\` is not allowed`, "do not touch object internals", m.property);
        return null;
      }
      this.report("unsupported-syntax", "assigning to a property is not supported", "objects and arrays are not supported yet: assign to a variable", node);
      return null;
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
    const name = target.sym.name;
    switch (op) {
      case "=":
      case "&&=":
      case "||=":
        this.unify(target.tv, v.t, node.right, (a, b) => `cannot assign a ${typeName(b)} to \`${name}\`, which holds a ${typeName(a)}`, "a variable keeps the type of its first value: use another variable for the new value");
        break;
      case "+=":
        this.plus(target.tv, target.tv, v.t, node, "+=");
        break;
      default: {
        const hint = "only numbers can be used with arithmetic and bitwise operators";
        this.expect(target.tv, NUMBER, node.left, (t) => `\`${op}\` needs a number but \`${name}\` is a ${typeName(t)}`, hint);
        this.expect(v.t, NUMBER, node.right, (t) => `\`${op}\` needs a number but the right side is a ${typeName(t)}`, hint);
      }
    }
    return this.make({ kind: "assign", op: op as AssignOp, target: target.sym, value: v.e, type: NUMBER, loc }, target.tv);
  }

  private checkPropertyName(node: acorn.MemberExpression): string | null {
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
    this.report("unsupported-syntax", "indexing with [] is not supported yet", "arrays and string indexing are not supported yet", node);
    return null;
  }

  private isBuiltinObject(node: acorn.Node, name: "Math" | "console", scope: Scope): boolean {
    return node.type === "Identifier" && (node as acorn.Identifier).name === name && !scope.lookup(name);
  }

  private member(node: acorn.MemberExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    if (node.optional) {
      this.report("unsupported-syntax", "optional chaining (?.) is not supported", "values are never null or undefined in stelp: use .", node);
      return this.bad(node);
    }
    if (node.object.type === "Super") {
      this.report("unsupported-syntax", "super is not supported", "classes are not supported", node.object);
      return this.bad(node);
    }
    const prop = this.checkPropertyName(node);
    if (prop === null) {
      if (!node.computed) return this.bad(node);
      // still check the object and index for other errors
      this.value(node.object, scope);
      if (node.property.type !== "PrivateIdentifier") this.value(node.property, scope);
      return this.bad(node);
    }
    if (this.isBuiltinObject(node.object, "Math", scope)) {
      const c = MATH_CONSTANTS.get(prop);
      if (c !== undefined) return this.lit("number", c, node);
      if (isMathFunction(prop)) {
        this.report("function-not-value", `\`Math.${prop}\` is used as a value`, `call it: \`Math.${prop}(…)\``, node);
      } else {
        this.report("unsupported-builtin", `\`Math.${prop}\` does not exist or is not supported`, "see docs/subset.md for the supported Math functions and constants", node.property);
      }
      return this.bad(node);
    }
    if (this.isBuiltinObject(node.object, "console", scope)) {
      this.report("function-not-value", `\`console.${prop}\` is used as a value`, "call console.log(…) or console.error(…) directly", node);
      return this.bad(node);
    }
    const obj = this.value(node.object, scope);
    if (prop === "length") {
      this.expect(obj.t, STRING, node.object, (t) => `\`.length\` needs a string, not a ${typeName(t)}`, "only strings have a length in the current subset", "used with `.length`");
      return this.make({ kind: "string-length", object: obj.e, type: NUMBER, loc }, this.solver.fresh(NUMBER));
    }
    if (!this.solver.isPoisoned(obj.t)) {
      this.report(
        "unsupported-builtin",
        STRING_METHODS.has(prop) ? `string method \`${prop}\` is not supported yet` : `property \`${prop}\` is not supported`,
        "only `.length` of strings is supported in the current subset",
        node.property,
      );
    }
    return this.bad(node);
  }

  private call(node: acorn.CallExpression, scope: Scope): TExpr {
    const loc = locOf(node);
    if (node.optional) {
      this.report("unsupported-syntax", "optional calls (?.()) are not supported", "call the function directly", node);
      return this.bad(node);
    }
    for (const a of node.arguments) {
      if (a.type === "SpreadElement") {
        this.report("unsupported-syntax", "spread arguments (...) are not supported", "pass arguments explicitly", a);
        return this.bad(node);
      }
    }
    const args = node.arguments as acorn.Expression[];
    const callee = node.callee;
    if (callee.type === "Identifier") {
      const b = this.resolve(callee.name, callee, scope);
      if (!b) {
        args.forEach((a) => this.value(a, scope));
        this.unknownName(callee.name, callee);
        return this.bad(node);
      }
      if (b.kind === "variable") {
        args.forEach((a) => this.value(a, scope));
        this.report("not-callable", `\`${callee.name}\` is a variable, not a function`, "call a function declared with `function` or `const f = (…) => …`", callee);
        return this.bad(node);
      }
      const info = b.info;
      const argx = args.map((a) => this.value(a, scope));
      if (argx.length !== info.params.length || info.params.length !== info.node.params.length) {
        this.report(
          "argument-count",
          `\`${info.sym.name}\` takes ${info.node.params.length} argument(s) but is called with ${argx.length}`,
          "pass exactly one argument per parameter (missing arguments would be undefined)",
          node,
        );
        return this.bad(node);
      }
      let argsOk = true;
      argx.forEach((a, i) => {
        const p = info.params[i]!;
        argsOk = this.unify(
          p.tv,
          a.t,
          args[i]!,
          (pt, at) => `argument ${i + 1} of \`${info.sym.name}\` is a ${typeName(at)} but parameter \`${p.sym.name}\` is a ${typeName(pt)}`,
          "pass a value of the parameter's type (every call must use the same types)",
        ) && argsOk;
        this.solver.noteOrigin(p.tv, `from the call of \`${info.sym.name}\` on line ${loc.line}`);
      });
      this.calls.push({ caller: scope.ctx, callee: info, pos: node.start, loc });
      info.ctx.callSites.push(this.calls[this.calls.length - 1]!);
      if (!argsOk) return this.bad(node);
      return this.make({ kind: "call", callee: info.sym, args: argx.map((a) => a.e), type: NUMBER, loc }, info.ret);
    }
    if (callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier" && !callee.optional) {
      const prop = callee.property.name;
      if (FORBIDDEN_PROPERTIES.has(prop)) {
        this.report("forbidden-property", `property \`${prop}\` is not allowed`, "do not touch object internals", callee.property);
        return this.bad(node);
      }
      if (this.isBuiltinObject(callee.object, "Math", scope)) return this.mathCall(node, prop, args, scope);
      if (this.isBuiltinObject(callee.object, "console", scope)) return this.consoleCall(node, prop, args, scope);
    }
    if (callee.type === "MemberExpression") {
      // Method calls on values: check the receiver, then reject the method.
      const m = callee;
      const prop = this.checkPropertyName(m);
      const recv = prop !== null && m.object.type !== "Super" ? this.value(m.object, scope) : null;
      if (prop !== null && !(recv && this.solver.isPoisoned(recv.t))) {
        this.report(
          "unsupported-builtin",
          STRING_METHODS.has(prop) ? `string method \`${prop}\` is not supported yet` : `method \`${prop}\` is not supported`,
          "methods are not supported in the current subset (only Math.*, console.log and console.error)",
          m.property,
        );
      }
      args.forEach((a) => this.value(a, scope));
      return this.bad(node);
    }
    if (callee.type === "Super") {
      this.report("unsupported-syntax", "super is not supported", "classes are not supported", callee);
      return this.bad(node);
    }
    const cx = this.expression(callee, scope, true);
    args.forEach((a) => this.value(a, scope));
    if (!this.solver.isPoisoned(cx.t)) this.report("not-callable", "only named functions can be called", FUNCTION_NOT_VALUE_HINT, callee);
    return this.bad(node);
  }

  private mathCall(node: acorn.CallExpression, name: string, args: acorn.Expression[], scope: Scope): TExpr {
    const loc = locOf(node);
    if (!isMathFunction(name)) {
      args.forEach((a) => this.value(a, scope));
      if (MATH_CONSTANTS.has(name)) this.report("not-callable", `\`Math.${name}\` is a constant, not a function`, `use it without parentheses: \`Math.${name}\``, node);
      else this.report("unsupported-builtin", `\`Math.${name}\` does not exist or is not supported`, "see docs/subset.md for the supported Math functions", (node.callee as acorn.MemberExpression).property);
      return this.bad(node);
    }
    const arity = MATH_FUNCTIONS.get(name);
    const argx = args.map((a) => this.value(a, scope));
    if (name === "random" && !this.options.allowRandom) {
      this.report(
        "random-not-granted",
        "Math.random is not granted by the policy",
        "make the program deterministic (e.g. a fixed list of test values or your own seeded generator), or run with a policy that grants a random seed",
        node,
      );
      return this.bad(node);
    }
    if (arity !== null && arity !== undefined && argx.length !== arity) {
      this.report("argument-count", `\`Math.${name}\` takes ${arity} argument(s) but is called with ${argx.length}`, `pass exactly ${arity} number argument(s)`, node);
      return this.bad(node);
    }
    argx.forEach((a, i) =>
      this.expect(a.t, NUMBER, args[i]!, (t) => `argument ${i + 1} of \`Math.${name}\` is a ${typeName(t)}, not a number`, "Math functions take numbers only in stelp"),
    );
    if (name === "random") this.usesRandom = true;
    return this.make({ kind: "math-call", name: name as MathFunction, args: argx.map((a) => a.e), type: NUMBER, loc }, this.solver.fresh(NUMBER));
  }

  private consoleCall(node: acorn.CallExpression, name: string, args: acorn.Expression[], scope: Scope): TExpr {
    const loc = locOf(node);
    const stream = name === "log" || name === "info" || name === "debug" ? "out" : name === "error" || name === "warn" ? "err" : null;
    const argx = args.map((a) => this.value(a, scope));
    if (!stream) {
      this.report("unsupported-builtin", `\`console.${name}\` is not supported`, "use console.log(…) (stdout) or console.error(…) (stderr)", (node.callee as acorn.MemberExpression).property);
      return this.bad(node);
    }
    const e: ConsoleExpr = { kind: "console", stream, args: argx.map((a) => a.e), format: "join", type: VOID, loc };
    if (args.length > 0) this.consoles.push({ e, first: args[0]! });
    return this.make(e, this.solver.fresh(VOID));
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
                `\`${call.callee.sym.name}\` is called before \`${req.name}\` (declared on line ${req.line}) is initialised, and it uses \`${req.name}\``,
                `move the declaration of \`${req.name}\` above this call`,
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

  private resolved(t: TVar): Type {
    return this.solver.typeOf(t) ?? NUMBER;
  }

  private finalizeTypes(): void {
    for (const x of this.exprs) x.e.type = this.resolved(x.t);
    for (const b of this.varBindings) {
      b.sym.type = this.resolved(b.tv);
      if (b.sym.isParam) b.sym.mutable = b.assigned;
    }
    for (const f of this.fnInfos) f.sym.returnType = this.resolved(f.ret);
    for (const b of this.varBindings) {
      if (b.sym.type.kind === "void" && !this.solver.isPoisoned(b.tv)) {
        this.report("void-value", `\`${b.sym.name}\` would hold no value`, "store only values returned by functions that return one", b.sym.loc);
      }
    }
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
