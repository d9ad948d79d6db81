/**
 * The ground truth of a simulated kvm host (`truth.json` of ../shared/traces/simulated-kvm-host
 * and of test/scenario's generator: same schema, "gen-kvm truth v1"), and the pack's tables
 * reshaped to be compared with it.
 */
import { readFileSync } from "node:fs";
import type { RunResult } from "../../../../engine/runtime/result.js";
import { rowsOf } from "./run-pack.js";

export interface RangeTimes {
  guest_ns: number;
  host_ns: number;
  preempted_ns: number;
  waiting_ns: number;
  exits: number;
  preemptions: { count: number; ns: number; by_thread: Array<{ tid: number; comm: string; pid: number; count: number; ns: number }> };
}

export interface Truth {
  trace: { start: number; end: number; events: number };
  window: { start: number; end: number; degenerate: boolean };
  vms: Array<{ name: string; pid: number; profile: string; vcpus: Array<{ vcpu_id: number; tid: number }>; vhost_tid: number | null; iothread_tid: number | null }>;
  vcpus: Array<{ vm_pid: number; vm: string; vcpu_id: number; tid: number; trace: RangeTimes; window: RangeTimes }>;
  exit_reasons: Array<{ range: "trace" | "window"; vm_pid: number; unfinished_at_end: number; reasons: Array<{ reason: number; name: string; count: number; total_ns: number; min_ns: number; max_ns: number; avg_ns: number }> }>;
  injections: Array<{ range: "trace" | "window"; vm_pid: number; by_vector: Record<string, number> }>;
  apic_accept: Array<{ range: "trace" | "window"; vm_pid: number; by_vector: Record<string, number> }>;
  nested_vms: Array<{ vm_pid: number; evidence: Record<string, number>; evidence_window: Record<string, number> }>;
  long_preemptions: Array<{ vm_pid: number; vcpu_id: number; tid: number; start: number; end: number; duration_ns: number; complete: boolean; preempted_by: { tid: number; comm: string } }>;
  long_preemption_threshold_ns: number;
}

export function loadTruth(path: string): Truth {
  return JSON.parse(readFileSync(path, "utf8")) as Truth;
}

/** `--set` values putting the analysis range on the truth's window, in the run's time. */
export function windowRange(truth: Truth, origin: bigint): Record<string, string> {
  return {
    range_start: (BigInt(truth.window.start) - origin).toString(),
    range_end: (BigInt(truth.window.end) - origin).toString(),
  };
}

/** True when `actual` is within `rel` (relative) of `expected` (exactly 0 when expected is 0). */
export function near(actual: number, expected: number, rel = 0.001): boolean {
  return expected === 0 ? actual === 0 : Math.abs(actual - expected) <= Math.abs(expected) * rel;
}

/** kvm.exits as `vm → reason → row`. */
export function exitsByVm(result: RunResult): Map<number, Map<string, Record<string, number>>> {
  const out = new Map<number, Map<string, Record<string, number>>>();
  for (const r of rowsOf(result, "kvm.exits")) {
    const vm = r["vm"] as number;
    if (!out.has(vm)) out.set(vm, new Map());
    out.get(vm)!.set(r["reason"] as string, r as Record<string, number>);
  }
  return out;
}

/** A table with (vm, vector, count) rows as `vm → vector → count`. */
export function countsByVmVector(result: RunResult, table: string): Map<number, Record<string, number>> {
  const out = new Map<number, Record<string, number>>();
  for (const r of rowsOf(result, table)) {
    const vm = r["vm"] as number;
    const m = out.get(vm) ?? {};
    m[String(r["vector"])] = (m[String(r["vector"])] ?? 0) + (r["count"] as number);
    out.set(vm, m);
  }
  return out;
}

/** kvm.preemptions summed per (vm, vcpu, by_tid) as `"vm/vcpu" → by_tid → {count, ns, comm}`. */
export function preemptorsByVcpu(result: RunResult): Map<string, Map<number, { count: number; ns: number; comm: string }>> {
  const out = new Map<string, Map<number, { count: number; ns: number; comm: string }>>();
  for (const r of rowsOf(result, "kvm.preemptions")) {
    const k = `${r["vm"]}/${r["vcpu"]}`;
    const m = out.get(k) ?? new Map<number, { count: number; ns: number; comm: string }>();
    const by = r["by_tid"] as number;
    const prev = m.get(by) ?? { count: 0, ns: 0, comm: r["by_comm"] as string };
    m.set(by, { count: prev.count + (r["count"] as number), ns: prev.ns + (r["total_ns"] as number), comm: prev.comm });
    out.set(k, m);
  }
  return out;
}
