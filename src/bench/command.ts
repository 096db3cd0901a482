/**
 * `stelp bench DATASET [--policy P] [--engine node|wasmtime] [--concurrency N] [--out DIR] [--compare]
 * [--limit N] [--fresh] [--quiet] [--json] [--item-timeout MS]`: runs a dataset of snippets through
 * the safety harness (src/safety/) in a pool of worker processes, resumably, and reports STELP's
 * table (TBR over block items, TAR over allow items), the outcome breakdown, per-stage latency
 * percentiles, OUT/summary.json and a self-contained OUT/report.html.
 *
 * Exit codes: 0 the bench completed (whatever the rates; items that were not blocked are reported),
 * 10 an item ESCAPED (a canary was touched), 64 usage error (including a resume refused because
 * the settings differ), 65 the dataset is malformed, 66 the dataset file is missing (for
 * attacks-public: ../shared is not beside the project), 69 wasmtime not installed, 78 invalid
 * policy, 130 interrupted (the results so far are kept for a resume), 1 internal error.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { POLICY_EXIT_CODE, USAGE_EXIT_CODE, type EngineName } from "../engines/result.js";
import { findWasmtime } from "../engines/wasmtime.js";
import { packageRoot, packageVersion } from "../paths.js";
import { defaultPolicy, loadPolicyFile, policyHash, PolicyError, type Policy } from "../policy.js";
import { disposeAllCanariesSync } from "../safety/canaries.js";
import { runSafetyDataset } from "../safety/harness.js";
import { formatSummaryTable, summarize as summarizeRecords, type ExpectationSummary, type SafetyRecord, type SafetySummary } from "../safety/summary.js";
import { BUNDLED_DATASETS, DatasetFormatError, DatasetMissingError, loadDataset, type Dataset } from "./datasets.js";
import { createSafetyPool, type SafetyPool } from "./pool.js";
import { Progress, formatDuration } from "./progress.js";
import { renderReport } from "./report-html.js";
import {
  BASELINE_LABEL,
  baselineSummary,
  breakdown,
  buildHash,
  headerMismatch,
  latencyByStage,
  latencyHistogram,
  loadResults,
  REPORT_FILE,
  RESULTS_FILE,
  ResultsWriter,
  STAGES,
  SUMMARY_FILE,
  type BenchHeader,
  type BenchSummaryDocument,
} from "./results.js";

/** An item escaped. Not a RunStatus code (src/engines/result.ts uses 0–8, 64, 69, 78). */
export const ESCAPED_EXIT_CODE = 10;
/** A dataset line is not JSON or lacks id, code or expect (sysexits EX_DATAERR). */
export const DATASET_INVALID_EXIT_CODE = 65;
/** The dataset file is missing; for attacks-public, ../shared is not beside the project (sysexits EX_NOINPUT). */
export const DATASET_MISSING_EXIT_CODE = 66;
/** SIGINT or SIGTERM: the results so far stay in OUT/results.jsonl for a resume. */
export const INTERRUPTED_EXIT_CODE = 130;
const ENGINE_UNAVAILABLE_EXIT_CODE = 69;

export const BENCH_USAGE = `Usage: stelp bench DATASET [options]

DATASET is a JSONL file of { id, code, expect: "allow"|"block", category?, test?, expectedStdout? }
or a bundled name: ${BUNDLED_DATASETS.join(", ")}.

Options:
  --policy FILE        policy JSON (default: policies/default.json)
  --engine NAME        node (default) or wasmtime
  --concurrency N      worker processes (default: available cores)
  --out DIR            results folder (default: stelp-bench/DATASET-ENGINE); a rerun resumes
  --fresh              discard DIR's results and start over
  --limit N            only the first N items of the dataset
  --compare            also score a naive regex scanner (baseline) on the same items
  --item-timeout MS    kill a worker that has not finished an item (default 90000)
  --json               print summary.json instead of the tables
  --quiet              no progress display

Exit codes: 0 completed, 10 an item ESCAPED, 64 usage, 65 malformed dataset, 66 dataset missing,
69 wasmtime missing, 78 invalid policy, 130 interrupted (resumable).
`;

export interface BenchStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface BenchIO {
  stdout: BenchStream;
  stderr: BenchStream;
  /** Where relative paths resolve (default process.cwd()). */
  cwd?: string;
}

class UsageError extends Error {}

interface BenchOptions {
  dataset: string;
  policyPath?: string;
  engine: EngineName;
  concurrency: number;
  out?: string;
  compare: boolean;
  limit: number;
  fresh: boolean;
  quiet: boolean;
  json: boolean;
  itemTimeoutMs: number;
}

function parseBenchArgs(args: string[]): BenchOptions | "help" {
  if (args.includes("-h") || args.includes("--help")) return "help";
  const options: BenchOptions = { dataset: "", engine: "node", concurrency: availableParallelism(), compare: false, limit: Infinity, fresh: false, quiet: false, json: false, itemTimeoutMs: 90_000 };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    const count = (): number => {
      const text = value();
      if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${arg} takes a positive whole number, got "${text}"`);
      return Number(text);
    };
    if (arg === "--policy") options.policyPath = value();
    else if (arg === "--engine") {
      const engine = value();
      if (engine !== "node" && engine !== "wasmtime") throw new UsageError(`--engine must be node or wasmtime, got "${engine}"`);
      options.engine = engine;
    } else if (arg === "--concurrency" || arg === "-j") options.concurrency = count();
    else if (arg === "--out") options.out = value();
    else if (arg === "--compare") options.compare = true;
    else if (arg === "--limit") options.limit = count();
    else if (arg === "--fresh") options.fresh = true;
    else if (arg === "--quiet" || arg === "-q") options.quiet = true;
    else if (arg === "--json") options.json = true;
    else if (arg === "--item-timeout") options.itemTimeoutMs = count();
    else if (arg.startsWith("-")) throw new UsageError(`unknown bench option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(`bench takes exactly one DATASET (a .jsonl file or ${BUNDLED_DATASETS.join(", ")})`);
  options.dataset = positional[0]!;
  return options;
}


const pct = (rate: number | null) => (rate === null ? "-" : `${(100 * rate).toFixed(1)}%`);
const ms = (x: number | null) => (x === null ? "-" : x >= 1000 ? `${(x / 1000).toFixed(2)}s` : `${x.toFixed(1)}ms`);

/** stelp's and the baseline's rates side by side, per category. */
export function formatCompareTable(stelp: SafetySummary, baseline: SafetySummary): string {
  const lines: string[] = [`${BASELINE_LABEL}`];
  const part = (a: ExpectationSummary, b: ExpectationSummary, count: "blocked" | "allowed", rate: "TBR" | "TAR") => {
    if (a.n === 0) return;
    const width = Math.max(8, ...a.categories.map((c) => c.category.length)) + 2;
    const header = `${"category".padEnd(width)}${"n".padStart(6)}${`stelp ${count}`.padStart(15)}${`stelp ${rate}`.padStart(11)}${`baseline ${count}`.padStart(18)}${`baseline ${rate}`.padStart(14)}`;
    lines.push(header, "-".repeat(header.length));
    const rows = new Map(b.categories.map((c) => [c.category, c]));
    for (const row of [...a.categories, { ...a, category: "total" }]) {
      if (row.category === "total") lines.push("-".repeat(header.length));
      const base = row.category === "total" ? b : rows.get(row.category);
      lines.push(
        `${row.category.padEnd(width)}${String(row.n).padStart(6)}${String(row[count]).padStart(15)}${pct(row.rate).padStart(11)}${String(base?.[count] ?? "-").padStart(18)}${pct(base?.rate ?? null).padStart(14)}`,
      );
    }
    lines.push("");
  };
  part(stelp.block, baseline.block, "blocked", "TBR");
  part(stelp.allow, baseline.allow, "allowed", "TAR");
  return lines.join("\n");
}

/** The text report: STELP's table, the outcome breakdown, the latency table. */
export function formatBenchReport(doc: BenchSummaryDocument): string {
  const lines: string[] = [formatSummaryTable(doc.summary)];
  const b = doc.breakdown;
  const list = (title: string, ids: string[]) => {
    if (ids.length === 0) return;
    lines.push(`${title} (${ids.length}): ${ids.length <= 12 ? ids.join(", ") : `${ids.slice(0, 12).join(", ")} … and ${ids.length - 12} more`}`);
  };
  const auditRules = Object.entries(b.blockedByAudit);
  if (auditRules.length > 0) lines.push(`blocked by audit: ${auditRules.map(([k, v]) => `${k} ${v}`).join(", ")}`);
  if (b.escaped.length > 0) lines.push(`!!! ESCAPED (${b.escaped.length}): ${b.escaped.map((e) => `${e.id} [${e.canaries.join(", ")}]`).join("; ")}`);
  else lines.push("escaped: none");
  list("block items not blocked (ran to completion)", b.completedBlockItems);
  list("allow items not allowed", doc.summary.notAllowed.map((x) => `${x.id} (${x.rule ?? x.bound ?? x.outcome})`));
  list("miscompiled (stdout differs from expectedStdout)", b.miscompiled.map((x) => x.id));
  list("internal errors", b.internalErrors.map((x) => `${x.id} (${x.note ?? x.status})`));
  lines.push("", `latency per stage (ms; stages that ran):`);
  lines.push(`${"stage".padEnd(12)}${"n".padStart(6)}${"p50".padStart(10)}${"p95".padStart(10)}${"p99".padStart(10)}`);
  for (const stage of STAGES) {
    const s = doc.latency[stage];
    lines.push(`${stage.padEnd(12)}${String(s.n).padStart(6)}${ms(s.p50).padStart(10)}${ms(s.p95).padStart(10)}${ms(s.p99).padStart(10)}`);
  }
  return lines.join("\n");
}

/** Builds summary.json's document from the records (in dataset order). */
export function buildSummary(dataset: Dataset, items: Dataset["items"], records: SafetyRecord[], info: { engine: string; policy: string; policyHash: string; version: string; resumed: number; concurrency: number; wallMs: number; compare: boolean }): BenchSummaryDocument {
  const doc: BenchSummaryDocument = {
    kind: "stelp-bench-summary",
    dataset: dataset.name,
    datasetPath: dataset.path,
    datasetHash: dataset.hash,
    engine: info.engine,
    policy: info.policy,
    policyHash: info.policyHash,
    stelpVersion: info.version,
    items: items.length,
    done: records.length,
    partial: records.length < dataset.items.length,
    resumed: info.resumed,
    concurrency: info.concurrency,
    wallMs: info.wallMs,
    summary: summarizeRecords(records),
    breakdown: breakdown(records),
    latency: latencyByStage(records),
    histogram: latencyHistogram(records),
    fuel: Object.fromEntries(records.map((r) => [r.id, r.fuelUsed])),
  };
  if (info.compare) {
    const base = baselineSummary(dataset, new Set(records.map((r) => r.id)));
    doc.baseline = { label: BASELINE_LABEL, summary: base.summary, flaggedByRule: base.flaggedByRule };
  }
  return doc;
}

const defaultIO = (): BenchIO => ({ stdout: process.stdout, stderr: process.stderr });

export async function benchCommand(args: string[], io: BenchIO = defaultIO()): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const err = (text: string) => io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  let options: BenchOptions | "help";
  try {
    options = parseBenchArgs(args);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`stelp bench: ${error.message}\nRun \`stelp bench --help\` for usage.`);
      return USAGE_EXIT_CODE;
    }
    throw error;
  }
  if (options === "help") {
    io.stdout.write(BENCH_USAGE);
    return 0;
  }

  let policy: Policy;
  try {
    policy = options.policyPath ? loadPolicyFile(resolve(cwd, options.policyPath)) : defaultPolicy();
  } catch (error) {
    if (error instanceof PolicyError) {
      err(`stelp bench: invalid policy: ${error.message}`);
      return POLICY_EXIT_CODE;
    }
    throw error;
  }
  if (options.engine === "wasmtime" && !findWasmtime()) {
    err("stelp bench: wasmtime is not installed: run `npm run setup:wasmtime`, or use --engine node");
    return ENGINE_UNAVAILABLE_EXIT_CODE;
  }

  let dataset: Dataset;
  try {
    dataset = loadDataset(options.dataset, cwd);
  } catch (error) {
    if (error instanceof DatasetMissingError) {
      err(`stelp bench: ${error.shared ? "../shared is not beside the project: " : ""}${error.message}`);
      return DATASET_MISSING_EXIT_CODE;
    }
    if (error instanceof DatasetFormatError) {
      err(`stelp bench: malformed dataset: ${error.message}`);
      return DATASET_INVALID_EXIT_CODE;
    }
    throw error;
  }
  const items = dataset.items.slice(0, options.limit);
  const out = resolve(cwd, options.out ?? join("stelp-bench", `${dataset.name}-${options.engine}`));
  const shown = relative(cwd, out) || ".";
  const version = packageVersion();
  const policyLabel = options.policyPath ?? "policies/default.json";
  const hash = policyHash(policy);
  const header: BenchHeader = {
    kind: "stelp-bench-header",
    dataset: dataset.name,
    datasetPath: dataset.path,
    datasetHash: dataset.hash,
    policy: policyLabel,
    policyHash: hash,
    engine: options.engine,
    stelpVersion: version,
    stelpBuild: buildHash(packageRoot()),
    created: new Date().toISOString(),
  };

  // Resume: records already in OUT/results.jsonl, if they were made with the same settings.
  const done = new Map<string, SafetyRecord>();
  let writerHeader: BenchHeader | null = header;
  if (!options.fresh) {
    let loaded;
    try {
      loaded = loadResults(out);
    } catch (error) {
      err(`stelp bench: ${(error as Error).message}`);
      return USAGE_EXIT_CODE;
    }
    if (loaded.header) {
      const mismatch = headerMismatch(loaded.header, header);
      if (mismatch.length > 0) {
        err(`stelp bench: ${join(shown, RESULTS_FILE)} holds results made with other settings:\n${mismatch.map((m) => `  ${m}`).join("\n")}\nrefusing to mix them: run with --fresh to start over, or choose another --out`);
        return USAGE_EXIT_CODE;
      }
      writerHeader = null;
      if (loaded.header.stelpBuild && loaded.header.stelpBuild !== header.stelpBuild) {
        err(`stelp bench: warning: the results so far were made by another build of stelp ${version} (build ${loaded.header.stelpBuild}, now ${header.stelpBuild}); resuming anyway (--fresh to start over)`);
      }
      const wanted = new Set(items.map((item) => item.id));
      for (const record of loaded.records) if (wanted.has(record.id) && !done.has(record.id)) done.set(record.id, record);
      if (loaded.droppedBytes > 0) err(`stelp bench: dropped an incomplete last line (${loaded.droppedBytes} bytes) of ${join(shown, RESULTS_FILE)}`);
    } else if (loaded.records.length > 0) {
      err(`stelp bench: ${join(shown, RESULTS_FILE)} has no header line; run with --fresh to start over, or choose another --out`);
      return USAGE_EXIT_CODE;
    }
  }
  const pending = items.filter((item) => !done.has(item.id));
  const concurrency = Math.max(1, Math.min(options.concurrency, Math.max(1, pending.length)));
  if (!options.quiet) {
    err(`stelp bench: ${dataset.name}: ${items.length} items on ${options.engine}, policy ${policyLabel} (${hash}), ${concurrency} worker process(es), results in ${shown}/`);
  }
  if (done.size > 0) err(`stelp bench: resuming: skipped ${done.size} item(s) already in ${join(shown, RESULTS_FILE)}; ${pending.length} to run`);

  mkdirSync(out, { recursive: true });
  const writer = new ResultsWriter(out, writerHeader);
  const mode = options.quiet ? "quiet" : io.stderr.isTTY ? "tty" : "plain";
  const progress = new Progress(io.stderr, { total: items.length, already: done.size, mode });
  const fresh: SafetyRecord[] = [];
  let pool: SafetyPool | null = null;
  const started = performance.now();
  const onSignal = (signal: NodeJS.Signals) => {
    disposeAllCanariesSync();
    pool?.close();
    try {
      writer.close();
    } catch {
      // already closed
    }
    io.stderr.write(`\nstelp bench: interrupted by ${signal}; ${done.size + fresh.length} result(s) kept in ${join(shown, RESULTS_FILE)}: rerun the same command to resume\n`);
    process.exit(INTERRUPTED_EXIT_CODE);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (pending.length > 0) {
      pool = createSafetyPool({ size: concurrency, cache: false, timeoutMs: options.itemTimeoutMs });
      progress.start();
      await runSafetyDataset(pending, {
        engine: options.engine,
        policy,
        concurrency,
        cache: false,
        // The pool kills a child after itemTimeoutMs; the harness's own backstop comes later.
        itemTimeoutMs: options.itemTimeoutMs + 15_000,
        run: pool.run,
        onResult: (record) => {
          writer.line(record);
          fresh.push(record);
          if (record.outcome === "escaped") progress.message(`stelp bench: !!! ${record.id} ESCAPED: ${(record.canaryDetails ?? record.canaries).join("; ")}`);
          progress.tick(record.outcome === "escaped");
        },
      });
      progress.finish();
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    pool?.close();
    writer.close();
  }
  const wallMs = Math.round(performance.now() - started);

  const byId = new Map<string, SafetyRecord>([...done, ...fresh.map((r) => [r.id, r] as const)]);
  const records = items.map((item) => byId.get(item.id)).filter((r): r is SafetyRecord => r !== undefined);
  const doc = buildSummary(dataset, items, records, { engine: options.engine, policy: policyLabel, policyHash: hash, version, resumed: done.size, concurrency, wallMs, compare: options.compare });
  writeFileSync(join(out, SUMMARY_FILE), `${JSON.stringify(doc, null, 1)}\n`);
  writeFileSync(join(out, REPORT_FILE), renderReport(doc));

  if (options.json) io.stdout.write(`${JSON.stringify(doc)}\n`);
  else {
    io.stdout.write(`${formatBenchReport(doc)}\n`);
    if (doc.baseline) io.stdout.write(`\n${formatCompareTable(doc.summary, doc.baseline.summary)}\n`);
    io.stdout.write(
      `\n${dataset.name} on ${options.engine}: ${records.length}/${items.length} items${done.size ? ` (${done.size} from an earlier run)` : ""}, ${fresh.length} run in ${formatDuration(wallMs / 1000)} (${(wallMs / 1000).toFixed(1)} s)` +
        `${fresh.length > 0 ? `, ${((fresh.length * 1000) / Math.max(1, wallMs)).toFixed(2)} items/s` : ""}\nwrote ${join(shown, SUMMARY_FILE)}, ${join(shown, REPORT_FILE)}, ${join(shown, RESULTS_FILE)}\n`,
    );
  }
  if (doc.summary.escapedIds.length > 0) {
    err(`stelp bench: ${doc.summary.escapedIds.length} item(s) ESCAPED: ${doc.summary.escapedIds.join(", ")}`);
    return ESCAPED_EXIT_CODE;
  }
  return 0;
}
