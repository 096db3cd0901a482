/**
 * Type inference engine: type variables with union-find (equality constraints are solved eagerly,
 * when the checker meets them, so a conflict is blamed on the construct that causes it) plus
 * deferred constraints that run when one of their variables gets a type (e.g. `a + b`: string if
 * either side is a string, number if both are numbers; `x.slice(1)`: array or string method,
 * decided when the receiver's type is known).
 *
 * Types are terms: primitives, or constructors (array, dict, map, set, fn) whose components are
 * type variables themselves, so `[]` gets `array(α)` and the first `push` decides α. Unification is
 * structural, checked before anything is linked (a conflict changes nothing) and with an occurs
 * check (no infinite types such as `a.push(a)`).
 *
 * A variable can be poisoned (its expression already produced a diagnostic): constraints that touch
 * a poisoned variable are dropped silently, so one mistake does not cascade into many diagnostics.
 */
import { BOOLEAN, DYN, NULL, NUMBER, STRING, UNDEFINED, VOID, typeName, type Type } from "../typed-program.js";

export type PrimKind = "number" | "boolean" | "string" | "void" | "null" | "undefined" | "dyn";

export type Term =
  | { kind: PrimKind }
  | { kind: "array"; elem: TVar }
  | { kind: "tuple"; elems: TVar[] }
  | { kind: "record"; keys: string[]; fields: TVar[] }
  | { kind: "class"; id: number; name: string }
  | { kind: "dict"; value: TVar }
  | { kind: "map"; key: TVar; value: TVar }
  | { kind: "set"; elem: TVar }
  | { kind: "fn"; params: TVar[]; ret: TVar };

export class TVar {
  parent: TVar | null = null;
  type: Term | null = null;
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
  /**
   * Called when inference is stuck (nothing else can make progress) and this constraint is still
   * pending: it may choose a default (e.g. `x.length` with an unknown x makes x a string).
   * Returns true if it changed something.
   */
  fallback?(): boolean;
  /** How many times fallback() reported a change while the constraint stayed pending (solver-owned). */
  fallbacks?: number;
}

/** A constraint whose default leaves it pending this often is not converging (see defaultAll). */
const MAX_FALLBACKS_PER_CONSTRAINT = 8;

export type UnifyResult = { ok: true } | { ok: false; left: Type; right: Type; leftOrigin: string | null; rightOrigin: string | null };

function children(t: Term): TVar[] {
  switch (t.kind) {
    case "array":
    case "set":
      return [t.elem];
    case "dict":
      return [t.value];
    case "map":
      return [t.key, t.value];
    case "fn":
      return [...t.params, t.ret];
    case "tuple":
      return t.elems;
    case "record":
      return t.fields;
    default:
      return [];
  }
}

export class Solver {
  readonly vars: TVar[] = [];
  private queue: Deferred[] = [];
  private pending: Deferred[] = [];
  private steps = 0;
  /** Total constraint steps allowed (guards against pathological inputs). */
  maxSteps = 5_000_000;

  fresh(type: Term | Type | null = null, origin: string | null = null): TVar {
    const v = new TVar(this.vars.length);
    v.type = type ? this.termOf(type) : null;
    v.origin = type ? origin : null;
    this.vars.push(v);
    return v;
  }

  /** A term for a final type (its components become fresh variables with those types). */
  termOf(t: Term | Type): Term {
    switch (t.kind) {
      case "array":
      case "set":
        return { kind: t.kind, elem: t.elem instanceof TVar ? t.elem : this.fresh(t.elem as Type) };
      case "dict":
        return { kind: "dict", value: t.value instanceof TVar ? t.value : this.fresh(t.value as Type) };
      case "tuple":
        return { kind: "tuple", elems: (t.elems as (TVar | Type)[]).map((e) => (e instanceof TVar ? e : this.fresh(e))) };
      case "record":
        return { kind: "record", keys: [...t.keys], fields: (t.fields as (TVar | Type)[]).map((e) => (e instanceof TVar ? e : this.fresh(e))) };
      case "class":
        return { kind: "class", id: t.id, name: t.name };
      case "map":
        return {
          kind: "map",
          key: t.key instanceof TVar ? t.key : this.fresh(t.key as Type),
          value: t.value instanceof TVar ? t.value : this.fresh(t.value as Type),
        };
      case "fn":
        return {
          kind: "fn",
          params: (t.params as (TVar | Type)[]).map((p) => (p instanceof TVar ? p : this.fresh(p))),
          ret: t.ret instanceof TVar ? t.ret : this.fresh(t.ret as Type),
        };
      default:
        return { kind: t.kind };
    }
  }

  array(elem: TVar | null = null): TVar {
    return this.fresh({ kind: "array", elem: elem ?? this.fresh() });
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

  typeOf(v: TVar): Term | null {
    return this.find(v).type;
  }

  kindOf(v: TVar): Term["kind"] | null {
    const t = this.find(v).type;
    return t ? t.kind : null;
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

  /** The current type as a final Type (unknown parts print as "unknown"), for diagnostics. */
  show(v: TVar, depth = 0): Type {
    const t = this.find(v).type;
    if (!t) return { kind: "unknown" } as unknown as Type;
    if (depth > 8) return { kind: "…" } as unknown as Type;
    switch (t.kind) {
      case "array":
      case "set":
        return { kind: t.kind, elem: this.show(t.elem, depth + 1) };
      case "dict":
        return { kind: "dict", value: this.show(t.value, depth + 1) };
      case "tuple":
        return { kind: "tuple", elems: [this.show(t.elems[0]!, depth + 1), this.show(t.elems[1]!, depth + 1)] };
      case "record":
        return { kind: "record", keys: t.keys, fields: t.fields.map((f) => this.show(f, depth + 1)) };
      case "class":
        return { kind: "class", id: t.id, name: t.name };
      case "map":
        return { kind: "map", key: this.show(t.key, depth + 1), value: this.show(t.value, depth + 1) };
      case "fn":
        return { kind: "fn", params: t.params.map((p) => this.show(p, depth + 1)), ret: this.show(t.ret, depth + 1) };
      default:
        return primitive(t.kind);
    }
  }

  describe(v: TVar): string {
    return typeName(this.show(v));
  }

  /**
   * Checks that a and b can be made equal without changing anything; returns the first conflicting
   * pair of classes, or null.
   */
  private conflict(a: TVar, b: TVar): [TVar, TVar] | null {
    // Union-find over a scratch map: which roots are assumed equal so far.
    const assumed = new Map<TVar, TVar>();
    const rep = (v: TVar): TVar => {
      let r = this.find(v);
      while (assumed.has(r)) r = assumed.get(r)!;
      return r;
    };
    // Scratch types for roots that get a term during the dry run.
    const scratchType = new Map<TVar, Term | null>();
    const typeOfRep = (r: TVar): Term | null => (scratchType.has(r) ? scratchType.get(r)! : r.type);
    const poisoned = (r: TVar): boolean => r.poisoned;
    const work: [TVar, TVar][] = [[a, b]];
    let budget = 100_000;
    while (work.length > 0) {
      if (--budget < 0) throw new RangeError("type too large");
      const [x, y] = work.pop()!;
      const rx = rep(x);
      const ry = rep(y);
      if (rx === ry) continue;
      if (poisoned(rx) || poisoned(ry)) {
        assumed.set(rx, ry);
        continue;
      }
      const tx = typeOfRep(rx);
      const ty = typeOfRep(ry);
      if (tx && ty) {
        if (tx.kind !== ty.kind) return [x, y];
        if (tx.kind === "record" && (tx.keys.join("\u0000") !== (ty as { keys: string[] }).keys.join("\u0000"))) return [x, y];
        if (tx.kind === "class" && tx.id !== (ty as { id: number }).id) return [x, y];
        const cx = children(tx);
        const cy = children(ty);
        if (cx.length !== cy.length) return [x, y];
        assumed.set(rx, ry);
        for (let i = 0; i < cx.length; i++) work.push([cx[i]!, cy[i]!]);
        continue;
      }
      // One side untyped: it takes the other's term; check that it does not occur inside it.
      const typed = tx ? rx : ry;
      const untyped = tx ? ry : rx;
      const term = tx ?? ty;
      if (term && this.occurs(untyped, term, rep)) return [x, y];
      assumed.set(untyped, typed);
      if (term) scratchType.set(typed, term);
    }
    return null;
  }

  /** Does class `v` occur inside `t` (under the scratch equivalences)? */
  private occurs(v: TVar, t: Term, rep: (x: TVar) => TVar): boolean {
    const stack = [...children(t)];
    const seen = new Set<TVar>();
    let budget = 100_000;
    while (stack.length > 0) {
      if (--budget < 0) return true;
      const c = rep(stack.pop()!);
      if (c === v) return true;
      if (seen.has(c)) continue;
      seen.add(c);
      if (c.type) stack.push(...children(c.type));
    }
    return false;
  }

  /** Makes a and b the same type; reports a conflict (and changes nothing) if they differ. */
  unify(a: TVar, b: TVar): UnifyResult {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return { ok: true };
    const c = this.conflict(ra, rb);
    if (c) {
      return { ok: false, left: this.show(ra), right: this.show(rb), leftOrigin: ra.origin, rightOrigin: rb.origin };
    }
    const work: [TVar, TVar][] = [[ra, rb]];
    while (work.length > 0) {
      const [x, y] = work.pop()!;
      const rx = this.find(x);
      const ry = this.find(y);
      if (rx === ry) continue;
      const tx = rx.type;
      const ty = ry.type;
      this.link(rx, ry);
      if (tx && ty && !rx.poisoned && !ry.poisoned) {
        const cx = children(tx);
        const cy = children(ty);
        for (let i = 0; i < cx.length && i < cy.length; i++) work.push([cx[i]!, cy[i]!]);
      }
    }
    return { ok: true };
  }

  /** Gives v the type t (if it has no type yet); reports a conflict if it has another one. */
  assign(v: TVar, t: Type | Term, origin: string | null = null): UnifyResult {
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
  }

  /**
   * Registers a deferred constraint on its variables and runs it once. A constraint that is not
   * discharged must watch the variables it waits for: `watch(c, v)` (or pass them here).
   */
  defer(c: Deferred, vars: TVar[]): void {
    for (const v of vars) this.watch(c, v);
    this.pending.push(c);
    this.queue.push(c);
    this.drain();
  }

  /** Wakes c again when v gets a type (or is poisoned). */
  watch(c: Deferred, v: TVar): void {
    const r = this.find(v);
    if (!r.type && !r.poisoned) r.watchers.push(c);
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
   * Finishes inference: while something is undecided, first lets pending constraints choose their
   * defaults (in creation order), then gives the oldest untyped variable the type `fallback`, and
   * propagates after each choice. Only variables that no value of another type can reach stay
   * untyped until then (e.g. a parameter of a function that is never called), so this is sound.
   */
  defaultAll(fallback: Type): void {
    this.drain();
    let i = 0;
    for (;;) {
      let progressed = false;
      for (const c of this.pending) {
        if (c.done || !c.fallback) continue;
        // Retry first: something may have changed since it last ran.
        if (c.step()) {
          c.done = true;
          progressed = true;
          this.drain();
          break;
        }
        if (c.fallback()) {
          // A default that "changes something" without ever discharging its constraint would loop
          // here forever, growing memory (a hostile-input hang): stop with the budget error instead.
          c.fallbacks = (c.fallbacks ?? 0) + 1;
          if (c.fallbacks > MAX_FALLBACKS_PER_CONSTRAINT) throw new RangeError("type inference did not converge");
          if (++this.steps > this.maxSteps) throw new RangeError("type inference budget exhausted");
          progressed = true;
          this.drain();
          break;
        }
      }
      if (progressed) continue;
      while (i < this.vars.length) {
        const r = this.find(this.vars[i]!);
        if (!r.type && !r.poisoned) break;
        i++;
      }
      if (i >= this.vars.length) break;
      const r = this.find(this.vars[i]!);
      r.type = this.termOf(fallback);
      r.origin = null;
      this.wake(r);
      this.drain();
    }
    this.pending = this.pending.filter((c) => !c.done);
  }

  /** The final type of v (after defaultAll every class is typed; a leftover is number). */
  resolve(v: TVar, depth = 0): Type {
    const t = this.find(v).type;
    if (!t || depth > 50) return NUMBER;
    switch (t.kind) {
      case "array":
      case "set":
        return { kind: t.kind, elem: this.resolve(t.elem, depth + 1) };
      case "dict":
        return { kind: "dict", value: this.resolve(t.value, depth + 1) };
      case "tuple":
        return { kind: "tuple", elems: [this.resolve(t.elems[0]!, depth + 1), this.resolve(t.elems[1]!, depth + 1)] };
      case "record":
        return { kind: "record", keys: t.keys, fields: t.fields.map((f) => this.resolve(f, depth + 1)) };
      case "class":
        return { kind: "class", id: t.id, name: t.name };
      case "map":
        return { kind: "map", key: this.resolve(t.key, depth + 1), value: this.resolve(t.value, depth + 1) };
      case "fn":
        return { kind: "fn", params: t.params.map((p) => this.resolve(p, depth + 1)), ret: this.resolve(t.ret, depth + 1) };
      default:
        return primitive(t.kind);
    }
  }
}

export function primitive(kind: PrimKind): Type {
  switch (kind) {
    case "number":
      return NUMBER;
    case "boolean":
      return BOOLEAN;
    case "string":
      return STRING;
    case "void":
      return VOID;
    case "null":
      return NULL;
    case "undefined":
      return UNDEFINED;
    case "dyn":
      return DYN;
  }
}
