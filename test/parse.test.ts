import { describe, expect, it } from "vitest";
import { MAX_SOURCE_LENGTH, parse, type StelpProgram } from "../src/parse.js";

describe("parse", () => {
  it("parses a script with locations and keeps the comments", () => {
    const r = parse("/** @param {number} x */\nfunction f(x) { return x; } // done\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.ast?.type).toBe("Program");
    expect(r.ast?.sourceType).toBe("script");
    expect(r.ast?.body[0]?.loc?.start).toEqual({ line: 2, column: 0 });
    const comments = (r.ast as StelpProgram).comments!;
    expect(comments.map((c) => c.type)).toEqual(["Block", "Line"]);
    expect(comments[0]).toMatchObject({ line: 1, column: 1, next: 25 });
  });

  it("reports syntax errors with 1-based line and column", () => {
    const r = parse("let a = 1;\nlet b = (2;\n");
    expect(r.ast).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ rule: "syntax-error", severity: "error", line: 2, column: 11, stage: "parse" });
    expect(r.diagnostics[0]!.message).not.toMatch(/\(\d+:\d+\)$/);
    expect(r.diagnostics[0]!.hint.length).toBeGreaterThan(0);
  });

  it("positions the usual mistakes", () => {
    expect(parse("let x = 1 +").diagnostics[0]).toMatchObject({ rule: "syntax-error", line: 1, column: 12 });
    expect(parse("let s = 'abc;").diagnostics[0]).toMatchObject({ rule: "syntax-error", line: 1, column: 9 });
    expect(parse("function f( {").diagnostics[0]).toMatchObject({ rule: "syntax-error", line: 1 });
    expect(parse("let x = 1;\nlet x = 2;").diagnostics[0]).toMatchObject({ rule: "syntax-error", line: 2, column: 5 });
    expect(parse("return 1;").diagnostics[0]).toMatchObject({ rule: "syntax-error", line: 1, column: 1 });
  });

  it("rejects modules with forbidden-module / forbidden-global", () => {
    expect(parse("import fs from 'fs';").diagnostics[0]).toMatchObject({ rule: "forbidden-module", line: 1, column: 1 });
    expect(parse("export const a = 1;").diagnostics[0]).toMatchObject({ rule: "forbidden-module", line: 1, column: 1 });
    expect(parse("let m = import.meta;").diagnostics[0]).toMatchObject({ rule: "forbidden-global", line: 1, column: 9 });
  });

  it("accepts a hashbang line", () => {
    expect(parse("#!/usr/bin/env node\nconsole.log(1);").diagnostics).toEqual([]);
  });

  it("survives 100 000 nested brackets quickly", () => {
    for (const [open, close] of [
      ["(", ")"],
      ["[", "]"],
      ["{", "}"],
    ] as const) {
      const start = performance.now();
      const r = parse(open.repeat(100_000) + "1" + close.repeat(100_000));
      expect(performance.now() - start).toBeLessThan(5_000);
      expect(r.ast).toBeNull();
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]!.rule).toBe("input-too-complex");
      expect(r.diagnostics[0]!.stage).toBe("parse");
    }
  });

  it("survives long operator chains and unary chains", () => {
    for (const src of ["let x = 1" + " + 1".repeat(100_000) + ";", "let x = " + "-".repeat(100_000) + "1;", "let x = " + "`${".repeat(20_000) + "1" + "}`".repeat(20_000)]) {
      const r = parse(src);
      expect(r.diagnostics.every((d) => d.rule === "input-too-complex" || d.rule === "syntax-error")).toBe(true);
    }
  });

  it("returns quickly on a 10 MB source", () => {
    const src = "let x = 1;\n".repeat(1_000_000);
    const start = performance.now();
    const r = parse(src);
    expect(performance.now() - start).toBeLessThan(2_000);
    expect(r.ast).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ rule: "input-too-large", line: 1, column: 1 });
    expect(r.diagnostics[0]!.message).toContain(String(MAX_SOURCE_LENGTH));
  });

  it("parses a source just under the limit", () => {
    const src = "let x = 1;\n" + "x = x + 1;\n".repeat(Math.floor((MAX_SOURCE_LENGTH - 20) / 11));
    expect(src.length).toBeLessThanOrEqual(MAX_SOURCE_LENGTH);
    const r = parse(src);
    expect(r.diagnostics).toEqual([]);
  });

  it("never throws on a non-string", () => {
    const r = parse(undefined as unknown as string);
    expect(r.ast).toBeNull();
    expect(r.diagnostics[0]!.rule).toBe("syntax-error");
  });

  it("decodes unicode escapes in identifiers (the checker sees the real name)", () => {
    const r = parse("\\u0065val('1')");
    const stmt = r.ast!.body[0] as { expression: { callee: { name: string } } };
    expect(stmt.expression.callee.name).toBe("eval");
  });
});
