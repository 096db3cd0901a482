// stelp runtime: Number.prototype.toFixed, toPrecision, toExponential and toString(radix)
// (AssemblyScript), printing exactly what V8 (Node 20) prints.
//
// toFixed/toPrecision/toExponential(n) round the *exact* binary value of x to the requested
// decimal position, ties going up (away from zero): the spec's "if there are two such n, pick the
// larger n", which is what V8's fixed-dtoa and bignum-dtoa do. So (1.005).toFixed(2) is "1.00"
// (1.005 is really 1.00499999999999989...) and (2.5).toFixed(0) is "3". Here every finite x is
// expanded to its exact decimal digits with a small big-integer routine (a double has at most 767
// significant decimal digits), then rounded on those digits; that is slower than V8's fast paths
// but cannot be wrong. toExponential() without an argument uses the shortest round-trip digits,
// taken from __js_num_to_string (Ryu). toString(radix) is a line-by-line port of V8's
// DoubleToRadixCString, whose double arithmetic (and so its digits) is reproduced exactly.
//
// Argument checks (RangeError). These functions cannot throw, so the emitter checks the argument
// first, in the order JavaScript does, and aborts with V8's message when the check fails:
//
//   if (!__js_num_format_arg_ok(KIND, x, arg)) abort(__js_num_format_arg_error(KIND), ...);
//
//   KIND  method              valid ToIntegerOrInfinity(arg)   checked when x is NaN/Infinity?
//   0     toFixed(d)          0..100                           yes (V8 checks before looking at x)
//   1     toExponential(d)    0..100                           no: NaN.toExponential(-1) is "NaN"
//   2     toPrecision(p)      1..100                           no
//   3     toString(radix)     2..36                            yes
//
// __js_num_format_arg_error(KIND) is the RangeError's message as V8 words it (e.g. "toFixed()
// digits argument must be between 0 and 100"), without the "RangeError: " prefix. Calls with no
// argument: toFixed() is toFixed(0); toPrecision() and toString() are __js_num_to_string(x);
// toExponential() is __js_num_to_exponential_auto(x) (passing undefined means the same). The
// formatting functions themselves apply ToIntegerOrInfinity to the argument (2.7 -> 2, NaN -> 0)
// and, should an unchecked out-of-range argument reach them, clamp it to the valid range rather
// than misbehave.

import { __js_num_to_string } from "./number";

// ---------------------------------------------------------------------------------------------
// Argument checks

/** ECMAScript ToIntegerOrInfinity on a number: NaN -> 0, otherwise truncation toward zero. */
@inline function toIntegerOrInfinity(v: f64): f64 {
  return v != v ? 0 : Math.trunc(v);
}

/** Whether `arg` is valid for method KIND (see the table at the top of this file) given the receiver x. */
export function __js_num_format_arg_ok(kind: i32, x: f64, arg: f64): bool {
  const n = toIntegerOrInfinity(arg);
  if (kind == 0) return n >= 0 && n <= 100;
  if (kind == 3) return n >= 2 && n <= 36;
  // toExponential and toPrecision return "NaN"/"Infinity" before range-checking the argument.
  if (x - x != 0) return true;
  if (kind == 1) return n >= 0 && n <= 100;
  return n >= 1 && n <= 100;
}

/** The RangeError message V8 gives when __js_num_format_arg_ok(kind, ...) fails. */
export function __js_num_format_arg_error(kind: i32): string {
  if (kind == 0) return "toFixed() digits argument must be between 0 and 100";
  if (kind == 1) return "toExponential() argument must be between 0 and 100";
  if (kind == 2) return "toPrecision() argument must be between 1 and 100";
  return "toString() radix argument must be between 2 and 36";
}

/** ToIntegerOrInfinity(arg) clamped to lo..hi, as an i32. */
function clampArg(arg: f64, lo: i32, hi: i32): i32 {
  const n = toIntegerOrInfinity(arg);
  if (!(n >= <f64>lo)) return lo;
  if (n > <f64>hi) return hi;
  return <i32>n;
}

// ---------------------------------------------------------------------------------------------
// Exact decimal expansion of a double

// A big natural number as little-endian u32 limbs. The largest one needed is m * 5^1074 with
// m < 2^53, under 2^2548: 80 limbs.
const LIMBS: i32 = 88;
const big = memory.data(LIMBS << 2);
let bigLen: i32 = 0;

@inline function limb(i: i32): u32 {
  return load<u32>(big + (<usize>i << 2));
}

@inline function setLimb(i: i32, v: u32): void {
  store<u32>(big + (<usize>i << 2), v);
}

/** big *= f */
function bigMulSmall(f: u32): void {
  let carry: u64 = 0;
  for (let i = 0; i < bigLen; i++) {
    const t = <u64>limb(i) * <u64>f + carry;
    setLimb(i, <u32>t);
    carry = t >>> 32;
  }
  if (carry != 0) setLimb(bigLen++, <u32>carry);
}

/** big /= d; returns the remainder. */
function bigDivSmall(d: u32): u32 {
  let rem: u64 = 0;
  for (let i = bigLen - 1; i >= 0; i--) {
    const cur = (rem << 32) | <u64>limb(i);
    const q = cur / <u64>d;
    rem = cur - q * <u64>d;
    setLimb(i, <u32>q);
  }
  while (bigLen > 0 && limb(bigLen - 1) == 0) bigLen--;
  return <u32>rem;
}

// The exact digits: x = 0.d[0] d[1] ... d[nDigits-1] * 10^pointPos, d[0] != 0 (nDigits = 0 means
// zero). Written from the end of digitArea, so digitPtr points into it. 767 digits at most.
const DIGIT_CAP: i32 = 800;
const digitArea = memory.data(DIGIT_CAP);
let digitPtr: usize = 0;
let nDigits: i32 = 0;
let pointPos: i32 = 0;

@inline function dig(i: i32): i32 {
  return <i32>load<u8>(digitPtr + <usize>i);
}

/** Expands a finite x > 0 into digitPtr/nDigits/pointPos (trailing zeros dropped). */
function exactDigits(x: f64): void {
  const bits = reinterpret<u64>(x);
  const biased = <i32>(bits >>> 52) & 0x7FF;
  let m = bits & 0x000FFFFFFFFFFFFF;
  let e2: i32;
  if (biased == 0) {
    e2 = -1074;
  } else {
    m |= <u64>1 << 52;
    e2 = biased - 1075;
  }
  // x = m * 2^e2; an odd m keeps the numbers small.
  const tz = <i32>ctz(m);
  m >>>= <u64>tz;
  e2 += tz;
  let shift10 = 0;
  if (e2 >= 0) {
    // x = m << e2: place m's (up to 84) shifted bits at limb e2 / 32.
    const words = e2 >>> 5;
    const b = e2 & 31;
    for (let i = 0; i < words; i++) setLimb(i, 0);
    const lo = m << <u64>b;
    const hi = b == 0 ? <u64>0 : m >>> <u64>(64 - b);
    setLimb(words, <u32>lo);
    setLimb(words + 1, <u32>(lo >>> 32));
    setLimb(words + 2, <u32>hi);
    bigLen = words + 3;
    while (limb(bigLen - 1) == 0) bigLen--;
  } else {
    // x = m / 2^k = m * 5^k / 10^k.
    let k = -e2;
    setLimb(0, <u32>m);
    setLimb(1, <u32>(m >>> 32));
    bigLen = (m >>> 32) != 0 ? 2 : 1;
    shift10 = k;
    while (k >= 13) {
      bigMulSmall(1220703125); // 5^13
      k -= 13;
    }
    let p: u32 = 1;
    while (k > 0) {
      p *= 5;
      k--;
    }
    if (p != 1) bigMulSmall(p);
  }
  // Nine decimal digits per division, least significant first.
  let pos = DIGIT_CAP;
  while (bigLen > 0) {
    let r = bigDivSmall(1000000000);
    if (bigLen > 0) {
      for (let j = 0; j < 9; j++) {
        store<u8>(digitArea + <usize>(--pos), <u8>(r % 10));
        r /= 10;
      }
    } else {
      while (r != 0) {
        store<u8>(digitArea + <usize>(--pos), <u8>(r % 10));
        r /= 10;
      }
    }
  }
  digitPtr = digitArea + <usize>pos;
  const total = DIGIT_CAP - pos;
  pointPos = total - shift10;
  nDigits = total;
  while (nDigits > 0 && dig(nDigits - 1) == 0) nDigits--;
}

/**
 * Rounds the digits to the first `keep` of them, half up (a digit >= 5 after the cut means the
 * dropped part is at least half a unit). keep <= 0 keeps nothing: the value becomes 0 or, if it
 * rounds up, 1 unit at the position (keep == 0 only).
 */
function roundDigits(keep: i32): void {
  if (keep >= nDigits) return;
  if (keep < 0) {
    nDigits = 0;
    return;
  }
  const up = dig(keep) >= 5;
  nDigits = keep;
  if (!up) {
    while (nDigits > 0 && dig(nDigits - 1) == 0) nDigits--;
    return;
  }
  let i = keep - 1;
  while (i >= 0 && dig(i) == 9) i--;
  if (i < 0) {
    // 999.. + 1: a single 1, one place higher.
    store<u8>(digitPtr, 1);
    nDigits = 1;
    pointPos++;
  } else {
    store<u8>(digitPtr + <usize>i, <u8>(dig(i) + 1));
    nDigits = i + 1;
  }
}

/** The digit at index i, 0 beyond the stored ones. */
@inline function digitOrZero(i: i32): i32 {
  return i >= 0 && i < nDigits ? dig(i) : 0;
}

// ---------------------------------------------------------------------------------------------
// Output

// Results are assembled here, then copied into one new string. toString(2) of a double needs up to
// ~1100 characters each side of the point; V8 uses the same 2200-character layout.
const CHAR_CAP: i32 = 2200;
const charBuffer = memory.data(CHAR_CAP << 1);
let outPos: i32 = 0;

@inline function put(code: i32): void {
  store<u16>(charBuffer + (<usize>outPos << 1), <u16>code);
  outPos++;
}

function putDecimalInt(v: i32): void {
  if (v >= 100) put(48 + v / 100);
  if (v >= 10) put(48 + (v / 10) % 10);
  put(48 + v % 10);
}

@inline function finish(): string {
  return String.UTF16.decodeUnsafe(charBuffer, <usize>outPos << 1);
}

/** Non-finite receivers print as String(x). */
function nonFinite(x: f64): string {
  if (x != x) return "NaN";
  return x > 0 ? "Infinity" : "-Infinity";
}

/** d.ddd…e±n with `count` significant digits (the stored ones, then zeros). */
function putExponential(count: i32): void {
  put(48 + digitOrZero(0));
  if (count > 1) {
    put(46);
    for (let i = 1; i < count; i++) put(48 + digitOrZero(i));
  }
  put(101);
  const e = pointPos - 1;
  put(e < 0 ? 45 : 43);
  putDecimalInt(e < 0 ? -e : e);
}

// ---------------------------------------------------------------------------------------------
// The methods

/** x.toFixed(digits) (digits checked beforehand: see the top of this file). */
export function __js_num_to_fixed(x: f64, digits: f64): string {
  if (x - x != 0) return nonFinite(x);
  const f = clampArg(digits, 0, 100);
  const negative = x < 0; // -0 prints without a sign; -0.001 rounds to "-0.00"
  const a = negative ? -x : x;
  if (a >= 1e21) return __js_num_to_string(x);
  outPos = 0;
  if (negative) put(45);
  if (a < 1e-102) {
    // Zero, or below half a unit of the 100th decimal: all zeros (no need to expand ~700 digits).
    nDigits = 0;
    pointPos = 0;
  } else {
    exactDigits(a);
    roundDigits(pointPos + f);
  }
  if (nDigits == 0 || pointPos <= 0) {
    put(48);
  } else {
    for (let i = 0; i < pointPos; i++) put(48 + digitOrZero(i));
  }
  if (f > 0) {
    put(46);
    for (let j = 0; j < f; j++) put(48 + digitOrZero(pointPos + j));
  }
  return finish();
}

/** x.toExponential(digits) (digits checked beforehand: see the top of this file). */
export function __js_num_to_exponential(x: f64, digits: f64): string {
  if (x - x != 0) return nonFinite(x);
  const f = clampArg(digits, 0, 100);
  outPos = 0;
  if (x < 0) {
    put(45);
    x = -x;
  }
  if (x == 0) {
    nDigits = 0;
    pointPos = 1;
  } else {
    exactDigits(x);
    roundDigits(f + 1);
  }
  putExponential(f + 1);
  return finish();
}

/** x.toExponential() / x.toExponential(undefined): as many digits as String(x) has. */
export function __js_num_to_exponential_auto(x: f64): string {
  if (x - x != 0) return nonFinite(x);
  outPos = 0;
  if (x < 0) {
    put(45);
    x = -x;
  }
  if (x == 0) {
    nDigits = 0;
    pointPos = 1;
    putExponential(1);
    return finish();
  }
  // Read the shortest digits back from String(x) ("123.45", "0.00012", "1.5e-7", "1e+21").
  const s = __js_num_to_string(x);
  const n = s.length;
  const base = changetype<usize>(s);
  digitPtr = digitArea;
  let count = 0;
  let intDigits = -1;
  let exponent = 0;
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u16>(base + (<usize>i << 1));
    if (c >= 48 && c <= 57) {
      store<u8>(digitArea + <usize>count, <u8>(c - 48));
      count++;
    } else if (c == 46) {
      intDigits = count;
    } else if (c == 101) {
      if (intDigits < 0) intDigits = count;
      const negativeExponent = load<u16>(base + (<usize>(i + 1) << 1)) == 45;
      for (let j = i + 2; j < n; j++) exponent = exponent * 10 + (<i32>load<u16>(base + (<usize>j << 1)) - 48);
      if (negativeExponent) exponent = -exponent;
      break;
    }
  }
  if (intDigits < 0) intDigits = count;
  // Drop leading zeros ("0.000123"), moving the point with them, then trailing zeros ("1200").
  let lead = 0;
  while (dig(lead) == 0) lead++;
  digitPtr = digitArea + <usize>lead;
  nDigits = count - lead;
  pointPos = intDigits + exponent - lead;
  while (dig(nDigits - 1) == 0) nDigits--;
  putExponential(nDigits);
  return finish();
}

/** x.toPrecision(precision) (checked beforehand: see the top of this file). */
export function __js_num_to_precision(x: f64, precision: f64): string {
  if (x - x != 0) return nonFinite(x);
  const p = clampArg(precision, 1, 100);
  outPos = 0;
  if (x < 0) {
    put(45);
    x = -x;
  }
  if (x == 0) {
    nDigits = 0;
    pointPos = 1;
  } else {
    exactDigits(x);
    roundDigits(p);
  }
  const e = pointPos - 1;
  if (e < -6 || e >= p) {
    putExponential(p);
  } else if (pointPos <= 0) {
    // 0.000ddd
    put(48);
    put(46);
    for (let i = pointPos; i < 0; i++) put(48);
    for (let i = 0; i < p; i++) put(48 + digitOrZero(i));
  } else {
    for (let i = 0; i < pointPos; i++) put(48 + digitOrZero(i));
    if (pointPos < p) {
      put(46);
      for (let i = pointPos; i < p; i++) put(48 + digitOrZero(i));
    }
  }
  return finish();
}

@inline function storeChar(at: i32, code: i32): void {
  store<u16>(charBuffer + (<usize>at << 1), <u16>code);
}

@inline function radixChar(d: i32): i32 {
  return d < 10 ? 48 + d : 87 + d;
}

/** The next double above a finite x >= 0. */
@inline function nextDouble(x: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(x) + 1);
}

/**
 * x.toString(radix) (radix checked beforehand: see the top of this file). Radix 10 is String(x);
 * the others follow V8's DoubleToRadixCString step for step: fraction digits are produced with
 * double arithmetic until they exceed the precision of x (delta), then rounded half-to-even with
 * carry; integer digits beyond 2^53 are printed as zeros.
 */
export function __js_num_to_string_radix(x: f64, radix: f64): string {
  const r = clampArg(radix, 2, 36);
  if (r == 10) return __js_num_to_string(x);
  if (x - x != 0) return nonFinite(x);
  if (x == 0) return "0";
  const radixF = <f64>r;
  const middle = CHAR_CAP >> 1;
  let integerCursor = middle;
  let fractionCursor = middle;
  const negative = x < 0;
  let value = negative ? -x : x;

  let integer = Math.floor(value);
  let fraction = value - integer;
  let delta = 0.5 * (nextDouble(value) - value);
  delta = Math.max(nextDouble(0.0), delta);
  if (fraction >= delta) {
    storeChar(fractionCursor++, 46);
    do {
      fraction *= radixF;
      delta *= radixF;
      const digit = <i32>fraction; // 0 <= fraction < radix: in range
      storeChar(fractionCursor++, radixChar(digit));
      fraction -= <f64>digit;
      if (fraction > 0.5 || (fraction == 0.5 && (digit & 1) != 0)) {
        if (fraction + delta > 1) {
          // Round up, carrying through already written digits.
          while (true) {
            fractionCursor--;
            if (fractionCursor == middle) {
              // The carry reached the point: it goes to the integer part, and the point is dropped.
              integer += 1;
              break;
            }
            const c = <i32>load<u16>(charBuffer + (<usize>fractionCursor << 1));
            const d = c > 57 ? c - 87 : c - 48;
            if (d + 1 < r) {
              storeChar(fractionCursor++, radixChar(d + 1));
              break;
            }
          }
          break;
        }
      }
    } while (fraction >= delta);
  }

  // Integer digits; those below the precision of a double (integer / radix >= 2^53) are zeros.
  while (integer / radixF >= 9007199254740992.0) {
    integer /= radixF;
    storeChar(--integerCursor, 48);
  }
  do {
    const remainder = integer % radixF; // exact fmod
    storeChar(--integerCursor, radixChar(<i32>remainder));
    integer = (integer - remainder) / radixF;
  } while (integer > 0);
  if (negative) storeChar(--integerCursor, 45);
  return String.UTF16.decodeUnsafe(charBuffer + (<usize>integerCursor << 1), <usize>(fractionCursor - integerCursor) << 1);
}
