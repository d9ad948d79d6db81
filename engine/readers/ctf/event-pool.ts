/**
 * Reusable `TraceEvent` objects: one ring per event class, so the hot path allocates nothing
 * but strings and arrays, and each class keeps one object shape (monomorphic rule code).
 *
 * Contract: an event taken from the pool stays untouched until `size` more events of the same
 * class have been taken, or until `release()`. Events are taken at the moment they are
 * appended to a batch, so with `size` above the batch size an event is reused only after its
 * batch has been handed over and the consumer has asked for the next one (the reuse rule of
 * `engine/model/event.ts`). A reader that calls `release()` when the next batch is asked for
 * reuses the same few objects batch after batch: each ring only grows to the largest number of
 * events of its class in one batch, which keeps the objects the decoder writes in cache.
 */
import type { TraceEvent } from "../../model/event.js";
import type { CompiledEventClass } from "./compile-class.js";

/** Rings of reusable event objects, one ring per event class, for one read of a source. */
export class EventPool {
  private readonly rings: Array<TraceEvent[] | undefined>;
  private readonly pos: Int32Array;

  constructor(
    classCount: number,
    readonly size: number,
  ) {
    this.rings = new Array<TraceEvent[] | undefined>(classCount);
    this.pos = new Int32Array(classCount);
  }

  /** The next reusable event object of class `cls` (fields and context keep their shape). */
  take(cls: CompiledEventClass): TraceEvent {
    const slot = cls.slot;
    let ring = this.rings[slot];
    if (ring === undefined) this.rings[slot] = ring = [];
    const i = this.pos[slot];
    let ev = ring[i];
    if (ev === undefined) {
      ev = { name: cls.name, ts: 0, cpu: -1, host: 0, fields: cls.makeFields(), context: cls.makeContext === null ? null : cls.makeContext() };
      ring[i] = ev;
    }
    this.pos[slot] = i + 1 === this.size ? 0 : i + 1;
    return ev;
  }

  /** Every event taken so far may be reused (the consumer has asked for the next batch). */
  release(): void {
    this.pos.fill(0);
  }
}
