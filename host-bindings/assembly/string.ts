// stelp runtime: JavaScript String.prototype semantics, V8-exact (AssemblyScript).
//
// Strings are AS strings: UTF-16 code units, exactly like JavaScript strings (lone surrogates
// included), so lengths and indices agree with V8. Position arguments are JavaScript numbers (f64)
// with the spec's conversions (ToIntegerOrInfinity: NaN -> 0, truncation, +-Infinity kept); an
// optional argument's AS default equals JavaScript's "argument absent" behaviour.
//
// Results JavaScript gives as `undefined` cannot be represented: those helpers abort with a message
// saying so, or have a NaN-returning variant plus an in-range test (documented per function).
// JavaScript exceptions (RangeError) abort with `Name: V8's message` via `throwError`, the one place
// to change when the runtime gets pending exceptions.
//
// Not provided (cannot match V8 without ICU data): localeCompare, normalize, toLocale*Case with a
// locale. toUpperCase/toLowerCase follow ICU's root-locale full case mapping as V8 does (tables below,
// generated from Node 20's V8; the test compares every code point). AssemblyScript's own
// String#toUpperCase/toLowerCase differ from V8 on 95 code points each (and lack Final_Sigma).

import { __Fn3 } from "./closure";
import { __js_num_to_string } from "./number";
import { __js_to_uint32 } from "./ops";

// ---------------------------------------------------------------------------------------------
// Errors and conversions

/** Stops the run for a JavaScript exception: prints `name: message` (V8's message). */
function throwError(name: string, message: string): void {
  abort(name + ": " + message);
}

/** Stops the run where JavaScript would go on with `undefined`. */
function unsupported(message: string): void {
  abort(message);
}

/** V8's String::kMaxLength on 64-bit hosts: longer results are a RangeError "Invalid string length". */
// @ts-ignore: decorator
@inline const MAX_STRING_LENGTH: f64 = 536870888.0;

/** ECMAScript ToIntegerOrInfinity (NaN -> 0, truncation toward zero). */
@inline
function toIntegerOrInfinity(x: f64): f64 {
  if (x != x) return 0;
  const t = Math.trunc(x);
  return t == 0 ? 0 : t;
}

/** ToIntegerOrInfinity(x) clamped to [0, len]. */
function clampIndex(x: f64, len: i32): i32 {
  const r = toIntegerOrInfinity(x);
  if (r <= 0) return 0;
  return r >= <f64>len ? len : <i32>r;
}

/** A relative index (slice): negative counts from `len`, clamped to [0, len]. */
function relativeIndex(x: f64, len: i32): i32 {
  const r = toIntegerOrInfinity(x);
  if (r < 0) {
    const k = <f64>len + r;
    return k <= 0 ? 0 : <i32>k;
  }
  return r >= <f64>len ? len : <i32>r;
}

@inline
function codeUnit(s: string, i: i32): u32 {
  return <u32>load<u16>(changetype<usize>(s) + (<usize>i << 1));
}

/** A fresh string of `len` code units (to be filled with store<u16>). */
@inline
function allocString(len: i32): string {
  return changetype<string>(__new(<usize>len << 1, idof<string>()));
}

/** The substring [from, to) (0 <= from <= to <= length), sharing nothing with s. */
function substringRaw(s: string, from: i32, to: i32): string {
  const n = to - from;
  if (n <= 0) return "";
  if (from == 0 && to == s.length) return s;
  const out = allocString(n);
  memory.copy(changetype<usize>(out), changetype<usize>(s) + (<usize>from << 1), <usize>n << 1);
  return out;
}

/** Whether s has `search` at position `at` (in range). */
@inline
function matchesAt(s: string, search: string, at: i32): bool {
  return memory.compare(changetype<usize>(s) + (<usize>at << 1), changetype<usize>(search), <usize>search.length << 1) == 0;
}

/** The spec's StringIndexOf(s, search, from) for 0 <= from: the first match at or after from, or -1. */
function stringIndexOf(s: string, search: string, from: i32): i32 {
  const len = s.length;
  const n = search.length;
  if (n == 0) return from <= len ? from : -1;
  const first = codeUnit(search, 0);
  const last = len - n;
  for (let i = from; i <= last; i++) {
    if (codeUnit(s, i) == first && matchesAt(s, search, i)) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Comparison (JavaScript <, <=, >, >= on strings: UTF-16 code unit order)

/** Compares by UTF-16 code units: -1, 0 or 1 (the order of JavaScript's < and of the default sort). */
export function __js_str_compare(a: string, b: string): i32 {
  if (changetype<usize>(a) == changetype<usize>(b)) return 0;
  const la = a.length;
  const lb = b.length;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const x = codeUnit(a, i);
    const y = codeUnit(b, i);
    if (x != y) return x < y ? -1 : 1;
  }
  return la == lb ? 0 : la < lb ? -1 : 1;
}

/** `a < b` on strings. */
export function __js_str_lt(a: string, b: string): bool {
  return __js_str_compare(a, b) < 0;
}

/** `a <= b` on strings. */
export function __js_str_le(a: string, b: string): bool {
  return __js_str_compare(a, b) <= 0;
}

/** `a > b` on strings. */
export function __js_str_gt(a: string, b: string): bool {
  return __js_str_compare(a, b) > 0;
}

/** `a >= b` on strings. */
export function __js_str_ge(a: string, b: string): bool {
  return __js_str_compare(a, b) >= 0;
}

// ---------------------------------------------------------------------------------------------
// Characters

/** `s.length` as a JavaScript number. */
export function __js_str_length(s: string): f64 {
  return <f64>s.length;
}

/** `s.charAt(pos)`: "" outside [0, length). */
export function __js_str_char_at(s: string, pos: f64 = 0): string {
  const p = toIntegerOrInfinity(pos);
  if (!(p >= 0 && p < <f64>s.length)) return "";
  return String.fromCharCode(<i32>codeUnit(s, <i32>p));
}

/** `s.charCodeAt(pos)`: NaN outside [0, length). */
export function __js_str_char_code_at(s: string, pos: f64 = 0): f64 {
  const p = toIntegerOrInfinity(pos);
  if (!(p >= 0 && p < <f64>s.length)) return NaN;
  return <f64>codeUnit(s, <i32>p);
}

/**
 * `s.codePointAt(pos)`: the code point (a surrogate pair combined; a lone surrogate as itself).
 * JavaScript gives undefined outside [0, length): this returns NaN there; test with __js_str_pos_in_range.
 */
export function __js_str_code_point_at(s: string, pos: f64 = 0): f64 {
  const p = toIntegerOrInfinity(pos);
  const len = s.length;
  if (!(p >= 0 && p < <f64>len)) return NaN;
  const i = <i32>p;
  const first = codeUnit(s, i);
  if (first < 0xd800 || first > 0xdbff || i + 1 == len) return <f64>first;
  const second = codeUnit(s, i + 1);
  if (second < 0xdc00 || second > 0xdfff) return <f64>first;
  return <f64>(((first - 0xd800) << 10) + (second - 0xdc00) + 0x10000);
}

/** Whether ToIntegerOrInfinity(pos) is in [0, length): codePointAt(pos) is not undefined. */
export function __js_str_pos_in_range(s: string, pos: f64): bool {
  const p = toIntegerOrInfinity(pos);
  return p >= 0 && p < <f64>s.length;
}

/** `s.at(i)`: relative index; aborts outside the string ("at(5) is out of bounds (length 3): JavaScript would return undefined"). */
export function __js_str_at(s: string, i: f64): string {
  const len = s.length;
  let k = toIntegerOrInfinity(i);
  if (k < 0) k += <f64>len;
  if (!(k >= 0 && k < <f64>len)) {
    unsupported("at(" + __js_num_to_string(i) + ") is out of bounds (length " + len.toString() + "): JavaScript would return undefined");
  }
  return String.fromCharCode(<i32>codeUnit(s, <i32>k));
}

/** Whether `s.at(i)` is a character (JavaScript gives undefined otherwise). */
export function __js_str_at_in_range(s: string, i: f64): bool {
  const len = s.length;
  let k = toIntegerOrInfinity(i);
  if (k < 0) k += <f64>len;
  return k >= 0 && k < <f64>len;
}

/** `s[i]`: aborts unless i is an integer in [0, length) ("index 5 is out of bounds (length 3): JavaScript would read undefined"). */
export function __js_str_get(s: string, i: f64): string {
  const len = s.length;
  if (!(i >= 0 && i < <f64>len && Math.trunc(i) == i)) {
    unsupported("index " + __js_num_to_string(i) + " is out of bounds (length " + len.toString() + "): JavaScript would read undefined");
  }
  return String.fromCharCode(<i32>codeUnit(s, <i32>i));
}

/** Whether `s[i]` is a character (i an integer in [0, length)). */
export function __js_str_has_index(s: string, i: f64): bool {
  return i >= 0 && i < <f64>s.length && Math.trunc(i) == i;
}

/** `String.fromCharCode(code)` for one argument: ToUint16(code). */
export function __js_str_from_char_code(code: f64): string {
  return String.fromCharCode(<i32>(__js_to_uint32(code) & 0xffff));
}

/** `String.fromCharCode(...codes)`. */
export function __js_str_from_char_codes(codes: StaticArray<f64>): string {
  const n = codes.length;
  const out = allocString(n);
  for (let i = 0; i < n; i++) store<u16>(changetype<usize>(out) + (<usize>i << 1), <u16>(__js_to_uint32(unchecked(codes[i])) & 0xffff));
  return out;
}

/** `String.fromCharCode(...array)`. */
export function __js_str_from_char_code_array(codes: Array<f64>): string {
  const n = codes.length;
  const out = allocString(n);
  for (let i = 0; i < n; i++) store<u16>(changetype<usize>(out) + (<usize>i << 1), <u16>(__js_to_uint32(unchecked(codes[i])) & 0xffff));
  return out;
}

function checkCodePoint(cp: f64): u32 {
  if (!(cp >= 0 && cp <= 1114111 && Math.trunc(cp) == cp)) throwError("RangeError", "Invalid code point " + __js_num_to_string(cp));
  return <u32>cp;
}

function appendCodePoint(parts: Array<u16>, cp: u32): void {
  if (cp < 0x10000) {
    parts.push(<u16>cp);
  } else {
    const v = cp - 0x10000;
    parts.push(<u16>(0xd800 + (v >> 10)));
    parts.push(<u16>(0xdc00 + (v & 0x3ff)));
  }
}

function unitsToString(units: Array<u16>): string {
  const n = units.length;
  const out = allocString(n);
  for (let i = 0; i < n; i++) store<u16>(changetype<usize>(out) + (<usize>i << 1), unchecked(units[i]));
  return out;
}

/** `String.fromCodePoint(cp)`: RangeError "Invalid code point 1.5" unless cp is an integer in [0, 0x10FFFF]. */
export function __js_str_from_code_point(cp: f64): string {
  const units = new Array<u16>(0);
  appendCodePoint(units, checkCodePoint(cp));
  return unitsToString(units);
}

/** `String.fromCodePoint(...cps)` (checks each in order, as V8). */
export function __js_str_from_code_points(cps: StaticArray<f64>): string {
  const units = new Array<u16>(0);
  for (let i = 0; i < cps.length; i++) appendCodePoint(units, checkCodePoint(unchecked(cps[i])));
  return unitsToString(units);
}

/** `String.fromCodePoint(...array)`. */
export function __js_str_from_code_point_array(cps: Array<f64>): string {
  const units = new Array<u16>(0);
  for (let i = 0; i < cps.length; i++) appendCodePoint(units, checkCodePoint(unchecked(cps[i])));
  return unitsToString(units);
}

/** `[...s]`, `Array.from(s)`, and the values of `for (const c of s)`: code points, a lone surrogate on its own. */
export function __js_str_code_points(s: string): Array<string> {
  const len = s.length;
  const out = new Array<string>(0);
  let i = 0;
  while (i < len) {
    const c = codeUnit(s, i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = codeUnit(s, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(substringRaw(s, i, i + 2));
        i += 2;
        continue;
      }
    }
    out.push(String.fromCharCode(<i32>c));
    i++;
  }
  return out;
}

/** `s.isWellFormed()`: no lone surrogates. */
export function __js_str_is_well_formed(s: string): bool {
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = codeUnit(s, i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < len) {
      const d = codeUnit(s, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return false;
  }
  return true;
}

/** `s.toWellFormed()`: lone surrogates replaced by U+FFFD. */
export function __js_str_to_well_formed(s: string): string {
  if (__js_str_is_well_formed(s)) return s;
  const len = s.length;
  const out = allocString(len);
  for (let i = 0; i < len; i++) {
    let c = codeUnit(s, i);
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < len) {
        const d = codeUnit(s, i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          store<u16>(changetype<usize>(out) + (<usize>i << 1), <u16>c);
          store<u16>(changetype<usize>(out) + (<usize>(i + 1) << 1), <u16>d);
          i++;
          continue;
        }
      }
      c = 0xfffd;
    }
    store<u16>(changetype<usize>(out) + (<usize>i << 1), <u16>c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Substrings

/** `s.slice(start, end)`: relative indices; `end` absent or undefined is the length (the default). */
export function __js_str_slice(s: string, start: f64 = 0, end: f64 = Infinity): string {
  const len = s.length;
  const from = relativeIndex(start, len);
  const to = relativeIndex(end, len);
  return from < to ? substringRaw(s, from, to) : "";
}

/** `s.substring(start, end)`: both clamped to [0, length] and swapped if reversed; `end` absent/undefined is the length. */
export function __js_str_substring(s: string, start: f64 = 0, end: f64 = Infinity): string {
  const len = s.length;
  const a = clampIndex(start, len);
  const b = clampIndex(end, len);
  return a < b ? substringRaw(s, a, b) : substringRaw(s, b, a);
}

/** `s.substr(start, length)`: relative start; `length` absent/undefined means to the end. */
export function __js_str_substr(s: string, start: f64 = 0, length: f64 = Infinity): string {
  const size = s.length;
  const from = relativeIndex(start, size);
  const n = toIntegerOrInfinity(length);
  if (n <= 0) return "";
  const to = <f64>from + n >= <f64>size ? size : from + <i32>n;
  return from < to ? substringRaw(s, from, to) : "";
}

// ---------------------------------------------------------------------------------------------
// Searching

/** `s.indexOf(search, position)`: -1 when absent; "" is found at min(position, length). */
export function __js_str_index_of(s: string, search: string, position: f64 = 0): f64 {
  return <f64>stringIndexOf(s, search, clampIndex(position, s.length));
}

/** `s.lastIndexOf(search, position)`: position absent or NaN searches from the end (the default). */
export function __js_str_last_index_of(s: string, search: string, position: f64 = NaN): f64 {
  const len = s.length;
  const n = search.length;
  const pos = position != position ? <f64>len : toIntegerOrInfinity(position);
  const start = pos <= 0 ? 0 : pos >= <f64>len ? len : <i32>pos;
  if (n > len) return -1;
  let i = start < len - n ? start : len - n;
  for (; i >= 0; i--) {
    if (matchesAt(s, search, i)) return <f64>i;
  }
  return -1;
}

/** `s.includes(search, position)`. */
export function __js_str_includes(s: string, search: string, position: f64 = 0): bool {
  return stringIndexOf(s, search, clampIndex(position, s.length)) >= 0;
}

/** `s.startsWith(search, position)`. */
export function __js_str_starts_with(s: string, search: string, position: f64 = 0): bool {
  const start = clampIndex(position, s.length);
  const n = search.length;
  if (start + n > s.length) return false;
  return matchesAt(s, search, start);
}

/** `s.endsWith(search, endPosition)`: endPosition absent/undefined is the length (the default). */
export function __js_str_ends_with(s: string, search: string, endPosition: f64 = Infinity): bool {
  const end = clampIndex(endPosition, s.length);
  const start = end - search.length;
  if (start < 0) return false;
  return matchesAt(s, search, start);
}

// ---------------------------------------------------------------------------------------------
// Splitting, repeating, padding, trimming

/**
 * `s.split(separator, limit)` with a string separator: "" splits into code units; limit is
 * ToUint32'd (absent: 2^32 - 1, the default; 0 gives []).
 */
export function __js_str_split(s: string, separator: string, limit: f64 = 4294967295.0): Array<string> {
  const lim = __js_to_uint32(limit);
  const out = new Array<string>(0);
  if (lim == 0) return out;
  const len = s.length;
  const sepLen = separator.length;
  if (sepLen == 0) {
    const n = <u32>len < lim ? len : <i32>lim;
    for (let i = 0; i < n; i++) out.push(String.fromCharCode(<i32>codeUnit(s, i)));
    return out;
  }
  if (len == 0) {
    out.push(s);
    return out;
  }
  let i = 0;
  let j = stringIndexOf(s, separator, 0);
  while (j != -1) {
    out.push(substringRaw(s, i, j));
    if (<u32>out.length == lim) return out;
    i = j + sepLen;
    j = stringIndexOf(s, separator, i);
  }
  out.push(substringRaw(s, i, len));
  return out;
}

/** `s.split()` / `s.split(undefined, limit)`: [s], or [] when limit is 0. */
export function __js_str_split_undefined(s: string, limit: f64 = 4294967295.0): Array<string> {
  const out = new Array<string>(0);
  if (__js_to_uint32(limit) != 0) out.push(s);
  return out;
}

/**
 * `s.repeat(count)`: RangeError "Invalid count value: -1" for a negative or infinite count,
 * RangeError "Invalid string length" when the result would exceed V8's maximum string length.
 */
export function __js_str_repeat(s: string, count: f64): string {
  const n = toIntegerOrInfinity(count);
  if (n < 0 || n == Infinity) throwError("RangeError", "Invalid count value: " + __js_num_to_string(count));
  if (n == 0 || s.length == 0) return "";
  if (<f64>s.length * n > MAX_STRING_LENGTH) throwError("RangeError", "Invalid string length");
  return s.repeat(<i32>n);
}

function padding(s: string, maxLength: f64, fill: string): string {
  const len = s.length;
  let target = toIntegerOrInfinity(maxLength);
  if (target <= <f64>len || fill.length == 0) return "";
  if (target > MAX_STRING_LENGTH) throwError("RangeError", "Invalid string length");
  const fillLen = <i32>target - len;
  const out = allocString(fillLen);
  const n = fill.length;
  for (let i = 0; i < fillLen; i++) store<u16>(changetype<usize>(out) + (<usize>i << 1), <u16>codeUnit(fill, i % n));
  return out;
}

/** `s.padStart(maxLength, fill)` (fill " " by default); RangeError "Invalid string length" beyond V8's maximum. */
export function __js_str_pad_start(s: string, maxLength: f64, fill: string = " "): string {
  const pad = padding(s, maxLength, fill);
  return pad.length == 0 ? s : pad + s;
}

/** `s.padEnd(maxLength, fill)` (fill " " by default). */
export function __js_str_pad_end(s: string, maxLength: f64, fill: string = " "): string {
  const pad = padding(s, maxLength, fill);
  return pad.length == 0 ? s : s + pad;
}

/** ECMAScript WhiteSpace or LineTerminator (what trim removes). */
export function __js_is_whitespace(c: u32): bool {
  if (c < 0x80) return c == 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x1680) return c == 0xa0;
  return c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff;
}

/** `s.trim()`. */
export function __js_str_trim(s: string): string {
  let from = 0;
  let to = s.length;
  while (from < to && __js_is_whitespace(codeUnit(s, from))) from++;
  while (to > from && __js_is_whitespace(codeUnit(s, to - 1))) to--;
  return substringRaw(s, from, to);
}

/** `s.trimStart()` (also trimLeft). */
export function __js_str_trim_start(s: string): string {
  let from = 0;
  const to = s.length;
  while (from < to && __js_is_whitespace(codeUnit(s, from))) from++;
  return substringRaw(s, from, to);
}

/** `s.trimEnd()` (also trimRight). */
export function __js_str_trim_end(s: string): string {
  let to = s.length;
  while (to > 0 && __js_is_whitespace(codeUnit(s, to - 1))) to--;
  return substringRaw(s, 0, to);
}

// ---------------------------------------------------------------------------------------------
// Replacing (string patterns)

/** GetSubstitution for a string pattern (no captures): $$, $&, $`, $' are expanded; anything else is literal. */
function substitution(matched: string, s: string, position: i32, replacement: string): string {
  const n = replacement.length;
  let dollar = stringIndexOf(replacement, "$", 0);
  if (dollar < 0) return replacement;
  let out = "";
  let copied = 0;
  while (dollar >= 0 && dollar + 1 < n) {
    const c = codeUnit(replacement, dollar + 1);
    let piece: string | null = null;
    if (c == 0x24) piece = "$";
    else if (c == 0x26) piece = matched;
    else if (c == 0x60) piece = substringRaw(s, 0, position);
    else if (c == 0x27) {
      const tail = min(position + matched.length, s.length);
      piece = substringRaw(s, tail, s.length);
    }
    if (piece !== null) {
      out += substringRaw(replacement, copied, dollar) + piece;
      copied = dollar + 2;
      dollar = stringIndexOf(replacement, "$", dollar + 2);
    } else {
      dollar = stringIndexOf(replacement, "$", dollar + 1);
    }
  }
  return out + substringRaw(replacement, copied, n);
}

/** `s.replace(pattern, replacement)` with a string pattern: the first occurrence; $-patterns as V8. */
export function __js_str_replace(s: string, pattern: string, replacement: string): string {
  const pos = stringIndexOf(s, pattern, 0);
  if (pos < 0) return s;
  return substringRaw(s, 0, pos) + substitution(pattern, s, pos, replacement) + substringRaw(s, pos + pattern.length, s.length);
}

/** `s.replace(pattern, f)`: f(match, offset, s) gives the replacement (the emitter converts its result to a string). */
export function __js_str_replace_fn(s: string, pattern: string, f: __Fn3<string, f64, string, string>): string {
  const pos = stringIndexOf(s, pattern, 0);
  if (pos < 0) return s;
  const replacement = f.call(pattern, <f64>pos, s);
  return substringRaw(s, 0, pos) + replacement + substringRaw(s, pos + pattern.length, s.length);
}

function matchPositions(s: string, pattern: string): Array<i32> {
  const positions = new Array<i32>(0);
  const advance = max(1, pattern.length);
  let p = stringIndexOf(s, pattern, 0);
  while (p != -1) {
    positions.push(p);
    p = stringIndexOf(s, pattern, p + advance);
  }
  return positions;
}

/** `s.replaceAll(pattern, replacement)` with a string pattern ("" matches between every code unit). */
export function __js_str_replace_all(s: string, pattern: string, replacement: string): string {
  const positions = matchPositions(s, pattern);
  if (positions.length == 0) return s;
  const parts = new Array<string>(0);
  let end = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = unchecked(positions[i]);
    parts.push(substringRaw(s, end, p));
    parts.push(substitution(pattern, s, p, replacement));
    end = p + pattern.length;
  }
  if (end < s.length) parts.push(substringRaw(s, end, s.length));
  return parts.join("");
}

/** `s.replaceAll(pattern, f)`: f(match, offset, s) for every match, in order. */
export function __js_str_replace_all_fn(s: string, pattern: string, f: __Fn3<string, f64, string, string>): string {
  const positions = matchPositions(s, pattern);
  if (positions.length == 0) return s;
  const parts = new Array<string>(0);
  let end = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = unchecked(positions[i]);
    parts.push(substringRaw(s, end, p));
    parts.push(f.call(pattern, <f64>p, s));
    end = p + pattern.length;
  }
  if (end < s.length) parts.push(substringRaw(s, end, s.length));
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// Case mapping: ICU's root-locale full case mapping, as V8's toUpperCase/toLowerCase do it.
// The tables are @lazy: a program that does not map case does not carry them. Every mapping is
// context-free except Final_Sigma (U+03A3 lowercases to U+03C2 at the end of a
// word); the tables at the end of this file are generated from V8 itself (see
// test/runtime-string.test.ts, which checks them against the running V8 and can rewrite them).

/** The index of the last u32 row whose start (row >>> 11) is <= cp, or -1. */
function lastRowAtOrBelow(table: usize, count: i32, cp: i32): i32 {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (<i32>(load<u32>(table + (<usize>mid << 2)) >>> 11) <= cp) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}

/** The range table's delta for cp (0 when unmapped). Rows: start << 11 | (end - start) << 1 | everyOther. */
function rangeDelta(ranges: usize, deltas: usize, count: i32, cp: i32): i32 {
  const i = lastRowAtOrBelow(ranges, count, cp);
  if (i < 0) return 0;
  const row = load<u32>(ranges + (<usize>i << 2));
  const offset = cp - <i32>(row >>> 11);
  if (offset > <i32>((row >>> 1) & 1023)) return 0;
  if ((row & 1) != 0 && (offset & 1) != 0) return 0;
  return load<i32>(deltas + (<usize>i << 2));
}

/** cp's row in a special-mapping table (rows: cp << 11 | offset << 2 | length), or 0. */
function specialRow(table: usize, count: i32, cp: i32): u32 {
  const i = lastRowAtOrBelow(table, count, cp);
  if (i < 0) return 0;
  const row = load<u32>(table + (<usize>i << 2));
  return <i32>(row >>> 11) == cp ? row : 0;
}

/** Whether cp is in a table of rows start << 11 | (end - start). */
function inRanges(table: usize, count: i32, cp: i32): bool {
  const i = lastRowAtOrBelow(table, count, cp);
  if (i < 0) return false;
  const row = load<u32>(table + (<usize>i << 2));
  return cp - <i32>(row >>> 11) <= <i32>(row & 2047);
}

/** The code point ending just before `end` (a surrogate pair combined), and its width in `lastWidth`. */
let lastWidth: i32 = 1;

function codePointBefore(s: string, end: i32): i32 {
  const c = <i32>codeUnit(s, end - 1);
  lastWidth = 1;
  if (c >= 0xdc00 && c <= 0xdfff && end >= 2) {
    const lead = <i32>codeUnit(s, end - 2);
    if (lead >= 0xd800 && lead <= 0xdbff) {
      lastWidth = 2;
      return ((lead - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
    }
  }
  return c;
}

function codePointFrom(s: string, at: i32): i32 {
  const c = <i32>codeUnit(s, at);
  lastWidth = 1;
  if (c >= 0xd800 && c <= 0xdbff && at + 1 < s.length) {
    const trail = <i32>codeUnit(s, at + 1);
    if (trail >= 0xdc00 && trail <= 0xdfff) {
      lastWidth = 2;
      return ((c - 0xd800) << 10) + (trail - 0xdc00) + 0x10000;
    }
  }
  return c;
}

/** Final_Sigma: the sigma at [start, end) follows a cased letter and is not followed by one (case-ignorables skipped). */
function isFinalSigma(s: string, start: i32, end: i32): bool {
  let j = start;
  let preceded = false;
  while (j > 0) {
    const cp = codePointBefore(s, j);
    j -= lastWidth;
    if (inRanges(CASED, CASED_COUNT, cp)) {
      preceded = true;
      break;
    }
    if (!inRanges(CASE_IGNORABLE, CASE_IGNORABLE_COUNT, cp)) break;
  }
  if (!preceded) return false;
  j = end;
  const len = s.length;
  while (j < len) {
    const cp = codePointFrom(s, j);
    j += lastWidth;
    if (inRanges(CASED, CASED_COUNT, cp)) return false;
    if (!inRanges(CASE_IGNORABLE, CASE_IGNORABLE_COUNT, cp)) return true;
  }
  return true;
}

@inline
function putCodePoint(buf: usize, at: i32, cp: i32): i32 {
  if (cp < 0x10000) {
    store<u16>(buf + (<usize>at << 1), <u16>cp);
    return at + 1;
  }
  const v = cp - 0x10000;
  store<u16>(buf + (<usize>at << 1), <u16>(0xd800 + (v >> 10)));
  store<u16>(buf + (<usize>(at + 1) << 1), <u16>(0xdc00 + (v & 0x3ff)));
  return at + 2;
}

function mapCase(s: string, upper: bool): string {
  const len = s.length;
  // Fast path: an ASCII prefix that the mapping leaves alone.
  let i = 0;
  while (i < len) {
    const c = codeUnit(s, i);
    if (c >= 0x80) break;
    if (upper ? c >= 0x61 && c <= 0x7a : c >= 0x41 && c <= 0x5a) break;
    i++;
  }
  if (i == len) return s;
  const ranges = upper ? UPPER_RANGES : LOWER_RANGES;
  const deltas = upper ? UPPER_DELTAS : LOWER_DELTAS;
  const rangeCount = upper ? UPPER_RANGE_COUNT : LOWER_RANGE_COUNT;
  const specials = upper ? UPPER_SPECIALS : LOWER_SPECIALS;
  const specialCount = upper ? UPPER_SPECIAL_COUNT : LOWER_SPECIAL_COUNT;
  const specialUnits = upper ? UPPER_SPECIAL_UNITS : LOWER_SPECIAL_UNITS;
  // No mapping produces more than MAX_EXPANSION code units per code unit.
  const buf = heap.alloc(<usize>len * (MAX_EXPANSION << 1));
  memory.copy(buf, changetype<usize>(s), <usize>i << 1);
  let out = i;
  while (i < len) {
    const c = <i32>codeUnit(s, i);
    if (c < 0x80) {
      let m = c;
      if (upper) {
        if (c >= 0x61 && c <= 0x7a) m = c - 32;
      } else {
        if (c >= 0x41 && c <= 0x5a) m = c + 32;
      }
      store<u16>(buf + (<usize>out << 1), <u16>m);
      out++;
      i++;
      continue;
    }
    const cp = codePointFrom(s, i);
    const width = lastWidth;
    if (!upper && cp == 0x3a3) {
      out = putCodePoint(buf, out, isFinalSigma(s, i, i + width) ? 0x3c2 : 0x3c3);
      i += width;
      continue;
    }
    const row = specialRow(specials, specialCount, cp);
    if (row != 0) {
      const at = (row >>> 2) & 511;
      const n = <i32>(row & 3);
      memory.copy(buf + (<usize>out << 1), specialUnits + (<usize>at << 1), <usize>n << 1);
      out += n;
    } else {
      out = putCodePoint(buf, out, cp + rangeDelta(ranges, deltas, rangeCount, cp));
    }
    i += width;
  }
  const result = String.UTF16.decodeUnsafe(buf, <usize>out << 1);
  heap.free(buf);
  return result;
}

/** `s.toUpperCase()` (also toLocaleUpperCase() without a locale): full case mapping ("ß" -> "SS"). */
export function __js_str_to_upper_case(s: string): string {
  return mapCase(s, true);
}

/** `s.toLowerCase()` (also toLocaleLowerCase() without a locale): full mapping ("İ" -> "i̇") and Final_Sigma ("ΑΣ" -> "ας"). */
export function __js_str_to_lower_case(s: string): string {
  return mapCase(s, false);
}

// BEGIN GENERATED CASE TABLES (from Node v20.20.2, ICU 78.2, Unicode 17.0)
// @ts-ignore: decorator
@inline const MAX_EXPANSION: usize = 3;
// @ts-ignore: decorator
@inline const UPPER_RANGE_COUNT: i32 = 201;
// @ts-ignore: decorator
@lazy const UPPER_RANGES: usize = memory.data<u32>([
  198706, 370688, 458796, 507916, 522240, 526429, 624640, 628745, 643101, 677977,
  774153, 784384, 786432, 792581, 802816, 811008, 823296, 829440, 837632, 839680,
  841728, 847872, 854025, 868352, 878592, 884736, 892933, 903168, 911360, 915456,
  927744, 929792, 933888, 935936, 940032, 942080, 946205, 976896, 981025, 1019904,
  1021952, 1026048, 1034317, 1120289, 1171456, 1177602, 1183744, 1194001, 1212416, 1214464,
  1216512, 1218560, 1220608, 1224706, 1230848, 1234944, 1236992, 1245184, 1247232, 1251328,
  1253376, 1255424, 1257472, 1261568, 1263616, 1265664, 1267712, 1269760, 1275904, 1280000,
  1282048, 1288192, 1304576, 1310720, 1314816, 1316864, 1325056, 1327104, 1329152, 1331202,
  1335296, 1347584, 1370112, 1372160, 1714176, 1804293, 1816576, 1824772, 1925120, 1927172,
  1935392, 1970176, 1972240, 1990656, 1992706, 1998848, 2000896, 2009088, 2011136, 2013184,
  2017325, 2064384, 2066432, 2068480, 2070528, 2074624, 2080768, 2086912, 2195518, 2261022,
  2295873, 2381929, 2494489, 2521088, 2525373, 2820170, 8814676, 8906756, 10469386, 14942208,
  14944256, 14946304, 14948354, 14952448, 14954496, 14956544, 14958592, 14962688, 15452160, 15460352,
  15495168, 15730985, 16046080, 16058557, 16252942, 16285706, 16318478, 16351246, 16384010, 16418816,
  16422912, 16427008, 16431104, 16449550, 16482306, 16486406, 16494594, 16498690, 16502786, 16506882,
  16613378, 16642048, 16678914, 16711682, 16721920, 17461248, 17530910, 17571840, 19300402, 23167070,
  23267328, 23275520, 23277568, 23281673, 23304192, 23310336, 23333061, 23552005, 23566336, 23593034,
  23672832, 23685120, 87165017, 87296053, 87627801, 87660665, 87805957, 87816209, 87842816, 87853061,
  87859200, 87865381, 87926813, 87965701, 87975965, 88059904, 89823232, 89882782, 133826610, 136396878,
  136757318, 137148436, 137173020, 137205772, 137222146, 140902500, 141262890, 147193918, 192086078, 192272432,
  256446530,
]);
// @ts-ignore: decorator
@lazy const UPPER_DELTAS: usize = memory.data<i32>([
  -32, 743, -32, -32, 121, -1, -232, -1, -1, -1, -1, -300, 195, -1, -1, -1,
  -1, 97, -1, 163, 42561, 130, -1, -1, -1, -1, -1, -1, -1, 56, -1, -2,
  -1, -2, -1, -2, -1, -79, -1, -1, -2, -1, -1, -1, -1, 10815, -1, -1,
  10783, 10780, 10782, -210, -206, -205, -202, -203, 42319, -205, 42315, -207, 42343, 42280, 42308, -209,
  -211, 42308, 10743, 42305, -211, 10749, -213, -214, 10727, -218, 42307, -218, 42282, -218, -69, -217,
  -71, -219, 42261, 42258, 84, -1, -1, 130, -38, -37, -32, -31, -32, -64, -63, -62,
  -57, -47, -54, -8, -1, -86, -80, 7, -116, -96, -1, -1, -32, -80, -1, -1,
  -1, -15, -1, -48, 3008, 3008, -8, -6254, -6253, -6244, -6242, -6243, -6236, -6181, 35266, -1,
  35332, 3814, 35384, -1, -59, -1, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  74, 86, 100, 128, 112, 126, 8, -7205, 8, 8, 7, -28, -16, -1, -26, -48,
  -1, -10795, -10792, -1, -1, -1, -1, -1, -1, -7264, -7264, -7264, -1, -1, -1, -1,
  -1, -1, -1, -1, 48, -1, -1, -1, -1, -1, -928, -38864, -32, -40, -40, -39,
  -39, -39, -39, -64, -32, -32, -32, -27, -34,
]);
// @ts-ignore: decorator
@inline const UPPER_SPECIAL_COUNT: i32 = 102;
// @ts-ignore: decorator
@lazy const UPPER_SPECIALS: usize = memory.data<u32>([
  456706, 673802, 1015826, 1867803, 1933351, 2897970, 16035898, 16037954, 16040010, 16042066,
  16044122, 16416866, 16420971, 16425079, 16429187, 16515214, 16517270, 16519326, 16521382, 16523438,
  16525494, 16527550, 16529606, 16531662, 16533718, 16535774, 16537830, 16539886, 16541942, 16543998,
  16546054, 16548110, 16550166, 16552222, 16554278, 16556334, 16558390, 16560446, 16562502, 16564558,
  16566614, 16568670, 16570726, 16572782, 16574838, 16576894, 16578950, 16581006, 16583062, 16585118,
  16587174, 16589230, 16591286, 16593342, 16595398, 16597454, 16599510, 16601566, 16603622, 16605678,
  16607734, 16609790, 16611846, 16617998, 16620054, 16622110, 16626214, 16628271, 16638522, 16650818,
  16652874, 16654930, 16659034, 16661091, 16671342, 16683639, 16685699, 16691854, 16693911, 16716451,
  16718511, 16720570, 16724674, 16726731, 16749270, 16751326, 16753382, 16757486, 16759543, 16769794,
  131597066, 131599122, 131601178, 131603235, 131605295, 131607354, 131609410, 131636042, 131638098, 131640154,
  131642210, 131644266,
]);
// @ts-ignore: decorator
@lazy const UPPER_SPECIAL_UNITS: usize = memory.data<u16>([
  83, 83, 700, 78, 74, 780, 921, 776, 769, 933, 776, 769, 1333, 1362, 72, 817,
  84, 776, 87, 778, 89, 778, 65, 702, 933, 787, 933, 787, 768, 933, 787, 769,
  933, 787, 834, 7944, 921, 7945, 921, 7946, 921, 7947, 921, 7948, 921, 7949, 921, 7950,
  921, 7951, 921, 7944, 921, 7945, 921, 7946, 921, 7947, 921, 7948, 921, 7949, 921, 7950,
  921, 7951, 921, 7976, 921, 7977, 921, 7978, 921, 7979, 921, 7980, 921, 7981, 921, 7982,
  921, 7983, 921, 7976, 921, 7977, 921, 7978, 921, 7979, 921, 7980, 921, 7981, 921, 7982,
  921, 7983, 921, 8040, 921, 8041, 921, 8042, 921, 8043, 921, 8044, 921, 8045, 921, 8046,
  921, 8047, 921, 8040, 921, 8041, 921, 8042, 921, 8043, 921, 8044, 921, 8045, 921, 8046,
  921, 8047, 921, 8122, 921, 913, 921, 902, 921, 913, 834, 913, 834, 921, 913, 921,
  8138, 921, 919, 921, 905, 921, 919, 834, 919, 834, 921, 919, 921, 921, 776, 768,
  921, 776, 769, 921, 834, 921, 776, 834, 933, 776, 768, 933, 776, 769, 929, 787,
  933, 834, 933, 776, 834, 8186, 921, 937, 921, 911, 921, 937, 834, 937, 834, 921,
  937, 921, 70, 70, 70, 73, 70, 76, 70, 70, 73, 70, 70, 76, 83, 84,
  83, 84, 1348, 1350, 1348, 1333, 1348, 1339, 1358, 1350, 1348, 1341,
]);
// @ts-ignore: decorator
@inline const LOWER_RANGE_COUNT: i32 = 185;
// @ts-ignore: decorator
@lazy const LOWER_RANGES: usize = memory.data<u32>([
  133170, 393260, 442380, 524381, 626697, 641053, 675929, 770048, 772105, 788480,
  790533, 798720, 800768, 804866, 808960, 815104, 817152, 819200, 821248, 825344,
  827392, 831488, 833536, 835584, 843776, 845824, 849920, 851977, 864256, 866304,
  870400, 876544, 880640, 882688, 886786, 890885, 899072, 901120, 909312, 925696,
  927744, 931840, 933888, 937984, 940065, 978977, 1017856, 1019909, 1028096, 1030144,
  1032269, 1114112, 1118241, 1167360, 1169408, 1173504, 1175552, 1181696, 1185792, 1187840,
  1189888, 1191953, 1802245, 1814528, 1832960, 1847296, 1851396, 1859584, 1863682, 1869856,
  1906704, 1996800, 2015277, 2072576, 2078720, 2082816, 2084864, 2091012, 2097182, 2129982,
  2293825, 2379881, 2490368, 2492441, 2523325, 2721866, 8716362, 8796160, 8808448, 10289310,
  10453002, 14960640, 14975060, 15067140, 15728937, 16052224, 16056509, 16269326, 16302090, 16334862,
  16367630, 16400394, 16435213, 16465934, 16531470, 16564238, 16597006, 16629762, 16633858, 16637952,
  16662534, 16670720, 16695298, 16699394, 16728066, 16732162, 16736256, 16760834, 16764930, 16769024,
  17379328, 17387520, 17389568, 17403904, 17498142, 17569792, 19247154, 23068766, 23265280, 23269376,
  23271424, 23273472, 23279625, 23291904, 23293952, 23296000, 23298048, 23302144, 23308288, 23326722,
  23331013, 23549957, 23564288, 87162969, 87294005, 87625753, 87658617, 87803909, 87812096, 87814161,
  87840768, 87844864, 87851013, 87863333, 87904256, 87906304, 87908352, 87910400, 87912448, 87916544,
  87918592, 87920640, 87922688, 87924765, 87957504, 87959552, 87961600, 87963653, 87971840, 87973917,
  88006656, 88057856, 133761074, 136314958, 136675398, 137068564, 137093148, 137125900, 137142274, 140771428,
  141197354, 147128382, 192020542, 192217136, 256376898,
]);
// @ts-ignore: decorator
@lazy const LOWER_DELTAS: usize = memory.data<i32>([
  32, 32, 32, 1, 1, 1, 1, -121, 1, 210, 1, 206, 1, 205, 1, 79,
  202, 203, 1, 205, 207, 211, 209, 1, 211, 213, 214, 1, 218, 1, 218, 1,
  218, 1, 217, 1, 219, 1, 1, 2, 1, 2, 1, 2, 1, 1, 2, 1,
  -97, -56, 1, -130, 1, 10795, 1, -163, 10792, 1, -195, 69, 71, 1, 1, 1,
  116, 38, 37, 64, 63, 32, 32, 8, 1, -60, 1, -7, 1, -130, 80, 32,
  1, 1, 15, 1, 1, 48, 7264, 7264, 7264, 38864, 8, 1, -3008, -3008, 1, -7615,
  1, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -74, -9, -86, -9,
  -8, -100, -8, -112, -7, -128, -126, -9, -7517, -8383, -8262, 28, 16, 1, 26, 48,
  1, -10743, -3814, -10727, 1, -10780, -10749, -10783, -10782, 1, 1, -10815, 1, 1, 1, 1,
  1, 1, 1, 1, -35332, 1, 1, -42280, 1, 1, -42308, -42319, -42315, -42305, -42308, -42258,
  -42282, -42261, 928, 1, -48, -42307, -35384, 1, -42343, 1, -42561, 1, 32, 40, 40, 39,
  39, 39, 39, 64, 32, 32, 32, 27, 34,
]);
// @ts-ignore: decorator
@inline const LOWER_SPECIAL_COUNT: i32 = 1;
// @ts-ignore: decorator
@lazy const LOWER_SPECIALS: usize = memory.data<u32>([
  622594,
]);
// @ts-ignore: decorator
@lazy const LOWER_SPECIAL_UNITS: usize = memory.data<u16>([
  105, 775,
]);
// @ts-ignore: decorator
@inline const CASED_COUNT: i32 = 151;
// @ts-ignore: decorator
@lazy const CASED: usize = memory.data<u32>([
  133145, 198681, 348160, 370688, 380928, 393238, 442398, 508098, 909315, 925903,
  1355801, 1802243, 1814529, 1824770, 1832960, 1847296, 1851394, 1859584, 1863699, 1906770,
  2078858, 2379941, 2721829, 2818088, 8716325, 8796160, 8808448, 8814634, 8906754, 10289237,
  10469381, 14942218, 14975018, 15067138, 15204395, 15423500, 15452193, 15728917, 16302085, 16318501,
  16400389, 16416775, 16435200, 16439296, 16443392, 16447518, 16515124, 16625670, 16642048, 16650242,
  16658438, 16678915, 16691205, 16711692, 16748546, 16756742, 17305600, 17315840, 17321993, 17344512,
  17352708, 17375232, 17379328, 17383424, 17387523, 17397765, 17418240, 17424387, 17442820, 17461248,
  17498143, 17569793, 19247155, 23068795, 23326822, 23549955, 23564289, 23592997, 23672832, 23685120,
  87162925, 87293979, 87625805, 87787542, 87840771, 87851084, 88057857, 88068096, 89751594, 89849864,
  89882703, 131596294, 131635204, 133761049, 133826585, 136314959, 136675363, 136757283, 137068554, 137093134,
  137125894, 137142273, 137148426, 137173006, 137205766, 137222145, 140771378, 140902450, 141197333, 141262869,
  147128383, 192020543, 192217112, 192272408, 245366868, 245542982, 245690369, 245698560, 245704705, 245712899,
  245723147, 245749760, 245753862, 245770304, 245905411, 245917703, 245936134, 245952539, 246011907, 246022148,
  246034432, 246042630, 246059347, 246759448, 246812696, 246865950, 246931480, 246984734, 247050264, 247103518,
  247169048, 247222302, 247287832, 247341063, 251133961, 251156499, 251209733, 256376899, 260669465, 260735001,
  260800537,
]);
// @ts-ignore: decorator
@inline const CASE_IGNORABLE_COUNT: i32 = 464;
// @ts-ignore: decorator
@lazy const CASE_IGNORABLE: usize = memory.data<u32>([
  79872, 94208, 118784, 192512, 196608, 344064, 354304, 358400, 368640, 374785,
  1409215, 1810433, 1822720, 1843201, 1849344, 2365446, 2803712, 2816000, 2918444, 3012608,
  3016705, 3022849, 3028992, 3121152, 3145733, 3178506, 3203072, 3276800, 3299348, 3375104,
  3584007, 3602441, 3624963, 3700736, 3704832, 3768346, 4009994, 4151306, 4182016, 4188160,
  4239383, 4376578, 4472832, 4489217, 4503560, 4606009, 4837376, 4841472, 4851719, 4876288,
  4884486, 4919297, 4950016, 4982784, 5103616, 5113859, 5138432, 5181441, 5238784, 5244929,
  5365760, 5376001, 5388289, 5396482, 5408768, 5472257, 5482496, 5507073, 5627904, 5638148,
  5650433, 5662720, 5705729, 5754885, 5769216, 5890048, 5896192, 5900291, 5924864, 5941249,
  5967873, 6033408, 6160384, 6187008, 6291456, 6299648, 6414336, 6418434, 6434818, 6443011,
  6465537, 6492161, 6555648, 6676480, 6682624, 6696960, 6709249, 6754305, 6815745, 6936577,
  6948867, 6973440, 7016449, 7079936, 7229440, 7245826, 7254016, 7440384, 7446534, 7483400,
  7702528, 7708680, 7745536, 7749638, 7913473, 7972864, 7976960, 7981056, 8095757, 8126468,
  8138753, 8153098, 8177699, 8269824, 8480771, 8491013, 8505345, 8513537, 8568833, 8581122,
  8620035, 8654848, 8660993, 8677376, 8710144, 8904704, 10151938, 12095490, 12161025, 12226561,
  12292097, 12427265, 12433414, 12464128, 12470282, 12498944, 12511232, 12605444, 12720128, 12855297,
  12929024, 13172738, 13187073, 13209600, 13223938, 13678593, 13686784, 13807616, 13811718, 13828096,
  13832192, 13838343, 13867017, 13891584, 13973504, 13991981, 14090251, 14155779, 14262272, 14266372,
  14278656, 14290944, 14374920, 14417921, 14487555, 14499841, 14505986, 14626816, 14630913, 14641152,
  14645250, 14770183, 14790657, 14925829, 15106050, 15114252, 15142918, 15165440, 15179776, 15187969,
  15294526, 15450112, 15521892, 16640000, 16644098, 16672770, 16705538, 16738306, 16771073, 16799748,
  16826369, 16850944, 16857088, 16863236, 16973828, 16986121, 17008640, 17037312, 17072140, 17203232,
  23322625, 23558146, 23820288, 23853056, 24051743, 24213504, 25176064, 25251843, 25266180, 25286656,
  25479173, 25681922, 83929088, 86491141, 87056384, 87259139, 87269385, 87291904, 87351299, 87523329,
  87556129, 87785472, 87834626, 88049667, 88064001, 88084480, 88092672, 88102912, 88156161, 88170496,
  88481793, 88539153, 88602624, 88682503, 88750090, 88866818, 88971264, 88977411, 88989697, 89028608,
  89073665, 89212933, 89229313, 89237505, 89266176, 89284608, 89358336, 89382912, 89489408, 89493506,
  89503745, 89518081, 89524224, 89581568, 89612289, 89626625, 89632768, 89839620, 89868290, 90122240,
  90128384, 90138624, 131657728, 131960848, 133169167, 133208064, 133234703, 133337088, 133343232, 133691392,
  133707776, 133722112, 133746688, 133820416, 133824512, 133922816, 134017025, 134158336, 134203394, 135260160,
  135725056, 136032260, 138149893, 138164265, 138252296, 139462658, 139470849, 139485187, 139575298, 139589632,
  139929601, 141107203, 141193216, 141248516, 141260800, 141907969, 141961216, 142069765, 142225418, 142348291,
  142608384, 142721038, 142835712, 142841857, 142866434, 142972931, 142985217, 142993408, 143003648, 143026176,
  143130626, 143210500, 143222791, 143366144, 143392769, 143503368, 143542275, 143554560, 143751170, 143761408,
  143765505, 143781888, 143788032, 144111616, 144119815, 144179201, 144300033, 144310272, 144388102, 144408580,
  144562181, 144601088, 144605184, 144609280, 144640001, 144818183, 144838658, 144846848, 144896000, 145070085,
  145084416, 145094657, 145100801, 145592323, 145612801, 145618945, 145678337, 145856519, 145876992, 145881089,
  146102272, 146106368, 146112517, 146126848, 146335744, 146339840, 146345987, 146356228, 146896904, 146917377,
  147445761, 147451904, 147462144, 147759107, 147771393, 147783680, 147851273, 147953669, 147970051, 147994624,
  148015109, 148031490, 148131852, 148160513, 148570112, 148574210, 148582400, 148996102, 149012485, 149026816,
  149196821, 149245958, 149262337, 149268481, 149522437, 149540864, 149544961, 149551110, 149567488, 149716993,
  149727232, 149731328, 149866496, 150444033, 150470657, 150581252, 150601728, 150605824, 150654976, 161579024,
  161626126, 185135115, 185165826, 190283780, 190414854, 190447619, 191496194, 191584257, 192575488, 192706576,
  192872449, 192878593, 192909313, 226459651, 226469894, 226486273, 233105409, 233111555, 242745389, 242843670,
  244004866, 244029455, 244066310, 244142083, 244453378, 248512566, 248633393, 248752128, 248782848, 248829956,
  248842254, 251658246, 251674640, 251713542, 251729921, 251736068, 251756605, 251951104, 252280845, 253063168,
  253190147, 254236676, 254767105, 255268864, 255275008, 255291393, 255305728, 255326208, 256278534, 256516103,
  262133764, 1879050240, 1879113823, 1879572719,
]);
// END GENERATED CASE TABLES
