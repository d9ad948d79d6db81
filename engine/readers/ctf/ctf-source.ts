/**
 * One CTF trace directory as a `TraceSource`: its streams merged by timestamp with a small
 * binary heap (ties broken by stream order, so runs are deterministic), in batches.
 *
 * Contract: `open()` peeks at the first event of every stream to fix the trace's clock base and
 * `first`. `batches(origin, host)` re-reads from the start and yields events (pooled objects:
 * valid until the consumer asks for the next batch) and loss markers, each stream's items in
 * its own order and the streams merged by `ts`. Problems go to `onIssue`; nothing throws for
 * bad data.
 */
import { statSync } from "node:fs";
import type { EventClassSchema, Fields, TraceEvent } from "../../model/event.js";
import type { ReadIssue, SourceItem, TraceSource } from "../source.js";
import type { BabeltraceClock } from "./bt-text-values.js";
import { BabeltraceText } from "./bt-text-printer.js";
import type { BabeltraceTextSource } from "./bt-text-source.js";
import { ClockConverter } from "./clock-convert.js";
import { EventPool } from "./event-pool.js";
import { END, EVENT, StreamCursor, type CursorEnv } from "./stream-source.js";
import type { CompiledTrace, RuntimeStreamClass } from "./trace-runtime.js";

/** Items per batch: large enough to amortise the async boundary, small enough to stay in cache. */
export const BATCH_SIZE = 1024;

/** A trace directory as a source: its streams merged by time. */
export class CtfTraceSource implements TraceSource, BabeltraceTextSource {
  readonly format = "ctf";
  first: bigint | null = null;
  last: bigint | null = null;
  readonly schema: EventClassSchema[];
  private converters: Map<RuntimeStreamClass, ClockConverter> | null = null;
  /** Origin of the current read (events' `ts` count from it). */
  private origin = 0n;
  /** Set by `prepareBabeltrace`: the text printer and each event's packet context. */
  private text: BabeltraceText | null = null;
  private packets: Map<TraceEvent, Fields> | null = null;
  /** The stream cursors of the current `batches`, and the stream files' total size. */
  private cursors: StreamCursor[] | null = null;
  private totalBytes: number | null = null;

  constructor(
    readonly hostId: string,
    readonly path: string,
    private readonly trace: CompiledTrace,
    private readonly groups: string[][],
    private readonly onIssue: (issue: ReadIssue) => void,
  ) {
    this.schema = trace.schema;
  }

  async open(): Promise<void> {
    const env: CursorEnv = { trace: this.trace, clockFor: null, pool: null, host: 0, onIssue: () => {} };
    const heads: Array<[RuntimeStreamClass, number]> = [];
    for (const files of this.groups) {
      const c = new StreamCursor(env, files);
      c.start();
      if (c.kind === EVENT && c.streamClass !== null) heads.push([c.streamClass, c.clk]);
      c.close();
    }
    // Fix the clock base now, so that every later decode counts from the same point.
    if (this.trace.base.hi < 0) this.trace.base.hi = 0;
    // A stream without a clock has no time: its clock stays 0, i.e. the Unix epoch.
    this.converters = new Map([...this.trace.streams.values()].map((rs) => [rs, new ClockConverter(rs.clock, rs.clock === null ? 0 : this.trace.base.hi)]));
    for (const [rs, clk] of heads) {
      if (rs.clock === null) continue;
      const ns = (this.converters.get(rs) as ClockConverter).absNs(clk);
      if (this.first === null || ns < this.first) this.first = ns;
    }
    if (this.first === null && heads.length > 0) this.first = 0n;
  }

  /** Bytes of the stream files read by the current `batches`, over their total size. */
  progress(): number | null {
    if (this.cursors === null) return null;
    this.totalBytes ??= this.groups.flat().reduce((a, f) => a + _size(f), 0);
    if (this.totalBytes === 0) return null;
    return Math.min(1, this.cursors.reduce((a, c) => a + c.bytesRead, 0) / this.totalBytes);
  }

  /** Makes the next reads keep what `formatBabeltrace` needs (each event's packet context). */
  prepareBabeltrace(): void {
    this.text ??= new BabeltraceText(this.trace.md, (sc) => this.trace.streams.get(sc.id)?.clock != null);
    this.packets ??= new Map();
  }

  /** `ev` (from the current read, not yet reused) as babeltrace2's pretty printer writes it. */
  formatBabeltrace(ev: TraceEvent, clock: BabeltraceClock): string {
    this.prepareBabeltrace();
    const text = this.text as BabeltraceText;
    const time = text.timed(ev) ? clock.stamp(this.origin + BigInt(ev.ts)) : "";
    return time + text.body(ev, this.packets?.get(ev) ?? null);
  }

  async *batches(origin: bigint, host: number): AsyncIterable<SourceItem[]> {
    if (this.converters === null) await this.open();
    this.origin = origin;
    const convs = this.converters as Map<RuntimeStreamClass, ClockConverter>;
    for (const c of convs.values()) c.setOrigin(origin);
    // One pool for the run: events are taken in emission order, whatever their stream.
    const pool = new EventPool(this.trace.classCount, BATCH_SIZE + 2);
    const cursors = this.groups.map(
      (files, rank) =>
        new StreamCursor(
          {
            trace: this.trace,
            clockFor: (rs) => convs.get(rs) ?? null,
            pool,
            host,
            onIssue: this.onIssue,
            packets: this.packets,
          },
          files,
          rank,
        ),
    );
    this.cursors = cursors;
    const heap = new CursorHeap(cursors);
    for (const c of cursors) c.start();
    heap.build();
    let batch: SourceItem[] = [];
    try {
      while (heap.size > 0) {
        const c = heap.top();
        c.emitUntil(batch, heap.second(), BATCH_SIZE);
        if (c.kind === END) heap.pop();
        else heap.siftDown(0);
        if (batch.length >= BATCH_SIZE) {
          yield batch;
          // The consumer asked for the next batch: the last one's events may be reused.
          pool.release();
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      for (const c of cursors) c.close();
    }
  }
}

/** A binary min-heap of stream cursors in merge order (`key`, then `rank`). */
class CursorHeap {
  private readonly items: StreamCursor[];
  size = 0;

  constructor(cursors: StreamCursor[]) {
    this.items = [...cursors];
  }

  /** Drops ended cursors and orders the rest. */
  build(): void {
    const live = this.items.filter((c) => c.kind !== END);
    this.items.length = 0;
    this.items.push(...live);
    this.size = live.length;
    for (let k = (this.size >> 1) - 1; k >= 0; k--) this.siftDown(k);
  }

  top(): StreamCursor {
    return this.items[0];
  }

  /** The runner-up (the smaller child of the root), or null when the root is alone. */
  second(): StreamCursor | null {
    const a = this.items;
    if (this.size < 2) return null;
    return this.size > 2 && a[2].before(a[1]) ? a[2] : a[1];
  }

  pop(): void {
    this.size--;
    this.items[0] = this.items[this.size];
    this.items.length = this.size;
    if (this.size > 0) this.siftDown(0);
  }

  siftDown(k: number): void {
    const a = this.items;
    const n = this.size;
    const x = a[k];
    for (;;) {
      let m = 2 * k + 1;
      if (m >= n) break;
      if (m + 1 < n && a[m + 1].before(a[m])) m++;
      if (!a[m].before(x)) break;
      a[k] = a[m];
      k = m;
    }
    a[k] = x;
  }
}

function _size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
