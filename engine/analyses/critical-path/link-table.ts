/**
 * Links with their ends as worker ids, in typed arrays (a trace has hundreds of thousands of
 * wakeups: one object each would be garbage for the collector to trace through).
 */
import type { FieldValue } from "../../model/event.js";
import type { LinkRecord } from "../../runtime/result.js";

export class LinkTable {
  readonly from: Int32Array;
  readonly fromTs: Float64Array;
  readonly to: Int32Array;
  readonly toTs: Float64Array;
  readonly length: number;

  /** The links of `records` whose both ends are workers (`wid` ≥ 0), in their order. */
  constructor(records: LinkRecord[], wid: (k: FieldValue) => number) {
    const n = records.length;
    this.from = new Int32Array(n);
    this.fromTs = new Float64Array(n);
    this.to = new Int32Array(n);
    this.toTs = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const l = records[i]!;
      const a = wid(l.from);
      const b = wid(l.to);
      if (a < 0 || b < 0) continue;
      this.from[k] = a;
      this.fromTs[k] = l.from_ts;
      this.to[k] = b;
      this.toTs[k] = l.to_ts;
      k++;
    }
    this.length = k;
  }

  /** Several link sets as one table. */
  static of(result: { links: Record<string, LinkRecord[]> }, sets: readonly string[], wid: (k: FieldValue) => number): LinkTable {
    const records = sets.length === 1 ? result.links[sets[0]!] ?? [] : sets.flatMap((s) => result.links[s] ?? []);
    return new LinkTable(records, wid);
  }
}
