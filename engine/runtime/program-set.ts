/**
 * Several compiled units over one event stream: each built-in pack is compiled on its own (its
 * names are its own), user rule files form one more unit, and every event goes to each.
 * Results merge by output name (`kvm.exits`, `xen.exits` never collide); alerts interleave by
 * time; event counts are the stream's, once.
 */
import type { GeneratedProgram } from "../codegen/gen-program.js";
import type { LossMarker, TraceEvent } from "../model/event.js";
import { Program, type ProgramOptions } from "./program.js";
import type { RunResult } from "./result.js";

export class ProgramSet {
  readonly programs: Program[];

  constructor(generated: GeneratedProgram[], options: ProgramOptions = {}) {
    this.programs = generated.map((g) => new Program(g, options));
  }

  push(ev: TraceEvent): void {
    const ps = this.programs;
    for (let i = 0; i < ps.length; i++) ps[i]!.push(ev);
  }

  /** `Program.advanceTo` on every unit: time proven passed without events. */
  advanceTo(ts: number): void {
    for (const p of this.programs) p.advanceTo(ts);
  }

  loss(m: LossMarker): void {
    for (const p of this.programs) p.loss(m);
  }

  async finish(): Promise<RunResult> {
    const results = await Promise.all(this.programs.map((p) => p.finish()));
    return mergeResults(results);
  }

  get liveCounts(): { instances: number; partials: number } {
    return this.programs.reduce((a, p) => {
      const c = p.liveCounts;
      return { instances: a.instances + c.instances, partials: a.partials + c.partials };
    }, { instances: 0, partials: 0 });
  }
}

/** One result from the units' results (same stream: times, hosts and losses are shared). */
export function mergeResults(results: RunResult[]): RunResult {
  if (results.length === 1) return results[0]!;
  const [first] = results;
  const out: RunResult = {
    ...first!,
    states: {}, segments: {}, links: {}, tables: {}, alerts: [],
    stats: { ...first!.stats, suppressed_alerts: 0, suppressed_by_rule: {}, overflow_by_rule: {}, action_failures: 0 },
  };
  if (results.some((r) => r.summaries !== undefined)) out.summaries = { states: {}, segments: {} };
  if (results.some((r) => r.spilled !== undefined)) out.spilled = { states: {}, segments: {} };
  for (const r of results) {
    if (out.summaries !== undefined && r.summaries !== undefined) {
      Object.assign(out.summaries.states, r.summaries.states);
      Object.assign(out.summaries.segments, r.summaries.segments);
    }
    if (out.spilled !== undefined && r.spilled !== undefined) {
      Object.assign(out.spilled.states, r.spilled.states);
      Object.assign(out.spilled.segments, r.spilled.segments);
    }
    Object.assign(out.states, r.states);
    Object.assign(out.segments, r.segments);
    Object.assign(out.links, r.links);
    Object.assign(out.tables, r.tables);
    out.alerts.push(...r.alerts);
    out.stats.late = Math.max(out.stats.late, r.stats.late);
    out.stats.suppressed_alerts += r.stats.suppressed_alerts;
    Object.assign(out.stats.suppressed_by_rule, r.stats.suppressed_by_rule);
    Object.assign(out.stats.overflow_by_rule, r.stats.overflow_by_rule);
    out.stats.action_failures += r.stats.action_failures;
  }
  // stable: alerts of one time keep unit order
  out.alerts.sort((a, b) => a.ts - b.ts);
  return out;
}
