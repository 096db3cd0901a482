// stelp runtime: JavaScript Map, Set and dictionary objects (AssemblyScript).
//
// `__JsMap<K, V>` / `__JsSet<T>`: insertion order; keys compared by SameValueZero: for f64 keys NaN
// equals NaN and -0 is the same key as +0 (stored as +0, as JavaScript does); strings by value;
// references (arrays, class instances) by identity. `__JsDict<V>`: a plain object used as a
// dictionary (`obj[key]` with keys added at run time): string keys in JavaScript's own-property order
// (array-index keys, the canonical numeric strings of 0 .. 2^32 - 2, ascending; then the other keys
// in insertion order).
//
// Missing keys: JavaScript's `m.get(k)` / `obj[k]` give undefined, which we cannot represent; `get`
// aborts with a message saying so, `getOr(k, fallback)` returns the fallback instead (`?? x`), and
// `has` tests first.
//
// Iteration with mutation: JavaScript's Map/Set iterators are live: entries deleted before the
// iterator reaches them are skipped, entries added during the loop are visited, an entry deleted and
// re-added moves to the end (and is visited again), `clear()` during the loop ends it unless entries
// are added afterwards. `iterator()` gives exactly that (the same design as V8's OrderedHashTable: a
// table that is rehashed or cleared keeps a forwarding link plus the positions it dropped, and
// iterators translate their position when they notice). Emit `for (const [k, v] of m)` (also
// `m.entries()`, `m.keys()`, `m.values()` in a for-of) as
//     const it = m.iterator(); while (it.next()) { const k = it.key; const v = it.value; … }
// `keys()`, `values()`, `entries()` return arrays: snapshots, right for `[...m.keys()]`,
// `Array.from(m)`, and anything that consumes the iterator at once. forEach is live, like JavaScript.
// For a dictionary, JavaScript's for-in and Object.keys take a snapshot of the keys; V8's for-in then
// skips a key that no longer passes HasProperty (so a key deleted during the loop is skipped, unless
// Object.prototype has a member of that name) and does not visit added keys: emit `for (const k in d)` as
//     const ks = d.keys(); for (let i = 0; i < ks.length; i++) { const k = ks[i]; if (!d.hasIn(k)) continue; … }

import { __Fn3 } from "./closure";
import { __js_value_to_string } from "./array";

function unsupported(message: string): void {
  abort(message);
}

// ---------------------------------------------------------------------------------------------
// Keys: hashing and SameValueZero

@inline
function mix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

function hashKey<K>(k: K): u32 {
  if (isFloat<K>()) {
    let x = <f64>k;
    if (x != x) return 0x7ff80000;
    if (x == 0) x = 0;
    const bits = reinterpret<u64>(x);
    return mix32(<u32>bits ^ mix32(<u32>(bits >>> 32)));
  } else if (isString<K>()) {
    const p = changetype<usize>(k);
    if (p == 0) return 0x9e3779b9;
    const n = <i32>(load<u32>(p - 4) >>> 1); // the object header's byte length (String#length is a call)
    let h: u32 = 2166136261;
    for (let i = 0; i < n; i++) {
      h ^= <u32>load<u16>(p + (<usize>i << 1));
      h *= 16777619;
    }
    return mix32(h);
  } else if (isReference<K>()) {
    return mix32(<u32>(changetype<usize>(k) >>> 2));
  } else {
    return mix32(<u32>k);
  }
}

@inline
function sameKey<K>(a: K, b: K): bool {
  if (isFloat<K>()) {
    return a == b || (a != a && b != b);
  } else if (isString<K>()) {
    return changetype<string | null>(a) == changetype<string | null>(b);
  } else if (isReference<K>()) {
    return changetype<usize>(a) == changetype<usize>(b);
  } else {
    return a == b;
  }
}

/** -0 becomes +0 (a Map/Set never holds -0 as a key). */
@inline
function normalizeKey<K>(k: K): K {
  if (isFloat<K>()) {
    if (k == 0) return <K>0;
  }
  return k;
}

@inline
function zeroOf<T>(): T {
  if (isReference<T>()) return changetype<T>(0);
  else return <T>0;
}

// ---------------------------------------------------------------------------------------------
// The ordered hash table shared by Map, Set and Dict

const EMPTY: i32 = -1;

/** An Array's backing store (the std-library field, read without the getter call). */
@inline
function dataOf(array: usize): usize {
  return load<usize>(array, offsetof<Array<u8>>("dataStart"));
}

class Table<K, V> {
  keys: Array<K> = new Array<K>(0);
  values: Array<V> = new Array<V>(0);
  alive: Array<bool> = new Array<bool>(0);
  chain: Array<i32> = new Array<i32>(0);
  buckets: StaticArray<i32>;
  mask: u32;
  used: i32 = 0; // entries appended, dead ones included
  live: i32 = 0;
  // Set when this table has been replaced (rehash or clear): where live iterators go next.
  next: Table<K, V> | null = null;
  removed: Array<i32> | null = null; // dead positions at the time of the rehash, ascending
  cleared: bool = false;

  constructor(capacity: i32) {
    this.buckets = new StaticArray<i32>(capacity);
    for (let i = 0; i < capacity; i++) unchecked((this.buckets[i] = EMPTY));
    this.mask = <u32>capacity - 1;
  }

  find(k: K): i32 {
    return this.findHashed(k, hashKey<K>(k));
  }

  /**
   * The entry of k (whose hash is h), or EMPTY. Reads the arrays' backing stores directly: at -O1
   * each `unchecked(a[i])` is a std-library call with its own shadow-stack frame, four per probe.
   */
  findHashed(k: K, h: u32): i32 {
    let e = load<i32>(changetype<usize>(this.buckets) + (<usize>(h & this.mask) << 2));
    if (e == EMPTY) return EMPTY;
    const alive = dataOf(changetype<usize>(this.alive));
    const keys = dataOf(changetype<usize>(this.keys));
    const chain = dataOf(changetype<usize>(this.chain));
    do {
      if (load<bool>(alive + <usize>e) && sameKey<K>(load<K>(keys + (<usize>e << alignof<K>())), k)) return e;
      e = load<i32>(chain + (<usize>e << 2));
    } while (e != EMPTY);
    return EMPTY;
  }

  /** The value of entry e (a position find returned). */
  @inline valueAt(e: i32): V {
    return load<V>(dataOf(changetype<usize>(this.values)) + (<usize>e << alignof<V>()));
  }

  /** Appends a new entry (the key is not present, and there is room). */
  append(k: K, v: V): i32 {
    return this.appendHashed(k, v, hashKey<K>(k));
  }

  appendHashed(k: K, v: V, h: u32): i32 {
    const e = this.used++;
    const b = h & this.mask;
    this.keys.push(k);
    this.values.push(v);
    this.alive.push(true);
    this.chain.push(unchecked(this.buckets[b]));
    unchecked((this.buckets[b] = e));
    this.live++;
    return e;
  }

  @inline isFull(): bool {
    return <u32>this.used > this.mask;
  }

  remove(e: i32): void {
    unchecked((this.alive[e] = false));
    unchecked((this.keys[e] = zeroOf<K>()));
    unchecked((this.values[e] = zeroOf<V>()));
    this.live--;
  }

  /** A compacted copy (room for at least one more entry); this table forwards iterators to it. */
  rehash(): Table<K, V> {
    let capacity = <i32>this.mask + 1;
    while (this.live * 2 > capacity) capacity <<= 1;
    if (capacity < 8) capacity = 8;
    const t = new Table<K, V>(capacity);
    const removed = new Array<i32>(0);
    for (let e = 0; e < this.used; e++) {
      if (unchecked(this.alive[e])) t.append(unchecked(this.keys[e]), unchecked(this.values[e]));
      else removed.push(e);
    }
    this.forward(t, removed, false);
    return t;
  }

  forward(t: Table<K, V>, removed: Array<i32> | null, cleared: bool): void {
    this.next = t;
    this.removed = removed;
    this.cleared = cleared;
    // Only forwarding information is needed from now on.
    this.keys = new Array<K>(0);
    this.values = new Array<V>(0);
    this.alive = new Array<bool>(0);
    this.chain = new Array<i32>(0);
    this.buckets = new StaticArray<i32>(0);
    this.used = 0;
    this.live = 0;
  }
}

/** The number of elements of the ascending array `sorted` that are below `x`. */
function countBelow(sorted: Array<i32>, x: i32): i32 {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (unchecked(sorted[mid]) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A live cursor over a table chain: the JavaScript iterator semantics. */
class Cursor<K, V> {
  pos: i32 = 0;
  done: bool = false;
  constructor(public table: Table<K, V>) {}

  /** Moves to the next live entry; returns its position in `this.table`, or -1 at the end (for good). */
  advance(): i32 {
    if (this.done) return -1;
    let t = this.table;
    let pos = this.pos;
    while (t.next !== null) {
      if (t.cleared) pos = 0;
      else pos -= countBelow(changetype<Array<i32>>(t.removed), pos);
      t = changetype<Table<K, V>>(t.next);
    }
    this.table = t;
    while (pos < t.used && !unchecked(t.alive[pos])) pos++;
    if (pos >= t.used) {
      this.done = true;
      this.pos = pos;
      return -1;
    }
    this.pos = pos + 1;
    return pos;
  }
}

// ---------------------------------------------------------------------------------------------
// Map

/** An entry of `m.entries()` / `Object.entries(d)`: JavaScript's [key, value] pair. */
export class __JsEntry<K, V> {
  constructor(public key: K, public value: V) {}
}

/** Iterator over a __JsMap: `while (it.next()) { it.key; it.value }`, live like JavaScript's. */
export class __JsMapIterator<K, V> {
  /** The current entry's key and value (set by next(); JavaScript reads the entry when next() returns it). */
  key: K = zeroOf<K>();
  value: V = zeroOf<V>();
  private cursor: Cursor<K, V>;
  constructor(table: Table<K, V>) {
    this.cursor = new Cursor<K, V>(table);
  }
  /** Moves to the next entry; false at the end (and from then on, as in JavaScript). */
  next(): bool {
    const e = this.cursor.advance();
    if (e < 0) return false;
    const t = this.cursor.table;
    this.key = unchecked(t.keys[e]);
    this.value = unchecked(t.values[e]);
    return true;
  }
}

/** JavaScript's Map with SameValueZero keys and insertion order. */
export class __JsMap<K, V> {
  private table: Table<K, V> = new Table<K, V>(8);

  /** `m.size`. */
  get size(): f64 {
    return <f64>this.table.live;
  }

  /** `m.has(k)`. */
  has(k: K): bool {
    return this.table.find(k) != EMPTY;
  }

  /** `m.get(k)`: aborts when k is missing ("Map key x is missing: JavaScript would return undefined"). */
  get(k: K): V {
    const t = this.table;
    const e = t.find(k);
    if (e == EMPTY) unsupported("Map key " + __js_value_to_string<K>(k) + " is missing: JavaScript's get() would return undefined");
    return t.valueAt(e);
  }

  /** `m.get(k) ?? fallback`. */
  getOr(k: K, fallback: V): V {
    const t = this.table;
    const e = t.find(k);
    return e == EMPTY ? fallback : t.valueAt(e);
  }

  /** `m.set(k, v)`: replaces the value in place, or appends (-0 is stored as +0); returns this. */
  set(k: K, v: V): __JsMap<K, V> {
    let t = this.table;
    const h = hashKey<K>(k);
    const e = t.findHashed(k, h);
    if (e != EMPTY) {
      unchecked((t.values[e] = v));
      return this;
    }
    if (t.isFull()) t = this.table = t.rehash();
    t.appendHashed(normalizeKey<K>(k), v, h); // -0 and +0 hash alike
    return this;
  }

  /** `m.delete(k)`: whether k was present. */
  delete(k: K): bool {
    const t = this.table;
    const e = t.find(k);
    if (e == EMPTY) return false;
    t.remove(e);
    return true;
  }

  /** `m.clear()`. */
  clear(): void {
    const t = new Table<K, V>(8);
    this.table.forward(t, null, true);
    this.table = t;
  }

  /** A live iterator (for-of over the map, its entries(), keys() or values()). */
  iterator(): __JsMapIterator<K, V> {
    return new __JsMapIterator<K, V>(this.table);
  }

  /** `[...m.keys()]`: a snapshot in insertion order. */
  keys(): Array<K> {
    const t = this.table;
    const out = new Array<K>(0);
    for (let e = 0; e < t.used; e++) if (unchecked(t.alive[e])) out.push(unchecked(t.keys[e]));
    return out;
  }

  /** `[...m.values()]`: a snapshot in insertion order. */
  values(): Array<V> {
    const t = this.table;
    const out = new Array<V>(0);
    for (let e = 0; e < t.used; e++) if (unchecked(t.alive[e])) out.push(unchecked(t.values[e]));
    return out;
  }

  /** `[...m]` / `[...m.entries()]` / `Array.from(m)`: a snapshot of [key, value] pairs. */
  entries(): Array<__JsEntry<K, V>> {
    const t = this.table;
    const out = new Array<__JsEntry<K, V>>(0);
    for (let e = 0; e < t.used; e++) if (unchecked(t.alive[e])) out.push(new __JsEntry<K, V>(unchecked(t.keys[e]), unchecked(t.values[e])));
    return out;
  }

  /** `m.forEach(f)`: f(value, key, map), live like JavaScript's (sees additions, skips deletions). */
  forEach(f: __Fn3<V, K, __JsMap<K, V>, void>): void {
    const it = this.iterator();
    while (it.next()) f.call(it.value, it.key, this);
  }
}

/** `new Map(entries)` from [key, value] pairs (later duplicates overwrite the value, keeping the first position). */
export function __js_map_from_entries<K, V>(entries: Array<__JsEntry<K, V>>): __JsMap<K, V> {
  const m = new __JsMap<K, V>();
  for (let i = 0; i < entries.length; i++) {
    const e = unchecked(entries[i]);
    m.set(e.key, e.value);
  }
  return m;
}

/** `new Map(m)`: a copy. */
export function __js_map_copy<K, V>(m: __JsMap<K, V>): __JsMap<K, V> {
  const out = new __JsMap<K, V>();
  const it = m.iterator();
  while (it.next()) out.set(it.key, it.value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Set

/** Iterator over a __JsSet: `while (it.next()) { it.value }`, live like JavaScript's. */
export class __JsSetIterator<T> {
  /** The current value (set by next()). */
  value: T = zeroOf<T>();
  private cursor: Cursor<T, bool>;
  constructor(table: Table<T, bool>) {
    this.cursor = new Cursor<T, bool>(table);
  }
  /** Moves to the next value; false at the end (and from then on). */
  next(): bool {
    const e = this.cursor.advance();
    if (e < 0) return false;
    this.value = unchecked(this.cursor.table.keys[e]);
    return true;
  }
}

/** JavaScript's Set with SameValueZero values and insertion order. */
export class __JsSet<T> {
  private table: Table<T, bool> = new Table<T, bool>(8);

  /** `s.size`. */
  get size(): f64 {
    return <f64>this.table.live;
  }

  /** `s.has(v)`. */
  has(v: T): bool {
    return this.table.find(v) != EMPTY;
  }

  /** `s.add(v)`: appends when absent (-0 is stored as +0); returns this. */
  add(v: T): __JsSet<T> {
    let t = this.table;
    const h = hashKey<T>(v);
    if (t.findHashed(v, h) != EMPTY) return this;
    if (t.isFull()) t = this.table = t.rehash();
    t.appendHashed(normalizeKey<T>(v), true, h); // -0 and +0 hash alike
    return this;
  }

  /** `s.delete(v)`: whether v was present. */
  delete(v: T): bool {
    const t = this.table;
    const e = t.find(v);
    if (e == EMPTY) return false;
    t.remove(e);
    return true;
  }

  /** `s.clear()`. */
  clear(): void {
    const t = new Table<T, bool>(8);
    this.table.forward(t, null, true);
    this.table = t;
  }

  /** A live iterator (for-of over the set, its values(), keys() or entries()). */
  iterator(): __JsSetIterator<T> {
    return new __JsSetIterator<T>(this.table);
  }

  /** `[...s]` / `[...s.values()]` / `Array.from(s)`: a snapshot in insertion order. */
  values(): Array<T> {
    const t = this.table;
    const out = new Array<T>(0);
    for (let e = 0; e < t.used; e++) if (unchecked(t.alive[e])) out.push(unchecked(t.keys[e]));
    return out;
  }

  /** `[...s.keys()]`: the same as values(). */
  keys(): Array<T> {
    return this.values();
  }

  /** `[...s.entries()]`: [v, v] pairs. */
  entries(): Array<__JsEntry<T, T>> {
    const t = this.table;
    const out = new Array<__JsEntry<T, T>>(0);
    for (let e = 0; e < t.used; e++) if (unchecked(t.alive[e])) out.push(new __JsEntry<T, T>(unchecked(t.keys[e]), unchecked(t.keys[e])));
    return out;
  }

  /** `s.forEach(f)`: f(value, value, set), live like JavaScript's. */
  forEach(f: __Fn3<T, T, __JsSet<T>, void>): void {
    const it = this.iterator();
    while (it.next()) f.call(it.value, it.value, this);
  }
}

/** `new Set(array)`. */
export function __js_set_from_array<T>(a: Array<T>): __JsSet<T> {
  const s = new __JsSet<T>();
  for (let i = 0; i < a.length; i++) s.add(unchecked(a[i]));
  return s;
}

/** `new Set(set)`: a copy. */
export function __js_set_copy<T>(src: __JsSet<T>): __JsSet<T> {
  const s = new __JsSet<T>();
  const it = src.iterator();
  while (it.next()) s.add(it.value);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Dictionary objects

/** The array-index value of a key ("0", "17"; not "01", "-1", "1.5" or "4294967295"), or -1. */
function arrayIndexOf(k: string): i64 {
  const n = k.length;
  if (n == 0 || n > 10) return -1;
  const p = changetype<usize>(k);
  const first = <u32>load<u16>(p);
  if (first == 0x30) return n == 1 ? 0 : -1;
  let v: i64 = 0;
  for (let i = 0; i < n; i++) {
    const c = <u32>load<u16>(p + (<usize>i << 1));
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + <i64>(c - 0x30);
  }
  return v <= 4294967294 ? v : -1;
}

/** Whether `k` names a property of Object.prototype (what `k in {}` finds). */
export function __js_is_object_prototype_key(k: string): bool {
  return (
    k == "constructor" || k == "__defineGetter__" || k == "__defineSetter__" || k == "hasOwnProperty" || k == "__lookupGetter__" ||
    k == "__lookupSetter__" || k == "isPrototypeOf" || k == "propertyIsEnumerable" || k == "toString" || k == "valueOf" ||
    k == "__proto__" || k == "toLocaleString"
  );
}

/**
 * A plain JavaScript object used as a dictionary: string keys (the emitter converts number keys
 * with __js_num_to_string, as JavaScript's ToPropertyKey does), JavaScript's own-property order.
 * It behaves like an object literal `{}`: Object.prototype's members are inherited (see get/hasIn),
 * and assigning a primitive to "__proto__" does nothing.
 */
export class __JsDict<V> {
  private table: Table<string, V> = new Table<string, V>(8);
  private indexKeys: i32 = 0; // live array-index keys (each counted once)

  /** Number of own keys (Object.keys(d).length). */
  get size(): f64 {
    return <f64>this.table.live;
  }

  /** Own property (Object.hasOwn(d, k), d.hasOwnProperty(k)). */
  has(k: string): bool {
    return this.table.find(k) != EMPTY;
  }

  /** `k in d`: own, or inherited from Object.prototype ("toString" in {} is true). */
  hasIn(k: string): bool {
    return this.has(k) || __js_is_object_prototype_key(k);
  }

  /**
   * `d[k]`: aborts when k is not an own property ("property 'x' is missing: JavaScript would read
   * undefined"; for Object.prototype's members: "... JavaScript would read the inherited Object.prototype.toString").
   */
  get(k: string): V {
    const t = this.table;
    const e = t.find(k);
    if (e == EMPTY) {
      if (__js_is_object_prototype_key(k)) {
        unsupported("property '" + k + "' is not an own property: JavaScript would read the inherited Object.prototype." + k);
      } else {
        unsupported("property '" + k + "' is missing: JavaScript would read undefined");
      }
    }
    return t.valueAt(e);
  }

  /** `d[k] ?? fallback` for an own property k (an inherited Object.prototype member is not "missing" in JavaScript: the emitter must not use this for `||`/`??` when k may be one of those; see __js_is_object_prototype_key). */
  getOr(k: string, fallback: V): V {
    const t = this.table;
    const e = t.find(k);
    return e == EMPTY ? fallback : t.valueAt(e);
  }

  /**
   * `d[k] = v`: replaces in place or adds the key. `d["__proto__"] = v` does nothing for a primitive
   * v (as in JavaScript) and aborts for an object v (JavaScript would change the prototype).
   */
  set(k: string, v: V): void {
    let t = this.table;
    const e = t.find(k);
    if (e != EMPTY) {
      unchecked((t.values[e] = v));
      return;
    }
    if (k == "__proto__") {
      if (isReference<V>() && !isString<V>()) {
        unsupported("assigning an object to '__proto__': JavaScript would change the object's prototype");
      }
      return;
    }
    if (t.isFull()) t = this.table = t.rehash();
    t.append(k, v);
    if (arrayIndexOf(k) >= 0) this.indexKeys++;
  }

  /** `delete d[k]`: whether k was an own property (JavaScript's delete expression gives true either way). */
  delete(k: string): bool {
    const t = this.table;
    const e = t.find(k);
    if (e == EMPTY) return false;
    t.remove(e);
    if (arrayIndexOf(k) >= 0) this.indexKeys--;
    return true;
  }

  /** Positions of the live entries in JavaScript's own-key order. */
  private order(): Array<i32> {
    const t = this.table;
    const out = new Array<i32>(0);
    if (this.indexKeys == 0) {
      for (let e = 0; e < t.used; e++) if (unchecked(t.alive[e])) out.push(e);
      return out;
    }
    // (index << 32 | position), sorted as unsigned: by index (below 2^32 - 1), ties impossible
    const indexed = new Array<u64>(0);
    for (let e = 0; e < t.used; e++) {
      if (!unchecked(t.alive[e])) continue;
      const v = arrayIndexOf(unchecked(t.keys[e]));
      if (v >= 0) indexed.push((<u64>v << 32) | <u64>e);
    }
    indexed.sort((a: u64, b: u64): i32 => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < indexed.length; i++) out.push(<i32>(unchecked(indexed[i]) & 0xffffffff));
    for (let e = 0; e < t.used; e++) {
      if (unchecked(t.alive[e]) && arrayIndexOf(unchecked(t.keys[e])) < 0) out.push(e);
    }
    return out;
  }

  /** `Object.keys(d)` (also the for-in order): a snapshot. */
  keys(): Array<string> {
    const t = this.table;
    const order = this.order();
    const out = new Array<string>(order.length);
    for (let i = 0; i < order.length; i++) unchecked((out[i] = t.keys[order[i]]));
    return out;
  }

  /** `Object.values(d)`: a snapshot. */
  values(): Array<V> {
    const t = this.table;
    const order = this.order();
    const out = new Array<V>(0);
    for (let i = 0; i < order.length; i++) out.push(unchecked(t.values[order[i]]));
    return out;
  }

  /** `Object.entries(d)`: a snapshot of [key, value] pairs. */
  entries(): Array<__JsEntry<string, V>> {
    const t = this.table;
    const order = this.order();
    const out = new Array<__JsEntry<string, V>>(0);
    for (let i = 0; i < order.length; i++) {
      const e = unchecked(order[i]);
      out.push(new __JsEntry<string, V>(unchecked(t.keys[e]), unchecked(t.values[e])));
    }
    return out;
  }
}
