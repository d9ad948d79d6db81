/**
 * Who ran instead: for a stretch a thread spent runnable without a CPU, the threads that ran
 * on the CPU it eventually got (the one its next running interval is on), with their shares.
 * Read from the thread machine's own running intervals — one pass over them per query batch,
 * only for the path's preempted stretches.
 */
import type { RunResult, StateInterval } from "../../runtime/result.js";
import type { GraphSpec } from "./graph-spec.js";
import { parseWorkerKey } from "./worker-key.js";

export interface Stretch {
  worker: string;
  start: number;
  end: number;
}

export interface Occupant {
  worker: string;
  name: string;
  /** Share of the stretch (0..1). */
  share: number;
}

/** For each stretch, who ran on its CPU during it, largest share first (empty when unknown). */
export function whoRan(result: RunResult, spec: GraphSpec, stretches: Stretch[]): Occupant[][] {
  const rows = result.states[spec.machine] ?? [];
  const wanted = new Map<string, number[]>();
  stretches.forEach((s, i) => wanted.set(s.worker, [...(wanted.get(s.worker) ?? []), i]));
  // 1. the CPU each stretch ended on: the worker's first running interval from its end on
  const cpuOf = stretches.map(() => ({ cpu: -1, at: Number.POSITIVE_INFINITY }));
  for (const r of rows) {
    if (r.state !== spec.runState || typeof r.key !== "string") continue;
    const mine = wanted.get(r.key);
    if (!mine) continue;
    for (const i of mine) {
      const c = cpuOf[i]!;
      if (r.start >= stretches[i]!.end && r.start < c.at) { c.at = r.start; c.cpu = cpuNumber(r, spec); }
    }
  }
  // 2. who ran there meanwhile (same host, same CPU)
  const byCpu = new Map<number, number[]>();
  stretches.forEach((_, i) => { const c = cpuOf[i]!.cpu; if (c >= 0) byCpu.set(c, [...(byCpu.get(c) ?? []), i]); });
  const hostOf = stretches.map((s) => parseWorkerKey(s.worker)?.host ?? "");
  const acc = stretches.map(() => new Map<string, { name: string; ns: number }>());
  for (const r of rows) {
    if (r.state !== spec.runState || typeof r.key !== "string") continue;
    const qs = byCpu.get(cpuNumber(r, spec));
    if (!qs) continue;
    for (const i of qs) {
      const s = stretches[i]!;
      const ns = Math.min(r.end, s.end) - Math.max(r.start, s.start);
      if (ns <= 0 || r.key === s.worker || !r.key.startsWith(hostOf[i] + ":")) continue;
      const m = acc[i]!;
      const prev = m.get(r.key);
      const name = typeof r.fields[spec.nameField] === "string" ? (r.fields[spec.nameField] as string) : "";
      m.set(r.key, { name: prev?.name || name, ns: (prev?.ns ?? 0) + ns });
    }
  }
  return acc.map((m, i) => {
    const len = stretches[i]!.end - stretches[i]!.start;
    return [...m].map(([worker, o]) => ({ worker, name: o.name, share: len > 0 ? o.ns / len : 0 }))
      .sort((a, b) => b.share - a.share || (a.worker < b.worker ? -1 : 1));
  });
}

function cpuNumber(r: StateInterval, spec: GraphSpec): number {
  const c = r.fields[spec.cpuField];
  return typeof c === "number" ? c : -1;
}
