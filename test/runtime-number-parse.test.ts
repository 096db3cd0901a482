// Differential tests: Number(s), parseFloat(s) and parseInt(s[, radix]) of
// host-bindings/assembly/number-parse.ts against the V8 running this test, on random numerals of
// every shape (including exact halfway points between doubles, written out in full), grammar fuzz,
// every UTF-16 code unit as whitespace, and long inputs.
import { beforeAll, describe, expect, it } from "vitest";
import { AS_PRELUDE, compileAs, f64Bits, f64FromBits, prng, sameNumber, showNumber, type AsModule } from "./helpers/as-harness.js";

const FUNCTIONS = {
  number: { as: "P.__js_string_to_number(s)", js: (s: string) => Number(s) },
  parseFloat: { as: "P.__js_parse_float(s)", js: (s: string) => parseFloat(s) },
  parseInt: { as: "P.__js_parse_int(s, radix)", js: (s: string, radix: number) => parseInt(s, radix) },
  parseIntAuto: { as: "P.__js_parse_int_auto(s)", js: (s: string) => parseInt(s) },
} as const;
type Fn = keyof typeof FUNCTIONS;
const fnNames = Object.keys(FUNCTIONS) as Fn[];

const SOURCE = `
import * as P from "./stelp/number-parse";
${AS_PRELUDE}
let chars = new StaticArray<u16>(0);
export function allocChars(n: i32): usize {
  chars = new StaticArray<u16>(n);
  return changetype<usize>(chars);
}
/** String i is the next inputs[2i] code units of chars; inputs[2i + 1] is its radix argument. */
export function parseAll(n: i32, which: i32): void {
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const length = <i32>readInput(2 * i);
    const radix = readInput(2 * i + 1);
    const s = String.UTF16.decodeUnsafe(changetype<usize>(chars) + (<usize>offset << 1), <usize>length << 1);
    offset += length;
    let r: f64 = 0;
    switch (which) {
      ${fnNames.map((name, i) => `case ${i}: r = ${FUNCTIONS[name].as}; break;`).join("\n      ")}
    }
    writeOutput(i, r);
  }
}
`;

let mod: AsModule;

beforeAll(async () => {
  mod = await compileAs(SOURCE, { optimize: "-O2" });
}, 30_000);

type Case = [s: string, radix: number];

function run(fn: Fn, cases: Case[]): Float64Array {
  const out = new Float64Array(cases.length);
  const which = fnNames.indexOf(fn);
  for (let start = 0; start < cases.length; start += 5000) {
    const chunk = cases.slice(start, start + 5000);
    const text = chunk.map(([s]) => s).join("");
    const ptr = mod.exports.allocChars(text.length) as number;
    const units = new Uint16Array(mod.memory.buffer, ptr, text.length);
    for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
    mod.setInputs(chunk.flatMap(([s, radix]) => [s.length, radix]));
    mod.allocOutputs(chunk.length);
    mod.exports.parseAll(chunk.length, which);
    out.set(mod.readOutputs(chunk.length), start);
  }
  return out;
}

function compare(fn: Fn, cases: Case[]) {
  const actual = run(fn, cases);
  const js = FUNCTIONS[fn].js as (s: string, radix: number) => number;
  const examples: string[] = [];
  let bad = 0;
  cases.forEach(([s, radix], i) => {
    const want = js(s, radix);
    if (!sameNumber(actual[i]!, want)) {
      bad++;
      const shown = s.length > 120 ? `${JSON.stringify(s.slice(0, 60))}…(${s.length} chars)…${JSON.stringify(s.slice(-40))}` : JSON.stringify(s);
      if (examples.length < 8) examples.push(`${fn}(${shown}${fn === "parseInt" ? `, ${radix}` : ""}): got ${showNumber(actual[i]!)}, V8 ${showNumber(want)}`);
    }
  });
  return { bad, examples };
}

function expectSame(fn: Fn, cases: Case[]) {
  const result = compare(fn, cases);
  expect(result.examples, `${result.bad} of ${cases.length} differ`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Inputs

type Random = ReturnType<typeof prng>;

const WHITESPACE = [" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u1680", "\u2000", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.int(items.length)]!;
}

function digits(random: Random, n: number, alphabet = "0123456789"): string {
  let s = "";
  // Runs of 0s and 9s (and of the top digit) exercise carries and sticky digits.
  const mode = random.int(4);
  for (let i = 0; i < n; i++) {
    s += mode === 1 && random.int(4) ? "0" : mode === 2 && random.int(4) ? alphabet[alphabet.length - 1] : alphabet[random.int(alphabet.length)];
  }
  return s;
}

function randomDouble(random: Random): number {
  switch (random.int(4)) {
    case 0:
      return f64FromBits(random.u64() & ~(1n << 63n));
    case 1:
      return random.float() * 2 ** (random.int(200) - 100);
    case 2:
      return Math.round(random.float() * 10 ** random.int(10)) / 10 ** random.int(10);
    default:
      return Number(random.u64() >> BigInt(random.int(64)));
  }
}

/** Optional sign, whitespace, case changes around a numeral. */
function decorate(random: Random, s: string): string {
  if (random.int(4) === 0) s = s.toUpperCase();
  if (random.int(4) === 0) s = pick(random, ["+", "-", "-", "+-", "--", "- "]) + s;
  if (random.int(4) === 0) s = pick(random, WHITESPACE) + s;
  if (random.int(4) === 0) s = s + pick(random, WHITESPACE);
  if (random.int(8) === 0) s = pick(random, WHITESPACE) + pick(random, WHITESPACE) + s + pick(random, WHITESPACE);
  return s;
}

const pow5Cache: bigint[] = [1n];
function pow5(k: number): bigint {
  while (pow5Cache.length <= k) pow5Cache.push(pow5Cache[pow5Cache.length - 1]! * 5n);
  return pow5Cache[k]!;
}

/**
 * The exact decimal value of the halfway point above the finite x > 0, and its neighbours one unit
 * in the last written digit below and above (and far beyond), in plain and exponent notation.
 */
function halfwayStrings(random: Random, x: number): string[] {
  const bits = f64Bits(x);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = (biased === 0 ? -1074 : biased - 1075) - 1;
  const middle = 2n * m + 1n;
  if (e >= 0) {
    const v = middle << BigInt(e);
    return [v, v - 1n, v + 1n].map((n) => n.toString());
  }
  const k = -e;
  const d = middle * pow5(k); // the midpoint is d * 10^-k
  const plain = (n: bigint, scale: number) => {
    const s = n.toString();
    return s.length > scale ? `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}` : `0.${"0".repeat(scale - s.length)}${s}`;
  };
  const scientific = (n: bigint, scale: number) => {
    const s = n.toString();
    return `${s[0]}.${s.slice(1)}e${s.length - 1 - scale}`;
  };
  const zeros = random.int(30);
  return [
    `${d}e-${k}`, // exactly halfway: ties to even
    `${d - 1n}e-${k}`, // just below
    `${d}${"0".repeat(zeros)}1e-${k + zeros + 1}`, // just above
    plain(d, k),
    plain(d - 1n, k),
    plain(d * 10n + 1n, k + 1),
    scientific(d, k),
    scientific(d * 1000n + 1n, k + 3),
  ];
}

/** Any numeral shape, valid or nearly so. */
function randomNumeral(random: Random): string {
  switch (random.int(9)) {
    case 0:
      return decorate(random, String(randomDouble(random)));
    case 1: {
      const x = randomDouble(random);
      const s = pick(random, [
        () => x.toExponential(random.int(25)),
        () => x.toPrecision(1 + random.int(25)),
        () => (x < 1e21 ? x.toFixed(random.int(30)) : String(x)),
        () => String(x).replace("e+", "e"),
      ])();
      return decorate(random, random.int(4) ? s : "000" + s);
    }
    case 2:
      return decorate(random, pick(random, halfwayStrings(random, randomDouble(random) || 1)));
    case 3: {
      // Random digits around a point and an exponent; sometimes hundreds of digits.
      const long = random.int(10) === 0;
      const intPart = digits(random, random.int(long ? 900 : 25));
      const fracPart = digits(random, random.int(long ? 900 : 25));
      let s = random.int(3) ? `${intPart}.${fracPart}` : intPart || "0";
      if (random.int(2)) s += `${pick(random, ["e", "E"])}${pick(random, ["", "+", "-"])}${random.int(2) ? random.int(30) : random.int(800)}`;
      return decorate(random, s);
    }
    case 4: {
      // Grammar fuzz.
      const tokens = ["0", "1", "5", "9", "00", ".", ".", "e", "E", "+", "-", "x", "X", "o", "O", "b", "B", "a", "f", "F", "Infinity", "Infinit", "infinity", "NaN", "_", " ", "\u00a0", "\u2028", "\u180e", "1e400", "1e-400", "0x", "0b", "0o"];
      let s = "";
      const n = 1 + random.int(7);
      for (let i = 0; i < n; i++) s += pick(random, tokens);
      return s;
    }
    case 5: {
      // 0x / 0o / 0b literals, up to a few hundred digits.
      const [prefix, alphabet] = pick(random, [["0x", "0123456789abcdefABCDEF"], ["0o", "01234567"], ["0b", "01"]] as const);
      const body = digits(random, 1 + random.int(random.int(5) ? 30 : 300), alphabet);
      let s = (random.int(4) ? prefix : prefix.toUpperCase()) + body;
      if (random.int(10) === 0) s += pick(random, ["g", "8", "2", ".5", " 1", "e1"]);
      return decorate(random, s);
    }
    case 6: {
      // Hex halfway points above 2^53 (round half to even on a run of zeros or a sticky digit).
      const x = 2 ** (53 + random.int(970)) * (1 + random.float());
      const bits = f64Bits(x);
      const m = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
      const e = Number((bits >> 52n) & 0x7ffn) - 1075 - 1;
      const v = ((2n * m + 1n) << BigInt(e)) + pick(random, [0n, 1n, -1n]);
      return "0x" + v.toString(16);
    }
    case 7:
      return pick(random, ["Infinity", "-Infinity", "+Infinity", " Infinity ", "Infinityx", "-0", "+0", "0", ".5", "5.", "-.5", "+.5e1", ".", "-", "+", "", "   ", "1_000", "1e", "1e+", "1e-", "e5", ".e5", "0x", "0x1F", "-0x1F", "+0x1F", "0X1f", "0o17", "0O17", "0b101", "0B101", "0o8", "0b2", "0x1.5", "1.e5", "00012", "-00", "0.0e5", "-0e-5", "1e1000", "-1e-1000", "1 2", "12abc", "0xg"]);
    default:
      return decorate(random, String(randomDouble(random)) + pick(random, ["", "x", "e", "e+", "e-", ".", ".5", "abc", " 1", "_1", "\u180e"]));
  }
}

const ALPHABET36 = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A parseInt input and radix argument. */
function randomParseIntCase(random: Random): Case {
  const kind = random.int(6);
  if (kind === 0) {
    // Any numeral, any common radix.
    return [randomNumeral(random), pick(random, [0, 10, 16, 2, 8, 36, 7])];
  }
  if (kind === 1) {
    // toString(radix) output, fractions included.
    const radix = 2 + random.int(35);
    return [decorate(random, randomDouble(random).toString(radix)), radix];
  }
  if (kind === 2) {
    // Odd radix arguments: ToInt32 wraps and truncates them.
    const radix = pick(random, [0, 1, 37, -1, -16, NaN, Infinity, 16.9, 2.5, 36.99, 2 ** 32 + 16, -(2 ** 32) + 36, 2 ** 31, 1e300, -0]);
    return [decorate(random, digits(random, 1 + random.int(20), ALPHABET36.slice(0, 16))), radix];
  }
  // Random digits in a random radix, short or long (long ones test V8's rounding per radix).
  const radix = 2 + random.int(35);
  const alphabet = ALPHABET36.slice(0, radix);
  const length = 1 + random.int(random.int(4) ? 25 : 400);
  let s = digits(random, length, alphabet);
  if (random.int(2)) s = s.toUpperCase();
  if (random.int(8) === 0) s += pick(random, ["z", ".", " 1", "-", "\u0660"]);
  if (radix === 16 && random.int(2)) s = pick(random, ["0x", "0X"]) + s;
  return [decorate(random, s), random.int(10) === 0 && radix === 16 ? 0 : radix];
}

// ---------------------------------------------------------------------------------------------

describe("__js_string_to_number", () => {
  it("matches Number(s) on 80 000 random numerals and near-numerals", () => {
    const random = prng(21);
    expectSame("number", Array.from({ length: 80000 }, () => [randomNumeral(random), 0] as Case));
  });

  it("rounds exact halfway points and their neighbours correctly (20 000 doubles)", () => {
    const random = prng(22);
    const cases: Case[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = i < 200 ? 2 ** (-1074 + i) : i < 400 ? 1.7976931348623157e308 / 2 ** (i - 200) : randomDouble(random) || 5e-324;
      for (const s of halfwayStrings(random, x)) cases.push([s, 0]);
    }
    cases.push(["1.7976931348623158e308", 0], ["1.7976931348623157e308", 0], ["179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791", 0], ["2.4703282292062327e-324", 0], ["2.4703282292062328e-324", 0], ["2.470328229206232720882778e-324", 0]);
    expectSame("number", cases);
  });

  it("treats exactly the spec's whitespace as whitespace (every UTF-16 code unit)", () => {
    const cases: Case[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const w = String.fromCharCode(c);
      cases.push([`${w}12${w}`, 0]);
    }
    expectSame("number", cases);
  });

  it("parses the specified examples", () => {
    const cases = ["", "  ", "0x1F", "0o17", "0b101", "Infinity", "-Infinity", "+1e3", ".5", "5.", "1_000", "abc", "-0", " \n\t 42 \u2028"];
    expectSame("number", cases.map((s) => [s, 0] as Case));
    expect(Array.from(run("number", [["", 0], ["0x1F", 0], ["1_000", 0]]))).toEqual([0, 31, NaN]);
  });

  it("handles very long inputs", () => {
    const random = prng(23);
    const cases: Case[] = [
      ["1" + "0".repeat(100000), 0],
      ["0." + "0".repeat(100000) + "1", 0],
      ["0." + "0".repeat(100000) + "1e100010", 0],
      ["1." + "0".repeat(5000) + "1", 0],
      ["9".repeat(5000) + "e-4700", 0],
      [digits(random, 20000) + "e-19700", 0],
      ["0x" + "f".repeat(3000), 0],
      ["0b1" + "0".repeat(1023), 0],
      ["0b1" + "0".repeat(1024), 0],
      ["1e" + "9".repeat(50), 0],
      ["1e-" + "9".repeat(50), 0],
      ["0e" + "9".repeat(50), 0],
      ["1".repeat(309), 0],
      ["1".repeat(310), 0],
    ];
    // A halfway point followed by thousands of zeros and then a sticky 1 (or not).
    const half = halfwayStrings(random, 1.5)[0]!;
    cases.push([half.replace("e", "0".repeat(3000) + "e"), 0], [half.replace("e", "0".repeat(3000) + "1e"), 0]);
    expectSame("number", cases);
  });
});

describe("__js_parse_float", () => {
  it("matches parseFloat(s) on 80 000 random numerals and near-numerals", () => {
    const random = prng(24);
    expectSame("parseFloat", Array.from({ length: 80000 }, () => [randomNumeral(random), 0] as Case));
  });

  it("matches parseFloat(s) on halfway points with junk after them", () => {
    const random = prng(25);
    const cases: Case[] = [];
    for (let i = 0; i < 5000; i++) {
      for (const s of halfwayStrings(random, randomDouble(random) || 5e-324)) cases.push([s + pick(random, ["", "x", "e", "e+", ".", "_"]), 0]);
    }
    expectSame("parseFloat", cases);
  });

  it("skips exactly the spec's whitespace (every UTF-16 code unit)", () => {
    const cases: Case[] = [];
    for (let c = 0; c < 0x10000; c++) cases.push([`${String.fromCharCode(c)}1.5`, 0]);
    expectSame("parseFloat", cases);
  });
});

describe("__js_parse_int / __js_parse_int_auto", () => {
  it("matches parseInt(s, radix) on 80 000 random inputs and radixes", () => {
    const random = prng(26);
    expectSame("parseInt", Array.from({ length: 80000 }, () => randomParseIntCase(random)));
  });

  it("matches parseInt(s) on 60 000 random inputs", () => {
    const random = prng(27);
    expectSame("parseIntAuto", Array.from({ length: 60000 }, () => [randomParseIntCase(random)[0], 0] as Case));
  });

  it("matches V8's rounding of long digit strings in every radix", () => {
    const random = prng(28);
    const cases: Case[] = [];
    for (let radix = 2; radix <= 36; radix++) {
      const alphabet = ALPHABET36.slice(0, radix);
      for (let i = 0; i < 300; i++) cases.push([alphabet.slice(1)[random.int(radix - 1)]! + digits(random, 10 + random.int(60), alphabet), radix]);
      cases.push([alphabet[radix - 1]!.repeat(1200), radix], ["1" + "0".repeat(1200), radix]);
    }
    // Decimal halfway points (integers above 2^53) and the 309/310-digit Infinity boundary.
    for (let i = 0; i < 3000; i++) {
      const x = 2 ** (53 + random.int(970)) * (1 + random.float());
      for (const s of halfwayStrings(random, x)) cases.push([s, 10]);
    }
    cases.push(["1".repeat(309), 10], ["1".repeat(310), 10], ["0".repeat(400) + "123", 10]);
    expectSame("parseInt", cases);
  });

  it("skips exactly the spec's whitespace (every UTF-16 code unit)", () => {
    const cases: Case[] = [];
    for (let c = 0; c < 0x10000; c++) cases.push([`${String.fromCharCode(c)}-7`, 0]);
    expectSame("parseInt", cases);
  });

  it("handles signs, prefixes and zeros as V8 does", () => {
    const inputs = ["-0", "0", "+0", "-", "+", "", "  ", "0x", "-0x", "0x10", "-0x10", "0X1f", "0xg", "0x0", "00x10", "010", "0b11", "0o7", "-00", "0g", "-0g", "12.9", "1e21", "  -  1", "Infinity", "\u00a0-12px"];
    const cases: Case[] = [];
    for (const s of inputs) for (const radix of [0, 10, 16, 2, 8, 36, 1, 37]) cases.push([s, radix]);
    expectSame("parseInt", cases);
    expectSame("parseIntAuto", inputs.map((s) => [s, 0] as Case));
  });
});
