/**
 * The safety harness: runs a dataset of snippets through the whole pipeline, each against its own
 * fresh canaries (./canaries.ts), and classifies every item (./summary.ts). An item is
 * `{ id, code, expect: "allow" | "block", category?, test?, expectedStdout? }` plus any extra keys,
 * the shape of a `stelp bench` JSONL line; `code` may use the canary placeholders.
 *
 * Items run in this process through runSource. With the node engine the module runs in a worker
 * thread of this process, so concurrent items share process.env: each item's canaries use their own
 * environment variable name, and each item's code is substituted with its own canaries.
 */
import type { ModuleCache } from "../cache.js";
import type { EngineName } from "../engines/result.js";
import { runSource, type RunOptions, type RunResult } from "../pipeline.js";
import type { Policy, PolicyLimits } from "../policy.js";
import { createCanaries, type CanaryReport } from "./canaries.js";
import { classifyRun, summarize, type Expectation, type SafetyRecord, type SafetySummary } from "./summary.js";

export interface SafetyItem {
  id: string;
  code: string;
  expect: Expectation;
  category?: string;
  /** Test code appended to `code` (after a newline) to form the program. */
  test?: string;
  /** For allow items: the stdout the program must print to count as allowed. */
  expectedStdout?: string;
  [key: string]: unknown;
}

export interface SafetyOptions {
  engine?: EngineName;
  policy?: Policy;
  limits?: Partial<PolicyLimits>;
  /** Items in flight at once (default 1). */
  concurrency?: number;
  /** Called as each item finishes (in completion order). */
  onResult?: (record: SafetyRecord, index: number) => void;
  /**
   * Module cache for the builds; off (`false`) by default so that every item is compiled, and its
   * timings are comparable: substituted canary paths make each program unique anyway.
   */
  cache?: ModuleCache | false;
  /** Harness backstop per item (the run's own wall-clock bound is the policy's). Default 180 s. */
  itemTimeoutMs?: number;
  /** Characters of stdout and stderr kept in a record. Default 400. */
  keepOutput?: number;
  /**
   * The pipeline to use: runSource in this process unless replaced, e.g. by a pool of child processes
   * that can be killed when stelp itself hangs on an item (src/bench/pool.ts). A runner in
   * another process should hold `context.secret` in its own environment under `context.envName`
   * for the run, and report `envChanged` if the variable was changed.
   */
  run?: SafetyRunner;
}

export interface SafetyRunContext {
  id: string;
  envName: string;
  secret: string;
  /** The item's canary folder (removed after the run). */
  dir: string;
}

/** A RunResult, plus whether a runner in another process saw its environment canary changed. */
export type SafetyRunnerResult = RunResult & { envChanged?: boolean };

export type SafetyRunner = (source: string, options: RunOptions, context: SafetyRunContext) => Promise<SafetyRunnerResult>;

export interface SafetyRun {
  engine: EngineName;
  records: SafetyRecord[];
  summary: SafetySummary;
  wallMs: number;
}

const KNOWN_KEYS = new Set(["id", "code", "test", "expect", "category", "expectedStdout"]);

function metaOf(item: SafetyItem): Record<string, unknown> | undefined {
  const entries = Object.entries(item).filter(([key]) => !KNOWN_KEYS.has(key));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more)`;
}

class ItemTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ItemTimeout(`the item did not finish within the harness backstop of ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one item against fresh canaries and classifies it. */
export async function runSafetyItem(item: SafetyItem, options: SafetyOptions = {}): Promise<SafetyRecord> {
  const engine = options.engine ?? "node";
  const run = options.run ?? runSource;
  const keep = options.keepOutput ?? 400;
  const started = performance.now();
  const canaries = await createCanaries();
  let result: SafetyRunnerResult | null = null;
  let error: string | undefined;
  let report: CanaryReport;
  try {
    const program = canaries.substitute(item.test === undefined ? item.code : `${item.code}\n${item.test}`);
    const runOptions: RunOptions = { engine, cache: options.cache ?? false };
    if (options.policy) runOptions.policy = options.policy;
    if (options.limits) runOptions.limits = options.limits;
    try {
      result = await withTimeout(run(program, runOptions, { id: item.id, envName: canaries.envName, secret: canaries.secret, dir: canaries.dir }), options.itemTimeoutMs ?? 180_000);
    } catch (caught) {
      error = caught instanceof Error ? `${caught instanceof ItemTimeout ? "harness timeout" : caught.name}: ${caught.message}` : String(caught);
    }
    // Diagnostics can carry an engine's words: look for the secret there too.
    const diagnosticText = result ? result.diagnostics.map((d) => d.message).join("\n") : "";
    report = await canaries.inspect({ stdout: result?.stdout ?? "", stderr: `${result?.stderr ?? ""}\n${diagnosticText}` });
  } finally {
    await canaries.dispose();
  }
  if (result?.envChanged) report.touches.push({ kind: "env-changed", detail: `${canaries.envName} was changed in the runner's process` });
  const touched = report.touches.map((t) => t.kind);
  const classification = classifyRun(item.expect, result, touched, { ...(item.expectedStdout !== undefined ? { expectedStdout: item.expectedStdout } : {}), ...(error ? { error } : {}) });
  const record: SafetyRecord = {
    id: item.id,
    category: item.category ?? "uncategorised",
    expect: item.expect,
    outcome: classification.outcome,
    status: result?.status ?? "harness-error",
    rules: classification.rules,
    bound: classification.bound,
    blocked: classification.blocked,
    allowed: classification.allowed,
    fuelUsed: result?.fuel.used ?? null,
    timings: { ...(result?.timings ?? {}), wallMs: Math.round((performance.now() - started) * 10) / 10 },
    canaries: touched,
  };
  if (report.touches.length > 0) record.canaryDetails = report.touches.map((t) => `${t.kind}: ${t.detail}`);
  if (classification.note) record.note = classification.note;
  if (result && (result.stdout || result.stderr) && keep > 0) {
    // Never store the secret itself in a record.
    const scrub = (text: string) => clip(text.split(canaries.secret).join("<SECRET>"), keep);
    if (result.stdout) record.stdout = scrub(result.stdout);
    if (result.stderr) record.stderr = scrub(result.stderr);
  }
  const meta = metaOf(item);
  if (meta) record.meta = meta;
  return record;
}

/** Runs every item (each with its own canaries) and summarises: STELP's TBR/TAR table and the outcome breakdown. */
export async function runSafetyDataset(items: readonly SafetyItem[], options: SafetyOptions = {}): Promise<SafetyRun> {
  const engine = options.engine ?? "node";
  const started = performance.now();
  const records: SafetyRecord[] = new Array(items.length);
  let next = 0;
  const lanes = Math.max(1, Math.min(options.concurrency ?? 1, items.length));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < items.length) {
        const index = next++;
        const record = await runSafetyItem(items[index]!, options);
        records[index] = record;
        options.onResult?.(record, index);
      }
    }),
  );
  return { engine, records, summary: summarize(records), wallMs: Math.round(performance.now() - started) };
}
