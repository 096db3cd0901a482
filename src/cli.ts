/**
 * The `stelp` command line. Every limit is a named flag whose default comes from the policy
 * (policies/default.json); exit codes are the RunStatus table in src/engines/result.ts.
 */
import { closeSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { diagnostic, formatDiagnostic, type Diagnostic } from "./diagnostic.js";
import { setNodeEngineSpareWorker } from "./engines/node.js";
import { EXIT_CODES, POLICY_EXIT_CODE, USAGE_EXIT_CODE, type EngineName } from "./engines/result.js";
import { MAX_SOURCE_LENGTH } from "./parse.js";
import { buildSource, checkSource, runSource, type RunResult } from "./pipeline.js";
import { defaultPolicy, loadPolicyFile, policyHash, PolicyError, withLimits, type Policy, type PolicyLimits } from "./policy.js";
import { renderPrompt } from "./prompt.js";
import { toolSignatures, type ToolSet } from "./tools.js";
import { benchCommand } from "./bench/command.js";
import { BUILD_TARGETS, TargetError, writeBuildTarget, type BuildTarget } from "./targets/jco.js";

const HELP = `stelp — run LLM-written JavaScript inside a typed subset compiled to metered WebAssembly

Usage:
  stelp run FILE [options]       check, compile and run a snippet (FILE "-" reads stdin)
  stelp check FILE [--json]      only check the snippet against the subset; print diagnostics
  stelp build FILE -o OUT.wasm [--emit-as OUT.ts] [--target wasm|component|esm]
                                 write the instrumented module (and the emitted AssemblyScript);
                                 --target component: a WASI 0.2 component; --target esm: OUT is a
                                 folder with an ES module (index.js exports run()) for browsers/edge
  stelp prompt [--policy FILE] [--tools MODULE]
                                 print a system-prompt section that teaches an LLM the subset, the
                                 policy and its tools
  stelp bench DATASET [options]  run a dataset of snippets against canaries; TBR/TAR table and report
                                 (stelp bench --help for its options and exit codes)

Options:
  --policy FILE        policy JSON (default: policies/default.json)
  --tools MODULE       an ES module whose default export registers host tools (src/tools.ts:
                       { name: { params, returns, call } }); the policy must approve each one
  --engine NAME        node (default: a worker thread), wasmtime (child process), or inline (this
                       thread: lowest latency, no wall-clock backstop; fuel bounds the CPU)
  --json               print one JSON result object instead of the program's output
  --fuel N             fuel units (default from the policy: 1000000000)
  --memory BYTES       linear memory maximum (default 67108864)
  --call-depth N       maximum nested calls (default 2000)
  --output-bytes N     maximum stdout+stderr bytes (default 1048576)
  --timeout MS         wall-clock backstop for the run (default 10000)
  --release            optimise with -O3 (slower compile) instead of the fast default
  -h, --help           this help;  --version  print the version

Exit codes: 0 ok, 1 internal error, 2 rejected (check, policy or import audit), 3 fuel exhausted,
4 memory limit, 5 call-depth limit, 6 output limit, 7 wall-clock timeout, 8 runtime trap or error,
9 a host tool's limit, 64 usage error, 69 engine unavailable (wasmtime not installed), 78 invalid policy file.
`;

class UsageError extends Error {}

interface CliOptions {
  command: "run" | "check" | "build" | "prompt";
  file: string;
  policyPath?: string;
  engine: EngineName;
  json: boolean;
  limits: Partial<PolicyLimits>;
  out?: string;
  emitAs?: string;
  release: boolean;
  target?: BuildTarget;
  toolsPath?: string;
}

const LIMIT_FLAGS: Record<string, keyof PolicyLimits> = {
  "--fuel": "fuel",
  "--memory": "memoryBytes",
  "--call-depth": "callDepth",
  "--output-bytes": "outputBytes",
  "--timeout": "wallClockMs",
};

function parseArgs(argv: string[]): CliOptions | "help" | "version" {
  if (argv.length === 0 || argv.includes("-h") || argv.includes("--help")) return "help";
  if (argv.includes("--version")) return "version";
  const [command, ...rest] = argv;
  if (command === "prompt") return parsePromptArgs(rest);
  if (command !== "run" && command !== "check" && command !== "build") throw new UsageError(`unknown command "${command}" (expected run, check, build, prompt or bench)`);
  const options: CliOptions = { command, file: "", engine: "node", json: false, limits: {}, release: false };
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = (): string => {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--policy") options.policyPath = value();
    else if (arg === "--tools") options.toolsPath = value();
    else if (arg === "--engine") {
      const engine = value();
      if (engine !== "node" && engine !== "wasmtime" && engine !== "inline") throw new UsageError(`--engine must be node, wasmtime or inline, got "${engine}"`);
      options.engine = engine;
    } else if (arg === "--json") options.json = true;
    else if (arg === "--release") options.release = true;
    else if (arg === "-o" || arg === "--out") options.out = value();
    else if (arg === "--emit-as") options.emitAs = value();
    else if (arg === "--target") {
      const target = value();
      if (!(BUILD_TARGETS as readonly string[]).includes(target)) throw new UsageError(`--target must be wasm, component or esm, got "${target}"`);
      options.target = target as BuildTarget;
    }
    else if (arg in LIMIT_FLAGS) {
      const text = value();
      if (!/^\d+$/.test(text)) throw new UsageError(`${arg} takes a whole number, got "${text}"`);
      options.limits[LIMIT_FLAGS[arg]!] = Number(text);
    } else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length !== 1) throw new UsageError(`${command} takes exactly one FILE (or - for stdin)`);
  options.file = files[0]!;
  if (command === "build" && !options.out) throw new UsageError("build needs -o OUT.wasm");
  if (command !== "build" && options.target) throw new UsageError("--target is an option of build only");
  if (options.toolsPath && options.target && options.target !== "wasm") {
    throw new UsageError(`--tools cannot be combined with --target ${options.target}: its generated host gives a module only stdout, stderr and exit`);
  }
  return options;
}

/** `stelp prompt [--policy FILE]`: no FILE, no other options. */
function parsePromptArgs(rest: string[]): CliOptions {
  const options: CliOptions = { command: "prompt", file: "", engine: "node", json: false, limits: {}, release: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--policy" || arg === "--tools") {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      if (arg === "--policy") options.policyPath = next;
      else options.toolsPath = next;
    } else throw new UsageError(`prompt takes only --policy FILE and --tools MODULE, got "${arg}"`);
  }
  return options;
}

/**
 * The most bytes of FILE we read: more than any snippet under MAX_SOURCE_LENGTH UTF-16 units can take
 * in UTF-8 (at most 3 bytes per unit). Reading stops there, so `stelp check /dev/zero` or an endless
 * pipe on stdin is rejected as too large instead of hanging while readFileSync buffers gigabytes.
 */
const MAX_SOURCE_BYTES = MAX_SOURCE_LENGTH * 3 + 4;

/** The snippet's text, or `null` when FILE has more than MAX_SOURCE_BYTES bytes. */
function readSource(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = file === "-" ? 0 : openSync(file, "r");
    const buffer = Buffer.allocUnsafe(MAX_SOURCE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      let n: number;
      try {
        n = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (error) {
        // A non-blocking stdin pipe that is momentarily empty: wait for more instead of failing.
        if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        throw error;
      }
      if (n === 0) break;
      length += n;
    }
    return length > MAX_SOURCE_BYTES ? null : buffer.toString("utf8", 0, length);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  } finally {
    if (fd !== undefined && fd !== 0) closeSync(fd);
  }
}

/** The rejection of an input too large to read, in each command's usual output shape. */
function rejectTooLarge(options: CliOptions, policy: Policy): number {
  const diagnostics = [
    diagnostic("input-too-large", `the snippet has more than ${MAX_SOURCE_BYTES} bytes; the limit is ${MAX_SOURCE_LENGTH} characters`, "submit a smaller program", { line: 1, column: 1 }, "parse"),
  ];
  const code = EXIT_CODES.rejected;
  const timings = { parse: 0, check: 0, emit: 0, compile: 0, instrument: 0, run: 0 };
  const effective = withLimits(policy, options.limits);
  if (!options.json) printDiagnostics(diagnostics, options.file);
  else if (options.command === "check") process.stdout.write(`${JSON.stringify({ status: "rejected", exitCode: code, diagnostics })}\n`);
  else if (options.command === "build") {
    process.stdout.write(`${JSON.stringify({ status: "rejected", exitCode: code, imports: [], policyHash: policyHash(effective), diagnostics, timings })}\n`);
  } else {
    const result: RunResult = { status: "rejected", exitCode: code, engine: options.engine, stdout: "", stderr: "", fuel: { limit: effective.limits.fuel, used: null }, diagnostics, timings };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  return code;
}

function printDiagnostics(diagnostics: Diagnostic[], file: string): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d, file === "-" ? "<stdin>" : file)}\n`);
}

function statusLine(result: RunResult): string | null {
  if (result.status === "ok" || result.status === "rejected") return null;
  const used = result.fuel.used === null ? "unknown" : String(result.fuel.used);
  return `stelp: ${result.status.replace(/_/g, " ")} (fuel used ${used} of ${result.fuel.limit}, engine ${result.engine})`;
}

async function main(argv: string[]): Promise<number> {
  // One run per process: a worker started ahead of time for a next run would only cost CPU.
  setNodeEngineSpareWorker(false);
  if (argv[0] === "bench") return benchCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr });
  let options: CliOptions | "help" | "version";
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`stelp: ${error.message}\nRun \`stelp --help\` for usage.\n`);
      return USAGE_EXIT_CODE;
    }
    throw error;
  }
  if (options === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (options === "version") {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`stelp ${pkg.version}\n`);
    return 0;
  }
  let policy: Policy;
  try {
    policy = options.policyPath ? loadPolicyFile(options.policyPath) : defaultPolicy();
  } catch (error) {
    if (error instanceof PolicyError) {
      process.stderr.write(`stelp: invalid policy: ${error.message}\n`);
      return POLICY_EXIT_CODE;
    }
    throw error;
  }
  let tools: ToolSet | undefined;
  if (options.toolsPath) {
    try {
      tools = await loadToolsModule(options.toolsPath);
    } catch (error) {
      process.stderr.write(`stelp: --tools ${options.toolsPath}: ${(error as Error).message}\n`);
      return USAGE_EXIT_CODE;
    }
  }
  if (options.command === "prompt") {
    process.stdout.write(renderPrompt(policy, undefined, toolSignatures(tools)));
    return 0;
  }
  let source: string | null;
  try {
    source = readSource(options.file);
  } catch (error) {
    process.stderr.write(`stelp: ${(error as Error).message}\n`);
    return USAGE_EXIT_CODE;
  }
  const buildOptions = {
    policy,
    limits: options.limits,
    optimize: options.release ? ("release" as const) : ("fast" as const),
    ...(tools ? { tools } : {}),
    engine: options.engine,
  };
  try {
    // Validate limit overrides up front so a bad flag is a usage error, not a rejected snippet.
    if (Object.keys(options.limits).length > 0) withLimits(policy, options.limits);
  } catch (error) {
    process.stderr.write(`stelp: ${(error as Error).message}\n`);
    return USAGE_EXIT_CODE;
  }
  if (source === null) return rejectTooLarge(options, policy);

  if (options.command === "check") {
    const { diagnostics, program } = checkSource(source, buildOptions);
    const status = program ? "ok" : "rejected";
    if (options.json) process.stdout.write(`${JSON.stringify({ status, exitCode: EXIT_CODES[status], diagnostics })}\n`);
    else printDiagnostics(diagnostics, options.file);
    return EXIT_CODES[status];
  }

  if (options.command === "build") {
    // An explicit build always compiles (and so can write the emitted AssemblyScript).
    const built = await buildSource(source, { ...buildOptions, cache: false });
    // An unwritable OUT (missing folder, a directory, read-only) is the caller's mistake, not a stelp
    // bug: a usage error naming the file, not "internal error" with exit 1.
    const write = (path: string, data: string | Uint8Array): boolean => {
      try {
        writeFileSync(path, data);
        return true;
      } catch (error) {
        process.stderr.write(`stelp: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
        return false;
      }
    };
    if (built.assemblyScript !== undefined && options.emitAs && !write(options.emitAs, built.assemblyScript)) return USAGE_EXIT_CODE;
    if (built.wasm && (options.target ?? "wasm") === "wasm" && !write(options.out!, built.wasm)) return USAGE_EXIT_CODE;
    if (built.wasm && options.target && options.target !== "wasm") {
      try {
        await writeBuildTarget(options.target, built.wasm, built.policy.limits, options.out!);
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        process.stderr.write(`stelp: --target ${options.target}: ${error.message}\n`);
        return error.exitCode;
      }
    }
    const code = EXIT_CODES[built.status];
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ status: built.status, exitCode: code, imports: built.imports, policyHash: built.policyHash, diagnostics: built.diagnostics, timings: built.timings })}\n`);
    } else printDiagnostics(built.diagnostics, options.file);
    return code;
  }

  const result = await runSource(source, { ...buildOptions, engine: options.engine });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    printDiagnostics(result.diagnostics.filter((d) => d.stage !== "run" || result.status !== "ok"), options.file);
    const line = statusLine(result);
    if (line) process.stderr.write(`${line}\n`);
  }
  return result.exitCode;
}

/**
 * The embedder's tools for a CLI run: the default export (or `tools` export) of an ES module, which
 * runs with the CLI's own rights (it is the operator's code, not the snippet's).
 */
async function loadToolsModule(path: string): Promise<ToolSet> {
  let loaded: { default?: unknown; tools?: unknown };
  try {
    loaded = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown; tools?: unknown };
  } catch (error) {
    throw new Error(`cannot load the module: ${(error as Error).message.split("\n")[0]}`);
  }
  const tools = (loaded.default ?? loaded.tools) as ToolSet | undefined;
  if (typeof tools !== "object" || tools === null) throw new Error("the module must export its tools as default (or as `tools`): { name: { params, returns, call } }");
  toolSignatures(tools); // a bad registration is reported here, as a usage error
  return tools;
}

let outputErrorsHandled = false;
/** Set when writing our output failed (not EPIPE): the exit code is then 1 whatever the run said. */
let outputFailed = false;

/**
 * A reader that goes away early (`stelp run flood.js | head -1`) makes the next write fail with
 * EPIPE, emitted as an 'error' event that nothing handled (a worker's stdio pipe into our stdout
 * removes its own listener and rethrows when it is the last): node died with a stack trace and exit
 * 1. The run's own result and exit code stand; output nobody reads is dropped. A full disk or any
 * other write error is reported in one line, with exit code 1.
 */
function handleOutputErrors(): void {
  if (outputErrorsHandled) return;
  outputErrorsHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") return;
      outputFailed = true;
      process.exitCode = EXIT_CODES.internal_error;
      if (stream !== process.stderr) process.stderr.write(`stelp: cannot write output: ${error.code ?? error.message}\n`);
    });
  }
}

/** Entry for bin/stelp.js: never lets an exception escape as a stack trace. */
export async function cli(argv: string[]): Promise<void> {
  handleOutputErrors();
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    process.stderr.write(`stelp: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.STELP_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    code = EXIT_CODES.internal_error;
  }
  // Let stdout drain before exiting (large outputs to a pipe).
  process.exitCode = outputFailed ? EXIT_CODES.internal_error : code;
}
