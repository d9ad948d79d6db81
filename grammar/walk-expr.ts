/** Visits an expression and every sub-expression, depth first (parents before children). */
import type { Expr } from "./ast.js";

export function walkExpr(e: Expr, visit: (x: Expr) => void): void {
  visit(e);
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
