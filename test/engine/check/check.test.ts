/** The checker: every mistake of a file reported, located, with did-you-mean hints. */
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compile.js";

function diagnose(text: string) {
  return compile({ sources: [{ file: "rules.vgl", text }] }).diagnostics.map((d) => ({
    line: d.span.line, col: d.span.col, severity: d.severity, code: d.code, message: d.message, hint: d.hint,
  }));
}

describe("checker", () => {
  it("reports every semantic mistake of a file, each located, with hints", () => {
    const text = [
      /* 1 */ "machine vcpu per $tid {",
      /* 2 */ "  states unknown, guest, host = unknown",
      /* 3 */ "  keep id = -1",
      /* 4 */ "  on kvm_exti -> host",
      /* 5 */ "  on kvm_entry -> gust { id = vcpu_id }",
      /* 6 */ "  on kvm_exit from guest -> host { reason = exit_reason }",
      /* 7 */ "}",
      /* 8 */ "sequence h per $tid {",
      /* 9 */ "  x: kvm_exit -> kvm_entry where vcpu_idd == x.vcpu_id within 1s",
      /* 10 */ "  emit segment { vcpu: vcpu[$tid].idd }",
      /* 11 */ "}",
      /* 12 */ "table t from hh by vcpu select count",
      /* 13 */ "alert a when vcpu enters preempted and stays 10ms",
      /* 14 */ "alert b on kvm_exit where lenn(comm) > 3",
    ].join("\n");
    const ds = diagnose(text).filter((d) => d.severity === "error");
    expect(ds.map((d) => [d.line, d.col, d.code])).toEqual([
      [4, 6, "VGL202"],
      [5, 19, "VGL216"],
      [6, 36, "VGL219"],
      [9, 34, "VGL212"],
      [10, 24, "VGL215"],
      [12, 14, "VGL224"],
      [13, 26, "VGL216"],
      [14, 27, "VGL206"],
      [14, 32, "VGL212"], // kvm_exit has no `comm` field (it is context: $comm)
    ]);
    const hint = (code: string, line: number) => ds.find((d) => d.code === code && d.line === line)?.hint;
    expect(hint("VGL202", 4)).toBe("did you mean `kvm_exit`?");
    expect(hint("VGL216", 5)).toBe("did you mean `guest`?");
    expect(hint("VGL212", 9)).toBe("did you mean `vcpu_id`?");
    expect(hint("VGL215", 10)).toBe("did you mean `id`?");
    expect(hint("VGL224", 12)).toBe("did you mean `h`?");
    expect(hint("VGL206", 14)).toBe("did you mean `len`?");
  });

  it("checks bounds: windows are durations, caps positive counts", () => {
    const ds = diagnose(`sequence s per $tid cap 0 { x: kvm_exit -> kvm_entry within "soon" emit segment { n: 1 } }`);
    expect(ds.filter((d) => d.severity === "error").map((d) => d.code).sort()).toEqual(["VGL302", "VGL303"]);
  });

  it("warns about rules on every event and unbounded sequences, and about unknown events", () => {
    const ds = diagnose(`
alert everything when comm == "x"
sequence s per $tid { x: kvm_exit -> kvm_entry emit segment { n: 1 } }
alert custom on my_ust_event`);
    expect(ds.filter((d) => d.severity === "warning").map((d) => d.code)).toEqual(["VGL401", "VGL402", "VGL203"]);
    expect(ds.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("expands macros where they are used and catches recursion", () => {
    const ds = diagnose(`
macro a = b
macro b = a
alert x on sched_switch where a`);
    expect(ds.some((d) => d.code === "VGL211")).toBe(true);
  });

  it("accepts --set overrides of consts and checks them as bounds", () => {
    const text = `const T = 10ms\nalert long when m enters s and stays T\nmachine m per $tid { states i, s = i  on kvm_exit -> s }`;
    const out = compile({ sources: [{ file: "r.vgl", text }], overrides: new Map([["T", { kind: "Str", value: "x", span: { file: "--set", line: 1, col: 1, endLine: 1, endCol: 2 } }]]) });
    expect(out.diagnostics.map((d) => d.code)).toContain("VGL302");
  });
});
