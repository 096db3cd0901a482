/**
 * A content-addressed cache of instrumented modules. The key covers everything that determines the
 * bytes: the snippet, the effective policy (limits are baked into the module), the optimisation
 * target, and the toolchain (stelp, asc and binaryen versions, the runtime sources, asconfig.json).
 * A hit skips parse → instrument entirely.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "./diagnostic.js";
import { packageRoot, packageVersion } from "./paths.js";
import { policyHash, type Policy } from "./policy.js";

export interface CachedModule {
  wasm: Uint8Array;
  imports: string[];
  /** Non-error diagnostics (warnings) the build produced, replayed on a hit. */
  diagnostics: Diagnostic[];
}

export interface ModuleCache {
  get(key: string): CachedModule | undefined;
  set(key: string, value: CachedModule): void;
}

let fingerprint: string | undefined;

/** Hash of everything in the toolchain that can change a module's bytes. */
export function toolchainFingerprint(): string {
  if (fingerprint) return fingerprint;
  const root = packageRoot();
  const hash = createHash("sha256");
  const versionOf = (pkg: string) => (JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  hash.update(`stelp ${packageVersion()}\n`);
  hash.update(`assemblyscript ${versionOf("assemblyscript")}\nbinaryen ${versionOf("binaryen")}\n`);
  hash.update(readFileSync(join(root, "asconfig.json")));
  const runtimeDir = join(root, "host-bindings", "assembly");
  for (const name of readdirSync(runtimeDir).sort()) {
    if (name.endsWith(".ts")) hash.update(name).update(readFileSync(join(runtimeDir, name)));
  }
  // The compiled front end and instrumenter matter too: their own file contents, including the
  // checker's modules in check/ (a fixed checker must not be served modules its old self accepted).
  const frontEnd = ["parse.js", "check.js", "typed-program.js", "emit.js", "instrument.js", "compile.js", "compile-worker.js"];
  try {
    for (const name of readdirSync(new URL("./check/", import.meta.url)).sort()) if (name.endsWith(".js")) frontEnd.push(`check/${name}`);
  } catch {
    hash.update("missing check/");
  }
  for (const file of frontEnd) {
    try {
      hash.update(file).update(readFileSync(new URL(`./${file}`, import.meta.url)));
    } catch {
      hash.update(`missing ${file}`);
    }
  }
  fingerprint = hash.digest("hex").slice(0, 16);
  return fingerprint;
}

export function cacheKey(source: string, policy: Policy, target: string): string {
  return createHash("sha256").update(toolchainFingerprint()).update("\0").update(policyHash(policy)).update("\0").update(target).update("\0").update(source).digest("hex");
}

/** In-memory LRU, bounded by total module bytes. */
export class MemoryModuleCache implements ModuleCache {
  private readonly entries = new Map<string, CachedModule>();
  private bytes = 0;

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {}

  get(key: string): CachedModule | undefined {
    const value = this.entries.get(key);
    if (value) {
      this.entries.delete(key);
      this.entries.set(key, value); // most recently used last
    }
    return value;
  }

  set(key: string, value: CachedModule): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, value);
    this.bytes += value.wasm.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.wasm.byteLength;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** On disk: `<dir>/<key>.wasm` plus `<key>.json` metadata, written atomically (temp file + rename). */
export class DiskModuleCache implements ModuleCache {
  constructor(private readonly dir: string) {}

  get(key: string): CachedModule | undefined {
    try {
      const meta = JSON.parse(readFileSync(join(this.dir, `${key}.json`), "utf8")) as Omit<CachedModule, "wasm">;
      const wasm = new Uint8Array(readFileSync(join(this.dir, `${key}.wasm`)));
      return { wasm, imports: meta.imports, diagnostics: meta.diagnostics };
    } catch {
      return undefined;
    }
  }

  set(key: string, value: CachedModule): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const write = (name: string, data: Uint8Array | string) => {
        const temp = join(this.dir, `.${name}.${process.pid}.tmp`);
        writeFileSync(temp, data);
        renameSync(temp, join(this.dir, name));
      };
      write(`${key}.wasm`, value.wasm);
      write(`${key}.json`, JSON.stringify({ imports: value.imports, diagnostics: value.diagnostics }));
    } catch {
      // A cache that cannot be written is only a missed optimisation.
    }
  }
}

/** Memory first, then disk; a disk hit is promoted to memory. */
export class TieredModuleCache implements ModuleCache {
  constructor(private readonly tiers: ModuleCache[]) {}

  get(key: string): CachedModule | undefined {
    for (let i = 0; i < this.tiers.length; i++) {
      const hit = this.tiers[i]!.get(key);
      if (hit) {
        for (let j = 0; j < i; j++) this.tiers[j]!.set(key, hit);
        return hit;
      }
    }
    return undefined;
  }

  set(key: string, value: CachedModule): void {
    for (const tier of this.tiers) tier.set(key, value);
  }
}

let processCache: ModuleCache | undefined;

/** The default cache: in memory, plus on disk when STELP_CACHE_DIR is set. */
export function defaultModuleCache(): ModuleCache {
  if (!processCache) {
    const memory = new MemoryModuleCache();
    const dir = process.env.STELP_CACHE_DIR;
    processCache = dir ? new TieredModuleCache([memory, new DiskModuleCache(dir)]) : memory;
  }
  return processCache;
}
