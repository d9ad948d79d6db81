/**
 * The event-format table: each required event in the spellings kernels and libtraceevent
 * print, decoded to LTTng-named fields; unknown events and unknown spellings keep their text.
 */
import { describe, expect, it } from "vitest";
import type { Fields } from "../../../../../engine/model/event.js";
import { EventSlot } from "../../../../../engine/readers/text/line-decoder.js";
import { PayloadDecoder } from "../../../../../engine/readers/text/payload/decode-payload.js";
import { EVENT_FORMATS } from "../../../../../engine/readers/text/payload/event-formats.js";
import { PayloadTemplate } from "../../../../../engine/readers/text/payload/payload-template.js";

function decode(name: string, payload: string, notes: string[] = [], decoder = new PayloadDecoder()): { name: string; fields: Fields } {
  const slot = new EventSlot(0);
  decoder.decode(name, payload, 0, payload.length, slot, notes);
  return { name: slot.event.name, fields: { ...slot.event.fields } };
}

const CASES: Array<[string, string, Fields]> = [
  // sched (include/trace/events/sched.h), old and new, and the sched plugin
  ["sched_switch", "prev_comm=CPU 0/KVM prev_pid=2342 prev_prio=120 prev_state=R+ ==> next_comm=vhost-2147 next_pid=3036 next_prio=120",
    { prev_comm: "CPU 0/KVM", prev_tid: 2342, prev_prio: 120, prev_state: 0x100, next_comm: "vhost-2147", next_tid: 3036, next_prio: 120 }],
  ["sched_switch", "Binder:1579_9:2418 [120] S ==> swapper/0:0 [120]",
    { prev_comm: "Binder:1579_9", prev_tid: 2418, prev_prio: 120, prev_state: 1, next_comm: "swapper/0", next_tid: 0, next_prio: 120 }],
  ["sched_wakeup", "comm=IO iothread1 pid=2341 prio=120 target_cpu=002", { comm: "IO iothread1", tid: 2341, prio: 120, target_cpu: 2, success: null }],
  ["sched_wakeup", "comm=rcu_preempt pid=8 prio=120 success=1 target_cpu=002", { comm: "rcu_preempt", tid: 8, prio: 120, success: 1, target_cpu: 2 }],
  ["sched_wakeup", "kworker/0:1:15 [120] success=1 CPU:000", { comm: "kworker/0:1", tid: 15, prio: 120, success: 1, target_cpu: 0 }],
  ["sched_waking", "comm=Timer pid=2745 prio=120 target_cpu=000", { comm: "Timer", tid: 2745, prio: 120, target_cpu: 0, success: null }],
  ["sched_migrate_task", "comm=lttng-sessiond pid=1014 prio=120 orig_cpu=0 dest_cpu=2", { comm: "lttng-sessiond", tid: 1014, prio: 120, orig_cpu: 0, dest_cpu: 2 }],
  ["sched_process_fork", "comm=bash pid=4065 child_comm=bash child_pid=4084", { parent_comm: "bash", parent_tid: 4065, child_comm: "bash", child_tid: 4084 }],
  // irq (include/trace/events/irq.h)
  ["irq_handler_entry", "irq=43 name=nvme0q3", { irq: 43, name: "nvme0q3" }],
  ["irq_handler_exit", "irq=43 ret=handled", { irq: 43, ret: 1 }],
  ["irq_handler_exit", "irq=7 ret=unhandled", { irq: 7, ret: 0 }],
  ["softirq_entry", "vec=9 [action=RCU]", { vec: 9, action: "RCU" }],
  ["softirq_raise", "vec=3", { vec: 3, action: null }],
  // kvm (arch/x86/kvm/trace.h, virt/kvm: 3.x .. 6.x) and libtraceevent's kvm plugin
  ["kvm_entry", "vcpu 3", { vcpu_id: 3, rip: null, immediate_exit: null }],
  ["kvm_entry", "vcpu 0, rip 0xffffffff82ff25d3", { vcpu_id: 0, rip: 0xffffffff82ff25d3n, immediate_exit: null }],
  ["kvm_entry", "vcpu 1 rip 0xffffffff8100007d", { vcpu_id: 1, rip: 0xffffffff8100007dn, immediate_exit: null }],
  ["kvm_entry", "vcpu 1, rip 0xffffffff8100007d[immediate exit]", { vcpu_id: 1, rip: 0xffffffff8100007dn, immediate_exit: 1 }],
  ["kvm_exit", "vcpu 2 reason EPT_VIOLATION rip 0xffffffffb8bc8ea8 info1 0x0000000000000182 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000",
    { vcpu_id: 2, exit_reason: 48, reason_name: "EPT_VIOLATION", isa: 1, guest_rip: 0xffffffffb8bc8ea8n, info1: 0x182, info2: 0, intr_info: 0, error_code: 0 }],
  ["kvm_exit", "reason MSR_WRITE rip 0xffffffff8104e6d8 info 0 0",
    { vcpu_id: null, exit_reason: 32, reason_name: "MSR_WRITE", isa: 1, guest_rip: 0xffffffff8104e6d8n, info1: 0, info2: 0, intr_info: null, error_code: null }],
  ["kvm_exit", "reason npf rip 0xffffffff81063c3e info 100000004 fee00300",
    { vcpu_id: null, exit_reason: 0x400, reason_name: "npf", isa: 2, guest_rip: 0xffffffff81063c3en, info1: 0x100000004, info2: 0xfee00300, intr_info: null, error_code: null }],
  ["kvm_exit", "vcpu 0 reason PF excp rip 0x7f00 info1 0x0000000000000004 info2 0x0000000000001000 intr_info 0x00000000 error_code 0x00000000",
    { vcpu_id: 0, exit_reason: 0x4e, reason_name: "PF excp", isa: 2, guest_rip: 0x7f00, info1: 4, info2: 0x1000, intr_info: 0, error_code: 0 }],
  ["kvm_exit", "reason UNKNOWN (90) rip 0x10 info 0 0",
    { vcpu_id: null, exit_reason: 90, reason_name: "UNKNOWN (90)", isa: null, guest_rip: 0x10, info1: 0, info2: 0, intr_info: null, error_code: null }],
  ["kvm_exit", "vcpu 0 reason FROBNICATE rip 0x10 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0",
    { vcpu_id: 0, exit_reason: -1, reason_name: "FROBNICATE", isa: null, guest_rip: 0x10, info1: 0, info2: 0, intr_info: 0, error_code: 0 }],
  ["kvm_inj_virq", "irq 37", { irq: 37, soft: null, reinjected: null }],
  ["kvm_inj_virq", "IRQ 0xec", { irq: 0xec, soft: 0, reinjected: 0 }],
  ["kvm_inj_virq", "Soft/INTn 0x80 [reinjected]", { irq: 0x80, soft: 1, reinjected: 1 }],
  ["kvm_apic_accept_irq", "apicid 0 vec 236 (Fixed|edge)", { apicid: 0, vec: 236, dm: 0, tm: 0, coalesced: 0 }],
  ["kvm_apic_accept_irq", "apicid 1a vec 2 (NMI|level) (coalesced)", { apicid: 0x1a, vec: 2, dm: 0x400, tm: 1, coalesced: 1 }],
  ["kvm_set_irq", "gsi 4 level 1 source 0", { gsi: 4, level: 1, irq_source_id: 0 }],
  ["kvm_msr", "msr_write 6e0 = 0x3ce1a1b4b2c4", { ecx: 0x6e0, data: 0x3ce1a1b4b2c4, write: 1, exception: 0 }],
  ["kvm_msr", "msr_read 1a0 = 0x0 (#GP)", { ecx: 0x1a0, data: 0, write: 0, exception: 1 }],
  ["kvm_cr", "cr_read 3 = 0x1e4c000", { cr: 3, val: 0x1e4c000, rw: 0 }],
  ["kvm_pio", "pio_write at 0x70 size 1 count 1 val 0x8f ", { port: 0x70, size: 1, count: 1, val: 0x8f, rw: 1 }],
  ["kvm_pio", "pio_read at 0x3fd size 1 count 2 val 0x60 (...)", { port: 0x3fd, size: 1, count: 2, val: 0x60, rw: 0 }],
  ["kvm_pio", "pio_read at 0xb008 size 4 count 1", { port: 0xb008, size: 4, count: 1, val: null, rw: 0 }],
  ["kvm_mmio", "mmio write len 4 gpa 0xfee000b0 val 0x0", { type: 2, len: 4, gpa: 0xfee000b0, val: 0 }],
  ["kvm_mmio", "mmio unsatisfied-read len 4 gpa 0xfebf1000 val 0x0", { type: 0, len: 4, gpa: 0xfebf1000, val: 0 }],
  ["kvm_userspace_exit", "reason KVM_EXIT_IO (2)", { reason_name: "KVM_EXIT_IO", reason: 2, errno: 0 }],
  ["kvm_userspace_exit", "reason restart (4)", { reason_name: "restart", reason: null, errno: -4 }],
  ["kvm_fpu", "unload", { load: 0 }],
  ["kvm_hypercall", "nr 0xa a0 0x1 a1 0x0 a2 0x0 a3 0xfb", { nr: 10, a0: 1, a1: 0, a2: 0, a3: 0xfb }],
  ["kvm_page_fault", "address 7f4a2c1e0000 error_code 6", { fault_address: 0x7f4a2c1e0000, error_code: 6, vcpu_id: null, guest_rip: null }],
  ["kvm_page_fault", "vcpu 1 rip 0xffffffff81a0c2d3 address 0x00007f4a2c1e0000 error_code 0x6",
    { vcpu_id: 1, guest_rip: 0xffffffff81a0c2d3n, fault_address: 0x7f4a2c1e0000, error_code: 6 }],
  ["kvm_ple_window_update", "vcpu 3 old 4096 new 8192 (growed)", { vcpu_id: 3, old: 4096, new: 8192, grow: 1 }],
  ["kvm_ple_window_shrink", "vcpu 3: ple_window 4096 (shrink 8192)", { vcpu_id: 3, new: 4096, old: 8192, grow: 0 }],
  ["net_dev_xmit", "dev=vnet0 skbaddr=0xffff888117480200 len=74 rc=0", { name: "vnet0", skbaddr: 0xffff888117480200n, len: 74, rc: 0 }],
  ["block_rq_issue", "259,0 WS 4096 () 826484488 + 8 [IO iothread1]",
    { dev: (259 << 20) | 0, rwbs: "WS", bytes: 4096, cmd: "", sector: 826484488, nr_sector: 8, comm: "IO iothread1", ioprio: null }],
];

describe("known events", () => {
  it.each(CASES)("%s: %s", (name, payload, fields) => {
    expect(decode(name, payload)).toEqual({ name, fields });
  });

  it("covers every event the issue requires", () => {
    const required = ["sched_switch", "sched_wakeup", "sched_waking", "sched_migrate_task", "irq_handler_entry", "irq_handler_exit", "softirq_entry", "softirq_exit",
      "softirq_raise", "kvm_entry", "kvm_exit", "kvm_inj_virq", "kvm_apic_accept_irq", "kvm_set_irq", "kvm_msr", "kvm_cr", "kvm_pio", "kvm_mmio", "kvm_userspace_exit",
      "kvm_fpu", "kvm_hypercall", "kvm_page_fault", "kvm_ple_window_update"];
    expect(required.filter((n) => !EVENT_FORMATS.has(n))).toEqual([]);
  });

  it("a known event in an unknown spelling keeps its text and is noted once", () => {
    const notes: string[] = [];
    const d = new PayloadDecoder();
    expect(decode("kvm_exit", "reason HLT at 0x10", notes, d).fields).toEqual({ raw: "reason HLT at 0x10" });
    decode("kvm_exit", "reason HLT at 0x11", notes, d);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("kvm_exit");
  });

  it("refills the pooled object, nulling what the new spelling lacks", () => {
    const slot = new EventSlot(0);
    const d = new PayloadDecoder();
    const a = "irq 37";
    const b = "IRQ 0x25 [reinjected]";
    d.decode("kvm_inj_virq", b, 0, b.length, slot, []);
    slot.pools.nextBatch();
    d.decode("kvm_inj_virq", a, 0, a.length, slot, []);
    expect(slot.event.fields).toEqual({ irq: 37, soft: null, reinjected: null });
  });
});

describe("unknown events", () => {
  it("keep key=value pairs (numbers as numbers, blanks inside values) and the raw text", () => {
    expect(decode("hrtimer_start", "hrtimer=ffffaf6e0126bd18 function=hrtimer_wakeup expires=26193635601343 softexpires=26193635551343").fields).toEqual({
      raw: "hrtimer=ffffaf6e0126bd18 function=hrtimer_wakeup expires=26193635601343 softexpires=26193635551343",
      hrtimer: "ffffaf6e0126bd18",
      function: "hrtimer_wakeup",
      expires: 26193635601343,
      softexpires: 26193635551343,
    });
    expect(decode("foo", "comm=IO iothread1 pid=7 addr=0xffffffffffffffff").fields).toEqual({
      raw: "comm=IO iothread1 pid=7 addr=0xffffffffffffffff",
      comm: "IO iothread1",
      pid: 7,
      addr: 0xffffffffffffffffn,
    });
    expect(decode("kvm_mmu_paging_element", "pte 2929067 level 4").fields).toEqual({ raw: "pte 2929067 level 4" });
  });
});

describe("PayloadTemplate", () => {
  it("matches the whole text only", () => {
    const t = new PayloadTemplate("irq={irq:int} name={name:str}");
    const out: Fields = {};
    expect(t.match("irq=3 name=eth0", 0, 15, out)).toBe(true);
    expect(out).toEqual({ irq: 3, name: "eth0" });
    expect(t.match("irq=x name=eth0", 0, 15, {})).toBe(false);
    expect(t.match("irq=3 nam=eth0", 0, 14, {})).toBe(false);
    expect(new PayloadTemplate("vec={vec:int}").match("vec=3 extra", 0, 11, {})).toBe(false);
  });
  it("rejects a template with two adjacent fields or an unknown type", () => {
    expect(() => new PayloadTemplate("{a:int}{b:int}")).toThrow(/literal between/);
    expect(() => new PayloadTemplate("x={a:float}")).toThrow(/unknown value type/);
  });
});
