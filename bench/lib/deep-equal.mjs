// The lodash-free `compare(object1, object2)` prepended to MBJSP tests instead of
// `require("lodash")` + `_.isEqual`.
//
// The expected values of a test (`var v0 = …`) decide the helper:
// - all numbers: `===`, plus NaN equals NaN (as `_.isEqual`; 0 and -0 are equal there too);
// - all strings, or all booleans: `===`;
// - arrays whose elements (recursively) are one of those: a length check and an index loop, one
//   helper per nesting level;
// These are written in the stelp subset as far as it goes (numbers, strings, booleans; arrays once
// the subset has them), so the harness is never the reason a program is rejected.
// - anything else (objects, null, mixed arrays): a plain-JavaScript deep equality with the
//   semantics of `_.isEqual` on JSON-like data (which is all MBJSP expects). It needs `typeof`,
//   `Array.isArray` and `Object.keys`, so today such programs are rejected because of the helper
//   as well; the per-problem JSON records which helper a problem got (`compare`).
//
// For values of the expected shape the helpers answer exactly as `_.isEqual`. For a completion that
// returns another type (a string where an array is expected) the typed helpers may answer
// differently or throw in node, where lodash would return false; stelp rejects such a program as a
// type mismatch before it runs. Either way the model's answer is wrong.

/** "number" | "string" | "boolean" | { array: Shape | null (only empty arrays seen) } | "other". */
export function valueShape(value) {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return typeof value;
  if (Array.isArray(value)) {
    let element = null;
    for (const item of value) {
      element = element === null ? valueShape(item) : unify(element, valueShape(item));
      if (element === "other") return "other";
    }
    return { array: element };
  }
  return "other";
}

function unify(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  if (typeof a === "string" || typeof b === "string") return a === b ? a : "other";
  const element = unify(a.array, b.array);
  return element === "other" ? "other" : { array: element };
}

export function shapeName(shape) {
  if (shape === null) return "empty";
  return typeof shape === "string" ? shape : `array<${shapeName(shape.array)}>`;
}

const SCALAR_BODY = {
  number: "return a === b || (a !== a && b !== b);",
  string: "return a === b;",
  boolean: "return a === b;",
};

/** The compare helper for a test whose expected values are `expected`. Returns { kind, source }. */
export function compareHelper(expected) {
  let shape = null;
  for (const value of expected) {
    shape = shape === null ? valueShape(value) : unify(shape, valueShape(value));
    if (shape === "other") break;
  }
  if (shape === null || shape === "other" || !isComplete(shape)) return { kind: "generic", source: GENERIC };
  const functions = [];
  const emit = (s, name) => {
    if (typeof s === "string") {
      functions.push(`function ${name}(a, b) {\n  ${SCALAR_BODY[s]}\n}`);
      return;
    }
    const element = `${name === "compare" ? "__benchCompare" : name}_e`;
    functions.push(
      `function ${name}(a, b) {\n  if (a.length !== b.length) return false;\n  for (let i = 0; i < a.length; i++) {\n    if (!${element}(a[i], b[i])) return false;\n  }\n  return true;\n}`,
    );
    emit(s.array, element);
  };
  emit(shape, "compare");
  return { kind: shapeName(shape), source: functions.join("\n") };
}

/** An array shape whose innermost element type is known (not only empty arrays). */
function isComplete(shape) {
  if (typeof shape === "string") return shape !== "other";
  return shape !== null && shape.array !== null && isComplete(shape.array);
}

/** `_.isEqual` for the values MBJSP expects: numbers, strings, booleans, null, arrays, plain objects, Sets. */
export const GENERIC = `function compare(a, b) {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return a !== a && b !== b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!compare(a[i], b[i])) return false;
    }
    return true;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set) || !(b instanceof Set) || a.size !== b.size) return false;
    const rest = [...b];
    for (const x of a) {
      const at = rest.findIndex((y) => compare(x, y));
      if (at < 0) return false;
      rest.splice(at, 1);
    }
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (!kb.includes(ka[i]) || !compare(a[ka[i]], b[ka[i]])) return false;
  }
  return true;
}`;
