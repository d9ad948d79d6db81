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

/**
 * A machine instance as the tally sees it: its key, the index of the state its closing
 * interval was in, and `tallied`, bits the tally owns (0 on a new instance).
 */
export interface TalliedInstance {
  key: StateInterval["key"];
  state: number;
  tallied: number;
}

/** Bit of `tallied` meaning "counted among the machine's instances". */
const SEEN = 1 << 30;

/** A machine's summary built one interval at a time. */
export class StateTally {
  private readonly byState = new Map<string, _StateTotals>();
  /** Totals by state index, for `addInstance`. */
  private readonly byIndex: Array<_StateTotals | undefined> = [];
  private readonly allKeys = new _KeySet();
  private intervals = 0;
  private totalNs = 0;

  add(key: StateInterval["key"], state: string, ns: number): void {
    const s = this.totals(state);
    s.intervals++;
    s.totalNs += ns;
    s.keys.add(key);
    this.allKeys.add(key);
    this.intervals++;
    this.totalNs += ns;
  }

  /**
   * `add` for a live instance: its key joins a state's key set the first time this instance
   * closes an interval in that state (bits in `tallied`), not at every interval — the set
   * still decides for an instance made again with a key seen before.
   */
  addInstance(instance: TalliedInstance, state: string, ns: number): void {
    const index = instance.state;
    const s = this.byIndex[index] ??= this.totals(state);
    s.intervals++;
    s.totalNs += ns;
    this.intervals++;
    this.totalNs += ns;
    const bit = index < 30 ? 1 << index : 0;
    if (bit === 0 || (instance.tallied & bit) === 0) {
      instance.tallied |= bit;
      s.keys.add(instance.key);
    }
    if ((instance.tallied & SEEN) === 0) {
      instance.tallied |= SEEN;
      this.allKeys.add(instance.key);
    }
  }

  private totals(state: string): _StateTotals {
    let s = this.byState.get(state);
    if (s === undefined) this.byState.set(state, (s = { keys: new _KeySet(), intervals: 0, totalNs: 0 }));
    return s;
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

interface _StateTotals {
  keys: _KeySet;
  intervals: number;
  totalNs: number;
}

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
