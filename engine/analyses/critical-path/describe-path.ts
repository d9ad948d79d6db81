/**
 * Path edges → report rows: worker labels, vCPU splitting (vm-split.ts), who preempted whom
 * (occupancy.ts), and the per-cause totals. Rows keep the path's order; a vertical row is a
 * hop between workers (a wakeup, a packet in flight, the path moving to what a wait waited on).
 */
import type { RunResult } from "../../runtime/result.js";
import type { ExecGraph } from "./exec-graph.js";
import type { GraphSpec, VcpuSpec } from "./graph-spec.js";
import { whoRan } from "./occupancy.js";
import type { PathEdge } from "./path-graph.js";
import { slicesIn, vcpuSlices, type VcpuSlice } from "./vm-split.js";
import { parseWorkerKey, workerLabel } from "./worker-key.js";

export interface PathRow {
  /** The worker the row is about; for a vertical row, the one the path moves to. */
  worker: string;
  /** A vertical row's source worker, else null. */
  from: string | null;
  label: string;
  /** Edge kind, or guest / hypervisor / waiting on a vCPU thread. */
  state: string;
  start: number;
  end: number;
  duration: number;
  /** Qualifier: the interrupt behind a wait, who preempted, which exit... "" when none. */
  cause: string;
  vertical: boolean;
}

export interface CauseTotal {
  state: string;
  cause: string;
  duration: number;
  /** Share of the path's span (0..1). */
  share: number;
}

export interface DescribeOptions {
  spec: GraphSpec;
  vcpu: VcpuSpec | null;
  /** Names an exit reason (`HLT`) for hypervisor rows; null keeps the number. */
  reasonName?: (code: number, isa: number) => string | null;
}

export function describePath(result: RunResult, g: ExecGraph, edges: PathEdge[], o: DescribeOptions): PathRow[] {
  const withHost = result.hosts.length > 1;
  const label = (w: number) => workerLabel(g.workers[w]!, g.names[w]!, withHost);
  let rows: PathRow[] = edges.map((e) => ({
    worker: g.workers[e.to.worker]!, from: e.vertical ? g.workers[e.from.worker]! : null,
    label: e.vertical ? `${label(e.from.worker)} → ${label(e.to.worker)}` : label(e.to.worker),
    state: e.kind, start: e.from.ts, end: e.to.ts, duration: e.to.ts - e.from.ts, cause: e.cause, vertical: e.vertical,
  }));
  if (o.vcpu !== null && result.states[o.vcpu.machine] !== undefined) rows = splitVcpuRows(result, rows, o.vcpu, o.reasonName);
  namePreemptions(result, o.spec, rows, label, g);
  return rows;
}

/** Time per (state, cause) along the path, largest first; running is told apart by worker. */
export function causeTotals(rows: PathRow[]): CauseTotal[] {
  if (rows.length === 0) return [];
  const span = rows[rows.length - 1]!.end - rows[0]!.start;
  const acc = new Map<string, CauseTotal>();
  for (const r of rows) {
    if (r.duration <= 0) continue;
    const cause = r.cause !== "" ? r.cause : r.state === "running" || r.state === "guest" || r.vertical ? r.label : "";
    const k = `${r.state}\u0000${cause}`;
    const t = acc.get(k) ?? { state: r.state, cause, duration: 0, share: 0 };
    t.duration += r.duration;
    acc.set(k, t);
  }
  return [...acc.values()].map((t) => ({ ...t, share: span > 0 ? t.duration / span : 0 }))
    .sort((a, b) => b.duration - a.duration || (a.state + a.cause < b.state + b.cause ? -1 : 1));
}

// --- internal ---

function splitVcpuRows(result: RunResult, rows: PathRow[], spec: VcpuSpec, reasonName: DescribeOptions["reasonName"]): PathRow[] {
  const tidOf = (r: PathRow) => (r.vertical ? -1 : parseWorkerKey(r.worker)?.tid ?? -1);
  const tids = new Set(rows.map(tidOf).filter((t) => t > 0));
  const slices = vcpuSlices(result, spec, tids);
  if (slices.size === 0) return rows;
  const out: PathRow[] = [];
  for (const r of rows) {
    const mine = slices.get(tidOf(r));
    if (!mine || (r.state !== "running" && r.state !== "preempted")) { out.push(r); continue; }
    let t = r.start;
    for (const s of slicesIn(mine, r.start, r.end)) {
      if (s.start > t) out.push(piece(r, t, s.start, r.state, r.cause));
      out.push(piece(r, s.start, s.end, ...vcpuState(r, s, reasonName)));
      t = s.end;
    }
    if (t < r.end || r.duration === 0) out.push(piece(r, t, r.end, r.state, r.cause));
  }
  return out;
}

/** What a vCPU slice says about a running or preempted stretch. */
function vcpuState(r: PathRow, s: VcpuSlice, reasonName: DescribeOptions["reasonName"]): [string, string] {
  if (r.state === "running" && (s.state === "guest" || s.state === "hypervisor")) {
    if (s.state === "guest") return ["guest", ""];
    const name = s.reason >= 0 && reasonName ? reasonName(s.reason, s.isa) : null;
    return ["hypervisor", s.reason < 0 ? "" : name ? `exit ${name} (${s.reason})` : `exit ${s.reason}`];
  }
  if (r.state === "preempted" && s.state === "preempted" && s.byTid > 0) return ["preempted", `by ${s.byComm} (${s.byTid})`];
  return [r.state, r.cause];
}

function piece(r: PathRow, start: number, end: number, state: string, cause: string): PathRow {
  return { ...r, start, end, duration: end - start, state, cause };
}

/** Preempted rows the vCPU machine did not explain: who ran on the CPU meanwhile. */
function namePreemptions(result: RunResult, spec: GraphSpec, rows: PathRow[], label: (w: number) => string, g: ExecGraph): void {
  const todo = rows.filter((r) => !r.vertical && r.state === "preempted" && r.cause === "" && r.duration > 0);
  if (todo.length === 0) return;
  const index = new Map(g.workers.map((k, i) => [k, i]));
  const found = whoRan(result, spec, todo.map((r) => ({ worker: r.worker, start: r.start, end: r.end })));
  todo.forEach((r, i) => {
    const top = found[i]![0];
    if (top === undefined) return;
    const w = index.get(top.worker);
    const who = w !== undefined ? label(w) : workerLabel(top.worker, top.name, result.hosts.length > 1);
    const rest = found[i]!.length - 1;
    r.cause = top.share >= 0.95 || rest === 0 ? `by ${who}` : `by ${who} ${Math.round(top.share * 100)}%${rest > 0 ? `, ${rest} other${rest > 1 ? "s" : ""}` : ""}`;
  });
}
