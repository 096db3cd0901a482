// Differential tests: __js_num_to_string / __js_inspect_num against String(x) in the V8 running
// this test, on random bit patterns and on the layout and digit-generation edge cases.
import { beforeAll, describe, expect, it } from "vitest";
import { AS_PRELUDE, compileAs, f64FromBits, nudge, prng, showNumber, type AsModule } from "./helpers/as-harness.js";

const SOURCE = `
import { __js_num_to_string, __js_inspect_num, __js_bool_to_string } from "./stelp/number";
${AS_PRELUDE}
/** Formats inputs[0..n) joined by newlines; mode 0 = String(x), 1 = console.log(x). */
export function formatAll(n: i32, mode: i32): string {
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const x = readInput(i);
    parts[i] = mode == 0 ? __js_num_to_string(x) : __js_inspect_num(x);
  }
  return parts.join("\\n");
}
export function boolToString(b: bool): string {
  return __js_bool_to_string(b);
}
`;

let mod: AsModule;

beforeAll(async () => {
  mod = await compileAs(SOURCE, { optimize: "-O2" });
}, 30_000);

/** Formats `values` in the module in chunks; returns the strings. */
function format(values: number[], mode: 0 | 1): string[] {
  const out: string[] = [];
  for (let start = 0; start < values.length; start += 20000) {
    const chunk = values.slice(start, start + 20000);
    mod.setInputs(chunk);
    out.push(...mod.readString(mod.exports.formatAll(chunk.length, mode)).split("\n"));
  }
  return out;
}

function compare(values: number[], mode: 0 | 1, expected: (x: number) => string) {
  const actual = format(values, mode);
  const examples: string[] = [];
  let bad = 0;
  values.forEach((x, i) => {
    const want = expected(x);
    if (actual[i] !== want) {
      bad++;
      if (examples.length < 8) examples.push(`${showNumber(x)}: got ${JSON.stringify(actual[i])}, V8 ${JSON.stringify(want)}`);
    }
  });
  return { bad, examples };
}

/** The layout boundaries and digit-generation hard cases. */
function edgeCases(): number[] {
  const values = [
    0, -0, NaN, Infinity, -Infinity, 1, -1, 0.1, 0.2, 0.1 + 0.2, 0.3, 1 / 3, 2 / 3, 100, 123.456, -123.456, 1.5,
    1e21, 1e21 - 65536, 999999999999999900000, 123456789012345680000, 1e-7, 1.5e-7, 1e-6, 0.000001234, 9.5e-7,
    5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308, 2.225073858507201e-308,
    2 ** 53, 2 ** 53 + 2, 2 ** 53 - 1, -(2 ** 53), 2 ** 63, 2 ** 64, 9007199254740993, 1e15, 1e16, 1e17, 4.35, 0.15,
    1.005, 1e23, 9.007199254740993e15, 5e-7, 1.7976931348623157e307, 2.9802322387695312e-8, 4.940656458412465e-324,
  ];
  // Powers of ten and their neighbours, across the whole exponent range.
  for (let e = -325; e <= 309; e++) {
    for (const mantissa of ["1", "9.999999999999999", "5", "1.2345678901234567", "2.5"]) {
      const x = Number(`${mantissa}e${e}`);
      values.push(x, -x, nudge(x, 1), nudge(x, -1));
    }
  }
  // Powers of two (every exponent, including all subnormal ones), and integers near 2^53.
  for (let e = -1074; e <= 1023; e++) values.push(2 ** e, -3 * 2 ** e);
  for (let k = -50; k <= 50; k++) values.push(2 ** 53 + k * 2, 2 ** 53 - k, 2 ** 52 + k + 0.5);
  // The 1e21 and 1e-7 layout boundaries, ulp by ulp.
  for (let k = -20; k <= 20; k++) values.push(nudge(1e21, k), nudge(1e-7, k), nudge(1e-6, k), nudge(1, k));
  return values.filter((x) => x !== undefined);
}

/** Random inputs: mostly raw bit patterns, plus short decimals, scaled values and integers. */
function randomValues(seed: number, count: number): number[] {
  const random = prng(seed);
  const values: number[] = [];
  while (values.length < count) {
    switch (random.int(6)) {
      case 0:
      case 1:
      case 2:
        values.push(f64FromBits(random.u64()));
        break;
      case 3:
        values.push(Math.round(random.float() * 1e6) / 1000);
        break;
      case 4:
        values.push((random.float() - 0.5) * 2 ** (random.int(140) - 70));
        break;
      default:
        values.push(Number(random.u64() >> BigInt(random.int(64))) * (random.int(2) ? 1 : -1));
    }
  }
  return values;
}

describe("__js_num_to_string", () => {
  it("matches String(x) on layout and digit edge cases", () => {
    const result = compare(edgeCases(), 0, String);
    expect(result.examples, `${result.bad} differ`).toEqual([]);
  });

  it("matches String(x) on 120 000 random bit patterns", () => {
    const random = prng(6);
    const values = Array.from({ length: 120000 }, () => f64FromBits(random.u64()));
    const result = compare(values, 0, String);
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
  });

  it("matches String(x) on 80 000 short decimals, scaled values and integers", () => {
    const values = randomValues(7, 80000);
    const result = compare(values, 0, String);
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
  });

  it("prints -0 as 0 and the spec's examples", () => {
    expect(format([-0, 1e21, 1e-7, 123456789012345680000, 0.000001, 5e-324, 1.7976931348623157e308], 0)).toEqual([
      "0", "1e+21", "1e-7", "123456789012345680000", "0.000001", "5e-324", "1.7976931348623157e+308",
    ]);
  });
});

describe("__js_inspect_num", () => {
  it("matches console.log's number format (String(x), but -0 is '-0')", () => {
    const values = [...edgeCases(), ...randomValues(8, 20000)];
    const result = compare(values, 1, (x) => (Object.is(x, -0) ? "-0" : String(x)));
    expect(result.examples, `${result.bad} differ`).toEqual([]);
    expect(format([-0, 0], 1)).toEqual(["-0", "0"]);
  });
});

describe("__js_bool_to_string", () => {
  it("gives String(true) and String(false)", () => {
    expect(mod.readString(mod.exports.boolToString(1))).toBe(String(true));
    expect(mod.readString(mod.exports.boolToString(0))).toBe(String(false));
  });
});
