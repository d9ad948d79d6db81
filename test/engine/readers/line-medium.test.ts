/**
 * Line readers on a live stream: a partial batch is handed over as soon as the input pauses
 * (the pipe stays open), so a slow stream's events are not held until 4096 more lines arrive;
 * a file still comes in full batches.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { JSONL_BATCH, JsonlSource } from "../../../engine/readers/jsonl/source.js";
import { babeltraceTextReader } from "../../../engine/readers/text/babeltrace-reader.js";
import type { SourceItem, TraceSource } from "../../../engine/readers/source.js";
import { EPOCH_NS, jsonlText, tempDir } from "./jsonl/make-jsonl.js";

const dir = await tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The next batch, or a failure naming what was held back after `ms`. */
async function nextWithin(it: AsyncIterator<SourceItem[]>, ms: number): Promise<IteratorResult<SourceItem[]>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no batch within ${ms} ms while the stream is open`)), ms)));
  try {
    return await Promise.race([it.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function liveBatches(src: TraceSource, pipe: PassThrough, firstLines: string, more: string) {
  pipe.write(firstLines);
  await src.open();
  const it = src.batches(src.first!, 0)[Symbol.asyncIterator]();
  const first = await nextWithin(it, 2000);
  // one more line, the pipe still open: it must come out alone, at once
  pipe.write(more);
  const second = await nextWithin(it, 2000);
  pipe.end();
  const rest: SourceItem[][] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
  return { first, second, rest };
}

describe("line readers on an open stream", () => {
  it("JSON Lines: hands over what arrived when the input pauses", async () => {
    const pipe = new PassThrough();
    const src = new JsonlSource("-", "stdin", () => {}, pipe);
    const lines = jsonlText(4).split("\n");
    const { first, second, rest } = await liveBatches(src, pipe, lines.slice(0, 3).join("\n") + "\n", lines[3] + "\n");
    expect(first.done).toBe(false);
    expect(first.value).toHaveLength(3);
    expect(second.value).toHaveLength(1);
    expect(second.value![0]).toMatchObject({ ts: 3000 });
    expect(rest).toEqual([]);
  });

  it("babeltrace2 text: the same, one line at a time", async () => {
    const pipe = new PassThrough();
    const [src] = await babeltraceTextReader.open("-", { onIssue: () => {}, stdin: pipe } as Parameters<typeof babeltraceTextReader.open>[1]);
    const line = (s: number, v: number) => `[19:16:${String(s).padStart(2, "0")}.000000000] (+0.000000000) h kvm_exit: { cpu_id = 1 }, { exit_reason = ${v} }\n`;
    const { first, second } = await liveBatches(src!, pipe, line(1, 7), line(2, 48));
    expect(first.value).toHaveLength(1);
    expect(second.value).toHaveLength(1);
    expect(second.value![0]).toMatchObject({ name: "kvm_exit", ts: 1_000_000_000, cpu: 1, fields: { exit_reason: 48 } });
  });

  it("a file is still read in full batches", async () => {
    const path = join(dir, "big.jsonl");
    await writeFile(path, jsonlText(JSONL_BATCH * 2 + 10));
    const src = new JsonlSource(path, "f", () => {});
    await src.open();
    const sizes: number[] = [];
    for await (const b of src.batches(EPOCH_NS, 0)) sizes.push(b.length);
    expect(sizes).toEqual([JSONL_BATCH, JSONL_BATCH, 10]);
  });
});
