/**
 * LAMI table classes (the `--metadata` phase) from compiled rules: one class per `table` rule,
 * its columns typed from the rule itself, so a consumer knows every column before any run.
 *
 * Contract: columns come in the order the runtime writes them (`by` columns, then the selected
 * ones that are not `by` columns), titled with the same names. Classes are LAMI 1.0's (not the
 * pre-1.0 `int`/`float`) and follow what each value is:
 * - `count` → `number` (unit: the rows counted); `rate` → `number` per second;
 * - `share(...)` → `ratio`;
 * - `min`/`max`/`avg`/`first`/`last`/percentiles of `start`, `end` or `$ts` → `timestamp`;
 * - other aggregates of `duration` or of a name ending in `_ns` → `duration`; of bytes
 *   (`size`, `len`, `bytes`, `*_bytes`) → `size`; else `number`;
 * - values naming a CPU (`$cpu`, `cpu`, `cpu_id`) → `cpu`; a thread or process (`$tid`, `tid`,
 *   `*_tid`, `$pid`, `pid`, `*_pid`) → `process`; text (`$comm`, `*_comm`, `$name`, `$host`,
 *   string literals) → `string`; `$ts` → `timestamp`;
 * - an expression over aggregates → `number`;
 * - anything else → `mixed` (each cell then says its own class: number, string or bool).
 */
import type { Expr, TableRule } from "../../grammar/ast.js";
import { selectColumnName } from "../../grammar/print-expr.js";
import { selectAggregates } from "../../grammar/select-expr.js";
import type { CheckedUnit } from "../check/index.js";
import type { RulePlan } from "../plan/plan-rules.js";

/** The LAMI 1.0 column classes Vigil writes. */
export type LamiColumnClass = "string" | "number" | "bool" | "ratio" | "timestamp" | "duration" | "size" | "cpu" | "process" | "mixed";

/** A column description; `process` columns say which id their values are. */
export interface LamiColumn {
  title: string;
  class: LamiColumnClass;
  unit?: string;
  /** For `process` columns: the values are thread ids or process ids. */
  processId?: "tid" | "pid";
}

/** A table class: its title and columns. */
export interface LamiTableClass {
  title: string;
  columns: LamiColumn[];
}

/** Table classes of every `table` rule of a compiled unit, keyed by the table's output name. */
export function lamiTableClasses(unit: CheckedUnit, plans: readonly RulePlan[]): Record<string, LamiTableClass> {
  const out: Record<string, LamiTableClass> = {};
  for (const p of plans) {
    if (p.rule.kind !== "Table") continue;
    const t = p.rule;
    const kinds = new Set(t.sources.map((s) => (unit.symbols.machines.has(s.name) ? "intervals" : unit.symbols.sequences.has(s.name) ? "segments" : "events")));
    const counted = kinds.size === 1 ? [...kinds][0]! : "rows";
    out[p.outName] = { title: `${p.outName} (from ${t.sources.map((s) => s.name).join(", ")})`, columns: _columns(t, counted) };
  }
  return out;
}

// --- internal ---

function _columns(t: TableRule, counted: string): LamiColumn[] {
  // The same names gen-table gives the runtime's columns.
  const groupNames = t.by.map((b, i) => b.alias ?? (b.value.kind === "Name" ? b.value.name : `by${i}`));
  const cols: LamiColumn[] = t.by.map((b, i) => _valueColumn(groupNames[i]!, b.value));
  for (const item of t.select) {
    const name = selectColumnName(item);
    if (item.kind === "Column") {
      // an expression over aggregates (`stddev(d) / avg(d) * 100`) is a number per group
      if (!groupNames.includes(name)) cols.push(selectAggregates(item.value).length > 0 ? { title: name, class: "number" } : _valueColumn(name, item.value));
      continue;
    }
    switch (item.fn) {
      case "count":
        cols.push({ title: name, class: "number", unit: counted });
        break;
      case "share":
        cols.push({ title: name, class: "ratio" });
        break;
      case "rate":
        cols.push({ title: name, class: "number", unit: item.arg === null ? `${counted}/s` : "per second" });
        break;
      default: {
        const arg = item.arg?.kind === "Name" ? item.arg.name : item.arg?.kind === "Context" ? `$${item.arg.name}` : "";
        if (/^(start|end|\$ts)$/.test(arg) && item.fn !== "sum" && item.fn !== "stddev") cols.push({ title: name, class: "timestamp" });
        else if (arg === "duration" || name.endsWith("_ns") || arg.endsWith("_ns")) cols.push({ title: name, class: "duration" });
        else if (/^(size|len|bytes)$|_bytes$/.test(arg) || name.endsWith("_bytes")) cols.push({ title: name, class: "size" });
        else cols.push({ title: name, class: "number" });
      }
    }
  }
  return cols;
}

/** A column holding an expression's value, typed by what the expression or its name says. */
function _valueColumn(title: string, e: Expr): LamiColumn {
  const ctx = e.kind === "Context" ? e.name : null;
  // The column's name or the field it reads: `by on_cpu as cpu` and `by cpu_id` are CPUs alike.
  const says = (re: RegExp) => re.test(title) || (e.kind === "Name" && re.test(e.name));
  if (ctx === "cpu" || says(/^(cpu|cpu_id)$/)) return { title, class: "cpu" };
  if (ctx === "tid" || says(/^(tid|\w+_tid)$/)) return { title, class: "process", processId: "tid" };
  if (ctx === "pid" || says(/^(pid|\w+_pid)$/)) return { title, class: "process", processId: "pid" };
  if (ctx === "comm" || ctx === "name" || ctx === "host" || says(/^(comm|\w+_comm|procname)$/) || e.kind === "Str") return { title, class: "string" };
  if (ctx === "ts") return { title, class: "timestamp" };
  return { title, class: "mixed" };
}
