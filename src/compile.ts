/**
 * Stage 4: AssemblyScript → Wasm with the asc programmatic API, in process. The options come from
 * asconfig.json (`options` for every build, plus one `targets` entry for the optimisation level), so
 * the file is the single place that says how snippets are compiled. Files are served from memory: the
 * emitted entry as `snippet.ts`, and host-bindings/assembly/ under the virtual folder `stelp/`.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { packageRoot } from "./paths.js";

export type OptimizeTarget = "fast" | "release";

export interface CompileOptions {
  /** asconfig.json target: `fast` (default) or `release` (-O3, for modules meant to be shipped). */
  target?: OptimizeTarget;
  /** Also return the Wasm text format (for `--emit-wat` and debugging). */
  emitText?: boolean;
}

export interface CompileResult {
  wasm: Uint8Array | null;
  text?: string;
  diagnostics: Diagnostic[];
}

interface AsConfig {
  options: Record<string, unknown>;
  targets: Record<string, Record<string, unknown>>;
}

let asconfigCache: AsConfig | undefined;
let runtimeFilesCache: Map<string, string> | undefined;

function loadAsConfig(): AsConfig {
  asconfigCache ??= JSON.parse(readFileSync(join(packageRoot(), "asconfig.json"), "utf8")) as AsConfig;
  return asconfigCache;
}

/** host-bindings/assembly/*.ts, keyed by their virtual path `stelp/<name>.ts`. */
function runtimeFiles(): Map<string, string> {
  if (runtimeFilesCache) return runtimeFilesCache;
  const dir = join(packageRoot(), "host-bindings", "assembly");
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".ts")) files.set(`stelp/${name}`, readFileSync(join(dir, name), "utf8"));
  }
  runtimeFilesCache = files;
  return files;
}

/** Turns asconfig-style options into asc argv (`{ runtime: "incremental" }` → `--runtime incremental`). */
function toArgv(options: Record<string, unknown>): string[] {
  const argv: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === false || value === undefined || value === null) continue;
    if (value === true) argv.push(`--${key}`);
    else if (Array.isArray(value)) {
      for (const item of value) argv.push(`--${key}`, String(item));
    } else argv.push(`--${key}`, String(value));
  }
  return argv;
}

export function compilerVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "node_modules", "assemblyscript", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export async function compile(assemblyScript: string, options: CompileOptions = {}): Promise<CompileResult> {
  const config = loadAsConfig();
  const target = options.target ?? "fast";
  const targetOptions = config.targets[target];
  if (!targetOptions) {
    return { wasm: null, diagnostics: [diagnostic("compile-config", `asconfig.json has no target "${target}"`, "add the target to asconfig.json", undefined, "compile")] };
  }
  const argv = [
    "snippet.ts",
    "--outFile", "snippet.wasm",
    ...(options.emitText ? ["--textFile", "snippet.wat"] : []),
    ...toArgv({ ...config.options, ...targetOptions }),
    "--noColors",
  ];
  const sources = runtimeFiles();
  const outputs = new Map<string, Uint8Array | string>();
  const messages: string[] = [];
  let result;
  try {
    result = await asc.main(argv, {
      readFile: (name: string) => (name === "snippet.ts" ? assemblyScript : (sources.get(name) ?? null)),
      writeFile: (name: string, contents: Uint8Array | string) => {
        outputs.set(name, contents);
      },
      listFiles: () => [],
      reportDiagnostic: (d) => {
        // DiagnosticCategory: 0 pedantic, 1 info, 2 warning, 3 error
        if (d.category !== 3) return;
        const range = d.range as { start: number; source?: { normalizedPath?: string; text?: string } } | null;
        let where = "";
        if (range?.source?.text !== undefined) {
          const before = range.source.text.slice(0, range.start);
          const line = before.split("\n").length;
          const column = range.start - before.lastIndexOf("\n");
          where = ` at ${range.source.normalizedPath ?? "?"}:${line}:${column}`;
        }
        messages.push(`AS${d.code}: ${d.message}${where}`);
      },
    });
  } catch (error) {
    messages.push(`asc threw: ${(error as Error).message}`);
  }
  const wasm = outputs.get("snippet.wasm");
  if (!result || result.error || !(wasm instanceof Uint8Array)) {
    if (messages.length === 0) messages.push(result?.error?.message ?? "asc produced no module");
    return {
      wasm: null,
      diagnostics: messages.map((m) =>
        diagnostic(
          "compile-error",
          `the AssemblyScript compiler rejected the emitted code: ${m}`,
          "this is a stelp bug, not an error in your snippet; please report it with the snippet. Rewriting the construct named here more plainly usually works around it.",
          undefined,
          "compile",
        ),
      ),
    };
  }
  const text = outputs.get("snippet.wat");
  return { wasm, ...(typeof text === "string" ? { text } : {}), diagnostics: [] };
}
