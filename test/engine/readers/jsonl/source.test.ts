import { rm, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../engine/model/event.js";
import { LineSplitter } from "../../../../engine/readers/jsonl/line-splitter.js";
import { JSONL_BATCH, JsonlSource } from "../../../../engine/readers/jsonl/source.js";
import type { ReadIssue } from "../../../../engine/readers/source.js";
import { EPOCH_NS, eventLine, jsonlText, tempDir, writeTrace } from "./make-jsonl.js";

const dir = await tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Reads a byte string through a stream cut into `size`-byte chunks. */
async function readChunked(bytes: Uint8Array, size: number) {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const issues: ReadIssue[] = [];
  const src = new JsonlSource("-", "stdin", (i) => issues.push(i), Readable.from(chunks));
  await src.open();
  const events: TraceEvent[] = [];
  for await (const b of src.batches(EPOCH_NS, 0)) events.push(...(b as TraceEvent[]));
  return { first: src.first, events, issues };
}

describe("JsonlSource: chunk boundaries", () => {
  // CRLF line ends, blank lines, a BOM, multi-byte UTF-8, a bad line, no final newline
  const text = `\uFEFF${jsonlText(40).replaceAll("\n", "\r\n")}\n\n{"ts":oops}\r\n${jsonlText(40, 40).trimEnd()}`;
  const bytes = new TextEncoder().encode(text);

  it("gives the same events and issues for every chunk size, down to one byte", async () => {
    const whole = await readChunked(bytes, bytes.length);
    expect(whole.events).toHaveLength(80);
    expect(whole.issues).toEqual([expect.objectContaining({ severity: "error", file: "<stdin>", line: 43 })]);
    expect(whole.events[2]!.fields.prev_comm).toBe("kworker/0:1-événements");
    expect(whole.events[3]!.fields.prev_comm).toBe("çà-💡");
    for (const size of [1, 2, 3, 5, 7, 64, 1000]) {
      const r = await readChunked(bytes, size);
      expect(r.first).toBe(EPOCH_NS);
      expect(r.events).toEqual(whole.events);
      expect(r.issues).toEqual(whole.issues);
    }
  });

  it("splits lines identically however the text is cut", () => {
    const t = "a\r\nbé\n\nc💡d\r\n";
    const b = new TextEncoder().encode(t);
    for (let cut = 0; cut <= b.length; cut++) {
      const s = new LineSplitter();
      const lines = [...s.push(b.subarray(0, cut)), ...s.push(b.subarray(cut))];
      expect(lines).toEqual(["a", "bé", "", "c💡d"]);
      expect(s.end()).toBeUndefined();
    }
  });

  it("drops an overlong line in place, keeping the line count", () => {
    const s = new LineSplitter(10);
    expect(s.push("short\n0123456789abc")).toEqual(["short"]);
    expect(s.push("def\nok\nlast")).toEqual([null, "ok"]);
    expect(s.end()).toBe("last");
  });
});

describe("JsonlSource: order and size", () => {
  it("delivers out-of-order events as they are and warns once with their count", async () => {
    const lines = [0, 1, 2, 5, 3, 4, 6, 1].map(eventLine);
    const path = await writeTrace(dir, "disorder.jsonl", `${lines.join("\n")}\n`);
    const issues: ReadIssue[] = [];
    const src = new JsonlSource(path, "disorder.jsonl", (i) => issues.push(i));
    await src.open();
    const ts: number[] = [];
    for await (const b of src.batches(EPOCH_NS, 0)) ts.push(...b.map((e) => (e as TraceEvent).ts));
    expect(ts).toEqual([0, 1000, 2000, 5000, 3000, 4000, 6000, 1000]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "warning", line: 5 });
    expect(issues[0]!.message).toMatch(/^3 event\(s\) out of timestamp order/);
    // last comes from the tail of the file: the last line, not the maximum
    expect(src.last).toBe(EPOCH_NS + 1000n);
  });

  it("streams a large file in bounded batches", async () => {
    const n = 100_000;
    const path = `${dir}/big.jsonl`;
    const parts: string[] = [];
    for (let i = 0; i < n; i += 10_000) parts.push(jsonlText(10_000, i));
    await writeFile(path, parts.join(""));
    const src = new JsonlSource(path, "big.jsonl", () => {
      throw new Error("no issue expected");
    });
    await src.open();
    expect(src.first).toBe(EPOCH_NS);
    expect(src.last).toBe(EPOCH_NS + BigInt(n - 1) * 1000n);
    let count = 0;
    let prev = -1;
    let full = 0;
    for await (const b of src.batches(EPOCH_NS, 0)) {
      expect(b.length).toBeLessThanOrEqual(JSONL_BATCH);
      if (b.length === JSONL_BATCH) full++;
      for (const e of b as TraceEvent[]) {
        expect(e.ts).toBe(prev + (prev < 0 ? 1 : 1000));
        prev = e.ts;
        count++;
      }
    }
    expect(count).toBe(n);
    expect(full).toBe(Math.floor(n / JSONL_BATCH));
  });

  it("reads a file source again from the start; a stream source only once", async () => {
    const path = await writeTrace(dir, "twice.jsonl", jsonlText(10));
    const src = new JsonlSource(path, "twice.jsonl", () => {});
    await src.open();
    const count = async (s: JsonlSource) => {
      let n = 0;
      for await (const b of s.batches(0n, 0)) n += b.length;
      return n;
    };
    expect([await count(src), await count(src)]).toEqual([10, 10]);
    const stream = new JsonlSource("-", "stdin", () => {}, Readable.from([Buffer.from(jsonlText(10))]));
    await stream.open();
    expect(await count(stream)).toBe(10);
    await expect(count(stream)).rejects.toThrow(/only once/);
  });

  it("reports the first 1000 bad lines one by one, then one summary", async () => {
    const lines = Array.from({ length: 1205 }, (_, i) => (i % 100 === 0 ? eventLine(i) : `garbage ${i}`));
    const path = await writeTrace(dir, "noisy.jsonl", lines.join("\n"));
    const issues: ReadIssue[] = [];
    const src = new JsonlSource(path, "noisy.jsonl", (i) => issues.push(i));
    await src.open();
    let n = 0;
    for await (const b of src.batches(EPOCH_NS, 0)) n += b.length;
    expect(n).toBe(13);
    expect(issues).toHaveLength(1001);
    expect(issues[999]!.line).toBe(1011);
    expect(issues[1000]).toMatchObject({ line: 1205, message: expect.stringMatching(/^1192 bad lines in all/) });
  });

  it("has no first timestamp when no line decodes", async () => {
    const path = await writeTrace(dir, "empty.jsonl", "\n\nnope\n");
    const issues: ReadIssue[] = [];
    const src = new JsonlSource(path, "empty.jsonl", (i) => issues.push(i));
    await src.open();
    expect([src.first, src.last]).toEqual([null, null]);
    for await (const _ of src.batches(0n, 0)) throw new Error("no batch expected");
    expect(issues.map((i) => i.line)).toEqual([3]);
  });
});
