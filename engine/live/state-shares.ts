/**
 * Recent time shares of machine states, per machine and key, for the live view: every closed
 * interval adds its duration to the current bucket; buckets turn over every `windowNs` of trace
 * time, and shares cover the previous bucket plus the current one (a sliding window between one
 * and two windows long).
 *
 * Contract: `add` is O(1) and allocates only for a key or state never seen in the window;
 * keys silent for two windows are forgotten at turnover, so memory follows the live keys.
 */
import type { FieldValue } from "../model/event.js";

type Bucket = Map<FieldValue, Map<string, number>>;

export class StateShares {
  private cur: Bucket[] = [];
  private prev: Bucket[] = [];
  private bucketEnd = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowNs = 10_000_000_000) {}

  /** One closed interval of machine `m`. */
  add(m: number, key: FieldValue, state: string, start: number, end: number): void {
    if (end > this.bucketEnd) this.turn(end);
    const b = (this.cur[m] ??= new Map());
    let s = b.get(key);
    if (s === undefined) b.set(key, (s = new Map()));
    s.set(state, (s.get(state) ?? 0) + (end - start));
  }

  /** ns per state of one key over the window (closed intervals only). */
  of(m: number, key: FieldValue): Map<string, number> {
    const out = new Map<string, number>();
    for (const b of [this.prev[m], this.cur[m]]) {
      const s = b?.get(key);
      if (s) for (const [st, ns] of s) out.set(st, (out.get(st) ?? 0) + ns);
    }
    return out;
  }

  /** Keys with intervals in the window. */
  keys(m: number): FieldValue[] {
    const ks = new Set<FieldValue>();
    for (const b of [this.prev[m], this.cur[m]]) if (b) for (const k of b.keys()) ks.add(k);
    return [...ks];
  }

  // --- internal ---

  private turn(t: number): void {
    if (this.bucketEnd === Number.NEGATIVE_INFINITY) {
      this.bucketEnd = t + this.windowNs;
      return;
    }
    // A jump of more than a window empties both buckets.
    this.prev = t > this.bucketEnd + this.windowNs ? [] : this.cur;
    this.cur = [];
    this.bucketEnd = t + this.windowNs;
  }
}
