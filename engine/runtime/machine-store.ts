/**
 * Instances of one keyed state machine. Generated code performs the transitions (guards and
 * assignments are compiled); the store owns creation under the cap, interval closing, idle
 * expiry and the end of run. Contract: every closed interval with a positive length is passed
 * to `onInterval` exactly once, in the order it closed.
 */
import type { FieldValue } from "../model/event.js";

/** A machine instance; generated code adds its kept fields as `k_<name>` properties. */
export interface Instance {
  key: FieldValue;
  state: number;
  since: number;
  /** Last transition time (for idle expiry). */
  last: number;
  /** Bumped on every state change, so pending `stays` timers of the old state are ignored. */
  gen: number;
  [kept: `k_${string}`]: FieldValue;
}

export interface MachineSpec {
  name: string;
  states: string[];
  initial: number;
  cap: number;
  idleNs: number | null;
  /** Generated: a fresh instance with kept fields at their declared initial values. */
  make: (key: FieldValue, ts: number) => Instance;
  /** Generated: records one closed interval (history, tables over the machine); `open` at end of run. */
  onInterval: (i: Instance, start: number, end: number, open: boolean) => void;
}

export class MachineStore {
  readonly map = new Map<FieldValue, Instance>();
  overflow = 0;
  private nextSweep = Number.POSITIVE_INFINITY;

  constructor(readonly spec: MachineSpec) {
    if (spec.idleNs !== null) this.nextSweep = 0;
  }

  /** A new instance in the initial state, or undefined when the cap is reached (counted). */
  create(key: FieldValue, ts: number): Instance | undefined {
    if (this.map.size >= this.spec.cap) {
      this.overflow++;
      return undefined;
    }
    const i = this.spec.make(key, ts);
    this.map.set(key, i);
    return i;
  }

  /** Closes the current interval of `i` at `end` (zero-length intervals are not recorded). */
  close(i: Instance, end: number, open = false): void {
    if (end > i.since) this.spec.onInterval(i, i.since, end, open);
  }

  /** Idle expiry, called by the program as time advances: drops instances quiet for `idleNs`. */
  maybeSweep(ts: number): void {
    if (ts < this.nextSweep) return;
    const idle = this.spec.idleNs!;
    for (const [key, i] of this.map) {
      if (ts - i.last > idle) {
        this.close(i, i.last + idle);
        this.map.delete(key);
      }
    }
    this.nextSweep = ts + Math.max(1, Math.floor(idle / 4));
  }

  /** End of run: closes every open interval at `lastTs`, marked `open` (the state had not ended). */
  finish(lastTs: number): void {
    for (const i of this.map.values()) this.close(i, lastTs, true);
  }

  stateName(i: Instance | undefined): string | null {
    return i === undefined ? null : this.spec.states[i.state]!;
  }
}
