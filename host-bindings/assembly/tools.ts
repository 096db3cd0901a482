// Host tools, the module's half (the host's half and the encoding are described in src/tools.ts).
// The emitter writes one function per tool the snippet calls: it encodes the arguments with a
// __ToolWriter, calls the tool's import, and decodes the reply that __tool_invoke fetches.
import { CAUSE_TOOL, __stelp_exit, __stelp_write_line } from "./io";

/** Copies the reply of the last tool call into the module's memory (it has the length the call returned). */
@external("stelp_tools", "__result")
declare function __stelp_tool_result(ptr: usize): void;

const REPLY_OK: u8 = 0;
const REPLY_ERROR: u8 = 1;
const REPLY_LIMIT: u8 = 2;

/** A growable byte buffer of encoded arguments. */
export class __ToolWriter {
  buffer: ArrayBuffer = new ArrayBuffer(64);
  length: i32 = 0;

  /** Room for n more bytes; returns where they go (valid until the next reserve). */
  private reserve(n: usize): usize {
    const at = <usize>this.length;
    const needed = at + n;
    if (needed > <usize>this.buffer.byteLength) {
      let capacity = <usize>this.buffer.byteLength * 2;
      if (capacity < needed) capacity = needed;
      // ArrayBuffer's own maximum (1 GiB) aborts with "Allocation too large": the memory bound.
      const grown = new ArrayBuffer(<i32>min(capacity, <usize>0x7fffffff));
      memory.copy(changetype<usize>(grown), changetype<usize>(this.buffer), at);
      this.buffer = grown;
    }
    this.length = <i32>needed;
    return changetype<usize>(this.buffer) + at;
  }

  dataStart(): usize {
    return changetype<usize>(this.buffer);
  }

  num(x: f64): void {
    store<f64>(this.reserve(8), x);
  }

  bool(b: bool): void {
    store<u8>(this.reserve(1), b ? 1 : 0);
  }

  count(n: i32): void {
    store<u32>(this.reserve(4), <u32>n);
  }

  str(s: string): void {
    const units = s.length;
    this.count(units);
    const bytes = <usize>units << 1;
    memory.copy(this.reserve(bytes), changetype<usize>(s), bytes);
  }
}

/** Reads a reply; the host wrote it in the encoding, so reads are checked against its length only. */
export class __ToolReader {
  constructor(
    public buffer: ArrayBuffer,
    public at: i32,
  ) {}

  private take(n: i32): usize {
    const at = this.at;
    if (n < 0 || at + n > this.buffer.byteLength) abort("malformed tool reply", "stelp", 0, 0);
    this.at = at + n;
    return changetype<usize>(this.buffer) + <usize>at;
  }

  num(): f64 {
    return load<f64>(this.take(8));
  }

  bool(): bool {
    return load<u8>(this.take(1)) != 0;
  }

  count(): i32 {
    return <i32>load<u32>(this.take(4));
  }

  str(): string {
    const units = this.count();
    const from = this.take(units << 1);
    return String.UTF16.decodeUnsafe(from, <usize>units << 1);
  }
}

let errorName: string = "";
let errorMessage: string = "";

/**
 * Fetches the reply of the tool call that just returned `length`. A result comes back as a reader;
 * an error (the tool threw) comes back as null, with its name and message kept for the caller, which
 * throws it in the snippet; a limit ends the run with CAUSE_TOOL after the host's message.
 */
export function __tool_invoke(length: i32): __ToolReader | null {
  const buffer = new ArrayBuffer(length);
  __stelp_tool_result(changetype<usize>(buffer));
  const reader = new __ToolReader(buffer, 1);
  const kind = length > 0 ? load<u8>(changetype<usize>(buffer)) : 255;
  if (kind == REPLY_OK) return reader;
  if (kind == REPLY_LIMIT) {
    __stelp_write_line(2, reader.str());
    __stelp_exit(CAUSE_TOOL);
  }
  if (kind != REPLY_ERROR) abort("malformed tool reply", "stelp", 0, 0);
  // An error: a count (2), then the name and the message.
  reader.count();
  errorName = reader.str();
  errorMessage = reader.str();
  return null;
}

/** The name of the error the last failed tool call threw (`Error`, `TypeError`, …). */
export function __tool_error_name(): string {
  return errorName;
}

/** The message of the error the last failed tool call threw. */
export function __tool_error_message(): string {
  return errorMessage;
}

/** A failed tool call in a snippet without try: it stops like an uncaught exception. */
export function __tool_uncaught(): void {
  abort("Uncaught " + (errorMessage.length == 0 ? errorName : errorName + ": " + errorMessage), "stelp", 0, 0);
}
