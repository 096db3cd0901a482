// stelp runtime: JavaScript's Math, bit-identical to V8 (AssemblyScript).
//
// AssemblyScript's own Math (NativeMath) is a musl port: for exp, log, pow, sin and others it uses
// different algorithms (table-driven exp/log/pow, FreeBSD trig kernels) than V8, so it differs from
// Node in the last bit on a few percent of inputs. V8 computes these functions with its port of
// fdlibm (src/base/ieee754.cc) and Math.hypot/Math.round in builtins; this file ports exactly those
// algorithms, operation by operation, so the results match bit for bit. test/runtime-math.test.ts
// checks every function against the V8 that runs the tests.
//
// Functions exact in IEEE arithmetic (abs, floor, ceil, trunc, sqrt, fround, min, max) map to Wasm
// instructions, whose semantics (NaN propagation, -0 < +0 in min/max) are JavaScript's.
//
// The fdlibm algorithms and constants below are:
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
// with modifications by the FreeBSD project (cbrt, log2) and the V8 project (exp, sinh, cosh, pow).

import { __js_to_int32, __js_to_uint32 } from "./ops";

// ---------------------------------------------------------------------------------------------
// Word access: fdlibm reasons about the high and low 32-bit halves of a double.

@inline function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >>> 32);
}

@inline function lowWord(x: f64): u32 {
  return <u32>reinterpret<u64>(x);
}

@inline function fromWords(high: i32, low: u32): f64 {
  return reinterpret<f64>((<u64><u32>high << 32) | <u64>low);
}

@inline function withHighWord(x: f64, high: i32): f64 {
  return fromWords(high, lowWord(x));
}

@inline function withLowWord(x: f64, low: u32): f64 {
  return fromWords(highWord(x), low);
}

/** x * 2^n with a single rounding (C scalbn), needed where fdlibm calls scalbn. */
function scalbn(x: f64, n: i32): f64 {
  const twoTo1023 = reinterpret<f64>(0x7FE0000000000000);
  // 2^-1022 * 2^53: scaling down in steps of this keeps intermediates normal, so only the last
  // multiplication rounds.
  const twoToMinus969 = reinterpret<f64>(0x0360000000000000);
  let y = x;
  if (n > 1023) {
    y *= twoTo1023;
    n -= 1023;
    if (n > 1023) {
      y *= twoTo1023;
      n -= 1023;
      if (n > 1023) n = 1023;
    }
  } else if (n < -1022) {
    y *= twoToMinus969;
    n += 1022 - 53;
    if (n < -1022) {
      y *= twoToMinus969;
      n += 1022 - 53;
      if (n < -1022) n = -1022;
    }
  }
  return y * reinterpret<f64>(<u64>(0x3FF + n) << 52);
}

// ---------------------------------------------------------------------------------------------
// Argument reduction for sin, cos, tan: x = n*pi/2 + (remPio2Hi + remPio2Lo), |remainder| <= pi/4.

let remPio2Hi: f64 = 0;
let remPio2Lo: f64 = 0;

// 2/pi in 24-bit chunks: 396 hex digits.
const TWO_OVER_PI = memory.data<i32>([
  0xA2F983, 0x6E4E44, 0x1529FC, 0x2757D1, 0xF534DD, 0xC0DB62, 0x95993C, 0x439041, 0xFE5163,
  0xABDEBB, 0xC561B7, 0x246E3A, 0x424DD2, 0xE00649, 0x2EEA09, 0xD1921C, 0xFE1DEB, 0x1CB129,
  0xA73EE8, 0x8235F5, 0x2EBB44, 0x84E99C, 0x7026B4, 0x5F7E41, 0x3991D6, 0x398353, 0x39F49C,
  0x845F8B, 0xBDF928, 0x3B1FF8, 0x97FFDE, 0x05980F, 0xEF2F11, 0x8B5A0A, 0x6D1F6D, 0x367ECF,
  0x27CB09, 0xB74F46, 0x3F669E, 0x5FEA2D, 0x7527BA, 0xC7EBE5, 0xF17B3D, 0x0739F7, 0x8A5292,
  0xEA6BFB, 0x5FB11F, 0x8D5D08, 0x560330, 0x46FC7B, 0x6BABF0, 0xCFBC20, 0x9AF436, 0x1DA9E3,
  0x91615E, 0xE61B08, 0x659985, 0x5F14A0, 0x68408D, 0xFFD880, 0x4D7327, 0x310606, 0x1556CA,
  0x73A8C9, 0x60E27B, 0xC08C6B,
]);

// High words of n*pi/2 for n = 1..32, to detect cancellation in the medium-size reduction.
const NPIO2_HIGH_WORDS = memory.data<i32>([
  0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C, 0x4025FDBB, 0x402921FB,
  0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C, 0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB,
  0x403AB41B, 0x403C463A, 0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C,
  0x4043A28C, 0x40446B9C, 0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB, 0x404858EB, 0x404921FB,
]);

// pi/2 cut into 24-bit chunks.
const PIO2_CHUNKS = memory.data<f64>([
  1.57079625129699707031e+00, 7.54978941586159635335e-08, 5.39030252995776476554e-15,
  3.28200341580791294123e-22, 1.27065575308067607349e-29, 1.22933308981111328932e-36,
  2.73370053816464559624e-44, 2.16741683877804819444e-51,
]);

// Scratch arrays of the large-argument reduction (20 entries each; the reduction never nests).
const kX = memory.data(3 * 8);
const kF = memory.data(20 * 8);
const kQ = memory.data(20 * 8);
const kFQ = memory.data(20 * 8);
const kIQ = memory.data(20 * 4);

@inline function getF(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline function setF(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}
@inline function getI(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function setI(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/**
 * fdlibm __kernel_rem_pio2 for nx input chunks in kX, called by V8 with prec = 2 (jk = 4).
 * Leaves the remainder in remPio2Hi/remPio2Lo and returns n mod 8.
 */
function kernelRemPio2(e0: i32, nx: i32): i32 {
  const two24 = 1.67772160000000000000e+07;
  const twon24 = 5.96046447753906250000e-08;
  const jk = 4;
  const jp = jk;

  const jx = nx - 1;
  let jv = (e0 - 3) / 24;
  if (jv < 0) jv = 0;
  let q0 = e0 - 24 * (jv + 1);

  let j = jv - jx;
  const m = jx + jk;
  for (let i = 0; i <= m; i++, j++) {
    setF(kF, i, j < 0 ? 0.0 : <f64>getI(TWO_OVER_PI, j));
  }
  for (let i = 0; i <= jk; i++) {
    let fw = 0.0;
    for (j = 0; j <= jx; j++) fw += getF(kX, j) * getF(kF, jx + i - j);
    setF(kQ, i, fw);
  }

  let jz = jk;
  let z: f64;
  let n: i32;
  let ih: i32;
  let fw: f64;
  while (true) {
    // Distill q[] into iq[] in reverse.
    let i = 0;
    z = getF(kQ, jz);
    for (j = jz; j > 0; i++, j--) {
      fw = <f64><i32>(twon24 * z);
      setI(kIQ, i, <i32>(z - two24 * fw));
      z = getF(kQ, j - 1) + fw;
    }
    // Compute n.
    z = scalbn(z, q0);
    z -= 8.0 * Math.floor(z * 0.125);
    n = <i32>z;
    z -= <f64>n;
    ih = 0;
    if (q0 > 0) {
      i = getI(kIQ, jz - 1) >> (24 - q0);
      n += i;
      setI(kIQ, jz - 1, getI(kIQ, jz - 1) - (i << (24 - q0)));
      ih = getI(kIQ, jz - 1) >> (23 - q0);
    } else if (q0 == 0) {
      ih = getI(kIQ, jz - 1) >> 23;
    } else if (z >= 0.5) {
      ih = 2;
    }
    if (ih > 0) {
      // q > 0.5: use 1 - q.
      n += 1;
      let carry = 0;
      for (i = 0; i < jz; i++) {
        const w = getI(kIQ, i);
        if (carry == 0) {
          if (w != 0) {
            carry = 1;
            setI(kIQ, i, 0x1000000 - w);
          }
        } else {
          setI(kIQ, i, 0xFFFFFF - w);
        }
      }
      if (q0 > 0) {
        if (q0 == 1) setI(kIQ, jz - 1, getI(kIQ, jz - 1) & 0x7FFFFF);
        else if (q0 == 2) setI(kIQ, jz - 1, getI(kIQ, jz - 1) & 0x3FFFFF);
      }
      if (ih == 2) {
        z = 1.0 - z;
        if (carry != 0) z -= scalbn(1.0, q0);
      }
    }
    // Recompute with more terms of 2/pi if the fraction cancelled.
    if (z == 0.0) {
      j = 0;
      for (i = jz - 1; i >= jk; i--) j |= getI(kIQ, i);
      if (j == 0) {
        let k = 1;
        while (jk >= k && getI(kIQ, jk - k) == 0) k++;
        for (i = jz + 1; i <= jz + k; i++) {
          setF(kF, jx + i, <f64>getI(TWO_OVER_PI, jv + i));
          fw = 0.0;
          for (j = 0; j <= jx; j++) fw += getF(kX, j) * getF(kF, jx + i - j);
          setF(kQ, i, fw);
        }
        jz += k;
        continue;
      }
    }
    break;
  }

  // Chop off zero terms, or break z into 24-bit chunks.
  if (z == 0.0) {
    jz -= 1;
    q0 -= 24;
    while (getI(kIQ, jz) == 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    z = scalbn(z, -q0);
    if (z >= two24) {
      fw = <f64><i32>(twon24 * z);
      setI(kIQ, jz, <i32>(z - two24 * fw));
      jz += 1;
      q0 += 24;
      setI(kIQ, jz, <i32>fw);
    } else {
      setI(kIQ, jz, <i32>z);
    }
  }

  // Integer chunks to floating point.
  fw = scalbn(1.0, q0);
  for (let i = jz; i >= 0; i--) {
    setF(kQ, i, fw * <f64>getI(kIQ, i));
    fw *= twon24;
  }
  // PIo2[0..jp] * q[jz..0].
  for (let i = jz; i >= 0; i--) {
    fw = 0.0;
    for (let k = 0; k <= jp && k <= jz - i; k++) fw += getF(PIO2_CHUNKS, k) * getF(kQ, i + k);
    setF(kFQ, jz - i, fw);
  }
  // Compress fq[] into two doubles (prec 1 and 2 share this step).
  fw = 0.0;
  for (let i = jz; i >= 0; i--) fw += getF(kFQ, i);
  remPio2Hi = ih == 0 ? fw : -fw;
  fw = getF(kFQ, 0) - fw;
  for (let i = 1; i <= jz; i++) fw += getF(kFQ, i);
  remPio2Lo = ih == 0 ? fw : -fw;
  return n & 7;
}

/** fdlibm __ieee754_rem_pio2: returns n, remainder in remPio2Hi + remPio2Lo. */
function remPio2(x: f64): i32 {
  const invpio2 = 6.36619772367581382433e-01;
  const pio2_1 = 1.57079632673412561417e+00;
  const pio2_1t = 6.07710050650619224932e-11;
  const pio2_2 = 6.07710050630396597660e-11;
  const pio2_2t = 2.02226624879595063154e-21;
  const pio2_3 = 2.02226624871116645580e-21;
  const pio2_3t = 8.47842766036889956997e-32;

  const hx = highWord(x);
  const ix = hx & 0x7FFFFFFF;
  if (ix <= 0x3FE921FB) {
    remPio2Hi = x;
    remPio2Lo = 0;
    return 0;
  }
  if (ix < 0x4002D97C) {
    // |x| < 3pi/4: n = +-1.
    if (hx > 0) {
      let z = x - pio2_1;
      if (ix != 0x3FF921FB) {
        remPio2Hi = z - pio2_1t;
        remPio2Lo = (z - remPio2Hi) - pio2_1t;
      } else {
        z -= pio2_2;
        remPio2Hi = z - pio2_2t;
        remPio2Lo = (z - remPio2Hi) - pio2_2t;
      }
      return 1;
    } else {
      let z = x + pio2_1;
      if (ix != 0x3FF921FB) {
        remPio2Hi = z + pio2_1t;
        remPio2Lo = (z - remPio2Hi) + pio2_1t;
      } else {
        z += pio2_2;
        remPio2Hi = z + pio2_2t;
        remPio2Lo = (z - remPio2Hi) + pio2_2t;
      }
      return -1;
    }
  }
  if (ix <= 0x413921FB) {
    // |x| <= 2^19 * pi/2: medium size, Cody-Waite with up to three pieces of pi/2.
    let t = Math.abs(x);
    const n = <i32>(t * invpio2 + 0.5);
    const fn = <f64>n;
    let r = t - fn * pio2_1;
    let w = fn * pio2_1t;
    if (n < 32 && ix != getI(NPIO2_HIGH_WORDS, n - 1)) {
      remPio2Hi = r - w;
    } else {
      const j = ix >> 20;
      remPio2Hi = r - w;
      let i = j - ((highWord(remPio2Hi) >> 20) & 0x7FF);
      if (i > 16) {
        t = r;
        w = fn * pio2_2;
        r = t - w;
        w = fn * pio2_2t - ((t - r) - w);
        remPio2Hi = r - w;
        i = j - ((highWord(remPio2Hi) >> 20) & 0x7FF);
        if (i > 49) {
          t = r;
          w = fn * pio2_3;
          r = t - w;
          w = fn * pio2_3t - ((t - r) - w);
          remPio2Hi = r - w;
        }
      }
    }
    remPio2Lo = (r - remPio2Hi) - w;
    if (hx < 0) {
      remPio2Hi = -remPio2Hi;
      remPio2Lo = -remPio2Lo;
      return -n;
    }
    return n;
  }
  // Large arguments (callers handle Inf and NaN). z = scalbn(|x|, ilogb(x) - 23).
  const e0 = (ix >> 20) - 1046;
  let z = fromWords(ix - (e0 << 20), lowWord(x));
  for (let i = 0; i < 2; i++) {
    const chunk = <f64><i32>z;
    setF(kX, i, chunk);
    z = (z - chunk) * 1.67772160000000000000e+07;
  }
  setF(kX, 2, z);
  let nx = 3;
  while (getF(kX, nx - 1) == 0.0) nx--;
  const n = kernelRemPio2(e0, nx);
  if (hx < 0) {
    remPio2Hi = -remPio2Hi;
    remPio2Lo = -remPio2Lo;
    return -n;
  }
  return n;
}

/** fdlibm __kernel_sin on [-pi/4, pi/4]; y is the tail of x, hasTail says whether y is used. */
function kernelSin(x: f64, y: f64, hasTail: bool): f64 {
  const S1 = -1.66666666666666324348e-01;
  const S2 = 8.33333333332248946124e-03;
  const S3 = -1.98412698298579493134e-04;
  const S4 = 2.75573137070700676789e-06;
  const S5 = -2.50507602534068634195e-08;
  const S6 = 1.58969099521155010221e-10;
  const ix = highWord(x) & 0x7FFFFFFF;
  if (ix < 0x3E400000) {
    if (<i32>x == 0) return x;
  }
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (!hasTail) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** fdlibm __kernel_cos on [-pi/4, pi/4] (the original version with the qx correction). */
function kernelCos(x: f64, y: f64): f64 {
  const C1 = 4.16666666666666019037e-02;
  const C2 = -1.38888888888741095749e-03;
  const C3 = 2.48015872894767294178e-05;
  const C4 = -2.75573143513906633035e-07;
  const C5 = 2.08757232129817482790e-09;
  const C6 = -1.13596475577881948265e-11;
  const ix = highWord(x) & 0x7FFFFFFF;
  if (ix < 0x3E400000) {
    if (<i32>x == 0) return 1.0;
  }
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3FD33333) {
    return 1.0 - (0.5 * z - (z * r - x * y));
  }
  const qx = ix > 0x3FE90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const iz = 0.5 * z - qx;
  const a = 1.0 - qx;
  return a - (iz - (z * r - x * y));
}

/** fdlibm __kernel_tan on [-pi/4, pi/4]: tan(x + y) if iy == 1, -1/tan(x + y) if iy == -1. */
function kernelTan(x: f64, y: f64, iy: i32): f64 {
  const T0 = 3.33333333333334091986e-01;
  const T1 = 1.33333333333201242699e-01;
  const T2 = 5.39682539762260521377e-02;
  const T3 = 2.18694882948595424599e-02;
  const T4 = 8.86323982359930005737e-03;
  const T5 = 3.59207910759131235356e-03;
  const T6 = 1.45620945432529025516e-03;
  const T7 = 5.88041240820264096874e-04;
  const T8 = 2.46463134818469906812e-04;
  const T9 = 7.81794442939557092300e-05;
  const T10 = 7.14072491382608190305e-05;
  const T11 = -1.85586374855275456654e-05;
  const T12 = 2.59073051863633712884e-05;
  const pio4 = 7.85398163397448278999e-01;
  const pio4lo = 3.06161699786838301793e-17;

  let z: f64, r: f64, v: f64, w: f64, s: f64;
  const hx = highWord(x);
  const ix = hx & 0x7FFFFFFF;
  if (ix < 0x3E300000) {
    if (<i32>x == 0) {
      if (((<u32>ix | lowWord(x)) | <u32>(iy + 1)) == 0) {
        return 1.0 / Math.abs(x);
      } else if (iy == 1) {
        return x;
      } else {
        // -1 / (x + y), carefully.
        w = x + y;
        z = withLowWord(w, 0);
        v = y - (z - x);
        const a = -1.0 / w;
        const t = withLowWord(a, 0);
        s = 1.0 + t * z;
        return t + a * (s + t * v);
      }
    }
  }
  if (ix >= 0x3FE59428) {
    // |x| >= 0.6744: tan(x) = tan(pi/4 - y) computed from y.
    if (hx < 0) {
      x = -x;
      y = -y;
    }
    z = pio4 - x;
    w = pio4lo - y;
    x = z + w;
    y = 0.0;
  }
  z = x * x;
  w = z * z;
  r = T1 + w * (T3 + w * (T5 + w * (T7 + w * (T9 + w * T11))));
  v = z * (T2 + w * (T4 + w * (T6 + w * (T8 + w * (T10 + w * T12)))));
  s = z * x;
  r = y + z * (s * (r + v) + y);
  r += T0 * s;
  w = x + r;
  if (ix >= 0x3FE59428) {
    v = <f64>iy;
    return <f64>(1 - ((hx >> 30) & 2)) * (v - 2.0 * (x - (w * w / (w + v) - r)));
  }
  if (iy == 1) return w;
  // -1 / (x + r), accurately.
  z = withLowWord(w, 0);
  v = r - (z - x);
  const a = -1.0 / w;
  const t = withLowWord(a, 0);
  s = 1.0 + t * z;
  return t + a * (s + t * v);
}

// ---------------------------------------------------------------------------------------------
// Exponentials and logarithms.

function fdlibmExp(x: f64): f64 {
  const o_threshold = 7.09782712893383973096e+02;
  const u_threshold = -7.45133219101941108420e+02;
  const ln2HI = 6.93147180369123816490e-01;
  const ln2LO = 1.90821492927058770002e-10;
  const invln2 = 1.44269504088896338700e+00;
  const P1 = 1.66666666666666019037e-01;
  const P2 = -2.77777777770155933842e-03;
  const P3 = 6.61375632143793436117e-05;
  const P4 = -1.65339022054652515390e-06;
  const P5 = 4.13813679705723846039e-08;
  const E = 2.718281828459045;
  const huge = 1.0e+300;
  const twom1000 = 9.33263618503218878990e-302;
  const two1023 = 8.988465674311579539e307;

  let hi = 0.0;
  let lo = 0.0;
  let k: i32 = 0;
  let hx = <u32>highWord(x);
  const xsb = <i32>((hx >> 31) & 1);
  hx &= 0x7FFFFFFF;

  if (hx >= 0x40862E42) {
    if (hx >= 0x7FF00000) {
      if (((hx & 0xFFFFF) | lowWord(x)) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > o_threshold) return huge * huge;
    if (x < u_threshold) return twom1000 * twom1000;
  }

  if (hx > 0x3FD62E42) {
    if (hx < 0x3FF0A2B2) {
      // V8 special-cases exp(1) to return the correctly rounded e.
      if (x == 1.0) return E;
      hi = x - (xsb == 0 ? ln2HI : -ln2HI);
      lo = xsb == 0 ? ln2LO : -ln2LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(invln2 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * ln2HI;
      lo = t * ln2LO;
    }
    x = hi - lo;
  } else if (hx < 0x3E300000) {
    if (huge + x > 1.0) return 1.0 + x;
  } else {
    k = 0;
  }

  const t = x * x;
  const twopk = k >= -1021 ? fromWords(0x3FF00000 + (k << 20), 0) : fromWords(0x3FF00000 + ((k + 1000) << 20), 0);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * two1023;
    return y * twopk;
  }
  return y * twopk * twom1000;
}

function fdlibmExpm1(x: f64): f64 {
  const o_threshold = 7.09782712893383973096e+02;
  const ln2_hi = 6.93147180369123816490e-01;
  const ln2_lo = 1.90821492927058770002e-10;
  const invln2 = 1.44269504088896338700e+00;
  const Q1 = -3.33333333333331316428e-02;
  const Q2 = 1.58730158725481460165e-03;
  const Q3 = -7.93650757867487942473e-05;
  const Q4 = 4.00821782732936239552e-06;
  const Q5 = -2.01099218183624371326e-07;
  const huge = 1.0e+300;
  const tiny = 1.0e-300;

  let hi: f64, lo: f64, c: f64 = 0, t: f64;
  let k: i32;
  let hx = <u32>highWord(x);
  const xsb = hx & 0x80000000;
  hx &= 0x7FFFFFFF;

  if (hx >= 0x4043687A) {
    // |x| >= 56*ln2
    if (hx >= 0x40862E42) {
      if (hx >= 0x7FF00000) {
        if (((hx & 0xFFFFF) | lowWord(x)) != 0) return x + x;
        return xsb == 0 ? x : -1.0;
      }
      if (x > o_threshold) return huge * huge;
    }
    if (xsb != 0) {
      if (x + tiny < 0.0) return tiny - 1.0;
    }
  }

  if (hx > 0x3FD62E42) {
    if (hx < 0x3FF0A2B2) {
      if (xsb == 0) {
        hi = x - ln2_hi;
        lo = ln2_lo;
        k = 1;
      } else {
        hi = x + ln2_hi;
        lo = -ln2_lo;
        k = -1;
      }
    } else {
      k = <i32>(invln2 * x + (xsb == 0 ? 0.5 : -0.5));
      t = <f64>k;
      hi = x - t * ln2_hi;
      lo = t * ln2_lo;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3C900000) {
    t = huge + x;
    return x - (t - (huge + x));
  } else {
    k = 0;
  }

  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs);
  const twopk = fromWords(0x3FF00000 + (k << 20), 0);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  let y: f64;
  if (k <= -2 || k > 56) {
    y = 1.0 - (e - x);
    if (k == 1024) y = y * 2.0 * 8.98846567431158e+307; // 2^1024 overflows: scale by 2 * 2^1023
    else y = y * twopk;
    return y - 1.0;
  }
  if (k < 20) {
    t = fromWords(0x3FF00000 - (0x200000 >> k), 0); // 1 - 2^-k
    y = t - (e - x);
    y = y * twopk;
  } else {
    t = fromWords((0x3FF - k) << 20, 0); // 2^-k
    y = x - (e + t);
    y += 1.0;
    y = y * twopk;
  }
  return y;
}

function fdlibmLog(x: f64): f64 {
  const ln2_hi = 6.93147180369123816490e-01;
  const ln2_lo = 1.90821492927058770002e-10;
  const two54 = 1.80143985094819840000e+16;
  const Lg1 = 6.666666666666735130e-01;
  const Lg2 = 3.999999999940941908e-01;
  const Lg3 = 2.857142874366239149e-01;
  const Lg4 = 2.222219843214978396e-01;
  const Lg5 = 1.818357216161805012e-01;
  const Lg6 = 1.531383769920937332e-01;
  const Lg7 = 1.479819860511658591e-01;

  let hx = highWord(x);
  const lx = lowWord(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7FFFFFFF) | <i32>lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= two54;
    hx = highWord(x);
  }
  if (hx >= 0x7FF00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000FFFFF;
  let i = (hx + 0x95F64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3FF00000));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000FFFFF & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      const dk = <f64>k;
      return dk * ln2_hi + dk * ln2_lo;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * ln2_hi - ((R - dk * ln2_lo) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147A;
  const w = z * z;
  const j = 0x6B851 - hx;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

function fdlibmLog1p(x: f64): f64 {
  const ln2_hi = 6.93147180369123816490e-01;
  const ln2_lo = 1.90821492927058770002e-10;
  const two54 = 1.80143985094819840000e+16;
  const Lp1 = 6.666666666666735130e-01;
  const Lp2 = 3.999999999940941908e-01;
  const Lp3 = 2.857142874366239149e-01;
  const Lp4 = 2.222219843214978396e-01;
  const Lp5 = 1.818357216161805012e-01;
  const Lp6 = 1.531383769920937332e-01;
  const Lp7 = 1.479819860511658591e-01;

  const hx = highWord(x);
  const ax = hx & 0x7FFFFFFF;
  let f: f64 = 0;
  let c: f64 = 0;
  let hu: i32 = 0;
  let k: i32 = 1;
  if (hx < 0x3FDA827A) {
    // 1 + x < sqrt(2)+
    if (ax >= 0x3FF00000) {
      if (x == -1.0) return -Infinity;
      return NaN;
    }
    if (ax < 0x3E200000) {
      // |x| < 2^-29
      if (two54 + x > 0.0 && ax < 0x3C900000) return x;
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= <i32>0xBFD2BEC4) {
      // sqrt(2)/2- <= 1 + x < sqrt(2)+
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7FF00000) return x + x;
  if (k != 0) {
    let u: f64;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // correction term
      c /= u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000FFFFF;
    if (hu < 0x6A09E) {
      u = withHighWord(u, hu | 0x3FF00000);
    } else {
      k += 1;
      u = withHighWord(u, hu | 0x3FE00000);
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  const dk = <f64>k;
  if (hu == 0) {
    // |f| < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      c += dk * ln2_lo;
      return dk * ln2_hi + c;
    }
    const R = hfsq * (1.0 - 0.66666666666666666 * f);
    if (k == 0) return f - R;
    return dk * ln2_hi - ((R - (dk * ln2_lo + c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (Lp1 + z * (Lp2 + z * (Lp3 + z * (Lp4 + z * (Lp5 + z * (Lp6 + z * Lp7))))));
  if (k == 0) return f - (hfsq - s * (hfsq + R));
  return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + (dk * ln2_lo + c))) - f);
}

/** FreeBSD k_log1p: log(1 + f) - f + f*f/2 for 1 + f in [sqrt(2)/2, sqrt(2)]. */
@inline function kernelLog1p(f: f64): f64 {
  const Lg1 = 6.666666666666735130e-01;
  const Lg2 = 3.999999999940941908e-01;
  const Lg3 = 2.857142874366239149e-01;
  const Lg4 = 2.222219843214978396e-01;
  const Lg5 = 1.818357216161805012e-01;
  const Lg6 = 1.531383769920937332e-01;
  const Lg7 = 1.479819860511658591e-01;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const R = t2 + t1;
  const hfsq = 0.5 * f * f;
  return s * (hfsq + R);
}

function fdlibmLog2(x: f64): f64 {
  const two54 = 1.80143985094819840000e+16;
  const ivln2hi = 1.44269504072144627571e+00;
  const ivln2lo = 1.67517131648865118353e-10;

  let hx = highWord(x);
  const lx = lowWord(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7FFFFFFF) | <i32>lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= two54;
    hx = highWord(x);
  }
  if (hx >= 0x7FF00000) return x + x;
  if (hx == 0x3FF00000 && lx == 0) return 0.0;
  k += (hx >> 20) - 1023;
  hx &= 0x000FFFFF;
  const i = (hx + 0x95F64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3FF00000));
  k += i >> 20;
  const y = <f64>k;
  const f = x - 1.0;
  const hfsq = 0.5 * f * f;
  const r = kernelLog1p(f);
  // f - hfsq in extra precision, then the product with 1/ln2 and the sum with k.
  const hi = withLowWord(f - hfsq, 0);
  const lo = (f - hi) - hfsq + r;
  let val_hi = hi * ivln2hi;
  let val_lo = (lo + hi) * ivln2lo + lo * ivln2hi;
  const w = y + val_hi;
  val_lo += (y - w) + val_hi;
  val_hi = w;
  return val_lo + val_hi;
}

function fdlibmLog10(x: f64): f64 {
  const two54 = 1.80143985094819840000e+16;
  const ivln10 = 4.34294481903251816668e-01;
  const log10_2hi = 3.01029995663611771306e-01;
  const log10_2lo = 3.69423907715893078616e-13;

  let hx = highWord(x);
  let lx = lowWord(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7FFFFFFF) | <i32>lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= two54;
    hx = highWord(x);
    lx = lowWord(x);
  }
  if (hx >= 0x7FF00000) return x + x;
  if (hx == 0x3FF00000 && lx == 0) return 0.0;
  k += (hx >> 20) - 1023;
  const i = <i32>((<u32>k & 0x80000000) >> 31);
  hx = (hx & 0x000FFFFF) | ((0x3FF - i) << 20);
  const y = <f64>(k + i);
  x = fromWords(hx, lx);
  const z = y * log10_2lo + ivln10 * fdlibmLog(x);
  return z + y * log10_2hi;
}

// ---------------------------------------------------------------------------------------------
// pow: fdlibm __ieee754_pow as V8 uses it. Its special cases are already JavaScript's:
// x ** NaN is NaN (also for x = 1) and (+-1) ** (+-Infinity) is NaN.

function fdlibmPow(x: f64, y: f64): f64 {
  const dp_h1 = 5.84962487220764160156e-01;
  const dp_l1 = 1.35003920212974897128e-08;
  const two53 = 9007199254740992.0;
  const huge = 1.0e300;
  const tiny = 1.0e-300;
  const L1 = 5.99999999999994648725e-01;
  const L2 = 4.28571428578550184252e-01;
  const L3 = 3.33333329818377432918e-01;
  const L4 = 2.72728123808534006489e-01;
  const L5 = 2.30660745775561754067e-01;
  const L6 = 2.06975017800338417784e-01;
  const P1 = 1.66666666666666019037e-01;
  const P2 = -2.77777777770155933842e-03;
  const P3 = 6.61375632143793436117e-05;
  const P4 = -1.65339022054652515390e-06;
  const P5 = 4.13813679705723846039e-08;
  const lg2 = 6.93147180559945286227e-01;
  const lg2_h = 6.93147182464599609375e-01;
  const lg2_l = -1.90465429995776804525e-09;
  const ovt = 8.0085662595372944372e-0017;
  const cp = 9.61796693925975554329e-01;
  const cp_h = 9.61796700954437255859e-01;
  const cp_l = -7.02846165095275826516e-09;
  const ivln2 = 1.44269504088896338700e+00;
  const ivln2_h = 1.44269502162933349609e+00;
  const ivln2_l = 1.92596299112661746887e-08;

  const hx = highWord(x);
  const lx = lowWord(x);
  const hy = highWord(y);
  const ly = lowWord(y);
  let ix = hx & 0x7FFFFFFF;
  const iy = hy & 0x7FFFFFFF;

  // x ** 0 is 1, even for NaN.
  if ((<u32>iy | ly) == 0) return 1.0;
  if (ix > 0x7FF00000 || (ix == 0x7FF00000 && lx != 0) || iy > 0x7FF00000 || (iy == 0x7FF00000 && ly != 0)) {
    return x + y;
  }

  // yisint: 0 = y not an integer, 1 = odd integer, 2 = even integer (only needed for x < 0).
  let yisint = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) {
      yisint = 2;
    } else if (iy >= 0x3FF00000) {
      const k = (iy >> 20) - 0x3FF;
      if (k > 20) {
        const j = ly >> <u32>(52 - k);
        if ((j << <u32>(52 - k)) == ly) yisint = 2 - <i32>(j & 1);
      } else if (ly == 0) {
        const j = iy >> (20 - k);
        if ((j << (20 - k)) == iy) yisint = 2 - (j & 1);
      }
    }
  }

  // Special values of y.
  if (ly == 0) {
    if (iy == 0x7FF00000) {
      if (((ix - 0x3FF00000) | <i32>lx) == 0) return y - y; // (+-1) ** +-Infinity is NaN
      if (ix >= 0x3FF00000) return hy >= 0 ? y : 0.0;
      return hy < 0 ? -y : 0.0;
    }
    if (iy == 0x3FF00000) {
      if (hy < 0) return 1.0 / x;
      return x;
    }
    if (hy == 0x40000000) return x * x;
    if (hy == 0x3FE00000) {
      if (hx >= 0) return Math.sqrt(x);
    }
  }

  let ax = Math.abs(x);
  // Special values of x: +-0, +-Infinity, +-1.
  if (lx == 0) {
    if (ix == 0x7FF00000 || ix == 0 || ix == 0x3FF00000) {
      let z = ax;
      if (hy < 0) z = 1.0 / z;
      if (hx < 0) {
        if (((ix - 0x3FF00000) | yisint) == 0) {
          z = NaN; // (-1) ** non-integer
        } else if (yisint == 1) {
          z = -z;
        }
      }
      return z;
    }
  }

  let n = (hx >> 31) + 1;
  if ((n | yisint) == 0) return NaN; // (x < 0) ** non-integer

  let s = 1.0;
  if ((n | (yisint - 1)) == 0) s = -1.0; // (x < 0) ** odd integer

  let t1: f64, t2: f64;
  if (iy > 0x41E00000) {
    // |y| > 2^31
    if (iy > 0x43F00000) {
      // |y| > 2^64: must overflow or underflow.
      if (ix <= 0x3FEFFFFF) return hy < 0 ? huge * huge : tiny * tiny;
      if (ix >= 0x3FF00000) return hy > 0 ? huge * huge : tiny * tiny;
    }
    if (ix < 0x3FEFFFFF) return hy < 0 ? s * huge * huge : s * tiny * tiny;
    if (ix > 0x3FF00000) return hy > 0 ? s * huge * huge : s * tiny * tiny;
    // |1 - x| <= 2^-20: log(x) by its series.
    const t = ax - 1.0;
    const w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = ivln2_h * t;
    const v = t * ivln2_l - w * ivln2;
    t1 = withLowWord(u + v, 0);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    if (ix < 0x00100000) {
      // subnormal x
      ax *= two53;
      n -= 53;
      ix = highWord(ax);
    }
    n += (ix >> 20) - 0x3FF;
    const j = ix & 0x000FFFFF;
    ix = j | 0x3FF00000;
    let k: i32;
    if (j <= 0x3988E) {
      k = 0; // |x| < sqrt(3/2)
    } else if (j < 0xBB67A) {
      k = 1; // |x| < sqrt(3)
    } else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = withHighWord(ax, ix);
    const bp = k == 0 ? 1.0 : 1.5;
    const dp_h = k == 0 ? 0.0 : dp_h1;
    const dp_l = k == 0 ? 0.0 : dp_l1;

    // ss = s_h + s_l = (x - 1) / (x + 1) or (x - 1.5) / (x + 1.5)
    let u = ax - bp;
    let v = 1.0 / (ax + bp);
    const ss = u * v;
    const s_h = withLowWord(ss, 0);
    let t_h = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
    let t_l = ax - (t_h - bp);
    const s_l = v * ((u - s_h * t_h) - s_h * t_l);
    // log(ax)
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += s_l * (s_h + ss);
    s2 = s_h * s_h;
    t_h = withLowWord(3.0 + s2 + r, 0);
    t_l = r - ((t_h - 3.0) - s2);
    u = s_h * t_h;
    v = s_l * t_h + t_l * ss;
    const p_h = withLowWord(u + v, 0);
    const p_l = v - (p_h - u);
    const z_h = cp_h * p_h;
    const z_l = cp_l * p_h + p_l * cp + dp_l;
    // log2(ax) = n + dp_h + z_h + z_l
    const t = <f64>n;
    t1 = withLowWord(((z_h + z_l) + dp_h) + t, 0);
    t2 = z_l - (((t1 - t) - dp_h) - z_h);
  }

  // (y1 + y2) * (t1 + t2)
  const y1 = withLowWord(y, 0);
  let p_l = (y - y1) * t1 + y * t2;
  let p_h = y1 * t1;
  let z = p_l + p_h;
  let j = highWord(z);
  let i = <i32>lowWord(z);
  if (j >= 0x40900000) {
    // z >= 1024
    if (((j - 0x40900000) | i) != 0) return s * huge * huge;
    if (p_l + ovt > z - p_h) return s * huge * huge;
  } else if ((j & 0x7FFFFFFF) >= 0x4090CC00) {
    // z <= -1075
    if (((j - <i32>0xC090CC00) | i) != 0) return s * tiny * tiny;
    if (p_l <= z - p_h) return s * tiny * tiny;
  }

  // 2 ** (p_h + p_l)
  i = j & 0x7FFFFFFF;
  let k = (i >> 20) - 0x3FF;
  n = 0;
  if (i > 0x3FE00000) {
    // |z| > 0.5: n = [z + 0.5]
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7FFFFFFF) >> 20) - 0x3FF;
    const t = fromWords(n & ~(0x000FFFFF >> k), 0);
    n = ((n & 0x000FFFFF) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    p_h -= t;
  }
  const t = withLowWord(p_l + p_h, 0);
  const u = t * lg2_h;
  const v = (p_l - (t - p_h)) * lg2 + t * lg2_l;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  t1 = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * t1) / ((t1 - 2.0) - (w + z * w));
  z = 1.0 - (r - z);
  j = highWord(z);
  j += n << 20;
  if ((j >> 20) <= 0) {
    z = scalbn(z, n); // subnormal result
  } else {
    z = withHighWord(z, highWord(z) + (n << 20));
  }
  return s * z;
}

// ---------------------------------------------------------------------------------------------
// Exported Math members.

export function __js_math_abs(x: f64): f64 {
  return Math.abs(x);
}

export function __js_math_floor(x: f64): f64 {
  return Math.floor(x);
}

export function __js_math_ceil(x: f64): f64 {
  return Math.ceil(x);
}

export function __js_math_trunc(x: f64): f64 {
  return Math.trunc(x);
}

/** Rounds half-way cases toward +Infinity and keeps -0 (Math.round(-0.4) is -0), as V8 does. */
export function __js_math_round(x: f64): f64 {
  const up = Math.ceil(x);
  // ceil - 0.5 > x is exact for every double, unlike floor(x + 0.5) (wrong for 0.49999999999999994).
  return up - 0.5 > x ? up - 1.0 : up;
}

export function __js_math_sign(x: f64): f64 {
  if (x > 0) return 1.0;
  if (x < 0) return -1.0;
  return x; // +0, -0 and NaN are their own sign
}

/** Two-argument Math.min; Wasm's f64.min has JavaScript's NaN and -0 rules. */
export function __js_math_min(a: f64, b: f64): f64 {
  return min<f64>(a, b);
}

/** Two-argument Math.max; Wasm's f64.max has JavaScript's NaN and -0 rules. */
export function __js_math_max(a: f64, b: f64): f64 {
  return max<f64>(a, b);
}

export function __js_math_pow(x: f64, y: f64): f64 {
  return fdlibmPow(x, y);
}

export function __js_math_sqrt(x: f64): f64 {
  return Math.sqrt(x);
}

/** FreeBSD's cbrt, as in V8. */
export function __js_math_cbrt(x: f64): f64 {
  const B1: u32 = 715094163; // (1023 - 1023/3 - 0.03306235651) * 2^20
  const B2: u32 = 696219795; // (1023 - 1023/3 - 54/3 - 0.03306235651) * 2^20
  const P0 = 1.87595182427177009643;
  const P1 = -1.88497979543377169875;
  const P2 = 1.621429720105354466140;
  const P3 = -0.758397934778766047437;
  const P4 = 0.145996192886612446982;

  let hx = <u32>highWord(x);
  const low = lowWord(x);
  const sign = hx & 0x80000000;
  hx ^= sign;
  if (hx >= 0x7FF00000) return x + x;
  let t: f64;
  if (hx < 0x00100000) {
    // zero or subnormal
    if ((hx | low) == 0) return x;
    t = x * 18014398509481984.0; // 2^54
    const high = <u32>highWord(t);
    t = fromWords(<i32>(sign | ((high & 0x7FFFFFFF) / 3 + B2)), 0);
  } else {
    t = fromWords(<i32>(sign | (hx / 3 + B1)), 0);
  }
  // New cbrt to 23 bits, rounded away from zero, then one Newton step to 53 bits.
  let r = (t * t) * (t / x);
  t = t * ((P0 + r * (P1 + r * P2)) + ((r * r) * r) * (P3 + r * P4));
  t = reinterpret<f64>((reinterpret<u64>(t) + 0x80000000) & 0xFFFFFFFFC0000000);
  const s = t * t;
  r = x / s;
  const w = t + t;
  r = (r - t) / (w + r);
  return t + t * r;
}

export function __js_math_exp(x: f64): f64 {
  return fdlibmExp(x);
}

export function __js_math_expm1(x: f64): f64 {
  return fdlibmExpm1(x);
}

export function __js_math_log(x: f64): f64 {
  return fdlibmLog(x);
}

export function __js_math_log1p(x: f64): f64 {
  return fdlibmLog1p(x);
}

export function __js_math_log2(x: f64): f64 {
  return fdlibmLog2(x);
}

export function __js_math_log10(x: f64): f64 {
  return fdlibmLog10(x);
}

export function __js_math_sin(x: f64): f64 {
  const ix = highWord(x) & 0x7FFFFFFF;
  if (ix <= 0x3FE921FB) return kernelSin(x, 0.0, false);
  if (ix >= 0x7FF00000) return x - x;
  const n = remPio2(x);
  const y0 = remPio2Hi;
  const y1 = remPio2Lo;
  switch (n & 3) {
    case 0:
      return kernelSin(y0, y1, true);
    case 1:
      return kernelCos(y0, y1);
    case 2:
      return -kernelSin(y0, y1, true);
    default:
      return -kernelCos(y0, y1);
  }
}

export function __js_math_cos(x: f64): f64 {
  const ix = highWord(x) & 0x7FFFFFFF;
  if (ix <= 0x3FE921FB) return kernelCos(x, 0.0);
  if (ix >= 0x7FF00000) return x - x;
  const n = remPio2(x);
  const y0 = remPio2Hi;
  const y1 = remPio2Lo;
  switch (n & 3) {
    case 0:
      return kernelCos(y0, y1);
    case 1:
      return -kernelSin(y0, y1, true);
    case 2:
      return -kernelCos(y0, y1);
    default:
      return kernelSin(y0, y1, true);
  }
}

export function __js_math_tan(x: f64): f64 {
  const ix = highWord(x) & 0x7FFFFFFF;
  if (ix <= 0x3FE921FB) return kernelTan(x, 0.0, 1);
  if (ix >= 0x7FF00000) return x - x;
  const n = remPio2(x);
  return kernelTan(remPio2Hi, remPio2Lo, 1 - ((n & 1) << 1));
}

// Shared rational approximation of (asin(x) - x) / x^3 used by asin and acos.
@inline function asinRational(t: f64): f64 {
  const pS0 = 1.66666666666666657415e-01;
  const pS1 = -3.25565818622400915405e-01;
  const pS2 = 2.01212532134862925881e-01;
  const pS3 = -4.00555345006794114027e-02;
  const pS4 = 7.91534994289814532176e-04;
  const pS5 = 3.47933107596021167570e-05;
  const qS1 = -2.40339491173441421878e+00;
  const qS2 = 2.02094576023350569471e+00;
  const qS3 = -6.88283971605453293030e-01;
  const qS4 = 7.70381505559019352791e-02;
  const p = t * (pS0 + t * (pS1 + t * (pS2 + t * (pS3 + t * (pS4 + t * pS5)))));
  const q = 1.0 + t * (qS1 + t * (qS2 + t * (qS3 + t * qS4)));
  return p / q;
}

export function __js_math_asin(x: f64): f64 {
  const pio2_hi = 1.57079632679489655800e+00;
  const pio2_lo = 6.12323399573676603587e-17;
  const pio4_hi = 7.85398163397448278999e-01;
  const hx = highWord(x);
  const ix = hx & 0x7FFFFFFF;
  if (ix >= 0x3FF00000) {
    if (((ix - 0x3FF00000) | <i32>lowWord(x)) == 0) return x * pio2_hi + x * pio2_lo;
    return NaN;
  }
  if (ix < 0x3FE00000) {
    // |x| < 0.5
    if (ix < 0x3E400000) {
      if (1.0e300 + x > 1.0) return x;
    }
    return x + x * asinRational(x * x);
  }
  // 0.5 <= |x| < 1
  const w = 1.0 - Math.abs(x);
  let t = w * 0.5;
  const pq = asinRational(t);
  const s = Math.sqrt(t);
  if (ix >= 0x3FEF3333) {
    // |x| > 0.975
    t = pio2_hi - (2.0 * (s + s * pq) - pio2_lo);
  } else {
    const f = withLowWord(s, 0);
    const c = (t - f * f) / (s + f);
    const p = 2.0 * s * pq - (pio2_lo - 2.0 * c);
    const q = pio4_hi - 2.0 * f;
    t = pio4_hi - (p - q);
  }
  return hx > 0 ? t : -t;
}

export function __js_math_acos(x: f64): f64 {
  const pi = 3.14159265358979311600e+00;
  const pio2_hi = 1.57079632679489655800e+00;
  const pio2_lo = 6.12323399573676603587e-17;
  const hx = highWord(x);
  const ix = hx & 0x7FFFFFFF;
  if (ix >= 0x3FF00000) {
    if (((ix - 0x3FF00000) | <i32>lowWord(x)) == 0) {
      return hx > 0 ? 0.0 : pi + 2.0 * pio2_lo;
    }
    return NaN;
  }
  if (ix < 0x3FE00000) {
    // |x| < 0.5
    if (ix <= 0x3C600000) return pio2_hi + pio2_lo;
    const r = asinRational(x * x);
    return pio2_hi - (x - (pio2_lo - x * r));
  }
  if (hx < 0) {
    // x < -0.5
    const z = (1.0 + x) * 0.5;
    const r = asinRational(z);
    const s = Math.sqrt(z);
    const w = r * s - pio2_lo;
    return pi - 2.0 * (s + w);
  }
  // x > 0.5
  const z = (1.0 - x) * 0.5;
  const s = Math.sqrt(z);
  const df = withLowWord(s, 0);
  const c = (z - df * df) / (s + df);
  const r = asinRational(z);
  const w = r * s + c;
  return 2.0 * (df + w);
}

export function __js_math_atan(x: f64): f64 {
  const aT0 = 3.33333333333329318027e-01;
  const aT1 = -1.99999999998764832476e-01;
  const aT2 = 1.42857142725034663711e-01;
  const aT3 = -1.11111104054623557880e-01;
  const aT4 = 9.09088713343650656196e-02;
  const aT5 = -7.69187620504482999495e-02;
  const aT6 = 6.66107313738753120669e-02;
  const aT7 = -5.83357013379057348645e-02;
  const aT8 = 4.97687799461593236017e-02;
  const aT9 = -3.65315727442169155270e-02;
  const aT10 = 1.62858201153657823623e-02;

  const hx = highWord(x);
  const ix = hx & 0x7FFFFFFF;
  if (ix >= 0x44100000) {
    // |x| >= 2^66
    if (ix > 0x7FF00000 || (ix == 0x7FF00000 && lowWord(x) != 0)) return x + x;
    return hx > 0 ? 1.57079632679489655800e+00 + 6.12323399573676603587e-17 : -1.57079632679489655800e+00 - 6.12323399573676603587e-17;
  }
  let id: i32;
  let hi: f64 = 0;
  let lo: f64 = 0;
  if (ix < 0x3FDC0000) {
    // |x| < 0.4375
    if (ix < 0x3E400000) {
      if (1.0e300 + x > 1.0) return x;
    }
    id = -1;
  } else {
    x = Math.abs(x);
    if (ix < 0x3FF30000) {
      if (ix < 0x3FE60000) {
        // 7/16 <= |x| < 11/16
        id = 0;
        hi = 4.63647609000806093515e-01;
        lo = 2.26987774529616870924e-17;
        x = (2.0 * x - 1.0) / (2.0 + x);
      } else {
        // 11/16 <= |x| < 19/16
        id = 1;
        hi = 7.85398163397448278999e-01;
        lo = 3.06161699786838301793e-17;
        x = (x - 1.0) / (x + 1.0);
      }
    } else {
      if (ix < 0x40038000) {
        // |x| < 2.4375
        id = 2;
        hi = 9.82793723247329054082e-01;
        lo = 1.39033110312309984516e-17;
        x = (x - 1.5) / (1.0 + 1.5 * x);
      } else {
        id = 3;
        hi = 1.57079632679489655800e+00;
        lo = 6.12323399573676603587e-17;
        x = -1.0 / x;
      }
    }
  }
  const z = x * x;
  const w = z * z;
  const s1 = z * (aT0 + w * (aT2 + w * (aT4 + w * (aT6 + w * (aT8 + w * aT10)))));
  const s2 = w * (aT1 + w * (aT3 + w * (aT5 + w * (aT7 + w * aT9))));
  if (id < 0) return x - x * (s1 + s2);
  const r = hi - ((x * (s1 + s2) - lo) - x);
  return hx < 0 ? -r : r;
}

export function __js_math_atan2(y: f64, x: f64): f64 {
  const tiny = 1.0e-300;
  const pi_o_4 = 7.8539816339744827900e-01;
  const pi_o_2 = 1.5707963267948965580e+00;
  const pi = 3.1415926535897931160e+00;
  const pi_lo = 1.2246467991473531772e-16;

  if (isNaN(x) || isNaN(y)) return x + y;
  const hx = highWord(x);
  const lx = lowWord(x);
  const ix = hx & 0x7FFFFFFF;
  const hy = highWord(y);
  const ly = lowWord(y);
  const iy = hy & 0x7FFFFFFF;
  if (((hx - 0x3FF00000) | <i32>lx) == 0) return __js_math_atan(y); // x == 1
  let m = ((hy >> 31) & 1) | ((hx >> 30) & 2); // 2 * sign(x) + sign(y)

  if ((<u32>iy | ly) == 0) {
    // y = +-0
    if (m <= 1) return y;
    return m == 2 ? pi + tiny : -pi - tiny;
  }
  if ((<u32>ix | lx) == 0) return hy < 0 ? -pi_o_2 - tiny : pi_o_2 + tiny;
  if (ix == 0x7FF00000) {
    if (iy == 0x7FF00000) {
      if (m == 0) return pi_o_4 + tiny;
      if (m == 1) return -pi_o_4 - tiny;
      if (m == 2) return 3.0 * pi_o_4 + tiny;
      return -3.0 * pi_o_4 - tiny;
    }
    if (m == 0) return 0.0;
    if (m == 1) return -0.0;
    if (m == 2) return pi + tiny;
    return -pi - tiny;
  }
  if (iy == 0x7FF00000) return hy < 0 ? -pi_o_2 - tiny : pi_o_2 + tiny;

  const k = (iy - ix) >> 20;
  let z: f64;
  if (k > 60) {
    // |y / x| > 2^60
    z = pi_o_2 + 0.5 * pi_lo;
    m &= 1;
  } else if (hx < 0 && k < -60) {
    z = 0.0;
  } else {
    z = __js_math_atan(Math.abs(y / x));
  }
  if (m == 0) return z;
  if (m == 1) return -z;
  if (m == 2) return pi - (z - pi_lo);
  return (z - pi_lo) - pi;
}

export function __js_math_sinh(x: f64): f64 {
  const KSINH_OVERFLOW = 710.4758600739439;
  const TWO_M28 = 3.725290298461914e-9;
  const LOG_MAXD = 709.7822265625;
  const h = x < 0 ? -0.5 : 0.5;
  const ax = Math.abs(x);
  if (ax < 22) {
    if (ax < TWO_M28) return x;
    const t = fdlibmExpm1(ax);
    if (ax < 1) return h * (2 * t - t * t / (t + 1));
    return h * (t + t / (t + 1));
  }
  if (ax < LOG_MAXD) return h * fdlibmExp(ax);
  if (ax <= KSINH_OVERFLOW) {
    const w = fdlibmExp(0.5 * ax);
    const t = h * w;
    return t * w;
  }
  // Overflow to +-Infinity, or NaN.
  return x * 1.0e307;
}

export function __js_math_cosh(x: f64): f64 {
  const KCOSH_OVERFLOW = 710.4758600739439;
  const ix = highWord(x) & 0x7FFFFFFF;
  if (ix < 0x3FD62E43) {
    // |x| < 0.5 * ln2
    const t = fdlibmExpm1(Math.abs(x));
    const w = 1.0 + t;
    if (ix < 0x3C800000) return w;
    return 1.0 + (t * t) / (w + w);
  }
  if (ix < 0x40360000) {
    // |x| < 22
    const t = fdlibmExp(Math.abs(x));
    return 0.5 * t + 0.5 / t;
  }
  if (ix < 0x40862E42) return 0.5 * fdlibmExp(Math.abs(x));
  if (Math.abs(x) <= KCOSH_OVERFLOW) {
    const w = fdlibmExp(0.5 * Math.abs(x));
    const t = 0.5 * w;
    return t * w;
  }
  if (ix >= 0x7FF00000) return x * x;
  return Infinity;
}

export function __js_math_tanh(x: f64): f64 {
  const jx = highWord(x);
  const ix = jx & 0x7FFFFFFF;
  if (ix >= 0x7FF00000) {
    // +-Infinity -> +-1, NaN -> NaN
    return jx >= 0 ? 1.0 / x + 1.0 : 1.0 / x - 1.0;
  }
  let z: f64;
  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3E300000) {
      if (1.0e300 + x > 1.0) return x;
    }
    if (ix >= 0x3FF00000) {
      const t = fdlibmExpm1(2.0 * Math.abs(x));
      z = 1.0 - 2.0 / (t + 2.0);
    } else {
      const t = fdlibmExpm1(-2.0 * Math.abs(x));
      z = -t / (t + 2.0);
    }
  } else {
    z = 1.0 - 1.0e-300;
  }
  return jx >= 0 ? z : -z;
}

export function __js_math_asinh(x: f64): f64 {
  const ln2 = 6.93147180559945286227e-01;
  const hx = highWord(x);
  const ix = hx & 0x7FFFFFFF;
  if (ix >= 0x7FF00000) return x + x;
  if (ix < 0x3E300000) {
    if (1.0e300 + x > 1.0) return x;
  }
  let w: f64;
  if (ix > 0x41B00000) {
    // |x| > 2^28
    w = fdlibmLog(Math.abs(x)) + ln2;
  } else if (ix > 0x40000000) {
    // 2 < |x| <= 2^28
    const t = Math.abs(x);
    w = fdlibmLog(2.0 * t + 1.0 / (Math.sqrt(x * x + 1.0) + t));
  } else {
    const t = x * x;
    w = fdlibmLog1p(Math.abs(x) + t / (1.0 + Math.sqrt(1.0 + t)));
  }
  return hx > 0 ? w : -w;
}

export function __js_math_acosh(x: f64): f64 {
  const ln2 = 6.93147180559945286227e-01;
  const hx = highWord(x);
  if (hx < 0x3FF00000) return NaN; // x < 1
  if (hx >= 0x41B00000) {
    // x >= 2^28
    if (hx >= 0x7FF00000) return x + x;
    return fdlibmLog(x) + ln2;
  }
  if (((hx - 0x3FF00000) | <i32>lowWord(x)) == 0) return 0.0;
  if (hx > 0x40000000) {
    const t = x * x;
    return fdlibmLog(2.0 * x - 1.0 / (x + Math.sqrt(t - 1.0)));
  }
  const t = x - 1.0;
  return fdlibmLog1p(t + Math.sqrt(2.0 * t + t * t));
}

export function __js_math_atanh(x: f64): f64 {
  const hx = highWord(x);
  const ix = hx & 0x7FFFFFFF;
  if (isNaN(x)) return x + x;
  const ax = Math.abs(x);
  if (ax > 1.0) return NaN;
  if (ax == 1.0) return x > 0 ? Infinity : -Infinity;
  if (ix < 0x3E300000 && 1.0e300 + x > 0.0) return x;
  let t: f64;
  if (ix < 0x3FE00000) {
    // |x| < 0.5
    t = ax + ax;
    t = 0.5 * fdlibmLog1p(t + t * ax / (1.0 - ax));
  } else {
    t = 0.5 * fdlibmLog1p((ax + ax) / (1.0 - ax));
  }
  return hx >= 0 ? t : -t;
}

export function __js_math_fround(x: f64): f64 {
  return <f64><f32>x;
}

/** Math.clz32: leading zero bits of ToUint32(x). */
export function __js_math_clz32(x: f64): f64 {
  return <f64>clz<u32>(__js_to_uint32(x));
}

/** Math.imul: the low 32 bits of ToInt32(a) * ToInt32(b), as a signed number. */
export function __js_math_imul(a: f64, b: f64): f64 {
  return <f64>(__js_to_int32(a) * __js_to_int32(b));
}

/**
 * Math.hypot over all arguments, as V8's builtin computes it: any Infinity wins over NaN, then
 * NaN, then 0; otherwise the values are scaled by the largest and summed with Kahan compensation.
 */
export function __js_math_hypot(values: StaticArray<f64>): f64 {
  const length = values.length;
  let max = 0.0;
  let oneIsNaN = false;
  for (let i = 0; i < length; i++) {
    const value = unchecked(values[i]);
    if (isNaN(value)) {
      oneIsNaN = true;
    } else {
      const abs = Math.abs(value);
      if (abs > max) max = abs;
    }
  }
  if (max == Infinity) return Infinity;
  if (oneIsNaN) return NaN;
  if (max == 0) return 0;
  let sum = 0.0;
  let compensation = 0.0;
  for (let i = 0; i < length; i++) {
    const n = Math.abs(unchecked(values[i])) / max;
    const summand = n * n - compensation;
    const preliminary = sum + summand;
    compensation = (preliminary - sum) - summand;
    sum = preliminary;
  }
  return Math.sqrt(sum) * max;
}

/** Math.random: AssemblyScript's xorshift128+, seeded through the `seed` alias (the policy's seed). */
export function __js_math_random(): f64 {
  return Math.random();
}
