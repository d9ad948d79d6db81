/**
 * What the cr3 scenario's simulation knows about guest address spaces, levels and wake-ups,
 * recorded from its own state as it goes (never from the trace): per guest address space, per
 * nested vCPU, per nested guest, per wait, and the overhead windows.
 *
 * Attribution, as the host-based method defines it: a guest interval (entry → exit) belongs
 * to the address space the guest ran in; what follows until the next entry (the host's
 * handling, preemption, a wait) to the same. The level is the simulation's own (whether L0
 * handled an L2 exit alone or reflected it); an L1 interval is hypervisor work when it runs in
 * a VMM's address space that has already launched or resumed its nested guest (before that a
 * host cannot know it is one: that time is reported apart, `vmm_unrecognised_ns`). A wait's
 * reason is what woke the vCPU, as the simulation knows it. Counts that belong to an interval
 * (entries, exits, waits, first seen) are committed when the interval has a length, as an
 * interval of no length at the end of the trace did not run.
 */
import { EXIT } from "./context.js";
import type { Run, Space } from "./guest-space.js";

/** Why a halted or sleeping vCPU thread woke, as the simulation knows it. */
export type WakeCause = "timer" | "vcpu" | "disk" | "network" | "device" | "host";
type View = "l1" | "l1_hypervisor" | "l2";
type State = View | "l0" | "preempted" | "waiting";

interface Attribution { space: Space; kernel: boolean; level: 1 | 2; view: View; l2: Space | null }

interface VcpuRec {
  tid: number; vmPid: number; vcpuId: number;
  state: State | null; since: number;
  cur: Attribution | null;
  nested: boolean;
  /** The exit that opened the current out-of-guest stretch. */
  lastReason: number;
  waitStart: number; waitAcc: number; waited: boolean; cause: WakeCause | null;
  /** Committed when the interval just opened turns out to have a length. */
  onLength: Array<() => void>;
}

/** Time per state of the nested view (and counts), per nested vCPU or per nested guest. */
export type Times = Record<"l1_ns" | "l1_hypervisor_ns" | "l2_ns" | "l0_ns" | "preempted_ns" | "waiting_ns" | "l2_entries" | "l2_exits" | "hypervisor_exits", number>;
/** One guest address space's totals (`guest`: L1 or the nested guest's name). */
export interface ProcessTimes {
  vm_pid: number; guest: string; cr3: string; vcpu_time_ns: number; user_ns: number; kernel_ns: number; hypervisor_ns: number;
  preempted_ns: number; waiting_ns: number; exits: number; first_seen: number | null; last_seen: number | null;
}

const LAUNCH = new Set<number>([EXIT.VMLAUNCH, EXIT.VMRESUME]);
const zeroTimes = (): Times => ({ l1_ns: 0, l1_hypervisor_ns: 0, l2_ns: 0, l0_ns: 0, preempted_ns: 0, waiting_ns: 0, l2_entries: 0, l2_exits: 0, hypervisor_exits: 0 });

/** Records the cr3 truth as the simulation runs: vCPU threads report entries, exits, switches and wake-ups. */
export class Cr3Truth {
  private readonly vcpus = new Map<number, VcpuRec>();
  private readonly launched = new Set<Space>();
  private readonly processes = new Map<string, ProcessTimes>();
  private readonly processExits = new Map<string, { count: number; ns: number }>();
  private readonly nestedVcpus = new Map<number, Times>();
  private readonly l2Guests = new Map<string, Times & { vm_pid: number; guest: string }>();
  private readonly windows = new Map<string, Map<number, { l2_ns: number; hypervisor_ns: number }>>();
  private readonly vcpuWaits = new Map<string, { vm_pid: number; vcpu: number; reason: WakeCause; waits: number; total_ns: number }>();
  private readonly processWaits = new Map<string, { vm_pid: number; guest: string; cr3: string; reason: WakeCause; waits: number; total_ns: number }>();
  private readonly unrecognised = new Map<string, number>();

  constructor(private readonly nestedCodes: ReadonlySet<number>, private readonly windowNs: number) {}

  addVcpu(tid: number, vmPid: number, vcpuId: number): void {
    this.vcpus.set(tid, { tid, vmPid, vcpuId, state: null, since: 0, cur: null, nested: false, lastReason: -1, waitStart: 0, waitAcc: 0, waited: false, cause: null, onLength: [] });
  }

  entry(tid: number, ts: number, run: Run): void {
    const v = this.vcpus.get(tid)!;
    const prev = v.cur;
    const level = run.level;
    const view: View = level === 2 ? "l2" : this.launched.has(run.space) ? "l1_hypervisor" : "l1";
    const cur: Attribution = { space: run.space, kernel: run.kernel, level, view, l2: level === 2 ? run.space.guestVmm : view === "l1_hypervisor" ? run.space : null };
    this.set(v, view, ts);
    v.cur = cur;
    const proc = this.process(v.vmPid, cur);
    const waited = v.waited, wait = v.waitAcc, cause = v.cause ?? "host", nested = v.nested;
    v.onLength.push(() => {
      if (proc.first_seen === null) proc.first_seen = ts;
      if (nested && level === 2) { this.nestedTimes(v).l2_entries++; this.l2Times(v.vmPid, cur.l2!).l2_entries++; }
      if (waited) this.wait(v, prev, cause, wait);
    });
    v.waited = false;
    v.waitAcc = 0;
    v.cause = null;
  }

  exit(tid: number, ts: number, reason: number): void {
    const v = this.vcpus.get(tid)!;
    const cur = v.cur;
    if (cur && v.state !== null && (cur.view === "l2" || cur.view === "l1_hypervisor") && v.nested) {
      const w = this.windows.get(`${v.vmPid}|${cur.l2!.name}`) ?? new Map<number, { l2_ns: number; hypervisor_ns: number }>();
      this.windows.set(`${v.vmPid}|${cur.l2!.name}`, w);
      const b = Math.floor(ts / this.windowNs) * this.windowNs;
      const x = w.get(b) ?? { l2_ns: 0, hypervisor_ns: 0 };
      x[cur.view === "l2" ? "l2_ns" : "hypervisor_ns"] += ts - v.since;
      w.set(b, x);
    }
    this.set(v, "l0", ts);
    v.lastReason = reason;
    // from the first nested evidence on, the host time it opens included (as the rules' rows)
    if (this.nestedCodes.has(reason)) v.nested = true;
    if (cur) {
      const nested = v.nested;
      const key = this.processKey(v.vmPid, cur);
      v.onLength.push(() => {
        this.processes.get(key)!.exits++;
        const e = this.processExits.get(`${key}|${reason}`) ?? { count: 0, ns: 0 };
        this.processExits.set(`${key}|${reason}`, { ...e, count: e.count + 1 });
        if (nested && cur.level === 2) { this.nestedTimes(v).l2_exits++; this.l2Times(v.vmPid, cur.l2!).l2_exits++; }
        if (nested && cur.view === "l1_hypervisor") this.l2Times(v.vmPid, cur.l2!).hypervisor_exits++;
      });
      if (LAUNCH.has(reason) && cur.level === 1) this.launched.add(cur.space);
    }
  }

  switchedOut(tid: number, ts: number, runnable: boolean): void {
    const v = this.vcpus.get(tid)!;
    if (v.state === null) return;
    if (!runnable) v.waitStart = ts;
    this.set(v, runnable ? "preempted" : "waiting", ts);
  }

  switchedIn(tid: number, ts: number): void {
    const v = this.vcpus.get(tid)!;
    if (v.state === null) return;
    if (v.state === "waiting") {
      v.waitAcc += ts - v.waitStart;
      v.waited = true;
    }
    this.set(v, "l0", ts);
  }

  /** What woke the (halted or sleeping) vCPU thread. */
  woke(tid: number, cause: WakeCause): void {
    this.vcpus.get(tid)!.cause = cause;
  }

  /** Closes every open interval at `end`; the truth document's cr3 part. */
  finish(end: number): Record<string, unknown> {
    for (const v of this.vcpus.values()) if (v.state !== null) this.set(v, v.state, end);
    return {
      guest_processes: [...this.processes.values()],
      guest_process_exits: [...this.processExits.entries()].map(([k, e]) => {
        const [vm, guest, cr3, reason] = k.split("|");
        return { vm_pid: Number(vm), guest, cr3, reason: Number(reason), exits: e.count, hypervisor_ns: e.ns };
      }),
      nested_vcpus: [...this.nestedVcpus.entries()].map(([tid, t]) => ({ tid, vm_pid: this.vcpus.get(tid)!.vmPid, vcpu_id: this.vcpus.get(tid)!.vcpuId, ...t })),
      nested_guests: [...this.l2Guests.values()],
      overhead_windows: [...this.windows.entries()].map(([k, w]) => ({ vm_pid: Number(k.split("|")[0]), guest: k.split("|")[1], windows: [...w.entries()].map(([start, x]) => ({ start, ...x })) })),
      vcpu_waits: [...this.vcpuWaits.values()],
      guest_process_waits: [...this.processWaits.values()],
      vmm_unrecognised_ns: Object.fromEntries(this.unrecognised),
    };
  }

  // --- internal ---

  private set(v: VcpuRec, state: State, ts: number): void {
    if (v.state !== null) {
      const d = ts - v.since;
      if (d > 0) for (const f of v.onLength.splice(0)) f();
      else v.onLength.length = 0;
      this.account(v, v.state, d, ts);
    }
    v.state = state;
    v.since = ts;
  }

  private account(v: VcpuRec, state: State, d: number, end: number): void {
    const cur = v.cur;
    if (!cur) return;
    const p = this.process(v.vmPid, cur);
    const guest = state === "l1" || state === "l1_hypervisor" || state === "l2";
    if (guest) {
      p.vcpu_time_ns += d;
      p[cur.kernel ? "kernel_ns" : "user_ns"] += d;
      if (d > 0) p.last_seen = end;
      if (state === "l1" && cur.space.vmmOf) this.unrecognised.set(cur.space.vmmOf, (this.unrecognised.get(cur.space.vmmOf) ?? 0) + d);
    } else if (state === "l0") {
      p.hypervisor_ns += d;
      const e = this.processExits.get(`${this.processKey(v.vmPid, cur)}|${v.lastReason}`);
      if (e) e.ns += d;
    } else p[state === "preempted" ? "preempted_ns" : "waiting_ns"] += d;
    if (!v.nested) return;
    const column = (guest ? `${state}_ns` : state === "l0" ? "l0_ns" : `${state}_ns`) as keyof Times;
    const n = this.nestedTimes(v);
    n[column] += d;
    if (state === "l1_hypervisor") n.l1_ns += d;
    if (cur.level === 2 || cur.view === "l1_hypervisor") this.l2Times(v.vmPid, cur.l2!)[column] += d;
  }

  private wait(v: VcpuRec, during: Attribution | null, reason: WakeCause, ns: number): void {
    const k = `${v.vmPid}|${v.vcpuId}|${reason}`;
    const w = this.vcpuWaits.get(k) ?? { vm_pid: v.vmPid, vcpu: v.vcpuId, reason, waits: 0, total_ns: 0 };
    this.vcpuWaits.set(k, { ...w, waits: w.waits + 1, total_ns: w.total_ns + ns });
    if (!during) return;
    const pk = `${this.processKey(v.vmPid, during)}|${reason}`;
    const p = this.processWaits.get(pk) ?? { vm_pid: v.vmPid, guest: guestOf(during), cr3: during.space.name, reason, waits: 0, total_ns: 0 };
    this.processWaits.set(pk, { ...p, waits: p.waits + 1, total_ns: p.total_ns + ns });
  }

  private processKey(vmPid: number, a: Attribution): string {
    return `${vmPid}|${guestOf(a)}|${a.space.name}`;
  }

  private process(vmPid: number, a: Attribution): ProcessTimes {
    const k = this.processKey(vmPid, a);
    let p = this.processes.get(k);
    if (!p) {
      p = { vm_pid: vmPid, guest: guestOf(a), cr3: a.space.name, vcpu_time_ns: 0, user_ns: 0, kernel_ns: 0, hypervisor_ns: 0, preempted_ns: 0, waiting_ns: 0, exits: 0, first_seen: null, last_seen: null };
      this.processes.set(k, p);
    }
    return p;
  }

  private nestedTimes(v: VcpuRec): Times {
    let t = this.nestedVcpus.get(v.tid);
    if (!t) this.nestedVcpus.set(v.tid, (t = zeroTimes()));
    return t;
  }

  private l2Times(vmPid: number, vmm: Space): Times & { vm_pid: number; guest: string } {
    const k = `${vmPid}|${vmm.name}`;
    let t = this.l2Guests.get(k);
    if (!t) this.l2Guests.set(k, (t = { vm_pid: vmPid, guest: vmm.name, ...zeroTimes() }));
    return t;
  }
}

/** The guest column: L1, or the nested guest (named by its VMM's address space). */
function guestOf(a: Attribution): string {
  return a.level === 2 ? a.l2!.name : "L1";
}
