/**
 * The `stelp` command line. Every limit is a named flag whose default comes from the policy
 * (policies/default.json); exit codes are the RunStatus table in src/engines/result.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { formatDiagnostic, type Diagnostic } from "./diagnostic.js";
import { EXIT_CODES, POLICY_EXIT_CODE, USAGE_EXIT_CODE, type EngineName } from "./engines/result.js";
import { buildSource, checkSource, runSource, type RunResult } from "./pipeline.js";
import { defaultPolicy, loadPolicyFile, PolicyError, type Policy, type PolicyLimits } from "./policy.js";
import { renderPrompt } from "./prompt.js";

const HELP = `stelp — run LLM-written JavaScript inside a typed subset compiled to metered WebAssembly

Usage:
  stelp run FILE [options]       check, compile and run a snippet (FILE "-" reads stdin)
  stelp check FILE [--json]      only check the snippet against the subset; print diagnostics
  stelp build FILE -o OUT.wasm [--emit-as OUT.ts]
                                 write the instrumented module (and the emitted AssemblyScript)
  stelp prompt [--policy FILE]   print a system-prompt section that teaches an LLM the subset and the policy

Options:
  --policy FILE        policy JSON (default: policies/default.json)
  --engine NAME        node (default, embedded) or wasmtime (child process)
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
64 usage error, 69 engine unavailable (wasmtime not installed), 78 invalid policy file.
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
  if (command !== "run" && command !== "check" && command !== "build") throw new UsageError(`unknown command "${command}" (expected run, check, build or prompt)`);
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
    else if (arg === "--engine") {
      const engine = value();
      if (engine !== "node" && engine !== "wasmtime") throw new UsageError(`--engine must be node or wasmtime, got "${engine}"`);
      options.engine = engine;
    } else if (arg === "--json") options.json = true;
    else if (arg === "--release") options.release = true;
    else if (arg === "-o" || arg === "--out") options.out = value();
    else if (arg === "--emit-as") options.emitAs = value();
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
  return options;
}

/** `stelp prompt [--policy FILE]`: no FILE, no other options. */
function parsePromptArgs(rest: string[]): CliOptions {
  const options: CliOptions = { command: "prompt", file: "", engine: "node", json: false, limits: {}, release: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--policy") {
      const next = rest[++i];
      if (next === undefined) throw new UsageError("--policy needs a value");
      options.policyPath = next;
    } else throw new UsageError(`prompt takes only --policy FILE, got "${arg}"`);
  }
  return options;
}

function readSource(file: string): string {
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
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
  if (options.command === "prompt") {
    process.stdout.write(renderPrompt(policy));
    return 0;
  }
  let source: string;
  try {
    source = readSource(options.file);
  } catch (error) {
    process.stderr.write(`stelp: ${(error as Error).message}\n`);
    return USAGE_EXIT_CODE;
  }
  const buildOptions = { policy, limits: options.limits, optimize: options.release ? ("release" as const) : ("fast" as const) };
  try {
    // Validate limit overrides up front so a bad flag is a usage error, not a rejected snippet.
    if (Object.keys(options.limits).length > 0) (await import("./policy.js")).withLimits(policy, options.limits);
  } catch (error) {
    process.stderr.write(`stelp: ${(error as Error).message}\n`);
    return USAGE_EXIT_CODE;
  }

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
    if (built.assemblyScript !== undefined && options.emitAs) writeFileSync(options.emitAs, built.assemblyScript);
    if (built.wasm) writeFileSync(options.out!, built.wasm);
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

/** Entry for bin/stelp.js: never lets an exception escape as a stack trace. */
export async function cli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    process.stderr.write(`stelp: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.STELP_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    code = EXIT_CODES.internal_error;
  }
  // Let stdout drain before exiting (large outputs to a pipe).
  process.exitCode = code;
}
