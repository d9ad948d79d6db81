/**
 * The scenario generator itself: deterministic, causal, consistent with the scheduler it
 * claims to simulate, and a truth whose parts add up — independently of the kvm pack.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO, simulate } from "./kvm-scenario.js";

const scenario = simulate();

describe("kvm scenario generator", () => {
  it("is deterministic: the same config and seed give the same trace; another seed another one", () => {
    const again = simulate();
    expect(again.events.length).toBe(scenario.events.length);
    expect(JSON.stringify(again.events.slice(-50))).toBe(JSON.stringify(scenario.events.slice(-50)));
    const other = simulate({ ...DEFAULT_SCENARIO, seed: DEFAULT_SCENARIO.seed + 1 });
    expect(JSON.stringify(other.events.slice(0, 400))).not.toBe(JSON.stringify(scenario.events.slice(0, 400)));
  });

  it("stamps events in strictly increasing time, and each CPU runs the thread its sched_switches say", () => {
    const cur = new Map<number, number>();
    let prevTs = -1;
    for (const e of scenario.events) {
      expect(e.ts).toBeGreaterThan(prevTs);
      prevTs = e.ts;
      const running = cur.get(e.cpu);
      if (e.name === "sched_switch") {
        // the previous thread is the one that ran there (or the CPU was not seen yet)
        if (running !== undefined) expect([e.ts, e.fields["prev_tid"]]).toEqual([e.ts, running]);
        cur.set(e.cpu, e.fields["next_tid"] as number);
      } else if (!e.name.startsWith("irq_handler") && running !== undefined) {
        // everything else happens in the context of the CPU's current thread
        expect([e.ts, e.name, e.context.tid]).toEqual([e.ts, e.name, running]);
      }
    }
  });

  it("every kvm_x86_entry follows an exit or a switch-in of the same thread, and vCPU threads stay on their CPU", () => {
    const cpuOf = new Map<number, number>();
    for (const e of scenario.events) {
      if (!e.name.startsWith("kvm_x86_") || e.name.includes("apic")) continue;
      const prev = cpuOf.get(e.context.tid);
      if (prev !== undefined) expect(e.cpu).toBe(prev);
      cpuOf.set(e.context.tid, e.cpu);
    }
    expect(cpuOf.size).toBe(DEFAULT_SCENARIO.vms.reduce((s, v) => s + v.vcpus, 0));
  });

  it("the truth's four vCPU states partition each vCPU's life, from its first kvm event to the end", () => {
    const t = scenario.truth as { trace: { end: number }; vcpus: Array<{ tid: number; trace: Record<string, number> }> };
    const first = new Map<number, number>();
    for (const e of scenario.events) if (e.name.startsWith("kvm_x86_e") && !first.has(e.context.tid)) first.set(e.context.tid, e.ts);
    for (const v of t.vcpus) {
      const { guest_ns, host_ns, preempted_ns, waiting_ns } = v.trace;
      expect(guest_ns! + host_ns! + preempted_ns! + waiting_ns!).toBe(t.trace.end - first.get(v.tid)!);
    }
    // the scenario exercises what the pack must see: preemption, waiting, long preemptions, I/O
    const sum = (k: string) => t.vcpus.reduce((s, v) => s + (v.trace[k] as number), 0);
    expect(sum("preempted_ns")).toBeGreaterThan(0);
    expect(sum("waiting_ns")).toBeGreaterThan(0);
    const truth = scenario.truth as { long_preemptions: unknown[]; disk: unknown[]; net: unknown[]; nested_vms: unknown[] };
    expect([truth.long_preemptions.length > 0, truth.disk.length, truth.net.length, truth.nested_vms.length]).toEqual([true, 1, 2, 1]);
  });
});
