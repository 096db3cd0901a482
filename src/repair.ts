/**
 * The repair loop, as in STELP's feedback generator: ask the embedder's code generator (an LLM call,
 * usually) for a snippet, run it, and while it is rejected or fails, ask again with feedback an LLM
 * can act on (rule ids, positions, hints; or the bound that stopped the run and the end of stderr).
 * Every attempt is returned, so the caller can log or score the whole conversation.
 */
import { formatDiagnostic } from "./diagnostic.js";
import { runSource, type RunOptions, type RunResult } from "./pipeline.js";

export interface RepairAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  source: string;
  result: RunResult;
  /** The run passed: status ok and, when given, accepted by `options.accept`. */
  accepted: boolean;
}

export interface RepairFeedback {
  /** The number of the attempt being asked for (1 for the first). */
  attempt: number;
  /** The attempt before this one, or null for the first call. */
  previous: RepairAttempt | null;
  /** What to tell the generator about the previous attempt ("" for the first call). */
  message: string;
}

export type CodeGenerator = (feedback: RepairFeedback) => string | Promise<string>;

export interface RepairOptions extends RunOptions {
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number;
  /**
   * Whether a run that ended `ok` is good enough (for example, its stdout parses as the expected
   * answer). Default: every `ok` run is accepted.
   */
  accept?: (result: RunResult) => boolean;
}

export interface RepairOutcome {
  ok: boolean;
  attempts: RepairAttempt[];
  /** The last attempt (the accepted one when ok). */
  final: RepairAttempt;
}

const STDERR_TAIL = 2000;

/** Feedback for a failed attempt, written for a model: what went wrong and what to change. */
export function feedbackFor(attempt: RepairAttempt): string {
  const { result } = attempt;
  if (result.status === "rejected") {
    const lines = result.diagnostics.map((d) => formatDiagnostic(d, "snippet.js"));
    return `stelp rejected the code before running it. Fix every problem below and send the whole program again.\n${lines.join("\n")}`;
  }
  if (result.status === "ok") {
    return `The code ran, but its result was not accepted. It printed:\n${tail(result.stdout)}${result.stderr ? `\nand on stderr:\n${tail(result.stderr)}` : ""}`;
  }
  const why = result.diagnostics.map((d) => `${d.rule}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ""}`).join("\n");
  const stderr = result.stderr ? `\nThe end of its stderr:\n${tail(result.stderr)}` : "";
  return `The code was accepted but stopped with status ${result.status}.\n${why}${stderr}\nChange the program so that it finishes within the limits and send the whole program again.`;
}

function tail(text: string): string {
  return text.length > STDERR_TAIL ? `…${text.slice(-STDERR_TAIL)}` : text;
}

/**
 * Calls `generate` until a snippet runs and is accepted, or `maxAttempts` attempts were made. An
 * exception from `generate` propagates (it is the embedder's failure, not the snippet's).
 */
export async function runWithRepair(generate: CodeGenerator, options: RepairOptions = {}): Promise<RepairOutcome> {
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  const { maxAttempts: _max, accept, ...runOptions } = options;
  const attempts: RepairAttempt[] = [];
  let previous: RepairAttempt | null = null;
  for (let n = 1; n <= maxAttempts; n++) {
    const source = await generate({ attempt: n, previous, message: previous ? feedbackFor(previous) : "" });
    const result = await runSource(source, runOptions);
    const accepted = result.status === "ok" && (accept ? accept(result) : true);
    const attempt: RepairAttempt = { attempt: n, source, result, accepted };
    attempts.push(attempt);
    if (accepted) return { ok: true, attempts, final: attempt };
    previous = attempt;
  }
  return { ok: false, attempts, final: attempts[attempts.length - 1]! };
}
