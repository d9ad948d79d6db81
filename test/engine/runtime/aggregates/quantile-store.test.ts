import { describe, expect, it } from "vitest";
import { QuantileStore } from "../../../../engine/runtime/aggregates/quantile-store.js";
import { nearestRank, seededRandom } from "./seeded-random.js";

describe("QuantileStore", () => {
  it("gives exact nearest-rank percentiles of 1..1000 added in random order", () => {
    const rand = seededRandom(3);
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [values[i], values[j]] = [values[j], values[i]];
    }
    const store = new QuantileStore();
    for (const v of values) store.add(v);
    // Nearest rank: the ⌈p·n/100⌉-th smallest, i.e. p for 1..1000 times 10.
    expect(store.quantile(99)).toBe(990);
    expect(store.quantile(95)).toBe(950);
    expect(store.quantile(90)).toBe(900);
    expect(store.quantile(50)).toBe(500);
    expect(store.quantile(0)).toBe(1);
    expect(store.quantile(100)).toBe(1000);
    expect(store.isSketch).toBe(false);
  });

  it("matches the textbook nearest rank for every count from 1 to 60", () => {
    const rand = seededRandom(17);
    for (let n = 1; n <= 60; n++) {
      const values = Array.from({ length: n }, () => Math.floor(rand() * 1000));
      const store = new QuantileStore();
      for (const v of values) store.add(v);
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of [50, 90, 95, 99]) expect(store.quantile(p), `n=${n} p${p}`).toBe(nearestRank(sorted, p));
    }
    // e.g. p90 of 7 values is the 7th (⌈6.3⌉), not the 6th.
    const seven = new QuantileStore();
    for (const v of [1, 2, 3, 4, 5, 6, 7]) seven.add(v);
    expect(seven.quantile(90)).toBe(7);
  });

  it("takes the lower middle value for p50 of an even count and handles one value", () => {
    const store = new QuantileStore();
    for (const v of [40, 10, 30, 20]) store.add(v);
    expect(store.quantile(50)).toBe(20);
    const one = new QuantileStore();
    one.add(7);
    expect([one.quantile(50), one.quantile(99)]).toEqual([7, 7]);
    expect(Number.isNaN(new QuantileStore().quantile(50))).toBe(true);
  });

  it("stays exact at the limit and switches to a 1% sketch one value later", () => {
    const limit = 2000;
    const rand = seededRandom(11);
    const store = new QuantileStore(limit);
    const all: number[] = [];
    for (let i = 0; i < limit; i++) {
      const v = Math.floor(rand() * 1e6);
      all.push(v);
      store.add(v);
    }
    const sortedAtLimit = [...all].sort((a, b) => a - b);
    expect(store.isSketch).toBe(false);
    expect(store.quantile(99)).toBe(nearestRank(sortedAtLimit, 99));
    // Adding after a query (which sorted in place) must still keep every value.
    for (let i = 0; i < 3000; i++) {
      const v = Math.floor(rand() * 1e6) + 1;
      all.push(v);
      store.add(v);
    }
    expect(store.isSketch).toBe(true);
    expect(store.count).toBe(5000);
    all.sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99]) {
      const exact = nearestRank(all, p);
      expect(Math.abs(store.quantile(p) - exact) / exact).toBeLessThanOrEqual(0.01 + 1e-12);
    }
  });
});
