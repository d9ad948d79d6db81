import { describe, expect, it } from "vitest";
import { MIN_INDEXABLE, QuantileSketch } from "../../../../engine/runtime/aggregates/quantile-sketch.js";
import { logNormal, nearestRank, seededRandom } from "./seeded-random.js";

const PERCENTS = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

function relErr(estimate: number, exact: number): number {
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / Math.abs(exact);
}

describe("QuantileSketch", () => {
  it("is within 1% of the exact nearest-rank percentile on 1M log-normal values", () => {
    const rand = seededRandom(42);
    const n = 1_000_000;
    const values = new Float64Array(n);
    const sketch = new QuantileSketch(0.01);
    for (let i = 0; i < n; i++) {
      // ~20 µs median with a heavy tail, as exit-handling latencies look.
      const v = Math.round(logNormal(rand, Math.log(20_000), 1.5));
      values[i] = v;
      sketch.add(v);
    }
    values.sort();
    for (const p of PERCENTS) {
      const exact = nearestRank(values, p);
      expect(relErr(sketch.quantile(p), exact), `p${p}: exact ${exact}`).toBeLessThanOrEqual(0.01 + 1e-12);
    }
    expect(sketch.count).toBe(n);
  });

  it("handles zeros and negatives in ascending order", () => {
    const rand = seededRandom(7);
    const values: number[] = [];
    const sketch = new QuantileSketch(0.01);
    for (let i = 0; i < 50_000; i++) {
      const r = rand();
      const v = r < 0.2 ? 0 : r < 0.5 ? -logNormal(rand, 3, 2) : logNormal(rand, 5, 1);
      values.push(v);
      sketch.add(v);
    }
    values.sort((a, b) => a - b);
    for (const p of PERCENTS) {
      const exact = nearestRank(values, p);
      expect(relErr(sketch.quantile(p), exact), `p${p}: exact ${exact}`).toBeLessThanOrEqual(0.01 + 1e-12);
    }
    // The 20% zeros sit between the 30% negatives and the 50% positives.
    expect(sketch.quantile(40)).toBe(0);
    expect(sketch.quantile(20)).toBeLessThan(0);
    expect(sketch.quantile(60)).toBeGreaterThan(0);
  });

  it("returns the exact extremes, counts tiny magnitudes as zero, and is NaN when empty", () => {
    const sketch = new QuantileSketch(0.01);
    expect(Number.isNaN(sketch.quantile(50))).toBe(true);
    for (const v of [1234, 5, 99_999, MIN_INDEXABLE / 10]) sketch.add(v);
    expect(sketch.quantile(0)).toBe(MIN_INDEXABLE / 10);
    expect(sketch.quantile(100)).toBe(99_999);
    expect(sketch.quantile(50)).toBeCloseTo(5, 0);
  });

  it("keeps its guarantee when the value range drifts far in both directions", () => {
    const sketch = new QuantileSketch(0.02);
    const values: number[] = [];
    // Start in the middle, then extend below and above repeatedly (exercises the store's growth).
    for (let e = 0; e <= 30; e++) {
      for (const v of [10 ** (e / 2), 10 ** (-e / 4), -(10 ** (e / 3))]) {
        values.push(v);
        sketch.add(v);
      }
    }
    values.sort((a, b) => a - b);
    for (let p = 0; p <= 100; p += 5) {
      expect(relErr(sketch.quantile(p), nearestRank(values, p))).toBeLessThanOrEqual(0.02 + 1e-12);
    }
  });

  it("rejects an impossible accuracy", () => {
    expect(() => new QuantileSketch(0)).toThrow(/relative accuracy/);
    expect(() => new QuantileSketch(1)).toThrow(/relative accuracy/);
  });
});
