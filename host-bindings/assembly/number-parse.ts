// stelp runtime: string-to-number conversions (AssemblyScript): Number(s) / unary +s, parseFloat
// and parseInt, giving exactly V8's (Node 20) results.
//
// Decimal strings are converted with correct rounding (round half to even) for any number of
// digits, as V8's Strtod does: short inputs take Clinger's fast path (at most 15 digits and a power
// of ten up to 1e22, where one IEEE multiplication or division is exact-then-rounded-once); the rest
// use exact big-integer arithmetic, value = digits * 10^e = digits * 5^e * 2^e, dividing by 5^-e
// bit by bit for negative e. Only the first 800 significant digits are kept; any nonzero digit
// beyond them is replaced by one sticky digit (as V8 does), which cannot change the rounding
// because a halfway point between two doubles has at most 767 significant digits.
//
// Power-of-two radixes (0x/0o/0b literals, parseInt radix 2/4/8/16/32) port V8's
// InternalStringToIntDouble, which is also correctly rounded. parseInt in any other radix except 10
// ports V8's chunked double accumulation (value = value * radix^k + chunk), including its rounding
// error above 2^53, which the spec allows and V8 exhibits.
//
// Whitespace is the spec's StrWhiteSpaceChar set (WhiteSpace + LineTerminator), as V8's
// IsWhiteSpaceOrLineTerminator: TAB LF VT FF CR SP NBSP U+1680 U+2000-U+200A U+2028 U+2029
// U+202F U+205F U+3000 U+FEFF.

import { __js_to_int32 } from "./ops";

@inline function charAt(base: usize, i: i32): i32 {
  return <i32>load<u16>(base + (<usize>i << 1));
}

function isWhite(c: i32): bool {
  if (c < 128) return c == 32 || (c >= 9 && c <= 13);
  return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
    c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

function skipWhite(base: usize, i: i32, len: i32): i32 {
  while (i < len && isWhite(charAt(base, i))) i++;
  return i;
}

@inline function isDecimal(c: i32): bool {
  return <u32>(c - 48) < 10;
}

/** The value of c as a digit in `radix`, or -1 (V8's isDigit: 0-9, then a-z/A-Z from 10). */
function digitValue(c: i32, radix: i32): i32 {
  let d = 99;
  if (c >= 48 && c <= 57) d = c - 48;
  else if (c >= 97 && c <= 122) d = c - 87;
  else if (c >= 65 && c <= 90) d = c - 55;
  return d < radix ? d : -1;
}

// ---------------------------------------------------------------------------------------------
// Big naturals: little-endian u32 limbs at a fixed address, lengths passed around. The largest is
// 5^1125 or 800 decimal digits (< 2^2660), plus a few bits of alignment: 84 limbs.

const LIMBS: i32 = 96;
const bigA = memory.data(LIMBS << 2);
const bigB = memory.data(LIMBS << 2);

@inline function getLimb(p: usize, i: i32): u32 {
  return load<u32>(p + (<usize>i << 2));
}

@inline function setLimb(p: usize, i: i32, v: u32): void {
  store<u32>(p + (<usize>i << 2), v);
}

/** p = p * f + add; returns the new length. */
function mulAddSmall(p: usize, len: i32, f: u32, add: u32): i32 {
  let carry: u64 = add;
  for (let i = 0; i < len; i++) {
    const t = <u64>getLimb(p, i) * <u64>f + carry;
    setLimb(p, i, <u32>t);
    carry = t >>> 32;
  }
  if (carry != 0) setLimb(p, len++, <u32>carry);
  return len;
}

function bitLength(p: usize, len: i32): i32 {
  return len == 0 ? 0 : (len << 5) - <i32>clz(getLimb(p, len - 1));
}

/** p <<= n; returns the new length. */
function shiftLeft(p: usize, len: i32, n: i32): i32 {
  if (len == 0) return 0;
  const words = n >>> 5;
  const b = n & 31;
  if (b == 0) {
    for (let i = len - 1; i >= 0; i--) setLimb(p, i + words, getLimb(p, i));
    setLimb(p, len + words, 0); // the limb the length check below reads
  } else {
    setLimb(p, len + words, getLimb(p, len - 1) >>> (32 - b));
    for (let i = len - 1; i > 0; i--) {
      setLimb(p, i + words, (getLimb(p, i) << b) | (getLimb(p, i - 1) >>> (32 - b)));
    }
    setLimb(p, words, getLimb(p, 0) << b);
  }
  for (let i = 0; i < words; i++) setLimb(p, i, 0);
  len += words + 1;
  while (len > 0 && getLimb(p, len - 1) == 0) len--;
  return len;
}

/** Sign of a - b. */
function compare(a: usize, la: i32, b: usize, lb: i32): i32 {
  if (la != lb) return la > lb ? 1 : -1;
  for (let i = la - 1; i >= 0; i--) {
    const x = getLimb(a, i);
    const y = getLimb(b, i);
    if (x != y) return x > y ? 1 : -1;
  }
  return 0;
}

/** a -= b (a >= b); returns the new length of a. */
function subtract(a: usize, la: i32, b: usize, lb: i32): i32 {
  let borrow: i64 = 0;
  for (let i = 0; i < la; i++) {
    const t = <i64>getLimb(a, i) - <i64>(i < lb ? getLimb(b, i) : 0) - borrow;
    setLimb(a, i, <u32>t);
    borrow = t < 0 ? 1 : 0;
  }
  while (la > 0 && getLimb(a, la - 1) == 0) la--;
  return la;
}

/** p = 5^k; returns the length. */
function powerOfFive(p: usize, k: i32): i32 {
  setLimb(p, 0, 1);
  let len = 1;
  while (k >= 13) {
    len = mulAddSmall(p, len, 1220703125, 0); // 5^13
    k -= 13;
  }
  let f: u32 = 1;
  while (k-- > 0) f *= 5;
  return mulAddSmall(p, len, f, 0);
}

// ---------------------------------------------------------------------------------------------
// Correctly rounded decimal -> double

const MAX_DIGITS: i32 = 800;
// Significant decimal digits (values 0-9), the first one nonzero; room for the sticky digit.
const digitArea = memory.data(MAX_DIGITS + 8);

@inline function storeDigit(at: i32, d: i32): void {
  store<u8>(digitArea + <usize>at, <u8>d);
}

const POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

/**
 * The double nearest to (q + t) * 2^e, ties to even, where q has its top bit set (q >= 2^63) and
 * 0 <= t < 1 is known only as zero or not (sticky). Handles subnormals, underflow and overflow.
 */
function roundToDouble(q: u64, sticky: bool, e: i32): f64 {
  // Unit in the last place of the result: 53 significant bits, but never below 2^-1074.
  let ulpExp = e + 11;
  if (ulpExp < -1074) ulpExp = -1074;
  const drop = ulpExp - e; // >= 11
  if (drop > 64) return 0; // below half the smallest subnormal
  let mant: u64;
  let up: bool;
  if (drop == 64) {
    mant = 0;
    const half: u64 = <u64>1 << 63;
    up = q > half || (q == half && sticky);
  } else {
    mant = q >>> <u64>drop;
    const rest = q & ((<u64>1 << <u64>drop) - 1);
    const half = <u64>1 << <u64>(drop - 1);
    up = rest > half || (rest == half && (sticky || (mant & 1) != 0));
  }
  if (up) mant++;
  if (mant == <u64>1 << 53) {
    mant = <u64>1 << 52;
    ulpExp++;
  }
  if (mant < <u64>1 << 52) return reinterpret<f64>(mant); // subnormal (ulpExp is -1074)
  const biased = ulpExp + 1075;
  if (biased >= 2047) return Infinity;
  return reinterpret<f64>((<u64>biased << 52) | (mant & 0x000FFFFFFFFFFFFF));
}

/** The 64 bits of p from bit `from` upward (bits past the end read as 0). */
function bitsAt(p: usize, len: i32, from: i32): u64 {
  const w = from >>> 5;
  const b = from & 31;
  const l0 = w < len ? <u64>getLimb(p, w) : 0;
  const l1 = w + 1 < len ? <u64>getLimb(p, w + 1) : 0;
  const l2 = w + 2 < len ? <u64>getLimb(p, w + 2) : 0;
  const low = l0 | (l1 << 32);
  return b == 0 ? low : (low >>> <u64>b) | (l2 << <u64>(64 - b));
}

/** Whether any of the bits of p below bit `below` is set. */
function anyBitsBelow(p: usize, below: i32): bool {
  const w = below >>> 5;
  for (let i = 0; i < w; i++) if (getLimb(p, i) != 0) return true;
  const b = below & 31;
  return b != 0 && (getLimb(p, w) & ((<u32>1 << b) - 1)) != 0;
}

/**
 * The double nearest to D * 10^e10, where D is the n digits in digitArea (first digit nonzero,
 * n <= MAX_DIGITS + 1).
 */
function decimalToDouble(n: i32, e10: i64): f64 {
  if (<i64>n + e10 > 310) return Infinity; // >= 10^310
  if (<i64>n + e10 < -324) return 0; // < 10^-325, under half of 2^-1074
  const e = <i32>e10;
  if (n <= 15 && e >= -22 && e <= 22) {
    let d: f64 = 0;
    for (let i = 0; i < n; i++) d = d * 10 + <f64>load<u8>(digitArea + <usize>i);
    return e >= 0 ? d * load<f64>(POW10 + (<usize>e << 3)) : d / load<f64>(POW10 + (<usize>-e << 3));
  }
  // A = D, nine digits at a time.
  let la = 0;
  let i = 0;
  while (i < n) {
    let chunk: u32 = 0;
    let scale: u32 = 1;
    for (let j = 0; j < 9 && i < n; j++, i++) {
      chunk = chunk * 10 + <u32>load<u8>(digitArea + <usize>i);
      scale *= 10;
    }
    la = mulAddSmall(bigA, la, scale, chunk);
  }
  let q: u64;
  let sticky: bool;
  let exp2: i32;
  if (e >= 0) {
    // D * 10^e = (D * 5^e) * 2^e: an integer; take its top 64 bits.
    let k = e;
    while (k >= 13) {
      la = mulAddSmall(bigA, la, 1220703125, 0);
      k -= 13;
    }
    let f: u32 = 1;
    while (k-- > 0) f *= 5;
    la = mulAddSmall(bigA, la, f, 0);
    const bits = bitLength(bigA, la);
    if (bits <= 64) {
      q = bitsAt(bigA, la, 0) << <u64>(64 - bits);
      sticky = false;
      exp2 = e - (64 - bits);
    } else {
      q = bitsAt(bigA, la, bits - 64);
      sticky = anyBitsBelow(bigA, bits - 64);
      exp2 = e + bits - 64;
    }
  } else {
    // D * 10^e = (D / 5^-e) * 2^e: long division, one quotient bit at a time.
    let lb = powerOfFive(bigB, -e);
    // Align so that B <= A < 2B; `shift` counts A's doublings relative to B.
    let shift = bitLength(bigB, lb) - bitLength(bigA, la);
    if (shift > 0) la = shiftLeft(bigA, la, shift);
    else if (shift < 0) lb = shiftLeft(bigB, lb, -shift);
    if (compare(bigA, la, bigB, lb) < 0) {
      la = shiftLeft(bigA, la, 1);
      shift++;
    }
    la = subtract(bigA, la, bigB, lb);
    q = 1;
    for (let bit = 0; bit < 63; bit++) {
      la = shiftLeft(bigA, la, 1);
      q <<= 1;
      if (compare(bigA, la, bigB, lb) >= 0) {
        la = subtract(bigA, la, bigB, lb);
        q |= 1;
      }
    }
    sticky = la != 0;
    exp2 = e - shift - 63;
  }
  return roundToDouble(q, sticky, exp2);
}

// ---------------------------------------------------------------------------------------------
// Power-of-two radixes: V8's InternalStringToIntDouble

/** x * 2^e for an integer-valued x < 2^53 and e >= 0 (exact, or Infinity): std::ldexp. */
function scaleByPowerOfTwo(x: f64, e: i32): f64 {
  while (e > 0) {
    const step = e > 1000 ? 1000 : e;
    x *= reinterpret<f64>(<u64>(step + 1023) << 52);
    if (x == Infinity) return x;
    e -= step;
  }
  return x;
}

// Where the last digit scan stopped (the first character not consumed).
let scanEnd: i32 = 0;

/**
 * The digits of radix 2^log2 starting at `start` (which must be a digit), correctly rounded. Stops
 * at the first non-digit, leaving its index in scanEnd.
 */
function powerOfTwoDigits(base: usize, start: i32, len: i32, log2: i32): f64 {
  const radix = 1 << log2;
  let i = start;
  while (i < len && charAt(base, i) == 48) i++;
  let number: i64 = 0;
  let exponent = 0;
  while (i < len) {
    const digit = digitValue(charAt(base, i), radix);
    if (digit < 0) break;
    number = number * radix + digit;
    let overflow = <i32>(number >> 53);
    if (overflow != 0) {
      // More than 53 bits: keep the top 53, round on the dropped ones and the remaining digits.
      let overflowBits = 1;
      while (overflow > 1) {
        overflowBits++;
        overflow >>= 1;
      }
      const droppedMask = (1 << overflowBits) - 1;
      const dropped = <i32>number & droppedMask;
      number >>= overflowBits;
      exponent = overflowBits;
      let zeroTail = true;
      i++;
      while (i < len) {
        const c = charAt(base, i);
        if (digitValue(c, radix) < 0) break;
        zeroTail = zeroTail && c == 48;
        exponent += log2;
        i++;
      }
      const middle = 1 << (overflowBits - 1);
      if (dropped > middle) {
        number++;
      } else if (dropped == middle) {
        if ((number & 1) != 0 || !zeroTail) number++;
      }
      if ((number & (<i64>1 << 53)) != 0) {
        exponent++;
        number >>= 1;
      }
      scanEnd = i;
      return scaleByPowerOfTwo(<f64>number, exponent);
    }
    i++;
  }
  scanEnd = i;
  return <f64>number;
}

// ---------------------------------------------------------------------------------------------
// StringToNumber and parseFloat

const INFINITY_CHARS = memory.data<u16>([73, 110, 102, 105, 110, 105, 116, 121]); // "Infinity"

/**
 * V8's StringToDouble: `junk` allows trailing junk (parseFloat), `prefixes` accepts unsigned
 * 0x/0o/0b literals (Number), `empty` is the value of an empty or all-whitespace string.
 */
function stringToDouble(s: string, junk: bool, prefixes: bool, empty: f64): f64 {
  const base = changetype<usize>(s);
  const len = s.length;
  let i = skipWhite(base, 0, len);
  if (i == len) return empty;
  let c = charAt(base, i);

  if (prefixes && c == 48 && i + 1 < len) {
    const p = charAt(base, i + 1) | 0x20;
    const log2 = p == 0x78 ? 4 : p == 0x6F ? 3 : p == 0x62 ? 1 : 0;
    if (log2 != 0) {
      // A signed prefix ("-0x1") falls through to the decimal parser, which rejects it.
      const start = i + 2;
      if (start == len || digitValue(charAt(base, start), 1 << log2) < 0) return NaN;
      const value = powerOfTwoDigits(base, start, len, log2);
      return skipWhite(base, scanEnd, len) == len ? value : NaN;
    }
  }

  let negative = false;
  if (c == 43 || c == 45) {
    negative = c == 45;
    i++;
    if (i == len) return NaN;
    c = charAt(base, i);
  }

  if (c == 73) {
    // "Infinity", exactly.
    if (i + 8 > len) return NaN;
    for (let j = 1; j < 8; j++) {
      if (charAt(base, i + j) != <i32>load<u16>(INFINITY_CHARS + (<usize>j << 1))) return NaN;
    }
    i += 8;
    if (!junk && skipWhite(base, i, len) != len) return NaN;
    return negative ? -Infinity : Infinity;
  }

  let n = 0; // significant digits stored
  let e10: i64 = 0; // value = digits * 10^e10
  let sawDigit = false;
  let dropped = false; // a nonzero digit beyond MAX_DIGITS
  while (i < len && isDecimal(c = charAt(base, i))) {
    sawDigit = true;
    if (n > 0 || c != 48) {
      if (n < MAX_DIGITS) storeDigit(n++, c - 48);
      else {
        e10++;
        dropped = dropped || c != 48;
      }
    }
    i++;
  }
  if (i < len && charAt(base, i) == 46) {
    i++;
    while (i < len && isDecimal(c = charAt(base, i))) {
      sawDigit = true;
      if (n == 0 && c == 48) {
        e10--;
      } else if (n < MAX_DIGITS) {
        storeDigit(n++, c - 48);
        e10--;
      } else {
        dropped = dropped || c != 48;
      }
      i++;
    }
  }
  if (!sawDigit) return NaN;

  if (i < len && (charAt(base, i) | 0x20) == 101) {
    let j = i + 1;
    let negativeExponent = false;
    if (j < len && (charAt(base, j) == 43 || charAt(base, j) == 45)) {
      negativeExponent = charAt(base, j) == 45;
      j++;
    }
    if (j < len && isDecimal(charAt(base, j))) {
      // Saturate: beyond 10^15 the result is 0 or Infinity whatever the digits' position says.
      let exponent: i64 = 0;
      while (j < len && isDecimal(c = charAt(base, j))) {
        if (exponent < 1000000000000000) exponent = exponent * 10 + <i64>(c - 48);
        j++;
      }
      e10 += negativeExponent ? -exponent : exponent;
      i = j;
    } else if (!junk) {
      return NaN;
    }
    // else: "1e", "1e+" are the number 1 followed by junk.
  }
  if (!junk && skipWhite(base, i, len) != len) return NaN;

  let value: f64;
  if (n == 0) {
    value = 0;
  } else {
    if (dropped) {
      // Sticky digit right after the kept ones: strictly between them and the next decimal up.
      storeDigit(n++, 1);
      e10--;
    }
    while (load<u8>(digitArea + <usize>(n - 1)) == 0) {
      n--;
      e10++;
    }
    value = decimalToDouble(n, e10);
  }
  return negative ? -value : value;
}

/** ECMAScript StringToNumber: Number(s), +s. */
export function __js_string_to_number(s: string): f64 {
  return stringToDouble(s, false, true, 0);
}

/** parseFloat(s). */
export function __js_parse_float(s: string): f64 {
  return stringToDouble(s, true, false, NaN);
}

// ---------------------------------------------------------------------------------------------
// parseInt

/** parseInt with an already-converted radix (ToInt32; 0 means detect 10 or 16). */
function parseIntWithRadix(s: string, radix: i32): f64 {
  const base = changetype<usize>(s);
  const len = s.length;
  let i = skipWhite(base, 0, len);
  if (i == len) return NaN;
  let c = charAt(base, i);
  let negative = false;
  if (c == 43 || c == 45) {
    negative = c == 45;
    i++;
    if (i == len) return NaN;
    c = charAt(base, i);
  }
  const zero = negative ? -0.0 : 0.0;
  let leadingZero = false;
  if (radix == 0 || radix == 16) {
    if (radix == 0) radix = 10;
    if (c == 48) {
      i++;
      if (i == len) return zero;
      c = charAt(base, i);
      if (c == 120 || c == 88) {
        radix = 16;
        i++;
        if (i == len) return NaN;
        c = charAt(base, i);
      } else {
        leadingZero = true;
      }
    }
  }
  if (radix < 2 || radix > 36) return NaN;
  while (c == 48) {
    leadingZero = true;
    i++;
    if (i == len) return zero;
    c = charAt(base, i);
  }
  if (digitValue(c, radix) < 0) return leadingZero ? zero : NaN;

  let value: f64;
  if (radix == 10) {
    // Correctly rounded, as V8's Strtod.
    let n = 0;
    let e10: i64 = 0;
    let dropped = false;
    while (i < len && isDecimal(c = charAt(base, i))) {
      if (n < MAX_DIGITS) storeDigit(n++, c - 48);
      else {
        e10++;
        dropped = dropped || c != 48;
      }
      i++;
    }
    if (dropped) {
      storeDigit(n++, 1);
      e10--;
    }
    while (load<u8>(digitArea + <usize>(n - 1)) == 0) {
      n--;
      e10++;
    }
    value = decimalToDouble(n, e10);
  } else if ((radix & (radix - 1)) == 0) {
    value = powerOfTwoDigits(base, i, len, <i32>ctz(radix));
  } else {
    // V8's generic loop: chunks of digits whose multiplier radix^k stays below 0xFFFFFFFF / 36,
    // folded in with double arithmetic (value * multiplier, then + chunk: two roundings).
    value = 0;
    let done = false;
    do {
      let part: u32 = 0;
      let multiplier: u32 = 1;
      while (true) {
        const d = i < len ? digitValue(charAt(base, i), radix) : -1;
        if (d < 0) {
          done = true;
          break;
        }
        const m = multiplier * <u32>radix;
        if (m > 0xFFFFFFFF / 36) break;
        part = part * <u32>radix + <u32>d;
        multiplier = m;
        i++;
      }
      value = value * <f64>multiplier;
      value = value + <f64>part;
    } while (!done);
  }
  return negative ? -value : value;
}

/** parseInt(s, radix): radix goes through ToInt32; 0 (or NaN, undefined) detects 10 or 16 ("0x"). */
export function __js_parse_int(s: string, radix: f64): f64 {
  return parseIntWithRadix(s, __js_to_int32(radix));
}

/** parseInt(s) with no radix. */
export function __js_parse_int_auto(s: string): f64 {
  return parseIntWithRadix(s, 0);
}
