/** Tables over events, segments and machine state durations; order and limit. */
import { describe, expect, it } from "vitest";
import { ev, runRules } from "../../helpers/run-rules.js";

describe("tables", () => {
  it("over events: group by fields and context, count, share, rate", async () => {
    const r = await runRules(`
table exits from kvm_exit by exit_reason as reason
  select count, share(count) as pct, rate
  order by count desc`, [
      ev(0, "kvm_exit", { exit_reason: 12 }), ev(1e9, "kvm_exit", { exit_reason: 12 }), ev(2e9, "kvm_exit", { exit_reason: 12 }), ev(4e9, "kvm_exit", { exit_reason: 30 }),
    ]);
    const t = r.tables["exits"]!;
    expect(t.columns).toEqual(["reason", "count", "pct", "rate"]);
    expect(t.rows).toEqual([[12, 3, 75, 0.75], [30, 1, 25, 0.25]]);
  });

  it("over segments: the perf-kvm-stat shape with min/max/avg and percentiles of duration", async () => {
    const events = [];
    // reason 12 handled in 10, 20, 30 ns; reason 30 in 100 ns
    let t = 0;
    for (const [reason, d] of [[12, 10], [12, 20], [30, 100], [12, 30]] as const) {
      events.push(ev(t, "kvm_exit", { exit_reason: reason }, { tid: 1 }), ev(t + d, "kvm_entry", {}, { tid: 1 }));
      t += 1000;
    }
    const r = await runRules(`
sequence h per $tid { x: kvm_exit -> kvm_entry within 1ms emit segment { reason: x.exit_reason } }
table exits from h by reason
  select count, share(duration) as time_pct, min(duration) as min_ns, max(duration) as max_ns, avg(duration) as avg_ns, p50(duration)
  order by time_pct desc limit 5`, events);
    expect(r.tables["exits"]!.columns).toEqual(["reason", "count", "time_pct", "min_ns", "max_ns", "avg_ns", "p50_duration"]);
    expect(r.tables["exits"]!.rows).toEqual([[30, 1, 62.5, 100, 100, 100, 100], [12, 3, 37.5, 10, 30, 20, 20]]);
  });

  it("over a machine: time per state and key, with a where filter and a limit", async () => {
    const r = await runRules(`
machine m per $tid { states i, a, b = i  on x -> a  on y -> b }
table time from m where state != "i" by key as tid, state select sum(duration) as total_ns, count
  order by total_ns desc limit 2`, [
      ev(0, "x", {}, { tid: 1 }), ev(10, "y", {}, { tid: 1 }), ev(15, "x", {}, { tid: 2 }), ev(100, "z", {}, { tid: 2 }),
    ]);
    // tid 1: a 0–10, b 10–100; tid 2: a 15–100
    expect(r.tables["time"]!.rows).toEqual([[1, "b", 90, 1], [2, "a", 85, 1]]);
  });

  it("pivots states into columns with boolean arithmetic and cond()", async () => {
    const r = await runRules(`
machine m per $tid { states i, a, b = i  on x -> a  on y -> b }
table per_thread from m by key as tid
  select sum((state == "a") * duration) as a_ns, sum(cond(state == "b", duration, 0)) as b_ns`, [
      ev(0, "x", {}, { tid: 1 }), ev(10, "y", {}, { tid: 1 }), ev(15, "x", {}, { tid: 1 }), ev(40, "z", {}, { tid: 1 }),
    ]);
    expect(r.tables["per_thread"]!.rows).toEqual([[1, 35, 5]]);
  });
});
