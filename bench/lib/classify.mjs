// How bench/correctness.mjs judges one problem: stelp's run against plain node's run of the same
// program.
//
//   pass           accepted; stdout and stderr identical to node's; no test assertion failed
//                  ("Assertion failed" from console.assert, "Error at Nth assert statement" from
//                  the rewritten MBJSP harness). Also pass: node died on an uncaught exception and
//                  stelp stopped with a runtime error whose message has the same first line, after
//                  identical output (`sameError: true` in the JSON; the table says how many).
//   agree-failing  stelp reproduced node exactly (as for pass), but an assertion of the program's
//                  own tests failed under node too: the dataset's code is wrong, not stelp.
//   rejected       the checker (or the import audit) refused the program; grouped by the rule of the
//                  first error diagnostic in source order.
//   miscompiled    accepted and ran to completion (or to a runtime error), but the output differs
//                  from node's; `diff` shows the first difference.
//   crashed        accepted, but stelp ended in trap / runtime_error / internal_error where node did
//                  not fail that way, or stelp itself failed (compile error of the emitted code, a
//                  worker that died or hung past the bench's per-problem timeout).
//   limit          accepted, but stopped at a policy bound (fuel, memory, call depth, output, wall
//                  clock) where node completed.
//   skipped        node itself did not finish (timed out or flooded output): no reference.

export const OUTCOMES = ["pass", "agree-failing", "rejected", "miscompiled", "crashed", "limit", "skipped"];

const LIMIT_STATUSES = new Set(["fuel_exhausted", "memory_limit", "call_depth_limit", "output_limit", "timeout"]);
const TEST_FAILURE = [/^Assertion failed/m, /^Error at \d+th assert statement/m];

/** Did the program pass its own tests under node (exit 0, no assertion failure printed)? */
export function referencePassed(node) {
  return node.exitCode === 0 && !node.timedOut && !node.capped && !TEST_FAILURE.some((re) => re.test(node.stderr));
}

function firstErrorInSourceOrder(diagnostics) {
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length === 0) return null;
  const positioned = errors.filter((d) => d.line > 0);
  if (positioned.length === 0) return errors[0];
  return positioned.reduce((best, d) => (d.line < best.line || (d.line === best.line && d.column < best.column) ? d : best));
}

/** The first differing line of two outputs, with its neighbours: a short, readable diff. */
export function firstDifference(label, expected, actual) {
  if (expected === actual) return null;
  const a = expected.split("\n");
  const b = actual.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (lines) => lines.slice(Math.max(0, i - 1), i + 2).map((l) => JSON.stringify(l)).join(" / ");
  return `${label} line ${i + 1}: node ${show(a)} | stelp ${show(b)}`;
}

function normaliseHeadline(line) {
  return line.replace(/^Uncaught\s+/, "").trim();
}

/** Did stelp's stderr end with the same uncaught error node reported (after the same program stderr)? */
function sameUncaughtError(node, stelpStderr) {
  if (!node.uncaught) return false;
  if (!stelpStderr.startsWith(node.stderr)) return false;
  const rest = stelpStderr.slice(node.stderr.length).split("\n").filter((l) => l.trim() !== "");
  if (rest.length === 0) return false;
  return normaliseHeadline(rest[0]) === normaliseHeadline(node.uncaught);
}

/**
 * node: the result of runNode; stelp: { kind, result?, error? } from the pool.
 * Returns { outcome, rule?, rules?, status, diff?, sameError?, note? }.
 */
export function classify(node, stelp) {
  if (stelp.kind === "hang") return { outcome: "crashed", status: "bench-timeout", note: "stelp did not answer within the per-problem timeout (worker killed)" };
  if (stelp.kind === "died" || stelp.kind === "error") return { outcome: "crashed", status: "bench-error", note: stelp.error };
  const r = stelp.result;
  if (r.status === "rejected") {
    const first = firstErrorInSourceOrder(r.diagnostics);
    const rules = [...new Set(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.rule))];
    return {
      outcome: "rejected",
      status: r.status,
      rule: first ? first.rule : "(no diagnostic)",
      rules,
      message: first ? `${first.line}:${first.column} ${first.message}` : "",
    };
  }
  if (node.timedOut || node.capped) {
    return { outcome: "skipped", status: r.status, note: node.timedOut ? "node timed out" : "node's output exceeded the bench's cap" };
  }
  const assertionFailed = TEST_FAILURE.some((re) => re.test(node.stderr));
  const internal = r.diagnostics.find((d) => d.rule === "internal-error" || d.stage === "compile");
  if (r.status === "internal_error") {
    return { outcome: "crashed", status: r.status, note: internal ? `${internal.stage ?? ""} ${internal.rule}: ${internal.message}`.trim().slice(0, 300) : "internal error" };
  }
  if (LIMIT_STATUSES.has(r.status)) {
    return { outcome: "limit", status: r.status, note: r.diagnostics.find((d) => d.stage === "run")?.message ?? r.status };
  }
  const stdoutDiff = firstDifference("stdout", node.stdout, r.stdout);
  if (r.status === "ok") {
    if (node.uncaught || node.exitCode !== 0) {
      return { outcome: "miscompiled", status: r.status, diff: stdoutDiff ?? `node died (${node.uncaught ?? `exit ${node.exitCode}`}) but stelp ran to completion` };
    }
    const diff = stdoutDiff ?? firstDifference("stderr", node.stderr, r.stderr);
    if (diff) return { outcome: "miscompiled", status: r.status, diff };
    return { outcome: assertionFailed ? "agree-failing" : "pass", status: r.status };
  }
  // trap or runtime_error
  if (r.status === "runtime_error" && sameUncaughtError(node, r.stderr)) {
    if (stdoutDiff) return { outcome: "miscompiled", status: r.status, diff: stdoutDiff };
    // As asked: the same uncaught error counts as pass (the table says how many passed this way),
    // unless an assertion printed a failure before it.
    return { outcome: assertionFailed ? "agree-failing" : "pass", status: r.status, sameError: true, note: `same uncaught error: ${node.uncaught}` };
  }
  const stelpError = r.stderr.trim().split("\n").slice(-1)[0] ?? "";
  return {
    outcome: "crashed",
    status: r.status,
    note: `${r.status}: ${stelpError || r.diagnostics.find((d) => d.stage === "run")?.message || ""}${node.uncaught ? ` (node: ${node.uncaught})` : " (node completed)"}`.slice(0, 300),
    diff: stdoutDiff ?? undefined,
  };
}
