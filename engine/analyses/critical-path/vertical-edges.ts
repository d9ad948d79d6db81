/**
 * Vertical edges, as Trace Compass places them. A wakeup from a thread (task context) links
 * the waker, extended to that instant, to the woken thread. A packet links its sender to its
 * receiver; when the receiver (a CPU's interrupt worker, or the thread running the packet
 * reception) then wakes a thread in network context, the packet is re-aimed at that wakeup —
 * the packet, not the softirq, is why the thread ran. Interrupt-context wakeups of other kinds
 * give no vertical edge: their kind is on the wait itself.
 */
import type { FieldValue } from "../../model/event.js";
import type { RunResult } from "../../runtime/result.js";
import { vertexAt, type ExecGraph } from "./exec-graph.js";
import { KIND_CODE, type GraphSpec } from "./graph-spec.js";
import { LinkTable } from "./link-table.js";
import type { WorkerIntervals } from "./worker-intervals.js";

/** The spec's link sets, read from the run (a missing set is empty: its pack part did not run). */
export interface CollectedLinks {
  wakeups: LinkTable;
  packets: LinkTable;
  /** Starts of a link-only worker's stretches of work (GraphSpec.workStarts). */
  starts: LinkTable;
  /** Instants that are vertices and nothing else (GraphSpec.marks). */
  marks: LinkTable;
}

/** Which wakeups make an edge: indices into `wakeups` of task wakeups (linked) and network ones. */
export interface Wakes {
  task: Int32Array;
  network: Int32Array;
}

export function collectLinks(result: RunResult, spec: GraphSpec, wid: (k: FieldValue) => number): CollectedLinks {
  return {
    wakeups: LinkTable.of(result, spec.wakeups, wid),
    packets: LinkTable.of(result, spec.packets, wid),
    starts: LinkTable.of(result, spec.workStarts, wid),
    marks: LinkTable.of(result, spec.marks, wid),
  };
}

/** Keeps the wakeups that end a wait (or start a thread), first one per wait, by what ended it. */
export function classifyWakes(w: LinkTable, byWorker: WorkerIntervals, spec: GraphSpec): Wakes {
  const task: number[] = [];
  const network: number[] = [];
  const seen = new Uint8Array(byWorker.start.length);
  const codeOf = byWorker.wakeNames.map((s) => (s === spec.taskWake ? 1 : spec.wokenKinds[s] === "network" ? 2 : 0));
  for (let i = 0; i < w.length; i++) {
    const j = byWorker.startingAt(w.to[i]!, w.toTs[i]!);
    if (j < 0 || byWorker.wake[j]! < 0 || seen[j] === 1) continue;
    seen[j] = 1;
    const c = codeOf[byWorker.wake[j]!];
    if (c === 1) task.push(i);
    else if (c === 2) network.push(i);
  }
  return { task: Int32Array.from(task), network: Int32Array.from(network) };
}

/** Places wakeup and packet edges on the graph's vertices (which must hold every link end). */
export function placeVerticalEdges(g: ExecGraph, wakeups: LinkTable, wakes: Wakes, p: LinkTable): void {
  const put = (from: number, to: number, kind: number) => {
    if (from < 0 || to < 0 || from === to) return;
    if (g.inFrom[to] !== -1) { g.droppedLinks++; return; }
    g.inFrom[to] = from;
    g.inKind[to] = kind;
  };
  for (const i of wakes.task) put(vertexAt(g, wakeups.from[i]!, wakeups.fromTs[i]!), vertexAt(g, wakeups.to[i]!, wakeups.toTs[i]!), KIND_CODE.wakeup);

  // Packets by receiver, in reception order, for the re-aiming below.
  const byReceiver = new Map<number, number[]>();
  for (let i = 0; i < p.length; i++) {
    const l = byReceiver.get(p.to[i]!);
    if (l) l.push(i); else byReceiver.set(p.to[i]!, [i]);
  }
  for (const l of byReceiver.values()) l.sort((a, b) => p.toTs[a]! - p.toTs[b]!);
  const consumed = new Uint8Array(p.length);
  const order = [...wakes.network].sort((a, b) => wakeups.toTs[a]! - wakeups.toTs[b]!);
  for (const i of order) {
    const list = byReceiver.get(wakeups.from[i]!);
    if (!list) continue;
    const k = latestAtOrBefore(list, p.toTs, wakeups.fromTs[i]!);
    if (k < 0 || consumed[k] === 1 || !stillPending(g, p.to[k]!, p.toTs[k]!, wakeups.fromTs[i]!)) continue;
    consumed[k] = 1;
    put(vertexAt(g, p.from[k]!, p.fromTs[k]!), vertexAt(g, wakeups.to[i]!, wakeups.toTs[i]!), KIND_CODE.network);
  }
  for (let k = 0; k < p.length; k++) {
    if (consumed[k] === 0) put(vertexAt(g, p.from[k]!, p.fromTs[k]!), vertexAt(g, p.to[k]!, p.toTs[k]!), KIND_CODE.network);
  }
}

// --- internal ---

/** The packet (index) of `sorted` received last at or before `t`, or -1. */
function latestAtOrBefore(sorted: number[], toTs: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (toTs[sorted[mid]!]! <= t) { found = sorted[mid]!; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/** A received packet waits for the wakeup it causes until its receiver moves on (a later vertex). */
function stillPending(g: ExecGraph, receiver: number, receivedAt: number, t: number): boolean {
  const v = vertexAt(g, receiver, receivedAt);
  if (v < 0) return false;
  const next = v + 1;
  return next >= g.first[receiver + 1]! || g.ts[next]! >= t;
}
