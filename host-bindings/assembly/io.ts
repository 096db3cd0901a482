// stelp runtime: output and the exit protocol (AssemblyScript).
//
// Every byte a snippet writes goes through this file: it is buffered here, capped at the policy's
// output limit (the instrument stage bakes the limit in), and written with WASI fd_write to fd 1 or 2.
// Because the cap is enforced inside the module, a flood ends at the same byte and the same fuel on
// every engine.
//
// The exit protocol: when the run ends - normally, or because a bound or a trap stopped it - the
// module writes one trailer record to fd 2:  0xFF "STELP" ' ' cause ' ' fuelRemaining '\n'.
// 0xFF never occurs in UTF-8, and snippet output is always UTF-8 encoded by this file, so a snippet
// cannot forge a trailer. The engines parse it to learn the cause and the fuel left.
//
// Functions whose names start with __stelp_ are exempt from fuel and depth instrumentation (so the
// exit path can always run); they must not allocate, because they also run after memory ran out.

// WASI preview1: the only two imports a stelp module may have by default.
@external("wasi_snapshot_preview1", "fd_write")
declare function __stelp_fd_write(fd: u32, iovs: usize, iovsLen: u32, nwritten: usize): u16;

// Intrinsics: imports from module "stelp" that the instrument stage replaces with code, so they
// never reach an engine (the import audit fails the build if one survives).
@external("stelp", "fuel_remaining")
declare function __stelp_fuel_remaining(): i64;
@external("stelp", "output_limit")
declare function __stelp_output_limit(): i32;
@external("stelp", "grow_failed")
declare function __stelp_grow_failed(): i32;
@external("stelp", "seed")
declare function __stelp_seed(): f64;

// Exit causes, shared with src/instrument.ts and src/engines/trailer.ts.
export const CAUSE_OK: i32 = 0;
export const CAUSE_FUEL: i32 = 1;
export const CAUSE_DEPTH: i32 = 2;
export const CAUSE_MEMORY: i32 = 3;
export const CAUSE_OUTPUT: i32 = 4;
export const CAUSE_TRAP: i32 = 5;
export const CAUSE_ABORT: i32 = 6;
/** A host tool's per-run limit (calls, argument or result bytes) was reached: see tools.ts. */
export const CAUSE_TOOL: i32 = 7;

const BUFFER_SIZE: i32 = 4096;
// Static memory: usable after the heap is exhausted.
const outBuffer: usize = memory.data(BUFFER_SIZE);
const errBuffer: usize = memory.data(BUFFER_SIZE);
// Separate areas: the iovec must not overlap the bytes it points at.
const iovArea: usize = memory.data(16);
const trailerArea: usize = memory.data(64);
let outUsed: i32 = 0;
let errUsed: i32 = 0;
let totalWritten: i32 = 0;
let exiting: bool = false;

function __stelp_write_raw(fd: u32, ptr: usize, len: i32): void {
  if (len <= 0) return;
  const iov = iovArea;
  store<u32>(iov, <u32>ptr);
  store<u32>(iov, <u32>len, 4);
  __stelp_fd_write(fd, iov, 1, iov + 8);
}

function __stelp_flush(): void {
  __stelp_write_raw(1, outBuffer, outUsed);
  outUsed = 0;
  __stelp_write_raw(2, errBuffer, errUsed);
  errUsed = 0;
}

/** Appends one byte to fd 1 or 2, enforcing the output cap (a flood ends at the same byte everywhere). */
@inline
function appendByte(fd: i32, byte: u8): void {
  if (totalWritten >= __stelp_output_limit()) __stelp_exit(CAUSE_OUTPUT);
  if (fd == 1) {
    if (outUsed == BUFFER_SIZE) __stelp_flush();
    store<u8>(outBuffer + <usize>outUsed, byte);
    outUsed++;
  } else {
    if (errUsed == BUFFER_SIZE) __stelp_flush();
    store<u8>(errBuffer + <usize>errUsed, byte);
    errUsed++;
  }
  totalWritten++;
}

/**
 * Writes a string, UTF-8 encoded straight into the output buffer (no allocation, so printing works
 * even when the heap is exhausted), followed by a newline. Lone surrogates become U+FFFD, as Node
 * prints them.
 */
export function __stelp_write_line(fd: i32, text: string): void {
  writeUtf16Line(fd, changetype<usize>(text), text.length);
}

/** The body of __stelp_write_line on a raw UTF-16 pointer (no managed locals: see __stelp_abort). */
function writeUtf16Line(fd: i32, base: usize, length: i32): void {
  // Keep stdout and stderr in program order relative to each other.
  if (fd == 1 && errUsed > 0) __stelp_flush();
  if (fd == 2 && outUsed > 0) __stelp_flush();
  for (let i = 0; i < length; i++) {
    let code = <u32>load<u16>(base + (<usize>i << 1));
    if (code < 0x80) {
      appendByte(fd, <u8>code);
      continue;
    }
    if (code < 0x800) {
      appendByte(fd, <u8>(0xc0 | (code >> 6)));
      appendByte(fd, <u8>(0x80 | (code & 0x3f)));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      let paired = false;
      if (code <= 0xdbff && i + 1 < length) {
        const next = <u32>load<u16>(base + (<usize>(i + 1) << 1));
        if (next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          i++;
          paired = true;
        }
      }
      if (!paired) code = 0xfffd;
    }
    if (code < 0x10000) {
      appendByte(fd, <u8>(0xe0 | (code >> 12)));
      appendByte(fd, <u8>(0x80 | ((code >> 6) & 0x3f)));
      appendByte(fd, <u8>(0x80 | (code & 0x3f)));
    } else {
      appendByte(fd, <u8>(0xf0 | (code >> 18)));
      appendByte(fd, <u8>(0x80 | ((code >> 12) & 0x3f)));
      appendByte(fd, <u8>(0x80 | ((code >> 6) & 0x3f)));
      appendByte(fd, <u8>(0x80 | (code & 0x3f)));
    }
  }
  appendByte(fd, 10);
}

const errorPrefix: usize = memory.data<u8>([0x45, 0x72, 0x72, 0x6f, 0x72, 0x3a, 0x20]); // "Error: "

export function __stelp_log_out(text: string): void {
  __stelp_write_line(1, text);
}

export function __stelp_log_err(text: string): void {
  __stelp_write_line(2, text);
}

/** Writes the decimal digits of a non-negative value at `at`, returns the end offset. */
function __stelp_put_digits(value: u64, at: usize): usize {
  let digits: i32 = 1;
  let t = value;
  while (t >= 10) {
    t /= 10;
    digits++;
  }
  let end = at + <usize>digits;
  let p = end;
  do {
    p--;
    store<u8>(p, <u8>(48 + <i32>(value % 10)));
    value /= 10;
  } while (value != 0);
  return end;
}

/**
 * Ends the run: flushes output, writes the trailer, and traps unless the cause is CAUSE_OK.
 * Called by the instrument stage's fuel and depth checks, by the memory.grow wrapper's trap path,
 * by abort, and by the snippet's normal end (__stelp_finish).
 */
export function __stelp_exit(cause: i32): void {
  if (!exiting) {
    exiting = true;
    if (cause == CAUSE_TRAP && __stelp_grow_failed() != 0) cause = CAUSE_MEMORY;
    __stelp_flush();
    let fuel = __stelp_fuel_remaining();
    let negative = fuel < 0;
    if (negative) fuel = -fuel;
    let p = trailerArea;
    store<u8>(p, 0xff);
    store<u8>(p + 1, 0x53); // S
    store<u8>(p + 2, 0x54); // T
    store<u8>(p + 3, 0x45); // E
    store<u8>(p + 4, 0x4c); // L
    store<u8>(p + 5, 0x50); // P
    store<u8>(p + 6, 0x20);
    p = __stelp_put_digits(<u64>cause, p + 7);
    store<u8>(p, 0x20);
    p++;
    if (negative) {
      store<u8>(p, 0x2d);
      p++;
    }
    p = __stelp_put_digits(<u64>fuel, p);
    store<u8>(p, 10);
    p++;
    __stelp_write_raw(2, trailerArea, <i32>(p - trailerArea));
  }
  if (cause != CAUSE_OK) unreachable();
}

/** Called as the last statement of every emitted snippet. */
export function __stelp_finish(): void {
  __stelp_exit(CAUSE_OK);
}

/**
 * The AssemblyScript runtime's abort (bounds checks, allocation failures, failed assertions), routed
 * here by asconfig.json's `use` alias so that it never becomes an `env.abort` import.
 */
export function __stelp_abort(message: string | null = null, fileName: string | null = null, line: u32 = 0, column: u32 = 0): void {
  // asc compiles the aliased abort after its shadow-stack lowering, so nothing reachable from here
  // may hold a managed reference in a local (it would need the lowering): raw pointers only. It must
  // not allocate either, because allocation may be what failed.
  const messagePtr = changetype<usize>(message);
  // Two of the runtime's aborts are bounds, not runtime errors, and end with the bound's status at
  // the same point on every engine: asc's shadow-stack check ("stack overflow": deep recursion under
  // a policy whose callDepth outgrows the shadow stack) and an allocation larger than any 32-bit
  // memory ("Allocation too large": from asc's allocator, and from stelp's array.ts).
  if (messagePtr != 0 && abortMessageIs(messagePtr, changetype<usize>("stack overflow"))) __stelp_exit(CAUSE_DEPTH);
  if (messagePtr != 0 && abortMessageIs(messagePtr, changetype<usize>("Allocation too large"))) __stelp_exit(CAUSE_MEMORY);
  if (!exiting && messagePtr != 0) {
    // The emitter's and the runtime's own JavaScript errors (file name "stelp") are already whole
    // lines as Node words them (`Uncaught Error: boom`, `TypeError: Cannot read properties of
    // undefined (reading 'x')`); asc's internal aborts get the "Error: " prefix.
    const fileNamePtr = changetype<usize>(fileName);
    const ownLine = fileNamePtr != 0 && abortMessageIs(fileNamePtr, changetype<usize>("stelp"));
    if (!ownLine) for (let i: usize = 0; i < 7; i++) appendByte(2, load<u8>(errorPrefix + i));
    // An AssemblyScript object's byte length sits in its header, 4 bytes before the data.
    writeUtf16Line(2, messagePtr, <i32>(load<u32>(messagePtr - 4) >>> 1));
  }
  __stelp_exit(CAUSE_ABORT);
}

/** Whether two AS strings are equal (raw loads only: see __stelp_abort). */
function abortMessageIs(messagePtr: usize, expected: usize): bool {
  const bytes = load<u32>(expected - 4);
  if (load<u32>(messagePtr - 4) != bytes) return false;
  for (let i: usize = 0; i < <usize>bytes; i += 2) {
    if (load<u16>(messagePtr + i) != load<u16>(expected + i)) return false;
  }
  return true;
}

/** Math.random's seed, routed here by asconfig.json; the instrument stage bakes in the policy's seed. */
export function __stelp_random_seed(): f64 {
  return __stelp_seed();
}

/**
 * AssemblyScript's own `console` and `trace`, routed here by asconfig.json's `use` aliases: stelp
 * never emits them, but if library code reaches them they must write through the capped buffer
 * instead of importing more of WASI (or `env.trace`).
 */
export namespace __stelp_console {
  export function log(message: string = ""): void {
    __stelp_write_line(1, message);
  }
  export function info(message: string = ""): void {
    __stelp_write_line(1, message);
  }
  export function debug(message: string = ""): void {
    __stelp_write_line(1, message);
  }
  export function warn(message: string = ""): void {
    __stelp_write_line(2, message);
  }
  export function error(message: string = ""): void {
    __stelp_write_line(2, message);
  }
}

export function __stelp_trace(message: string, n: i32 = 0, a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0, a4: f64 = 0): void {
  __stelp_write_line(2, "trace: " + message);
}
