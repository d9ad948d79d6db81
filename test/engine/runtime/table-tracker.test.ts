import { describe, expect, it } from "vitest";
import { type TableSpec, TableTracker } from "../../../engine/runtime/table-tracker.js";
import type { FieldValue } from "../../../engine/model/event.js";
import type { AggFn } from "../../../grammar/ast.js";
import { logNormal, nearestRank, seededRandom } from "./aggregates/seeded-random.js";

/** A spec with by-columns selected first, then `aggs` as [fn, arg]. */
function spec(by: string[], aggs: Array<[AggFn, number]>, extra: Partial<TableSpec> = {}): TableSpec {
  return {
    name: "t",
    groupColumns: by,
    columns: [
      ...by.map((name, index) => ({ name, kind: "group" as const, index })),
      ...aggs.map(([fn, arg]) => ({ name: arg < 0 ? fn : `${fn}(${arg})`, kind: "agg" as const, fn, arg })),
    ],
    order: [],
    limit: null,
    ...extra,
  };
}

/** Feeds rows through one reused scratch pair, as generated code does. */
function feed(t: TableTracker, rows: Array<[number, FieldValue[], number[]]>): void {
  const group: FieldValue[] = [];
  const values = new Float64Array(8);
  for (const [ts, g, v] of rows) {
    group.length = 0;
    group.push(...g);
    values.fill(NaN);
    values.set(v);
    t.update(ts, group, values);
  }
}

function column(result: { columns: string[]; rows: FieldValue[][] }, name: string): FieldValue[] {
  const i = result.columns.indexOf(name);
  expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
  return result.rows.map((r) => r[i]);
}

describe("TableTracker aggregates", () => {
  it("computes count, sum, min, max, avg, first, last per group like a direct computation", () => {
    const rand = seededRandom(5);
    const data = new Map<string, number[]>();
    const rows: Array<[number, FieldValue[], number[]]> = [];
    for (let i = 0; i < 5000; i++) {
      const key = `vm${Math.floor(rand() * 7)}`;
      const v = Math.floor(rand() * 10_000);
      rows.push([i * 10, [key], [v]]);
      data.set(key, [...(data.get(key) ?? []), v]);
    }
    const t = new TableTracker(spec(["vm"], [["count", -1], ["sum", 0], ["min", 0], ["max", 0], ["avg", 0], ["first", 0], ["last", 0]]));
    feed(t, rows);
    const r = t.finish(0, 50_000);
    const keys = [...data.keys()].sort();
    expect(column(r, "vm")).toEqual(keys);
    for (const [i, key] of keys.entries()) {
      const vs = data.get(key) as number[];
      const sum = vs.reduce((a, b) => a + b, 0);
      expect(r.rows[i]).toEqual([key, vs.length, sum, Math.min(...vs), Math.max(...vs), sum / vs.length, vs[0], vs[vs.length - 1]]);
    }
  });

  it("gives the sample standard deviation of a known set (2,4,4,4,5,5,7,9 → √(32/7))", () => {
    const t = new TableTracker(spec([], [["stddev", 0], ["avg", 0]]));
    feed(t, [2, 4, 4, 4, 5, 5, 7, 9].map((v, i) => [i, [], [v]]));
    const [[sd, avg]] = t.finish(0, 7).rows;
    expect(avg).toBe(5);
    expect(sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it("keeps stddev accurate around a large offset where the naive formula cancels", () => {
    const t = new TableTracker(spec([], [["stddev", 0]]));
    const base = 1e12; // ns timestamps-sized values
    feed(t, [0, 1, 2, 3, 4].map((d, i) => [i, [], [base + d]]));
    expect(t.finish(0, 1).rows[0][0]).toBeCloseTo(Math.sqrt(2.5), 9);
  });

  it("gives exact nearest-rank p50/p90/p95/p99 of 1..1000", () => {
    const rand = seededRandom(9);
    const vs = Array.from({ length: 1000 }, (_, i) => i + 1).sort(() => rand() - 0.5);
    const t = new TableTracker(spec([], [["p50", 0], ["p90", 0], ["p95", 0], ["p99", 0]]));
    feed(t, vs.map((v, i) => [i, [], [v]]));
    expect(t.finish(0, 1).rows).toEqual([[500, 900, 950, 990]]);
  });

  it("skips NaN and infinities in value aggregates but counts their rows", () => {
    const t = new TableTracker(spec(["k"], [["count", -1], ["count", 0], ["sum", 0], ["avg", 0], ["min", 0], ["p50", 0], ["stddev", 0]]));
    feed(t, [
      [1, ["a"], [NaN]], [2, ["a"], [4]], [3, ["a"], [Infinity]], [4, ["a"], [8]],
      [5, ["b"], [NaN]],
    ]);
    expect(t.finish(0, 5).rows).toEqual([
      ["a", 4, 2, 12, 6, 4, 4, Math.sqrt(8)],
      ["b", 1, 0, 0, null, null, null, null],
    ]);
  });

  it("computes share of count and of a sum over all groups, summing to 100 before limit", () => {
    const rand = seededRandom(1);
    const rows: Array<[number, FieldValue[], number[]]> = [];
    const counts = new Map<number, number>();
    const sums = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const k = Math.floor(rand() * 12);
      const d = Math.floor(rand() * 1000);
      rows.push([i, [k], [d]]);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      sums.set(k, (sums.get(k) ?? 0) + d);
    }
    const totalD = [...sums.values()].reduce((a, b) => a + b, 0);
    const t = new TableTracker(spec(["k"], [["share", -1], ["share", 0]]));
    feed(t, rows);
    const r = t.finish(0, 1);
    const shareCount = column(r, "share") as number[];
    const shareSum = column(r, "share(0)") as number[];
    expect(shareCount.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
    expect(shareSum.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
    for (const [i, k] of (column(r, "k") as number[]).entries()) {
      expect(shareCount[i]).toBeCloseTo(((counts.get(k) as number) / 3000) * 100, 12);
      expect(shareSum[i]).toBeCloseTo(((sums.get(k) as number) / totalD) * 100, 12);
    }
    const limited = new TableTracker(spec(["k"], [["share", -1]], { limit: 3 }));
    feed(limited, rows);
    const top3 = limited.finish(0, 1).rows.map((row) => row[1]);
    expect(top3).toEqual(shareCount.slice(0, 3));
  });

  it("gives rate as count (or sum) per second of trace time, 0 for a zero span", () => {
    const t = new TableTracker(spec(["k"], [["rate", -1], ["rate", 0]]));
    feed(t, [[0, ["x"], [10]], [1, ["x"], [20]], [2, ["y"], [5]]]);
    expect(t.finish(1_000, 2_000_001_000).rows).toEqual([["x", 1, 15], ["y", 0.5, 2.5]]);
    expect(t.finish(5, 5).rows).toEqual([["x", 0, 0], ["y", 0, 0]]);
  });

  it("takes first and last by timestamp, not by arrival, when rows arrive out of order", () => {
    const t = new TableTracker(spec([], [["first", 0], ["last", 0]]));
    feed(t, [[50, [], [1]], [10, [], [2]], [90, [], [3]], [90, [], [4]], [10, [], [5]]]);
    expect(t.finish(0, 90).rows).toEqual([[2, 4]]);
  });

  it("yields one row for a table without by-columns even when empty", () => {
    const t = new TableTracker(spec([], [["count", -1], ["sum", 0], ["avg", 0], ["share", -1], ["rate", -1]]));
    expect(t.finish(0, 0).rows).toEqual([[0, 0, null, null, 0]]);
    expect(new TableTracker(spec(["k"], [["count", -1]])).finish(0, 0).rows).toEqual([]);
  });
});

describe("TableTracker groups and ordering", () => {
  it("keeps 1, \"1\" and 1n as different groups and copies the scratch by-values", () => {
    const t = new TableTracker(spec(["k", "j"], [["count", -1]]));
    const group: FieldValue[] = [1, "x"];
    const values = [0];
    t.update(0, group, values);
    group[0] = "1";
    t.update(1, group, values);
    group[0] = 1n;
    t.update(2, group, values);
    group[0] = 1;
    t.update(3, group, values);
    const arr = [7, 8];
    group[0] = arr;
    t.update(4, group, values);
    arr[0] = 9; // a reader reusing its array must not change the stored group
    t.update(5, group, values);
    expect(t.groupCount).toBe(5);
    expect(t.finish(0, 5).rows).toEqual([[1, "x", 2], [1n, "x", 1], ["1", "x", 1], [[7, 8], "x", 1], [[9, 8], "x", 1]]);
  });

  it("orders by group values ascending by default, numbers numerically", () => {
    const t = new TableTracker(spec(["n"], [["count", -1]]));
    feed(t, [10, 2, 33, 2, -1, 100].map((n, i) => [i, [n], []]));
    expect(column(t.finish(0, 1), "n")).toEqual([-1, 2, 10, 33, 100]);
  });

  it("orders by named columns with a deterministic tiebreak, nulls last, then applies limit", () => {
    const s = spec(["name", "cpu"], [["count", -1], ["max", 0]], {
      order: [{ column: "count", desc: true }, { column: "max(0)", desc: false }],
    });
    const t = new TableTracker(s);
    feed(t, [
      [0, ["b", 1], [5]], [1, ["b", 1], [6]], [2, ["a", 0], [9]], [3, ["a", 0], [1]], // count 2, max 6 / 9
      [4, ["c", 2], [3]], [5, ["B", 3], [3]], [6, ["a", 1], [3]], [7, ["z", 0], [NaN]], // count 1
    ]);
    expect(t.finish(0, 1).rows).toEqual([
      ["b", 1, 2, 6], ["a", 0, 2, 9],
      ["B", 3, 1, 3], ["a", 1, 1, 3], ["c", 2, 1, 3], // tie on count and max → by (name, cpu), code-unit order
      ["z", 0, 1, null], // null max goes last although the order is ascending
    ]);
    const limited = new TableTracker({ ...s, limit: 2, order: [{ column: "max(0)", desc: true }] });
    feed(limited, [[0, ["a", 0], [1]], [1, ["b", 0], [NaN]], [2, ["c", 0], [7]], [3, ["d", 0], [4]]]);
    expect(limited.finish(0, 1).rows.map((r) => r[0])).toEqual(["c", "d"]);
  });

  it("orders by a by-column that is not selected", () => {
    const t = new TableTracker({
      name: "t", groupColumns: ["vm", "reason"], limit: null,
      columns: [{ name: "reason", kind: "group", index: 1 }, { name: "count", kind: "agg", fn: "count", arg: -1 }],
      order: [{ column: "vm", desc: true }],
    });
    feed(t, [[0, [1, "HLT"], []], [1, [2, "EPT"], []], [2, [2, "HLT"], []], [3, [1, "EPT"], []]]);
    expect(t.finish(0, 1).rows).toEqual([["EPT", 1], ["HLT", 1], ["EPT", 1], ["HLT", 1]]);
  });

  it("rejects a spec that cannot be run, naming the table and column", () => {
    expect(() => new TableTracker(spec(["k"], [["count", -1]], { order: [{ column: "nope", desc: false }] }))).toThrow(
      /Table t: cannot order by unknown column `nope`; columns are: k, count$/,
    );
    expect(() => new TableTracker(spec([], [["p99", -1]]))).toThrow(/Table t: column p99: p99 needs an argument/);
    expect(() => new TableTracker({ ...spec(["k"], []), columns: [{ name: "x", kind: "group", index: 3 }] })).toThrow(/by-column 3/);
    expect(() => new TableTracker(spec([], [["count", -1]], { limit: -1 }))).toThrow(/limit/);
  });
});

describe("TableTracker percentiles above the exact limit", () => {
  it("switches a group to the sketch past 65,536 values, stays within 1% on 1M values, and says so", () => {
    const rand = seededRandom(2024);
    const t = new TableTracker({
      ...spec(["g"], [["p50", 0], ["p90", 0], ["p95", 0], ["p99", 0], ["count", -1]]),
      name: "kvm.exits",
    });
    const big = new Float64Array(1_000_000);
    const group: FieldValue[] = ["big"];
    const values = new Float64Array(1);
    for (let i = 0; i < big.length; i++) {
      values[0] = big[i] = Math.round(logNormal(rand, Math.log(50_000), 1.2));
      t.update(i, group, values);
    }
    group[0] = "small";
    for (let i = 1; i <= 100; i++) {
      values[0] = i;
      t.update(i, group, values);
    }
    const r = t.finish(0, 1e9);
    big.sort();
    const [bigRow, smallRow] = r.rows;
    expect(bigRow[0]).toBe("big");
    [50, 90, 95, 99].forEach((p, i) => {
      const exact = nearestRank(big, p);
      expect(Math.abs((bigRow[i + 1] as number) - exact) / exact, `p${p}`).toBeLessThanOrEqual(0.01 + 1e-12);
    });
    expect(smallRow).toEqual(["small", 50, 90, 95, 99, 100]);
    expect(r.notes).toHaveLength(4);
    expect(r.notes[3]).toBe(
      "table kvm.exits: column p99(0) is estimated by a sketch (1% relative error) in 1 of 2 group(s), which had more than 65536 values",
    );
  });

  it("stays exact at exactly the limit", () => {
    const t = new TableTracker(spec([], [["p99", 0]]), { exactQuantileLimit: 100 });
    feed(t, Array.from({ length: 100 }, (_, i) => [i, [], [i + 1]]));
    expect(t.finish(0, 1)).toEqual({ columns: ["p99(0)"], rows: [[99]], notes: [] });
    feed(t, [[100, [], [101]]]);
    expect(t.finish(0, 1).notes).toHaveLength(1);
  });
});

describe("TableTracker: shares per by-column, expression and hidden columns", () => {
  /** by (vm, reason); share of count and of arg 0 per vm; share of arg 0 over the table. */
  const perSpec = (): TableSpec => ({
    name: "t",
    groupColumns: ["vm", "reason"],
    columns: [
      { name: "vm", kind: "group", index: 0 },
      { name: "reason", kind: "group", index: 1 },
      { name: "count_pct", kind: "agg", fn: "share", arg: -1, per: [0] },
      { name: "time_pct", kind: "agg", fn: "share", arg: 0, per: [0] },
      { name: "host_pct", kind: "agg", fn: "share", arg: 0 },
    ],
    order: [],
    limit: null,
  });

  it("takes each share within the groups with the same per-values, before limit", () => {
    const t = new TableTracker({ ...perSpec(), limit: 2 });
    // vm "a": reason 1 twice (3 + 5), reason 2 once (2); vm "b": reason 1 once (10)
    feed(t, [[1, ["a", 1], [3]], [2, ["a", 2], [2]], [3, ["b", 1], [10]], [4, ["a", 1], [5]]]);
    const r = t.finish(0, 4);
    // a/1: 2 of a's 3 rows, 8 of a's 10; 8 of the host's 20. a/2: 1 of 3, 2 of 10, 2 of 20.
    expect(r.rows).toEqual([["a", 1, (2 / 3) * 100, 80, 40], ["a", 2, (1 / 3) * 100, 20, 10]]);
  });

  it("gives null for a share whose part has a zero total, and rejects a bad per index", () => {
    const t = new TableTracker(perSpec());
    feed(t, [[1, ["a", 1], [0]], [2, ["b", 1], [4]]]);
    expect(t.finish(0, 2).rows.map((row) => row[3])).toEqual([null, 100]);
    expect(() => new TableTracker({ ...perSpec(), columns: [{ name: "x", kind: "agg", fn: "share", arg: -1, per: [2] }] }))
      .toThrow("Table t: column x is a share per by-column 2, but the table has 2");
    expect(() => new TableTracker({ ...perSpec(), columns: [{ name: "x", kind: "agg", fn: "sum", arg: 0, per: [0] }] }))
      .toThrow("Table t: column x: only a share is taken per by-column, not sum");
  });

  it("computes expression columns from the row's cells after them, hides hidden ones and cannot order by them", () => {
    const exprSpec: TableSpec = {
      name: "t",
      groupColumns: ["k"],
      columns: [
        { name: "k", kind: "group", index: 0 },
        { name: "mean_x10", kind: "expr", eval: (c) => (c[2] as number) * 10 + (c[0] as number) },
        { name: "avg", kind: "agg", fn: "avg", arg: 0, hidden: true },
        { name: "ratio", kind: "expr", eval: (c) => (c[4] as number) / 0 },
        { name: "n", kind: "agg", fn: "count", arg: -1, hidden: true },
      ],
      order: [{ column: "mean_x10", desc: true }],
      limit: null,
    };
    const t = new TableTracker(exprSpec);
    feed(t, [[1, [1], [2]], [2, [1], [4]], [3, [2], [7]]]);
    // k=1: avg 3 → 31; k=2: avg 7 → 72. n/0 is Infinity: not a value, so null.
    expect(t.finish(0, 3)).toEqual({ columns: ["k", "mean_x10", "ratio"], rows: [[2, 72, null], [1, 31, null]], notes: [] });
    expect(() => new TableTracker({ ...exprSpec, order: [{ column: "avg", desc: false }] })).toThrow("cannot order by unknown column `avg`; columns are: k, mean_x10, ratio");
  });
});
