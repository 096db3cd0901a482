// Differential tests: the operator helpers of host-bindings/assembly/ops.ts against the same
// JavaScript operators evaluated by the V8 running this test.
import { beforeAll, describe, expect, it } from "vitest";
import { AS_PRELUDE, compileAs, f64FromBits, nudge, prng, sameNumber, showNumber, type AsModule } from "./helpers/as-harness.js";

// Each helper is wrapped to take f64 inputs and give an f64 result, so that i32/u32/bool results
// come back unchanged (a u32 export would arrive in JavaScript as a signed i32).
const UNARY: Record<string, { as: string; js: (x: number) => number }> = {
  toInt32: { as: "<f64>O.__js_to_int32(x)", js: (x) => x | 0 },
  toUint32: { as: "<f64>O.__js_to_uint32(x)", js: (x) => x >>> 0 },
  truthyNum: { as: "O.__js_truthy_num(x) ? 1.0 : 0.0", js: (x) => (x ? 1 : 0) },
  bitnot: { as: "O.__js_bitnot(x)", js: (x) => ~x },
  isInteger: { as: "O.__js_is_integer(x) ? 1.0 : 0.0", js: (x) => (Number.isInteger(x) ? 1 : 0) },
  isSafeInteger: { as: "O.__js_is_safe_integer(x) ? 1.0 : 0.0", js: (x) => (Number.isSafeInteger(x) ? 1 : 0) },
  clz32: { as: "M.__js_math_clz32(x)", js: (x) => Math.clz32(x) },
};

const BINARY: Record<string, { as: string; js: (a: number, b: number) => number }> = {
  mod: { as: "O.__js_mod(a, b)", js: (a, b) => a % b },
  pow: { as: "O.__js_pow(a, b)", js: (a, b) => a ** b },
  shl: { as: "O.__js_shl(a, b)", js: (a, b) => a << b },
  shr: { as: "O.__js_shr(a, b)", js: (a, b) => a >> b },
  ushr: { as: "O.__js_ushr(a, b)", js: (a, b) => a >>> b },
  bitand: { as: "O.__js_bitand(a, b)", js: (a, b) => a & b },
  bitor: { as: "O.__js_bitor(a, b)", js: (a, b) => a | b },
  bitxor: { as: "O.__js_bitxor(a, b)", js: (a, b) => a ^ b },
  imul: { as: "M.__js_math_imul(a, b)", js: (a, b) => Math.imul(a, b) },
  sameValue: { as: "O.__js_same_value(a, b) ? 1.0 : 0.0", js: (a, b) => (Object.is(a, b) ? 1 : 0) },
  sameValueZero: { as: "O.__js_same_value_zero(a, b) ? 1.0 : 0.0", js: (a, b) => ([a].includes(b) ? 1 : 0) },
};

const unaryNames = Object.keys(UNARY);
const binaryNames = Object.keys(BINARY);

const SOURCE = `
import * as O from "./stelp/ops";
import * as M from "./stelp/math";
${AS_PRELUDE}
export function runUnary(which: i32, n: i32): void {
  for (let i = 0; i < n; i++) {
    const x = readInput(i);
    let r: f64 = 0;
    switch (which) {
      ${unaryNames.map((name, i) => `case ${i}: r = ${UNARY[name]!.as}; break;`).join("\n      ")}
    }
    writeOutput(i, r);
  }
}
export function runBinary(which: i32, n: i32): void {
  for (let i = 0; i < n; i++) {
    const a = readInput(2 * i);
    const b = readInput(2 * i + 1);
    let r: f64 = 0;
    switch (which) {
      ${binaryNames.map((name, i) => `case ${i}: r = ${BINARY[name]!.as}; break;`).join("\n      ")}
    }
    writeOutput(i, r);
  }
}
export function truthyStr(s: string): bool {
  return O.__js_truthy_str(s);
}
`;

/** Values around every power of two up to 2^1023 (the int32/uint32 wrap points), plus specials and random doubles. */
function numberInputs(seed: number, randomCount: number): number[] {
  const random = prng(seed);
  const values = [0, -0, NaN, Infinity, -Infinity, 0.5, -0.5, 0.9999999999999999, -0.9999999999999999, 1.5, -1.5, 5e-324, -5e-324, 1.7976931348623157e308];
  for (let e = 0; e <= 1023; e++) {
    for (const sign of [1, -1]) {
      const p = sign * 2 ** e;
      values.push(p, p + sign * 0.5, p - sign * 0.5, p + sign, p - sign, nudge(p, 1), nudge(p, -1));
    }
  }
  for (const m of [2 ** 31, 2 ** 32, 2 ** 53]) for (let k = -3; k <= 3; k++) values.push(m * 3 + k, -m * 5 + k, m + k + 0.25);
  for (let i = 0; i < randomCount; i++) {
    switch (random.int(4)) {
      case 0: values.push(f64FromBits(random.u64())); break;
      case 1: values.push((random.float() - 0.5) * 2 ** random.int(80)); break;
      case 2: values.push(random.int(2 ** 32) - 2 ** 31 + (random.int(2) ? 0 : random.float())); break;
      default: values.push(Math.round((random.float() - 0.5) * 2 ** random.int(70))); break;
    }
  }
  return values;
}

let mod: AsModule;

beforeAll(async () => {
  mod = await compileAs(SOURCE, { optimize: "-O2" });
}, 30_000);

function check(actual: Float64Array, count: number, expected: (i: number) => number, describeCase: (i: number) => string) {
  const examples: string[] = [];
  let bad = 0;
  for (let i = 0; i < count; i++) {
    const want = expected(i);
    if (!sameNumber(actual[i]!, want)) {
      bad++;
      if (examples.length < 5) examples.push(`${describeCase(i)}: got ${showNumber(actual[i]!)}, V8 ${showNumber(want)}`);
    }
  }
  return { bad, examples };
}

describe("unary number helpers match V8", () => {
  const inputs = numberInputs(11, 40000);
  unaryNames.forEach((name, index) => {
    it(name, () => {
      mod.setInputs(inputs);
      mod.allocOutputs(inputs.length);
      mod.exports.runUnary(index, inputs.length);
      const actual = mod.readOutputs(inputs.length);
      const { js } = UNARY[name]!;
      const result = check(actual, inputs.length, (i) => js(inputs[i]!), (i) => `${name}(${showNumber(inputs[i]!)})`);
      expect(result.examples, `${result.bad} of ${inputs.length} differ`).toEqual([]);
    });
  });
});

describe("binary operator helpers match V8", () => {
  const random = prng(12);
  const numbers = numberInputs(13, 30000);
  const specials = [0, -0, 1, -1, 2, -2, 0.5, -0.5, 3, -3.5, 31, 32, 33, -1, -32, 64, 2 ** 31, 2 ** 32, 2 ** 32 + 5, NaN, Infinity, -Infinity, 5e-324, 1e300, -1e300, 7, 1.5e-323];
  const pairs: number[] = [];
  for (const a of specials) for (const b of specials) pairs.push(a, b);
  for (const a of numbers.slice(0, 2000)) pairs.push(a, a, a, -a);
  for (let i = 0; i < numbers.length; i++) {
    // Second operand: shift counts (including negative, fractional and huge), divisors, exponents.
    const b = random.int(3) === 0 ? numbers[random.int(numbers.length)]! : random.int(3) === 0 ? random.int(200) - 100 : (random.float() - 0.5) * 2 ** random.int(60);
    pairs.push(numbers[i]!, b);
  }
  const count = pairs.length / 2;
  binaryNames.forEach((name, index) => {
    it(name, () => {
      mod.setInputs(pairs);
      mod.allocOutputs(count);
      mod.exports.runBinary(index, count);
      const actual = mod.readOutputs(count);
      const { js } = BINARY[name]!;
      const result = check(
        actual,
        count,
        (i) => js(pairs[2 * i]!, pairs[2 * i + 1]!),
        (i) => `${name}(${showNumber(pairs[2 * i]!)}, ${showNumber(pairs[2 * i + 1]!)})`,
      );
      expect(result.examples, `${result.bad} of ${count} differ`).toEqual([]);
    });
  });

  it("% keeps the dividend's sign and exactness on the spec's cases", () => {
    const cases: [number, number][] = [[-1, 1], [1, -1], [-0, 5], [5, 0], [5, Infinity], [-5, Infinity], [Infinity, 2], [5.5, 2], [-5.5, 2], [1e300, 3], [5e-324, 2e-323], [0.3, 0.1]];
    const flat = cases.flat();
    mod.setInputs(flat);
    mod.allocOutputs(cases.length);
    mod.exports.runBinary(binaryNames.indexOf("mod"), cases.length);
    const actual = mod.readOutputs(cases.length);
    cases.forEach(([a, b], i) => {
      expect(sameNumber(actual[i]!, a % b), `${a} % ${b}: got ${showNumber(actual[i]!)}, V8 ${showNumber(a % b)}`).toBe(true);
    });
  });
});

describe("__js_truthy_str", () => {
  it("is false only for the empty string", () => {
    const { __new, __pin, __unpin } = mod.exports;
    for (const text of ["", "0", " ", "false", "a", "\u0000"]) {
      // Allocate an AS string (class id 2) and fill in its UTF-16 code units.
      const ptr = __pin(__new(text.length * 2, 2)) as number;
      new Uint16Array(mod.memory.buffer, ptr, text.length).set(Array.from(text, (c) => c.charCodeAt(0)));
      expect(Boolean(mod.exports.truthyStr(ptr)), JSON.stringify(text)).toBe(Boolean(text));
      __unpin(ptr);
    }
  });
});
