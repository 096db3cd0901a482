/**
 * Policies: what a snippet may import and how much it may use. A policy file is JSON matching
 * policies/policy.schema.json; this module validates it by hand (the schema is small, and hand
 * validation gives messages that name the exact field) and fills in defaults.
 */
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { packageRoot } from "./paths.js";

export interface PolicyLimits {
  /** Metered fuel units: about one per Wasm instruction executed. */
  fuel: number;
  /** Maximum linear memory in bytes (whole 64 KiB pages). */
  memoryBytes: number;
  /** Maximum nested Wasm calls. */
  callDepth: number;
  /** Maximum bytes written to stdout and stderr together. */
  outputBytes: number;
  /** Wall-clock backstop for the run stage. */
  wallClockMs: number;
}

export interface Policy {
  name: string;
  description: string;
  limits: PolicyLimits;
  /** Approved imports beyond the base set, as "module.name". */
  imports: string[];
  /** Math.random's seed, or null when Math.random is not granted. */
  random: { seed: number } | null;
  /**
   * Host tools a snippet may call, by name, with per-tool limits. The embedder registers the tools'
   * implementations and types (src/tools.ts); the policy only approves and bounds them.
   */
  tools?: Record<string, ToolLimits>;
}

export interface ToolLimits {
  /** Calls of this tool per run; one more ends the run with status tool_limit. */
  maxCalls: number;
  /** Bytes of one call's encoded arguments (src/tools.ts's encoding: 8 per number, 2 per UTF-16 unit…). */
  maxArgumentBytes: number;
  /** Bytes of one call's encoded result. */
  maxResultBytes: number;
}

export const DEFAULT_TOOL_LIMITS: Readonly<ToolLimits> = Object.freeze({
  maxCalls: 100,
  maxArgumentBytes: 64 * 1024,
  maxResultBytes: 1024 * 1024,
});

const TOOL_LIMIT_RANGES: Record<keyof ToolLimits, [number, number]> = {
  maxCalls: [0, 1_000_000],
  maxArgumentBytes: [0, 16 * 1024 * 1024],
  maxResultBytes: [0, 64 * 1024 * 1024],
};

/** A tool's name: a JavaScript identifier a snippet can call (no `$`, not stelp's own prefixes). */
export const TOOL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Imports every stelp module may have: WASI's write and exit, nothing else. */
export const BASE_IMPORTS: readonly string[] = ["wasi_snapshot_preview1.fd_write", "wasi_snapshot_preview1.proc_exit"];

export const DEFAULT_LIMITS: Readonly<PolicyLimits> = Object.freeze({
  fuel: 1_000_000_000,
  memoryBytes: 64 * 1024 * 1024,
  callDepth: 2000,
  outputBytes: 1024 * 1024,
  wallClockMs: 10_000,
});

const LIMIT_RANGES: Record<keyof PolicyLimits, [number, number]> = {
  fuel: [1, 1e15],
  memoryBytes: [65536, 4294967296],
  callDepth: [16, 100_000],
  outputBytes: [0, 1073741824],
  wallClockMs: [1, 3_600_000],
};

export class PolicyError extends Error {
  constructor(
    message: string,
    /** JSON path of the offending field, e.g. `limits.fuel`. */
    readonly field: string,
  ) {
    super(message);
    this.name = "PolicyError";
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function rejectUnknownFields(object: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      const where = path ? `${path}.${key}` : key;
      throw new PolicyError(`unknown field "${where}" (allowed: ${allowed.join(", ")})`, where);
    }
  }
}

/** Validates a parsed policy document and returns it with defaults filled in. Throws PolicyError. */
export function validatePolicy(document: unknown): Policy {
  if (!isPlainObject(document)) throw new PolicyError("a policy must be a JSON object", "");
  rejectUnknownFields(document, ["$schema", "name", "description", "limits", "imports", "random", "tools"], "");
  for (const key of ["$schema", "name", "description"] as const) {
    if (document[key] !== undefined && typeof document[key] !== "string") {
      throw new PolicyError(`"${key}" must be a string`, key);
    }
  }
  const limits: PolicyLimits = { ...DEFAULT_LIMITS };
  if (document.limits !== undefined) {
    if (!isPlainObject(document.limits)) throw new PolicyError(`"limits" must be an object`, "limits");
    rejectUnknownFields(document.limits, Object.keys(LIMIT_RANGES), "limits");
    for (const [key, [min, max]] of Object.entries(LIMIT_RANGES) as [keyof PolicyLimits, [number, number]][]) {
      const value = document.limits[key];
      if (value === undefined) continue;
      if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        throw new PolicyError(
          `"limits.${key}" must be an integer from ${min} to ${max}, got ${shown(value)}`,
          `limits.${key}`,
        );
      }
      limits[key] = value;
    }
  }
  const imports: string[] = [];
  if (document.imports !== undefined) {
    if (!Array.isArray(document.imports)) throw new PolicyError(`"imports" must be an array of "module.name" strings`, "imports");
    document.imports.forEach((entry, index) => {
      if (typeof entry !== "string" || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(entry)) {
        throw new PolicyError(`"imports[${index}]" must be a "module.name" string, got ${shown(entry)}`, `imports[${index}]`);
      }
      if (entry.startsWith("stelp.") || entry.startsWith(`${TOOL_IMPORT_MODULE}.`)) {
        throw new PolicyError(
          `"imports[${index}]": the "${entry.slice(0, entry.indexOf("."))}" module is reserved for stelp (approve host tools under "tools")`,
          `imports[${index}]`,
        );
      }
      if (!imports.includes(entry)) imports.push(entry);
    });
  }
  let random: Policy["random"] = null;
  if (document.random !== undefined && document.random !== null) {
    if (!isPlainObject(document.random)) throw new PolicyError(`"random" must be null or { "seed": integer }`, "random");
    rejectUnknownFields(document.random, ["seed"], "random");
    const seed = document.random.seed;
    if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
      throw new PolicyError(`"random.seed" must be a non-negative safe integer, got ${shown(seed)}`, "random.seed");
    }
    random = { seed };
  }
  return {
    name: typeof document.name === "string" ? document.name : "unnamed",
    description: typeof document.description === "string" ? document.description : "",
    limits,
    imports,
    random,
    tools: validateTools(document.tools),
  };
}

function validateTools(value: unknown): Record<string, ToolLimits> {
  // Null prototype: a tool called "constructor" or "__proto__" is just a name.
  const tools: Record<string, ToolLimits> = Object.create(null) as Record<string, ToolLimits>;
  if (value === undefined) return tools;
  if (!isPlainObject(value)) throw new PolicyError(`"tools" must be an object: { "toolName": { "maxCalls": …, … } }`, "tools");
  for (const [name, entry] of Object.entries(value)) {
    const where = `tools.${name}`;
    if (!TOOL_NAME.test(name) || name.startsWith("__")) {
      throw new PolicyError(`"${where}": a tool name must be an identifier of letters, digits and _ (at most 64, not starting with a digit or "__")`, where);
    }
    const limits: ToolLimits = { ...DEFAULT_TOOL_LIMITS };
    if (entry !== true) {
      if (!isPlainObject(entry)) throw new PolicyError(`"${where}" must be true or an object of limits (maxCalls, maxArgumentBytes, maxResultBytes)`, where);
      rejectUnknownFields(entry, Object.keys(TOOL_LIMIT_RANGES), where);
      for (const [key, [min, max]] of Object.entries(TOOL_LIMIT_RANGES) as [keyof ToolLimits, [number, number]][]) {
        const v = entry[key];
        if (v === undefined) continue;
        if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
          throw new PolicyError(`"${where}.${key}" must be an integer from ${min} to ${max}, got ${shown(v)}`, `${where}.${key}`);
        }
        limits[key] = v;
      }
    }
    tools[name] = limits;
  }
  return tools;
}

/** A value as an error message shows it: JSON, except numbers JSON cannot write (1e400 is Infinity). */
function shown(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function defaultPolicyPath(): string {
  return join(packageRoot(), "policies", "default.json");
}

/** Reads and validates a policy file. Throws PolicyError with the file in the message. */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PolicyError(`cannot read policy file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, "");
  }
  let document: unknown;
  try {
    // A byte-order mark is not JSON, but editors write one; it changes nothing in the document.
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    // JSON.parse quotes the start of the file in its message: keep the error on one line and free of
    // control characters (a newline or an escape sequence in the file must not reach the terminal).
    const reason = (error as Error).message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
    throw new PolicyError(`policy file ${path} is not valid JSON: ${reason}`, "");
  }
  try {
    return validatePolicy(document);
  } catch (error) {
    if (error instanceof PolicyError) throw new PolicyError(`policy file ${path}: ${error.message}`, error.field);
    throw error;
  }
}

export function defaultPolicy(): Policy {
  return loadPolicyFile(defaultPolicyPath());
}

/** The import module of host tools: `stelp_tools.<tool name>`, plus `stelp_tools.__result` (see src/tools.ts). */
export const TOOL_IMPORT_MODULE = "stelp_tools";
/** The import that copies a tool call's result (or error message) into the module's memory. */
export const TOOL_RESULT_IMPORT = "__result";

/** Every import a module may have under this policy, as "module.name". */
export function approvedImports(policy: Policy): string[] {
  const tools = Object.keys(policy.tools ?? {});
  const toolImports = tools.length === 0 ? [] : [...tools.map((name) => `${TOOL_IMPORT_MODULE}.${name}`), `${TOOL_IMPORT_MODULE}.${TOOL_RESULT_IMPORT}`];
  return [...BASE_IMPORTS, ...policy.imports, ...toolImports];
}

/** Stable hash of the policy's effective content (not its file layout): part of cache keys and build metadata. */
export function policyHash(policy: Policy): string {
  const approved = policy.tools ?? {};
  const tools = Object.keys(approved)
    .sort()
    .map((name) => [name, approved[name]]);
  const canonical = JSON.stringify({ limits: policy.limits, imports: [...policy.imports].sort(), random: policy.random, ...(tools.length > 0 ? { tools } : {}) });
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** Returns a copy of the policy with some limits overridden (CLI flags such as --fuel). */
export function withLimits(policy: Policy, overrides: Partial<PolicyLimits>): Policy {
  const limits = { ...policy.limits };
  for (const [key, value] of Object.entries(overrides) as [keyof PolicyLimits, number | undefined][]) {
    if (value === undefined) continue;
    const [min, max] = LIMIT_RANGES[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new PolicyError(`limit "${key}" must be an integer from ${min} to ${max}, got ${value}`, `limits.${key}`);
    }
    limits[key] = value;
  }
  return { ...policy, limits };
}
