// Differential tests: host-bindings/assembly/collections.ts against V8's Map, Set and plain objects:
// random operation scripts (SameValueZero keys, -0/NaN, insertion order), iteration while the loop
// body mutates the collection (live Map/Set iterators, forEach, for-in over a dictionary), JavaScript's
// own-property order for dictionaries, and the abort messages.
import { beforeAll, describe, expect, it } from "vitest";
import { prng, type AsModule } from "./helpers/as-harness.js";
import { compileWithAborts, same, v8Error } from "./helpers/as-abort.js";
import { callBatch, PACK_PRELUDE, Reader, Stream } from "./helpers/as-stream.js";

// ---------------------------------------------------------------------------------------------
// Batched calls (the same protocol as runtime-array.test.ts): each case is a stream of numbers and
// strings read in order by both sides; each side writes a stream of results.

type Rng = ReturnType<typeof prng>;

// Scripts. A case is: op count, then per op (code, key index, value); code 9/10 (iterate / forEach)
// are followed by a mutation list: count, then (kind, key index) pairs. Both sides interpret it.

const F64_KEYS = [0, -0, NaN, 1, 2, 3, -1, Infinity, -Infinity, 1.5, 1e300, 5e-324, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
const STR_KEYS = ["0", "1", "2", "10", "9", "01", "-1", "1.5", "4294967294", "4294967295", "4294967296", "a", "b", "", "__proto__",
  "constructor", "toString", "hasOwnProperty", "length", "ab", " 1", "1e3", "NaN", "Infinity", "-0", "007", "valueOf", "x😀", "\ud800"];

type Kind = "mapNum" | "mapStr" | "setNum" | "setStr" | "dict";
const KINDS: Kind[] = ["mapNum", "mapStr", "setNum", "setStr", "dict"];

function genScript(rng: Rng, w: Stream, keyCount: number, opCount: number) {
  w.num(opCount);
  for (let i = 0; i < opCount; i++) {
    const r = rng.int(100);
    // mostly sets and deletes, so that tables fill, rehash and compact
    const code = r < 40 ? 0 : r < 60 ? 1 : r < 68 ? 2 : r < 76 ? 3 : r < 80 ? 4 : r < 81 ? 5 : r < 84 ? 6 : r < 86 ? 7 : r < 88 ? 8 : r < 95 ? 9 : 10;
    w.num(code);
    w.num(rng.int(keyCount));
    w.num(rng.int(4) ? rng.int(100) : [NaN, -0, Infinity, 0.1][rng.int(4)]!);
    if (code === 9 || code === 10) {
      const n = 1 + rng.int(4);
      w.num(n);
      for (let j = 0; j < n; j++) {
        w.num(rng.int(3) ? rng.int(10) : 0);
        w.num(rng.int(keyCount));
      }
    }
  }
}

/** Mutation kinds inside a loop: 0 none, 1 delete k, 2 set k, 3 delete current, 4 delete and re-add current,
 * 5 clear, 6 set five keys, 7 delete six keys, 8 set k twice, 9 clear then set two keys. forEach skips kind 4
 * (it would never end). */
function mutateJs(kind: string, c: any, muts: number[], step: number, current: unknown, keys: unknown[], forEach: boolean) {
  if (step >= 60) return; // no more mutation: the loop ends
  const j = step % (muts.length / 2);
  const m = muts[2 * j]!;
  const key = keys[muts[2 * j + 1]!];
  const set = (k: unknown, v: number) => {
    if (kind === "dict") c[k as string] = v;
    else if (kind.startsWith("set")) c.add(k);
    else c.set(k, v);
  };
  const del = (k: unknown) => (kind === "dict" ? delete c[k as string] : c.delete(k));
  switch (m) {
    case 1: del(key); break;
    case 2: set(key, step); break;
    case 3: del(current); break;
    case 4: if (!forEach) { del(current); set(current, step + 0.5); } break;
    case 5: if (kind === "dict") { for (const k of Object.keys(c)) delete c[k]; } else c.clear(); break;
    case 6: for (let q = 0; q < 5; q++) set(keys[(muts[2 * j + 1]! + q) % keys.length], step); break;
    case 7: for (let q = 0; q < 6; q++) del(keys[(muts[2 * j + 1]! + q) % keys.length]); break;
    case 8: set(key, step); set(key, step + 1); break;
    case 9:
      if (kind === "dict") { for (const k of Object.keys(c)) delete c[k]; } else c.clear();
      set(key, step); set(keys[(muts[2 * j + 1]! + 1) % keys.length], step);
      break;
  }
}

/** Set by runJs when a for-in loop visits a deleted key that Object.prototype has (the module would abort reading it). */
let readInherited = false;

function runJs(kind: Kind, r: Reader, o: Stream) {
  const keys: unknown[] = kind === "mapNum" || kind === "setNum" ? F64_KEYS : STR_KEYS;
  const isSet = kind.startsWith("set");
  const isStr = typeof keys[0] === "string";
  const putKey = (k: unknown) => (isStr ? o.str(k as string) : o.num(k as number));
  const c: any = kind === "dict" ? {} : isSet ? new Set() : new Map();
  const n = r.num();
  for (let i = 0; i < n; i++) {
    const code = r.num();
    const key = keys[r.num()];
    const v = r.num();
    let muts: number[] = [];
    if (code === 9 || code === 10) {
      const nm = r.num();
      for (let j = 0; j < 2 * nm; j++) muts.push(r.num());
    }
    if (kind === "dict") {
      const k = key as string;
      switch (code) {
        case 0: c[k] = v; break;
        case 1: o.num(Object.hasOwn(c, k) ? 1 : 0); delete c[k]; break;
        case 2: o.num(Object.hasOwn(c, k) ? 1 : 0); o.num(k in c ? 1 : 0); break;
        case 3: o.num(Object.hasOwn(c, k) ? c[k] : -999); o.num(Object.hasOwn(c, k) ? c[k] : -998); break;
        case 4: o.num(Object.keys(c).length); break;
        case 5: break;
        case 6: o.strArr(Object.keys(c)); break;
        case 7: o.arr(Object.values(c)); break;
        case 8: { const es = Object.entries(c); o.num(es.length); for (const [ek, ev] of es) { o.str(ek); o.num(ev as number); } break; }
        case 9: case 10: {
          let step = 0;
          for (const ek in c) {
            if (!Object.hasOwn(c, ek)) readInherited = true;
            o.str(ek); o.num(c[ek]);
            mutateJs(kind, c, muts, step, ek, keys, false);
            if (++step >= 200) break;
          }
          o.num(-777);
          break;
        }
      }
      continue;
    }
    switch (code) {
      case 0: o.num((isSet ? c.add(key) : c.set(key, v)) === c ? 1 : 0); break;
      case 1: o.num(c.delete(key) ? 1 : 0); break;
      case 2: o.num(c.has(key) ? 1 : 0); break;
      case 3: if (!isSet) { o.num(c.has(key) ? c.get(key) : -999); o.num(c.get(key) ?? -998); } break;
      case 4: o.num(c.size); break;
      case 5: c.clear(); break;
      case 6: for (const k of [...c.keys()]) putKey(k); o.num(-1); break;
      case 7: for (const x of [...c.values()]) isSet ? putKey(x) : o.num(x); o.num(-1); break;
      case 8: { const es = [...c.entries()]; o.num(es.length); for (const [ek, ev] of es) { putKey(ek); isSet ? putKey(ev) : o.num(ev); } break; }
      case 9: {
        let step = 0;
        for (const e of c) {
          if (isSet) putKey(e);
          else { putKey(e[0]); o.num(e[1]); }
          mutateJs(kind, c, muts, step, isSet ? e : e[0], keys, false);
          if (++step >= 200) break;
        }
        o.num(-777);
        break;
      }
      case 10: {
        let step = 0;
        c.forEach((val: any, k: any, self: any) => {
          o.num(self === c ? 1 : 0);
          putKey(k);
          isSet ? putKey(val) : o.num(val);
          mutateJs(kind, c, muts, step++, k, keys, true);
        });
        o.num(-777);
        break;
      }
    }
  }
}

const SOURCE = `
import * as C from "./stelp/collections";
import { __Fn3 } from "./stelp/closure";
${PACK_PRELUDE}
const F64_KEYS: Array<f64> = [${F64_KEYS.map((k) => (Object.is(k, -0) ? "-0.0" : String(k))).join(", ")}];
const STR_KEYS: Array<string> = [${STR_KEYS.map((k) => JSON.stringify(k)).join(", ")}];
const CASE_END: f64 = -7.25e77;

function putKey<K>(k: K): void {
  if (isString<K>()) putStr(changetype<string>(k));
  else putNum(<f64>k);
}

/** See mutateJs in the test. */
function mutate<K>(kind: i32, c: usize, muts: Array<i32>, step: i32, current: K, keys: Array<K>, forEach: bool): void {
  if (step >= 60) return;
  const j = step % (muts.length / 2);
  const m = muts[2 * j];
  const key = keys[muts[2 * j + 1]];
  switch (m) {
    case 1: del<K>(kind, c, key); break;
    case 2: put<K>(kind, c, key, <f64>step); break;
    case 3: del<K>(kind, c, current); break;
    case 4: if (!forEach) { del<K>(kind, c, current); put<K>(kind, c, current, <f64>step + 0.5); } break;
    case 5: clear<K>(kind, c); break;
    case 6: for (let q = 0; q < 5; q++) put<K>(kind, c, keys[(muts[2 * j + 1] + q) % keys.length], <f64>step); break;
    case 7: for (let q = 0; q < 6; q++) del<K>(kind, c, keys[(muts[2 * j + 1] + q) % keys.length]); break;
    case 8: put<K>(kind, c, key, <f64>step); put<K>(kind, c, key, <f64>step + 1); break;
    case 9: clear<K>(kind, c); put<K>(kind, c, key, <f64>step); put<K>(kind, c, keys[(muts[2 * j + 1] + 1) % keys.length], <f64>step); break;
  }
}
// kind: 0 map, 1 set, 2 dict (K = string)
function put<K>(kind: i32, c: usize, k: K, v: f64): void {
  if (kind == 0) changetype<C.__JsMap<K, f64>>(c).set(k, v);
  else if (kind == 1) changetype<C.__JsSet<K>>(c).add(k);
  else if (isString<K>()) changetype<C.__JsDict<f64>>(c).set(changetype<string>(k), v);
}
function del<K>(kind: i32, c: usize, k: K): void {
  if (kind == 0) changetype<C.__JsMap<K, f64>>(c).delete(k);
  else if (kind == 1) changetype<C.__JsSet<K>>(c).delete(k);
  else if (isString<K>()) changetype<C.__JsDict<f64>>(c).delete(changetype<string>(k));
}
function clear<K>(kind: i32, c: usize): void {
  if (kind == 0) changetype<C.__JsMap<K, f64>>(c).clear();
  else if (kind == 1) changetype<C.__JsSet<K>>(c).clear();
  else {
    const d = changetype<C.__JsDict<f64>>(c);
    const ks = d.keys();
    for (let i = 0; i < ks.length; i++) d.delete(ks[i]);
  }
}

class MapForEach<K> extends __Fn3<f64, K, C.__JsMap<K, f64>, void> {
  step: i32 = 0;
  constructor(public self: C.__JsMap<K, f64>, public muts: Array<i32>, public keys: Array<K>) { super(); }
  call(v: f64, k: K, m: C.__JsMap<K, f64>): void {
    putNum(m == this.self ? 1 : 0); putKey<K>(k); putNum(v);
    mutate<K>(0, changetype<usize>(m), this.muts, this.step++, k, this.keys, true);
  }
}
class SetForEach<K> extends __Fn3<K, K, C.__JsSet<K>, void> {
  step: i32 = 0;
  constructor(public self: C.__JsSet<K>, public muts: Array<i32>, public keys: Array<K>) { super(); }
  call(v: K, k: K, s: C.__JsSet<K>): void {
    putNum(s == this.self ? 1 : 0); putKey<K>(k); putKey<K>(v);
    mutate<K>(1, changetype<usize>(s), this.muts, this.step++, k, this.keys, true);
  }
}

function readMuts(code: i32): Array<i32> {
  const muts = new Array<i32>(0);
  if (code == 9 || code == 10) {
    const n = nextInt();
    for (let j = 0; j < 2 * n; j++) muts.push(nextInt());
  }
  return muts;
}

function runMap<K>(keys: Array<K>): void {
  const m = new C.__JsMap<K, f64>();
  const n = nextInt();
  for (let i = 0; i < n; i++) {
    const code = nextInt();
    const key = keys[nextInt()];
    const v = nextNum();
    const muts = readMuts(code);
    switch (code) {
      case 0: putNum(m.set(key, v) == m ? 1 : 0); break;
      case 1: putNum(m.delete(key) ? 1 : 0); break;
      case 2: putNum(m.has(key) ? 1 : 0); break;
      case 3: putNum(m.has(key) ? m.get(key) : -999); putNum(m.getOr(key, -998)); break;
      case 4: putNum(m.size); break;
      case 5: m.clear(); break;
      case 6: { const ks = m.keys(); for (let j = 0; j < ks.length; j++) putKey<K>(ks[j]); putNum(-1); break; }
      case 7: { const vs = m.values(); for (let j = 0; j < vs.length; j++) putNum(vs[j]); putNum(-1); break; }
      case 8: { const es = m.entries(); putNum(es.length); for (let j = 0; j < es.length; j++) { putKey<K>(es[j].key); putNum(es[j].value); } break; }
      case 9: {
        const it = m.iterator();
        let step = 0;
        while (it.next()) {
          putKey<K>(it.key); putNum(it.value);
          mutate<K>(0, changetype<usize>(m), muts, step, it.key, keys, false);
          if (++step >= 200) break;
        }
        putNum(-777);
        break;
      }
      case 10: m.forEach(new MapForEach<K>(m, muts, keys)); putNum(-777); break;
    }
  }
}

function runSet<K>(keys: Array<K>): void {
  const s = new C.__JsSet<K>();
  const n = nextInt();
  for (let i = 0; i < n; i++) {
    const code = nextInt();
    const key = keys[nextInt()];
    nextNum();
    const muts = readMuts(code);
    switch (code) {
      case 0: putNum(s.add(key) == s ? 1 : 0); break;
      case 1: putNum(s.delete(key) ? 1 : 0); break;
      case 2: putNum(s.has(key) ? 1 : 0); break;
      case 3: break;
      case 4: putNum(s.size); break;
      case 5: s.clear(); break;
      case 6: { const ks = s.keys(); for (let j = 0; j < ks.length; j++) putKey<K>(ks[j]); putNum(-1); break; }
      case 7: { const vs = s.values(); for (let j = 0; j < vs.length; j++) putKey<K>(vs[j]); putNum(-1); break; }
      case 8: { const es = s.entries(); putNum(es.length); for (let j = 0; j < es.length; j++) { putKey<K>(es[j].key); putKey<K>(es[j].value); } break; }
      case 9: {
        const it = s.iterator();
        let step = 0;
        while (it.next()) {
          putKey<K>(it.value);
          mutate<K>(1, changetype<usize>(s), muts, step, it.value, keys, false);
          if (++step >= 200) break;
        }
        putNum(-777);
        break;
      }
      case 10: s.forEach(new SetForEach<K>(s, muts, keys)); putNum(-777); break;
    }
  }
}

function runDict(keys: Array<string>): void {
  const d = new C.__JsDict<f64>();
  const n = nextInt();
  for (let i = 0; i < n; i++) {
    const code = nextInt();
    const key = keys[nextInt()];
    const v = nextNum();
    const muts = readMuts(code);
    switch (code) {
      case 0: d.set(key, v); break;
      case 1: putNum(d.delete(key) ? 1 : 0); break;
      case 2: putNum(d.has(key) ? 1 : 0); putNum(d.hasIn(key) ? 1 : 0); break;
      case 3: putNum(d.has(key) ? d.get(key) : -999); putNum(d.getOr(key, -998)); break;
      case 4: putNum(d.size); break;
      case 5: break;
      case 6: putStrArr(d.keys()); break;
      case 7: putArr(d.values()); break;
      case 8: { const es = d.entries(); putNum(es.length); for (let j = 0; j < es.length; j++) { putStr(es[j].key); putNum(es[j].value); } break; }
      case 9: case 10: {
        // for (const k in d): a snapshot of the keys, skipping the ones deleted meanwhile (V8 tests
        // HasProperty, so a deleted key that Object.prototype also has is still visited: hasIn)
        const ks = d.keys();
        let step = 0;
        for (let j = 0; j < ks.length; j++) {
          const k = ks[j];
          if (!d.hasIn(k)) continue;
          putStr(k); putNum(d.get(k));
          mutate<string>(2, changetype<usize>(d), muts, step, k, keys, false);
          if (++step >= 200) break;
        }
        putNum(-777);
        break;
      }
    }
  }
}

export function run(kind: i32, count: i32): void {
  for (let i = 0; i < count; i++) {
    switch (kind) {
      case 0: runMap<f64>(F64_KEYS); break;
      case 1: runMap<string>(STR_KEYS); break;
      case 2: runSet<f64>(F64_KEYS); break;
      case 3: runSet<string>(STR_KEYS); break;
      case 4: runDict(STR_KEYS); break;
    }
    putNum(CASE_END);
    putStr("\\u0000end");
  }
}

/** Reference keys: identity. */
export function referenceKeys(): string {
  const a: Array<f64> = [1, 2];
  const b: Array<f64> = [1, 2];
  const m = new C.__JsMap<Array<f64>, string>();
  m.set(a, "a").set(b, "b").set(a, "a2");
  const s = new C.__JsSet<Array<f64>>();
  s.add(a); s.add(b); s.add(a);
  return m.size.toString() + " " + m.get(a) + m.get(b) + " " + s.size.toString() + " " + (m.has([1, 2]) ? "yes" : "no");
}

/** Many operations: a million sets/deletes through rehashing, checked against a closed form. */
export function stress(n: i32): f64 {
  const m = new C.__JsMap<f64, f64>();
  for (let i = 0; i < n; i++) {
    m.set(<f64>i, <f64>i);
    if (i >= 100) m.delete(<f64>(i - 100));
  }
  let sum = 0.0;
  const it = m.iterator();
  while (it.next()) sum += it.key;
  const d = new C.__JsDict<f64>();
  for (let i = 0; i < n / 10; i++) d.set((i * 7919 % 100003).toString(), 1);
  const keys = d.keys();
  for (let i = 1; i < keys.length; i++) if (I32.parseInt(keys[i - 1]) >= I32.parseInt(keys[i])) return -1;
  return sum + m.size;
}

export function abortCase(k: i32): void {
  switch (k) {
    case 0: { const m = new C.__JsMap<f64, f64>(); m.set(1, 2); m.get(3); break; }
    case 1: { const m = new C.__JsMap<string, f64>(); m.get("x"); break; }
    case 2: { const d = new C.__JsDict<f64>(); d.get("x"); break; }
    case 3: { const d = new C.__JsDict<f64>(); d.get("toString"); break; }
    case 4: { const d = new C.__JsDict<Array<f64>>(); d.set("__proto__", [1]); break; }
  }
}
`;

let mod: AsModule;
let abortMessage: (k: number) => string;

beforeAll(async () => {
  ({ mod, abortMessage } = await compileWithAborts(SOURCE));
}, 60_000);


describe("collections match V8 on random operation scripts", () => {
  KINDS.forEach((kind, index) => {
    for (const [label, cases, ops] of [["short scripts", 1500, 12], ["long scripts", 150, 150]] as const) {
      it(`${kind}: ${label}`, () => {
        const rng = prng(900 + index * 10 + ops);
        const keyCount = kind === "mapNum" || kind === "setNum" ? F64_KEYS.length : STR_KEYS.length;
        const input = new Stream();
        const starts: number[] = [];
        for (let i = 0; i < cases; i++) {
          starts.push(input.nums.length);
          // (scripts whose for-in loop would read an inherited Object.prototype member are left out)
          let script: Stream;
          do {
            script = new Stream();
            genScript(rng, script, keyCount, ops);
            readInherited = false;
            runJs(kind, new Reader(script), new Stream());
          } while (readInherited);
          input.nums.push(...script.nums);
        }
        const got = callBatch(mod, index, cases, input);
        const reader = new Reader(input);
        let gn = 0;
        let gs = 0;
        let bad = 0;
        const examples: string[] = [];
        for (let i = 0; i < cases; i++) {
          const want = new Stream();
          runJs(kind, reader, want);
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
            if (examples.length < 2) {
              examples.push(`case ${i} script ${JSON.stringify(input.nums.slice(starts[i], starts[i + 1]).map(String))}: got ${JSON.stringify(gotNums.map(String))} ${JSON.stringify(gotStrs)}, V8 ${JSON.stringify(want.nums.map(String))} ${JSON.stringify(want.strs)}`);
            }
          }
        }
        expect(examples, `${bad} of ${cases} scripts differ`).toEqual([]);
        expect(gn).toBe(got.nums.length);
      });
    }
  });
});

it("reference keys are compared by identity", () => {
  expect(mod.readString(mod.exports.referenceKeys())).toBe("2.0 a2b 2.0 no");
});

it("a long run of sets and deletes (rehashing, compaction, index-key sorting)", () => {
  const n = 1_000_000;
  let sum = 0;
  for (let i = n - 100; i < n; i++) sum += i;
  expect(mod.exports.stress(n)).toBe(sum + 100);
});

describe("aborts", () => {
  const cases = [
    "Map key 3 is missing: JavaScript's get() would return undefined",
    "Map key x is missing: JavaScript's get() would return undefined",
    "property 'x' is missing: JavaScript would read undefined",
    "property 'toString' is not an own property: JavaScript would read the inherited Object.prototype.toString",
    "assigning an object to '__proto__': JavaScript would change the object's prototype",
  ];
  cases.forEach((want, k) => {
    it(want, () => {
      expect(abortMessage(k)).toBe(want);
    });
  });
});
