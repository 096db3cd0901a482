// stelp runtime: JavaScript Array semantics on AssemblyScript `Array<T>` (AssemblyScript).
//
// A JavaScript array `T[]` is an AS `Array<T>` (f64, bool, string, nested arrays, class instances).
// Our arrays never have holes, so a JavaScript behaviour that would read `undefined` or create a
// hole is not representable: those helpers stop the run with `abort(message)` (the runtime routes
// it to an error exit) and a message saying what JavaScript would have done. JavaScript exceptions
// (TypeError, RangeError) also abort, with V8's message prefixed by the error name; they all go
// through `throwError` below, the one place to change when the runtime gets pending exceptions.
//
// Index and count arguments are JavaScript numbers (f64) and follow the spec's conversions
// (ToIntegerOrInfinity: NaN -> 0, truncation, +-Infinity kept; relative indices count from the end
// when negative). Optional arguments have AS defaults that equal JavaScript's "argument absent"
// behaviour; where "absent" differs from an explicit `undefined` the doc comment says so.
//
// Callbacks (closure.ts ABI) get the full JavaScript argument list: (value, index, array) for
// forEach/map/filter/some/every/find*/flatMap, (accumulator, value, index, array) for reduce*,
// (a, b) for sort comparators. Iteration follows the spec when a callback mutates the array: the
// length is captured at the start, and an index that is no longer present (the array shrank) is
// skipped where the spec tests HasProperty (forEach, map, filter, some, every, reduce*, flatMap);
// find/findIndex/findLast/findLastIndex read such an index as `undefined`, which we cannot pass,
// so they abort; map aborts if the array shrank, because JavaScript's result would have holes.
//
// Sorting is a port of V8's TimSort (third_party/v8/builtins/array-sort.tq): the same comparisons
// in the same order as V8, so even inconsistent comparators and comparators with side effects give
// V8's result. Like V8 it sorts a copy and writes the result back at the end, so a comparator that
// reads the array sees the original order. (A comparator that *writes* the array sees its writes
// overwritten at the end, as in V8 for these element kinds.)

import { __Fn1, __Fn2, __Fn3, __Fn4 } from "./closure";
import { __js_num_to_string } from "./number";
import { __js_str_compare, __js_str_code_points } from "./string";

// ---------------------------------------------------------------------------------------------
// Errors

/** Stops the run for a JavaScript exception: prints `name: message` (V8's message). */
function throwError(name: string, message: string): void {
  abort(name + ": " + message);
}

/** Stops the run where JavaScript would go on with a value we cannot represent (undefined, holes). */
function unsupported(message: string): void {
  abort(message);
}

// ---------------------------------------------------------------------------------------------
// Conversions

/** ECMAScript ToIntegerOrInfinity (NaN -> 0, truncation toward zero, -0 -> +0). */
@inline
function toIntegerOrInfinity(x: f64): f64 {
  if (x != x) return 0;
  const t = Math.trunc(x);
  return t == 0 ? 0 : t;
}

/** A relative index (slice, splice, fill, copyWithin, at): negative counts from `len`, clamped to [0, len]. */
function relativeIndex(x: f64, len: i32): i32 {
  const r = toIntegerOrInfinity(x);
  if (r < 0) {
    const k = <f64>len + r;
    return k <= 0 ? 0 : <i32>k;
  }
  return r >= <f64>len ? len : <i32>r;
}

/** An integral index in [0, len). NaN, fractions and negatives fail (-0 passes, as JS reads "0"). */
@inline
function isIndexBelow(i: f64, len: i32): bool {
  return i >= 0 && i < <f64>len && Math.trunc(i) == i;
}

function showNumber(x: f64): string {
  return __js_num_to_string(x);
}

/**
 * JavaScript's `new Array(n)` / ArrayCreate length check (RangeError unless n is an integer in
 * [0, 2^32 - 1]), then what one AS array can hold at all (a Wasm heap is smaller than V8's).
 */
function checkArrayLength<T>(n: f64): i32 {
  if (!(n >= 0 && n <= 4294967295.0 && Math.trunc(n) == n)) throwError("RangeError", "Invalid array length");
  // More than one 32-bit Wasm memory can hold: the memory bound, whatever the policy's cap (io.ts
  // turns this exact message into the memory-limit exit, as for asc's own allocator).
  if (n > <f64>(<u32>1073741808 >>> alignof<T>())) abort("Allocation too large");
  return <i32>n;
}

// ---------------------------------------------------------------------------------------------
// Equality and stringification of elements

/** Strict equality (===) for an element type: NaN never equal, -0 === 0, strings by value, objects by identity. */
@inline
function strictEquals<T>(a: T, b: T): bool {
  if (isFloat<T>()) {
    return a == b;
  } else if (isString<T>()) {
    return changetype<string | null>(a) == changetype<string | null>(b);
  } else if (isReference<T>()) {
    return changetype<usize>(a) == changetype<usize>(b);
  } else {
    return a == b;
  }
}

/** SameValueZero (includes): like === except that NaN equals NaN. */
@inline
function sameValueZero<T>(a: T, b: T): bool {
  if (isFloat<T>()) {
    return a == b || (a != a && b != b);
  } else {
    return strictEquals<T>(a, b);
  }
}

/**
 * String(v) for an element type: numbers as JavaScript prints them, booleans true/false, strings
 * raw, arrays joined with ",", class instances "[object Object]" unless the class has a `u_toString`
 * method (the emitted name of a user `toString()`), which is called. `nullText` is what null gives
 * ("" inside join, "null" for String(null)).
 */
function elementToString<T>(v: T, nullText: string): string {
  if (isBoolean<T>()) {
    return v ? "true" : "false";
  } else if (isFloat<T>()) {
    return __js_num_to_string(<f64>v);
  } else if (isInteger<T>()) {
    return __js_num_to_string(<f64>v);
  } else if (isString<T>()) {
    if (isNullable<T>()) {
      if (changetype<usize>(v) == 0) return nullText;
    }
    return changetype<string>(v);
  } else if (isArray<T>()) {
    if (isNullable<T>()) {
      if (changetype<usize>(v) == 0) return nullText;
    }
    return __js_array_join<valueof<NonNullable<T>>>(changetype<Array<valueof<NonNullable<T>>>>(v), ",");
  } else if (isReference<T>()) {
    if (isNullable<T>()) {
      if (changetype<usize>(v) == 0) return nullText;
    }
    if (isDefined(changetype<NonNullable<T>>(0).u_toString)) {
      return changetype<NonNullable<T>>(v).u_toString();
    }
    return "[object Object]";
  }
  ERROR("elementToString: unsupported element type");
  return "";
}

/** String(v) for any value type the emitter uses (null references give "null"; arrays are joined with ","). */
export function __js_value_to_string<T>(v: T): string {
  return elementToString<T>(v, "null");
}

// ---------------------------------------------------------------------------------------------
// Element access

/** `a.length` as a JavaScript number. */
export function __js_array_length<T>(a: Array<T>): f64 {
  return <f64>a.length;
}

/** `a[i]`: aborts unless i is an integer in [0, length) ("index 5 is out of bounds (length 3): JavaScript would read undefined"). */
// Inlined: element reads and writes are the hot path of array code, and a call per access (with
// its shadow-stack frame, call-depth count and fuel charge) cost up to 3x on matrix kernels. The
// slow paths stay out of line.
//
// Each accessor comes twice: on an `Array<T>` (the emitted argument may be a temporary that must
// stay rooted while the index is evaluated: a managed parameter of an inlined function is stored
// to the shadow stack at every access) and, with the `_at` suffix, on the array's address, which
// the emitter passes when the array is a variable (rooted by the variable itself; nothing between
// reading it and the access allocates).
@inline
export function __js_array_get<T>(a: Array<T>, i: f64): T {
  return __js_array_get_at<T>(changetype<usize>(a), i);
}

@inline
export function __js_array_get_at<T>(p: usize, i: f64): T {
  const len = lengthAt(p);
  if (!isIndexBelow(i, len)) readOutOfBounds(i, len);
  return loadAt<T>(p, <i32>i);
}

/** `a[i]` of numbers where JavaScript reads undefined as NaN (`a[i] * 2`): NaN outside the array. */
@inline
export function __js_array_get_nan(a: Array<f64>, i: f64): f64 {
  return __js_array_get_nan_at(changetype<usize>(a), i);
}

@inline
export function __js_array_get_nan_at(p: usize, i: f64): f64 {
  const at = addressAt<f64>(p, <i32>i);
  return isIndexBelow(i, lengthAt(p)) ? load<f64>(at) : NaN;
}

// The same with an index the emitter proved to be a finite integer (src/narrow.ts): then
// "integer in [0, length)" is one unsigned compare of the truncated index (i >= 2^31 saturates to
// 2^31 - 1, above any length; a negative i is above any length read unsigned; -0 reads element 0
// as in JavaScript). NaN, fractions and infinities never take these paths.

@inline
export function __js_array_get_int<T>(a: Array<T>, i: f64): T {
  return __js_array_get_int_at<T>(changetype<usize>(a), i);
}

@inline
export function __js_array_get_int_at<T>(p: usize, i: f64): T {
  const k = <i32>i;
  const len = lengthAt(p);
  if (<u32>k >= <u32>len) readOutOfBounds(i, len);
  return loadAt<T>(p, k);
}

@inline
export function __js_array_has_index_int<T>(a: Array<T>, i: f64): bool {
  return __js_array_has_index_int_at<T>(changetype<usize>(a), i);
}

@inline
export function __js_array_has_index_int_at<T>(p: usize, i: f64): bool {
  return <u32>(<i32>i) < <u32>lengthAt(p);
}

@inline
export function __js_array_get_nan_int(a: Array<f64>, i: f64): f64 {
  return __js_array_get_nan_int_at(changetype<usize>(a), i);
}

@inline
export function __js_array_get_nan_int_at(p: usize, i: f64): f64 {
  const k = <i32>i;
  const at = addressAt<f64>(p, k);
  return <u32>k < <u32>lengthAt(p) ? load<f64>(at) : NaN;
}

@inline
export function __js_array_set_value_int<T>(a: Array<T>, i: f64, v: T): T {
  return __js_array_set_value_int_at<T>(changetype<usize>(a), i, v);
}

@inline
export function __js_array_set_value_int_at<T>(p: usize, i: f64, v: T): T {
  const k = <i32>i;
  const at = addressAt<T>(p, k);
  if (<u32>k < <u32>lengthAt(p)) storeAtAddress<T>(p, at, v);
  else arraySetSlow<T>(changetype<Array<T>>(p), i, v);
  return v;
}

/**
 * `a[i] op= v` after the read of `a[i]` succeeded (so i is an index below the length) and when
 * nothing evaluated since can have changed the array (the emitter checks that v is pure): the store
 * needs no bounds test, and the loop around it no out-of-line slow path.
 */
@inline
export function __js_array_store_read_at<T>(p: usize, i: f64, v: T): T {
  storeAt<T>(p, <i32>i, v);
  return v;
}

// Raw element access for the inlined paths. At asc's default -O1 binaryen inlines no std-library
// method, and with the incremental GC every call of a method on a managed object (`a.length`,
// `unchecked(a[i])`, `a[i] = v`) opens a shadow-stack frame and spills `this` to it: a field or
// element load became ~20 instructions and a call. These read the fields of std/assembly/array.ts
// (`dataStart`, `length_`) directly. They take the array as a `usize`: every managed parameter of
// an inlined function is one more shadow-stack store per access (see the `_at` helpers above).

@inline
function lengthAt(p: usize): i32 {
  return load<i32>(p, offsetof<Array<u8>>("length_"));
}

/**
 * The address of element i, computed before the bounds test so that the in-bounds arm of the test
 * is a bare load or store: the fuel metering (src/instrument.ts) charges an `if` arm of 8 or more
 * expressions separately, which costs more than the access itself. Never dereferenced unless i is
 * in bounds.
 */
@inline
function addressAt<T>(p: usize, i: i32): usize {
  return load<usize>(p, offsetof<Array<u8>>("dataStart")) + (<usize>i << alignof<T>());
}

/** Stores v at an element address of the array p, with the GC's write barrier. */
@inline
function storeAtAddress<T>(p: usize, at: usize, v: T): void {
  store<T>(at, v);
  if (isManaged<T>()) __link(p, changetype<usize>(v), true);
}

@inline
function loadAt<T>(p: usize, i: i32): T {
  return load<T>(load<usize>(p, offsetof<Array<u8>>("dataStart")) + (<usize>i << alignof<T>()));
}

/** Stores v at i (0 <= i < length, checked by the caller), with the GC's write barrier. */
@inline
function storeAt<T>(p: usize, i: i32, v: T): void {
  store<T>(load<usize>(p, offsetof<Array<u8>>("dataStart")) + (<usize>i << alignof<T>()), v);
  if (isManaged<T>()) __link(p, changetype<usize>(v), true);
}

/** `a.length` as an i32, read from the field. */
@inline
export function __js_array_len<T>(a: Array<T>): i32 {
  return lengthAt(changetype<usize>(a));
}

@inline
export function __js_array_len_at(p: usize): i32 {
  return lengthAt(p);
}

function readOutOfBounds(i: f64, len: i32): void {
  if (Math.trunc(i) == i) {
    unsupported("index " + showNumber(i) + " is out of bounds (length " + len.toString() + "): JavaScript would read undefined");
  } else {
    unsupported("index " + showNumber(i) + " is not an array index (length " + len.toString() + "): JavaScript would read undefined");
  }
}

/** Whether `a[i]` is an element (i integral in [0, length)): `i in a`, or a guard before __js_array_get. */
@inline
export function __js_array_has_index<T>(a: Array<T>, i: f64): bool {
  return __js_array_has_index_at<T>(changetype<usize>(a), i);
}

@inline
export function __js_array_has_index_at<T>(p: usize, i: f64): bool {
  return isIndexBelow(i, lengthAt(p));
}

/**
 * `a[i] = v`: i in [0, length) replaces, i == length appends. Aborts for i > length ("JavaScript
 * would leave holes") and for a negative, fractional or NaN i ("JavaScript would set a property
 * that is not an element").
 */
@inline
export function __js_array_set<T>(a: Array<T>, i: f64, v: T): void {
  const p = changetype<usize>(a);
  const at = addressAt<T>(p, <i32>i);
  if (isIndexBelow(i, lengthAt(p))) storeAtAddress<T>(p, at, v);
  else arraySetSlow<T>(a, i, v);
}

/** `a[i] = v` as an expression: __js_array_set, then v. */
@inline
export function __js_array_set_value<T>(a: Array<T>, i: f64, v: T): T {
  return __js_array_set_value_at<T>(changetype<usize>(a), i, v);
}

@inline
export function __js_array_set_value_at<T>(p: usize, i: f64, v: T): T {
  const at = addressAt<T>(p, <i32>i);
  if (isIndexBelow(i, lengthAt(p))) storeAtAddress<T>(p, at, v);
  else arraySetSlow<T>(changetype<Array<T>>(p), i, v);
  return v;
}

function arraySetSlow<T>(a: Array<T>, i: f64, v: T): void {
  const len = a.length;
  if (i == <f64>len) {
    a.push(v);
    return;
  }
  if (i > <f64>len && Math.trunc(i) == i && i < 4294967295.0) {
    unsupported("index " + showNumber(i) + " is beyond the end of the array (length " + len.toString() + "): JavaScript would leave holes");
  } else {
    unsupported("index " + showNumber(i) + " is not an array index (length " + len.toString() + "): JavaScript would set a property that is not an element");
  }
}

/**
 * `a.length = n`: truncates (n <= length). Throws RangeError "Invalid array length" unless n is an
 * integer in [0, 2^32 - 1]; aborts for n > length (JavaScript would add holes).
 */
export function __js_array_set_length<T>(a: Array<T>, n: f64): void {
  if (!(n >= 0 && n <= 4294967295.0 && Math.trunc(n) == n)) throwError("RangeError", "Invalid array length");
  const len = a.length;
  if (n > <f64>len) {
    unsupported("setting length " + showNumber(n) + " beyond the current length " + len.toString() + ": JavaScript would add holes");
  }
  a.length = <i32>n;
}

/** `a.at(i)`: relative index; aborts when out of range ("JavaScript would return undefined"). */
export function __js_array_at<T>(a: Array<T>, i: f64): T {
  const len = a.length;
  let k = toIntegerOrInfinity(i);
  if (k < 0) k += <f64>len;
  if (!(k >= 0 && k < <f64>len)) {
    unsupported("at(" + showNumber(i) + ") is out of bounds (length " + len.toString() + "): JavaScript would return undefined");
  }
  return unchecked(a[<i32>k]);
}

/** Whether `a.at(i)` is an element (JavaScript gives undefined otherwise). */
export function __js_array_at_in_range<T>(a: Array<T>, i: f64): bool {
  const len = a.length;
  let k = toIntegerOrInfinity(i);
  if (k < 0) k += <f64>len;
  return k >= 0 && k < <f64>len;
}

// ---------------------------------------------------------------------------------------------
// Adding and removing elements

/** `a.push(v)` for one argument (call once per argument, after evaluating all of them); returns the new length. */
// Inlined with the fields read directly (see lengthAt): when there is spare capacity a push is
// a store and a length update; growing goes through the std library's push.
@inline
export function __js_array_push<T>(a: Array<T>, v: T): f64 {
  const p = changetype<usize>(a);
  const len = lengthAt(p);
  if (len < (load<i32>(p, offsetof<Array<u8>>("byteLength")) >>> alignof<T>())) {
    storeAt<T>(p, len, v);
    store<i32>(p, len + 1, offsetof<Array<u8>>("length_"));
    return <f64>(len + 1);
  }
  return pushSlow<T>(a, v);
}

function pushSlow<T>(a: Array<T>, v: T): f64 {
  return <f64>a.push(v);
}

/** `a.push(...items)`; returns the new length. (items may be `a` itself.) */
export function __js_array_push_many<T>(a: Array<T>, items: Array<T>): f64 {
  const n = items.length;
  for (let i = 0; i < n; i++) a.push(unchecked(items[i]));
  return <f64>a.length;
}

/** `a.pop()`: aborts on an empty array ("pop() on an empty array: JavaScript would return undefined"). */
export function __js_array_pop<T>(a: Array<T>): T {
  const len = a.length;
  if (len == 0) unsupported("pop() on an empty array: JavaScript would return undefined");
  const v = unchecked(a[len - 1]);
  a.length = len - 1;
  return v;
}

/** `a.shift()`: aborts on an empty array ("shift() on an empty array: JavaScript would return undefined"). */
export function __js_array_shift<T>(a: Array<T>): T {
  const len = a.length;
  if (len == 0) unsupported("shift() on an empty array: JavaScript would return undefined");
  return a.shift(); // a memmove: O(length), where V8 usually trims the front in O(1)
}

/** `a.unshift(v)` for one argument; returns the new length. For `a.unshift(x, y)` use __js_array_unshift_many. */
export function __js_array_unshift<T>(a: Array<T>, v: T): f64 {
  return <f64>a.unshift(v);
}

/** `a.unshift(...items)`: inserts items (in order) at the front; returns the new length. */
export function __js_array_unshift_many<T>(a: Array<T>, items: Array<T>): f64 {
  const n = items.length;
  if (n == 0) return <f64>a.length;
  const copy = changetype<usize>(items) == changetype<usize>(a) ? items.slice(0) : items;
  insertAt<T>(a, 0, copy);
  return <f64>a.length;
}

/**
 * `a.splice(start, deleteCount, ...items)`: returns the removed elements. `deleteCount` absent
 * (the default, +Infinity) removes to the end; an explicit `undefined` deleteCount means 0 (pass NaN).
 * `items` null or empty inserts nothing. `a.splice()` with no argument at all removes nothing:
 * pass start = +Infinity.
 */
export function __js_array_splice<T>(a: Array<T>, start: f64, deleteCount: f64 = Infinity, items: Array<T> | null = null): Array<T> {
  const len = a.length;
  const actualStart = relativeIndex(start, len);
  const dc = toIntegerOrInfinity(deleteCount);
  const maxDelete = len - actualStart;
  const actualDelete = dc <= 0 ? 0 : dc >= <f64>maxDelete ? maxDelete : <i32>dc;
  let insert = items;
  // `a.splice(x, y, ...a)` spreads a before the call: insert a copy
  if (insert !== null && changetype<usize>(insert) == changetype<usize>(a)) insert = a.slice(0);
  const removed = a.splice(actualStart, actualDelete);
  if (insert !== null) insertAt<T>(a, actualStart, insert);
  return removed;
}

/** Inserts items at `at` (0 <= at <= length), moving the tail with one memmove. */
function insertAt<T>(a: Array<T>, at: i32, items: Array<T>): void {
  const n = items.length;
  if (n == 0) return;
  const len = a.length;
  const placeholder = unchecked(items[0]);
  for (let i = 0; i < n; i++) a.push(placeholder);
  const base = a.dataStart;
  memory.copy(base + (<usize>(at + n) << alignof<T>()), base + (<usize>at << alignof<T>()), <usize>(len - at) << alignof<T>());
  for (let i = 0; i < n; i++) unchecked((a[at + i] = items[i]));
}

/** `a.slice(start, end)`: relative indices; `end` absent or undefined is the length (the default). */
export function __js_array_slice<T>(a: Array<T>, start: f64 = 0, end: f64 = Infinity): Array<T> {
  const len = a.length;
  const from = relativeIndex(start, len);
  const to = relativeIndex(end, len);
  return a.slice(from, to);
}

/** `a.concat(b)` where b is an array of the same element type (spread one level). */
export function __js_array_concat<T>(a: Array<T>, b: Array<T>): Array<T> {
  const out = new Array<T>(0);
  const n = a.length;
  for (let i = 0; i < n; i++) out.push(unchecked(a[i]));
  const m = b.length;
  for (let i = 0; i < m; i++) out.push(unchecked(b[i]));
  return out;
}

/** `a.concat(v)` where v is a single (non-array) value. */
export function __js_array_concat_value<T>(a: Array<T>, v: T): Array<T> {
  const out = a.slice(0);
  out.push(v);
  return out;
}

/** `a.fill(v, start, end)`: relative indices; returns a. */
export function __js_array_fill<T>(a: Array<T>, v: T, start: f64 = 0, end: f64 = Infinity): Array<T> {
  const len = a.length;
  const from = relativeIndex(start, len);
  const to = relativeIndex(end, len);
  const p = changetype<usize>(a);
  for (let i = from; i < to; i++) storeAt<T>(p, i, v);
  return a;
}

/** `a.copyWithin(target, start, end)`: relative indices; returns a. */
export function __js_array_copy_within<T>(a: Array<T>, target: f64, start: f64 = 0, end: f64 = Infinity): Array<T> {
  const len = a.length;
  const to = relativeIndex(target, len);
  const from = relativeIndex(start, len);
  const final = relativeIndex(end, len);
  const count = min(final - from, len - to);
  if (count <= 0) return a;
  // elements move within one array (no new references for the collector to see): a memmove
  const base = a.dataStart;
  memory.copy(base + (<usize>to << alignof<T>()), base + (<usize>from << alignof<T>()), <usize>count << alignof<T>());
  return a;
}

/** `a.reverse()`: in place; returns a. */
export function __js_array_reverse<T>(a: Array<T>): Array<T> {
  let i = 0;
  let j = a.length - 1;
  while (i < j) {
    const t = unchecked(a[i]);
    unchecked((a[i] = a[j]));
    unchecked((a[j] = t));
    i++;
    j--;
  }
  return a;
}

/** `a.toReversed()`: a reversed copy. */
export function __js_array_to_reversed<T>(a: Array<T>): Array<T> {
  return __js_array_reverse<T>(a.slice(0));
}

/** `a.with(i, v)`: a copy with one element replaced (relative index); RangeError "Invalid index : 5" when out of range. */
export function __js_array_with<T>(a: Array<T>, i: f64, v: T): Array<T> {
  const len = a.length;
  const rel = toIntegerOrInfinity(i);
  const k = rel >= 0 ? rel : <f64>len + rel;
  if (!(k >= 0 && k < <f64>len)) throwError("RangeError", "Invalid index : " + showNumber(rel));
  const out = a.slice(0);
  unchecked((out[<i32>k] = v));
  return out;
}

/** `a.flat()` (depth 1) of an array of arrays; depth 2 is flat(flat(a)) for three levels, and so on; flat(0) is a copy. */
export function __js_array_flat<T>(a: Array<Array<T>>): Array<T> {
  const out = new Array<T>(0);
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const inner = unchecked(a[i]);
    const m = inner.length;
    for (let j = 0; j < m; j++) out.push(unchecked(inner[j]));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Searching

function startIndex(fromIndex: f64, len: i32): i32 {
  const n = toIntegerOrInfinity(fromIndex);
  if (n >= 0) return n >= <f64>len ? len : <i32>n;
  const k = <f64>len + n;
  return k <= 0 ? 0 : <i32>k;
}

/** `a.indexOf(v, fromIndex)` with === (NaN is never found, -0 finds 0); returns -1 when absent. */
export function __js_array_index_of<T>(a: Array<T>, v: T, fromIndex: f64 = 0): f64 {
  const len = a.length;
  for (let i = startIndex(fromIndex, len); i < len; i++) {
    if (strictEquals<T>(unchecked(a[i]), v)) return <f64>i;
  }
  return -1;
}

/**
 * `a.lastIndexOf(v, fromIndex)` with ===. fromIndex absent (the default, +Infinity) searches from
 * the end; an explicit `undefined` fromIndex means 0 in JavaScript (pass NaN).
 */
export function __js_array_last_index_of<T>(a: Array<T>, v: T, fromIndex: f64 = Infinity): f64 {
  const len = a.length;
  if (len == 0) return -1;
  const n = toIntegerOrInfinity(fromIndex);
  let k: i32;
  if (n >= 0) {
    k = n >= <f64>(len - 1) ? len - 1 : <i32>n;
  } else {
    const r = <f64>len + n;
    if (r < 0) return -1;
    k = <i32>r;
  }
  for (let i = k; i >= 0; i--) {
    if (strictEquals<T>(unchecked(a[i]), v)) return <f64>i;
  }
  return -1;
}

/** `a.includes(v, fromIndex)` with SameValueZero (NaN is found, -0 finds 0). */
export function __js_array_includes<T>(a: Array<T>, v: T, fromIndex: f64 = 0): bool {
  const len = a.length;
  for (let i = startIndex(fromIndex, len); i < len; i++) {
    if (sameValueZero<T>(unchecked(a[i]), v)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Strings

/** `a.join(sep)` (default ","): elements as String(e), null as "", nested arrays joined with ",". */
export function __js_array_join<T>(a: Array<T>, sep: string = ","): string {
  const n = a.length;
  if (n == 0) return "";
  if (n == 1) return elementToString<T>(unchecked(a[0]), "");
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) unchecked((parts[i] = elementToString<T>(unchecked(a[i]), "")));
  return parts.join(sep);
}

/** `a.toString()` / String(a) / `${a}`: join with ",". */
export function __js_array_to_string<T>(a: Array<T>): string {
  return __js_array_join<T>(a, ",");
}

// ---------------------------------------------------------------------------------------------
// Callbacks

/** `a.forEach(f)`: f(value, index, array) for each index below the initial length still present. */
export function __js_array_for_each<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, void>): void {
  const len = a.length;
  for (let k = 0; k < len && k < a.length; k++) f.call(unchecked(a[k]), <f64>k, a);
}

/** `a.map(f)`: aborts if the callback shortened the array (JavaScript's result would have holes). */
export function __js_array_map<T, U>(a: Array<T>, f: __Fn3<T, f64, Array<T>, U>): Array<U> {
  const len = a.length;
  const out = new Array<U>(0);
  for (let k = 0; k < len; k++) {
    if (k >= a.length) {
      unsupported("the map() callback shortened the array from " + len.toString() + " to " + a.length.toString() + " elements: JavaScript's result would have holes");
    }
    out.push(f.call(unchecked(a[k]), <f64>k, a));
  }
  return out;
}

/** `a.filter(f)`: f returns the truthiness of the callback's result (the emitter converts). */
export function __js_array_filter<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>): Array<T> {
  const len = a.length;
  const out = new Array<T>(0);
  for (let k = 0; k < len && k < a.length; k++) {
    const v = unchecked(a[k]);
    if (f.call(v, <f64>k, a)) out.push(v);
  }
  return out;
}

/** `a.some(f)`. */
export function __js_array_some<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>): bool {
  const len = a.length;
  for (let k = 0; k < len && k < a.length; k++) {
    if (f.call(unchecked(a[k]), <f64>k, a)) return true;
  }
  return false;
}

/** `a.every(f)`. */
export function __js_array_every<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>): bool {
  const len = a.length;
  for (let k = 0; k < len && k < a.length; k++) {
    if (!f.call(unchecked(a[k]), <f64>k, a)) return false;
  }
  return true;
}

function findShortened(name: string, len: i32, now: i32): void {
  unsupported("the " + name + "() callback shortened the array from " + len.toString() + " to " + now.toString() + " elements: JavaScript would call it with undefined");
}

/** `a.findIndex(f)`: -1 when no element matches. Aborts if the callback shortened the array before the search ended. */
export function __js_array_find_index<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>): f64 {
  const len = a.length;
  for (let k = 0; k < len; k++) {
    if (k >= a.length) findShortened("findIndex", len, a.length);
    if (f.call(unchecked(a[k]), <f64>k, a)) return <f64>k;
  }
  return -1;
}

/** `a.find(f)`: aborts when no element matches ("find() found no element: JavaScript would return undefined"); see __js_array_find_or. */
export function __js_array_find<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>): T {
  const len = a.length;
  for (let k = 0; k < len; k++) {
    if (k >= a.length) findShortened("find", len, a.length);
    const v = unchecked(a[k]);
    if (f.call(v, <f64>k, a)) return v;
  }
  unsupported("find() found no element: JavaScript would return undefined");
  return unchecked(a[0]);
}

/** `a.find(f) ?? fallback`: the first matching element, else fallback (for `?? x`, `|| x` with a truthy-only result, or a nullable T with fallback null). */
export function __js_array_find_or<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>, fallback: T): T {
  const len = a.length;
  for (let k = 0; k < len; k++) {
    if (k >= a.length) findShortened("find", len, a.length);
    const v = unchecked(a[k]);
    if (f.call(v, <f64>k, a)) return v;
  }
  return fallback;
}

/** `a.findLastIndex(f)`: -1 when none matches. */
export function __js_array_find_last_index<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>): f64 {
  const len = a.length;
  for (let k = len - 1; k >= 0; k--) {
    if (k >= a.length) findShortened("findLastIndex", len, a.length);
    if (f.call(unchecked(a[k]), <f64>k, a)) return <f64>k;
  }
  return -1;
}

/** `a.findLast(f)`: aborts when none matches ("findLast() found no element: JavaScript would return undefined"). */
export function __js_array_find_last<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>): T {
  const len = a.length;
  for (let k = len - 1; k >= 0; k--) {
    if (k >= a.length) findShortened("findLast", len, a.length);
    const v = unchecked(a[k]);
    if (f.call(v, <f64>k, a)) return v;
  }
  unsupported("findLast() found no element: JavaScript would return undefined");
  return unchecked(a[0]);
}

/** `a.findLast(f) ?? fallback`. */
export function __js_array_find_last_or<T>(a: Array<T>, f: __Fn3<T, f64, Array<T>, bool>, fallback: T): T {
  const len = a.length;
  for (let k = len - 1; k >= 0; k--) {
    if (k >= a.length) findShortened("findLast", len, a.length);
    const v = unchecked(a[k]);
    if (f.call(v, <f64>k, a)) return v;
  }
  return fallback;
}

/** `a.reduce(f, initial)`: f(accumulator, value, index, array). */
export function __js_array_reduce<T, U>(a: Array<T>, f: __Fn4<U, T, f64, Array<T>, U>, initial: U): U {
  const len = a.length;
  let acc = initial;
  for (let k = 0; k < len && k < a.length; k++) acc = f.call(acc, unchecked(a[k]), <f64>k, a);
  return acc;
}

/** `a.reduce(f)` without an initial value: TypeError "Reduce of empty array with no initial value" on an empty array. */
export function __js_array_reduce1<T>(a: Array<T>, f: __Fn4<T, T, f64, Array<T>, T>): T {
  const len = a.length;
  if (len == 0) throwError("TypeError", "Reduce of empty array with no initial value");
  let acc = unchecked(a[0]);
  for (let k = 1; k < len && k < a.length; k++) acc = f.call(acc, unchecked(a[k]), <f64>k, a);
  return acc;
}

/** `a.reduceRight(f, initial)`. */
export function __js_array_reduce_right<T, U>(a: Array<T>, f: __Fn4<U, T, f64, Array<T>, U>, initial: U): U {
  const len = a.length;
  let acc = initial;
  for (let k = len - 1; k >= 0; k--) {
    if (k < a.length) acc = f.call(acc, unchecked(a[k]), <f64>k, a);
  }
  return acc;
}

/** `a.reduceRight(f)` without an initial value: TypeError "Reduce of empty array with no initial value" on an empty array. */
export function __js_array_reduce_right1<T>(a: Array<T>, f: __Fn4<T, T, f64, Array<T>, T>): T {
  const len = a.length;
  if (len == 0) throwError("TypeError", "Reduce of empty array with no initial value");
  let acc = unchecked(a[len - 1]);
  for (let k = len - 2; k >= 0; k--) {
    if (k < a.length) acc = f.call(acc, unchecked(a[k]), <f64>k, a);
  }
  return acc;
}

/** `a.flatMap(f)` where f returns an array (if it returns a single value, that is `map`). */
export function __js_array_flat_map<T, U>(a: Array<T>, f: __Fn3<T, f64, Array<T>, Array<U>>): Array<U> {
  const len = a.length;
  const out = new Array<U>(0);
  for (let k = 0; k < len && k < a.length; k++) {
    const r = f.call(unchecked(a[k]), <f64>k, a);
    const m = r.length;
    for (let j = 0; j < m; j++) out.push(unchecked(r[j]));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Creating arrays

/** `new Array(n).fill(v)`: RangeError "Invalid array length" unless n is an integer in [0, 2^32 - 1]. */
export function __js_array_new_filled<T>(n: f64, v: T): Array<T> {
  const len = checkArrayLength<T>(n);
  const out = new Array<T>(len);
  const p = changetype<usize>(out);
  for (let i = 0; i < len; i++) storeAt<T>(p, i, v);
  return out;
}

function toLengthForFrom<T>(n: f64): i32 {
  // ToLength, then ArrayCreate: lengths above 2^32 - 1 are a RangeError.
  const k = toIntegerOrInfinity(n);
  if (k <= 0) return 0;
  return checkArrayLength<T>(k);
}

/** `Array.from({ length: n }, (_, i) => …)`: f gets the index only (the value JavaScript passes is undefined). n is ToLength'd; RangeError "Invalid array length" above 2^32 - 1. */
export function __js_array_from_length<U>(n: f64, f: __Fn1<f64, U>): Array<U> {
  const len = toLengthForFrom<U>(n);
  const out = new Array<U>(0);
  for (let i = 0; i < len; i++) out.push(f.call(<f64>i));
  return out;
}

/** `Array.from({ length: n }).fill(v)` / `Array.from({ length: n }, () => v)` with a constant v. */
export function __js_array_from_length_filled<T>(n: f64, v: T): Array<T> {
  const len = toLengthForFrom<T>(n);
  const out = new Array<T>(len);
  const p = changetype<usize>(out);
  for (let i = 0; i < len; i++) storeAt<T>(p, i, v);
  return out;
}

/** `Array.from(a)` / `[...a]` / `a.slice()`: a shallow copy. */
export function __js_array_from_array<T>(a: Array<T>): Array<T> {
  return a.slice(0);
}

/** `Array.from(a, (v, i) => …)`: the array iterator reads the live length, as in JavaScript. */
export function __js_array_from_array_map<T, U>(a: Array<T>, f: __Fn2<T, f64, U>): Array<U> {
  const out = new Array<U>(0);
  for (let k = 0; k < a.length; k++) out.push(f.call(unchecked(a[k]), <f64>k));
  return out;
}

/** `Array.from(s)` / `[...s]`: the string's code points (a lone surrogate is its own element). */
export function __js_array_from_string(s: string): Array<string> {
  return __js_str_code_points(s);
}

/** `Array.from(s, (c, i) => …)`. */
export function __js_array_from_string_map<U>(s: string, f: __Fn2<string, f64, U>): Array<U> {
  const points = __js_str_code_points(s);
  const out = new Array<U>(0);
  const n = points.length;
  for (let k = 0; k < n; k++) out.push(f.call(unchecked(points[k]), <f64>k));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sorting: V8's TimSort (third_party/v8/builtins/array-sort.tq, itself CPython's listsort)

// @ts-ignore: decorator
@inline const MIN_GALLOP: i32 = 7;
// @ts-ignore: decorator
@inline const MAX_PENDING_RUNS: i32 = 85;

// Element access of the sort's StaticArrays (data at the object's start), without the std
// library's method calls (see lengthAt).
@inline
function sget<T>(a: StaticArray<T>, i: i32): T {
  return load<T>(changetype<usize>(a) + (<usize>i << alignof<T>()));
}

@inline
function sset<T>(a: StaticArray<T>, i: i32, v: T): void {
  store<T>(changetype<usize>(a) + (<usize>i << alignof<T>()), v);
  if (isManaged<T>()) __link(changetype<usize>(a), changetype<usize>(v), true);
}

class TimSort<T> {
  work: StaticArray<T>;
  temp: StaticArray<T> = new StaticArray<T>(0);
  minGallop: i32 = MIN_GALLOP;
  runBase: StaticArray<i32> = new StaticArray<i32>(MAX_PENDING_RUNS);
  runLength: StaticArray<i32> = new StaticArray<i32>(MAX_PENDING_RUNS);
  runCount: i32 = 0;

  constructor(work: StaticArray<T>, public cmp: __Fn2<T, T, f64>) {
    this.work = work;
  }

  /** The comparator's result, NaN counting as 0 (V8's ToNumber then NaN check). */
  @inline order(x: T, y: T): f64 {
    const r = this.cmp.call(x, y);
    return r != r ? 0 : r;
  }

  tempArray(n: i32): StaticArray<T> {
    if (this.temp.length < n) this.temp = new StaticArray<T>(n);
    return this.temp;
  }

  sort(): void {
    const length = this.work.length;
    if (length < 2) return;
    let remaining = length;
    let low = 0;
    const minRun = computeMinRunLength(remaining);
    while (remaining != 0) {
      let currentRun = this.countAndMakeRun(low, low + remaining);
      if (currentRun < minRun) {
        const forced = min(minRun, remaining);
        this.binaryInsertionSort(low, low + currentRun, low + forced);
        currentRun = forced;
      }
      sset(this.runBase, this.runCount, low);
      sset(this.runLength, this.runCount, currentRun);
      this.runCount++;
      this.mergeCollapse();
      low += currentRun;
      remaining -= currentRun;
    }
    this.mergeForceCollapse();
  }

  binaryInsertionSort(low: i32, startArg: i32, high: i32): void {
    const work = this.work;
    let start = low == startArg ? startArg + 1 : startArg;
    for (; start < high; ++start) {
      let left = low;
      let right = start;
      const pivot = sget(work, start);
      while (left < right) {
        const mid = left + ((right - left) >> 1);
        const order = this.order(pivot, sget(work, mid));
        if (order < 0) right = mid;
        else left = mid + 1;
      }
      for (let p = start; p > left; --p) sset(work, p, sget(work, p - 1));
      sset(work, left, pivot);
    }
  }

  countAndMakeRun(lowArg: i32, high: i32): i32 {
    const work = this.work;
    const low = lowArg + 1;
    if (low == high) return 1;
    let runLength = 2;
    const elementLow = sget(work, low);
    const elementLowPre = sget(work, low - 1);
    let order = this.order(elementLow, elementLowPre);
    const isDescending = order < 0;
    let previous = elementLow;
    for (let idx = low + 1; idx < high; ++idx) {
      const current = sget(work, idx);
      order = this.order(current, previous);
      if (isDescending) {
        if (order >= 0) break;
      } else {
        if (order < 0) break;
      }
      previous = current;
      ++runLength;
    }
    if (isDescending) {
      let from = lowArg;
      let to = lowArg + runLength - 1;
      while (from < to) {
        const t = sget(work, from);
        sset(work, from, sget(work, to));
        sset(work, to, t);
        from++;
        to--;
      }
    }
    return runLength;
  }

  @inline runInvariantEstablished(n: i32): bool {
    if (n < 2) return true;
    return sget(this.runLength, n - 2) > sget(this.runLength, n - 1) + sget(this.runLength, n);
  }

  mergeCollapse(): void {
    while (this.runCount > 1) {
      let n = this.runCount - 2;
      if (!this.runInvariantEstablished(n + 1) || !this.runInvariantEstablished(n)) {
        if (sget(this.runLength, n - 1) < sget(this.runLength, n + 1)) --n;
        this.mergeAt(n);
      } else if (sget(this.runLength, n) <= sget(this.runLength, n + 1)) {
        this.mergeAt(n);
      } else {
        break;
      }
    }
  }

  mergeForceCollapse(): void {
    while (this.runCount > 1) {
      let n = this.runCount - 2;
      if (n > 0 && sget(this.runLength, n - 1) < sget(this.runLength, n + 1)) --n;
      this.mergeAt(n);
    }
  }

  mergeAt(i: i32): void {
    const work = this.work;
    const stackSize = this.runCount;
    let baseA = sget(this.runBase, i);
    let lengthA = sget(this.runLength, i);
    const baseB = sget(this.runBase, i + 1);
    let lengthB = sget(this.runLength, i + 1);
    sset(this.runLength, i, lengthA + lengthB);
    if (i == stackSize - 3) {
      sset(this.runBase, i + 1, sget(this.runBase, i + 2));
      sset(this.runLength, i + 1, sget(this.runLength, i + 2));
    }
    this.runCount = stackSize - 1;

    const keyRight = sget(work, baseB);
    const k = this.gallopRight(work, keyRight, baseA, lengthA, 0);
    baseA = baseA + k;
    lengthA = lengthA - k;
    if (lengthA == 0) return;

    const keyLeft = sget(work, baseA + lengthA - 1);
    lengthB = this.gallopLeft(work, keyLeft, baseB, lengthB, lengthB - 1);
    if (lengthB == 0) return;

    if (lengthA <= lengthB) this.mergeLow(baseA, lengthA, baseB, lengthB);
    else this.mergeHigh(baseA, lengthA, baseB, lengthB);
  }

  gallopLeft(array: StaticArray<T>, key: T, base: i32, length: i32, hint: i32): i32 {
    let lastOfs = 0;
    let offset = 1;
    const baseHintElement = sget(array, base + hint);
    let order = this.order(baseHintElement, key);
    if (order < 0) {
      const maxOfs = length - hint;
      while (offset < maxOfs) {
        order = this.order(sget(array, base + hint + offset), key);
        if (order >= 0) break;
        lastOfs = offset;
        offset = (offset << 1) + 1;
        if (offset <= 0) offset = maxOfs;
      }
      if (offset > maxOfs) offset = maxOfs;
      lastOfs = lastOfs + hint;
      offset = offset + hint;
    } else {
      const maxOfs = hint + 1;
      while (offset < maxOfs) {
        order = this.order(sget(array, base + hint - offset), key);
        if (order < 0) break;
        lastOfs = offset;
        offset = (offset << 1) + 1;
        if (offset <= 0) offset = maxOfs;
      }
      if (offset > maxOfs) offset = maxOfs;
      const tmp = lastOfs;
      lastOfs = hint - offset;
      offset = hint - tmp;
    }
    lastOfs++;
    while (lastOfs < offset) {
      const m = lastOfs + ((offset - lastOfs) >> 1);
      order = this.order(sget(array, base + m), key);
      if (order < 0) lastOfs = m + 1;
      else offset = m;
    }
    return offset;
  }

  gallopRight(array: StaticArray<T>, key: T, base: i32, length: i32, hint: i32): i32 {
    let lastOfs = 0;
    let offset = 1;
    const baseHintElement = sget(array, base + hint);
    let order = this.order(key, baseHintElement);
    if (order < 0) {
      const maxOfs = hint + 1;
      while (offset < maxOfs) {
        order = this.order(key, sget(array, base + hint - offset));
        if (order >= 0) break;
        lastOfs = offset;
        offset = (offset << 1) + 1;
        if (offset <= 0) offset = maxOfs;
      }
      if (offset > maxOfs) offset = maxOfs;
      const tmp = lastOfs;
      lastOfs = hint - offset;
      offset = hint - tmp;
    } else {
      const maxOfs = length - hint;
      while (offset < maxOfs) {
        order = this.order(key, sget(array, base + hint + offset));
        if (order < 0) break;
        lastOfs = offset;
        offset = (offset << 1) + 1;
        if (offset <= 0) offset = maxOfs;
      }
      if (offset > maxOfs) offset = maxOfs;
      lastOfs = lastOfs + hint;
      offset = offset + hint;
    }
    lastOfs++;
    while (lastOfs < offset) {
      const m = lastOfs + ((offset - lastOfs) >> 1);
      order = this.order(key, sget(array, base + m));
      if (order < 0) offset = m;
      else lastOfs = m + 1;
    }
    return offset;
  }

  mergeLow(baseA: i32, lengthAArg: i32, baseB: i32, lengthBArg: i32): void {
    let lengthA = lengthAArg;
    let lengthB = lengthBArg;
    const work = this.work;
    const temp = this.tempArray(lengthA);
    copyElements<T>(work, baseA, temp, 0, lengthA);

    let dest = baseA;
    let cursorTemp = 0;
    let cursorB = baseB;

    sset(work, dest++, sget(work, cursorB++));

    // outcome: 0 = Succeed, 1 = CopyB
    let outcome = 0;
    do {
      if (--lengthB == 0) break;
      if (lengthA == 1) {
        outcome = 1;
        break;
      }
      let minGallop = this.minGallop;
      let done = false;
      while (!done) {
        let winsA = 0;
        let winsB = 0;
        while (true) {
          const order = this.order(sget(work, cursorB), sget(temp, cursorTemp));
          if (order < 0) {
            sset(work, dest++, sget(work, cursorB++));
            ++winsB;
            --lengthB;
            winsA = 0;
            if (lengthB == 0) {
              done = true;
              break;
            }
            if (winsB >= minGallop) break;
          } else {
            sset(work, dest++, sget(temp, cursorTemp++));
            ++winsA;
            --lengthA;
            winsB = 0;
            if (lengthA == 1) {
              outcome = 1;
              done = true;
              break;
            }
            if (winsA >= minGallop) break;
          }
        }
        if (done) break;

        ++minGallop;
        let firstIteration = true;
        while (winsA >= MIN_GALLOP || winsB >= MIN_GALLOP || firstIteration) {
          firstIteration = false;
          minGallop = max(1, minGallop - 1);
          this.minGallop = minGallop;

          winsA = this.gallopRight(temp, sget(work, cursorB), cursorTemp, lengthA, 0);
          if (winsA > 0) {
            copyElements<T>(temp, cursorTemp, work, dest, winsA);
            dest += winsA;
            cursorTemp += winsA;
            lengthA -= winsA;
            if (lengthA == 1) {
              outcome = 1;
              done = true;
              break;
            }
            if (lengthA == 0) {
              done = true;
              break;
            }
          }
          sset(work, dest++, sget(work, cursorB++));
          if (--lengthB == 0) {
            done = true;
            break;
          }

          winsB = this.gallopLeft(work, sget(temp, cursorTemp), cursorB, lengthB, 0);
          if (winsB > 0) {
            copyElements<T>(work, cursorB, work, dest, winsB);
            dest += winsB;
            cursorB += winsB;
            lengthB -= winsB;
            if (lengthB == 0) {
              done = true;
              break;
            }
          }
          sset(work, dest++, sget(temp, cursorTemp++));
          if (--lengthA == 1) {
            outcome = 1;
            done = true;
            break;
          }
        }
        if (done) break;
        ++minGallop;
        this.minGallop = minGallop;
      }
    } while (false);

    if (outcome == 0) {
      if (lengthA > 0) copyElements<T>(temp, cursorTemp, work, dest, lengthA);
    } else {
      // The last element of run A belongs at the end of the merge.
      copyElements<T>(work, cursorB, work, dest, lengthB);
      sset(work, dest + lengthB, sget(temp, cursorTemp));
    }
  }

  mergeHigh(baseA: i32, lengthAArg: i32, baseB: i32, lengthBArg: i32): void {
    let lengthA = lengthAArg;
    let lengthB = lengthBArg;
    const work = this.work;
    const temp = this.tempArray(lengthB);
    copyElements<T>(work, baseB, temp, 0, lengthB);

    let dest = baseB + lengthB - 1;
    let cursorTemp = lengthB - 1;
    let cursorA = baseA + lengthA - 1;

    sset(work, dest--, sget(work, cursorA--));

    // outcome: 0 = Succeed, 1 = CopyA
    let outcome = 0;
    do {
      if (--lengthA == 0) break;
      if (lengthB == 1) {
        outcome = 1;
        break;
      }
      let minGallop = this.minGallop;
      let done = false;
      while (!done) {
        let winsA = 0;
        let winsB = 0;
        while (true) {
          const order = this.order(sget(temp, cursorTemp), sget(work, cursorA));
          if (order < 0) {
            sset(work, dest--, sget(work, cursorA--));
            ++winsA;
            --lengthA;
            winsB = 0;
            if (lengthA == 0) {
              done = true;
              break;
            }
            if (winsA >= minGallop) break;
          } else {
            sset(work, dest--, sget(temp, cursorTemp--));
            ++winsB;
            --lengthB;
            winsA = 0;
            if (lengthB == 1) {
              outcome = 1;
              done = true;
              break;
            }
            if (winsB >= minGallop) break;
          }
        }
        if (done) break;

        ++minGallop;
        let firstIteration = true;
        while (winsA >= MIN_GALLOP || winsB >= MIN_GALLOP || firstIteration) {
          firstIteration = false;
          minGallop = max(1, minGallop - 1);
          this.minGallop = minGallop;

          let k = this.gallopRight(work, sget(temp, cursorTemp), baseA, lengthA, lengthA - 1);
          winsA = lengthA - k;
          if (winsA > 0) {
            dest -= winsA;
            cursorA -= winsA;
            copyElements<T>(work, cursorA + 1, work, dest + 1, winsA);
            lengthA -= winsA;
            if (lengthA == 0) {
              done = true;
              break;
            }
          }
          sset(work, dest--, sget(temp, cursorTemp--));
          if (--lengthB == 1) {
            outcome = 1;
            done = true;
            break;
          }

          k = this.gallopLeft(temp, sget(work, cursorA), 0, lengthB, lengthB - 1);
          winsB = lengthB - k;
          if (winsB > 0) {
            dest -= winsB;
            cursorTemp -= winsB;
            copyElements<T>(temp, cursorTemp + 1, work, dest + 1, winsB);
            lengthB -= winsB;
            if (lengthB == 1) {
              outcome = 1;
              done = true;
              break;
            }
            if (lengthB == 0) {
              done = true;
              break;
            }
          }
          sset(work, dest--, sget(work, cursorA--));
          if (--lengthA == 0) {
            done = true;
            break;
          }
        }
        if (done) break;
        ++minGallop;
        this.minGallop = minGallop;
      }
    } while (false);

    if (outcome == 0) {
      if (lengthB > 0) copyElements<T>(temp, 0, work, dest - (lengthB - 1), lengthB);
    } else {
      // The first element of run B belongs at the front of the merge.
      dest -= lengthA;
      cursorA -= lengthA;
      copyElements<T>(work, cursorA + 1, work, dest + 1, lengthA);
      sset(work, dest, sget(temp, cursorTemp));
    }
  }
}

function computeMinRunLength(nArg: i32): i32 {
  let n = nArg;
  let r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

/** Copies n elements (memmove semantics: overlapping ranges of one array are fine). */
function copyElements<T>(src: StaticArray<T>, srcPos: i32, dst: StaticArray<T>, dstPos: i32, n: i32): void {
  if (!isManaged<T>()) {
    memory.copy(changetype<usize>(dst) + (<usize>dstPos << alignof<T>()), changetype<usize>(src) + (<usize>srcPos << alignof<T>()), <usize>n << alignof<T>());
    return;
  }
  if (srcPos < dstPos && changetype<usize>(src) == changetype<usize>(dst)) {
    for (let i = n - 1; i >= 0; i--) sset(dst, dstPos + i, sget(src, srcPos + i));
  } else {
    for (let i = 0; i < n; i++) sset(dst, dstPos + i, sget(src, srcPos + i));
  }
}

/** Sorts a in place with the TimSort above and the comparator `cmp`. */
function timSortInPlace<T>(a: Array<T>, cmp: __Fn2<T, T, f64>): void {
  const n = a.length;
  if (n < 2) return;
  const work = new StaticArray<T>(n);
  const pa = changetype<usize>(a);
  for (let i = 0; i < n; i++) sset(work, i, loadAt<T>(pa, i));
  const sorter = new TimSort<T>(work, cmp);
  sorter.sort();
  // V8 writes back over the receiver's first n elements (the comparator may have changed its length).
  const m = a.length;
  for (let i = 0; i < n; i++) {
    if (i < m) storeAt<T>(changetype<usize>(a), i, sget(work, i));
    else a.push(sget(work, i));
  }
}

/** Default order: compares the precomputed String(element) keys by UTF-16 code units. */
class KeyOrder extends __Fn2<i32, i32, f64> {
  constructor(public keys: Array<string>) {
    super();
  }
  call(x: i32, y: i32): f64 {
    return <f64>__js_str_compare(unchecked(this.keys[x]), unchecked(this.keys[y]));
  }
}

class StringOrder extends __Fn2<string, string, f64> {
  call(x: string, y: string): f64 {
    return <f64>__js_str_compare(x, y);
  }
}

/**
 * `a.sort()` without a comparator: stable, by UTF-16 order of String(element) (so [10, 9, 1]
 * becomes [1, 10, 9]; null elements compare as "null"). Returns a.
 */
export function __js_array_sort<T>(a: Array<T>): Array<T> {
  const n = a.length;
  if (n < 2) return a;
  if (isString<T>() && !isNullable<T>()) {
    timSortInPlace<string>(changetype<Array<string>>(a), new StringOrder());
    return a;
  }
  const keys = new Array<string>(n);
  const order = new Array<i32>(n);
  for (let i = 0; i < n; i++) {
    unchecked((keys[i] = elementToString<T>(unchecked(a[i]), "null")));
    unchecked((order[i] = i));
  }
  timSortInPlace<i32>(order, new KeyOrder(keys));
  const copy = a.slice(0);
  for (let i = 0; i < n; i++) unchecked((a[i] = copy[order[i]]));
  return a;
}

/** `a.sort(cmp)`: V8's TimSort with cmp(x, y) (NaN counts as 0); returns a. */
export function __js_array_sort_by<T>(a: Array<T>, cmp: __Fn2<T, T, f64>): Array<T> {
  timSortInPlace<T>(a, cmp);
  return a;
}

/** `a.toSorted()`: a sorted copy (default order). */
export function __js_array_to_sorted<T>(a: Array<T>): Array<T> {
  return __js_array_sort<T>(a.slice(0));
}

/** `a.toSorted(cmp)`: a sorted copy. */
export function __js_array_to_sorted_by<T>(a: Array<T>, cmp: __Fn2<T, T, f64>): Array<T> {
  return __js_array_sort_by<T>(a.slice(0), cmp);
}
