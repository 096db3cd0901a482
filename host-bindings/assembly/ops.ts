// stelp runtime: JavaScript operator semantics on numbers (AssemblyScript).
//
// A JavaScript number is an AS f64. The helpers here give the operators whose JavaScript meaning is
// not a single Wasm instruction: the ToInt32/ToUint32 conversions behind the bitwise operators
// (which wrap modulo 2^32, where Wasm's conversions trap or saturate), truthiness, `%` and `**`.
// Arithmetic that Wasm already does with JavaScript's IEEE semantics (+ - * / and comparisons) is
// emitted directly and has no helper.

import { __js_math_pow } from "./math";

/** ECMAScript ToInt32: NaN and +-Infinity give 0, otherwise truncate and wrap modulo 2^32. */
export function __js_to_int32(x: f64): i32 {
  // In this range truncation is exact (and NaN fails both tests).
  if (x > -2147483649.0 && x < 2147483648.0) return <i32>x;
  const bits = reinterpret<u64>(x);
  const exponent = <i32>(bits >>> 52) & 0x7FF;
  // |x| = mantissa * 2^shift; here |x| >= 2^31, so shift >= -21.
  const shift = exponent - 1075;
  if (shift >= 32) return 0; // a multiple of 2^32, or Infinity/NaN
  const mantissa = (bits & 0x000FFFFFFFFFFFFF) | 0x0010000000000000;
  const low = <i32>(shift >= 0 ? mantissa << <u64>shift : mantissa >>> <u64>-shift);
  return bits >>> 63 ? -low : low;
}

/** ECMAScript ToUint32: the same 32 bits as ToInt32, read unsigned. */
export function __js_to_uint32(x: f64): u32 {
  return <u32>__js_to_int32(x);
}

/** ToBoolean of a number: false for +0, -0 and NaN. */
export function __js_truthy_num(x: f64): bool {
  return x == x && x != 0;
}

// String reads inlined with the header read directly: at asc's -O1 the std getter `s.length` is
// a call that opens a shadow-stack frame. A string's byte size is the `rtSize` field of its object
// header, the last 4 bytes before the payload (std/assembly/rt/common.ts).

/** `s.length` (UTF-16 code units). */
@inline
export function __js_string_length(s: string): i32 {
  return <i32>(load<u32>(changetype<usize>(s) - 4) >>> 1);
}

/**
 * `s.charCodeAt(pos)`: ToIntegerOrInfinity(pos) (NaN reads position 0, -0.5 reads 0), NaN outside
 * [0, length). The same as string.ts's __js_str_char_code_at, inlined.
 */
@inline
export function __js_char_code_at(s: string, pos: f64): f64 {
  const p = changetype<usize>(s);
  const len = __js_string_length(s);
  const t = Math.trunc(pos);
  if (t >= 0 && t < <f64>len) return <f64>load<u16>(p + (<usize>(<i32>t) << 1));
  return pos != pos && len > 0 ? <f64>load<u16>(p) : NaN;
}

/** ToBoolean of a string: false only for "". */
export function __js_truthy_str(s: string): bool {
  return s.length != 0;
}

/**
 * JavaScript `%`: the exact remainder with the dividend's sign (-1 % 1 is -0, x % 0 is NaN,
 * x % Infinity is x). AssemblyScript's f64 `%` is an exact fmod with these same rules.
 */
export function __js_mod(a: f64, b: f64): f64 {
  // Fast path: both operands integral and below 2^53 in magnitude, so i64 remainder is exact (Wasm
  // has no f64 remainder; fmod is a bit-by-bit software loop). i64.rem_s truncates toward zero,
  // which gives the dividend's sign like JS; only a zero result needs the sign put back (-4 % 2 is -0).
  if (Math.abs(a) < 9007199254740992.0 && Math.abs(b) < 9007199254740992.0 && b != 0.0 && Math.trunc(a) == a && Math.trunc(b) == b) {
    const r = <f64>(<i64>a % <i64>b);
    return r == 0.0 ? (a < 0.0 || (a == 0.0 && 1.0 / a < 0.0) ? -0.0 : 0.0) : r;
  }
  return a % b;
}

/**
 * `a % c` where the emitter knows the divisor: a nonzero integer constant in i32 range. Inlined:
 * for an integral dividend in i32 range the i32 remainder is exact (i32.rem_s of -2^31 by -1 is 0
 * and does not trap) and a constant divisor lets the engine replace the division; a zero
 * remainder takes the dividend's sign (-4 % 2 and -0 % 2 are -0). Anything else (fractions, NaN,
 * +-Infinity, |a| >= 2^31) goes to __js_mod.
 */
@inline
export function __js_mod_int(a: f64, c: i32): f64 {
  // Computed before the test (i32.rem_s only traps for c == 0), so that the fast arm is a bare
  // return: the fuel metering charges an `if` arm of 8 or more expressions on its own.
  const t = <i32>a;
  const r = t % c;
  const fast = select<f64>(<f64>r, copysign<f64>(0.0, a), r != 0);
  if (<f64>t == a) return fast;
  return __js_mod(a, <f64>c);
}

/**
 * `a % c === 0` (and `==`, and negated) for a divisor the emitter knows: a nonzero integer constant
 * in i32 range. Both zeros compare equal to 0, so for an integral dividend in i32 range the i32
 * remainder decides, without the sign fix-up and the conversion back to f64 of __js_mod_int: a
 * collatz loop's parity test ran 13% faster. Anything else goes to __js_mod.
 */
@inline
export function __js_mod_int_is_zero(a: f64, c: i32): bool {
  const t = <i32>a;
  const zero = t % c == 0; // before the test, as in __js_mod_int: the fast arm stays a bare return
  if (<f64>t == a) return zero;
  return __js_mod(a, <f64>c) == 0.0;
}

/** JavaScript `**` (the same function as Math.pow). */
export function __js_pow(a: f64, b: f64): f64 {
  return __js_math_pow(a, b);
}

/** `a << b`: ToInt32(a) shifted by ToUint32(b) mod 32. */
export function __js_shl(a: f64, b: f64): f64 {
  return <f64>(__js_to_int32(a) << (__js_to_uint32(b) & 31));
}

/** `a >> b`: sign-propagating shift of ToInt32(a) by ToUint32(b) mod 32. */
export function __js_shr(a: f64, b: f64): f64 {
  return <f64>(__js_to_int32(a) >> (__js_to_uint32(b) & 31));
}

/** `a >>> b`: zero-filling shift of ToUint32(a) by ToUint32(b) mod 32; the result is unsigned. */
export function __js_ushr(a: f64, b: f64): f64 {
  return <f64>(__js_to_uint32(a) >>> (__js_to_uint32(b) & 31));
}

/** `a & b` on ToInt32 of both operands. */
export function __js_bitand(a: f64, b: f64): f64 {
  return <f64>(__js_to_int32(a) & __js_to_int32(b));
}

/** `a | b` on ToInt32 of both operands. */
export function __js_bitor(a: f64, b: f64): f64 {
  return <f64>(__js_to_int32(a) | __js_to_int32(b));
}

/** `a ^ b` on ToInt32 of both operands. */
export function __js_bitxor(a: f64, b: f64): f64 {
  return <f64>(__js_to_int32(a) ^ __js_to_int32(b));
}

/** `~a`: bitwise not of ToInt32(a). */
export function __js_bitnot(a: f64): f64 {
  return <f64>~__js_to_int32(a);
}

/** Number.isInteger: finite and without a fractional part. */
export function __js_is_integer(x: f64): bool {
  return x - x == 0 && Math.trunc(x) == x;
}

/** Number.isSafeInteger: an integer with |x| <= 2^53 - 1. */
export function __js_is_safe_integer(x: f64): bool {
  return __js_is_integer(x) && Math.abs(x) <= 9007199254740991.0;
}

/** Object.is on numbers (SameValue): NaN equals NaN, and +0 differs from -0. */
export function __js_same_value(a: f64, b: f64): bool {
  if (a != a) return b != b;
  return reinterpret<u64>(a) == reinterpret<u64>(b);
}

/** SameValueZero on numbers (Array.prototype.includes, Map and Set keys): NaN equals NaN, +0 equals -0. */
export function __js_same_value_zero(a: f64, b: f64): bool {
  return a == b || (a != a && b != b);
}
