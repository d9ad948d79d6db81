/**
 * Worker keys of the sched pack: `tuple(host, tid, cpu)` text, `host:TID:-1` for a thread,
 * `host:0:CPU` for an idle thread, `host:-1:CPU` for a CPU's interrupt work. Host ids may hold
 * `:` (they are file names), so keys are read from the right.
 */
import type { FieldValue } from "../../model/event.js";

export interface WorkerId {
  host: string;
  tid: number;
  cpu: number;
}

/** Parses a worker key; null when it is not `host:tid:cpu`. */
export function parseWorkerKey(key: FieldValue): WorkerId | null {
  if (typeof key !== "string") return null;
  const b = key.lastIndexOf(":");
  const a = b > 0 ? key.lastIndexOf(":", b - 1) : -1;
  if (a < 0) return null;
  const tid = Number(key.slice(a + 1, b));
  const cpu = Number(key.slice(b + 1));
  if (!Number.isInteger(tid) || !Number.isInteger(cpu)) return null;
  return { host: key.slice(0, a), tid, cpu };
}

/** The key a worker has in the pack's machines and links. */
export function workerKey(w: WorkerId): string {
  return `${w.host}:${w.tid}:${w.cpu}`;
}

/** How reports name a worker: `name (tid)`, `swapper/CPU`, `irq/CPU`; with the host when asked. */
export function workerLabel(key: string, name: string, withHost: boolean): string {
  const w = parseWorkerKey(key);
  if (!w) return key;
  const base = w.tid < 0 ? `irq/${w.cpu}` : w.tid === 0 ? `swapper/${w.cpu}` : name !== "" ? `${name} (${w.tid})` : String(w.tid);
  return withHost ? `${w.host}/${base}` : base;
}
