/**
 * Differential tests against node: what `node file.js` prints for a snippet, and a describe block
 * whose snippets must each print exactly that under stelp (no diagnostics, status ok).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSource } from "../../src/pipeline.js";

let tmp: string | null = null;

/** Runs the snippet under plain node (a file in a temporary folder). */
export function nodeOutput(source: string, name: string): { stdout: string; stderr: string } {
  tmp ??= mkdtempSync(join(tmpdir(), "stelp-diff-"));
  const file = join(tmp, `${name.replace(/\W+/g, "_")}.js`);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
  return { stdout: r.stdout, stderr: r.stderr };
}

/** One test per snippet: stelp's stdout and stderr equal node's. */
export function describeSameAsNode(title: string, snippets: Record<string, string>, timeout = 120_000): void {
  describe(title, () => {
    for (const [name, source] of Object.entries(snippets)) {
      it(name, { timeout }, async () => {
        const ref = nodeOutput(source, name);
        const r = await runSource(source);
        expect(r.diagnostics, JSON.stringify(r.diagnostics)).toEqual([]);
        expect(r.status).toBe("ok");
        expect(r.stdout).toBe(ref.stdout);
        expect(r.stderr).toBe(ref.stderr);
      });
    }
  });
}
