/**
 * bench/datasets/injected-humaneval-js.jsonl, the JavaScript counterpart of InjectedHumanEval (made by
 * bench/datasets/tools/make-injected-humaneval-js.mjs): its shape, its category counts (the source's
 * published figures), that every row is built on a HumanEval-X JS task, that every program parses (a
 * row that stelp blocks must not be blocked for a trivial syntax error), and that rows attacking the
 * host aim at the canary placeholders. Reads only committed files (not ../shared), and runs nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as acorn from "acorn";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./helpers/cli.js";

interface Row {
  id: string;
  source_row: number;
  task_id: string;
  cwe_id: string;
  category: string;
  technique: string;
  expect: string;
  code: string;
}

const datasets = join(projectRoot, "bench", "datasets");
const lines = readFileSync(join(datasets, "injected-humaneval-js.jsonl"), "utf8").split("\n").filter((l) => l.trim() !== "");
const rows = lines.map((l) => JSON.parse(l) as Row);
const humanevalX = new Map(
  readFileSync(join(datasets, "humaneval-x-js", "humaneval_js.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { task_id: string; prompt: string; test: string })
    .map((r) => [r.task_id, r] as const),
);

/** Published figures of InjectedHumanEval (../shared/datasets/injected-humaneval/SOURCE.md), CWE ids as in the CSV. */
const CATEGORIES: Record<string, { count: number; cwe: string }> = {
  "Infinite Loop (Denial of Service)": { count: 50, cwe: "835" },
  "Unauthorized Imports": { count: 45, cwe: "829" },
  "System Code Execution": { count: 41, cwe: "94" },
  "Memory Exhaustion": { count: 41, cwe: "770" },
  Deadlocks: { count: 40, cwe: "833" },
  "Untrusted Deserialization": { count: 39, cwe: "502" },
  "Sandbox Escape": { count: 39, cwe: "470" },
  "CPU Exhaustion": { count: 38, cwe: "1050" },
  "Type Confusion": { count: 36, cwe: "843" },
  "Unauthorized File Access": { count: 35, cwe: "552" },
  "Stack Overflow": { count: 34, cwe: "787" },
  "Resource Leak": { count: 32, cwe: "772" },
};

const PLACEHOLDER = /\{\{(SECRET_FILE|VICTIM_FILE|CANARY_DIR|CANARY_PORT|CANARY_ENV)\}\}/;
const HOST_CATEGORIES = ["Unauthorized File Access", "System Code Execution", "Unauthorized Imports", "Sandbox Escape"];
/** Measured share of host-facing rows with a placeholder when the generator was written: 100%. */
const MIN_PLACEHOLDER_SHARE = 0.95;

function parses(code: string): boolean {
  try {
    acorn.parse(code, { ecmaVersion: "latest", sourceType: "script" });
    return true;
  } catch {
    if (!/\bimport\b/.test(code)) return false;
    try {
      acorn.parse(code, { ecmaVersion: "latest", sourceType: "module" });
      return true;
    } catch {
      return false;
    }
  }
}

describe("injected-humaneval-js.jsonl", () => {
  it("has 470 rows in source order, with unique ids derived from the source row", () => {
    expect(rows).toHaveLength(470);
    expect(new Set(rows.map((r) => r.id)).size).toBe(470);
    rows.forEach((r, i) => {
      expect(r.source_row).toBe(i);
      expect(r.id).toBe(`ihe-js-${String(i).padStart(3, "0")}`);
    });
  });

  it("has the keys in the documented order", () => {
    for (const line of lines) {
      expect(Object.keys(JSON.parse(line) as object)).toEqual(["id", "source_row", "task_id", "cwe_id", "category", "technique", "expect", "code"]);
    }
  });

  it("has the source's category counts and CWE ids", () => {
    const counts: Record<string, number> = {};
    for (const r of rows) {
      counts[r.category] = (counts[r.category] ?? 0) + 1;
      expect(r.cwe_id, r.id).toBe(CATEGORIES[r.category]?.cwe);
    }
    expect(counts).toEqual(Object.fromEntries(Object.entries(CATEGORIES).map(([k, v]) => [k, v.count])));
  });

  it("expects every row to be blocked, and names a technique", () => {
    for (const r of rows) {
      expect(r.expect, r.id).toBe("block");
      expect(r.technique, r.id).toMatch(/^[\w.-]+$/);
    }
  });

  it("builds every row on the HumanEval-X JS task of the same number, keeping its prompt and test", () => {
    for (const r of rows) {
      const base = humanevalX.get(r.task_id.replace(/^HumanEval\//, "JavaScript/"));
      expect(base, `${r.id} ${r.task_id}`).toBeDefined();
      expect(r.code.startsWith(base!.prompt), r.id).toBe(true);
      expect(r.code.endsWith(base!.test), r.id).toBe(true);
    }
  });

  it("has programs that all parse (acorn, latest, script; module if it imports)", () => {
    const failing = rows.filter((r) => !parses(r.code)).map((r) => r.id);
    expect(failing).toEqual([]);
  });

  it("aims host-facing attacks at the canary placeholders", () => {
    for (const category of HOST_CATEGORIES) {
      const inCategory = rows.filter((r) => r.category === category);
      const withPlaceholder = inCategory.filter((r) => PLACEHOLDER.test(r.code));
      expect(withPlaceholder.length / inCategory.length, category).toBeGreaterThanOrEqual(MIN_PLACEHOLDER_SHARE);
    }
  });

  it("never aims at real host paths", () => {
    for (const r of rows) {
      const injected = r.code;
      expect(injected, r.id).not.toMatch(/['"`]\/etc\/|~\/\.ssh|\brm -rf\b/);
    }
  });

  it("differs from row to row (no two programs are the same)", () => {
    expect(new Set(rows.map((r) => r.code)).size).toBe(470);
  });
});
