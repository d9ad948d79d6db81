/**
 * Expressions back to canonical source text: for explain output, default column names
 * (`p99(duration)` → `p99_duration`) and messages. Canonical, not byte-identical to the input.
 */
import type { Expr, SelectItem } from "./ast.js";

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "Int": return e.text;
    case "Float": return String(e.value);
    case "Duration": case "Size": return e.text;
    case "Str": return JSON.stringify(e.value);
    case "Bool": return String(e.value);
    case "Null": return "null";
    case "Name": return e.name;
    case "Context": return "$" + e.name;
    case "Member": return `${printExpr(e.object)}.${e.property}`;
    case "Index": return `${printExpr(e.object)}[${printExpr(e.index)}]`;
    case "Call": return `${e.callee}(${e.args.map(printExpr).join(", ")})`;
    case "Unary": return `${e.op}${printExpr(e.operand)}`;
    case "Binary": return `${printExpr(e.left)} ${e.op} ${printExpr(e.right)}`;
    case "In": {
      const list = Array.isArray(e.list) ? `(${e.list.map(printExpr).join(", ")})` : e.list.listName;
      return `${printExpr(e.operand)} ${e.negated ? "not in" : "in"} ${list}`;
    }
    case "Exists": return `exists ${e.field}`;
    case "Paren": return `(${printExpr(e.inner)})`;
  }
}

/** The output column name of a select item: its alias, else a name derived from its text. */
export function selectColumnName(item: SelectItem): string {
  if (item.alias) return item.alias;
  if (item.kind === "Column") return item.value.kind === "Name" ? item.value.name : slug(printExpr(item.value));
  if (item.arg === null) return item.fn;
  return `${item.fn}_${slug(printExpr(item.arg))}`;
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
}
