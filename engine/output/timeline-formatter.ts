/**
 * `--timeline FILE.json`: the run as Chrome trace-event JSON, which Perfetto's UI and
 * chrome://tracing load. One process per machine with one thread track per instance (its
 * state intervals as complete slices), one process for segments (async slices, which may
 * overlap), alerts as global instant events. Times are µs with ns precision, relative to the
 * run's origin (kept in `metadata.origin_ns`).
 */
import type { FieldValue } from "../model/event.js";
import type { RunResult } from "../runtime/result.js";

type TraceEvent = Record<string, unknown>;

export function formatTimeline(result: RunResult): string {
  const events: TraceEvent[] = [];
  const us = (ns: number) => ns / 1000;
  let pid = 1;
  for (const [machine, intervals] of Object.entries(result.states)) {
    events.push({ ph: "M", name: "process_name", pid, tid: 0, args: { name: `machine ${machine}` } });
    const tids = new Map<string, number>();
    for (const iv of intervals) {
      const k = keyText(iv.key);
      let tid = tids.get(k);
      if (tid === undefined) {
        tid = tids.size + 1;
        tids.set(k, tid);
        events.push({ ph: "M", name: "thread_name", pid, tid, args: { name: `${machine}[${k}]` } });
      }
      events.push({ ph: "X", name: iv.state, cat: "state", pid, tid, ts: us(iv.start), dur: us(iv.end - iv.start), args: jsonArgs(iv.fields) });
    }
    pid++;
  }
  const segPid = pid++;
  let id = 1;
  const segSets = Object.entries(result.segments);
  if (segSets.length > 0) events.push({ ph: "M", name: "process_name", pid: segPid, tid: 0, args: { name: "segments" } });
  for (const [name, segs] of segSets) {
    for (const s of segs) {
      const args = jsonArgs(s.fields);
      events.push({ ph: "b", name, cat: "segment", id: id, pid: segPid, tid: 0, ts: us(s.start), args });
      events.push({ ph: "e", name, cat: "segment", id: id++, pid: segPid, tid: 0, ts: us(s.end) });
    }
  }
  for (const a of result.alerts) {
    events.push({ ph: "i", s: "g", name: a.rule, cat: `alert.${a.severity}`, pid: segPid, tid: 0, ts: us(a.ts), args: { message: a.message, ...jsonArgs(a.fields) } });
  }
  return JSON.stringify({ traceEvents: events, displayTimeUnit: "ns", metadata: { origin_ns: result.origin.toString(), hosts: result.hosts } });
}

// --- internal ---

function keyText(k: FieldValue): string {
  return typeof k === "string" ? k : String(k);
}

function jsonArgs(fields: Record<string, FieldValue>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) o[k] = typeof v === "bigint" ? v.toString() : v;
  return o;
}
