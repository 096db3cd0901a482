/**
 * wasmtime availability for tests: in CI (CI=true) a missing wasmtime fails the suite, because
 * .ci/run installs it; elsewhere the wasmtime tests skip with a visible reason.
 */
import { findWasmtime } from "../../src/engines/wasmtime.js";

export const wasmtimePath = findWasmtime();
export const wasmtimeMissing = wasmtimePath === null;
export const inCI = process.env.CI === "true" || process.env.CI === "1";

if (wasmtimeMissing && !inCI) {
  console.warn("[stelp tests] wasmtime not found: wasmtime engine tests are SKIPPED. Run `npm run setup:wasmtime` to enable them.");
}

/** Use as `it.skipIf(skipWasmtime)(...)`. */
export const skipWasmtime = wasmtimeMissing && !inCI;
