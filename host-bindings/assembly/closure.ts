// stelp runtime: the function-value ABI (AssemblyScript has no closures).
//
// A JavaScript function value becomes an instance of one of these abstract classes; the emitter
// generates one subclass per function literal, holding its captured variables as fields (a captured
// variable that is assigned anywhere is shared through a Ref cell). Runtime helpers that take
// callbacks (array map/filter/reduce/sort, …) call `f.call(…)`, a virtual call.
//
// Callbacks always take the full JavaScript argument list of their caller (map passes value, index,
// array): the emitter adapts a literal with fewer parameters by ignoring the extra arguments.

export abstract class __Fn0<R> {
  abstract call(): R;
}
export abstract class __Fn1<A, R> {
  abstract call(a: A): R;
}
export abstract class __Fn2<A, B, R> {
  abstract call(a: A, b: B): R;
}
export abstract class __Fn3<A, B, C, R> {
  abstract call(a: A, b: B, c: C): R;
}
export abstract class __Fn4<A, B, C, D, R> {
  abstract call(a: A, b: B, c: C, d: D): R;
}

/** A mutable cell shared by a function and the closures that capture one of its variables. */
export class __Ref<T> {
  constructor(public value: T) {}
}
