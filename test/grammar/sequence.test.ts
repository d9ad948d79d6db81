import { describe, expect, it } from "vitest";
import type { SequenceRule, SequenceStep } from "../../grammar/ast.js";
import { at, diagnosticsOf, expectReject, parseDecl, tree } from "./helpers.js";

const seq = (body: string, head = "sequence s per $tid"): SequenceRule => parseDecl(`${head} {\n${body}\n}`, "Sequence");
const shape = (s: SequenceStep): string =>
  s.kind === "AbsenceStep"
    ? `not ${s.events.map((e) => e.name).join("|")} within ${tree(s.within)}`
    : `${s.strict ? "=> " : ""}${s.label ? s.label.name + ":" : ""}${s.events.map((e) => e.name).join("|")}`;

describe("sequence", () => {
  it("reads followed-by and strict-next joins", () => {
    const s = seq("x: vm_exit -> e: vm_entry => y: vm_exit | kvm_exit within 1s");
    expect(s.steps.map(shape)).toEqual(["x:vm_exit", "e:vm_entry", "=> y:vm_exit|kvm_exit"]);
    expect(s.within).toMatchObject({ kind: "Duration", ns: 1_000_000_000n });
    expect(s.skip).toBe("past-last");
    expect(s.cap).toBeNull();
  });

  it("reads absence steps at the start, in the middle and at the end", () => {
    expect(seq("not a within 5ms -> b").steps.map(shape)).toEqual(["not a within 5000000ns", "b"]);
    expect(seq("a -> not b where x > 1 within 5ms -> c").steps.map(shape)).toEqual(["a", "not b within 5000000ns", "c"]);
    const end = seq("a -> not b within 5ms within 1s");
    expect(end.steps.map(shape)).toEqual(["a", "not b within 5000000ns"]);
    expect(end.within).toMatchObject({ ns: 1_000_000_000n });
    const mid = seq("a -> not b where x > 1 within 5ms -> c").steps[1]!;
    expect(mid.kind === "AbsenceStep" && tree(mid.where!)).toBe("(> x 1)");
  });

  it("reads where, quantifiers and per-step gap", () => {
    const s = seq("vm_exit where exit_reason == VMX.EPT_VIOLATION {500,} gap 1ms -> a {3} -> b {2,5} within 10ms");
    const [q1, q2, q3] = s.steps;
    expect(q1).toMatchObject({ kind: "MatchStep", quantifier: { min: 500, max: null } });
    expect(q1!.kind === "MatchStep" && tree(q1!.where!)).toBe("(== exit_reason (. VMX EPT_VIOLATION))");
    expect(q1!.kind === "MatchStep" && tree(q1!.gap!)).toBe("1000000ns");
    expect(q2).toMatchObject({ quantifier: { min: 3, max: 3 } });
    expect(q3).toMatchObject({ quantifier: { min: 2, max: 5 } });
    expect(at(q3!.kind === "MatchStep" ? q3!.quantifier! : q3!)).toBe("2:77-2:82");
  });

  it("reads cap and both skip policies", () => {
    const a = seq("a -> b within 1s", "sequence s per $tid cap 1000 skip to next");
    expect(a.skip).toBe("to-next");
    expect(a.cap).toMatchObject({ value: 1000n });
    expect(seq("a -> b within 1s", "sequence s per x.y skip past last").skip).toBe("past-last");
  });

  it("reads emit segment (trailing comma allowed) and an alert with actions", () => {
    const s = seq(`x: vm_exit -> e: vm_entry within 1s
  emit segment { vm: x.$pid, vcpu: vcpu[$tid].id, reason: vmx_name(x.exit_reason), }
  alert critical "slow exit on {vcpu[$tid].id}" do print do log "/tmp/a.json" at most every 1s`);
    expect(s.segment!.map((b) => `${b.name.name}=${tree(b.value)}`)).toEqual([
      "vm=(. x $pid)", "vcpu=(. ([] vcpu $tid) id)", "reason=(call vmx_name (. x exit_reason))",
    ]);
    expect(s.alert!.severity).toBe("critical");
    expect(s.alert!.message!.parts[0]).toBe("slow exit on ");
    expect(s.alert!.actions.map((a) => a.action.kind)).toEqual(["PrintAction", "LogAction"]);
    expect(s.alert!.actions[1]!.policy).toMatchObject({ kind: "AtMostEvery", per: null });
  });

  it("reads emit segment without fields, with or without braces", () => {
    expect(seq("a -> b within 1s\n emit segment").segment).toEqual([]);
    expect(seq("a -> b within 1s\n emit segment {}\n alert \"x\"").segment).toEqual([]);
    expect(seq("a -> b within 1s").segment).toBeNull();
  });

  it("defaults a sequence alert's severity to warning", () => {
    expect(seq('a -> b within 1s\n alert "x"').alert!.severity).toBe("warning");
  });

  it("checks quantifier bounds (VGL105)", () => {
    const d = expectReject("sequence s per $tid { a {5,2} -> b within 1s }", "VGL105", 1, 25);
    expect(d.message).toBe("quantifier {5,2} asks for at least 5 but at most 2");
  });

  it("requires a window on a not step", () => {
    const d = expectReject("sequence s per $tid {\n  a -> not b 5ms\n}", "VGL102", 2, 14);
    expect(d.message).toBe("expected `within` and a window after a `not` step (absence needs a bound), found `5ms`");
  });

  it("reports options given twice (VGL109)", () => {
    expect(diagnosticsOf("sequence s per $tid cap 1 cap 2 { a -> b within 1s }")).toEqual(["VGL109 1:27"]);
  });
});
