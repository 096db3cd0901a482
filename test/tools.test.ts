/**
 * Host tools (src/tools.ts): registration and policy approval, call typing at check time, the
 * import audit, marshalling both ways, per-tool limits, async tools, failures, and the engines that
 * cannot link tools.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check, compile, run, type StelpOptions } from "../src/api.js";
import { checkSource } from "../src/pipeline.js";
import { compile as compileAs } from "../src/compile.js";
import { emit } from "../src/emit.js";
import { instrument } from "../src/instrument.js";
import { defaultPolicy, policyHash, validatePolicy, type Policy } from "../src/policy.js";
import { decodeToolValues, encodeToolValue, parseToolType, signatureText, toolSignatures, ToolDefinitionError, toolTypeText, type ToolSet } from "../src/tools.js";
import type { Type } from "../src/typed-program.js";

function policyWith(tools: Policy["tools"], wallClockMs = 10_000): Policy {
  const base = defaultPolicy();
  return { ...base, limits: { ...base.limits, wallClockMs }, tools };
}

const CALL_ORDER: string[] = [];

/** Echo tools: each returns its argument, so a value crosses the boundary both ways. */
const echoTools: ToolSet = {
  echoNumbers: { params: { xs: "number[]" }, returns: "number[]", call: (xs: number[]) => xs },
  echoText: { params: { s: "string" }, returns: "string", call: (s: string) => s },
  echoFlag: { params: { b: "boolean" }, returns: "boolean", call: (b: boolean) => !b },
  echoRecord: {
    params: { r: "{ name: string, tags: string[], nested: { x: number, ok: boolean }[] }" },
    returns: "{ name: string, tags: string[], nested: { x: number, ok: boolean }[] }",
    call: (r: unknown) => r,
  },
  record: {
    params: { label: "string", value: "number" },
    returns: "void",
    call: (label: string, value: number) => {
      CALL_ORDER.push(`${label}=${Object.is(value, -0) ? "-0" : String(value)}`);
    },
  },
};
const echoPolicy = policyWith({ echoNumbers: true, echoText: true, echoFlag: true, echoRecord: true, record: true });

describe("tool types and registration", () => {
  it("parses the subset's type notation", () => {
    expect(parseToolType("number")).toEqual({ kind: "number" });
    expect(parseToolType(" string[][] ")).toEqual({ kind: "array", elem: { kind: "array", elem: { kind: "string" } } });
    expect(parseToolType("Array<boolean>")).toEqual({ kind: "array", elem: { kind: "boolean" } });
    expect(parseToolType("{ id: string; price: number, }[]")).toEqual({
      kind: "array",
      elem: { kind: "record", keys: ["id", "price"], fields: [{ kind: "string" }, { kind: "number" }] },
    });
    expect(parseToolType("void", true)).toEqual({ kind: "void" });
    for (const bad of ["any", "number|string", "{}", "{ a: number, a: string }", "void[]", "Map<string, number>", "number[", "", "{ a number }"]) {
      expect(() => parseToolType(bad, true), bad).toThrow(ToolDefinitionError);
    }
    expect(() => parseToolType("void")).toThrow(/only allowed as the whole result/);
    expect(() => parseToolType("{ a: void }", true)).toThrow(/only allowed/);
    expect(() => parseToolType("number" + "[]".repeat(40))).not.toThrow();
    expect(() => parseToolType("(".repeat(40) + "number" + ")".repeat(40))).toThrow(/nested too deeply/);
  });

  it("prints signatures in the same notation it reads", () => {
    const [sig] = toolSignatures({ find: { params: { q: "string", rows: "{ a: number, b: string[] }[]" }, returns: "(number[])[]", call: () => [] } });
    expect(signatureText(sig!)).toBe("find(q: string, rows: { a: number, b: string[] }[]): number[][]");
    for (const p of sig!.params) expect(parseToolType(toolTypeText(p.type))).toEqual(p.type);
  });

  it("rejects bad registrations with the tool and the field named", () => {
    expect(() => toolSignatures({ "bad-name": { call: () => 1 } })).toThrow(/tool "bad-name": a tool name/);
    expect(() => toolSignatures({ __proto_ish: { call: () => 1 } })).toThrow(/not starting with "__"/);
    expect(() => toolSignatures({ t: { params: { a: "number" } } as never })).toThrow(/"call" must be a function/);
    expect(() => toolSignatures({ t: { params: { a: "date" }, call: () => 1 } })).toThrow(/tool "t", parameter "a": type "date"/);
    expect(() => toolSignatures({ t: { returns: "number[", call: () => 1 } })).toThrow(/tool "t", result/);
    expect(() => toolSignatures({ t: { params: ["number"] as never, call: () => 1 } })).toThrow(/"params" must be an object/);
  });

  it("the policy approves tools by name with per-tool limits; its hash covers them", () => {
    const policy = validatePolicy({ tools: { search: { maxCalls: 2 }, mail: true } });
    expect(policy.tools).toEqual({
      search: { maxCalls: 2, maxArgumentBytes: 65536, maxResultBytes: 1048576 },
      mail: { maxCalls: 100, maxArgumentBytes: 65536, maxResultBytes: 1048576 },
    });
    expect(policyHash(policy)).not.toBe(policyHash(validatePolicy({ tools: { search: { maxCalls: 3 }, mail: true } })));
    expect(policyHash(validatePolicy({}))).toBe(policyHash({ ...validatePolicy({}), tools: {} }));
    const bad: [unknown, RegExp][] = [
      [{ tools: [] }, /"tools" must be an object/],
      [{ tools: { "a.b": true } }, /"tools\.a\.b": a tool name/],
      [{ tools: { __x: true } }, /a tool name/],
      [{ tools: { a: false } }, /"tools\.a" must be true or an object/],
      [{ tools: { a: { maxCalls: -1 } } }, /"tools\.a\.maxCalls" must be an integer from 0/],
      [{ tools: { a: { maxcalls: 1 } } }, /unknown field "tools\.a\.maxcalls"/],
      [{ imports: ["stelp_tools.a"] }, /reserved for stelp/],
    ];
    for (const [document, message] of bad) expect(() => validatePolicy(document), JSON.stringify(document)).toThrow(message);
  });
});

describe("the encoding", () => {
  const typeArb: fc.Arbitrary<Type> = fc.letrec<{ t: Type }>((tie) => ({
    t: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constant<Type>({ kind: "number" }),
      fc.constant<Type>({ kind: "string" }),
      fc.constant<Type>({ kind: "boolean" }),
      tie("t").map((elem): Type => ({ kind: "array", elem })),
      fc.uniqueArray(fc.tuple(fc.constantFrom("a", "b", "c", "d"), tie("t")), { minLength: 1, maxLength: 3, selector: ([k]) => k }).map((entries): Type => ({ kind: "record", keys: entries.map(([k]) => k), fields: entries.map(([, t]) => t) })),
    ),
  })).t;
  const valueOf = (t: Type): fc.Arbitrary<unknown> => {
    switch (t.kind) {
      case "number":
        return fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 53 + 2));
      case "string":
        return fc.string({ unit: "binary" });
      case "boolean":
        return fc.boolean();
      case "array":
        return fc.array(valueOf(t.elem), { maxLength: 4 });
      case "record":
        return fc.tuple(...t.fields.map(valueOf)).map((values) => Object.fromEntries(t.keys.map((k, i) => [k, values[i]])));
      default:
        throw new Error(t.kind);
    }
  };

  it("round-trips every value of every tool type exactly (-0, NaN, lone surrogates)", () => {
    fc.assert(
      fc.property(
        typeArb.chain((t) => fc.tuple(fc.constant(t), valueOf(t))),
        ([t, value]) => {
          const bytes = encodeToolValue(t, value, "x")!;
          expect(decodeToolValues([t], bytes)).toEqual([value]);
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });

  it("through a module: any value of any tool type comes back exactly (generated decoders and encoders)", async () => {
    // host → module (get) → host (put): every nested type's decoder and encoder in the module.
    const nested = ["{ a: string[], b: { c: number, d: boolean[] }[] }[]", "string[][][]", "{ x: { y: { z: string, n: number } }, ok: boolean }", "{ id: string, tags: string[] }[][]"].map((t) => parseToolType(t));
    const types = [...nested, ...fc.sample(typeArb, { seed: 7, numRuns: 4 })];
    const samples = types.map((t) => [t, fc.sample(valueOf(t), { seed: 11, numRuns: 3 })] as const);
    for (const [t, values] of samples) {
      const text = toolTypeText(t);
      let next: unknown;
      const received: unknown[] = [];
      const tools: ToolSet = {
        get: { params: {}, returns: text, call: () => next },
        put: { params: { v: text }, returns: "void", call: (v: unknown) => void received.push(v) },
      };
      const policy = policyWith({ get: true, put: true });
      const compiled = await compile(`put(get());\nput(get());`, { policy, tools });
      expect(compiled.ok, `${text}: ${JSON.stringify(compiled.diagnostics)}`).toBe(true);
      for (const value of values) {
        next = value;
        received.length = 0;
        const ran = await run(compiled.module!, { tools, engine: "inline" });
        expect(ran.status, `${text}: ${ran.stderr}`).toBe("ok");
        expect(received, text).toEqual([value, value]);
      }
    }
  }, 180_000);

  it("round-trips values far larger than the writer's first buffer (growth at every kind of write)", () => {
    const t = parseToolType("{ n: number, s: string, b: boolean, xs: number[] }[]");
    for (let count = 1; count < 300; count += 7) {
      const value = Array.from({ length: count }, (_, i) => ({ n: i / 3, s: "x".repeat(i % 13), b: i % 2 === 0, xs: Array.from({ length: i % 5 }, (_, k) => k - 0.5) }));
      expect(decodeToolValues([t], encodeToolValue(t, value, "v")!)).toEqual([value]);
    }
  });

  it("names the path of a value that does not match its type, and stops at the byte limit", () => {
    const t = parseToolType("{ rows: { price: number }[] }");
    expect(() => encodeToolValue(t, { rows: [{ price: 1 }, { price: "2" }] }, "the result")).toThrow("the result.rows[1].price is a string, expected number");
    expect(() => encodeToolValue(t, { rows: [{}] }, "r")).toThrow("r.rows[0].price is a undefined, expected number");
    expect(() => encodeToolValue(t, null, "r")).toThrow("r is null, expected { rows: { price: number }[] }");
    // A getter is not plain data: it is neither called nor sent.
    let called = false;
    const sneaky = { rows: [{ get price() { called = true; return 1; } }] };
    expect(() => encodeToolValue(t, sneaky, "r")).toThrow(/r.rows\[0\].price is a undefined/);
    expect(called).toBe(false);
    expect(encodeToolValue(parseToolType("string"), "x".repeat(1000), "r", 100)).toBeNull();
  });

  it("rejects truncated or oversized argument bytes instead of reading past them", () => {
    const t = parseToolType("string[]");
    const bytes = encodeToolValue(t, ["abc", "de"], "x")!;
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeToolValues([t], bytes.subarray(0, cut))).toThrow(/truncated/);
    const huge = new Uint8Array([0xff, 0xff, 0xff, 0x7f]);
    expect(() => decodeToolValues([t], huge)).toThrow(/truncated/);
    expect(() => decodeToolValues([t], new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
  });
});

describe("checking tool calls", () => {
  const tools: ToolSet = {
    search: { params: { from: "string", max: "number" }, returns: "{ id: string, price: number }[]", call: () => [] },
    secret: { params: {}, returns: "string", call: () => "s3cr3t" },
  };
  const policy = policyWith({ search: true });
  const rules = (source: string, options: StelpOptions = {}) => check(source, { policy, tools, ...options }).diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}`);

  it("types arguments and results against the registration", () => {
    expect(check(`const r = search("SFO", 300);\nconsole.log(r.length, r[0] ? r[0].id.toUpperCase() : "none");`, { policy, tools }).ok).toBe(true);
    const mismatch = check(`search(300, "SFO");`, { policy, tools });
    expect(mismatch.diagnostics[0]).toMatchObject({ rule: "type-mismatch", line: 1, column: 8 });
    expect(mismatch.diagnostics[0]!.message).toContain("argument 1 of the tool `search` is a number but parameter `from` is a string");
    expect(mismatch.diagnostics[0]!.hint).toContain("search(from: string, max: number): { id: string, price: number }[]");
    expect(rules(`search("SFO");`)).toEqual(["argument-count@1:1"]);
    expect(rules(`const r = search("SFO", 1);\nconst n = r[0].price + "x";\nconst s = r[0].name;`)).toEqual(["unsupported-syntax@3:16"]);
    expect(rules(`const f = search;`)).toEqual(["function-not-value@1:11"]);
    expect(rules(`search(...["a", 1]);`)).toEqual(["unsupported-syntax@1:1"]);
    expect(rules(`const x = search("a", 1) + 1;`)).toEqual(["type-mismatch@1:11"]);
  });

  it("accepts top-level `await` directly on a tool call, and no other await", () => {
    expect(rules(`const r = await search("SFO", 1);\nconsole.log(r.length);`)).toEqual([]);
    expect(rules(`await 1;`)).toEqual(["unsupported-syntax@1:1"]);
    expect(rules(`const p = await Promise.resolve(1);`)).toEqual(["unsupported-syntax@1:11"]);
    expect(rules(`function search2() { return 1; }\nawait search2();`)).toEqual(["unsupported-syntax@2:1"]);
  });

  it("rejects a registered tool the policy does not approve, naming what it does approve", () => {
    const report = check(`console.log(secret());`, { policy, tools });
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics[0]).toMatchObject({ rule: "tool-not-approved", line: 1, column: 13 });
    expect(report.diagnostics[0]!.hint).toContain("the policy approves: search");
    // Approved but not registered: just an undeclared name.
    expect(check(`console.log(mail());`, { policy: policyWith({ mail: true }), tools }).diagnostics[0]!.rule).toBe("undeclared-identifier");
  });

  it("says at check time that the wasmtime engine cannot link tools", () => {
    const report = check(`search("a", 1);`, { policy, tools, engine: "wasmtime" });
    expect(report.diagnostics.map((d) => d.rule)).toEqual(["tools-unavailable"]);
    expect(report.diagnostics[0]!.message).toMatch(/wasmtime engine .* cannot be linked/);
  });

  it("a snippet's own function of the same name shadows the tool", async () => {
    const ran = await run(`function search(a, b) { return a + b; }\nconsole.log(search("x", 1));`, { policy, tools, cache: false });
    expect(ran).toMatchObject({ status: "ok", stdout: "x1\n", toolCalls: {} });
  }, 180_000);

  it("in a snippet with try, a tool call is a statement of its own (it may throw), as a throwing function's call", () => {
    expect(rules(`try { const r = search("a", 1); console.log(r.length); } catch (e) { console.log(e.message); }`)).toEqual([]);
    expect(rules(`try { const r = await search("a", 1); } catch (e) {}`)).toEqual([]);
    expect(rules(`try { console.log(search("a", 1).length); } catch (e) {}`)).toEqual(["unsupported-syntax@1:19"]);
    expect(rules(`function f(n) { return n; }\ntry { const r = f(search("a", 1).length); } catch (e) {}`)).toEqual(["unsupported-syntax@2:19"]);
    // Without try, a tool call goes anywhere (a failure stops the run).
    expect(rules(`console.log(search("a", 1).length);`)).toEqual([]);
  });
});

describe("running tools", () => {
  it("marshals numbers, strings, booleans, arrays and records both ways, exactly", async () => {
    CALL_ORDER.length = 0;
    const source = [
      `const xs = echoNumbers([1, -0, NaN, Infinity, -1.5e-300, 2 ** 53 + 2]);`,
      `console.log(xs, 1 / xs[1]);`,
      `for (const x of xs) record("n", x);`,
      `const s = echoText("héllo \\ud83d\\ude00 \\ud800 end");`,
      `console.log(s.length, s.charCodeAt(9), s === "héllo \\ud83d\\ude00 \\ud800 end");`,
      `console.log(echoFlag(true), echoFlag(false));`,
      `const r = echoRecord({ name: "a", tags: ["x", ""], nested: [{ x: -0, ok: true }, { x: 7, ok: false }] });`,
      `console.log(r.name, r.tags, r.nested.length, 1 / r.nested[0].x, r.nested[1]);`,
      `record("len", echoText("").length);`,
    ].join("\n");
    for (const engine of ["node", "inline"] as const) {
      const ran = await run(source, { policy: echoPolicy, tools: echoTools, engine });
      expect(ran.status, ran.stderr).toBe("ok");
      expect(ran.stdout).toBe(
        ["[ 1, -0, NaN, Infinity, -1.5e-300, 9007199254740994 ] -Infinity", "14 55296 true", "false true", "a [ 'x', '' ] 2 -Infinity { x: 7, ok: false }", ""].join("\n"),
      );
      expect(ran.toolCalls).toEqual({ echoNumbers: 1, echoText: 2, echoFlag: 2, echoRecord: 1, record: 7 });
    }
    expect(CALL_ORDER.slice(0, 7)).toEqual(["n=1", "n=-0", "n=NaN", "n=Infinity", "n=-1.5e-300", "n=9007199254740994", "len=0"]);
  }, 180_000);

  it("awaits async tools on the node engine; the inline engine refuses them clearly", async () => {
    const tools: ToolSet = {
      lookup: {
        params: { key: "string" },
        returns: "number",
        call: async (key: string) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return key.length * 10;
        },
      },
    };
    const policy = policyWith({ lookup: true });
    const source = `let total = 0;\nfor (const k of ["a", "bb", "ccc"]) total += lookup(k);\nconsole.log(total);`;
    const ran = await run(source, { policy, tools });
    expect(ran).toMatchObject({ status: "ok", stdout: "60\n", toolCalls: { lookup: 3 } });
    const inline = await run(source, { policy, tools, engine: "inline" });
    expect(inline.status).toBe("runtime_error");
    expect(inline.stderr).toContain("lookup returned a promise: async tools need the node engine");
  }, 180_000);

  it("ends the run with status tool_limit at the per-tool limits, with the same fuel on both engines", async () => {
    const tools: ToolSet = {
      add: { params: { a: "number", b: "number" }, returns: "number", call: (a: number, b: number) => a + b },
      big: { params: { n: "number" }, returns: "string", call: (n: number) => "x".repeat(n) },
      take: { params: { s: "string" }, returns: "number", call: (s: string) => s.length },
    };
    const policy = policyWith({ add: { maxCalls: 3 }, big: { maxResultBytes: 1000 }, take: { maxArgumentBytes: 100 } });
    const cases: [string, string, RegExp][] = [
      [`let s = 0;\nfor (let i = 0; i < 10; i++) { s = add(s, i); console.log(s); }`, "0\n1\n3\n", /tool add was called more than 3 time\(s\)/],
      [`console.log(big(10).length);\nconsole.log(big(600).length);`, "10\n", /result of tool big is larger than the policy's maxResultBytes of 1000/],
      [`console.log(take("a".repeat(48)));\nconsole.log(take("a".repeat(49)));`, "48\n", /arguments of tool take take 102 bytes, more than the policy's maxArgumentBytes of 100/],
    ];
    for (const [source, stdout, message] of cases) {
      const compiled = await compile(source, { policy, tools });
      expect(compiled.ok).toBe(true);
      const results = [];
      for (const engine of ["node", "inline"] as const) {
        const ran = await run(compiled.module!, { tools, engine });
        expect(ran).toMatchObject({ status: "tool_limit", exitCode: 9, stdout });
        expect(ran.stderr).toMatch(message);
        expect(ran.diagnostics.map((d) => d.rule)).toEqual(["tool-limit"]);
        results.push(ran.fuel.used);
      }
      expect(results[0]).toBeGreaterThan(0);
      expect(results[1]).toBe(results[0]);
    }
  }, 180_000);

  it("a tool that throws, rejects or breaks its declared result type throws that error in the snippet", async () => {
    const tools: ToolSet = {
      fails: { params: {}, returns: "number", call: () => { throw new Error("no such flight"); } },
      rejects: { params: {}, returns: "number", call: () => Promise.reject(new TypeError("backend down")) },
      lies: { params: {}, returns: "{ id: string }[]", call: () => [{ id: 1 }] },
    };
    const policy = policyWith({ fails: true, rejects: true, lies: true });
    const cases: [string, string][] = [
      [`console.log("before");\nfails();\nconsole.log("after");`, "Uncaught Error: no such flight"],
      [`console.log("before");\nrejects();\nconsole.log("after");`, "Uncaught TypeError: backend down"],
      [`console.log("before");\nlies();\nconsole.log("after");`, "Uncaught TypeError: the result of lies[0].id is a number, expected string"],
    ];
    for (const [source, message] of cases) {
      const ran = await run(source, { policy, tools });
      expect(ran).toMatchObject({ status: "runtime_error", exitCode: 8, stdout: "before\n" });
      expect(ran.stderr).toContain(message);
    }
    // Caught where it is called, or by a caller of the function that calls it; the run goes on.
    const caught = [
      `for (const name of ["fails", "rejects", "lies"]) {`,
      `  try {`,
      `    if (name === "fails") fails();`,
      `    else if (name === "rejects") rejects();`,
      `    else { const r = lies(); console.log(r.length); }`,
      `  } catch (e) {`,
      `    console.log(name, e.name, e.message);`,
      `  }`,
      `}`,
      `function plan() { const n = fails(); return n + 1; }`,
      `try { const n = plan(); console.log(n); } catch (e) { console.log("plan failed:", e.message); } finally { console.log("cleanup"); }`,
    ].join("\n");
    for (const engine of ["node", "inline"] as const) {
      const ran = await run(caught, { policy, tools, engine });
      expect(ran.stderr).toBe("");
      // On the inline engine the async tool cannot be awaited: that is the error it throws there.
      const rejected = engine === "node" ? "TypeError backend down" : "Error rejects returned a promise: async tools need the node engine (the inline engine runs on the caller's thread and cannot wait)";
      expect(ran).toMatchObject({
        status: "ok",
        stdout: `fails Error no such flight\nrejects ${rejected}\nlies TypeError the result of lies[0].id is a number, expected string\nplan failed: no such flight\ncleanup\n`,
      });
    }
  }, 180_000);

  it("a tool that never settles is stopped by the wall-clock limit", async () => {
    const tools: ToolSet = { hang: { params: {}, returns: "void", call: () => new Promise(() => undefined) } };
    const ran = await run(`hang();\nconsole.log("never");`, { policy: policyWith({ hang: true }, 1500), tools });
    expect(ran).toMatchObject({ status: "timeout", exitCode: 7, stdout: "" });
  }, 180_000);

  it("a module that calls tools is not run without them, nor on wasmtime", async () => {
    const tools: ToolSet = { add: { params: { a: "number", b: "number" }, returns: "number", call: (a: number, b: number) => a + b } };
    const policy = policyWith({ add: true });
    const compiled = await compile(`console.log(add(1, 2));`, { policy, tools });
    expect(compiled.module!.imports.filter((i) => i.startsWith("stelp_tools."))).toEqual(["stelp_tools.__result", "stelp_tools.add"]);
    expect((await run(compiled.module!, { tools })).stdout).toBe("3\n");
    const without = await run(compiled.module!);
    expect(without).toMatchObject({ status: "rejected", exitCode: 2 });
    expect(without.diagnostics[0]!.message).toContain("not given: add");
    const wasmtime = await run(compiled.module!, { tools, engine: "wasmtime" });
    expect(wasmtime).toMatchObject({ status: "rejected", exitCode: 2 });
    expect(wasmtime.diagnostics[0]!.rule).toBe("tools-unavailable");
  }, 180_000);

  it("the import audit rejects a module whose tool the policy does not approve", async () => {
    const tools: ToolSet = { add: { params: { a: "number", b: "number" }, returns: "number", call: () => 0 } };
    const checked = checkSource(`console.log(add(1, 2));`, { policy: policyWith({ add: true }), tools });
    const compiled = await compileAs(emit(checked.program!).source, { target: "fast" });
    expect(instrument(compiled.wasm!, policyWith({ add: true })).wasm).not.toBeNull();
    const audited = instrument(compiled.wasm!, policyWith({ other: true }));
    expect(audited.wasm).toBeNull();
    expect(audited.diagnostics.map((d) => d.message).join("\n")).toContain("stelp_tools.add");
  }, 180_000);

  it("the module cache keys on tool signatures: another result type is another module", async () => {
    const policy = policyWith({ value: true });
    const asNumber: ToolSet = { value: { params: {}, returns: "number", call: () => 41 } };
    const asText: ToolSet = { value: { params: {}, returns: "string", call: () => "41" } };
    const source = `console.log(value() + 1);`;
    expect((await run(source, { policy, tools: asNumber })).stdout).toBe("42\n");
    expect((await run(source, { policy, tools: asText })).stdout).toBe("411\n");
  }, 180_000);
});
