/**
 * The denominators of `share`: for each partition of a table's groups — the whole table, or
 * the groups sharing the values of some by-columns (`share(x) per vm`) — the row count and the
 * Σx of every moment slot over the groups of that part.
 *
 * Contract: partition 0 is always the whole table (no by-column). `shareTotals(groups, ...)`
 * returns, for each group in order, one totals array per partition, laid out as
 * `[Σcount, Σ(slot 0's Σx), Σ(slot 1's Σx), ...]`; groups of one part share one array. Totals
 * cover every group handed in (callers pass all groups, before any `limit`).
 */
import type { FieldValue } from "../../model/event.js";
import type { TableGroup } from "./column-plan.js";
import { GroupIndex } from "./group-index.js";
import { MOMENT_STRIDE, momentSum } from "./moments.js";

/** Registers `per` (by-column indices) as a partition; returns its index (0: the whole table). */
export function partitionIndex(partitions: number[][], per: readonly number[]): number {
  if (partitions.length === 0) partitions.push([]);
  const key = per.join(",");
  const found = partitions.findIndex((p) => p.join(",") === key);
  if (found >= 0) return found;
  partitions.push([...per]);
  return partitions.length - 1;
}

/** Totals per group and partition (see the module contract). */
export function shareTotals(groups: readonly TableGroup[], partitions: readonly number[][], momentSlots: number): Float64Array[][] {
  const width = 1 + momentSlots;
  const out: Float64Array[][] = groups.map(() => new Array<Float64Array>(partitions.length));
  partitions.forEach((per, p) => {
    const index = new GroupIndex<Float64Array>(per.length);
    const key: FieldValue[] = new Array<FieldValue>(per.length);
    groups.forEach((g, i) => {
      for (let k = 0; k < per.length; k++) key[k] = g.values[per[k]!]!;
      let totals = index.find(key);
      if (totals === undefined) {
        totals = new Float64Array(width);
        index.insert(key, totals);
      }
      totals[0] += g.count;
      for (let s = 0; s < momentSlots; s++) totals[1 + s] += momentSum(g.acc, s * MOMENT_STRIDE);
      out[i]![p] = totals;
    });
  });
  return out;
}
