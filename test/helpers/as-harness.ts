/**
 * Test harness for the AssemblyScript runtime helpers: compiles a small AS test module with the asc
 * programmatic API, serving host-bindings/assembly/ under the virtual folder `stelp/` (as
 * src/compile.ts does), and instantiates it in Node with a minimal host (`env.abort` throws,
 * `env.seed` is a constant for Math.random; any other import is an error).
 *
 * Test modules paste in AS_PRELUDE, whose f64 input and output buffers let a test pass thousands of
 * values per call instead of paying a call per value:
 *
 *   const mod = await compileAs(`import { __js_math_sin } from "./stelp/math";
 *     ${AS_PRELUDE}
 *     export function run(n: i32): void { for (let i = 0; i < n; i++) writeOutput(i, __js_math_sin(readInput(i))); }`);
 *   mod.setInputs(values);
 *   mod.allocOutputs(values.length);
 *   mod.exports.run(values.length);
 *   const results = mod.readOutputs(values.length);
 *
 * Import only the runtime files a test needs (./stelp/number, ./stelp/math, ./stelp/ops): io.ts
 * imports WASI and the `stelp.*` intrinsics, which this host does not provide.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const runtimeDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "host-bindings", "assembly");

/** AS source to paste into a test module: an f64 input buffer filled from JS and an f64 output buffer read back. */
export const AS_PRELUDE = `
let __test_in = new StaticArray<f64>(0);
let __test_out = new StaticArray<f64>(0);
export function __test_alloc_inputs(n: i32): usize {
  __test_in = new StaticArray<f64>(n);
  return changetype<usize>(__test_in);
}
export function __test_alloc_outputs(n: i32): usize {
  __test_out = new StaticArray<f64>(n);
  return changetype<usize>(__test_out);
}
@inline function readInput(i: i32): f64 { return unchecked(__test_in[i]); }
@inline function writeOutput(i: i32, value: f64): void { unchecked(__test_out[i] = value); }
`;

export interface AsModule {
  exports: Record<string, any>;
  memory: WebAssembly.Memory;
  /** Reads an AS string (UTF-16; its byte length is stored at ptr - 4). */
  readString(ptr: number): string;
  /** Copies `values` into the prelude's input buffer; returns the count. */
  setInputs(values: ArrayLike<number>): number;
  /** Allocates the prelude's output buffer for n values. */
  allocOutputs(n: number): void;
  /** Copies the prelude's output buffer out (call after the AS function filled it). */
  readOutputs(n: number): Float64Array;
}

export interface CompileAsOptions {
  optimize?: "-O0" | "-O1" | "-O2" | "-O3";
  /** Extra asc arguments, e.g. ["--use", "seed=..."] */
  extraArgs?: string[];
}

function runtimeSources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(runtimeDir)) {
    if (name.endsWith(".ts")) files.set(`stelp/${name}`, readFileSync(join(runtimeDir, name), "utf8"));
  }
  return files;
}

/** Compiles `source` (served as main.ts) and instantiates it. Throws with asc's messages on errors. */
export async function compileAs(source: string, options: CompileAsOptions = {}): Promise<AsModule> {
  const sources = runtimeSources();
  const outputs = new Map<string, Uint8Array | string>();
  let stderrText = "";
  const stderr = {
    write(chunk: string | Uint8Array) {
      stderrText += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      return true;
    },
  };
  const argv = [
    "main.ts",
    "--outFile", "main.wasm",
    "--runtime", "incremental",
    "--exportStart", "_start",
    "--exportRuntime",
    options.optimize ?? "-O1",
    "--noColors",
    ...(options.extraArgs ?? []),
  ];
  const result = await asc.main(argv, {
    readFile: (name: string) => (name === "main.ts" ? source : (sources.get(name) ?? null)),
    writeFile: (name: string, contents: Uint8Array | string) => {
      outputs.set(name, contents);
    },
    listFiles: () => [],
    stderr: stderr as any,
    stdout: stderr as any,
  });
  const wasm = outputs.get("main.wasm");
  if (result.error || !(wasm instanceof Uint8Array)) {
    throw new Error(`asc failed: ${result.error?.message ?? "no output"}\n${stderrText}`);
  }

  let memory: WebAssembly.Memory | undefined;
  let outputsPtr = 0;
  const readString = (ptr: number): string => {
    const buffer = memory!.buffer;
    const byteLength = new Uint32Array(buffer, ptr - 4, 1)[0]!;
    const chars = new Uint16Array(buffer, ptr, byteLength >>> 1);
    let text = "";
    for (let i = 0; i < chars.length; i += 8192) {
      text += String.fromCharCode(...chars.subarray(i, i + 8192));
    }
    return text;
  };
  const module = await WebAssembly.compile(new Uint8Array(wasm)); // a copy backed by a plain ArrayBuffer
  const host: Record<string, Record<string, WebAssembly.ImportValue>> = {
    env: {
      abort: (msg: number, file: number, line: number, column: number) => {
        const text = msg ? readString(msg) : "";
        const where = file ? readString(file) : "";
        throw new Error(`AS abort: ${text} at ${where}:${line}:${column}`);
      },
      seed: () => 0x12345678,
      trace: () => {},
    },
  };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (!(imp.module in host) || !(imp.name in host[imp.module]!)) {
      throw new Error(`test module imports ${imp.module}.${imp.name}, which the harness does not provide`);
    }
  }
  const instance = await WebAssembly.instantiate(module, host);
  const exports = instance.exports as Record<string, any>;
  memory = exports.memory as WebAssembly.Memory;
  if (typeof exports._start === "function") exports._start();

  return {
    exports,
    memory,
    readString,
    setInputs(values) {
      const n = values.length;
      const ptr = exports.__test_alloc_inputs(n) as number;
      new Float64Array(memory!.buffer, ptr, n).set(values);
      return n;
    },
    allocOutputs(n) {
      outputsPtr = exports.__test_alloc_outputs(n) as number;
    },
    readOutputs(n) {
      return new Float64Array(memory!.buffer, outputsPtr, n).slice();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Deterministic inputs for differential tests (the same values on every run, so a failure reproduces).

/** xorshift64 PRNG: `u64()` gives raw 64-bit patterns, `float()` a double in [0, 1). */
export function prng(seed: number) {
  const mask = (1n << 64n) - 1n;
  let state = BigInt(seed) | 1n;
  return {
    u64(): bigint {
      state ^= (state << 13n) & mask;
      state ^= state >> 7n;
      state ^= (state << 17n) & mask;
      return state;
    },
    float(): number {
      return Number(this.u64() >> 11n) / 2 ** 53;
    },
    int(n: number): number {
      return Math.floor(this.float() * n);
    },
  };
}

const bitsView = new DataView(new ArrayBuffer(8));

export function f64FromBits(bits: bigint): number {
  bitsView.setBigUint64(0, bits);
  return bitsView.getFloat64(0);
}

export function f64Bits(x: number): bigint {
  bitsView.setFloat64(0, x);
  return bitsView.getBigUint64(0);
}

/** The double `steps` units in the last place away from x (by bit pattern). */
export function nudge(x: number, steps: number): number {
  return f64FromBits(f64Bits(x) + BigInt(steps));
}

/** Same JavaScript number: bit-identical, with every NaN equal to every other NaN. */
export function sameNumber(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Renders a number so that -0 and the last bit are visible in failure messages. */
export function showNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN"; // JavaScript cannot observe NaN payloads or signs
  return Object.is(x, -0) ? "-0" : `${x} (0x${f64Bits(x).toString(16).padStart(16, "0")})`;
}
