/**
 * `stelp bench` results: OUT/results.jsonl (a header line, then one SafetyRecord per finished item,
 * appended and written through as each item finishes, so an interrupted bench resumes where it
 * stopped) and OUT/summary.json (the table, the outcome breakdown and the latency percentiles).
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeSync } from "node:fs";
import { join, relative } from "node:path";
import { SAFETY_OUTCOMES, summarize, type SafetyOutcome, type SafetyRecord, type SafetySummary } from "../safety/summary.js";
import { scanSource } from "./baseline-scanner.js";
import type { Dataset } from "./datasets.js";

export const RESULTS_FILE = "results.jsonl";
export const SUMMARY_FILE = "summary.json";
export const REPORT_FILE = "report.html";

/** The first line of results.jsonl: what the records were produced with. A resume must match it. */
export interface BenchHeader {
  kind: "stelp-bench-header";
  dataset: string;
  datasetPath: string;
  datasetHash: string;
  policy: string;
  policyHash: string;
  engine: string;
  stelpVersion: string;
  /** A hash of the built library (dist/src, host-bindings/assembly): informational, a resume warns when it differs. */
  stelpBuild?: string;
  created: string;
}

/** The header fields a resume must agree on (created and datasetPath may differ). */
export const HEADER_KEYS = ["dataset", "datasetHash", "policyHash", "engine", "stelpVersion"] as const;

export interface LoadedResults {
  header: BenchHeader | null;
  records: SafetyRecord[];
  /** Bytes of a trailing partial line (an interrupted write) that were dropped. */
  droppedBytes: number;
}

/** Reads OUT/results.jsonl; a final line without its newline (the bench was killed mid-write) is dropped from the file. */
export function loadResults(out: string): LoadedResults {
  const file = join(out, RESULTS_FILE);
  if (!existsSync(file)) return { header: null, records: [], droppedBytes: 0 };
  const text = readFileSync(file, "utf8");
  const end = text.lastIndexOf("\n") + 1;
  const droppedBytes = Buffer.byteLength(text.slice(end));
  if (droppedBytes > 0) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  let header: BenchHeader | null = null;
  const records: SafetyRecord[] = [];
  text
    .slice(0, end)
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${i + 1}: not JSON; remove the file or run with --fresh`);
      }
      const object = value as { kind?: string; id?: unknown };
      if (object.kind === "stelp-bench-header") {
        if (i !== 0) throw new Error(`${file}:${i + 1}: a second header; remove the file or run with --fresh`);
        header = value as BenchHeader;
      } else if (typeof object.id === "string") records.push(value as SafetyRecord);
    });
  return { header, records, droppedBytes };
}

/** Differences between a stored header and the current settings, as "key: stored → current". */
export function headerMismatch(stored: BenchHeader, current: BenchHeader): string[] {
  return HEADER_KEYS.filter((key) => stored[key] !== current[key]).map((key) => `${key}: ${JSON.stringify(stored[key])} in the results, ${JSON.stringify(current[key])} now`);
}

/** A hash of the running build: the compiled library and the AssemblyScript runtime it compiles against. */
export function buildHash(root: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".js") || name.endsWith(".ts")) hash.update(relative(root, path)).update(readFileSync(path));
    }
  };
  walk(join(root, "dist", "src"));
  walk(join(root, "host-bindings", "assembly"));
  return hash.digest("hex").slice(0, 16);
}

/** Appends lines to results.jsonl, each written through to the file as it comes. */
export class ResultsWriter {
  private fd: number;

  constructor(out: string, header: BenchHeader | null) {
    mkdirSync(out, { recursive: true });
    const file = join(out, RESULTS_FILE);
    this.fd = openSync(file, header ? "w" : "a");
    if (header) this.line(header);
  }

  line(value: unknown): void {
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export const STAGES = ["parse", "check", "emit", "compile", "instrument", "run", "total"] as const;
export type Stage = (typeof STAGES)[number];

export interface StageLatency {
  /** Items that reached the stage (a stage that did not run has no timing). */
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
  max: number | null;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** A stage's time in a record: the pipeline's timings; "total" is the item's wall time (canaries included). */
export function stageTime(record: SafetyRecord, stage: Stage): number | undefined {
  const value = stage === "total" ? record.timings.wallMs : record.timings[stage];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function latencyByStage(records: readonly SafetyRecord[]): Record<Stage, StageLatency> {
  const out = {} as Record<Stage, StageLatency>;
  for (const stage of STAGES) {
    // A stage that did not run reports 0 (e.g. compile for a rejected snippet): count only the ones that ran.
    const values = records
      .map((r) => stageTime(r, stage))
      .filter((v): v is number => v !== undefined && (stage === "total" || v > 0))
      .sort((a, b) => a - b);
    out[stage] = {
      n: values.length,
      p50: round(percentile(values, 50)),
      p95: round(percentile(values, 95)),
      p99: round(percentile(values, 99)),
      mean: round(values.length ? values.reduce((a, b) => a + b, 0) / values.length : null),
      max: round(values.length ? values[values.length - 1]! : null),
    };
  }
  return out;
}

/** Histogram of total latency: `bins` equal-width bins on a log scale between the smallest and largest value. */
export function latencyHistogram(records: readonly SafetyRecord[], bins = 20): { from: number; to: number; count: number }[] {
  const values = records.map((r) => stageTime(r, "total")).filter((v): v is number => v !== undefined && v > 0);
  if (values.length === 0) return [];
  const lo = Math.log10(Math.min(...values));
  const hi = Math.log10(Math.max(...values));
  const width = hi > lo ? (hi - lo) / bins : 1;
  const out = Array.from({ length: hi > lo ? bins : 1 }, (_, i) => ({ from: round(10 ** (lo + i * width))!, to: round(10 ** (lo + (i + 1) * width))!, count: 0 }));
  for (const v of values) {
    const i = hi > lo ? Math.min(out.length - 1, Math.floor((Math.log10(v) - lo) / width)) : 0;
    out[i]!.count++;
  }
  return out;
}

/** The outcome breakdown beside the table. */
export interface Breakdown {
  /** blocked-check items by their first error rule. */
  blockedAtCheck: Record<string, number>;
  /** blocked-audit items by their first error rule. */
  blockedByAudit: Record<string, number>;
  /** contained items by bound. */
  containedByBound: Record<string, number>;
  escaped: { id: string; canaries: string[] }[];
  /** Allow items that ran to ok but printed something other than their expectedStdout. */
  miscompiled: { id: string; note?: string }[];
  internalErrors: { id: string; status: string; note?: string }[];
  /** Block items that ran to completion without touching a canary (not blocked, not escaped). */
  completedBlockItems: string[];
}

function counts(records: readonly SafetyRecord[], outcome: SafetyOutcome, key: (r: SafetyRecord) => string): Record<string, number> {
  const map = new Map<string, number>();
  for (const r of records) if (r.outcome === outcome) map.set(key(r), (map.get(key(r)) ?? 0) + 1);
  return Object.fromEntries([...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export function breakdown(records: readonly SafetyRecord[]): Breakdown {
  return {
    blockedAtCheck: counts(records, "blocked-check", (r) => r.rules[0] ?? "(no diagnostic)"),
    blockedByAudit: counts(records, "blocked-audit", (r) => r.rules[0] ?? "(no diagnostic)"),
    containedByBound: counts(records, "contained", (r) => r.bound ?? "(unknown)"),
    escaped: records.filter((r) => r.outcome === "escaped").map((r) => ({ id: r.id, canaries: r.canaries })),
    miscompiled: records.filter((r) => r.expect === "allow" && r.outcome === "completed" && !r.allowed).map((r) => ({ id: r.id, ...(r.note ? { note: r.note } : {}) })),
    internalErrors: records.filter((r) => r.outcome === "internal-error").map((r) => ({ id: r.id, status: r.status, ...(r.note ? { note: r.note } : {}) })),
    completedBlockItems: records.filter((r) => r.expect === "block" && r.outcome === "completed").map((r) => r.id),
  };
}

/** The baseline scanner over the same items: a summary of records where "flagged" counts as blocked. */
export function baselineSummary(dataset: Dataset, ids?: ReadonlySet<string>): { summary: SafetySummary; flaggedByRule: Record<string, number> } {
  const records = [];
  const byRule = new Map<string, number>();
  for (const item of dataset.items) {
    if (ids && !ids.has(item.id)) continue;
    const verdict = scanSource(item.test === undefined ? item.code : `${item.code}\n${item.test}`);
    for (const rule of verdict.rules) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    const outcome: SafetyOutcome = verdict.flagged ? "blocked-check" : "completed";
    records.push({
      id: item.id,
      category: item.category ?? "uncategorised",
      expect: item.expect,
      outcome,
      rules: verdict.rules,
      bound: null,
      blocked: item.expect === "block" && verdict.flagged,
      allowed: item.expect === "allow" && !verdict.flagged,
    });
  }
  return { summary: summarize(records), flaggedByRule: Object.fromEntries([...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) };
}

export interface BenchSummaryDocument {
  kind: "stelp-bench-summary";
  dataset: string;
  datasetPath: string;
  datasetHash: string;
  engine: string;
  policy: string;
  policyHash: string;
  stelpVersion: string;
  /** Items of the dataset (after --limit) and how many have results. */
  items: number;
  done: number;
  /** Not every item of the dataset has a result (--limit, or an interrupted run). */
  partial: boolean;
  /** Items skipped at the start because results.jsonl already had them. */
  resumed: number;
  concurrency: number;
  /** This invocation's wall time, ms (not comparable across resumed runs). */
  wallMs: number;
  summary: SafetySummary;
  breakdown: Breakdown;
  latency: Record<Stage, StageLatency>;
  histogram: { from: number; to: number; count: number }[];
  /** Fuel used per item in dataset order (null when the run had no fuel trailer), for determinism checks. */
  fuel: Record<string, number | null>;
  baseline?: { label: string; summary: SafetySummary; flaggedByRule: Record<string, number> };
}

export const BASELINE_LABEL = "BASELINE: naive regex scanner (CodeShield-style patterns; not stelp)";

export { SAFETY_OUTCOMES };
