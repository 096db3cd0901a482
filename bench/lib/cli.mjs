// What the bench scripts (safety, correctness, perf) share on their command line and in their
// reports: reading flags, refusing to run without a built library, the commit, small formatting.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./datasets.mjs";

/**
 * Walks argv for a parseArgs loop: `for (let arg; (arg = flags.next()) !== undefined; )`, then
 * `flags.value()` / `flags.number()` for the current flag's value; both call `fail` (which exits)
 * when it is missing or not a positive whole number.
 */
export function flagReader(argv, fail) {
  let index = -1;
  let flag;
  const reader = {
    next() {
      flag = argv[++index];
      return flag;
    },
    value() {
      const next = argv[++index];
      if (next === undefined) fail(`${flag} needs a value`);
      return next;
    },
    number() {
      const text = reader.value();
      if (!/^\d+$/.test(text) || Number(text) < 1) fail(`${flag} takes a positive whole number, got "${text}"`);
      return Number(text);
    },
  };
  return reader;
}

/** The benches run the built library: refuse to run without it, and warn when it is older than src/. */
export function checkBuild(fail) {
  const index = join(repoRoot, "dist", "src", "index.js");
  if (!existsSync(index)) fail("dist/src/index.js is missing: build first with `npx tsc -p tsconfig.json`", 1);
  const stale = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts")) {
        const built = join(repoRoot, "dist", relative(repoRoot, path)).replace(/\.ts$/, ".js");
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) stale.push(relative(repoRoot, path));
      }
    }
  };
  walk(join(repoRoot, "src"));
  if (stale.length > 0) console.error(`warning: dist/ is older than ${stale.slice(0, 3).join(", ")}${stale.length > 3 ? ` and ${stale.length - 3} more` : ""}: run \`npx tsc -p tsconfig.json\` to bench the current sources`);
}

/** The commit checked out, read from .git (no git binary needed), or null. */
export function gitHead() {
  try {
    const head = readFileSync(join(repoRoot, ".git", "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return head;
    const ref = join(repoRoot, ".git", head.slice(5));
    return existsSync(ref) ? readFileSync(ref, "utf8").trim() : head.slice(5);
  } catch {
    return null;
  }
}

/** The upper median (no interpolation), or null for no values. */
export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** "A, B, C … and 12 more" */
export function idList(ids, max = 12) {
  return ids.length <= max ? ids.join(", ") : `${ids.slice(0, max).join(", ")} … and ${ids.length - max} more`;
}
