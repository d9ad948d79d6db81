/**
 * Trace Compass answer key: the virtual-machine stub traces (host.xml + guest.xml, one qemu vCPU
 * thread 31 on host CPU 0) and what Trace Compass's own tests assert on them
 * (../shared/traces/tracecompass-vm-stubs/EXPECTED.md, section 1.7).
 *
 * State mapping, Trace Compass vCPU status (VcpuStateValues) → kvm.vcpu:
 *   RUNNING (2, "R")                  → guest       (in guest mode)
 *   RUNNING|VMM (130, "R+V")          → hypervisor  (exited, handled on the CPU)
 *   RUNNING|VMM|PREEMPT (386, "R+V+P")→ preempted   (switched out runnable while exited)
 *   IDLE (1)                          → waiting     (switched out blocked)
 *   UNKNOWN (0) / null                → unknown     (no interval recorded)
 * Trace Compass intervals are closed [a, b] with b = next start − 1; ours are half-open [a, b+1).
 *
 * Where the two differ, and why: Trace Compass also reads the guest's own trace, and while the
 * vCPU is in guest mode it reports RUNNING only once the guest's scheduler runs a thread on that
 * vCPU (t=10 in the INC test, 75 in the older core test), UNKNOWN before. kvm.vcpu is a host-only
 * analysis: guest mode starts at the VM entry (t=5). From the first exit (t=45) on, every
 * interval is the same; the core test additionally binds the vCPU only at the second entry (60).
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../engine/runtime/result.js";
import { intervals } from "../../helpers/run-rules.js";
import { sharedPath } from "../../helpers/shared.js";
import { rowsOf, runPackOnTraces } from "./helpers/run-pack.js";

const MAPPING: Record<string, string> = { R: "guest", "R+V": "hypervisor", "R+V+P": "preempted", IDLE: "waiting" };

/** Trace Compass's expected Status intervals of vCPU 0 (INC VirtualMachineAnalysisTest), from t=45. */
const INC_FROM_45: Array<[number, number, string]> = [
  [45, 59, "R+V"], [60, 94, "R"], [95, 99, "R+V"], [100, 149, "R+V+P"], [150, 154, "R+V"], [155, 194, "R"],
  [195, 209, "R+V"], [210, 244, "R"], [245, 259, "R+V"], [260, 294, "R"], [295, 299, "R+V"], [300, 349, "R+V+P"],
  [350, 354, "R+V"], [355, 375, "R"],
];

async function run(variant: string): Promise<RunResult> {
  const dir = ["traces", "tracecompass-vm-stubs", variant];
  const { result, issues } = await runPackOnTraces([sharedPath(...dir, "host.xml"), sharedPath(...dir, "guest.xml")]);
  expect(issues).toEqual([]);
  return result;
}

/** Our intervals of thread 31 as Trace Compass writes them: [start, end − 1, TC status]. */
function asTraceCompass(result: RunResult, from: number): Array<[number, number, string]> {
  const inverse = Object.fromEntries(Object.entries(MAPPING).map(([tc, ours]) => [ours, tc]));
  return intervals(result, "kvm.vcpu")
    .filter(([k, , , end]) => k === 31 && end > from)
    .map(([, s, a, b]) => [Math.max(a, from), b === result.last ? b : b - 1, inverse[s]!] as [number, number, string]);
}

describe.each(["incubator-OneQemuKvm", "core-OneQemuKvm"])("Trace Compass OneQemuKvm (%s)", (variant) => {
  it("vCPU 0 (host thread 31) has Trace Compass's states from the first exit on", async () => {
    const result = await run(variant);
    expect(result.last).toBe(375);
    // Trace Compass's last interval ends at the last event (375) inclusive
    expect(asTraceCompass(result, 45)).toEqual(INC_FROM_45);
    // only the vCPU thread is tracked (thread 30 never enters a guest), and from its first entry
    expect(new Set(intervals(result, "kvm.vcpu").map(([k]) => k))).toEqual(new Set([31]));
    expect(intervals(result, "kvm.vcpu")[0]).toEqual([31, "guest", 5, 45]);
    // the kept exit reason: every exit of these traces is 32 (MSR_WRITE)
    expect((result.states["kvm.vcpu"] ?? []).filter((i) => i.state === "hypervisor").every((i) => i.fields["reason"] === 32)).toBe(true);
  });

  it("the guest's CPU 0 is run by host thread 31, as Trace Compass's VM model finds", async () => {
    const result = await run(variant);
    // vmsync exchanges: gh at 40/50 and 190/200 and 240/250, hg at 55/65, 205/215, 255/265
    expect(rowsOf(result, "kvm.guests")).toEqual([{ guest: "guest.xml", guest_cpu: 0, host: "host.xml", host_tid: 31, syncs: 6, vm: -1, vcpu: 0 }]);
  });

  it("tables from the stubs: exits with their handling times, one preemption per descheduling", async () => {
    const result = await run(variant);
    // exits at 45, 95, 195, 245, 295 re-entered at 60, 155, 210, 260, 355
    expect(rowsOf(result, "kvm.exits")).toEqual([{
      vm: -1, reason: "MSR_WRITE", count: 5, count_pct: 100, total_ns: 15 + 60 + 15 + 15 + 60, time_pct: 100,
      // perf's relative stddev of the mean: sample variance (3·18² + 2·27²)/4 = 607.5 over n = 5, √ over the mean 33
      min_ns: 15, max_ns: 60, avg_ns: 33, stddev_pct: (100 * Math.sqrt(607.5 / 5)) / 33,
    }]);
    expect(rowsOf(result, "kvm.vcpu_time")).toEqual([{
      tid: 31, vm: -1, vcpu: 0, guest_ns: 40 + 35 + 40 + 35 + 35 + 20, hypervisor_ns: 15 + 5 + 5 + 15 + 15 + 5 + 5,
      preempted_ns: 50 + 50, waiting_ns: 0, exits: 5, preemptions: 2,
    }]);
    // the stubs carry no pid: the preempting thread 30 is named "any" in the trace
    expect(rowsOf(result, "kvm.preemptions")).toEqual([{ vm: -1, vcpu: 0, by_comm: "any", by_tid: 30, by_vm: -1, count: 2, total_ns: 100, max_ns: 50 }]);
  });
});
