import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.js";
import { AS_PRELUDE } from "./helpers/build.js";

describe("compile stage", () => {
  it("compiles in the warm worker and in process to the same bytes", async () => {
    const source = AS_PRELUDE + `__stelp_log_out("same");\n__stelp_finish();`;
    const inWorker = await compile(source);
    const inProcess = await compile(source, { inProcess: true });
    expect(inWorker.diagnostics).toEqual([]);
    expect(Buffer.from(inWorker.wasm!).equals(Buffer.from(inProcess.wasm!))).toBe(true);
  });

  it("turns AssemblyScript errors into diagnostics with positions", async () => {
    const result = await compile(AS_PRELUDE + `let x: i32 = "text";\n__stelp_finish();`);
    expect(result.wasm).toBeNull();
    expect(result.diagnostics[0]).toMatchObject({ rule: "compile-error", stage: "compile" });
    expect(result.diagnostics[0]!.message).toMatch(/snippet\.ts:3:\d+/);
  });

  it("stops a compile at its deadline and recovers for the next one", async () => {
    // Many independent functions: slow to compile, but not deep (a long call chain would also test
    // the compiler's recursion, which is not the point here).
    let body = "";
    for (let i = 0; i < 4000; i++) body += `function fn_${i}(x: f64): f64 { return x * ${i}.0 + 1.0; }\n`;
    let calls = "let total: f64 = 0;\n";
    for (let i = 0; i < 4000; i++) calls += `total += fn_${i}(1.0);\n`;
    const slow = await compile(AS_PRELUDE + body + calls + `__stelp_log_out(total.toString());\n__stelp_finish();`, { deadlineMs: 200 });
    expect(slow.wasm).toBeNull();
    expect(slow.diagnostics[0]!.rule).toBe("compile-timeout");
    const next = await compile(AS_PRELUDE + `__stelp_finish();`);
    expect(next.diagnostics).toEqual([]);
    expect(next.wasm).not.toBeNull();
  });
});
