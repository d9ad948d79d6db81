/**
 * Event-time timers: a binary min-heap ordered by (deadline, insertion order). Timers fire when
 * the stream passes their deadline — before the first event with a later timestamp — and at end
 * of stream for deadlines up to the last timestamp, so output never depends on input chunking.
 * Cancellation is lazy: the owner bumps a generation and stale timers are ignored when popped.
 */
export interface Timer {
  at: number;
  seq: number;
  fire: (at: number) => void;
}

export class TimerQueue {
  private heap: Timer[] = [];
  private seq = 0;
  /** Earliest deadline, +Infinity when empty: the hot path compares against this only. */
  next = Number.POSITIVE_INFINITY;

  schedule(at: number, fire: (at: number) => void): void {
    const t: Timer = { at, seq: this.seq++, fire };
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
    this.next = h[0]!.at;
  }

  /** Fires every timer with deadline < `ts` (strictly: an event at the deadline still counts as inside it). */
  fireBefore(ts: number): void {
    while (this.heap.length > 0 && this.heap[0]!.at < ts) {
      const t = this.pop();
      t.fire(t.at);
    }
  }

  /** End of stream: fires deadlines ≤ `ts`, drops the rest and returns how many were pending. */
  drain(ts: number): number {
    while (this.heap.length > 0 && this.heap[0]!.at <= ts) {
      const t = this.pop();
      t.fire(t.at);
    }
    const pending = this.heap.length;
    this.heap = [];
    this.next = Number.POSITIVE_INFINITY;
    return pending;
  }

  get size(): number {
    return this.heap.length;
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    this.next = h.length > 0 ? h[0]!.at : Number.POSITIVE_INFINITY;
    return top;
  }
}

function less(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
