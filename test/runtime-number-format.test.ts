// Differential tests: toFixed / toExponential / toPrecision / toString(radix) of
// host-bindings/assembly/number-format.ts against the same methods of the V8 running this test, on
// random values and arguments and on rounding, layout and range edge cases.
import { beforeAll, describe, expect, it } from "vitest";
import { AS_PRELUDE, compileAs, f64FromBits, nudge, prng, showNumber, type AsModule } from "./helpers/as-harness.js";

/** Each method as AS (inputs x, a) and as V8. */
const METHODS = {
  toFixed: { as: "F.__js_num_to_fixed(x, a)", js: (x: number, a: number) => x.toFixed(a) },
  toExponential: { as: "F.__js_num_to_exponential(x, a)", js: (x: number, a: number) => x.toExponential(a) },
  toExponentialAuto: { as: "F.__js_num_to_exponential_auto(x)", js: (x: number) => x.toExponential() },
  toPrecision: { as: "F.__js_num_to_precision(x, a)", js: (x: number, a: number) => x.toPrecision(a) },
  toStringRadix: { as: "F.__js_num_to_string_radix(x, a)", js: (x: number, a: number) => x.toString(a) },
} as const;
type Method = keyof typeof METHODS;
const methodNames = Object.keys(METHODS) as Method[];

const SOURCE = `
import * as F from "./stelp/number-format";
${AS_PRELUDE}
/** Formats the pairs (x, a) = inputs[2i], inputs[2i + 1], joined by newlines. */
export function formatAll(n: i32, which: i32): string {
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const x = readInput(2 * i);
    const a = readInput(2 * i + 1);
    let s = "";
    switch (which) {
      ${methodNames.map((name, i) => `case ${i}: s = ${METHODS[name].as}; break;`).join("\n      ")}
    }
    parts[i] = s;
  }
  return parts.join("\\n");
}
/** __js_num_format_arg_ok for the triples (kind, x, a); writes 1 or 0. */
export function argOkAll(n: i32): void {
  for (let i = 0; i < n; i++) {
    writeOutput(i, F.__js_num_format_arg_ok(<i32>readInput(3 * i), readInput(3 * i + 1), readInput(3 * i + 2)) ? 1 : 0);
  }
}
export function argError(kind: i32): string {
  return F.__js_num_format_arg_error(kind);
}
`;

let mod: AsModule;

beforeAll(async () => {
  mod = await compileAs(SOURCE, { optimize: "-O2" });
}, 30_000);

type Case = [x: number, a: number];

function format(method: Method, cases: Case[]): string[] {
  const out: string[] = [];
  const which = methodNames.indexOf(method);
  for (let start = 0; start < cases.length; start += 5000) {
    const chunk = cases.slice(start, start + 5000);
    mod.setInputs(chunk.flat());
    out.push(...mod.readString(mod.exports.formatAll(chunk.length, which)).split("\n"));
  }
  return out;
}

/** Runs the cases through the module and V8; returns the mismatch count and a few examples. */
function compare(method: Method, cases: Case[]) {
  const actual = format(method, cases);
  const js = METHODS[method].js as (x: number, a: number) => string;
  const examples: string[] = [];
  let bad = 0;
  cases.forEach(([x, a], i) => {
    const want = js(x, a);
    if (actual[i] !== want) {
      bad++;
      if (examples.length < 8) examples.push(`(${showNumber(x)}).${method}(${a}): got ${JSON.stringify(actual[i])}, V8 ${JSON.stringify(want)}`);
    }
  });
  return { bad, examples };
}

/** Values of every kind: raw bit patterns, magnitudes from 2^-80 to 2^80, short decimals, integers, exact binary ties. */
function randomValue(random: ReturnType<typeof prng>): number {
  const sign = random.int(2) ? 1 : -1;
  switch (random.int(7)) {
    case 0:
    case 1:
      return f64FromBits(random.u64());
    case 2:
      return sign * random.float() * 2 ** (random.int(160) - 80);
    case 3:
      // Short decimals: most are not exact in binary, so they sit just above or below a tie.
      return (sign * Math.round(random.float() * 10 ** random.int(8))) / 10 ** random.int(8);
    case 4:
      return sign * Number(random.u64() >> BigInt(random.int(64)));
    case 5:
      // Odd multiples of 2^-k: exact binary values whose decimal expansions end in 5 (true ties).
      return (sign * (2 * random.int(1 << 20) + 1)) / 2 ** random.int(30);
    default:
      return sign * random.float() * 10 ** (random.int(44) - 22);
  }
}

/** Small arguments are the common case; cover the whole range too. */
function randomArgument(random: ReturnType<typeof prng>, lo: number, hi: number): number {
  return random.int(2) ? lo + random.int(Math.min(hi - lo + 1, 21)) : lo + random.int(hi - lo + 1);
}

function randomCases(seed: number, count: number, lo: number, hi: number): Case[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => [randomValue(random), randomArgument(random, lo, hi)] as Case);
}

/** Values where rounding or layout changes: ties, 9s carrying, powers of ten, the 1e21 and 1e-7 boundaries. */
function edgeValues(): number[] {
  const values = [
    0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 0.05, 0.15, 0.25, 0.35, 1.005, 1.45, 1.25,
    1.125, 8.345, 10.235, 0.000001, 1e-7, 123.456, -123.456, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 9.5, 99.5, 999.5, 0.95,
    0.995, 9.995, 99.995, 1e21, -1e21, 1e21 - 65536, 999999999999999900000, 5e-324, -5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, -1.7976931348623157e308, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 4.35, 1.45e-10,
    123456789012345680000, 0.000001234, 9.999999999999999e20, 1e-101, 5e-101, 5.000000000000001e-101, 4.9e-101,
    1e-102, 0.5e-100, 1e-100,
  ];
  for (let e = -325; e <= 309; e++) {
    for (const m of ["1", "5", "9.5", "9.999999999999999", "2.5", "1.2345678901234567"]) {
      const x = Number(`${m}e${e}`);
      values.push(x, -x, nudge(x, 1), nudge(x, -1));
    }
  }
  for (let e = -1074; e <= 1023; e += 7) values.push(2 ** e, -3 * 2 ** e);
  for (let k = -10; k <= 10; k++) values.push(nudge(1e21, k), nudge(1e-7, k), nudge(0.5, k), nudge(2.5, k));
  return values;
}

function edgeCases(lo: number, hi: number): Case[] {
  const cases: Case[] = [];
  const args = [lo, lo + 1, lo + 2, 3, 5, 10, 15, 16, 17, 20, 21, 22, 25, 50, hi - 1, hi].filter((a) => a >= lo && a <= hi);
  for (const x of edgeValues()) for (const a of args) cases.push([x, a]);
  return cases;
}

describe("__js_num_to_fixed", () => {
  it("matches x.toFixed(d) on 60 000 random values and digit counts", () => {
    const cases = randomCases(11, 60000, 0, 100);
    const result = compare("toFixed", cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });

  it("matches x.toFixed(d) on rounding and layout edge cases", () => {
    const cases = edgeCases(0, 100);
    const result = compare("toFixed", cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });

  it("rounds the exact binary value, ties away from zero", () => {
    const values = [1.005, 1.45, 0.5, 1.5, 2.5, -2.5, 1.25, 1.35, -0.0001, 1e21, 0.000001];
    const args = [2, 1, 0, 0, 0, 0, 1, 1, 2, 2, 7];
    const got = format("toFixed", values.map((x, i) => [x, args[i]!] as Case));
    expect(got).toEqual(values.map((x, i) => x.toFixed(args[i])));
    expect(got.slice(0, 2)).toEqual(["1.00", "1.4"]);
  });

  it("truncates fractional digit counts (ToIntegerOrInfinity)", () => {
    const cases: Case[] = [[1.23456, 2.9], [1.23456, NaN], [1.23456, -0.5], [1.23456, 100.9], [-1.5, 0.2]];
    const result = compare("toFixed", cases);
    expect(result.examples).toEqual([]);
  });
});

describe("__js_num_to_exponential", () => {
  it("matches x.toExponential(d) on 60 000 random values and digit counts", () => {
    const cases = randomCases(12, 60000, 0, 100);
    const result = compare("toExponential", cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });

  it("matches x.toExponential(d) on edge cases", () => {
    const cases = edgeCases(0, 100);
    const result = compare("toExponential", cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });
});

describe("__js_num_to_exponential_auto", () => {
  it("matches x.toExponential() on 60 000 random values and on edge cases", () => {
    const random = prng(13);
    const values = [...edgeValues(), ...Array.from({ length: 60000 }, () => randomValue(random))];
    const result = compare("toExponentialAuto", values.map((x) => [x, 0] as Case));
    expect(result.examples, `${result.bad} of ${values.length} differ`).toEqual([]);
  });
});

describe("__js_num_to_precision", () => {
  it("matches x.toPrecision(p) on 60 000 random values and precisions", () => {
    const cases = randomCases(14, 60000, 1, 100);
    const result = compare("toPrecision", cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });

  it("matches x.toPrecision(p) on edge cases", () => {
    const cases = edgeCases(1, 100);
    const result = compare("toPrecision", cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });
});

describe("__js_num_to_string_radix", () => {
  it("matches x.toString(r) on 60 000 random values and radixes", () => {
    const cases = randomCases(15, 60000, 2, 36);
    const result = compare("toStringRadix", cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });

  it("matches x.toString(r) on edge cases, every radix", () => {
    const cases: Case[] = [];
    const random = prng(16);
    const values = [
      ...edgeValues().filter((_, i) => i % 3 == 0),
      0.1, 0.5, 1 / 3, 255.5, 1e300, 2 ** -1074, 2 ** 1023, 4294967295.5, 0.9999999999999999, 35.99999999999999,
      ...Array.from({ length: 200 }, () => random.float()),
    ];
    for (const x of values) for (let r = 2; r <= 36; r++) cases.push([x, r]);
    cases.push([255, 16.9], [255, 2.5]);
    const result = compare("toStringRadix", cases);
    expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
  });
});

describe("__js_num_format_arg_ok / __js_num_format_arg_error", () => {
  const calls: Record<number, (x: number, a: number) => unknown> = {
    0: (x, a) => x.toFixed(a),
    1: (x, a) => x.toExponential(a),
    2: (x, a) => x.toPrecision(a),
    3: (x, a) => x.toString(a),
  };

  it("accepts exactly the arguments V8 accepts, and gives V8's message otherwise", () => {
    const xs = [1.5, -0, NaN, Infinity, -Infinity, 1e21];
    const args = [-Infinity, -1, -0.5, -0, 0, 0.5, 1, 1.9, 2, 36, 36.5, 37, 99, 100, 100.99, 101, Infinity, NaN, 1e300];
    const triples: number[] = [];
    const expected: { ok: boolean; message: string }[] = [];
    for (let kind = 0; kind < 4; kind++) {
      for (const x of xs) {
        for (const a of args) {
          triples.push(kind, x, a);
          try {
            calls[kind]!(x, a);
            expected.push({ ok: true, message: "" });
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError);
            expected.push({ ok: false, message: (error as Error).message });
          }
        }
      }
    }
    mod.setInputs(triples);
    mod.allocOutputs(expected.length);
    mod.exports.argOkAll(expected.length);
    const ok = mod.readOutputs(expected.length);
    const bad: string[] = [];
    expected.forEach((want, i) => {
      const [kind, x, a] = triples.slice(3 * i, 3 * i + 3) as [number, number, number];
      if ((ok[i] === 1) !== want.ok) bad.push(`kind ${kind}, x ${showNumber(x)}, arg ${a}: got ${ok[i]}, V8 ok=${want.ok}`);
      if (!want.ok) {
        const message = mod.readString(mod.exports.argError(kind));
        if (message !== want.message) bad.push(`kind ${kind}: message ${JSON.stringify(message)}, V8 ${JSON.stringify(want.message)}`);
      }
    });
    expect(bad).toEqual([]);
  });
});
