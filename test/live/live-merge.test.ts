/**
 * The live merge's release rule, with stand-in streams: an item comes out only when no stream
 * waiting for data could still deliver something older (its horizon: end of its last packet or
 * an inactivity beacon), ties go by stream rank, and idle streams of beaconless media do not
 * hold the merge back.
 */
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../engine/model/event.js";
import type { SourceItem } from "../../engine/readers/source.js";
import { LiveMerge } from "../../engine/live/live-merge.js";
import { ENDED, EVENT, NEED, type PacketCursor } from "../../engine/live/packet-cursor.js";

/** A stream whose "packets" are lists of event times. */
class FakeStream {
  kind = NEED;
  key = 0;
  horizon = Number.NEGATIVE_INFINITY;
  idle = false;
  private queue: number[] = [];

  constructor(readonly rank: number, readonly name: string) {}

  packet(times: number[], end: number): void {
    this.queue.push(...times);
    this.horizon = Math.max(this.horizon, end);
    this.next();
  }

  beacon(t: number): void {
    this.horizon = Math.max(this.horizon, t);
  }

  end(): void {
    if (this.kind === NEED) this.kind = ENDED;
  }

  before(o: FakeStream): boolean {
    return this.key < o.key || (this.key === o.key && this.rank < o.rank);
  }

  emitUntil(out: SourceItem[], limitKey: number, limitRank: number, max: number): void {
    while (this.kind === EVENT) {
      out.push({ name: this.name, ts: this.key, cpu: this.rank, host: 0, fields: {}, context: null });
      this.next();
      if (out.length >= max || !(this.key < limitKey || (this.key === limitKey && this.rank < limitRank))) return;
    }
  }

  private next(): void {
    const t = this.queue.shift();
    if (t === undefined) this.kind = NEED;
    else {
      this.kind = EVENT;
      this.key = t;
    }
  }
}

function setup(n: number): { merge: LiveMerge; s: FakeStream[]; drain: () => string[] } {
  const merge = new LiveMerge();
  const s = Array.from({ length: n }, (_, i) => new FakeStream(i, String.fromCharCode(97 + i)));
  for (const x of s) merge.add(x as unknown as PacketCursor);
  const drain = () => {
    const out: SourceItem[] = [];
    merge.drain(out, 1000);
    return out.map((e) => `${(e as TraceEvent).name}${(e as TraceEvent).ts}`);
  };
  return { merge, s, drain };
}

describe("LiveMerge", () => {
  it("holds items back until every waiting stream's horizon has passed them", () => {
    const { merge, s, drain } = setup(2);
    s[0]!.packet([10, 20, 30], 35);
    expect(drain()).toEqual([]); // stream b has told nothing yet
    s[1]!.beacon(25); // b: nothing before 25
    expect(drain()).toEqual(["a10", "a20"]);
    expect(merge.safe).toBe(25);
    s[1]!.packet([25, 40], 45);
    expect(drain()).toEqual(["b25", "a30"]); // a now waits at 35: b40 must wait
    s[0]!.beacon(50);
    expect(drain()).toEqual(["b40"]);
    expect(merge.safe).toBe(45);
  });

  it("breaks timestamp ties by stream rank, whatever the arrival order", () => {
    const { s, drain } = setup(3);
    s[2]!.packet([5, 7], 7);
    s[1]!.packet([5], 6);
    s[0]!.packet([5, 7], 9);
    for (const x of s) x.beacon(100);
    expect(drain()).toEqual(["a5", "b5", "c5", "a7", "c7"]);
  });

  it("lets ended streams go and does not wait for idle ones", () => {
    const { merge, s, drain } = setup(3);
    s[0]!.packet([1, 2], 3);
    s[1]!.end();
    s[2]!.beacon(1);
    expect(drain()).toEqual([]);
    s[2]!.idle = true; // a growing file that stopped growing: no beacon will ever come
    expect(drain()).toEqual(["a1", "a2"]);
    expect(merge.prune()).toBe(2);
  });
});
