/**
 * A relative-error quantile sketch with logarithmic buckets (the DDSketch scheme: Masson,
 * Rim and Lee, VLDB 2019), used when a group has too many values to keep exactly.
 *
 * Contract: for any percentile, `quantile(p)` returns a value within `relativeAccuracy`
 * (default 1%) of the exact nearest-rank percentile of the values added, provided that value
 * is 0 or has magnitude ≥ `MIN_INDEXABLE` (1e-9); smaller magnitudes are counted as zero
 * (absolute error below 1e-9, far under one nanosecond). Negative values and zeros are
 * supported. Memory is one counter per occupied bucket range: values from 1 ns to 10^6 s need
 * about 1,750 buckets at 1%.
 *
 * Bucket k holds values in (γ^(k-1), γ^k] with γ = (1+α)/(1-α); its representative value
 * 2γ^k/(γ+1) is within α of every value in it.
 */

/** Values with |v| below this are counted in the zero bucket. */
export const MIN_INDEXABLE = 1e-9;

export class QuantileSketch {
  /** Relative accuracy α the sketch guarantees. */
  readonly relativeAccuracy: number;
  private readonly gamma: number;
  private readonly logGamma: number;
  private readonly invLogGamma: number;
  private readonly positives = new _DenseCounts();
  private readonly negatives = new _DenseCounts();
  private zeros = 0;
  /** Number of values added. */
  count = 0;
  /** Exact extremes, used to clamp estimates at the ends. */
  min = Infinity;
  max = -Infinity;

  constructor(relativeAccuracy = 0.01) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new RangeError(`QuantileSketch: relative accuracy must be in (0, 1), got ${relativeAccuracy}`);
    }
    this.relativeAccuracy = relativeAccuracy;
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
    this.invLogGamma = 1 / this.logGamma;
  }

  /** Adds one finite value (the caller filters NaN and infinities). */
  add(v: number): void {
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v >= MIN_INDEXABLE) this.positives.increment(Math.ceil(Math.log(v) * this.invLogGamma));
    else if (v <= -MIN_INDEXABLE) this.negatives.increment(Math.ceil(Math.log(-v) * this.invLogGamma));
    else this.zeros++;
  }

  /**
   * Nearest-rank percentile estimate: the representative of the bucket holding the value of
   * rank ⌈p·n/100⌉ (1-based) in ascending order. NaN when the sketch is empty.
   * @param percent 0..100
   */
  quantile(percent: number): number {
    const n = this.count;
    if (n === 0) return NaN;
    const rank = Math.min(n, Math.max(1, Math.ceil((percent * n) / 100)));
    // The extreme ranks are the exact min and max, which the sketch tracks.
    if (rank === 1) return this.min;
    if (rank === n) return this.max;
    let seen = 0;
    // Ascending order: most negative first, i.e. the negative buckets from the largest key down.
    const neg = this.negatives;
    for (let k = neg.maxKey; neg.total > 0 && k >= neg.minKey; k--) {
      seen += neg.get(k);
      if (seen >= rank) return this._clamp(-this._representative(k));
    }
    seen += this.zeros;
    if (seen >= rank) return this._clamp(0);
    const pos = this.positives;
    for (let k = pos.minKey; k <= pos.maxKey; k++) {
      seen += pos.get(k);
      if (seen >= rank) return this._clamp(this._representative(k));
    }
    return this.max; // unreachable when counts are consistent; keeps the result defined
  }

  private _representative(key: number): number {
    return (2 * Math.exp(key * this.logGamma)) / (this.gamma + 1);
  }

  /** The exact min and max bound every estimate: it can only get closer to the truth. */
  private _clamp(v: number): number {
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }
}

// --- internal ---

/** Counts per integer bucket key in one contiguous array that grows at either end. */
class _DenseCounts {
  private counts = new Float64Array(0);
  /** Bucket key of counts[0]. */
  private offset = 0;
  minKey = Infinity;
  maxKey = -Infinity;
  total = 0;

  increment(key: number): void {
    if (key < this.minKey || key > this.maxKey) this._extend(key);
    this.counts[key - this.offset]++;
    this.total++;
  }

  get(key: number): number {
    return this.counts[key - this.offset];
  }

  private _extend(key: number): void {
    const lo = Math.min(key, this.minKey);
    const hi = Math.max(key, this.maxKey);
    const cap = this.counts.length;
    if (lo < this.offset || hi >= this.offset + cap) {
      // Grow to at least double with slack on both sides, so a drifting range stays amortised O(1).
      const need = hi - lo + 1;
      const size = Math.max(need * 2, cap * 2, 64);
      const offset = lo - Math.floor((size - need) / 2);
      const next = new Float64Array(size);
      if (this.total > 0) {
        // Copy only the occupied keys: the old array's slack may lie outside the new one.
        const from = this.minKey - this.offset;
        next.set(this.counts.subarray(from, this.maxKey - this.offset + 1), this.minKey - offset);
      }
      this.counts = next;
      this.offset = offset;
    }
    this.minKey = lo;
    this.maxKey = hi;
  }
}
