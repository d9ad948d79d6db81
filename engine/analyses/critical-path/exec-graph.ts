/**
 * The whole-trace execution graph in typed arrays (Trace Compass's TmfGraph, compact): each
 * worker's vertices are a contiguous, time-sorted run; a vertex has at most one outgoing
 * horizontal edge (to the next vertex of its worker) and at most one incoming vertical edge.
 * A 10M-event trace gives a few million vertices: tens of bytes each, no object per vertex.
 */
import { EDGE_KINDS, NO_EDGE, type EdgeKind } from "./graph-spec.js";

export interface ExecGraph {
  /** Worker keys (index = worker id) and their command names ("" when unknown). */
  workers: string[];
  names: string[];
  /** Vertices of worker w are [first[w], first[w + 1]); length workers + 1. */
  first: Int32Array;
  /** Vertex time (ns, run-relative) and worker. */
  ts: Float64Array;
  owner: Int32Array;
  /** Kind code of the horizontal edge v → v + 1, or NO_EDGE (a gap, or the worker's tail). */
  out: Uint8Array;
  /** Qualifier of that edge (index into `causes`), -1 when none. */
  outCause: Int32Array;
  /** Source vertex of the incoming vertical edge, -1 when none; its kind code. */
  inFrom: Int32Array;
  inKind: Uint8Array;
  causes: string[];
  /** Links the graph could not place (a vertex already had an incoming vertical edge). */
  droppedLinks: number;
}

/** Number of vertices. */
export function vertexCount(g: ExecGraph): number {
  return g.ts.length;
}

/** The vertex of worker `w` at exactly `t`, or -1. */
export function vertexAt(g: ExecGraph, w: number, t: number): number {
  const i = lastAtOrBefore(g, w, t);
  return i >= 0 && g.ts[i] === t ? i : -1;
}

/** The last vertex of worker `w` at or before `t`, or -1 when all are later. */
export function lastAtOrBefore(g: ExecGraph, w: number, t: number): number {
  let lo = g.first[w]!;
  let hi = g.first[w + 1]! - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (g.ts[mid]! <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/** The first vertex of worker `w` at or after `t`, or -1 when all are earlier. */
export function firstAtOrAfter(g: ExecGraph, w: number, t: number): number {
  const i = lastAtOrBefore(g, w, t);
  if (i >= 0 && g.ts[i] === t) return i;
  const j = i < 0 ? g.first[w]! : i + 1;
  return j < g.first[w + 1]! ? j : -1;
}

/** Kind of the horizontal edge leaving `v` (null when none). */
export function outKind(g: ExecGraph, v: number): EdgeKind | null {
  const c = g.out[v]!;
  return c === NO_EDGE ? null : EDGE_KINDS[c]!;
}

/** The horizontal edge entering `v` starts at v - 1 when that vertex has one. */
export function hasIncomingHorizontal(g: ExecGraph, v: number): boolean {
  return v > g.first[g.owner[v]!]! && g.out[v - 1] !== NO_EDGE;
}
