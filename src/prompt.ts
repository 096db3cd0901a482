/**
 * `stelp prompt`: a system-prompt section that tells an LLM how to write code that lands inside the
 * stelp subset the first time.
 *
 * This file is the single structured description of the subset for models:
 *
 * - CONSTRUCTS: what a model may want to write, each with a *probe* (a snippet that uses the
 *   construct exactly as the prompt describes it), the line to show when the checker accepts the
 *   probe, and the rewrite to show when it rejects it. renderPrompt() runs every probe through the
 *   checker, so the prompt follows the subset as it grows: a construct moves from "not accepted" to
 *   "accepted" the moment the checker accepts its probe. test/prompt.test.ts runs every accepted
 *   probe under stelp and node (the outputs must be identical), checks that every rewrite is
 *   accepted, and that the `core` constructs stay accepted and the `forbidden` ones stay rejected.
 * - RULE_HINTS: every rule id the front end can emit, with a fix. test/subset-docs-sync.test.ts
 *   reads the ids from the checker's source and checks that docs/subset.md and this list both have
 *   every one of them, and no other.
 */
import { check } from "./check.js";
import { MATH_CONSTANTS, MATH_FUNCTIONS } from "./check/builtins.js";
import { hasErrors } from "./diagnostic.js";
import { parse } from "./parse.js";
import { signatureText, type ToolSignature } from "./tools.js";
import { BASE_IMPORTS, type Policy } from "./policy.js";

/** Something a model may write, as the prompt describes it. */
export interface Construct {
  /** Stable key (tests and other constructs' rewrites refer to it). */
  id: string;
  /** A snippet that uses the construct as `accepted` describes it; prints something node prints too. */
  probe: string;
  /** The bullet shown under "Accepted" when the checker accepts the probe. */
  accepted: string;
  /** Shown under "Not accepted" when the checker rejects the probe; absent for `core` constructs. */
  rejected?: {
    /** What the model might write. */
    instead: string;
    /** What to write instead; a function when the advice depends on what else is accepted. */
    write: string | ((accepted: ReadonlySet<string>) => string);
    /** The probe's task rewritten without the construct (must be accepted); null: "drop it". */
    rewrite: string | null;
    /** For `forbidden` constructs: the rule the checker must report. */
    rule?: string;
  };
  /** Part of the subset since the first release: the tests fail if its probe is ever rejected. */
  core?: boolean;
  /** Host access: the tests fail if its probe is ever accepted. */
  forbidden?: boolean;
}

export const CONSTRUCTS: readonly Construct[] = [
  // --- the core subset ---------------------------------------------------------------------------
  {
    id: "values",
    core: true,
    accepted: "numbers (IEEE doubles with exact JavaScript semantics, including NaN, Infinity and -0), booleans and strings",
    probe: `let n = 0.1 + 0.2; let ok = n > 0.3; let s = "n=" + n; console.log(n, ok, s, NaN, -Infinity, -0);`,
  },
  {
    id: "declarations",
    core: true,
    accepted: "`let` and `const`; `function` declarations (top level or directly in a function body); `const f = (a, b) => …` and `const f = function (a) { … }`",
    probe: `const K = 3; let total = 0; function add(a, b) { return a + b; } const twice = (x) => x * 2; total = add(twice(K), 1); console.log(total);`,
  },
  {
    id: "statements",
    core: true,
    accepted: "`if`/`else`, `for (init; test; update)`, `while`, `do … while`, `break`/`continue`, `return`, blocks",
    probe: `let t = 0; for (let i = 0, j = 9; i < j; i++, j--) { if (i % 2 === 0) continue; t += i * j; } let k = 0; while (true) { k++; if (k > 3) break; } do { k--; } while (k > 0); console.log(t, k);`,
  },
  {
    id: "operators",
    core: true,
    accepted: "`+ - * / % **`, comparisons, `=== !==`, `&& || ! ??` with JavaScript truthiness, `c ? a : b`, bitwise `& | ^ ~ << >> >>>`, `++ --`, compound assignments (`+=` … `&&=`, `||=`)",
    probe: `let x = 7; x **= 2; x >>>= 1; let f = x > 3 && x < 100; let m = x % 2 === 0 ? "even" : "odd"; console.log(x, f, m, 5 & 3, ~x, -7 >> 1, 0 || 5, "" || "empty");`,
  },
  {
    id: "strings",
    core: true,
    accepted: "strings: `+` (numbers and booleans convert as in JavaScript), template literals, comparison, `.length`",
    probe: "const who = \"Ada\"; let msg = `hi ${who}, ${who.length} letters, ${1 / 4}`; console.log(msg, \"a\" < \"b\", who + 1 + true);",
  },
  {
    id: "functions",
    core: true,
    accepted: "functions use their parameters, their locals and the top-level variables and functions; recursion and mutual recursion are fine",
    probe: `const LIMIT = 10; function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } function isEven(n) { return n === 0 ? true : isOdd(n - 1); } function isOdd(n) { return n === 0 ? false : isEven(n - 1); } console.log(fib(LIMIT), isEven(8));`,
  },
  {
    id: "jsdoc",
    core: true,
    accepted: "optional JSDoc types (`/** @param {number} x */`, `@returns {string}`) make the intended types explicit",
    probe: `/**\n * @param {string} s\n * @param {number} n\n * @returns {string}\n */\nfunction pad(s, n) { let r = s; while (r.length < n) r = " " + r; return r; }\nconsole.log(pad("7", 3));`,
  },
  {
    id: "console",
    core: true,
    accepted: "`console.log`/`info`/`debug` (stdout) and `console.error`/`warn` (stderr) with any number of arguments; `NaN`, `Infinity`; `Math` (listed below)",
    probe: `console.log(Math.max(1, 7, 3), Math.floor(-1.5), Math.sqrt(2), Math.PI, Math.trunc(7 / 2)); console.error("warning:", 1);`,
  },

  // --- constructs the subset gains over time: the checker decides -------------------------------
  {
    id: "var",
    accepted: "`var` declared once at the top of a function or of the script (it then behaves like `let`)",
    probe: `var x = 1; x += 1; console.log(x);`,
    rejected: { instead: "`var x = 1`", write: "`let x = 1` (or `const`)", rewrite: `let x = 1; x += 1; console.log(x);` },
  },
  {
    id: "let-without-value",
    accepted: "`let x;` without an initial value (it starts as `undefined`)",
    probe: `let x; x = 1; console.log(x);`,
    rejected: { instead: "`let x;` (no initial value)", write: "`let x = 0;` (an initial value of the type it will hold)", rewrite: `let x = 0; x = 1; console.log(x);` },
  },
  {
    id: "let-function",
    accepted: "functions bound with `let` or `var` (`let f = () => …`)",
    probe: `let f = () => 1; console.log(f());`,
    rejected: { instead: "`let f = () => …`", write: "`const f = () => …`", rewrite: `const f = () => 1; console.log(f());` },
  },
  {
    id: "arrays",
    accepted: "arrays of one element type: `[1, 2]`, `a[i]`, `a[i] = v`, `a.length`, `push`, `pop`, `slice`, `indexOf`, `includes`, `join`",
    probe: `let a = [3, 1, 2]; a.push(4); a[0] = 5; let t = 0; for (let i = 0; i < a.length; i++) t += a[i]; console.log(t, a.length, a.pop(), a.slice(1).join("-"), a.indexOf(2), a.includes(9));`,
    rejected: { instead: "arrays (`[1, 2]`, `a[i]`)", write: "separate variables, or compute the values in a loop", rewrite: `let a0 = 3, a1 = 1, a2 = 2; console.log(a0 + a1 + a2);` },
  },
  {
    id: "array-callbacks",
    accepted: "array methods with callbacks: `map`, `filter`, `reduce`, `forEach`, `find`, `some`, `every`, `sort((a, b) => a - b)`",
    probe: `let a = [3, 1, 2]; console.log(a.map((x) => x * 2).filter((x) => x > 2).join(","), a.reduce((s, x) => s + x, 0), a.find((x) => x < 3), a.some((x) => x > 2), a.every((x) => x > 0), a.slice().sort((x, y) => x - y).join(",")); a.forEach((x) => console.log(x));`,
    rejected: {
      instead: "array methods with callbacks (`a.map(x => …)`, `forEach`, `reduce`)",
      write: "an index loop `for (let i = 0; i < n; i++)`",
      rewrite: `let t = 0; for (let i = 1; i <= 3; i++) t += i * 2; console.log(t);`,
    },
  },
  {
    id: "objects",
    accepted: "objects as dictionaries with one value type: `{ a: 1 }`, `o.k`, `o[k]`, `k in o`, `Object.keys(o)`",
    probe: `let o = { a: 1, b: 2 }; o.c = 3; o["d"] = 4; console.log(o.a + o.c, Object.keys(o).join(","), "a" in o);`,
    rejected: { instead: "objects (`{ a: 1 }`, `o.k`)", write: "separate variables", rewrite: `let oA = 1, oB = 2; console.log(oA + oB);` },
  },
  {
    id: "map-set",
    accepted: "`new Map()` (`get`, `set`, `has`, `size`) and `new Set(…)` (`add`, `has`, `size`)",
    probe: `let m = new Map(); m.set("a", 1); let s = new Set([1, 2, 2]); s.add(3); console.log(m.get("a"), m.has("b"), m.size, s.size, s.has(2));`,
    rejected: {
      instead: "`Map`, `Set`",
      write: (ok) => (ok.has("objects") ? "an object used as a dictionary" : ok.has("arrays") ? "an array and `indexOf`" : "separate variables"),
      rewrite: null,
    },
  },
  {
    id: "string-methods",
    accepted: "string methods: `s[i]`, `slice`, `indexOf`, `includes`, `split`, `trim`, `toUpperCase`, `toLowerCase`, `repeat`, `charCodeAt`",
    probe: `let s = " Hello "; console.log(s.trim().toUpperCase(), s.indexOf("l"), s.slice(1, 3), s.split("l").length, s[1], s.includes("ell"), "ab".repeat(2), s.toLowerCase(), s.charCodeAt(1));`,
    rejected: {
      instead: "string methods (`s.toUpperCase()`, `s.split(…)`, `s[i]`)",
      write: "`+`, template literals and `.length` (string methods are not supported yet)",
      rewrite: `let s = "abc"; console.log(s + "!", s.length);`,
    },
  },
  {
    id: "number-conversions",
    accepted: "conversions: `parseInt(s, 10)`, `parseFloat(s)`, `Number(x)`, `String(x)`, `isNaN(x)`, `x.toFixed(n)`, `x.toString(16)`",
    probe: `console.log(parseInt("42", 10), parseFloat("1.5e3"), Number("3.5"), String(7), isNaN(NaN), (3.14159).toFixed(2), (255).toString(16));`,
    rejected: {
      instead: "`parseInt(x)`, `Number(s)`, `String(n)`, `isNaN(x)`",
      write: "`Math.trunc(x)`; `\"\" + n` or `` `${n}` ``; `x !== x` (true only for NaN)",
      rewrite: `let n = 3.7; console.log(Math.trunc(n), n !== n, "" + n);`,
    },
  },
  {
    id: "null-undefined",
    accepted: "`null` and `undefined`",
    probe: `let best = null; if (best === null) best = 3; let u = undefined; console.log(best, u === undefined);`,
    rejected: { instead: "`null`, `undefined`", write: "a sentinel of the variable's own type: `-1`, `\"\"`, `false`", rewrite: `let best = -1; if (best === -1) best = 3; console.log(best);` },
  },
  {
    id: "mixed-types",
    accepted: "a variable may hold values of different types (`let x = 1; x = \"one\";`); check `typeof x` before calling methods on such a value",
    probe: `let x = 1; x = "one"; console.log(x);`,
    rejected: {
      instead: "one variable for values of different types (`let x = 1; x = \"one\";`)",
      write: "one type per variable, parameter and return value: another variable for the other type",
      rewrite: `let x = 1; let name = "one"; console.log(x, name);`,
    },
  },
  {
    id: "implicit-conversions",
    accepted: "JavaScript's implicit conversions in operators (`1 == \"1\"`, `\"3\" * \"4\"`, `true + 1`)",
    probe: `console.log(1 == "1", "3" * "4", true + 1);`,
    rejected: {
      instead: "operators on values of different types (`1 == \"1\"`, `\"a\" - 1`, `true + 1`)",
      write: "operands of one type; `(b ? 1 : 0)` to count booleans",
      rewrite: `let b = true; console.log(1 === 1, (b ? 1 : 0) + 1);`,
    },
  },
  {
    id: "typeof",
    accepted: "`typeof x`",
    probe: `let x = 1; console.log(typeof x === "number", typeof "s");`,
    rejected: { instead: "`typeof x`, `x instanceof Y`", write: "nothing: types are static, so the check is not needed", rewrite: null },
  },
  {
    id: "switch",
    accepted: "`switch`",
    probe: `let d = 2; switch (d) { case 2: console.log("two"); break; default: console.log("?"); }`,
    rejected: { instead: "`switch`", write: "an `if` / `else if` chain", rewrite: `let d = 2; if (d === 2) { console.log("two"); } else { console.log("?"); }` },
  },
  {
    id: "for-of",
    accepted: "`for (const x of array)`, `for (const c of string)`, `for (const k in object)`",
    probe: `let t = 0; for (const x of [1, 2, 3]) t += x; for (const c of "ab") console.log(c); for (const k in { a: 1 }) console.log(k); console.log(t);`,
    rejected: { instead: "`for … of`, `for … in`", write: "an index loop `for (let i = 0; i < n; i++)`", rewrite: `for (let i = 0; i < 3; i++) console.log(i);` },
  },
  {
    id: "labels",
    accepted: "labelled `break`/`continue`",
    probe: `outer: for (let i = 0; i < 2; i++) { for (let j = 0; j < 2; j++) { if (j) continue outer; console.log(i, j); } }`,
    rejected: {
      instead: "labelled `break`/`continue`",
      write: "move the inner loop into a function and `return` from it",
      rewrite: `function inner(i) { for (let j = 0; j < 2; j++) { if (j) return; console.log(i, j); } } for (let i = 0; i < 2; i++) inner(i);`,
    },
  },
  {
    id: "closures",
    accepted: "closures: nested and arrow functions may read and assign the variables of enclosing functions, and may be returned",
    probe: `function counter() { let n = 0; return () => ++n; } const next = counter(); next(); console.log(next());`,
    rejected: {
      instead: "a nested function that reads its outer function's locals",
      write: "pass the value as a parameter (or make it a top-level variable)",
      rewrite: `function inner(v) { return v + 1; } function outer() { let v = 1; return inner(v); } console.log(outer());`,
    },
  },
  {
    id: "function-values",
    accepted: "functions as values: pass them as arguments (callbacks), store them in variables",
    probe: `function apply(f, x) { return f(x); } const g = apply; console.log(g((v) => v * 2, 3));`,
    rejected: {
      instead: "functions as values (callbacks, `let g = f`)",
      write: "call functions directly by name",
      rewrite: `function double(v) { return v * 2; } console.log(double(3));`,
    },
  },
  {
    id: "default-parameters",
    accepted: "default parameter values (`function f(a, b = 2)`); a missing argument is `undefined`",
    probe: `function f(a, b = 2) { return a + b; } console.log(f(1), f(1, 5));`,
    rejected: { instead: "default parameters", write: "plain parameters, every argument passed explicitly", rewrite: `function f(a, b) { return a + b; } console.log(f(1, 2), f(1, 5));` },
  },
  {
    id: "rest-parameters",
    accepted: "rest parameters (`function f(...xs)`)",
    probe: `function f(...a) { return a.length; } console.log(f(1, 2));`,
    rejected: {
      instead: "rest parameters (`...args`)",
      write: (ok) => (ok.has("arrays") ? "one array parameter" : "explicit parameters"),
      rewrite: `function f(a, b) { return a + b; } console.log(f(1, 2));`,
    },
  },
  {
    id: "destructuring",
    accepted: "destructuring (`let [a, b] = pair`, `let { k } = obj`)",
    probe: `let [a, b] = [1, 2]; let { c } = { c: 3 }; console.log(a, b, c);`,
    rejected: { instead: "destructuring (`let [a, b] = …`, `let { k } = …`)", write: "one variable per value", rewrite: `let a = 1, b = 2; console.log(a, b);` },
  },
  {
    id: "spread",
    accepted: "spread in array literals and calls (`[...a, 3]`, `Math.max(...a)`)",
    probe: `let a = [1, 2]; let b = [...a, 3]; console.log(Math.max(...b), b.length);`,
    rejected: { instead: "spread (`...a`)", write: "a loop", rewrite: null },
  },
  {
    id: "optional-chaining",
    accepted: "optional chaining (`x?.y`)",
    probe: `let o = { a: 1 }; console.log(o?.a);`,
    rejected: { instead: "optional chaining (`x?.y`)", write: "test the value first", rewrite: null },
  },
  {
    id: "nullish-assignment",
    accepted: "`x ??= v`",
    probe: `let x = 1; x ??= 2; console.log(x);`,
    rejected: {
      instead: "`x ??= v`",
      write: (ok) => (ok.has("null-undefined") ? "`if (x === undefined || x === null) x = v;`" : "remove it (values are never null or undefined)"),
      rewrite: null,
    },
  },
  {
    id: "fall-off-end",
    accepted: "a function may end without `return` on some paths (it returns `undefined` there)",
    probe: `function sign(n) { if (n > 0) return 1; } console.log(sign(2), sign(-1));`,
    rejected: {
      instead: "a function that can end without `return value`",
      write: "a final `return` with a value on every path",
      rewrite: `function sign(n) { if (n > 0) return 1; return 0; } console.log(sign(2), sign(-1));`,
    },
  },
  {
    id: "throw",
    accepted: "`throw new Error(message)` (uncaught, it stops the program with an error on stderr)",
    probe: `function f(n) { if (n < 0) throw new Error("negative"); return n; } console.log(f(1));`,
    rejected: {
      instead: "`throw`",
      write: "check conditions with `if`, return a sentinel value, report with `console.error`",
      rewrite: `function f(n) { if (n < 0) { console.error("negative"); return -1; } return n; } console.log(f(1));`,
    },
  },
  {
    id: "try-catch",
    accepted: "`try`/`catch`/`finally`",
    probe: `function f(n) { if (n < 0) throw new Error("neg"); return n; } try { f(-1); } catch (e) { console.log("caught"); } finally { console.log("done"); }`,
    rejected: {
      instead: "`try`/`catch`",
      write: "check conditions with `if` before the operation that would fail; return a sentinel value",
      rewrite: `function f(n) { if (n < 0) return -1; return n; } if (f(-1) === -1) console.log("caught"); console.log("done");`,
    },
  },
  {
    id: "classes",
    accepted: "classes (`class P { constructor(x) { this.x = x; } }`, `new P(1)`)",
    probe: `class P { constructor(x) { this.x = x; } } console.log(new P(1).x);`,
    rejected: {
      instead: "`class`, `new` of your own types, `this`",
      write: (ok) => (ok.has("objects") ? "plain functions and objects" : "plain functions and variables"),
      rewrite: `function area(w, h) { return w * h; } console.log(area(2, 3));`,
    },
  },
  {
    id: "regular-expressions",
    accepted: "regular expressions (`/a+/.test(s)`)",
    probe: `console.log(/a+/.test("caa"));`,
    rejected: {
      instead: "regular expressions (`/a+/`)",
      write: (ok) => (ok.has("string-methods") ? "string methods (`split(\" \")`, `includes`, `indexOf`, `startsWith`, `replaceAll`)" : "compare strings directly"),
      rewrite: `console.log("caa" === "caa");`,
    },
  },
  {
    id: "console-assert",
    accepted: "`console.assert(condition, message)`",
    probe: `console.assert(1 === 1, "fine"); console.assert(1 === 2);`,
    rejected: { instead: "`console.assert(c, …)`", write: "`if (!c) console.error(\"…\")`", rewrite: `if (!(1 === 2)) console.error("Assertion failed");` },
  },
  {
    id: "json",
    accepted: "`JSON.stringify(value)`",
    probe: `console.log(JSON.stringify({ a: [1, 2], b: "x" }));`,
    rejected: { instead: "`JSON.stringify`, `JSON.parse`", write: "print the values with `console.log`", rewrite: `console.log(1, 2, "x");` },
  },
  {
    id: "async",
    accepted: "`async` functions and generators",
    probe: `async function f() { return 1; } f(); function* g() { yield 1; } console.log(1);`,
    rejected: { instead: "`async`/`await`, generators", write: "plain synchronous code and loops", rewrite: `function f() { return 1; } console.log(f());` },
  },
  {
    id: "clock",
    accepted: "`Date`",
    probe: `console.log(new Date(0).getTime());`,
    rejected: { instead: "`Date`, `performance.now()`", write: "nothing: there is no clock, programs are deterministic", rewrite: null },
  },
  {
    id: "bigint",
    accepted: "BigInt (`10n`)",
    probe: `console.log(10n + 1n);`,
    rejected: { instead: "BigInt (`10n`)", write: "ordinary numbers (exact up to 2**53)", rewrite: `console.log(10 + 1);` },
  },

  // --- host access: never part of the subset -----------------------------------------------------
  {
    id: "host-modules",
    forbidden: true,
    accepted: "",
    probe: `const fs = require("fs"); console.log(1);`,
    rejected: {
      instead: "`require(…)`, `import`, `process`, `fs`, `fetch`, `eval`, `globalThis`",
      write: "put everything the program needs in the script itself; print results with `console.log`",
      rewrite: `console.log(1);`,
      rule: "forbidden-global",
    },
  },
  {
    id: "host-timers",
    forbidden: true,
    accepted: "",
    probe: `setTimeout(function () { console.log(1); }, 0);`,
    rejected: { instead: "`setTimeout`, `setInterval`", write: "call the function directly", rewrite: `console.log(1);`, rule: "forbidden-global" },
  },
];

/** A rule id of the front end (parse, check, emit), as the prompt explains it. */
export interface RuleHint {
  id: string;
  /** What the rule means and how to fix it, in one line for the model. */
  hint: string;
}

/** Every rule id the front end (parse, check, emit) can report, with a fix for the model. */
export const RULE_HINTS: readonly RuleHint[] = [
  { id: "syntax-error", hint: "the code does not parse: complete or fix the construct at the position" },
  { id: "input-too-large", hint: "the script is over 1 000 000 characters: submit a smaller program" },
  { id: "input-too-complex", hint: "nesting is too deep: flatten it with intermediate variables or helper functions" },
  { id: "forbidden-module", hint: "no `import`/`export`/`import()`: write the code inline" },
  { id: "forbidden-global", hint: "host access (`require`, `process`, `eval`, `globalThis`, `fetch`, timers, `arguments`, …) does not exist: compute inside the script and print with `console.log`" },
  { id: "forbidden-property", hint: "`.constructor`, `.__proto__`, `.prototype`, `.caller`, `.callee`, `.arguments` are not allowed: use the value directly" },
  { id: "unsupported-syntax", hint: "the construct is outside the subset: use the rewrite the hint gives" },
  { id: "unsupported-regex", hint: "that regular expression is not supported: use string methods, or what the hint suggests" },
  { id: "undeclared-identifier", hint: "declare the name, or fix its spelling" },
  { id: "unsupported-builtin", hint: "that built-in or method is not available: follow the hint (e.g. `Math.trunc`, `console.log`)" },
  { id: "unsupported-value", hint: "arrays have no holes: write every element, or `new Array(n).fill(x)`" },
  { id: "random-not-granted", hint: "`Math.random` is not granted by this policy: make the program deterministic, or use a policy with a seed" },
  { id: "type-mismatch", hint: "the types disagree: use one type per variable, parameter, return value and operator, or convert explicitly" },
  { id: "unsupported-type", hint: "JSDoc types may be `{number}`, `{string}`, `{boolean}`, arrays of them, or `{*}` to infer" },
  { id: "missing-return", hint: "every path of a function that returns a value must end in `return <value>`" },
  { id: "function-not-value", hint: "a built-in such as `Math.max` or `Number` cannot be passed as a value: call it, or wrap it in an arrow `(x) => Number(x)`" },
  { id: "not-callable", hint: "only functions can be called" },
  { id: "argument-count", hint: "pass one argument per declared parameter; a callback declares at most the parameters its caller passes" },
  { id: "const-assignment", hint: "declare the variable with `let` if it changes" },
  { id: "uninitialized-variable", hint: "give the `const` an initial value" },
  { id: "use-before-declaration", hint: "declare variables before their first use, also before calling a function that reads them" },
  { id: "captured-variable", hint: "a closure cannot capture a `for` loop's variable (copy it inside the body, `const k = i;`, and capture the copy) or a `var` declared in a block (use `let`)" },
  { id: "reserved-name", hint: "do not declare `NaN`, `Infinity`, `undefined`, `Math`, `console`, `eval` or `arguments`: pick another name" },
  { id: "duplicate-declaration", hint: "rename one of the two declarations" },
  { id: "void-value", hint: "a function without `return value` has no value: call it as a statement" },
  { id: "unsupported-format", hint: "a `%` directive with an array or object argument: print arrays and objects as their own arguments, or with `JSON.stringify`" },
  { id: "tool-not-approved", hint: "that tool is not approved by the policy: do the work with the approved tools only" },
  { id: "tools-unavailable", hint: "host tools cannot be called on this engine: do the work without them" },
  { id: "too-many-diagnostics", hint: "fix the reported problems first; the rest were not shown" },
  { id: "internal-error", hint: "a stelp bug, not your fault: rewrite the construct near the error in a simpler way" },
];

/** Run-time stops (stage run), as the prompt explains them. Keep in step with runDiagnostics in src/pipeline.ts. */
export const RUN_RULE_HINTS: readonly RuleHint[] = [
  { id: "fuel-exhausted", hint: "the program ran out of fuel: look for an infinite or very long loop or recursion" },
  { id: "memory-limit", hint: "the program needed too much memory: build smaller strings and data" },
  { id: "call-depth-limit", hint: "calls nested too deeply: check the recursion's base case, or use a loop" },
  { id: "output-limit", hint: "the program printed too much: print a summary" },
  { id: "timeout", hint: "the program ran too long: make it cheaper" },
  { id: "runtime-error", hint: "the program stopped on an error printed on stderr: fix it" },
  { id: "tool-limit", hint: "a tool was called too often or with too much data: call it fewer times, reuse its result" },
  { id: "runtime-trap", hint: "a stelp bug: rewrite the code near the end of the output more simply" },
  { id: "internal-error", hint: "a stelp bug: rewrite the code more simply" },
];

/** Rule ids of the run stage that a snippet cannot cause (they concern the host), left out of the prompt. */
export const HOST_ONLY_RUN_RULES: readonly string[] = ["engine-unavailable", "tools-unavailable"];

/** Does the checker accept this snippet under the policy? */
export function acceptsSnippet(source: string, policy: Pick<Policy, "random">): boolean {
  const parsed = parse(source);
  if (!parsed.ast || hasErrors(parsed.diagnostics)) return false;
  return !hasErrors(check(parsed.ast, { allowRandom: policy.random !== null }).diagnostics);
}

/** The ids of the constructs whose probe the checker accepts today. */
export function acceptedConstructs(policy: Pick<Policy, "random">): Set<string> {
  return new Set(CONSTRUCTS.filter((c) => acceptsSnippet(c.probe, policy)).map((c) => c.id));
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (Number.isInteger(mib) && mib >= 1) return `${mib} MiB`;
  const kib = bytes / 1024;
  if (Number.isInteger(kib) && kib >= 1) return `${kib} KiB`;
  return `${bytes} bytes`;
}

function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** The Math members the checker accepts under this policy, as the prompt lists them. */
export function mathMembers(policy: Pick<Policy, "random">): { functions: string[]; constants: string[] } {
  const functions = [...MATH_FUNCTIONS.keys()].filter((name) => name !== "random" || policy.random !== null);
  return { functions, constants: [...MATH_CONSTANTS.keys()] };
}

/** The system-prompt section for a policy: what `stelp prompt` prints. */
export function renderPrompt(policy: Policy, accepted: ReadonlySet<string> = acceptedConstructs(policy), tools: readonly ToolSignature[] = []): string {
  const { limits } = policy;
  const math = mathMembers(policy);
  const lines: string[] = [];
  const push = (...more: string[]): void => {
    lines.push(...more);
  };
  push(
    "## Writing JavaScript for stelp",
    "",
    "Your code runs in stelp, a sandbox that accepts only a typed subset of JavaScript, compiles it to",
    "WebAssembly and runs it under fixed limits. Code outside the subset is rejected before it runs, with",
    "a rule id, a position and a hint. Write one self-contained script (no modules, no input) that prints",
    "its results with `console.log`. Inside the subset, the output is exactly what `node script.js` prints.",
    "",
    "### Accepted",
    "",
  );
  for (const construct of CONSTRUCTS) if (!construct.forbidden && accepted.has(construct.id)) push(`- ${construct.accepted}.`);
  push(
    `- Math functions: ${math.functions.map((name) => `\`${name}\``).join(", ")}; constants ${math.constants.map((name) => `\`${name}\``).join(", ")}.`,
    "",
    "### Not accepted, and what to write instead",
    "",
  );
  for (const construct of CONSTRUCTS) {
    if (accepted.has(construct.id) || !construct.rejected) continue;
    const { instead, write } = construct.rejected;
    push(`- ${instead} → ${typeof write === "function" ? write(accepted) : write}.`);
  }
  push(
    "",
    `### Limits (policy "${policy.name}")`,
    "",
    `- Fuel: ${formatCount(limits.fuel)} units (about one per WebAssembly instruction); an endless loop stops with \`fuel-exhausted\`.`,
    `- Call depth: ${formatCount(limits.callDepth)} nested calls; prefer loops to deep recursion.`,
    `- Memory: ${formatBytes(limits.memoryBytes)}. Output: ${formatBytes(limits.outputBytes)} of stdout and stderr together. Wall clock: ${formatCount(limits.wallClockMs)} ms.`,
    policy.random === null
      ? "- `Math.random` is not available: the program must be deterministic."
      : "- `Math.random` is available, seeded by the policy: every run gives the same sequence.",
  );
  const extra = policy.imports.filter((entry) => !BASE_IMPORTS.includes(entry));
  const approvedTools = tools.filter((tool) => Object.prototype.hasOwnProperty.call(policy.tools ?? {}, tool.name));
  if (approvedTools.length > 0) {
    push("- Host functions: only the tools listed under Tools. Nothing else of the host is reachable (no files, network, clock or environment).");
  } else if (extra.length === 0) {
    push("- Host functions: none. The program can compute and print; it cannot read files, the network, the clock or the environment.");
  } else {
    push(
      `- Host functions approved by this policy: ${extra.map((entry) => `\`${entry}\``).join(", ")}. Nothing else of the host is reachable (no files, network, clock or environment unless listed).`,
    );
  }
  if (approvedTools.length > 0) {
    push(
      "",
      "### Tools",
      "",
      "Call these functions directly, like your own (a call returns its result; `await` is optional). Pass",
      "exactly the declared types; an object argument needs exactly the listed keys, in that order. A failing",
      "tool throws an Error (catch it with try/catch), and each tool has a call limit per run: fetch once, reuse.",
      "",
    );
    for (const tool of approvedTools) {
      const limits = policy.tools![tool.name]!;
      push(`- \`${signatureText(tool)}\`${tool.description ? `: ${tool.description}` : ""} (at most ${formatCount(limits.maxCalls)} call(s) per run)`);
    }
  }
  push(
    "",
    "### Output",
    "",
    "- Print every result with `console.log` (stdout); the program's value is what it prints, nothing else is returned.",
    "- `console.log(a, b)` separates arguments with one space and ends with a newline, formatted as Node does (`-0` prints `-0`, `1e21` prints `1e+21`); `%s %d %i %f %j %%` apply when the first argument is a string and more follow.",
    "- Use `console.error` for diagnostics (stderr).",
    "",
    "### If your code is rejected",
    "",
    "Each problem is reported as `line:column rule message` plus a `hint:` line. Fix every reported problem:",
    "",
  );
  for (const rule of RULE_HINTS) {
    if (rule.id === "random-not-granted" && policy.random !== null) continue; // cannot happen under this policy
    push(`- \`${rule.id}\`: ${rule.hint}.`);
  }
  push("", "A run can also stop at a limit:", "");
  for (const rule of RUN_RULE_HINTS) {
    if (rule.id === "internal-error") continue; // already listed above
    push(`- \`${rule.id}\`: ${rule.hint}.`);
  }
  return `${lines.join("\n")}\n`;
}
