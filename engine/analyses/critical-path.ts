/**
 * Critical paths (issue 7): "why did this thread take this long?" — the execution graph of
 * the whole trace, built from the sched pack's states and links (critical-path/build-graph.ts),
 * walked with Trace Compass's bounded algorithm from one worker (critical-path/bounded-path.ts),
 * then told as rows and per-cause totals, vCPU threads split by the kvm pack's states.
 *
 * Contract: `buildExecGraph` once per run, `criticalPath` per question; the graph is typed
 * arrays, and a graphlib view exists only for the path asked for.
 */
import { exitReasonTables, ISA_SVM } from "../readers/text/payload/exit-reasons.js";
import type { RunResult } from "../runtime/result.js";
import { boundedCriticalPath } from "./critical-path/bounded-path.js";
import { causeTotals, describePath, type CauseTotal, type PathRow } from "./critical-path/describe-path.js";
import { firstAtOrAfter, lastAtOrBefore, type ExecGraph } from "./critical-path/exec-graph.js";
import { KVM_VCPU, SCHED_GRAPH, type GraphSpec, type VcpuSpec } from "./critical-path/graph-spec.js";
import { orderedEdges, pathView } from "./critical-path/path-view.js";
import { parseWorkerKey, workerLabel } from "./critical-path/worker-key.js";

export { buildExecGraph, GraphBuildError } from "./critical-path/build-graph.js";
export type { ExecGraph } from "./critical-path/exec-graph.js";
export type { CauseTotal, PathRow } from "./critical-path/describe-path.js";
export { KVM_VCPU, SCHED_GRAPH } from "./critical-path/graph-spec.js";
export { vcpuThreads } from "./critical-path/vm-split.js";

export interface CriticalPathOptions {
  /** Start the path at the target's last vertex at or before this time (default: its first). */
  from?: number;
  /** Stop once the path reaches this time on the target (the edge crossing it is kept whole). */
  to?: number;
  spec?: GraphSpec;
  /** The vCPU machine to split vCPU threads by (default: the kvm pack's, when it ran); null: never. */
  vcpu?: VcpuSpec | null;
  /** Names an exit reason (default: the kvm pack's VMX/SVM tables). */
  reasonName?: (code: number, isa: number) => string | null;
}

export interface CriticalPathReport {
  target: { worker: string; label: string; start: number; end: number };
  rows: PathRow[];
  totals: CauseTotal[];
  /** The walk's budget ran out (see bounded-path.ts): the path may be incomplete. */
  truncated: boolean;
}

/** Thrown for a question the graph cannot answer (unknown or edge-less target). */
export class CriticalPathError extends Error {}

/** The critical path of worker `key` (a sched pack worker key, see worker-key.ts). */
export function criticalPath(result: RunResult, g: ExecGraph, key: string, options: CriticalPathOptions = {}): CriticalPathReport {
  const w = g.workers.indexOf(key);
  if (w < 0 || g.first[w] === g.first[w + 1]) throw new CriticalPathError(`${key}: no scheduling history for this worker in the trace`);
  let start = options.from === undefined ? g.first[w]! : lastAtOrBefore(g, w, options.from);
  if (start < 0) start = firstAtOrAfter(g, w, options.from!);
  const { path, truncated } = boundedCriticalPath(g, start, options.to === undefined ? {} : { endTs: options.to });
  const edges = orderedEdges(pathView(path));
  const spec = options.spec ?? SCHED_GRAPH;
  const rows = describePath(result, g, edges, { spec, vcpu: options.vcpu === undefined ? KVM_VCPU : options.vcpu, reasonName: options.reasonName ?? exitReasonName });
  const end = rows.length > 0 ? rows[rows.length - 1]!.end : g.ts[start]!;
  return {
    target: { worker: key, label: workerLabel(key, g.names[w]!, result.hosts.length > 1), start: g.ts[start]!, end },
    rows, totals: causeTotals(rows), truncated,
  };
}

/** An exit reason's kernel name from the kvm pack's tables (`HLT`; SVM when `isa` is 2). */
export function exitReasonName(code: number, isa: number): string | null {
  const t = exitReasonTables();
  return (isa === ISA_SVM ? t.svmNames.get(code) : t.vmxNames.get(code & 0xffff)) ?? null;
}

/** Worker keys of the threads matching a tid and/or a command name (on one host when given). */
export function findThreads(g: ExecGraph, q: { tid?: number; comm?: string; host?: string }): string[] {
  const out: string[] = [];
  g.workers.forEach((k, w) => {
    const id = parseWorkerKey(k);
    if (!id || id.tid <= 0 || g.first[w] === g.first[w + 1]) return;
    if (q.tid !== undefined && id.tid !== q.tid) return;
    if (q.comm !== undefined && g.names[w] !== q.comm) return;
    if (q.host !== undefined && id.host !== q.host) return;
    out.push(k);
  });
  return out;
}
