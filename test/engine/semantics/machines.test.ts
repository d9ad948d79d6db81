/** Machine semantics: creation, first-match-wins, routing with `for`, kept fields, hooks, caps, idle expiry, instance reads. */
import { describe, expect, it } from "vitest";
import { ev, intervals, runRules } from "../../helpers/run-rules.js";

describe("machines", () => {
  it("creates an instance only when a transition leaves the initial state", async () => {
    const r = await runRules(`
machine m per $tid {
  states idle, busy = idle
  on a -> busy
  on b from busy -> idle
}`, [ev(1, "b", {}, { tid: 5 }), ev(2, "a", {}, { tid: 6 }), ev(5, "b", {}, { tid: 6 }), ev(9, "c", {}, { tid: 6 })]);
    // tid 5 saw only `b` (which cannot leave idle): no instance, no intervals
    expect(intervals(r, "m")).toEqual([[6, "busy", 2, 5], [6, "idle", 5, 9]]);
  });

  it("for one event and key the first matching transition in source order wins", async () => {
    const r = await runRules(`
machine m per 0 {
  states s0, s1, s2 = s0
  on a where v > 0 -> s1
  on a -> s2
}`, [ev(1, "a", { v: 1 }), ev(2, "x"), ev(3, "a", { v: 0 }), ev(4, "x")]);
    expect(intervals(r, "m").map(([, s, a, b]) => [s, a, b])).toEqual([["s1", 1, 3], ["s2", 3, 4]]);
  });

  it("an event routed to several keys moves each of them", async () => {
    const r = await runRules(`
machine th per $tid {
  states unknown, running, off = unknown
  on sched_switch for next_tid -> running
  on sched_switch for prev_tid from running -> off
}`, [ev(10, "sched_switch", { prev_tid: 1, next_tid: 2 }), ev(20, "sched_switch", { prev_tid: 2, next_tid: 1 }), ev(30, "sched_switch", { prev_tid: 1, next_tid: 2 })]);
    // intervals are listed in the order they closed
    expect(intervals(r, "th")).toEqual([[2, "running", 10, 20], [2, "off", 20, 30], [1, "running", 20, 30]]);
  });

  it("assignments read the old kept values; intervals carry the values held during them", async () => {
    const r = await runRules(`
machine m per 0 {
  states off, lit = off
  keep n = 0, prev = -1
  on up -> lit { prev = n; n = n + 1 }
  on down from lit -> off
}`, [ev(1, "up"), ev(2, "down"), ev(3, "up"), ev(4, "down"), ev(5, "x")]);
    expect((r.states["m"] ?? []).map((i) => [i.state, i.start, i.fields])).toEqual([
      ["lit", 1, { n: 1, prev: 0 }], ["off", 2, { n: 1, prev: 0 }], ["lit", 3, { n: 2, prev: 1 }], ["off", 4, { n: 2, prev: 1 }],
    ]);
  });

  it("runs enter and exit hooks", async () => {
    const r = await runRules(`
machine m per 0 {
  states off, lit = off
  keep entered = 0, left = 0
  on up -> lit
  on down from lit -> off
  on enter lit { entered = entered + 1 }
  on exit lit { left = left + 1 }
}
table t from m by state select last(entered) as entered, last(left) as left`, [ev(1, "up"), ev(2, "down"), ev(3, "up"), ev(4, "x")]);
    // lit 1–2 (entered 1, left 0: recorded before its exit hook), off 2–3 (1, 1), lit 3–4 (2, 1)
    expect(r.tables["t"]!.rows).toEqual([["lit", 2, 1], ["off", 1, 1]]);
    expect((r.states["m"] ?? []).map((i) => [i.state, i.fields["entered"], i.fields["left"]])).toEqual([["lit", 1, 0], ["off", 1, 1], ["lit", 2, 1]]);
  });

  it("reads another machine's instance: state, kept fields, null when absent", async () => {
    const r = await runRules(`
machine vcpu per $tid {
  states unknown, guest = unknown
  keep id = -1
  on kvm_entry -> guest { id = vcpu_id }
}
alert who on kvm_exit message "vcpu {vcpu[$tid].id} in {vcpu[$tid].state}, other {vcpu[99].id}"`,
      [ev(1, "kvm_entry", { vcpu_id: 3 }, { tid: 7 }), ev(2, "kvm_exit", {}, { tid: 7 })]);
    expect(r.alerts.map((a) => a.message)).toEqual(["vcpu 3 in guest, other ?"]);
  });

  it("caps instances and counts the overflow; idle instances expire", async () => {
    const events = [1, 2, 3, 4].map((k) => ev(k, "a", {}, { tid: k }));
    const r = await runRules(`machine m per $tid cap 2 { states i, b = i  on a -> b }`, [...events, ev(10, "x")]);
    expect(new Set(intervals(r, "m").map(([k]) => k))).toEqual(new Set([1, 2]));
    expect(r.stats.overflow_by_rule).toEqual({ m: 2 });
    const r2 = await runRules(`machine m per $tid idle 10ns { states i, b = i  on a -> b }`, [ev(0, "a", {}, { tid: 1 }), ev(100, "a", {}, { tid: 2 }), ev(105, "x")]);
    // tid 1 went quiet at 0: its interval closes at 0 + 10 when swept
    expect(intervals(r2, "m")).toEqual([[1, "b", 0, 10], [2, "b", 100, 105]]);
  });

  it("`-> again S` starts a new interval of S; `open` marks intervals the trace ended in", async () => {
    const r = await runRules(`
machine m per 0 {
  states idle, run = idle
  on go -> run
  on tick from run -> again run
}
table t from m by state, open select count, sum(duration) as ns`, [ev(0, "go"), ev(10, "tick"), ev(25, "tick"), ev(40, "x")]);
    expect(intervals(r, "m")).toEqual([[0, "run", 0, 10], [0, "run", 10, 25], [0, "run", 25, 40]]);
    expect(r.tables["t"]!.rows).toEqual([["run", false, 2, 25], ["run", true, 1, 15]]);
  });

  it("rules see lost events as a `lost_events` event", async () => {
    const { Program } = await import("../../../engine/runtime/program.js");
    const { compileOk, toEvent } = await import("../../helpers/run-rules.js");
    const out = compileOk(`alert lost on lost_events message "lost {count} on cpu {$cpu}"`);
    const prog = new Program(out.program!, { print: () => {} });
    prog.push(toEvent(ev(1, "x")));
    prog.loss({ kind: "loss", host: 0, cpu: 2, start: 5, end: 9, count: 40 });
    prog.push(toEvent(ev(10, "x")));
    const res = await prog.finish();
    expect(res.alerts.map((a) => [a.ts, a.message])).toEqual([[5, "lost 40 on cpu 2"]]);
    expect(res.stats.lost).toBe(40);
  });

  it("a table's `split W` cuts the intervals it sees at window boundaries (others see them whole)", async () => {
    const r = await runRules(`
machine m per 0 { states idle, run = idle  on go -> run  on stop from run -> idle }
table per_window from m split 10ns where state == "run" by window select sum(duration) as run_ns
table whole from m where state == "run" select count`, [ev(5, "go"), ev(27, "stop"), ev(32, "go"), ev(34, "stop"), ev(40, "x")]);
    expect(r.tables["per_window"]!.rows).toEqual([[0, 5], [10, 10], [20, 7], [30, 2]]);
    expect(r.tables["whole"]!.rows).toEqual([[2]]);
    expect(intervals(r, "m").filter(([, s]) => s === "run")).toEqual([[0, "run", 5, 27], [0, "run", 32, 34]]);
  });
});
