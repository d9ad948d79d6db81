/**
 * The values of one group for one percentile argument: exact up to `EXACT_QUANTILE_LIMIT`
 * values, then a 1%-relative-error sketch.
 *
 * Contract: while `isSketch` is false, `quantile(p)` is the exact nearest-rank percentile —
 * the value of rank ⌈p·n/100⌉ (1-based) in ascending order, always one of the values added
 * (so integer nanoseconds stay integers; p50 of an even count is the lower middle value).
 * Once a group passes the limit, every value it ever had moves into a `QuantileSketch` and
 * `quantile` is within 1% of that exact value. Memory: 8 bytes per value up to the limit
 * (512 KiB), then the sketch's buckets (a few KiB).
 */
import { QuantileSketch } from "./quantile-sketch.js";

/** Values kept exactly per group and argument before switching to the sketch. */
export const EXACT_QUANTILE_LIMIT = 65536;

/** Relative accuracy of the sketch a group switches to. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

export class QuantileStore {
  private values: Float64Array | null;
  private n = 0;
  private sorted = true;
  private sketch: QuantileSketch | null = null;
  private readonly limit: number;

  /** @param limit exact-value capacity; tests lower it to exercise the switch cheaply. */
  constructor(limit = EXACT_QUANTILE_LIMIT) {
    this.limit = limit;
    this.values = new Float64Array(Math.min(16, limit));
  }

  /** True once this group's values live in the sketch. */
  get isSketch(): boolean {
    return this.sketch !== null;
  }

  /** Number of values added. */
  get count(): number {
    return this.sketch !== null ? this.sketch.count : this.n;
  }

  /** Adds one finite value (the caller filters NaN and infinities). */
  add(v: number): void {
    const sketch = this.sketch;
    if (sketch !== null) {
      sketch.add(v);
      return;
    }
    let values = this.values as Float64Array;
    if (this.n === values.length) {
      if (this.n >= this.limit) {
        this._toSketch().add(v);
        return;
      }
      const grown = new Float64Array(Math.min(this.limit, values.length * 2));
      grown.set(values);
      this.values = values = grown;
    }
    if (this.sorted && this.n > 0 && v < values[this.n - 1]) this.sorted = false;
    values[this.n++] = v;
  }

  /** Nearest-rank percentile (see the contract); NaN when no value was added. @param percent 0..100 */
  quantile(percent: number): number {
    if (this.sketch !== null) return this.sketch.quantile(percent);
    const n = this.n;
    if (n === 0) return NaN;
    const values = this.values as Float64Array;
    if (!this.sorted) {
      // Float64Array#sort is numeric; values are finite, so there is no NaN to misplace.
      values.subarray(0, n).sort();
      this.sorted = true;
    }
    // percent·n is an exact integer for integer percents, so the ceil sees no rounding error.
    const rank = Math.min(n, Math.max(1, Math.ceil((percent * n) / 100)));
    return values[rank - 1];
  }

  private _toSketch(): QuantileSketch {
    const sketch = new QuantileSketch(SKETCH_RELATIVE_ACCURACY);
    const values = this.values as Float64Array;
    for (let i = 0; i < this.n; i++) sketch.add(values[i]);
    this.sketch = sketch;
    this.values = null;
    this.n = 0;
    return sketch;
  }
}
