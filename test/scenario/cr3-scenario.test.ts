/**
 * The cr3 scenario generator on its own: deterministic, the addon event where and as kvm emits
 * it, 64-bit values written exactly, and a truth whose two recorders (the kvm scenario's vCPU
 * states, the cr3 attribution) agree with each other — independently of the kvm pack.
 */
import { describe, expect, it } from "vitest";
import { CR3_SCENARIO, NESTED_PID, PLAIN_PID, simulate } from "./cr3-scenario.js";
import { EXIT } from "./sim/context.js";
import type { SimEvent } from "./sim/host.js";

const scenario = simulate();
type T = {
  vcpus: Array<{ vm_pid: number; tid: number; trace: Record<string, number> }>;
  spaces: Array<{ vm_pid: number; name: string; level: number; pgd: string; vmm_of: string | null; guest: string | null }>;
  cr3: {
    guest_processes: Array<{ vm_pid: number; guest: string; vcpu_time_ns: number; user_ns: number; kernel_ns: number; hypervisor_ns: number; preempted_ns: number; waiting_ns: number }>;
    nested_vcpus: Array<{ tid: number; l1_ns: number; l1_hypervisor_ns: number; l2_ns: number; l2_entries: number }>;
    nested_guests: Array<{ guest: string; l2_ns: number; l1_hypervisor_ns: number; l2_entries: number }>;
    vcpu_waits: Array<{ reason: string; waits: number }>;
  };
};
const truth = scenario.truth as unknown as T;
const big = (v: number | string) => BigInt(v);

describe("cr3 scenario generator", () => {
  it("is deterministic: the same config gives the same trace; another seed another one", () => {
    const again = simulate();
    expect(again.events.length).toBe(scenario.events.length);
    expect(JSON.stringify(again.events.slice(-200))).toBe(JSON.stringify(scenario.events.slice(-200)));
    const other = simulate({ ...CR3_SCENARIO, seed: CR3_SCENARIO.seed + 1 });
    expect(JSON.stringify(other.events.slice(0, 400))).not.toBe(JSON.stringify(scenario.events.slice(0, 400)));
  });

  it("every entry follows its thread's addon event (and at most an injection), with the vCPU's id and a cr3 of the VM's address spaces", () => {
    const pgds = new Map<number, Set<bigint>>();
    for (const s of truth.spaces) pgds.set(s.vm_pid, (pgds.get(s.vm_pid) ?? new Set()).add(BigInt(s.pgd)));
    const lastOf = new Map<number, SimEvent[]>();
    let entries = 0;
    for (const e of scenario.events) {
      const mine = lastOf.get(e.context.tid) ?? [];
      if (e.name === "kvm_x86_entry") {
        entries++;
        const names = mine.slice(-2).map((x) => x.name);
        const addon = mine.at(-1)!.name === "addons_vcpu_enter_guest" ? mine.at(-1)! : mine.at(-2)!;
        expect([names.at(-1) === "addons_vcpu_enter_guest" || (names.at(-1) === "kvm_x86_inj_virq" && names[0] === "addons_vcpu_enter_guest")]).toEqual([true]);
        expect(addon.fields["vcpuID"]).toBe(e.fields["vcpu_id"]);
        expect(pgds.get(e.context.pid)!.has(big(addon.fields["cr3tmp"]!) & ~0xfffn)).toBe(true);
      }
      if (e.name.startsWith("kvm_x86_") || e.name.startsWith("addons_")) lastOf.set(e.context.tid, [...mine.slice(-1), e]);
    }
    expect(entries).toBe((scenario.truth as { trace: { events_by_name: Record<string, number> } }).trace.events_by_name["addons_vcpu_enter_guest"]);
  });

  it("writes 64-bit values exactly: kernel stacks (≥ 2^63) as decimal digits, user stacks as numbers; several ASIDs per process", () => {
    const addons = scenario.events.filter((e) => e.name === "addons_vcpu_enter_guest");
    const sps = addons.map((e) => e.fields["sptmp"]!);
    expect(sps.some((v) => typeof v === "string" && big(v) >= 1n << 63n)).toBe(true);
    expect(sps.every((v) => (typeof v === "string" ? big(v) >= 1n << 63n : v < 2 ** 47))).toBe(true);
    const raw = new Set(addons.map((e) => String(e.fields["cr3tmp"])));
    expect(raw.size).toBeGreaterThan(truth.spaces.length);
  });

  it("(a) three processes in the plain VM; (b) an agent and two VMMs in L1, two processes in each nested guest", () => {
    const plain = truth.spaces.filter((s) => s.vm_pid === PLAIN_PID);
    const nested = truth.spaces.filter((s) => s.vm_pid === NESTED_PID);
    expect(plain.map((s) => s.level)).toEqual([1, 1, 1]);
    expect(nested.filter((s) => s.level === 1).map((s) => s.vmm_of)).toEqual([null, "alpha", "beta"]);
    expect(nested.filter((s) => s.level === 2).map((s) => s.guest)).toEqual(["alpha", "alpha", "beta", "beta"]);
    expect(new Set(truth.spaces.map((s) => s.pgd)).size).toBe(truth.spaces.length);
  });

  it("L0 resumes L2 alone after some L2 exits, sometimes in another L2 process: what exit reasons cannot see", () => {
    const l2 = new Set(truth.spaces.filter((s) => s.level === 2).map((s) => BigInt(s.pgd)));
    const lastExit = new Map<number, number>();
    let resumedAlone = 0;
    let switched = 0;
    const lastCr3 = new Map<number, bigint>();
    let pendingCr3 = 0n;
    for (const e of scenario.events) {
      if (e.context.pid !== NESTED_PID) continue;
      if (e.name === "kvm_x86_exit") lastExit.set(e.context.tid, e.fields["exit_reason"] as number);
      if (e.name === "addons_vcpu_enter_guest") pendingCr3 = big(e.fields["cr3tmp"]!) & ~0xfffn;
      if (e.name !== "kvm_x86_entry") continue;
      const x = lastExit.get(e.context.tid);
      if (l2.has(pendingCr3) && x !== EXIT.VMRESUME && x !== EXIT.VMLAUNCH) {
        resumedAlone++;
        if (l2.has(lastCr3.get(e.context.tid) ?? 0n) && lastCr3.get(e.context.tid) !== pendingCr3) switched++;
      }
      lastCr3.set(e.context.tid, pendingCr3);
    }
    expect(resumedAlone).toBeGreaterThan(100);
    expect(switched).toBeGreaterThan(10);
  });

  it("the cr3 truth adds up to the vCPU truth: per VM, time per address space = the vCPUs' lives; per nested guest = per nested vCPU", () => {
    for (const vm of [PLAIN_PID, NESTED_PID]) {
      const procs = truth.cr3.guest_processes.filter((p) => p.vm_pid === vm);
      const vcpus = truth.vcpus.filter((v) => v.vm_pid === vm);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      expect(sum(procs.map((p) => p.vcpu_time_ns))).toBe(sum(vcpus.map((v) => v.trace["guest_ns"]!)));
      expect(sum(procs.map((p) => p.user_ns + p.kernel_ns))).toBe(sum(procs.map((p) => p.vcpu_time_ns)));
      expect(sum(procs.map((p) => p.hypervisor_ns))).toBe(sum(vcpus.map((v) => v.trace["host_ns"]!)));
      expect(sum(procs.map((p) => p.preempted_ns + p.waiting_ns))).toBe(sum(vcpus.map((v) => v.trace["preempted_ns"]! + v.trace["waiting_ns"]!)));
    }
    const n = truth.cr3.nested_vcpus, g = truth.cr3.nested_guests;
    const total = (xs: Array<Record<string, number | string>>, k: string) => xs.reduce((a, x) => a + (x[k] as number), 0);
    for (const k of ["l2_ns", "l1_hypervisor_ns", "l2_entries"]) expect([k, total(g, k)]).toEqual([k, total(n, k)]);
    expect(n.every((v) => v.l1_hypervisor_ns > 0 && v.l1_ns > v.l1_hypervisor_ns)).toBe(true);
    // every kind of wake-up happens
    expect([...new Set(truth.cr3.vcpu_waits.map((w) => w.reason))].sort()).toEqual(["disk", "host", "network", "timer", "vcpu"]);
  });
});
