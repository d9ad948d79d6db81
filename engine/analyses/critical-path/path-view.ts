/**
 * The asked-for path as a @dagrejs/graphlib graph — built per query, never for the whole
 * trace — and its edges in path order. The bounded algorithm glues every piece to the tail of
 * the previous one, so the path is a chain; graphlib's topological sort orders it and its
 * acyclicity check guards that contract.
 */
import { alg, Graph } from "@dagrejs/graphlib";
import type { PathBuilder, PathEdge, PathVertex } from "./path-graph.js";

/** Path vertices are nodes (`id`), path edges are labelled edges between them. */
export type PathView = Graph<string, PathVertex, PathEdge>;

export function pathView(path: PathBuilder): PathView {
  const g: PathView = new Graph<string, PathVertex, PathEdge>({ directed: true, multigraph: false });
  for (const v of path.vertices) g.setNode(String(v.id), v);
  for (const e of path.edges) g.setEdge(String(e.from.id), String(e.to.id), e);
  return g;
}

/** The path's edges from its start to its end (throws if the path is not acyclic: a bug). */
export function orderedEdges(view: PathView): PathEdge[] {
  if (!alg.isAcyclic(view)) throw new Error("critical path: the path graph has a cycle");
  const out: PathEdge[] = [];
  for (const id of alg.topsort(view)) {
    for (const e of view.outEdges(id) ?? []) out.push(view.edge(e)!);
  }
  return out;
}
