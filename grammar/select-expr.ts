/**
 * Which parts of a `select` expression are aggregates, so the builder, the checker and the code
 * generator all read `stddev(d) / sqrt(count) * 100` the same way.
 *
 * Contract: `aggregateCall(e)` is non-null exactly when `e` is a bare `count` or `rate`, or a
 * call of an aggregate function (`count sum min max avg stddev p5..p999 share rate first last`)
 * with at most one argument — `min(a, b)` and `max(a, b)` (two or more arguments) are the scalar
 * built-ins. `selectAggregates(e)` lists the aggregate calls of `e` outermost first, without
 * looking inside an aggregate's argument (a nested aggregate is the checker's error to report).
 */
import type { AggFn, Expr } from "./ast.js";
import { walkExpr } from "./walk-expr.js";

/** Every aggregate function name. */
export const AGG_FNS: ReadonlySet<string> = new Set<AggFn>([
  "count", "sum", "min", "max", "avg", "stddev", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "p999", "share", "rate", "first", "last",
]);

/** Aggregates written as a bare name: `count`, `rate`. */
export const BARE_AGGS: ReadonlySet<string> = new Set<AggFn>(["count", "rate"]);

/** Aggregate names that are also scalar built-ins when called with two or more arguments. */
const SCALAR_TWINS: ReadonlySet<string> = new Set(["min", "max"]);

/** An aggregate call found in an expression: the node, its function and its argument. */
export interface AggregateCall {
  node: Expr;
  fn: AggFn;
  arg: Expr | null;
}

/** The aggregate `e` is, or null (see the module contract). */
export function aggregateCall(e: Expr): AggregateCall | null {
  if (e.kind === "Name" && BARE_AGGS.has(e.name)) return { node: e, fn: e.name as AggFn, arg: null };
  if (e.kind !== "Call" || !AGG_FNS.has(e.callee)) return null;
  if (e.args.length > 1) return null;
  return { node: e, fn: e.callee as AggFn, arg: e.args[0] ?? null };
}

/** True for `p99(a, b)`: an aggregate name called with too many arguments (not `min`/`max`). */
export function isMisusedAggregate(e: Expr): boolean {
  return e.kind === "Call" && AGG_FNS.has(e.callee) && e.args.length > 1 && !SCALAR_TWINS.has(e.callee);
}

/** The aggregate calls of a select expression, outermost first, not inside aggregate arguments. */
export function selectAggregates(e: Expr): AggregateCall[] {
  const out: AggregateCall[] = [];
  _collect(e, out);
  return out;
}

// --- internal ---

function _collect(e: Expr, out: AggregateCall[]): void {
  walkExpr(e, (x) => {
    const a = aggregateCall(x);
    if (a === null) return true;
    out.push(a);
    return false; // not inside aggregate arguments
  });
}
