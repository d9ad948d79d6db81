/**
 * Turns a `TableSpec` into per-column plans once, so `finish` evaluates each cell with a
 * switch on a small tag instead of re-reading the spec; and holds a group's state shape.
 *
 * Contract: `planColumn` assigns one moment slot per distinct argument index and one quantile
 * slot per distinct percentile argument, so `min(d)`, `avg(d)` and `p99(d)` share storage —
 * whether they are output columns or hidden inputs of an expression column. A `share ... per`
 * column gets the index of its partition (`share-totals.ts`). Expression columns are computed
 * by `columnValue` from the row's other cells, after them.
 */
import type { AggFn } from "../../../grammar/ast.js";
import type { FieldValue } from "../../model/event.js";
import type { TableColumnSpec, TableSpec } from "../table-tracker.js";
import { MOMENT_STRIDE, momentCount, momentSum, momentValue } from "./moments.js";
import type { QuantileStore } from "./quantile-store.js";
import { partitionIndex } from "./share-totals.js";

/** One group's state: its by-values and accumulators. */
export interface TableGroup {
  /** Owned copy of the by-values. */
  values: FieldValue[];
  count: number;
  acc: Float64Array;
  quantiles: QuantileStore[] | null;
}

/** How one output column is computed from a group, resolved once per table. */
export type ColumnPlan =
  | { kind: "group"; index: number }
  | { kind: "count" }
  | { kind: "moment"; fn: AggFn; base: number }
  | { kind: "countArg"; base: number }
  | { kind: "quantile"; percent: number; slot: number }
  | { kind: "share"; base: number /* -1: share of count */; totalIndex: number; partition: number }
  | { kind: "rate"; base: number /* -1: rate of rows */ }
  | { kind: "expr"; eval: (row: readonly FieldValue[]) => FieldValue };

/** `fromRow`: index into the output row; else into the group values. */
export interface OrderPlan {
  fromRow: boolean;
  index: number;
  desc: boolean;
}

/** Resolves one column to its accumulator slot; throws an Error naming the table and column. */
export function planColumn(
  spec: TableSpec,
  c: TableColumnSpec,
  momentSlots: Map<number, number>,
  quantileSlots: Map<number, number>,
  partitions: number[][],
): ColumnPlan {
  if (c.kind === "expr") return { kind: "expr", eval: c.eval };
  if (c.kind === "group") {
    if (!(Number.isInteger(c.index) && c.index >= 0 && c.index < spec.groupColumns.length)) {
      throw new Error(`Table ${spec.name}: column ${c.name} refers to by-column ${c.index}, but the table has ${spec.groupColumns.length}`);
    }
    return { kind: "group", index: c.index };
  }
  const { fn, arg } = c;
  if (!Number.isInteger(arg) || arg < -1) throw new Error(`Table ${spec.name}: column ${c.name} has a bad argument index ${arg}`);
  const hasArg = arg >= 0;
  if (fn === "count") return hasArg ? { kind: "countArg", base: _slot(momentSlots, arg) * MOMENT_STRIDE } : { kind: "count" };
  if (fn === "share") {
    const per = c.per ?? [];
    for (const k of per) {
      if (!(Number.isInteger(k) && k >= 0 && k < spec.groupColumns.length)) {
        throw new Error(`Table ${spec.name}: column ${c.name} is a share per by-column ${k}, but the table has ${spec.groupColumns.length}`);
      }
    }
    const partition = partitionIndex(partitions, per);
    if (!hasArg) return { kind: "share", base: -1, totalIndex: 0, partition };
    const slot = _slot(momentSlots, arg);
    return { kind: "share", base: slot * MOMENT_STRIDE, totalIndex: 1 + slot, partition };
  }
  if (c.per !== undefined && c.per.length > 0) throw new Error(`Table ${spec.name}: column ${c.name}: only a share is taken per by-column, not ${fn}`);
  if (fn === "rate") return { kind: "rate", base: hasArg ? _slot(momentSlots, arg) * MOMENT_STRIDE : -1 };
  if (!hasArg) throw new Error(`Table ${spec.name}: column ${c.name}: ${fn} needs an argument (a value to aggregate)`);
  const percent = PERCENTS[fn];
  if (percent !== undefined) return { kind: "quantile", percent, slot: _slot(quantileSlots, arg) };
  return { kind: "moment", fn, base: _slot(momentSlots, arg) * MOMENT_STRIDE };
}

/** Resolves one `order by` item to a visible row column or a by-column; throws when unknown. */
export function planOrder(spec: TableSpec, o: { column: string; desc: boolean }): OrderPlan {
  const col = spec.columns.findIndex((c) => c.name === o.column && !isHidden(c));
  if (col >= 0) return { fromRow: true, index: col, desc: o.desc };
  const by = spec.groupColumns.indexOf(o.column);
  if (by >= 0) return { fromRow: false, index: by, desc: o.desc };
  const known = [...new Set([...spec.columns.filter((c) => !isHidden(c)).map((c) => c.name), ...spec.groupColumns])].join(", ");
  throw new Error(`Table ${spec.name}: cannot order by unknown column \`${o.column}\`; columns are: ${known}`);
}

/** True for a column computed only as an input of expression columns. */
export function isHidden(c: TableColumnSpec): boolean {
  return c.kind !== "group" && c.hidden === true;
}

/**
 * The output value of one column for one group (see the tracker's contract for each aggregate).
 * `totals` holds the group's share totals per partition; `row` the group's cells computed so
 * far (an expression column reads the cells before it).
 */
export function columnValue(p: ColumnPlan, g: TableGroup, totals: readonly Float64Array[], spanSeconds: number, row: readonly FieldValue[]): FieldValue {
  switch (p.kind) {
    case "expr": {
      const v = p.eval(row);
      // NaN and ±Infinity are not values: an undefined result is null, as for aggregates.
      return v === undefined || (typeof v === "number" && v - v !== 0) ? null : v;
    }
    case "group":
      return g.values[p.index];
    case "count":
      return g.count;
    case "countArg":
      return momentCount(g.acc, p.base);
    case "moment":
      return momentValue(p.fn, g.acc, p.base);
    case "quantile": {
      const q = (g.quantiles as QuantileStore[])[p.slot].quantile(p.percent);
      return Number.isNaN(q) ? null : q;
    }
    case "share": {
      const total = totals[p.partition]![p.totalIndex]!;
      const part = p.base < 0 ? g.count : momentSum(g.acc, p.base);
      return total !== 0 ? (part / total) * 100 : null;
    }
    case "rate": {
      const amount = p.base < 0 ? g.count : momentSum(g.acc, p.base);
      return spanSeconds > 0 ? amount / spanSeconds : 0;
    }
  }
}

// --- internal ---

const PERCENTS: Partial<Record<AggFn, number>> = { p5: 5, p10: 10, p25: 25, p50: 50, p75: 75, p90: 90, p95: 95, p99: 99, p999: 99.9 };

function _slot(slots: Map<number, number>, arg: number): number {
  let s = slots.get(arg);
  if (s === undefined) slots.set(arg, (s = slots.size));
  return s;
}
