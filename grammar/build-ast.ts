/**
 * CST → AST for one declaration: dispatches on the declaration kind and builds the simple
 * ones here (pack, use, event, const, list, macro, map); rules live in build-machine.ts,
 * build-sequence.ts, build-table.ts and build-alert.ts.
 *
 * Contract: returns a well-formed `Decl` with accurate spans (1-based, `endCol` exclusive,
 * `file` set) or throws `Incomplete` when error recovery left the CST partial (the syntax
 * error is already reported; the caller drops the declaration). Semantic slips found while
 * building (VGL103–VGL107) go to `ctx.diagnostics`.
 */
import type { Decl, Expr } from "./ast.js";
import { buildAlert } from "./build-alert.js";
import { aliasTarget, type BuildContext, Incomplete, ident, need, nodeSpan, tokenSpan } from "./build-context.js";
import { error } from "./diagnostic.js";
import { buildExpr, stringValue } from "./build-expr.js";
import { buildLink } from "./build-link.js";
import { buildMachine } from "./build-machine.js";
import { buildSequence } from "./build-sequence.js";
import { buildTable } from "./build-table.js";
import type { DeclCstNode, DottedCstNode } from "./cst.js";

export { columnName } from "./column-name.js";

/** Builds the AST of one `decl` CST node. */
export function buildDecl(ctx: BuildContext, node: DeclCstNode): Decl {
  const c = node.children;
  if (c.packDecl) {
    const n = need(c.packDecl, "pack");
    const doc = n.children.StringLit?.[0];
    const name = _dotted(ctx, need(n.children.dotted, "pack name"));
    return { kind: "Pack", name, doc: doc === undefined ? null : stringValue(ctx, doc), span: nodeSpan(ctx, n) };
  }
  if (c.useDecl) {
    const n = need(c.useDecl, "use");
    const path = n.children.StringLit?.[0];
    const target = path !== undefined ? { path: stringValue(ctx, path) } : { pack: _dotted(ctx, need(n.children.dotted, "use target")).name };
    return { kind: "Use", target, span: nodeSpan(ctx, n) };
  }
  if (c.eventAlias) {
    const n = need(c.eventAlias, "event");
    if (n.children.targets === undefined) throw new Incomplete("alias events");
    return { kind: "EventAlias", name: ident(ctx, need(n.children.name, "alias name")), events: (n.children.targets ?? []).map((t) => aliasTarget(ctx, t)), span: nodeSpan(ctx, n) };
  }
  if (c.constDecl) {
    const n = need(c.constDecl, "const");
    return { kind: "Const", name: ident(ctx, need(n.children.name, "const name")), value: buildExpr(ctx, need(n.children.expr, "const value")), span: nodeSpan(ctx, n) };
  }
  if (c.listDecl) {
    const n = need(c.listDecl, "list");
    const items: Expr[] = (n.children.expr ?? []).map((e) => buildExpr(ctx, e));
    if (items.length === 0) throw new Incomplete("list items");
    return { kind: "List", name: ident(ctx, need(n.children.name, "list name")), items, span: nodeSpan(ctx, n) };
  }
  if (c.mapDecl) {
    const n = need(c.mapDecl, "map");
    const name = ident(ctx, need(n.children.name, "map name"));
    const path = n.children.path?.[0];
    if (path !== undefined) {
      const kw = need(n.children.keyWord, "`key`");
      const vw = need(n.children.valueWord, "`value`");
      if (kw.image !== "key" || vw.image !== "value") {
        ctx.diagnostics.push(error("VGL111", "expected `key COLUMN value COLUMN` after the map's file", tokenSpan(ctx, kw.image !== "key" ? kw : vw)));
        throw new Incomplete("map columns");
      }
      const keyColumn = need(n.children.keyColumn, "key column").image;
      const valueColumn = need(n.children.valueColumn, "value column").image;
      return { kind: "Map", name, entries: null, source: { path: stringValue(ctx, path), keyColumn, valueColumn, span: tokenSpan(ctx, path) }, span: nodeSpan(ctx, n) };
    }
    const entries = (n.children.mapEntry ?? []).map((e) => ({ key: buildExpr(ctx, need(e.children.key, "map key")), value: buildExpr(ctx, need(e.children.value, "map value")) }));
    return { kind: "Map", name, entries, source: null, span: nodeSpan(ctx, n) };
  }
  if (c.macroDecl) {
    const n = need(c.macroDecl, "macro");
    const params = (n.children.param ?? []).map((t) => ({ name: t.image, span: tokenSpan(ctx, t) }));
    return { kind: "Macro", name: ident(ctx, need(n.children.name, "macro name")), params, body: buildExpr(ctx, need(n.children.expr, "macro body")), span: nodeSpan(ctx, n) };
  }
  if (c.machine) return buildMachine(ctx, need(c.machine, "machine"));
  if (c.sequence) return buildSequence(ctx, need(c.sequence, "sequence"));
  if (c.table) return buildTable(ctx, need(c.table, "table"));
  if (c.alert) return buildAlert(ctx, need(c.alert, "alert"));
  if (c.link) return buildLink(ctx, need(c.link, "link"));
  throw new Incomplete("declaration");
}

// --- internal ---

/** `kvm.vcpu` as one Ident spanning the whole dotted name. */
function _dotted(ctx: BuildContext, node: DottedCstNode): ReturnType<typeof ident> {
  const parts = node.children.Identifier ?? [];
  if (parts.length === 0) throw new Incomplete("dotted name");
  return { name: parts.map((p) => p.image).join("."), span: nodeSpan(ctx, node) };
}
