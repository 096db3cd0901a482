import { describe, expect, it } from "vitest";
import { check } from "../src/check.js";
import type { Diagnostic } from "../src/diagnostic.js";
import { parse } from "../src/parse.js";
import type { Stmt, TypedProgram, VariableSymbol } from "../src/typed-program.js";

function run(source: string, allowRandom = false): { program: TypedProgram | null; diagnostics: Diagnostic[] } {
  const parsed = parse(source);
  if (!parsed.ast) return { program: null, diagnostics: parsed.diagnostics };
  return check(parsed.ast, { allowRandom });
}

function accepted(source: string, allowRandom = false): TypedProgram {
  const r = run(source, allowRandom);
  expect(r.diagnostics, JSON.stringify(r.diagnostics, null, 1)).toEqual([]);
  expect(r.program).not.toBeNull();
  return r.program!;
}

/** Expects a diagnostic with this rule at line:column (1-based). */
function expectRule(source: string, rule: string, line: number, column: number, allowRandom = false): Diagnostic {
  const r = run(source, allowRandom);
  expect(r.program).toBeNull();
  const d = r.diagnostics.find((x) => x.rule === rule);
  expect(d, `no ${rule} in ${JSON.stringify(r.diagnostics, null, 1)}`).toBeDefined();
  expect({ line: d!.line, column: d!.column }).toEqual({ line, column });
  expect(d!.severity).toBe("error");
  expect(d!.hint.length).toBeGreaterThan(0);
  expect(d!.message.length).toBeGreaterThan(0);
  return d!;
}

function globalType(p: TypedProgram, name: string): string {
  const g = p.globals.find((s) => s.name === name);
  if (!g) throw new Error(`no global ${name}`);
  return g.type.kind;
}

function fn(p: TypedProgram, name: string) {
  const f = p.functions.find((x) => x.symbol.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f.symbol;
}

function paramTypes(p: TypedProgram, name: string): string[] {
  return fn(p, name).params.map((x: VariableSymbol) => x.type.kind);
}

describe("check: rule ids with positions", () => {
  it("unsupported-syntax: var that is not equivalent to let", () => {
    const d = expectRule("let a = 1;\nif (a) { var x = 1; }\nconsole.log(x);", "unsupported-syntax", 2, 10);
    expect(d.hint).toContain("let");
    expect(d.stage).toBe("check");
    expectRule("var x = 1;\nvar x = 2;", "unsupported-syntax", 2, 1);
  });
  it("unsupported-syntax: each construct outside the subset", () => {
    const cases: [string, number, number, RegExp][] = [
      ["with (a) {}", 1, 1, /with/],
      ["if (1) { class A {} }", 1, 10, /class/],
      ["function h() {\ntry { return 1; } finally { h(); } }", 2, 7, /finally/],
      ["let d = new Date();", 1, 9, /new/],
      ["function* g() {}", 1, 1, /generator/],
      ["async function f() {}", 1, 1, /async/],
      ["let x = 1; delete x;", 1, 12, /delete/],
      ["let x = 1 instanceof Date;", 1, 9, /instanceof/],
      ["try { 1; } catch ([a]) {}", 1, 19, /destructuring/],
      ["let x = 10n;", 1, 9, /BigInt/],
      ["let x = this;", 1, 9, /this/],
      ["let x = {...{a: 1}};", 1, 10, /spread/],
      ["let s = 'x'; s[0] = 'y';", 1, 14, /strings cannot be changed/],
      ["if (true) function f() {}", 1, 11, /function declarations inside blocks/],
      ["function f(...a) {}", 1, 12, /rest/],
      ["let [a = 1] = [2];", 1, 6, /default values/],
      ["let a = 1; a ??= 2;", 1, 12, /\?\?=/],
      ["let x = `a`; let y = String.raw`x`;", 1, 22, /tagged/],
      ["let x = 1; let y = x?.length;", 1, 20, /optional/],
    ];
    for (const [src, line, column, message] of cases) {
      const d = expectRule(src, "unsupported-syntax", line, column);
      expect(d.message, src).toMatch(message);
    }
  });
  it("forbidden-global: dangerous names, also through unicode escapes", () => {
    expectRule("require('fs');", "forbidden-global", 1, 1);
    expectRule("let x = 1;\nprocess.exit(x);", "forbidden-global", 2, 1);
    expectRule("globalThis.x = 1;", "forbidden-global", 1, 1);
    const d = expectRule("\\u0065val('1');", "forbidden-global", 1, 1);
    expect(d.message).toContain("eval");
    for (const name of ["window", "self", "global", "Function", "fetch", "WebAssembly", "Reflect", "Proxy", "module", "exports", "__dirname", "__filename", "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "Buffer", "XMLHttpRequest", "Worker", "SharedArrayBuffer", "Atomics", "Deno", "Bun"]) {
      const r = run(`let x = 1;\n  ${name};`);
      expect(r.diagnostics.map((q) => `${q.rule}@${q.line}:${q.column}`), name).toContain("forbidden-global@2:3");
    }
  });
  it("forbidden-global: import.meta and arguments", () => {
    expect(run("import.meta").diagnostics[0]!.rule).toBe("forbidden-global");
    expectRule("function f() { return arguments; }", "forbidden-global", 1, 23);
  });
  it("forbidden-module: import(), import and export declarations", () => {
    expectRule("let m = import('fs');", "forbidden-module", 1, 9);
    const r = run("import fs from 'fs';");
    expect(r.diagnostics[0]).toMatchObject({ rule: "forbidden-module", line: 1, column: 1 });
    expect(run("export const x = 1;").diagnostics[0]!.rule).toBe("forbidden-module");
  });
  it("forbidden-property: __proto__, constructor, prototype, caller, callee, arguments", () => {
    expectRule("let s = 'a';\nlet c = s.constructor;", "forbidden-property", 2, 11);
    expectRule("let s = 'a'; let c = s['__proto__'];", "forbidden-property", 1, 24);
    for (const p of ["prototype", "caller", "callee", "arguments", "__proto__"]) {
      expect(run(`let s = 'a'; s.${p};`).diagnostics.map((d) => d.rule), p).toContain("forbidden-property");
    }
  });
  it("undeclared-identifier", () => {
    const d = expectRule("let a = 1;\nlet b = a + foo;", "undeclared-identifier", 2, 13);
    expect(d.message).toContain("foo");
  });
  it("unsupported-builtin: standard globals, methods, unknown Math members, other console methods", () => {
    expectRule("let n = Symbol('3');", "unsupported-builtin", 1, 9);
    expectRule("let s = 'abc';\nlet t = s.localeCompare('b');", "unsupported-builtin", 2, 11);
    expectRule("let x = Math.foo(1);", "unsupported-builtin", 1, 14);
    expectRule("console.table(1);", "unsupported-builtin", 1, 9);
  });
  it("unsupported-value: holes", () => {
    expectRule("let x = [1, , 2];", "unsupported-value", 1, 9);
    expectRule("let a = new Array(3);", "unsupported-value", 1, 9);
    accepted("let a = new Array(3).fill(0); let b = null; console.log(undefined, b, a);");
  });
  it("classes: the constructor creates fields before they are used; no extends, getters or outer this", () => {
    expectRule("class A { constructor() { console.log(this.x); this.x = 1; } }", "use-before-declaration", 1, 39);
    expectRule("class A { constructor() { this.f(); this.x = 1; } f() { return this.x; } }", "use-before-declaration", 1, 27);
    expectRule("class A { m() { function f() { return this; } return f(); } }", "unsupported-syntax", 1, 39);
    expectRule("class B extends Array {}", "unsupported-syntax", 1, 17);
    expectRule("class A { get x() { return 1; } }", "unsupported-syntax", 1, 11);
    expectRule("class A { constructor() { if (1) this.y = 2; } }", "unsupported-syntax", 1, 39);
    expectRule("const a = new A(); class A {}", "use-before-declaration", 1, 15);
    expectRule("function f() { class A {} }", "unsupported-syntax", 1, 16);
    accepted("class P { constructor(x) { this.x = x; } get_x() { return this.x; } static of(v) { return new P(v); } }\nconsole.log(P.of(2).get_x(), new P(1));");
  });
  it("exceptions: a call that may throw is a statement of its own; finally blocks are not left early", () => {
    expectRule("function f(x) { if (x) throw new Error('e'); return 1; }\ntry { console.log(f(1)); } catch (e) {}", "unsupported-syntax", 2, 19);
    expectRule("function f(x) { if (x) throw new Error('e'); return 1; }\nconst g = f;\ntry { g(1); } catch (e) {}", "unsupported-syntax", 2, 11);
    expectRule("function h() { try { return 1; } finally { console.log('f'); } }", "unsupported-syntax", 1, 22);
    accepted("function f(x) { if (x) throw new Error('e'); return 1; }\ntry { const r = f(1); console.log(r); } catch (e) { console.log(e.message); } finally { console.log('done'); }");
  });
  it("unsupported-regex: regular expressions outside single-character split separators", () => {
    expectRule("let r = /ab+c/;", "unsupported-regex", 1, 9);
    expectRule("let p = 'a b'.split(/\\s+/);", "unsupported-regex", 1, 21);
    accepted("let p = 'a b,c'.split(/[ ,]/); let q = 'a-b'.split(/-/); console.log(p, q);");
  });
  it("random-not-granted unless the policy grants it", () => {
    const d = expectRule("let r = Math.random();", "random-not-granted", 1, 9);
    expect(d.hint).toMatch(/deterministic|policy/);
    const p = accepted("let r = Math.random();", true);
    expect(p.usesRandom).toBe(true);
  });
  it("type-mismatch: a value of several types used where one type is needed", () => {
    const d = expectRule("let x = 1;\nif (x) x = 'a';\nlet n = x.toUpperCase();", "unsupported-builtin", 3, 11);
    expect(d.message).toMatch(/several types/);
    expectRule("let h = 1;\nif (h) h = () => 1;", "type-mismatch", 2, 12);
  });
  it("type-mismatch: === between different types (always false)", () => {
    expectRule("let a = 1 === '1';", "type-mismatch", 1, 9);
    expectRule("let a = 1 !== true;", "type-mismatch", 1, 9);
    accepted("let a = 1 == '1'; let b = '2' < 3; let c = 'a' - 1; let d = true + 1;");
  });
  it("type-mismatch: operators on values they do not convert", () => {
    expectRule("let a = true < false;", "type-mismatch", 1, 9);
    expectRule("let s = 'a'; s++;", "type-mismatch", 1, 14);
    expectRule("let x = 1; let n = x.length;", "unsupported-builtin", 1, 22);
    expectRule("let a = [1] - {};", "type-mismatch", 1, 9);
  });
  it("type-mismatch: JSDoc, body use and call sites must agree", () => {
    const d = expectRule("/** @param {string} a */\nfunction f(a) { return a; }\nf(2);", "type-mismatch", 3, 3);
    expect(d.message).toContain("JSDoc");
    const e = expectRule("function f(a) { return a * 2; }\nf(() => 1);", "type-mismatch", 2, 3);
    expect(e.message).toContain("argument 1");
  });
  it("values of several types in one slot become dynamic values", () => {
    const p = accepted("function id(a) { return a; }\nid(1);\nid('s');\nfunction f(n) {\n  if (n > 0) return 1;\n  return 'x';\n}\nf(1);");
    expect(paramTypes(p, "id")).toEqual(["dyn"]);
    expect(fn(p, "f").returnType.kind).toBe("dyn");
  });
  it("unsupported-type: JSDoc types outside the subset", () => {
    expectRule("/** @param {Map<string, number>} a */\nfunction f(a) { return 1; }", "unsupported-type", 1, 5);
    const p = accepted("/**\n * @param {Array<number>} a\n * @param {string[][]} b\n * @param {Object<string, boolean>} c\n * @returns {number[]}\n */\nfunction f(a, b, c) { return a; }");
    expect(fn(p, "f").params.map((x) => JSON.stringify(x.type))).toEqual(['{"kind":"array","elem":{"kind":"number"}}', '{"kind":"array","elem":{"kind":"array","elem":{"kind":"string"}}}', '{"kind":"dict","value":{"kind":"boolean"}}']);
    expectRule("/**\n * @returns {object}\n */\nfunction f() { return 1; }", "unsupported-type", 2, 4);
  });
  it("missing-return: documented return types that are not returned", () => {
    expectRule("/** @returns {number} */\nfunction f() { }", "missing-return", 1, 5);
    // Falling off the end returns undefined: the result holds several types.
    const p = accepted("function f(n) {\n  if (n > 0) return 1;\n}\nfunction g(n) {\n  if (n) return;\n  return 1;\n}");
    expect(fn(p, "f").returnType.kind).toBe("dyn");
    expect(fn(p, "g").returnType.kind).toBe("dyn");
  });
  it("function-not-value: built-in functions as values", () => {
    expectRule("let x = Math.max;", "function-not-value", 1, 9);
    expectRule("let y = ['1'].map(Number);", "function-not-value", 1, 19);
    accepted("function f() { return 1; }\nlet g = f;\nconsole.log(g(), [1, 2].map((a) => a * 2));");
  });
  it("not-callable", () => {
    expectRule("let x = 1;\nx();", "not-callable", 2, 1);
    expectRule("let x = Math.PI();", "not-callable", 1, 9);
  });
  it("argument-count", () => {
    expectRule("const f = (a) => a;\nf(1, 2);", "argument-count", 2, 1);
    expectRule("let x = Math.pow(2);", "argument-count", 1, 9);
    expectRule("let x = [1].map((a, b, c, d) => a);", "argument-count", 1, 17);
    // Missing arguments are undefined.
    accepted("function f(a, b) { return a; }\nf(1);");
  });
  it("const-assignment", () => {
    expectRule("const c = 1;\nc = 2;", "const-assignment", 2, 1);
    expectRule("const c = 1; c += 2;", "const-assignment", 1, 14);
    expectRule("function f() {}\nf = 1;", "const-assignment", 2, 1);
  });
  it("uninitialized-variable", () => {
    const d = expectRule("const x;", "syntax-error", 1, 8);
    expect(d.hint.length).toBeGreaterThan(0);
    accepted("let x;\nx = 1;\nconsole.log(x);");
  });
  it("use-before-declaration: direct use, own initialiser, calls that read later globals", () => {
    expectRule("console.log(x);\nlet x = 1;", "use-before-declaration", 1, 13);
    expectRule("let x = x + 1;", "use-before-declaration", 1, 9);
    expectRule("const f = () => 1;\nlet a = g();\nconst g = () => 2;", "use-before-declaration", 2, 9);
    const d = expectRule("function f() { return y; }\nconsole.log(f());\nlet y = 2;", "use-before-declaration", 2, 13);
    expect(d.message).toContain("y");
    // through a chain of calls
    expectRule("function a() { return b(); }\nfunction b() { return z; }\nlet q = a();\nlet z = 1;", "use-before-declaration", 3, 9);
    // a binding of another case clause
    expectRule("switch (1) { case 1: let q = 1; break; case 2: q = 2; }", "use-before-declaration", 1, 48);
    // a nested const function used before its declaration inside a function
    expectRule("function f() {\n  const r = h();\n  const h = () => 1;\n  return r;\n}", "use-before-declaration", 2, 13);
  });
  it("captured-variable: loop variables captured by function values", () => {
    const d = expectRule("const fs = [];\nfor (let i = 0; i < 3; i++) {\n  fs.push(() => i);\n}", "captured-variable", 3, 11);
    expect(d.hint).toContain("copy");
    accepted("function o() {\n  let v = 1;\n  function i() { return v; }\n  return i();\n}\n{ let v = 1; const f = () => v; f(); }");
  });
  it("reserved-name", () => {
    expectRule("let NaN = 1;", "reserved-name", 1, 5);
    expectRule("function f(undefined) { return 1; }", "reserved-name", 1, 12);
    expectRule("const Math = 1;", "reserved-name", 1, 7);
  });
  it("duplicate-declaration", () => {
    expectRule("function f(a, a) { return a; }", "duplicate-declaration", 1, 15);
    expectRule("function f() { return 1; }\nfunction f() { return 2; }", "duplicate-declaration", 2, 10);
  });
  it("void-value", () => {
    expectRule("function f() { }\nlet x = f();", "void-value", 2, 9);
    expectRule("function f() { }\nconsole.log(f() + 1);", "void-value", 2, 13);
    expectRule("let x = console.log(1);", "void-value", 1, 9);
  });
  it("unsupported-format: console.log format directives that stelp cannot reproduce", () => {
    expectRule("console.log('%s items', [1]);", "unsupported-format", 1, 13);
    accepted("console.log('%o items %O', 'x', 'y');");
    accepted("console.log('%d %i %f items', 'x', '0x1f', '2.5e3xyz');");
    accepted("console.log('%s items %d %i %f %j %o %O %c', 'x', 1, 2, 3, 'j', 5, 6, 'css');");
  });
  it("input-too-complex: nesting beyond the limit", () => {
    const src = "let x = " + "-(".repeat(700) + "1" + ")".repeat(700) + ";";
    const r = run(src);
    expect(r.program).toBeNull();
    expect(r.diagnostics.map((d) => d.rule)).toContain("input-too-complex");
  });
  it("input-too-complex: more parameters than a Wasm function may have", () => {
    const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`).join(", ");
    expectRule(`function f(${params(65)}) { return p0; }\nconsole.log(f(1));`, "input-too-complex", 1, 1);
    expectRule(`const g = (${params(3000)}) => p1;`, "input-too-complex", 1, 11);
    accepted(`function f(${params(64)}) { return p0; }\nconsole.log(f(1));`);
  });
  it("terminates on types that would contain themselves (was a hang growing memory)", () => {
    for (const src of ["function f(e) { return e && e.message; }", "function f(e) { return e || e.x; }", "const g = function (e) { return String(e && e.message || e); };"]) {
      const r = run(src);
      expect(r.program).toBeNull();
      expect(r.diagnostics.map((d) => d.rule)).toContain("type-mismatch");
    }
    accepted('function f(e) { return e && e.message; }\nconsole.log(f({ message: "m" }));');
  });
  it("method names are not looked up on Object.prototype (was an internal error)", () => {
    for (const src of ['const a = ["x"]; function g(i) { return a.propertyIsEnumerable(i); }', 'const a = ["x"]; console.log(a.valueOf());', "const o = { a: 1 }; console.log(o.toString());"]) {
      const r = run(src);
      expect(r.program).toBeNull();
      expect(r.diagnostics.map((d) => d.rule)).toContain("unsupported-builtin");
    }
  });
  it("too-many-diagnostics: reports many problems, capped", () => {
    const src = Array.from({ length: 80 }, (_, i) => `let v${i} = nope${i};`).join("\n");
    const r = run(src);
    expect(r.diagnostics.filter((d) => d.rule === "undeclared-identifier").length).toBe(50);
    const last = r.diagnostics[r.diagnostics.length - 1]!;
    expect(last.rule).toBe("too-many-diagnostics");
    expect(last.message).toContain("30");
  });
  it("reports several independent errors, each at its position", () => {
    const r = run("with (a) {}\nlet b = foo;\nlet c = 1;\nc = [1] - 'x';");
    expect(r.diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}`)).toEqual([
      "unsupported-syntax@1:1",
      "undeclared-identifier@2:9",
      "type-mismatch@4:5",
    ]);
  });
  it("does not cascade from a rejected expression", () => {
    const r = run("let x = foo;\nlet y = x + 1;\nconsole.log(y * 2, x.length);");
    expect(r.diagnostics.map((d) => d.rule)).toEqual(["undeclared-identifier"]);
  });
});

describe("check: type inference", () => {
  it("variables take the type of their initialiser", () => {
    const p = accepted("let a = 1; let b = 'x'; let c = true; let d = a + b; let e = a < 2; let f = `${a}`;");
    expect(["a", "b", "c", "d", "e", "f"].map((n) => globalType(p, n))).toEqual(["number", "string", "boolean", "string", "boolean", "string"]);
  });
  it("parameters from JSDoc", () => {
    const p = accepted("/**\n * @param {string} s\n * @param {number} n\n * @param {boolean} [b]\n * @returns {string}\n */\nfunction f(s, n, b) { return s; }");
    expect(paramTypes(p, "f")).toEqual(["string", "number", "boolean"]);
    expect(fn(p, "f").returnType.kind).toBe("string");
  });
  it("JSDoc on a const arrow function", () => {
    const p = accepted("/** @param {string} a */\nconst g = (a) => a + 1;");
    expect(paramTypes(p, "g")).toEqual(["string"]);
    expect(fn(p, "g").returnType.kind).toBe("string");
  });
  it("parameters from use in the body", () => {
    const p = accepted("function f(x, s, b) { if (b) { return x * 2 + s.length; } return 0; }");
    expect(paramTypes(p, "f")[0]).toBe("number");
    expect(paramTypes(p, "f")[1]).toBe("string");
  });
  it("parameters from call sites (also before the declaration)", () => {
    const p = accepted("console.log(greet('Ann', true));\nfunction greet(name, loud) { return loud ? name + '!' : name; }");
    expect(paramTypes(p, "greet")).toEqual(["string", "boolean"]);
    expect(fn(p, "greet").returnType.kind).toBe("string");
  });
  it("string concatenation decides by either side", () => {
    const p = accepted("function f(a) { return 'n=' + a; }\nf(3);\nfunction g(a, b) { return a + b; }\ng(1, 2);");
    expect(paramTypes(p, "f")).toEqual(["number"]);
    expect(fn(p, "f").returnType.kind).toBe("string");
    expect(fn(p, "g").returnType.kind).toBe("number");
  });
  it("return types through recursion and mutual recursion", () => {
    const p = accepted(
      "function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }\nfunction even(n) { if (n === 0) return true; return odd(n - 1); }\nfunction odd(n) { if (n === 0) return false; return even(n - 1); }\nconsole.log(fact(5), even(4));",
    );
    expect(fn(p, "fact").returnType.kind).toBe("number");
    expect(fn(p, "even").returnType.kind).toBe("boolean");
    expect(fn(p, "odd").returnType.kind).toBe("boolean");
  });
  it("void functions and expression-bodied arrows", () => {
    const p = accepted("function hi() { console.log('hi'); }\nconst show = (x) => console.log(x);\nconst sq = (x) => x * x;\nhi(); show(sq(2));");
    expect(fn(p, "hi").returnType.kind).toBe("void");
    expect(fn(p, "show").returnType.kind).toBe("void");
    expect(fn(p, "sq").returnType.kind).toBe("number");
  });
  it("logical operators return an operand of the same type", () => {
    const p = accepted("let a = 0 || 5; let b = '' || 'x'; let c = true && false;");
    expect(["a", "b", "c"].map((n) => globalType(p, n))).toEqual(["number", "string", "boolean"]);
  });
  it("a function that is never called gets number for unconstrained parameters", () => {
    const p = accepted("function unused(a, b) { return a + b; }");
    expect(paramTypes(p, "unused")).toEqual(["number", "number"]);
  });
  it("compound assignments keep the variable's type", () => {
    accepted("let s = 'a'; s += 1; s += true; let n = 1; n += 2; n **= 2; n >>>= 1; n ||= 3; s &&= 'b';");
    expectRule("let n = 1;\nn += 'a';", "type-mismatch", 2, 1);
  });
});

describe("check: accepted programs and the typed program", () => {
  it("a HumanEval-style program has no diagnostics", () => {
    const p = accepted(`/**
 * Return true if any two numbers are closer than the threshold.
 * @param {number} a
 * @param {number} b
 * @param {number} threshold
 */
const close = (a, b, threshold) => Math.abs(a - b) < threshold;

function sumTo(n) {
  let total = 0;
  for (let i = 1; i <= n; i++) {
    if (i % 3 === 0 || i % 5 === 0) continue;
    total += i;
  }
  return total;
}

function firstSquareAbove(limit) {
  let i = 0;
  while (true) {
    i++;
    if (i * i > limit) return i;
  }
}

const label = (n) => {
  if (n > 10) {
    return "big";
  } else if (n > 5) {
    return "medium";
  }
  return "small";
};

let count = 0;
do { count += 2; } while (count < 7);
console.log(close(1.0, 1.05, 0.1), sumTo(20), firstSquareAbove(50), label(7), count);
console.error(\`done: \${count}\`);
`);
    expect(p.functions.map((f) => f.symbol.name)).toEqual(["close", "sumTo", "firstSquareAbove", "label"]);
    expect(p.globals.map((g) => g.name)).toEqual(["count"]);
    expect(p.body.map((s: Stmt) => s.kind)).toEqual(["var-decl", "do-while", "expr", "expr"]);
  });
  it("shadowing gets unique emitted names", () => {
    const p = accepted("let x = 1;\n{ let x = 'a'; { let x = true; } }\nfunction f(x) { return x; }\nf(2);");
    const names = new Set<string>();
    const collect = (stmts: Stmt[]): void => {
      for (const s of stmts) {
        if (s.kind === "var-decl") names.add(s.symbol.emitName);
        if (s.kind === "block") collect(s.body);
      }
    };
    collect(p.body);
    names.add(fn(p, "f").params[0]!.emitName);
    expect(names.size).toBe(4);
    for (const n of names) expect(n).toMatch(/^u_x/);
  });
  it("nested functions are hoisted with unique names", () => {
    const p = accepted("function a() { function h() { return 1; } return h(); }\nfunction b() { function h() { return 2; } return h(); }\nconsole.log(a() + b());");
    const hs = p.functions.filter((f) => f.symbol.name === "h").map((f) => f.symbol.emitName);
    expect(hs.length).toBe(2);
    expect(hs[0]).not.toBe(hs[1]);
  });
  it("mangles non-ASCII and $ identifiers", () => {
    const p = accepted("let $a = 1; let é = 2; let ab = $a + é;");
    for (const g of p.globals) expect(g.emitName).toMatch(/^u_[A-Za-z0-9_]+$/);
  });
  it("directives, empty statements and hashbangs are fine", () => {
    accepted("#!/usr/bin/env node\n'use strict';\n;;\nlet x = 1;");
  });
  it("NaN, Infinity and Math constants are numbers", () => {
    const p = accepted("let a = NaN; let b = -Infinity; let c = Math.PI * Math.SQRT1_2;");
    expect(p.globals.every((g) => g.type.kind === "number")).toBe(true);
  });
  it("a global used by a function declared later is fine when called after initialisation", () => {
    accepted("function f() { return G * 2; }\nconst G = 21;\nconsole.log(f());");
  });
  it("never throws on a malformed AST", () => {
    const weird = [{ type: "Program", body: [{ type: "Bogus" }], sourceType: "script", start: 0, end: 0 }, { type: "Program", body: null }, null];
    for (const ast of weird) {
      const r = check(ast as never, { allowRandom: false });
      expect(r.program).toBeNull();
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });
});
