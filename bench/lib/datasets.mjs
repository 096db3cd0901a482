// The datasets of bench/correctness.mjs: where they are, and how a problem becomes one program.
//
// Each problem becomes { id, source, meta }: `source` is the exact program both stelp and plain
// node run. Files are read from bench/datasets/ (copied there with their licenses, see
// bench/datasets/SOURCE.md) and, failing that, from ../shared/datasets/ next to the repository.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as acorn from "acorn";
import { compareHelper } from "./deep-equal.mjs";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

const SEARCH = [join(repoRoot, "bench", "datasets"), join(repoRoot, "..", "shared", "datasets")];

/** Finds a dataset file; throws with every place it looked. */
export function locate(relativePath) {
  for (const dir of SEARCH) {
    const path = join(dir, relativePath);
    if (existsSync(path)) return path;
  }
  throw new Error(`dataset file ${relativePath} not found; looked in:\n${SEARCH.map((d) => `  ${join(d, relativePath)}`).join("\n")}\n` +
    "bench/datasets/ ships with the repository; ../shared/datasets/ is the team's shared copy.");
}

function readJsonl(path) {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      try {
        return JSON.parse(line);
      } catch (error) {
        throw new Error(`${path}:${i + 1}: not JSON (${error.message})`);
      }
    });
}

/** HumanEval-X JavaScript: program = prompt + canonical_solution + test (the official harness's concatenation). */
export function loadHumanEval() {
  const path = locate("humaneval-x-js/humaneval_js.jsonl");
  return {
    name: "humaneval",
    path,
    problems: readJsonl(path).map((p) => ({
      id: p.task_id,
      source: p.prompt + p.canonical_solution + p.test,
      meta: {},
    })),
  };
}

/**
 * MBJSP (mxeval) with the example model completions: program = prompt + completion + test, where
 * the test is adapted (see adaptMbjspTest): lodash's `_.isEqual` is replaced by a lodash-free
 * `compare`, and in the default "subset" mode the harness's own `var` and `throw` are rewritten.
 */
export function loadMbjsp({ tests = "subset" } = {}) {
  const problemsPath = locate("mxeval-js/mbjsp_release_v1.2.jsonl");
  const samplesPath = locate("mxeval-js/mbjsp_samples.jsonl");
  const problems = new Map(readJsonl(problemsPath).map((p) => [p.task_id, p]));
  const out = [];
  for (const sample of readJsonl(samplesPath)) {
    const problem = problems.get(sample.task_id);
    if (!problem) throw new Error(`${samplesPath}: sample for unknown task ${sample.task_id}`);
    const test = adaptMbjspTest(problem.test, { tests });
    out.push({
      id: sample.task_id,
      source: problem.prompt + sample.completion + "\n" + test.source,
      meta: { compare: test.compare },
    });
  }
  return { name: "mbjsp", path: samplesPath, problems: out };
}

const LODASH_PRELUDE = /^\s*const _ = require\("lodash"\)\s*\n\s*function compare\(object1, object2\)\{\s*\n\s*return _\.isEqual\(object1, object2\)\s*\n\}\s*\n/;

/**
 * Rewrites one MBJSP test. Every MBJSP test has the same shape:
 *
 *   const _ = require("lodash")
 *   function compare(object1, object2){ return _.isEqual(object1, object2) }
 *   var arg00 = …; var arg01 = …; var x0 = f(arg00, arg01); var v0 = <expected>;
 *   if(!compare(x0, v0)){ throw 'Error at 1th assert statement. Value = ' + JSON.stringify(x) }
 *   …
 *
 * - The lodash prelude becomes a `compare` written for the expected values' shape (see
 *   deep-equal.mjs): in the subset when they are numbers, strings, booleans or arrays of those, a
 *   plain-JS deep equality otherwise.
 * - tests "subset" (default): `var` → `let`, and `throw '…' + JSON.stringify(x)` (which, as
 *   published, throws a ReferenceError because `x` is undefined) → `console.error("Error at Nth
 *   assert statement.")`. The harness then uses only `let`, calls, `if` and `console.error`, so a
 *   rejection points at the model's code rather than at the harness.
 * - tests "original": only the lodash prelude is replaced.
 */
export function adaptMbjspTest(test, { tests = "subset" } = {}) {
  if (!LODASH_PRELUDE.test(test)) throw new Error(`unexpected MBJSP test prelude: ${JSON.stringify(test.slice(0, 120))}`);
  const body = test.replace(LODASH_PRELUDE, "");
  const ast = acorn.parse(body, { ecmaVersion: "latest", sourceType: "script" });
  const expected = [];
  const edits = []; // [start, end, replacement]
  for (const statement of ast.body) {
    if (statement.type === "VariableDeclaration") {
      for (const declaration of statement.declarations) {
        if (declaration.id.type === "Identifier" && /^v\d+$/.test(declaration.id.name) && declaration.init) {
          expected.push(evaluateLiteral(body.slice(declaration.init.start, declaration.init.end)));
        }
      }
      if (tests === "subset" && statement.kind === "var") edits.push([statement.start, statement.start + 3, "let"]);
    } else if (statement.type === "IfStatement" && tests === "subset") {
      const block = statement.consequent;
      const thrown = block.type === "BlockStatement" ? block.body.find((s) => s.type === "ThrowStatement") : block.type === "ThrowStatement" ? block : null;
      if (!thrown) throw new Error(`unexpected MBJSP test statement: ${body.slice(statement.start, statement.end)}`);
      const message = messageOf(thrown.argument);
      edits.push([thrown.start, thrown.end, `console.error(${JSON.stringify(message)});`]);
    }
  }
  let rewritten = body;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0])) rewritten = rewritten.slice(0, start) + replacement + rewritten.slice(end);
  const helper = compareHelper(expected);
  return { source: `\n${helper.source}\n${rewritten}`, compare: helper.kind };
}

/** 'Error at 1th assert statement. Value = ' + JSON.stringify(x)  →  "Error at 1th assert statement." */
function messageOf(argument) {
  let node = argument;
  while (node.type === "BinaryExpression") node = node.left;
  if (node.type === "Literal" && typeof node.value === "string") return node.value.replace(/\s*Value = $/, "").trim();
  return "Error: assertion failed";
}

/** Evaluates an expected-value literal of an MBJSP test (JSON-like data: numbers, strings, arrays, objects, null). */
function evaluateLiteral(text) {
  const ast = acorn.parseExpressionAt(text, 0, { ecmaVersion: "latest" });
  const value = (node) => {
    switch (node.type) {
      case "Literal":
        return node.value;
      case "ArrayExpression":
        return node.elements.map((e) => (e === null ? undefined : value(e)));
      case "ObjectExpression":
        return Object.fromEntries(node.properties.map((p) => [p.key.type === "Identifier" ? p.key.name : p.key.value, value(p.value)]));
      case "UnaryExpression":
        if (node.operator === "-") return -value(node.argument);
        if (node.operator === "+") return +value(node.argument);
        break;
      case "NewExpression":
        // `new Set([…])` (3 problems): not JSON-like data; the generic helper compares Sets.
        if (node.callee.type === "Identifier" && node.callee.name === "Set") return new Set(node.arguments.length ? value(node.arguments[0]) : []);
        break;
      case "Identifier":
        if (node.name === "undefined") return undefined;
        if (node.name === "NaN") return NaN;
        if (node.name === "Infinity") return Infinity;
        break;
    }
    throw new Error(`unexpected expected-value syntax ${node.type} in ${text}`);
  };
  return value(ast);
}
