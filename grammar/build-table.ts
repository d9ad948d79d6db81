/**
 * `table` CST → `TableRule`: sources, filter, group-by items, select items told apart into
 * aggregates and expressions over aggregates, ordering and limit.
 *
 * Contract: a select item that is one aggregate call (`aggregateCall` in `select-expr.ts`) is an
 * `Aggregate`; anything else is a `Column` (an expression over aggregates, by-columns and
 * constants, which the checker enforces). An aggregate name called with two or more arguments
 * (`p99(a, b)`; `min`/`max` with two or more are the scalar built-ins) is VGL108, wherever it
 * sits in the item. `per NAME` is kept on the item; the checker says whether it fits. A `by`
 * item that is not a plain name needs `as NAME` (VGL104). An `order by` item is a column name
 * or an aggregate call, stored as its column name (`columnName`), so `order by share(duration)`
 * orders by `share_duration`.
 */
import type { IToken } from "chevrotain";
import type { AggFn, Expr, Ident, OrderItem, SelectItem, TableRule } from "./ast.js";
import { type BuildContext, ident, idents, need, nodeSpan, tokenSpan } from "./build-context.js";
import { buildExpr } from "./build-expr.js";
import { columnName } from "./column-name.js";
import type { ByItemCstNode, OrderItemCstNode, SelItemCstNode, TableCstNode } from "./cst.js";
import { error } from "./diagnostic.js";
import { intValue } from "./literals.js";
import { aggregateCall, isMisusedAggregate } from "./select-expr.js";
import { walkExpr } from "./walk-expr.js";

/** Builds a table declaration. */
export function buildTable(ctx: BuildContext, node: TableCstNode): TableRule {
  const c = node.children;
  const limitTok = c.limit?.[0];
  return {
    kind: "Table",
    name: ident(ctx, need(c.name, "table name")),
    sources: idents(ctx, c.source),
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
export function asAggregate(ctx: BuildContext, e: Expr, alias: string | null, per: Ident | null = null): SelectItem | null {
  if (isMisusedAggregate(e) && e.kind === "Call") {
    ctx.diagnostics.push(error("VGL108", `aggregate \`${e.callee}\` takes one argument, not ${e.args.length}`, e.span));
    return { kind: "Aggregate", fn: e.callee as AggFn, arg: e.args[0] ?? null, per, alias, span: e.span };
  }
  const a = aggregateCall(e);
  return a === null ? null : { kind: "Aggregate", fn: a.fn, arg: a.arg, per, alias, span: e.span };
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
  const perTok = node.children.per?.[0];
  const per = perTok === undefined ? null : ident(ctx, perTok);
  const span = nodeSpan(ctx, node);
  const agg = asAggregate(ctx, value, alias, per);
  if (agg !== null) return { ...agg, span };
  walkExpr(value, (x) => {
    if (isMisusedAggregate(x) && x.kind === "Call") {
      ctx.diagnostics.push(error("VGL108", `aggregate \`${x.callee}\` takes one argument, not ${x.args.length}`, x.span));
    }
  });
  return { kind: "Column", value, per, alias, span };
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
