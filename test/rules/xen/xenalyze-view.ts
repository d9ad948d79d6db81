/**
 * Vigil's xen-pack numbers restated with xenalyze's end-of-trace convention, so they can be
 * compared count for count with `xenalyze --summary`.
 *
 * xenalyze never closes the last interval of a vCPU unless the vCPU is running when its pCPU's
 * records end (deactivate_pcpu → lose_vcpu closes it at that pCPU's last record, when that is
 * later than its start), and it drops the HVM exit still open then. Vigil closes every open
 * interval at the end of the trace (README, "End of the trace"). So: each vCPU's last interval,
 * when not running, and an exit still open at the end are taken out of Vigil's numbers; a
 * running-at-end interval is cut at its pCPU's last record, read here from the trace.
 */
import { isLoss } from "../../../engine/readers/source.js";
import { XentraceSource } from "../../../engine/readers/xentrace/source.js";
import type { RunResult, StateInterval } from "../../../engine/runtime/result.js";
import { rowsOf } from "./run-pack.js";

export interface Sum {
  count: number;
  total: number;
}

/** Keys are `domain:vcpu:state`, `domain:vcpu:cause` and `domain:vcpu:reason`. */
export interface XenalyzeView {
  runstates: Map<string, Sum>;
  runnable: Map<string, Sum>;
  exits: Map<string, Sum>;
  /** vCPU intervals taken out (not running at the end). */
  dropped: number;
  /** Exits taken out, as `d:v reason_name`. */
  droppedExits: string[];
}

export const key = (...parts: unknown[]): string => parts.join(":");

/** Vigil's `result` of the xen pack over the xentrace file at `path`, as xenalyze counts. */
export async function xenalyzeView(result: RunResult, path: string, cpuHz?: number): Promise<XenalyzeView> {
  const cpuLast = await lastRecordPerCpu(result, path, cpuHz);
  const runstates = tally(rowsOf(result, "xen.runstates"), (r) => key(r["domain"], r["vcpu"], r["state"]));
  const runnable = tally(rowsOf(result, "xen.runnable"), (r) => key(r["domain"], r["vcpu"], r["cause"]));
  const exits = tally(rowsOf(result, "xen.exits"), (r) => key(r["domain"], r["vcpu"], r["reason"]));
  let dropped = 0;
  for (const [k, i] of openAtEnd(result, "xen.runstate")) {
    if (i.state === "running") {
      const end = cpuLast.get(i.fields["on_cpu"] as number)!;
      if (end > i.start) {
        runstates.get(key(k, "running"))!.total -= i.end - end;
        continue;
      }
    }
    take(runstates, key(k, i.state), i);
    if (i.state === "runnable") take(runnable, key(k, i.fields["cause"]), i);
    dropped++;
  }
  const droppedExits: string[] = [];
  for (const [k, i] of openAtEnd(result, "xen.hvm")) {
    if (i.state !== "exit") continue;
    take(exits, key(k, i.fields["reason"]), i);
    droppedExits.push(`${k} ${String(i.fields["reason_name"])}`);
  }
  return { runstates, runnable, exits, dropped, droppedExits: droppedExits.sort() };
}

// --- internal ---

/** Each key's interval still open when the trace ended (closed by the end of the run). */
function openAtEnd(r: RunResult, machine: string): Map<string, StateInterval> {
  const out = new Map<string, StateInterval>();
  for (const i of r.states[machine] ?? []) if (i.end === r.last) out.set(String(i.key), i);
  return out;
}

function tally(rows: Array<Record<string, unknown>>, group: (r: Record<string, unknown>) => string): Map<string, Sum> {
  const m = new Map<string, Sum>();
  for (const r of rows) m.set(group(r), { count: r["count"] as number, total: r["total_ns"] as number });
  return m;
}

function take(m: Map<string, Sum>, k: string, i: StateInterval): void {
  const s = m.get(k);
  if (s === undefined) throw new Error(`no row ${k} to take the open interval out of`);
  s.count -= 1;
  s.total -= i.end - i.start;
  if (s.count === 0) m.delete(k);
}

/** The time of each pCPU's last record, on the run's clock. */
async function lastRecordPerCpu(result: RunResult, path: string, cpuHz?: number): Promise<Map<number, number>> {
  const source = new XentraceSource(path, "xen-host", () => {}, cpuHz === undefined ? {} : { cpuHz });
  await source.open();
  const last = new Map<number, number>();
  for await (const batch of source.batches(result.origin, 0)) {
    for (const item of batch) if (!isLoss(item)) last.set(item.cpu, Math.max(last.get(item.cpu) ?? 0, item.ts));
  }
  return last;
}
