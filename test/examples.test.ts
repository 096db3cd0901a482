/**
 * The examples, end to end through the CLI: each declares its expected status on its first line.
 * Examples that finish are differential tests: stelp must print exactly what `node example.js` prints.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_CODES, type RunStatus } from "../src/engines/result.js";
import { nodeRun, projectRoot, stelp } from "./helpers/cli.js";
import { skipWasmtime } from "./helpers/wasmtime.js";

const examplesDir = join(projectRoot, "examples");
const examples = readdirSync(examplesDir)
  .filter((name) => name.endsWith(".js"))
  .map((name) => {
    const file = join("examples", name);
    const expected = /^\/\/ expect: (\w+)/.exec(readFileSync(join(projectRoot, file), "utf8"))?.[1] as RunStatus | undefined;
    if (!expected) throw new Error(`${file} lacks an "// expect: status" first line`);
    return { name, file, expected };
  });

function runJson(file: string, engine: "node" | "wasmtime") {
  const run = stelp(["run", file, "--json", "--engine", engine]);
  const result = JSON.parse(run.stdout) as { status: RunStatus; exitCode: number; stdout: string; fuel: { used: number | null }; diagnostics: { rule: string; line: number; column: number }[] };
  expect(run.code).toBe(result.exitCode);
  return result;
}

describe("examples", () => {
  it("include the required cases", () => {
    expect(examples.map((e) => e.expected)).toEqual(expect.arrayContaining(["ok", "fuel_exhausted", "call_depth_limit", "output_limit", "rejected"]));
  });

  describe.each(examples)("$name", ({ file, expected }) => {
    it(`node engine: ${expected}, exit ${EXIT_CODES[expected]}`, () => {
      const result = runJson(file, "node");
      expect(result.status).toBe(expected);
      expect(result.exitCode).toBe(EXIT_CODES[expected]);
      if (expected === "ok") expect(result.stdout).toBe(nodeRun(file).stdout);
      if (expected === "rejected") {
        expect(result.diagnostics.length).toBeGreaterThan(0);
        expect(result.diagnostics[0]!.line).toBeGreaterThan(0);
        expect(result.diagnostics[0]!.column).toBeGreaterThan(0);
      }
    });

    if (expected === "rejected") return; // nothing reaches an engine
    it.skipIf(skipWasmtime)(`wasmtime engine: same status, stdout and fuel as node`, () => {
      const onNode = runJson(file, "node");
      const onWasmtime = runJson(file, "wasmtime");
      expect(onWasmtime.status).toBe(expected);
      expect(onWasmtime.stdout).toBe(onNode.stdout);
      expect(onWasmtime.fuel.used).toBe(onNode.fuel.used);
    });
  });

  it("require('fs') is rejected naming the rule and line:col, without --json too", () => {
    const run = stelp(["run", "examples/require-fs.js"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^examples\/require-fs\.js:3:\d+ forbidden-global /m);
    expect(run.stderr).toMatch(/hint: /);
  });
});
