// Differential tests: host-bindings/assembly/json.ts (JSON.stringify) against the JSON.stringify of
// the V8 running this test: string quoting (controls, quotes, backslashes, unicode, lone
// surrogates), numbers, the `space` argument (numbers, clamping, strings, long strings) and the
// layout of random nested arrays/objects with undefined members, driven through __JsonWriter as
// generated code would drive it; and the generic __js_json_stringify<T>.
import { beforeAll, describe, expect, it } from "vitest";
import { AS_PRELUDE, compileAs, f64FromBits, prng, type AsModule } from "./helpers/as-harness.js";

const SOURCE = `
import * as J from "./stelp/json";
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
/** Replays one encoded value as writer calls, as an emitted __json method would make them. */
function writeValue(w: J.__JsonWriter): void {
  const tag = input.charCodeAt(pos++);
  if (tag == 78) w.num(readInput(readInt())); // N
  else if (tag == 83) w.str(readStr()); // S
  else if (tag == 66) w.bool(readInt() != 0); // B
  else if (tag == 90) w.nul(); // Z
  else if (tag == 85) w.undef(); // U
  else if (tag == 65) { // A
    const k = readInt();
    w.beginArray();
    for (let i = 0; i < k; i++) writeValue(w);
    w.endArray();
  } else if (tag == 79) { // O
    const k = readInt();
    w.beginObject();
    for (let i = 0; i < k; i++) {
      w.key(readStr());
      writeValue(w);
    }
    w.endObject();
  } else abort("bad tag");
}
/** Each value is preceded by its space argument: G0 none, G1<index> a number, G2<string>. Results are length-prefixed, "-1;" for undefined. */
export function stringifyAll(count: i32): string {
  const out = new Array<string>(0);
  for (let i = 0; i < count; i++) {
    pos++; // G
    const g = readInt();
    const gap = g == 0 ? "" : g == 1 ? J.__js_json_gap_num(readInput(readInt())) : J.__js_json_gap_str(readStr());
    const w = new J.__JsonWriter(gap);
    writeValue(w);
    const r = w.result();
    out.push(r === null ? "-1;" : r.length.toString() + ";" + r);
  }
  return out.join("");
}
export function quoteAll(count: i32): string {
  const out = new Array<string>(0);
  for (let i = 0; i < count; i++) {
    const r = J.__js_json_quote(readStr());
    out.push(r.length.toString() + ";" + r);
  }
  return out.join("");
}
export function numbersAll(count: i32): string {
  const out = new Array<string>(0);
  for (let i = 0; i < count; i++) out.push(J.__js_json_number(readInput(i)));
  return out.join(" ");
}
class Point {
  constructor(public x: f64, public label: string | null) {}
  __json(w: J.__JsonWriter): void {
    w.beginObject();
    w.key("x"); w.num(this.x);
    w.key("label"); if (this.label === null) w.nul(); else w.str(this.label!);
    w.key("skipped"); w.undef();
    w.endObject();
  }
}
export function generic(): string {
  const nested: f64[][] = [[1, -0.0, NaN], [], [Infinity, 2.5e-7, 1e21]];
  const strings: Array<string | null> = ["a\\"b", null, "\\u2028\\ud800"];
  const points: Point[] = [new Point(1, "p"), new Point(2, null)];
  const parts = new Array<string>(0);
  parts.push(J.__js_json_stringify<f64[][]>(nested)!);
  parts.push(J.__js_json_stringify<f64[][]>(nested, J.__js_json_gap_num(2))!);
  parts.push(J.__js_json_stringify<Array<string | null>>(strings, "\\t")!);
  parts.push(J.__js_json_stringify<Point[]>(points)!);
  parts.push(J.__js_json_stringify<Point[]>(points, J.__js_json_gap_str("--"))!);
  parts.push(J.__js_json_stringify<f64>(-0.0)!);
  parts.push(J.__js_json_stringify<bool>(false)!);
  parts.push(J.__js_json_stringify<string | null>(null)!);
  parts.push(J.__js_json_stringify<i32>(-7)!);
  const empty: f64[][] = [[], []];
  parts.push(J.__js_json_stringify<f64[][]>(empty, "  ")!);
  return parts.join("\\n");
}
export function collections(): string {
  const d = new __JsDict<Array<f64>>();
  d.set("b", [1]);
  d.set("7", []);
  d.set("a", [NaN]);
  const m = new __JsMap<string, f64>();
  m.set("x", 1);
  const s = new __JsSet<f64>();
  s.add(1);
  const dd = new __JsDict<__JsDict<Array<f64>>>();
  dd.set("inner", d);
  dd.set("empty", new __JsDict<Array<f64>>());
  return [J.__js_json_stringify(d)!, J.__js_json_stringify(d, "  ")!, J.__js_json_stringify(m)!, J.__js_json_stringify([s], "  ")!,
    J.__js_json_stringify(dd, "\\t")!].join("\\n---\\n");
}
export function cycleGuard(): string {
  const w = new J.__JsonWriter("");
  const ok1 = w.enter(8);
  const ok2 = w.enter(16);
  const again = w.enter(8);
  w.leave();
  const after = w.enter(16);
  return (ok1 ? "1" : "0") + (ok2 ? "1" : "0") + (again ? "1" : "0") + (after ? "1" : "0") + " " + J.__js_json_circular_message();
}
`;

let mod: AsModule;

beforeAll(async () => {
  mod = await compileAs(SOURCE, { optimize: "-O2" });
}, 30_000);

function writeInput(text: string): void {
  const ptr = mod.exports.allocInput(text.length) as number;
  const chars = new Uint16Array(mod.memory.buffer, ptr, text.length);
  for (let i = 0; i < text.length; i++) chars[i] = text.charCodeAt(i);
}

function readResults(ptr: number): (string | undefined)[] {
  const text = mod.readString(ptr);
  const out: (string | undefined)[] = [];
  let at = 0;
  while (at < text.length) {
    const semi = text.indexOf(";", at);
    const n = Number(text.slice(at, semi));
    if (n < 0) {
      out.push(undefined);
      at = semi + 1;
    } else {
      out.push(text.slice(semi + 1, semi + 1 + n));
      at = semi + 1 + n;
    }
  }
  return out;
}

class Encoder {
  parts: string[] = [];
  numbers: number[] = [];
  str(s: string): void {
    this.parts.push(`${s.length};`, s);
  }
  num(x: number): void {
    this.parts.push(`${this.numbers.length};`);
    this.numbers.push(x);
  }
  /** What generated code would do for a value of this kind (functions count as undefined; Map/Set have no own enumerable properties). */
  value(v: unknown): void {
    if (typeof v === "number") {
      this.parts.push("N");
      this.num(v);
    } else if (typeof v === "string") {
      this.parts.push("S");
      this.str(v);
    } else if (typeof v === "boolean") this.parts.push(`B${v ? 1 : 0};`);
    else if (v === null) this.parts.push("Z");
    else if (v === undefined || typeof v === "function") this.parts.push("U");
    else if (Array.isArray(v)) {
      this.parts.push(`A${v.length};`);
      for (const x of v) this.value(x);
    } else if (v instanceof Map || v instanceof Set) {
      this.parts.push("O0;");
    } else if (typeof v === "object") {
      const keys = Object.keys(v);
      this.parts.push(`O${keys.length};`);
      for (const k of keys) {
        this.str(k);
        this.value((v as Record<string, unknown>)[k]);
      }
    } else throw new Error(`cannot encode ${typeof v}`);
  }
  gap(space: unknown): void {
    if (typeof space === "number") {
      this.parts.push("G1;");
      this.num(space);
    } else if (typeof space === "string") {
      this.parts.push("G2;");
      this.str(space);
    } else this.parts.push("G0;");
  }
}

type Case = [value: unknown, space: unknown];

function stringifyInAs(cases: Case[]): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let start = 0; start < cases.length; start += 1000) {
    const chunk = cases.slice(start, start + 1000);
    const enc = new Encoder();
    for (const [v, space] of chunk) {
      enc.gap(space);
      enc.value(v);
    }
    mod.setInputs(enc.numbers);
    writeInput(enc.parts.join(""));
    out.push(...readResults(mod.exports.stringifyAll(chunk.length)));
  }
  return out;
}

function compare(cases: Case[]) {
  const actual = stringifyInAs(cases);
  const examples: string[] = [];
  let bad = 0;
  cases.forEach(([v, space], i) => {
    const want = JSON.stringify(v, null, space as string | number | undefined);
    if (actual[i] !== want) {
      bad++;
      if (examples.length < 4) examples.push(`case ${i} (space ${JSON.stringify(space)}):\n--- AS:\n${actual[i]}\n--- V8:\n${want}`);
    }
  });
  return { bad, examples };
}

// ---------------------------------------------------------------------------------------------
// Random values

type Random = ReturnType<typeof prng>;

const CHAR_POOL = [
  ..."abcdefghijklmnopqrstuvwxyz0123456789 _-.,:;!?()[]{}<>=+*/&%#@~^|'`$",
  '"', '"', "\\", "\\", "\n", "\t", "\r", "\b", "\f", "\v", "\0", "\x01", "\x1b", "\x1f", "\x7f", "\x80", "\x9f", "\xa0",
  "é", "€", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "中", "😀", "𝄞", "\ud800", "\udbff", "\udc00", "\udfff",
  "\ud83d", "\ude00",
];

function randomString(r: Random): string {
  const len = r.int(5) === 0 ? r.int(60) : r.int(8);
  let s = "";
  for (let i = 0; i < len; i++) s += CHAR_POOL[r.int(CHAR_POOL.length)];
  return s;
}

function randomNumber(r: Random): number {
  switch (r.int(6)) {
    case 0:
      return [0, -0, NaN, Infinity, -Infinity, 1e21, 1e-7, 5e-324, -1.7976931348623157e308][r.int(9)]!;
    case 1:
      return f64FromBits(r.u64());
    case 2:
      return (r.float() - 0.5) * 10 ** (r.int(50) - 25);
    default:
      return r.int(2000) - 1000;
  }
}

const KEYS = ["a", "b", "key", "1", "0", "10", "", " ", "with space", 'quo"te', "back\\slash", "new\nline", "\ud800", "é", "😀", "__proto__x", "toJSON_"];

function randomValue(r: Random, depth: number): unknown {
  const roll = depth <= 0 ? r.int(6) : r.int(10);
  switch (roll) {
    case 0:
    case 1:
      return randomNumber(r);
    case 2:
      return randomString(r);
    case 3:
      return r.int(2) === 0;
    case 4:
      return r.int(2) ? null : undefined;
    case 5:
      return r.int(4) === 0 ? () => 1 : r.int(2) ? [] : {};
    case 6:
    case 7: {
      const n = r.int(4) === 0 ? r.int(20) : r.int(5);
      return Array.from({ length: n }, () => randomValue(r, depth - 1));
    }
    case 8: {
      const o: Record<string, unknown> = {};
      const n = r.int(6);
      for (let i = 0; i < n; i++) o[r.int(2) ? KEYS[r.int(KEYS.length)]! : "k" + r.int(50)] = randomValue(r, depth - 1);
      return o;
    }
    default:
      return r.int(2) ? new Map([[1, 2]]) : new Set([1]);
  }
}

const SPACES: unknown[] = [undefined, undefined, undefined, 0, 1, 2, 4, 10, 11, 100, -1, 3.7, 0.9, 1e-300, -0.5, 10.5, NaN, Infinity, -Infinity, "", "\t", "ab", "--", "0123456789ABC", "\n", " ", "😀x"];

function randomCases(seed: number, count: number): Case[] {
  const r = prng(seed);
  return Array.from({ length: count }, () => [randomValue(r, 1 + r.int(4)), SPACES[r.int(SPACES.length)]] as Case);
}

// ---------------------------------------------------------------------------------------------

describe("__js_json_quote", () => {
  function quote(strings: string[]): string[] {
    const enc = new Encoder();
    for (const s of strings) enc.str(s);
    writeInput(enc.parts.join(""));
    return readResults(mod.exports.quoteAll(strings.length)) as string[];
  }

  it("matches JSON.stringify(s) on every code unit", () => {
    const strings = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c));
    const actual = quote(strings);
    const bad = strings.filter((s, i) => actual[i] !== JSON.stringify(s)).map((s) => s.charCodeAt(0).toString(16));
    expect(bad.slice(0, 10), `${bad.length} differ`).toEqual([]);
  });

  it("matches JSON.stringify(s) on random strings with surrogate pairs, lone surrogates and escapes", () => {
    const r = prng(21);
    const strings = ["", "plain", "\ud83d\ude00", "\ude00\ud83d", "\ud800\ud800\udc00", "a\udc00\ud800b", ...Array.from({ length: 20000 }, () => randomString(r))];
    const actual = quote(strings);
    const bad = strings.filter((s, i) => actual[i] !== JSON.stringify(s)).map((s) => JSON.stringify(s));
    expect(bad.slice(0, 10), `${bad.length} differ`).toEqual([]);
  });
});

describe("__js_json_number", () => {
  it("matches JSON.stringify(x) on random and special numbers", () => {
    const r = prng(22);
    const values = [0, -0, NaN, Infinity, -Infinity, 1e21, 1e-7, 123e-20, ...Array.from({ length: 20000 }, () => randomNumber(r))];
    mod.setInputs(values);
    const actual = mod.readString(mod.exports.numbersAll(values.length)).split(" ");
    const bad = values.filter((x, i) => actual[i] !== JSON.stringify(x));
    expect(bad.slice(0, 10), `${bad.length} differ`).toEqual([]);
  });
});

describe("__JsonWriter (JSON.stringify layout)", () => {
  it("matches JSON.stringify on hand-picked values and space arguments", () => {
    const values: unknown[] = [
      undefined, () => 1, null, 0, -0, "", [], {}, [[]], [{}], { a: [] }, { a: {} }, [undefined, () => 1, null], { a: undefined, b: () => 1 },
      { a: undefined, b: 1, c: undefined }, { a: undefined }, [1, [2, [3, [4]]]], { a: { b: { c: {} } } }, { "": 1, " ": [2] },
      new Map([[1, 2]]), [new Set([1])], "x\ud800y", [NaN, Infinity, -0, 1e21, 1e-7],
    ];
    const cases: Case[] = [];
    for (const v of values) for (const space of SPACES) cases.push([v, space]);
    const result = compare(cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });

  it("matches JSON.stringify on 20 000 random nested values with random space arguments", () => {
    const cases = randomCases(23, 20000);
    const result = compare(cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
    // The cases include indented output, omitted members and top-level undefined.
    const outputs = cases.map(([v, s]) => JSON.stringify(v, null, s as number));
    expect(outputs.filter((o) => o?.includes("\n\t\t")).length).toBeGreaterThan(20);
    expect(outputs.filter((o) => o === undefined).length).toBeGreaterThan(20);
    expect(outputs.filter((o) => o?.includes(",null")).length).toBeGreaterThan(20);
  });

  it("fails when the output differs (the comparison is live)", () => {
    expect(stringifyInAs([[[1, { a: 2 }], 2]])[0]).toBe('[\n  1,\n  {\n    "a": 2\n  }\n]');
    expect(stringifyInAs([[[1], undefined]])[0]).not.toBe(JSON.stringify([2]));
  });
});

describe("__js_json_stringify<T> and the cycle guard", () => {
  it("serialises typed values and classes with a __json(w) method", () => {
    const nested = [[1, -0, NaN], [], [Infinity, 2.5e-7, 1e21]];
    const strings = ['a"b', null, "\u2028\ud800"];
    const points = [
      { x: 1, label: "p", skipped: undefined },
      { x: 2, label: null, skipped: undefined },
    ];
    const expected = [
      JSON.stringify(nested),
      JSON.stringify(nested, null, 2),
      JSON.stringify(strings, null, "\t"),
      JSON.stringify(points),
      JSON.stringify(points, null, "--"),
      JSON.stringify(-0),
      JSON.stringify(false),
      JSON.stringify(null),
      JSON.stringify(-7),
      JSON.stringify([[], []], null, "  "),
    ];
    expect(mod.readString(mod.exports.generic()).split("\n")).toEqual(expected.join("\n").split("\n"));
  });

  it("serialises __JsDict in key order and __JsMap/__JsSet as {}", () => {
    const d = { b: [1], "7": [], a: [NaN] };
    const expected = [JSON.stringify(d), JSON.stringify(d, null, "  "), JSON.stringify(new Map([["x", 1]])), JSON.stringify([new Set([1])], null, "  "),
      JSON.stringify({ inner: d, empty: {} }, null, "\t")].join("\n---\n");
    expect(mod.readString(mod.exports.collections())).toBe(expected);
  });

  it("enter/leave detect a container that is already open", () => {
    expect(mod.readString(mod.exports.cycleGuard())).toBe("1101 Converting circular structure to JSON");
  });
});
