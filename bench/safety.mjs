#!/usr/bin/env node
// Safety on datasets of hostile and safe programs (STELP, arXiv 2601.05467, for JavaScript): every
// item runs through the whole pipeline against fresh canaries (a secret file, a victim file, an empty
// folder, a TCP listener, an environment variable; see src/safety/canaries.ts) and is classified as
// blocked-check, blocked-audit, contained, completed, escaped or internal-error (src/safety/summary.ts).
// The table is STELP's: per category n, blocked and True Block Rate for unsafe items; n, allowed and
// True Allow Rate for safe ones.
//
//   npx tsc -p tsconfig.json && node bench/safety.mjs [--dataset injected-humaneval-js|safe|attacks-public|all|FILE.jsonl]
//       [--engine node|wasmtime|both] [--limit N] [--concurrency N] [--policy FILE] [--only ID,ID] [--out DIR]
//       [--item-timeout MS] [--cache on|off] [--isolate process|inline] [--verbose]
//
// Items run in a pool of --concurrency child processes (src/bench/pool.ts, from dist/) by default, each
// with its item's canary secret in its environment: a child on which stelp hangs past
// --item-timeout (default 90 s) or dies is killed and replaced, and the item is recorded as
// internal-error saying so. `--isolate inline` runs items in this process (as the library does
// by default), where a hang in the synchronous parser or checker would stop the bench.
//
// Datasets:
//   injected-humaneval-js  bench/datasets/injected-humaneval-js.jsonl: HumanEval solutions with risky code
//                          injected (the JavaScript counterpart of STELP's InjectedHumanEval); expect "block".
//   safe                   the 164 HumanEval-X JavaScript solutions with their tests (prompt + solution +
//                          test, as bench/correctness.mjs builds them); expect "allow".
//   attacks-public         ../shared/datasets/attacks-public/attacks.jsonl beside the project (optional);
//                          public sandbox-escape and attack snippets; expect "block".
//   FILE.jsonl             any JSONL of { id, code, expect, category?, test?, expectedStdout?, … }.
//
// The module cache is the same for every run of one invocation: ON by default (the process-wide
// in-memory cache; plus disk only if STELP_CACHE_DIR is set), so that with --engine both an item whose
// code has no canary placeholder is compiled once and its identical module runs on both engines
// (items with placeholders get fresh canary paths per run and always compile). `--cache off`
// compiles every item every time. The cache never changes a module's bytes, only the compile time.
//
// Writes bench/out/safety-<dataset>-<engine>.json (`.partial.json` for --limit/--only runs) and exits
// 1 if any item escaped (2 when a dataset could not be loaded, 64 on bad arguments).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { checkBuild, flagReader, gitHead, idList, median } from "./lib/cli.mjs";
import { repoRoot } from "./lib/datasets.mjs";

const USAGE = `usage: node bench/safety.mjs [--dataset injected-humaneval-js|safe|attacks-public|all|FILE.jsonl]
       [--engine node|wasmtime|both] [--limit N] [--concurrency N] [--policy FILE] [--only ID,ID] [--out DIR]
       [--item-timeout MS] [--cache on|off] [--isolate process|inline] [--verbose]`;

const DATASETS = ["injected-humaneval-js", "safe", "attacks-public"];

function fail(message, code = 64) {
  console.error(`bench/safety: ${message}\n${USAGE}`);
  process.exit(code);
}

function parseArgs(argv) {
  const options = { dataset: "all", engine: "node", limit: Infinity, concurrency: 2, policy: null, only: null, out: join(repoRoot, "bench", "out"), itemTimeout: 90_000, cache: "on", isolate: "process", verbose: false };
  const flags = flagReader(argv, fail);
  const { value, number } = flags;
  for (let arg; (arg = flags.next()) !== undefined; ) {
    if (arg === "--dataset") options.dataset = value();
    else if (arg === "--engine") options.engine = value();
    else if (arg === "--limit") options.limit = number();
    else if (arg === "--concurrency" || arg === "--jobs") options.concurrency = number();
    else if (arg === "--policy") options.policy = resolve(value());
    else if (arg === "--only") options.only = new Set(value().split(","));
    else if (arg === "--out") options.out = resolve(value());
    else if (arg === "--item-timeout") options.itemTimeout = number();
    else if (arg === "--verbose") options.verbose = true;
    else if (arg === "--cache") options.cache = value();
    else if (arg === "--isolate") options.isolate = value();
    else if (arg === "-h" || arg === "--help") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument ${arg}`);
  }
  if (![...DATASETS, "all"].includes(options.dataset) && !options.dataset.endsWith(".jsonl")) fail(`--dataset must be ${DATASETS.join(", ")}, all, or a .jsonl file`);
  if (!["node", "wasmtime", "both"].includes(options.engine)) fail(`--engine must be node, wasmtime or both`);
  if (!["on", "off"].includes(options.cache)) fail(`--cache must be on or off`);
  if (!["process", "inline"].includes(options.isolate)) fail(`--isolate must be process or inline`);
  return options;
}

/** The bench runs the built library: refuse to run without it, and warn when it is older than src/. */
/**
 * A hash of the built library (dist/src, dist/host-bindings). The pool's children import dist/ when
 * they start, and a child is restarted after a hang: if someone rebuilds meanwhile, later items run
 * a different stelp. The bench says so rather than mixing builds silently.
 */
function buildHash() {
  const hash = createHash("sha256");
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".js")) hash.update(path).update(readFileSync(path));
    }
  };
  walk(join(repoRoot, "dist", "src"));
  walk(join(repoRoot, "dist", "host-bindings"));
  walk(join(repoRoot, "host-bindings", "assembly"));
  return hash.digest("hex").slice(0, 16);
}

/**
 * { name, path, items } or { name, skipped: reason }, through stelp bench's loader
 * (src/bench/datasets.ts); "safe" is its humaneval-x-js. Throws when a dataset cannot be read.
 */
function loadDataset(name, datasets) {
  try {
    const dataset = datasets.loadDataset(name === "safe" ? "humaneval-x-js" : name);
    return { name: DATASETS.includes(name) ? name : dataset.name, path: dataset.path, items: dataset.items };
  } catch (error) {
    if (error instanceof datasets.DatasetMissingError && DATASETS.includes(name)) return { name, skipped: error.message };
    throw error;
  }
}

const oneLine = (text, max = 160) => {
  const flat = String(text ?? "").replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
};

function report(dataset, engine, run, lib, options) {
  const { summary, records } = run;
  console.log(`\n${lib.formatSummaryTable(summary)}`);
  if (summary.escapedIds.length > 0) {
    console.log(`\n!!! ESCAPED (${summary.escapedIds.length}): a canary was touched or the secret appeared in the output`);
    for (const r of records.filter((x) => x.outcome === "escaped")) console.log(`  ${r.id} [${r.status}] ${(r.canaryDetails ?? r.canaries).join("; ")}`);
  }
  const completed = records.filter((r) => r.expect === "block" && r.outcome === "completed");
  if (completed.length > 0) {
    console.log(`\nblock items that ran to completion (not blocked; no canary touched) (${completed.length}):`);
    for (const r of completed) console.log(`  ${r.id} [${r.category}] fuel ${r.fuelUsed ?? "-"}${r.stdout ? ` stdout: ${oneLine(r.stdout, 100)}` : ""}${r.stderr ? ` stderr: ${oneLine(r.stderr, 100)}` : ""}`);
  }
  const internal = records.filter((r) => r.outcome === "internal-error");
  if (internal.length > 0) {
    console.log(`\ninternal errors (${internal.length}):`);
    const groups = new Map();
    for (const r of internal) {
      const key = `[${r.status}] ${oneLine(r.note ?? "", 200).replace(/\d+/g, "N")}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r.id);
    }
    for (const [key, ids] of [...groups].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${ids.length} × ${key}\n      ${idList(ids)}`);
  }
  const notAllowed = summary.notAllowed;
  if (notAllowed.length > 0) {
    console.log(`\nallow items not allowed (${notAllowed.length}):`);
    for (const r of notAllowed) console.log(`  ${r.id} ${r.outcome}${r.rule ? ` (${r.rule})` : ""}${r.bound ? ` (${r.bound})` : ""}${r.note ? ` ${oneLine(r.note, 120)}` : ""}`);
  }
  const allowedButFailing = records.filter((r) => r.expect === "allow" && r.allowed && /^Assertion failed/m.test(r.stderr ?? ""));
  if (allowedButFailing.length > 0) console.log(`(${allowedButFailing.length} allowed programs printed "Assertion failed" from their own tests: ${idList(allowedButFailing.map((r) => r.id))})`);
  const compiled = records.filter((r) => (r.timings.compile ?? 0) > 0);
  // A cache hit skips parse → instrument: all their timings are 0.
  const hits = records.filter((r) => r.status !== "rejected" && r.timings.parse === 0 && r.timings.check === 0 && r.timings.compile === 0).length;
  console.log(
    `\n${dataset.name} on ${engine}: ${records.length} items, wall ${(run.wallMs / 1000).toFixed(1)} s; median item ${median(records.map((r) => r.timings.wallMs))?.toFixed(0)} ms; ` +
      `median compile ${median(compiled.map((r) => r.timings.compile))?.toFixed(0) ?? "-"} ms over ${compiled.length} compiled; module cache ${options.cache}${options.cache === "on" ? ` (${hits} hits)` : ""}`,
  );
}

/** Items whose outcome, status or metered fuel differ between the engines (a wall-clock timeout is engine-dependent by nature). */
function compareEngines(name, nodeRecords, wasmtimeRecords) {
  const differ = [];
  nodeRecords.forEach((a, i) => {
    const b = wasmtimeRecords[i];
    if (a.outcome !== b.outcome || a.status !== b.status || a.fuelUsed !== b.fuelUsed) differ.push(`${a.id} (node ${a.status}/${a.fuelUsed ?? "-"}, wasmtime ${b.status}/${b.fuelUsed ?? "-"})`);
  });
  console.log(`\n${name}: node and wasmtime agree on outcome, status and fuel for ${nodeRecords.length - differ.length}/${nodeRecords.length} items${differ.length ? `; differ: ${idList(differ, 10)}` : ""}`);
}

function writeResults(dataset, engine, run, options, policy, build) {
  mkdirSync(options.out, { recursive: true });
  const partial = options.only !== null || options.limit !== Infinity;
  const file = join(options.out, `safety-${dataset.name}-${engine}${partial ? ".partial" : ""}.json`);
  const document = {
    dataset: dataset.name,
    path: dataset.path,
    engine,
    partial,
    date: new Date().toISOString(),
    commit: gitHead(),
    node: process.version,
    build,
    policy: { name: policy.name, file: options.policy ?? "policies/default.json", limits: policy.limits },
    moduleCache: options.cache,
    isolate: options.isolate,
    itemTimeoutMs: options.itemTimeout,
    concurrency: options.concurrency,
    wallMs: run.wallMs,
    summary: run.summary,
    items: run.records,
  };
  writeFileSync(file, `${JSON.stringify(document, null, 1)}\n`);
  console.log(`wrote ${relative(process.cwd(), file)}`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  checkBuild(fail);
  const lib = await import(new URL("../dist/src/index.js", import.meta.url).href);
  // The pool of `stelp bench` (src/bench/pool.ts): one implementation for both.
  const { createSafetyPool } = await import(new URL("../dist/src/bench/pool.js", import.meta.url).href);
  const datasets = await import(new URL("../dist/src/bench/datasets.js", import.meta.url).href);
  const engines = options.engine === "both" ? ["node", "wasmtime"] : [options.engine];
  if (engines.includes("wasmtime") && !lib.findWasmtime()) fail("wasmtime is not installed: run `npm run setup:wasmtime`, or use --engine node", 69);
  let policy;
  try {
    policy = options.policy ? lib.loadPolicyFile(options.policy) : lib.defaultPolicy();
  } catch (error) {
    fail(error.message, 78);
  }
  const pool = options.isolate === "process" ? createSafetyPool({ size: options.concurrency, cache: options.cache === "on", timeoutMs: options.itemTimeout }) : null;
  const cacheNote =
    options.cache === "off" ? "module cache off" : pool ? `module cache on (shared on disk by the pool's children in ${pool.cacheDir}, removed at the end)` : `module cache on (in memory${process.env.STELP_CACHE_DIR ? ` and ${process.env.STELP_CACHE_DIR}` : ""})`;
  console.log(
    `policy ${policy.name} (${options.policy ? relative(process.cwd(), options.policy) : "policies/default.json"}); ${cacheNote}; ` +
      `${pool ? `${options.concurrency} child processes, item timeout ${options.itemTimeout} ms` : `in process, concurrency ${options.concurrency}`}`,
  );
  // An interrupted run never reaches dispose(): remove the in-flight canaries and the pool's cache.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      lib.disposeAllCanariesSync();
      pool?.close();
      process.exit(130);
    });
  }
  try {
    await runAll(options, lib, policy, engines, pool, datasets);
  } finally {
    pool?.close();
  }
}

async function runAll(options, lib, policy, engines, pool, datasets) {
  const build = buildHash();
  const names = options.dataset === "all" ? DATASETS : [options.dataset];
  const started = performance.now();
  let escaped = 0;
  const overview = [];
  for (const name of names) {
    let dataset;
    try {
      dataset = loadDataset(name, datasets);
    } catch (error) {
      console.error(`bench/safety: cannot load ${name}: ${error.message}`);
      process.exitCode = 2;
      continue;
    }
    if (dataset.skipped) {
      console.log(`\n== ${name}: skipped: ${dataset.skipped}`);
      if (options.dataset !== "all") process.exitCode = 2;
      continue;
    }
    let items = dataset.items;
    if (options.only) items = items.filter((item) => options.only.has(item.id));
    items = items.slice(0, options.limit);
    const byEngine = new Map();
    for (const engine of engines) {
      console.log(`\n== ${dataset.name}: ${items.length} items from ${relative(process.cwd(), dataset.path) || dataset.path} (engine ${engine}, concurrency ${options.concurrency})`);
      let done = 0;
      const run = await lib.runSafetyDataset(items, {
        engine,
        policy,
        concurrency: options.concurrency,
        cache: options.cache === "on" ? lib.defaultModuleCache() : false,
        // With the pool, the pool's timeout kills the child; the harness's backstop comes later.
        itemTimeoutMs: pool ? options.itemTimeout + 15_000 : options.itemTimeout,
        ...(pool ? { run: pool.run } : {}),
        onResult: (record) => {
          done++;
          if (record.outcome === "escaped") process.stderr.write(`\n!!! ${record.id} ESCAPED: ${(record.canaryDetails ?? []).join("; ")}\n`);
          if (options.verbose) process.stderr.write(`${done}/${items.length} ${record.id} ${record.outcome} ${record.status} ${record.bound ?? record.rules[0] ?? ""} ${record.timings.wallMs} ms\n`);
          else if (process.stderr.isTTY) process.stderr.write(`\r${done}/${items.length} ${record.id.slice(0, 30).padEnd(30)} ${record.outcome.padEnd(14)}`);
          else if (done % 100 === 0) process.stderr.write(`${done}/${items.length} done\n`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
      report(dataset, engine, run, lib, options);
      const buildNow = buildHash();
      if (buildNow !== build) console.log(`WARNING: dist/ changed during the run (build ${build} → ${buildNow}): items may have run on different builds of stelp`);
      writeResults(dataset, engine, run, options, policy, { start: build, end: buildNow });
      escaped += run.summary.escapedIds.length;
      byEngine.set(engine, run.records);
      const s = run.summary;
      overview.push({ dataset: dataset.name, engine, n: s.total, block: s.block, allow: s.allow, outcomes: s.outcomes, wallMs: run.wallMs });
    }
    if (byEngine.size === 2) compareEngines(dataset.name, byEngine.get("node"), byEngine.get("wasmtime"));
  }
  if (overview.length > 1) {
    console.log(`\n== overview`);
    console.log(`${"dataset".padEnd(24)}${"engine".padEnd(10)}${"n".padStart(6)}${"blocked".padStart(9)}${"TBR".padStart(8)}${"allowed".padStart(9)}${"TAR".padStart(8)}${"escaped".padStart(9)}${"wall s".padStart(9)}`);
    const pct = (rate) => (rate === null ? "-" : `${(100 * rate).toFixed(1)}%`);
    for (const o of overview) {
      console.log(
        `${o.dataset.padEnd(24)}${o.engine.padEnd(10)}${String(o.n).padStart(6)}${String(o.block.blocked).padStart(9)}${pct(o.block.rate).padStart(8)}${String(o.allow.allowed).padStart(9)}${pct(o.allow.rate).padStart(8)}${String(o.outcomes.escaped).padStart(9)}${(o.wallMs / 1000).toFixed(1).padStart(9)}`,
      );
    }
  }
  console.log(`\ntotal wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (escaped > 0) {
    console.error(`bench/safety: ${escaped} item(s) ESCAPED`);
    process.exitCode = 1;
  }
}

await main();
