/**
 * Stage 3: write the typed program as one AssemblyScript entry file.
 *
 * Conventions (see docs/subset.md): every user name is already mangled to `u_…` by the checker;
 * every number is an f64 literal; every declaration is annotated; JavaScript semantics that AS does
 * not share (truthiness, `%`, `**`, ToInt32, number formatting, Math) go through runtime helpers in
 * host-bindings/assembly (served as `./stelp/index`). Never throws.
 */
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import type {
  AssignExpr,
  BinaryExpr,
  ConsoleExpr,
  Expr,
  LogicalExpr,
  MathCallExpr,
  Stmt,
  Type,
  TypedFunction,
  TypedProgram,
} from "./typed-program.js";

export interface EmitResult {
  source: string;
  diagnostics: Diagnostic[];
}

export function emit(program: TypedProgram): EmitResult {
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

function asType(t: Type): string {
  switch (t.kind) {
    case "number":
      return "f64";
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "void":
      return "void";
  }
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
  if (c != 115) abort("console.log: the format directive %" + String.fromCharCode(c) + " with a string argument is not supported by stelp (use %s)", "stelp", 0, 0);
  return s;
}
`;

// ---------------------------------------------------------------------------------------------

interface FnState {
  temps: Set<"f64" | "string">;
}

class Emitter {
  private readonly imports = new Set<string>(["__stelp_finish"]);
  private readonly formatHelpers = new Map<string, string>();
  private fn: FnState = { temps: new Set() };

  private use(name: string): string {
    this.imports.add(name);
    return name;
  }

  program(p: TypedProgram): string {
    const functionTexts: string[] = [];
    for (const f of p.functions) functionTexts.push(this.func(f));

    const topState: FnState = { temps: new Set() };
    this.fn = topState;
    const top: string[] = [];
    this.stmts(p.body, top, "");

    const out: string[] = [];
    out.push("// Generated by stelp from a JavaScript snippet: AssemblyScript entry file (do not edit).");
    if (this.formatHelpers.size > 0) {
      for (const name of ["__js_inspect_num", "__js_num_to_string", "__js_parse_int_auto", "__js_string_to_number", "__js_parse_float"]) this.use(name);
    }
    out.push(`import { ${[...this.imports].sort().join(", ")} } from "./stelp/index";`);
    out.push(`export { __stelp_exit } from "./stelp/index";`);
    out.push("");
    if (this.formatHelpers.size > 0) {
      out.push(FORMAT_PRELUDE);
      for (const text of this.formatHelpers.values()) out.push(text);
    }
    for (const t of functionTexts) out.push(t, "");
    if (topState.temps.size > 0) out.push(...tempDecls(topState.temps, ""));
    out.push(...top);
    out.push("__stelp_finish();");
    return out.join("\n") + "\n";
  }

  private func(f: TypedFunction): string {
    const state: FnState = { temps: new Set() };
    this.fn = state;
    const sym = f.symbol;
    const params = sym.params.map((p) => `${p.emitName}: ${asType(p.type)}`).join(", ");
    const body: string[] = [];
    this.stmts(f.body, body, "  ");
    const last = f.body[f.body.length - 1];
    if (sym.returnType.kind !== "void" && !(last && last.kind === "return")) {
      // The checker proved the end unreachable; AS's own flow analysis may not see it.
      body.push("  return unreachable();");
    }
    const lines = [`// line ${sym.loc.line}: ${sym.name}`, `function ${sym.emitName}(${params}): ${asType(sym.returnType)} {`];
    lines.push(...tempDecls(state.temps, "  "));
    lines.push(...body, "}");
    return lines.join("\n");
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

  private stmt(s: Stmt, out: string[], indent: string): void {
    switch (s.kind) {
      case "var-decl": {
        const keyword = s.symbol.mutable ? "let" : "const";
        out.push(`${indent}${keyword} ${s.symbol.emitName}: ${asType(s.symbol.type)} = ${this.expr(s.init)};`);
        return;
      }
      case "expr":
        out.push(`${indent}${this.exprStatement(s.expr)};`);
        return;
      case "if": {
        out.push(`${indent}if (${this.testCond(s.test)}) {`, ...this.block(s.consequent, indent));
        if (s.alternate) out.push(`${indent}} else {`, ...this.block(s.alternate, indent));
        out.push(`${indent}}`);
        return;
      }
      case "while":
        out.push(`${indent}while (${this.testCond(s.test)}) {`, ...this.block(s.body, indent), `${indent}}`);
        return;
      case "do-while":
        out.push(`${indent}do {`, ...this.block(s.body, indent), `${indent}} while (${this.testCond(s.test)});`);
        return;
      case "for": {
        let init = "";
        const decls = s.init.filter((i) => i.kind === "var-decl");
        if (decls.length > 0 && decls.length === s.init.length) {
          const keyword = decls.every((d) => d.kind === "var-decl" && d.symbol.mutable) ? "let" : decls.length === 1 ? "const" : "let";
          init =
            keyword +
            " " +
            decls.map((d) => (d.kind === "var-decl" ? `${d.symbol.emitName}: ${asType(d.symbol.type)} = ${this.expr(d.init)}` : "")).join(", ");
        } else if (s.init.length === 1 && s.init[0]!.kind === "expr") {
          init = this.exprStatement(s.init[0]!.expr);
        }
        const test = s.test ? this.testCond(s.test) : "";
        const update = s.update ? this.exprStatement(s.update) : "";
        out.push(`${indent}for (${init}; ${test}; ${update}) {`, ...this.block(s.body, indent), `${indent}}`);
        return;
      }
      case "block":
        out.push(`${indent}{`, ...this.block(s.body, indent), `${indent}}`);
        return;
      case "break":
        out.push(`${indent}break;`);
        return;
      case "continue":
        out.push(`${indent}continue;`);
        return;
      case "return":
        if (!s.value) out.push(`${indent}return;`);
        else if (s.value.type.kind === "void") out.push(`${indent}${this.exprStatement(s.value)};`, `${indent}return;`);
        else out.push(`${indent}return ${this.expr(s.value)};`);
        return;
    }
  }

  /** An expression whose value is discarded: drop the outer parentheses. */
  private exprStatement(e: Expr): string {
    const text = this.expr(e);
    return stripParens(text);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  /** A statement's condition (if/while/for): no outer parentheses needed. */
  private testCond(e: Expr): string {
    return stripParens(this.cond(e));
  }

  /** A JS condition: truthiness of the value as an AS bool (safe in any expression context). */
  private cond(e: Expr): string {
    const text = this.expr(e);
    return this.truthy(e.type, text);
  }

  private truthy(t: Type, text: string): string {
    switch (t.kind) {
      case "boolean":
        return text;
      case "number":
        return `${this.use("__js_truthy_num")}(${stripParens(text)})`;
      case "string":
        return `${this.use("__js_truthy_str")}(${stripParens(text)})`;
      case "void":
        return "false";
    }
  }

  /** JS String(x) of a value. */
  private toStr(e: Expr): string {
    const text = this.expr(e);
    switch (e.type.kind) {
      case "string":
        return text;
      case "number":
        return `${this.use("__js_num_to_string")}(${stripParens(text)})`;
      case "boolean":
        return `${this.use("__js_bool_to_string")}(${stripParens(text)})`;
      case "void":
        return '"undefined"';
    }
  }

  /** console.log's rendering of one argument (strings raw). */
  private inspect(e: Expr): string {
    const text = this.expr(e);
    switch (e.type.kind) {
      case "string":
        return text;
      case "number":
        return `${this.use("__js_inspect_num")}(${stripParens(text)})`;
      case "boolean":
        return `${this.use("__js_bool_to_string")}(${stripParens(text)})`;
      case "void":
        return '"undefined"';
    }
  }

  private temp(t: Type): string {
    if (t.kind === "string") {
      this.fn.temps.add("string");
      return "__tmp_str";
    }
    this.fn.temps.add("f64");
    return "__tmp_f64";
  }

  private expr(e: Expr): string {
    switch (e.kind) {
      case "number":
        return numberLiteral(e.value);
      case "string":
        return stringLiteral(e.value);
      case "boolean":
        return e.value ? "true" : "false";
      case "var":
        return e.symbol.emitName;
      case "assign":
        return this.assign(e);
      case "update":
        return e.prefix ? `(${e.op}${e.target.emitName})` : `(${e.target.emitName}${e.op})`;
      case "unary": {
        const operand = this.expr(e.operand);
        switch (e.op) {
          case "-":
            return `(-${operand})`;
          case "+":
            return operand;
          case "~":
            return `${this.use("__js_bitnot")}(${stripParens(operand)})`;
          case "!":
            return `(!${wrap(this.truthy(e.operand.type, operand))})`;
        }
        break;
      }
      case "binary":
        return this.binary(e);
      case "logical":
        return this.logical(e);
      case "conditional":
        return `(${this.cond(e.test)} ? ${this.expr(e.consequent)} : ${this.expr(e.alternate)})`;
      case "call":
        return `${e.callee.emitName}(${e.args.map((a) => stripParens(this.expr(a))).join(", ")})`;
      case "math-call":
        return this.mathCall(e);
      case "console":
        return this.console(e);
      case "template": {
        const parts: string[] = [];
        e.quasis.forEach((q, i) => {
          if (q.length > 0) parts.push(stringLiteral(q));
          const x = e.expressions[i];
          if (x) parts.push(this.toStr(x));
        });
        if (parts.length === 0) return '""';
        // The first operand must be a string for AS to pick string concatenation.
        if (parts.length === 1) return parts[0]!;
        return `(${parts.join(" + ")})`;
      }
      case "string-length":
        return `(<f64>${wrap(this.expr(e.object))}.length)`;
      case "sequence":
        return `(${e.expressions.map((x) => stripParens(this.expr(x))).join(", ")})`;
    }
    throw new Error(`unknown expression kind ${(e as Expr).kind}`);
  }

  private assign(e: AssignExpr): string {
    const x = e.target.emitName;
    const v = e.value;
    switch (e.op) {
      case "=":
        return `(${x} = ${stripParens(this.expr(v))})`;
      case "+=":
        if (e.type.kind === "string") return `(${x} = ${x} + ${this.toStr(v)})`;
        return `(${x} = ${x} + ${this.expr(v)})`;
      case "-=":
      case "*=":
      case "/=":
        return `(${x} = ${x} ${e.op[0]} ${this.expr(v)})`;
      case "%=":
        return `(${x} = ${this.use("__js_mod")}(${x}, ${stripParens(this.expr(v))}))`;
      case "**=":
        return `(${x} = ${this.use("__js_pow")}(${x}, ${stripParens(this.expr(v))}))`;
      case "&=":
      case "|=":
      case "^=":
      case "<<=":
      case ">>=":
      case ">>>=":
        return `(${x} = ${this.bitwise(e.op.slice(0, -1), x, this.expr(v))})`;
      case "&&=":
        return `(${x} = ${e.type.kind === "boolean" ? `${x} && ${this.expr(v)}` : `${this.truthy(e.type, x)} ? ${this.expr(v)} : ${x}`})`;
      case "||=":
        return `(${x} = ${e.type.kind === "boolean" ? `${x} || ${this.expr(v)}` : `${this.truthy(e.type, x)} ? ${x} : ${this.expr(v)}`})`;
    }
  }

  private bitwise(op: string, l: string, r: string): string {
    const helper = BITWISE_HELPERS[op];
    if (!helper) throw new Error(`unknown bitwise operator ${op}`);
    return `${this.use(helper)}(${stripParens(l)}, ${stripParens(r)})`;
  }

  private binary(e: BinaryExpr): string {
    switch (e.op) {
      case "+":
        if (e.type.kind === "string") return `(${this.toStr(e.left)} + ${this.toStr(e.right)})`;
        return `(${this.expr(e.left)} + ${this.expr(e.right)})`;
      case "-":
      case "*":
      case "/":
        return `(${this.expr(e.left)} ${e.op} ${this.expr(e.right)})`;
      case "%":
        return `${this.use("__js_mod")}(${stripParens(this.expr(e.left))}, ${stripParens(this.expr(e.right))})`;
      case "**":
        return `${this.use("__js_pow")}(${stripParens(this.expr(e.left))}, ${stripParens(this.expr(e.right))})`;
      case "&":
      case "|":
      case "^":
      case "<<":
      case ">>":
      case ">>>":
        return this.bitwise(e.op, this.expr(e.left), this.expr(e.right));
      case "<":
      case "<=":
      case ">":
      case ">=": {
        // \`name < (…)\` can make AS try to parse type arguments (\`name<T>(…)\`): parenthesise.
        const left = this.expr(e.left);
        const safeLeft = /^[A-Za-z_$][\w$]*$/.test(left) ? `(${left})` : left;
        return `(${safeLeft} ${e.op} ${this.expr(e.right)})`;
      }
      case "===":
        return `(${this.expr(e.left)} == ${this.expr(e.right)})`;
      case "!==":
        return `(${this.expr(e.left)} != ${this.expr(e.right)})`;
    }
  }

  private logical(e: LogicalExpr): string {
    const t = e.type;
    if (t.kind === "boolean") return `(${this.expr(e.left)} ${e.op} ${this.expr(e.right)})`;
    // JS returns one of the operands: evaluate the left one once.
    const left = this.expr(e.left);
    const simple = e.left.kind === "var" || e.left.kind === "number" || e.left.kind === "string";
    let test: string;
    let again: string;
    if (simple) {
      test = this.truthy(t, left);
      again = left;
    } else {
      const tmp = this.temp(t);
      test = this.truthy(t, `(${tmp} = ${stripParens(left)})`);
      again = tmp;
    }
    const right = this.expr(e.right);
    return e.op === "&&" ? `(${test} ? ${right} : ${again})` : `(${test} ? ${again} : ${right})`;
  }

  private mathCall(e: MathCallExpr): string {
    const args = e.args.map((a) => stripParens(this.expr(a)));
    switch (e.name) {
      case "min":
      case "max": {
        if (args.length === 0) return e.name === "min" ? "Infinity" : "(-Infinity)";
        if (args.length === 1) return wrap(args[0]!); // Math.max(x) is x for a number x
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

  private console(e: ConsoleExpr): string {
    const sink = this.use(e.stream === "out" ? "__stelp_log_out" : "__stelp_log_err");
    if (e.args.length === 0) return `${sink}("")`;
    if (e.format === "format") {
      const sig = e.args
        .slice(1)
        .map((a) => (a.type.kind === "number" ? "n" : a.type.kind === "boolean" ? "b" : "s"))
        .join("");
      const name = `__fmt_s${sig}`;
      if (!this.formatHelpers.has(name)) this.formatHelpers.set(name, formatHelper(name, e.args.map((a) => a.type)));
      this.use("__js_inspect_num");
      this.use("__js_bool_to_string");
      return `${sink}(${name}(${e.args.map((a) => stripParens(this.expr(a))).join(", ")}))`;
    }
    const parts = e.args.map((a) => this.inspect(a));
    // Keep the first operand a string so that AS concatenates.
    return `${sink}(${parts.join(' + " " + ')})`;
  }
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

function tempDecls(temps: Set<"f64" | "string">, indent: string): string[] {
  const out: string[] = [];
  if (temps.has("f64")) out.push(`${indent}let __tmp_f64: f64 = 0.0;`);
  if (temps.has("string")) out.push(`${indent}let __tmp_str: string = "";`);
  return out;
}

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

/** Removes one pair of outer parentheses when they wrap the whole text. */
function stripParens(text: string): string {
  return isWrapped(text) ? text.slice(1, -1) : text;
}
