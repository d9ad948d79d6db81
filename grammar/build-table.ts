/**
 * `table` CST → `TableRule`: source, filter, group-by items, select items told apart into
 * aggregates and columns, ordering and limit.
 *
 * Contract: in `select`, a bare `count` or `rate`, and `count|sum|min|max|avg|stddev|p50|p90|
 * p95|p99|share|rate|first|last` applied to at most one argument, are `Aggregate`s; anything
 * else is a `Column`. A `by` item that is not a plain name needs `as NAME` (VGL104). An
 * `order by` item is a column name or an aggregate call, stored as its column name
 * (`columnName`), so `order by share(duration)` orders by `share_duration`.
 */
import type { IToken } from "chevrotain";
import type { AggFn, Expr, OrderItem, SelectItem, TableRule } from "./ast.js";
import { type BuildContext, ident, need, nodeSpan, tokenSpan } from "./build-context.js";
import { buildExpr } from "./build-expr.js";
import { columnName } from "./column-name.js";
import type { ByItemCstNode, OrderItemCstNode, SelItemCstNode, TableCstNode } from "./cst.js";
import { error } from "./diagnostic.js";
import { intValue } from "./literals.js";

const AGG_FNS: ReadonlySet<string> = new Set<AggFn>([
  "count", "sum", "min", "max", "avg", "stddev", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "p999", "share", "rate", "first", "last",
]);
const BARE_AGGS: ReadonlySet<string> = new Set<AggFn>(["count", "rate"]);

/** Builds a table declaration. */
export function buildTable(ctx: BuildContext, node: TableCstNode): TableRule {
  const c = node.children;
  const limitTok = c.limit?.[0];
  return {
    kind: "Table",
    name: ident(ctx, need(c.name, "table name")),
    source: ident(ctx, need(c.source, "table source")),
    split: c.split ? buildExpr(ctx, need(c.split, "split")) : null,
    where: c.where ? buildExpr(ctx, need(c.where, "where")) : null,
    by: (c.byItem ?? []).map((b) => _by(ctx, b)),
    select: (c.selItem ?? []).map((s) => _select(ctx, s)),
    order: (c.orderItem ?? []).map((o) => _order(ctx, o)),
    limit: limitTok === undefined ? null : _limit(ctx, limitTok),
    span: nodeSpan(ctx, node),
  };
}

/** `count`, `rate`, or `fn(arg?)` with an aggregate function name → the aggregate, else null. */
export function asAggregate(ctx: BuildContext, e: Expr, alias: string | null): SelectItem | null {
  if (e.kind === "Name" && BARE_AGGS.has(e.name)) return { kind: "Aggregate", fn: e.name as AggFn, arg: null, alias, span: e.span };
  if (e.kind !== "Call" || !AGG_FNS.has(e.callee)) return null;
  if (e.args.length > 1) {
    ctx.diagnostics.push(error("VGL108", `aggregate \`${e.callee}\` takes one argument, not ${e.args.length}`, e.span));
  }
  return { kind: "Aggregate", fn: e.callee as AggFn, arg: e.args[0] ?? null, alias, span: e.span };
}

// --- internal ---

function _by(ctx: BuildContext, node: ByItemCstNode): TableRule["by"][number] {
  const value = buildExpr(ctx, need(node.children.expr, "by value"));
  const alias = node.children.alias?.[0]?.image ?? null;
  if (alias === null && value.kind !== "Name") {
    ctx.diagnostics.push(error("VGL104", "a `by` item that is not a plain name needs a column name", value.span, "add `as NAME`"));
  }
  return { value, alias, span: nodeSpan(ctx, node) };
}

function _select(ctx: BuildContext, node: SelItemCstNode): SelectItem {
  const value = buildExpr(ctx, need(node.children.expr, "select value"));
  const alias = node.children.alias?.[0]?.image ?? null;
  const span = nodeSpan(ctx, node);
  const agg = asAggregate(ctx, value, alias);
  if (agg !== null) return { ...agg, span };
  return { kind: "Column", value, alias, span };
}

function _order(ctx: BuildContext, node: OrderItemCstNode): OrderItem {
  const value = buildExpr(ctx, need(node.children.expr, "order value"));
  const span = nodeSpan(ctx, node);
  const desc = node.children.Desc !== undefined;
  if (value.kind === "Name") return { column: value.name, desc, span };
  const agg = asAggregate(ctx, value, null);
  if (agg === null) {
    ctx.diagnostics.push(error("VGL102", "expected a column name or an aggregate in `order by`", value.span, "order by a selected column, e.g. `order by count desc`"));
  }
  return { column: agg === null ? "?" : columnName(agg), desc, span };
}

function _limit(ctx: BuildContext, tok: IToken): number {
  const v = intValue(tok.image);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) ctx.diagnostics.push(error("VGL108", `limit ${tok.image} is too large`, tokenSpan(ctx, tok)));
  return Number(v);
}
