/**
 * Without state history the run still tallies what the terminal report prints (per-state
 * instances, intervals, time; per-segment-set count and durations), equal to the summaries
 * of the full history (test/cli/cli.test.ts checks the same through `vigil run`).
 */
import { describe, expect, it } from "vitest";
import { ev, runRules } from "../../helpers/run-rules.js";
import { summarizeSegments, summarizeStates } from "../../../engine/runtime/summaries.js";

const RULES = `
machine m per $cpu {
  states idle, busy = idle
  on sched_switch where next_tid > 0 -> busy
  on sched_switch where next_tid == 0 -> idle
}
sequence s per $cpu {
  a: sched_switch where next_tid > 0 => b: sched_switch where next_tid == 0 within 1s
  emit segment { tid: a.next_tid }
}
`;

// cpu 0: busy [0,10) idle [10,14) busy [14,30) idle [30,40]; cpu 1: busy [5,25) idle [25,40]
const EVENTS = [
  ev(0, "sched_switch", { next_tid: 7 }, { cpu: 0 }),
  ev(5, "sched_switch", { next_tid: 8 }, { cpu: 1 }),
  ev(10, "sched_switch", { next_tid: 0 }, { cpu: 0 }),
  ev(14, "sched_switch", { next_tid: 9 }, { cpu: 0 }),
  ev(25, "sched_switch", { next_tid: 0 }, { cpu: 1 }),
  ev(30, "sched_switch", { next_tid: 0 }, { cpu: 0 }),
  ev(40, "sched_switch", { next_tid: 0 }, { cpu: 1 }),
];

describe("summaries tallied without history", () => {
  it("equal the summaries of the full history, worked out by hand", async () => {
    const full = await runRules(RULES, EVENTS, { history: true });
    const tallied = await runRules(RULES, EVENTS, { history: false, tally: true });
    expect(tallied.states["m"]).toEqual([]);
    expect(tallied.segments["s"]).toEqual([]);
    const states = tallied.summaries!.states["m"]!;
    expect(states).toEqual(summarizeStates(full.states["m"]!));
    expect(states).toEqual({
      instances: 2, intervals: 6, totalNs: 75,
      rows: [
        { state: "busy", instances: 2, intervals: 3, totalNs: 46, share: (46 / 75) * 100 },
        { state: "idle", instances: 2, intervals: 3, totalNs: 29, share: (29 / 75) * 100 },
      ],
    });
    const segments = tallied.summaries!.segments["s"]!;
    expect(segments).toEqual(summarizeSegments(full.segments["s"]!));
    expect(segments).toEqual({ count: 3, totalNs: 46, minNs: 10, avgNs: 46 / 3, maxNs: 20 });
  });

  it("count an instance made again with the same key once", async () => {
    // tid 1 goes quiet at 2, is swept by the event at 40 (its interval closes at 2 + 10) and is
    // made again at 50: two instance objects, one key
    const rules = `machine m per $tid idle 10ns { states i, b, c = i  on a -> b  on z -> c }`;
    const events = [
      ev(0, "a", {}, { tid: 1 }), ev(2, "z", {}, { tid: 1 }), ev(40, "x"),
      ev(50, "a", {}, { tid: 1 }), ev(55, "a", {}, { tid: 2 }), ev(60, "z", {}, { tid: 1 }), ev(70, "x"),
    ];
    const full = await runRules(rules, events, { history: true });
    const tallied = await runRules(rules, events, { history: false, tally: true });
    const states = tallied.summaries!.states["m"]!;
    expect(states).toEqual(summarizeStates(full.states["m"]!));
    // b: [0,2) and [50,60) of tid 1, [55,65) of tid 2 (swept at 70); c: [2,12) and [60,70] of tid 1
    expect(states.instances).toBe(2);
    expect(states.rows.map((r) => [r.state, r.instances, r.intervals, r.totalNs])).toEqual([["b", 2, 3, 22], ["c", 1, 2, 20]]);
  });

  it("are absent when history is kept or not asked for", async () => {
    expect((await runRules(RULES, EVENTS, { history: true, tally: true })).summaries).toBeUndefined();
    expect((await runRules(RULES, EVENTS, { history: false })).summaries).toBeUndefined();
  });
});
