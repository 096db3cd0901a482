// The batched-call protocol shared by the runtime differential tests (arrays, collections): each
// case is a stream of numbers and strings read in order by both the AssemblyScript side and the V8
// side; each side writes a stream of results, which must agree.
import { AS_PRELUDE, type AsModule } from "./as-harness.js";

export const PACK_PRELUDE = `
${AS_PRELUDE}
let __strs = new Array<string>(0);
let __strAt = 0;
let __numAt = 0;
let __outNums = new Array<f64>(0);
let __outStrs = new Array<string>(0);
export function __load(packed: string, nStrs: i32): void {
  __strs = new Array<string>(nStrs);
  let at = 0;
  for (let i = 0; i < nStrs; i++) {
    const len = <i32>readInput(i);
    unchecked((__strs[i] = packed.substring(at, at + len)));
    at += len;
  }
  __strAt = 0;
  __numAt = nStrs;
  __outNums = new Array<f64>(0);
  __outStrs = new Array<string>(0);
}
function nextStr(): string { return unchecked(__strs[__strAt++]); }
function nextNum(): f64 { return readInput(__numAt++); }
function nextInt(): i32 { return <i32>readInput(__numAt++); }
function nextArr(): Array<f64> { const n = nextInt(); const a = new Array<f64>(n); for (let i = 0; i < n; i++) a[i] = nextNum(); return a; }
function nextStrArr(): Array<string> { const n = nextInt(); const a = new Array<string>(n); for (let i = 0; i < n; i++) a[i] = nextStr(); return a; }
function putNum(x: f64): void { __outNums.push(x); }
function putStr(s: string): void { __outStrs.push(s); }
function putArr(a: Array<f64>): void { putNum(<f64>a.length); for (let i = 0; i < a.length; i++) putNum(a[i]); }
function putStrArr(a: Array<string>): void { putNum(<f64>a.length); for (let i = 0; i < a.length; i++) putStr(a[i]); }
export function __outStrCount(): i32 { return __outStrs.length; }
export function __outNumCount(): i32 { return __outNums.length; }
export function __flush(): string {
  const n = __outStrs.length;
  for (let i = 0; i < n; i++) writeOutput(i, <f64>unchecked(__outStrs[i]).length);
  for (let j = 0; j < __outNums.length; j++) writeOutput(n + j, unchecked(__outNums[j]));
  return __outStrs.join("");
}
`;

/** One side's stream of numbers and strings. */
export class Stream {
  nums: number[] = [];
  strs: string[] = [];
  num(x: number) {
    this.nums.push(x);
  }
  str(s: string) {
    this.strs.push(s);
  }
  arr(a: number[]) {
    this.num(a.length);
    for (const x of a) this.num(x);
  }
  strArr(a: string[]) {
    this.num(a.length);
    for (const s of a) this.str(s);
  }
}

/** Reads a Stream back in order (the JavaScript side of a case). */
export class Reader {
  private n = 0;
  private s = 0;
  constructor(private stream: Stream) {}
  num() {
    return this.stream.nums[this.n++]!;
  }
  str() {
    return this.stream.strs[this.s++]!;
  }
  arr() {
    const len = this.num();
    const a: number[] = [];
    for (let i = 0; i < len; i++) a.push(this.num());
    return a;
  }
  strArr() {
    const len = this.num();
    const a: string[] = [];
    for (let i = 0; i < len; i++) a.push(this.str());
    return a;
  }
}

export function writeString(mod: AsModule, s: string): number {
  const ptr = mod.exports.__new(s.length * 2, 2) as number; // class id 2: string
  const units = new Uint16Array(mod.memory.buffer, ptr, s.length);
  for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
  return ptr;
}

/** Runs `run(op, count)` on the input stream; returns the module's output stream. */
export function callBatch(mod: AsModule, op: number, count: number, input: Stream): Stream {
  mod.setInputs([...input.strs.map((s) => s.length), ...input.nums]);
  const ptr = writeString(mod, input.strs.join(""));
  mod.exports.__pin(ptr);
  mod.exports.__load(ptr, input.strs.length);
  mod.exports.__unpin(ptr);
  mod.exports.run(op, count);
  const nS = mod.exports.__outStrCount() as number;
  const nN = mod.exports.__outNumCount() as number;
  mod.allocOutputs(nS + nN);
  const joined = mod.readString(mod.exports.__flush());
  const values = mod.readOutputs(nS + nN);
  const out = new Stream();
  let at = 0;
  for (let i = 0; i < nS; i++) {
    out.strs.push(joined.slice(at, at + values[i]!));
    at += values[i]!;
  }
  out.nums = Array.from(values.subarray(nS));
  return out;
}

// ---------------------------------------------------------------------------------------------
