/** Builds hand-written AssemblyScript (not emitted from JS) into an instrumented module, for stage tests. */
import { compile } from "../../src/compile.js";
import { instrument } from "../../src/instrument.js";
import { approvedImports, defaultPolicy, withLimits, type Policy, type PolicyLimits } from "../../src/policy.js";

export const AS_PRELUDE = `import { __stelp_log_out, __stelp_log_err, __stelp_finish } from "./stelp/io";\nexport { __stelp_exit } from "./stelp/io";\n`;

export function testPolicy(limits: Partial<PolicyLimits> = {}, extra: Partial<Policy> = {}): Policy {
  return { ...withLimits(defaultPolicy(), { fuel: 20_000_000, wallClockMs: 30_000, ...limits }), ...extra };
}

export async function compileAs(body: string): Promise<Uint8Array> {
  const compiled = await compile(AS_PRELUDE + body);
  if (!compiled.wasm) throw new Error(`compile failed: ${JSON.stringify(compiled.diagnostics)}`);
  return compiled.wasm;
}

export async function buildAs(body: string, policy: Policy = testPolicy()): Promise<Uint8Array> {
  const result = instrument(await compileAs(body), policy);
  if (!result.wasm) throw new Error(`instrument failed: ${JSON.stringify(result.diagnostics)}`);
  expectImportsApproved(result.wasm, policy);
  return result.wasm;
}

/** Every module a test builds goes through here: its imports must be a subset of the policy's approved list. */
export function expectImportsApproved(wasm: Uint8Array, policy: Policy): void {
  const approved = new Set(approvedImports(policy));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>));
  for (const entry of imports) {
    if (!approved.has(`${entry.module}.${entry.name}`)) {
      throw new Error(`module imports ${entry.module}.${entry.name}, not approved by policy ${policy.name}`);
    }
  }
}
