/** Alerts: triggers, templates, `stays`, rate policies with counted suppression, actions. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ev, runRules } from "../../helpers/run-rules.js";

const PREEMPT = `
machine vcpu per $tid {
  states unknown, running, preempted = unknown
  keep vm = 0
  on kvm_entry -> running { vm = $pid }
  on sched_switch for prev_tid from running -> preempted
  on sched_switch for next_tid from preempted -> running
}`;

describe("state alerts", () => {
  it("`enters S and stays T` fires once at start + T, only if still in S", async () => {
    const r = await runRules(PREEMPT + `
alert long when vcpu enters preempted and stays 10ms
  severity warning
  message "vCPU of VM {vm} preempted since {start} for {duration}ns"`, [
      ev(0, "kvm_entry", {}, { tid: 1, pid: 100 }),
      ev(1_000_000, "sched_switch", { prev_tid: 1, next_tid: 2 }),
      ev(5_000_000, "sched_switch", { prev_tid: 2, next_tid: 1 }), // back after 4 ms: no alert
      ev(6_000_000, "sched_switch", { prev_tid: 1, next_tid: 2 }),
      ev(30_000_000, "sched_switch", { prev_tid: 2, next_tid: 1 }), // 24 ms: alert at 16 ms
    ]);
    expect(r.alerts.map((a) => [a.rule, a.severity, a.ts, a.message])).toEqual([
      ["long", "warning", 16_000_000, "vCPU of VM 100 preempted since 6000000 for 10000000ns"],
    ]);
  });

  it("`enters S` without stays fires at entry with the kept fields", async () => {
    const r = await runRules(PREEMPT + `\nalert p when vcpu enters preempted`, [
      ev(0, "kvm_entry", {}, { tid: 1, pid: 100 }), ev(7, "sched_switch", { prev_tid: 1, next_tid: 2 }),
    ]);
    expect(r.alerts.map((a) => [a.ts, a.fields["vm"], a.fields["key"]])).toEqual([[7, 100, 1]]);
  });
});

describe("event alerts", () => {
  it("`on EVENT where C` and `when C` with a derived event set", async () => {
    const r = await runRules(`
alert hlt on kvm_exit where exit_reason == 12 message "HLT on cpu {$cpu} by {$comm}"
alert big when $name == "kvm_exit" && exit_reason in (48, 49)`, [
      ev(1, "kvm_exit", { exit_reason: 12 }, { cpu: 3, tid: 5, comm: "CPU 0/KVM" }),
      ev(2, "kvm_exit", { exit_reason: 48 }),
      ev(3, "kvm_entry", { exit_reason: 48 }),
    ]);
    expect(r.alerts.map((a) => [a.rule, a.ts, a.message])).toEqual([["hlt", 1, "HLT on cpu 3 by CPU 0/KVM"], ["big", 2, "big"]]);
    expect(r.alerts[0]!.fields).toMatchObject({ event: "kvm_exit", cpu: 3, tid: 5, exit_reason: 12 });
  });
});

describe("alert context", () => {
  it("freezes the machine instances an alert refers to, sharing unchanged snapshots", async () => {
    const r = await runRules(`
machine vcpu per $tid {
  states unknown, guest, host = unknown
  keep id = -1, exits = 0
  on kvm_entry -> guest { id = vcpu_id }
  on kvm_exit from guest -> host { exits = exits + 1 }
}
alert seen on sched_switch where vcpu[prev_tid].state != null message "vcpu {vcpu[prev_tid].id}"`, [
      ev(1, "kvm_entry", { vcpu_id: 3 }, { tid: 7 }),
      ev(2, "sched_switch", { prev_tid: 7, next_tid: 0 }),
      ev(3, "sched_switch", { prev_tid: 7, next_tid: 0 }),
      ev(4, "kvm_exit", {}, { tid: 7 }),
      ev(5, "sched_switch", { prev_tid: 7, next_tid: 0 }),
    ]);
    const snaps = r.alerts.map((a) => (a.fields["instances"] as Record<string, Record<string, unknown>>)["vcpu[prev_tid]"]!);
    expect(snaps.map((s) => [s["state"], s["exits"], s["since"]])).toEqual([["guest", 0, 1], ["guest", 0, 1], ["host", 1, 4]]);
    expect(snaps[0]).toBe(snaps[1]); // unchanged instance: the same frozen object
    expect(Object.isFrozen(snaps[2])).toBe(true);
  });
});

describe("rate policies", () => {
  const events = [0, 1, 2, 3, 10, 11, 20].map((t, i) => ev(t * 1000, "e", { vm: i % 2 }));
  it("at most every T per KEY lets one action through per window and key, counts the rest", async () => {
    const lines: string[] = [];
    const r = await runRules(`alert a on e do print at most every 5us per vm`, events, { print: (l) => lines.push(l) });
    expect(r.alerts.length).toBe(7); // every alert is recorded
    // vm0 at 0, 2, 10, 20 → passes 0, 10, 20; vm1 at 1, 3, 11 → passes 1, 11
    expect(lines.map((l) => l.split("@")[1]!.split(":")[0])).toEqual(["0", "1000", "10000", "11000", "20000"]);
    expect(r.stats.suppressed_alerts).toBe(2);
    expect(r.stats.suppressed_by_rule).toEqual({ a: 2 });
  });
  it("once after N lets exactly the N-th occurrence through", async () => {
    const lines: string[] = [];
    const r = await runRules(`alert a on e do print once after 3`, events, { print: (l) => lines.push(l) });
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain("@2000:");
    expect(r.stats.suppressed_alerts).toBe(6);
  });
});

describe("actions", () => {
  it("log writes JSON lines with the record; exec runs an argument vector, never a shell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-actions-"));
    const log = join(dir, "alerts.jsonl");
    const marker = join(dir, "touched; echo pwned");
    const rules = `alert a on e message "value {v}" do log "${log.replace(/\\/g, "/")}" do exec ["touch", "${marker.replace(/\\/g, "/")}"]`;
    const r = await runRules(rules, [ev(5, "e", { v: 7 })]);
    expect(r.stats.action_failures).toBe(0);
    const lines = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ rule: "a", ts: 5, message: "value 7", v: 7 })]);
    // the whole string, `;` and all, was one argument: the file exists under that exact name
    expect(readFileSync(marker, "utf8")).toBe("");
  });
  it("a failing action is counted, not thrown", async () => {
    const r = await runRules(`alert a on e do exec ["/nonexistent/vigil-no-such-program"]`, [ev(1, "e")]);
    expect(r.stats.action_failures).toBe(1);
  });
});
