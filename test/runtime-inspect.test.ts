// Differential tests: host-bindings/assembly/inspect.ts (console.log / util.inspect formatting)
// against the util.inspect / util.format of the Node running this test, on thousands of random
// nested values (arrays, records with odd keys, class instances, Maps, Sets, cycles, strings with
// quotes, escapes, unicode and lone surrogates, long and wide values) and on hand-picked cases.
//
// JavaScript values are encoded as text (numbers by index into the f64 input buffer); the AS test
// module decodes them into __InspectNode trees with the public constructors, exactly as generated
// code would build them (a `levels` budget, stubs beyond it, the first 101 array elements), and
// formats them.
import { inspect, format } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { AS_PRELUDE, compileAs, f64FromBits, type AsModule } from "./helpers/as-harness.js";

const SOURCE = `
import * as I from "./stelp/inspect";
import { __JsMap, __JsSet, __JsDict } from "./stelp/collections";
${AS_PRELUDE}
let input: string = "";
let pos: i32 = 0;
export function allocInput(len: i32): usize {
  input = changetype<string>(__new(<usize>len << 1, idof<string>()));
  pos = 0;
  return changetype<usize>(input);
}
function readInt(): i32 {
  let v = 0;
  while (true) {
    const c = input.charCodeAt(pos++);
    if (c == 59) return v; // ';'
    v = v * 10 + (c - 48);
  }
  return v;
}
function readStr(): string {
  const n = readInt();
  const s = input.substring(pos, pos + n);
  pos += n;
  return s;
}
function readNode(): I.__InspectNode {
  const tag = input.charCodeAt(pos++);
  if (tag == 78) return I.__inspect_num(readInput(readInt())); // N
  if (tag == 83) return I.__inspect_str(readStr()); // S
  if (tag == 84) return I.__inspect_text(readStr()); // T
  if (tag == 66) return I.__inspect_bool(readInt() != 0); // B
  if (tag == 88) { // X stub
    const kind = readInt();
    const ref = <usize>readInt();
    const count = readInt();
    return I.__inspect_stub(kind, readStr(), ref, count);
  }
  if (tag == 65) { // A
    const ref = <usize>readInt();
    const n = I.__inspect_array(ref, readInt());
    const k = readInt();
    for (let i = 0; i < k; i++) n.add(readNode());
    return n;
  }
  if (tag == 79) { // O
    const ref = <usize>readInt();
    const n = I.__inspect_object(ref, readStr());
    const k = readInt();
    for (let i = 0; i < k; i++) {
      const key = readStr();
      n.prop(key, readNode());
    }
    return n;
  }
  if (tag == 77) { // M
    const ref = <usize>readInt();
    const n = I.__inspect_map(ref, readInt());
    const k = readInt();
    for (let i = 0; i < k; i++) {
      const key = readNode();
      n.entry(key, readNode());
    }
    return n;
  }
  if (tag == 69) { // E (Set)
    const ref = <usize>readInt();
    const n = I.__inspect_set(ref, readInt());
    const k = readInt();
    for (let i = 0; i < k; i++) n.add(readNode());
    return n;
  }
  abort("bad tag");
  return I.__inspect_text("");
}
/** Decodes \`count\` values and formats each: mode 0 util.inspect, 1 console.log argument, 2 depth 0, 3 depth 4. Results are length-prefixed. */
export function formatAll(count: i32, mode: i32): string {
  const out = new Array<string>(0);
  for (let i = 0; i < count; i++) {
    const node = readNode();
    const s = mode == 0 ? I.__js_inspect(node) : mode == 1 ? I.__js_inspect_log(node) : I.__js_inspect_depth(node, mode == 2 ? 0 : 4);
    out.push(s.length.toString() + ";" + s);
  }
  return out.join("");
}
export function quoteAll(count: i32, which: i32): string {
  const out = new Array<string>(0);
  for (let i = 0; i < count; i++) {
    const s = readStr();
    const r = which == 0 ? I.__js_inspect_string_quoted(s) : I.__js_inspect_key(s);
    out.push(r.length.toString() + ";" + r);
  }
  return out.join("");
}
/** The typed fast paths and generics: sizes come first in the input buffer, then the numbers. */
export function typedF64(count: i32): string {
  const out = new Array<string>(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = <i32>readInput(at++);
    const a = new Array<f64>(n);
    for (let j = 0; j < n; j++) a[j] = readInput(at++);
    const s = I.__js_inspect_array_f64(a);
    out.push(s.length.toString() + ";" + s);
  }
  return out.join("");
}
export function typedNested(count: i32): string {
  const out = new Array<string>(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = <i32>readInput(at++);
    const a = new Array<Array<f64>>(n);
    for (let j = 0; j < n; j++) {
      const m = <i32>readInput(at++);
      const row = new Array<f64>(m);
      for (let k = 0; k < m; k++) row[k] = readInput(at++);
      a[j] = row;
    }
    const s = I.__js_inspect_value<Array<Array<f64>>>(a);
    out.push(s.length.toString() + ";" + s);
  }
  return out.join("");
}
export function typedStrings(count: i32): string {
  const out = new Array<string>(0);
  for (let i = 0; i < count; i++) {
    const n = readInt();
    const a = new Array<string>(n);
    for (let j = 0; j < n; j++) a[j] = readStr();
    const s = I.__js_inspect_array_string(a);
    out.push(s.length.toString() + ";" + s);
  }
  return out.join("");
}
export function typedBools(count: i32): string {
  const out = new Array<string>(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = <i32>readInput(at++);
    const a = new Array<bool>(n);
    for (let j = 0; j < n; j++) a[j] = readInput(at++) != 0;
    const s = I.__js_inspect_array_bool(a);
    out.push(s.length.toString() + ";" + s);
  }
  return out.join("");
}
export function collections(): string {
  const m = new __JsMap<string, Array<f64>>();
  m.set("a", [1, 2]);
  m.set("b c", []);
  const s = new __JsSet<f64>();
  s.add(NaN); s.add(-0.0); s.add(3);
  const d = new __JsDict<__JsSet<f64>>();
  d.set("z", s);
  d.set("10", new __JsSet<f64>());
  d.set("2", s);
  d.set("it's", s);
  const nested = new __JsMap<f64, __JsDict<__JsSet<f64>>>();
  nested.set(1, d);
  const big = new __JsSet<f64>();
  for (let i = 0; i < 150; i++) big.add(<f64>i);
  const deep = new __JsDict<__JsMap<f64, __JsDict<__JsSet<f64>>>>();
  deep.set("m", nested);
  return [
    I.__js_inspect_value(m), I.__js_inspect_value(s), I.__js_inspect_value(d), I.__js_inspect_value(nested),
    I.__js_inspect_value(big), I.__js_inspect_value(deep), I.__js_inspect_value(new __JsDict<f64>()),
    I.__js_inspect_value(new __JsMap<f64, f64>()), I.__js_inspect_value([new __JsSet<string>()]),
  ].join("\\n---\\n");
}
class Point {
  constructor(public x: f64, public y: f64) {}
  __inspect(levels: i32): I.__InspectNode {
    if (levels <= 0) return I.__inspect_stub(I.__INSPECT_OBJECT, "Point", changetype<usize>(this), 2);
    return I.__inspect_object(changetype<usize>(this), "Point").prop("x", I.__inspect_num(this.x)).prop("y", I.__inspect_num(this.y));
  }
}
export function protocol(): string {
  const rows: Array<Array<Point | null>> = [[new Point(1, -0), null], [], [new Point(NaN, 1e21)]];
  return I.__js_inspect_value<Array<Array<Point | null>>>(rows) + "\\n" + I.__js_log_value<string>("top 'raw'") + "\\n" +
    I.__js_log_value<string | null>(null) + "\\n" + I.__js_log_value<Array<Array<Array<Array<f64>>>>>([[[[1]]], [[[]]]]) + "\\n" +
    I.__js_log_value<bool>(true) + "\\n" + I.__js_log_value<f64>(-0.0) + "\\n" + I.__js_log_value<i32>(42);
}
`;

let mod: AsModule;

beforeAll(async () => {
  mod = await compileAs(SOURCE, { optimize: "-O2" });
}, 30_000);

// ---------------------------------------------------------------------------------------------
// Encoding values for the AS module

const LEVELS = 3; // depth 2 + 1, as the emitter's builders start

function writeInput(text: string): void {
  const ptr = mod.exports.allocInput(text.length) as number;
  const chars = new Uint16Array(mod.memory.buffer, ptr, text.length);
  for (let i = 0; i < text.length; i++) chars[i] = text.charCodeAt(i);
}

function readResults(ptr: number): string[] {
  const text = mod.readString(ptr);
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const semi = text.indexOf(";", at);
    const n = Number(text.slice(at, semi));
    out.push(text.slice(semi + 1, semi + 1 + n));
    at = semi + 1 + n;
  }
  return out;
}

class Encoder {
  parts: string[] = [];
  numbers: number[] = [];
  ids = new Map<object, number>();
  ref(v: object): number {
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(v, id);
    }
    return id;
  }
  str(s: string): void {
    this.parts.push(`${s.length};`, s);
  }
  value(v: unknown, levels: number): void {
    if (typeof v === "number") {
      this.parts.push(`N${this.numbers.length};`);
      this.numbers.push(v);
    } else if (typeof v === "string") {
      this.parts.push("S");
      this.str(v);
    } else if (typeof v === "boolean") {
      this.parts.push(`B${v ? 1 : 0};`);
    } else if (v === null || v === undefined) {
      this.parts.push("T");
      this.str(String(v));
    } else if (Array.isArray(v)) {
      if (levels <= 0) return this.stub(3, v, v.length, "");
      const k = Math.min(v.length, 101);
      this.parts.push(`A${this.ref(v)};${v.length};${k};`);
      for (let i = 0; i < k; i++) this.value(v[i], levels - 1);
    } else if (v instanceof Map) {
      if (levels <= 0) return this.stub(5, v, v.size, "");
      const entries = [...v].slice(0, 100);
      this.parts.push(`M${this.ref(v)};${v.size};${entries.length};`);
      for (const [k, x] of entries) {
        this.value(k, levels - 1);
        this.value(x, levels - 1);
      }
    } else if (v instanceof Set) {
      if (levels <= 0) return this.stub(6, v, v.size, "");
      const members = [...v].slice(0, 100);
      this.parts.push(`E${this.ref(v)};${v.size};${members.length};`);
      for (const x of members) this.value(x, levels - 1);
    } else if (typeof v === "object") {
      const ctor = Object.getPrototypeOf(v).constructor;
      const name = ctor === Object ? "" : ctor.name;
      const keys = Object.keys(v);
      if (levels <= 0) return this.stub(4, v, keys.length, name);
      this.parts.push(`O${this.ref(v)};`);
      this.str(name);
      this.parts.push(`${keys.length};`);
      for (const key of keys) {
        this.str(key);
        this.value((v as Record<string, unknown>)[key], levels - 1);
      }
    } else {
      throw new Error(`cannot encode ${typeof v}`);
    }
  }
  stub(kind: number, v: object, count: number, name: string): void {
    this.parts.push(`X${kind};${this.ref(v)};${count};`);
    this.str(name);
  }
}

type Mode = 0 | 1 | 2 | 3;
const EXPECTED: Record<Mode, (v: unknown) => string> = {
  0: (v) => inspect(v),
  1: (v) => format(v),
  2: (v) => inspect(v, { depth: 0 }),
  3: (v) => inspect(v, { depth: 4 }),
};
const MODE_LEVELS: Record<Mode, number> = { 0: LEVELS, 1: LEVELS, 2: 1, 3: 5 };

function formatInAs(values: unknown[], mode: Mode): string[] {
  const out: string[] = [];
  for (let start = 0; start < values.length; start += 500) {
    const chunk = values.slice(start, start + 500);
    const enc = new Encoder();
    for (const v of chunk) {
      enc.ids = new Map(); // identities are per value
      enc.value(v, MODE_LEVELS[mode]);
    }
    mod.setInputs(enc.numbers);
    writeInput(enc.parts.join(""));
    out.push(...readResults(mod.exports.formatAll(chunk.length, mode)));
  }
  return out;
}

function compare(values: unknown[], mode: Mode = 0) {
  const actual = formatInAs(values, mode);
  const examples: string[] = [];
  const expected: string[] = [];
  let bad = 0;
  values.forEach((v, i) => {
    const want = EXPECTED[mode](v);
    expected.push(want);
    if (actual[i] !== want) {
      bad++;
      if (examples.length < 4) examples.push(`value ${i}:\n--- AS:\n${actual[i]}\n--- Node:\n${want}`);
    }
  });
  return { bad, examples, expected };
}

// ---------------------------------------------------------------------------------------------
// Random values

/** A fast deterministic PRNG (xorshift128+ on doubles; the harness's BigInt one is slow for megabytes of strings). */
function fastPrng(seed: number) {
  let s0 = (seed * 0x9e3779b9) | 1;
  let s1 = seed ^ 0x85ebca6b;
  let s2 = 0x27d4eb2f;
  let s3 = 0x165667b1;
  const next = (): number => {
    // xoshiro128**
    const result = Math.imul(Math.imul(s1, 5) << 7 | Math.imul(s1, 5) >>> 25, 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    u64(): bigint {
      return (BigInt(next()) << 32n) | BigInt(next());
    },
    float(): number {
      return (next() * 2 ** 21 + (next() >>> 11)) / 2 ** 53;
    },
    int(n: number): number {
      return Math.floor(this.float() * n);
    },
  };
}
type Random = ReturnType<typeof fastPrng>;

const CHAR_POOL = [
  ..."abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789 _-.,:;!?()[]{}<>=+*/&%#@~^|",
  "'", "'", '"', '"', "`", "${", "\\", "\n", "\n", "\t", "\r", "\b", "\f", "\v", "\0", "\x01", "\x1b", "\x1f", "\x7f",
  "\x80", "\x9b", "\x9f", "\xa0", "\xad", "é", "ß", "€", "ñ", "\u0301", "\u200b", "\u2028", "\ufeff", "中", "文", "字",
  "한", "\u1100\u1161", "\u1100\u1161\u11a8", "ｱ", "Ａ", "😀", "👍🏽", "👨‍👩‍👧", "𝄞", "\ud800", "\udfff", "\udbff", "\udc00",
];

function randomString(r: Random): string {
  const roll = r.int(20);
  let len: number;
  if (roll < 12) len = r.int(8);
  else if (roll < 17) len = 8 + r.int(30);
  else if (roll < 19) len = 60 + r.int(100);
  else len = r.int(3) === 0 ? 9990 + r.int(30) : 200 + r.int(300);
  const plain = r.int(3) === 0;
  let s = "";
  for (let i = 0; i < len; i++) {
    s += plain ? CHAR_POOL[r.int(36)] : CHAR_POOL[r.int(CHAR_POOL.length)];
  }
  return s;
}

function randomNumber(r: Random): number {
  switch (r.int(10)) {
    case 0:
      return [0, -0, NaN, Infinity, -Infinity, 1e21, 5e-324, -1e-7, 123456789012][r.int(9)]!;
    case 1:
      return f64FromBits(r.u64());
    case 2:
      return (r.float() - 0.5) * 10 ** (r.int(30) - 10);
    case 3:
      return -r.int(1000);
    case 4:
      return Math.round(r.float() * 1e6) / 100;
    default:
      return r.int(r.int(2) ? 10 : 100000);
  }
}

const KEY_POOL = [
  "a", "b", "x", "y", "name", "value", "_private", "camelCase", "snake_case", "A1", "with space", "kebab-case", "1", "42",
  "007", "", "$dollar", "it's", 'say "hi"', "tab\t", "new\nline", "é", "中文", "__proto__", "constructor", "toString",
  "a.b", "a'b\"c`", "\ud800", "longPropertyNameNumberOne", "anotherRatherLongPropertyName", "k".repeat(40),
];

class Point {
  constructor(
    public x: unknown,
    public y: unknown,
  ) {}
}
class Empty {}
class LongClassNameForTestingPurposes {
  value: unknown;
  constructor(v: unknown) {
    this.value = v;
  }
}

function randomLeaf(r: Random): unknown {
  switch (r.int(8)) {
    case 0:
    case 1:
    case 2:
      return randomNumber(r);
    case 3:
    case 4:
      return randomString(r);
    case 5:
      return r.int(2) === 0;
    case 6:
      return r.int(2) ? null : undefined;
    default:
      return CHAR_POOL[r.int(CHAR_POOL.length)]!;
  }
}

function randomArrayLength(r: Random): number {
  const roll = r.int(20);
  if (roll < 10) return r.int(7);
  if (roll < 16) return 7 + r.int(30);
  if (roll < 18) return 90 + r.int(20);
  return 100 + r.int(3);
}

/** Nodes left for the value being generated (keeps nested values to a few hundred nodes). */
let budget = 0;

function randomValue(r: Random, depth: number): unknown {
  if (depth <= 0 || budget-- <= 0 || r.int(10) < 3) return randomLeaf(r);
  switch (r.int(9)) {
    case 0:
    case 1: {
      // Homogeneous number arrays: the common case, and the one grouped into right-aligned columns.
      const n = randomArrayLength(r);
      const small = r.int(2) === 0;
      return Array.from({ length: n }, () => (small ? r.int(r.int(2) ? 10 : 2000) - 5 : randomNumber(r)));
    }
    case 2: {
      const n = randomArrayLength(r);
      const kind = r.int(4);
      return Array.from({ length: n }, () =>
        kind === 0 ? CHAR_POOL[r.int(CHAR_POOL.length)] : kind === 1 ? r.int(2) === 0 : kind === 2 ? randomString(r) : randomLeaf(r),
      );
    }
    case 3: {
      const n = r.int(3) === 0 ? randomArrayLength(r) : r.int(5);
      return Array.from({ length: n }, () => randomValue(r, depth - 1));
    }
    case 4:
    case 5: {
      const o: Record<string, unknown> = {};
      const n = r.int(4) === 0 ? r.int(25) : r.int(6);
      for (let i = 0; i < n; i++) {
        const key = r.int(3) === 0 ? KEY_POOL[r.int(KEY_POOL.length)]! : "abcdefghijklmnopqrstuvwxyz"[r.int(26)]! + (r.int(2) ? String(i) : "");
        Object.defineProperty(o, key, { value: randomValue(r, depth - 1), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    case 6: {
      const which = r.int(4);
      if (which === 0) return new Point(randomValue(r, depth - 1), randomValue(r, depth - 1));
      if (which === 1) return new Empty();
      if (which === 2) return new LongClassNameForTestingPurposes(randomValue(r, depth - 1));
      return new Point(randomNumber(r), randomNumber(r));
    }
    case 7: {
      const m = new Map<unknown, unknown>();
      const n = r.int(6) === 0 ? 95 + r.int(10) : r.int(6);
      for (let i = 0; i < n; i++) m.set(r.int(2) ? randomLeaf(r) : randomValue(r, depth - 1), randomValue(r, depth - 1));
      return m;
    }
    default: {
      const s = new Set<unknown>();
      const n = r.int(6) === 0 ? 95 + r.int(10) : r.int(6);
      for (let i = 0; i < n; i++) s.add(r.int(2) ? randomLeaf(r) : randomValue(r, depth - 1));
      return s;
    }
  }
}

/** Adds references back to an ancestor (or to itself) in some containers. */
function addCycles(r: Random, v: unknown, ancestors: object[]): void {
  if (v === null || typeof v !== "object") return;
  const path = [...ancestors, v];
  if (Array.isArray(v)) {
    for (const x of v) addCycles(r, x, path);
    if (r.int(4) === 0) v.push(path[r.int(path.length)]);
  } else if (v instanceof Map) {
    for (const x of v.values()) addCycles(r, x, path);
    if (r.int(4) === 0) v.set("self", path[r.int(path.length)]);
  } else if (v instanceof Set) {
    if (r.int(4) === 0) v.add(path[r.int(path.length)]);
  } else {
    for (const x of Object.values(v)) addCycles(r, x, path);
    if (r.int(4) === 0) (v as Record<string, unknown>)["cycle"] = path[r.int(path.length)];
  }
}

function randomValues(seed: number, count: number, depth: number): unknown[] {
  const r = fastPrng(seed);
  return Array.from({ length: count }, () => {
    budget = r.int(4) === 0 ? 300 : 40;
    return randomValue(r, 1 + r.int(depth));
  });
}

// ---------------------------------------------------------------------------------------------

describe("__js_inspect (util.inspect)", () => {
  it("matches util.inspect on hand-picked values", () => {
    const self: unknown[] = [1, 2];
    self.push(self);
    const o: Record<string, unknown> = { a: 1 };
    o.me = { back: o, arr: [o] };
    const values: unknown[] = [
      -0, 0, NaN, -Infinity, 1e21, 1.5e-7, "", "a'b", 'a"b', "a'b\"c", "a'b\"c`", "a'b\"c${", "x\ny", "\ud83d", "\x7f\x9f\xa0",
      [], [1, 2, 3], [-0], {}, { a: 1, b: "x" }, { "a-b": 1, "1": 2, $: 3, _ok: 4, "": 5 }, [[[[1]]]], { a: { b: { c: { d: 1 } } } },
      { a: { b: { c: {} } } }, [[[[]]]], new Map(), new Set(), new Map([["a", 1], ["b", 2]]), new Set([1]),
      new Map([[{ k: 1 }, [1, 2]]]), new Set([[1, [2, [3, [4]]]]]), new Point(1, 2), new Empty(), [new Empty(), new Point(new Point(1, [2]), 3)],
      Array.from({ length: 7 }, (_, i) => i), Array.from({ length: 26 }, (_, i) => i * 100), Array.from({ length: 101 }, (_, i) => i),
      Array.from({ length: 102 }, (_, i) => i), Array.from({ length: 30 }, (_, i) => "s" + i), Array.from({ length: 1000 }, () => "x"),
      [...Array.from({ length: 100 }, (_, i) => i), "not a number"], [...Array.from({ length: 100 }, () => "a"), 1],
      Array.from({ length: 20 }, (_, i) => ({ i })), Array.from({ length: 8 }, (_, i) => [i, i + 1]), "x".repeat(100), "ab\n".repeat(40),
      ["ab\n".repeat(40)], { key: "long line ".repeat(10) + "\nnext" }, "y".repeat(10001), ["y".repeat(10002)], self, o, [o, o],
      new Map<unknown, unknown>([["m", self]]), { a: [1, 2, 3], b: { c: [4, 5, { d: 6 }] } },
      Array.from({ length: 12 }, (_, i) => "中".repeat(i % 4)), Array.from({ length: 12 }, (_, i) => "😀".repeat(i % 3)),
      Array.from({ length: 10 }, (_, i) => "\u1100\u1161".repeat(i % 3)), ["\u1100\u1161\u11a8", "a", "b", "c", "d", "e", "f"],
    ];
    const result = compare(values);
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
  });

  it("matches util.inspect on 3000 random nested values", () => {
    const values = randomValues(1, 3000, 4);
    const result = compare(values);
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
    // The random values reach every layout feature (so that this test can fail on each).
    const outputs = result.expected;
    const features: Record<string, RegExp> = {
      multiLine: /\n/,
      grouped: /\n {2,}\S[^\n]*, {2,}\S/, // aligned columns
      rightAligned: /\n {3,}-?\d[^\n]*, +\d/,
      moreItems: /\.\.\. \d+ more items?/,
      moreChars: /more characters?/,
      splitString: /' \+\n/,
      depthLimit: /\[(Object|Array|Map|Set|Point)\]/,
      quotedKey: /\n? *'[^']*': /,
      doubleQuoted: /"/,
      backquoted: /`/,
      loneSurrogate: /\\ud[89ab]/,
      classInstance: /Point \{|Empty \{\}|LongClassNameForTestingPurposes \{/,
      map: /Map\(\d+\) \{/,
      set: /Set\(\d+\) \{/,
      wide: /[中文字한😀]/,
    };
    const missing = Object.entries(features)
      .map(([name, re]) => [name, outputs.filter((o) => re.test(o)).length] as const)
      .filter(([, count]) => count < 5);
    expect(missing).toEqual([]);
  }, 20_000);

  it("matches util.inspect on random values with circular references", () => {
    const r = fastPrng(7);
    const values = randomValues(2, 1500, 4);
    for (const v of values) addCycles(r, v, []);
    const result = compare(values);
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
  }, 20_000);

  it("matches util.inspect(v, { depth: 0 }) (console.log's %s of an object)", () => {
    const values = randomValues(3, 1000, 3);
    const result = compare(values, 2);
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
  });

  it("matches util.inspect(v, { depth: 4 }) on deeper values (compact = 3 then limits single-line nesting)", () => {
    const values = [
      { a: { b: { c: { d: 1 } } } }, [[[[1]]]], [[[[[1]]]]], [1, [2, [3, [4, [5]]]]], { x: [{ y: [{ z: 1 }] }], w: 2 },
      [[[[1]]], 2], [2, [[[1]]]], new Map([[1, [[[1]]]]]), ...randomValues(11, 1500, 7),
    ];
    const result = compare(values, 3);
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
  }, 20_000);

  it("prints a top-level string raw as console.log does, everything else as util.inspect", () => {
    const values = [...randomValues(4, 1000, 2), "raw 'string'\n", "", "\ud800"];
    const result = compare(values, 1);
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
  });

  it("fails when the output differs (the comparison is live)", () => {
    const actual = formatInAs([[1, 2, 3]], 0);
    expect(actual[0]).toBe("[ 1, 2, 3 ]");
    expect(actual[0]).not.toBe(inspect([1, 2, 4]));
  });
});

describe("string and key quoting", () => {
  function quote(strings: string[], which: 0 | 1): string[] {
    const enc = new Encoder();
    for (const s of strings) enc.str(s);
    writeInput(enc.parts.join(""));
    return readResults(mod.exports.quoteAll(strings.length, which));
  }

  it("__js_inspect_string_quoted matches how a nested string prints", () => {
    const r = fastPrng(5);
    const strings = [...CHAR_POOL, ...Array.from({ length: 3000 }, () => randomString(r)).filter((s) => s.length < 60)];
    const actual = quote(strings, 0);
    const bad = strings.map((s, i) => [s, actual[i]] as const).filter(([s, a]) => a !== inspect(s));
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it("__js_inspect_key matches how a property key prints", () => {
    const r = fastPrng(6);
    const keys = [...KEY_POOL, ...CHAR_POOL, ...Array.from({ length: 1000 }, () => randomString(r)).filter((s) => s.length < 30)];
    const actual = quote(keys, 1);
    const bad = keys
      .map((k, i) => [k, actual[i]] as const)
      .filter(([k, a]) => {
        const o = {};
        Object.defineProperty(o, k, { value: 1, enumerable: true });
        return `{ ${a}: 1 }` !== inspect(o);
      });
    expect(bad.slice(0, 5)).toEqual([]);
  });
});

describe("typed fast paths and __inspect_of<T>", () => {
  it("__js_inspect_array_f64 matches util.inspect on random number arrays", () => {
    const r = fastPrng(8);
    const arrays = Array.from({ length: 1500 }, () => {
      const n = randomArrayLength(r);
      const small = r.int(2) === 0;
      return Array.from({ length: n }, () => (small ? r.int(1000) - 10 : randomNumber(r)));
    });
    mod.setInputs(arrays.flatMap((a) => [a.length, ...a]));
    const actual = readResults(mod.exports.typedF64(arrays.length));
    const bad = arrays.filter((a, i) => actual[i] !== inspect(a));
    expect(bad.slice(0, 3).map((a) => inspect(a)), `${bad.length} differ`).toEqual(bad.slice(0, 3).map((a) => actual[arrays.indexOf(a)]));
    expect(bad.length).toBe(0);
  });

  it("__js_inspect_value<Array<Array<f64>>> matches util.inspect", () => {
    const r = fastPrng(9);
    const arrays = Array.from({ length: 800 }, () =>
      Array.from({ length: r.int(3) ? r.int(8) : randomArrayLength(r) }, () => Array.from({ length: r.int(3) ? r.int(10) : randomArrayLength(r) }, () => r.int(200) - 50)),
    );
    mod.setInputs(arrays.flatMap((a) => [a.length, ...a.flatMap((row) => [row.length, ...row])]));
    const actual = readResults(mod.exports.typedNested(arrays.length));
    const bad = arrays.map((a, i) => [inspect(a), actual[i]]).filter(([want, got]) => want !== got);
    expect(bad.slice(0, 3), `${bad.length} differ`).toEqual([]);
  });

  it("__js_inspect_array_string and __js_inspect_array_bool match util.inspect", () => {
    const r = fastPrng(10);
    const arrays = Array.from({ length: 800 }, () => Array.from({ length: randomArrayLength(r) }, () => (r.int(2) ? randomString(r) : CHAR_POOL[r.int(CHAR_POOL.length)]!)));
    const enc = new Encoder();
    for (const a of arrays) {
      enc.parts.push(`${a.length};`);
      for (const s of a) enc.str(s);
    }
    writeInput(enc.parts.join(""));
    const actual = readResults(mod.exports.typedStrings(arrays.length));
    const bad = arrays.map((a, i) => [inspect(a), actual[i]]).filter(([want, got]) => want !== got);
    expect(bad.slice(0, 3), `${bad.length} differ`).toEqual([]);

    const bools = Array.from({ length: 300 }, () => Array.from({ length: randomArrayLength(r) }, () => r.int(2) === 0));
    mod.setInputs(bools.flatMap((a) => [a.length, ...a.map(Number)]));
    const actualBools = readResults(mod.exports.typedBools(bools.length));
    const badBools = bools.map((a, i) => [inspect(a), actualBools[i]]).filter(([want, got]) => want !== got);
    expect(badBools.slice(0, 3), `${badBools.length} differ`).toEqual([]);
  });

  it("__inspect_of handles __JsMap, __JsSet and __JsDict (nested, depth-limited, more than 100 members)", () => {
    const m = new Map<string, number[]>([["a", [1, 2]], ["b c", []]]);
    const s = new Set([NaN, -0, 3]);
    const d = { z: s, "10": new Set(), "2": s, "it's": s };
    const nested = new Map([[1, d]]);
    const big = new Set(Array.from({ length: 150 }, (_, i) => i));
    const deep = { m: nested };
    // A Set normalises -0 to +0 on insertion, in JavaScript and in __JsSet alike.
    const expected = [m, s, d, nested, big, deep, {}, new Map(), [new Set()]].map((v) => inspect(v)).join("\n---\n");
    expect(mod.readString(mod.exports.collections())).toBe(expected);
  });

  it("handles classes with an __inspect(levels) method, nullable elements and console.log of typed values", () => {
    class P {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    const rows = [[new P(1, -0), null], [], [new P(NaN, 1e21)]];
    const expected = [inspect(rows), format("top 'raw'"), format(null), format([[[[1]]], [[[]]]]), format(true), format(-0), format(42)].join("\n");
    expect(mod.readString(mod.exports.protocol()).replaceAll("Point", "P")).toBe(expected);
  });
});
