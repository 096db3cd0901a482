import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stelp } from "./helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "stelp-cli-test-"));
const hello = join(tmp, "hello.js");
writeFileSync(hello, 'const greet = (name) => `hello ${name}`;\nconsole.log(greet("world"), 1 + 1);\n');

describe("stelp CLI", () => {
  it("prints help and exits 0", () => {
    const run = stelp(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Exit codes");
  });

  it.each([
    [["frobnicate", "x.js"], /unknown command/],
    [["run"], /exactly one FILE/],
    [["run", "a.js", "b.js"], /exactly one FILE/],
    [["run", "x.js", "--engine", "v8"], /--engine must be node, wasmtime or inline/],
    [["run", "x.js", "--fuel", "lots"], /--fuel takes a whole number/],
    [["run", "x.js", "--bogus"], /unknown option --bogus/],
    [["build", "x.js"], /build needs -o/],
    [["run", "/nonexistent/snippet.js"], /cannot read/],
  ])("usage error %j exits 64 with a message", (args, message) => {
    const run = stelp(args);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it("a limit flag out of range is a usage error", () => {
    const run = stelp(["run", hello, "--fuel", "0"]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/fuel/);
  });

  it("a broken policy file exits 78 naming the field", () => {
    const policy = join(tmp, "bad-policy.json");
    writeFileSync(policy, JSON.stringify({ limits: { fuel: "plenty" } }));
    const run = stelp(["run", hello, "--policy", policy]);
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/limits\.fuel/);
    const notJson = join(tmp, "not-json.json");
    writeFileSync(notJson, "{");
    expect(stelp(["run", hello, "--policy", notJson]).code).toBe(78);
  });

  it("runs a file and passes its output through", () => {
    const run = stelp(["run", hello]);
    expect(run).toMatchObject({ code: 0, stdout: "hello world 2\n" });
  });

  it("reads the snippet from stdin with -", () => {
    const run = stelp(["run", "-"], { input: "console.log(6 * 7);\n" });
    expect(run).toMatchObject({ code: 0, stdout: "42\n" });
  });

  it("--json prints one result object with every field", () => {
    const run = stelp(["run", hello, "--json"]);
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result).sort()).toEqual(["diagnostics", "engine", "exitCode", "fuel", "status", "stderr", "stdout", "timings"]);
    expect(Object.keys(result.timings).sort()).toEqual(["check", "compile", "emit", "instrument", "parse", "run"]);
    expect(result).toMatchObject({ status: "ok", exitCode: 0, engine: "node", stdout: "hello world 2\n" });
    expect(result.fuel.used).toBeGreaterThan(0);
    expect(result.fuel.limit).toBe(1_000_000_000);
  });

  it("--fuel overrides the policy's limit", () => {
    const loop = join(tmp, "loop.js");
    writeFileSync(loop, "let i = 0;\nwhile (true) { i++; }\n");
    const run = stelp(["run", loop, "--json", "--fuel", "12345"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "fuel_exhausted", exitCode: 3, fuel: { limit: 12345, used: 12345 } });
    expect(run.code).toBe(3);
  });

  it("check prints diagnostics only and exits 2 on rejection", () => {
    const bad = join(tmp, "bad.js");
    writeFileSync(bad, "const x = 1;\nprocess.exit(1);\n");
    const run = stelp(["check", bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.js:2:1 forbidden-global/);
    expect(stelp(["check", hello])).toMatchObject({ code: 0, stdout: "", stderr: "" });
    const json = JSON.parse(stelp(["check", bad, "--json"]).stdout);
    expect(json.status).toBe("rejected");
    expect(json.diagnostics[0]).toMatchObject({ rule: "forbidden-global", line: 2, column: 1 });
  });

  it("a syntax error is a diagnostic with a position, never a stack trace", () => {
    const broken = join(tmp, "broken.js");
    writeFileSync(broken, "function (\n");
    const run = stelp(["run", broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken\.js:1:\d+ syntax-error/);
  });

  it("build writes the instrumented module and the emitted AssemblyScript", async () => {
    const out = join(tmp, "hello.wasm");
    const as = join(tmp, "hello.ts");
    const run = stelp(["build", hello, "-o", out, "--emit-as", as]);
    expect(run.code).toBe(0);
    const bytes = readFileSync(out);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`)).toEqual(["wasi_snapshot_preview1.fd_write"]);
    expect(readFileSync(as, "utf8")).toContain("__stelp_finish()");
  });

  it("a missing wasmtime exits 69 and says how to install it", () => {
    const run = stelp(["run", hello, "--engine", "wasmtime"], { env: { STELP_WASMTIME: "/nonexistent/wasmtime" } });
    expect(run.code).toBe(69);
    expect(run.stderr).toMatch(/setup:wasmtime/);
    expect(existsSync("/nonexistent")).toBe(false);
  });
});
