#!/usr/bin/env node
// Correctness on real programs: every problem of HumanEval-X (JavaScript, canonical solutions) and
// MBJSP (mxeval, example model completions) runs under stelp and under plain node; the outcome says
// whether stelp accepted it and reproduced node exactly. See bench/lib/classify.mjs for the
// outcomes and README.md ("Benchmarks") for how to read the numbers.
//
//   npx tsc -p tsconfig.json && node bench/correctness.mjs [--dataset humaneval|mbjsp|all]
//       [--engine node|wasmtime] [--limit N] [--out DIR] [--jobs N] [--only ID,ID]
//       [--mbjsp-tests subset|original] [--policy FILE] [--problem-timeout MS] [--node-timeout MS]
//
// Writes bench/out/correctness-<dataset>.json (one record per problem; `-wasmtime` and
// `-original-tests` suffixes for the other configurations, `.partial` for --limit/--only runs) and,
// when the file exists from an earlier run, prints which problems changed outcome since.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { classify, OUTCOMES, referencePassed } from "./lib/classify.mjs";
import { checkBuild, flagReader, gitHead, idList, median } from "./lib/cli.mjs";
import { loadHumanEval, loadMbjsp, repoRoot } from "./lib/datasets.mjs";
import { runNode } from "./lib/node-reference.mjs";
const { createRunPool } = await import(new URL("../dist/src/bench/pool.js", import.meta.url).href);

const USAGE = `usage: node bench/correctness.mjs [--dataset humaneval|mbjsp|all] [--engine node|wasmtime] [--limit N]
       [--out DIR] [--jobs N] [--only ID,ID] [--mbjsp-tests subset|original] [--policy FILE]
       [--problem-timeout MS] [--node-timeout MS]`;

function parseArgs(argv) {
  const options = {
    dataset: "all",
    engine: "node",
    limit: Infinity,
    out: join(repoRoot, "bench", "out"),
    jobs: 2,
    only: null,
    mbjspTests: "subset",
    policy: null,
    problemTimeout: 120_000,
    nodeTimeout: 20_000,
  };
  const flags = flagReader(argv, fail);
  const { value, number } = flags;
  for (let arg; (arg = flags.next()) !== undefined; ) {
    if (arg === "--dataset") options.dataset = value();
    else if (arg === "--engine") options.engine = value();
    else if (arg === "--limit") options.limit = number();
    else if (arg === "--out") options.out = resolve(value());
    else if (arg === "--jobs") options.jobs = number();
    else if (arg === "--only") options.only = new Set(value().split(","));
    else if (arg === "--mbjsp-tests") options.mbjspTests = value();
    else if (arg === "--policy") options.policy = resolve(value());
    else if (arg === "--problem-timeout") options.problemTimeout = number();
    else if (arg === "--node-timeout") options.nodeTimeout = number();
    else if (arg === "-h" || arg === "--help") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument ${arg}`);
  }
  if (!["humaneval", "mbjsp", "all"].includes(options.dataset)) fail(`--dataset must be humaneval, mbjsp or all`);
  if (!["node", "wasmtime"].includes(options.engine)) fail(`--engine must be node or wasmtime`);
  if (!["subset", "original"].includes(options.mbjspTests)) fail(`--mbjsp-tests must be subset or original`);
  return options;
}

function fail(message, code = 64) {
  console.error(`bench/correctness: ${message}\n${USAGE}`);
  process.exit(code);
}

/** The bench runs the built library: refuse to run without it, and warn when it is older than src/. */
const pct = (n, total) => (total === 0 ? "0.0" : ((100 * n) / total).toFixed(1));

async function benchDataset(dataset, options, policy) {
  let problems = dataset.problems;
  if (options.only) problems = problems.filter((p) => options.only.has(p.id));
  problems = problems.slice(0, options.limit);
  console.log(`\n== ${dataset.name}: ${problems.length} problems from ${relative(process.cwd(), dataset.path) || dataset.path} (engine ${options.engine}, ${options.jobs} jobs)`);
  const records = new Map();
  const started = performance.now();
  let done = 0;
  const runOptions = { engine: options.engine, ...(policy ? { policy } : {}) };
  const pool = createRunPool({ size: options.jobs, cache: false, timeoutMs: options.problemTimeout });
  const runStelp = async (problem) => {
    const outcome = await pool.run(problem.source, runOptions);
    // classify() reads { kind: result | error | hang | died, result?, error?, ms }.
    return outcome.kind === "result" ? { kind: "result", result: outcome.result, ms: outcome.ms } : { kind: outcome.kind, error: outcome.error, ms: outcome.ms };
  };
  let next = 0;
  const lane = async () => {
    while (next < problems.length) {
      const problem = problems[next++];
      const node = await runNode(problem.source, { timeoutMs: options.nodeTimeout, name: problem.id });
      const stelp = await runStelp(problem);
      const verdict = classify(node, stelp);
      const timings = stelp.kind === "result" ? stelp.result.timings : null;
      records.set(problem.id, {
        id: problem.id,
        ...verdict,
        ...problem.meta,
        node: { passed: referencePassed(node), exitCode: node.exitCode, uncaught: node.uncaught, timedOut: node.timedOut, ms: node.ms },
        timings: { stelpMs: stelp.ms, nodeMs: node.ms, ...(timings ?? {}) },
      });
      done++;
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${problems.length} ${problem.id.padEnd(16)} ${verdict.outcome.padEnd(14)}`);
      else if (done % 50 === 0) process.stderr.write(`${done}/${problems.length} done\n`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, problems.length)) }, lane));
  } finally {
    pool.close();
  }
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  const ordered = problems.map((p) => records.get(p.id));
  const wallMs = performance.now() - started;
  report(dataset.name, ordered, wallMs);
  writeResults(dataset.name, ordered, options, wallMs);
}

function report(name, records, wallMs) {
  const total = records.length;
  const count = (outcome) => records.filter((r) => r.outcome === outcome).length;
  console.log(`\n${"outcome".padEnd(16)}${"count".padStart(7)}${"%".padStart(8)}`);
  for (const outcome of OUTCOMES) console.log(`${outcome.padEnd(16)}${String(count(outcome)).padStart(7)}${pct(count(outcome), total).padStart(8)}`);
  console.log(`${"total".padEnd(16)}${String(total).padStart(7)}`);
  const sameError = records.filter((r) => r.outcome === "pass" && r.sameError).length;
  if (sameError > 0) console.log(`(${sameError} of the passes: node died on an uncaught error and stelp stopped with the same error)`);
  const faithful = count("pass") + count("agree-failing");
  const accepted = total - count("rejected");
  console.log(`accepted ${accepted}/${total} (${pct(accepted, total)}%); stelp reproduced node on ${faithful}/${accepted} accepted programs`);
  const nodePassed = records.filter((r) => r.node.passed).length;
  const rejectedButPassing = records.filter((r) => r.outcome === "rejected" && r.node.passed).length;
  const bothPassed = records.filter((r) => r.outcome === "pass" && r.node.passed).length;
  console.log(
    `under plain node ${nodePassed}/${total} programs pass their own tests; of those, stelp passes ${bothPassed} (${pct(bothPassed, nodePassed)}%) and rejects ${rejectedButPassing}; ${count("rejected") - rejectedButPassing} rejected programs fail under node anyway`,
  );

  const rejected = records.filter((r) => r.outcome === "rejected");
  if (rejected.length > 0) {
    const first = new Map();
    const anywhere = new Map();
    for (const r of rejected) {
      first.set(r.rule, (first.get(r.rule) ?? 0) + 1);
      for (const rule of r.rules ?? []) anywhere.set(rule, (anywhere.get(rule) ?? 0) + 1);
    }
    console.log(`\nrejections by rule (first error in source order; "in" = problems with this rule anywhere)`);
    console.log(`${"rule".padEnd(26)}${"first".padStart(7)}${"in".padStart(7)}`);
    const rules = [...new Set([...first.keys(), ...anywhere.keys()])].sort((a, b) => (first.get(b) ?? 0) - (first.get(a) ?? 0) || (anywhere.get(b) ?? 0) - (anywhere.get(a) ?? 0));
    for (const rule of rules) console.log(`${rule.padEnd(26)}${String(first.get(rule) ?? 0).padStart(7)}${String(anywhere.get(rule) ?? 0).padStart(7)}`);
  }
  for (const outcome of ["miscompiled", "crashed", "limit", "skipped"]) {
    const list = records.filter((r) => r.outcome === outcome);
    if (list.length === 0) continue;
    console.log(`\n${outcome}:`);
    const detail = (r) => `${r.diff ?? ""}${r.diff && r.note ? " " : ""}${r.note ?? ""}`;
    if (list.length <= 20) {
      for (const r of list) console.log(`  ${r.id} [${r.status}] ${detail(r)}`);
      continue;
    }
    // Many: group by cause (positions in the emitted snippet vary, the cause does not).
    const groups = new Map();
    for (const r of list) {
      const key = `[${r.status}] ${detail(r).replace(/snippet\.ts:\d+:\d+/g, "snippet.ts").replace(/line \d+:/g, "line N:")}`.slice(0, 240);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r.id);
    }
    for (const [key, ids] of [...groups].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${ids.length} × ${key}\n      ${idList(ids)}`);
  }
  const compiled = records.filter((r) => r.timings.compile > 0);
  const check = median(records.map((r) => r.timings.check ?? 0));
  console.log(
    `\ntimings: wall ${(wallMs / 1000).toFixed(1)} s; median check ${check?.toFixed(1)} ms; median compile ${median(compiled.map((r) => r.timings.compile))?.toFixed(0) ?? "-"} ms over ${compiled.length} compiled; median node run ${median(records.map((r) => r.timings.nodeMs))?.toFixed(0)} ms`,
  );
}

function writeResults(name, records, options, wallMs) {
  mkdirSync(options.out, { recursive: true });
  // One baseline per configuration: correctness-<dataset>.json for the default (node engine, subset
  // harness), with suffixes for the others so that they never overwrite it.
  const suffix = `${options.engine === "node" ? "" : `-${options.engine}`}${name === "mbjsp" && options.mbjspTests !== "subset" ? `-${options.mbjspTests}-tests` : ""}`;
  const file = join(options.out, `correctness-${name}${suffix}.json`);
  const partial = options.only !== null || options.limit !== Infinity;
  if (existsSync(file)) {
    try {
      const previous = new Map(JSON.parse(readFileSync(file, "utf8")).problems.map((p) => [p.id, p]));
      const changes = records.filter((r) => previous.has(r.id) && (previous.get(r.id).outcome !== r.outcome || previous.get(r.id).rule !== r.rule));
      if (changes.length > 0) {
        console.log(`\nchanged since the previous run (${relative(process.cwd(), file)}, ${previous.size} problems): ${changes.length}`);
        const label = (x) => `${x.outcome}${x.outcome === "rejected" ? ` (${x.rule})` : ""}`;
        const transitions = new Map();
        for (const r of changes) {
          const key = `${label(previous.get(r.id))} → ${label(r)}`;
          if (!transitions.has(key)) transitions.set(key, []);
          transitions.get(key).push(r.id);
        }
        for (const [key, ids] of [...transitions].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${key}: ${ids.length} (${idList(ids, 8)})`);
      } else console.log(`\nno outcome changed since the previous run`);
    } catch (error) {
      console.log(`\n(could not compare with ${file}: ${error.message})`);
    }
  }
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, records.filter((r) => r.outcome === o).length]));
  const document = {
    dataset: name,
    engine: options.engine,
    mbjspTests: name === "mbjsp" ? options.mbjspTests : undefined,
    partial,
    date: new Date().toISOString(),
    commit: gitHead(),
    node: process.version,
    wallMs: Math.round(wallMs),
    totals,
    problems: records,
  };
  // A partial run (--limit, --only) gets its own file so that it never replaces the full baseline.
  const target = partial ? join(options.out, `correctness-${name}${suffix}.partial.json`) : file;
  writeFileSync(target, `${JSON.stringify(document, null, 1)}\n`);
  console.log(`wrote ${relative(process.cwd(), target)}`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  checkBuild(fail);
  const lib = await import(new URL("../dist/src/index.js", import.meta.url).href);
  if (options.engine === "wasmtime" && !lib.findWasmtime()) fail("wasmtime is not installed: run `npm run setup:wasmtime`, or use --engine node", 69);
  let policy = null;
  if (options.policy) {
    try {
      policy = lib.loadPolicyFile(options.policy);
    } catch (error) {
      fail(error.message, 78);
    }
  }
  const names = options.dataset === "all" ? ["humaneval", "mbjsp"] : [options.dataset];
  for (const name of names) {
    let dataset;
    try {
      dataset = name === "humaneval" ? loadHumanEval() : loadMbjsp({ tests: options.mbjspTests });
    } catch (error) {
      console.error(`bench/correctness: cannot load ${name}: ${error.message}`);
      process.exitCode = 2;
      continue;
    }
    await benchDataset(dataset, options, policy);
  }
}

await main();
