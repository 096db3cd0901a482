/**
 * The embedding API from the package root: check, compile, run. Results are the CLI's --json
 * objects; a compiled module runs under the policy it was built for.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, compile, run } from "../src/index.js";
import { runSource } from "../src/pipeline.js";

const SOURCE = `const xs = [3, 1, 2];\nxs.sort((a, b) => a - b);\nconsole.log(xs.join(","));\n`;

describe("embedding API", () => {
  it("check: ok, or rejected with rule ids, without compiling", () => {
    const ok = check(SOURCE);
    expect(ok).toMatchObject({ ok: true, status: "ok", exitCode: 0, diagnostics: [] });
    const bad = check(`require("fs");`);
    expect(bad).toMatchObject({ ok: false, status: "rejected", exitCode: 2 });
    expect(bad.diagnostics[0]!.rule).toBe("forbidden-global");
    expect(bad.timings.compile).toBe(0);
  });

  it("compile → run(module) gives the same result object as runSource", async () => {
    const compiled = await compile(SOURCE, { cache: false });
    expect(compiled.ok).toBe(true);
    const module = compiled.module!;
    expect(module.wasm.byteLength).toBeGreaterThan(1000);
    expect(module.imports).toContain("wasi_snapshot_preview1.fd_write");
    expect(module.imports.every((i) => i.startsWith("wasi_snapshot_preview1."))).toBe(true);
    expect(module.policyHash).toMatch(/^[0-9a-f]{16}$/);
    expect(module.metadata).toMatchObject({ optimize: "fast", cacheHit: false });
    const ran = await run(module);
    const reference = await runSource(SOURCE, { cache: false });
    expect(Object.keys(ran).sort()).toEqual(Object.keys(reference).sort());
    expect({ ...ran, timings: null }).toEqual({ ...reference, timings: null });
    expect(ran.stdout).toBe("1,2,3\n");
  }, 180_000);

  it("run(source) with a policy file path and limit overrides; a bound comes with its diagnostic", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stelp-api-"));
    const policyFile = join(dir, "tight.json");
    writeFileSync(policyFile, JSON.stringify({ name: "tight", limits: { fuel: 100000 } }));
    const ran = await run("while (true) {}", { policy: policyFile, cache: false });
    expect(ran).toMatchObject({ status: "fuel_exhausted", exitCode: 3, fuel: { limit: 100000, used: 100000 } });
    expect(ran.diagnostics.map((d) => d.rule)).toEqual(["fuel-exhausted"]);
    const over = await run("while (true) {}", { policy: policyFile, limits: { fuel: 5000 }, cache: false });
    expect(over.fuel).toEqual({ limit: 5000, used: 5000 });
  }, 180_000);

  it("a module refuses to run under another policy than the one it was built for", async () => {
    const compiled = await compile(SOURCE, { limits: { fuel: 1_000_000 } });
    await expect(run(compiled.module!, { limits: { fuel: 2_000_000 } })).rejects.toThrow(/compiled for policy/);
    expect((await run(compiled.module!, { limits: { fuel: 1_000_000 } })).status).toBe("ok");
  }, 180_000);

  it("compile reports a rejection without a module", async () => {
    const compiled = await compile("eval('1')");
    expect(compiled).toMatchObject({ ok: false, status: "rejected", exitCode: 2 });
    expect(compiled.module).toBeUndefined();
  });
});
