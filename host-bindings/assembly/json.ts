// stelp runtime: JSON.stringify exactly as V8 does it (ECMAScript SerializeJSONProperty /
// QuoteJSONString / SerializeJSONObject / SerializeJSONArray, with well-formed JSON.stringify).
//
// ## How the emitter drives it (no reflection in AS)
//
// A streaming writer: the emitter generates, per static type, code that calls __JsonWriter methods,
// and finishes with w.result() (a string, or null when the whole value serialises to JS
// `undefined`, e.g. JSON.stringify(undefined) or of a function):
//
//   const w = new __JsonWriter(gap);          // gap: "" or __js_json_gap_num(space) / __js_json_gap_str(space)
//   w.beginObject();                          // record / dictionary / class instance (own fields in order)
//     w.key("a"); w.num(this.a);              // a key waits until its value is written …
//     w.key("f"); w.undef();                  // … and a key whose value is undefined/function is dropped
//   w.endObject();                            // `{}` if no property was written
//   w.beginArray(); w.num(1); w.undef(); w.endArray();   // `[1,null]`: undefined in arrays → null
//   w.result()
//
// Gap: JSON.stringify(v) and JSON.stringify(v, null) → ""; a number space → __js_json_gap_num(space)
// (clamped to 10; V8 lays out 0 < space < 1 on separate lines with no indentation, which the
// returned marker string tells the writer); a string space → __js_json_gap_str(space) (first 10 code
// units; "" means compact).
//
// Values: num(x) (non-finite → null, -0 → 0), str(s), bool(b), nul(), undef(), raw(json) (text that is
// already JSON; it is not re-indented, so only use it for leaves or with gap ""). What applies to the
// subset's types:
//   number/boolean/string/null: as above; arrays: elements in order (undefined → null);
//   records, __JsDict and class instances: own enumerable properties in JS own-key order (which the
//     emitter/dictionary supplies), undefined- or function-valued ones omitted;
//   Map and Set: `{}` (they have no own enumerable properties); functions: undefined (omitted in
//     objects, null in arrays). toJSON and replacer functions are not modelled.
//
// Generic helper: __js_json_stringify<T>(v, gap) serialises f64/other numbers, bool, string,
// nullable references (null → "null"), Array<U>, __JsDict<V> (an object in its key order),
// __JsMap/__JsSet (`{}`), and any class with a method `__json(w: __JsonWriter): void` (the emitter
// gives generated record classes such a method; it can call __js_json_write(w, field) per field):
//
//   __json(w: __JsonWriter): void {
//     if (!w.enter(changetype<usize>(this))) { /* throw TypeError: Converting circular structure to JSON */ }
//     w.beginObject();
//     w.key("a"); __js_json_write(w, this.a);
//     w.key("b"); __js_json_write(w, this.b);
//     w.endObject();
//     w.leave();
//   }
//
// Cycles: V8 throws "TypeError: Converting circular structure to JSON"; this writer does not detect
// them (the emitter's __json methods can guard with w.enter(ref)/w.leave(), which return false on a
// cycle; the caller then raises the TypeError — see __js_json_circular_message).

import { __js_num_to_string } from "./number";
import { __JsMap, __JsSet, __JsDict } from "./collections";

/** JSON.stringify's quoting of a string: `"…"` with \" \\ \b \f \n \r \t, \u00xx for other controls, \udxxx for lone surrogates. */
export function __js_json_quote(s: string): string {
  const n = s.length;
  // Fast path: nothing to escape.
  let clean = true;
  for (let i = 0; i < n; i++) {
    const c = <u32>s.charCodeAt(i);
    if (c < 0x20 || c == 0x22 || c == 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      clean = false;
      break;
    }
  }
  if (clean) return '"' + s + '"';
  const parts = new Array<string>(0);
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = <u32>s.charCodeAt(i);
    let esc: string | null = null;
    if (c < 0x20) {
      if (c == 0x08) esc = "\\b";
      else if (c == 0x09) esc = "\\t";
      else if (c == 0x0a) esc = "\\n";
      else if (c == 0x0c) esc = "\\f";
      else if (c == 0x0d) esc = "\\r";
      else esc = "\\u00" + hex2(c);
    } else if (c == 0x22) {
      esc = '\\"';
    } else if (c == 0x5c) {
      esc = "\\\\";
    } else if (c >= 0xd800 && c <= 0xdbff) {
      if (i + 1 < n) {
        const d = <u32>s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++; // a well-formed pair stays as is
          continue;
        }
      }
      esc = "\\u" + hex4(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      esc = "\\u" + hex4(c);
    }
    if (esc !== null) {
      if (i > start) parts.push(s.substring(start, i));
      parts.push(esc);
      start = i + 1;
    }
  }
  if (n > start) parts.push(s.substring(start, n));
  return '"' + parts.join("") + '"';
}

/** JSON.stringify of a number: String(x) for finite x (-0 → "0"), "null" for NaN and ±Infinity. */
export function __js_json_number(x: f64): string {
  if (!isFinite(x)) return "null";
  return __js_num_to_string(x);
}

/**
 * The gap for a number `space` argument: min(10, ToIntegerOrInfinity(space)) spaces, "" below 1.
 * V8 quirk: for 0 < space < 1 V8 lays the output out on separate lines with an empty indentation
 * (`[\n1,\n2\n]`); this returns JSON_EMPTY_GAP then, which __JsonWriter understands (it is 11
 * characters long, so no string `space` argument can produce it).
 */
export function __js_json_gap_num(space: f64): string {
  const value = 10 < space ? 10 : space; // std::min(space, 10.0): NaN stays NaN
  if (!(value > 0)) return "";
  const k = <i32>value;
  if (k == 0) return JSON_EMPTY_GAP;
  return " ".repeat(k);
}

/** A gap that means "newlines but no indentation" (see __js_json_gap_num). */
const JSON_EMPTY_GAP = "<empty gap>";

/** The gap for a string `space` argument: its first 10 code units. */
export function __js_json_gap_str(space: string): string {
  return space.length <= 10 ? space : space.substring(0, 10);
}

/** V8's message for a cycle (the TypeError's first line in Node is `TypeError: ` + this). */
export function __js_json_circular_message(): string {
  return "Converting circular structure to JSON";
}

const KIND_ARRAY: u8 = 1;
const KIND_OBJECT: u8 = 2;

/** Streaming JSON.stringify writer; see the file comment. */
export class __JsonWriter {
  private parts: Array<string> = new Array<string>(0);
  /** Per open container: its kind and how many members were written. */
  private kinds: Array<u8> = new Array<u8>(0);
  private counts: Array<i32> = new Array<i32>(0);
  /** Identities of the open containers (only those passed to enter). */
  private stack: Array<usize> = new Array<usize>(0);
  private pendingKey: string | null = null;
  private gap: string;
  /** Newlines and indentation between members (a non-empty gap, or JSON_EMPTY_GAP). */
  private pretty: bool;
  private indents: Array<string> = new Array<string>(0);
  private wroteTop: bool = false;

  /** gap: the indentation unit ("" for compact output); see __js_json_gap_num / __js_json_gap_str. */
  constructor(gap: string = "") {
    if (gap == JSON_EMPTY_GAP) {
      this.gap = "";
      this.pretty = true;
    } else {
      this.gap = gap;
      this.pretty = gap.length > 0;
    }
    this.indents.push("\n");
  }

  /** "\n" followed by `level` gaps. */
  private indent(level: i32): string {
    while (this.indents.length <= level) {
      this.indents.push(this.indents[this.indents.length - 1] + this.gap);
    }
    return unchecked(this.indents[level]);
  }

  /** Writes what precedes a value: the separator, newline and indentation, and the pending key. Returns false if the value is dropped. */
  private before(): bool {
    const depth = this.kinds.length;
    if (depth == 0) {
      this.wroteTop = true;
      return true;
    }
    const kind = unchecked(this.kinds[depth - 1]);
    let key: string | null = null;
    if (kind == KIND_OBJECT) {
      key = this.pendingKey;
      if (key === null) abort("__JsonWriter: a value inside an object needs a key() first");
      this.pendingKey = null;
    }
    const count = unchecked(this.counts[depth - 1]);
    if (count > 0) this.parts.push(",");
    if (this.pretty) this.parts.push(this.indent(depth));
    if (key !== null) {
      this.parts.push(__js_json_quote(key));
      this.parts.push(this.pretty ? ": " : ":");
    }
    unchecked((this.counts[depth - 1] = count + 1));
    return true;
  }

  /** Sets the key of the next property (inside an object); dropped if the value turns out undefined. */
  key(k: string): void {
    this.pendingKey = k;
  }

  /** Writes a number (non-finite → null). */
  num(x: f64): void {
    this.before();
    this.parts.push(__js_json_number(x));
  }

  /** Writes a string, quoted. */
  str(s: string): void {
    this.before();
    this.parts.push(__js_json_quote(s));
  }

  /** Writes true/false. */
  bool(b: bool): void {
    this.before();
    this.parts.push(b ? "true" : "false");
  }

  /** Writes null. */
  nul(): void {
    this.before();
    this.parts.push("null");
  }

  /** A value that JSON skips (undefined, a function): null inside arrays, the pending key dropped inside objects, `undefined` at the top. */
  undef(): void {
    const depth = this.kinds.length;
    if (depth == 0) return;
    if (unchecked(this.kinds[depth - 1]) == KIND_OBJECT) {
      this.pendingKey = null;
      return;
    }
    this.nul();
  }

  /** Writes text that is already a JSON value (compact or laid out for this nesting level). */
  raw(json: string): void {
    this.before();
    this.parts.push(json);
  }

  /** Opens an array (as a value). */
  beginArray(): void {
    this.before();
    this.parts.push("[");
    this.kinds.push(KIND_ARRAY);
    this.counts.push(0);
  }

  /** Closes the innermost array. */
  endArray(): void {
    this.close(KIND_ARRAY, "]");
  }

  /** Opens an object (as a value). */
  beginObject(): void {
    this.before();
    this.parts.push("{");
    this.kinds.push(KIND_OBJECT);
    this.counts.push(0);
  }

  /** Closes the innermost object. */
  endObject(): void {
    this.close(KIND_OBJECT, "}");
  }

  private close(kind: u8, bracket: string): void {
    const depth = this.kinds.length;
    if (depth == 0 || unchecked(this.kinds[depth - 1]) != kind) abort("__JsonWriter: unbalanced end");
    const count = unchecked(this.counts[depth - 1]);
    this.kinds.pop();
    this.counts.pop();
    this.pendingKey = null;
    if (count > 0 && this.pretty) this.parts.push(this.indent(depth - 1));
    this.parts.push(bracket);
  }

  /**
   * Cycle guard for a container about to be written: returns false if `ref` is already open (the
   * caller must then throw TypeError: Converting circular structure to JSON); otherwise records it
   * until the matching leave().
   */
  enter(ref: usize): bool {
    if (this.stack.includes(ref)) return false;
    this.stack.push(ref);
    return true;
  }

  /** Ends the cycle guard of the innermost enter(). */
  leave(): void {
    this.stack.pop();
  }

  /** The JSON text, or null when the value was undefined (nothing written at the top). */
  result(): string | null {
    if (!this.wroteTop) return null;
    return this.parts.join("");
  }
}

/**
 * JSON.stringify(v, null, gap) for a value of static type T (see the file comment); null means the
 * result is JS `undefined`.
 */
export function __js_json_stringify<T>(v: T, gap: string = ""): string | null {
  const w = new __JsonWriter(gap);
  __js_json_write<T>(w, v);
  return w.result();
}

/** Writes a value of static type T to w (numbers, bool, string, nullable references, Array<U>, classes with __json(w)). */
export function __js_json_write<T>(w: __JsonWriter, v: T): void {
  if (isBoolean<T>()) {
    w.bool(<bool>v);
  } else if (isInteger<T>() || isFloat<T>()) {
    w.num(<f64>v);
  } else if (isReference<T>()) {
    if (isNullable<T>()) {
      if (changetype<usize>(v) == 0) {
        w.nul();
        return;
      }
    }
    if (isString<T>()) {
      w.str(changetype<string>(v));
    } else if (isArray<T>()) {
      const a = changetype<NonNullable<T>>(v);
      w.beginArray();
      // @ts-ignore: length exists on arrays
      const n = <i32>a.length;
      for (let i = 0; i < n; i++) {
        // @ts-ignore: index access on arrays
        __js_json_write<valueof<NonNullable<T>>>(w, unchecked(a[i]));
      }
      w.endArray();
    } else if (v instanceof __JsMap || v instanceof __JsSet) {
      // No own enumerable properties.
      w.beginObject();
      w.endObject();
    } else if (v instanceof __JsDict) {
      // @ts-ignore: entries exists on dictionaries
      const entries = changetype<NonNullable<T>>(v).entries();
      w.beginObject();
      for (let i = 0; i < entries.length; i++) {
        const e = unchecked(entries[i]);
        w.key(e.key);
        __js_json_write(w, e.value);
      }
      w.endObject();
    } else {
      // @ts-ignore: compile-time protocol check
      if (isDefined(v.__json)) {
        // @ts-ignore
        changetype<NonNullable<T>>(v).__json(w);
      } else {
        ERROR("__js_json_write: the type has no __json(w) method");
      }
    }
  } else {
    ERROR("__js_json_write: unsupported type");
  }
}

// ---------------------------------------------------------------------------------------------

const HEX = "0123456789abcdef";

function hex2(c: u32): string {
  return HEX.charAt((c >> 4) & 15) + HEX.charAt(c & 15);
}

function hex4(c: u32): string {
  return HEX.charAt((c >> 12) & 15) + HEX.charAt((c >> 8) & 15) + HEX.charAt((c >> 4) & 15) + HEX.charAt(c & 15);
}
