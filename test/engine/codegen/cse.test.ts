/**
 * Common subexpressions (engine/codegen/cse.ts): a macro, map lookup or machine instance that
 * a transition, a routing guard or a table update repeats is computed once per call — and a
 * fresh value on every call. The expectations are worked out by hand from the events.
 */
import { describe, expect, it } from "vitest";
import { CseScope } from "../../../engine/codegen/cse.js";
import { compileOk, ev, runRules } from "../../helpers/run-rules.js";

const RULES = `
map names = { 1: "one", 2: "two" }
# a counter per cpu that moves on every switch: a stale memo would show its old value
machine counter per $cpu {
  states none, counting = none
  keep n = 0
  on sched_switch -> again counting { n = n + 1 }
}
macro seen = counter[$cpu].n
macro label = coalesce(names[next_tid], "other")
machine m per $cpu {
  states idle, busy = idle
  keep a = 0, b = 0, who = "", twice = ""
  on sched_switch where seen > 1 and seen < 4 -> busy { a = seen  b = seen * 10  who = label  twice = label + "/" + label }
  on sched_switch where seen >= 4 -> idle { a = seen }
}
table t from m where a > 0 and a < 9 by cond(a > 0, str(a), "none") as l select count, sum(a + a) as aa
`;

describe("common subexpressions", () => {
  it("repeated macros and lookups are computed once per call, afresh on every call", async () => {
    const text = RULES;
    const r = await runRules(text, [
      ev(0, "sched_switch", { next_tid: 1 }),  // counter 1: m stays unborn
      ev(10, "sched_switch", { next_tid: 2 }), // counter 2: m born busy, a 2, b 20, who "two"
      ev(20, "sched_switch", { next_tid: 1 }), // counter 3: busy -> busy (no move) sets a 3, b 30, who "one"
      ev(30, "sched_switch", { next_tid: 7 }), // counter 4: -> idle, a 4
      ev(40, "sched_switch", { next_tid: 7 }), // counter 5: idle -> idle (no move), a 5
    ], { history: true });
    const iv = r.states["m"]!.map((x) => [x.state, x.start, x.end, x.fields["a"], x.fields["b"], x.fields["who"], x.fields["twice"]]);
    // the busy interval [10,30) ends with the values of the 20 ns switch (busy -> busy
    // assigns without moving): a 3, b 30, who "one"
    expect(iv).toEqual([
      ["busy", 10, 30, 3, 30, "one", "one/one"],
      ["idle", 30, 40, 5, 30, "one", "one/one"],
    ]);
    // rows: busy (a 3) and idle (a 5), each its own group by str(a)
    expect(r.tables["t"]!.rows).toEqual([["3", 1, 6], ["5", 1, 10]]);
  });

  it("memoises only what repeats within one generated function", () => {
    const text = RULES;
    const src = compileOk(text).program!.source;
    const transition = /function M1_t0\(i, key, ev, f\) \{[\s\S]*?\n\}/.exec(src)![0];
    // `seen` (counter[$cpu].n) appears in three right-hand sides, `label` in three: one memo each
    expect(transition.match(/let (_c\d+ = _NA(, )?)+;/)?.[0].match(/_c\d+/g)?.length).toBeGreaterThanOrEqual(2);
    expect(transition).toMatch(/_c\d+ !== _NA \? _c\d+ : \(_c\d+ = \(\(\(t = /);
    // the second transition reads `seen` once: nothing memoised there
    const second = /function M1_t1\(i, key, ev, f\) \{[\s\S]*?\n\}/.exec(src)![0];
    expect(second).not.toContain("_c0");
  });

  it("a scope counts first and memoises on the second pass only what was seen twice", () => {
    const cse = new CseScope();
    expect(cse.use("a", "x()")).toBe("x()");
    expect(cse.use("a", "x()")).toBe("x()");
    expect(cse.use("b", "y()")).toBe("y()");
    cse.emit();
    expect(cse.use("a", "x()")).toBe("(_c0 !== _NA ? _c0 : (_c0 = x()))");
    expect(cse.use("b", "y()")).toBe("y()");
    expect(cse.declarations()).toBe("let _c0 = _NA;");
  });
});
