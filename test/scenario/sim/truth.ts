/**
 * What the simulation knows, recorded from its own state as it goes (never by reading the trace
 * back), in the schema of ../shared/traces/simulated-kvm-host/truth.json ("gen-kvm truth v1"),
 * for the whole trace: a vCPU's accounting starts at its first kvm event (before it the trace
 * cannot tell what the thread is) and every open interval ends at the last event.
 */

export type VcpuState = "guest" | "host" | "preempted" | "waiting";

interface VcpuRecord {
  vm_pid: number;
  vm: string;
  vcpu_id: number;
  tid: number;
  state: VcpuState | null;
  since: number;
  ns: Record<VcpuState, number>;
  exits: number;
  preemptions: { count: number; ns: number; by: Map<number, { tid: number; comm: string; pid: number; count: number; ns: number }> };
  preemptedSince: number;
  preemptedBy: { tid: number; comm: string; pid: number } | null;
  /** Exit awaiting its entry: reason and time. */
  openExit: { reason: number; ts: number } | null;
  level: 1 | 2;
  levelNs: { 1: number; 2: number };
  l2Entries: number;
  nestedFrom: boolean;
}

interface ReasonStats { reason: number; name: string; count: number; total_ns: number; min_ns: number; max_ns: number }

export class TruthRecorder {
  private readonly vcpus = new Map<number, VcpuRecord>();
  private readonly exits = new Map<number, Map<number, ReasonStats>>();
  private readonly injections = new Map<number, Record<string, number>>();
  private readonly accepts = new Map<number, Record<string, number>>();
  private readonly evidence = new Map<number, Record<string, number>>();
  readonly longPreemptions: Array<Record<string, unknown>> = [];
  private readonly disk = new Map<number, { requests: number; bytes: number; device_ns: number; notify_ns: number; total_ns: number }>();
  private readonly net = new Map<string, { packets: number; bytes: number; ns: number }>();

  constructor(private readonly names: (code: number) => string, private readonly longNs: number, private readonly nestedCodes: ReadonlySet<number>) {}

  /** Declares a vCPU thread (accounting starts at its first kvm event). */
  addVcpu(tid: number, vmPid: number, vm: string, vcpuId: number): void {
    this.vcpus.set(tid, {
      vm_pid: vmPid, vm, vcpu_id: vcpuId, tid, state: null, since: 0, ns: { guest: 0, host: 0, preempted: 0, waiting: 0 },
      exits: 0, preemptions: { count: 0, ns: 0, by: new Map() }, preemptedSince: 0, preemptedBy: null, openExit: null,
      level: 1, levelNs: { 1: 0, 2: 0 }, l2Entries: 0, nestedFrom: false,
    });
  }

  entry(tid: number, ts: number, level: 1 | 2): void {
    const v = this.vcpus.get(tid)!;
    if (v.openExit) {
      const x = v.openExit;
      v.exits++;
      this.exitDone(v.vm_pid, x.reason, ts - x.ts);
      v.openExit = null;
    }
    v.level = level;
    if (level === 2 && v.nestedFrom) v.l2Entries++;
    this.set(v, "guest", ts);
  }

  exit(tid: number, ts: number, reason: number): void {
    const v = this.vcpus.get(tid)!;
    v.openExit = { reason, ts };
    // L1/L2 time counts from the first nested exit on: the guest run it ends is not included
    this.set(v, "host", ts);
    if (this.nestedCodes.has(reason)) {
      v.nestedFrom = true;
      const e = this.evidence.get(v.vm_pid) ?? {};
      e[this.names(reason)] = (e[this.names(reason)] ?? 0) + 1;
      this.evidence.set(v.vm_pid, e);
    }
  }

  switchedOut(tid: number, ts: number, runnable: boolean, by: { tid: number; comm: string; pid: number }): void {
    const v = this.vcpus.get(tid);
    if (!v || v.state === null) return;
    if (runnable) {
      v.preemptedSince = ts;
      v.preemptedBy = by;
    }
    this.set(v, runnable ? "preempted" : "waiting", ts);
  }

  switchedIn(tid: number, ts: number): void {
    const v = this.vcpus.get(tid);
    if (!v || v.state === null) return;
    this.set(v, "host", ts);
  }

  injection(vmPid: number, vector: number): void {
    const m = this.injections.get(vmPid) ?? {};
    m[vector] = (m[vector] ?? 0) + 1;
    this.injections.set(vmPid, m);
  }

  accept(vmPid: number, vector: number): void {
    const m = this.accepts.get(vmPid) ?? {};
    m[vector] = (m[vector] ?? 0) + 1;
    this.accepts.set(vmPid, m);
  }

  diskRequest(vmPid: number, bytes: number, issue: number, complete: number, notified: number): void {
    const d = this.disk.get(vmPid) ?? { requests: 0, bytes: 0, device_ns: 0, notify_ns: 0, total_ns: 0 };
    this.disk.set(vmPid, { requests: d.requests + 1, bytes: d.bytes + bytes, device_ns: d.device_ns + complete - issue, notify_ns: d.notify_ns + notified - complete, total_ns: d.total_ns + notified - issue });
  }

  packet(tap: string, dir: "rx" | "tx", bytes: number, ns: number): void {
    const k = `${tap}/${dir}`;
    const n = this.net.get(k) ?? { packets: 0, bytes: 0, ns: 0 };
    this.net.set(k, { packets: n.packets + 1, bytes: n.bytes + bytes, ns: n.ns + ns });
  }

  /** Closes every open interval at `end` and returns the truth document. */
  finish(meta: Record<string, unknown>, end: number): Record<string, unknown> {
    for (const v of this.vcpus.values()) if (v.state !== null) this.set(v, v.state, end, true);
    const vcpus = [...this.vcpus.values()].filter((v) => v.state !== null).map((v) => ({
      vm_pid: v.vm_pid, vm: v.vm, vcpu_id: v.vcpu_id, tid: v.tid,
      trace: {
        guest_ns: v.ns.guest, host_ns: v.ns.host, preempted_ns: v.ns.preempted, waiting_ns: v.ns.waiting, exits: v.exits,
        preemptions: { count: v.preemptions.count, ns: v.preemptions.ns, by_thread: [...v.preemptions.by.values()] },
      },
      nested_time: v.nestedFrom ? { l1_ns: v.levelNs[1], l2_ns: v.levelNs[2], l2_entries: v.l2Entries } : null,
    }));
    const perVm = <T>(m: Map<number, T>, f: (x: T) => unknown) => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([vm_pid, x]) => ({ range: "trace", vm_pid, ...(f(x) as object) }));
    return {
      schema: "gen-kvm truth v1",
      ...meta,
      vcpus,
      exit_reasons: perVm(this.exits, (m) => ({ reasons: [...m.values()].sort((a, b) => b.total_ns - a.total_ns).map((r) => ({ ...r, avg_ns: r.total_ns / r.count })) })),
      injections: perVm(this.injections, (by_vector) => ({ by_vector })),
      apic_accept: perVm(this.accepts, (by_vector) => ({ by_vector })),
      nested_vms: [...this.evidence.entries()].map(([vm_pid, evidence]) => ({ vm_pid, evidence })),
      long_preemptions: this.longPreemptions,
      long_preemption_threshold_ns: this.longNs,
      disk: perVm(this.disk, (d) => d),
      net: [...this.net.entries()].map(([k, n]) => ({ tap: k.split("/")[0], dir: k.split("/")[1], ...n })),
    };
  }

  // --- internal ---

  private set(v: VcpuRecord, state: VcpuState, ts: number, atEnd = false): void {
    if (v.state !== null) {
      const d = ts - v.since;
      v.ns[v.state] += d;
      if (v.state === "guest" && v.nestedFrom) v.levelNs[v.level] += d;
      if (v.state === "preempted") {
        v.preemptions.count++;
        v.preemptions.ns += d;
        const by = v.preemptedBy!;
        const b = v.preemptions.by.get(by.tid) ?? { ...by, count: 0, ns: 0 };
        v.preemptions.by.set(by.tid, { ...b, count: b.count + 1, ns: b.ns + d });
        if (d > this.longNs) {
          this.longPreemptions.push({ vm_pid: v.vm_pid, vm: v.vm, vcpu_id: v.vcpu_id, tid: v.tid, start: v.preemptedSince, end: ts, duration_ns: d, complete: !atEnd, preempted_by: by });
        }
      }
    }
    v.state = state;
    v.since = ts;
  }

  private exitDone(vmPid: number, reason: number, d: number): void {
    const m = this.exits.get(vmPid) ?? new Map<number, ReasonStats>();
    const r = m.get(reason) ?? { reason, name: this.names(reason), count: 0, total_ns: 0, min_ns: Infinity, max_ns: 0 };
    m.set(reason, { ...r, count: r.count + 1, total_ns: r.total_ns + d, min_ns: Math.min(r.min_ns, d), max_ns: Math.max(r.max_ns, d) });
    this.exits.set(vmPid, m);
  }
}
