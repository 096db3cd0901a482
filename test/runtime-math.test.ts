// Differential tests: every __js_math_* function against the Math of the V8 running this test,
// compared bit for bit (any NaN equals any NaN; -0 differs from +0).
import { beforeAll, describe, expect, it } from "vitest";
import { AS_PRELUDE, compileAs, nudge, prng, sameNumber, showNumber, type AsModule } from "./helpers/as-harness.js";

const UNARY = [
  "abs", "floor", "ceil", "round", "trunc", "sign", "sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log2",
  "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
  "fround", "clz32",
] as const;
const BINARY = ["pow", "atan2", "min", "max", "imul"] as const;

// NativeMath (AssemblyScript's own Math) is compiled alongside, to show that the comparison can tell
// the implementations apart: it differs from V8 on a few percent of inputs for exp and pow.
const SOURCE = `
import * as M from "./stelp/math";
${AS_PRELUDE}
export function runUnary(which: i32, n: i32): void {
  for (let i = 0; i < n; i++) {
    const x = readInput(i);
    let r: f64 = 0;
    switch (which) {
      ${UNARY.map((name, i) => `case ${i}: r = M.__js_math_${name}(x); break;`).join("\n      ")}
      case 100: r = Math.exp(x); break;
    }
    writeOutput(i, r);
  }
}
export function runBinary(which: i32, n: i32): void {
  for (let i = 0; i < n; i++) {
    const x = readInput(2 * i);
    const y = readInput(2 * i + 1);
    let r: f64 = 0;
    switch (which) {
      ${BINARY.map((name, i) => `case ${i}: r = M.__js_math_${name}(x, y); break;`).join("\n      ")}
      case 100: r = Math.pow(x, y); break;
    }
    writeOutput(i, r);
  }
}
/** Math.hypot over groups: inputs hold [count, v1..vcount] records; one result per group. */
export function runHypot(groups: i32): void {
  let at = 0;
  for (let g = 0; g < groups; g++) {
    const count = <i32>readInput(at++);
    const values = new StaticArray<f64>(count);
    for (let i = 0; i < count; i++) values[i] = readInput(at++);
    writeOutput(g, M.__js_math_hypot(values));
  }
}
export function runRandom(n: i32): void {
  for (let i = 0; i < n; i++) writeOutput(i, M.__js_math_random());
}
`;

const SPECIAL = [
  0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 2, -2, 3, 10, 0.1, 22, -22, 1e-300, -1e-300, 5e-324, -5e-324,
  2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, -1.7976931348623157e308, Math.PI, -Math.PI,
  Math.PI / 2, Math.PI / 4, Math.E, Math.LN2, Math.SQRT2, Math.SQRT1_2, 709.782712893384, 709.7827128933841,
  -745.1332191019411, -745.1332191019412, -708.3964185322641, 710.4758600739439, 710.475860073944, 0.34657359027997264,
  1.0397207708399179, 56 * Math.LN2, 0.975, 2 ** -28, 2 ** -27, 2 ** -29, 2 ** -54, 2 ** -55, 2 ** 28, 2 ** 30, 2 ** 31,
  2 ** 32, 2 ** 52, 2 ** 53, 2 ** 60, 2 ** 66, 1e22, 1e300, 0.49999999999999994, 2.5, -2.5, 4503599627370495.5,
  -4503599627370495.5, 4294967295, 4294967296, -2147483648, 2147483648,
];

/** Wide inputs: special values and their neighbours, random bit patterns, random magnitudes. */
function wideInputs(seed: number, count: number): number[] {
  const random = prng(seed);
  const out: number[] = [];
  for (const s of SPECIAL) for (let k = -2; k <= 2; k++) out.push(Number.isFinite(s) && s !== 0 ? nudge(s, k) : s);
  while (out.length < count) {
    const sign = random.u64() & 1n ? -1 : 1;
    switch (random.int(6)) {
      case 0: out.push(f64FromRandomBits(random)); break;
      case 1: out.push(sign * 2 ** ((random.float() * 2 - 1) * 1074) * (1 + random.float())); break;
      case 2: out.push(sign * 2 ** ((random.float() * 2 - 1) * 70) * (1 + random.float())); break;
      case 3: out.push(sign * random.float()); break; // [-1, 1]: asin, acos, atanh
      case 4: out.push(sign * random.float() * 750); break; // exp range
      default: out.push(1 + sign * random.float() * 2 ** -random.int(54)); break; // near 1: logs, acosh
    }
  }
  return out;
}

function f64FromRandomBits(random: ReturnType<typeof prng>): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, random.u64());
  return view.getFloat64(0);
}

/** Arguments of the trigonometric reduction's hard cases: near multiples of pi/2, and huge. */
function trigInputs(seed: number): number[] {
  const random = prng(seed);
  const out: number[] = [];
  for (let n = -2000; n <= 2000; n++) {
    if (n === 0) continue;
    for (let k = -2; k <= 2; k++) out.push(nudge((n * Math.PI) / 2, k));
  }
  for (let i = 0; i < 10000; i++) out.push(nudge(random.int(2 ** 20) * (Math.PI / 2), random.int(5) - 2));
  for (let e = 20; e < 1024; e++) out.push(2 ** e * (1 + random.float()), -(2 ** e) * (1 + random.float()));
  return out;
}

/** pow/atan2 argument pairs, flattened [x0, y0, x1, y1, ...]. */
function pairInputs(seed: number): number[] {
  const random = prng(seed);
  const pairs: number[] = [];
  const specials = [
    0, -0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, Infinity, -Infinity, NaN, 1e-300, -1e-300, 5e-324, 1e300, -1e300,
    1 + 2 ** -52, 1 - 2 ** -53, -(1 + 2 ** -52), 2 ** 31, 2 ** 31 + 1, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 3 * 2 ** 64,
    1.5, -1.5, 1023, 1024, -1074, -1075, -1022.5, 0.1, 10, -10,
  ];
  for (const a of specials) for (const b of specials) pairs.push(a, b);
  const wide = wideInputs(seed + 1, 40000);
  for (let i = 0; i + 1 < wide.length; i += 2) pairs.push(wide[i]!, wide[i + 1]!);
  for (let i = 0; i < 15000; i++) pairs.push(random.int(100) - 50, random.int(80) - 40); // integer powers
  for (let i = 0; i < 15000; i++) pairs.push(1 + (random.float() - 0.5) * 2 ** -random.int(40), (random.float() - 0.5) * 2 ** random.int(70));
  for (let i = 0; i < 15000; i++) pairs.push(random.float() * 4, (random.float() - 0.5) * 2200); // overflow, subnormal results
  for (let i = 0; i < 15000; i++) pairs.push(-random.float() * 10, Math.round((random.float() - 0.5) * 700)); // negative bases
  return pairs;
}

type MathName = (typeof UNARY)[number] | (typeof BINARY)[number];
const jsMath = Math as unknown as Record<MathName, (...args: number[]) => number>;

function mismatches(name: string, inputs: number[], arity: 1 | 2, actual: Float64Array, expected: (i: number) => number) {
  const count = inputs.length / arity;
  const examples: string[] = [];
  let bad = 0;
  for (let i = 0; i < count; i++) {
    const want = expected(i);
    if (!sameNumber(actual[i]!, want)) {
      bad++;
      if (examples.length < 5) {
        const args = arity === 1 ? showNumber(inputs[i]!) : `${showNumber(inputs[2 * i]!)}, ${showNumber(inputs[2 * i + 1]!)}`;
        examples.push(`Math.${name}(${args}): got ${showNumber(actual[i]!)}, V8 ${showNumber(want)}`);
      }
    }
  }
  return { bad, count, examples };
}

let mod: AsModule;

function runUnary(index: number, inputs: number[]): Float64Array {
  mod.setInputs(inputs);
  mod.allocOutputs(inputs.length);
  mod.exports.runUnary(index, inputs.length);
  return mod.readOutputs(inputs.length);
}

function runBinary(index: number, pairs: number[]): Float64Array {
  mod.setInputs(pairs);
  mod.allocOutputs(pairs.length / 2);
  mod.exports.runBinary(index, pairs.length / 2);
  return mod.readOutputs(pairs.length / 2);
}

beforeAll(async () => {
  mod = await compileAs(SOURCE, { optimize: "-O2" });
}, 30_000);

describe("Math functions match V8 bit for bit", () => {
  const wide = wideInputs(1, 60000);
  const trig = trigInputs(2);

  UNARY.forEach((name, index) => {
    it(`Math.${name}`, () => {
      const inputs = ["sin", "cos", "tan"].includes(name) ? wide.concat(trig) : wide;
      const result = mismatches(name, inputs, 1, runUnary(index, inputs), (i) => jsMath[name](inputs[i]!));
      expect(result.examples, `${result.bad} of ${result.count} differ`).toEqual([]);
    });
  });

  const pairs = pairInputs(3);
  BINARY.forEach((name, index) => {
    it(`Math.${name}`, () => {
      const result = mismatches(name, pairs, 2, runBinary(index, pairs), (i) => jsMath[name](pairs[2 * i]!, pairs[2 * i + 1]!));
      expect(result.examples, `${result.bad} of ${result.count} differ`).toEqual([]);
    });
  });

  it("the comparison detects last-bit differences (AssemblyScript's own exp and pow are not V8's)", () => {
    const expDiff = mismatches("exp", wide, 1, runUnary(100, wide), (i) => Math.exp(wide[i]!));
    const powDiff = mismatches("pow", pairs, 2, runBinary(100, pairs), (i) => Math.pow(pairs[2 * i]!, pairs[2 * i + 1]!));
    expect(expDiff.bad).toBeGreaterThan(0);
    expect(powDiff.bad).toBeGreaterThan(0);
  });
});

describe("Math.hypot", () => {
  it("matches V8 on argument lists of 0 to 5 values", () => {
    const random = prng(4);
    const pool = [0, -0, 1, -1, 3, 4, NaN, Infinity, -Infinity, 1e308, 1e-308, 5e-324, 1e200, 0.1, 2 ** 53];
    const groups: number[][] = [[], [NaN, Infinity], [Infinity, NaN], [NaN, -Infinity], [-0], [-0, -0], [3, 4], [1e308, 1e308]];
    for (let i = 0; i < 20000; i++) {
      const length = random.int(6);
      const group: number[] = [];
      for (let j = 0; j < length; j++) {
        group.push(random.int(3) === 0 ? pool[random.int(pool.length)]! : (random.float() - 0.5) * 2 ** (random.int(200) - 100));
      }
      groups.push(group);
    }
    const flat: number[] = [];
    for (const group of groups) flat.push(group.length, ...group);
    mod.setInputs(flat);
    mod.allocOutputs(groups.length);
    mod.exports.runHypot(groups.length);
    const actual = mod.readOutputs(groups.length);
    const examples: string[] = [];
    groups.forEach((group, i) => {
      const want = Math.hypot(...group);
      if (!sameNumber(actual[i]!, want) && examples.length < 5) {
        examples.push(`Math.hypot(${group.map(showNumber).join(", ")}): got ${showNumber(actual[i]!)}, V8 ${showNumber(want)}`);
      }
    });
    expect(examples).toEqual([]);
  });
});

describe("Math.random", () => {
  it("returns values in [0, 1) that vary", () => {
    mod.allocOutputs(10000);
    mod.exports.runRandom(10000);
    const values = mod.readOutputs(10000);
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    expect(new Set(values).size).toBeGreaterThan(9990);
  });
});
