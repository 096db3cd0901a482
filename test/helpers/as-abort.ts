// Aborting cases for the runtime differential tests (arrays, collections, strings): the module's
// `abortCase(k)` export runs case k, which should abort; each case gets a fresh instance, since an
// abort leaves the instance's shadow stack unwound.
import { compileAs, type AsModule } from "./as-harness.js";

export interface AbortingModule {
  mod: AsModule;
  /** Runs abortCase(k) in a fresh instance; the abort message, "(trap: …)", or `noAbort`. */
  abortMessage(k: number): string;
}

/** Compiles SOURCE (with -O2) and keeps the WebAssembly.Module to instantiate per aborting case. */
export async function compileWithAborts(source: string, noAbort = "(no abort)"): Promise<AbortingModule> {
  let wasmModule: WebAssembly.Module | undefined;
  const wasm = WebAssembly as { compile: typeof WebAssembly.compile };
  const compile = wasm.compile;
  wasm.compile = async (bytes) => (wasmModule = await compile(bytes));
  let mod: AsModule;
  try {
    mod = await compileAs(source, { optimize: "-O2" });
  } finally {
    wasm.compile = compile;
  }
  const compiled = wasmModule!;
  return {
    mod,
    abortMessage(k: number): string {
      let memory: WebAssembly.Memory | undefined;
      const readString = (ptr: number) => {
        const len = new Uint32Array(memory!.buffer, ptr - 4, 1)[0]! >>> 1;
        return String.fromCharCode(...new Uint16Array(memory!.buffer, ptr, len));
      };
      const instance = new WebAssembly.Instance(compiled, {
        env: {
          abort: (msg: number) => {
            throw new Error(`ABORT:${readString(msg)}`);
          },
          seed: () => 1,
          trace: () => {},
        },
      });
      const exports = instance.exports as any;
      memory = exports.memory;
      exports._start?.();
      try {
        exports.abortCase(k);
      } catch (e) {
        const text = String((e as Error).message);
        return text.startsWith("ABORT:") ? text.slice(6) : `(trap: ${text})`;
      }
      return noAbort;
    },
  };
}

/** V8's `Name: message` for a throwing call. */
export function v8Error(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return "(no exception)";
}

/** SameValue for numbers (NaN equals NaN, -0 differs from 0) and strings. */
export function same(a: number | string | undefined, b: number | string | undefined): boolean {
  return Object.is(a, b) || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}
