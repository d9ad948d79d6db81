/**
 * The critical path as it is built: vertices (a worker at an instant) and the edges between
 * them, in the order the algorithm adds them. Every new vertex becomes its worker's tail, and
 * `append` links a worker's tail to a new vertex horizontally — Trace Compass's TmfGraph verbs.
 */
import type { EdgeKind } from "./graph-spec.js";

export interface PathVertex {
  id: number;
  worker: number;
  ts: number;
}

export interface PathEdge {
  from: PathVertex;
  to: PathVertex;
  kind: EdgeKind;
  /** Qualifier: the interrupt or softirq behind a wait; filled later for preemptions and VM time. */
  cause: string;
  /** Between two workers (a wakeup, a packet, a hop) rather than along one. */
  vertical: boolean;
}

export class PathBuilder {
  readonly vertices: PathVertex[] = [];
  readonly edges: PathEdge[] = [];
  private readonly tails = new Map<number, PathVertex>();

  /** A new vertex of `worker` at `ts`; it becomes the worker's tail. */
  vertex(worker: number, ts: number): PathVertex {
    const v = { id: this.vertices.length, worker, ts };
    this.vertices.push(v);
    this.tails.set(worker, v);
    return v;
  }

  tail(worker: number): PathVertex | undefined {
    return this.tails.get(worker);
  }

  /** A new vertex of `worker` at `ts`, reached horizontally from the worker's tail (if any). */
  append(worker: number, ts: number, kind: EdgeKind, cause: string): PathVertex {
    const prev = this.tails.get(worker);
    const v = this.vertex(worker, ts);
    if (prev !== undefined) this.edge(prev, v, kind, cause);
    return v;
  }

  /** An edge between two existing vertices: vertical when their workers differ. */
  edge(from: PathVertex, to: PathVertex, kind: EdgeKind, cause: string): void {
    this.edges.push({ from, to, kind, cause, vertical: from.worker !== to.worker });
  }
}
