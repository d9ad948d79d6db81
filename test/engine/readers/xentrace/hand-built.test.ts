/**
 * Exact decoding of a small trace built byte by byte (`make-xentrace.ts`): merge order across
 * CPUs, TSC inheritance, field layouts, unknown ids, lost records, padding, and the truncated
 * tail. Read at 1 GHz, where one cycle is one ns in both time scales.
 */
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../engine/model/event.js";
import type { ReadIssue, SourceItem } from "../../../../engine/readers/source.js";
import { XentraceSource, type XentraceOptions } from "../../../../engine/readers/xentrace/source.js";
import { RIP, T0, cpuWindow, record, smallTrace, tempDir, writeTrace } from "./make-xentrace.js";
import { parseRawReads, runXenalyze } from "./xenalyze.js";

const dir = await tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));
const trace = smallTrace();
const wholePath = await writeTrace(dir, "small.xentrace", trace.whole);
const cutPath = await writeTrace(dir, "small-cut.xentrace", trace.cut);

async function read(path: string, options: XentraceOptions = { cpuHz: 1_000_000_000 }) {
  const issues: ReadIssue[] = [];
  const source = new XentraceSource(path, "small", (i) => issues.push(i), options);
  await source.open();
  const items: SourceItem[] = [];
  for await (const b of source.batches(0n, 0)) items.push(...b);
  return { source, issues, items };
}

const t = (cycles: number) => Number(T0) + cycles;
const ev = (name: string, cycles: number, cpu: number, fields: TraceEvent["fields"]) => ({ name, ts: t(cycles), cpu, host: 0, fields, context: null });

const expected: SourceItem[] = [
  ev("runstate_change", 0, 0, { domain: 14, vcpu: 2, old_state: 1, new_state: 0 }),
  ev("domain_wake", 50, 1, { domain: 14, vcpu: 3 }),
  ev("vmexit", 100, 0, { exit_reason: 30, rip: RIP }),
  ev("intr", 100, 0, { vector: 0xef }), // no TSC: inherits the vmexit's
  ev("xen_unknown_abc12", 120, 1, { d0: 1, d1: 2, d2: 0xffffffff }),
  ev("vmentry", 250, 0, {}),
  { kind: "loss", host: 0, cpu: 1, start: t(300), end: t(400), count: 7 }, // at its first lost TSC
  ev("do_block", 420, 1, { domain: 14, vcpu: 3 }), // the wrap_buffer padding before it is not an event
  ev("runstate_change", 500, 0, { domain: 14, vcpu: 2, old_state: 0, new_state: 2 }),
  ev("csched2_credit_burn", 510, 0, { domain: 0, vcpu: 1, credit: -5, budget: -2147483648, delta: 100 }),
];

describe("xentrace hand-built trace", () => {
  it("decodes every record to the exact event, in TSC order across CPUs", async () => {
    const { items, issues, source } = await read(wholePath);
    expect(issues).toEqual([]);
    expect(items.slice(0, expected.length)).toEqual(expected);
    expect(items).toHaveLength(expected.length + 1);
    expect(items.at(-1)).toEqual(ev("vmexit", 600, 0, { exit_reason: 12, rip: 0x1000n }));
    expect(source.first).toBe(T0);
    expect(source.last).toBe(T0 + 600n);
  });

  it("counts records per id and per CPU, framing and padding included", async () => {
    const { source } = await read(wholePath);
    const s = source.stats()!;
    expect(s.records).toBe(15);
    expect(s.windows).toBe(3);
    expect(Object.fromEntries(s.byCpu)).toEqual({ 0: 9, 1: 6 });
    expect(s.byId.get(0x1f003)).toBe(3);
    expect(s.byId.get(0x1f002)).toBe(1);
    expect(s.byId.get(0x1f001)).toBe(1);
    expect(s.byId.get(0x81102)).toBe(2);
    expect(s.byId.get(0x00abc12)).toBe(1);
    expect([s.lossMarkers, s.lostRecords, s.backwardSteps, s.corruptTsc]).toEqual([1, 7, 0, 0]);
  });

  it("keeps every record before a truncated tail and names the offset of the cut record", async () => {
    const { items, issues } = await read(cutPath);
    expect(items).toEqual(expected);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "error", file: cutPath, offset: trace.cutRecordOffset });
    expect(issues[0]!.message).toContain(`record at offset ${trace.cutRecordOffset} is cut short`);
    expect(issues[0]!.message).toContain("the file ends after 10 of its 24 bytes");
  });

  it("reports a file that ends exactly between records of an announced window", async () => {
    const path = await writeTrace(dir, "between.xentrace", trace.whole.subarray(0, trace.cutRecordOffset));
    const { items, issues } = await read(path);
    expect(items).toEqual(expected);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "error", offset: trace.cutRecordOffset });
    expect(issues[0]!.message).toContain("inside cpu 0's window");
  });

  it("stops at a window header that is not a cpu_change, keeping the windows before it", async () => {
    const junk = record({ id: 0x28004, tsc: T0 + 900n, data: [1, 2] });
    const bytes = new Uint8Array(trace.whole.length + junk.length);
    bytes.set(trace.whole);
    bytes.set(junk, trace.whole.length);
    const path = await writeTrace(dir, "junk.xentrace", bytes);
    const { items, issues } = await read(path);
    expect(items).toHaveLength(expected.length + 1);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "error", offset: trace.whole.length });
    expect(issues[0]!.message).toContain("expected a cpu_change record");
  });

  it("gives a record with an impossible TSC its CPU's previous TSC and reports it once", async () => {
    const bytes = cpuWindow(0, [
      record({ id: 0x28004, tsc: T0, data: [1, 0] }),
      record({ id: 0x28004, tsc: T0 + 2n ** 60n, data: [1, 1] }),
      record({ id: 0x28004, tsc: T0 + 2n ** 61n, data: [1, 2] }),
      record({ id: 0x28004, tsc: T0 + 10n, data: [1, 3] }),
    ]);
    const path = await writeTrace(dir, "bad-tsc.xentrace", bytes);
    const { items, issues, source } = await read(path);
    expect(items.map((i) => ("ts" in i ? [i.ts, i.fields.vcpu] : null))).toEqual([
      [t(0), 0],
      [t(0), 1],
      [t(0), 2],
      [t(10), 3],
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "error", offset: 12 + 20 });
    expect(issues[0]!.message).toContain("more than 2^53 cycles");
    expect(source.stats()!.corruptTsc).toBe(2);
  });

  it("converts at xenalyze's 2.4 GHz by default, says so, and offers the exact scale", async () => {
    const byDefault = await read(wholePath, {});
    expect(byDefault.source.clockInfo).toEqual({ cpuHz: 2_400_000_000, cpuHzFrom: "default", scale: "xenalyze" });
    expect(byDefault.issues).toHaveLength(1);
    expect(byDefault.issues[0]).toMatchObject({ severity: "warning" });
    expect(byDefault.issues[0]!.message).toContain("2.4 GHz");
    const first = byDefault.source.first!;
    // xenalyze: ((tsc - first) << 10) / floor(2.4e9 * 1024 / 1e9) = 510 * 1024 / 2457 → 212 ns
    const burn = byDefault.items.find((i) => "name" in i && i.name === "csched2_credit_burn") as TraceEvent;
    expect(BigInt(burn.ts) - first).toBe(212n);
    const exact = await read(wholePath, { cpuHz: 2_400_000_000, timeScale: "exact" });
    const burnExact = exact.items.find((i) => "name" in i && i.name === "csched2_credit_burn") as TraceEvent;
    expect(BigInt(burnExact.ts) - exact.source.first!).toBe(212n); // floor(510 / 2.4) as well
    expect(exact.source.first).toBe((T0 * 1_000_000_000n) / 2_400_000_000n);
  });

  it("is read by xenalyze record for record (the builder writes what xentrace writes)", () => {
    const raw = parseRawReads(runXenalyze(["--dump-raw-reads", "--dump-no-processing", wholePath])).filter((r) => r.id !== 0x1f003);
    const perCpu = (cpu: number) => raw.filter((r) => r.cpu === cpu).map((r) => `${r.id.toString(16)}@${r.tsc ?? "-"}:${r.words.join(",")}`);
    expect(perCpu(0)).toEqual([
      `21101@${T0}:${(14 << 16) | 2}`,
      `81102@${T0 + 100n}:30,${0x81234567},${0xffffffff}`,
      "8200f@-:239",
      `81001@${T0 + 250n}:`,
      `21021@${T0 + 500n}:${(14 << 16) | 2}`,
      `22203@${T0 + 510n}:1,${0xfffffffb},${0x80000000},100`,
      `81102@${T0 + 600n}:12,4096,0`,
    ]);
    expect(perCpu(1).map((r) => r.split("@")[0])).toEqual(["28004", "abc12", "1f001", "1f002", "28006"]);
  });
});
