/**
 * Walking binaryen's expression trees from JavaScript: the child slots of every expression kind the
 * instrument stage accepts, and the whole-module facts it needs (which functions a root can call,
 * which functions never return).
 */
import binaryen from "binaryen";

/** Thrown for code the instrument stage does not understand; it reports it as its own failure. */
export class InstrumentError extends Error {}

export function fail(message: string): never {
  throw new InstrumentError(message);
}

/** The names of the module's functions (imports included), in index order. */
export function functionNames(module: binaryen.Module): string[] {
  const names: string[] = [];
  for (let i = 0; i < module.getNumFunctions(); i++) names.push(binaryen.getFunctionInfo(module.getFunctionByIndex(i)).name);
  return names;
}

const E = binaryen; // expression ids live on the binaryen namespace

/** binaryen.js's expression and function wrapper classes, which its typings do not declare. */
export const wrappers = binaryen as unknown as Record<string, Record<string, (...args: number[]) => number>>;

/**
 * Per expression kind: the info fields holding its children and the static setter for each. A kind
 * not listed here is refused: instrumentation never passes over code it does not understand.
 */
type ChildSlot = { field: string; set: (expr: number, value: number) => void; list?: false } | { field: string; setAt: (expr: number, index: number, value: number) => void; list: true };

function slots(): Map<number, ChildSlot[]> {
  const one = (cls: string, field: string, setter: string): ChildSlot => ({ field, set: (e, v) => void wrappers[cls]![setter]!(e, v) });
  const list = (cls: string, field: string, setter: string): ChildSlot => ({ field, list: true, setAt: (e, i, v) => void wrappers[cls]![setter]!(e, i, v) });
  return new Map<number, ChildSlot[]>([
    [E.BlockId, [list("Block", "children", "setChildAt")]],
    [E.IfId, [one("If", "condition", "setCondition"), one("If", "ifTrue", "setIfTrue"), one("If", "ifFalse", "setIfFalse")]],
    [E.LoopId, [one("Loop", "body", "setBody")]],
    [E.BreakId, [one("Break", "condition", "setCondition"), one("Break", "value", "setValue")]],
    [E.SwitchId, [one("Switch", "condition", "setCondition"), one("Switch", "value", "setValue")]],
    [E.CallId, [list("Call", "operands", "setOperandAt")]],
    [E.CallIndirectId, [one("CallIndirect", "target", "setTarget"), list("CallIndirect", "operands", "setOperandAt")]],
    [E.LocalGetId, []],
    [E.LocalSetId, [one("LocalSet", "value", "setValue")]],
    [E.GlobalGetId, []],
    [E.GlobalSetId, [one("GlobalSet", "value", "setValue")]],
    [E.LoadId, [one("Load", "ptr", "setPtr")]],
    [E.StoreId, [one("Store", "ptr", "setPtr"), one("Store", "value", "setValue")]],
    [E.ConstId, []],
    [E.UnaryId, [one("Unary", "value", "setValue")]],
    [E.BinaryId, [one("Binary", "left", "setLeft"), one("Binary", "right", "setRight")]],
    [E.SelectId, [one("Select", "ifTrue", "setIfTrue"), one("Select", "ifFalse", "setIfFalse"), one("Select", "condition", "setCondition")]],
    [E.DropId, [one("Drop", "value", "setValue")]],
    [E.ReturnId, [one("Return", "value", "setValue")]],
    [E.MemorySizeId, []],
    [E.MemoryGrowId, [one("MemoryGrow", "delta", "setDelta")]],
    [E.NopId, []],
    [E.UnreachableId, []],
    [E.MemoryCopyId, [one("MemoryCopy", "dest", "setDest"), one("MemoryCopy", "source", "setSource"), one("MemoryCopy", "size", "setSize")]],
    [E.MemoryFillId, [one("MemoryFill", "dest", "setDest"), one("MemoryFill", "value", "setValue"), one("MemoryFill", "size", "setSize")]],
    [E.MemoryInitId, [one("MemoryInit", "dest", "setDest"), one("MemoryInit", "offset", "setOffset"), one("MemoryInit", "size", "setSize")]],
    [E.DataDropId, []],
  ]);
}

const CHILD_SLOTS = slots();

function expressionKindName(id: number): string {
  for (const [key, value] of Object.entries(binaryen)) {
    if (key.endsWith("Id") && value === id) return key.slice(0, -2);
  }
  return `#${id}`;
}

/** Visits the children of `expr`, replacing each with what `visit` returns. */
export function mapChildren(expr: number, visit: (child: number) => number): void {
  const id = binaryen.getExpressionId(expr);
  const childSlots = CHILD_SLOTS.get(id);
  if (!childSlots) fail(`unsupported instruction kind ${expressionKindName(id)}`);
  if (childSlots.length === 0) return; // leaves (some have no binaryen.js info wrapper at all)
  const info = binaryen.getExpressionInfo(expr) as unknown as Record<string, unknown>;
  for (const slot of childSlots) {
    const value = info[slot.field];
    if (slot.list) {
      (value as number[]).forEach((child, index) => {
        const replaced = visit(child);
        if (replaced !== child) slot.setAt(expr, index, replaced);
      });
    } else if (typeof value === "number" && value !== 0) {
      const replaced = visit(value);
      if (replaced !== value) slot.set(expr, replaced);
    }
  }
}

/** The functions reachable by direct calls from `root`, root included. */
export function callClosure(module: binaryen.Module, root: string): Set<string> {
  const seen = new Set<string>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const info = binaryen.getFunctionInfo(module.getFunction(queue.pop()!));
    if (info.module || !info.body) continue;
    const stack = [info.body];
    while (stack.length > 0) {
      const expr = stack.pop()!;
      if (binaryen.getExpressionId(expr) === binaryen.CallId) {
        const target = (binaryen.getExpressionInfo(expr) as binaryen.CallInfo).target;
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
      mapChildren(expr, (child) => {
        stack.push(child);
        return child;
      });
    }
  }
  return seen;
}


/**
 * The functions that never return to their caller: every path through the body ends in
 * `unreachable` (asc puts one after each `abort`), in a branch-free infinite loop, or in a call of
 * such a function, and the body has no `return`. A fixpoint over the module. The runtime's exit
 * function returns for CAUSE_OK (0) and traps for every other cause, so a call of it with a
 * constant nonzero cause ends a path too. Conservative: every path must be seen to end.
 */
export function neverReturningFunctions(module: binaryen.Module, exitFunction: string): Set<string> {
  const bodies = new Map<string, number>();
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (!info.module && info.body && !containsReturn(info.body)) bodies.set(info.name, info.body);
  }
  const found = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, body] of bodies) {
      if (!found.has(name) && neverCompletes(body, found, exitFunction)) {
        found.add(name);
        changed = true;
      }
    }
  }
  return found;
}

function children(expr: number): number[] {
  const list: number[] = [];
  mapChildren(expr, (child) => {
    list.push(child);
    return child;
  });
  return list;
}

function containsReturn(expr: number): boolean {
  const stack = [expr];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (binaryen.getExpressionId(current) === binaryen.ReturnId) return true;
    stack.push(...children(current));
  }
  return false;
}

/** Whether a branch inside `expr` targets the label `name`. */
function branchesTo(expr: number, name: string): boolean {
  const stack = [expr];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const id = binaryen.getExpressionId(current);
    if (id === binaryen.BreakId && (binaryen.getExpressionInfo(current) as binaryen.BreakInfo).name === name) return true;
    if (id === binaryen.SwitchId) {
      const info = binaryen.getExpressionInfo(current) as binaryen.SwitchInfo;
      if (info.defaultName === name || info.names.includes(name)) return true;
    }
    stack.push(...children(current));
  }
  return false;
}

/** Whether control never falls out of `expr` (it traps, branches away, or calls a function in `noReturn`). */
function neverCompletes(expr: number, noReturn: Set<string>, exit: string): boolean {
  const id = binaryen.getExpressionId(expr);
  switch (id) {
    case binaryen.UnreachableId:
    case binaryen.ReturnId:
    case binaryen.SwitchId:
      return true;
    case binaryen.BreakId: {
      const info = binaryen.getExpressionInfo(expr) as binaryen.BreakInfo;
      if (!info.condition) return true;
      return neverCompletes(info.condition, noReturn, exit) || (info.value !== 0 && neverCompletes(info.value, noReturn, exit));
    }
    case binaryen.BlockId: {
      const info = binaryen.getExpressionInfo(expr) as binaryen.BlockInfo;
      if (!info.children.some((child) => neverCompletes(child, noReturn, exit))) return false;
      return !info.name || !branchesTo(expr, info.name);
    }
    case binaryen.IfId: {
      const info = binaryen.getExpressionInfo(expr) as binaryen.IfInfo;
      if (neverCompletes(info.condition, noReturn, exit)) return true;
      return Boolean(info.ifFalse) && neverCompletes(info.ifTrue, noReturn, exit) && neverCompletes(info.ifFalse, noReturn, exit);
    }
    case binaryen.LoopId:
      // Falls out only when its body does; a branch to an enclosing block is that block's concern.
      return neverCompletes((binaryen.getExpressionInfo(expr) as binaryen.LoopInfo).body, noReturn, exit);
    case binaryen.CallId: {
      const info = binaryen.getExpressionInfo(expr) as binaryen.CallInfo;
      if (noReturn.has(info.target) || (info.target === exit && isNonzeroConstant(info.operands[0]))) return true;
      return children(expr).some((child) => neverCompletes(child, noReturn, exit));
    }
    default:
      // Every other kind evaluates all of its children, in order, unconditionally.
      return children(expr).some((child) => neverCompletes(child, noReturn, exit));
  }
}

function isNonzeroConstant(expr: number | undefined): boolean {
  if (expr === undefined || binaryen.getExpressionId(expr) !== binaryen.ConstId) return false;
  return (binaryen.getExpressionInfo(expr) as binaryen.ConstInfo).value !== 0;
}
