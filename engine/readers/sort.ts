/**
 * The merge: many sources → one stream of batches in global timestamp order.
 *
 * Contract: items come out by `ts` (loss markers by `start`); equal timestamps come out by
 * source index, then in their source's order, so a run is deterministic whatever the
 * chunking. Sources are trusted to be sorted unless `reorderWindowNs` > 0, in which case items
 * are held back until the newest timestamp seen is `reorderWindowNs` past them, which puts
 * disorder smaller than the window back in order.
 *
 * Readers may reuse event objects once asked for their next batch (`engine/model/event.ts`),
 * so the merge hands over every item it holds before it asks a source for more — batches can
 * come out shorter than `batchSize` there — and the reorder window holds copies.
 *
 * Late events: an event older than one already delivered (disorder beyond the window) is
 * delivered unchanged, at its true `ts`, and counted in `stats.late`. It is not clamped, so
 * rules see what the tracer recorded; the engine's timers never run backwards, so a late
 * event cannot undo a timer that already fired — which is why late events mark results as
 * uncertain. Loss markers pass through; `stats.lost` sums their known counts.
 */
import type { FieldValue, Fields } from "../model/event.js";
import { chooseOrigin } from "../model/time.js";
import { isLoss, type SourceItem, type TraceSource } from "./source.js";

export interface MergeStats {
  /** Events delivered (loss markers excluded). */
  events: number;
  /** Events delivered after a later one (disorder beyond the reorder window). */
  late: number;
  /** Sum of the known counts of the loss markers delivered. */
  lost: number;
  /** Loss markers delivered, including those with an unknown count. */
  lossMarkers: number;
}

export interface MergeOptions {
  /** Disorder tolerated per source, in ns; 0 (default) trusts sources to be sorted. */
  reorderWindowNs?: number;
  /** Items per output batch (default 4096). */
  batchSize?: number;
}

/** The merged stream; `stats` is updated as batches are delivered and final when it ends. */
export interface MergedStream extends AsyncIterable<SourceItem[]> {
  readonly stats: MergeStats;
}

/** The run's origin from the sources' first and last timestamps (after `open`). */
export function chooseRunOrigin(sources: readonly TraceSource[]): bigint {
  return chooseOrigin(sources.map((s) => s.first), sources.map((s) => s.last));
}

/**
 * Merges `sources` (already opened); source `i` is read with `batches(origin, i)`, so every
 * item's `host` is its index here. Iterate once; breaking out early closes every source.
 */
export function mergeSources(sources: readonly TraceSource[], origin: bigint, opts: MergeOptions = {}): MergedStream {
  const stats: MergeStats = { events: 0, late: 0, lost: 0, lossMarkers: 0 };
  const window = opts.reorderWindowNs ?? 0;
  const batchSize = opts.batchSize ?? 4096;
  return {
    stats,
    [Symbol.asyncIterator]: () => _merge(sources, origin, window, batchSize, stats)[Symbol.asyncIterator](),
  };
}

// --- internal ---

/** A source's read position: its current batch and the ts of the item at `pos`. */
class _Cursor {
  batch: SourceItem[] = [];
  pos = 0;
  ts = 0;
  constructor(readonly index: number, readonly it: AsyncIterator<SourceItem[]>) {}

  /** Moves to the next non-empty batch when the current one is used up; false at the end. */
  async fill(): Promise<boolean> {
    while (this.pos >= this.batch.length) {
      const r = await this.it.next();
      if (r.done) return false;
      this.batch = r.value;
      this.pos = 0;
    }
    this.ts = _tsOf(this.batch[this.pos]!);
    return true;
  }
}

function _tsOf(item: SourceItem): number {
  return isLoss(item) ? item.start : item.ts;
}

/** Cursor a comes before cursor b: earlier ts, then lower source index. */
function _before(a: _Cursor, b: _Cursor): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.index < b.index);
}

async function* _merge(sources: readonly TraceSource[], origin: bigint, window: number, batchSize: number, stats: MergeStats): AsyncGenerator<SourceItem[]> {
  const cursors = sources.map((s, i) => new _Cursor(i, s.batches(origin, i)[Symbol.asyncIterator]()));
  const heap = new _MinHeap<_Cursor>(_before);
  const sink = new _Sink(window, stats);
  try {
    for (const c of cursors) if (await c.fill()) heap.push(c);
    while (heap.size > 0) {
      const c = heap.pop();
      // Emit from c without touching the heap while it stays ahead of the next-best source.
      const next = heap.peek();
      for (;;) {
        sink.take(c.batch[c.pos++]!);
        while (sink.ready >= batchSize) yield sink.flush(batchSize);
        // Readers may reuse event objects once asked for their next batch: hand over what
        // we hold before asking (the window's buffer holds copies).
        if (c.pos >= c.batch.length && sink.ready > 0) yield sink.flush();
        // Stay synchronous inside a batch: an await per event costs more than decoding it.
        if (c.pos < c.batch.length) c.ts = _tsOf(c.batch[c.pos]!);
        else if (!(await c.fill())) break;
        if (next !== undefined && !_before(c, next)) {
          heap.push(c);
          break;
        }
      }
    }
    sink.drain();
    while (sink.ready > 0) yield sink.flush(batchSize);
  } finally {
    await Promise.all(cursors.map((c) => c.it.return?.()));
  }
}

/**
 * The output side: counts, the optional reorder buffer, the late check and batching. Without a
 * window, items go straight to the output; with one, they wait in a heap ordered by
 * (ts, source, arrival) until the newest ts seen is `window` past them.
 */
class _Sink {
  private out: SourceItem[] = [];
  private lastTs = -Infinity;
  private newest = -Infinity;
  private seq = 0;
  private readonly held = new _MinHeap<_Held>((a, b) => a.ts < b.ts || (a.ts === b.ts && (a.item.host < b.item.host || (a.item.host === b.item.host && a.seq < b.seq))));

  constructor(private readonly window: number, private readonly stats: MergeStats) {}

  get ready(): number {
    return this.out.length;
  }

  take(item: SourceItem): void {
    if (this.window <= 0) return this.emit(item);
    const ts = _tsOf(item);
    this.held.push({ ts, seq: this.seq++, item: _copy(item) });
    if (ts > this.newest) this.newest = ts;
    const limit = this.newest - this.window;
    while (this.held.size > 0 && this.held.peek()!.ts <= limit) this.emit(this.held.pop().item);
  }

  /** Releases everything still held (the sources have ended). */
  drain(): void {
    while (this.held.size > 0) this.emit(this.held.pop().item);
  }

  flush(max = Infinity): SourceItem[] {
    if (this.out.length <= max) {
      const b = this.out;
      this.out = [];
      return b;
    }
    return this.out.splice(0, max);
  }

  private emit(item: SourceItem): void {
    if (isLoss(item)) {
      this.stats.lossMarkers++;
      if (item.count > 0) this.stats.lost += item.count;
    } else {
      this.stats.events++;
      if (item.ts < this.lastTs) this.stats.late++;
      else this.lastTs = item.ts;
    }
    this.out.push(item);
  }
}

/** A copy that outlives the reader's reuse of `item`: the event, its fields (arrays too) and its context. */
function _copy(item: SourceItem): SourceItem {
  if (isLoss(item)) return { ...item };
  const fields: Fields = {};
  for (const k in item.fields) fields[k] = _copyValue(item.fields[k]!);
  return { ...item, fields, context: item.context === null ? null : { ...item.context } };
}

function _copyValue(v: FieldValue): FieldValue {
  return Array.isArray(v) ? v.map(_copyValue) : v;
}

interface _Held {
  ts: number;
  seq: number;
  item: SourceItem;
}

/** A binary min-heap over an array, ordered by `before`. */
class _MinHeap<T> {
  private readonly a: T[] = [];
  constructor(private readonly before: (x: T, y: T) => boolean) {}

  get size(): number {
    return this.a.length;
  }

  peek(): T | undefined {
    return this.a[0];
  }

  push(v: T): void {
    const a = this.a;
    let i = a.length;
    a.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(v, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }

  pop(): T {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const m = r < a.length && this.before(a[r]!, a[l]!) ? r : l;
        if (!this.before(a[m]!, last)) break;
        a[i] = a[m]!;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}
