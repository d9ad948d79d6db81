/**
 * The live driver: a `LiveSink` that feeds a compiled `Program` continuously, with memory
 * bounded for unbounded streams — state history as a ring of `history` rows per rule, the
 * newest `maxAlerts` alert records, the newest `maxLosses` loss ranges — and event-time timers
 * advanced by the feed's safe time (an idle stream still lets `stays` and `not ... within`
 * deadlines pass). Alerts, actions and notices are passed on as they happen.
 *
 * Contract: the `Program` is created at `start(origin)`; `items` pushes every event and loss in
 * order; `finish()` ends the run exactly as a batch run ends (timers up to the last event,
 * intervals closed, actions settled) and returns the result, so the same events give the same
 * alerts live and in replay — except that live, time proven by the feed (`advance`) past the
 * last event also fires deadlines, which a replay that stops at its last event cannot know.
 */
import type { GeneratedProgram } from "../codegen/gen-program.js";
import { isLoss, type SourceItem } from "../readers/source.js";
import type { ActionEvent, RetryPolicy } from "../runtime/actions.js";
import { Program } from "../runtime/program.js";
import type { AlertRecord, RunResult } from "../runtime/result.js";
import type { LiveNotice, LiveSink } from "./live-feed.js";
import { StateShares } from "./state-shares.js";

export interface LiveDriverOptions {
  /** Host id the events are stamped with (the feed's label). */
  host: string;
  /** State intervals and segments kept per rule (default 10000). */
  history?: number;
  /** Alert records kept in memory (default 1000; every alert is still counted). */
  maxAlerts?: number;
  /** Loss ranges kept (default 1000). */
  maxLosses?: number;
  lttng?: string;
  print?: (line: string) => void;
  retry?: RetryPolicy;
  onStart?: (origin: bigint) => void;
  onAlert?: (r: AlertRecord) => void;
  onAction?: (e: ActionEvent) => void;
  onNotice?: (n: LiveNotice) => void;
}

export interface LiveCounters {
  events: number;
  lossMarkers: number;
  gaps: number;
  alerts: number;
  actionsStarted: number;
  actionsDone: number;
  actionsFailed: number;
  /** First and last event time and last safe time (ns relative to the origin). */
  firstTs: number;
  lastTs: number;
  safe: number;
}

export class LiveDriver implements LiveSink {
  /** The running program, from `start(origin)` on. */
  program: Program | null = null;
  origin: bigint | null = null;
  readonly shares = new StateShares();
  readonly counters: LiveCounters = { events: 0, lossMarkers: 0, gaps: 0, alerts: 0, actionsStarted: 0, actionsDone: 0, actionsFailed: 0, firstTs: 0, lastTs: 0, safe: 0 };

  constructor(readonly generated: GeneratedProgram, private readonly opts: LiveDriverOptions) {}

  start(origin: bigint): void {
    if (this.program !== null) return;
    this.origin = origin;
    const c = this.counters;
    this.program = new Program(this.generated, {
      origin,
      hosts: [this.opts.host],
      history: this.opts.history ?? 10_000,
      maxAlerts: this.opts.maxAlerts ?? 1000,
      maxLosses: this.opts.maxLosses ?? 1000,
      ...(this.opts.print ? { print: this.opts.print } : {}),
      ...(this.opts.lttng ? { lttng: this.opts.lttng } : {}),
      ...(this.opts.retry ? { retry: this.opts.retry } : {}),
      onAlert: (r) => {
        c.alerts++;
        this.opts.onAlert?.(r);
      },
      onAction: (e) => {
        if (e.phase === "started") c.actionsStarted++;
        else if (e.phase === "done") c.actionsDone++;
        else if (e.phase === "failed") c.actionsFailed++;
        this.opts.onAction?.(e);
      },
      onInterval: (m, key, state, start, end) => this.shares.add(m, key, state, start, end),
    });
    this.opts.onStart?.(origin);
  }

  items(batch: SourceItem[]): void {
    const p = this.program;
    if (p === null) throw new Error("LiveDriver: items before start(origin)");
    const c = this.counters;
    for (let i = 0; i < batch.length; i++) {
      const it = batch[i]!;
      if (isLoss(it)) {
        p.loss(it);
        c.lossMarkers++;
      } else {
        p.push(it);
        if (c.events++ === 0) c.firstTs = it.ts;
        if (it.ts > c.lastTs) c.lastTs = it.ts;
      }
    }
  }

  advance(safe: number): void {
    const p = this.program;
    if (p === null || !(safe > this.counters.safe)) return;
    this.counters.safe = safe;
    // Every later event is at or after `safe`: deadlines before it pass now, as they would at
    // that next event; idle machines expire the same way.
    p.advanceTo(safe);
  }

  notice(n: LiveNotice): void {
    if (n.kind === "gap") this.counters.gaps++;
    this.opts.onNotice?.(n);
  }

  /** Ends the run (as a batch run ends) and returns the result; an empty run gives an empty result. */
  async finish(): Promise<RunResult> {
    if (this.program === null) this.start(0n);
    return (this.program as Program).finish();
  }
}
