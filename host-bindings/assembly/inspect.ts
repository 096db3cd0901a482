// stelp runtime: console.log / util.inspect formatting, a port of Node 20's
// lib/internal/util/inspect.js (formatValue → formatRaw → formatList/formatArray/formatMap/
// formatSet → reduceToSingleString, groupArrayElements, strEscape, formatPrimitive) with Node's
// default options: depth 2, colors false, compact 3, breakLength 80, maxArrayLength 100,
// maxStringLength 10000.
//
// ## How the emitter drives it (no reflection in AS)
//
// The emitter turns a value of any static type into a small tree of __InspectNode and calls
// __js_inspect(node) (util.inspect) or __js_inspect_log(node) (one console.log argument: a
// top-level string prints raw, anything else as util.inspect). Leaves carry ready text; containers
// carry their children and the total length (only the first 101 array elements and 100 Map/Set
// entries need to be built):
//
//   number    __inspect_num(x)                     -0 prints "-0"; right-aligned in grouped arrays
//   boolean   __inspect_bool(b)
//   string    __inspect_str(s)                     quoted/escaped/split by inspect, not by you
//   null etc. __inspect_text("null") / __inspect_text("undefined") / __inspect_text("[Function: f]")
//   array     __inspect_array(ref, length).add(child)...              `[ 1, 2 ]`
//   record    __inspect_object(ref, "").prop("key", child)...        `{ a: 1, 'b-c': 2 }`
//   instance  __inspect_object(ref, "Point").prop("x", child)...     `Point { x: 1 }`
//   dict      like a record (keys in JS own-key order, which __JsDict keeps)
//   Map       __inspect_map(ref, size).entry(keyNode, valueNode)...  `Map(1) { 'a' => 1 }`
//   Set       __inspect_set(ref, size).add(child)...                 `Set(1) { 1 }`
//
// `ref` is the object's identity (changetype<usize>(obj)) for `<ref *1>` / `[Circular *1]`; pass 0
// if the value cannot be part of a cycle. Nested containers beyond the depth limit print as
// `[Array]`, `[Object]`, `[Point]`, `[Map]`, `[Set]`: a builder takes a `levels` budget, starts it at
// __INSPECT_LEVELS (= depth 2 + 1) and, when it reaches a container with levels == 0, returns
// __inspect_stub(kind, className, ref, count) instead of building its children (this also keeps cyclic
// structures finite). Building more than needed is harmless: inspect ignores what it does not print.
//
// Generic helper: __inspect_of<T>(value, levels) builds the node for f64/other numbers, bool,
// string, nullable references (null → "null"), Array<U>, __JsMap<K, V>, __JsSet<T>, __JsDict<V>
// (recursively), __InspectNode itself, and any class that has a method
// `__inspect(levels: i32): __InspectNode` (the emitter gives generated record classes such a method;
// it can call __inspect_of on each field with levels - 1). __js_inspect_value<T>(v) and
// __js_log_value<T>(v) format it in one call. Fast paths for common arrays:
// __js_inspect_array_f64 / _string / _bool (util.inspect output of the whole array).
//
// A generated record class, for example (fields a: f64, b: Array<string>):
//
//   __inspect(levels: i32): __InspectNode {
//     const ref = changetype<usize>(this);
//     if (levels <= 0) return __inspect_stub(__INSPECT_OBJECT, "", ref, 2); // 2 = number of keys
//     return __inspect_object(ref, "")
//       .prop("a", __inspect_of(this.a, levels - 1))
//       .prop("b", __inspect_of(this.b, levels - 1));
//   }
//
// (a user class instance passes its class name instead of ""; an `undefined`-valued property is
// __inspect_text("undefined"); a function value __inspect_text("[Function: name]") or
// "[Function (anonymous)]" or "[class A]").
//
// Other options: __js_inspect_depth(node, depth) — `%s` of an object uses depth 0 — build with
// levels = depth + 1.
//
// String widths: grouped arrays (more than 6 entries) align columns by display width, which Node
// measures with ICU; WIDTH_RANGES below is generated from Node 20.20.2 per code point.
//
// Not modelled (not in the subset): getters, symbols, typed arrays, array holes and extra array
// properties, Errors, Dates, RegExps, null-prototype objects, colors, showHidden (`%o`).

import { __js_inspect_num } from "./number";
import { __JsMap, __JsSet, __JsDict } from "./collections";

export const __INSPECT_TEXT: i32 = 0; // preformatted leaf text: true, null, undefined, [Function: f]
export const __INSPECT_NUMBER: i32 = 1; // preformatted number text (counts as a number for alignment)
export const __INSPECT_STRING: i32 = 2; // a string value: inspect quotes and escapes it
export const __INSPECT_ARRAY: i32 = 3;
export const __INSPECT_OBJECT: i32 = 4; // records, dictionaries, class instances
export const __INSPECT_MAP: i32 = 5;
export const __INSPECT_SET: i32 = 6;

/** Node's default depth (2): the builder's starting `levels` budget is this plus one. */
export const __INSPECT_LEVELS: i32 = 3;
/** Node's maxArrayLength: the most children of an array/Map/Set that are printed. */
export const __INSPECT_MAX_ITEMS: i32 = 100;

/** One value to print; see the file comment. Build with the __inspect_* functions. */
export class __InspectNode {
  /** One of the __INSPECT_* kinds. */
  kind: i32 = __INSPECT_TEXT;
  /** TEXT/NUMBER: the text; STRING: the raw string; OBJECT: the class name ("" for plain objects). */
  text: string = "";
  /** OBJECT: the raw property keys, parallel to `items`. */
  keys: Array<string> = new Array<string>(0);
  /** ARRAY/SET: elements; OBJECT: property values; MAP: keys and values interleaved (k0, v0, k1, v1, …). */
  items: Array<__InspectNode> = new Array<__InspectNode>(0);
  /** ARRAY: the array's length; MAP/SET: the size (may exceed the built children). */
  length: i32 = 0;
  /** Identity of the object for circular references; 0 = none. */
  ref: usize = 0;
  /** A container whose children were not built (depth limit). */
  stub: bool = false;

  /** Appends an array element or a Set member. Returns this. */
  add(child: __InspectNode): __InspectNode {
    this.items.push(child);
    return this;
  }
  /** Appends an object property (raw key; inspect decides on quoting). Returns this. */
  prop(key: string, value: __InspectNode): __InspectNode {
    this.keys.push(key);
    this.items.push(value);
    return this;
  }
  /** Appends a Map entry. Returns this. */
  entry(key: __InspectNode, value: __InspectNode): __InspectNode {
    this.items.push(key);
    this.items.push(value);
    return this;
  }
}

// ---------------------------------------------------------------------------------------------
// Node constructors

/** A number leaf: `-0` for -0, otherwise String(x). */
export function __inspect_num(x: f64): __InspectNode {
  const n = new __InspectNode();
  n.kind = __INSPECT_NUMBER;
  n.text = __js_inspect_num(x);
  return n;
}

/** A boolean leaf. */
export function __inspect_bool(b: bool): __InspectNode {
  return __inspect_text(b ? "true" : "false");
}

/** A string value (printed quoted and escaped when nested, raw at the top of console.log). */
export function __inspect_str(s: string): __InspectNode {
  const n = new __InspectNode();
  n.kind = __INSPECT_STRING;
  n.text = s;
  return n;
}

/** A leaf printed as is: "null", "undefined", "[Function: f]", "[class A]", …. */
export function __inspect_text(text: string): __InspectNode {
  const n = new __InspectNode();
  n.text = text;
  return n;
}

/**
 * An array of `length` elements; add the first min(length, 101) with .add(child) (100 are printed;
 * like Node, whether the 101st is a number decides the column alignment of a grouped array).
 */
export function __inspect_array(ref: usize, length: i32): __InspectNode {
  const n = new __InspectNode();
  n.kind = __INSPECT_ARRAY;
  n.ref = ref;
  n.length = length;
  return n;
}

/** A plain object (className "") or a class instance; add properties with .prop(key, value). */
export function __inspect_object(ref: usize, className: string): __InspectNode {
  const n = new __InspectNode();
  n.kind = __INSPECT_OBJECT;
  n.ref = ref;
  n.text = className;
  return n;
}

/** A Map of `size` entries; add the first min(size, 100) with .entry(key, value). */
export function __inspect_map(ref: usize, size: i32): __InspectNode {
  const n = new __InspectNode();
  n.kind = __INSPECT_MAP;
  n.ref = ref;
  n.length = size;
  return n;
}

/** A Set of `size` members; add the first min(size, 100) with .add(child). */
export function __inspect_set(ref: usize, size: i32): __InspectNode {
  const n = new __InspectNode();
  n.kind = __INSPECT_SET;
  n.ref = ref;
  n.length = size;
  return n;
}

/**
 * A container beyond the depth limit, printed `[Array]`, `[Object]`, `[ClassName]`, `[Map]` or
 * `[Set]` (className is used for OBJECT only; "" = plain object). `count` is its number of entries
 * (array length, Map/Set size, number of properties): Node prints an empty container as `[]`, `{}`,
 * `ClassName {}`, `Map(0) {}`, `Set(0) {}` even beyond the depth limit. Keep `ref` so that a cycle
 * reaching the limit still prints `[Circular *n]` as Node does.
 */
export function __inspect_stub(kind: i32, className: string, ref: usize, count: i32): __InspectNode {
  const n = new __InspectNode();
  n.kind = kind;
  n.text = className;
  n.ref = ref;
  n.length = count;
  n.stub = true;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Formatting entry points

/** util.inspect(value) with default options. */
export function __js_inspect(node: __InspectNode): string {
  return __js_inspect_depth(node, 2);
}

/** util.inspect(value, { depth }) (console.log's `%s` of an object uses depth 0). */
export function __js_inspect_depth(node: __InspectNode, depth: i32): string {
  return formatTop(node, depth);
}

/** One console.log argument: a top-level string prints raw; anything else as util.inspect. */
export function __js_inspect_log(node: __InspectNode): string {
  if (node.kind == __INSPECT_STRING) return node.text;
  return __js_inspect(node);
}

/** How a string nested in an array/object prints: strEscape (quotes chosen as Node does). */
export function __js_inspect_string_quoted(s: string): string {
  return strEscape(s);
}

/** How a property key prints: raw if it matches /^[a-zA-Z_][a-zA-Z_0-9]*$/, else quoted. */
export function __js_inspect_key(key: string): string {
  return formatKey(key);
}

/** util.inspect of an Array<f64>. */
export function __js_inspect_array_f64(a: Array<f64>): string {
  return __js_inspect(__inspect_of<Array<f64>>(a, __INSPECT_LEVELS));
}

/** util.inspect of an Array<string>. */
export function __js_inspect_array_string(a: Array<string>): string {
  return __js_inspect(__inspect_of<Array<string>>(a, __INSPECT_LEVELS));
}

/** util.inspect of an Array<bool>. */
export function __js_inspect_array_bool(a: Array<bool>): string {
  return __js_inspect(__inspect_of<Array<bool>>(a, __INSPECT_LEVELS));
}

/** util.inspect of any value __inspect_of<T> understands (see the file comment). */
export function __js_inspect_value<T>(v: T): string {
  return __js_inspect(__inspect_of<T>(v, __INSPECT_LEVELS));
}

/** One console.log argument of any type __inspect_of<T> understands (strings raw). */
export function __js_log_value<T>(v: T): string {
  if (isString<T>()) {
    if (isNullable<T>()) {
      if (changetype<usize>(v) == 0) return "null";
    }
    return changetype<string>(v);
  }
  return __js_inspect(__inspect_of<T>(v, __INSPECT_LEVELS));
}

/**
 * Builds the node for a value of static type T with a `levels` budget (see the file comment):
 * numbers, bool, string, nullable references, Array<U>, __JsMap, __JsSet, __JsDict, __InspectNode,
 * and classes with a method `__inspect(levels: i32): __InspectNode`. Other types are a compile-time
 * error.
 */
export function __inspect_of<T>(v: T, levels: i32): __InspectNode {
  if (isBoolean<T>()) {
    return __inspect_bool(<bool>v);
  } else if (isInteger<T>() || isFloat<T>()) {
    return __inspect_num(<f64>v);
  } else if (isReference<T>()) {
    if (isNullable<T>()) {
      if (changetype<usize>(v) == 0) return __inspect_text("null");
    }
    if (isString<T>()) {
      return __inspect_str(changetype<string>(v));
    } else if (isArray<T>()) {
      const a = changetype<NonNullable<T>>(v);
      const ref = changetype<usize>(v);
      // @ts-ignore: length exists on arrays
      const length = <i32>a.length;
      if (levels <= 0) return __inspect_stub(__INSPECT_ARRAY, "", ref, length);
      const n = __inspect_array(ref, length);
      const shown = length <= __INSPECT_MAX_ITEMS ? length : __INSPECT_MAX_ITEMS + 1;
      for (let i = 0; i < shown; i++) {
        // @ts-ignore: index access on arrays
        n.add(__inspect_of<valueof<NonNullable<T>>>(unchecked(a[i]), levels - 1));
      }
      return n;
    } else if (v instanceof __InspectNode) {
      return changetype<__InspectNode>(v);
    } else if (v instanceof __JsMap) {
      const m = changetype<NonNullable<T>>(v);
      const ref = changetype<usize>(v);
      // @ts-ignore: size exists on maps
      const size = <i32>m.size;
      if (levels <= 0) return __inspect_stub(__INSPECT_MAP, "", ref, size);
      const n = __inspect_map(ref, size);
      // @ts-ignore: iterator exists on maps
      const it = m.iterator();
      for (let i = 0; i < __INSPECT_MAX_ITEMS && it.next(); i++) {
        n.entry(__inspect_of(it.key, levels - 1), __inspect_of(it.value, levels - 1));
      }
      return n;
    } else if (v instanceof __JsSet) {
      const m = changetype<NonNullable<T>>(v);
      const ref = changetype<usize>(v);
      // @ts-ignore: size exists on sets
      const size = <i32>m.size;
      if (levels <= 0) return __inspect_stub(__INSPECT_SET, "", ref, size);
      const n = __inspect_set(ref, size);
      // @ts-ignore: iterator exists on sets
      const it = m.iterator();
      for (let i = 0; i < __INSPECT_MAX_ITEMS && it.next(); i++) n.add(__inspect_of(it.value, levels - 1));
      return n;
    } else if (v instanceof __JsDict) {
      const d = changetype<NonNullable<T>>(v);
      const ref = changetype<usize>(v);
      // @ts-ignore: entries exists on dictionaries
      const entries = d.entries();
      if (levels <= 0) return __inspect_stub(__INSPECT_OBJECT, "", ref, entries.length);
      const n = __inspect_object(ref, "");
      for (let i = 0; i < entries.length; i++) {
        const e = unchecked(entries[i]);
        n.prop(e.key, __inspect_of(e.value, levels - 1));
      }
      return n;
    } else {
      // @ts-ignore: compile-time protocol check
      if (isDefined(v.__inspect)) {
        // @ts-ignore
        return changetype<NonNullable<T>>(v).__inspect(levels);
      }
      ERROR("__inspect_of: the type has no __inspect(levels) method");
    }
  }
  ERROR("__inspect_of: unsupported type");
  return __inspect_text("");
}

// ---------------------------------------------------------------------------------------------
// The port of Node's algorithm. Names follow lib/internal/util/inspect.js (Node 20).

const kObjectType: i32 = 0;
const kArrayExtrasType: i32 = 2;
const kMinLineLength: i32 = 16;
const BREAK_LENGTH: i32 = 80;
const COMPACT: i32 = 3;
const MAX_STRING_LENGTH: i32 = 10000;

class Ctx {
  indentationLvl: i32 = 0;
  currentDepth: i32 = 0;
  depth: i32 = 2;
  seen: Array<usize> = new Array<usize>(0);
  circular: Map<usize, i32> | null = null;
}

function formatTop(node: __InspectNode, depth: i32): string {
  const ctx = new Ctx();
  ctx.depth = depth;
  return formatValue(ctx, node, 0);
}

function formatValue(ctx: Ctx, node: __InspectNode, recurseTimes: i32): string {
  const kind = node.kind;
  if (kind == __INSPECT_TEXT || kind == __INSPECT_NUMBER) return node.text;
  if (kind == __INSPECT_STRING) return formatString(ctx, node.text);
  const ref = node.ref;
  if (ref != 0 && ctx.seen.includes(ref)) {
    let index = 1;
    let circular = ctx.circular;
    if (circular === null) {
      circular = new Map<usize, i32>();
      circular.set(ref, index);
      ctx.circular = circular;
    } else if (circular.has(ref)) {
      index = circular.get(ref);
    } else {
      index = circular.size + 1;
      circular.set(ref, index);
    }
    return "[Circular *" + index.toString() + "]";
  }
  return formatRaw(ctx, node, recurseTimes);
}

/** formatPrimitive for strings: maxStringLength, then line splitting of long strings. */
function formatString(ctx: Ctx, value: string): string {
  let trailer = "";
  if (value.length > MAX_STRING_LENGTH) {
    const remaining = value.length - MAX_STRING_LENGTH;
    value = value.substring(0, MAX_STRING_LENGTH);
    trailer = "... " + remaining.toString() + " more character" + (remaining > 1 ? "s" : "");
  }
  if (value.length > kMinLineLength && value.length > BREAK_LENGTH - ctx.indentationLvl - 4) {
    // value.split(/(?<=\n)/): pieces that end just after each newline.
    const pieces = new Array<string>(0);
    let start = 0;
    const n = value.length;
    for (let i = 0; i < n; i++) {
      if (value.charCodeAt(i) == 10 && i + 1 < n) {
        pieces.push(strEscape(value.substring(start, i + 1)));
        start = i + 1;
      }
    }
    pieces.push(strEscape(value.substring(start, n)));
    return pieces.join(" +\n" + " ".repeat(ctx.indentationLvl + 2)) + trailer;
  }
  return strEscape(value) + trailer;
}

/** The number of entries a container has (what decides `[]` / `{}` before the depth check). */
function entryCount(node: __InspectNode): i32 {
  if (node.stub) return node.length;
  if (node.kind == __INSPECT_OBJECT) return node.keys.length;
  return node.length;
}

function remainingText(remaining: i32): string {
  return "... " + remaining.toString() + " more item" + (remaining > 1 ? "s" : "");
}

function formatRaw(ctx: Ctx, node: __InspectNode, recurseTimes: i32): string {
  const kind = node.kind;
  const count = entryCount(node);
  let brace0: string;
  let brace1: string;
  let extrasType = kObjectType;
  // The constructor name as getCtxStyle gives it, for the depth-limit text.
  let ctorName: string;
  if (kind == __INSPECT_ARRAY) {
    if (count == 0) return "[]";
    brace0 = "[";
    brace1 = "]";
    extrasType = kArrayExtrasType;
    ctorName = "Array";
  } else if (kind == __INSPECT_SET || kind == __INSPECT_MAP) {
    const prefix = (kind == __INSPECT_SET ? "Set(" : "Map(") + node.length.toString() + ") ";
    if (count == 0) return prefix + "{}";
    brace0 = prefix + "{";
    brace1 = "}";
    ctorName = kind == __INSPECT_SET ? "Set" : "Map";
  } else {
    const className = node.text;
    if (className.length == 0) {
      if (count == 0) return "{}";
      brace0 = "{";
      ctorName = "Object";
    } else {
      if (count == 0) return className + " {}";
      brace0 = className + " {";
      ctorName = className;
    }
    brace1 = "}";
  }

  if (recurseTimes > ctx.depth || node.stub) {
    return "[" + ctorName + "]";
  }
  recurseTimes += 1;
  const ref = node.ref;
  ctx.seen.push(ref);
  ctx.currentDepth = recurseTimes;

  const output = new Array<string>(0);
  const items = node.items;
  if (kind == __INSPECT_ARRAY) {
    const valLen = node.length;
    let len = valLen < __INSPECT_MAX_ITEMS ? valLen : __INSPECT_MAX_ITEMS;
    if (len > items.length) len = items.length; // a builder that built fewer children
    for (let i = 0; i < len; i++) {
      ctx.indentationLvl += 2;
      output.push(formatValue(ctx, unchecked(items[i]), recurseTimes));
      ctx.indentationLvl -= 2;
    }
    if (valLen - len > 0) output.push(remainingText(valLen - len));
  } else if (kind == __INSPECT_SET) {
    const size = node.length;
    let len = size < __INSPECT_MAX_ITEMS ? size : __INSPECT_MAX_ITEMS;
    if (len > items.length) len = items.length;
    ctx.indentationLvl += 2;
    for (let i = 0; i < len; i++) output.push(formatValue(ctx, unchecked(items[i]), recurseTimes));
    if (size - len > 0) output.push(remainingText(size - len));
    ctx.indentationLvl -= 2;
  } else if (kind == __INSPECT_MAP) {
    const size = node.length;
    let len = size < __INSPECT_MAX_ITEMS ? size : __INSPECT_MAX_ITEMS;
    if (len > items.length >> 1) len = items.length >> 1;
    ctx.indentationLvl += 2;
    for (let i = 0; i < len; i++) {
      const k = formatValue(ctx, unchecked(items[2 * i]), recurseTimes);
      const v = formatValue(ctx, unchecked(items[2 * i + 1]), recurseTimes);
      output.push(k + " => " + v);
    }
    if (size - len > 0) output.push(remainingText(size - len));
    ctx.indentationLvl -= 2;
  } else {
    const keys = node.keys;
    for (let i = 0; i < keys.length; i++) {
      ctx.indentationLvl += 2;
      const str = formatValue(ctx, unchecked(items[i]), recurseTimes);
      ctx.indentationLvl -= 2;
      output.push(formatKey(unchecked(keys[i])) + ": " + str);
    }
  }

  let base = "";
  const circular = ctx.circular;
  if (circular !== null && ref != 0 && circular.has(ref)) {
    base = "<ref *" + circular.get(ref).toString() + ">";
  }
  ctx.seen.pop();
  return reduceToSingleString(ctx, output, base, brace0, brace1, extrasType, recurseTimes, node);
}

/** formatProperty's key: identifier-like keys raw, `__proto__` as ['__proto__'], others strEscape'd. */
function formatKey(key: string): string {
  if (key == "__proto__") return "['__proto__']";
  if (isIdentifierKey(key)) return key;
  return strEscape(key);
}

/** /^[a-zA-Z_][a-zA-Z_0-9]*$/ */
function isIdentifierKey(key: string): bool {
  const n = key.length;
  if (n == 0) return false;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95;
    if (!alpha && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

function isBelowBreakLength(output: Array<string>, start: i32, base: string): bool {
  let totalLength = output.length + start;
  if (totalLength + output.length > BREAK_LENGTH) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += unchecked(output[i]).length;
    if (totalLength > BREAK_LENGTH) return false;
  }
  return base.length == 0 || !base.includes("\n");
}

function reduceToSingleString(
  ctx: Ctx,
  output: Array<string>,
  base: string,
  brace0: string,
  brace1: string,
  extrasType: i32,
  recurseTimes: i32,
  node: __InspectNode,
): string {
  const entries = output.length;
  if (extrasType == kArrayExtrasType && entries > 6) {
    output = groupArrayElements(ctx, output, node);
  }
  if (ctx.currentDepth - recurseTimes < COMPACT && entries == output.length) {
    const start = output.length + ctx.indentationLvl + brace0.length + base.length + 10;
    if (isBelowBreakLength(output, start, base)) {
      const joined = output.join(", ");
      if (!joined.includes("\n")) {
        return (base.length > 0 ? base + " " : "") + brace0 + " " + joined + " " + brace1;
      }
    }
  }
  const indentation = "\n" + " ".repeat(ctx.indentationLvl);
  return (base.length > 0 ? base + " " : "") + brace0 + indentation + "  " + output.join("," + indentation + "  ") + indentation + brace1;
}

/** JavaScript's Math.round for the non-negative values used here. */
function jsRound(x: f64): f64 {
  const r = Math.floor(x);
  return x - r >= 0.5 ? r + 1 : r;
}

function groupArrayElements(ctx: Ctx, output: Array<string>, node: __InspectNode): Array<string> {
  let totalLength: i32 = 0;
  let maxLength: i32 = 0;
  let outputLength = output.length;
  if (__INSPECT_MAX_ITEMS < output.length) outputLength--; // the "... n more items" entry
  const separatorSpace = 2;
  const dataLen = new Array<i32>(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = stringWidth(unchecked(output[i]));
    unchecked((dataLen[i] = len));
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (
    actualMax * 3 + ctx.indentationLvl < BREAK_LENGTH &&
    (<f64>totalLength / <f64>actualMax > 5 || maxLength <= 6)
  ) {
    const approxCharHeights = 2.5;
    const averageBias = Math.sqrt(<f64>actualMax - <f64>totalLength / <f64>output.length);
    const biasedMax = Math.max(<f64>actualMax - 3 - averageBias, 1);
    let columnsF = Math.min(
      jsRound(Math.sqrt(approxCharHeights * biasedMax * <f64>outputLength) / biasedMax),
      Math.floor(<f64>(BREAK_LENGTH - ctx.indentationLvl) / <f64>actualMax),
    );
    columnsF = Math.min(columnsF, <f64>(COMPACT * 4));
    columnsF = Math.min(columnsF, 15);
    if (columnsF <= 1) return output;
    const columns = <i32>columnsF;
    const tmp = new Array<string>(0);
    const maxLineLength = new Array<i32>(columns);
    for (let i = 0; i < columns; i++) {
      let lineMaxLength = 0;
      for (let j = i; j < outputLength; j += columns) {
        if (unchecked(dataLen[j]) > lineMaxLength) lineMaxLength = unchecked(dataLen[j]);
      }
      unchecked((maxLineLength[i] = lineMaxLength + separatorSpace));
    }
    // Numbers are right-aligned (padStart), anything else left-aligned (padEnd). Node looks at
    // value[0 .. output.length - 1], which includes the element after the last printed one.
    let padStart = true;
    const items = node.items;
    for (let i = 0; i < output.length; i++) {
      if (i < items.length) {
        if (unchecked(items[i]).kind != __INSPECT_NUMBER) {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = i + columns < outputLength ? i + columns : outputLength;
      let str = "";
      let j = i;
      for (; j < max - 1; j++) {
        const cell = unchecked(output[j]) + ", ";
        const padding = unchecked(maxLineLength[j - i]) + unchecked(output[j]).length - unchecked(dataLen[j]);
        str += padStart ? cell.padStart(padding, " ") : cell.padEnd(padding, " ");
      }
      if (padStart) {
        const padding = unchecked(maxLineLength[j - i]) + unchecked(output[j]).length - unchecked(dataLen[j]) - separatorSpace;
        str += unchecked(output[j]).padStart(padding, " ");
      } else {
        str += unchecked(output[j]);
      }
      tmp.push(str);
    }
    if (__INSPECT_MAX_ITEMS < output.length) tmp.push(unchecked(output[outputLength]));
    return tmp;
  }
  return output;
}

// ---------------------------------------------------------------------------------------------
// strEscape

const HEX_UPPER = "0123456789ABCDEF";
const HEX_LOWER = "0123456789abcdef";

/** meta[c] of Node's table for an escaped code unit below 0xa0. */
function meta(c: u32): string {
  if (c == 8) return "\\b";
  if (c == 9) return "\\t";
  if (c == 10) return "\\n";
  if (c == 12) return "\\f";
  if (c == 13) return "\\r";
  if (c == 39) return "\\'";
  if (c == 92) return "\\\\";
  return "\\x" + HEX_UPPER.charAt((c >> 4) & 15) + HEX_UPPER.charAt(c & 15);
}

/** Node's strEscape: picks the quotes, escapes controls, C1 controls, the backslash, the quote and lone surrogates. */
function strEscape(str: string): string {
  let singleQuote: i32 = 39;
  let quote = "'";
  if (str.includes("'")) {
    if (!str.includes('"')) {
      singleQuote = -1;
      quote = '"';
    } else if (!str.includes("`") && !str.includes("${")) {
      singleQuote = -2;
      quote = "`";
    }
  }
  const n = str.length;
  let parts: Array<string> | null = null;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const point = <i32>str.charCodeAt(i);
    let esc: string | null = null;
    if (point == singleQuote || point == 92 || point < 32 || (point > 126 && point < 160)) {
      esc = meta(<u32>point);
    } else if (point >= 0xd800 && point <= 0xdfff) {
      if (point <= 0xdbff && i + 1 < n) {
        const next = <i32>str.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
      }
      esc = "\\u" + HEX_LOWER.charAt((point >> 12) & 15) + HEX_LOWER.charAt((point >> 8) & 15) +
        HEX_LOWER.charAt((point >> 4) & 15) + HEX_LOWER.charAt(point & 15);
    }
    if (esc !== null) {
      if (parts === null) parts = new Array<string>(0);
      if (i > last) parts.push(str.substring(last, i));
      parts.push(esc);
      last = i + 1;
    }
  }
  if (parts === null) return quote + str + quote;
  if (last < n) parts.push(str.substring(last, n));
  return quote + parts.join("") + quote;
}

// ---------------------------------------------------------------------------------------------
// getStringWidth (Node with ICU): columns per code point, generated from Node 20.20.2's
// getStringWidth(String.fromCodePoint(c), false) for every code point (entries are
// start << 2 | width; a width holds until the next start). Regenerate with
//   node --expose-internals -e 'const {getStringWidth:g}=require("internal/util/inspect");let p=-1,r=[];
//     for(let c=0;c<=0x10ffff;c++){const w=c>=0xd800&&c<=0xdfff?1:g(String.fromCodePoint(c),false);
//     if(w!==p){r.push(c*4+w);p=w}}console.log(r.join())'
// Node measures the NFC form; only Hangul jamo composition (L V [T] → one wide syllable) is modelled.
const WIDTH_RANGES: StaticArray<u32> = [
  0x0, 0x81, 0x1fc, 0x281, 0xc00, 0xdc1, 0x120c, 0x1229, 0x1644, 0x16f9,
  0x16fc, 0x1701, 0x1704, 0x170d, 0x1710, 0x1719, 0x171c, 0x1721, 0x1800, 0x1819,
  0x1840, 0x186d, 0x1870, 0x1875, 0x192c, 0x1981, 0x19c0, 0x19c5, 0x1b58, 0x1b79,
  0x1b7c, 0x1b95, 0x1b9c, 0x1ba5, 0x1ba8, 0x1bb9, 0x1c3c, 0x1c41, 0x1c44, 0x1c49,
  0x1cc0, 0x1d2d, 0x1e98, 0x1ec5, 0x1fac, 0x1fd1, 0x1ff4, 0x1ff9, 0x2058, 0x2069,
  0x206c, 0x2091, 0x2094, 0x20a1, 0x20a4, 0x20b9, 0x2164, 0x2171, 0x2240, 0x2249,
  0x225c, 0x2281, 0x2328, 0x240d, 0x24e8, 0x24ed, 0x24f0, 0x24f5, 0x2504, 0x2525,
  0x2534, 0x2539, 0x2544, 0x2561, 0x2588, 0x2591, 0x2604, 0x2609, 0x26f0, 0x26f5,
  0x2704, 0x2715, 0x2734, 0x2739, 0x2788, 0x2791, 0x27f8, 0x27fd, 0x2804, 0x280d,
  0x28f0, 0x28f5, 0x2904, 0x290d, 0x291c, 0x2925, 0x292c, 0x2939, 0x2944, 0x2949,
  0x29c0, 0x29c9, 0x29d4, 0x29d9, 0x2a04, 0x2a0d, 0x2af0, 0x2af5, 0x2b04, 0x2b19,
  0x2b1c, 0x2b25, 0x2b34, 0x2b39, 0x2b88, 0x2b91, 0x2be8, 0x2c01, 0x2c04, 0x2c09,
  0x2cf0, 0x2cf5, 0x2cfc, 0x2d01, 0x2d04, 0x2d15, 0x2d34, 0x2d39, 0x2d54, 0x2d5d,
  0x2d88, 0x2d91, 0x2e08, 0x2e0d, 0x2f00, 0x2f05, 0x2f34, 0x2f39, 0x3000, 0x3005,
  0x3010, 0x3015, 0x30f0, 0x30f5, 0x30f8, 0x3105, 0x3118, 0x3125, 0x3128, 0x3139,
  0x3154, 0x315d, 0x3188, 0x3191, 0x3204, 0x3209, 0x32f0, 0x32f5, 0x32fc, 0x3301,
  0x3318, 0x331d, 0x3330, 0x3339, 0x3388, 0x3391, 0x3400, 0x3409, 0x34ec, 0x34f5,
  0x3504, 0x3515, 0x3534, 0x3539, 0x3588, 0x3591, 0x3604, 0x3609, 0x3728, 0x372d,
  0x3748, 0x3755, 0x3758, 0x375d, 0x38c4, 0x38c9, 0x38d0, 0x38ed, 0x391c, 0x393d,
  0x3ac4, 0x3ac9, 0x3ad0, 0x3af5, 0x3b20, 0x3b3d, 0x3c60, 0x3c69, 0x3cd4, 0x3cd9,
  0x3cdc, 0x3ce1, 0x3ce4, 0x3ce9, 0x3dc4, 0x3dfd, 0x3e00, 0x3e15, 0x3e18, 0x3e21,
  0x3e34, 0x3e61, 0x3e64, 0x3ef5, 0x3f18, 0x3f1d, 0x40b4, 0x40c5, 0x40c8, 0x40e1,
  0x40e4, 0x40ed, 0x40f4, 0x40fd, 0x4160, 0x4169, 0x4178, 0x4185, 0x41c4, 0x41d5,
  0x4208, 0x420d, 0x4214, 0x421d, 0x4234, 0x4239, 0x4274, 0x4279, 0x4402, 0x4581,
  0x4d74, 0x4d81, 0x5c48, 0x5c55, 0x5cc8, 0x5cd1, 0x5d48, 0x5d51, 0x5dc8, 0x5dd1,
  0x5ed0, 0x5ed9, 0x5edc, 0x5ef9, 0x5f18, 0x5f1d, 0x5f24, 0x5f51, 0x5f74, 0x5f79,
  0x602c, 0x6041, 0x6214, 0x621d, 0x62a4, 0x62a9, 0x6480, 0x648d, 0x649c, 0x64a5,
  0x64c8, 0x64cd, 0x64e4, 0x64f1, 0x685c, 0x6865, 0x686c, 0x6871, 0x6958, 0x695d,
  0x6960, 0x697d, 0x6980, 0x6985, 0x6988, 0x698d, 0x6994, 0x69b5, 0x69cc, 0x69f5,
  0x69fc, 0x6a01, 0x6ac0, 0x6b79, 0x6b80, 0x6bb1, 0x6c00, 0x6c11, 0x6cd0, 0x6cd5,
  0x6cd8, 0x6ced, 0x6cf0, 0x6cf5, 0x6d08, 0x6d0d, 0x6dac, 0x6dd1, 0x6e00, 0x6e09,
  0x6e88, 0x6e99, 0x6ea0, 0x6ea9, 0x6eac, 0x6eb9, 0x6f98, 0x6f9d, 0x6fa0, 0x6fa9,
  0x6fb4, 0x6fb9, 0x6fbc, 0x6fc9, 0x70b0, 0x70d1, 0x70d8, 0x70e1, 0x7340, 0x734d,
  0x7350, 0x7385, 0x7388, 0x73a5, 0x73b4, 0x73b9, 0x73d0, 0x73d5, 0x73e0, 0x73e9,
  0x7700, 0x7801, 0x802c, 0x8041, 0x80a8, 0x80bd, 0x8180, 0x8195, 0x8198, 0x81c1,
  0x8340, 0x83c5, 0x8c6a, 0x8c71, 0x8ca6, 0x8cad, 0x8fa6, 0x8fb5, 0x8fc2, 0x8fc5,
  0x8fce, 0x8fd1, 0x97f6, 0x97fd, 0x9852, 0x9859, 0x98c2, 0x98e1, 0x9922, 0x9951,
  0x99fe, 0x9a01, 0x9a2a, 0x9a41, 0x9a4e, 0x9a51, 0x9a86, 0x9a89, 0x9aaa, 0x9ab1,
  0x9af6, 0x9afd, 0x9b12, 0x9b19, 0x9b3a, 0x9b3d, 0x9b52, 0x9b55, 0x9baa, 0x9bad,
  0x9bca, 0x9bd1, 0x9bd6, 0x9bd9, 0x9bea, 0x9bed, 0x9bf6, 0x9bf9, 0x9c16, 0x9c19,
  0x9c2a, 0x9c31, 0x9ca2, 0x9ca5, 0x9d32, 0x9d35, 0x9d3a, 0x9d3d, 0x9d4e, 0x9d59,
  0x9d5e, 0x9d61, 0x9e56, 0x9e61, 0x9ec2, 0x9ec5, 0x9efe, 0x9f01, 0xac6e, 0xac75,
  0xad42, 0xad45, 0xad56, 0xad59, 0xb3bc, 0xb3c9, 0xb5fc, 0xb601, 0xb780, 0xb801,
  0xba02, 0xba69, 0xba6e, 0xbbd1, 0xbc02, 0xbf59, 0xbfc2, 0xc0fd, 0xc106, 0xc25d,
  0xc266, 0xc401, 0xc416, 0xc4c1, 0xc4c6, 0xc63d, 0xc642, 0xc799, 0xc7be, 0xc87d,
  0xc882, 0xc921, 0xc942, 0x29235, 0x29242, 0x2931d, 0x299bc, 0x299cd, 0x299d0, 0x299f9,
  0x29a78, 0x29a81, 0x29bc0, 0x29bc9, 0x2a008, 0x2a00d, 0x2a018, 0x2a01d, 0x2a02c, 0x2a031,
  0x2a094, 0x2a09d, 0x2a0b0, 0x2a0b5, 0x2a310, 0x2a319, 0x2a380, 0x2a3c9, 0x2a3fc, 0x2a401,
  0x2a498, 0x2a4b9, 0x2a51c, 0x2a549, 0x2a582, 0x2a5f5, 0x2a600, 0x2a60d, 0x2a6cc, 0x2a6d1,
  0x2a6d8, 0x2a6e9, 0x2a6f0, 0x2a6f9, 0x2a794, 0x2a799, 0x2a8a4, 0x2a8bd, 0x2a8c4, 0x2a8cd,
  0x2a8d4, 0x2a8dd, 0x2a90c, 0x2a911, 0x2a930, 0x2a935, 0x2a9f0, 0x2a9f5, 0x2aac0, 0x2aac5,
  0x2aac8, 0x2aad5, 0x2aadc, 0x2aae5, 0x2aaf8, 0x2ab01, 0x2ab04, 0x2ab09, 0x2abb0, 0x2abb9,
  0x2abd8, 0x2abdd, 0x2af94, 0x2af99, 0x2afa0, 0x2afa5, 0x2afb4, 0x2afb9, 0x2b002, 0x35e91,
  0x3e402, 0x3ec01, 0x3ec78, 0x3ec7d, 0x3f800, 0x3f842, 0x3f869, 0x3f880, 0x3f8c2, 0x3f94d,
  0x3f952, 0x3f99d, 0x3f9a2, 0x3f9b1, 0x3fbfc, 0x3fc01, 0x3fc06, 0x3fd85, 0x3ff82, 0x3ff9d,
  0x3ffe4, 0x3fff1, 0x407f4, 0x407f9, 0x40b80, 0x40b85, 0x40dd8, 0x40ded, 0x42804, 0x42811,
  0x42814, 0x4281d, 0x42830, 0x42841, 0x428e0, 0x428ed, 0x428fc, 0x42901, 0x42b94, 0x42b9d,
  0x43490, 0x434a1, 0x435a4, 0x435b9, 0x43aac, 0x43ab5, 0x43be8, 0x43c01, 0x43d18, 0x43d45,
  0x43e08, 0x43e19, 0x44004, 0x44009, 0x440e0, 0x4411d, 0x441c0, 0x441c5, 0x441cc, 0x441d5,
  0x441fc, 0x44209, 0x442cc, 0x442dd, 0x442e4, 0x442ed, 0x442f4, 0x442f9, 0x44308, 0x4430d,
  0x44334, 0x44339, 0x44400, 0x4440d, 0x4449c, 0x444b1, 0x444b4, 0x444d5, 0x445cc, 0x445d1,
  0x44600, 0x44609, 0x446d8, 0x446fd, 0x44724, 0x44735, 0x4473c, 0x44741, 0x448bc, 0x448c9,
  0x448d0, 0x448d5, 0x448d8, 0x448e1, 0x448f8, 0x448fd, 0x44904, 0x44909, 0x44b7c, 0x44b81,
  0x44b8c, 0x44bad, 0x44c00, 0x44c09, 0x44cec, 0x44cf5, 0x44d00, 0x44d05, 0x44d98, 0x44db5,
  0x44dc0, 0x44dd5, 0x44eec, 0x44f05, 0x44f38, 0x44f3d, 0x44f40, 0x44f45, 0x44f48, 0x44f4d,
  0x44f84, 0x44f8d, 0x450e0, 0x45101, 0x45108, 0x45115, 0x45118, 0x4511d, 0x45178, 0x4517d,
  0x452cc, 0x452e5, 0x452e8, 0x452ed, 0x452fc, 0x45305, 0x45308, 0x45311, 0x456c8, 0x456d9,
  0x456f0, 0x456f9, 0x456fc, 0x45705, 0x45770, 0x45779, 0x458cc, 0x458ed, 0x458f4, 0x458f9,
  0x458fc, 0x45905, 0x45aac, 0x45ab1, 0x45ab4, 0x45ab9, 0x45ac0, 0x45ad9, 0x45adc, 0x45ae1,
  0x45c74, 0x45c79, 0x45c7c, 0x45c81, 0x45c88, 0x45c99, 0x45c9c, 0x45cb1, 0x460bc, 0x460e1,
  0x460e4, 0x460ed, 0x464ec, 0x464f5, 0x464f8, 0x464fd, 0x4650c, 0x46511, 0x46750, 0x46761,
  0x46768, 0x46771, 0x46780, 0x46785, 0x46804, 0x4682d, 0x468cc, 0x468e5, 0x468ec, 0x468fd,
  0x4691c, 0x46921, 0x46944, 0x4695d, 0x46964, 0x46971, 0x46a28, 0x46a5d, 0x46a60, 0x46a69,
  0x46d80, 0x46d85, 0x46d88, 0x46d95, 0x46d98, 0x46d9d, 0x470c0, 0x470dd, 0x470e0, 0x470f9,
  0x470fc, 0x47101, 0x47248, 0x472a1, 0x472a8, 0x472c5, 0x472c8, 0x472d1, 0x472d4, 0x472dd,
  0x474c4, 0x474dd, 0x474e8, 0x474ed, 0x474f0, 0x474f9, 0x474fc, 0x47519, 0x4751c, 0x47521,
  0x47640, 0x47649, 0x47654, 0x47659, 0x4765c, 0x47661, 0x47bcc, 0x47bd5, 0x47c00, 0x47c09,
  0x47cd8, 0x47ced, 0x47d00, 0x47d05, 0x47d08, 0x47d0d, 0x47d68, 0x47d6d, 0x4d0c0, 0x4d105,
  0x4d11c, 0x4d159, 0x58478, 0x584a9, 0x584b4, 0x584c1, 0x5abc0, 0x5abd5, 0x5acc0, 0x5acdd,
  0x5bd3c, 0x5bd41, 0x5be3c, 0x5be4d, 0x5bf82, 0x5bf95, 0x5bfc2, 0x5bfdd, 0x5c002, 0x63359,
  0x633fe, 0x6347d, 0x63602, 0x637cd, 0x6bfc2, 0x6bfd1, 0x6bfd6, 0x6bff1, 0x6bff6, 0x6bffd,
  0x6c002, 0x6c48d, 0x6c4ca, 0x6c4cd, 0x6c542, 0x6c54d, 0x6c556, 0x6c559, 0x6c592, 0x6c5a1,
  0x6c5c2, 0x6cbf1, 0x6f274, 0x6f27d, 0x6f280, 0x6f291, 0x73c00, 0x73cb9, 0x73cc0, 0x73d1d,
  0x7457a, 0x74583, 0x74595, 0x7459c, 0x745a9, 0x745cc, 0x7460d, 0x74614, 0x74631, 0x746a8,
  0x746b9, 0x746ee, 0x746f7, 0x74705, 0x74908, 0x74915, 0x74c02, 0x74d5d, 0x74d82, 0x74ddd,
  0x76800, 0x768dd, 0x768ec, 0x769b5, 0x769d4, 0x769d9, 0x76a10, 0x76a15, 0x76a6c, 0x76a81,
  0x76a84, 0x76ac1, 0x78000, 0x7801d, 0x78020, 0x78065, 0x7806c, 0x78089, 0x7808c, 0x78095,
  0x78098, 0x780ad, 0x7823c, 0x78241, 0x784c0, 0x784dd, 0x78ab8, 0x78abd, 0x78bb0, 0x78bc1,
  0x793b0, 0x793c1, 0x797b8, 0x797c1, 0x79b8c, 0x79b91, 0x79b98, 0x79b9d, 0x79bb8, 0x79bc1,
  0x79bd4, 0x79bd9, 0x7a340, 0x7a35d, 0x7a510, 0x7a52d, 0x7c012, 0x7c015, 0x7c33e, 0x7c341,
  0x7c63a, 0x7c63d, 0x7c646, 0x7c66d, 0x7c79a, 0x7c80d, 0x7c842, 0x7c8f1, 0x7c902, 0x7c925,
  0x7c942, 0x7c949, 0x7c982, 0x7c999, 0x7cc02, 0x7cc85, 0x7ccb6, 0x7ccd9, 0x7ccde, 0x7cdf5,
  0x7cdfa, 0x7ce51, 0x7ce82, 0x7cf2d, 0x7cf3e, 0x7cf51, 0x7cf82, 0x7cfc5, 0x7cfd2, 0x7cfd5,
  0x7cfe2, 0x7d0fd, 0x7d102, 0x7d105, 0x7d10a, 0x7d3f5, 0x7d3fe, 0x7d4f9, 0x7d52e, 0x7d53d,
  0x7d542, 0x7d5a1, 0x7d5ea, 0x7d5ed, 0x7d656, 0x7d65d, 0x7d692, 0x7d695, 0x7d7ee, 0x7d941,
  0x7da02, 0x7db19, 0x7db32, 0x7db35, 0x7db42, 0x7db4d, 0x7db56, 0x7db65, 0x7db72, 0x7db81,
  0x7dbae, 0x7dbb5, 0x7dbd2, 0x7dbf5, 0x7df82, 0x7dfb1, 0x7dfc2, 0x7dfc5, 0x7e432, 0x7e4ed,
  0x7e4f2, 0x7e519, 0x7e51e, 0x7e801, 0x7e9c2, 0x7e9f5, 0x7ea02, 0x7ea2d, 0x7ea3a, 0x7eb1d,
  0x7eb22, 0x7eb25, 0x7eb36, 0x7eb75, 0x7eb7e, 0x7ebad, 0x7ebbe, 0x7ebe5, 0x80002, 0xbfff9,
  0xc0002, 0xffff9, 0x380004, 0x380009, 0x380080, 0x380201, 0x380400, 0x3807c1,
];

function codePointWidth(c: u32): i32 {
  if (c < 0x7f) return c >= 32 ? 1 : 0;
  let lo = 0;
  let hi = WIDTH_RANGES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (unchecked(WIDTH_RANGES[mid]) >> 2 <= c) lo = mid;
    else hi = mid - 1;
  }
  return <i32>(unchecked(WIDTH_RANGES[lo]) & 3);
}

function stringWidth(s: string): i32 {
  const n = s.length;
  let width = 0;
  for (let i = 0; i < n; i++) {
    let c = <u32>s.charCodeAt(i);
    if (c < 0x7f) {
      if (c >= 32) width++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = <u32>s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0x1100 && c <= 0x1112 && i + 1 < n) {
      const v = <u32>s.charCodeAt(i + 1);
      if (v >= 0x1161 && v <= 0x1175) {
        // NFC composes L V (T) into one Hangul syllable.
        i++;
        if (i + 1 < n) {
          const t = <u32>s.charCodeAt(i + 1);
          if (t >= 0x11a8 && t <= 0x11c2) i++;
        }
        width += 2;
        continue;
      }
    }
    if (c >= 0xac00 && c <= 0xd7a3 && (c - 0xac00) % 28 == 0 && i + 1 < n) {
      const t = <u32>s.charCodeAt(i + 1);
      if (t >= 0x11a8 && t <= 0x11c2) i++;
    }
    width += codePointWidth(c);
  }
  return width;
}
