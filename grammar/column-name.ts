/**
 * The default output column names of a table, shared by the front end (`order by` targets)
 * and the engine (result headers), so both always agree.
 *
 * Contract: the alias when given; a bare aggregate by its function (`count`, `rate`); an
 * aggregate with an argument as `fn_<arg>` where `<arg>` is the argument's source text (as
 * `printExpr` spells it) with every run of characters outside [A-Za-z0-9_] replaced by `_`
 * and the ends trimmed (`share(duration)` → `share_duration`, `p99(x.duration)` →
 * `p99_x_duration`); a plain name by itself; any other expression by the same slug of its text.
 */
import type { SelectItem, TableRule } from "./ast.js";
import { printExpr } from "./print-expr.js";

/** A `by` item of a table. */
export type ByItem = TableRule["by"][number];

/** The output column name of a `select` or `by` item (see the module contract). */
export function columnName(item: SelectItem | ByItem): string {
  if (item.alias !== null && item.alias !== "") return item.alias;
  if ("kind" in item && item.kind === "Aggregate") {
    return item.arg === null ? item.fn : `${item.fn}_${slug(printExpr(item.arg))}`;
  }
  return item.value.kind === "Name" ? item.value.name : slug(printExpr(item.value));
}

/** `x.duration` → `x_duration`: runs of non-word characters become `_`, ends trimmed. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
}
