/**
 * Integer narrowing (src/narrow.ts) and the fast paths it and the numeric emitter use: which
 * variables are proved to hold only finite integers, that array accesses through them use the
 * `_int` helpers, and (differentially against node, or against the general path where JavaScript
 * reads undefined and stelp stops) that the results are the same at the edges: -0, NaN, fractions,
 * +-Infinity, values near 2^31 and 2^53, counters captured by closures, counters written oddly.
 * Also the other fast paths of the emitter: the inlined `x % literal` (ops.ts __js_mod_int),
 * charCodeAt and string length, and `m.get(k) ?? c` as one lookup.
 */
import { describe, expect, it } from "vitest";
import { check } from "../src/check.js";
import { emit } from "../src/emit.js";
import { integerFacts } from "../src/narrow.js";
import { parse } from "../src/parse.js";
import { runSource } from "../src/pipeline.js";
import type { TypedProgram } from "../src/typed-program.js";
import { describeSameAsNode, nodeOutput as node } from "./helpers/differential.js";

function typed(source: string): TypedProgram {
  const parsed = parse(source);
  expect(parsed.diagnostics).toEqual([]);
  const checked = check(parsed.ast!, {});
  expect(checked.diagnostics).toEqual([]);
  return checked.program!;
}

/** Names (as written) of the variables proved integer-valued, with their bounds. */
function facts(source: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [s, bits] of integerFacts(typed(source))) out[s.name] = bits;
  return out;
}

function emitted(source: string): string {
  const r = emit(typed(source));
  expect(r.diagnostics).toEqual([]);
  return r.source;
}

describe("narrow: which variables only hold finite integers", () => {
  it("loop counters and integer arithmetic on them", () => {
    const f = facts(`const n = 10;
let total = 0;
for (let i = 0; i < n; i++) { let j = i * i; while (j < 100) j += i + 1; total += j; }
for (let k = n; k > 0; k -= 2) total--;
const mid = (n + 3) >> 1;
const len = [1, 2].length - 1;
const neg = -3;
console.log(total, mid, len, neg);`);
    expect(Object.keys(f).sort()).toEqual(["i", "j", "k", "len", "mid", "n", "neg", "total"]);
    // Bounds: a +-1 counter stays below 2^(1 + 55) + ... whatever the number of iterations.
    expect(f.i).toBe(56);
    expect(f.mid).toBe(31);
  });

  it("not: fractions, division, NaN sources, parameters, bindings, other compound operators", () => {
    const f = facts(`function g(p) { let q = p; q++; return q; }
let half = 0; half += 0.5;
let d = 8; d = d / 2;
let m = 7; m *= 2;
let r = 5; r %= 3;
let x = 1; x = Number("3");
let y = 0; y = Math.floor(2.5);
let z = 0; z = NaN;
const inf = Infinity;
for (const v of [1, 2]) console.log(v);
let doubling = 1; for (let t = 0; t < 3; t++) doubling = doubling * 2;
let grow = 1; grow += grow;
console.log(g(1), half, d, m, r, x, y, z, inf, doubling, grow);`);
    for (const name of ["p", "q", "half", "d", "m", "r", "x", "y", "z", "inf", "v", "doubling", "grow"]) expect(f[name], name).toBeUndefined();
    expect(f.t).toBe(56);
  });

  it("a variable written by a closure counts that write too", () => {
    const f = facts(`let i = 0;
let c = 0;
const bump = () => { i += 1; };
const spoil = () => { c = c + 0.5; };
bump(); spoil();
console.log(i, c);`);
    expect(f.i).toBeDefined();
    expect(f.c).toBeUndefined();
  });

  it("a dependency on a variable that is not integer-valued removes the dependent too", () => {
    const f = facts(`let a = 0.5;
let b = 0;
b = a + 1;
let c = 0;
c += b;
console.log(a, b, c);`);
    expect(f).toEqual({});
  });
});

describe("narrow: emitted fast paths", () => {
  it("uses the _int helpers for proved indices and the general ones otherwise", () => {
    const src = emitted(`const a = [1, 2, 3];
function at(k) { return a[k]; }
let s = 0;
for (let i = 0; i < a.length; i++) { s += a[i]; a[i] = s; }
console.log(at(1), s, a[a.length - 1] * 2);`);
    expect(src).toContain("__js_array_get_int_at<f64>(changetype<usize>(u_a), u_i)");
    expect(src).toContain("__js_array_set_value_int_at<f64>(changetype<usize>(u_a), u_i,");
    expect(src).toMatch(/__js_array_get_at<f64>\(changetype<usize>\(u_a\), u_k\)/);
    expect(src).toContain("__js_array_get_nan_int_at(changetype<usize>(u_a),");
  });

  it("passes a variable's array by address; a temporary or a key that could reassign it keeps the array rooted", () => {
    const src = emitted(`let a = [[1, 2], [3, 4]];
function swap() { a = [[5]]; return 0; }
const f = () => a;
console.log(a[1][0], f()[0][1], a[swap()][0], a.length, f().length);`);
    // a[1] is a variable's element; its [0] reads a temporary value (the inner array), rooted by the call.
    expect(src).toContain("__js_array_get_int<f64>(__js_array_get_int_at<Array<f64>>(changetype<usize>(u_a), 1.0), 0.0)");
    expect(src).toMatch(/__js_array_get_int<f64>\(__js_array_get_int<Array<f64>>\(u_f\(\)/);
    // A call in the key may reassign a: the array is passed as a managed value.
    expect(src).toMatch(/__js_array_get<Array<f64>>\(u_a, u_swap\(\)\)/);
    expect(src).toContain("__js_array_len_at(changetype<usize>(u_a))");
    expect(src).toMatch(/__js_array_len<f64>\(__js_array_get_int<Array<f64>>\(u_f\(\)|__js_array_len<Array<f64>>\(u_f\(\)\)/);
  });

  it("a compound update stores without a second bounds test only when nothing between read and write can change the array", () => {
    const src = emitted(`const a = [1, 2, 3];
let i = 1;
a[i] += 2; a[i]++; a[0] *= a[2];
a[i] += a.pop();
console.log(a);`);
    expect(src).toContain("__js_array_store_read_at<f64>(changetype<usize>(u_a), u_i, __js_array_get_int_at<f64>(changetype<usize>(u_a), u_i) + 2.0)");
    expect(src.match(/__js_array_store_read_at</g)?.length).toBe(3);
    // `a.pop()` in the value: the store is checked (it may append, as JavaScript does).
    expect(src).toMatch(/__js_array_set_value(_int)?(_at)?<f64>\([^;]*__js_array_pop/);
  });

  it("x % c compared with 0 tests divisibility without computing the remainder as a number", () => {
    const src = emitted(`let x = 7;\nconsole.log(x % 2 === 0, 0 == x % 3, x % 5 !== 0, x % 0 === 0, x % 2.5 === 0, x % 2 === 1);`);
    expect(src).toContain("__js_mod_int_is_zero(u_x, 2)");
    expect(src).toContain("__js_mod_int_is_zero(u_x, 3)");
    expect(src).toContain("(!__js_mod_int_is_zero(u_x, 5))");
    expect(src.match(/__js_mod_int_is_zero\(/g)?.length).toBe(3);
  });

  it("m.get(k) ?? literal-or-variable uses getOr; other fallbacks keep has() then get()", () => {
    const src = emitted(`const m = new Map();\nm.set("a", 1);\nconst d = 2;\nconst f = () => 3;\nconsole.log(m.get("a") ?? 0, m.get("b") ?? d, m.get("c") ?? f());`);
    expect(src).toContain('u_m.getOr("a", 0.0)');
    expect(src).toContain('u_m.getOr("b", u_d)');
    expect(src.match(/getOr/g)?.length).toBe(2);
    expect(src).toContain(".has(");
  });

  it("x % literal uses the inlined helper, other divisors the general one", () => {
    const src = emitted(`let x = 7; const y = 3;\nconsole.log(x % 2, x % y, x % 0, x % 0.5, x % 4294967296);`);
    expect(src).toContain("__js_mod_int(u_x, 2)");
    expect(src.match(/__js_mod\(/g)?.length).toBe(4);
  });
});

/** Snippets whose output must be node's exactly. */
const SAME_AS_NODE: Record<string, string> = {
  "integer counters index arrays: reads, writes, appends, compound updates": `const a = [];
for (let i = 0; i < 10; i++) a[i] = i * i;
for (let i = 0; i < a.length; i += 3) a[i] += 1;
for (let i = a.length - 1; i >= 0; i--) a[i] -= i;
let j = 0; while (j < 5) { a[j]++; ++a[j + 1]; j++; }
const b = new Array(4).fill(0);
for (let k = 0, m = 3; k < 4; k++, m--) b[m] = a[k] + b[k];
console.log(a, b, a[(3 + 4) >> 1], a[a.length - 1], a[-0], a[0 * -1]);`,
  "numeric reads outside the array through an integer index read NaN, as undefined does": `const a = [1, 2, 3];
let s = 0;
for (let i = -2; i < 6; i++) s += a[i] * 2 || 100;
let t = 0;
for (let i = 0; i <= a.length; i++) t += a[i] - 1;
console.log(s, t, a[5] * 1, a[-1] + 1);`,
  "counters captured by closures and modified in odd ways": `const a = [10, 20, 30, 40, 50, 60];
let i = 0;
const next = () => a[i++];
const skip = (n) => { i += n; };
const out = [];
while (i < a.length) { out.push(next()); skip(1); }
let k = 5; const back = () => { k -= 2; return a[k]; };
out.push(back(), back());
let c = 0;
const read = [0, 1, 2, 3].map(() => a[c++ % 4]);
let w = 0;
for (w = 0; w < 3; w += 1) a[w] = w;
console.log(out, read, a, i, k, c, w);`,
  "x % literal at the edges: -0, NaN, infinities, fractions, 2^31, 2^53": `const xs = [0, -0, 4, -4, 5, -5, 7.5, -7.5, 2147483647, -2147483648, 2147483648, -2147483649, 9007199254740991, 9007199254740992, -9007199254740993, 1e300, NaN, Infinity, -Infinity];
for (const x of xs) console.log(x, x % 1, x % -1, x % 2, x % -3, x % 97, x % 2147483647, x % -2147483647);
let n = -6; n %= 4; let p = 6; p %= -4; let z = -4; z %= 2;
console.log(n, p, z, 1 / z, (-8) % 2 === 0, 1 / ((-8) % 2));`,
  "x % c === 0 at the edges: -0, NaN, infinities, fractions, 2^31, 2^53, negative divisors": `const xs = [0, -0, 1, -1, 2, -2, 3, 6, -6, 7.5, -7.5, 2147483647, 2147483648, -2147483648, -2147483649, 4294967296, 9007199254740992, 9007199254740993, 1e300, Infinity, -Infinity, NaN, 0.1, 5e-324];
for (const x of xs) console.log(x, x % 2 === 0, 0 === x % 3, x % -2 == 0, x % 7 !== 0, x % 1 != 0, x % 2147483647 === 0, x % -2147483647 === 0);
let evens = 0;
for (let i = -50; i < 50; i++) if (i % 2 === 0 && i % 3 !== 0) evens++;
console.log(evens);`,
  "compound updates of elements: pure values, values that change the array, keys that reassign it": `const a = [1, 2, 3];
let i = 1;
a[i] += 2; a[i]++; ++a[i]; a[0] *= a[2]; a[2] -= i; a[i] **= 2; a[0] %= 4;
const b = [10, 20];
b[1] += (b.pop(), 5);
const c = [1, 2];
c[0] += (c.push(9), 1);
let d = [1];
function swap() { d = [5, 6]; return 1; }
const old = d;
d[swap()] = 7;
let e = [[1, 2], [3, 4]];
e[1][0] *= 3; e[i][i] += e[0][0];
const s = ["a", "b"];
s[1] += "c" + i; s[0] += \`\${s[1]}!\`;
const flags = [true, false];
flags[1] ||= true; flags[0] &&= false;
console.log(a, b, c, d, old, e, s, flags);`,
  "charCodeAt and length at the edges": `const s = "héllo 😀";
console.log(s.length, "".length, s.charCodeAt(0), s.charCodeAt(1), s.charCodeAt(6), s.charCodeAt(7), s.charCodeAt(8), s.charCodeAt(-1), s.charCodeAt(1.9), s.charCodeAt(-0.5), s.charCodeAt(NaN), s.charCodeAt(Infinity), s.charCodeAt(-Infinity), s.charCodeAt("2"), s.charCodeAt(), "".charCodeAt(NaN), "".charCodeAt(0));
let h = 0;
for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 1000000007;
console.log(h);`,
  "m.get(k) ?? c with one lookup: present falsy values stay, missing keys give c, other fallbacks are lazy": `const m = new Map(); m.set("a", 0); m.set("b", NaN); m.set("c", -0);
const s = new Map(); s.set("x", "");
const f = new Map(); f.set(1, false);
const d = 7;
let calls = 0;
const side = () => { calls++; return 5; };
console.log(m.get("a") ?? 1, m.get("b") ?? 1, m.get("c") ?? 1, m.get("z") ?? 1, m.get("z") ?? d, s.get("x") ?? "dflt", s.get("y") ?? "dflt", f.get(1) ?? true, f.get(2) ?? true);
console.log(m.get("a") ?? side(), m.get("q") ?? side(), calls);
const counts = new Map();
for (const w of "a b a c b a".split(" ")) counts.set(w, (counts.get(w) ?? 0) + 1);
console.log(counts);`,
  "loops emitted test-first as if + do-while: break, continue (labelled too), constant tests, returns": `let i = 0;
while (!false) { i++; if (i > 3) break; }
let j = 0;
for (; 1 < 2; ) { j++; if (j > 4) break; else continue; }
let k = 0;
while (1) { k += 2; if (k >= 10) break; }
let s = "";
outer: for (let a = 0; a < 4; a++) {
  for (let b = 0; b < 4; b++) {
    if (b === 2) continue outer;
    if (a === 3) break outer;
    s += a + "" + b + ",";
  }
  s += "|";
}
let n = 0;
for (let a = 0; a < 10; a++) { if (a % 3 === 0) continue; n += a; }
let w = 0;
while (w < 100) { w++; if (w % 7) continue; if (w > 50) break; }
function f(x) { for (let q = 0; q < x; q++) { if (q * q > x) return q; } return -1; }
function g(x) { while (x > 0) { x -= 3; if (x === 1) return "one"; } return "done"; }
const fns = [];
for (let m = 0; m < 3; m++) { const mm = m; fns.push(() => mm); }
let cnt = 0;
for (const t of [1, 2, 3]) { let u = t; while (u-- > 0) cnt++; }
console.log(i, j, k, s, n, w, f(10), f(0), g(10), g(9), fns.map((h) => h()), cnt);`,
  "test-first loops: closures over the counter, const init, two counters, post-decrement tests": `const out = [];
for (let i = 0; i < 3; i++) {
  const show = (x) => x * 10 + i;
  out.push(show(i));
}
for (const k = 2; out.length < 6; ) out.push(k);
let total = 0;
for (let a = 0, b = 10; a < b; a++, b--) total += a * b;
function sum(arr) { let s = 0; for (let i = 0; i < arr.length; i++) s += arr[i]; return s; }
let x = 5;
while (x --> 0) total += x;
console.log(out, total, sum([1, 2, 3]), x);`,
  "counters past 2^31 and near 2^53 keep exact values": `let big = 2147483645;
const seen = [];
for (let i = 0; i < 5; i++) seen.push(big++);
let top = 9007199254740990;
for (let i = 0; i < 4; i++) top++;
let down = -2147483647; down -= 3;
console.log(seen, big, top, down, big % 2, top % 2, down % 7);`,
};

describeSameAsNode("narrow: differential against node", SAME_AS_NODE);

/**
 * Where JavaScript would read undefined (and stelp stops with a message), a proved index must stop
 * with the same message as the general path. Each pair: the index through a parameter (general)
 * and through a counter (narrowed).
 */
const SAME_STOP: [string, string, string][] = [
  ["index 3 of a 3-element array", `const a = [1, 2, 3]; function f(k) { return a[k]; } console.log(f(3));`, `const a = [1, 2, 3]; let k = 0; for (let i = 0; i < 3; i++) k++; console.log(a[k]);`],
  ["index -1", `const a = ["x"]; function f(k) { return a[k]; } console.log(f(-1));`, `const a = ["x"]; let k = 0; k--; console.log(a[k]);`],
  ["index 2^31", `const a = [true]; function f(k) { return a[k]; } console.log(f(2147483648));`, `const a = [true]; let k = 2147483647; k++; console.log(a[k]);`],
  ["index 2^53", `const a = [[1]]; function f(k) { return a[k]; } console.log(f(9007199254740992));`, `const a = [[1]]; let k = 9007199254740991; k += 1; console.log(a[k]);`],
  ["write beyond the end", `const a = [1]; function f(k) { a[k] = 5; } f(3); console.log(a);`, `const a = [1]; let k = 3; a[k] = 5; console.log(a);`],
  ["write at -1", `const a = [1]; function f(k) { a[k] = 5; } f(-1); console.log(a);`, `const a = [1]; let k = -1; a[k] = 5; console.log(a);`],
];

describe("narrow: a proved index stops exactly like the general path", () => {
  for (const [name, general, narrowed] of SAME_STOP) {
    it(name, { timeout: 120_000 }, async () => {
      expect(emitted(narrowed)).toMatch(/__js_array_(get|set_value)_int/);
      expect(emitted(general)).not.toMatch(/_int</);
      const g = await runSource(general);
      const n = await runSource(narrowed);
      expect(g.status).not.toBe("ok");
      expect({ status: n.status, stdout: n.stdout, stderr: n.stderr }).toEqual({ status: g.status, stdout: g.stdout, stderr: g.stderr });
    });
  }
  it("appending at the end through a proved index", { timeout: 120_000 }, async () => {
    const source = `const a = []; for (let i = 0; i < 4; i++) a[i] = i * 10; let j = 4; a[j] = 1; console.log(a, a.length);`;
    const ref = node(source, "append");
    const r = await runSource(source);
    expect(r.stdout).toBe(ref.stdout);
  });
});
