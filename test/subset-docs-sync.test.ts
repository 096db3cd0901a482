/**
 * The rule ids the front end can emit, docs/subset.md and the prompt's rule list (src/prompt.ts)
 * must agree: every id the code can report is documented in both, and neither lists an id the code
 * no longer reports. The ids are read from the source code (the checker is growing), not from a
 * hard-coded list:
 *
 * - a "rule-taking function" is any function, method or arrow function with a parameter named
 *   `rule` (`diagnostic(rule, …)`, the checker's `report(rule, …)`, `unify(…, rule = "…")`, the
 *   pipeline's `make(rule, …)`), found in every scanned file and in src/diagnostic.ts;
 * - an id is a string literal passed in that parameter's position to a call of such a function (a
 *   conditional picks both branches; a local variable is followed to its initialiser and
 *   assignments), a string default of such a parameter, or the value of a `rule: "…"` property;
 * - a rule argument that cannot be resolved to string literals fails the test, naming the place, so
 *   a new way of passing ids is noticed instead of silently skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { HOST_ONLY_RUN_RULES, RULE_HINTS, RUN_RULE_HINTS } from "../src/prompt.js";
import { projectRoot } from "./helpers/cli.js";

const src = join(projectRoot, "src");

function tsFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFilesUnder(path));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** The front end: parse, check (src/check.ts and src/check/**), emit (src/emit.ts and src/emit/** if it is split up). */
const FRONT_END_FILES = [join(src, "parse.ts"), join(src, "check.ts"), ...tsFilesUnder(join(src, "check")), join(src, "emit.ts"), ...tsFilesUnder(join(src, "emit"))].filter((f) =>
  existsSync(f),
);
/** Where run-stage ids come from (runDiagnostics). */
const RUN_FILES = [join(src, "pipeline.ts")];

interface Extraction {
  ids: Map<string, string[]>; // id → places
  unresolved: string[];
}

function sourceFile(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
}

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${relative(projectRoot, file.fileName)}:${line + 1}`;
}

function functionName(node: ts.Node): string | null {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) return node.name.text;
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.parent) {
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  }
  return null;
}

function calleeName(call: ts.CallExpression): string | null {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return null;
}

function isRuleParameter(p: ts.ParameterDeclaration): boolean {
  return ts.isIdentifier(p.name) && p.name.text === "rule";
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | null {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return null;
}

/** The string literals an expression can evaluate to, or null when it cannot be resolved statically. */
function literals(expr: ts.Expression, scope: ts.Node, seen = new Set<string>()): string[] | null {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isNonNullExpression(expr)) return literals(expr.expression, scope, seen);
  if (ts.isConditionalExpression(expr)) {
    const a = literals(expr.whenTrue, scope, seen);
    const b = literals(expr.whenFalse, scope, seen);
    return a && b ? [...a, ...b] : null;
  }
  if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(expr.operatorToken.kind)) {
    const a = literals(expr.left, scope, seen);
    const b = literals(expr.right, scope, seen);
    return a && b ? [...a, ...b] : null;
  }
  if (ts.isIdentifier(expr)) {
    // A variable: its initialiser and every assignment to it in the enclosing function (or file).
    const name = expr.text;
    if (seen.has(name)) return [];
    seen.add(name);
    const found: string[] = [];
    let resolved = false;
    let failed = false;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
        const values = literals(node.initializer, scope, seen);
        resolved = true;
        if (values) found.push(...values);
        else failed = true;
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) {
        const values = literals(node.right, scope, seen);
        resolved = true;
        if (values) found.push(...values);
        else failed = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
    return resolved && !failed ? found : null;
  }
  return null;
}

/** Finds the rule-taking functions (name → parameter index) declared in some files. */
function ruleTakers(files: ts.SourceFile[]): Map<string, Set<number>> {
  const takers = new Map<string, Set<number>>();
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) {
        const name = functionName(node);
        node.parameters.forEach((p, index) => {
          if (name && isRuleParameter(p)) {
            if (!takers.has(name)) takers.set(name, new Set());
            takers.get(name)!.add(index);
          }
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return takers;
}

/** Every rule id the given files can report. */
function extractRuleIds(paths: string[]): Extraction {
  return extract(paths.map(sourceFile), [sourceFile(join(src, "diagnostic.ts"))]);
}

/** Every rule id some parsed files can report (`more` only contributes rule-taking functions). */
function extract(files: ts.SourceFile[], more: ts.SourceFile[] = []): Extraction {
  const takers = ruleTakers([...files, ...more]);
  const ids = new Map<string, string[]>();
  const unresolved: string[] = [];
  const add = (id: string, node: ts.Node): void => {
    if (!ids.has(id)) ids.set(id, []);
    ids.get(id)!.push(where(node));
  };
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const name = calleeName(node);
        const positions = name ? takers.get(name) : undefined;
        for (const index of positions ?? []) {
          const arg = node.arguments[index];
          if (!arg) continue; // the default applies: collected below
          const fn = enclosingFunction(node);
          // Passing one's own `rule` parameter on is not a new id.
          if (ts.isIdentifier(arg) && arg.text === "rule" && fn && fn.parameters.some(isRuleParameter)) continue;
          const values = literals(arg, fn ?? file);
          if (values) for (const v of values) add(v, arg);
          else unresolved.push(`${where(arg)}: ${arg.getText()}`);
        }
      }
      if (ts.isParameter(node) && isRuleParameter(node) && node.initializer) {
        const values = literals(node.initializer, node);
        if (values) for (const v of values) add(v, node);
        else unresolved.push(`${where(node)}: default ${node.initializer.getText()}`);
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === "rule") {
        const values = literals(node.initializer, enclosingFunction(node) ?? file);
        if (values) for (const v of values) add(v, node);
        else if (!ts.isIdentifier(node.initializer) || node.initializer.text !== "rule") unresolved.push(`${where(node)}: rule: ${node.initializer.getText()}`);
      }
      if (ts.isShorthandPropertyAssignment(node) && node.name.text === "rule") {
        // `{ rule, … }`: the value is the enclosing function's `rule` parameter, already covered at its call sites.
        const fn = enclosingFunction(node);
        if (!fn || !fn.parameters.some(isRuleParameter)) unresolved.push(`${where(node)}: { rule }`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { ids, unresolved };
}

/** The rule ids in the "Rule ids" section of docs/subset.md (first cell of each table row). */
function documentedIds(): Set<string> {
  const text = readFileSync(join(projectRoot, "docs", "subset.md"), "utf8");
  const start = text.search(/^## Rule ids\s*$/m);
  expect(start, 'docs/subset.md has a "## Rule ids" section').toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + 1);
  const next = rest.search(/^## /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  const ids = new Set<string>();
  for (const line of section.split("\n")) {
    const m = /^\|\s*`([a-z][a-z0-9-]*)`\s*\|/.exec(line);
    if (m) ids.add(m[1]!);
  }
  return ids;
}

const describeList = (ids: Iterable<string>, places?: Map<string, string[]>): string =>
  [...ids].map((id) => (places ? `${id} (${(places.get(id) ?? []).slice(0, 3).join(", ")})` : id)).join("; ");

describe("rule ids: code, docs/subset.md and the prompt agree", () => {
  const frontEnd = extractRuleIds(FRONT_END_FILES);
  const emitted = new Set(frontEnd.ids.keys());

  it("finds the rule ids in the source (sanity: the extraction works)", () => {
    expect(frontEnd.unresolved, "rule ids must be string literals (or locals/conditionals of them) so that this test can read them").toEqual([]);
    for (const id of ["syntax-error", "unsupported-syntax", "type-mismatch", "forbidden-global", "internal-error"]) expect(emitted).toContain(id);
    expect(emitted.size).toBeGreaterThan(15);
  });

  it("every rule id the front end can emit is documented in docs/subset.md", () => {
    const documented = documentedIds();
    const missing = [...emitted].filter((id) => !documented.has(id));
    expect(missing, `add these to the "Rule ids" tables of docs/subset.md: ${describeList(missing, frontEnd.ids)}`).toEqual([]);
  });

  it("docs/subset.md documents no rule id the front end cannot emit", () => {
    const stale = [...documentedIds()].filter((id) => !emitted.has(id));
    expect(stale, `docs/subset.md documents rule ids no code emits: ${describeList(stale)}`).toEqual([]);
  });

  it("every rule id the front end can emit is in the prompt's rule list (src/prompt.ts RULE_HINTS)", () => {
    const listed = new Set(RULE_HINTS.map((r) => r.id));
    const missing = [...emitted].filter((id) => !listed.has(id));
    expect(missing, `add these to RULE_HINTS in src/prompt.ts: ${describeList(missing, frontEnd.ids)}`).toEqual([]);
  });

  it("the prompt's rule list has no id the front end cannot emit", () => {
    const stale = RULE_HINTS.map((r) => r.id).filter((id) => !emitted.has(id));
    expect(stale, `remove these from RULE_HINTS in src/prompt.ts: ${describeList(stale)}`).toEqual([]);
  });

  it("the prompt's run-stage list matches the run diagnostics of src/pipeline.ts", () => {
    const run = extractRuleIds(RUN_FILES);
    expect(run.unresolved).toEqual([]);
    const runIds = new Set([...run.ids.keys()].filter((id) => !HOST_ONLY_RUN_RULES.includes(id)));
    expect(runIds.size).toBeGreaterThan(5);
    const listed = new Set(RUN_RULE_HINTS.map((r) => r.id));
    const missing = [...runIds].filter((id) => !listed.has(id));
    const stale = [...listed].filter((id) => !runIds.has(id));
    expect(missing, `add to RUN_RULE_HINTS in src/prompt.ts: ${describeList(missing, run.ids)}`).toEqual([]);
    expect(stale, `remove from RUN_RULE_HINTS in src/prompt.ts: ${describeList(stale)}`).toEqual([]);
  });
});

describe("the extraction itself", () => {
  it("follows defaults, conditionals, locals and rule properties, and flags what it cannot resolve", () => {
    const file = ts.createSourceFile(
      join(projectRoot, "in-memory.ts"),
      `function report(rule: string, m: string) {}
       function unify(a: number, rule = "default-rule") { report(rule, "m"); }
       const make = (rule: string) => ({ rule, severity: "error" });
       function f(c: boolean, other: string) {
         this.report("lit-rule", "m");
         report(c ? "cond-a" : "cond-b", "m");
         let r = "local-a"; if (c) r = "local-b"; report(r, "m");
         unify(1, "passed-rule");
         make("arrow-rule");
         const d = { rule: "prop-rule", message: "" };
         report(other, "m");
       }`,
      ts.ScriptTarget.Latest,
      true,
    );
    expect(ruleTakers([file])).toEqual(new Map([["report", new Set([0])], ["unify", new Set([1])], ["make", new Set([0])]]));
    const { ids, unresolved } = extract([file]);
    expect([...ids.keys()].sort()).toEqual(["arrow-rule", "cond-a", "cond-b", "default-rule", "lit-rule", "local-a", "local-b", "passed-rule", "prop-rule"]);
    expect(unresolved).toEqual(["in-memory.ts:11: other"]);
  });
});
