import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { openTraces, ReadersMap, supportedFormats, TraceOpenError } from "../../../engine/readers/index.js";
import type { ReadIssue, TraceSource } from "../../../engine/readers/source.js";
import { sharedPath } from "../../helpers/shared.js";
import { eventLine, jsonlText } from "./jsonl/make-jsonl.js";

const dir = await mkdtemp(join(tmpdir(), "vigil-open-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const stubs = sharedPath("traces", "tracecompass-vm-stubs");
const host = join(stubs, "incubator-OneQemuKvm", "host.xml");
const guest = join(stubs, "incubator-OneQemuKvm", "guest.xml");

async function count(s: TraceSource): Promise<number> {
  let n = 0;
  for await (const b of s.batches(0n, 0)) n += b.length;
  return n;
}

describe("openTraces", () => {
  it("detects each file's format and opens the sources in order", async () => {
    const jl = join(dir, "events.log");
    await writeFile(jl, jsonlText(5));
    const sources = await openTraces([host, jl, guest], { onIssue: () => {} });
    expect(sources.map((s) => [s.format, s.hostId])).toEqual([["tcxml", "host.xml"], ["jsonl", "events.log"], ["tcxml", "guest.xml"]]);
    // already opened: first is known
    expect(sources.map((s) => s.first !== null)).toEqual([true, true, true]);
  });

  it("sniffs stdin and hands the reader every byte, the sniffed head included", async () => {
    const text = jsonlText(2000); // larger than the sniffed head
    const chunks = Buffer.from(text).toString("utf8").match(/[\s\S]{1,1000}/g)!.map((c) => Buffer.from(c));
    const [s] = await openTraces(["-"], { onIssue: () => {}, stdin: Readable.from(chunks) });
    expect([s!.format, s!.hostId]).toEqual(["jsonl", "stdin"]);
    expect(await count(s!)).toBe(2000);
    const [x] = await openTraces(["-"], { onIssue: () => {}, stdin: Readable.from([Buffer.from('<?xml version="1.0"?>\n<trace><event timestamp="3" name="a"/></trace>')]) });
    expect([x!.format, x!.first]).toEqual(["tcxml", 3n]);
    expect(await count(x!)).toBe(1);
  });

  it("reads a short stdin that ends before the head is full", async () => {
    const [s] = await openTraces(["-"], { onIssue: () => {}, stdin: Readable.from([Buffer.from(`${eventLine(0)}\n`)]) });
    expect(await count(s!)).toBe(1);
  });

  it("takes --format over detection, and rejects an unknown format with the list", async () => {
    const odd = join(dir, "odd.txt");
    await writeFile(odd, `${eventLine(1)}\n`);
    const [s] = await openTraces([odd], { onIssue: () => {}, format: "jsonl" });
    expect(s!.format).toBe("jsonl");
    await expect(openTraces([odd], { onIssue: () => {}, format: "pcap" })).rejects.toThrow(
      `Unknown trace format "pcap": supported formats are ${supportedFormats().join(", ")}`,
    );
  });

  it("names the path and the supported formats when nothing recognises it", async () => {
    const junk = join(dir, "junk.bin");
    await writeFile(junk, Buffer.from([0, 1, 2, 3]));
    const err = await openTraces([junk], { onIssue: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceOpenError);
    expect((err as TraceOpenError).path).toBe(junk);
    expect((err as Error).message).toMatch(new RegExp(`${junk}: supported formats are .*jsonl.*tcxml.*--format`));
    await expect(openTraces([dir], { onIssue: () => {} })).rejects.toThrow(/Cannot recognise the trace format of directory/);
    await expect(openTraces([join(dir, "nope.xml")], { onIssue: () => {} })).rejects.toThrow(/nope\.xml: no such file or directory/);
    await expect(openTraces(["-", "-"], { onIssue: () => {} })).rejects.toThrow(/only once/);
  });

  it("takes host ids by position and warns when two paths share one", async () => {
    const issues: ReadIssue[] = [];
    const core = join(stubs, "core-OneQemuKvm", "host.xml");
    const sources = await openTraces([host, core, guest], { onIssue: (i) => issues.push(i), hostIds: [undefined, undefined, "vm1"] });
    expect(sources.map((s) => s.hostId)).toEqual(["host.xml", "host.xml", "vm1"]);
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", file: core, message: expect.stringMatching(/Host id "host.xml" is also the host id of/) })]);
  });

  it("registers every reader under its own format name", () => {
    for (const [name, reader] of Object.entries(ReadersMap)) expect(reader.format).toBe(name);
  });
});
