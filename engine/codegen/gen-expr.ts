/**
 * Expressions → JavaScript expressions. Runs once at compile time; the output reads the
 * current event's fields as `f.<name>`, context through `cx`, kept fields through the
 * instance `i`, row fields through `r` and step captures through `b[slot]`.
 */
import type { Expr } from "../../grammar/ast.js";
import type { CheckedUnit } from "../check/index.js";
import { evalConst, NotConstant } from "../check/const-eval.js";
import { resolveName, type Scope } from "../check/scope.js";
import { calledMacro, expandMacroCall } from "../check/macro-call.js";
import { globToRegExp, norm } from "../runtime/builtins.js";
import { printExpr } from "../../grammar/print-expr.js";
import { ConstPool, intLiteral, prop } from "./code-builder.js";
import type { CseScope } from "./cse.js";

export interface ExprEnv {
  unit: CheckedUnit;
  pool: ConstPool;
  scope: Scope;
  /** Machine index by name (`M3`). */
  machineIndex: Map<string, number>;
  /** Slot in `b` for `label.prop`, allocated on demand (sequences only). */
  slot?: (labelIndex: number, property: string) => number;
  /** Macro expansion stack (the checker already rejected recursion). */
  macros?: string[];
  /**
   * Code for leaves that are not values of the current event or row — a table's aggregates
   * and by-columns in a select expression — or undefined to generate `e` as usual.
   */
  leaf?: (e: Expr) => string | undefined;
  /** Set where repeated macros, lookups and calls may be computed once per call (cse.ts). */
  cse?: CseScope;
}

const CMP = new Set(["==", "!=", "<", "<=", ">", ">="]);
const ARITH: Record<string, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod" };
const BITS: Record<string, string> = { "&": "band", "|": "bor", "^": "bxor", "<<": "shl", ">>": "shr" };

/** A JS expression producing a boolean. */
export function genCond(e: Expr, env: ExprEnv): string {
  if (isBoolean(e, env)) return genExpr(e, env);
  return `B.truthy(${genExpr(e, env)})`;
}

/** A JS expression producing the value. */
export function genExpr(e: Expr, env: ExprEnv): string {
  if (env.leaf !== undefined) {
    const code = env.leaf(e);
    if (code !== undefined) return code;
  }
  const g = (x: Expr) => genExpr(x, env);
  switch (e.kind) {
    case "Int": return intLiteral(e.value);
    case "Duration": return intLiteral(e.ns);
    case "Size": return intLiteral(e.bytes);
    case "Float": return Number.isFinite(e.value) ? `(${e.value})` : "null";
    case "Str": return env.pool.ref(e.value);
    case "Bool": return e.value ? "true" : "false";
    case "Null": return "null";
    case "Paren": return `(${g(e.inner)})`;
    case "Context": return genContext(e.name);
    case "Exists": return `(${prop("f", e.field, env.pool)} !== undefined)`;
    case "Name": return genName(e, env);
    case "Member": return genMember(e, env);
    case "Index": {
      if (e.object.kind === "Name" && env.unit.maps.has(e.object.name)) {
        const map = env.unit.maps.get(e.object.name)!;
        // Maps are fixed at compile time; an empty one (`vm_names` without --vm-name) is null.
        if (map.size === 0) return "null";
        return memo(env, e, `B.lookup(${env.pool.ref(map)}, ${g(e.index)})`);
      }
      return "null";
    }
    case "Call": return genCall(e, env);
    case "Unary":
      if (e.op === "!") return `!${genCond(e.operand, env)}`;
      if (e.op === "-" && e.operand.kind === "Int") return intLiteral(-e.operand.value);
      if (e.op === "-" && e.operand.kind === "Duration") return intLiteral(-e.operand.ns);
      if (e.op === "-" && e.operand.kind === "Float") return `(${-e.operand.value})`;
      if (e.op === "-") return `B.neg(${g(e.operand)})`;
      return `B.bnot(${g(e.operand)})`;
    case "In": return genIn(e, env);
    case "Binary": {
      if (e.op === "&&" || e.op === "||") return `(${genCond(e.left, env)} ${e.op} ${genCond(e.right, env)})`;
      if (CMP.has(e.op)) {
        const op = e.op === "==" ? "==" : e.op === "!=" ? "!=" : e.op;
        return `(${g(e.left)} ${op} ${g(e.right)})`;
      }
      const a = ARITH[e.op];
      if (a) {
        // Both sides certainly JS numbers: the operator itself (division only by a nonzero
        // literal, since x / 0 is null in the language).
        if (isNumber(e.left, env) && isNumber(e.right, env) && (e.op === "+" || e.op === "-" || e.op === "*" || nonZeroLiteral(e.right))) {
          return `(${g(e.left)} ${e.op} ${g(e.right)})`;
        }
        return `B.${a}(${g(e.left)}, ${g(e.right)})`;
      }
      const b = BITS[e.op];
      if (b) return `B.${b}(${g(e.left)}, ${g(e.right)})`;
      if (e.op === "glob" || e.op === "regex") {
        if (e.right.kind === "Str") {
          const re = e.op === "glob" ? globToRegExp(e.right.value) : new RegExp(e.right.value);
          return `B.test(${env.pool.ref(re)}, ${g(e.left)})`;
        }
        return e.op === "glob" ? `B.globDynamic(${g(e.left)}, ${g(e.right)})` : `B.regexDynamic(${g(e.left)}, ${g(e.right)})`;
      }
      return `B.${e.op}(${g(e.left)}, ${g(e.right)})`;
    }
  }
}

// --- internal ---

/** Largest integer (exclusive) a list may hold to be tested through a bitmap. */
const SMALL_SET_LIMIT = 4096;

function _bitmap(values: readonly number[]): Uint8Array {
  const bits = new Uint8Array(Math.max(...values) + 1);
  for (const v of values) bits[v] = 1;
  return bits;
}

/** `code` for `e`, memoised when the function has a CSE scope and `e` repeats in it. */
function memo(env: ExprEnv, e: Expr, code: string): string {
  return env.cse === undefined ? code : env.cse.use(`expr ${printExpr(e)}`, code);
}

function isBoolean(e: Expr, env: ExprEnv): boolean {
  switch (e.kind) {
    case "Bool": case "Exists": case "In": return true;
    case "Paren": return isBoolean(e.inner, env);
    case "Name": {
      const b = resolveName(e.name, env.scope, env.unit.symbols, env.unit.catalog);
      return b.kind === "macro" && !(env.macros ?? []).includes(e.name) && isBoolean(b.decl.body, { ...env, macros: [...(env.macros ?? []), e.name] });
    }
    case "Unary": return e.op === "!";
    case "Binary": return e.op === "&&" || e.op === "||" || CMP.has(e.op) || ["contains", "startswith", "endswith", "glob", "regex"].includes(e.op);
    case "Call": {
      const macro = calledMacro(e.callee, env.unit.symbols);
      return macro !== undefined && macro.params.length === e.args.length && !(env.macros ?? []).includes(e.callee)
        && isBoolean(expandMacroCall(macro, e.args), { ...env, macros: [...(env.macros ?? []), e.callee] });
    }
    default: return false;
  }
}

/**
 * Calls. `cond` and `coalesce` become JS operators: they evaluate only the branch they return
 * (the builtins would evaluate every argument, and the pack's table rows are mostly such
 * branches); `tuple` joins inline, without the rest-parameter array.
 */
function genCall(e: Extract<Expr, { kind: "Call" }>, env: ExprEnv): string {
  const macro = calledMacro(e.callee, env.unit.symbols);
  if (macro !== undefined) {
    const stack = env.macros ?? [];
    if (stack.includes(e.callee) || macro.params.length !== e.args.length) return "null";
    const code = `(${genExpr(expandMacroCall(macro, e.args), { ...env, macros: [...stack, e.callee] })})`;
    return env.cse === undefined ? code : env.cse.use(`macro ${printExpr(e)}`, code);
  }
  const args = e.args.map((x) => genExpr(x, env));
  if (e.callee === "cond" && e.args.length === 3) return `(${genCond(e.args[0]!, env)} ? ${args[1]} : ${args[2]})`;
  if (e.callee === "coalesce" && args.length > 0) return `(${args.map((a) => `(${a})`).join(" ?? ")} ?? null)`;
  if (e.callee === "tuple" && args.length > 0) return memo(env, e, `(${args.map((a) => `B.show(${a})`).join(' + ":" + ')})`);
  return memo(env, e, `B.fn_${e.callee}(${args.join(", ")})`);
}

/** Row fields every machine interval and segment row holds as plain numbers. */
const NUMERIC_ROW_FIELDS = new Set(["start", "end", "duration"]);

/**
 * True when `e` certainly evaluates to a JS number (never null, a bigint, a string or a
 * boolean), so arithmetic on it can skip the builtins' type dispatch.
 */
export function isNumber(e: Expr, env: ExprEnv): boolean {
  // Select expressions over aggregates (a `leaf` hook) run once per row of output: no fast path.
  if (env.leaf !== undefined) return false;
  switch (e.kind) {
    case "Int": return e.value >= -MAX_SAFE && e.value <= MAX_SAFE;
    case "Duration": return e.ns >= -MAX_SAFE && e.ns <= MAX_SAFE;
    case "Size": return e.bytes <= MAX_SAFE;
    case "Float": return Number.isFinite(e.value);
    case "Paren": return isNumber(e.inner, env);
    case "Context": return e.name === "ts" || e.name === "cpu";
    case "Unary": return e.op === "-" && isNumber(e.operand, env);
    case "Call": {
      const macro = calledMacro(e.callee, env.unit.symbols);
      if (macro !== undefined) {
        return macro.params.length === e.args.length && !(env.macros ?? []).includes(e.callee)
          && isNumber(expandMacroCall(macro, e.args), { ...env, macros: [...(env.macros ?? []), e.callee] });
      }
      return e.callee === "cond" && e.args.length === 3 && isNumber(e.args[1]!, env) && isNumber(e.args[2]!, env);
    }
    case "Binary":
      if (e.op === "+" || e.op === "-" || e.op === "*") return isNumber(e.left, env) && isNumber(e.right, env);
      if (e.op === "/" || e.op === "%") return isNumber(e.left, env) && nonZeroLiteral(e.right);
      return false;
    case "Name": {
      const b = resolveName(e.name, env.scope, env.unit.symbols, env.unit.catalog);
      // (a declared row schema only: alert records, `row: null`, may hold anything)
      if (b.kind === "row") return NUMERIC_ROW_FIELDS.has(b.name) && env.scope.row instanceof Set;
      if (b.kind === "const" && !env.unit.overrides.has(e.name)) {
        try {
          const v = evalConst(b.decl.value, env.unit.symbols, env.unit.overrides);
          return (typeof v === "number" && Number.isFinite(v)) || (typeof v === "bigint" && v >= -MAX_SAFE && v <= MAX_SAFE);
        } catch {
          return false;
        }
      }
      if (b.kind === "macro" && !(env.macros ?? []).includes(e.name)) return isNumber(b.decl.body, { ...env, macros: [...(env.macros ?? []), e.name] });
      return false;
    }
    default: return false;
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function nonZeroLiteral(e: Expr): boolean {
  if (e.kind === "Paren") return nonZeroLiteral(e.inner);
  if (e.kind === "Int") return e.value !== 0n && e.value >= -MAX_SAFE && e.value <= MAX_SAFE;
  if (e.kind === "Duration") return e.ns !== 0n && e.ns >= -MAX_SAFE && e.ns <= MAX_SAFE;
  if (e.kind === "Float") return e.value !== 0 && Number.isFinite(e.value);
  return false;
}

function genContext(name: string): string {
  switch (name) {
    case "tid": return "(cx.tid >= 0 ? cx.tid : null)";
    case "pid": return "(cx.pid >= 0 ? cx.pid : null)";
    case "ppid": return "(cx.ppid >= 0 ? cx.ppid : null)";
    case "comm": return '(cx.comm !== "" ? cx.comm : null)';
    case "cpu": return "ev.cpu";
    case "host": return "H[ev.host]";
    case "ts": return "ev.ts";
    case "name": return "ev.name";
    default: return "null";
  }
}

function genName(e: Extract<Expr, { kind: "Name" }>, env: ExprEnv): string {
  const b = resolveName(e.name, env.scope, env.unit.symbols, env.unit.catalog);
  switch (b.kind) {
    case "kept": return prop("i", "k_" + b.name, env.pool);
    case "row": return prop("r", b.name, env.pool);
    case "eventField": return prop("f", b.name, env.pool);
    case "const": return constValue(b.decl.name.name, b.decl.value, env);
    case "macro": {
      const stack = env.macros ?? [];
      if (stack.includes(e.name)) return "null";
      return env.cse === undefined ? `(${genExpr(b.decl.body, { ...env, macros: [...stack, e.name] })})`
        : env.cse.use(`macro ${e.name}`, `(${genExpr(b.decl.body, { ...env, macros: [...stack, e.name] })})`);
    }
    default: return "undefined";
  }
}

function constValue(name: string, value: Expr, env: ExprEnv): string {
  const o = env.unit.overrides.get(name);
  try {
    const v = evalConst(o ?? value, env.unit.symbols, env.unit.overrides);
    if (typeof v === "bigint") return intLiteral(v);
    if (typeof v === "number") return Number.isFinite(v) ? `(${v})` : "null";
    if (typeof v === "string") return env.pool.ref(v);
    if (typeof v === "boolean") return String(v);
    return "null";
  } catch (err) {
    if (err instanceof NotConstant) return `(${genExpr(o ?? value, env)})`;
    throw err;
  }
}

function genMember(e: Extract<Expr, { kind: "Member" }>, env: ExprEnv): string {
  const obj = e.object;
  if (obj.kind === "Index" && obj.object.kind === "Name") {
    const m = env.machineIndex.get(obj.object.name);
    if (m === undefined) return "null";
    const key = `B.key(${genExpr(obj.index, env)})`;
    const read = e.property === "state" ? `M${m}.spec.states[t.state]`
      : e.property === "since" ? "t.since"
      : e.property === "key" ? "t.key"
      : prop("t", "k_" + e.property, env.pool);
    // (the instance is what repeats: `m[k].a` and `m[k].b` share one lookup)
    const instance = env.cse === undefined ? `M${m}.map.get(${key})` : env.cse.use(`instance M${m}[${printExpr(obj.index)}]`, `M${m}.map.get(${key})`);
    return `((t = ${instance}) === undefined ? null : ${read})`;
  }
  if (obj.kind === "Name" && env.slot) {
    const b = resolveName(obj.name, env.scope, env.unit.symbols, env.unit.catalog);
    if (b.kind === "label") return `b[${env.slot(b.index, e.property)}]`;
  }
  return "null";
}

function genIn(e: Extract<Expr, { kind: "In" }>, env: ExprEnv): string {
  if (!Array.isArray(e.list) && env.unit.maps.has(e.list.listName)) {
    const map = env.unit.maps.get(e.list.listName)!;
    const test = map.size === 0 ? "false" : `B.inMap(${env.pool.ref(map)}, ${genExpr(e.operand, env)})`;
    return e.negated ? `!${test}` : test;
  }
  const items = Array.isArray(e.list) ? e.list : env.unit.symbols.lists.get(e.list.listName)?.items ?? [];
  const values: unknown[] = [];
  let constant = true;
  for (const it of items) {
    try {
      const v = evalConst(it, env.unit.symbols, env.unit.overrides);
      values.push(typeof v === "bigint" ? norm(v) : v);
    } catch {
      constant = false;
      break;
    }
  }
  const operand = genExpr(e.operand, env);
  // small non-negative integers (exit reasons, vectors): a bitmap instead of a hashed Set
  const small = constant && values.length > 0 && values.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v < SMALL_SET_LIMIT);
  const test = small
    ? `B.inBits(${env.pool.ref(_bitmap(values as number[]))}, ${operand})`
    : constant
    ? `B.inSet(${env.pool.ref(new Set(values))}, ${operand})`
    : `B.contains([${items.map((x) => genExpr(x, env)).join(", ")}], ${operand})`;
  return e.negated ? `!${test}` : test;
}
