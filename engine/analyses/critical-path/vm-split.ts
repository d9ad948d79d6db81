/**
 * VM-aware path: a vCPU thread's stretch on the path is cut along the kvm pack's vCPU states —
 * in the guest, in the hypervisor (which exit), preempted (by whom, as the vCPU machine saw the
 * switch) — so "running" says where the time went. Only when the vCPU machine ran: without it,
 * or for threads it has no intervals for, rows stay as they are.
 */
import type { FieldValue } from "../../model/event.js";
import type { RunResult } from "../../runtime/result.js";
import type { VcpuSpec } from "./graph-spec.js";

export interface VcpuSlice {
  start: number;
  end: number;
  state: "guest" | "hypervisor" | "preempted" | "waiting";
  reason: number;
  isa: number;
  byTid: number;
  byComm: string;
}

/** vCPU intervals of the given host threads, by tid, in time order. */
export function vcpuSlices(result: RunResult, spec: VcpuSpec, tids: Set<number>): Map<number, VcpuSlice[]> {
  const out = new Map<number, VcpuSlice[]>();
  for (const r of result.states[spec.machine] ?? []) {
    const tid = typeof r.key === "number" ? r.key : Number(r.key);
    const state = spec.states[r.state];
    if (!tids.has(tid) || state === undefined) continue;
    const l = out.get(tid) ?? [];
    l.push({
      start: r.start, end: r.end, state,
      reason: num(r.fields[spec.reasonField]), isa: num(r.fields["exit_isa"]),
      byTid: num(r.fields[spec.byTidField]), byComm: typeof r.fields[spec.byCommField] === "string" ? (r.fields[spec.byCommField] as string) : "",
    });
    out.set(tid, l);
  }
  for (const l of out.values()) l.sort((a, b) => a.start - b.start);
  return out;
}

/** The slices overlapping [start, end), clipped to it (uncovered parts are left out). */
export function slicesIn(slices: VcpuSlice[], start: number, end: number): VcpuSlice[] {
  const out: VcpuSlice[] = [];
  let lo = 0;
  let hi = slices.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (slices[mid]!.end <= start) lo = mid + 1; else hi = mid; }
  for (let i = lo; i < slices.length && slices[i]!.start < end; i++) {
    const s = slices[i]!;
    out.push({ ...s, start: Math.max(s.start, start), end: Math.min(s.end, end) });
  }
  return out;
}

/** The host threads running vCPU `vcpu` of VM `vm` (qemu pid), from the vCPU machine. */
export function vcpuThreads(result: RunResult, spec: VcpuSpec, vm: number, vcpu: number): number[] {
  const tids = new Set<number>();
  for (const r of result.states[spec.machine] ?? []) {
    if (num(r.fields[spec.vmField]) === vm && num(r.fields[spec.vcpuField]) === vcpu) tids.add(Number(r.key));
  }
  return [...tids].sort((a, b) => a - b);
}

function num(v: FieldValue | undefined): number {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : -1;
}
