/**
 * The seam between a text format's line decoder (`decode-*.ts`, no I/O) and the medium that
 * feeds it lines (`text-source.ts`).
 *
 * Contract: `decode(line, slot)` looks at one line (without its newline) and returns
 * - `LINE_EVENT`: `slot.event` holds the event (name, cpu, fields, context) and `slot.sec` /
 *   `slot.nsec` its absolute time (`slot.timed` false when the line had none);
 * - `LINE_SKIP`: a header, comment or blank line;
 * - `LINE_LOSS`: the tracer reported lost events, described in `decoder.loss`;
 * - `LINE_ERROR`: not a line of this format; `decoder.error` says why, in words for the user.
 * Decoders never throw for bad input. They may leave one-time remarks (an unusual clock, a
 * payload spelling they do not know) in `notes`, which the source reports as warnings.
 */
import type { EventContext, Fields, TraceEvent } from "../../model/event.js";

/** `decode` outcomes (see the contract above). */
export const LINE_EVENT = 0;
export const LINE_SKIP = 1;
export const LINE_LOSS = 2;
export const LINE_ERROR = 3;
export type LineOutcome = typeof LINE_EVENT | typeof LINE_SKIP | typeof LINE_LOSS | typeof LINE_ERROR;

/** What a loss line said. Times are absolute (sec, nsec) when `timed`. */
export interface LossInfo {
  cpu: number;
  /** Events lost, -1 when the line does not say. */
  count: number;
  timed: boolean;
  startSec: number;
  startNsec: number;
  endSec: number;
  endNsec: number;
}

export interface LineDecoder {
  /** Why the last `decode` returned LINE_ERROR. */
  error: string;
  /** Valid after LINE_LOSS. */
  readonly loss: LossInfo;
  /** One-time remarks for the user; the source drains (empties) it. */
  readonly notes: string[];
  /**
   * True when `slot.sec` is a real clock (ftrace, perf); false when the decoder rebuilds days
   * from a time of day (babeltrace2's default), so a file's tail cannot be read on its own.
   */
  readonly absoluteTime: boolean;
  decode(line: string, slot: EventSlot): LineOutcome;
  /**
   * For detection only: whether a line cut short by the end of a file's head (babeltrace2 lines
   * can outgrow it) starts like one of this format's event lines. Absent: the cut line is
   * decoded like any other.
   */
  sniffCut?(line: string): boolean;
}

/**
 * One reusable event of a batch: slot i of the next batch reuses slot i's event and context
 * objects. Payload objects come from the batch-wide `pools`.
 */
export class EventSlot {
  readonly event: TraceEvent;
  sec = 0;
  nsec = 0;
  timed = true;
  /** The context object the ftrace/perf decoders fill (`tid`, `comm`, `pid`). */
  readonly context: { tid: number | undefined; comm: string | undefined; pid: number | undefined; [extra: string]: Fields[string] | undefined };

  /** `pools` is shared by the slots of one source; a lone slot (sniffing) gets its own. */
  constructor(
    host: number,
    readonly pools: BatchPools = new BatchPools(),
  ) {
    this.context = { tid: undefined, comm: undefined, pid: undefined };
    this.event = { name: "", ts: 0, cpu: -1, host, fields: {}, context: null };
  }
}

/**
 * The last objects used for one free-form event class (babeltrace text), with the keys they
 * were filled with, in order: the next event of that class refills them when its keys come in
 * the same order.
 */
export interface ShapeEntry {
  /** The event name (one string per class, so equal names are one string). */
  readonly name: string;
  fields: Fields | null;
  fieldKeys: string[];
  context: EventContext | null;
  contextKeys: string[];
}

/**
 * Payload objects by event class, reused batch after batch: the k-th event of a class in a batch
 * gets the class's k-th object, so a batch never hands out an object twice and a steady stream
 * allocates about one batch's worth of objects in all (not one per slot and class).
 */
export class BatchPools {
  private gen = 1;
  private readonly formats: Array<_Pool<Fields> | undefined> = [];
  private readonly shapes = new Map<string, _Pool<ShapeEntry>>();

  /** A new batch starts: every pooled object may be handed out again. */
  nextBatch(): void {
    this.gen++;
  }

  /** The next fields object of format `id` (made by `make` when the pool runs short). */
  formatFields(id: number, make: () => Fields): Fields {
    const pool = this.formats[id] ?? (this.formats[id] = { gen: this.gen, used: 0, items: [] });
    return _next(pool, this.gen, make);
  }

  /** The next shape entry of the free-form event class `name`. */
  shape(name: string): ShapeEntry {
    let pool = this.shapes.get(name);
    if (pool === undefined) this.shapes.set(name, (pool = { gen: this.gen, used: 0, items: [] }));
    return _next(pool, this.gen, () => ({ name, fields: null, fieldKeys: [], context: null, contextKeys: [] }));
  }
}

/** A fresh, timeless `LossInfo` (decoders keep one and overwrite it). */
export function newLossInfo(): LossInfo {
  return { cpu: -1, count: -1, timed: false, startSec: 0, startNsec: 0, endSec: 0, endNsec: 0 };
}

// --- internal ---

interface _Pool<T> {
  gen: number;
  used: number;
  items: T[];
}

function _next<T>(pool: _Pool<T>, gen: number, make: () => T): T {
  if (pool.gen !== gen) {
    pool.gen = gen;
    pool.used = 0;
  }
  if (pool.used === pool.items.length) pool.items.push(make());
  return pool.items[pool.used++]!;
}
