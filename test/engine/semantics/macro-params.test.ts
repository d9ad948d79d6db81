/**
 * Macros with parameters (`macro f(a, b) = ...`, used as `f(x, y)`): a call stands for the body
 * with each parameter replaced by the argument's expression. Values worked out by hand; every
 * mistake is reported, located, with its code.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compile.js";
import { ev, runRules } from "../../helpers/run-rules.js";

const RULES = `
const FIRST_DEVICE = 32
map names = { 7: "seven" }
macro class_of(v) = cond(v >= FIRST_DEVICE, "device", "system")
macro label(id, fallback) = coalesce(names[id], fallback)
macro to_ms(ns) = ns / 1000000
macro twice(x) = x + x
# a parameter shadows the event field of the same name, and calls nest
macro both(irq) = class_of(irq) + "/" + class_of(twice(irq))
machine m per $cpu {
  states idle, busy = idle
  keep cls = "", who = "", pair = ""
  on inj where class_of(vec) == "device" -> busy { cls = class_of(vec)  who = label(vec, "vec " + str(vec))  pair = both(vec) }
  on inj where class_of(vec) == "system" -> idle { who = label(irq, "none") }
}
table t from m by state, cls select count, sum(to_ms(duration)) as ms_total, max(twice(duration)) as longest2
alert a on inj where twice(vec) > 100 message "{label(vec, vec)} is {class_of(vec)}"
`;

describe("macros with parameters", () => {
  it("expand where they are called: guards, assignments, tables, templates", async () => {
    const r = await runRules(RULES, [
      ev(0, "inj", { vec: 40, irq: 7 }),
      ev(2_000_000, "inj", { vec: 7, irq: 7 }),
      ev(5_000_000, "inj", { vec: 236, irq: 1 }),
      ev(9_000_000, "inj", { vec: 3, irq: 2 }),
    ], { history: true });
    // 0: vec 40 ≥ 32 → busy, who "vec 40" (40 not in names), pair "device/device" (80 ≥ 32)
    // 2ms: vec 7 → idle, who = names[irq 7] = "seven"; the busy interval [0, 2ms) ends first
    // 5ms: vec 236 → busy again (who "vec 236", pair "device/device"); 9ms: vec 3 → idle,
    //      who names[2] → "none"
    const iv = r.states["m"]!.map((x) => [x.state, x.start, x.end, x.fields["cls"], x.fields["who"], x.fields["pair"]]);
    expect(iv).toEqual([
      ["busy", 0, 2_000_000, "device", "vec 40", "device/device"],
      ["idle", 2_000_000, 5_000_000, "device", "seven", "device/device"],
      ["busy", 5_000_000, 9_000_000, "device", "vec 236", "device/device"],
    ]);
    // busy: 2 ms + 4 ms; idle: 3 ms (the last idle interval has no length: no row)
    expect(r.tables["t"]!.rows).toEqual([["busy", "device", 2, 6, 8_000_000], ["idle", "device", 1, 3, 6_000_000]]);
    // twice(vec) > 100: vec 236 only (80 and 14 and 6 are not)
    expect(r.alerts.map((a) => a.message)).toEqual(["236 is device"]);
  });

  it("reports every misuse, located, in one pass", () => {
    const text = [
      "macro f(a, b) = a + b",            // 1
      "macro plain = 1",                   // 2
      "macro hex(x) = x",                  // 3: a built-in function's name
      "macro dup(a, a) = a",               // 4: a parameter twice
      "macro loop(x) = loop(x)",           // 5
      "alert a1 on e where f(1) > 0",      // 6: one argument short
      "alert a2 on e where f > 0",         // 7: used without arguments
      "alert a3 on e where plain(2) > 0",  // 8: a plain macro called
      "alert a4 on e where loop(1) > 0",   // 9: recursion
      "alert a5 on e where f(nosuch(1), 2) > 0", // 10: the mistake is in an argument
    ].join("\n");
    const out = compile({ sources: [{ file: "m.vgl", text }] });
    const got = out.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.span.line]);
    expect(got).toEqual(expect.arrayContaining([
      ["VGL246", 3], ["VGL246", 4], ["VGL247", 6], ["VGL247", 7], ["VGL247", 8], ["VGL211", 5], ["VGL206", 10],
    ]));
    // (the recursion is located in the body, and says where the macro was used)
    expect(out.diagnostics.find((d) => d.code === "VGL211")!.message).toContain("used at line 9");
    // the argument's mistake is reported once, not again inside the macro
    expect(out.diagnostics.filter((d) => d.code === "VGL206")).toHaveLength(1);
    const f1 = out.diagnostics.find((d) => d.code === "VGL247" && d.span.line === 6)!;
    expect(f1.message).toBe("Macro `f(a, b)` takes 2 argument(s), got 1");
    expect(out.diagnostics.find((d) => d.code === "VGL247" && d.span.line === 7)!.message).toBe("Macro `f` takes arguments: write `f(a, b)`");
  });

  it("a parameter list needs at least one name", () => {
    const out = compile({ sources: [{ file: "m.vgl", text: "macro f() = 1\n" }] });
    const errors = out.diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.span.line).toBe(1);
  });
});
