/**
 * The tracepoint payload formats the text readers understand, as data: for each event, the
 * spellings its TP_printk has had across kernel versions (and libtraceevent plugins), each one
 * a `PayloadTemplate`. Field names follow lttng-modules where LTTng has the field (`prev_tid`,
 * `tid`, `exit_reason`, `guest_rip`, `vcpu_id`, `vec`) so one rule reads CTF and text alike;
 * otherwise the kernel's own name (`kvm_entry.rip`).
 *
 * Contract: `EVENT_FORMATS` maps an ftrace event name to its `EventFormat`; `keys` is the union
 * of every spelling's keys (plus `extraKeys`), in a fixed order, and a field a spelling does not
 * print is null. Values are as printed (ftrace's `prio` 120, not LTTng's 20), converted only where
 * the text is a name for a number (prev_state letters, exit-reason names, delivery modes).
 */
import type { FieldValue, Fields } from "../../../model/event.js";
import { PayloadTemplate } from "./payload-template.js";

export interface EventFormat {
  readonly name: string;
  readonly doc: string;
  /** Index into per-slot caches (one fields object per slot and format). */
  readonly id: number;
  readonly templates: readonly PayloadTemplate[];
  readonly keys: readonly string[];
  /** For each template, the keys of `keys` it does not write (nulled after a match). */
  readonly missing: ReadonlyArray<readonly string[]>;
  /** Post-processing of a matched payload (fields derived from others). */
  readonly finish?: (f: Fields) => void;
}

type Spelling = string | [string, Record<string, FieldValue>];
interface Spec {
  names: string[];
  doc: string;
  spellings: Spelling[];
  extraKeys?: string[];
  finish?: (f: Fields) => void;
}

const SCHED_WAKEUP: Spelling[] = [
  "comm={comm:str} pid={tid:int} prio={prio:int} target_cpu={target_cpu:int}",
  "comm={comm:str} pid={tid:int} prio={prio:int} success={success:int} target_cpu={target_cpu:int}",
  // libtraceevent sched plugin
  "{:commtid} [{prio:int}] CPU:{target_cpu:int}",
  "{:commtid} [{prio:int}] success={success:int} CPU:{target_cpu:int}",
];

const SPECS: Spec[] = [
  {
    names: ["sched_switch"],
    doc: "A CPU switches from prev to next; prev_state in TASK_* bits (R+ = 0x100)",
    spellings: [
      "prev_comm={prev_comm:str} prev_pid={prev_tid:int} prev_prio={prev_prio:int} prev_state={prev_state:state} ==> next_comm={next_comm:str} next_pid={next_tid:int} next_prio={next_prio:int}",
      "{prev:commtid} [{prev_prio:int}] {prev_state:pstate} ==> {next:commtid} [{next_prio:int}]",
    ],
  },
  { names: ["sched_wakeup", "sched_waking", "sched_wakeup_new"], doc: "A task is woken up", spellings: SCHED_WAKEUP },
  {
    names: ["sched_migrate_task"],
    doc: "A task moves between CPUs",
    spellings: ["comm={comm:str} pid={tid:int} prio={prio:int} orig_cpu={orig_cpu:int} dest_cpu={dest_cpu:int}"],
  },
  {
    names: ["sched_process_fork"],
    doc: "A process forks",
    spellings: ["comm={parent_comm:str} pid={parent_tid:int} child_comm={child_comm:str} child_pid={child_tid:int}"],
  },
  {
    names: ["sched_process_exit", "sched_process_free", "sched_process_wait", "sched_wait_task", "sched_kthread_stop"],
    doc: "A task exits, is freed, or is waited for",
    spellings: ["comm={comm:str} pid={tid:int} prio={prio:int}", "comm={comm:str} pid={tid:int}"],
  },
  { names: ["sched_process_exec"], doc: "A process executes a new image", spellings: ["filename={filename:str} pid={tid:int} old_pid={old_tid:int}"] },
  {
    names: ["sched_stat_runtime"],
    doc: "Scheduler runtime accounting",
    spellings: ["comm={comm:str} pid={tid:int} runtime={runtime:int} [ns] vruntime={vruntime:int} [ns]", "comm={comm:str} pid={tid:int} runtime={runtime:int} [ns]"],
  },
  {
    names: ["sched_stat_wait", "sched_stat_sleep", "sched_stat_iowait", "sched_stat_blocked"],
    doc: "Scheduler delay accounting",
    spellings: ["comm={comm:str} pid={tid:int} delay={delay:int} [ns]"],
  },
  { names: ["sched_wake_idle_without_ipi"], doc: "An idle CPU woken without an IPI", spellings: ["cpu={cpu:int}"] },
  { names: ["irq_handler_entry"], doc: "A hardware interrupt handler starts", spellings: ["irq={irq:int} name={name:str}"] },
  { names: ["irq_handler_exit"], doc: "A hardware interrupt handler ends (ret 1 handled, 0 unhandled)", spellings: ["irq={irq:int} ret={ret:irqret}"] },
  {
    names: ["softirq_entry", "softirq_exit", "softirq_raise"],
    doc: "A softirq starts, ends or is raised",
    spellings: ["vec={vec:int} [action={action:str}]", "vec={vec:int}"],
  },
  {
    names: ["kvm_entry"],
    doc: "VM entry",
    spellings: [
      "vcpu {vcpu_id:int}, rip {rip:hex}",
      "vcpu {vcpu_id:int}",
      "vcpu {vcpu_id:int} rip {rip:hex}",
      ["vcpu {vcpu_id:int}, rip {rip:hex}[immediate exit]", { immediate_exit: 1 }],
    ],
  },
  {
    names: ["kvm_exit"],
    doc: "VM exit; exit_reason from the printed name (VMX/SVM tables), -1 when unknown",
    spellings: [
      "vcpu {vcpu_id:int} reason {exit_reason:reason} rip {guest_rip:hex} info1 {info1:hex} info2 {info2:hex} intr_info {intr_info:hex} error_code {error_code:hex}",
      "reason {exit_reason:reason} rip {guest_rip:hex} info {info1:hex} {info2:hex}",
      "vcpu {vcpu_id:int} reason {exit_reason:reason} rip {guest_rip:hex} info {info1:hex} {info2:hex}",
      "reason {exit_reason:reason} rip {guest_rip:hex}",
    ],
  },
  {
    names: ["kvm_inj_virq"],
    doc: "A virtual interrupt is injected",
    spellings: [
      "irq {irq:int}",
      ["IRQ {irq:hex}", { soft: 0, reinjected: 0 }],
      ["IRQ {irq:hex} [reinjected]", { soft: 0, reinjected: 1 }],
      ["Soft/INTn {irq:hex}", { soft: 1, reinjected: 0 }],
      ["Soft/INTn {irq:hex} [reinjected]", { soft: 1, reinjected: 1 }],
    ],
  },
  {
    names: ["kvm_apic_accept_irq"],
    doc: "A local APIC accepts an interrupt",
    spellings: [
      ["apicid {apicid:hex} vec {vec:int} ({dm:dm}|{tm:tm})", { coalesced: 0 }],
      ["apicid {apicid:hex} vec {vec:int} ({dm:dm}|{tm:tm}) (coalesced)", { coalesced: 1 }],
    ],
  },
  { names: ["kvm_set_irq"], doc: "A guest interrupt line is set", spellings: ["gsi {gsi:int} level {level:int} source {irq_source_id:int}"] },
  { names: ["kvm_ioapic_set_irq"], doc: "The IOAPIC raises a pin", spellings: ["pin {pin:int} dst {dst:hex} vec {vec:int} ({flags:str})"] },
  { names: ["kvm_pic_set_irq"], doc: "The PIC raises a pin", spellings: ["chip {chip:int} pin {pin:int} ({flags:str})"] },
  { names: ["kvm_msi_set_irq"], doc: "An MSI is delivered", spellings: ["dst {dst:hex} vec {vec:int} ({flags:str})"] },
  {
    names: ["kvm_msr"],
    doc: "A guest MSR access",
    spellings: [
      ["msr_read {ecx:hex} = {data:hex}", { write: 0, exception: 0 }],
      ["msr_write {ecx:hex} = {data:hex}", { write: 1, exception: 0 }],
      ["msr_read {ecx:hex} = {data:hex} (#GP)", { write: 0, exception: 1 }],
      ["msr_write {ecx:hex} = {data:hex} (#GP)", { write: 1, exception: 1 }],
    ],
  },
  {
    names: ["kvm_cr"],
    doc: "A guest control-register access",
    spellings: [
      ["cr_read {cr:hex} = {val:hex}", { rw: 0 }],
      ["cr_write {cr:hex} = {val:hex}", { rw: 1 }],
    ],
  },
  {
    names: ["kvm_pio"],
    doc: "A guest port I/O",
    spellings: [
      ["pio_read at {port:hex} size {size:int} count {count:int} val {val:hex}", { rw: 0 }],
      ["pio_write at {port:hex} size {size:int} count {count:int} val {val:hex}", { rw: 1 }],
      ["pio_read at {port:hex} size {size:int} count {count:int} val {val:hex} (...)", { rw: 0 }],
      ["pio_write at {port:hex} size {size:int} count {count:int} val {val:hex} (...)", { rw: 1 }],
      ["pio_read at {port:hex} size {size:int} count {count:int}", { rw: 0 }],
      ["pio_write at {port:hex} size {size:int} count {count:int}", { rw: 1 }],
    ],
  },
  { names: ["kvm_mmio"], doc: "A guest MMIO access", spellings: ["mmio {type:mmio} len {len:int} gpa {gpa:hex} val {val:hex}"] },
  {
    names: ["kvm_userspace_exit"],
    doc: "KVM returns to user space; reason is KVM_EXIT_*, errno < 0 when KVM_RUN failed",
    spellings: ["reason {reason_name:str} ({reason:int})"],
    extraKeys: ["errno"],
    finish: _userspaceExit,
  },
  { names: ["kvm_fpu"], doc: "Guest FPU load (1) or unload (0)", spellings: [["load", { load: 1 }], ["unload", { load: 0 }]] },
  {
    names: ["kvm_hypercall"],
    doc: "A guest hypercall",
    spellings: ["nr {nr:hex} a0 {a0:hex} a1 {a1:hex} a2 {a2:hex} a3 {a3:hex}"],
  },
  {
    names: ["kvm_page_fault"],
    doc: "A guest page fault handled by KVM",
    spellings: [
      "vcpu {vcpu_id:int} rip {guest_rip:hex} address {fault_address:hex} error_code {error_code:hex}",
      "address {fault_address:hex} error_code {error_code:hex}",
    ],
  },
  {
    names: ["kvm_ple_window_update"],
    doc: "The pause-loop-exiting window changes",
    spellings: [
      ["vcpu {vcpu_id:int} old {old:int} new {new:int} (growed)", { grow: 1 }],
      ["vcpu {vcpu_id:int} old {old:int} new {new:int} (shrinked)", { grow: 0 }],
    ],
  },
  {
    names: ["kvm_ple_window", "kvm_ple_window_grow", "kvm_ple_window_shrink"],
    doc: "The pause-loop-exiting window changes (before Linux 5.x)",
    spellings: [
      ["vcpu {vcpu_id:int}: ple_window {new:int} (grow {old:int})", { grow: 1 }],
      ["vcpu {vcpu_id:int}: ple_window {new:int} (shrink {old:int})", { grow: 0 }],
    ],
  },
  {
    names: ["kvm_vcpu_wakeup"],
    doc: "A halted vCPU wakes up (waited 1: it slept; valid: the poll was useful)",
    spellings: [
      ["wait time {ns:int} ns, polling {valid:validity}", { waited: 1 }],
      ["poll time {ns:int} ns, polling {valid:validity}", { waited: 0 }],
    ],
  },
  {
    names: ["kvm_cpuid"],
    doc: "A guest CPUID",
    spellings: [
      ["func {function:hex} idx {index:hex} rax {rax:hex} rbx {rbx:hex} rcx {rcx:hex} rdx {rdx:hex}, cpuid entry found", { found: 1 }],
      ["func {function:hex} idx {index:hex} rax {rax:hex} rbx {rbx:hex} rcx {rcx:hex} rdx {rdx:hex}, cpuid entry not found", { found: 0 }],
      ["func {function:hex} rax {rax:hex} rbx {rbx:hex} rcx {rcx:hex} rdx {rdx:hex}", {}],
    ],
  },
  {
    names: ["block_rq_issue", "block_rq_insert"],
    doc: "A block request is issued (dev as dev_t, rwbs as printed)",
    spellings: [
      "{dev:devt} {rwbs:str} {bytes:int} ({cmd:str}) {sector:int} + {nr_sector:int} [{comm:str}]",
      "{dev:devt} {rwbs:str} {bytes:int} ({cmd:str}) {sector:int} + {nr_sector:int} {ioprio:str} [{comm:str}]",
    ],
  },
  {
    names: ["block_rq_complete"],
    doc: "A block request completes (dev as dev_t, rwbs as printed)",
    spellings: [
      "{dev:devt} {rwbs:str} ({cmd:str}) {sector:int} + {nr_sector:int} [{error:int}]",
      "{dev:devt} {rwbs:str} ({cmd:str}) {sector:int} + {nr_sector:int} {ioprio:str} [{error:int}]",
    ],
  },
  { names: ["net_dev_xmit"], doc: "A network packet is transmitted", spellings: ["dev={name:str} skbaddr={skbaddr:hex} len={len:int} rc={rc:int}"] },
  {
    names: ["netif_receive_skb", "netif_rx", "napi_gro_receive_entry", "net_dev_queue"],
    doc: "A network packet is received or queued",
    spellings: ["dev={name:str} skbaddr={skbaddr:hex} len={len:int}"],
  },
  { names: ["sys_enter"], doc: "raw_syscalls: a system call starts", spellings: ["NR {id:int} ({args:hexlist})"] },
  { names: ["sys_exit"], doc: "raw_syscalls: a system call returns", spellings: ["NR {id:int} = {ret:int}"] },
];

/** Every known event format by ftrace event name. */
export const EVENT_FORMATS: ReadonlyMap<string, EventFormat> = _build(SPECS);

/** How many formats there are (per-slot caches size their arrays with it). */
export const EVENT_FORMAT_COUNT = EVENT_FORMATS.size;

// --- internal ---

/** "reason KVM_EXIT_IO (2)"; "reason restart (4)" / "reason error (N)" carry -errno instead. */
function _userspaceExit(f: Fields): void {
  if (f.reason_name === "restart" || f.reason_name === "error") {
    f.errno = -(f.reason as number);
    f.reason = null;
  } else {
    f.errno = 0;
  }
}

function _build(specs: Spec[]): Map<string, EventFormat> {
  const out = new Map<string, EventFormat>();
  for (const spec of specs) {
    const templates = spec.spellings.map((sp) => (typeof sp === "string" ? new PayloadTemplate(sp) : new PayloadTemplate(sp[0], sp[1])));
    const keys: string[] = [];
    for (const t of templates) for (const k of t.keys) if (!keys.includes(k)) keys.push(k);
    for (const k of spec.extraKeys ?? []) if (!keys.includes(k)) keys.push(k);
    const missing = templates.map((t) => keys.filter((k) => !t.keys.includes(k)));
    for (const name of spec.names) {
      out.set(name, { name, doc: spec.doc, id: out.size, templates, keys, missing, finish: spec.finish });
    }
  }
  return out;
}
