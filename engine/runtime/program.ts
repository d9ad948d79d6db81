/**
 * A running compiled program: dispatch table by event type → generated handler, the context
 * model around it, event-time timers, and the sinks (state history, segments, tables, alerts).
 * Contract: `push` events in non-decreasing time order (late ones are still processed, at their
 * own time); `finish` fires timers up to the last event, closes open intervals and returns the
 * whole result. The same events give the same result however they were chunked.
 */
import type { FieldValue, Fields, LossMarker, TraceEvent } from "../model/event.js";
import type { GeneratedProgram } from "../codegen/gen-program.js";
import { ActionRunner } from "./actions.js";
import { Alerter, type AlertRuleSpec } from "./alerter.js";
import { B } from "./builtins.js";
import { ContextModel } from "./context-model.js";
import { MachineStore } from "./machine-store.js";
import type { LinkRecord, RunResult, Segment, StateInterval } from "./result.js";
import { SequenceTracker } from "./sequence-tracker.js";
import { TableTracker } from "./table-tracker.js";
import { TimerQueue } from "./timer-queue.js";
import { InstanceSnapshots } from "./instance-snapshots.js";
import { LOST_EVENT } from "../check/event-catalog.js";

export interface ProgramOptions {
  origin?: bigint;
  hosts?: string[];
  /** Keep state intervals and segments (default true); a number keeps only the newest N per rule. */
  history?: boolean | number;
  /** Where `print` actions write (default: stderr). */
  print?: (line: string) => void;
  lttng?: string;
}

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
  /** False when state history is off: machines with no table over them skip building rows. */
  keepHistory: boolean;
  interval: (machine: number, r: Row) => void;
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
  private events = 0;
  private late = 0;
  private lost = 0;
  private first = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private losses: RunResult["losses"] = [];
  private readonly timers: TimerQueue;
  /** True when generated code reads the context (`cx.`): only then is it resolved per event. */
  private readonly usesContext: boolean;
  /** False when nothing can ever read the context (no `cx.`, no event alert records). */
  private readonly followsThreads: boolean;

  constructor(readonly generated: GeneratedProgram, private readonly options: ProgramOptions = {}) {
    const history = options.history ?? true;
    this.limit = history === false ? 0 : history === true ? Number.POSITIVE_INFINITY : history;
    const timers = new TimerQueue();
    this.timers = timers;
    this.usesContext = generated.source.includes("cx.");
    this.followsThreads = this.usesContext || generated.source.includes("rt.eventRecord(");
    this.rt = {
      K: generated.constants, B, cx: this.context.cx, hosts: options.hosts ?? ["trace"], timers,
      machines: [], seqs: [], tables: [], alerter: null, keepHistory: this.limit > 0,
      MachineStore, SequenceTracker, TableTracker,
      interval: (m, r) => this.keep(this.intervals, m, r),
      segment: (s, r) => this.keep(this.segments, s, r),
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
    this.runner = new ActionRunner({ print: options.print ?? ((l) => process.stderr.write(l + "\n")), lttng: options.lttng ?? "lttng", origin: options.origin ?? 0n });
    this.alerter = new Alerter(mod.alerts, this.runner);
    this.rt.alerter = this.alerter;
    this.idleMachines = this.rt.machines.filter((m) => m.spec.idleNs !== null);
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

  /** Lost events: counted, and kept so reports can mark results over this range uncertain. */
  loss(m: LossMarker): void {
    this.lost += m.count > 0 ? m.count : 0;
    this.losses.push({ host: m.host, cpu: m.cpu, start: m.start, end: m.end, count: m.count });
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
    };
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
