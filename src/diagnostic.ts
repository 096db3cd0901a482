/**
 * The one diagnostic shape every stage reports with. Stages never throw for bad input: they return
 * diagnostics, and the pipeline stops at the first stage that reported an error.
 */
export type Severity = "error" | "warning";

/** Which stage produced the diagnostic: lets a caller tell a rejected snippet from a rejected policy. */
export type Stage = "parse" | "check" | "emit" | "compile" | "instrument" | "policy" | "run";

export interface Diagnostic {
  /** Stable rule id, e.g. `forbidden-global`. Documented in README (and docs/subset.md later). */
  rule: string;
  severity: Severity;
  /** What is wrong, naming the construct. */
  message: string;
  /** 1-based line of the snippet (0 when the diagnostic is not tied to a source position). */
  line: number;
  /** 1-based column (0 when not tied to a source position). */
  column: number;
  /** What to write instead: aimed at the LLM that will repair the code. */
  hint: string;
  stage?: Stage;
}

export interface SourcePosition {
  line: number;
  column: number;
}

export function diagnostic(
  rule: string,
  message: string,
  hint: string,
  position: SourcePosition = { line: 0, column: 0 },
  stage?: Stage,
  severity: Severity = "error",
): Diagnostic {
  const d: Diagnostic = { rule, severity, message, line: position.line, column: position.column, hint };
  if (stage) d.stage = stage;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** `file:line:col rule message` followed by an indented hint line: the CLI's human format. */
export function formatDiagnostic(d: Diagnostic, file = "<input>"): string {
  const where = d.line > 0 ? `${file}:${d.line}:${d.column}` : file;
  const head = `${where} ${d.severity === "warning" ? "warning " : ""}${d.rule} ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}
