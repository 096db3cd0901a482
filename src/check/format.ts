/**
 * Node's console.log formats its arguments with util.format: when the first argument is a string
 * and more arguments follow, `%s %d %i %f %j %o %O %c` consume arguments and `%%` is a percent sign.
 * The emitted code does this at run time (src/emit.ts); this scan tells the checker which directive
 * meets which argument, so that combinations the runtime cannot reproduce are rejected statically.
 */
import type { Type } from "../typed-program.js";

export interface FormatScan {
  /** The format contains a `%`: util.format's directive processing applies. */
  hasPercent: boolean;
  unsupported: { directive: string; index: number; type: Type }[];
}

/** Directive letters that consume an argument. */
export const FORMAT_DIRECTIVES = "sjdOoifc";

/** Whether stelp can format an argument of this type with this directive (every primitive can). */
export function formatSupported(_directive: string, type: Type): boolean {
  return type.kind === "string" || type.kind === "number" || type.kind === "boolean";
}

/** Follows util.format's loop (lib/internal/util/inspect.js, formatWithOptionsInternal). */
export function scanFormat(first: string, argTypes: readonly Type[]): FormatScan {
  const scan: FormatScan = { hasPercent: first.includes("%"), unsupported: [] };
  let a = 0;
  for (let i = 0; i < first.length - 1; i++) {
    if (first.charCodeAt(i) !== 37) continue;
    const next = first[++i]!;
    if (a + 1 !== argTypes.length) {
      if (FORMAT_DIRECTIVES.includes(next)) {
        a++;
        const t = argTypes[a]!;
        if (!formatSupported(next, t)) scan.unsupported.push({ directive: next, index: a, type: t });
      }
    }
  }
  return scan;
}
