/**
 * RunResult → ExecGraph. Horizontal edges are the intervals of the spec's machine, one worker
 * per key; a wait's kind is what ended it (the `woken` field of the interval that follows).
 * Vertices are the interval bounds plus the instants links touch (a waker at its wakeup, both
 * ends of a packet), as Trace Compass extends a worker when it wakes or sends. Vertical edges:
 * see vertical-edges.ts.
 *
 * Contract: every worker's vertices are sorted and distinct; `out[v]` is the kind of the
 * interval covering [ts[v], ts[v + 1]) or NO_EDGE where no mapped interval covers it.
 */
import type { FieldValue } from "../../model/event.js";
import type { RunResult } from "../../runtime/result.js";
import { vertexAt, type ExecGraph } from "./exec-graph.js";
import { KIND_CODE, NO_EDGE, SCHED_GRAPH, type GraphSpec } from "./graph-spec.js";
import type { LinkTable } from "./link-table.js";
import { classifyWakes, collectLinks, placeVerticalEdges } from "./vertical-edges.js";
import { WorkerIntervals } from "./worker-intervals.js";
import { workerKey } from "./worker-key.js";

/** The run lacks what the spec needs (the pack was not run): says which pack to add. */
export class GraphBuildError extends Error {}

export function buildExecGraph(result: RunResult, spec: GraphSpec = SCHED_GRAPH): ExecGraph {
  const intervals = result.states[spec.machine];
  if (intervals === undefined) {
    throw new GraphBuildError(`the run has no machine \`${spec.machine}\`: run its pack (e.g. --pack ${spec.machine.split(".")[0]}) with state history on`);
  }
  const index = new Map<string, number>();
  const workers: string[] = [];
  const wid = (k: FieldValue): number => {
    if (typeof k !== "string") return -1;
    let i = index.get(k);
    if (i === undefined) { i = workers.length; index.set(k, i); workers.push(k); }
    return i;
  };
  for (const iv of intervals) wid(iv.key);
  const links = collectLinks(result, spec, wid);
  const W = workers.length;
  const byWorker = new WorkerIntervals(intervals, W, index, spec, closedAtEnd(result, spec));
  const wakes = classifyWakes(links.wakeups, byWorker, spec);

  // Vertex times per worker, in one typed array: interval bounds, then the link ends that
  // extend a worker; each worker's run is sorted and deduplicated in place, then compacted.
  const count = new Int32Array(W + 1);
  byWorker.forEachBound((w) => count[w + 1]!++);
  // (no tuple per link: these loops run over every wakeup)
  const eachExtra = (fn: (w: number, t: number) => void) => {
    const { wakeups: wk, packets: pk, starts, marks } = links;
    for (const i of wakes.task) fn(wk.from[i]!, wk.fromTs[i]!);
    for (let i = 0; i < pk.length; i++) { fn(pk.from[i]!, pk.fromTs[i]!); fn(pk.to[i]!, pk.toTs[i]!); }
    for (const t of [starts, marks]) for (let i = 0; i < t.length; i++) fn(t.to[i]!, t.toTs[i]!);
  };
  eachExtra((w) => count[w + 1]!++);
  for (let w = 0; w < W; w++) count[w + 1] += count[w]!;
  const raw = new Float64Array(count[W]!);
  const fill = count.slice(0, W);
  byWorker.forEachBound((w, t) => { raw[fill[w]!++] = t; });
  eachExtra((w, t) => { raw[fill[w]!++] = t; });
  const first = new Int32Array(W + 1);
  let total = 0;
  for (let w = 0; w < W; w++) {
    const run = raw.subarray(count[w]!, count[w + 1]!).sort();
    first[w] = total;
    for (let i = 0; i < run.length; i++) if (i === 0 || run[i] !== raw[total - 1]) raw[total++] = run[i]!;
  }
  first[W] = total;
  const ts = raw.slice(0, total);
  const owner = new Int32Array(total);
  for (let w = 0; w < W; w++) owner.fill(w, first[w]!, first[w + 1]!);

  const g: ExecGraph = {
    workers, names: byWorker.names(), first, ts, owner,
    out: new Uint8Array(total).fill(NO_EDGE), outCause: new Int32Array(total).fill(-1),
    inFrom: new Int32Array(total).fill(-1), inKind: new Uint8Array(total).fill(NO_EDGE),
    causes: byWorker.causes, droppedLinks: 0,
  };
  for (let w = 0; w < W; w++) byWorker.fillEdges(w, g);
  fillLinkOnlyWorkers(g, byWorker, links.starts);
  placeVerticalEdges(g, links.wakeups, wakes, links.packets);
  return g;
}

// --- internal ---

/** A worker known only from links (a CPU's interrupt worker) runs between its vertices, except into a start. */
function fillLinkOnlyWorkers(g: ExecGraph, byWorker: WorkerIntervals, starts: LinkTable): void {
  const isStart = new Uint8Array(g.ts.length);
  for (let i = 0; i < starts.length; i++) {
    const v = vertexAt(g, starts.to[i]!, starts.toTs[i]!);
    if (v >= 0) isStart[v] = 1;
  }
  for (let w = 0; w < g.workers.length; w++) {
    if (byWorker.first[w] !== byWorker.first[w + 1]) continue;
    for (let v = g.first[w]!; v + 1 < g.first[w + 1]!; v++) if (isStart[v + 1] === 0) g.out[v] = KIND_CODE.running;
  }
}

/** Which intervals ending at the run's last event a real event closed (see GraphSpec.lastChange). */
function closedAtEnd(result: RunResult, spec: GraphSpec): ((key: string, end: number) => boolean) | null {
  const lc = spec.lastChange;
  const rows = lc ? result.states[lc.machine] : undefined;
  if (!lc || rows === undefined) return null;
  const real = new Set<string>();
  for (const r of rows) {
    if (r.fields[lc.atField] !== result.last || typeof r.key !== "string") continue;
    const cpu = r.fields[lc.cpuField];
    for (const f of lc.tidFields) {
      const tid = r.fields[f];
      if (typeof tid === "number" && tid >= 0 && typeof cpu === "number") real.add(workerKey({ host: r.key, tid, cpu: tid === 0 ? cpu : -1 }));
    }
  }
  return (key, end) => end !== result.last || real.has(key);
}
