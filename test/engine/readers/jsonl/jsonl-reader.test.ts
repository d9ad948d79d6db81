import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonlReader, sniffJsonl } from "../../../../engine/readers/jsonl/jsonl-reader.js";
import type { ReadIssue } from "../../../../engine/readers/source.js";
import { testReader, type ReaderFixture } from "../conformance.js";
import { eventLine, jsonlText, tempDir, writeTrace } from "./make-jsonl.js";

async function openJsonl(path: string, onIssue: (i: ReadIssue) => void) {
  const sources = await jsonlReader.open(path, { onIssue });
  for (const s of sources) await s.open();
  return sources;
}

const dir = await tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

const sorted = jsonlText(300);
const sortedPath = await writeTrace(dir, "host-a.jsonl", sorted);
// a cut (in bytes: comms hold multi-byte UTF-8) inside line 121: 120 whole lines survive
const cutAt = Buffer.byteLength(`${sorted.split("\n").slice(0, 120).join("\n")}\n`) + 25;

const badText = [
  eventLine(0),
  "{not json",
  eventLine(1),
  '{"name":"x","cpu":0}',
  '{"ts":-5,"name":"x"}',
  '{"ts":12.5,"name":"x"}',
  '{"ts":"0x10","name":"x"}',
  "",
  '{"ts":10,"name":""}',
  '{"ts":10,"name":"x","cpu":"1"}',
  '{"ts":10,"name":"x","fields":[1,2]}',
  '{"ts":10,"name":"x","fields":{"a":{"b":1}}}',
  "[1,2,3]",
  eventLine(2),
  '{"ts":1.7e18,"name":"x"}',
  eventLine(3),
].join("\n");
const badPath = await writeTrace(dir, "bad.ndjson", `${badText}\n`);

const fixtures: ReaderFixture[] = [
  { label: "300 generated events", path: sortedPath, events: 300, hostIds: ["host-a.jsonl"], truncateAt: cutAt, keptAtLeast: 120 },
  {
    label: "bad lines",
    path: badPath,
    events: 4,
    hostIds: ["bad.ndjson"],
    // one error per bad line; the blank line 8 is not an error
    issues: 11,
    bad: { path: badPath, lines: [2, 4, 5, 6, 7, 9, 10, 11, 12, 13, 15], events: 4 },
  },
];

testReader("jsonl", openJsonl, fixtures);

describe("jsonl detection", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it("claims .jsonl and .ndjson names whatever the content", () => {
    expect(jsonlReader.detect("/x/t.jsonl", enc(""), false)).toBe(true);
    expect(jsonlReader.detect("/x/t.NDJSON", enc("garbage"), false)).toBe(true);
  });
  it("sniffs other names by a first line holding ts and name keys", () => {
    expect(jsonlReader.detect("-", enc(`\n  ${eventLine(0).slice(0, 60)}`), false)).toBe(true);
    expect(sniffJsonl(enc('\uFEFF{"name":"a","ts":1}'))).toBe(true);
    expect(sniffJsonl(enc('{"traceEvents":[]}'))).toBe(false);
    expect(sniffJsonl(enc("<trace>"))).toBe(false);
    expect(sniffJsonl(enc('[{"ts":1,"name":"a"}]'))).toBe(false);
  });
  it("never claims a directory", () => {
    expect(jsonlReader.detect("/x/t.jsonl", enc(""), true)).toBe(false);
  });
});

describe("jsonl bad-line messages", () => {
  let issues: ReadIssue[] = [];
  beforeAll(async () => {
    issues = [];
    const [s] = await openJsonl(badPath, (i) => issues.push(i));
    for await (const _ of s!.batches(0n, 0));
  });
  it("says what was wrong on each line", () => {
    const byLine = new Map(issues.map((i) => [i.line, i.message]));
    expect(byLine.get(2)).toMatch(/not valid JSON/);
    expect(byLine.get(4)).toMatch(/missing "ts"/);
    expect(byLine.get(5)).toMatch(/non-negative integer/);
    expect(byLine.get(6)).toMatch(/12\.5/);
    expect(byLine.get(7)).toMatch(/"0x10".*decimal integer/);
    expect(byLine.get(9)).toMatch(/"name"/);
    expect(byLine.get(10)).toMatch(/"cpu"/);
    expect(byLine.get(11)).toMatch(/"fields" must be an object/);
    expect(byLine.get(12)).toMatch(/field "a" holds an object/);
    expect(byLine.get(13)).toMatch(/not a JSON object/);
    expect(byLine.get(15)).toMatch(/decimal strings/);
    for (const i of issues) expect(i.message).toMatch(/line skipped$/);
  });
});
