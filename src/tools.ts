/**
 * Host tools: functions of the embedder that a snippet may call by name (`searchFlights("SFO", …)`).
 *
 * - The embedder registers each tool with its types, written in the subset's own notation
 *   (`number`, `boolean`, `string`, `T[]`, `{ key: T, … }`; a result may also be `void`).
 * - The policy approves tools by name and bounds each (calls per run, argument and result bytes).
 * - The checker types every call against the registered signature; the emitter gives the module one
 *   import per tool it calls (`stelp_tools.<name>`) plus `stelp_tools.__result`, and the import
 *   audit holds the module to the approved ones.
 * - Values cross the boundary in one typed binary encoding, the same on both sides (the module's
 *   half is host-bindings/assembly/tools.ts). It needs no tags because both sides know the type:
 *     number  f64, little-endian (8 bytes: -0, NaN and ±Infinity survive, unlike JSON)
 *     boolean 1 byte
 *     string  u32 count of UTF-16 code units, then the units (lone surrogates survive)
 *     T[]     u32 count, then the elements
 *     record  the fields in declared key order
 * - A call: the module encodes the arguments and calls `stelp_tools.<name>(ptr, len)`; the host
 *   decodes them, checks the limits, calls the tool, and keeps a reply whose byte length it returns.
 *   The module then allocates that much and calls `stelp_tools.__result(ptr)` to receive it. The
 *   reply's first byte says what it is: 0 a result; 1 an error, as two strings, its name and message
 *   (the tool threw: the call throws that error in the snippet, catchable with try/catch); 2 a limit
 *   message (the run ends with status tool_limit).
 */
import type { Policy, ToolLimits } from "./policy.js";
import { DEFAULT_TOOL_LIMITS, TOOL_NAME } from "./policy.js";
import { BOOLEAN, NUMBER, STRING, VOID, typeName, type Type } from "./typed-program.js";

/** A value type a tool may take or give (void only as a result). */
export type ToolType = Type;

export interface ToolDefinition {
  /** Parameter names and types, in call order: `{ from: "string", maxPrice: "number" }`. */
  params?: Record<string, string>;
  /** The result type (default "void"). */
  returns?: string;
  /** One line for `stelp prompt` and diagnostics. */
  description?: string;
  /**
   * The implementation: called with the decoded arguments; may return the result or a promise of it
   * (async tools need the node engine, whose worker waits for the promise).
   */
  call: (...args: never[]) => unknown;
}

export type ToolSet = Record<string, ToolDefinition>;

export interface ToolSignature {
  name: string;
  params: { name: string; type: Type }[];
  returns: Type;
  description: string;
}

/** A tool registration the embedder got wrong (a bad type, a missing `call`). */
export class ToolDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolDefinitionError";
  }
}

/** Reply kinds: the first byte of a reply (see the header). */
export const REPLY_OK = 0;
export const REPLY_ERROR = 1;
export const REPLY_LIMIT = 2;

// ---------------------------------------------------------------------------------------------
// Types

const MAX_TYPE_DEPTH = 16;

/**
 * Parses a tool type: `number`, `boolean`, `string`, `T[]`, `Array<T>`, `{ key: T, … }`, and, for a
 * result, `void`. Throws ToolDefinitionError naming what is wrong.
 */
export function parseToolType(text: string, isResult = false): Type {
  let at = 0;
  const fail = (why: string): never => {
    throw new ToolDefinitionError(`type "${text}": ${why} at column ${at + 1}`);
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const word = (): string => {
    space();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at));
    if (!m) return fail("expected a type name");
    at += m[0].length;
    return m[0];
  };
  const eat = (ch: string): boolean => {
    space();
    if (text[at] === ch) {
      at++;
      return true;
    }
    return false;
  };
  const type = (depth: number): Type => {
    if (depth > MAX_TYPE_DEPTH) fail("nested too deeply");
    let t: Type;
    space();
    if (eat("(")) {
      t = type(depth + 1);
      if (!eat(")")) fail("expected )");
    } else if (eat("{")) {
      const keys: string[] = [];
      const fields: Type[] = [];
      if (!eat("}")) {
        do {
          space();
          if (text[at] === "}") break; // a trailing comma
          const key = word();
          if (keys.includes(key)) fail(`the key "${key}" appears twice`);
          if (!eat(":")) fail(`expected : after "${key}"`);
          keys.push(key);
          fields.push(type(depth + 1));
        } while (eat(",") || eat(";"));
        if (!eat("}")) fail("expected , or }");
      }
      if (keys.length === 0) fail("a record needs at least one key");
      t = { kind: "record", keys, fields };
    } else {
      const name = word();
      if (name === "Array") {
        if (!eat("<")) fail("expected < after Array");
        t = { kind: "array", elem: type(depth + 1) };
        if (!eat(">")) fail("expected >");
      } else if (name === "number") t = NUMBER;
      else if (name === "string") t = STRING;
      else if (name === "boolean") t = BOOLEAN;
      else if (name === "void" || name === "undefined") {
        if (!isResult || depth > 0) fail("void is only allowed as the whole result type");
        t = VOID;
      } else return fail(`"${name}" is not a tool type (use number, boolean, string, T[] or { key: T })`);
    }
    for (;;) {
      space();
      if (text.startsWith("[]", at)) {
        if (t.kind === "void") fail("void[] is not a type");
        at += 2;
        t = { kind: "array", elem: t };
      } else return t;
    }
  };
  if (typeof text !== "string") throw new ToolDefinitionError(`a tool type must be a string, got ${typeof text}`);
  const t = type(0);
  space();
  if (at < text.length) fail("unexpected text");
  return t;
}

/** Validates the embedder's registrations and returns their signatures, sorted by name. */
export function toolSignatures(tools: ToolSet | undefined): ToolSignature[] {
  if (tools === undefined || tools === null) return [];
  if (typeof tools !== "object") throw new ToolDefinitionError("tools must be an object of { name: { params, returns, call } }");
  const out: ToolSignature[] = [];
  for (const name of Object.keys(tools).sort()) {
    const def = tools[name]!;
    const where = `tool "${name}"`;
    if (!TOOL_NAME.test(name) || name.startsWith("__")) throw new ToolDefinitionError(`${where}: a tool name must be an identifier of letters, digits and _ (not starting with "__")`);
    if (typeof def !== "object" || def === null) throw new ToolDefinitionError(`${where}: must be an object { params, returns, call }`);
    if (typeof def.call !== "function") throw new ToolDefinitionError(`${where}: "call" must be a function`);
    const params: ToolSignature["params"] = [];
    if (def.params !== undefined) {
      if (typeof def.params !== "object" || def.params === null || Array.isArray(def.params)) throw new ToolDefinitionError(`${where}: "params" must be an object { name: "type" } in call order`);
      for (const [pname, ptype] of Object.entries(def.params)) {
        try {
          params.push({ name: pname, type: parseToolType(ptype) });
        } catch (error) {
          throw new ToolDefinitionError(`${where}, parameter "${pname}": ${(error as Error).message}`);
        }
      }
    }
    if (params.length > 16) throw new ToolDefinitionError(`${where}: at most 16 parameters (pass a record instead)`);
    let returns: Type = VOID;
    if (def.returns !== undefined) {
      try {
        returns = parseToolType(def.returns, true);
      } catch (error) {
        throw new ToolDefinitionError(`${where}, result: ${(error as Error).message}`);
      }
    }
    out.push({ name, params, returns, description: typeof def.description === "string" ? def.description : "" });
  }
  return out;
}

/** `searchFlights(from: string, to: string): { id: string, price: number }[]` */
export function signatureText(sig: ToolSignature): string {
  return `${sig.name}(${sig.params.map((p) => `${p.name}: ${toolTypeText(p.type)}`).join(", ")}): ${toolTypeText(sig.returns)}`;
}

/** A tool type in the notation parseToolType reads. */
export function toolTypeText(t: Type): string {
  switch (t.kind) {
    case "array": {
      const e = toolTypeText(t.elem);
      return t.elem.kind === "record" || /^[\w]+(\[\])*$/.test(e) ? `${e}[]` : `(${e})[]`;
    }
    case "record":
      return `{ ${t.keys.map((k, i) => `${k}: ${toolTypeText(t.fields[i]!)}`).join(", ")} }`;
    case "void":
      return "void";
    default:
      return typeName(t);
  }
}

/** What the cache key and build metadata record of the tools: their signatures, not their code. */
export function toolSetFingerprint(signatures: readonly ToolSignature[]): string {
  return signatures.map(signatureText).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** A value that does not match its declared type, or bytes that do not decode. */
export class ToolValueError extends Error {}

/** Too many bytes for the limit being encoded against. */
class TooLarge extends Error {}

class ByteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  length = 0;
  constructor(private readonly limit: number) {}
  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.limit) throw new TooLarge();
    if (at + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, at + n));
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = at + n;
    return at;
  }
  // Reserve first, then read this.view: reserving may replace the buffer (and the view with it).
  byte(b: number): void {
    const at = this.reserve(1);
    this.bytes[at] = b;
  }
  u32(n: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, n, true);
  }
  f64(x: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, x, true);
  }
  units(s: string): void {
    this.u32(s.length);
    const at = this.reserve(s.length * 2);
    for (let i = 0; i < s.length; i++) this.view.setUint16(at + i * 2, s.charCodeAt(i), true);
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function encodeInto(w: ByteWriter, t: Type, value: unknown, path: string): void {
  const mismatch = (): never => {
    throw new ToolValueError(`${path} is ${describeValue(value)}, expected ${toolTypeText(t)}`);
  };
  switch (t.kind) {
    case "number":
      if (typeof value !== "number") mismatch();
      w.f64(value as number);
      return;
    case "boolean":
      if (typeof value !== "boolean") mismatch();
      w.byte(value ? 1 : 0);
      return;
    case "string":
      if (typeof value !== "string") mismatch();
      w.units(value as string);
      return;
    case "array": {
      if (!Array.isArray(value)) mismatch();
      const items = value as unknown[];
      w.u32(items.length);
      for (let i = 0; i < items.length; i++) encodeInto(w, t.elem, items[i], `${path}[${i}]`);
      return;
    }
    case "record": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) mismatch();
      const object = value as Record<string, unknown>;
      t.keys.forEach((key, i) => {
        // Own data only: a getter or a prototype's field is not part of a tool's plain result.
        const own = Object.getOwnPropertyDescriptor(object, key);
        encodeInto(w, t.fields[i]!, own && "value" in own ? own.value : undefined, `${path}.${key}`);
      });
      return;
    }
    case "void":
      return;
    default:
      throw new ToolValueError(`${path}: ${typeName(t)} cannot cross the tool boundary`);
  }
}

/**
 * Encodes a value of type `t`. Throws ToolValueError when the value does not match the type, and
 * returns null when its encoding would exceed `limit` bytes (checked as it grows, so a huge value is
 * never encoded whole).
 */
export function encodeToolValue(t: Type, value: unknown, path: string, limit = Number.MAX_SAFE_INTEGER): Uint8Array | null {
  const w = new ByteWriter(limit);
  try {
    encodeInto(w, t, value, path);
  } catch (error) {
    if (error instanceof TooLarge) return null;
    throw error;
  }
  return w.result();
}

/** Decodes `count` values of the given types from bytes (the module's arguments). */
export function decodeToolValues(types: readonly Type[], bytes: Uint8Array): unknown[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.byteLength) throw new ToolValueError("the module sent truncated tool arguments");
  };
  const read = (t: Type): unknown => {
    switch (t.kind) {
      case "number":
        need(8);
        at += 8;
        return view.getFloat64(at - 8, true);
      case "boolean":
        need(1);
        return bytes[at++] !== 0;
      case "string": {
        need(4);
        const n = view.getUint32(at, true);
        at += 4;
        need(n * 2);
        let s = "";
        for (let i = 0; i < n; i += 4096) {
          const chunk: number[] = [];
          for (let j = i; j < Math.min(n, i + 4096); j++) chunk.push(view.getUint16(at + j * 2, true));
          s += String.fromCharCode(...chunk);
        }
        at += n * 2;
        return s;
      }
      case "array": {
        need(4);
        const n = view.getUint32(at, true);
        at += 4;
        // Every element takes at least one byte: a count beyond the bytes left is a corrupt message.
        need(n);
        const items: unknown[] = [];
        for (let i = 0; i < n; i++) items.push(read(t.elem));
        return items;
      }
      case "record": {
        const object: Record<string, unknown> = {};
        t.keys.forEach((key, i) => {
          object[key] = read(t.fields[i]!);
        });
        return object;
      }
      default:
        throw new ToolValueError(`${typeName(t)} cannot cross the tool boundary`);
    }
  };
  const values = types.map(read);
  if (at !== bytes.byteLength) throw new ToolValueError("the module sent tool arguments with trailing bytes");
  return values;
}

// ---------------------------------------------------------------------------------------------
// The host side of a run

export type ToolReply = Uint8Array;

function reply(kind: number, payload: Uint8Array): ToolReply {
  const out = new Uint8Array(payload.length + 1);
  out[0] = kind;
  out.set(payload, 1);
  return out;
}

function limitReply(message: string): ToolReply {
  return reply(REPLY_LIMIT, encodeToolValue(STRING, message, "message") as Uint8Array);
}

/** The error a tool call throws in the snippet: `name` and `message`, as a JS Error has them. */
function errorReply(name: string, message: string): ToolReply {
  return reply(REPLY_ERROR, encodeToolValue(ERROR_TYPE, [name, message], "error") as Uint8Array);
}

const ERROR_TYPE: Type = { kind: "array", elem: STRING };

/** The name and message of whatever a tool threw (an Error, or any other value). */
function thrownError(error: unknown): [string, string] {
  if (error instanceof Error) return [typeof error.name === "string" && error.name ? error.name : "Error", String(error.message)];
  let text: string;
  try {
    text = String(error);
  } catch {
    text = "a value that cannot be printed";
  }
  return ["Error", text];
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Counts of one run's tool calls, for the result object. */
export type ToolCallCounts = Record<string, number>;

/**
 * One run's tools: decodes arguments, enforces the policy's per-tool limits, calls the embedder's
 * function and encodes its result. Used by the node engine's main thread (its worker forwards each
 * call here and waits) and directly by the inline engine.
 */
export class ToolHost {
  readonly calls: ToolCallCounts = Object.create(null) as ToolCallCounts;
  private readonly signatures = new Map<string, ToolSignature>();

  constructor(
    private readonly tools: ToolSet,
    private readonly policy: Policy,
  ) {
    for (const sig of toolSignatures(tools)) this.signatures.set(sig.name, sig);
  }

  private limitsOf(name: string): ToolLimits | null {
    const approved = this.policy.tools ?? {};
    return Object.prototype.hasOwnProperty.call(approved, name) ? (approved[name] ?? DEFAULT_TOOL_LIMITS) : null;
  }

  /** Everything before the call: the reply that ends the call early, or the decoded arguments. */
  private prepare(name: string, argBytes: Uint8Array): { early: ToolReply } | { sig: ToolSignature; limits: ToolLimits; args: unknown[] } {
    const sig = this.signatures.get(name);
    const limits = this.limitsOf(name);
    // The import audit admits only approved tools, and the checker only registered ones.
    if (!sig || !limits) return { early: errorReply("Error", `tool ${name} is not available in this run`) };
    const used = (this.calls[name] ?? 0) + 1;
    if (used > limits.maxCalls) return { early: limitReply(`stelp: tool ${name} was called more than ${limits.maxCalls} time(s) (the policy's maxCalls)`) };
    this.calls[name] = used;
    if (argBytes.byteLength > limits.maxArgumentBytes) {
      return { early: limitReply(`stelp: the arguments of tool ${name} take ${argBytes.byteLength} bytes, more than the policy's maxArgumentBytes of ${limits.maxArgumentBytes}`) };
    }
    try {
      return { sig, limits, args: decodeToolValues(sig.params.map((p) => p.type), argBytes) };
    } catch (error) {
      return { early: errorReply("Error", `tool ${name}: ${(error as Error).message}`) };
    }
  }

  private finish(sig: ToolSignature, limits: ToolLimits, result: unknown): ToolReply {
    let bytes: Uint8Array | null;
    try {
      bytes = encodeToolValue(sig.returns, result, `the result of ${sig.name}`, limits.maxResultBytes);
    } catch (error) {
      // The embedder's function broke its own declaration: the snippet cannot be given that value.
      return errorReply("TypeError", (error as Error).message);
    }
    if (!bytes) return limitReply(`stelp: the result of tool ${sig.name} is larger than the policy's maxResultBytes of ${limits.maxResultBytes}`);
    return reply(REPLY_OK, bytes);
  }

  private failed(error: unknown): ToolReply {
    const [name, message] = thrownError(error);
    return errorReply(name, message);
  }

  /** A call on the module's own thread (inline engine): an async tool is an error there. */
  callSync(name: string, argBytes: Uint8Array): ToolReply {
    const prepared = this.prepare(name, argBytes);
    if ("early" in prepared) return prepared.early;
    const { sig, limits, args } = prepared;
    let result: unknown;
    try {
      result = (this.tools[name]!.call as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      return this.failed(error);
    }
    if (isThenable(result)) {
      // Nothing can wait for it on this thread; do not leave a rejection unhandled either.
      Promise.resolve(result).catch(() => undefined);
      return errorReply("Error", `${sig.name} returned a promise: async tools need the node engine (the inline engine runs on the caller's thread and cannot wait)`);
    }
    return this.finish(sig, limits, result);
  }

  /** A call from the node engine's worker: the tool may be async. */
  async call(name: string, argBytes: Uint8Array): Promise<ToolReply> {
    const prepared = this.prepare(name, argBytes);
    if ("early" in prepared) return prepared.early;
    const { sig, limits, args } = prepared;
    try {
      const result = await (this.tools[name]!.call as (...a: unknown[]) => unknown)(...args);
      return this.finish(sig, limits, result);
    } catch (error) {
      return this.failed(error);
    }
  }
}
