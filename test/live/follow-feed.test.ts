/**
 * `--follow DIR`: a real LTTng kernel trace written into a directory piece by piece (chunks
 * that cut packets anywhere, streams interleaved) while the feed polls it. The feed must hand
 * over exactly the events the batch CTF reader reads from the finished trace, in time order,
 * never a partial packet.
 */
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FieldValue } from "../../engine/model/event.js";
import { FollowFeed } from "../../engine/live/follow-feed.js";
import type { LiveNotice, LiveSink } from "../../engine/live/live-feed.js";
import { ctfReader } from "../../engine/readers/ctf/index.js";
import { isLoss, type ReadIssue } from "../../engine/readers/source.js";
import { sharedPath } from "../helpers/shared.js";

const TRACE = sharedPath("traces", "lttng-ref-basic-kernel-analysis", "kernel");
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const canon = (name: string, abs: bigint, cpu: number, fields: Record<string, FieldValue>) =>
  `${name}|${abs}|${cpu}|${JSON.stringify(fields, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`;

/** The finished trace through the batch reader. */
async function batchEvents(): Promise<string[]> {
  const issues: ReadIssue[] = [];
  const [src] = await ctfReader.open(TRACE, { onIssue: (i) => issues.push(i) });
  await src!.open();
  const origin = src!.first!;
  const out: string[] = [];
  for await (const b of src!.batches(origin, 0)) for (const it of b) if (!isLoss(it)) out.push(canon(it.name, origin + BigInt(it.ts), it.cpu, it.fields));
  expect(issues.filter((i) => i.severity === "error")).toEqual([]);
  return out;
}

describe("FollowFeed", () => {
  it("reads a trace directory while it is written, as the batch reader reads the finished one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-follow-"));
    dirs.push(dir);
    const target = join(dir, "kernel");
    mkdirSync(target);
    const streams = readdirSync(TRACE).filter((n) => n !== "metadata" && statSync(join(TRACE, n)).isFile());
    const data = new Map(streams.map((n) => [n, readFileSync(join(TRACE, n))]));

    const got: string[] = [];
    const notices: LiveNotice[] = [];
    let origin = 0n;
    let lastTs = Number.NEGATIVE_INFINITY;
    let disorder = 0;
    const sink: LiveSink = {
      start: (o) => (origin = o),
      items: (b) => {
        for (const it of b) {
          if (isLoss(it)) continue;
          if (it.ts < lastTs) disorder++;
          lastTs = it.ts;
          got.push(canon(it.name, origin + BigInt(it.ts), it.cpu, it.fields));
        }
      },
      advance: () => {},
      notice: (n) => notices.push(n),
    };
    const feed = new FollowFeed(dir, { pollMs: 5, idleMs: 5000, stopAfterMs: 400 });
    const running = feed.run(sink, new AbortController().signal);

    // The writer: metadata first, then 50 KiB pieces of each stream in turn.
    copyFileSync(join(TRACE, "metadata"), join(target, "metadata"));
    const CHUNK = 50 * 1024;
    for (let off = 0; [...data.values()].some((b) => off < b.length); off += CHUNK) {
      for (const [n, b] of data) if (off < b.length) appendFileSync(join(target, n), b.subarray(off, Math.min(b.length, off + CHUNK)));
      await new Promise((r) => setTimeout(r, 15));
    }
    await running;

    const want = await batchEvents();
    expect(got.length).toBe(want.length);
    expect(disorder).toBe(0);
    expect([...got].sort()).toEqual([...want].sort());
    expect(notices.filter((n) => n.kind === "issue")).toEqual([]);
    expect(notices.some((n) => n.kind === "ended")).toBe(true);
  }, 60_000);
});
