/** CST → AST for `link NAME on EVENTS [where C] from EXPR to EXPR [at EXPR]`. */
import type { LinkRule } from "./ast.js";
import { type BuildContext, eventList, ident, need, nodeSpan } from "./build-context.js";
import { buildExpr } from "./build-expr.js";
import type { LinkCstNode } from "./cst.js";

export function buildLink(ctx: BuildContext, node: LinkCstNode): LinkRule {
  const c = node.children;
  return {
    kind: "Link",
    name: ident(ctx, need(c.name, "link name")),
    events: eventList(ctx, need(c.events, "events")),
    where: c.where ? buildExpr(ctx, need(c.where, "where")) : null,
    from: buildExpr(ctx, need(c.from, "link source")),
    to: buildExpr(ctx, need(c.to, "link target")),
    at: c.at ? buildExpr(ctx, need(c.at, "link time")) : null,
    span: nodeSpan(ctx, node),
  };
}
