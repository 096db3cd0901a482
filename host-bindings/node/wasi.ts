/**
 * The approved imports, implemented for the node engine: a WASI preview1 subset of our own. Only
 * fd_write (to fds 1 and 2, captured in memory and capped) and proc_exit exist; a module importing
 * anything else fails to instantiate, which the import audit already guarantees never happens.
 */
const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_FAULT = 21;

/** Thrown by proc_exit to unwind out of the module. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
  }
}

export interface CapturedOutput {
  stdout: Buffer[];
  stderr: Buffer[];
  /** Bytes captured so far (stdout + stderr). */
  bytes: number;
  /** Set when the host's own cap cut output: the module's cap should always come first. */
  truncated: boolean;
}

export interface WasiHost {
  imports: WebAssembly.Imports;
  output: CapturedOutput;
  /** Must be called with the instance's memory before running. */
  bindMemory(memory: WebAssembly.Memory): void;
}

/**
 * @param captureLimit bytes captured before the host stops recording (a second guard above the
 *   module's own output cap, which includes room for the trailer).
 */
export function createWasiHost(captureLimit: number): WasiHost {
  let memory: WebAssembly.Memory | undefined;
  const output: CapturedOutput = { stdout: [], stderr: [], bytes: 0, truncated: false };

  function fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
    if (!memory) return ERRNO_FAULT;
    if (fd !== 1 && fd !== 2) return ERRNO_BADF;
    const buffer = memory.buffer;
    if (iovs < 0 || iovsLen < 0 || iovs + iovsLen * 8 > buffer.byteLength || nwrittenPtr + 4 > buffer.byteLength) return ERRNO_FAULT;
    const view = new DataView(buffer);
    let written = 0;
    for (let i = 0; i < iovsLen; i++) {
      const ptr = view.getUint32(iovs + i * 8, true);
      const len = view.getUint32(iovs + i * 8 + 4, true);
      if (ptr + len > buffer.byteLength) return ERRNO_FAULT;
      const room = Math.max(0, captureLimit - output.bytes);
      const take = Math.min(len, room);
      if (take < len) output.truncated = true;
      if (take > 0) {
        // Copy: the module's memory is reused after the call returns.
        const chunk = Buffer.from(new Uint8Array(buffer, ptr, take));
        (fd === 1 ? output.stdout : output.stderr).push(chunk);
        output.bytes += take;
      }
      written += len;
    }
    view.setUint32(nwrittenPtr, written, true);
    return ERRNO_SUCCESS;
  }

  function proc_exit(code: number): never {
    throw new ProcExit(code);
  }

  return {
    imports: { wasi_snapshot_preview1: { fd_write, proc_exit } },
    output,
    bindMemory(m: WebAssembly.Memory) {
      memory = m;
    },
  };
}
