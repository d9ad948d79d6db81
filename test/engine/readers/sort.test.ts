import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../engine/model/event.js";
import { chooseRunOrigin, mergeSources } from "../../../engine/readers/sort.js";
import { isLoss, type SourceItem, type TraceSource } from "../../../engine/readers/source.js";
import { tcxmlReader } from "../../../engine/readers/tcxml/tcxml-reader.js";
import { sharedPath } from "../../helpers/shared.js";

type Spec = number | { loss: number; count: number };

/** A source yielding `specs` (ts, or a loss marker at `loss`) in batches of `split` items. */
function fake(hostId: string, specs: Spec[], split = 2, first: bigint | null = null): TraceSource & { closed: boolean } {
  return {
    hostId, path: hostId, format: "fake", schema: null, last: null, closed: false,
    first: first ?? (specs.length > 0 ? BigInt(specs.find((s) => typeof s === "number") ?? 0) : null),
    async open() {},
    async *batches(origin: bigint, host: number) {
      try {
        for (let i = 0; i < specs.length; i += split) {
          yield specs.slice(i, i + split).map((s, j): SourceItem => {
            if (typeof s === "number") return { name: `${hostId}#${i + j}`, ts: s - Number(origin), cpu: 0, host, fields: {}, context: null };
            return { kind: "loss", host, cpu: 0, start: s.loss, end: s.loss + 1, count: s.count };
          });
        }
      } finally {
        this.closed = true;
      }
    },
  };
}

async function collect(sources: TraceSource[], window = 0, batchSize = 4096) {
  const m = mergeSources(sources, 0n, { reorderWindowNs: window, batchSize });
  const items: SourceItem[] = [];
  const sizes: number[] = [];
  for await (const b of m) {
    sizes.push(b.length);
    items.push(...b);
  }
  const label = (x: SourceItem) => (isLoss(x) ? `loss@${x.start}` : `${(x as TraceEvent).name}@${(x as TraceEvent).ts}`);
  return { labels: items.map(label), ts: items.map((x) => (isLoss(x) ? x.start : x.ts)), stats: m.stats, sizes };
}

describe("mergeSources", () => {
  const a = [0, 5, 5, 9, 12];
  const b = [1, 5, 9, 9, 30];
  const c = [5];

  it("orders by ts, then source index, then source order — whatever the input batching", async () => {
    const expected = ["a#0@0", "b#0@1", "a#1@5", "a#2@5", "b#1@5", "c#0@5", "a#3@9", "b#2@9", "b#3@9", "a#4@12", "b#4@30"];
    for (const split of [1, 2, 3, 100]) {
      const r = await collect([fake("a", a, split), fake("b", b, split + 1), fake("c", c, split)]);
      expect(r.labels).toEqual(expected);
      expect(r.stats).toEqual({ events: 11, late: 0, lost: 0, lossMarkers: 0 });
    }
  });

  it("cuts output into batches no larger than asked", async () => {
    const one = await collect([fake("a", [...a, ...b.map((t) => t + 100), 200], 100)], 0, 4);
    expect(one.sizes).toEqual([4, 4, 3]);
    const three = await collect([fake("a", a, 100), fake("b", b, 100), fake("c", c, 100)], 0, 4);
    expect(three.sizes.every((n) => n > 0 && n <= 4)).toBe(true);
    expect(three.sizes.reduce((x, y) => x + y)).toBe(11);
  });

  it("copes with readers that reuse event objects once asked for their next batch", async () => {
    /** Like a pooled reader: a ring of batch + 2 event objects, overwritten as it goes. */
    function pooled(hostId: string, ts: number[], batch: number): TraceSource {
      const ring: TraceEvent[] = Array.from({ length: batch + 2 }, () => ({ name: "", ts: 0, cpu: 0, host: 0, fields: { v: 0, arr: [0] }, context: null }));
      return {
        ...fake(hostId, []),
        async *batches(_origin: bigint, host: number) {
          let k = 0;
          for (let i = 0; i < ts.length; i += batch) {
            yield ts.slice(i, i + batch).map((t, j) => {
              const e = ring[k++ % ring.length]!;
              Object.assign(e, { name: `${hostId}#${i + j}`, ts: t, host });
              e.fields.v = t;
              (e.fields.arr as number[])[0] = t;
              return e;
            });
          }
        },
      };
    }
    const tsA = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const tsB = [3, 3, 5, 20];
    const tsC = [2, 1, 9, 4, 7, 6]; // disorder, for the window
    for (const window of [0, 100]) {
      const m = mergeSources([pooled("a", tsA, 3), pooled("b", tsB, 1), pooled("c", tsC, 2)], 0n, { reorderWindowNs: window });
      const seen: string[] = [];
      // copy at delivery, as a consumer must
      for await (const b of m) for (const e of b as TraceEvent[]) seen.push(`${e.name}@${e.ts}:${e.fields.v}/${(e.fields.arr as number[])[0]}`);
      for (const s of seen) expect(s).toMatch(/@(\d+):\1\/\1$/);
      expect(new Set(seen.map((x) => x.split("@")[0])).size).toBe(22);
      const ts = seen.map((s) => Number(/@(\d+)/.exec(s)![1]));
      if (window > 0) expect(ts).toEqual([...ts].sort((x, y) => x - y));
    }
  });

  it("without a window, delivers disorder unchanged and counts late events", async () => {
    const r = await collect([fake("a", [0, 10, 5, 20]), fake("b", [7])]);
    expect(r.ts).toEqual([0, 7, 10, 5, 20]);
    expect(r.stats.late).toBe(1);
  });

  it("with a window, reorders disorder inside it and counts only what falls beyond it", async () => {
    const wide = await collect([fake("a", [0, 10, 20, 5])], 15);
    expect(wide.ts).toEqual([0, 5, 10, 20]);
    expect(wide.stats.late).toBe(0);
    const narrow = await collect([fake("a", [0, 10, 20, 5])], 3);
    expect(narrow.ts).toEqual([0, 10, 5, 20]);
    expect(narrow.stats.late).toBe(1);
    // ties inside the window still go by source index, then source order
    const ties = await collect([fake("a", [3, 2, 2]), fake("b", [2, 1])], 10);
    expect(ties.labels).toEqual(["b#1@1", "a#1@2", "a#2@2", "b#0@2", "a#0@3"]);
  });

  it("passes loss markers through by their start and sums known counts", async () => {
    const r = await collect([fake("a", [0, { loss: 4, count: 10 }, 8]), fake("b", [2, { loss: 6, count: -1 }, { loss: 7, count: 3 }])]);
    expect(r.labels).toEqual(["a#0@0", "b#0@2", "loss@4", "loss@6", "loss@7", "a#2@8"]);
    expect(r.stats).toEqual({ events: 3, late: 0, lost: 13, lossMarkers: 3 });
  });

  it("closes every source when the consumer stops early", async () => {
    const srcs = [fake("a", [1, 2, 3, 4, 5, 6], 1), fake("b", [1, 2, 3, 4, 5, 6], 1)];
    for await (const _ of mergeSources(srcs, 0n, { batchSize: 2 })) break;
    expect(srcs.map((s) => s.closed)).toEqual([true, true]);
  });

  it("merges many sorted sources into one sorted stream", async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const sources = [0, 1, 2, 3].map((k) => {
      let t = 0;
      return fake(`s${k}`, Array.from({ length: 5000 }, () => (t += Math.floor(rnd() * 20))), 1 + k * 97);
    });
    const r = await collect(sources);
    expect(r.ts).toHaveLength(20000);
    for (let i = 1; i < r.ts.length; i++) expect(r.ts[i]! >= r.ts[i - 1]!).toBe(true);
    expect(r.stats.late).toBe(0);
  });
});

describe("merging Trace Compass stub traces", () => {
  const dir = sharedPath("traces", "tracecompass-vm-stubs", "incubator-OneQemuKvm");
  async function open(file: string): Promise<TraceSource> {
    const [s] = await tcxmlReader.open(join(dir, file), { onIssue: (i) => { throw new Error(i.message); } });
    await s!.open();
    return s!;
  }
  async function merged(files: string[]) {
    const sources = await Promise.all(files.map(open));
    const out: TraceEvent[] = [];
    for await (const b of mergeSources(sources, chooseRunOrigin(sources))) out.push(...(b as TraceEvent[]));
    return out;
  }

  it("interleaves host.xml and guest.xml by timestamp", async () => {
    const evs = await merged(["host.xml", "guest.xml"]);
    expect(evs).toHaveLength(35);
    expect(evs.slice(0, 8).map((e) => [e.ts, e.host, e.name])).toEqual([
      [1, 0, "sched_switch"], [5, 0, "kvm_entry"], [10, 1, "sched_switch"], [35, 1, "sched_switch"],
      [40, 1, "vmsync_gh_guest"], [45, 0, "kvm_exit"], [50, 0, "vmsync_gh_host"], [55, 0, "vmsync_hg_host"],
    ]);
    expect(evs.slice(-3).map((e) => [e.ts, e.host])).toEqual([[350, 0], [355, 0], [375, 1]]);
    for (let i = 1; i < evs.length; i++) expect(evs[i]!.ts).toBeGreaterThanOrEqual(evs[i - 1]!.ts);
  });

  it("breaks ties by source index: host.xml merged with itself alternates, first copy first", async () => {
    const evs = await merged(["host.xml", "host.xml"]);
    expect(evs).toHaveLength(44);
    for (let i = 0; i < evs.length; i += 2) {
      expect([evs[i]!.host, evs[i + 1]!.host, evs[i]!.ts]).toEqual([0, 1, evs[i + 1]!.ts]);
    }
  });
});

describe("chooseRunOrigin", () => {
  it("is 0 when every timestamp fits in 2^53, else the smallest first timestamp", () => {
    expect(chooseRunOrigin([fake("a", [5], 1, 5n), fake("b", [3], 1, 3n)])).toBe(0n);
    const e = 1_700_000_000_000_000_000n;
    expect(chooseRunOrigin([fake("a", [], 1, e + 9n), fake("b", [], 1, e + 2n), fake("c", [], 1, null)])).toBe(e + 2n);
  });
});
