/**
 * `stelp build --target component|esm` (src/targets/jco.ts): the ES module runs without stelp or jco
 * (a fresh node process outside the project, and headless Chromium over http) and gives the same
 * status, stdout, stderr and fuel as the node engine; the component imports only stdout, stderr,
 * exit and their stream types. The CLI runs from dist/ (build first).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { componentWit, parse } from "@bytecodealliance/jco";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSource, runModule } from "../src/pipeline.js";
import { defaultPolicy, withLimits, type PolicyLimits } from "../src/policy.js";
import { coreToComponent, TargetError, writeBuildTarget } from "../src/targets/jco.js";
import { findWasmtime } from "../src/engines/wasmtime.js";
import { runOnNode } from "../src/engines/node.js";
import { EXIT_CODES } from "../src/engines/result.js";
import { withChromium } from "./helpers/chromium.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "bin", "stelp.js");
const tmp = mkdtempSync(join(tmpdir(), "stelp-jco-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const example = (name: string) => readFileSync(join(root, "examples", `${name}.js`), "utf8");
const programs: Record<string, { source: string; limits: Partial<PolicyLimits>; status: string }> = {
  collatz: { source: example("collatz"), limits: {}, status: "ok" },
  infiniteLoop: { source: example("infinite-loop"), limits: { fuel: 1_000_000 }, status: "fuel_exhausted" },
  outputFlood: { source: example("output-flood"), limits: { outputBytes: 3000 }, status: "output_limit" },
  memoryBomb: { source: `let s = "ab";\nwhile (true) s = s + s;\n`, limits: { memoryBytes: 8 * 1024 * 1024, fuel: 200_000_000 }, status: "memory_limit" },
  deepRecursion: { source: example("deep-recursion"), limits: {}, status: "call_depth_limit" },
  thrown: { source: `console.log("héllo ✓ 😀");\nconsole.error("to stderr");\nthrow new Error("boom");\n`, limits: {}, status: "runtime_error" },
};

/**
 * Hand-written modules that end without stelp's trailer (which no stelp program does): the wrapper
 * must classify them exactly as the node engine does.
 */
const rawLimits = { fuel: 1000, memoryBytes: 65536, callDepth: 100, outputBytes: 1000, wallClockMs: 5000 };
const rawBodies: Record<string, string> = {
  rawExit0: `(call $exit (i32.const 0))`,
  rawExit3: `(call $exit (i32.const 3))`,
  rawTrap: `(unreachable)`,
  rawReturn: ``,
  rawWriteThenReturn: `(i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 3)) (i32.store (i32.const 100) (i32.const 0x0a6968)) (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))`,
  rawStackOverflow: `(call $recurse)`,
};
const rawWat = (body: string) => `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global (export "__stelp_fuel") (mut i64) (i64.const 0))
  (func $recurse (call $recurse))
  (func (export "_start") ${body}))`;

type Outcome = { status: string; exitCode: number; stdout: string; stderr: string; fuel: { limit: number; used: number | null } };
/** The node engine's result for each program, and the folder its ESM was written to. */
const expected: Record<string, Outcome> = {};
const outDirs: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, program] of Object.entries(programs)) {
    const policy = withLimits(defaultPolicy(), program.limits);
    const built = await buildSource(program.source, { policy, cache: false });
    expect(built.wasm, name).toBeDefined();
    const ran = await runModule(built.wasm!, built.policy, "node");
    expected[name] = { status: ran.status, exitCode: ran.exitCode, stdout: ran.stdout, stderr: ran.stderr, fuel: ran.fuel };
    expect(ran.status, name).toBe(program.status);
    outDirs[name] = join(tmp, "esm", name);
    await writeBuildTarget("esm", built.wasm!, built.policy.limits, outDirs[name]!);
  }
  for (const [name, body] of Object.entries(rawBodies)) {
    const wasm = await parse(rawWat(body));
    const ran = await runOnNode(wasm, rawLimits);
    expected[name] = { status: ran.status, exitCode: EXIT_CODES[ran.status], stdout: ran.stdout, stderr: ran.stderr, fuel: { limit: rawLimits.fuel, used: ran.fuelUsed } };
    outDirs[name] = join(tmp, "esm", name);
    await writeBuildTarget("esm", wasm, rawLimits, outDirs[name]!);
  }
  expect(Object.fromEntries(Object.keys(rawBodies).map((name) => [name, expected[name]!.status]))).toEqual({
    rawExit0: "ok",
    rawExit3: "trap",
    rawTrap: "trap",
    rawReturn: "trap",
    rawWriteThenReturn: "trap",
    rawStackOverflow: "call_depth_limit",
  });
});

/**
 * Like a Workers-style isolate: the core modules are compiled up front (a bundler's static imports),
 * then compiling bytes, fetch and file reads are switched off, and each program runs through
 * run({ getCoreModule }).
 */
const WORKERS_STYLE_SCRIPT = `
  const { readFile } = await import("node:fs/promises");
  const dirs = DIRS;
  const prepared = {};
  for (const [name, url] of Object.entries(dirs)) {
    const esm = await import(url);
    const modules = new Map();
    for (const file of esm.coreFiles) modules.set(file, await WebAssembly.compile(await readFile(new URL(file, url))));
    prepared[name] = { run: esm.run, modules };
  }
  const refuse = () => { throw new Error("dynamic WebAssembly compilation is disabled in this isolate"); };
  const { Module, instantiate } = WebAssembly;
  WebAssembly.compile = async () => refuse();
  WebAssembly.compileStreaming = async () => refuse();
  WebAssembly.instantiateStreaming = async () => refuse();
  WebAssembly.instantiate = (source, imports) => (source instanceof Module ? instantiate(source, imports) : Promise.reject(new Error("dynamic WebAssembly compilation is disabled in this isolate")));
  WebAssembly.Module = new Proxy(Module, { construct: refuse });
  globalThis.fetch = async () => refuse();
  const results = {};
  for (const [name, { run, modules }] of Object.entries(prepared)) {
    const { message, ...rest } = await run({ getCoreModule: (file) => modules.get(file) });
    results[name] = rest;
  }
  process.stdout.write(JSON.stringify(results));
`;

/** Runs every program's ESM in one fresh node process: cwd outside the project, no NODE_PATH. */
function runInFreshNode(): Promise<Record<string, Outcome & { streamed: { stdout: string; stderr: string; sawMark: boolean } }>> {
  const script = `
    const dirs = ${JSON.stringify(Object.fromEntries(Object.entries(outDirs).map(([k, v]) => [k, pathToFileURL(join(v, "index.js")).href])))};
    const results = {};
    for (const [name, url] of Object.entries(dirs)) {
      const { run } = await import(url);
      const out = [], err = [];
      const r = await run({ stdout: (b) => out.push(b), stderr: (b) => err.push(b) });
      const bytes = (chunks) => Buffer.concat(chunks.map((c) => Buffer.from(c)));
      const { message, ...rest } = r;
      results[name] = { ...rest, streamed: { stdout: bytes(out).toString("utf8"), stderr: bytes(err).toString("utf8"), sawMark: bytes(err).includes(0xff) } };
    }
    process.stdout.write(JSON.stringify(results));
  `;
  return runScriptInFreshNode(script);
}

function runScriptInFreshNode<T>(script: string): Promise<T> {
  const cwd = mkdtempSync(join(tmpdir(), "stelp-jco-fresh-"));
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      rmSync(cwd, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`fresh node exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

describe("--target esm", () => {
  it("runs in a fresh node process with the same status, output and fuel as the node engine", async () => {
    const results = await runInFreshNode();
    for (const name of Object.keys(outDirs)) {
      const { streamed, ...result } = results[name]!;
      expect(result, name).toEqual(expected[name]);
      if (name in programs) expect(result.fuel.used, name).not.toBeNull();
      // The callbacks see the same bytes, and never stelp's trailer.
      expect(streamed.stdout, name).toBe(result.stdout);
      expect(streamed.stderr, name).toBe(result.stderr);
      expect(streamed.sawMark, name).toBe(false);
    }
    expect(results.collatz!.stdout).toBe("longest chain below 100000 starts at 77031 (351 terms)\n");
    expect(results.infiniteLoop!.fuel.used).toBe(1_000_000);
    expect(Buffer.byteLength(results.outputFlood!.stdout)).toBe(3000);
    expect(results.rawWriteThenReturn!.stdout).toBe("hi\n");
  });

  it("Workers-style: with run({ getCoreModule }) it compiles nothing, fetches nothing, and ends as on the node engine", async () => {
    const dirs = Object.fromEntries(Object.entries(outDirs).map(([k, v]) => [k, pathToFileURL(join(v, "index.js")).href]));
    const results = await runScriptInFreshNode<Record<string, Outcome>>(WORKERS_STYLE_SCRIPT.replace("DIRS", JSON.stringify(dirs)));
    for (const name of Object.keys(outDirs)) expect(results[name], name).toEqual(expected[name]);
  });

  it("is self-contained and gives the module no filesystem, environment, clock or random", () => {
    const dir = outDirs.collatz!;
    const files = readdirSync(dir).sort();
    expect(files).toEqual(expect.arrayContaining(["index.js", "index.d.ts", "package.json", "stelp-wasi-shim.js", "stelp.js", "stelp.core.wasm"]));
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text, file).not.toMatch(/preview2-shim|@bytecodealliance/);
      const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["'`]([^"'`]+)["'`]/g)].map((m) => m[1]!);
      // Relative files of OUT, plus the loaders that read OUT's own .wasm files in Node (index.js's,
      // and jco's unused default in stelp.js).
      for (const specifier of specifiers) expect(specifier.startsWith("./") || specifier === "node:fs/promises", `${file} imports ${specifier}`).toBe(true);
    }
    const shimCode = readFileSync(join(dir, "stelp-wasi-shim.js"), "utf8").replace(/\/\/.*|\/\*[\s\S]*?\*\//g, "");
    expect(shimCode).not.toMatch(/node:|process\.|fetch\(|import\(|Descriptor|getDirectories|getEnvironment|random|now\(/);
    // The transpiled component asks the shim for exactly: exit, stdout, stderr and their stream types.
    const stelp = readFileSync(join(dir, "stelp.js"), "utf8");
    const wanted = /const \{([^}]*)\} = imports\['\.\/stelp-wasi-shim\.js'\]/.exec(stelp);
    expect(wanted?.[1]!.split(",").map((s) => s.trim()).filter(Boolean).sort()).toEqual(["cliStderr", "cliStdout", "ioError", "ioStreams"]);
  });

  it("in headless Chromium, over http: same output and fuel as the node engine", async (context) => {
    await withChromium(context, async (browser) => {
      const esmRoot = join(tmp, "esm");
      const types: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html" };
      const server: Server = createServer((request, response) => {
        const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
        const file = path === "/" ? null : join(esmRoot, path);
        if (!file || !file.startsWith(esmRoot) || !existsSync(file)) {
          response.writeHead(path === "/" ? 200 : 404, { "content-type": "text/html" }).end("<!doctype html><title>stelp</title>");
          return;
        }
        response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as { port: number };
      const base = `http://127.0.0.1:${port}`;
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`${base}/`);
        const names = Object.keys(outDirs);
        // A string, so that vitest's transform does not rewrite the page's import().
        const results = (await page.evaluate(`(async () => {
          const out = {};
          for (const name of ${JSON.stringify(names)}) {
            const { run } = await import(${JSON.stringify(base)} + "/" + name + "/index.js");
            const { message, ...rest } = await run();
            out[name] = rest;
          }
          return out;
        })()`)) as Record<string, Outcome>;
        expect(errors).toEqual([]);
        for (const name of names) expect(results[name], name).toEqual(expected[name]);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});

describe("stelp build --target (CLI)", () => {
  const stelp = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: tmp });

  it("writes a WASI command component that imports only stdout, stderr and their streams", async () => {
    const source = join(tmp, "hello.js");
    writeFileSync(source, `console.log("hello from a component");\n`);
    const out = join(tmp, "hello.component.wasm");
    const result = stelp(["build", source, "--target", "component", "-o", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const wit = await componentWit(readFileSync(out));
    const imports = [...wit.matchAll(/^\s*import\s+([^;@\s]+)/gm)].map((m) => m[1]).sort();
    expect(imports).toEqual(["wasi:cli/stderr", "wasi:cli/stdout", "wasi:io/error", "wasi:io/streams"]);
    expect(wit).toMatch(/export wasi:cli\/run@/);
    // Any WASI 0.2 host runs it: wasmtime prints the same output and the same trailer as the core module.
    const wasmtime = findWasmtime();
    // In CI wasmtime is installed by .ci/run, so its absence fails rather than skipping this check.
    if (process.env.CI === "true") expect(wasmtime, "wasmtime (npm run setup:wasmtime)").toBeTruthy();
    if (wasmtime) {
      const ran = spawnSync(wasmtime, ["run", out], { encoding: "latin1" });
      expect(ran.stdout).toBe("hello from a component\n");
      expect(ran.stderr).toMatch(/^\xffSTELP 0 \d+\n$/);
    }
  });

  it("writes the ESM folder from the CLI", () => {
    const out = join(tmp, "cli-esm");
    const result = stelp(["build", join(root, "examples", "humaneval.js"), "--target", "esm", "-o", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(existsSync(join(out, "index.js"))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "package.json"), "utf8")).type).toBe("module");
  });

  it("rejects a bad --target, and --target outside build, as usage errors", () => {
    const bad = stelp(["build", join(root, "examples", "collatz.js"), "--target", "wasi", "-o", join(tmp, "x")]);
    expect(bad.status).toBe(64);
    expect(bad.stderr.split("\n")[0]).toBe('stelp: --target must be wasm, component or esm, got "wasi"');
    const run = stelp(["run", join(root, "examples", "collatz.js"), "--target", "esm"]);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/--target is an option of build only/);
  });

  it("refuses a module with imports other than fd_write and proc_exit (a policy-approved host import)", async () => {
    const wasm = await parse(`(module (import "env" "now" (func (result f64))) (memory (export "memory") 1) (func (export "_start")))`);
    const error = await coreToComponent(wasm).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).exitCode).toBe(64);
    expect((error as TargetError).message).toMatch(/supports only the imports fd_write and proc_exit; the module also imports env\.now/);
  });

  it("an unwritable OUT is a usage error", () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "");
    const result = stelp(["build", join(root, "examples", "humaneval.js"), "--target", "esm", "-o", join(file, "sub")]);
    expect(result.status).toBe(64);
    expect(result.stderr).toMatch(/^stelp: --target esm: cannot create the folder .*: (ENOTDIR|EEXIST)\n$/);
  });
});
