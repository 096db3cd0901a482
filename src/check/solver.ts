/**
 * Type inference engine: type variables with union-find (equality constraints are solved eagerly,
 * when the checker meets them, so a conflict is blamed on the construct that causes it) plus
 * deferred constraints that run when one of their variables gets a type (e.g. `a + b`: string if
 * either side is a string, number if both are numbers).
 *
 * A variable can be poisoned (its expression already produced a diagnostic): constraints that touch
 * a poisoned variable are dropped silently, so one mistake does not cascade into many diagnostics.
 */
import type { Type } from "../typed-program.js";

export class TVar {
  parent: TVar | null = null;
  type: Type | null = null;
  poisoned = false;
  /** Where the type came from, for diagnostics ("number, from the JSDoc on line 2"). */
  origin: string | null = null;
  size = 1;
  watchers: Deferred[] = [];
  constructor(readonly id: number) {}
}

export interface Deferred {
  /** Runs the constraint with the types known now; returns true once it is discharged. */
  step(): boolean;
  done: boolean;
}

export type UnifyResult = { ok: true } | { ok: false; left: Type; right: Type; leftOrigin: string | null; rightOrigin: string | null };

export class Solver {
  readonly vars: TVar[] = [];
  private queue: Deferred[] = [];
  private steps = 0;
  /** Total constraint steps allowed (guards against pathological inputs). */
  maxSteps = 5_000_000;

  fresh(type: Type | null = null, origin: string | null = null): TVar {
    const v = new TVar(this.vars.length);
    v.type = type;
    v.origin = type ? origin : null;
    this.vars.push(v);
    return v;
  }

  find(v: TVar): TVar {
    let root = v;
    while (root.parent) root = root.parent;
    // Path compression (iterative).
    let cur = v;
    while (cur.parent && cur.parent !== root) {
      const next: TVar = cur.parent;
      cur.parent = root;
      cur = next;
    }
    return root;
  }

  typeOf(v: TVar): Type | null {
    return this.find(v).type;
  }

  originOf(v: TVar): string | null {
    return this.find(v).origin;
  }

  /** Records where a class's type came from, unless it already knows. */
  noteOrigin(v: TVar, origin: string): void {
    const r = this.find(v);
    if (r.type && !r.origin) r.origin = origin;
  }

  isPoisoned(v: TVar): boolean {
    return this.find(v).poisoned;
  }

  poison(v: TVar): void {
    const r = this.find(v);
    if (!r.poisoned) {
      r.poisoned = true;
      this.wake(r);
    }
  }

  /** Makes a and b the same type; reports a conflict (and changes nothing) if they differ. */
  unify(a: TVar, b: TVar): UnifyResult {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return { ok: true };
    if (ra.poisoned || rb.poisoned) {
      // Merge silently; the merged class stays poisoned.
      this.link(ra, rb);
      return { ok: true };
    }
    if (ra.type && rb.type && ra.type.kind !== rb.type.kind) {
      return { ok: false, left: ra.type, right: rb.type, leftOrigin: ra.origin, rightOrigin: rb.origin };
    }
    this.link(ra, rb);
    return { ok: true };
  }

  /** Gives v the type t (if it has no type yet); reports a conflict if it has another one. */
  assign(v: TVar, t: Type, origin: string | null = null): UnifyResult {
    return this.unify(v, this.fresh(t, origin));
  }

  private link(ra: TVar, rb: TVar): void {
    const becameTyped = (ra.type === null) !== (rb.type === null);
    const becamePoisoned = ra.poisoned !== rb.poisoned;
    let root = ra;
    let child = rb;
    if (ra.size < rb.size) {
      root = rb;
      child = ra;
    }
    child.parent = root;
    root.size += child.size;
    if (!root.type && child.type) {
      root.type = child.type;
      root.origin = child.origin;
    } else if (root.type && !root.origin && child.origin) {
      root.origin = child.origin;
    }
    root.poisoned = root.poisoned || child.poisoned;
    for (const w of child.watchers) if (!w.done) root.watchers.push(w);
    child.watchers = [];
    if (becameTyped || becamePoisoned) this.wake(root);
  }

  private wake(root: TVar): void {
    const ws = root.watchers;
    root.watchers = [];
    for (const w of ws) {
      if (!w.done) this.queue.push(w);
    }
    // A typed class keeps no watchers: its type never changes again. An untyped poisoned class
    // keeps none either (poisoned constraints are dropped).
  }

  /** Registers a deferred constraint on its variables and runs it once. */
  defer(c: Deferred, vars: TVar[]): void {
    for (const v of vars) {
      const r = this.find(v);
      if (!r.type && !r.poisoned) r.watchers.push(c);
    }
    this.queue.push(c);
    this.drain();
  }

  /** Runs queued constraints until none can make progress. Throws RangeError past the budget. */
  drain(): void {
    while (this.queue.length > 0) {
      const c = this.queue.pop()!;
      if (c.done) continue;
      if (++this.steps > this.maxSteps) throw new RangeError("type inference budget exhausted");
      if (c.step()) c.done = true;
    }
  }

  /**
   * Gives every variable that is still untyped the type `fallback`, in creation order (roughly
   * source order), propagating after each choice. Only variables that no value of another type can
   * reach stay untyped (e.g. a parameter of a function that is never called), so this is sound.
   */
  defaultAll(fallback: Type): void {
    for (const v of this.vars) {
      const r = this.find(v);
      if (!r.type && !r.poisoned) {
        r.type = fallback;
        r.origin = null;
        this.wake(r);
        this.drain();
      }
    }
  }
}
