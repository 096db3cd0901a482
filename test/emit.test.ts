import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";
import { describe, expect, it } from "vitest";
import { check } from "../src/check.js";
import { emit, numberLiteral, stringLiteral } from "../src/emit.js";
import { parse } from "../src/parse.js";

const runtimeDir = join(dirname(fileURLToPath(import.meta.url)), "..", "host-bindings", "assembly");

function emitSource(source: string, allowRandom = false): string {
  const parsed = parse(source);
  expect(parsed.diagnostics).toEqual([]);
  const checked = check(parsed.ast!, { allowRandom });
  expect(checked.diagnostics).toEqual([]);
  const emitted = emit(checked.program!);
  expect(emitted.diagnostics).toEqual([]);
  return emitted.source;
}

/** Compiles an emitted entry file with asc, serving host-bindings/assembly/ under `stelp/`. */
async function compileEntry(entry: string): Promise<{ wasm: Uint8Array | null; errors: string }> {
  const files = new Map<string, string>();
  for (const f of readdirSync(runtimeDir)) if (f.endsWith(".ts")) files.set(`stelp/${f}`, readFileSync(join(runtimeDir, f), "utf8"));
  files.set("entry.ts", entry);
  let wasm: Uint8Array | null = null;
  let errors = "";
  const norm = (n: string) => n.replace(/^\.\//, "").replace(/\\/g, "/");
  const result = await asc.main(
    [
      "entry.ts",
      "--runtime",
      "incremental",
      "--exportStart",
      "_start",
      "-O0",
      "--use",
      "abort=stelp/io/__stelp_abort",
      "--use",
      "seed=stelp/io/__stelp_random_seed",
      "--outFile",
      "entry.wasm",
    ],
    {
      readFile: (name: string) => files.get(norm(name)) ?? null,
      writeFile: (name: string, contents: Uint8Array | string) => {
        if (name.endsWith(".wasm") && typeof contents !== "string") wasm = contents;
      },
      listFiles: (dir: string) => {
        const d = norm(dir);
        return [...files.keys()].filter((k) => dirname(k) === d).map((k) => k.slice(d.length + 1));
      },
      stdout: { write: () => true } as never,
      stderr: { write: (s: string | Uint8Array) => ((errors += String(s)), true) } as never,
    },
  );
  if (result.error) errors += `\n${result.error.message}`;
  return { wasm, errors };
}

/**
 * Runs an (uninstrumented) module with a minimal host: WASI fd_write captures output, and the
 * `stelp.*` intrinsics that the instrument stage would replace get trivial stand-ins.
 */
async function runModule(wasm: Uint8Array): Promise<{ stdout: string; stderr: string; trailer: string | null }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let memory: WebAssembly.Memory | null = null;
  const imports = {
    wasi_snapshot_preview1: {
      fd_write(fd: number, iovs: number, n: number, written: number): number {
        const view = new DataView(memory!.buffer);
        let total = 0;
        for (let i = 0; i < n; i++) {
          const ptr = view.getUint32(iovs + 8 * i, true);
          const len = view.getUint32(iovs + 8 * i + 4, true);
          (fd === 1 ? out : err).push(Buffer.from(new Uint8Array(memory!.buffer, ptr, len).slice()));
          total += len;
        }
        view.setUint32(written, total, true);
        return 0;
      },
    },
    stelp: { fuel_remaining: () => 0n, output_limit: () => 1 << 30, grow_failed: () => 0, seed: () => 0.25 },
  };
  const { instance } = await WebAssembly.instantiate(wasm as Uint8Array<ArrayBuffer>, imports);
  memory = instance.exports.memory as WebAssembly.Memory;
  (instance.exports._start as () => void)();
  const errBytes = Buffer.concat(err);
  const marker = errBytes.indexOf(0xff);
  return {
    stdout: Buffer.concat(out).toString("utf8"),
    stderr: (marker >= 0 ? errBytes.subarray(0, marker) : errBytes).toString("utf8"),
    trailer: marker >= 0 ? errBytes.subarray(marker + 1).toString("latin1") : null,
  };
}

const tmp = mkdtempSync(join(tmpdir(), "stelp-emit-"));
function nodeOutput(source: string): { stdout: string; stderr: string } {
  const file = join(tmp, `snippet-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
  return { stdout: r.stdout, stderr: r.stderr };
}

async function expectSameAsNode(source: string): Promise<void> {
  const entry = emitSource(source);
  const compiled = await compileEntry(entry);
  expect(compiled.errors, entry).toBe("");
  const ran = await runModule(compiled.wasm!);
  const ref = nodeOutput(source);
  expect(ran.stdout).toBe(ref.stdout);
  expect(ran.stderr).toBe(ref.stderr);
  expect(ran.trailer).toMatch(/^STELP 0 /);
}

describe("emit: literals", () => {
  it("numbers are exact f64 literals", () => {
    expect(numberLiteral(1)).toBe("1.0");
    expect(numberLiteral(0.5)).toBe("0.5");
    expect(numberLiteral(1e21)).toBe("1e21");
    expect(numberLiteral(5e-324)).toBe("5e-324");
    expect(numberLiteral(1.7976931348623157e308)).toBe("1.7976931348623157e308");
    expect(numberLiteral(-0)).toBe("(-0.0)");
    expect(numberLiteral(-2)).toBe("(-2.0)");
    expect(numberLiteral(NaN)).toBe("NaN");
    expect(numberLiteral(Infinity)).toBe("Infinity");
    expect(numberLiteral(9007199254740993)).toBe("9007199254740992.0");
    for (const v of [0.1, 123456789.125, 1e-7, 2 ** 70, Math.PI]) expect(Number(numberLiteral(v))).toBe(v);
  });
  it("strings escape everything outside printable ASCII", () => {
    expect(stringLiteral('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(stringLiteral("é\n")).toBe('"\\u00e9\\u000a"');
    expect(stringLiteral("\ud800x")).toBe('"\\ud800x"');
    expect(stringLiteral("😀")).toBe('"\\ud83d\\ude00"');
  });
});

describe("emit: long flat programs", () => {
  it("emits 100 000 top-level statements (no argument-count RangeError mistaken for nesting)", () => {
    const source = "function f(x) { return x; }\n" + "f(1);\n".repeat(100_000) + "console.log(f(2));\n";
    const entry = emitSource(source);
    expect(entry.split("\n").filter((l) => l === "u_f(1.0);").length).toBe(100_000);
  });
});

describe("emit: entry file shape", () => {
  const source = emitSource("let x = 1;\nfunction i32(load) { return load / 2; }\nconsole.log(i32(x));");
  const lines = source.trimEnd().split("\n");
  it("starts with a comment, the runtime import and the __stelp_exit export", () => {
    expect(lines[0]).toMatch(/^\/\/ /);
    expect(lines[1]).toMatch(/^import \{ .*__stelp_finish.* \} from "\.\/stelp\/index";$/);
    expect(lines[2]).toBe('export { __stelp_exit } from "./stelp/index";');
  });
  it("ends with __stelp_finish()", () => {
    expect(lines[lines.length - 1]).toBe("__stelp_finish();");
  });
  it("prefixes user names, annotates types and emits f64 literals", () => {
    expect(source).toContain("function u_i32(u_load: f64): f64 {");
    expect(source).toContain("let u_x: f64 = 1.0;");
    expect(source).toContain("u_load / 2.0");
    expect(source).toMatch(/\/\/ line 3/);
  });
  it("imports only the helpers it uses", () => {
    expect(lines[1]).toContain("__js_inspect_num");
    expect(lines[1]).not.toContain("__js_math_");
  });
  it("never throws on a malformed typed program", () => {
    for (const bad of [null, {}, { functions: [{}], body: [], globals: [], usesRandom: false }]) {
      const r = emit(bad as never);
      expect(r.source).toBe("");
      expect(r.diagnostics[0]).toMatchObject({ rule: "internal-error", stage: "emit" });
    }
  });
  it("non-void functions whose end is unreachable get an explicit unreachable", () => {
    const s = emitSource("function f() { while (1) { return 'a'; } }\nconsole.log(f());");
    expect(s).toContain("return unreachable();");
  });
});

describe("emit: compiles with asc and prints what node prints", () => {
  it("arithmetic, numbers and console formatting", async () => {
    await expectSameAsNode(`let a = 7, b = 2;
console.log(a + b, a - b, a * b, a / b, a % b, -a % b, a ** b, 2 ** -1, 0.1 + 0.2);
console.log(-0, 0 * -1, 1 / 0, -1 / 0, 0 / 0, 1e21, 1e-7, 123456789012345680000, 2 ** 53 + 1);
console.log(5 % -3, -5 % 3, 5.5 % 2, (-8) ** (1 / 3), 1 ** Infinity);
console.log(7 & 3, 7 | 8, 7 ^ 1, ~7, 1 << 31, 1 << 32, -7 >> 1, -7 >>> 28, -1 >>> 0, 2 ** 31 | 0, 2 ** 32 + 5 | 0);
let x = 7;
x **= 2; x %= 10; x <<= 3; x >>>= 1; x |= 5; x ^= 3; x &= 0xff; x -= 0.5; x *= 3; x /= 4;
console.log(x, x++, ++x, x--, --x, x);
console.log();
console.error("err", true, false, -0);
`);
  });
  it("strings, templates, comparisons and truthiness", async () => {
    await expectSameAsNode(`let s = "";
for (let k = 0; k < 5; k++) { s += k; }
s += true; s += 0.5;
const emoji = "héllo 😀 wörld \\u{1F600} \\ud800!";
console.log(s, s.length, emoji, emoji.length, \`t=\${s.length} \${false} \${-0} \${1e21}\`, \`\`);
console.log("abc" < "abd", "B" < "a", "10" < "9", "" < "a", "é" > "z", "a" === "a", "a" !== "b");
let z = 0 || 5, w = "" || "def", q = "a" && "b", n = NaN || -1;
let cnt = 0;
function side(v) { cnt++; return v; }
let r1 = side(0) && side(1), r2 = side(2) || side(3), r3 = (side(1) - 1) || 9;
console.log(z, w, q, n, r1, r2, r3, cnt, !0, !"", !"x", !NaN);
let bb = true; bb &&= false; bb ||= true;
let nn = 0; nn ||= 5; nn &&= 6;
let ss = ""; ss ||= "filled"; ss &&= ss + "!";
console.log(bb, nn, ss, 3 > 2 ? "yes" : "no", "" ? 1 : 2);
if ("x") console.log("truthy string");
while (0) { console.log("never"); }
`);
  });
  it("console.log format directives", async () => {
    await expectSameAsNode(`const who = "Bob";
console.log("%s is %d years and %i%%", who, 42.5, 42.5, "extra", true);
console.log("%c styled %s", "color: red", "txt", "%o", 5);
console.log("100%", 5, "%%");
console.log("%j %j %j %j", "q\\"uote\\n\\u0001", 1 / 0, true, 2.5);
console.log("%i %i %i %f %f %d %d", -0.5, 1e21, 5e-7, -0, true, false, -0);
console.log("%o %O %s", 1, true, -0);
console.log(who, "%s", 3);
console.log(who + "%s %d", "a", 1, 2);
console.log(1, "%s", "x");
console.log("%s");
console.log("%", 1);
console.log("a%", 1);
console.log("%z %s", 1);
console.log("%d %i %f %d %s", "42", " 0x1F ", "2.5e3xyz", "abc", -0);
console.log(who + " %d/%i/%f/%j", "-0", "12.9px", ".5", "tab\tq");
`);
  });
  it("functions, recursion, hoisting, shadowing and nested functions", async () => {
    await expectSameAsNode(`function isEven(n) { if (n === 0) return true; return isOdd(n - 1); }
function isOdd(n) { if (n === 0) return false; return isEven(n - 1); }
console.log(isEven(10), isOdd(7), fib(20));
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
let x = 1;
{
  let x = "inner";
  console.log(x);
  { let x = true; console.log(x); }
}
console.log(x);
function outer(a) {
  function helper(b) { return b * 2 + G; }
  const sq = (v) => v * v;
  return helper(a) + sq(a);
}
const G = 100;
console.log(outer(3));
function find(limit) { let i = 0; while (true) { i++; if (i * i > limit) return i; } }
function loop2() { for (;;) { return "done"; } }
function loop3(n) { do { n--; if (n < 3) return n; } while (true); }
console.log(find(50), loop2(), loop3(10));
const show = (v) => console.log("v:", v);
show(3);
const greet = (name, loud) => { if (loud) { return name + "!"; } return name; };
console.log(greet("Ann", true), greet("Bo", false));
let t = 0;
for (let i = 0, j = 10; i < j; i++, j--) t += i * j;
let k = 0;
do { k++; if (k > 3) break; } while (true);
for (let i = 0; i < 10; i++) { if (i % 2) continue; t += i; }
console.log(t, k);
`);
  });
  it("comparisons after a bare name are not parsed as type arguments", async () => {
    await expectSameAsNode(`let a = 1, t = 0; let b = true;
console.log(a < (b ? a : ((t = -7.5) ? a : t)), a < (a), a < a, ((a < a) === b) === false, t);
`);
  });
  it("random typed expressions", { timeout: 120_000 }, async () => {
    for (let seed = 1; seed <= 6; seed++) await expectSameAsNode(randomProgram(seed));
  });
  it("Math functions and constants", async () => {
    await expectSameAsNode(`console.log(Math.round(-0.5), Math.round(2.5), Math.sign(-3), Math.trunc(-4.7), Math.floor(-0.5), Math.ceil(-0.5), Math.abs(-0));
console.log(Math.imul(0xffffffff, 5), Math.clz32(1), Math.fround(5.5), Math.fround(0.1), Math.cbrt(27), Math.atan2(1, 1), Math.pow(2, 10));
console.log(Math.max(), Math.min(), Math.max(1, 3, 2), Math.min(4, -0, 0), Math.max(NaN, 1), Math.max(-0), Math.hypot(), Math.hypot(3, 4), Math.hypot(1, 2, 2));
console.log(Math.sqrt(2), Math.exp(1), Math.expm1(1e-10), Math.log(10), Math.log1p(1e-10), Math.log2(8), Math.log10(1000));
console.log(Math.sin(1), Math.cos(1), Math.tan(1), Math.asin(0.5), Math.acos(0.5), Math.atan(1));
console.log(Math.sinh(1), Math.cosh(1), Math.tanh(1), Math.asinh(1), Math.acosh(2), Math.atanh(0.5));
console.log(Math.PI, Math.E, Math.LN2, Math.LN10, Math.LOG2E, Math.LOG10E, Math.SQRT2, Math.SQRT1_2);
`);
  });
  it("Math.random compiles when granted", async () => {
    const entry = emitSource("let r = Math.random();\nconsole.log(r >= 0 && r < 1);", true);
    const compiled = await compileEntry(entry);
    expect(compiled.errors).toBe("");
    const ran = await runModule(compiled.wasm!);
    expect(ran.stdout).toBe("true\n");
  });
  it("user names that are AssemblyScript builtins do not clash", async () => {
    await expectSameAsNode(`function load(memory) { return memory + 1; }
const i32 = (changetype) => changetype * 2;
let unreachable = 3, abort = "a", f64 = true, String = 1;
console.log(load(i32(unreachable)), abort, f64, String);
`);
  });
});

/** A random program of well-typed expressions over numbers, strings and booleans (seeded). */
function randomProgram(seed: number): string {
  let a = seed >>> 0;
  const r = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const NUMS = ["0", "1", "2", "-1", "0.5", "-0", "1e21", "1e-7", "NaN", "Infinity", "2147483648", "4294967295", "0.1", "-7.5", "5e-324"];
  const STRS = ['""', '"a"', '"abc"', '"%s"', '"%d%%"', '"é😀"', '"10"', '"9"', '" 0x1f "'];
  type T = "number" | "string" | "boolean";
  const gen = (type: T, d: number): string => {
    if (d <= 0 || r() < 0.25) {
      if (type === "number") return r() < 0.5 ? pick(["n1", "n2"]) : `(${pick(NUMS)})`;
      if (type === "string") return r() < 0.5 ? "s1" : pick(STRS);
      return r() < 0.5 ? "b1" : pick(["true", "false"]);
    }
    const e = d - 1;
    const any = (): T => pick(["number", "string", "boolean"] as const);
    if (type === "number") {
      switch (Math.floor(r() * 10)) {
        case 0: return `(${gen("number", e)} ${pick(["+", "-", "*", "/", "%", "**"])} ${gen("number", e)})`;
        case 1: return `(${gen("number", e)} ${pick(["&", "|", "^", "<<", ">>", ">>>"])} ${gen("number", e)})`;
        case 2: return `(${pick(["-", "+", "~"])}${gen("number", e)})`;
        case 3: return `Math.${pick(["abs", "floor", "round", "trunc", "sign", "sqrt", "cbrt", "exp", "log", "sin", "fround", "clz32", "expm1", "tanh"])}(${gen("number", e)})`;
        case 4: return `Math.${pick(["max", "min", "pow", "atan2", "imul", "hypot"])}(${gen("number", e)}, ${gen("number", e)})`;
        case 5: return `(${gen("boolean", e)} ? ${gen("number", e)} : ${gen("number", e)})`;
        case 6: return `(${gen("number", e)} ${pick(["&&", "||"])} ${gen("number", e)})`;
        case 7: return `${gen("string", e)}.length`;
        case 8: return `(n1 ${pick(["+=", "-=", "*=", "%=", "&=", ">>>=", "||=", "&&="])} ${gen("number", e)})`;
        default: return pick(["(n2++)", "(++n2)", "(n1--)", `fnum(${gen("number", e)}, ${gen("string", e)})`]);
      }
    }
    if (type === "string") {
      switch (Math.floor(r() * 6)) {
        case 0: return `(${gen("string", e)} + ${gen(any(), e)})`;
        case 1: return `(${gen(pick(["number", "boolean"] as const), e)} + ${gen("string", e)})`;
        case 2: return `\`x\${${gen(any(), e)}}y\${${gen("number", e)}}\``;
        case 3: return `(${gen("boolean", e)} ? ${gen("string", e)} : ${gen("string", e)})`;
        case 4: return `(${gen("string", e)} ${pick(["&&", "||"])} ${gen("string", e)})`;
        default: return r() < 0.5 ? `(s1 += ${gen(any(), e)})` : `fstr(${gen("string", e)}, ${gen("number", e)})`;
      }
    }
    switch (Math.floor(r() * 5)) {
      case 0: return `(${gen("number", e)} ${pick(["<", "<=", ">", ">=", "===", "!==", "==", "!="])} ${gen("number", e)})`;
      case 1: return `(${gen("string", e)} ${pick(["<", "<=", ">", ">=", "===", "!=="])} ${gen("string", e)})`;
      case 2: return `(!${gen(any(), e)})`;
      case 3: return `(${gen("boolean", e)} ${pick(["&&", "||"])} ${gen("boolean", e)})`;
      default: return `(b1 ${pick(["&&=", "||="])} ${gen("boolean", e)})`;
    }
  };
  let prog = `let n1 = 3, n2 = -0.5; let s1 = "q"; let b1 = true;
function fnum(a, s) { if (s.length > 3) return a * 2; let t = 0; for (let i = 0; i < 3; i++) { t += a; } return t; }
function fstr(s, k) { let out = ""; let i = 0; while (i < 2) { out += s; i++; if (k > 100) break; } return out + k; }
`;
  for (let i = 0; i < 12; i++) {
    const args = [gen(pick(["number", "string", "boolean"] as const), 4)];
    if (r() < 0.5) args.push(gen(pick(["number", "string", "boolean"] as const), 3));
    if (r() < 0.3) args.unshift(pick(STRS));
    prog += `console.log(${args.join(", ")});\n`;
  }
  return prog;
}
