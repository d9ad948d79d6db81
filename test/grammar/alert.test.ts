import { describe, expect, it } from "vitest";
import type { Template } from "../../grammar/ast.js";
import { diagnosticsOf, expectReject, parseDecl, tree } from "./helpers.js";

const parts = (t: Template | null): string[] => (t?.parts ?? []).map((p) => (typeof p === "string" ? JSON.stringify(p) : tree(p)));

describe("alert", () => {
  it("reads a when-enters trigger with stays, severity, message and a snapshot with a policy", () => {
    const a = parseDecl(
      `alert long_preemption when vcpu enters preempted and stays 10ms
  severity warning
  message "vCPU {id} of VM {vm} preempted for {duration}"
  do snapshot "kvm-fr" at most every 30s per vm`,
      "Alert",
    );
    expect(a.trigger).toMatchObject({ kind: "WhenState", machine: { name: "vcpu" }, state: { name: "preempted" }, stays: { ns: 10_000_000n } });
    expect(a.spec.severity).toBe("warning");
    expect(parts(a.spec.message)).toEqual(['"vCPU "', "id", '" of VM "', "vm", '" preempted for "', "duration"]);
    const act = a.spec.actions[0]!;
    expect(act.action).toMatchObject({ kind: "SnapshotAction", name: null, maxSize: null });
    expect(act.action.kind === "SnapshotAction" && parts(act.action.session)).toEqual(['"kvm-fr"']);
    expect(act.policy).toMatchObject({ kind: "AtMostEvery", interval: { ns: 30_000_000_000n }, per: { kind: "Name", name: "vm" } });
  });

  it("reads a when-enters trigger without stays", () => {
    expect(parseDecl("alert a when vcpu enters waiting", "Alert").trigger).toMatchObject({ kind: "WhenState", stays: null });
  });

  it("reads a when-condition trigger", () => {
    const a = parseDecl('alert a when $name == "kvm_exit" && exit_reason in (1, 2)', "Alert");
    expect(a.trigger.kind).toBe("WhenCondition");
    expect(a.trigger.kind === "WhenCondition" && tree(a.trigger.cond)).toBe('(&& (== $name "kvm_exit") (in exit_reason [1 2]))');
    expect(a.spec).toEqual({ severity: "warning", message: null, actions: [] });
  });

  it("reads an on-events trigger with where and every action kind", () => {
    const a = parseDecl(
      `alert a on kvm_exit | kvm_x86_exit where exit_reason == 12
  severity critical
  do print
  do log "/var/log/vigil/{$host}.json" once after 10 per $tid
  do exec ["notify-send", "exit {exit_reason} on {$comm}"]
  do snapshot "fr" name "snap-{$ts}" max size 64MiB
  do rotate "fr" at most every 1min`,
      "Alert",
    );
    expect(a.trigger).toMatchObject({ kind: "OnEvents", events: [{ name: "kvm_exit" }, { name: "kvm_x86_exit" }] });
    expect(a.spec.severity).toBe("critical");
    const [print, log, exec, snap, rotate] = a.spec.actions.map((d) => d.action);
    expect(print!.kind).toBe("PrintAction");
    expect(log!.kind === "LogAction" && parts(log!.file)).toEqual(['"/var/log/vigil/"', "$host", '".json"']);
    expect(a.spec.actions[1]!.policy).toMatchObject({ kind: "OnceAfter", count: { value: 10n }, per: { kind: "Context", name: "tid" } });
    expect(exec!.kind === "ExecAction" && exec!.argv.map(parts)).toEqual([['"notify-send"'], ['"exit "', "exit_reason", '" on "', "$comm"]]);
    expect(snap).toMatchObject({ kind: "SnapshotAction", maxSize: { kind: "Size", bytes: 67_108_864n } });
    expect(snap!.kind === "SnapshotAction" && parts(snap!.name)).toEqual(['"snap-"', "$ts"]);
    expect(rotate!.kind).toBe("RotateAction");
    expect(a.spec.actions[4]!.policy).toMatchObject({ kind: "AtMostEvery", interval: { ns: 60_000_000_000n }, per: null });
  });

  it("checks the severity with a did-you-mean hint (VGL106)", () => {
    const d = expectReject("alert a when x\n  severity warn", "VGL106", 2, 12);
    expect(d.message).toBe("unknown severity `warn`");
    expect(d.hint).toMatch(/^did you mean `warning`\?/);
    expect(expectReject("alert a when x severity critcal", "VGL106", 1, 25).hint).toMatch(/^did you mean `critical`\?/);
  });

  it("reports a missing trigger and clauses given twice", () => {
    const d = expectReject("alert a severity error", "VGL102", 1, 9);
    expect(d.message).toBe("expected `on EVENTS` or `when …` after the alert's name, found `severity`");
    expect(diagnosticsOf('alert a when x message "a" message "b"')).toEqual(["VGL109 1:28"]);
  });
});
