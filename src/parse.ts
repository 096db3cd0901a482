/**
 * Stage 1: parse the snippet with acorn. Never throws: syntax errors and inputs that are too large
 * or too deeply nested become diagnostics.
 */
import * as acorn from "acorn";
import { diagnostic, type Diagnostic } from "./diagnostic.js";

/** A comment of the snippet, with the offset of the first non-blank character after it. */
export interface SourceComment {
  type: "Line" | "Block";
  value: string;
  start: number;
  end: number;
  /** 1-based line/column of the comment start. */
  line: number;
  column: number;
  /** Offset of the next non-whitespace character after the comment (source length at the end). */
  next: number;
}

/** acorn's Program plus the comments (read by the checker for JSDoc types). */
export type StelpProgram = acorn.Program & { comments?: SourceComment[] };

export interface ParseResult {
  ast: acorn.Program | null;
  diagnostics: Diagnostic[];
}

/** Snippets are small programs; anything larger is rejected before acorn sees it. */
export const MAX_SOURCE_LENGTH = 1_000_000;

function isBlank(code: number): boolean {
  // ECMAScript WhiteSpace and LineTerminator (the common ones; others only delay JSDoc matching).
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    code === 0x0b ||
    code === 0x0c ||
    code === 0xa0 ||
    code === 0xfeff ||
    code === 0x2028 ||
    code === 0x2029
  );
}

export function parse(source: string): ParseResult {
  try {
    return parseUnsafe(source);
  } catch (e) {
    return { ast: null, diagnostics: [internalDiagnostic(e)] };
  }
}

function internalDiagnostic(e: unknown): Diagnostic {
  if (e instanceof RangeError) {
    return diagnostic(
      "input-too-complex",
      "the snippet is nested too deeply to parse",
      "flatten deeply nested expressions or blocks (use intermediate variables or helper functions)",
      { line: 0, column: 0 },
      "parse",
    );
  }
  return diagnostic(
    "internal-error",
    `the parser failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
    "this is a stelp bug; simplify the snippet to work around it",
    { line: 0, column: 0 },
    "parse",
  );
}

function parseUnsafe(source: string): ParseResult {
  if (typeof source !== "string") {
    return {
      ast: null,
      diagnostics: [diagnostic("syntax-error", "the snippet is not a string", "pass JavaScript source text", undefined, "parse")],
    };
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    return {
      ast: null,
      diagnostics: [
        diagnostic(
          "input-too-large",
          `the snippet has ${source.length} characters; the limit is ${MAX_SOURCE_LENGTH}`,
          "submit a smaller program",
          { line: 1, column: 1 },
          "parse",
        ),
      ],
    };
  }
  const comments: SourceComment[] = [];
  let ast: acorn.Program;
  try {
    ast = acorn.parse(source, {
      ecmaVersion: "latest",
      sourceType: "script",
      locations: true,
      allowHashBang: true,
      allowReturnOutsideFunction: false,
      allowImportExportEverywhere: false,
      // Top-level `await` parses (an action plan writes `await tool(…)`); the checker accepts it only
      // directly on a host tool call.
      allowAwaitOutsideFunction: true,
      onComment(block, text, start, end, startLoc) {
        comments.push({
          type: block ? "Block" : "Line",
          value: text,
          start,
          end,
          line: startLoc ? startLoc.line : 0,
          column: startLoc ? startLoc.column + 1 : 0,
          next: end,
        });
      },
    });
  } catch (e) {
    if (e instanceof SyntaxError && /Not enough stack space/.test(e.message)) {
      const d = internalDiagnostic(new RangeError());
      const loc = (e as SyntaxError & { loc?: { line: number; column: number } }).loc;
      if (loc) {
        d.line = loc.line;
        d.column = loc.column + 1;
      }
      return { ast: null, diagnostics: [d] };
    }
    if (e instanceof SyntaxError) return { ast: null, diagnostics: [syntaxDiagnostic(e)] };
    if (e instanceof RangeError) return { ast: null, diagnostics: [internalDiagnostic(e)] };
    throw e;
  }
  for (const c of comments) {
    let i = c.end;
    while (i < source.length && isBlank(source.charCodeAt(i))) i++;
    c.next = i;
  }
  (ast as StelpProgram).comments = comments;
  return { ast, diagnostics: [] };
}

function syntaxDiagnostic(e: SyntaxError): Diagnostic {
  const loc = (e as SyntaxError & { loc?: { line: number; column: number } }).loc;
  const position = loc ? { line: loc.line, column: loc.column + 1 } : { line: 0, column: 0 };
  // acorn appends " (line:col)" to its messages; the position is in the diagnostic already.
  const message = e.message.replace(/ \(\d+:\d+\)$/, "");
  if (/'import' and 'export' may appear only with 'sourceType: module'/.test(message)) {
    return diagnostic(
      "forbidden-module",
      "import and export declarations are not allowed",
      "a stelp snippet is one self-contained script: write the code you need inline, without modules",
      position,
      "parse",
    );
  }
  if (/import\.meta/.test(message)) {
    return diagnostic(
      "forbidden-global",
      "import.meta is not available",
      "a stelp snippet has no module context: remove import.meta",
      position,
      "parse",
    );
  }
  return diagnostic("syntax-error", message, syntaxHint(message), position, "parse");
}

function syntaxHint(message: string): string {
  if (/Unterminated string/.test(message)) return "close the string literal with the same quote it starts with";
  if (/Unterminated template/.test(message)) return "close the template literal with a backtick";
  if (/Unterminated comment/.test(message)) return "close the block comment with */";
  if (/has already been declared/.test(message)) return "rename one of the two declarations";
  if (/'return' outside of function/.test(message)) return "return is only allowed inside a function";
  if (/Unexpected token/.test(message)) return "fix the JavaScript syntax at this position (a missing or extra bracket, comma or operator?)";
  return "fix the JavaScript syntax at this position";
}
