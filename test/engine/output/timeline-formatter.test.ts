/** The Perfetto/Chrome trace-event timeline: tracks per instance, non-overlapping state slices, paired async segments. */
import { describe, expect, it } from "vitest";
import { formatTimeline } from "../../../engine/output/timeline-formatter.js";
import { ev, runRules } from "../../helpers/run-rules.js";

describe("timeline", () => {
  it("lays states, segments and alerts out as trace events", async () => {
    const r = await runRules(`
machine m per $tid { states i, run, wait = i  on go -> run  on stop from run -> wait }
sequence s per $tid { go -> stop within 1s emit segment { n: 1 } }
alert a on stop`, [
      ev(1000, "go", {}, { tid: 7 }), ev(2500, "go", {}, { tid: 8 }), ev(3000, "stop", {}, { tid: 7 }), ev(4000, "stop", {}, { tid: 8 }), ev(9000, "x"),
    ]);
    const doc = JSON.parse(formatTimeline(r));
    const evs = doc.traceEvents as Array<Record<string, unknown>>;
    const threads = evs.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => (e.args as { name: string }).name);
    expect(threads.sort()).toEqual(["m[7]", "m[8]"]);
    const slices = evs.filter((e) => e.ph === "X").map((e) => [e.tid, e.name, e.ts, e.dur]);
    expect(slices).toEqual([[1, "run", 1, 2], [2, "run", 2.5, 1.5], [1, "wait", 3, 6], [2, "wait", 4, 5]]);
    const begins = evs.filter((e) => e.ph === "b");
    const ends = evs.filter((e) => e.ph === "e");
    expect(begins.map((e) => [e.id, e.ts])).toEqual([[1, 1], [2, 2.5]]);
    expect(ends.map((e) => [e.id, e.ts])).toEqual([[1, 3], [2, 4]]);
    expect(evs.filter((e) => e.ph === "i").map((e) => [e.name, e.ts])).toEqual([["a", 3], ["a", 4]]);
    expect(doc.metadata.origin_ns).toBe("0");
  });
});
