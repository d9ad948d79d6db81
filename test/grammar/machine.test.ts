import { describe, expect, it } from "vitest";
import { at, expectReject, parseDecl, tree } from "./helpers.js";

const MACHINE = `machine vcpu per $tid idle 10s cap 4096 {
  states unknown, guest, host = unknown
  keep vm = 0, id = -1
  on vm_entry -> guest { vm = $pid; id = vcpu_id }
  on vm_exit from guest -> host { reason = exit_reason, n = n + 1 }
  on sched_switch for prev_tid where (prev_state & 0xff) == 0
                  from guest, host -> preempted
  on kvm_exit | kvm_x86_exit -> host
  on enter guest { since = $ts }
  on exit host { }
}`;

describe("machine", () => {
  const m = parseDecl(MACHINE, "Machine");

  it("reads name, key, idle and cap", () => {
    expect(m.name.name).toBe("vcpu");
    expect(tree(m.key)).toBe("$tid");
    expect(m.idle).toMatchObject({ kind: "Duration", ns: 10_000_000_000n });
    expect(m.cap).toMatchObject({ kind: "Int", value: 4096n });
    expect(at(m)).toBe("1:1-11:2");
  });

  it("reads states with the initial state, and kept fields", () => {
    expect(m.states.map((s) => s.name)).toEqual(["unknown", "guest", "host"]);
    expect(m.initial.name).toBe("unknown");
    expect(m.keep.map((a) => `${a.target.name}=${tree(a.value)}`)).toEqual(["vm=0", "id=(- 1)"]);
  });

  it("reads transitions in source order with for, where, from and assignments", () => {
    expect(m.transitions).toHaveLength(4);
    const [entry, exit, sw, alias] = m.transitions;
    expect(entry!.events.map((e) => e.name)).toEqual(["vm_entry"]);
    expect(entry!.to.name).toBe("guest");
    expect(entry!.assignments.map((a) => a.target.name)).toEqual(["vm", "id"]);
    expect(exit!.from.map((s) => s.name)).toEqual(["guest"]);
    expect(exit!.assignments.map((a) => tree(a.value))).toEqual(["exit_reason", "(+ n 1)"]);
    expect(tree(sw!.routeKey!)).toBe("prev_tid");
    expect(tree(sw!.where!)).toBe("(== (paren (& prev_state 255)) 0)");
    expect(sw!.from.map((s) => s.name)).toEqual(["guest", "host"]);
    expect(sw!.to.name).toBe("preempted");
    expect(at(sw!)).toBe("6:3-7:48"); // `preempted` ends at column 47 inclusive
    expect(alias!.events.map((e) => e.name)).toEqual(["kvm_exit", "kvm_x86_exit"]);
    expect(alias!.routeKey).toBeNull();
    expect(alias!.assignments).toEqual([]);
  });

  it("reads enter and exit hooks", () => {
    expect(m.hooks.map((h) => `${h.when} ${h.state.name} ${h.assignments.length}`)).toEqual(["enter guest 1", "exit host 0"]);
  });

  it("keeps an event named like a hook keyword usable in a transition", () => {
    const t = parseDecl("machine m per $tid { states a = a\n on enter -> a }", "Machine");
    expect(t.transitions[0]!.events[0]!.name).toBe("enter");
    expect(t.hooks).toEqual([]);
  });

  it("reports a missing arrow, worded for people", () => {
    const d = expectReject("machine m per $tid {\n  states a, b = a\n  on vm_entry guest { x = 1 }\n}", "VGL102", 3, 15);
    expect(d.message).toBe("expected `->` after the transition's events, found `guest`");
  });

  it("reports a machine without states (VGL110) and a second states line (VGL109)", () => {
    expectReject("machine m per $tid { on a -> b }", "VGL110", 1, 9);
    expectReject("machine m per $tid { states a = a\n states b = b }", "VGL109", 2, 2);
  });

  it("reports a missing key", () => {
    const d = expectReject("machine m { states a = a }", "VGL102", 1, 11);
    expect(d.message).toBe("expected `per` and the machine's key after its name (`machine NAME per KEY {`), found `{`");
  });
});
