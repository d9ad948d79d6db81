/**
 * Select items beyond single aggregates: arithmetic over aggregates (perf's relative stddev of
 * the mean), shares within a by-column's groups, by-columns and constants in expressions, and
 * the same columns in a live snapshot. Expected values are worked out by hand in each test.
 */
import { describe, expect, it } from "vitest";
import { Program } from "../../../engine/runtime/program.js";
import { compileOk, ev, type EventSpec, runRules, toEvent } from "../../helpers/run-rules.js";

/** Exit/entry pairs of one thread: [vm (pid), reason, handling ns], 1 µs apart. */
function exits(pairs: Array<[number, number, number]>): EventSpec[] {
  const out: EventSpec[] = [];
  pairs.forEach(([vm, reason, d], i) => {
    const t = i * 1000;
    out.push(ev(t, "kvm_exit", { exit_reason: reason }, { tid: 1, pid: vm }), ev(t + d, "kvm_entry", {}, { tid: 1, pid: vm }));
  });
  return out;
}

const HANDLING = `sequence h per $tid { x: kvm_exit -> kvm_entry within 1ms emit segment { vm: x.$pid, reason: x.exit_reason } }`;

describe("select expressions over aggregates", () => {
  it("computes perf's relative stddev of the mean and other arithmetic per group", async () => {
    // reason 12: 10, 20, 30 ns; reason 30: 100 ns alone
    const r = await runRules(`${HANDLING}
const SCALE = 100
table t from h by reason
  select count, avg(duration) as avg_ns,
         coalesce(stddev(duration), 0) / sqrt(count) / avg(duration) * SCALE as stddev_pct,
         max(duration) - min(duration) as spread, sum(duration) / count + reason as mean_plus_reason`,
    exits([[7, 12, 10], [7, 12, 20], [7, 30, 100], [7, 12, 30]]));
    const t = r.tables["t"]!;
    expect(t.columns).toEqual(["reason", "count", "avg_ns", "stddev_pct", "spread", "mean_plus_reason"]);
    // sample variance of 10, 20, 30 = (100 + 0 + 100) / 2 = 100; stddev of the mean √(100/3); over the mean 20
    const pct12 = (100 * Math.sqrt(100 / 3)) / 20;
    expect(t.rows.length).toBe(2);
    expect(t.rows[0]!.slice(0, 3)).toEqual([12, 3, 20]);
    expect(t.rows[0]![3]).toBeCloseTo(pct12, 12);
    expect(t.rows[0]!.slice(4)).toEqual([20, 20 + 12]);
    // one value: stddev is null, coalesce makes it 0 (perf prints 0.00%)
    expect(t.rows[1]).toEqual([30, 1, 100, 0, 0, 130]);
  });

  it("shares storage: the aggregates an expression needs are the selected ones, one input per argument", () => {
    const out = compileOk(`${HANDLING}
table t from h by reason select count, min(duration) as lo, stddev(duration) / avg(duration) as cv, p99(duration) - min(duration) as tail`);
    const src = out.program!.source;
    // one aggregate input (duration) for min, stddev, avg and p99
    expect(src).toMatch(/V0 = new Float64Array\(1\)/);
    // min(duration) is the selected `lo`, not a hidden copy; stddev, avg and p99 are hidden
    expect(src.match(/hidden: true/g)?.length).toBe(3);
  });

  it("yields null for an undefined result (division by zero) and orders by an expression column", async () => {
    const r = await runRules(`${HANDLING}
table t from h by reason select (max(duration) - min(duration)) / (count - 1) as step, count order by step desc`,
    exits([[7, 1, 10], [7, 1, 40], [7, 2, 5], [7, 3, 10], [7, 3, 30], [7, 3, 20]]));
    // reason 1: (40-10)/1 = 30; reason 3: (30-10)/2 = 10; reason 2: 0/0 → null, ordered last
    expect(r.tables["t"]!.rows).toEqual([[1, 30, 2], [3, 10, 3], [2, null, 1]]);
  });

  it("takes shares within the groups of a by-column (`per`), and of the whole table without it", async () => {
    // vm 7: reason 1 ×3 (10 ns each), reason 2 ×1 (70 ns); vm 8: reason 1 ×1 (50 ns), reason 3 ×1 (150 ns)
    const r = await runRules(`${HANDLING}
table t from h by vm, reason
  select count, share(count) per vm as count_pct, share(duration) per vm as time_pct, share(count) as host_pct,
         100 - share(duration) per vm as rest_pct
  order by vm, reason`,
    exits([[7, 1, 10], [7, 1, 10], [8, 1, 50], [7, 2, 70], [7, 1, 10], [8, 3, 150]]));
    const SIXTH = (1 / 6) * 100; // part / total × 100, rounded as the tracker computes it
    expect(r.tables["t"]!.rows).toEqual([
      [7, 1, 3, 75, 30, 50, 70], // 3 of vm 7's 4 exits; 30 of its 100 ns; 3 of 6 host exits
      [7, 2, 1, 25, 70, SIXTH, 30],
      [8, 1, 1, 50, 25, SIXTH, 75], // 50 of vm 8's 200 ns
      [8, 3, 1, 50, 75, SIXTH, 25],
    ]);
  });

  it("reads by-columns, consts and maps in expressions, and computes them in live snapshots too", () => {
    const out = compileOk(`${HANDLING}
map label = { 12: "HLT", 30: "IO" }
table t from h by reason select coalesce(label[reason], "other") + "/" + str(count) as tag, sum(duration) * 2 as double_ns`);
    const prog = new Program(out.program!, { print: () => {} });
    const events = exits([[7, 12, 10], [7, 30, 20], [7, 12, 5], [7, 99, 1]]);
    for (const e of events.slice(0, 4)) prog.push(toEvent(e));
    // after two pairs: one HLT of 10 ns and one IO of 20 ns
    const live = prog.tablesAt(events[3]!.ts).find((x) => x.name === "t")!.result;
    expect(live.rows).toEqual([[12, "HLT/1", 20], [30, "IO/1", 40]]);
    for (const e of events.slice(4)) prog.push(toEvent(e));
    const done = prog.tablesAt(events.at(-1)!.ts).find((x) => x.name === "t")!.result;
    expect(done.columns).toEqual(["reason", "tag", "double_ns"]);
    expect(done.rows).toEqual([[12, "HLT/2", 30], [30, "IO/1", 40], [99, "other/1", 2]]);
  });
});
