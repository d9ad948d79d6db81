/**
 * Real answer keys: Trace Compass's own test expectations on its stub traces
 * (../shared/traces/tracecompass-vm-stubs/EXPECTED.md), reproduced by rules in the language.
 */
import { describe, expect, it } from "vitest";
import { sharedPath } from "../../helpers/shared.js";
import { intervals, runOnTraces } from "../../helpers/run-rules.js";

const THREAD_STATE = `
# A thread's state from sched_switch alone: running while switched in; when switched out,
# preempted if still runnable (prev_state 0, or 0x100 = R+), else blocked.
machine thread per $tid {
  states unknown, running, preempted, blocked = unknown
  on sched_switch for next_tid -> running
  on sched_switch for prev_tid where (prev_state & 0xff) == 0 -> preempted
  on sched_switch for prev_tid -> blocked
}
`;

const VCPU = `
event vm_entry = kvm_x86_entry | kvm_entry
event vm_exit  = kvm_x86_exit  | kvm_exit
macro still_runnable = (prev_state & 0xff) == 0

machine vcpu per $tid {
  states unknown, guest, host, preempted, waiting = unknown
  keep id = -1, reason = -1
  on vm_entry                    -> guest    { id = vcpu_id }
  on vm_exit      from guest     -> host     { reason = exit_reason }
  on sched_switch for prev_tid where still_runnable
                  from guest, host -> preempted
  on sched_switch for prev_tid   from host   -> waiting
  on sched_switch for next_tid   from preempted, waiting -> host
}
`;

describe("Trace Compass answer keys", () => {
  it("thread states on core-graph/sched_only.xml match LttngExecutionGraphTest", async () => {
    const { result, issues } = await runOnTraces(THREAD_STATE, [sharedPath("traces", "tracecompass-vm-stubs", "core-graph", "sched_only.xml")]);
    expect(issues).toEqual([]);
    const byTid = (tid: number) => intervals(result, "thread").filter(([k]) => k === tid).map(([, s, a, b]) => [s, a, b]);
    // tid 1: preempted 10–20, running 20–30, preempted 30–40
    expect(byTid(1)).toEqual([["preempted", 10, 20], ["running", 20, 30], ["preempted", 30, 40]]);
    // tid 2: running 10–20, blocked 20–30, running 30–40
    expect(byTid(2)).toEqual([["running", 10, 20], ["blocked", 20, 30], ["running", 30, 40]]);
  });

  it("vCPU intervals on incubator-OneQemuKvm/host.xml match VirtualMachineAnalysisTest", async () => {
    // Run on the experiment (host + guest) as Trace Compass does: the guest trace ends at 375.
    const dir = ["traces", "tracecompass-vm-stubs", "incubator-OneQemuKvm"];
    const { result } = await runOnTraces(VCPU, [sharedPath(...dir, "host.xml"), sharedPath(...dir, "guest.xml")]);
    expect(result.hosts).toEqual(["host.xml", "guest.xml"]);
    expect(result.last).toBe(375);
    const vcpu = intervals(result, "vcpu").filter(([k]) => k === 31);
    const of = (state: string) => vcpu.filter(([, s]) => s === state).map(([, , a, b]) => [a, b]);
    // Trace Compass intervals end at the next start − 1; ours are half-open [start, end).
    expect(of("host")).toEqual([[45, 60], [95, 100], [150, 155], [195, 210], [245, 260], [295, 300], [350, 355]]);
    expect(of("preempted")).toEqual([[100, 150], [300, 350]]);
    expect(of("guest")).toEqual([[5, 45], [60, 95], [155, 195], [210, 245], [260, 295], [355, 375]]);
    // every exit in this trace has reason 32; the host intervals keep it
    expect(result.states["vcpu"]!.filter((i) => i.state === "host").every((i) => i.fields["reason"] === 32)).toBe(true);
    // only the vCPU thread gets an instance (thread 30 never enters a guest)
    expect(new Set(vcpu.map(([k]) => k))).toEqual(new Set([31]));
    expect(intervals(result, "vcpu").every(([k]) => k === 31)).toBe(true);
  });
});
