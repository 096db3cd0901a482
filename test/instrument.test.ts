import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.js";
import { emit } from "../src/emit.js";
import { checkSource } from "../src/pipeline.js";
import { projectRoot } from "./helpers/cli.js";
import { runOnNode } from "../src/engines/node.js";
import binaryen from "binaryen";
import { neverReturningFunctions } from "../src/binaryen-ir.js";
import { instrument, setMemoryMaximum } from "../src/instrument.js";
import { AS_PRELUDE, buildAs, compileAs, testPolicy } from "./helpers/build.js";

function memoryLimits(wasm: Uint8Array): { initial: number; maximum: number | undefined } {
  // Read the memory section directly: id 5, count 1, flags, initial[, maximum] (LEB128).
  let offset = 8;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = wasm[offset++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (offset < wasm.length) {
    const id = wasm[offset++]!;
    const size = leb();
    const end = offset + size;
    if (id === 5) {
      leb();
      const flags = wasm[offset++]!;
      const initial = leb();
      return { initial, maximum: flags & 1 ? leb() : undefined };
    }
    offset = end;
  }
  throw new Error("no memory section");
}

describe("import audit", () => {
  const evil = `@external("env", "evil") declare function evil(): void;\nevil();\n__stelp_finish();`;

  it("rejects an import the policy does not approve, naming it", async () => {
    const result = instrument(await compileAs(evil), testPolicy());
    expect(result.wasm).toBeNull();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ rule: "import-not-approved", stage: "instrument" });
    expect(result.diagnostics[0]!.message).toContain("env.evil");
  });

  it("accepts it when the policy lists it, and the module imports exactly the approved set", async () => {
    const policy = testPolicy({}, { imports: ["env.evil"] });
    const result = instrument(await compileAs(evil), policy);
    expect(result.diagnostics).toEqual([]);
    expect(result.imports.sort()).toEqual(["env.evil", "wasi_snapshot_preview1.fd_write"]);
  });

  it("rejects unknown stelp intrinsics, which no policy can approve", async () => {
    const result = instrument(await compileAs(`@external("stelp", "escape") declare function escape(): void;\nescape();\n__stelp_finish();`), testPolicy());
    expect(result.diagnostics[0]).toMatchObject({ rule: "import-not-approved" });
  });

  it("replaces the stelp intrinsics so they never reach an engine", async () => {
    const wasm = await buildAs(`__stelp_log_out("hi");\n__stelp_finish();`);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>));
    expect(imports.map((i) => i.module)).not.toContain("stelp");
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>)).map((e) => e.name);
    expect(exports.sort()).toEqual(["__stelp_fuel", "_start", "memory"]);
  });

  it("refuses Math.random's seed when the policy grants none", async () => {
    const body = `__stelp_log_out(Math.random().toString());\n__stelp_finish();`;
    const denied = instrument(await compileAs(body), testPolicy({}, { random: null }));
    expect(denied.wasm).toBeNull();
    const granted = instrument(await compileAs(body), testPolicy({}, { random: { seed: 7 } }));
    expect(granted.diagnostics).toEqual([]);
  });
});

describe("memory maximum", () => {
  it("declares the policy's maximum in whole pages", async () => {
    const wasm = await buildAs(`__stelp_finish();`, testPolicy({ memoryBytes: 5 * 65536 + 100 }));
    expect(memoryLimits(wasm).maximum).toBe(5);
  });

  it("rejects a policy smaller than the module's static data", async () => {
    const compiled = await compileAs(`__stelp_finish();`);
    const initial = memoryLimits(compiled).initial;
    const result = instrument(compiled, testPolicy({ memoryBytes: 65536 }));
    if (initial > 1) expect(result.diagnostics[0]).toMatchObject({ rule: "memory-limit-too-small" });
    else expect(result.wasm).not.toBeNull();
  });

  it("setMemoryMaximum rewrites only the limits", async () => {
    const compiled = await compileAs(`__stelp_finish();`);
    const patched = setMemoryMaximum(compiled, 77);
    expect(memoryLimits(patched)).toEqual({ initial: memoryLimits(compiled).initial, maximum: 77 });
    expect(WebAssembly.validate(patched as Uint8Array<ArrayBuffer>)).toBe(true);
  });
});

describe("fuel metering", () => {
  const counted = (n: number) => `let total: f64 = 0;\nfor (let i: f64 = 0; i < ${n}; i++) total += i;\n__stelp_log_out(total.toString());\n__stelp_finish();`;

  it("is deterministic and grows with the work done", async () => {
    const policy = testPolicy();
    const small = await runOnNode(await buildAs(counted(1000), policy), policy.limits);
    const again = await runOnNode(await buildAs(counted(1000), policy), policy.limits);
    const large = await runOnNode(await buildAs(counted(2000), policy), policy.limits);
    expect(small.status).toBe("ok");
    expect(small.fuelUsed).toBe(again.fuelUsed);
    const perIteration = (large.fuelUsed! - small.fuelUsed!) / 1000;
    expect(perIteration).toBeGreaterThan(1);
    // The loop body is a handful of instructions: the meter must not be wildly off.
    expect(perIteration).toBeLessThan(40);
  });

  it("stops an infinite loop at exactly the limit", async () => {
    const policy = testPolicy({ fuel: 1_000_000 });
    const run = await runOnNode(await buildAs(`let x: f64 = 0;\nwhile (true) { x += 1; }\n__stelp_finish();`, policy), policy.limits);
    expect(run.status).toBe("fuel_exhausted");
    expect(run.fuelUsed).toBe(1_000_000);
  });

  it("keeping fuel in locals changes no count: the same status, output and fuel as the global counter", async () => {
    const examples = join(projectRoot, "examples");
    const programs: [string, string, number][] = readdirSync(examples)
      .filter((name) => name.endsWith(".js"))
      .map((name) => [name, readFileSync(join(examples, name), "utf8"), 50_000_000]);
    programs.push(
      ["exhausted in a call-free loop of a callee", `function spin(n) { let t = 0; for (let i = 0; i < n; i++) t += i % 7; return t; }\nlet s = 0;\nfor (let k = 0; k < 1000; k++) { s += spin(k * 10); if (k % 100 === 0) console.log(s); }`, 2_000_000],
      ["early returns from loops, calls in arguments", `function find(xs, v) { for (let i = 0; i < xs.length; i++) if (xs[i] === v) return i; return -1; }\nconst xs = []; for (let i = 0; i < 300; i++) xs.push((i * 7919) % 1000);\nlet hits = 0; for (let v = 0; v < 1000; v += 3) hits += find(xs, v) >= 0 ? 1 : 0;\nconsole.log(hits, Math.max(...xs.map((x) => x % 97)), find(xs.slice(0, 10), xs[9]));`, 50_000_000],
      ["a read out of bounds in a call-free loop stops there (a call that never returns)", `function count(rows, n) { let c = 0; for (let i = 0; i < n; i++) c += rows[i].length; return c; }\nconst rows = [[1], [2, 3], []];\nconsole.log(count(rows, 3));\nconsole.log(count(rows, 5));`, 50_000_000],
      ["a throw inside a loop, caught outside", `function f(n) { for (let i = 0; i < n; i++) { if (i === 50) throw new Error("at " + i); } return n; }\ntry { const r = f(100); console.log(r); } catch (e) { console.log(e.message); }`, 50_000_000],
    );
    for (const [name, source, fuel] of programs) {
      const policy = testPolicy({ fuel });
      const checked = checkSource(source, { policy });
      if (!checked.program) continue; // examples that are meant to be rejected
      const wasm = (await compile(emit(checked.program).source, { target: "fast" })).wasm!;
      const results = [];
      for (const fuelInLocals of [true, false]) {
        const module = instrument(wasm, policy, { fuelInLocals }).wasm!;
        const ran = await runOnNode(module, policy.limits);
        results.push({ status: ran.status, stdout: ran.stdout, stderr: ran.stderr, fuel: ran.fuelUsed });
      }
      expect(results[0], name).toEqual(results[1]);
      expect(results[0]!.fuel, name).not.toBeNull();
    }
  }, 180_000);

  it("charges bulk memory work by size", async () => {
    const policy = testPolicy();
    const copy = (bytes: number) => `const a = new ArrayBuffer(${bytes}); const b = new ArrayBuffer(${bytes});\nfor (let i = 0; i < 10; i++) memory.copy(changetype<usize>(a), changetype<usize>(b), ${bytes});\n__stelp_finish();`;
    const small = await runOnNode(await buildAs(copy(1024), policy), policy.limits);
    const large = await runOnNode(await buildAs(copy(1024 * 1024), policy), policy.limits);
    expect(large.fuelUsed! - small.fuelUsed!).toBeGreaterThan((10 * 1024 * 1024) / 16 - 10 * 1024);
  });
});

describe("calls that never return", () => {
  const none = binaryen.none;
  const i32 = binaryen.i32;
  /** A module of small functions, each named after what its body does. */
  function analysed(): Set<string> {
    const m = new binaryen.Module();
    try {
      const cond = () => m.local.get(0, i32);
      const fn = (name: string, body: number) => m.addFunction(name, binaryen.createType([i32]), none, [], body);
      fn("exit", m.if(cond(), m.unreachable()));
      fn("traps", m.unreachable());
      fn("callsTraps", m.block(null, [m.nop(), m.call("traps", [m.i32.const(0)], none)]));
      fn("trapsInOneArm", m.if(cond(), m.call("traps", [m.i32.const(0)], none)));
      fn("trapsInBothArms", m.if(cond(), m.call("traps", [m.i32.const(0)], none), m.call("exitsWithCause", [m.i32.const(0)], none)));
      fn("exitsWithCause", m.call("exit", [m.i32.const(6)], none));
      fn("exitsOk", m.call("exit", [m.i32.const(0)], none));
      fn("exitsWithVariableCause", m.call("exit", [cond()], none));
      fn("branchesPastTrap", m.block("out", [m.br("out", cond()), m.unreachable()]));
      fn("returnsEarly", m.block(null, [m.if(cond(), m.return()), m.unreachable()]));
      fn("spins", m.loop("again", m.br("again")));
      fn("trapsInArgument", m.drop(m.i32.add(m.i32.const(1), m.block(null, [m.call("traps", [m.i32.const(0)], none), m.i32.const(2)], i32))));
      expect(m.validate()).toBeTruthy();
      return neverReturningFunctions(m, "exit");
    } finally {
      m.dispose();
    }
  }

  it("finds every function whose paths all end in a trap, an exit with a failing cause or such a call", () => {
    expect([...analysed()].sort()).toEqual(["callsTraps", "exitsWithCause", "spins", "traps", "trapsInArgument", "trapsInBothArms"]);
  });

  it("marks their call sites as dead ends, a loop whose only calls never return keeps fuel in a local, tiny callees are inlined", () => {
    const m = new binaryen.Module();
    const debugInfo = binaryen.getDebugInfo();
    binaryen.setDebugInfo(true); // keep function names in the binaries, to find them in the text
    try {
      m.setMemory(1, 1, "memory");
      m.addFunction("exit", binaryen.createType([i32]), none, [], m.if(m.local.get(0, i32), m.unreachable()));
      // Larger than what the stage inlines (it records why it fails before exiting).
      const record = (offset: number) => m.i32.store(offset, 4, m.i32.const(0), m.local.get(0, i32));
      m.addFunction("fail", binaryen.createType([i32]), none, [], m.block(null, [record(0), record(4), record(8), record(12), m.call("exit", [m.i32.const(6)], none)]));
      m.addFunction("tiny", binaryen.createType([i32]), i32, [], m.i32.add(m.local.get(0, i32), m.i32.const(1)));
      const counter = () => m.local.get(0, i32);
      const loop = m.loop("again", m.block(null, [
        m.if(m.i32.gt_s(counter(), m.i32.const(5)), m.call("fail", [counter()], none)),
        m.local.set(0, m.call("tiny", [counter()], i32)),
        m.br("again", m.i32.lt_s(counter(), m.i32.const(10))),
      ]));
      m.addFunction("start", none, none, [i32], loop);
      m.addFunctionExport("exit", "__stelp_exit");
      m.addFunctionExport("start", "_start");
      const sizes = () => [binaryen.getAlwaysInlineMaxSize(), binaryen.getFlexibleInlineMaxSize(), binaryen.getOneCallerInlineMaxSize()];
      const before = sizes();
      const instrumented = instrument(m.emitBinary(), testPolicy());
      expect(sizes(), "binaryen's process-wide inlining settings are restored").toEqual(before);
      expect(instrumented.diagnostics).toEqual([]);
      const out = binaryen.readBinary(instrumented.wasm!);
      try {
        const start = out.emitText().split(/\n \(func /).find((f) => f.startsWith("$start"))!;
        expect(start).toMatch(/\(call \$fail\s+\(local\.get \$0\)\s+\)\s+\(unreachable\)/);
        expect(start).toMatch(/\(local\.set \$\d+\s+\(global\.get \$__stelp_fuel\)/);
        // A function as small as `tiny` is inlined before metering: no call (nor its own depth count and charge) is left.
        expect(start).not.toContain("$tiny");
      } finally {
        out.dispose();
      }
    } finally {
      binaryen.setDebugInfo(debugInfo);
      m.dispose();
    }
  });
});

describe("call depth", () => {
  const recurse = (depth: number) => `function down(n: f64): f64 { return n <= 0 ? 0 : down(n - 1) + 1; }\n__stelp_log_out(down(${depth}).toString());\n__stelp_finish();`;

  it("lets recursion below the limit finish", async () => {
    const policy = testPolicy({ callDepth: 500 });
    const run = await runOnNode(await buildAs(recurse(400), policy), policy.limits);
    expect(run.status).toBe("ok");
    expect(run.stdout).toBe("400.0\n");
  });

  it("stops recursion at the limit, deterministically", async () => {
    const policy = testPolicy({ callDepth: 500 });
    const wasm = await buildAs(recurse(600), policy);
    const first = await runOnNode(wasm, policy.limits);
    const second = await runOnNode(wasm, policy.limits);
    expect(first.status).toBe("call_depth_limit");
    expect(first.fuelUsed).toBe(second.fuelUsed);
  });

  it("depth is restored on every return path", async () => {
    // 10 000 sequential calls at shallow depth must never accumulate depth.
    const policy = testPolicy({ callDepth: 50 });
    const body = `function pick(n: f64): f64 { if (n > 5) return 1; if (n > 2) return 2; return 3; }\nlet s: f64 = 0;\nfor (let i: f64 = 0; i < 10000; i++) s += pick(i % 8);\n__stelp_log_out(s.toString());\n__stelp_finish();`;
    const run = await runOnNode(await buildAs(body, policy), policy.limits);
    expect(run.status).toBe("ok");
  });
});

describe("output cap", () => {
  it("ends a flood at exactly the cap", async () => {
    const policy = testPolicy({ outputBytes: 1000, fuel: 100_000_000 });
    const run = await runOnNode(await buildAs(`while (true) __stelp_log_out("0123456789");\n__stelp_finish();`, policy), policy.limits);
    expect(run.status).toBe("output_limit");
    expect(Buffer.byteLength(run.stdout)).toBe(1000);
  });

  it("counts stdout and stderr together and keeps their order", async () => {
    const policy = testPolicy({ outputBytes: 1 << 20 });
    const run = await runOnNode(await buildAs(`__stelp_log_out("a");\n__stelp_log_err("b");\n__stelp_log_out("c");\n__stelp_finish();`, policy), policy.limits);
    expect(run).toMatchObject({ status: "ok", stdout: "a\nc\n", stderr: "b\n" });
  });
});

describe("memory limit", () => {
  it("reports a memory bomb as memory_limit, not a generic trap", async () => {
    const policy = testPolicy({ memoryBytes: 4 * 1024 * 1024, fuel: 500_000_000 });
    const run = await runOnNode(await buildAs(`let s = "ab";\nwhile (true) s = s + s;\n__stelp_finish();`, policy), policy.limits);
    expect(run.status).toBe("memory_limit");
    expect(run.fuelUsed).not.toBeNull();
  });
});

describe("robustness", () => {
  it("refuses garbage instead of throwing", () => {
    const result = instrument(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99, 99]), testPolicy());
    expect(result.wasm).toBeNull();
    expect(result.diagnostics[0]!.rule).toBe("instrument-failed");
  });

  it("the prelude compiles on its own", async () => {
    expect((await compile(AS_PRELUDE + "__stelp_finish();")).diagnostics).toEqual([]);
  });
});

describe("asconfig aliases", () => {
  it("route AssemblyScript's own console and trace to the capped writer, not to new imports", async () => {
    const policy = testPolicy();
    const wasm = await buildAs(`console.log("via console");\nconsole.error("to stderr");\ntrace("traced");\n__stelp_finish();`, policy);
    const run = await runOnNode(wasm, policy.limits);
    expect(run).toMatchObject({ status: "ok", stdout: "via console\n", stderr: "to stderr\ntrace: traced\n" });
  });
});
