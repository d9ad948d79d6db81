/**
 * Summaries the terminal report prints instead of every interval and segment.
 *
 * Contract: `summarizeStates` gives, per state, the distinct instance keys that spent time in
 * it, its intervals, total ns and share of the machine's total interval time (percent; null
 * when the total is 0), ordered by total time descending then state name. Keys are compared
 * like table groups (`1`, `"1"` and `1n` are three instances). `summarizeSegments` gives
 * count, total, min, average and max of end − start.
 */
import type { Segment, StateInterval } from "../runtime/result.js";
import { GroupIndex } from "../runtime/aggregates/group-index.js";

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
  const byState = new Map<string, { keys: _KeySet; intervals: number; totalNs: number }>();
  const allKeys = new _KeySet();
  let totalNs = 0;
  for (const iv of intervals) {
    let s = byState.get(iv.state);
    if (s === undefined) byState.set(iv.state, (s = { keys: new _KeySet(), intervals: 0, totalNs: 0 }));
    const d = iv.end - iv.start;
    s.intervals++;
    s.totalNs += d;
    s.keys.add(iv.key);
    allKeys.add(iv.key);
    totalNs += d;
  }
  const rows = [...byState].map(([state, s]): StateSummaryRow => ({
    state,
    instances: s.keys.size,
    intervals: s.intervals,
    totalNs: s.totalNs,
    share: totalNs !== 0 ? (s.totalNs / totalNs) * 100 : null,
  }));
  rows.sort((a, b) => b.totalNs - a.totalNs || (a.state < b.state ? -1 : a.state > b.state ? 1 : 0));
  return { instances: allKeys.size, intervals: intervals.length, totalNs, rows };
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
  let totalNs = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of segments) {
    const d = s.end - s.start;
    totalNs += d;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  const n = segments.length;
  return { count: n, totalNs, minNs: n > 0 ? min : null, avgNs: n > 0 ? totalNs / n : null, maxNs: n > 0 ? max : null };
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
