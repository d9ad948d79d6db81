/**
 * VM-aware critical path on a simulated kvm host (critical-path-kvm-sim.ts): a guest request
 * waits for a disk interrupt while its vCPU thread is held off its CPU by a noisy neighbour.
 * The path of the vCPU must hand every nanosecond to the cause the simulation put there.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { criticalPath, findThreads, KVM_VCPU, vcpuThreads } from "../../../engine/analyses/critical-path.js";
import { runPacks } from "./critical-path-helpers.js";
import { simulateKvmHost, type KvmSimulation } from "./critical-path-kvm-sim.js";

function traceFile(sim: KvmSimulation): string {
  const p = join(mkdtempSync(join(tmpdir(), "vigil-kvm-sim-")), "host.jsonl");
  writeFileSync(p, sim.lines.join("\n") + "\n");
  return p;
}

const totalsOf = (r: ReturnType<typeof criticalPath>) => new Map(r.totals.map((t) => [`${t.state}: ${t.cause}`, t.duration]));

describe("critical path of a vCPU (kvm pack loaded)", () => {
  it.each([[7, 12], [42, 30]])("seed %i, %i requests: disk wait and preemption by the neighbour, exactly", async (seed, requests) => {
    const sim = simulateKvmHost(requests, seed);
    const { result, g } = await runPacks([traceFile(sim)], ["sched", "kvm"]);
    expect(vcpuThreads(result, KVM_VCPU, 1000, 0)).toEqual([1001]);
    expect(vcpuThreads(result, KVM_VCPU, 2000, 0)).toEqual([2001]);
    const r = criticalPath(result, g, findThreads(g, { tid: 1001 })[0]!);
    const x = sim.expected;
    expect([r.target.start, r.target.end]).toEqual([x.start, x.end]);
    expect(totalsOf(r)).toEqual(new Map([
      ["preempted: by CPU 0/KVM (2001)", x.preemptedByNoisy],
      ["timer: ", x.timer],
      ["block_device: BLOCK softirq", x.disk],
      ["guest: CPU 0/KVM (1001)", x.guest],
      ["hypervisor: exit HLT (12)", x.hypervisor.get(12)],
      ["running: qemu-iothread (1005)", x.ioRunning],
      ["hypervisor: exit IO_INSTRUCTION (30)", x.hypervisor.get(30)],
      ["hypervisor: exit EXTERNAL_INTERRUPT (1)", x.hypervisor.get(1)],
      ["preempted: by swapper/1", x.ioPreempted],
      ["running: CPU 0/KVM (1001)", x.unsplit],
    ].sort((a, b) => (b[1] as number) - (a[1] as number)) as Array<[string, number]>));
    expect(r.totals.reduce((a, t) => a + t.duration, 0)).toBe(x.end - x.start);
    // the disk wait is the I/O thread's, reached from the vCPU's sleep
    const hop = r.rows.find((row) => row.vertical && row.state === "default")!;
    expect(hop.label).toBe("CPU 0/KVM (1001) → qemu-iothread (1005)");
  });

  it("a preemption in guest mode is told by the vCPU machine; one after a wakeup, by who ran on the CPU", async () => {
    const sim = simulateKvmHost(3, 7);
    const { result, g } = await runPacks([traceFile(sim)], ["sched", "kvm"]);
    const rows = criticalPath(result, g, findThreads(g, { tid: 1001 })[0]!).rows.filter((row) => row.state === "preempted" && row.worker.endsWith(":1001:-1"));
    const vcpu = result.states["kvm.vcpu"]!.filter((i) => i.key === 1001);
    const kvmState = (t: number) => vcpu.find((i) => i.start <= t && t < i.end)?.state;
    expect(rows.map((row) => kvmState(row.start))).toEqual(["waiting", "preempted", "waiting", "waiting", "preempted", "waiting", "waiting", "preempted", "waiting"]);
    expect(new Set(rows.map((row) => row.cause))).toEqual(new Set(["by CPU 0/KVM (2001)"]));
  });

  it("without the kvm pack the path is plain: the vCPU thread just runs", async () => {
    const sim = simulateKvmHost(12, 7);
    const { result, g } = await runPacks([traceFile(sim)], ["sched"]);
    const t = totalsOf(criticalPath(result, g, findThreads(g, { tid: 1001 })[0]!));
    const x = sim.expected;
    const hyp = [...x.hypervisor.values()].reduce((a, b) => a + b, 0);
    expect(t.get("running: CPU 0/KVM (1001)")).toBe(x.guest + hyp + x.unsplit);
    expect(t.get("block_device: BLOCK softirq")).toBe(x.disk);
    expect(t.get("preempted: by CPU 0/KVM (2001)")).toBe(x.preemptedByNoisy);
    expect([...t.keys()].some((k) => k.startsWith("guest") || k.startsWith("hypervisor"))).toBe(false);
  });
});
