/**
 * The datasets of `stelp bench`: a JSONL file of `{ id, code, expect: "allow" | "block", category?,
 * test?, expectedStdout?, … }` (extra keys are kept in each record's `meta`), or a bundled name. The
 * bundled ones resolve from the package root, never from the working directory:
 *
 * - `humaneval-x-js`: the 164 HumanEval-X JavaScript solutions with their tests (prompt +
 *   canonical_solution + test, the official harness's program); expect "allow".
 * - `injected-humaneval-js`: bench/datasets/injected-humaneval-js.jsonl, the same solutions with
 *   risky code injected (see bench/datasets/SOURCE.md); expect "block".
 * - `attacks-public`: ../shared/datasets/attacks-public/attacks.jsonl beside the package (the team's
 *   shared folder, not shipped); every item expects "block".
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { packageRoot } from "../paths.js";
import type { SafetyItem } from "../safety/harness.js";

export const BUNDLED_DATASETS = ["humaneval-x-js", "injected-humaneval-js", "attacks-public"] as const;

export interface Dataset {
  /** The bundled name, or the file's base name without .jsonl. */
  name: string;
  /** The file the items were read from. */
  path: string;
  bundled: boolean;
  items: SafetyItem[];
  /** sha256 over the items as run (id, expect, category, code, test, expectedStdout), 16 hex digits. */
  hash: string;
}

/** The dataset file is not there. `shared` is set when it is the ../shared folder that is missing. */
export class DatasetMissingError extends Error {
  constructor(
    message: string,
    readonly shared: boolean,
  ) {
    super(message);
  }
}

/** A line is not JSON, or an item lacks id, code or expect. */
export class DatasetFormatError extends Error {}

function readJsonl(path: string): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      let item: unknown;
      try {
        item = JSON.parse(line);
      } catch (error) {
        throw new DatasetFormatError(`${path}:${i + 1}: not JSON (${(error as Error).message})`);
      }
      if (!item || typeof item !== "object" || Array.isArray(item)) throw new DatasetFormatError(`${path}:${i + 1}: not a JSON object`);
      const record = item as Record<string, unknown>;
      if (typeof record.id !== "string" && typeof record.id !== "number") throw new DatasetFormatError(`${path}:${i + 1}: no "id"`);
      if (typeof record.code !== "string") throw new DatasetFormatError(`${path}:${i + 1}: no "code" string`);
      if (record.test !== undefined && typeof record.test !== "string") throw new DatasetFormatError(`${path}:${i + 1}: "test" is not a string`);
      if (record.expectedStdout !== undefined && typeof record.expectedStdout !== "string") throw new DatasetFormatError(`${path}:${i + 1}: "expectedStdout" is not a string`);
      if (record.category !== undefined && typeof record.category !== "string") throw new DatasetFormatError(`${path}:${i + 1}: "category" is not a string`);
      const id = String(record.id);
      if (seen.has(id)) throw new DatasetFormatError(`${path}:${i + 1}: duplicate id "${id}"`);
      seen.add(id);
      items.push({ ...record, id });
    });
  return items;
}

function datasetHash(items: readonly SafetyItem[]): string {
  const hash = createHash("sha256");
  for (const item of items) hash.update(JSON.stringify([item.id, item.expect, item.category ?? null, item.code, item.test ?? null, item.expectedStdout ?? null])).update("\n");
  return hash.digest("hex").slice(0, 16);
}

function make(name: string, path: string, bundled: boolean, items: SafetyItem[]): Dataset {
  return { name, path, bundled, items, hash: datasetHash(items) };
}

/** A file of the bundled datasets: bench/datasets/ in the package, then ../shared/datasets/ beside it. */
function locateBundled(relativePath: string): string {
  const root = packageRoot();
  const places = [join(root, "bench", "datasets", relativePath), join(root, "..", "shared", "datasets", relativePath)];
  const found = places.find((p) => existsSync(p));
  if (!found) throw new DatasetMissingError(`dataset file ${relativePath} not found; looked in:\n${places.map((p) => `  ${p}`).join("\n")}`, false);
  return found;
}

/** Loads a bundled dataset by name, or a JSONL file (resolved against `cwd`). */
export function loadDataset(nameOrPath: string, cwd = process.cwd()): Dataset {
  if (nameOrPath === "humaneval-x-js") {
    const path = locateBundled(join("humaneval-x-js", "humaneval_js.jsonl"));
    const items = readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as { task_id: string; prompt: string; canonical_solution: string; test: string })
      .map((p): SafetyItem => ({ id: p.task_id, code: p.prompt + p.canonical_solution + p.test, expect: "allow", category: "humaneval-x-js" }));
    return make(nameOrPath, path, true, items);
  }
  if (nameOrPath === "injected-humaneval-js") {
    const path = locateBundled("injected-humaneval-js.jsonl");
    const items = readJsonl(path).map((item) => ({ ...item, expect: item.expect ?? "block", category: item.category ?? "uncategorised" }) as SafetyItem);
    for (const item of items) if (item.expect !== "block" && item.expect !== "allow") throw new DatasetFormatError(`${path}: item ${item.id} has an "expect" other than "allow" or "block"`);
    return make(nameOrPath, path, true, items);
  }
  if (nameOrPath === "attacks-public") {
    const path = join(packageRoot(), "..", "shared", "datasets", "attacks-public", "attacks.jsonl");
    if (!existsSync(path)) throw new DatasetMissingError(`${path} is absent: ../shared (the team's shared datasets folder) is not beside the project at ${packageRoot()}`, true);
    const items = readJsonl(path).map((item) => ({ ...item, expect: "block", category: item.category ?? "uncategorised" }) as SafetyItem);
    return make(nameOrPath, path, true, items);
  }
  const path = resolve(cwd, nameOrPath);
  if (!existsSync(path)) throw new DatasetMissingError(`${path} does not exist (and "${nameOrPath}" is not a bundled dataset: ${BUNDLED_DATASETS.join(", ")})`, false);
  const items = readJsonl(path).map((item) => {
    if (item.expect !== "allow" && item.expect !== "block") throw new DatasetFormatError(`${path}: item ${String(item.id)} has no "expect" of "allow" or "block"`);
    return { ...item, category: item.category ?? "uncategorised" } as SafetyItem;
  });
  return make(basename(path).replace(/\.jsonl$/, ""), path, false, items);
}
