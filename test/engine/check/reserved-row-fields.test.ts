/** Kept fields and segment bindings may not shadow the timing every row carries. */
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compile.js";

function errors(text: string) {
  return compile({ sources: [{ file: "rules.vgl", text }] }).diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => [d.span.line, d.span.col, d.code, d.message]);
}

describe("reserved row fields", () => {
  it("rejects every kept field and segment binding named like a row's own field, each located", () => {
    const text = [
      /* 1 */ "machine m per $cpu {",
      /* 2 */ "  states a, b = a",
      /* 3 */ "  keep start = 0, open = 1, vm = 2",
      /* 4 */ "  on sched_switch -> b",
      /* 5 */ "}",
      /* 6 */ "sequence s per $cpu {",
      /* 7 */ "  x: sched_switch -> sched_wakeup within 1s",
      /* 8 */ "  emit segment { duration: 1, state: 2 }",
      /* 9 */ "}",
    ].join("\n");
    const es = errors(text);
    expect(es.map((e) => e.slice(0, 3))).toEqual([
      [3, 8, "VGL245"],
      [3, 19, "VGL245"],
      [8, 18, "VGL245"],
    ]);
    expect(es[0]![3]).toMatch(/`start` cannot be a kept field.*rename it/);
    expect(es[2]![3]).toMatch(/`duration` cannot be a segment field/);
  });

  it("lets a segment carry `state` (segment rows have no state of their own)", () => {
    expect(errors("sequence s per $cpu {\n  x: sched_switch -> sched_wakeup within 1s\n  emit segment { state: 2 }\n}")).toEqual([]);
  });
});
