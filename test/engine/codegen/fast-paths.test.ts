/**
 * The code generator's fast paths (operators for `cond`/`coalesce`, plain arithmetic on values
 * known to be numbers, inline `tuple`, one scratch row per machine when history is off, and
 * tables updating only count and sum where that suffices) must not change a single result.
 * Each expectation below is worked out by hand from the events.
 */
import { describe, expect, it } from "vitest";
import { ev, runRules } from "../../helpers/run-rules.js";

const RULES = `
const BIG = 9007199254740993
machine m per $cpu {
  states idle, busy = idle
  keep id = -1, big = 0, none = null
  on sched_switch where next_tid > 0 -> busy { id = next_tid  big = cond(next_tid == 7, BIG, 1) }
  on sched_switch where next_tid == 0 -> idle
}
table t from m by state
  select count, sum(duration) as total, avg(duration / 2) as half, min(end - start) as shortest,
         max(cond(state == "busy", duration, -1)) as top, sum(duration / 0) as by_zero,
         first(id) as first_id, last(coalesce(none, id, 5)) as last_id, stddev(duration) as sd
table u from m where state == "busy" by tuple(id, "x", none) as label, big + 1 as big1 select count
table w from m split 10 by state select sum(duration) as total
`;

const EVENTS = [
  ev(0, "sched_switch", { next_tid: 7 }),
  ev(10, "sched_switch", { next_tid: 0 }),
  ev(14, "sched_switch", { next_tid: 9 }),
  ev(30, "sched_switch", { next_tid: 0 }),
  ev(35, "sched_switch", { next_tid: 0 }),
];

describe("code generator fast paths", () => {
  for (const history of [true, false]) {
    it(`tables over intervals, history ${history ? "on" : "off"}`, async () => {
      const r = await runRules(RULES, EVENTS, { history });
      // intervals: busy [0,10) id 7, idle [10,14), busy [14,30) id 9, idle [30,35] (idle -> idle
      // at 35 is no change), closed open at the end
      const t = r.tables["t"]!;
      expect(t.columns).toEqual(["state", "count", "total", "half", "shortest", "top", "by_zero", "first_id", "last_id", "sd"]);
      const byState = Object.fromEntries(t.rows.map((row) => [row[0], row]));
      expect(byState["busy"]).toEqual(["busy", 2, 26, 6.5, 10, 16, 0, 7, 9, Math.sqrt(18)]);
      const idle = byState["idle"]!;
      expect(idle[1]).toBe(2); // [10,14) and [30,35], the last one open at the end
      expect(idle[5]).toBe(-1);
      expect(idle[6]).toBe(0);
      // tuple() renders null as "?"; BIG is above 2^53, so big + 1 stays exact (a bigint)
      expect(r.tables["u"]!.rows).toEqual([["7:x:?", 9007199254740994n, 1], ["9:x:?", 2, 1]]);
      // split 10: busy [0,10) in window 0, [14,20) and [20,30) in windows 10 and 20
      expect(r.tables["w"]!.rows.find((row) => row[0] === "busy")).toEqual(["busy", 26]);
    });
  }
});
