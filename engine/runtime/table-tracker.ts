/**
 * The runtime of `table NAME from SOURCE [where C] by F1, F2 select AGGS [order by ...] [limit N]`.
 *
 * Contract: generated code calls `update` once per source row that passed `where`, with the
 * by-values and the aggregate inputs in reused scratch arrays; `finish` returns the
 * `TableResult` (rows in `columns` order, ordered, limited). `finish` does not reset anything,
 * so a live run can call it for interim reports and keep updating.
 *
 * Aggregates (each `agg` column reads `values[arg]`; `arg` -1 means "no argument"):
 * - `count`: rows of the group; `count(x)` (arg ≥ 0) counts rows whose x is a finite number.
 * - `sum min max avg stddev first last`: over the finite values of x; NaN (how generated code
 *   passes null), ±Infinity and null are skipped. Empty → null, except `sum` → 0.
 *   `stddev` is the sample standard deviation (n−1; null below 2 values) — see `moments.ts`.
 *   `first`/`last`: the value at the smallest/largest ts (ties: earliest/latest arrival).
 * - `p50 p90 p95 p99`: exact nearest-rank percentiles up to 65,536 values per group, then a
 *   DDSketch with 1% relative error; a note in `TableResult.notes` names the table and column.
 * - `share`: 100·count/Σcount over all groups (arg -1, the language's `share(count)`), or
 *   100·Σx/ΣΣx (arg ≥ 0). Totals cover every group, before `limit`. Zero total → null.
 *   With `per` (by-column indices, the language's `share(x) per vm`): the totals are over the
 *   groups with the same values in those by-columns, so the shares of each part sum to 100.
 * - `rate`: count (arg -1) or Σx (arg ≥ 0) per second of trace time, (lastTs−firstTs)/1e9;
 *   0 when the span is 0.
 * - `expr` columns: `eval(row)` over the group's other cells (by-values and aggregates, hidden
 *   ones included), computed after them, when the table is read (`finish`, also for live
 *   snapshots); NaN, ±Infinity and undefined results are null.
 * `hidden` columns are computed (as inputs of `expr` columns) but not output nor orderable.
 * No value is rounded here; formatters round for display.
 *
 * Ordering: by the `order` columns (a column name, or a by-column name that is not selected),
 * numbers numerically, strings by code unit, nulls last in either direction; then by group
 * values ascending, which is a total order (see `compare-values.ts`), so output is
 * deterministic. Without `order`: by group values ascending. `limit` applies after ordering.
 *
 * A table without by-columns has one group and always yields one row (count 0 when empty),
 * as SQL's aggregate without GROUP BY does.
 */
import type { AggFn } from "../../grammar/ast.js";
import type { FieldValue } from "../model/event.js";
import { compareFieldValues, compareGroupValues } from "./aggregates/compare-values.js";
import { GroupIndex } from "./aggregates/group-index.js";
import { type ColumnPlan, type OrderPlan, type TableGroup, columnValue, isHidden, planColumn, planOrder } from "./aggregates/column-plan.js";
import { MOMENT_STRIDE, NEED_ALL, momentNeeds, newMoments } from "./aggregates/moments.js";
import { compileUpdate, type TableUpdate } from "./aggregates/update-fn.js";
import { EXACT_QUANTILE_LIMIT, QuantileStore, SKETCH_RELATIVE_ACCURACY } from "./aggregates/quantile-store.js";
import { shareTotals } from "./aggregates/share-totals.js";
import type { TableResult } from "./result.js";

/** One output column: a by-column (`index` into the group values) or an aggregate. */
export type TableColumnSpec =
  | { name: string; kind: "group"; index: number }
  | {
      name: string;
      kind: "agg";
      fn: AggFn;
      /** index into `values`, -1 for none */
      arg: number;
      /** `share` only: by-column indices whose values delimit the share's part (default: none, the whole table). */
      per?: number[];
      hidden?: boolean;
    }
  | {
      name: string;
      kind: "expr";
      /** The cell from the row's other cells, by column index (generated from the rule). */
      eval: (row: readonly FieldValue[]) => FieldValue;
      hidden?: boolean;
    };

/** What the planner hands the runtime for one `table` rule. */
export interface TableSpec {
  name: string;
  /** Names of the by-columns, in order. */
  groupColumns: string[];
  columns: TableColumnSpec[];
  order: Array<{ column: string; desc: boolean }>;
  limit: number | null;
}

/** Tuning knobs; the defaults are what the language promises. */
export interface TableTrackerOptions {
  /** Exact values kept per group before the sketch (default 65,536; tests lower it). */
  exactQuantileLimit?: number;
}

/** Aggregates the rows of one table rule by group; see the file header for every aggregate's contract. */
export class TableTracker {
  readonly spec: TableSpec;
  private readonly width: number;
  private readonly index: GroupIndex<TableGroup>;
  private readonly groups: TableGroup[] = [];
  /** `values` index read by each moment slot. */
  private readonly momentArgs: Int32Array;
  /** `values` index read by each quantile slot. */
  private readonly quantileArgs: Int32Array;
  private readonly plans: ColumnPlan[];
  /** Column indices computed before expression columns, then the expression columns. */
  private readonly evalOrder: number[];
  /** Output column indices, or null when every column is output. */
  private readonly visible: number[] | null;
  /** By-column index lists delimiting share parts; 0 is the whole table. */
  private readonly partitions: number[][] = [[]];
  private readonly orderPlans: OrderPlan[];
  private readonly quantileLimit: number;

  /** Validates the spec; throws an Error naming the table and the bad column. */
  constructor(spec: TableSpec, options: TableTrackerOptions = {}) {
    this.spec = spec;
    this.width = spec.groupColumns.length;
    this.index = new GroupIndex<TableGroup>(this.width);
    this.quantileLimit = options.exactQuantileLimit ?? EXACT_QUANTILE_LIMIT;
    const momentSlots = new Map<number, number>();
    const quantileSlots = new Map<number, number>();
    this.plans = spec.columns.map((c) => planColumn(spec, c, momentSlots, quantileSlots, this.partitions));
    const isExpr = spec.columns.map((c) => c.kind === "expr");
    this.evalOrder = [...spec.columns.keys()].sort((a, b) => Number(isExpr[a]) - Number(isExpr[b]));
    const visible = [...spec.columns.keys()].filter((i) => !isHidden(spec.columns[i]!));
    this.visible = visible.length === spec.columns.length ? null : visible;
    this.momentArgs = Int32Array.from(momentSlots.keys());
    this.quantileArgs = Int32Array.from(quantileSlots.keys());
    this.orderPlans = spec.order.map((o) => planOrder(spec, o));
    const needs = _slotNeeds(this.plans, this.momentArgs.length);
    const index = this.index;
    const groupOf = (group: FieldValue[]): TableGroup => index.find(group) ?? this._newGroup(group);
    this.update = compileUpdate(groupOf, this.momentArgs, needs, this.quantileArgs);
    if (spec.limit !== null && !(Number.isInteger(spec.limit) && spec.limit >= 0)) {
      throw new Error(`Table ${spec.name}: limit must be a non-negative integer, got ${spec.limit}`);
    }
  }

  /** Number of groups seen so far. */
  get groupCount(): number {
    return this.groups.length;
  }

  /**
   * One input row. `group` (the by-values) and `values` (aggregate inputs) are reused scratch
   * arrays: they are read during the call and copied only when a group is first seen.
   * Generated per table in the constructor (see `update-fn.ts`).
   */
  readonly update: TableUpdate;

  /** The table over everything seen so far; `firstTs`/`lastTs` bound the run (for `rate`). */
  finish(firstTs: number, lastTs: number): TableResult {
    const spanSeconds = (lastTs - firstTs) / 1e9;
    const groups = this.groups.length === 0 && this.width === 0 ? [this._emptyGroup([])] : this.groups;
    const totals = shareTotals(groups, this.partitions, this.momentArgs.length);
    const entries: _Entry[] = groups.map((g, i) => ({ group: g.values, row: this._row(g, totals[i]!, spanSeconds) }));
    entries.sort((a, b) => this._compareEntries(a, b));
    const limited = this.spec.limit === null ? entries : entries.slice(0, this.spec.limit);
    const visible = this.visible;
    return {
      columns: (visible === null ? this.spec.columns : visible.map((i) => this.spec.columns[i]!)).map((c) => c.name),
      rows: limited.map((e) => (visible === null ? e.row : visible.map((i) => e.row[i]!))),
      notes: this._sketchNotes(groups),
    };
  }

  private _newGroup(values: FieldValue[]): TableGroup {
    const g = this._emptyGroup(_copyValues(values, this.width));
    this.index.insert(g.values, g);
    this.groups.push(g);
    return g;
  }

  private _emptyGroup(values: FieldValue[]): TableGroup {
    const nq = this.quantileArgs.length;
    const quantiles = nq === 0 ? null : Array.from({ length: nq }, () => new QuantileStore(this.quantileLimit));
    return { values, count: 0, acc: newMoments(this.momentArgs.length), quantiles };
  }

  /** One group's cells: aggregates and by-values first, then expression columns over them. */
  private _row(g: TableGroup, totals: readonly Float64Array[], spanSeconds: number): FieldValue[] {
    const row = new Array<FieldValue>(this.plans.length).fill(null);
    for (const i of this.evalOrder) row[i] = columnValue(this.plans[i]!, g, totals, spanSeconds, row);
    return row;
  }

  private _compareEntries(a: _Entry, b: _Entry): number {
    for (const o of this.orderPlans) {
      const va = o.fromRow ? a.row[o.index] : a.group[o.index];
      const vb = o.fromRow ? b.row[o.index] : b.group[o.index];
      // Nulls (undefined aggregates) go last whatever the direction: they are not "smallest".
      if (va === null || vb === null) {
        if (va === vb) continue;
        return va === null ? 1 : -1;
      }
      const c = compareFieldValues(va, vb);
      if (c !== 0) return o.desc ? -c : c;
    }
    return compareGroupValues(a.group, b.group);
  }

  private _sketchNotes(groups: TableGroup[]): string[] {
    const notes: string[] = [];
    this.plans.forEach((p, i) => {
      if (p.kind !== "quantile") return;
      const sketched = groups.filter((g) => g.quantiles?.[p.slot].isSketch).length;
      if (sketched === 0) return;
      notes.push(
        `table ${this.spec.name}: column ${this.spec.columns[i].name} is estimated by a sketch ` +
          `(${SKETCH_RELATIVE_ACCURACY * 100}% relative error) in ${sketched} of ${groups.length} ` +
          `group(s), which had more than ${this.quantileLimit} values`,
      );
    });
    return notes;
  }
}

// --- internal ---

interface _Entry {
  group: FieldValue[];
  row: FieldValue[];
}

/** Copies the scratch by-values, deeply for arrays (readers may reuse array fields too). */
function _copyValues(values: FieldValue[], width: number): FieldValue[] {
  const out = new Array<FieldValue>(width);
  for (let i = 0; i < width; i++) out[i] = _copyValue(values[i]);
  return out;
}

function _copyValue(v: FieldValue): FieldValue {
  return Array.isArray(v) ? v.map(_copyValue) : v;
}

/** What each moment slot's readers need (moments.ts bits); a column kind not known here reads them all. */
function _slotNeeds(plans: readonly ColumnPlan[], slots: number): Uint8Array {
  const out = new Uint8Array(slots);
  for (const p of plans) {
    switch (p.kind) {
      case "group": case "count": case "countArg": case "quantile": case "share": case "rate": case "expr": break;
      case "moment": out[p.base / MOMENT_STRIDE] |= momentNeeds(p.fn); break;
      default: out.fill(NEED_ALL);
    }
  }
  return out;
}
