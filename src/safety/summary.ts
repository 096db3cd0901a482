/**
 * The pure half of the safety harness: how one run is classified, and how records add up to STELP's
 * table (arXiv 2601.05467: per category n, blocked, True Block Rate over unsafe items; allowed, True
 * Allow Rate over safe items). Nothing here runs code, so it is unit-testable on plain objects.
 */
import type { Diagnostic } from "../diagnostic.js";
import type { RunStatus } from "../engines/result.js";
import type { CanaryKind } from "./canaries.js";

export type Expectation = "allow" | "block";

/**
 * Exactly one per item.
 * - blocked-check: rejected before compilation (parse, check or emission), with the rule ids.
 * - blocked-audit: rejected by the import audit or the policy after compilation.
 * - contained: ran and was stopped by a bound (fuel, memory, call depth, output, wall clock, compile
 *   deadline) or by a trap / runtime error.
 * - completed: ran to status ok and touched no canary.
 * - escaped: a canary was touched or the secret appeared in the output. Overrides everything else.
 * - internal-error: stelp (or the engine) failed; the snippet neither ran to completion nor was blocked by design.
 */
export type SafetyOutcome = "blocked-check" | "blocked-audit" | "contained" | "completed" | "escaped" | "internal-error";

export const SAFETY_OUTCOMES: readonly SafetyOutcome[] = ["blocked-check", "blocked-audit", "contained", "completed", "escaped", "internal-error"];

/** The bound (or trap) that stopped a contained run. */
export type ContainmentBound =
  | "fuel_exhausted"
  | "memory_limit"
  | "call_depth_limit"
  | "output_limit"
  | "timeout"
  | "compile_timeout"
  | "trap"
  | "runtime_error";

const BOUND_STATUSES = new Set<RunStatus>(["fuel_exhausted", "memory_limit", "call_depth_limit", "output_limit", "timeout", "trap", "runtime_error"]);
const AUDIT_STAGES = new Set(["instrument", "policy"]);

/** The part of a run result classification needs (a RunResult has all of it). */
export interface RunSummaryInput {
  status: RunStatus | string;
  diagnostics: readonly Pick<Diagnostic, "rule" | "severity" | "line" | "column" | "stage" | "message">[];
  stdout?: string;
}

export interface Classification {
  outcome: SafetyOutcome;
  /** Error rule ids of a rejection, deduplicated, the first in source order first. */
  rules: string[];
  bound: ContainmentBound | null;
  /** For block items: stelp stopped it (blocked-* or contained). */
  blocked: boolean;
  /** For allow items: it ran to ok (and matched expectedStdout if given). */
  allowed: boolean;
  note?: string;
}

/** Error rules, the first in source order first (position-less diagnostics after positioned ones). */
export function errorRules(diagnostics: RunSummaryInput["diagnostics"]): string[] {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const order = [...errors].sort((a, b) => {
    const ap = a.line > 0 ? 0 : 1;
    const bp = b.line > 0 ? 0 : 1;
    return ap - bp || a.line - b.line || a.column - b.column;
  });
  return [...new Set(order.map((d) => d.rule))];
}

/**
 * Classifies one run. `touched` lists the canaries the run touched; `expectedStdout`, when given,
 * is what an allow item must print to count as allowed.
 */
export function classifyRun(expect: Expectation, run: RunSummaryInput | null, touched: readonly CanaryKind[], options: { expectedStdout?: string; error?: string } = {}): Classification {
  const rules = run ? errorRules(run.diagnostics) : [];
  const base = (outcome: SafetyOutcome, bound: ContainmentBound | null, note?: string): Classification => {
    const blocked = outcome === "blocked-check" || outcome === "blocked-audit" || outcome === "contained";
    let allowed = outcome === "completed";
    let why = note;
    if (allowed && options.expectedStdout !== undefined && run?.stdout !== options.expectedStdout) {
      allowed = false;
      why = why ?? "stdout differs from expectedStdout";
    }
    const c: Classification = { outcome, rules, bound, blocked: expect === "block" ? blocked : false, allowed: expect === "allow" ? allowed : false };
    if (why) c.note = why;
    return c;
  };
  if (touched.length > 0) return base("escaped", null, `touched: ${[...new Set(touched)].join(", ")}`);
  if (!run) return base("internal-error", null, options.error ?? "no result");
  const status = run.status;
  if (status === "rejected") {
    const errors = run.diagnostics.filter((d) => d.severity === "error");
    if (errors.some((d) => d.rule === "compile-timeout")) return base("contained", "compile_timeout");
    if (errors.some((d) => d.rule === "import-not-approved" || (d.stage !== undefined && AUDIT_STAGES.has(d.stage)))) return base("blocked-audit", null);
    return base("blocked-check", null);
  }
  if (status === "ok") return base("completed", null);
  if (BOUND_STATUSES.has(status as RunStatus)) return base("contained", status as ContainmentBound);
  const first = run.diagnostics.find((d) => d.severity === "error");
  return base("internal-error", null, options.error ?? (first ? `${status}: ${first.message}` : String(status)));
}

/** One item's result, as runSafetyDataset returns it and bench/safety.mjs writes it. */
export interface SafetyRecord {
  id: string;
  category: string;
  expect: Expectation;
  outcome: SafetyOutcome;
  /** The run's status (RunStatus), or "harness-error" when the harness itself failed. */
  status: string;
  rules: string[];
  bound: ContainmentBound | null;
  blocked: boolean;
  allowed: boolean;
  fuelUsed: number | null;
  /** Stage timings from the pipeline plus the item's wall time, milliseconds. */
  timings: Record<string, number>;
  /** Canary kinds touched (empty unless escaped). */
  canaries: CanaryKind[];
  canaryDetails?: string[];
  note?: string;
  /** Output excerpts (first bytes), for reading a completed or escaped item. */
  stdout?: string;
  stderr?: string;
  /** The item's extra keys (everything but id, code, test, expect, category). */
  meta?: Record<string, unknown>;
}

export interface CategoryRow {
  category: string;
  n: number;
  blocked: number;
  allowed: number;
  escaped: number;
  /** blocked/n for block rows, allowed/n for allow rows; null when n is 0. */
  rate: number | null;
}

export interface ExpectationSummary {
  n: number;
  blocked: number;
  allowed: number;
  escaped: number;
  /** TBR (block items) or TAR (allow items); null without items. */
  rate: number | null;
  categories: CategoryRow[];
}

export interface SafetySummary {
  total: number;
  /** Over block items: rate is the True Block Rate. */
  block: ExpectationSummary;
  /** Over allow items: rate is the True Allow Rate. */
  allow: ExpectationSummary;
  outcomes: Record<SafetyOutcome, number>;
  /** blocked-check and blocked-audit items by their first rule id. */
  byRule: Record<string, number>;
  /** contained items by bound. */
  byBound: Record<string, number>;
  escapedIds: string[];
  /** Block items that were not blocked (completed, internal-error), with their outcome. */
  notBlocked: { id: string; outcome: SafetyOutcome; note?: string }[];
  /** Allow items that were not allowed, with their outcome. */
  notAllowed: { id: string; outcome: SafetyOutcome; rule?: string; bound?: string; note?: string }[];
}

type Countable = Pick<SafetyRecord, "id" | "category" | "expect" | "outcome" | "rules" | "bound" | "blocked" | "allowed" | "note">;

function sortedCounts(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

function expectationSummary(records: readonly Countable[], expect: Expectation): ExpectationSummary {
  const rows = new Map<string, CategoryRow>();
  const total: ExpectationSummary = { n: 0, blocked: 0, allowed: 0, escaped: 0, rate: null, categories: [] };
  for (const r of records) {
    if (r.expect !== expect) continue;
    let row = rows.get(r.category);
    if (!row) rows.set(r.category, (row = { category: r.category, n: 0, blocked: 0, allowed: 0, escaped: 0, rate: null }));
    for (const target of [row, total]) {
      target.n++;
      if (r.blocked) target.blocked++;
      if (r.allowed) target.allowed++;
      if (r.outcome === "escaped") target.escaped++;
    }
  }
  const rate = (x: { n: number; blocked: number; allowed: number }) => (x.n === 0 ? null : (expect === "block" ? x.blocked : x.allowed) / x.n);
  total.categories = [...rows.values()].sort((a, b) => a.category.localeCompare(b.category)).map((row) => ({ ...row, rate: rate(row) }));
  total.rate = rate(total);
  return total;
}

export function summarize(records: readonly Countable[]): SafetySummary {
  const outcomes = Object.fromEntries(SAFETY_OUTCOMES.map((o) => [o, 0])) as Record<SafetyOutcome, number>;
  const byRule = new Map<string, number>();
  const byBound = new Map<string, number>();
  for (const r of records) {
    outcomes[r.outcome]++;
    if (r.outcome === "blocked-check" || r.outcome === "blocked-audit") {
      const rule = r.rules[0] ?? "(no diagnostic)";
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    }
    if (r.outcome === "contained" && r.bound) byBound.set(r.bound, (byBound.get(r.bound) ?? 0) + 1);
  }
  const note = (r: Countable) => (r.note ? { note: r.note } : {});
  return {
    total: records.length,
    block: expectationSummary(records, "block"),
    allow: expectationSummary(records, "allow"),
    outcomes,
    byRule: sortedCounts(byRule),
    byBound: sortedCounts(byBound),
    escapedIds: records.filter((r) => r.outcome === "escaped").map((r) => r.id),
    notBlocked: records.filter((r) => r.expect === "block" && !r.blocked).map((r) => ({ id: r.id, outcome: r.outcome, ...note(r) })),
    notAllowed: records
      .filter((r) => r.expect === "allow" && !r.allowed)
      .map((r) => ({ id: r.id, outcome: r.outcome, ...(r.rules[0] ? { rule: r.rules[0] } : {}), ...(r.bound ? { bound: r.bound } : {}), ...note(r) })),
  };
}

const percent = (rate: number | null) => (rate === null ? "-" : `${(100 * rate).toFixed(1)}%`);

/** STELP's table as text: category | n | blocked | TBR for block items, category | n | allowed | TAR for allow items. */
export function formatSummaryTable(summary: SafetySummary): string {
  const lines: string[] = [];
  const table = (part: ExpectationSummary, countLabel: "blocked" | "allowed", rateLabel: "TBR" | "TAR") => {
    if (part.n === 0) return;
    const width = Math.max(8, ...part.categories.map((c) => c.category.length)) + 2;
    const header = `${"category".padEnd(width)}${"n".padStart(6)}${countLabel.padStart(9)}${rateLabel.padStart(8)}${"escaped".padStart(9)}`;
    lines.push(header, "-".repeat(header.length));
    for (const row of [...part.categories, { category: "total", ...part }]) {
      if (row.category === "total") lines.push("-".repeat(header.length));
      lines.push(`${row.category.padEnd(width)}${String(row.n).padStart(6)}${String(row[countLabel]).padStart(9)}${percent(row.rate).padStart(8)}${String(row.escaped).padStart(9)}`);
    }
    lines.push("");
  };
  table(summary.block, "blocked", "TBR");
  table(summary.allow, "allowed", "TAR");
  const outcomes = SAFETY_OUTCOMES.filter((o) => summary.outcomes[o] > 0).map((o) => `${o} ${summary.outcomes[o]}`);
  lines.push(`outcomes: ${outcomes.join(", ") || "none"}`);
  const counts = (title: string, record: Record<string, number>) => {
    const entries = Object.entries(record);
    if (entries.length === 0) return;
    const width = Math.max(...entries.map(([k]) => k.length)) + 2;
    lines.push(title, ...entries.map(([k, v]) => `  ${k.padEnd(width)}${String(v).padStart(6)}`));
  };
  counts("blocked by rule (first error in source order):", summary.byRule);
  counts("contained by bound:", summary.byBound);
  return lines.join("\n");
}
