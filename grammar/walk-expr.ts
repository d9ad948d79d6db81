/** Visits an expression and every sub-expression, depth first (parents before children). */
import type { Expr } from "./ast.js";

/** `visit` may return false to skip the sub-expressions of the one it was given. */
export function walkExpr(e: Expr, visit: (x: Expr) => void | boolean): void {
  if (visit(e) === false) return;
  switch (e.kind) {
    case "Paren": return walkExpr(e.inner, visit);
    case "Unary": return walkExpr(e.operand, visit);
    case "Binary": walkExpr(e.left, visit); return walkExpr(e.right, visit);
    case "Member": return walkExpr(e.object, visit);
    case "Index": walkExpr(e.object, visit); return walkExpr(e.index, visit);
    case "Call": for (const a of e.args) walkExpr(a, visit); return;
    case "In":
      walkExpr(e.operand, visit);
      if (Array.isArray(e.list)) for (const x of e.list) walkExpr(x, visit);
      return;
    default: return;
  }
}

/**
 * A copy of `e` with every sub-expression `replace` returns a value for swapped for that value
 * (not descended into); the rest rebuilt around the replacements. `e` itself is not changed.
 */
export function mapExpr(e: Expr, replace: (x: Expr) => Expr | undefined): Expr {
  const r = replace(e);
  if (r !== undefined) return r;
  const m = (x: Expr) => mapExpr(x, replace);
  switch (e.kind) {
    case "Paren": return { ...e, inner: m(e.inner) };
    case "Unary": return { ...e, operand: m(e.operand) };
    case "Binary": return { ...e, left: m(e.left), right: m(e.right) };
    case "Member": return { ...e, object: m(e.object) };
    case "Index": return { ...e, object: m(e.object), index: m(e.index) };
    case "Call": return { ...e, args: e.args.map(m) };
    case "In": return { ...e, operand: m(e.operand), list: Array.isArray(e.list) ? e.list.map(m) : e.list };
    default: return e;
  }
}
