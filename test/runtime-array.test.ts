// Differential tests: host-bindings/assembly/array.ts against the Array methods of the V8 running
// this test: random arrays and index arguments, V8's sort call sequence (comparator calls logged and
// compared call by call, including inconsistent comparators), callbacks that mutate the array they
// iterate, and the abort messages.
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { prng, type AsModule } from "./helpers/as-harness.js";
import { compileWithAborts, same, v8Error } from "./helpers/as-abort.js";
import { callBatch, PACK_PRELUDE, Reader, Stream } from "./helpers/as-stream.js";

// Loading the AssemblyScript compiler (std/portable) replaces Array.prototype.sort in this process
// with one whose default order is numeric, so V8's own sort comes from a fresh realm.
const v8Sort = runInNewContext("Array.prototype.sort") as (this: unknown[], cmp?: (a: any, b: any) => number) => unknown[];
function sorted<T>(a: T[], cmp?: (x: T, y: T) => number): T[] {
  return v8Sort.call(a, cmp) as T[];
}

// ---------------------------------------------------------------------------------------------
// Batched calls: each case is a sequence of numbers and strings read in order by both sides; each
// side writes its results as a sequence of numbers and strings, which must agree.

// Operations: `gen` writes one case's inputs, `as` is the AS body for one case, `js` computes the
// expected outputs from the same inputs with V8's Array methods.

type Rng = ReturnType<typeof prng>;

interface Op {
  gen: (rng: Rng, w: Stream) => void;
  as: string;
  js: (r: Reader, out: Stream) => void;
  /** Cases to run (default 2000). */
  count?: number;
}

/** Awkward numbers for element values (=== and SameValueZero distinctions, string forms). */
const SPECIAL_VALUES = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, 1e21, 1e-7, 123.456, 2 ** 53, -1.5e300, 5e-324, 10, 9, 100];

function value(rng: Rng): number {
  switch (rng.int(4)) {
    case 0: return SPECIAL_VALUES[rng.int(SPECIAL_VALUES.length)]!;
    case 1: return (rng.float() - 0.5) * 10 ** rng.int(25);
    default: return rng.int(12) - 3;
  }
}

function array(rng: Rng, maxLen = 10): number[] {
  const n = rng.int(maxLen + 1);
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(value(rng));
  return a;
}

/** An index/count argument: near the array's range, plus every kind of awkward number. */
function position(rng: Rng, len: number): number {
  switch (rng.int(12)) {
    case 0: return NaN;
    case 1: return rng.int(2) ? Infinity : -Infinity;
    case 2: return -0;
    case 3: return (rng.int(2) ? 1 : -1) * (2 ** 32 + rng.int(5) - 2);
    case 4: return (rng.float() - 0.5) * 2 * (len + 3);
    case 5: return (rng.int(2) ? 1 : -1) * 1e300;
    default: return rng.int(2 * len + 7) - len - 3;
  }
}

const SORT_STRINGS = ["", "a", "b", "B", "ab", "aB", "10", "9", "1", "é", "e\u0301", "😀", "\uffff", "\ud800", "Z", " ", "a b"];

const OPS: Record<string, Op> = {
  slice2: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const x = nextNum(); const y = nextNum(); putArr(A.__js_array_slice(a, x, y));",
    js: (r, o) => { const a = r.arr(); o.arr(a.slice(r.num(), r.num())); },
  },
  slice1: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); putArr(A.__js_array_slice(a, nextNum()));",
    js: (r, o) => { const a = r.arr(); o.arr(a.slice(r.num())); },
  },
  slice0: {
    gen: (rng, w) => w.arr(array(rng)),
    as: "const a = nextArr(); const b = A.__js_array_slice(a); putArr(b); putNum(a == b ? 1 : 0);",
    js: (r, o) => { const a = r.arr(); o.arr(a.slice()); o.num(0); },
  },
  splice: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); w.num(position(rng, a.length)); w.arr(array(rng, 4)); },
    as: "const a = nextArr(); const x = nextNum(); const y = nextNum(); const items = nextArr(); putArr(A.__js_array_splice(a, x, y, items)); putArr(a);",
    js: (r, o) => { const a = r.arr(); const x = r.num(); const y = r.num(); const items = r.arr(); o.arr(a.splice(x, y, ...items)); o.arr(a); },
  },
  spliceSelf: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const x = nextNum(); const y = nextNum(); putArr(A.__js_array_splice(a, x, y, a)); putArr(a);",
    js: (r, o) => { const a = r.arr(); const x = r.num(); const y = r.num(); o.arr(a.splice(x, y, ...a)); o.arr(a); },
  },
  splice2: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const x = nextNum(); const y = nextNum(); putArr(A.__js_array_splice(a, x, y)); putArr(a);",
    js: (r, o) => { const a = r.arr(); const x = r.num(); const y = r.num(); o.arr(a.splice(x, y)); o.arr(a); },
  },
  splice1: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); putArr(A.__js_array_splice(a, nextNum())); putArr(a);",
    js: (r, o) => { const a = r.arr(); o.arr(a.splice(r.num())); o.arr(a); },
  },
  fill: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(value(rng)); w.num(position(rng, a.length)); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const v = nextNum(); const x = nextNum(); const y = nextNum(); putNum(A.__js_array_fill(a, v, x, y) == a ? 1 : 0); putArr(a);",
    js: (r, o) => { const a = r.arr(); o.num(a.fill(r.num(), r.num(), r.num()) === a ? 1 : 0); o.arr(a); },
  },
  fill1: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(value(rng)); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const v = nextNum(); A.__js_array_fill(a, v, nextNum()); putArr(a);",
    js: (r, o) => { const a = r.arr(); a.fill(r.num(), r.num()); o.arr(a); },
  },
  copyWithin: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); for (let i = 0; i < 3; i++) w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const t = nextNum(); const x = nextNum(); const y = nextNum(); A.__js_array_copy_within(a, t, x, y); putArr(a);",
    js: (r, o) => { const a = r.arr(); a.copyWithin(r.num(), r.num(), r.num()); o.arr(a); },
  },
  indexOf: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(rng.int(2) && a.length ? a[rng.int(a.length)]! : value(rng)); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const v = nextNum(); putNum(A.__js_array_index_of(a, v, nextNum()));",
    js: (r, o) => { const a = r.arr(); o.num(a.indexOf(r.num(), r.num())); },
  },
  indexOf1: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(rng.int(2) && a.length ? a[rng.int(a.length)]! : value(rng)); },
    as: "const a = nextArr(); putNum(A.__js_array_index_of(a, nextNum()));",
    js: (r, o) => { const a = r.arr(); o.num(a.indexOf(r.num())); },
  },
  lastIndexOf: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(rng.int(2) && a.length ? a[rng.int(a.length)]! : value(rng)); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const v = nextNum(); putNum(A.__js_array_last_index_of(a, v, nextNum()));",
    js: (r, o) => { const a = r.arr(); o.num(a.lastIndexOf(r.num(), r.num())); },
  },
  lastIndexOf1: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(rng.int(2) && a.length ? a[rng.int(a.length)]! : value(rng)); },
    as: "const a = nextArr(); putNum(A.__js_array_last_index_of(a, nextNum()));",
    js: (r, o) => { const a = r.arr(); o.num(a.lastIndexOf(r.num())); },
  },
  includes: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(rng.int(2) && a.length ? a[rng.int(a.length)]! : value(rng)); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const v = nextNum(); putNum(A.__js_array_includes(a, v, nextNum()) ? 1 : 0);",
    js: (r, o) => { const a = r.arr(); o.num(a.includes(r.num(), r.num()) ? 1 : 0); },
  },
  includes1: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(rng.int(2) && a.length ? a[rng.int(a.length)]! : value(rng)); },
    as: "const a = nextArr(); putNum(A.__js_array_includes(a, nextNum()) ? 1 : 0);",
    js: (r, o) => { const a = r.arr(); o.num(a.includes(r.num()) ? 1 : 0); },
  },
  stringIndexOf: {
    gen: (rng, w) => { const n = rng.int(8); w.strArr(Array.from({ length: n }, () => SORT_STRINGS[rng.int(SORT_STRINGS.length)]!)); w.str(SORT_STRINGS[rng.int(SORT_STRINGS.length)]!); },
    as: "const a = nextStrArr(); const v = nextStr(); putNum(A.__js_array_index_of(a, v)); putNum(A.__js_array_last_index_of(a, v)); putNum(A.__js_array_includes(a, v) ? 1 : 0);",
    js: (r, o) => { const a = r.strArr(); const v = r.str(); o.num(a.indexOf(v)); o.num(a.lastIndexOf(v)); o.num(a.includes(v) ? 1 : 0); },
  },
  at: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const x = nextNum(); if (A.__js_array_at_in_range(a, x)) { putNum(1); putNum(A.__js_array_at(a, x)); } else putNum(0);",
    js: (r, o) => { const a = r.arr(); const x = r.num(); const v = a.at(x); if (v === undefined) o.num(0); else { o.num(1); o.num(v); } },
  },
  with: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); w.num(value(rng)); },
    as: "const a = nextArr(); const x = nextNum(); const v = nextNum(); if (A.__js_array_at_in_range(a, x)) { putArr(A.__js_array_with(a, x, v)); putArr(a); } else putNum(-1);",
    js: (r, o) => { const a = r.arr(); const x = r.num(); const v = r.num(); try { const b = a.with(x, v); o.arr(b); o.arr(a); } catch { o.num(-1); } },
  },
  get: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(position(rng, a.length)); },
    as: "const a = nextArr(); const x = nextNum(); if (A.__js_array_has_index(a, x)) { putNum(1); putNum(A.__js_array_get(a, x)); } else putNum(0);",
    js: (r, o) => { const a = r.arr(); const x = r.num(); if (x in a) { o.num(1); o.num(a[x]!); } else o.num(0); },
  },
  set: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(rng.int(3) ? rng.int(a.length + 1) : position(rng, a.length)); w.num(value(rng)); },
    as: "const a = nextArr(); const x = nextNum(); const v = nextNum(); if (A.__js_array_has_index(a, x) || x == <f64>a.length) { A.__js_array_set(a, x, v); putArr(a); } else putNum(-1);",
    js: (r, o) => {
      const a = r.arr(); const x = r.num(); const v = r.num();
      if (x in a || x === a.length) { a[x] = v; o.arr(a); } else o.num(-1);
    },
  },
  setLength: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.num(rng.int(a.length + 1)); },
    as: "const a = nextArr(); A.__js_array_set_length(a, nextNum()); putArr(a); putNum(A.__js_array_length(a));",
    js: (r, o) => { const a = r.arr(); a.length = r.num(); o.arr(a); o.num(a.length); },
  },
  pushPop: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.arr(array(rng, 3)); w.num(rng.int(4)); },
    as: `const a = nextArr(); const items = nextArr(); const pops = nextInt();
      for (let i = 0; i < items.length; i++) putNum(A.__js_array_push(a, items[i]));
      for (let i = 0; i < pops; i++) if (a.length > 0) putNum(A.__js_array_pop(a));
      putNum(A.__js_array_push_many(a, items)); putNum(A.__js_array_push_many(a, a)); putArr(a);`,
    js: (r, o) => {
      const a = r.arr(); const items = r.arr(); const pops = r.num();
      for (const v of items) o.num(a.push(v));
      for (let i = 0; i < pops; i++) if (a.length > 0) o.num(a.pop()!);
      o.num(a.push(...items)); o.num(a.push(...a)); o.arr(a);
    },
  },
  shiftUnshift: {
    gen: (rng, w) => { const a = array(rng); w.arr(a); w.arr(array(rng, 3)); w.num(rng.int(4)); },
    as: `const a = nextArr(); const items = nextArr(); const shifts = nextInt();
      for (let i = 0; i < items.length; i++) putNum(A.__js_array_unshift(a, items[i]));
      for (let i = 0; i < shifts; i++) if (a.length > 0) putNum(A.__js_array_shift(a));
      putNum(A.__js_array_unshift_many(a, items)); putNum(A.__js_array_unshift_many(a, a)); putArr(a);`,
    js: (r, o) => {
      const a = r.arr(); const items = r.arr(); const shifts = r.num();
      for (const v of items) o.num(a.unshift(v));
      for (let i = 0; i < shifts; i++) if (a.length > 0) o.num(a.shift()!);
      o.num(a.unshift(...items)); o.num(a.unshift(...a)); o.arr(a);
    },
  },
  concat: {
    gen: (rng, w) => { w.arr(array(rng)); w.arr(array(rng)); w.num(value(rng)); },
    as: "const a = nextArr(); const b = nextArr(); const v = nextNum(); putArr(A.__js_array_concat(a, b)); putArr(A.__js_array_concat_value(a, v)); putArr(A.__js_array_concat(a, a)); putArr(a);",
    js: (r, o) => { const a = r.arr(); const b = r.arr(); const v = r.num(); o.arr(a.concat(b)); o.arr(a.concat(v)); o.arr(a.concat(a)); o.arr(a); },
  },
  reverse: {
    gen: (rng, w) => w.arr(array(rng)),
    as: "const a = nextArr(); putArr(A.__js_array_to_reversed(a)); putNum(A.__js_array_reverse(a) == a ? 1 : 0); putArr(a);",
    js: (r, o) => { const a = r.arr(); o.arr(a.toReversed()); o.num(a.reverse() === a ? 1 : 0); o.arr(a); },
  },
  join: {
    gen: (rng, w) => { w.arr(array(rng)); w.str(["", ",", ", ", "-", "😀", "\ud800"][rng.int(6)]!); },
    as: "const a = nextArr(); const sep = nextStr(); putStr(A.__js_array_join(a, sep)); putStr(A.__js_array_join(a)); putStr(A.__js_array_to_string(a));",
    js: (r, o) => { const a = r.arr(); const sep = r.str(); o.str(a.join(sep)); o.str(a.join()); o.str(a.toString()); },
  },
  joinNested: {
    gen: (rng, w) => { const n = rng.int(5); w.num(n); for (let i = 0; i < n; i++) w.arr(array(rng, 3)); },
    as: `const n = nextInt(); const a = new Array<Array<f64>>(0); for (let i = 0; i < n; i++) a.push(nextArr());
      const nested: Array<Array<Array<f64>>> = [a, a]; putStr(A.__js_array_join(a, ";")); putStr(A.__js_array_join(nested));
      putArr(A.__js_array_flat(a)); putStr(A.__js_value_to_string(nested));
      const bools: Array<bool> = []; for (let i = 0; i < n; i++) bools.push(a[i].length > 1); putStr(A.__js_array_join(bools, "/"));`,
    js: (r, o) => {
      const n = r.num(); const a: number[][] = []; for (let i = 0; i < n; i++) a.push(r.arr());
      o.str(a.join(";")); o.str([a, a].join()); o.arr(a.flat()); o.str(String([a, a]));
      o.str(a.map((x) => x.length > 1).join("/"));
    },
  },
  sortDefault: {
    gen: (rng, w) => w.arr(array(rng, 40)),
    as: "const a = nextArr(); putArr(A.__js_array_to_sorted(a)); putNum(A.__js_array_sort(a) == a ? 1 : 0); putArr(a);",
    js: (r, o) => { const a = r.arr(); o.arr(a.toSorted()); o.num(sorted(a) === a ? 1 : 0); o.arr(a); },
  },
  sortStrings: {
    gen: (rng, w) => { const n = rng.int(80); w.strArr(Array.from({ length: n }, () => SORT_STRINGS[rng.int(SORT_STRINGS.length)]! + (rng.int(3) ? "" : SORT_STRINGS[rng.int(SORT_STRINGS.length)]!))); },
    as: "const a = nextStrArr(); A.__js_array_sort(a); putStrArr(a);",
    js: (r, o) => { const a = r.strArr(); sorted(a); o.strArr(a); },
  },
  sortNestedAndBools: {
    gen: (rng, w) => { const n = rng.int(12); w.num(n); for (let i = 0; i < n; i++) w.arr(array(rng, 2)); },
    as: `const n = nextInt(); const a = new Array<Array<f64>>(0); for (let i = 0; i < n; i++) a.push(nextArr());
      const b = a.slice(0); A.__js_array_sort(b); for (let i = 0; i < n; i++) putNum(<f64>a.indexOf(b[i]));
      const bools: Array<bool> = []; for (let i = 0; i < n; i++) bools.push(a[i].length != 1); A.__js_array_sort(bools); putStr(A.__js_array_join(bools));`,
    js: (r, o) => {
      const n = r.num(); const a: number[][] = []; for (let i = 0; i < n; i++) a.push(r.arr());
      const b = a.slice(); sorted(b); for (const x of b) o.num(a.indexOf(x));
      o.str(sorted(a.map((x) => x.length !== 1)).join());
    },
  },
  arrayFrom: {
    gen: (rng, w) => { w.arr(array(rng)); w.num(position(rng, 6)); w.str(randomText(rng)); w.num(value(rng)); },
    as: `const a = nextArr(); const n = nextNum(); const s = nextStr(); const v = nextNum();
      putArr(A.__js_array_from_array(a)); putArr(A.__js_array_from_array_map<f64, f64>(a, new FromMap()));
      if (n >= -1 && n < 1000) { putArr(A.__js_array_from_length<f64>(n, new FromIndex())); putArr(A.__js_array_from_length_filled(n, v)); }
      if (n >= 0 && n < 1000 && Math.trunc(n) == n) putArr(A.__js_array_new_filled(n, v));
      putStrArr(A.__js_array_from_string(s)); putStrArr(A.__js_array_from_string_map<string>(s, new FromStringMap()));`,
    js: (r, o) => {
      const a = r.arr(); const n = r.num(); const s = r.str(); const v = r.num();
      o.arr(Array.from(a)); o.arr(Array.from(a, (x, i) => x * 2 + i));
      if (n >= -1 && n < 1000) { o.arr(Array.from({ length: n }, (_, i) => i * i - 1)); o.arr(Array.from({ length: n }).fill(v) as number[]); }
      if (n >= 0 && n < 1000 && Math.trunc(n) === n) o.arr(new Array(n).fill(v));
      o.strArr(Array.from(s)); o.strArr(Array.from(s, (c, i) => c + i));
    },
  },
};

function randomText(rng: Rng): string {
  const palette = ["a", "b", "😀", "\ud800", "\udc00", "é", " "];
  let s = "";
  for (let i = rng.int(6); i > 0; i--) s += palette[rng.int(palette.length)];
  return s;
}

// Sorting with comparators: the comparator logs its arguments; modes are consistent and inconsistent comparators.
const COMPARATOR_MODES: ((a: number, b: number, k: number) => number)[] = [
  (a, b) => a - b,
  (a, b) => b - a,
  (a, b) => Math.floor(a / 10) - Math.floor(b / 10), // ties: stability
  (a, b, k) => ((a * 7 + b * 13 + k) % 3) - 1, // inconsistent, depends on the call count
  () => NaN,
  (a, b) => (a < b ? -1 : 1), // never 0
  (a, b) => (a > b ? 1 : 0), // the classic bug: never negative
  (a, b) => (a === b ? NaN : a - b),
  () => 0,
  () => -1,
  (a, b) => ((a ^ b) & 4 ? a - b : b - a), // inconsistent, but deterministic
];
const COMPARATOR_AS = [
  "a - b",
  "b - a",
  "Math.floor(a / 10) - Math.floor(b / 10)",
  "((a * 7 + b * 13 + k) % 3) - 1",
  "NaN",
  "a < b ? -1 : 1",
  "a > b ? 1 : 0",
  "a == b ? NaN : a - b",
  "0",
  "-1",
  "((<i32>a ^ <i32>b) & 4) != 0 ? a - b : b - a",
];

/** Arrays that exercise TimSort's runs, galloping and merges. */
function sortInput(rng: Rng): number[] {
  const n = [0, 1, 2, 3, 5, 31, 32, 33, 63, 64, 65, 100, 127, 128, 200, 257, 600, 1000][rng.int(18)]!;
  const range = [3, 10, 100, 1000][rng.int(4)]!;
  const a: number[] = [];
  switch (rng.int(6)) {
    case 0: for (let i = 0; i < n; i++) a.push(rng.int(range)); break;
    case 1: for (let i = 0; i < n; i++) a.push(i % range); break; // sawtooth
    case 2: for (let i = 0; i < n; i++) a.push(n - i); break; // descending
    case 3: for (let i = 0; i < n; i++) a.push(i < n / 2 ? i * 2 : (i - n / 2) * 2 + 1); break; // two interleaving runs
    case 4: { let v = 0; for (let i = 0; i < n; i++) { v += rng.int(5) === 0 ? -rng.int(50) : rng.int(3); a.push(Math.abs(v)); } break; } // long runs
    default: for (let i = 0; i < n; i++) a.push(rng.int(8) ? i : rng.int(n + 1)); // nearly sorted
  }
  return a;
}

OPS.sortBy = {
  count: 400,
  gen: (rng, w) => { w.num(rng.int(COMPARATOR_MODES.length)); w.arr(sortInput(rng)); },
  as: `const mode = nextInt(); const a = nextArr(); const cmp = new LoggingComparator(mode);
    const b = A.__js_array_to_sorted_by(a, cmp); putArr(b); putNum(A.__js_array_sort_by(a, cmp) == a ? 1 : 0); putArr(a); putArr(cmp.log);`,
  js: (r, o) => {
    const mode = r.num(); const a = r.arr(); const log: number[] = []; let k = 0;
    const f = (x: number, y: number) => { log.push(x, y); return COMPARATOR_MODES[mode]!(x, y, k++); };
    o.arr(a.toSorted(f)); o.num(sorted(a, f) === a ? 1 : 0); o.arr(a); o.arr(log);
  },
};

// Callbacks that mutate the array: each call logs (value, index, length) and then performs the next
// action of a script: 0 nothing, 1 push, 2 pop, 3 shift, 4 unshift, 5 write a[0].
const CALLBACK_METHODS = ["forEach", "map", "filter", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "reduce", "reduce1", "reduceRight", "reduceRight1", "flatMap"] as const;
type CallbackMethod = (typeof CALLBACK_METHODS)[number];

function runCallbackJs(method: CallbackMethod, a: number[], script: number[], grow: boolean) {
  const log: number[] = [];
  let at = 0;
  let sawHole = false;
  const step = (v: number, i: number, arr: number[]) => {
    if (v === undefined) sawHole = true;
    log.push(v, i, arr.length);
    const action = script[at++ % script.length]!;
    if (action === 1) arr.push(v + 1000);
    else if (action === 2 && !grow && arr.length > 0) arr.pop();
    else if (action === 3 && !grow && arr.length > 0) arr.shift();
    else if (action === 4) arr.unshift(-7);
    else if (action === 5 && arr.length > 0) arr[0] = 555;
  };
  const pred = (v: number) => v % 7 === 3 || v === 555;
  let result: number[];
  switch (method) {
    case "forEach": a.forEach((v, i, arr) => step(v, i, arr)); result = []; break;
    case "map": {
      const m = a.map((v, i, arr) => (step(v, i, arr), v * 2 + i));
      if (Object.keys(m).length !== m.length) sawHole = true;
      result = m;
      break;
    }
    case "filter": result = a.filter((v, i, arr) => (step(v, i, arr), pred(v))); break;
    case "some": result = [a.some((v, i, arr) => (step(v, i, arr), pred(v))) ? 1 : 0]; break;
    case "every": result = [a.every((v, i, arr) => (step(v, i, arr), !pred(v))) ? 1 : 0]; break;
    case "find": { const v = a.find((v, i, arr) => (step(v, i, arr), pred(v))); result = v === undefined ? [] : [v]; break; }
    case "findIndex": result = [a.findIndex((v, i, arr) => (step(v, i, arr), pred(v)))]; break;
    case "findLast": { const v = a.findLast((v, i, arr) => (step(v, i, arr), pred(v))); result = v === undefined ? [] : [v]; break; }
    case "findLastIndex": result = [a.findLastIndex((v, i, arr) => (step(v, i, arr), pred(v)))]; break;
    case "reduce": result = [a.reduce((acc, v, i, arr) => (step(v, i, arr), acc * 0.5 + v + i), 0.25)]; break;
    case "reduce1": result = a.length ? [a.reduce((acc, v, i, arr) => (step(v, i, arr), acc * 0.5 + v + i))] : []; break;
    case "reduceRight": result = [a.reduceRight((acc, v, i, arr) => (step(v, i, arr), acc * 0.5 + v + i), 0.25)]; break;
    case "reduceRight1": result = a.length ? [a.reduceRight((acc, v, i, arr) => (step(v, i, arr), acc * 0.5 + v + i))] : []; break;
    case "flatMap": result = a.flatMap((v, i, arr) => (step(v, i, arr), pred(v) ? [] : [v, i])); break;
  }
  return { log, result, sawHole, after: a };
}

CALLBACK_METHODS.forEach((method, index) => {
  OPS[`callback_${method}`] = {
    count: 1500,
    gen: (rng, w) => {
      // map and the find family cannot shrink the array here (JavaScript would produce holes/undefined):
      // their aborts are tested separately.
      const grow = ["map", "find", "findIndex", "findLast", "findLastIndex"].includes(method);
      let a: number[];
      let script: number[];
      do {
        a = Array.from({ length: rng.int(9) }, () => rng.int(20));
        script = Array.from({ length: 1 + rng.int(5) }, () => (rng.int(3) ? 0 : rng.int(6)));
      } while (runCallbackJs(method, a.slice(), script, grow).sawHole);
      w.num(grow ? 1 : 0); w.arr(a); w.arr(script);
    },
    as: `const grow = nextInt() == 1; const a = nextArr(); const script = nextArr(); runCallback(${index}, a, script, grow);`,
    js: (r, o) => {
      const grow = r.num() === 1; const a = r.arr(); const script = r.arr();
      const { log, result, after } = runCallbackJs(method, a, script, grow);
      o.arr(log); o.arr(result); o.arr(after);
    },
  };
});

const OP_NAMES = Object.keys(OPS);

const ABORT_CASES: [string, string | (() => unknown)][] = [
  ["const a: Array<f64> = [1, 2, 3]; A.__js_array_get(a, 3);", "index 3 is out of bounds (length 3): JavaScript would read undefined"],
  ["const a: Array<f64> = [1, 2, 3]; A.__js_array_get(a, -1);", "index -1 is out of bounds (length 3): JavaScript would read undefined"],
  ["const a: Array<f64> = [1, 2, 3]; A.__js_array_get(a, 0.5);", "index 0.5 is not an array index (length 3): JavaScript would read undefined"],
  ["const a: Array<f64> = [1, 2, 3]; A.__js_array_get(a, NaN);", "index NaN is not an array index (length 3): JavaScript would read undefined"],
  ["const a: Array<f64> = [1]; A.__js_array_set(a, 5, 1);", "index 5 is beyond the end of the array (length 1): JavaScript would leave holes"],
  ["const a: Array<f64> = [1]; A.__js_array_set(a, -1, 1);", "index -1 is not an array index (length 1): JavaScript would set a property that is not an element"],
  ["const a: Array<f64> = [1]; A.__js_array_set_length(a, 3);", "setting length 3 beyond the current length 1: JavaScript would add holes"],
  ["const a: Array<f64> = [1]; A.__js_array_set_length(a, -1);", () => { [1].length = -1; }],
  ["const a: Array<f64> = [1]; A.__js_array_set_length(a, 1.5);", () => { [1].length = 1.5; }],
  ["const a: Array<f64> = []; A.__js_array_pop(a);", "pop() on an empty array: JavaScript would return undefined"],
  ["const a: Array<f64> = []; A.__js_array_shift(a);", "shift() on an empty array: JavaScript would return undefined"],
  ["const a: Array<f64> = [1, 2]; A.__js_array_at(a, 2);", "at(2) is out of bounds (length 2): JavaScript would return undefined"],
  ["const a: Array<f64> = [1, 2]; A.__js_array_at(a, -3);", "at(-3) is out of bounds (length 2): JavaScript would return undefined"],
  ["const a: Array<f64> = [1, 2]; A.__js_array_with(a, 2, 0);", () => [1, 2].with(2, 0)],
  ["const a: Array<f64> = [1, 2]; A.__js_array_with(a, -3, 0);", () => [1, 2].with(-3, 0)],
  ["const a: Array<f64> = []; A.__js_array_reduce1(a, new Sum());", () => [].reduce((x) => x)],
  ["const a: Array<f64> = []; A.__js_array_reduce_right1(a, new Sum());", () => [].reduceRight((x) => x)],
  ["const a: Array<f64> = [1, 2]; A.__js_array_find(a, new Never());", "find() found no element: JavaScript would return undefined"],
  ["const a: Array<f64> = [1, 2]; A.__js_array_find_last(a, new Never());", "findLast() found no element: JavaScript would return undefined"],
  ["const a: Array<f64> = [1, 2, 3]; A.__js_array_map<f64, f64>(a, new PopMap());", "the map() callback shortened the array from 3 to 1 elements: JavaScript's result would have holes"],
  ["const a: Array<f64> = [1, 2, 3]; A.__js_array_find(a, new PopNever());", "the find() callback shortened the array from 3 to 1 elements: JavaScript would call it with undefined"],
  ["const a: Array<f64> = [1, 2, 3]; A.__js_array_find_index(a, new PopNever());", "the findIndex() callback shortened the array from 3 to 1 elements: JavaScript would call it with undefined"],
  ["A.__js_array_new_filled<f64>(-1, 0);", () => new Array(-1)],
  ["A.__js_array_new_filled<f64>(1.5, 0);", () => new Array(1.5)],
  ["A.__js_array_new_filled<f64>(4294967296, 0);", () => new Array(4294967296)],
  ["A.__js_array_from_length<f64>(4294967296, new FromIndex());", () => Array.from({ length: 4294967296 })],
  // Larger than any 32-bit memory: io.ts turns this abort into the memory-limit exit.
  ["A.__js_array_new_filled<f64>(4294967295, 0);", "Allocation too large"],
];

const SOURCE = `
import * as A from "./stelp/array";
import { __Fn1, __Fn2, __Fn3, __Fn4 } from "./stelp/closure";
${PACK_PRELUDE}
class LoggingComparator extends __Fn2<f64, f64, f64> {
  log: Array<f64> = [];
  k: f64 = 0;
  constructor(public mode: i32) { super(); }
  call(a: f64, b: f64): f64 {
    this.log.push(a);
    this.log.push(b);
    const k = this.k++;
    switch (this.mode) {
      ${COMPARATOR_AS.map((e, i) => `case ${i}: return ${e};`).join("\n      ")}
    }
    return 0;
  }
}
class FromMap extends __Fn2<f64, f64, f64> { call(x: f64, i: f64): f64 { return x * 2 + i; } }
class FromIndex extends __Fn1<f64, f64> { call(i: f64): f64 { return i * i - 1; } }
class FromStringMap extends __Fn2<string, f64, string> { call(c: string, i: f64): string { return c + (<i32>i).toString(); } }
class Sum extends __Fn4<f64, f64, f64, Array<f64>, f64> { call(acc: f64, v: f64, i: f64, a: Array<f64>): f64 { return acc + v; } }
class Never extends __Fn3<f64, f64, Array<f64>, bool> { call(v: f64, i: f64, a: Array<f64>): bool { return false; } }
class PopNever extends __Fn3<f64, f64, Array<f64>, bool> { call(v: f64, i: f64, a: Array<f64>): bool { a.pop(); return false; } }
class PopMap extends __Fn3<f64, f64, Array<f64>, f64> { call(v: f64, i: f64, a: Array<f64>): f64 { a.pop(); return v; } }

// The mutating callbacks (see runCallbackJs in the test).
let log = new Array<f64>(0);
let script = new Array<f64>(0);
let scriptAt = 0;
let grow = false;
function step(v: f64, i: f64, arr: Array<f64>): void {
  log.push(v); log.push(i); log.push(<f64>arr.length);
  const action = <i32>script[scriptAt++ % script.length];
  if (action == 1) arr.push(v + 1000);
  else if (action == 2 && !grow && arr.length > 0) arr.pop();
  else if (action == 3 && !grow && arr.length > 0) arr.shift();
  else if (action == 4) arr.unshift(-7);
  else if (action == 5 && arr.length > 0) arr[0] = 555;
}
function pred(v: f64): bool { return v % 7 == 3 || v == 555; }
class StepVoid extends __Fn3<f64, f64, Array<f64>, void> { call(v: f64, i: f64, a: Array<f64>): void { step(v, i, a); } }
class StepMap extends __Fn3<f64, f64, Array<f64>, f64> { call(v: f64, i: f64, a: Array<f64>): f64 { step(v, i, a); return v * 2 + i; } }
class StepPred extends __Fn3<f64, f64, Array<f64>, bool> { call(v: f64, i: f64, a: Array<f64>): bool { step(v, i, a); return pred(v); } }
class StepNotPred extends __Fn3<f64, f64, Array<f64>, bool> { call(v: f64, i: f64, a: Array<f64>): bool { step(v, i, a); return !pred(v); } }
class StepReduce extends __Fn4<f64, f64, f64, Array<f64>, f64> { call(acc: f64, v: f64, i: f64, a: Array<f64>): f64 { step(v, i, a); return acc * 0.5 + v + i; } }
class StepFlat extends __Fn3<f64, f64, Array<f64>, Array<f64>> { call(v: f64, i: f64, a: Array<f64>): Array<f64> { step(v, i, a); return pred(v) ? [] : [v, i]; } }
function runCallback(method: i32, a: Array<f64>, s: Array<f64>, g: bool): void {
  log = []; script = s; scriptAt = 0; grow = g;
  let result = new Array<f64>(0);
  switch (method) {
    case 0: A.__js_array_for_each(a, new StepVoid()); break;
    case 1: result = A.__js_array_map<f64, f64>(a, new StepMap()); break;
    case 2: result = A.__js_array_filter(a, new StepPred()); break;
    case 3: result = [A.__js_array_some(a, new StepPred()) ? 1 : 0]; break;
    case 4: result = [A.__js_array_every(a, new StepNotPred()) ? 1 : 0]; break;
    case 5: result = findBoth(a, false); break;
    case 6: result = [A.__js_array_find_index(a, new StepPred())]; break;
    case 7: { result = findBoth(a, true); break; }
    case 8: result = [A.__js_array_find_last_index(a, new StepPred())]; break;
    case 9: result = [A.__js_array_reduce<f64, f64>(a, new StepReduce(), 0.25)]; break;
    case 10: if (a.length) result = [A.__js_array_reduce1(a, new StepReduce())]; break;
    case 11: result = [A.__js_array_reduce_right<f64, f64>(a, new StepReduce(), 0.25)]; break;
    case 12: if (a.length) result = [A.__js_array_reduce_right1(a, new StepReduce())]; break;
    case 13: result = A.__js_array_flat_map<f64, f64>(a, new StepFlat()); break;
  }
  putArr(log); putArr(result); putArr(a);
}
/** find / findLast through the _or variants (the plain ones abort when nothing matches). */
function findBoth(a: Array<f64>, last: bool): Array<f64> {
  const missing = -123456.5;
  const v = last ? A.__js_array_find_last_or(a, new StepPred(), missing) : A.__js_array_find_or(a, new StepPred(), missing);
  return v == missing ? [] : [v];
}

const CASE_END: f64 = -7.25e77;
export function run(op: i32, n: i32): void {
  switch (op) {
    ${OP_NAMES.map((name, i) => `case ${i}: for (let i = 0; i < n; i++) { { ${OPS[name]!.as} } putNum(CASE_END); putStr("\\u0000end"); } break;`).join("\n    ")}
  }
}
// Element types other than f64: class instances, strings, booleans, nested and nullable arrays.
class Point { constructor(public x: f64, public y: f64) {} }
class Named { constructor(public name: string) {} u_toString(): string { return "<" + this.name + ">"; } }
class ByX extends __Fn2<Point, Point, f64> { call(a: Point, b: Point): f64 { return a.x - b.x; } }
class ByLength extends __Fn2<string, string, f64> { call(a: string, b: string): f64 { return <f64>(a.length - b.length); } }
class IsLong extends __Fn3<string, f64, Array<string>, bool> { call(s: string, i: f64, a: Array<string>): bool { return s.length > 2; } }
class Upper extends __Fn3<string, f64, Array<string>, string> { call(s: string, i: f64, a: Array<string>): string { return s.toUpperCase() + i.toString(); } }
export function elementTypes(): string {
  const pts: Array<Point> = [new Point(3, 0), new Point(1, 1), new Point(3, 2), new Point(1, 3), new Point(2, 4)];
  const p1 = pts[1];
  A.__js_array_sort_by(pts, new ByX());
  let order = "";
  for (let i = 0; i < pts.length; i++) order += (<i32>pts[i].y).toString();
  const words: Array<string> = ["ccc", "a", "bb", "dddd", "e", "ff"];
  const byLen = A.__js_array_to_sorted_by(words, new ByLength());
  const named: Array<Named> = [new Named("x"), new Named("y")];
  const maybe: Array<Array<f64> | null> = [[1, 2], null, [3]];
  const bools: Array<bool> = [true, false, true];
  return [
    order,
    (<i32>A.__js_array_index_of(pts, p1)).toString(),
    (<i32>A.__js_array_index_of(pts, new Point(1, 1))).toString(),
    A.__js_array_join(byLen),
    A.__js_array_join(A.__js_array_filter(words, new IsLong())),
    A.__js_array_join(A.__js_array_map<string, string>(words, new Upper())),
    A.__js_array_join(pts),
    A.__js_array_join(named, "+"),
    A.__js_array_join(maybe, ";"),
    A.__js_value_to_string(maybe),
    A.__js_array_join(bools),
    A.__js_array_includes(words, "bb") ? "yes" : "no",
    (<i32>A.__js_array_last_index_of(bools, true)).toString(),
    A.__js_array_join(A.__js_array_sort(["b", "a", "B", "10", "9"])),
    A.__js_array_join(A.__js_array_sort<bool>(bools)),
    A.__js_array_join(A.__js_array_sort(named)),
  ].join("|");
}

export function abortCase(k: i32): void {
  switch (k) {
    ${ABORT_CASES.map(([c], i) => `case ${i}: { ${c} break; }`).join("\n    ")}
  }
}
`;

let mod: AsModule;
let abortMessage: (k: number) => string;

beforeAll(async () => {
  ({ mod, abortMessage } = await compileWithAborts(SOURCE));
}, 60_000);


it("the reference sort is V8's", () => {
  expect(sorted([10, 9, 1])).toEqual([1, 10, 9]);
});

describe("array helpers match V8", () => {
  OP_NAMES.forEach((name, index) => {
    it(name, () => {
      const op = OPS[name]!;
      const count = op.count ?? 2000;
      const rng = prng(500 + index);
      const input = new Stream();
      const starts: { n: number; s: number }[] = [];
      for (let i = 0; i < count; i++) {
        starts.push({ n: input.nums.length, s: input.strs.length });
        op.gen(rng, input);
      }
      const got = callBatch(mod, index, count, input);
      // Replay the cases in V8, one at a time, comparing each case's outputs (cases end with a marker).
      const reader = new Reader(input);
      let gn = 0;
      let gs = 0;
      let bad = 0;
      const examples: string[] = [];
      for (let i = 0; i < count; i++) {
        const want = new Stream();
        op.js(reader, want);
        const endN = got.nums.indexOf(-7.25e77, gn);
        const endS = got.strs.indexOf("\u0000end", gs);
        const gotNums = got.nums.slice(gn, endN);
        const gotStrs = got.strs.slice(gs, endS);
        gn = endN + 1;
        gs = endS + 1;
        const ok =
          gotNums.length === want.nums.length && gotStrs.length === want.strs.length &&
          want.nums.every((x, j) => same(gotNums[j], x)) && want.strs.every((x, j) => gotStrs[j] === x);
        if (!ok) {
          bad++;
          if (examples.length < 3) {
            const caseNums = input.nums.slice(starts[i]!.n, starts[i + 1]?.n ?? input.nums.length);
            examples.push(`case ${i} inputs ${JSON.stringify(caseNums.map(String))} ${JSON.stringify(input.strs.slice(starts[i]!.s, starts[i + 1]?.s))}: got ${JSON.stringify(gotNums.map(String))} ${JSON.stringify(gotStrs)}, V8 ${JSON.stringify(want.nums.map(String))} ${JSON.stringify(want.strs)}`);
          }
        }
      }
      expect(examples, `${bad} of ${count} cases differ`).toEqual([]);
      expect(gn, "output length").toBe(got.nums.length);
      expect(gs, "output length").toBe(got.strs.length);
    });
  });
});

it("element types other than numbers", () => {
  class Named {
    constructor(public name: string) {}
    toString() { return `<${this.name}>`; }
  }
  const pts = [[3, 0], [1, 1], [3, 2], [1, 3], [2, 4]].map(([x, y]) => ({ x: x!, y: y! }));
  const p1 = pts[1]!;
  sorted(pts, (a, b) => a.x - b.x);
  const words = ["ccc", "a", "bb", "dddd", "e", "ff"];
  const named = [new Named("x"), new Named("y")];
  const maybe = [[1, 2], null, [3]];
  const bools = [true, false, true];
  const want = [
    pts.map((p) => p.y).join(""),
    String(pts.indexOf(p1)),
    String(pts.indexOf({ x: 1, y: 1 })),
    words.toSorted((a, b) => a.length - b.length).join(),
    words.filter((s) => s.length > 2).join(),
    words.map((s, i) => s.toUpperCase() + String(i).replace(/^(\d+)$/, "$1.0")).join(),
    pts.join(),
    named.join("+"),
    maybe.join(";"),
    String(maybe),
    bools.join(),
    words.includes("bb") ? "yes" : "no",
    String(bools.lastIndexOf(true)),
    sorted(["b", "a", "B", "10", "9"]).join(),
    sorted(bools.slice()).join(),
    sorted(named.slice()).join(),
  ].join("|");
  expect(mod.readString(mod.exports.elementTypes())).toBe(want);
});

describe("aborts", () => {
  ABORT_CASES.forEach(([code, want], k) => {
    it(code, () => {
      expect(abortMessage(k)).toBe(typeof want === "string" ? want : v8Error(want));
    });
  });
});
