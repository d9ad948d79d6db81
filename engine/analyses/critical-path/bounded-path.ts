/**
 * Trace Compass's bounded critical path (Giraldeau & Dagenais, "Wait analysis of distributed
 * systems using kernel tracing"): walk the target worker's edges in time order; a running,
 * preempted, timer... edge is on the path as it is; a blocked or network edge is replaced by
 * what its waker did during the wait — followed backwards from the wakeup's vertical edge,
 * horizontally along the waker, recursing into the waker's own waits, never before the wait
 * began. Dead ends rewind to the last vertex with another incoming vertical edge.
 *
 * Edges inside the walk are numbers: 2v for the horizontal edge v → v + 1, 2t + 1 for the
 * vertical edge into t (one per vertex), so a sub-path is an array of numbers, not objects.
 */
import type { ExecGraph } from "./exec-graph.js";
import { EDGE_KINDS, isBlocking, KIND_CODE, NO_EDGE } from "./graph-spec.js";
import { PathBuilder, type PathVertex } from "./path-graph.js";

export interface BoundedPathOptions {
  /** Stop once the target's current vertex is at or after this time (the crossing edge is kept). */
  endTs?: number;
  /** Work budget (visited edges) and recursion depth; beyond them the path is marked truncated. */
  maxSteps?: number;
  maxDepth?: number;
}

export interface BoundedPath {
  path: PathBuilder;
  /** The budget ran out (a cycle of same-instant links, or a pathological trace). */
  truncated: boolean;
}

export function boundedCriticalPath(g: ExecGraph, start: number, options: BoundedPathOptions = {}): BoundedPath {
  const walk = new Walk(g, options.maxSteps ?? 50_000_000, options.maxDepth ?? 2000);
  const end = options.endTs ?? Number.POSITIVE_INFINITY;
  const b = walk.path;
  const actor = g.owner[start]!;
  b.vertex(actor, g.ts[start]!);
  for (let cur = start; g.out[cur] !== NO_EDGE && g.ts[cur]! < end; cur++) {
    const code = g.out[cur]!;
    if (isBlocking(code)) walk.appendComponent(cur, walk.resolve(cur, g.ts[cur]!, 0).reverse());
    else b.append(actor, g.ts[cur + 1]!, EDGE_KINDS[code]!, walk.causeOf(2 * cur));
  }
  return { path: b, truncated: walk.truncated };
}

// --- internal ---

class Walk {
  readonly path = new PathBuilder();
  truncated = false;
  private steps = 0;

  constructor(private readonly g: ExecGraph, private readonly maxSteps: number, private readonly maxDepth: number) {}

  from(e: number): number { return (e & 1) === 0 ? e / 2 : this.g.inFrom[(e - 1) / 2]!; }
  to(e: number): number { return (e & 1) === 0 ? e / 2 + 1 : (e - 1) / 2; }
  kindOf(e: number): number { return (e & 1) === 0 ? this.g.out[e / 2]! : this.g.inKind[(e - 1) / 2]!; }
  causeOf(e: number): string {
    if ((e & 1) === 1) return "";
    const c = this.g.outCause[e / 2]!;
    return c < 0 ? "" : this.g.causes[c]!;
  }

  /** The edges that explain the wait `blocked → blocked + 1`, latest first, none before `bound`. */
  resolve(blocked: number, bound: number, depth: number): number[] {
    const g = this.g;
    const sub: number[] = [];
    const junction = blocked + 1;
    if (g.inFrom[junction]! < 0) return sub;
    if (depth > this.maxDepth) { this.truncated = true; return sub; }
    sub.push(2 * junction + 1);
    const limit = Math.max(bound, g.ts[blocked]!);
    const stack: number[] = [];
    let v = g.inFrom[junction]!;
    while (v >= 0 && g.ts[v]! > limit) {
      if (++this.steps > this.maxSteps) { this.truncated = true; break; }
      const down = g.inFrom[v]!;
      // A link from before the window: it is the cause, and the walk ends there.
      if (down >= 0 && g.ts[down]! <= limit) { sub.push(2 * v + 1); break; }
      const hasIn = v > g.first[g.owner[v]!]! && g.out[v - 1] !== NO_EDGE;
      const inCode = hasIn ? g.out[v - 1]! : NO_EDGE;
      // Another way back, explored if this one dead-ends (not through a wait: that would
      // visit the wait's own wakeup twice).
      if (down >= 0 && (!hasIn || !isBlocking(inCode))) stack.push(v);
      if (hasIn) {
        if (isBlocking(inCode)) {
          const inner = this.resolve(v - 1, limit, depth + 1);
          // an unexplained network wait stays as it is; an unexplained block leaves a gap
          if (inner.length === 0 && inCode === KIND_CODE.network) sub.push(2 * (v - 1));
          else for (const e of inner) sub.push(e);
        } else sub.push(2 * (v - 1));
        v = v - 1;
        continue;
      }
      v = -1;
      if (stack.length > 0) {
        const s = stack.pop()!;
        while (sub.length > 0 && this.from(sub[sub.length - 1]!) !== s) sub.pop();
        if (g.inFrom[s]! >= 0) { sub.push(2 * s + 1); v = g.inFrom[s]!; }
      }
    }
    return sub;
  }

  /** Glues the resolved edges (earliest first) after the target's tail at vertex `cur`. */
  appendComponent(cur: number, links: number[]): void {
    const g = this.g;
    const b = this.path;
    const actor = g.owner[cur]!;
    if (links.length === 0) {
      b.append(actor, g.ts[cur + 1]!, EDGE_KINDS[g.out[cur]!]!, this.causeOf(2 * cur));
      return;
    }
    let anchor: PathVertex = b.tail(actor)!;
    const head = this.from(links[0]!);
    const src = g.owner[head]!;
    if (src !== actor) {
      // hop to the worker the wait depends on, at the wait's start; what it did before its
      // first explained edge is unknown
      const hop = b.vertex(src, g.ts[cur]!);
      b.edge(anchor, hop, "default", "");
      anchor = hop;
      if (g.ts[head]! > hop.ts) {
        const gap = b.vertex(src, g.ts[head]!);
        b.edge(hop, gap, "unknown", "");
        anchor = gap;
      }
    }
    let prev = -1;
    for (const e of links) {
      if (prev >= 0 && this.to(prev) !== this.from(e)) anchor = this.bridge(anchor, this.to(prev), this.from(e));
      anchor = this.copy(anchor, this.to(e), g.ts[this.to(e)]!, this.kindOf(e), this.causeOf(e));
      prev = e;
    }
  }

  /**
   * Joins two pieces of a sub-path that do not meet: a wait that nothing explained was left
   * out of it. On one worker, its own edges fill the gap (Trace Compass draws one DEFAULT
   * edge there; the edges say more and last as long); across workers, a `default` hop.
   */
  private bridge(anchor: PathVertex, a: number, b: number): PathVertex {
    const g = this.g;
    if (g.owner[a] !== g.owner[b] || a > b) return this.copy(anchor, b, Math.max(g.ts[a]!, g.ts[b]!), KIND_CODE.default, "");
    let v = anchor;
    for (let x = a; x < b; x++) {
      const code = g.out[x] === NO_EDGE ? KIND_CODE.unknown : g.out[x]!;
      v = this.copy(v, x + 1, g.ts[x + 1]!, code, this.causeOf(2 * x));
    }
    return v;
  }

  /** A path vertex for graph vertex `to`'s worker at `ts`, joined to `anchor` (which is on the
   *  worker the copied edge leaves: horizontal when both are one worker, else vertical). */
  private copy(anchor: PathVertex, to: number, ts: number, code: number, cause: string): PathVertex {
    const v = this.path.vertex(this.g.owner[to]!, ts);
    this.path.edge(anchor, v, EDGE_KINDS[code]!, cause);
    return v;
  }
}
