/**
 * Differential tests of the coverage features (arrays, strings, objects, Map/Set, closures,
 * for…of/for…in, dynamic values, console.assert, JSON.stringify…): every snippet's stdout and
 * stderr must be exactly what `node` prints for the same file.
 */
import { describe, expect, it } from "vitest";
import { runSource } from "../src/pipeline.js";
import { describeSameAsNode, nodeOutput as node } from "./helpers/differential.js";

export const COVERAGE_SNIPPETS: Record<string, string> = {
  "array literals, indexing, length": `const a = [3, 1, 2]; const b = [[1, 2], [3]]; const s = ["x", "y"];
console.log(a, a[0], a[a.length - 1], a.length, b, b[1][0], s, s[1], [], [[]]);
a[3] = 10; a[0] = -0; a[1] += 5; a[2]++; --a[2];
console.log(a, a.length);`,
  "element compound assignment: evaluation order with side effects": `let a = [1, 2, 3, 4]; let i = 0;
function bump() { i = i + 1; return 10; }
a[i] += bump(); a[i] += a[i + 1] * 2; a[i]++; ++a[i + 1];
let j = 1; const b = [5, 6, 7]; b[j] *= (j = 2, 3); b[j] -= b[0];
const grid = [[1, 2], [3, 4]]; const r = 1; grid[r][r] += grid[0][1]; grid[0][0] = grid[r][0] + 1;
const o = { k: 1 }; o.k += 2; o["k"] *= 3;
console.log(a, i, b, j, grid, o);`,
  "array methods: push pop shift unshift slice splice concat": `const a = [1, 2, 3];
console.log(a.push(4), a.push(5, 6), a.pop(), a.shift(), a.unshift(0), a.unshift(-2, -1), a);
console.log(a.slice(1), a.slice(-2), a.slice(1, -1), a.slice(10), a.slice());
const r = a.splice(1, 2); console.log(r, a); console.log(a.splice(-1), a, a.splice(0, 0, 7, 8), a);
console.log(a.concat([9, 10], 11), a.concat(), [1].concat([2], [3, 4]));`,
  "array search and join": `const a = [1, 2, NaN, 2, -0];
console.log(a.indexOf(2), a.lastIndexOf(2), a.indexOf(NaN), a.includes(NaN), a.includes(0), a.indexOf(0), a.indexOf(2, 2), a.includes(1, 1));
console.log(a.join(), a.join("-"), a.join(""), [1, [2, [3, 4]]].join(";"), ["a", "b"].join(", "), [].join("x"), a.toString(), String([1, 2]), \`\${[3, 4]}\`, "x" + [5, 6]);`,
  "array reverse fill flat at": `const a = [1, 2, 3, 4];
console.log(a.reverse(), a, a.at(0), a.at(-1), a.at(-4), [0, 0, 0].fill(7), [1, 2, 3].fill(0, 1), [[1, 2], [3], []].flat(), new Array(3).fill("z"), Array(2).fill(false));`,
  "sort default and with comparators": `const n = [10, 9, 1, 100, 25, -3, 0.5];
console.log([...n].sort(), [...n].sort((a, b) => a - b), [...n].sort((a, b) => b - a), ["b", "a", "C", "aa"].sort(), [true, false].sort());
const words = ["pear", "fig", "banana", "kiwi"]; words.sort((a, b) => a.length - b.length || (a < b ? -1 : 1)); console.log(words);
console.log([3, 1, 2].sort((a, b) => a > b), [[2, "b"].length, 1].sort());`,
  "callbacks: map filter reduce forEach some every find": `const a = [1, 2, 3, 4, 5];
console.log(a.map((x) => x * 2), a.map((x, i) => x * i), a.map((x, i, arr) => arr.length - i), a.filter((x) => x % 2), a.filter((x, i) => i > 2));
console.log(a.reduce((p, c) => p + c), a.reduce((p, c) => p + c, 10), a.reduceRight((p, c) => p + "," + c, ""), a.reduce((acc, x) => acc.concat([x, x]), []));
let sum = 0; a.forEach((x) => { sum += x; }); console.log(sum);
console.log(a.some((x) => x > 4), a.every((x) => x > 0), a.find((x) => x > 2), a.findIndex((x) => x > 2), a.findIndex((x) => x > 9), a.findLast((x) => x < 3), a.findLastIndex((x) => x < 0));
console.log(["a", "", "b"].filter((s) => s), [0, 1, NaN, 2].filter((x) => x), [[1], [2, 3]].flatMap((x) => x), [1, 2].flatMap((x) => [x, x * 10]));`,
  "Array.from, Array.of, spread, keys": `const s = new Set([3, 1, 3]);
console.log(Array.from([1, 2]), Array.from("héllo"), Array.from(s), Array.from({ length: 3 }, (_, i) => i * i), Array.from([1, 2], (x) => x * 3), Array.of(7, 8));
console.log([...[1, 2], 3, ...[4]], [..."ab"], [...s], [...Array(4).keys()], [...Array(3).keys(), 3].join(" "), Math.max(...[4, 9, 2]), Math.min(...[4, 9, 2], 1), Math.max(...[]));
const a = [1]; a.push(...[2, 3]); console.log(a, Array.isArray(a), Array.isArray("a"));`,
  "strings: indexing and character methods": `const s = "héllo, wörld 😀";
console.log(s[0], s[1], s.length, s.charAt(4), s.charAt(99), s.charCodeAt(1), s.charCodeAt(99), s.codePointAt(13), s.at(-1), s.at(0));
console.log("abc".charCodeAt(), String.fromCharCode(72, 105), String.fromCharCode(...[97, 98]), String.fromCodePoint(128512), "z".codePointAt(0));
let count = 0; for (const c of s) count++; console.log(count, [...s].length);`,
  "strings: searching and slicing": `const s = "Hello, World";
console.log(s.indexOf("o"), s.indexOf("o", 5), s.lastIndexOf("o"), s.indexOf("z"), s.includes("World"), s.startsWith("Hell"), s.endsWith("ld"), s.startsWith("World", 7), s.endsWith("Hello", 5));
console.log(s.slice(7), s.slice(-5, -1), s.substring(5, 2), s.substr(-5, 3), s.slice(3, 1), s.substring(-1), s.substr(2));`,
  "strings: case, trim, pad, repeat, split, replace": `const s = "  Mixed Case ß  ";
console.log(s.toUpperCase(), s.toLowerCase(), "[" + s.trim() + "]", "[" + s.trimStart() + "]", "[" + s.trimEnd() + "]");
console.log("5".padStart(3, "0"), "ab".padEnd(5, "xy"), "x".padStart(4), "ab".repeat(3), "".repeat(5));
console.log("a,b,,c".split(","), "abc".split(""), "a b  c".split(" "), "abc".split(), "a-b-c".split("-", 2), "".split(","), "".split(""));
console.log("a b\\tc\\nd".split(/\\s/), "1,2;3".split(/[,;]/), "a.b".split(/\\./), "2020-01-02".split(/-/));
console.log("aXbXc".replace("X", "-"), "aXbXc".replaceAll("X", "-"), "abc".replace("b", "[$&]"), "abc".replace("z", "y"), "aaa".replaceAll("a", "$$"), "abc".concat(1, true, "d"));`,
  "string comparison, conversion and numbers": `console.log("10" < "9", "10" < 9, "abc" < "abd", "2" > 1, "a" == "a", 1 == "1", "1.0" == 1, "x" != 1);
console.log(Number("42"), Number(" 3.5 "), Number(""), Number("x"), Number(true), Number(), String(12.5), String(-0), String(true), String("s"), Boolean(0), Boolean("x"));
console.log(parseInt("42px"), parseInt("ff", 16), parseInt("0x1A"), parseInt("  -7.9"), parseFloat("3.14abc"), parseFloat(".5"), parseInt(12.9), isNaN("abc"), isNaN("12"), isFinite("1e3"), isFinite(Infinity));
console.log((255).toString(16), (255).toString(2), (3.14159).toFixed(2), (1.005).toFixed(2), (0).toFixed(1), (123.456).toPrecision(4), (1e-7).toExponential(2), (5).toString());
console.log(Number.isInteger(5), Number.isInteger(5.5), Number.isInteger("5"), Number.isSafeInteger(2 ** 53), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON > 0, Number.isNaN(NaN), Number.isFinite("1"));
console.log("3" * "4", "10" / 4, "7" - 2, -"3", +"", +true, true + 1, 1 + false, "5" % 2, 1 + 2 + "3", "1" + 2 + 3);`,
  "objects as dictionaries": `const d = { b: 1, a: 2, 10: 3, 2: 4, "x-y": 5 };
d.c = 6; d["a"] += 10; d[7] = 0; delete d.b;
console.log(d, Object.keys(d), Object.values(d), "a" in d, "b" in d, 7 in d, d.hasOwnProperty("c"), d.a, d["x-y"]);
const counts = {}; for (const w of "the cat the dog the end".split(" ")) { counts[w] = (w in counts) ? counts[w] + 1 : 1; }
console.log(counts, JSON.stringify(counts));
for (const k in counts) console.log(k, counts[k]);
const empty = new Object(); console.log(empty, Object.keys(empty).length);`,
  "Map and Set": `const m = new Map(); m.set("a", 1).set("b", 2); m.set("a", 3);
console.log(m, m.size, m.get("a"), m.has("b"), m.has("z"), m.delete("b"), m.delete("b"), m.size, [...m.keys()], [...m.values()]);
const s = new Set([1, 2, 2, NaN, NaN, 0, -0]); s.add(3).add(1);
console.log(s, s.size, s.has(NaN), s.has(-0), s.delete(2), [...s], new Set("hello").size);
for (const x of s) console.log(x);
let t = 0; m.forEach((v, k) => { t += v; console.log(k); }); s.forEach((v) => { t += v; }); console.log(t);
const nums = new Map(); nums.set(1, "one"); nums.set(2, "two"); console.log(nums, JSON.stringify(nums), JSON.stringify(s));`,
  "JSON.stringify": `console.log(JSON.stringify([1, "a", true]), JSON.stringify({ a: [1, { b: 2 }] }), JSON.stringify("q\\"uote\\n"), JSON.stringify(1e21), JSON.stringify(-0), JSON.stringify(NaN), JSON.stringify([null, undefined]), JSON.stringify(null));
console.log(JSON.stringify({ a: 1, b: [1, 2] }, null, 2));
console.log(JSON.stringify([[1, 2], [3]], null, "--"), JSON.stringify([]), JSON.stringify({}), JSON.stringify([[], {}]));`,
  "console.log of nested values": `console.log([1, [2, [3, [4, [5]]]]], { a: { b: { c: { d: 1 } } } }, ["a\\nb", "it's"], [1.5, -0, NaN], new Map(), new Set());
console.log(Array.from({ length: 120 }, (_, i) => i));
console.log([["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb"], ["cccccccccccccccccccc", "dddddddddddddddd"]]);`,
  "console.assert": `console.assert(1 === 1); console.assert(0); console.assert(""); console.assert(false, "message"); console.assert(false, "n=%d", 5); console.assert(false, 42, "x"); console.assert([].length === 0, "fine");
console.log("done");`,
  "for…of and for…in loops": `const a = [1, 2, 3];
for (const x of a) { if (x === 2) continue; console.log(x); }
for (const x of a) { if (a.length < 5) a.push(x * 10); } console.log(a);
for (let c of "a😀b") console.log(c, c.length);
const o = { z: 1, y: 2 }; for (const k in o) console.log(k, o[k]);
for (const i in ["p", "q"]) console.log(i, typeof i);
let last = ""; for (last of ["x", "y"]) { } console.log(last);`,
  "closures capture and mutate": `function counter() { let n = 0; return () => { n++; return n; }; }
const c1 = counter(), c2 = counter(); console.log(c1(), c1(), c2(), c1());
function outer(xs) { const k = 3; let total = 0; xs.forEach((x) => { total += x * k; }); function inner(y) { return y + total; } return inner(1); }
console.log(outer([1, 2]));
const adders = [1, 2, 3].map((k) => (x) => x + k); console.log(adders.map((f) => f(10)));
function make() { let v = 0; const inc = () => { v += 1; }; const get = () => v; inc(); inc(); return get(); } console.log(make());
const compose = (f, g) => (x) => f(g(x)); const inc = (x) => x + 1; const dbl = (x) => x * 2; console.log(compose(inc, dbl)(5), compose(dbl, inc)(5));`,
  "functions as values and higher-order functions": `function apply(f, x) { return f(x); }
function twice(f) { return (x) => f(f(x)); }
const sq = (x) => x * x; let op = sq; console.log(apply(sq, 3), twice(sq)(3), op(4)); op = (x) => -x; console.log(op(4));
const table = [(x) => x + 1, (x) => x * 10]; console.log(table[1](5), table.map((f) => f(2)));
function fib() { const memo = {}; function go(n) { if (n < 2) return n; if (n in memo) return memo[n]; const r = go(n - 1) + go(n - 2); memo[n] = r; return r; } return go(40); } console.log(fib());`,
  "default parameters and missing arguments": `function f(a, b = a + 1, c = "z") { return [a, b, c].join("/"); }
const g = (min = 0, max = 9) => max - min; function h(x, unused) { return x * 2; }
console.log(f(1), f(1, 5), f(1, 5, "y"), g(), g(5), g(2, 4), h(3));`,
  "var, implicit declarations, comma and typeof": `function f(xs) { var total = 0; for (var i = 0; i < xs.length; i++) total += xs[i]; var avg = total / xs.length; return avg; }
function g(x) { s = x.toString(); return s.length; }
console.log(f([1, 2, 3]), g(12345), (1, 2), typeof 1, typeof "s", typeof true, typeof [], typeof {}, typeof undefined, typeof null, typeof f);
let i = 0, j = 10; for (; i < j; i++, j--) {} console.log(i, j);`,
  "values of several types (dyn)": `function pick(flag) { if (flag) return 1; return "one"; }
console.log(pick(true), pick(false), typeof pick(true), pick(true) === 1, pick(false) == "one", JSON.stringify([pick(true), pick(false)]));
let x = 5; if (x > 3) x = "big"; console.log(x, typeof x);
function maybe(n) { if (n > 0) return n; return null; } console.log(maybe(2), maybe(-1), maybe(-1) === null, maybe(3) + 1, JSON.stringify([maybe(1), maybe(0)]));
const mixed = [1, "a", true, null, [2], { k: 3 }]; console.log(mixed, JSON.stringify(mixed), mixed.length, mixed.includes("a"), mixed.indexOf(true), mixed.join("|"));
function noReturn(n) { if (n > 1) return n * 2; } console.log(noReturn(5), noReturn(0), noReturn(0) === undefined);
let u; console.log(u); u = 3; console.log(u + 1, u * 2, u > 2, String(u), \`\${u}\`, -u);
function cmp(a, b) { if (typeof a === "string") { return a.length; } return 0; } console.log(cmp("abc", 1), cmp(5, 1));`,
  "changing a variable's type in sequence": `function area(a) { let r = a * a; r = r.toFixed(2); return r; }
function parse(v) { v = Number(v); return v + 1; }
console.log(area(1.234), parse("41"));
let items = [1, 2, 3]; items = items.join("+"); console.log(items);`,
  "out-of-range reads where JS reads undefined": `const s = "abc"; const a = [1, 2];
console.log(s[5] === undefined, s[1] == "b", s[9] != "c", a[9] === undefined, a[0] === undefined, a[5] + 1, a[3] * 2 > 0);
let count = 0; for (let i = 0; i < s.length; i++) { if (s[i + 1] == "c") count++; if (!s[i + 5]) count += 10; } console.log(count);
function first(xs) { let f = xs[0]; let m = -1; if (f > m) m = -f; return m; } console.log(first([]), first([4]));`,
  "nested data": `const grid = [[1, 2, 3], [4, 5, 6]];
const t = grid[0].map((_, c) => grid.map((row) => row[c])); console.log(t, grid.flat().reduce((a, b) => a + b, 0));
const people = [{ name: "ann", age: "31" }, { name: "bob", age: "25" }]; people.sort((p, q) => Number(p.age) - Number(q.age)); console.log(people.map((p) => p.name).join(","));
const groups = {}; for (const w of ["ab", "cd", "ae"]) { const k = w[0]; if (!(k in groups)) groups[k] = []; groups[k].push(w); } console.log(groups, JSON.stringify(groups));`,
  "humaneval-style test harness": `const sortThird = (l) => {
  var three = l.filter((item, index) => index % 3 == 0);
  three.sort((a, b) => (a - b));
  return l.map((item, index) => (index % 3 == 0 ? three[index / 3] : item));
}
const histogram = (test) => {
  let d = {}; let t = test.split(/\\s/); if (test == '') { t = [] }
  for (m in t) { if (t[m] in d) { d[t[m]]++ } else { d[t[m]] = 1 } }
  s = Object.keys(d).sort(function (a, b) { return - d[a] + d[b]; });
  if (s.length == 0) { return {} }
  let g = d[s[0]]; let l = {};
  for (let ss = 0; ss < s.length; ss++) { if (d[s[ss]] == g) { l[s[ss]] = d[s[ss]] } }
  return l
}
console.assert(JSON.stringify(sortThird([5, 6, 3, 4, 8, 9, 2])) === JSON.stringify([2, 6, 3, 4, 8, 9, 5]));
console.assert(JSON.stringify(histogram('a b b a')) === JSON.stringify({ a: 2, b: 2 }));
console.assert(JSON.stringify(histogram('a b c')) === JSON.stringify({ a: 2 }));
console.log(histogram('r t g'), histogram(''));`,
  "switch, labelled break and continue": `function grade(n) {
  switch (true) {
    case n >= 90: return "A";
    case n >= 80: return "B";
    default: return "C";
  }
}
function kind(x) {
  let out = "";
  switch (x) {
    case 1:
      out += "one;";
    case 2:
      out += "two;";
      break;
    default:
      out += "other;";
    case 3:
      out += "three;";
  }
  return out;
}
console.log(grade(95), grade(85), grade(10), kind(1), kind(2), kind(3), kind(7));
const names = ["a", "b", "stop", "c"];
for (const n of names) {
  switch (n) {
    case "b": continue;
    case "stop": break;
    default: console.log("name", n);
  }
  console.log("after", n);
}
outer: for (let i = 0; i < 4; i++) {
  for (let j = 0; j < 4; j++) {
    if (j === 2) continue outer;
    if (i === 3) break outer;
    console.log(i, j);
  }
}
let k = 0;
loop1: while (true) {
  k++;
  do {
    k += 10;
    if (k > 50) break loop1;
  } while (k % 3 !== 0);
}
block: {
  if (k > 0) break block;
  console.log("not printed");
}
console.log(k);
function find(grid, v) {
  let found = -1;
  search: for (let r = 0; r < grid.length; r++) {
    for (let c = 0; c < grid[r].length; c++) {
      if (grid[r][c] === v) { found = r * 10 + c; break search; }
    }
  }
  return found;
}
console.log(find([[1, 2], [3, 4]], 3), find([[1]], 9));
`,
  "destructuring, entries and pairs": `const counts = { b: 2, a: 5, c: 1 };
for (const [k, v] of Object.entries(counts)) console.log(k, v * 2);
const sorted = Object.entries(counts).sort(([, x], [, y]) => y - x);
console.log(sorted, sorted.map(([k]) => k).join(""), JSON.stringify(sorted));
const [first, second, ...rest] = [10, 20, 30, 40];
console.log(first, second, rest);
let a = 1, b = 2;
[a, b] = [b, a];
console.log(a, b);
const { x, y: why } = { x: 3, y: 4 };
console.log(x, why);
const m = new Map();
m.set("one", 1); m.set("two", 2);
for (const [k, v] of m) console.log(k, v);
for (const [i, ch] of ["p", "q"].entries()) console.log(i, ch);
const pts = [[1, 2], [3, 4]];
console.log(pts.map(([p, q]) => p * q));
const obj = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v + 1]));
console.log(obj);
const m2 = new Map(Object.entries(counts)); console.log(m2, [...m2.entries()], [...m2]);
function dist({ px, py }) { return Math.hypot(px, py); }
console.log(dist({ px: 3, py: 4 }));
for (const k of m.keys()) { if (k === "one") m.set("three", 3); console.log("key", k); }
`,
  "records (objects with fields of several types)": `const p = { name: "Ann", age: 31, tags: ["a", "b"], 2: true, 1: false };
p.age += 1; p["name"] = "Anna";
console.log(p, p.name.toUpperCase(), p.age * 2, p.tags.length, Object.keys(p), "age" in p, "zzz" in p, p.hasOwnProperty("tags"), JSON.stringify(p));
for (const k in p) console.log(k);
function stats(xs) { const min = Math.min(...xs), max = Math.max(...xs); return { min, max, label: \`\${min}-\${max}\` }; }
const st = stats([3, 1, 4]); console.log(st, st.label, st.max - st.min);
const { min, label } = stats([9, 2]); console.log(min, label);
const items = [{ id: 1, ok: true }, { id: 2, ok: false }]; console.log(items.filter((i) => i.ok).map((i) => i.id), JSON.stringify(items, null, 1));
`,
  "missing keys and elements in ||, ??, conditions and === undefined": `const counts = {};
for (const w of "a b a c b a".split(" ")) counts[w] = (counts[w] || 0) + 1;
console.log(counts);
const seen = {};
const dups = [];
for (const x of [3, 1, 3, 2, 1]) { if (seen[x]) dups.push(x); seen[x] = true; }
console.log(dups, seen["toString"] ? "inherited" : "no", seen[9] === undefined, seen[3] !== undefined, seen[9] == null);
const m = new Map();
for (const c of "hello") m.set(c, (m.get(c) ?? 0) + 1);
console.log(m, m.get("z") || -1, m.get("l") ?? 0);
const groups = {};
for (const w of ["ab", "cd", "ae"]) { if (!groups[w[0]]) groups[w[0]] = []; groups[w[0]].push(w); }
console.log(groups);
const arr = [5, 0, 7];
console.log(arr[1] || "zero?".length, arr[9] || 42, arr[0] ?? 1, arr[10] ?? 2, "xy"[5] || "none");
if (arr[3] && arr[0]) console.log("no"); else console.log("yes");
const memo = {}; function fib(n) { if (memo[n] !== undefined) return memo[n]; const r = n < 2 ? n : fib(n - 1) + fib(n - 2); memo[n] = r; return r; }
console.log(fib(30));
`,
  "program: BFS with Map, Set and pairs": `// BFS on a grid graph with Map and Set
function shortestPath(graph, start, goal) {
  const queue = [[start, 0]];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const [node, dist] = queue.shift();
    if (node === goal) return dist;
    for (const next of graph.get(node) || []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push([next, dist + 1]);
      }
    }
  }
  return -1;
}
const g = new Map();
g.set("a", ["b", "c"]); g.set("b", ["d"]); g.set("c", ["d", "e"]); g.set("d", ["f"]); g.set("e", ["f"]); g.set("f", []);
console.log(shortestPath(g, "a", "f"), shortestPath(g, "f", "a"));
`,
  "program: memoised recursion": `// memoized recursion and number formatting
const memo = new Map();
function ways(n) {
  if (n <= 1) return 1;
  if (memo.has(n)) return memo.get(n);
  const r = ways(n - 1) + ways(n - 2);
  memo.set(n, r);
  return r;
}
for (let i = 0; i < 5; i++) console.log(\`ways(\${i * 10}) = \${ways(i * 10)}\`);
console.log((ways(50) / 1e6).toFixed(3), ways(70).toString().length);
`,
  "program: matrices": `// matrix operations
function matMul(a, b) {
  const rows = a.length, cols = b[0].length, inner = b.length;
  const out = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array(cols).fill(0);
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let k = 0; k < inner; k++) s += a[i][k] * b[k][j];
      row[j] = s;
    }
    out.push(row);
  }
  return out;
}
const identity = (n) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const m = [[1, 2], [3, 4]];
console.log(matMul(m, m), matMul(m, identity(2)), identity(3));
console.log(m.map((r) => r.join(" ")).join("\\n"));
`,
  "program: string processing": `// string processing
function isPalindrome(s) {
  const clean = s.toLowerCase().split("").filter((c) => c >= "a" && c <= "z").join("");
  return clean === clean.split("").reverse().join("");
}
function caesar(s, k) {
  return s.replace("", "").split("").map((c) => {
    const code = c.charCodeAt(0);
    if (code >= 97 && code <= 122) return String.fromCharCode(((code - 97 + k) % 26) + 97);
    if (code >= 65 && code <= 90) return String.fromCharCode(((code - 65 + k) % 26) + 65);
    return c;
  }).join("");
}
function titleCase(s) { return s.split(" ").map((w) => w.length ? w[0].toUpperCase() + w.slice(1).toLowerCase() : w).join(" "); }
console.log(isPalindrome("A man, a plan, a canal: Panama"), isPalindrome("hello"));
console.log(caesar("Hello, World!", 3), titleCase("the QUICK  brown fox"));
const vowels = "hello world".split("").filter((c) => "aeiou".includes(c)).length;
console.log(vowels, "abc".padStart(6, "*"), "x".repeat(3), "a-b-c".split("-").reverse().join("+"));
`,
  "program: records, grouping and statistics": `// sorting objects, grouping, statistics
const people = [
  { name: "Ann", age: 31, city: "Oslo" },
  { name: "Bob", age: 25, city: "Rome" },
  { name: "Cid", age: 35, city: "Oslo" },
];
const byAge = [...people].sort((a, b) => a.age - b.age).map((p) => p.name);
const groups = {};
for (const p of people) {
  if (!groups[p.city]) groups[p.city] = [];
  groups[p.city].push(p.name);
}
const ages = people.map((p) => p.age);
const mean = ages.reduce((a, b) => a + b, 0) / ages.length;
const sd = Math.sqrt(ages.reduce((a, b) => a + (b - mean) ** 2, 0) / ages.length);
console.log(byAge, groups, mean.toFixed(2), sd.toFixed(4));
console.log(JSON.stringify(people[0]), people.filter((p) => p.city === "Oslo").length);
`,
  "program: sieve, gcd, fizzbuzz": `// primes, fizzbuzz, gcd
function sieve(n) {
  const isPrime = new Array(n + 1).fill(true);
  isPrime[0] = isPrime[1] = false;
  for (let i = 2; i * i <= n; i++) {
    if (isPrime[i]) for (let j = i * i; j <= n; j += i) isPrime[j] = false;
  }
  return isPrime.reduce((acc, p, i) => (p ? [...acc, i] : acc), []);
}
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
console.log(sieve(50), gcd(48, 18), [12, 18, 24].reduce(gcd));
for (let i = 1; i <= 15; i++) {
  let out = "";
  if (i % 3 === 0) out += "Fizz";
  if (i % 5 === 0) out += "Buzz";
  console.log(out || i);
}
`,
  "program: stack evaluation with switch": `// stack-based parsing
function evalRPN(tokens) {
  const stack = [];
  for (const t of tokens) {
    if (["+", "-", "*", "/"].includes(t)) {
      const b = stack.pop(), a = stack.pop();
      switch (t) {
        case "+": stack.push(a + b); break;
        case "-": stack.push(a - b); break;
        case "*": stack.push(a * b); break;
        case "/": stack.push(Math.trunc(a / b)); break;
      }
    } else {
      stack.push(parseInt(t, 10));
    }
  }
  return stack[0];
}
function balanced(s) {
  const pairs = { ")": "(", "]": "[", "}": "{" };
  const st = [];
  for (const c of s) {
    if ("([{".includes(c)) st.push(c);
    else if (c in pairs) { if (st.pop() !== pairs[c]) return false; }
  }
  return st.length === 0;
}
console.log(evalRPN(["2", "1", "+", "3", "*"]), evalRPN(["4", "13", "5", "/", "+"]), balanced("{[()]}"), balanced("(]"));
`,
  "reads that find nothing: arithmetic, equality, variables tested against undefined": `function charFrequency(str1) {
  const charMap = {};
  for (let char of str1) charMap[char] = charMap[char] + 1 || 1;
  return charMap;
}
function sameOrder(l1, l2) {
  const a = {}, b = {};
  for (const x of l1) a[x] = true;
  for (const x of l2) b[x] = true;
  for (let i = 0; i < l1.length; i++) if (a[l1[i]] !== b[l2[i]]) return false;
  return true;
}
function findExtra(arr1, arr2) { let k = 0; while (k < arr1.length && arr1[k] === arr2[k]) k++; return k; }
function isSubset(arr1, arr2) {
  const map = new Map();
  for (let i = 0; i < arr1.length; i++) map.set(arr1[i], i);
  for (const num of arr2) { const index = map.get(num); if (index === undefined) return false; map.delete(num); }
  return true;
}
function firstBig(xs) { const r = xs.find((x) => x > 10); return r === undefined ? -1 : r; }
console.log(charFrequency("hello"), sameOrder(["a", "b"], ["a", "c"]), sameOrder(["a"], ["a"]), findExtra([1, 2, 3], [1, 2]), isSubset([1, 2, 3], [2, 3]), isSubset([1], [5]), firstBig([1, 20]), firstBig([1]));
const sub = {}; for (const x of [1, 2]) sub[x + 1] = true; console.log(sub[3] === true, sub[9] === true);
`,
  "dynamic values read like JS values (deep compare)": `function compare(a, b) {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return a !== a && b !== b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!compare(a[i], b[i])) return false;
    }
    return true;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set) || !(b instanceof Set) || a.size !== b.size) return false;
    const rest = [...b];
    for (const x of a) {
      const at = rest.findIndex((y) => compare(x, y));
      if (at < 0) return false;
      rest.splice(at, 1);
    }
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (!kb.includes(ka[i]) || !compare(a[ka[i]], b[ka[i]])) return false;
  }
  return true;
}
console.log(compare([1, [2, 3]], [1, [2, 3]]), compare([1, 2], [1, 3]), compare({ a: 1, b: "x" }, { a: 1, b: "x" }), compare(new Set([1, 2]), new Set([2, 1])), compare("ab", "ab"), compare(NaN, NaN), compare(null, 0), compare({ a: 1 }, { a: 2 }), compare([[1, "a"]], [[1, "a"]]));
const d = [1, "two", [3]]; console.log(d[1].length, d[2][0], d[5], d[0].foo, Object.keys(d), [...d[1]], d instanceof Array, 5 instanceof Object);
for (const x of d[2]) console.log("x", x);
`,
  "classes: fields, constructor, methods, this, static, toString": `class Stack {
  constructor() {
    this.items = [];
  }
  push(x) { this.items.push(x); return this; }
  pop() { return this.items.pop(); }
  peek() { return this.items[this.items.length - 1]; }
  get_size() { return this.items.length; }
  isEmpty() { return this.items.length === 0; }
}
class Point {
  label = "p";
  constructor(x, y) { this.x = x; this.y = y; }
  dist(other) { return Math.hypot(this.x - other.x, this.y - other.y); }
  scale(k) { return new Point(this.x * k, this.y * k); }
  toString() { return \`(\${this.x}, \${this.y})\`; }
  static origin() { return new Point(0, 0); }
}
const s = new Stack();
s.push(1).push(2).push(3);
console.log(s.pop(), s.peek(), s.get_size(), s.isEmpty(), s);
const p = new Point(3, 4), q = Point.origin();
console.log(p.dist(q), \`\${p}\`, String(p.scale(2)), p, JSON.stringify(p), [p, q].join(" | "), p instanceof Point, typeof p);
class Counter {
  constructor(start) { this.count = start; this.history = []; }
  inc() { this.count++; this.history.push(this.count); }
  each(f) { this.history.forEach((h) => f(h + this.count)); }
}
const c = new Counter(5); c.inc(); c.inc(); c.count += 10;
c.each((v) => console.log("v", v));
console.log(c.count, c.history, Object.keys(c));
class Bank {
  constructor(name) { this.name = name; this.balance = 0; }
  deposit(amount) { if (amount <= 0) throw new Error("bad amount"); this.balance += amount; return this.balance; }
}
const b = new Bank("x"); console.log(b.deposit(50), b.deposit(25), b);
`,
  "classes: recursion over instances, methods named like array methods": `class Node2 {
  constructor(val) { this.val = val; this.children = []; }
  add(child) { this.children.push(child); return child; }
  depth() { let d = 0; for (const c of this.children) d = Math.max(d, c.depth()); return d + 1; }
  sum() { return this.val + this.children.reduce((acc, c) => acc + c.sum(), 0); }
}
function fill(stack, n) { for (let i = 0; i < n; i++) stack.push(i * i); return stack; }
class Queue { constructor() { this.q = []; } push(x) { this.q.push(x); } shift() { return this.q.shift(); } get_length() { return this.q.length; } }
const root = new Node2(1); const a = root.add(new Node2(2)); a.add(new Node2(3)); root.add(new Node2(4));
console.log(root.depth(), root.sum(), root.children.length);
const qq = fill(new Queue(), 4); console.log(qq.shift(), qq.get_length(), qq);
class Temp { constructor(c) { this.c = c; } get_f() { return this.c * 9 / 5 + 32; } }
console.log([new Temp(0), new Temp(100)].map((t) => t.get_f()));
`,
  "try, catch, finally and throw (pending exceptions)": `function divide(a, b) {
  if (b === 0) throw new Error("Division by zero");
  return a / b;
}
function safeDivide(a, b) {
  try {
    const r = divide(a, b);
    return r;
  } catch (e) {
    console.log("caught:", e.message, e.name, String(e), e instanceof Error);
    return NaN;
  }
}
console.log(safeDivide(6, 3), safeDivide(1, 0));
let x = "kept";
try { x = divide(1, 0); } catch (err) { console.log("x is", x); }
function parseAge(s) {
  const n = Number(s);
  if (Number.isNaN(n)) throw new TypeError("not a number: " + s);
  if (n < 0) throw new RangeError("negative");
  return n;
}
for (const s of ["42", "abc", "-1"]) {
  try {
    const age = parseAge(s);
    console.log("age", age);
  } catch (e) {
    console.log(e.name + ": " + e.message);
  } finally {
    console.log("checked", s);
  }
}
function validate(list) {
  for (let i = 0; i < list.length; i++) {
    if (list[i] < 0) throw "bad element at " + i;
  }
  return true;
}
try { validate([1, -2]); console.log("not reached"); } catch (e) { console.log("thrown:", e); }
class Account {
  constructor(b) { this.balance = b; }
  withdraw(n) { if (n > this.balance) throw new Error("insufficient funds"); this.balance -= n; return this.balance; }
}
const acc = new Account(100);
try { acc.withdraw(30); acc.withdraw(100); } catch (e) { console.log(e.message, acc.balance); }
let count = 0;
outer: for (let i = 0; i < 3; i++) {
  try { if (i === 1) throw new Error("skip"); count += 10; } catch (e) { continue outer; }
  count++;
}
console.log(count);
`,
};

describeSameAsNode("differential: coverage features print exactly what node prints", COVERAGE_SNIPPETS);

describe("throw: an uncaught exception stops the run with a runtime error", () => {
  it("stdout up to the throw matches node, then a runtime error with the message", { timeout: 120_000 }, async () => {
    const source = `function divide(a, b) {\n  if (b === 0) throw new Error("Division by zero");\n  return a / b;\n}\nconsole.log(divide(6, 3));\nconsole.log(divide(1, 0));\nconsole.log("not reached");\n`;
    const ref = node(source, "throw");
    const r = await runSource(source);
    expect(r.status).toBe("runtime_error");
    expect(r.stdout).toBe(ref.stdout);
    expect(r.stderr).toContain("Uncaught Error: Division by zero");
  });
});
