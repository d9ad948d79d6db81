/**
 * Behaviours of the kvm pack on small hand-made event lists, where every number is worked out
 * in the comments: exit names by ISA, unknown codes, failed entries, R+ preemptions, overrides
 * (--set, --map), the vCPU filter, MMIO/port I/O timing, L1/L2 time, the disk path.
 */
import { describe, expect, it } from "vitest";
import { ev, type EventSpec } from "../../helpers/run-rules.js";
import { rowsOf, runPackOnEvents } from "./helpers/run-pack.js";

const VM = 100;
const T0 = 101; // vCPU 0 thread
const T1 = 102; // vCPU 1 thread
const ctx = (tid: number, pid = VM, cpu = 0) => ({ tid, pid, cpu });
const exit = (ts: number, reason: number, tid = T0, extra: Record<string, number> = {}) =>
  ev(ts, "kvm_x86_exit", { exit_reason: reason, isa: 1, vcpu_id: tid === T0 ? 0 : 1, ...extra }, ctx(tid));
const entry = (ts: number, tid = T0) => ev(ts, "kvm_x86_entry", { vcpu_id: 0xdead }, ctx(tid));
const sw = (ts: number, prev: number, state: number, next: number, nextComm = "other", cpu = 0) =>
  ev(ts, "sched_switch", { prev_comm: "x", prev_tid: prev, prev_prio: 20, prev_state: state, next_comm: nextComm, next_tid: next, next_prio: 20 }, { tid: prev, cpu });

describe("exit names and reasons", () => {
  it("names from the VMX table, SVM names when isa is 2, unknown codes raise kvm.unknown_exit once", async () => {
    const r = await runPackOnEvents([
      exit(0, 12), entry(100),
      exit(200, 99), entry(300), // 99 is no VMX reason
      exit(400, 99), entry(450),
      ev(500, "kvm_x86_exit", { exit_reason: 0x078, isa: 2, vcpu_id: 0 }, ctx(T0)), entry(510), // SVM hlt
      ev(600, "kvm_x86_exit", { exit_reason: 0xffffffff, isa: 2, vcpu_id: 0 }, ctx(T0)), entry(610), // SVM_EXIT_ERR
      exit(700, 0x80000021), entry(705), // INVALID_STATE with the failed-entry bit
    ]);
    // order: count desc, then by name (code units: upper case first)
    expect(rowsOf(r, "kvm.exits").map((x) => [x["reason"], x["count"], x["total_ns"]])).toEqual([
      ["0x63", 2, 150], ["HLT", 1, 100], ["INVALID_STATE FAILED_VMENTRY", 1, 5], ["hlt", 1, 10], ["invalid_guest_state", 1, 10],
    ]);
    const unknown = r.alerts.filter((a) => a.rule === "kvm.unknown_exit");
    expect(unknown.map((a) => [a.ts, a.fields["code"], a.fields["vm"], a.fields["vcpu"], a.message])).toEqual([
      [200, 99, VM, 0, "VM exit reason 0x63 (99, isa 1) is not in rules/kvm/data: first seen on vCPU 0 of VM 100"],
    ]);
    const failed = r.alerts.filter((a) => a.rule === "kvm.failed_vmentry");
    expect(failed.map((a) => [a.ts, a.severity, a.message])).toEqual([[700, "error", "VM entry failed on vCPU 0 of VM 100: INVALID_STATE FAILED_VMENTRY"]]);
  });

  it("--set kvm.only_vcpu keeps one vCPU (perf kvm stat --vcpu); --map kvm.vm_names labels the VM", async () => {
    const events = [exit(0, 12), exit(5, 30, T1), entry(10), entry(20, T1), exit(30, 12), entry(35)];
    const all = await runPackOnEvents(events, { maps: [{ map: "kvm.vm_names", key: "100", value: "web01" }] });
    expect(rowsOf(all, "kvm.exits").map((x) => [x["vm"], x["reason"], x["count"]])).toEqual([["web01", "HLT", 2], ["web01", "IO_INSTRUCTION", 1]]);
    const one = await runPackOnEvents(events, { set: { only_vcpu: "1" } });
    expect(rowsOf(one, "kvm.exits").map((x) => [x["vm"], x["reason"], x["count"], x["total_ns"]])).toEqual([[VM, "IO_INSTRUCTION", 1, 15]]);
    expect(rowsOf(one, "kvm.vcpu_time").map((x) => x["tid"])).toEqual([T1]);
  });
});

describe("vCPU states", () => {
  it("switched out R+ (0x100) or R is preempted, S is waiting; who preempted is recorded; the threshold is a const", async () => {
    const events: EventSpec[] = [
      entry(0), exit(1_000_000, 1),
      sw(1_000_100, T0, 0x100, 500, "noisy"), // R+: preempted by 500
      sw(4_000_000, 500, 0, T0), // back after 3.9999 ms
      entry(4_100_000), exit(5_000_000, 12),
      sw(5_000_200, T0, 1, 0, "swapper/0"), // HLT and blocked: waiting
      sw(9_000_000, 0, 0, T0), entry(9_000_500),
      ev(20_000_000, "tick", {}, { cpu: 1 }),
    ];
    const r = await runPackOnEvents(events);
    expect(rowsOf(r, "kvm.vcpu_time")).toEqual([{
      tid: T0, vm: VM, vcpu: 0, guest_ns: 1_000_000 + 900_000 + (20_000_000 - 9_000_500), hypervisor_ns: 100 + 100_000 + 200 + 500,
      preempted_ns: 2_999_900, waiting_ns: 3_999_800, exits: 2, preemptions: 1,
    }]);
    expect(rowsOf(r, "kvm.preemptions")).toEqual([{ vm: VM, vcpu: 0, by_comm: "noisy", by_tid: 500, by_vm: -1, count: 1, total_ns: 2_999_900, max_ns: 2_999_900 }]);
    expect(r.alerts.filter((a) => a.rule === "kvm.long_preemption")).toEqual([]);
    // 2 ms threshold: the 3 ms preemption raises the alert 2 ms after the switch-out
    const low = await runPackOnEvents(events, { set: { long_preemption_threshold: "2ms" } });
    const alerts = low.alerts.filter((a) => a.rule === "kvm.long_preemption");
    expect(alerts.map((a) => [a.ts, a.severity, a.fields["by_comm"], a.fields["vcpu"], a.fields["vm"]])).toEqual([[3_000_100, "warning", "noisy", 0, VM]]);
    expect(rowsOf(low, "kvm.long_preemptions").map((x) => [x["tid"], x["start"], x["duration_ns"]])).toEqual([[T0, 1_000_100, 2_999_900]]);
  });

  it("the analysis range clips state times and keeps the exits and preemptions that start in it", async () => {
    const events = [entry(0), exit(100, 1), entry(200), exit(300, 1), sw(310, T0, 0, 9), sw(400, 9, 0, T0), entry(420), ev(1000, "tick")];
    const r = await runPackOnEvents(events, { set: { range_start: "150", range_end: "350" } });
    // guest 200–300 (100), hypervisor 150–200 (50) + 300–310 (10), preempted 310–350 (40)
    expect(rowsOf(r, "kvm.vcpu_time")).toEqual([{ tid: T0, vm: VM, vcpu: 0, guest_ns: 100, hypervisor_ns: 60, preempted_ns: 40, waiting_ns: 0, exits: 0, preemptions: 1 }]);
    // exit 100→200 starts before the range; 300→420 ends after it
    expect(rowsOf(r, "kvm.exits")).toEqual([]);
  });
});

describe("interrupts", () => {
  it("classes from the documented vector map, overridable with --map kvm.vector_class", async () => {
    const inj = (ts: number, irq: number) => ev(ts, "kvm_x86_inj_virq", { irq }, ctx(T0));
    const events = [entry(0), exit(10, 1), inj(11, 0xec), inj(12, 0xfd), inj(13, 37), inj(14, 0xf3), inj(15, 37), entry(20), ev(1e9, "tick")];
    const r = await runPackOnEvents(events);
    expect(rowsOf(r, "kvm.injections").map((x) => [x["vector"], x["class"], x["count"]])).toEqual([[37, "device", 2], [236, "timer", 1], [243, "other", 1], [253, "ipi", 1]]);
    const o = await runPackOnEvents(events, { maps: [{ map: "kvm.vector_class", key: "37", value: "disk" }] });
    expect(rowsOf(o, "kvm.injections").find((x) => x["vector"] === 37)!["class"]).toBe("disk");
    // the profiles count them per vCPU and per VM (one vCPU here): 1 timer, 1 IPI, 2 device over the 1 s trace
    for (const table of ["kvm.vcpu_profile", "kvm.profile"]) {
      const p = rowsOf(r, table)[0]!;
      expect([table, p["timer_inj_per_s"], p["ipi_inj_per_s"], p["device_inj_per_s"], p["exits_per_s"]]).toEqual([table, 1, 1, 2, 1]);
    }
  });
});

describe("threads serving a VM", () => {
  it("a vhost worker belongs to the VM its kernel name says, from its first switch in", async () => {
    // vhost-100 (tid 555, its own pid) runs before any vCPU kicks it and raises vector 38 for
    // VM 100; kworker 777 raises one too and stays -1 (host kernel thread)
    const accept = (ts: number, tid: number, pid: number) => ev(ts, "kvm_x86_apic_accept_irq", { apicid: 0, dm: 0, tm: 0, vec: 38 }, { tid, pid, cpu: 1 });
    const events = [entry(0), sw(5, 0, 0, 555, "vhost-100"), accept(10, 555, 555), accept(20, 777, 777), exit(30, 1), ev(1e9, "tick")];
    const r = await runPackOnEvents(events);
    expect(rowsOf(r, "kvm.apic_accepts").map((x) => [x["vm"], x["vector"], x["count"]]).sort()).toEqual([[-1, 38, 1], [VM, 38, 1]]);
    // without the name nothing ties thread 555 to the VM
    const anon = await runPackOnEvents(events.map((e) => e.name === "sched_switch" ? ev(e.ts, e.name, { ...e.fields, next_comm: "worker" }, { tid: 0, cpu: 0 }) : e));
    expect(rowsOf(anon, "kvm.apic_accepts").map((x) => [x["vm"], x["count"]])).toEqual([[-1, 2]]);
  });
});

describe("MMIO and port I/O (perf kvm stat --event=mmio / ioport)", () => {
  it("a write runs from kvm_mmio to the entry, a read from the exit to kvm_mmio; port I/O from kvm_pio to the entry", async () => {
    const mmio = (ts: number, type: number, gpa: number) => ev(ts, "kvm_mmio", { type, len: 4, gpa, val: 0 }, ctx(T0));
    const pio = (ts: number, rw: number, port: number) => ev(ts, "kvm_pio", { rw, port, size: 1, count: 1, val: 0 }, ctx(T0));
    const r = await runPackOnEvents([
      entry(0), exit(100, 49), mmio(110, 2, 0xfe003000), entry(150), // write: 40
      exit(200, 48), mmio(205, 0, 0xfe000000), mmio(260, 1, 0xfe000000), entry(270), // read: 60 (exit 200 → read 260)
      exit(300, 30), pio(301, 1, 0x3f8), entry(330), // out: 29
      exit(400, 30), pio(402, 0, 0x3f8), entry(410), // in: 8
    ]);
    expect(rowsOf(r, "kvm.mmio").map((x) => [x["gpa"], x["access"], x["count"], x["total_ns"]])).toEqual([["0xfe000000", "read", 1, 60], ["0xfe003000", "write", 1, 40]]);
    expect(rowsOf(r, "kvm.ioport").map((x) => [x["port"], x["access"], x["count"], x["total_ns"]])).toEqual([["0x3f8", "in", 1, 8], ["0x3f8", "out", 1, 29]]);
  });
});

describe("nested virtualization", () => {
  it("VMX instruction exits are evidence (VMCALL is not); the entry after VMRESUME runs L2", async () => {
    const r = await runPackOnEvents([
      entry(0), exit(100, 18), entry(110), // VMCALL: not evidence
      exit(200, 23), entry(210), // VMREAD
      exit(300, 24), entry(320), // VMRESUME → L2 from 320
      exit(400, 48), entry(420), // an L2 exit, back in L1
      exit(500, 20), entry(505), // VMLAUNCH → L2 from 505
      ev(600, "kvm_nested_vmexit", {}, ctx(T0)),
      exit(700, 12), entry(1000),
    ]);
    expect(rowsOf(r, "kvm.nested").map((x) => [x["vm"], x["evidence"], x["count"]])).toEqual([
      [VM, "VMLAUNCH", 1], [VM, "VMREAD", 1], [VM, "VMRESUME", 1], [VM, "kvm_nested_vmexit", 1],
    ]);
    // from the first evidence (exit 200): L1 210–300, 420–500, (1000: zero-length end); L2 320–400, 505–700
    expect(rowsOf(r, "kvm.nested_time")).toEqual([{ tid: T0, vm: VM, vcpu: 0, l1_ns: 90 + 80, l2_ns: 80 + 195, l2_entries: 2 }]);
  });
});

describe("L1 / L2 after an exit from L2", () => {
  it("a host interrupt with nothing injected resumes L2; with the nested tracepoints, kvm_nested_vmexit_inject decides", async () => {
    const nev = (ts: number, name: string) => ev(ts, name, {}, ctx(T0));
    const r = await runPackOnEvents([
      entry(0), exit(100, 24), entry(110), // VMRESUME → L2 110–200
      exit(200, 1), entry(210), // host interrupt, nothing injected: L0 resumes L2 210–300
      exit(300, 1), ev(305, "kvm_x86_inj_virq", { irq: 236 }, ctx(T0)), entry(310), // an injection for L1: L1 310–400
      exit(400, 24), entry(410), // L2 410–500
      exit(500, 48), nev(501, "kvm_nested_vmexit"), entry(510), // L0 handled it alone: L2 510–600
      exit(600, 48), nev(601, "kvm_nested_vmexit"), nev(602, "kvm_nested_vmexit_inject"), entry(610), // reflected: L1 610–700
      exit(700, 12), ev(800, "tick"),
    ]);
    expect(rowsOf(r, "kvm.nested_time")).toEqual([{ tid: T0, vm: VM, vcpu: 0, l1_ns: 180, l2_ns: 360, l2_entries: 4 }]);
    expect(rowsOf(r, "kvm.nested").map((x) => [x["evidence"], x["count"]])).toEqual([["VMRESUME", 2], ["kvm_nested_vmexit", 2], ["kvm_nested_vmexit_inject", 1]]);
  });
});

describe("disk path", () => {
  it("qemu's I/O thread issues, the device completes, the same thread raises the interrupt; host I/O is left out", async () => {
    const IO = 103;
    const r = await runPackOnEvents([
      entry(0), exit(10, 49),
      ev(20, "block_rq_issue", { dev: 7, sector: 8, nr_sector: 8, bytes: 4096, rwbs: 1 }, ctx(IO)),
      ev(25, "block_rq_issue", { dev: 7, sector: 99, nr_sector: 8, bytes: 512, rwbs: 1 }, { tid: 900, pid: 900 }), // host task
      ev(70, "kvm_x86_apic_accept_irq", { apicid: 0, vec: 236 }, ctx(T0)), // the vCPU's own timer: not the completion
      ev(120, "block_rq_complete", { dev: 7, sector: 8, nr_sector: 8, error: 0, rwbs: 1 }, { cpu: 2 }),
      ev(130, "block_rq_complete", { dev: 7, sector: 99, nr_sector: 8, error: 0, rwbs: 1 }, { cpu: 2 }),
      ev(150, "kvm_x86_apic_accept_irq", { apicid: 0, vec: 37 }, ctx(IO)),
      entry(160), ev(1e9, "tick"),
    ]);
    expect(rowsOf(r, "kvm.disk").map((x) => [x["vm"], x["dev"], x["requests"], x["bytes"], x["device_avg_ns"], x["notify_avg_ns"], x["avg_ns"]]))
      .toEqual([[VM, 7, 1, 4096, 100, 30, 130]]);
  });
});
