/**
 * A running compiled program: dispatch table by event type → generated handler, the context
 * model around it, event-time timers, and the sinks (state history, segments, tables, alerts).
 * Contract: `push` events in non-decreasing time order (late ones are still processed, at their
 * own time); `advanceTo` lets time pass without an event (live feeds); `finish` fires timers up
 * to the last event, closes open intervals and returns the whole result. The same events give
 * the same result however they were chunked. While running, the program is observed only
 * through the `ProgramOptions` hooks and the read-only accessors (`machines`, `tablesAt`,
 * `alerts`, `alertCount`, `liveCounts`).
 */
import type { FieldValue, Fields, LossMarker, TraceEvent } from "../model/event.js";
import type { GeneratedProgram } from "../codegen/gen-program.js";
import { ActionRunner } from "./actions.js";
import { Alerter, type AlertRuleSpec } from "./alerter.js";
import { B } from "./builtins.js";
import { ContextModel } from "./context-model.js";
import { MachineStore } from "./machine-store.js";
import type { AlertRecord, HistorySpill, LinkRecord, RunResult, RunSummaries, Segment, StateInterval, TableResult } from "./result.js";
import { SegmentTally, StateTally, type TalliedInstance } from "./summaries.js";
import { SequenceTracker } from "./sequence-tracker.js";
import { TableTracker } from "./table-tracker.js";
import { TimerQueue } from "./timer-queue.js";
import { InstanceSnapshots } from "./instance-snapshots.js";
import { LOST_EVENT } from "../check/event-catalog.js";
import type { MachineView, ProgramOptions } from "./program-options.js";

export type { MachineView, ProgramOptions } from "./program-options.js";

type Row = Record<string, FieldValue>;
type Handler = (ev: TraceEvent) => void;

interface GeneratedModule {
  handlers: Array<[string, Handler]>;
  fallback: Handler | null;
  alerts: AlertRuleSpec[];
}

/** What the generated code sees as `rt`. */
interface RuntimeApi {
  K: unknown[];
  B: typeof B;
  cx: ContextModel["cx"];
  hosts: string[];
  timers: TimerQueue;
  machines: MachineStore[];
  seqs: SequenceTracker[];
  tables: TableTracker[];
  alerter: Alerter | null;
  MachineStore: typeof MachineStore;
  SequenceTracker: typeof SequenceTracker;
  TableTracker: typeof TableTracker;
  /** Rows are stored: generated code hands over a fresh object per interval. */
  keepHistory: boolean;
  /** `interval` must be called even without history (a scratch row, valid during the call). */
  seesRows: boolean;
  /** A closed interval `r` of `instance` (still in the interval's state). */
  interval: (machine: number, r: Row, instance: TalliedInstance) => void;
  link: (set: number, from: FieldValue, fromTs: number, to: FieldValue, toTs: number) => void;
  /** The record of an event alert (resolves the event's context on demand). */
  eventRecord: (ev: TraceEvent, f: Fields) => Row;
  /** Adds frozen snapshots of machine instances to an alert record: (store, label, key) triples. */
  withInstances: (fields: Row, refs: unknown[]) => Row;
  segment: (seq: number, r: Row) => void;
}

export class Program {
  private readonly rt: RuntimeApi;
  private readonly dispatch: Map<string, Handler>;
  private readonly fallback: Handler | null;
  private readonly context = new ContextModel();
  private readonly runner: ActionRunner;
  private readonly alerter: Alerter;
  private readonly intervals: Row[][] = [];
  private readonly segments: Row[][] = [];
  private readonly links: LinkRecord[][] = [];
  private readonly snapshots = new InstanceSnapshots();
  private readonly idleMachines: MachineStore[];
  private readonly limit: number;
  /** Summaries tallied without history (`ProgramOptions.tally`), by machine and sequence index. */
  private readonly tallies: { states: StateTally[]; segments: SegmentTally[] } | null;
  /** Where intervals and segments go instead of memory (`ProgramOptions.spill`), or null. */
  private readonly spill: HistorySpill | null;
  private readonly maxLosses: number;
  /** Read-only views of the machines, built once (they follow the stores). */
  private readonly views: MachineView[];
  private events = 0;
  private late = 0;
  private lost = 0;
  private first = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private readonly losses: RunResult["losses"] = [];
  private readonly timers: TimerQueue;
  /** True when generated code reads the context (`cx.`): only then is it resolved per event. */
  private readonly usesContext: boolean;
  /** False when nothing can ever read the context (no `cx.`, no event alert records). */
  private readonly followsThreads: boolean;

  constructor(readonly generated: GeneratedProgram, private readonly options: ProgramOptions = {}) {
    const history = options.history ?? true;
    this.limit = history === false ? 0 : history === true ? Number.POSITIVE_INFINITY : history;
    this.tallies = this.limit === 0 && options.tally === true ? { states: [], segments: [] } : null;
    // (a ring of the newest N has nothing to spill: it stays in memory)
    this.spill = this.limit === Number.POSITIVE_INFINITY ? options.spill ?? null : null;
    const spill = this.spill;
    this.maxLosses = options.maxLosses ?? Number.POSITIVE_INFINITY;
    const onInterval = options.onInterval;
    const timers = new TimerQueue();
    this.timers = timers;
    this.usesContext = generated.source.includes("cx.");
    this.followsThreads = this.usesContext || generated.source.includes("rt.eventRecord(");
    this.rt = {
      K: generated.constants, B, cx: this.context.cx, hosts: options.hosts ?? ["trace"], timers,
      machines: [], seqs: [], tables: [], alerter: null,
      // A spill takes each row while it is current: machines may reuse one scratch row.
      keepHistory: this.limit > 0 && spill === null, seesRows: this.limit > 0 || onInterval !== undefined || this.tallies !== null,
      MachineStore, SequenceTracker, TableTracker,
      interval: (m, r, instance) => {
        if (onInterval !== undefined) onInterval(m, r.key ?? null, String(r.state), Number(r.start), Number(r.end));
        if (this.tallies !== null) (this.tallies.states[m] ??= new StateTally()).addInstance(instance, String(r.state), Number(r.end) - Number(r.start));
        if (spill !== null) spill.state(this.rt.machines[m]!.spec.name, r);
        else this.keep(this.intervals, m, r);
      },
      segment: (s, r) => {
        if (this.tallies !== null) (this.tallies.segments[s] ??= new SegmentTally()).add(Number(r.end) - Number(r.start));
        if (spill !== null) spill.segment(this.rt.seqs[s]!.spec.name, r);
        else this.keep(this.segments, s, r);
      },
      eventRecord: (ev, f) => {
        if (!this.usesContext) this.context.resolve(ev);
        return B.eventRecord(ev, f, this.context.cx);
      },
      withInstances: (fields, refs) => {
        const out: Record<string, FieldValue | Readonly<Record<string, FieldValue>>> = {};
        for (let j = 0; j < refs.length; j += 3) {
          out[refs[j + 1] as string] = this.snapshots.of(refs[j] as MachineStore, refs[j + 2] as FieldValue);
        }
        (fields as Record<string, unknown>).instances = out;
        return fields;
      },
      link: (i, from, fromTs, to, toTs) => {
        if (from === null || to === null) return;
        (this.links[i] ??= []).push({ from, from_ts: fromTs, to, to_ts: toTs });
      },
    };
    const factory = new Function("rt", generated.source) as (rt: RuntimeApi) => GeneratedModule;
    const mod = factory(this.rt);
    this.dispatch = new Map(mod.handlers);
    this.fallback = mod.fallback;
    this.runner = new ActionRunner({
      print: options.print ?? ((l) => process.stderr.write(l + "\n")), lttng: options.lttng ?? "lttng", origin: options.origin ?? 0n,
      ...(options.retry ? { retry: options.retry } : {}), ...(options.onAction ? { onEvent: options.onAction } : {}),
    });
    this.alerter = new Alerter(mod.alerts, this.runner, {
      ...(options.maxAlerts !== undefined ? { maxRecords: options.maxAlerts } : {}), ...(options.onAlert ? { onRecord: options.onAlert } : {}),
    });
    this.rt.alerter = this.alerter;
    this.idleMachines = this.rt.machines.filter((m) => m.spec.idleNs !== null);
    this.views = this.rt.machines.map((m) => ({ name: m.spec.name, states: m.spec.states, instances: m.map }));
  }

  /** The hot path: one event through timers, context, its handler. */
  push(ev: TraceEvent): void {
    const ts = ev.ts;
    if (ts < this.lastTs) this.late++;
    else {
      if (ts > this.timers.next) this.timers.fireBefore(ts);
      this.lastTs = ts;
    }
    if (this.events++ === 0) this.first = ts;
    const h = this.dispatch.get(ev.name);
    if (h !== undefined) {
      // Rules that never read $tid/$pid/$comm skip resolving it (alert records resolve on demand).
      if (this.usesContext) this.context.resolve(ev);
      h(ev);
    } else if (this.fallback !== null) {
      if (this.usesContext) this.context.resolve(ev);
      this.fallback(ev);
    }
    // The context model follows the threads whenever anything may ask for them.
    if (this.followsThreads) this.context.advance(ev);
    if (this.idleMachines.length > 0) for (let i = 0; i < this.idleMachines.length; i++) this.idleMachines[i]!.maybeSweep(ts);
  }

  /**
   * Time proven passed without events — a live feed's safe time (inactivity beacons, packet
   * ends): the caller promises no later event is older than `ts`. Fires every event-time timer
   * with a deadline before `ts` and expires idle instances, exactly as an event at `ts` would
   * before its handler, so `stays` and `not … within` deadlines pass on an idle stream. No-op
   * for a `ts` not past the timers. It is not an event: counts and the time `finish` closes at
   * stay the last event's.
   */
  advanceTo(ts: number): void {
    if (ts > this.timers.next) this.timers.fireBefore(ts);
    const idle = this.idleMachines;
    for (let i = 0; i < idle.length; i++) idle[i]!.maybeSweep(ts);
  }

  /** Lost events: counted, and kept (the newest `maxLosses`) so reports can mark results over this range uncertain. */
  loss(m: LossMarker): void {
    this.lost += m.count > 0 ? m.count : 0;
    const losses = this.losses;
    losses.push({ host: m.host, cpu: m.cpu, start: m.start, end: m.end, count: m.count });
    if (losses.length > 2 * this.maxLosses) losses.splice(0, losses.length - this.maxLosses);
    // Rules can react to losses: they see a `lost_events` event (count, end) at the loss's start.
    const h = this.dispatch.get(LOST_EVENT);
    if (h === undefined) return;
    const ev: TraceEvent = { name: LOST_EVENT, ts: m.start, cpu: m.cpu, host: m.host, fields: { count: m.count, end: m.end }, context: null };
    if (ev.ts >= this.lastTs && ev.ts > this.timers.next) this.timers.fireBefore(ev.ts);
    this.context.resolve(ev);
    h(ev);
  }

  /** Ends the stream: fires due timers, closes intervals, settles actions, returns everything. */
  async finish(): Promise<RunResult> {
    const last = Number.isFinite(this.lastTs) ? this.lastTs : 0;
    this.rt.timers.drain(last);
    for (const m of this.rt.machines) m.finish(last);
    await this.runner.settle();
    const states: Record<string, StateInterval[]> = {};
    this.rt.machines.forEach((m, i) => { states[m.spec.name] = (this.intervals[i] ?? []).map(toInterval); });
    const segments: Record<string, Segment[]> = {};
    this.rt.seqs.forEach((s, i) => { if (s.spec.emits) segments[s.spec.name] = (this.segments[i] ?? []).map(toSegment); });
    const links: Record<string, LinkRecord[]> = {};
    this.generated.links.forEach((name, i) => { links[name] = this.links[i] ?? []; });
    const first = this.events === 0 ? 0 : this.first;
    const tables: RunResult["tables"] = {};
    for (const t of this.rt.tables) tables[t.spec.name] = t.finish(first, last);
    const overflow: Record<string, number> = {};
    for (const m of this.rt.machines) if (m.overflow > 0) overflow[m.spec.name] = m.overflow;
    for (const s of this.rt.seqs) if (s.overflow > 0) overflow[s.spec.name] = s.overflow;
    for (const f of this.runner.failures) process.stderr.write(`vigil: action failed: ${f}\n`);
    return {
      origin: this.options.origin ?? 0n, first, last, states, segments, links, tables,
      alerts: this.alerter.records,
      stats: {
        events: this.events, late: this.late, lost: this.lost,
        suppressed_alerts: this.alerter.suppressedTotal, suppressed_by_rule: { ...this.alerter.suppressed },
        overflow_by_rule: overflow, action_failures: this.runner.failures.length,
      },
      hosts: this.rt.hosts, losses: this.losses,
      ...(this.tallies === null ? {} : { summaries: this.summaries(this.tallies) }),
      ...(this.spill === null ? {} : { spilled: this.spill.finish() }),
    };
  }

  private summaries(t: { states: StateTally[]; segments: SegmentTally[] }): RunSummaries {
    const out: RunSummaries = { states: {}, segments: {} };
    this.rt.machines.forEach((m, i) => { out.states[m.spec.name] = (t.states[i] ?? new StateTally()).summary(); });
    this.rt.seqs.forEach((q, i) => { if (q.spec.emits) out.segments[q.spec.name] = (t.segments[i] ?? new SegmentTally()).summary(); });
    return out;
  }

  /** The machines, in declaration order (the index `onInterval` reports), with their live instances. */
  get machines(): readonly MachineView[] {
    return this.views;
  }

  /**
   * Every table as it would be reported if the run ended at `now` (ns, ≥ the last event for
   * open intervals to count up to it). Reads only: the run goes on unchanged. O(groups).
   */
  tablesAt(now: number): Array<{ name: string; result: TableResult }> {
    const first = this.events === 0 ? 0 : this.first;
    return this.rt.tables.map((t) => ({ name: t.spec.name, result: t.finish(first, now) }));
  }

  /** The alert records kept so far (all, or the newest `maxAlerts`), oldest first. */
  get alerts(): readonly AlertRecord[] {
    return this.alerter.records;
  }

  /** Alerts fired so far, kept or not. */
  get alertCount(): number {
    return this.alerter.total;
  }

  /** Live instances and partial matches (for tests, explain and the live view). */
  get liveCounts(): { instances: number; partials: number } {
    return {
      instances: this.rt.machines.reduce((a, m) => a + m.map.size, 0),
      partials: this.rt.seqs.reduce((a, s) => a + s.live, 0),
    };
  }

  // --- internal ---

  private keep(store: Row[][], i: number, r: Row): void {
    if (this.limit === 0) return;
    let l = store[i];
    if (!l) { l = []; store[i] = l; }
    l.push(r);
    // A ring in live mode: drop the oldest half at once so trimming stays amortised O(1).
    if (l.length > this.limit * 2) l.splice(0, l.length - this.limit);
  }
}

function toInterval(r: Row): StateInterval {
  const { key, state, start, end, duration: _d, open: _o, ...fields } = r;
  return { key: key ?? null, state: String(state), start: Number(start), end: Number(end), fields };
}

function toSegment(r: Row): Segment {
  const { start, end, duration: _d, key: _k, ...fields } = r;
  return { start: Number(start), end: Number(end), fields };
}
