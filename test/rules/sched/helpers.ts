/**
 * Runs the sched pack (checked the way `vigil critical-path` checks it: the trace's events plus
 * the pack's optional ones) over events given as plain objects, on one or more hosts.
 */
import { graphSchema } from "../../../engine/analyses/critical-path/run-packs.js";
import { compile } from "../../../engine/compile.js";
import type { Fields, TraceEvent } from "../../../engine/model/event.js";
import { Program } from "../../../engine/runtime/program.js";
import type { RunResult } from "../../../engine/runtime/result.js";

export interface E {
  ts: number;
  name: string;
  cpu?: number;
  fields?: Fields;
  /** Index into `hosts` (default 0). */
  host?: number;
}

/** The compiled sched pack (and any other built-in packs asked for). */
export function compilePacks(packs: string[] = ["sched"]) {
  const out = compile({ packs, traceSchema: graphSchema([], packs) });
  const errors = out.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !out.program) throw new Error(errors.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.code} ${d.message}`).join("\n"));
  return out;
}

export async function runSched(events: E[], hosts: string[] = ["h"]): Promise<RunResult> {
  const prog = new Program(compilePacks().program!, { hosts, print: () => {} });
  for (const e of events) {
    const ev: TraceEvent = { name: e.name, ts: e.ts, cpu: e.cpu ?? 0, host: e.host ?? 0, fields: e.fields ?? {}, context: null };
    prog.push(ev);
  }
  return prog.finish();
}

/** sched_switch on `cpu`: prev (tid, state) out, next in. */
export function sw(ts: number, cpu: number, prev: number, prevState: number, next: number, host = 0): E {
  return { ts, name: "sched_switch", cpu, host, fields: { prev_comm: `t${prev}`, prev_tid: prev, prev_prio: 20, prev_state: prevState, next_comm: `t${next}`, next_tid: next, next_prio: 20 } };
}

export function waking(ts: number, cpu: number, tid: number, name = "sched_waking", host = 0): E {
  return { ts, name, cpu, host, fields: { comm: `t${tid}`, tid, prio: 20, target_cpu: cpu } };
}

/** Intervals of `sched.thread` for one worker key, as [state, start, end, woken, cause]. */
export function threadIntervals(r: RunResult, key: string): Array<[string, number, number, unknown, unknown]> {
  return (r.states["sched.thread"] ?? []).filter((i) => i.key === key).map((i) => [i.state, i.start, i.end, i.fields["woken"], i.fields["cause"]]);
}
