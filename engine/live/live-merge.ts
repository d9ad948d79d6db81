/**
 * The live merge: many stream cursors → items in global timestamp order, released only when
 * no stream can still deliver something older. A stream with nothing queued blocks the merge
 * at its `horizon` (the end of its last packet, or an inactivity beacon's time), which is how
 * the live protocol lets a viewer move past idle CPUs without waiting for their next event.
 *
 * Contract: `drain` appends items in (ts, rank) order and returns; it never appends an item
 * at or after the lowest horizon of a blocked stream. `safe` is then a time no future item
 * will precede (the engine's timers may fire up to it). Equal timestamps come out by stream
 * rank, so two runs over the same packets give the same order. A stream marked `idle` (no
 * beacons exist for its medium and it has not grown for a while) does not block.
 */
import { isLoss, type SourceItem } from "../readers/source.js";
import { ENDED, EVENT, LOSS, NEED, type PacketCursor } from "./packet-cursor.js";

export class LiveMerge {
  readonly cursors: PacketCursor[] = [];
  /** Items released so far, and the time of the last one. */
  released = 0;
  last = Number.NEGATIVE_INFINITY;

  add(c: PacketCursor): void {
    this.cursors.push(c);
  }

  /** Drops ended cursors; returns how many remain. */
  prune(): number {
    for (let i = this.cursors.length - 1; i >= 0; i--) if (this.cursors[i]!.kind === ENDED) this.cursors.splice(i, 1);
    return this.cursors.length;
  }

  /** The lowest horizon among streams waiting for data (+Infinity when none waits). */
  get blockedAt(): number {
    let b = Number.POSITIVE_INFINITY;
    for (const c of this.cursors) if (c.kind === NEED && !c.idle && c.horizon < b) b = c.horizon;
    return b;
  }

  /** No item released from now on will be older than this. */
  get safe(): number {
    let s = this.blockedAt;
    for (const c of this.cursors) if ((c.kind === EVENT || c.kind === LOSS) && c.key < s) s = c.key;
    return s === Number.POSITIVE_INFINITY ? this.last : s;
  }

  /** Appends releasable items to `out` (up to `max`); returns how many were appended. */
  drain(out: SourceItem[], max: number): number {
    const start = out.length;
    for (;;) {
      const limit = this.blockedAt;
      let best: PacketCursor | null = null;
      let second: PacketCursor | null = null;
      for (const c of this.cursors) {
        if (c.kind !== EVENT && c.kind !== LOSS) continue;
        if (best === null || c.before(best)) {
          second = best;
          best = c;
        } else if (second === null || c.before(second)) second = c;
      }
      if (best === null || !(best.key < limit) || out.length >= max) break;
      // Run the best stream until the runner-up's item or the lowest horizon comes first.
      let limitKey = limit;
      let limitRank = -1;
      if (second !== null && (second.key < limitKey || (second.key === limitKey && second.rank < limitRank))) {
        limitKey = second.key;
        limitRank = second.rank;
      }
      best.emitUntil(out, limitKey, limitRank, max);
    }
    const n = out.length - start;
    if (n > 0) {
      this.released += n;
      const lastItem = out[out.length - 1]!;
      const t = isLoss(lastItem) ? lastItem.start : lastItem.ts;
      if (t > this.last) this.last = t;
    }
    return n;
  }
}
