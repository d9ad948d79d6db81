/**
 * Summaries the terminal report prints instead of every interval and segment, computed from
 * the kept history or, without one, tallied as the intervals and segments close (so a run
 * without state history still reports them exactly, in memory bounded by the instances).
 *
 * Contract: `summarizeStates` gives, per state, the distinct instance keys that spent time in
 * it, its intervals, total ns and share of the machine's total interval time (percent; null
 * when the total is 0), ordered by total time descending then state name. Keys are compared
 * like table groups (`1`, `"1"` and `1n` are three instances). `summarizeSegments` gives
 * count, total, min, average and max of end − start.
 */
import type { Segment, StateInterval } from "./result.js";
import { GroupIndex } from "./aggregates/group-index.js";

/** One line of a machine summary. */
export interface StateSummaryRow {
  state: string;
  instances: number;
  intervals: number;
  totalNs: number;
  share: number | null;
}

/** A machine's summary. */
export interface StateSummary {
  instances: number;
  intervals: number;
  totalNs: number;
  rows: StateSummaryRow[];
}

/** Summarises one machine's intervals (see the contract). */
export function summarizeStates(intervals: readonly StateInterval[]): StateSummary {
  const t = new StateTally();
  for (const iv of intervals) t.add(iv.key, iv.state, iv.end - iv.start);
  return t.summary();
}

/** A machine's summary built one interval at a time. */
export class StateTally {
  private readonly byState = new Map<string, { keys: _KeySet; intervals: number; totalNs: number }>();
  private readonly allKeys = new _KeySet();
  private intervals = 0;
  private totalNs = 0;

  add(key: StateInterval["key"], state: string, ns: number): void {
    let s = this.byState.get(state);
    if (s === undefined) this.byState.set(state, (s = { keys: new _KeySet(), intervals: 0, totalNs: 0 }));
    s.intervals++;
    s.totalNs += ns;
    s.keys.add(key);
    this.allKeys.add(key);
    this.intervals++;
    this.totalNs += ns;
  }

  summary(): StateSummary {
    const totalNs = this.totalNs;
    const rows = [...this.byState].map(([state, s]): StateSummaryRow => ({
      state,
      instances: s.keys.size,
      intervals: s.intervals,
      totalNs: s.totalNs,
      share: totalNs !== 0 ? (s.totalNs / totalNs) * 100 : null,
    }));
    rows.sort((a, b) => b.totalNs - a.totalNs || (a.state < b.state ? -1 : a.state > b.state ? 1 : 0));
    return { instances: this.allKeys.size, intervals: this.intervals, totalNs, rows };
  }
}

/** A segment set's summary; min/avg/max are null when there is no segment. */
export interface SegmentSummary {
  count: number;
  totalNs: number;
  minNs: number | null;
  avgNs: number | null;
  maxNs: number | null;
}

/** Summarises one segment set (see the contract). */
export function summarizeSegments(segments: readonly Segment[]): SegmentSummary {
  const t = new SegmentTally();
  for (const seg of segments) t.add(seg.end - seg.start);
  return t.summary();
}

/** A segment set's summary built one segment at a time. */
export class SegmentTally {
  private count = 0;
  private totalNs = 0;
  private min = Infinity;
  private max = -Infinity;

  add(ns: number): void {
    this.count++;
    this.totalNs += ns;
    if (ns < this.min) this.min = ns;
    if (ns > this.max) this.max = ns;
  }

  summary(): SegmentSummary {
    const n = this.count;
    return { count: n, totalNs: this.totalNs, minNs: n > 0 ? this.min : null, avgNs: n > 0 ? this.totalNs / n : null, maxNs: n > 0 ? this.max : null };
  }
}

// --- internal ---

/** A set of instance keys with the table groups' notion of equality. */
class _KeySet {
  private readonly index = new GroupIndex<true>(1);
  private readonly scratch: StateInterval["key"][] = [null];
  size = 0;

  add(key: StateInterval["key"]): void {
    this.scratch[0] = key;
    if (this.index.find(this.scratch) === undefined) {
      this.index.insert(this.scratch, true);
      this.size++;
    }
  }
}
