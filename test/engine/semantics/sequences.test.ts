/** Sequence semantics: followed-by, strict next, absence (middle and end), quantifiers, gaps, skip policy, caps. */
import { describe, expect, it } from "vitest";
import { ev, runRules } from "../../helpers/run-rules.js";

const segs = (r: Awaited<ReturnType<typeof runRules>>, name: string) => (r.segments[name] ?? []).map((s) => [s.start, s.end, s.fields]);

describe("followed-by and correlation", () => {
  it("pairs each exit with the next entry of the same key and copies step fields", async () => {
    const r = await runRules(`
sequence h per $tid {
  x: kvm_exit -> e: kvm_entry within 1s
  emit segment { reason: x.exit_reason, vcpu: e.vcpu_id }
}`, [
      ev(10, "kvm_exit", { exit_reason: 12 }, { tid: 1 }),
      ev(12, "kvm_exit", { exit_reason: 30 }, { tid: 2 }),
      ev(15, "sched_switch", {}, { tid: 1 }),
      ev(20, "kvm_entry", { vcpu_id: 0 }, { tid: 1 }),
      ev(30, "kvm_entry", { vcpu_id: 1 }, { tid: 2 }),
    ]);
    expect(segs(r, "h")).toEqual([[10, 20, { reason: 12, vcpu: 0 }], [12, 30, { reason: 30, vcpu: 1 }]]);
  });

  it("correlates a later step with an earlier one through its label", async () => {
    const r = await runRules(`
sequence wake per 0 {
  w: sched_waking -> s: sched_switch where next_tid == w.tid within 1ms
  emit segment { tid: w.tid }
}`, [
      ev(1, "sched_waking", { tid: 7 }),
      ev(2, "sched_switch", { next_tid: 8 }),
      ev(5, "sched_switch", { next_tid: 7 }),
    ]);
    expect(segs(r, "wake")).toEqual([[1, 5, { tid: 7 }]]);
  });

  it("drops partial matches older than the window", async () => {
    const r = await runRules(`
sequence h per 0 { x: a -> y: b within 10ns emit segment { } }`, [ev(0, "a"), ev(11, "b"), ev(20, "a"), ev(30, "b")]);
    expect(segs(r, "h")).toEqual([[20, 30, {}]]);
  });
});

describe("strict next", () => {
  it("=> requires the very next relevant event to match", async () => {
    const rules = `sequence s per 0 { x: a => y: b within 1s emit segment { } }`;
    const r = await runRules(rules, [ev(1, "a"), ev(2, "c"), ev(3, "b")]);
    expect(segs(r, "s")).toEqual([[1, 3, {}]]); // c is not in the sequence's event set
    const r2 = await runRules(`sequence s per 0 { x: a => y: b where v == 1 within 1s emit segment { } }`,
      [ev(1, "a"), ev(2, "b", { v: 0 }), ev(3, "b", { v: 1 })]);
    expect(segs(r2, "s")).toEqual([]); // the b at 2 broke the strict chain
    const r3 = await runRules(`sequence s per 0 { x: a -> y: b where v == 1 within 1s emit segment { } }`,
      [ev(1, "a"), ev(2, "b", { v: 0 }), ev(3, "b", { v: 1 })]);
    expect(segs(r3, "s")).toEqual([[1, 3, {}]]); // followed-by skips it
  });
});

describe("absence", () => {
  const rules = `
sequence stuck per $tid {
  x: kvm_exit -> not kvm_entry within 5ms
  alert warning "no entry after exit on {key}"
}`;
  it("fires at the deadline when nothing came, driven by later events' time", async () => {
    const r = await runRules(rules, [ev(0, "kvm_exit", {}, { tid: 1 }), ev(1_000, "kvm_exit", {}, { tid: 2 }), ev(2_000_000, "kvm_entry", {}, { tid: 2 }), ev(9_000_000, "tick")]);
    expect(r.alerts.map((a) => [a.ts, a.message])).toEqual([[5_000_000, "no entry after exit on 1"]]);
  });
  it("fires at end of stream when the trace outlived the deadline, and not when it did not", async () => {
    const r = await runRules(rules, [ev(0, "kvm_exit", {}, { tid: 1 }), ev(5_000_000, "tick")]);
    expect(r.alerts.map((a) => a.ts)).toEqual([5_000_000]);
    const r2 = await runRules(rules, [ev(0, "kvm_exit", {}, { tid: 1 }), ev(4_999_999, "tick")]);
    expect(r2.alerts).toEqual([]);
  });
  it("an event exactly at the deadline still cancels", async () => {
    const r = await runRules(rules, [ev(0, "kvm_exit", {}, { tid: 1 }), ev(5_000_000, "kvm_entry", {}, { tid: 1 }), ev(9_000_000, "tick")]);
    expect(r.alerts).toEqual([]);
  });
  it("absence in the middle: a quiet period, then the next step", async () => {
    const r = await runRules(`
sequence s per 0 { x: a -> not b within 10ns -> y: c within 1s emit segment { } }`,
      [ev(0, "a"), ev(5, "c"), ev(20, "c"), ev(100, "a"), ev(105, "b"), ev(120, "c")]);
    expect(segs(r, "s")).toEqual([[0, 20, {}]]);
  });
});

describe("quantifiers", () => {
  it("{n,} completes at the n-th occurrence inside the window", async () => {
    const r = await runRules(`
sequence storm per $tid { vm_exit_ept: kvm_exit where exit_reason == 48 {3,} within 10us alert "storm" }`,
      [0, 1000, 2000, 30000, 31000, 50000, 51000, 52000].map((t) => ev(t, "kvm_exit", { exit_reason: 48 }, { tid: 1 })));
    expect(r.alerts.map((a) => a.ts)).toEqual([2000, 52000]);
  });
  it("{n} then another step; {n,m} stops counting at m", async () => {
    const r = await runRules(`
sequence s per 0 { x: a {2} -> y: b within 1s emit segment { } }`, [ev(1, "a"), ev(2, "b"), ev(3, "a"), ev(4, "b")]);
    expect(segs(r, "s")).toEqual([[1, 4, {}]]);
    const r2 = await runRules(`
sequence s per 0 skip to next { x: a {1,2} -> y: b within 1s emit segment { n: 1 } }`, [ev(1, "a"), ev(2, "a"), ev(3, "a"), ev(4, "b")]);
    // partial matches from 1, 2 and 3 all complete at 4 (skip to next allows overlap)
    expect(segs(r2, "s").map((s) => s[0])).toEqual([1, 2, 3]);
  });
  it("per-step gap bounds the time since the previous step", async () => {
    const r = await runRules(`
sequence s per 0 { x: a -> y: b gap 10ns emit segment { } }`, [ev(0, "a"), ev(20, "b"), ev(30, "a"), ev(35, "b")]);
    expect(segs(r, "s")).toEqual([[30, 35, {}]]);
  });
});

describe("after-match skip and caps", () => {
  const events = [ev(1, "a"), ev(2, "a"), ev(3, "b")];
  it("skip past last (default) discards overlapping partial matches", async () => {
    const r = await runRules(`sequence s per 0 { x: a -> y: b within 1s emit segment { } }`, events);
    expect(segs(r, "s")).toEqual([[1, 3, {}]]);
  });
  it("skip to next keeps them", async () => {
    const r = await runRules(`sequence s per 0 skip to next { x: a -> y: b within 1s emit segment { } }`, events);
    expect(segs(r, "s")).toEqual([[1, 3, {}], [2, 3, {}]]);
  });
  it("the cap bounds live partial matches per key and counts the overflow", async () => {
    const many = Array.from({ length: 10 }, (_, i) => ev(i, "a"));
    const r = await runRules(`sequence s per 0 cap 4 skip to next { x: a -> y: b within 1s emit segment { } }`, [...many, ev(20, "b")]);
    expect(segs(r, "s").length).toBe(4);
    expect(r.stats.overflow_by_rule).toEqual({ s: 6 });
  });
});
