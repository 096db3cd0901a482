// Differential tests: host-bindings/assembly/string.ts against the String methods of the V8 running
// this test (every code point for the case mappings and trim, random strings and positions for the rest).
//
// The case-mapping tables at the end of string.ts are generated from this V8 by `caseTables()` below;
// the first test checks that they are current. To rewrite them (after a Node/ICU upgrade):
//   STELP_WRITE_CASE_TABLES=1 npx vitest run test/runtime-string.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { AS_PRELUDE, prng, type AsModule } from "./helpers/as-harness.js";
import { compileWithAborts, v8Error } from "./helpers/as-abort.js";

const STRING_TS = join(dirname(fileURLToPath(import.meta.url)), "..", "host-bindings", "assembly", "string.ts");

// ---------------------------------------------------------------------------------------------
// Case tables, generated from V8

function isSurrogate(cp: number) {
  return cp >= 0xd800 && cp <= 0xdfff;
}

function caseTables(): string {
  const lines: string[] = [];
  const numbers = (values: number[], perLine = 16) => {
    const rows: string[] = [];
    for (let i = 0; i < values.length; i += perLine) rows.push("  " + values.slice(i, i + perLine).join(", ") + ",");
    return rows.join("\n");
  };
  let maxExpansion = 1;
  const mapping = (name: string, fn: (s: string) => string) => {
    const simple: [number, number][] = [];
    const special: [number, string][] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (isSurrogate(cp)) continue;
      const s = String.fromCodePoint(cp);
      const r = fn(s);
      if (r === s) continue;
      maxExpansion = Math.max(maxExpansion, Math.ceil(r.length / s.length));
      const cps = [...r].map((c) => c.codePointAt(0)!);
      if (cps.length === 1) simple.push([cp, cps[0]! - cp]);
      else special.push([cp, r]);
    }
    const mapped = new Set([...simple.map(([cp]) => cp), ...special.map(([cp]) => cp)]);
    // Rows: start << 11 | (end - start) << 1 | everyOther (u32), and the delta (i32) in a second table.
    const ranges: number[] = [];
    const deltas: number[] = [];
    for (let i = 0; i < simple.length; ) {
      const [start, delta] = simple[i]!;
      let end = start;
      let step = 1;
      let j = i + 1;
      const next = simple[j];
      if (next && next[1] === delta && next[0] === start + 1) {
        while (j < simple.length && simple[j]![1] === delta && simple[j]![0] === end + 1) (end++, j++);
      } else if (next && next[1] === delta && next[0] === start + 2 && !mapped.has(start + 1)) {
        step = 2;
        while (j < simple.length && simple[j]![1] === delta && simple[j]![0] === end + 2 && !mapped.has(end + 1)) (end += 2, j++);
      }
      if (end - start > 1023) throw new Error("case range too long for its 10 bits");
      ranges.push(start * 2048 + (end - start) * 2 + (step === 2 ? 1 : 0));
      deltas.push(delta);
      i = j;
    }
    // Rows: cp << 11 | offset << 2 | length, the mapping's code units at offset in the units table.
    const rows: number[] = [];
    const units: number[] = [];
    for (const [cp, r] of special) {
      if (units.length > 511 || r.length > 3) throw new Error("special case mappings do not fit their bits");
      rows.push(cp * 2048 + units.length * 4 + r.length);
      for (let k = 0; k < r.length; k++) units.push(r.charCodeAt(k));
    }
    lines.push(`// @ts-ignore: decorator\n@inline const ${name}_RANGE_COUNT: i32 = ${ranges.length};`);
    lines.push(`// @ts-ignore: decorator\n@lazy const ${name}_RANGES: usize = memory.data<u32>([\n${numbers(ranges, 10)}\n]);`);
    lines.push(`// @ts-ignore: decorator\n@lazy const ${name}_DELTAS: usize = memory.data<i32>([\n${numbers(deltas)}\n]);`);
    lines.push(`// @ts-ignore: decorator\n@inline const ${name}_SPECIAL_COUNT: i32 = ${special.length};`);
    lines.push(`// @ts-ignore: decorator\n@lazy const ${name}_SPECIALS: usize = memory.data<u32>([\n${numbers(rows.length ? rows : [0], 10)}\n]);`);
    lines.push(`// @ts-ignore: decorator\n@lazy const ${name}_SPECIAL_UNITS: usize = memory.data<u16>([\n${numbers(units.length ? units : [0])}\n]);`);
  };
  mapping("UPPER", (s) => s.toUpperCase());
  mapping("LOWER", (s) => s.toLowerCase());
  // Final_Sigma's character classes as ICU sees them, probed through V8: a cased letter before a
  // final sigma makes it final on its own; a case-ignorable one is skipped over.
  const cased: number[] = [];
  const ignorable: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (isSurrogate(cp)) continue;
    const c = String.fromCodePoint(cp);
    if ((c + "Σ").toLowerCase().endsWith("ς")) cased.push(cp);
    else if (("A" + c + "Σ").toLowerCase().endsWith("ς")) ignorable.push(cp);
  }
  // Rows: start << 11 | (end - start), at most 2047 apart (longer runs take several rows).
  const rangesOf = (list: number[]) => {
    const pairs: [number, number][] = [];
    for (const cp of list) {
      const last = pairs[pairs.length - 1];
      if (last && last[1] === cp - 1 && cp - last[0] < 2048) last[1] = cp;
      else pairs.push([cp, cp]);
    }
    return pairs.map(([a, b]) => a * 2048 + (b - a));
  };
  const casedRanges = rangesOf(cased);
  const ignorableRanges = rangesOf(ignorable);
  lines.push(`// @ts-ignore: decorator\n@inline const CASED_COUNT: i32 = ${casedRanges.length};`);
  lines.push(`// @ts-ignore: decorator\n@lazy const CASED: usize = memory.data<u32>([\n${numbers(casedRanges, 10)}\n]);`);
  lines.push(`// @ts-ignore: decorator\n@inline const CASE_IGNORABLE_COUNT: i32 = ${ignorableRanges.length};`);
  lines.push(`// @ts-ignore: decorator\n@lazy const CASE_IGNORABLE: usize = memory.data<u32>([\n${numbers(ignorableRanges, 10)}\n]);`);
  return [
    `// BEGIN GENERATED CASE TABLES (from Node ${process.version}, ICU ${process.versions.icu}, Unicode ${process.versions.unicode})`,
    "// @ts-ignore: decorator",
    `@inline const MAX_EXPANSION: usize = ${maxExpansion};`,
    ...lines,
    "// END GENERATED CASE TABLES",
  ].join("\n");
}

const TABLES_RE = /\/\/ BEGIN GENERATED CASE TABLES[^]*\/\/ END GENERATED CASE TABLES/;

{
  // Rewrite before compiling, so that the rest of the run uses the fresh tables.
  if (process.env.STELP_WRITE_CASE_TABLES === "1") {
    const text = readFileSync(STRING_TS, "utf8");
    writeFileSync(STRING_TS, text.replace(TABLES_RE, () => caseTables()));
  }
}

it("the case tables in string.ts are those of this V8", () => {
  // The first line names the Node/ICU versions; only the tables themselves have to agree.
  const body = (text: string | undefined) => text?.slice(text.indexOf("\n"));
  const current = body(readFileSync(STRING_TS, "utf8").match(TABLES_RE)?.[0]);
  expect(current === body(caseTables()), "run STELP_WRITE_CASE_TABLES=1 npx vitest run test/runtime-string.test.ts").toBe(true);
});

// ---------------------------------------------------------------------------------------------
// Batched calls: many (strings, numbers) cases per call into the module

/** AS side of the batch protocol: strings arrive packed in one string (lengths in the f64 inputs, then the numbers). */
const PACK_PRELUDE = `
${AS_PRELUDE}
let __strs = new Array<string>(0);
let __strAt = 0;
let __numAt = 0;
let __outNums = new Array<f64>(0);
let __outStrs = new Array<string>(0);
export function __load(packed: string, nStrs: i32): void {
  __strs = new Array<string>(nStrs);
  let at = 0;
  for (let i = 0; i < nStrs; i++) {
    const len = <i32>readInput(i);
    unchecked((__strs[i] = packed.substring(at, at + len)));
    at += len;
  }
  __strAt = 0;
  __numAt = nStrs;
  __outNums = new Array<f64>(0);
  __outStrs = new Array<string>(0);
}
function nextStr(): string { return unchecked(__strs[__strAt++]); }
function nextNum(): f64 { return readInput(__numAt++); }
function putNum(x: f64): void { __outNums.push(x); }
function putStr(s: string): void { __outStrs.push(s); }
export function __outStrCount(): i32 { return __outStrs.length; }
export function __outNumCount(): i32 { return __outNums.length; }
export function __flush(): string {
  const n = __outStrs.length;
  for (let i = 0; i < n; i++) writeOutput(i, <f64>unchecked(__outStrs[i]).length);
  for (let j = 0; j < __outNums.length; j++) writeOutput(n + j, unchecked(__outNums[j]));
  return __outStrs.join("");
}
`;

function writeString(mod: AsModule, s: string): number {
  const ptr = mod.exports.__new(s.length * 2, 2) as number; // class id 2: string
  const units = new Uint16Array(mod.memory.buffer, ptr, s.length);
  for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
  return ptr;
}

/** Runs `run(op, count)` over the packed cases; returns the output strings and numbers in order. */
function callBatch(mod: AsModule, op: number, count: number, strs: string[], nums: number[]) {
  mod.setInputs([...strs.map((s) => s.length), ...nums]);
  const ptr = writeString(mod, strs.join(""));
  mod.exports.__pin(ptr);
  mod.exports.__load(ptr, strs.length);
  mod.exports.__unpin(ptr);
  mod.exports.run(op, count);
  const nS = mod.exports.__outStrCount() as number;
  const nN = mod.exports.__outNumCount() as number;
  mod.allocOutputs(nS + nN);
  const joined = mod.readString(mod.exports.__flush());
  const values = mod.readOutputs(nS + nN);
  const outStrs: string[] = [];
  let at = 0;
  for (let i = 0; i < nS; i++) {
    outStrs.push(joined.slice(at, at + values[i]!));
    at += values[i]!;
  }
  return { strs: outStrs, nums: Array.from(values.subarray(nS)) };
}

// ---------------------------------------------------------------------------------------------
// The operations under test

type Out = "str" | "num" | "bool" | "strs";
interface Op {
  /** AS expression over s, t, r (strings) and x, y (numbers). */
  as: string;
  js: (...args: any[]) => unknown;
  strs: number;
  nums: number;
  out: Out;
}

const UNDEF = "\uffff<undefined>";

const OPS: Record<string, Op> = {
  charAt: { as: "S.__js_str_char_at(s, x)", js: (s, x) => s.charAt(x), strs: 1, nums: 1, out: "str" },
  charAt0: { as: "S.__js_str_char_at(s)", js: (s) => s.charAt(), strs: 1, nums: 0, out: "str" },
  charCodeAt: { as: "S.__js_str_char_code_at(s, x)", js: (s, x) => s.charCodeAt(x), strs: 1, nums: 1, out: "num" },
  codePointAt: {
    as: "S.__js_str_pos_in_range(s, x) ? S.__js_str_code_point_at(s, x) : -12345",
    js: (s, x) => s.codePointAt(x) ?? -12345,
    strs: 1, nums: 1, out: "num",
  },
  codePointAtNaN: { as: "S.__js_str_code_point_at(s, x)", js: (s, x) => s.codePointAt(x) ?? NaN, strs: 1, nums: 1, out: "num" },
  at: { as: `S.__js_str_at_in_range(s, x) ? S.__js_str_at(s, x) : "${UNDEF}"`, js: (s, x) => s.at(x) ?? UNDEF, strs: 1, nums: 1, out: "str" },
  index: { as: `S.__js_str_has_index(s, x) ? S.__js_str_get(s, x) : "${UNDEF}"`, js: (s, x) => s[x] ?? UNDEF, strs: 1, nums: 1, out: "str" },
  length: { as: "S.__js_str_length(s)", js: (s) => s.length, strs: 1, nums: 0, out: "num" },
  slice2: { as: "S.__js_str_slice(s, x, y)", js: (s, x, y) => s.slice(x, y), strs: 1, nums: 2, out: "str" },
  slice1: { as: "S.__js_str_slice(s, x)", js: (s, x) => s.slice(x), strs: 1, nums: 1, out: "str" },
  substring2: { as: "S.__js_str_substring(s, x, y)", js: (s, x, y) => s.substring(x, y), strs: 1, nums: 2, out: "str" },
  substring1: { as: "S.__js_str_substring(s, x)", js: (s, x) => s.substring(x), strs: 1, nums: 1, out: "str" },
  substr2: { as: "S.__js_str_substr(s, x, y)", js: (s, x, y) => s.substr(x, y), strs: 1, nums: 2, out: "str" },
  substr1: { as: "S.__js_str_substr(s, x)", js: (s, x) => s.substr(x), strs: 1, nums: 1, out: "str" },
  indexOf2: { as: "S.__js_str_index_of(s, t, x)", js: (s, t, x) => s.indexOf(t, x), strs: 2, nums: 1, out: "num" },
  indexOf1: { as: "S.__js_str_index_of(s, t)", js: (s, t) => s.indexOf(t), strs: 2, nums: 0, out: "num" },
  lastIndexOf2: { as: "S.__js_str_last_index_of(s, t, x)", js: (s, t, x) => s.lastIndexOf(t, x), strs: 2, nums: 1, out: "num" },
  lastIndexOf1: { as: "S.__js_str_last_index_of(s, t)", js: (s, t) => s.lastIndexOf(t), strs: 2, nums: 0, out: "num" },
  includes2: { as: "S.__js_str_includes(s, t, x)", js: (s, t, x) => s.includes(t, x), strs: 2, nums: 1, out: "bool" },
  includes1: { as: "S.__js_str_includes(s, t)", js: (s, t) => s.includes(t), strs: 2, nums: 0, out: "bool" },
  startsWith2: { as: "S.__js_str_starts_with(s, t, x)", js: (s, t, x) => s.startsWith(t, x), strs: 2, nums: 1, out: "bool" },
  startsWith1: { as: "S.__js_str_starts_with(s, t)", js: (s, t) => s.startsWith(t), strs: 2, nums: 0, out: "bool" },
  endsWith2: { as: "S.__js_str_ends_with(s, t, x)", js: (s, t, x) => s.endsWith(t, x), strs: 2, nums: 1, out: "bool" },
  endsWith1: { as: "S.__js_str_ends_with(s, t)", js: (s, t) => s.endsWith(t), strs: 2, nums: 0, out: "bool" },
  split1: { as: "S.__js_str_split(s, t)", js: (s, t) => s.split(t), strs: 2, nums: 0, out: "strs" },
  split2: { as: "S.__js_str_split(s, t, x)", js: (s, t, x) => s.split(t, x), strs: 2, nums: 1, out: "strs" },
  splitUndefined: { as: "S.__js_str_split_undefined(s, x)", js: (s, x) => s.split(undefined, x), strs: 1, nums: 1, out: "strs" },
  splitNone: { as: "S.__js_str_split_undefined(s)", js: (s) => s.split(), strs: 1, nums: 0, out: "strs" },
  repeat: { as: "S.__js_str_repeat(s, x)", js: (s, x) => s.repeat(x), strs: 1, nums: 1, out: "str" },
  padStart2: { as: "S.__js_str_pad_start(s, x, t)", js: (s, t, x) => s.padStart(x, t), strs: 2, nums: 1, out: "str" },
  padStart1: { as: "S.__js_str_pad_start(s, x)", js: (s, x) => s.padStart(x), strs: 1, nums: 1, out: "str" },
  padEnd2: { as: "S.__js_str_pad_end(s, x, t)", js: (s, t, x) => s.padEnd(x, t), strs: 2, nums: 1, out: "str" },
  padEnd1: { as: "S.__js_str_pad_end(s, x)", js: (s, x) => s.padEnd(x), strs: 1, nums: 1, out: "str" },
  trim: { as: "S.__js_str_trim(s)", js: (s) => s.trim(), strs: 1, nums: 0, out: "str" },
  trimStart: { as: "S.__js_str_trim_start(s)", js: (s) => s.trimStart(), strs: 1, nums: 0, out: "str" },
  trimEnd: { as: "S.__js_str_trim_end(s)", js: (s) => s.trimEnd(), strs: 1, nums: 0, out: "str" },
  replace: { as: "S.__js_str_replace(s, t, r)", js: (s, t, r) => s.replace(t, r), strs: 3, nums: 0, out: "str" },
  replaceAll: { as: "S.__js_str_replace_all(s, t, r)", js: (s, t, r) => s.replaceAll(t, r), strs: 3, nums: 0, out: "str" },
  replaceFn: {
    as: "S.__js_str_replace_fn(s, t, new Replacer())",
    js: (s, t) => s.replace(t, (m: string, o: number, w: string) => `[${m}|${o}|${w.length}]`),
    strs: 2, nums: 0, out: "str",
  },
  replaceAllFn: {
    as: "S.__js_str_replace_all_fn(s, t, new Replacer())",
    js: (s, t) => s.replaceAll(t, (m: string, o: number, w: string) => `[${m}|${o}|${w.length}]`),
    strs: 2, nums: 0, out: "str",
  },
  toUpperCase: { as: "S.__js_str_to_upper_case(s)", js: (s) => s.toUpperCase(), strs: 1, nums: 0, out: "str" },
  toLowerCase: { as: "S.__js_str_to_lower_case(s)", js: (s) => s.toLowerCase(), strs: 1, nums: 0, out: "str" },
  codePoints: { as: "S.__js_str_code_points(s)", js: (s) => [...s], strs: 1, nums: 0, out: "strs" },
  compare: { as: "<f64>S.__js_str_compare(s, t)", js: (s, t) => (s < t ? -1 : s > t ? 1 : 0), strs: 2, nums: 0, out: "num" },
  lt: { as: "S.__js_str_lt(s, t)", js: (s, t) => s < t, strs: 2, nums: 0, out: "bool" },
  le: { as: "S.__js_str_le(s, t)", js: (s, t) => s <= t, strs: 2, nums: 0, out: "bool" },
  gt: { as: "S.__js_str_gt(s, t)", js: (s, t) => s > t, strs: 2, nums: 0, out: "bool" },
  ge: { as: "S.__js_str_ge(s, t)", js: (s, t) => s >= t, strs: 2, nums: 0, out: "bool" },
  fromCharCode: { as: "S.__js_str_from_char_code(x)", js: (x) => String.fromCharCode(x), strs: 0, nums: 1, out: "str" },
  fromCharCodes: { as: "S.__js_str_from_char_codes([x, y])", js: (x, y) => String.fromCharCode(x, y), strs: 0, nums: 2, out: "str" },
  fromCharCodeArray: { as: "S.__js_str_from_char_code_array([x, y, x])", js: (x, y) => String.fromCharCode(...[x, y, x]), strs: 0, nums: 2, out: "str" },
  fromCodePoint: { as: "S.__js_str_from_code_point(x)", js: (x) => String.fromCodePoint(x), strs: 0, nums: 1, out: "str" },
  fromCodePoints: { as: "S.__js_str_from_code_points([x, y])", js: (x, y) => String.fromCodePoint(x, y), strs: 0, nums: 2, out: "str" },
  fromCodePointArray: { as: "S.__js_str_from_code_point_array([y, x])", js: (x, y) => String.fromCodePoint(y, x), strs: 0, nums: 2, out: "str" },
  isWellFormed: { as: "S.__js_str_is_well_formed(s)", js: (s) => s.isWellFormed(), strs: 1, nums: 0, out: "bool" },
  toWellFormed: { as: "S.__js_str_to_well_formed(s)", js: (s) => s.toWellFormed(), strs: 1, nums: 0, out: "str" },
};
const OP_NAMES = Object.keys(OPS);

function opCase(op: Op): string {
  const decl: string[] = [];
  ["s", "t", "r"].slice(0, op.strs).forEach((n) => decl.push(`const ${n} = nextStr();`));
  ["x", "y"].slice(0, op.nums).forEach((n) => decl.push(`const ${n} = nextNum();`));
  let put: string;
  switch (op.out) {
    case "str": put = `putStr(${op.as});`; break;
    case "num": put = `putNum(${op.as});`; break;
    case "bool": put = `putNum((${op.as}) ? 1.0 : 0.0);`; break;
    case "strs": put = `const list = ${op.as}; putNum(<f64>list.length); for (let j = 0; j < list.length; j++) putStr(list[j]);`; break;
  }
  return `{ ${decl.join(" ")} ${put} }`;
}

const SOURCE = `
import * as S from "./stelp/string";
import { __Fn3 } from "./stelp/closure";
import { __js_num_to_string } from "./stelp/number";
${PACK_PRELUDE}
class Replacer extends __Fn3<string, f64, string, string> {
  call(m: string, o: f64, w: string): string { return "[" + m + "|" + __js_num_to_string(o) + "|" + w.length.toString() + "]"; }
}
export function run(op: i32, n: i32): void {
  switch (op) {
    ${OP_NAMES.map((name, i) => `case ${i}: for (let i = 0; i < n; i++) ${opCase(OPS[name]!)} break;`).join("\n    ")}
  }
}
/** Cases that abort: each runs in a fresh instance. */
export function abortCase(k: i32): void {
  switch (k) {
    ${[
      `S.__js_str_repeat("ab", -1)`,
      `S.__js_str_repeat("ab", -1.5)`,
      `S.__js_str_repeat("", Infinity)`,
      `S.__js_str_repeat("ab", -Infinity)`,
      `S.__js_str_repeat("ab", 268435456)`,
      `S.__js_str_from_code_point(1.5)`,
      `S.__js_str_from_code_point(-1)`,
      `S.__js_str_from_code_point(NaN)`,
      `S.__js_str_from_code_point(1114112)`,
      `S.__js_str_from_code_points([65, Infinity])`,
      `S.__js_str_pad_start("a", 1073741824)`,
      `S.__js_str_pad_end("a", Infinity, "xy")`,
      `S.__js_str_at("abc", 3)`,
      `S.__js_str_at("abc", -4)`,
      `S.__js_str_get("abc", 3)`,
      `S.__js_str_get("abc", 1.5)`,
      `S.__js_str_get("abc", -1)`,
    ].map((c, i) => `case ${i}: ${c}; break;`).join("\n    ")}
  }
}
`;

let mod: AsModule;
let abortMessage: (k: number) => string;

beforeAll(async () => {
  ({ mod, abortMessage } = await compileWithAborts(SOURCE, ""));
}, 60_000);

// ---------------------------------------------------------------------------------------------
// Inputs

const PALETTE = [
  "a", "b", "c", "A", "B", "ab", " ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u1680", "\u2000", "\u200a", "\u200b", "\u2028",
  "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u180e", "\u0085", "$", "&", "`", "'", "<", "1", "2", "Σ", "σ", "ς", "ß",
  "İ", "ı", "ŉ", "ǰ", "\u0345", "\u0301", "\u0307", "Ω", "ﬀ", "ÿ", "µ", "😀", "𐐀", "𐐨", "\ud800", "\udc00", "\udbff", "\udfff", "é",
];

type Rng = ReturnType<typeof prng>;

function randomString(rng: Rng, maxLen: number, palette = PALETTE): string {
  const n = rng.int(maxLen + 1);
  let s = "";
  for (let i = 0; i < n; i++) s += palette[rng.int(palette.length)];
  return s;
}

/** A search string: often a piece of s, sometimes random or empty. */
function searchFor(rng: Rng, s: string): string {
  switch (rng.int(5)) {
    case 0: return "";
    case 1: return randomString(rng, 3);
    case 2: return s + "a";
    default: {
      const a = rng.int(s.length + 1);
      return s.slice(a, a + rng.int(4));
    }
  }
}

/** A position argument: mostly near the string's range, plus every kind of awkward number. */
function position(rng: Rng, len: number): number {
  switch (rng.int(12)) {
    case 0: return NaN;
    case 1: return rng.int(2) ? Infinity : -Infinity;
    case 2: return -0;
    case 3: return (rng.int(2) ? 1 : -1) * (2 ** 32 + rng.int(5) - 2);
    case 4: return (rng.float() - 0.5) * 2 * (len + 3);
    case 5: return rng.int(2) ? 2 ** 31 : -(2 ** 31) - 1;
    case 6: return (rng.int(2) ? 1 : -1) * 1e300;
    default: return rng.int(2 * len + 7) - len - 3;
  }
}

function casesFor(name: string, rng: Rng, count: number): { strs: string[]; nums: number[]; args: unknown[][] } {
  const op = OPS[name]!;
  const strs: string[] = [];
  const nums: number[] = [];
  const args: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    const s = randomString(rng, 12);
    const caseStrs = [s, searchFor(rng, s), randomString(rng, 5, ["$", "$", "&", "`", "'", "<", "1", "0", "x", "$$"])].slice(0, op.strs);
    let caseNums: number[];
    switch (name) {
      case "repeat": caseNums = [[0, 1, 2, 3, 2.7, NaN, -0.5, 0.9, 4][rng.int(9)]!]; break;
      case "padStart2": case "padStart1": case "padEnd2": case "padEnd1": {
        const r = rng.int(6);
        caseNums = [r === 0 ? NaN : r === 1 ? -Infinity : r === 2 ? rng.float() * 20 : rng.int(s.length + 12) - 2];
        if (name.endsWith("2")) caseStrs[1] = randomString(rng, 3);
        break;
      }
      case "split2": case "splitUndefined": {
        const r = rng.int(8);
        caseNums = [[NaN, Infinity, -1, 2 ** 32 + 1, 1.5, -0, 2 ** 32][r] ?? rng.int(6)];
        break;
      }
      case "fromCharCode": case "fromCharCodes": case "fromCharCodeArray":
        caseNums = [0, 0].map(() => (rng.int(3) === 0 ? position(rng, 70000) : rng.int(3) === 0 ? (rng.float() - 0.5) * 2 ** rng.int(60) : rng.int(0x10000)));
        break;
      case "fromCodePoint": case "fromCodePoints": case "fromCodePointArray":
        caseNums = [0, 0].map(() => (rng.int(2) ? rng.int(0x110000) : rng.int(0x10000)));
        if (rng.int(10) === 0) caseNums[0] = -0;
        break;
      default:
        caseNums = [0, 0].map(() => position(rng, s.length));
    }
    caseNums = caseNums.slice(0, op.nums);
    strs.push(...caseStrs);
    nums.push(...caseNums);
    args.push(op.strs === 0 ? caseNums : name.startsWith("pad") && op.strs === 2 ? [caseStrs[0], caseStrs[1], caseNums[0]] : [...caseStrs, ...caseNums]);
  }
  return { strs, nums, args };
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}

function show(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  return JSON.stringify(v);
}

/** Runs `name` over the cases in the module and in V8; returns the mismatch count and examples. */
function compareOp(name: string, cases: { strs: string[]; nums: number[]; args: unknown[][] }) {
  const op = OPS[name]!;
  const { strs, nums } = callBatch(mod, OP_NAMES.indexOf(name), cases.args.length, cases.strs, cases.nums);
  let si = 0;
  let ni = 0;
  let bad = 0;
  const examples: string[] = [];
  for (const args of cases.args) {
    const want = op.js(...args);
    let got: unknown;
    switch (op.out) {
      case "str": got = strs[si++]; break;
      case "num": got = nums[ni++]; break;
      case "bool": got = nums[ni++] === 1; break;
      case "strs": {
        const n = nums[ni++]!;
        got = strs.slice(si, si + n);
        si += n;
        break;
      }
    }
    const ok = op.out === "strs" ? JSON.stringify(got) === JSON.stringify(want) : sameValue(got, want);
    if (!ok) {
      bad++;
      if (examples.length < 6) examples.push(`${name}(${args.map(show).join(", ")}): got ${show(got)}, V8 ${show(want)}`);
    }
  }
  return { bad, examples };
}

// ---------------------------------------------------------------------------------------------
// Tests

describe("string methods match V8 on random inputs", () => {
  OP_NAMES.forEach((name, index) => {
    it(name, () => {
      const rng = prng(1000 + index);
      const result = compareOp(name, casesFor(name, rng, 3000));
      expect(result.examples, `${result.bad} of 3000 differ`).toEqual([]);
    });
  });
});

describe("case mapping matches V8", () => {
  const allCodePoints: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) if (!isSurrogate(cp)) allCodePoints.push(cp);

  for (const name of ["toUpperCase", "toLowerCase"]) {
    it(`${name} of every code point`, () => {
      // One string, code points separated by spaces (which no mapping touches and no context crosses).
      const input = allCodePoints.map((cp) => String.fromCodePoint(cp)).join(" ") + " \ud800 \udfff \ud800\ud800";
      const { strs } = callBatch(mod, OP_NAMES.indexOf(name), 1, [input], []);
      const got = strs[0]!.split(" ");
      const want = (OPS[name]!.js(input) as string).split(" ");
      const parts = input.split(" ");
      const bad: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (got[i] !== want[i]) bad.push(`U+${parts[i]!.codePointAt(0)!.toString(16)}: got ${JSON.stringify(got[i])}, V8 ${JSON.stringify(want[i])}`);
      }
      expect(got.length).toBe(want.length);
      expect(bad.slice(0, 8), `${bad.length} of ${parts.length} code points differ`).toEqual([]);
    });
  }

  it("toLowerCase/toUpperCase in context (Final_Sigma) on random strings", () => {
    const rng = prng(77);
    const palette = ["Σ", "Σ", "Σ", "σ", "Α", "a", "A", " ", ".", "'", "\u00ad", "\u0301", "\u0345", "\u0307", "1", "𐐀", "𐐨", "\ud800", "\udc00", "İ", "ß", ":", "\u02b0", "\u1d2c", "ǅ", "\u200d", "\ufe00", "\u{e0100}", "\u{1d167}"];
    for (const name of ["toLowerCase", "toUpperCase"]) {
      const strs: string[] = [];
      const args: unknown[][] = [];
      for (let i = 0; i < 20000; i++) {
        const s = randomString(rng, 9, palette);
        strs.push(s);
        args.push([s]);
      }
      const result = compareOp(name, { strs, nums: [], args });
      expect(result.examples, `${name}: ${result.bad} of 20000 differ`).toEqual([]);
    }
  });

  it("long mixed strings", () => {
    const rng = prng(78);
    for (const name of ["toLowerCase", "toUpperCase"]) {
      const strs: string[] = [];
      const args: unknown[][] = [];
      for (let i = 0; i < 200; i++) {
        let s = "";
        const n = rng.int(300);
        for (let k = 0; k < n; k++) s += rng.int(4) ? String.fromCharCode(32 + rng.int(95)) : String.fromCodePoint(rng.int(3) ? rng.int(0x3000) : rng.int(0x20000));
        strs.push(s);
        args.push([s]);
      }
      const result = compareOp(name, { strs, nums: [], args });
      expect(result.examples, `${name}: ${result.bad} of 200 differ`).toEqual([]);
    }
  });
});

describe("trim matches V8 on every BMP code unit", () => {
  for (const name of ["trim", "trimStart", "trimEnd"]) {
    it(name, () => {
      const strs: string[] = [];
      const args: unknown[][] = [];
      for (let c = 0; c < 0x10000; c++) {
        const ch = String.fromCharCode(c);
        const s = ch + ch + "a" + ch + "b" + ch;
        strs.push(s);
        args.push([s]);
      }
      const result = compareOp(name, { strs, nums: [], args });
      expect(result.examples, `${result.bad} differ`).toEqual([]);
    });
  }
});

describe("edge cases", () => {
  const cases: [string, unknown[]][] = [
    ["split1", ["", ""]],
    ["split1", ["", "a"]],
    ["split1", ["abc", ""]],
    ["split1", ["a,b,,c,", ","]],
    ["split2", ["a,b,c", ",", 2]],
    ["split2", ["a,b,c", ",", 0]],
    ["split2", ["abc", "", 2]],
    ["split2", ["abc", "", -1]],
    ["splitNone", ["abc"]],
    ["splitUndefined", ["abc", 0]],
    ["replace", ["abc", "", "-"]],
    ["replaceAll", ["abc", "", "-"]],
    ["replaceAll", ["", "", "-"]],
    ["replaceAll", ["aaaa", "aa", "b"]],
    ["replace", ["abcabc", "b", "[$$|$&|$`|$'|$0|$1|$<n>|$]"]],
    ["replaceAll", ["abcabc", "b", "[$$|$&|$`|$'|$01|$10|$<|$]"]],
    ["replace", ["abc", "c", "$'$"]],
    ["replaceAllFn", ["abab", "b"]],
    ["replaceAllFn", ["ab", ""]],
    ["lastIndexOf2", ["canal", "a", 0]],
    ["lastIndexOf2", ["canal", "a", 2]],
    ["lastIndexOf2", ["canal", "", 2]],
    ["lastIndexOf2", ["canal", "", NaN]],
    ["lastIndexOf2", ["canal", "x", Infinity]],
    ["indexOf2", ["abc", "", 10]],
    ["indexOf2", ["abc", "", -5]],
    ["substr2", ["abc", -2, 1]],
    ["substr2", ["abc", 1, -1]],
    ["substr2", ["abc", -Infinity, 2]],
    ["substring2", ["abc", 2, 0]],
    ["substring2", ["abc", NaN, 2]],
    ["slice2", ["abc", -2, -1]],
    ["endsWith2", ["abc", "b", 2]],
    ["endsWith2", ["abc", "", NaN]],
    ["startsWith2", ["abc", "c", 2]],
    ["repeat", ["", 5]],
    ["repeat", ["ab", 0]],
    ["padStart2", ["5", "0", 3]],
    ["padStart2", ["abc", "", 10]],
    ["padEnd2", ["abc", "123", 10]],
    ["padStart1", ["abc", 6]],
    ["toLowerCase", ["ΑΣ"]],
    ["toLowerCase", ["ΑΣ Α"]],
    ["toLowerCase", ["Σ"]],
    ["toLowerCase", ["ΑΣΑ"]],
    ["toLowerCase", ["Α.Σ"]],
    ["toLowerCase", ["ΑΣ."]],
    ["toLowerCase", ["ΑΣ.Α"]],
    ["toLowerCase", ["İ"]],
    ["toUpperCase", ["ß"]],
    ["toUpperCase", ["ﬃ"]],
    ["toUpperCase", ["ΐ"]],
    ["codePoints", ["a😀b\ud800c\udc00"]],
    ["codePointAt", ["😀", 0]],
    ["codePointAt", ["😀", 1]],
    ["codePointAt", ["\ud800", 0]],
    ["at", ["abc", -1]],
    ["at", ["abc", -4]],
    ["at", ["abc", 2.9]],
    ["charAt", ["abc", -0.5]],
    ["index", ["abc", -0]],
    ["index", ["abc", 1.5]],
    ["fromCharCode", [65601]],
    ["fromCharCode", [-1]],
    ["fromCharCode", [65.9]],
    ["fromCodePoint", [0x1f600]],
    ["compare", ["a", "B"]],
    ["compare", ["\uffff", "😀"]],
    ["compare", ["ab", "abc"]],
  ];
  it("hand-picked cases", () => {
    const bad: string[] = [];
    for (const [name, args] of cases) {
      const op = OPS[name]!;
      const strs = args.filter((a) => typeof a === "string") as string[];
      const nums = args.filter((a) => typeof a === "number") as number[];
      const orderedArgs = name.startsWith("pad") && op.strs === 2 ? [strs[0], strs[1], nums[0]] : op.strs === 0 ? nums : [...strs, ...nums];
      const result = compareOp(name, { strs, nums, args: [orderedArgs] });
      bad.push(...result.examples);
    }
    expect(bad).toEqual([]);
  });
});

describe("errors", () => {
  const expected: (string | (() => unknown))[] = [
    () => "ab".repeat(-1),
    () => "ab".repeat(-1.5),
    () => "".repeat(Infinity),
    () => "ab".repeat(-Infinity),
    () => "ab".repeat(268435456),
    () => String.fromCodePoint(1.5),
    () => String.fromCodePoint(-1),
    () => String.fromCodePoint(NaN),
    () => String.fromCodePoint(1114112),
    () => String.fromCodePoint(65, Infinity),
    () => "a".padStart(1073741824),
    () => "a".padEnd(Infinity, "xy"),
    "at(3) is out of bounds (length 3): JavaScript would return undefined",
    "at(-4) is out of bounds (length 3): JavaScript would return undefined",
    "index 3 is out of bounds (length 3): JavaScript would read undefined",
    "index 1.5 is out of bounds (length 3): JavaScript would read undefined",
    "index -1 is out of bounds (length 3): JavaScript would read undefined",
  ];
  expected.forEach((want, k) => {
    it(`abort case ${k}`, () => {
      expect(abortMessage(k)).toBe(typeof want === "string" ? want : v8Error(want));
    });
  });
});
