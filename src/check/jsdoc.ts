/** JSDoc type annotations: `@param {number} x`, `@returns {string}` in a comment before a function. */
import { BOOLEAN, NUMBER, STRING, VOID, type Loc, type Type } from "../typed-program.js";
import type { SourceComment } from "../parse.js";

export interface JsDocTag {
  /** The type, or null when the type is present but not one stelp supports. */
  type: Type | null;
  /** The type as written. */
  text: string;
  loc: Loc;
}

export interface JsDoc {
  params: Map<string, JsDocTag>;
  returns: JsDocTag | null;
}

/** Types that say nothing: inference decides. */
const ANY_TYPES = new Set(["*", "any", "?", "unknown"]);

function parseType(text: string, isReturn: boolean, depth = 0): Type | null | "any" {
  const t = text.replace(/\s+/g, "");
  if (ANY_TYPES.has(t)) return "any";
  if (depth > 8) return null;
  // Arrays: T[], Array<T>, Array.<T>; dictionaries: Object<string, T>, Record<string, T>, {[k: string]: T}.
  const inner = (x: string): Type | null => {
    const r = parseType(x, false, depth + 1);
    return r === "any" ? null : r;
  };
  let m: RegExpExecArray | null;
  if (t.endsWith("[]")) {
    const e = inner(t.slice(0, -2));
    return e ? { kind: "array", elem: e } : null;
  }
  if ((m = /^Array\.?<(.+)>$/.exec(t))) {
    const e = inner(m[1]!);
    return e ? { kind: "array", elem: e } : null;
  }
  if ((m = /^(?:Object|Record)\.?<string,(.+)>$/.exec(t)) || (m = /^\{\[\w+:string\]:(.+)\}$/.exec(t))) {
    const v = inner(m[1]!);
    return v ? { kind: "dict", value: v } : null;
  }
  if ((m = /^\((.+)\)$/.exec(t))) return parseType(m[1]!, isReturn, depth + 1);
  switch (t.toLowerCase()) {
    case "number":
    case "integer":
    case "int":
    case "float":
    case "double":
      return NUMBER;
    case "string":
      return STRING;
    case "boolean":
    case "bool":
      return BOOLEAN;
    case "void":
    case "undefined":
      return isReturn ? VOID : null;
    default:
      return null;
  }
}

/** Finds the JSDoc block comment that immediately precedes the node starting at `start`. */
export function findJsDoc(comments: readonly SourceComment[], start: number): SourceComment | null {
  // Binary search for the last comment that ends before `start`.
  let lo = 0;
  let hi = comments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid]!.end <= start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return null;
  const c = comments[found]!;
  if (c.type !== "Block" || !c.value.startsWith("*") || c.next !== start) return null;
  return c;
}

/** Reads the @param and @returns tags of a JSDoc comment (other tags are ignored). */
export function parseJsDoc(comment: SourceComment): JsDoc {
  const doc: JsDoc = { params: new Map(), returns: null };
  const text = comment.value;
  const tagRe = /@(param|arg|argument|returns?)\b/g;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(text)) !== null) {
    const tag = m[1]!;
    let i = m.index + m[0].length;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text[i] !== "{") continue;
    // Balanced braces: {function(number): string} etc.
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}") {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= text.length) continue;
    const typeText = text.slice(i + 1, j).trim();
    const loc = locInComment(comment, m.index);
    const isReturn = tag === "returns" || tag === "return";
    const parsed = parseType(typeText, isReturn);
    const entry: JsDocTag | null = parsed === "any" ? null : { type: parsed, text: typeText, loc };
    if (isReturn) {
      if (entry) doc.returns = entry;
      continue;
    }
    let k = j + 1;
    while (k < text.length && /[ \t]/.test(text[k]!)) k++;
    const nameMatch = /^\[?\s*([A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*)/.exec(text.slice(k));
    if (!nameMatch || !entry) continue;
    doc.params.set(nameMatch[1]!, entry);
  }
  return doc;
}

function locInComment(c: SourceComment, offset: number): Loc {
  // The comment value starts 2 characters after the comment start ("/*").
  let line = c.line;
  let column = c.column + 2;
  const text = c.value;
  for (let i = 0; i < offset; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ((ch === 0x2028 || ch === 0x2029) && true)) {
      line++;
      column = 1;
    } else if (ch === 13) {
      if (text.charCodeAt(i + 1) !== 10) {
        line++;
        column = 1;
      } else column++;
    } else column++;
  }
  return { line, column };
}
