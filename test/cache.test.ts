import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheKey, DiskModuleCache, MemoryModuleCache, TieredModuleCache } from "../src/cache.js";
import { buildSource, runSource } from "../src/pipeline.js";
import { defaultPolicy, withLimits } from "../src/policy.js";

const source = "const sq = (x) => x * x;\nconsole.log(sq(12));\n";

describe("module cache", () => {
  it("keys on source, policy and target", () => {
    const policy = defaultPolicy();
    const key = cacheKey(source, policy, "fast");
    expect(cacheKey(source, policy, "fast")).toBe(key);
    expect(cacheKey(source + " ", policy, "fast")).not.toBe(key);
    expect(cacheKey(source, withLimits(policy, { fuel: 5 }), "fast")).not.toBe(key);
    expect(cacheKey(source, policy, "release")).not.toBe(key);
  });

  it("a hit skips every stage and returns the same module", async () => {
    const cache = new MemoryModuleCache();
    const miss = await buildSource(source, { cache });
    const hit = await buildSource(source, { cache });
    expect(miss.cacheHit).toBe(false);
    expect(hit.cacheHit).toBe(true);
    expect(Buffer.from(hit.wasm!).equals(Buffer.from(miss.wasm!))).toBe(true);
    expect(Object.values(hit.timings).every((t) => t === 0)).toBe(true);
    const run = await runSource(source, { cache });
    expect(run.stdout).toBe("144\n");
  });

  it("never caches a rejected snippet", async () => {
    const cache = new MemoryModuleCache();
    await buildSource("require('fs')", { cache });
    expect(cache.size).toBe(0);
  });

  it("persists on disk and promotes disk hits to memory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stelp-cache-test-"));
    const first = await buildSource(source, { cache: new DiskModuleCache(dir) });
    expect(readdirSync(dir).filter((name) => name.endsWith(".wasm"))).toHaveLength(1);
    const memory = new MemoryModuleCache();
    const tiered = new TieredModuleCache([memory, new DiskModuleCache(dir)]);
    const second = await buildSource(source, { cache: tiered });
    expect(second.cacheHit).toBe(true);
    expect(memory.size).toBe(1);
    expect(Buffer.from(second.wasm!).equals(Buffer.from(first.wasm!))).toBe(true);
  });

  it("evicts the least recently used modules past its byte budget", () => {
    const cache = new MemoryModuleCache(250);
    const entry = (n: number) => ({ wasm: new Uint8Array(n), imports: [], diagnostics: [] });
    cache.set("a", entry(100));
    cache.set("b", entry(100));
    cache.get("a");
    cache.set("c", entry(100));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
  });
});
