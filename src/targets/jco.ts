/**
 * Build targets beyond the core module, through jco (@bytecodealliance/jco): `component` wraps the
 * instrumented core module in a WASI 0.2 command component (it exports wasi:cli/run); `esm`
 * transpiles that component to an ES module for browsers and edge runtimes, with every `wasi:*`
 * import mapped to stelp's own shim (./esm-files.ts) instead of @bytecodealliance/preview2-shim.
 *
 * The component is made with stelp's own preview1 adapter (below), not the WASI preview1 command
 * adapter jco ships (`preview1AdapterCommandPath()`). That one grows the module's linear memory by a
 * page for its own stack and state before `_start` runs; AssemblyScript's allocator then takes that
 * page as heap (so the snippet's data can overwrite the adapter's state), and every later
 * memory.grow differs, so the fuel charged and the point where the memory limit hits differ from
 * the node engine (measured: an output flood used 294786 fuel instead of 383481). Ours has no memory
 * of its own, imports only stdout, stderr and exit (no filesystem, stdin, environment, clocks or
 * random), and leaves the module exactly as it runs on the node engine: same status, output and fuel.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { USAGE_EXIT_CODE } from "../engines/result.js";
import type { PolicyLimits } from "../policy.js";
import { indexSource, INDEX_TYPES, PACKAGE_JSON, SHIM_FILE, SHIM_INTERFACES, SHIM_SOURCE } from "./esm-files.js";

export const BUILD_TARGETS = ["wasm", "component", "esm"] as const;
export type BuildTarget = (typeof BUILD_TARGETS)[number];

/** A target could not be produced; `exitCode` is 64 for the caller's mistake, 1 for a failure of ours or jco's. */
export class TargetError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
  }
}

/** The only core imports a component can satisfy: stelp's adapter implements them over WASI 0.2. */
const ADAPTED_IMPORTS = new Set(["wasi_snapshot_preview1.fd_write", "wasi_snapshot_preview1.proc_exit"]);

/** The name the transpiled files get (stelp.js, stelp.core.wasm, …). */
const COMPONENT_NAME = "stelp";

type Jco = typeof import("@bytecodealliance/jco");
let jcoModule: Promise<Jco> | undefined;

/** jco is loaded on first use: the other commands never pay for it. */
function jco(): Promise<Jco> {
  jcoModule ??= import("@bytecodealliance/jco").catch((error: unknown) => {
    jcoModule = undefined;
    throw new TargetError(`cannot load @bytecodealliance/jco: ${firstLine(error)}`);
  });
  return jcoModule;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").find((line) => line.trim() !== "")?.trim() ?? "unknown error";
}

/** The WASI version the adapter imports and exports (0.2.0: every WASI 0.2 host accepts it). */
const WASI = "0.2.0";

/** The adapter's WIT: just the functions it calls, which a host's full interfaces satisfy. */
const ADAPTER_WIT = `package stelp:adapter;

world adapter {
  import wasi:cli/stdout@${WASI};
  import wasi:cli/stderr@${WASI};
  import wasi:cli/exit@${WASI};
  export wasi:cli/run@${WASI};
}

package wasi:io@${WASI} {
  interface error {
    resource error;
  }
  interface streams {
    use error.{error};
    variant stream-error {
      last-operation-failed(error),
      closed,
    }
    resource output-stream {
      blocking-write-and-flush: func(contents: list<u8>) -> result<_, stream-error>;
    }
  }
}

package wasi:cli@${WASI} {
  interface stdout {
    use wasi:io/streams@${WASI}.{output-stream};
    get-stdout: func() -> output-stream;
  }
  interface stderr {
    use wasi:io/streams@${WASI}.{output-stream};
    get-stderr: func() -> output-stream;
  }
  interface exit {
    exit: func(status: result);
  }
  interface run {
    run: func() -> result;
  }
}
`;

/**
 * fd_write and proc_exit over WASI 0.2, with no memory of its own. blocking-write-and-flush returns
 * its result through a 12-byte return area in linear memory; the only memory the adapter may use is
 * what the caller handed it, so it uses the caller's iovec and nwritten (16 bytes it has read by
 * then), and stores nwritten last. It therefore requires stelp's calling convention, which
 * host-bindings/assembly/io.ts always follows: one iovec, nwritten right after it; anything else
 * gets EINVAL. fds other than 1 and 2 get EBADF; a failed write EIO.
 */
const ADAPTER_WAT = `(module
  (import "env" "memory" (memory 0))
  (import "__main_module__" "_start" (func $start))
  (import "wasi:cli/stdout@${WASI}" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:cli/stderr@${WASI}" "get-stderr" (func $get_stderr (result i32)))
  (import "wasi:io/streams@${WASI}" "[method]output-stream.blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
  (import "wasi:cli/exit@${WASI}" "exit" (func $exit (param i32)))
  (global $stdout (mut i32) (i32.const -1))
  (global $stderr (mut i32) (i32.const -1))
  (func (export "fd_write") (param $fd i32) (param $iovs i32) (param $count i32) (param $nwritten i32) (result i32)
    (local $stream i32) (local $ptr i32) (local $len i32) (local $chunk i32) (local $total i32)
    (if (i32.or (i32.ne (local.get $count) (i32.const 1)) (i32.ne (local.get $nwritten) (i32.add (local.get $iovs) (i32.const 8))))
      (then (return (i32.const 28))))
    (if (i32.eq (local.get $fd) (i32.const 1))
      (then
        (if (i32.eq (global.get $stdout) (i32.const -1)) (then (global.set $stdout (call $get_stdout))))
        (local.set $stream (global.get $stdout)))
      (else
        (if (i32.ne (local.get $fd) (i32.const 2)) (then (return (i32.const 8))))
        (if (i32.eq (global.get $stderr) (i32.const -1)) (then (global.set $stderr (call $get_stderr))))
        (local.set $stream (global.get $stderr))))
    (local.set $ptr (i32.load (local.get $iovs)))
    (local.set $len (i32.load offset=4 (local.get $iovs)))
    (local.set $total (local.get $len))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        ;; blocking-write-and-flush takes at most 4096 bytes.
        (local.set $chunk (select (local.get $len) (i32.const 4096) (i32.lt_u (local.get $len) (i32.const 4096))))
        (call $write (local.get $stream) (local.get $ptr) (local.get $chunk) (local.get $iovs))
        (if (i32.load8_u (local.get $iovs)) (then (return (i32.const 29))))
        (local.set $ptr (i32.add (local.get $ptr) (local.get $chunk)))
        (local.set $len (i32.sub (local.get $len) (local.get $chunk)))
        (br $more)))
    (i32.store (local.get $nwritten) (local.get $total))
    (i32.const 0))
  (func (export "proc_exit") (param $code i32)
    (call $exit (i32.ne (local.get $code) (i32.const 0)))
    (unreachable))
  (func (export "wasi:cli/run@${WASI}#run") (result i32)
    (call $start)
    (i32.const 0))
)`;

let adapterBytes: Promise<Uint8Array> | undefined;

/** The adapter as a core module with its WIT embedded (built once per process). */
function adapter(): Promise<Uint8Array> {
  adapterBytes ??= (async () => {
    const { parse, componentEmbed } = await jco();
    return componentEmbed({ binary: await parse(ADAPTER_WAT), witSource: ADAPTER_WIT, world: "stelp:adapter/adapter" });
  })().catch((error: unknown) => {
    adapterBytes = undefined;
    throw error instanceof TargetError ? error : new TargetError(`jco could not build stelp's WASI adapter: ${firstLine(error)}`);
  });
  return adapterBytes;
}

/** The instrumented core module as a WASI 0.2 command component (exports wasi:cli/run). */
export async function coreToComponent(core: Uint8Array): Promise<Uint8Array> {
  let imports: WebAssembly.ModuleImportDescriptor[];
  try {
    imports = WebAssembly.Module.imports(new WebAssembly.Module(core as Uint8Array<ArrayBuffer>));
  } catch (error) {
    throw new TargetError(`not a valid core module: ${firstLine(error)}`);
  }
  const other = imports.map((i) => `${i.module}.${i.name}`).filter((name) => !ADAPTED_IMPORTS.has(name));
  if (other.length > 0) {
    throw new TargetError(`--target component/esm supports only the imports fd_write and proc_exit; the module also imports ${other.join(", ")} (approved by the policy)`, USAGE_EXIT_CODE);
  }
  const { componentNew } = await jco();
  const wasiAdapter = await adapter();
  try {
    return await componentNew(core, [["wasi_snapshot_preview1", wasiAdapter]]);
  } catch (error) {
    throw new TargetError(`jco could not make a component: ${firstLine(error)}`);
  }
}

/** The WASI interfaces a component imports, without versions (from its WIT). */
async function componentImports(component: Uint8Array): Promise<string[]> {
  const { componentWit } = await jco();
  const wit = await componentWit(component);
  return [...wit.matchAll(/^\s*import\s+([\w-]+:[\w-]+\/[\w-]+)(?:@[\w.+-]+)?\s*;/gm)].map((m) => m[1]!);
}

/**
 * The files of the ES module, by name relative to OUT: jco's transpiled component (stelp.js and its
 * core wasm files), the WASI shim, the index.js wrapper with `run()`, its typings and a package.json
 * that marks the folder as ESM.
 */
export async function componentToEsm(component: Uint8Array, limits: PolicyLimits): Promise<Map<string, Uint8Array | string>> {
  const { transpile } = await jco();
  let imports: string[];
  try {
    imports = await componentImports(component);
  } catch (error) {
    throw new TargetError(`jco could not read the component's imports: ${firstLine(error)}`);
  }
  const supported = new Set<string>(SHIM_INTERFACES);
  const missing = imports.filter((name) => !supported.has(name));
  if (missing.length > 0) throw new TargetError(`the component imports ${missing.join(", ")}, which the stelp ESM shim does not provide`);
  let transpiled: Awaited<ReturnType<Jco["transpile"]>>;
  try {
    transpiled = await transpile(component, {
      name: COMPONENT_NAME,
      // A function to call per run: every run gets a fresh instance and its own output capture.
      instantiation: "async",
      // Every wasi:* interface comes from our shim (jco names them cliStdout, filesystemTypes, …).
      map: { "wasi:*": `./${SHIM_FILE}#*` },
      noTypescript: true,
      quiet: true,
    });
  } catch (error) {
    throw new TargetError(`jco could not transpile the component: ${firstLine(error)}`);
  }
  const files = new Map<string, Uint8Array | string>();
  const coreFiles: string[] = [];
  for (const [name, data] of Object.entries(transpiled.files)) {
    if (name.endsWith(".d.ts")) continue; // jco's interface typings; index.d.ts documents the API
    if (name.includes("/") || name.includes("\\")) throw new TargetError(`jco produced an unexpected file ${name}`);
    files.set(name, data);
    if (name.endsWith(".wasm")) coreFiles.push(name);
  }
  if (!files.has(`${COMPONENT_NAME}.js`)) throw new TargetError(`jco produced no ${COMPONENT_NAME}.js`);
  files.set(SHIM_FILE, SHIM_SOURCE);
  files.set("index.js", indexSource(limits, coreFiles.sort()));
  files.set("index.d.ts", INDEX_TYPES);
  files.set("package.json", PACKAGE_JSON);
  return files;
}

/**
 * Writes `target` built from the instrumented core module to `out`: a file for wasm and component,
 * a folder (created if missing) for esm. Throws TargetError.
 */
export async function writeBuildTarget(target: BuildTarget, core: Uint8Array, limits: PolicyLimits, out: string): Promise<void> {
  const write = (path: string, data: Uint8Array | string): void => {
    try {
      writeFileSync(path, data);
    } catch (error) {
      throw new TargetError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? firstLine(error)}`, USAGE_EXIT_CODE);
    }
  };
  if (target === "wasm") return write(out, core);
  const component = await coreToComponent(core);
  if (target === "component") return write(out, component);
  const files = await componentToEsm(component, limits);
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new TargetError(`cannot create the folder ${out}: ${(error as NodeJS.ErrnoException).code ?? firstLine(error)}`, USAGE_EXIT_CODE);
  }
  for (const [name, data] of files) write(join(out, name), data);
}
