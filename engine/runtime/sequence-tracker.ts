/**
 * Keyed partial matches of one sequence (an NFA per key). Step guards and captures are
 * generated; this class owns the control: followed-by and strict next, quantifiers (lazy: a
 * step with its minimum reached advances as soon as the next step matches), per-step gaps,
 * the sequence window, absence steps driven by event-time timers, the per-key cap and the
 * after-match skip policy.
 */
import type { FieldValue, TraceEvent, Fields } from "../model/event.js";
import type { TimerQueue } from "./timer-queue.js";

/** A step's guard; null when the step has no `where` (any event of its types matches). */
export type StepPred = ((ev: TraceEvent, f: Fields, b: FieldValue[]) => boolean) | null;
export type StepCapture = (b: FieldValue[], ev: TraceEvent, f: Fields) => void;

export interface StepMeta {
  absence: boolean;
  min: number;
  max: number;
  /** Max ns since the previous matched event (Infinity when none). For absence: the window. */
  gap: number;
  strict: boolean;
  pred: StepPred;
  capture: StepCapture;
}

export interface SequenceSpec {
  name: string;
  steps: StepMeta[];
  within: number;
  cap: number;
  skipPastLast: boolean;
  /** True when the sequence emits segments (its name appears in the result's segments). */
  emits: boolean;
  slots: number;
  /** Generated: emits the segment / alert. `ev` is null when an absence deadline completed it. */
  complete: (b: FieldValue[], key: FieldValue, start: number, end: number, ev: TraceEvent | null) => void;
}

interface Partial {
  i: number;
  c: number;
  start: number;
  last: number;
  alive: boolean;
  b: FieldValue[];
}

const EMPTY: FieldValue[] = [];
const SWEEP_EVERY = 65536;

export class SequenceTracker {
  readonly keys = new Map<FieldValue, Partial[]>();
  overflow = 0;
  private sinceSweep = 0;

  /** `x -> y` (two plain steps, no quantifier, absence or strict next): the common case, on a shorter path. */
  private readonly pair: boolean;

  constructor(readonly spec: SequenceSpec, private readonly timers: TimerQueue) {
    const s = spec.steps;
    this.pair = s.length === 2 && s.every((st) => !st.absence && st.min === 1 && st.max === 1 && !st.strict);
  }

  /**
   * Feeds one event of the sequence's event set; `mask` has bit i set when the event's type can
   * match step i. The generated caller has already evaluated the first step's guard (`starts`)
   * and looked the key's partial matches up (`list`), and skips the call when neither applies.
   */
  onEvent(ev: TraceEvent, f: Fields, key: FieldValue, mask: number, starts: boolean, list: Partial[] | undefined): void {
    if (key === null || key === undefined) return;
    if (this.pair) return this.onPair(ev, f, key, mask, starts, list);
    const steps = this.spec.steps;
    let completed = false;
    let dead = 0;
    if (list !== undefined) {
      for (let j = 0; j < list.length; j++) {
        const pm = list[j]!;
        if (!pm.alive) { dead++; continue; }
        if (ev.ts - pm.start > this.spec.within) { pm.alive = false; dead++; continue; }
        const st = steps[pm.i]!;
        if (st.absence && pm.c === 0) {
          // still inside the quiet period: a matching event ends this partial match
          if ((mask >> pm.i) & 1 && (st.pred === null || st.pred(ev, f, pm.b))) { pm.alive = false; dead++; }
          continue;
        }
        const canAdvance = pm.c >= st.min && pm.i + 1 < steps.length;
        if (canAdvance) {
          const nx = steps[pm.i + 1]!;
          if (!nx.absence && (mask >> (pm.i + 1)) & 1 && ev.ts - pm.last <= nx.gap && (nx.pred === null || nx.pred(ev, f, pm.b))) {
            pm.i++;
            pm.c = 1;
            pm.last = ev.ts;
            nx.capture(pm.b, ev, f);
            if (this.after(pm, key, ev)) { completed = true; if (this.spec.skipPastLast) break; dead++; }
            continue;
          }
        }
        if (!st.absence && pm.c < st.max && (mask >> pm.i) & 1 && ev.ts - pm.last <= st.gap && (st.pred === null || st.pred(ev, f, pm.b))) {
          pm.c++;
          pm.last = ev.ts;
          st.capture(pm.b, ev, f);
          if (this.after(pm, key, ev)) { completed = true; if (this.spec.skipPastLast) break; dead++; }
          continue;
        }
        if (canAdvance && steps[pm.i + 1]!.strict) { pm.alive = false; dead++; }
      }
      if (completed && this.spec.skipPastLast) {
        list.length = 0;
        return;
      }
      if (dead > 0) this.compact(list);
    }
    if (completed && this.spec.skipPastLast) return;
    if (starts) this.start(ev, f, key, list);
    if (++this.sinceSweep >= SWEEP_EVERY) this.sweep(ev.ts);
  }

  /** Live partial matches over all keys (for tests and the live view). */
  get live(): number {
    let n = 0;
    for (const l of this.keys.values()) for (const pm of l) if (pm.alive) n++;
    return n;
  }

  // --- internal ---

  /**
   * The same semantics as `onEvent` for a two-step sequence: every live partial match waits
   * for step 1; the first (oldest) that matches completes, and with skip-past-last ends the
   * key's matches (and this event starts none); with skip-to-next each that matches completes.
   */
  private onPair(ev: TraceEvent, f: Fields, key: FieldValue, mask: number, starts: boolean, list: Partial[] | undefined): void {
    if (list !== undefined && list.length > 0) {
      const s1 = this.spec.steps[1]!;
      const within = this.spec.within;
      const second = (mask & 2) !== 0;
      let n = 0;
      for (let j = 0; j < list.length; j++) {
        const pm = list[j]!;
        if (!pm.alive || ev.ts - pm.start > within) continue;
        if (second && ev.ts - pm.last <= s1.gap && (s1.pred === null || s1.pred(ev, f, pm.b))) {
          pm.alive = false;
          pm.i = 1;
          pm.last = ev.ts;
          s1.capture(pm.b, ev, f);
          this.spec.complete(pm.b, key, pm.start, ev.ts, ev);
          if (this.spec.skipPastLast) {
            // pop rather than `length = 0`: lists are short and pop stays on V8's fast path
            while (list.length > 0) list.pop();
            return;
          }
          continue;
        }
        list[n++] = pm;
      }
      while (list.length > n) list.pop();
    }
    if (starts) this.start(ev, f, key, list);
    if (++this.sinceSweep >= SWEEP_EVERY) this.sweep(ev.ts);
  }

  private start(ev: TraceEvent, f: Fields, key: FieldValue, list: Partial[] | undefined): void {
    if (list !== undefined && list.length >= this.spec.cap) { this.overflow++; return; }
    const pm: Partial = { i: 0, c: 1, start: ev.ts, last: ev.ts, alive: true, b: this.spec.slots === 0 ? EMPTY : this.spec.slots === 1 ? [null] : new Array<FieldValue>(this.spec.slots).fill(null) };
    this.spec.steps[0]!.capture(pm.b, ev, f);
    if (list === undefined) { list = []; this.keys.set(key, list); }
    list.push(pm);
    if (this.after(pm, key, ev)) {
      if (this.spec.skipPastLast) list.length = 0;
      else { pm.alive = false; this.compact(list); }
    }
  }

  /** After a match: completes the sequence or enters absence steps. True when completed. */
  private after(pm: Partial, key: FieldValue, ev: TraceEvent | null): boolean {
    const steps = this.spec.steps;
    const st = steps[pm.i]!;
    if (pm.c < st.min) return false;
    if (pm.i === steps.length - 1) {
      pm.alive = false;
      this.spec.complete(pm.b, key, pm.start, pm.last, ev);
      return true;
    }
    if (steps[pm.i + 1]!.absence) this.enterAbsence(pm, key);
    return false;
  }

  private enterAbsence(pm: Partial, key: FieldValue): void {
    pm.i++;
    pm.c = 0;
    const step = pm.i;
    const deadline = pm.last + this.spec.steps[step]!.gap;
    this.timers.schedule(deadline, (at) => {
      if (!pm.alive || pm.i !== step) return;
      if (at - pm.start > this.spec.within) { pm.alive = false; return; }
      pm.last = at;
      pm.c = this.spec.steps[step]!.min;
      if (this.after(pm, key, null)) {
        const list = this.keys.get(key);
        if (list) {
          if (this.spec.skipPastLast) list.length = 0;
          else this.compact(list);
        }
      }
    });
  }

  /** Drops dead partial matches in place (no allocation). Empty lists stay until the sweep. */
  private compact(list: Partial[]): void {
    let n = 0;
    for (let j = 0; j < list.length; j++) if (list[j]!.alive) list[n++] = list[j]!;
    if (n !== list.length) list.length = n;
  }

  /** Expires partial matches past the window and forgets keys with none left (bounded memory). */
  private sweep(ts: number): void {
    this.sinceSweep = 0;
    const within = this.spec.within;
    for (const [key, list] of this.keys) {
      if (Number.isFinite(within)) for (const pm of list) if (ts - pm.start > within && !this.spec.steps[pm.i]!.absence) pm.alive = false;
      this.compact(list);
      if (list.length === 0) this.keys.delete(key);
    }
  }
}
