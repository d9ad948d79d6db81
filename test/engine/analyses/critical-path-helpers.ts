/**
 * Shared by the critical-path tests: run the sched pack over trace files, and read a graph or
 * a path back in Trace Compass's terms (workers by tid, vertices, edge kinds, vertical edges).
 */
import { runGraphPacks } from "../../../engine/analyses/critical-path/run-packs.js";
import { buildExecGraph, criticalPath, findThreads, type CriticalPathOptions } from "../../../engine/analyses/critical-path.js";
import { EDGE_KINDS, NO_EDGE } from "../../../engine/analyses/critical-path/graph-spec.js";
import type { ExecGraph } from "../../../engine/analyses/critical-path/exec-graph.js";
import { openTraces } from "../../../engine/readers/index.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { sharedPath } from "../../helpers/shared.js";

export const GRAPH_STUBS = ["traces", "tracecompass-vm-stubs", "core-graph"];

export async function runPacks(paths: string[], packs: string[] = ["sched"]): Promise<{ result: RunResult; g: ExecGraph }> {
  const sources = await openTraces(paths, { onIssue: (i) => { throw new Error(`${i.file}: ${i.message}`); } });
  const run = await runGraphPacks(sources, packs);
  const errors = run.diagnostics.filter((d) => d.severity === "error");
  if (run.result === null || errors.length > 0) throw new Error(errors.map((d) => d.message).join("\n"));
  return { result: run.result, g: buildExecGraph(run.result) };
}

export function stubs(...names: string[]): string[] {
  return names.map((n) => sharedPath(...GRAPH_STUBS, n));
}

/** A worker named as TC's tests name it: its tid, or `kernel@host` for a CPU's interrupt worker. */
export function tcName(key: string): string {
  const [host, tid] = splitKey(key);
  return tid < 0 ? `kernel@${host}` : String(tid);
}

/** Per worker (with vertices): vertex times and the edges between them as [from, to, KIND(qualifier)]. */
export function horizontal(g: ExecGraph, qualifiers = false): Record<string, { vertices: number[]; edges: string[] }> {
  const out: Record<string, { vertices: number[]; edges: string[] }> = {};
  g.workers.forEach((k, w) => {
    if (g.first[w] === g.first[w + 1]) return;
    const vertices: number[] = [];
    const edges: string[] = [];
    for (let v = g.first[w]!; v < g.first[w + 1]!; v++) {
      vertices.push(g.ts[v]!);
      if (g.out[v] === NO_EDGE) continue;
      const q = qualifiers && g.outCause[v]! >= 0 ? `(${g.causes[g.outCause[v]!]})` : "";
      edges.push(`${g.ts[v]}-${g.ts[v + 1]} ${EDGE_KINDS[g.out[v]!]!.toUpperCase()}${q}`);
    }
    out[tcName(k)] = { vertices, edges };
  });
  return out;
}

/** Vertical edges as `FROM@ts -> TO@ts KIND`, sorted. */
export function vertical(g: ExecGraph): string[] {
  const out: string[] = [];
  for (let v = 0; v < g.ts.length; v++) {
    const f = g.inFrom[v]!;
    if (f < 0) continue;
    out.push(`${tcName(g.workers[g.owner[f]!]!)}@${g.ts[f]} -> ${tcName(g.workers[g.owner[v]!]!)}@${g.ts[v]} ${EDGE_KINDS[g.inKind[v]!]!.toUpperCase()}`);
  }
  return out.sort();
}

/** The critical path of a tid as `WORKER from-to KIND` (horizontal) / `A@t -> B@t KIND` (vertical). */
export function pathOf(result: RunResult, g: ExecGraph, tid: number, options: CriticalPathOptions = {}, host?: string): string[] {
  const keys = findThreads(g, { tid, ...(host !== undefined ? { host } : {}) });
  if (keys.length !== 1) throw new Error(`tid ${tid}: ${keys.length} workers`);
  return criticalPath(result, g, keys[0]!, { vcpu: null, ...options }).rows.map((r) =>
    r.vertical ? `${tcName(r.from!)}@${r.start} -> ${tcName(r.worker)}@${r.end} ${r.state.toUpperCase()}` : `${tcName(r.worker)} ${r.start}-${r.end} ${r.state.toUpperCase()}`);
}

function splitKey(key: string): [string, number] {
  const b = key.lastIndexOf(":");
  const a = key.lastIndexOf(":", b - 1);
  return [key.slice(0, a), Number(key.slice(a + 1, b))];
}
