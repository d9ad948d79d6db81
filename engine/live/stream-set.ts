/**
 * The streams a live feed currently reads, merged, and their hand-over to the sink: fixes the
 * run's origin from the first time seen, releases merged items in batches, reports a gap
 * (as a loss marker and a notice) when reading resumes after an interruption, and drops what a
 * resumed source sends again (items older than what was already released).
 *
 * Contract: `flush(sink)` delivers every releasable item in batches of at most `BATCH` events
 * (pooled per trace, valid until `items` returns), then `advance(safe)`. Nothing is delivered
 * before the origin is fixed; items always come out in non-decreasing time.
 */
import type { LossMarker } from "../model/event.js";
import type { ReadIssue, SourceItem } from "../readers/source.js";
import { isLoss } from "../readers/source.js";
import type { LiveSink } from "./live-feed.js";
import { LiveMerge } from "./live-merge.js";
import { PacketCursor } from "./packet-cursor.js";
import type { LiveTrace } from "./live-trace.js";

/** Events per delivered batch (the pool keeps a few more per class so none is reused early). */
export const BATCH = 1024;
/** The origin sits this far before the first time seen, so slightly older items stay positive. */
const ORIGIN_MARGIN_NS = 60_000_000_000n;

export class StreamSet {
  readonly merge = new LiveMerge();
  origin: bigint | null = null;
  private traces: LiveTrace[] = [];
  /** Traces of a connection that was lost: dropped once their streams are drained. */
  private readonly stale = new Set<LiveTrace>();
  private rank = 0;
  private gap: { start: number; why: string } | null = null;
  private resumeAfter = Number.NEGATIVE_INFINITY;
  private lastAdvance = Number.NEGATIVE_INFINITY;
  /** Items a resumed source sent again and that were dropped. */
  replayed = 0;

  constructor(private readonly host: number, private readonly onIssue: (i: ReadIssue) => void) {}

  addTrace(t: LiveTrace): void {
    this.traces.push(t);
    if (this.origin !== null) t.setOrigin(this.origin);
  }

  /** A new cursor over one stream of `t`. */
  addStream(t: LiveTrace, label: string): PacketCursor {
    const c = new PacketCursor(t, label, this.rank++, this.host, this.onIssue);
    this.merge.add(c);
    return c;
  }

  /** Fixes the origin from the first absolute time seen (ns); later calls do nothing. */
  fixOrigin(absNs: bigint, sink: LiveSink): void {
    if (this.origin !== null) return;
    this.origin = absNs - (absNs % 1_000_000_000n) - ORIGIN_MARGIN_NS;
    for (const t of this.traces) t.setOrigin(this.origin);
    sink.start(this.origin);
  }

  /** Reading stopped (connection lost): what comes after the last released item is a gap. */
  interrupted(why: string): void {
    for (const c of this.merge.cursors) c.hangUp();
    for (const t of this.traces) this.stale.add(t);
    if (this.gap === null) this.gap = { start: this.merge.last, why };
    this.resumeAfter = this.merge.last;
  }

  /** Delivers what can be released, then the safe time. */
  flush(sink: LiveSink): number {
    if (this.origin === null) return 0;
    let total = 0;
    for (;;) {
      const batch: SourceItem[] = [];
      const n = this.merge.drain(batch, BATCH);
      if (n === 0) break;
      const kept = this.filterResumed(batch);
      if (kept.length > 0) {
        if (this.gap !== null) kept.unshift(this.gapMarker(kept[0]!, sink));
        sink.items(kept);
        total += kept.length;
      }
    }
    this.merge.prune();
    if (this.stale.size > 0) {
      // Reconnections must not pile up old traces (metadata, decoders) for hours.
      const used = new Set(this.merge.cursors.map((c) => c.live));
      this.traces = this.traces.filter((t) => !this.stale.has(t) || used.has(t));
      for (const t of [...this.stale]) if (!used.has(t)) this.stale.delete(t);
    }
    const safe = this.merge.safe;
    if (safe > this.lastAdvance && Number.isFinite(safe)) {
      this.lastAdvance = safe;
      sink.advance(safe);
    }
    return total;
  }

  // --- internal ---

  private filterResumed(batch: SourceItem[]): SourceItem[] {
    if (this.resumeAfter === Number.NEGATIVE_INFINITY) return batch;
    const out: SourceItem[] = [];
    for (const it of batch) {
      const t = isLoss(it) ? it.start : it.ts;
      if (t < this.resumeAfter) this.replayed++;
      else out.push(it);
    }
    if (out.length > 0) this.resumeAfter = Number.NEGATIVE_INFINITY;
    return out;
  }

  private gapMarker(first: SourceItem, sink: LiveSink): LossMarker {
    const g = this.gap!;
    this.gap = null;
    const end = isLoss(first) ? first.start : first.ts;
    const start = Number.isFinite(g.start) ? g.start : end;
    sink.notice({ kind: "gap", start, end, why: g.why });
    return { kind: "loss", host: this.host, cpu: -1, start, end, count: -1 };
  }
}
