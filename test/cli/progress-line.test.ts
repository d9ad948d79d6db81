/**
 * The progress line of long runs: share done and time left, by time span when the sources
 * know their last event, by bytes read when they can say (CTF), else events and seconds only.
 */
import { describe, expect, it } from "vitest";
import { progressLine } from "../../cli/progress-line.js";
import { openTraces } from "../../engine/readers/index.js";
import type { SourceItem, TraceSource } from "../../engine/readers/source.js";
import { sharedPath } from "../helpers/shared.js";

function fake(first: bigint | null, last: bigint | null, progress?: () => number | null): TraceSource {
  return {
    hostId: "h", path: "p", format: "jsonl", first, last, schema: null,
    open: async () => {},
    async *batches(): AsyncIterable<SourceItem[]> {},
    ...(progress ? { progress } : {}),
  };
}

describe("progress line", () => {
  it("by time span when every source knows its first and last event", () => {
    // times this small keep origin 0: event times are absolute; the span is 1000..3000
    const line = progressLine([fake(1000n, 2000n), fake(1500n, 3000n)]);
    expect(line(1_234_567, 1500, 10_000)).toBe("1,234,567 events, 10.0s, 25% done, about 30s left");
    expect(line(10, 2800, 90_000)).toBe("10 events, 90.0s, 90% done, about 10s left");
    expect(line(10, 1100, 600_000)).toBe("10 events, 600.0s, 5% done, about 190 min left");
    // with absolute times past 2^53 ns the origin is the earliest first event
    const big = 1_700_000_000_000_000_000n;
    const rel = progressLine([fake(big, big + 4000n)]);
    expect(rel(1, 1000, 1_000)).toBe("1 events, 1.0s, 25% done, about 3s left");
  });

  it("by bytes read when a source does not know its last event but can say how far it is", () => {
    let p = 0.5;
    const line = progressLine([fake(0n, null, () => p), fake(0n, null, () => 1)]);
    expect(line(5, 0, 3_000)).toBe("5 events, 3.0s, 75% done, about 1s left");
    p = 0;
    expect(line(5, 0, 3_000)).toBe("5 events, 3.0s, 50% done, about 3s left");
  });

  it("events and seconds only when nothing tells how far", () => {
    expect(progressLine([fake(0n, null)])(7, 0, 1_500)).toBe("7 events, 1.5s");
    expect(progressLine([fake(0n, null, () => null)])(7, 0, 1_500)).toBe("7 events, 1.5s");
    expect(progressLine([fake(0n, 100n, () => 0)])(7, 0, 1_500)).toBe("7 events, 1.5s");
  });

  it("a CTF trace says how many of its bytes a read has consumed, up to all of them", async () => {
    const [src] = await openTraces([sharedPath("traces", "lttng-ref-basic-kernel-analysis", "kernel")], { onIssue: () => {} });
    await src!.open();
    expect(src!.last).toBeNull();
    expect(src!.progress!()).toBeNull(); // no read yet
    const seen: number[] = [];
    for await (const batch of src!.batches(src!.first!, 0)) {
      if (batch.length > 0) seen.push(src!.progress!()!);
    }
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((x, i) => i === 0 || x >= seen[i - 1]!)).toBe(true);
    expect(seen[0]!).toBeLessThan(0.5);
    expect(seen[seen.length - 1]!).toBe(1);
  });
});
