/**
 * The bounded critical-path walk on hand-made graphs: nested waits, the bound of the window,
 * dead ends rewound to another incoming link, unexplained waits, the end time, the budget.
 */
import { describe, expect, it } from "vitest";
import { boundedCriticalPath } from "../../../engine/analyses/critical-path/bounded-path.js";
import type { ExecGraph } from "../../../engine/analyses/critical-path/exec-graph.js";
import { KIND_CODE, NO_EDGE, type EdgeKind } from "../../../engine/analyses/critical-path/graph-spec.js";

/** Workers as [ts, kind of the edge to the next vertex | null]; verticals as [from, ts, to, ts, kind]. */
function graph(workers: Record<string, Array<[number, EdgeKind | null]>>, verticals: Array<[string, number, string, number, EdgeKind]> = []): ExecGraph {
  const names = Object.keys(workers);
  const first = new Int32Array(names.length + 1);
  names.forEach((n, w) => { first[w + 1] = first[w]! + workers[n]!.length; });
  const total = first[names.length]!;
  const g: ExecGraph = {
    workers: names, names: names.map(() => ""), first, ts: new Float64Array(total), owner: new Int32Array(total),
    out: new Uint8Array(total).fill(NO_EDGE), outCause: new Int32Array(total).fill(-1),
    inFrom: new Int32Array(total).fill(-1), inKind: new Uint8Array(total).fill(NO_EDGE), causes: [], droppedLinks: 0,
  };
  names.forEach((n, w) => workers[n]!.forEach(([t, k], i) => {
    const v = first[w]! + i;
    g.ts[v] = t;
    g.owner[v] = w;
    if (k !== null) g.out[v] = KIND_CODE[k];
  }));
  const at = (n: string, t: number) => {
    const w = names.indexOf(n);
    for (let v = first[w]!; v < first[w + 1]!; v++) if (g.ts[v] === t) return v;
    throw new Error(`no vertex ${n}@${t}`);
  };
  for (const [a, ta, b, tb, k] of verticals) { g.inFrom[at(b, tb)] = at(a, ta); g.inKind[at(b, tb)] = KIND_CODE[k]; }
  return g;
}

function walk(g: ExecGraph, worker: string, ts: number, options = {}) {
  const w = g.workers.indexOf(worker);
  let v = g.first[w]!;
  while (g.ts[v] !== ts) v++;
  const { path, truncated } = boundedCriticalPath(g, v, options);
  return { truncated, edges: path.edges.map((e) => `${g.workers[e.from.worker]}@${e.from.ts} ${e.vertical ? "=>" : "->"} ${g.workers[e.to.worker]}@${e.to.ts} ${e.kind}`) };
}

describe("bounded critical path", () => {
  it("a wait is replaced by what its waker did, recursively, from the wait's start on", () => {
    // A waits 10-50 for B; B itself waited 20-40 for C
    const g = graph({
      A: [[0, "running"], [10, "blocked"], [50, "running"], [60, null]],
      B: [[0, "running"], [20, "blocked"], [40, "running"], [50, null]],
      C: [[5, "running"], [40, null]],
    }, [["B", 50, "A", 50, "wakeup"], ["C", 40, "B", 40, "wakeup"]]);
    expect(walk(g, "A", 0).edges).toEqual([
      "A@0 -> A@10 running",
      "A@10 => B@10 default", "B@10 -> B@20 running",
      "B@20 => C@20 default", "C@20 -> C@40 running", "C@40 => B@40 wakeup",
      "B@40 -> B@50 running", "B@50 => A@50 wakeup",
      "A@50 -> A@60 running",
    ]);
  });

  it("the waker's time before its first known vertex is unknown", () => {
    const g = graph({ A: [[0, "running"], [10, "blocked"], [50, null]], B: [[30, "running"], [50, null]] }, [["B", 50, "A", 50, "wakeup"]]);
    expect(walk(g, "A", 0).edges).toEqual(["A@0 -> A@10 running", "A@10 => B@10 default", "B@10 -> B@30 unknown", "B@30 -> B@50 running", "B@50 => A@50 wakeup"]);
  });

  it("a dead end rewinds to the last vertex that had another way back (a link)", () => {
    // B@30 was entered both by its preempted edge (a dead end at 25) and by C's wakeup
    const g = graph({
      A: [[0, "running"], [10, "blocked"], [50, null]],
      B: [[25, "preempted"], [30, "running"], [50, null]],
      C: [[0, "running"], [30, null]],
    }, [["B", 50, "A", 50, "wakeup"], ["C", 30, "B", 30, "wakeup"]]);
    expect(walk(g, "A", 0).edges).toEqual([
      "A@0 -> A@10 running", "A@10 => C@10 default", "C@10 -> C@30 running", "C@30 => B@30 wakeup", "B@30 -> B@50 running", "B@50 => A@50 wakeup",
    ]);
  });

  it("a link from before the wait ends the walk (a packet sent before the wait began)", () => {
    const g = graph({
      A: [[0, "running"], [13, "running"], [15, "network"], [70, "preempted"], [75, null]],
      B: [[5, "network"], [35, "preempted"], [40, "running"], [45, null]],
    }, [["A", 13, "B", 35, "network"], ["B", 45, "A", 70, "network"]]);
    expect(walk(g, "A", 0).edges).toEqual([
      "A@0 -> A@13 running", "A@13 -> A@15 running", "A@15 => B@35 network", "B@35 -> B@40 preempted", "B@40 -> B@45 running", "B@45 => A@70 network", "A@70 -> A@75 preempted",
    ]);
  });

  it("a wait nobody explains stays on the path as it is; inside a waker, its own edges fill it", () => {
    const g = graph({
      A: [[0, "running"], [10, "blocked"], [50, "timer"], [60, "blocked"], [70, null]],
      B: [[0, "running"], [20, "blocked"], [40, "running"], [50, null]],
    }, [["B", 50, "A", 50, "wakeup"]]);
    expect(walk(g, "A", 0).edges).toEqual([
      "A@0 -> A@10 running", "A@10 => B@10 default", "B@10 -> B@20 running", "B@20 -> B@40 blocked", "B@40 -> B@50 running", "B@50 => A@50 wakeup",
      "A@50 -> A@60 timer", "A@60 -> A@70 blocked",
    ]);
  });

  it("stops once the target reaches the end time, keeping the edge that crosses it", () => {
    const g = graph({ A: [[0, "running"], [10, "preempted"], [20, "running"], [30, null]] });
    expect(walk(g, "A", 0, { endTs: 15 }).edges).toEqual(["A@0 -> A@10 running", "A@10 -> A@20 preempted"]);
    expect(walk(g, "A", 10).edges).toEqual(["A@10 -> A@20 preempted", "A@20 -> A@30 running"]);
  });

  it("a cycle of same-instant links exhausts the budget and says so", () => {
    // A and B wake each other at the same instant: the walk would go round forever
    const g = graph({
      A: [[0, "running"], [10, "blocked"], [20, "blocked"], [30, null]],
      B: [[0, "running"], [10, "blocked"], [20, "blocked"], [30, null]],
    }, [["B", 20, "A", 20, "wakeup"], ["A", 20, "B", 20, "wakeup"]]);
    const r = walk(g, "A", 0, { maxSteps: 1000, maxDepth: 50 });
    expect(r.truncated).toBe(true);
    expect(r.edges[0]).toBe("A@0 -> A@10 running");
  });
});
