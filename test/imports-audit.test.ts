/**
 * Every module built from the examples, under each bundled policy, imports only what that policy
 * approves (the instrument stage audits too; this checks the bytes the engines receive).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSource } from "../src/pipeline.js";
import { loadPolicyFile } from "../src/policy.js";
import { expectImportsApproved } from "./helpers/build.js";
import { projectRoot } from "./helpers/cli.js";

const policies = ["default.json", "no-random.json"].map((name) => loadPolicyFile(join(projectRoot, "policies", name)));
const sources = readdirSync(join(projectRoot, "examples"))
  .filter((name) => name.endsWith(".js"))
  .map((name) => ({ name, source: readFileSync(join(projectRoot, "examples", name), "utf8") }));
sources.push({ name: "random.js", source: "console.log(Math.random() < 1, Math.floor(Math.random() * 6) + 1 > 0);\n" });

describe.each(policies)("policy $name", (policy) => {
  it.each(sources)("$name: imports ⊆ approved", async ({ source }) => {
    const built = await buildSource(source, { policy });
    if (!built.wasm) {
      // Only rejections are acceptable reasons for no module (require-fs; Math.random without a seed).
      expect(built.status).toBe("rejected");
      return;
    }
    expectImportsApproved(built.wasm, policy);
    expect(built.imports.every((name) => name.startsWith("wasi_snapshot_preview1."))).toBe(true);
  });
});
