import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, DEFAULT_TOOL_LIMITS, defaultPolicy, loadPolicyFile, policyHash, PolicyError, validatePolicy, withLimits } from "../src/policy.js";

const schema = JSON.parse(readFileSync(new URL("../policies/policy.schema.json", import.meta.url), "utf8"));

describe("policy files", () => {
  it("the default policy matches the documented defaults", () => {
    expect(defaultPolicy().limits).toEqual(DEFAULT_LIMITS);
    expect(defaultPolicy().random).toEqual({ seed: 42 });
  });

  it("every bundled policy validates", () => {
    for (const name of ["default.json", "no-random.json"]) {
      expect(() => loadPolicyFile(new URL(`../policies/${name}`, import.meta.url).pathname)).not.toThrow();
    }
  });

  it("the schema and the validator know the same fields", () => {
    expect(Object.keys(schema.properties).sort()).toEqual(["$schema", "description", "imports", "limits", "name", "random", "tools"]);
    expect(Object.keys(schema.properties.limits.properties).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    expect(Object.keys(schema.properties.tools.additionalProperties.oneOf[1].properties).sort()).toEqual(Object.keys(DEFAULT_TOOL_LIMITS).sort());
  });

  it.each([
    [[], ""],
    [{ limits: { fuel: "lots" } }, "limits.fuel"],
    [{ limits: { fuel: -1 } }, "limits.fuel"],
    [{ limits: { fuel: 1.5 } }, "limits.fuel"],
    [{ limits: { memoryBytes: 1 } }, "limits.memoryBytes"],
    [{ limits: { cpu: 1 } }, "limits.cpu"],
    [{ limits: [] }, "limits"],
    [{ imports: "fs" }, "imports"],
    [{ imports: ["fs"] }, "imports[0]"],
    [{ imports: ["stelp.fuel_remaining"] }, "imports[0]"],
    [{ random: { seed: -1 } }, "random.seed"],
    [{ random: { seed: 1, extra: 2 } }, "random.extra"],
    [{ network: true }, "network"],
    [{ name: 5 }, "name"],
  ])("rejects %j naming the field %s", (document, field) => {
    let caught: unknown;
    try {
      validatePolicy(document);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolicyError);
    expect((caught as PolicyError).field).toBe(field);
    if (field) expect((caught as PolicyError).message).toContain(field);
  });

  it("reports unreadable and malformed files clearly", () => {
    const dir = mkdtempSync(join(tmpdir(), "stelp-policy-"));
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    expect(() => loadPolicyFile(broken)).toThrow(/not valid JSON/);
    expect(() => loadPolicyFile(join(dir, "missing.json"))).toThrow(/cannot read policy file/);
  });

  it("accepts a byte-order mark and names numbers JSON cannot print", () => {
    const dir = mkdtempSync(join(tmpdir(), "stelp-policy-"));
    const bom = join(dir, "bom.json");
    writeFileSync(bom, '\ufeff{ "limits": { "fuel": 1000 } }');
    expect(loadPolicyFile(bom).limits.fuel).toBe(1000);
    const huge = join(dir, "huge.json");
    writeFileSync(huge, '{ "limits": { "fuel": 1e400 } }');
    expect(() => loadPolicyFile(huge)).toThrow(/"limits.fuel" must be an integer .* got Infinity/);
  });

  it("limit overrides are validated and change the hash", () => {
    const base = defaultPolicy();
    expect(withLimits(base, { fuel: 5 }).limits.fuel).toBe(5);
    expect(() => withLimits(base, { fuel: 0 })).toThrow(PolicyError);
    expect(policyHash(withLimits(base, { fuel: 5 }))).not.toBe(policyHash(base));
    expect(policyHash(base)).toBe(policyHash(defaultPolicy()));
  });
});
