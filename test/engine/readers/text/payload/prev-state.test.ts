/** ftrace's prev_state letters back to TASK_* numbers (the DESIGN.md "R+" trap). */
import { describe, expect, it } from "vitest";
import { PREEMPTED_RUNNABLE, parsePluginState, parsePrevState } from "../../../../../engine/readers/text/payload/prev-state.js";

const p = (s: string): number => parsePrevState(s, 0, s.length);

describe("parsePrevState (Linux >= 4.14 layout)", () => {
  it.each([
    ["R", 0],
    ["R+", 0x100],
    ["S", 1],
    ["D", 2],
    ["T", 4],
    ["t", 8],
    ["X", 0x10],
    ["Z", 0x20],
    ["P", 0x40],
    ["I", 0x80],
    ["S|W", 0x201],
    ["D|K", 0x102],
    ["D|W|N", 0x602],
    ["0x1", 1],
    ["256", 256],
  ])("%s → %d", (text, value) => {
    expect(p(text)).toBe(value);
  });

  it("keeps the runnable test `(prev_state & 0xff) == 0` true exactly for R and R+", () => {
    const runnable = ["R", "R+", "S", "D", "D|K", "I", "S|W", "T"].filter((s) => (p(s) & 0xff) === 0);
    expect(runnable).toEqual(["R", "R+"]);
    expect(p("R+") & PREEMPTED_RUNNABLE).toBe(PREEMPTED_RUNNABLE);
  });

  it.each(["", "Q", "S|", "R++", "S D", "|S"])("rejects %j", (text) => {
    expect(p(text)).toBe(-1);
  });

  it("reads inside a larger line by offsets", () => {
    const line = "prev_state=D|K ==> next";
    expect(parsePrevState(line, 11, 14)).toBe(0x102);
  });
});

describe("parsePluginState (libtraceevent sched_switch plugin: SDTtZXxW = bits 0..7)", () => {
  it.each([
    ["R", 0],
    ["S", 1],
    ["D", 2],
    ["W", 128],
    ["S|W", 129],
    ["Z|X", 48],
  ])("%s → %d", (text, value) => {
    expect(parsePluginState(text, 0, text.length)).toBe(value);
  });
  it("rejects letters it does not print", () => {
    expect(parsePluginState("I", 0, 1)).toBe(-1);
    expect(parsePluginState("R+", 0, 2)).toBe(-1);
  });
});
