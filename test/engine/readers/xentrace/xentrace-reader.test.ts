/**
 * The xentrace reader through the shared conformance suite, plus detection and options.
 */
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { ReadIssue } from "../../../../engine/readers/source.js";
import type { XentraceSource } from "../../../../engine/readers/xentrace/source.js";
import { createXentraceReader, sniffXentrace, xentraceReader } from "../../../../engine/readers/xentrace/xentrace-reader.js";
import { sharedPath } from "../../../helpers/shared.js";
import { testReader, type ReaderFixture } from "../conformance.js";
import { cpuChange, smallTrace, tempDir, writeTrace } from "./make-xentrace.js";
import { parseRawReads, runXenalyze } from "./xenalyze.js";

const dir = await tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));
const small = smallTrace();
const smallPath = await writeTrace(dir, "small.xentrace", small.whole);
const REAL = sharedPath("traces", "xentrace-parser-rs-example", "xentrace.bin");

// A frequency is given so that opening reports no "default frequency" warning.
const openAt = (cpuHz: number) => async (path: string, onIssue: (i: ReadIssue) => void) => {
  const sources = await xentraceReader.open(path, { onIssue, cpuHz } as Parameters<typeof xentraceReader.open>[1]);
  for (const s of sources) await s.open();
  return sources;
};

const fixtures: ReaderFixture[] = [
  // The last window's records are the latest, so a cut in it leaves a prefix of the merged stream.
  { label: "hand-built", path: smallPath, events: 10, hostIds: ["small.xentrace"], truncateAt: small.cutRecordOffset + 10, keptAtLeast: 9 },
];
testReader("xentrace", openAt(1_000_000_000), fixtures);

// Real data, kept small: the first windows of the real trace (a whole-window prefix is itself a
// valid trace). The suite checks every event with several expects, too slow for 180k events;
// the full trace is checked against xenalyze in xenalyze.test.ts. Its event count is xenalyze's.
const realBytes = readFileSync(REAL);
let prefixEnd = 0;
while (prefixEnd < 400_000) prefixEnd += 12 + new DataView(realBytes.buffer, realBytes.byteOffset).getUint32(prefixEnd + 8, true);
const prefixPath = await writeTrace(dir, "real-prefix.bin", realBytes.subarray(0, prefixEnd));
const prefixEvents = parseRawReads(runXenalyze(["--dump-raw-reads", "--dump-no-processing", prefixPath])).filter((r) => r.id !== 0x1f003 && r.id !== 0x1f002).length;
testReader("xentrace", openAt(2_400_000_000), [{ label: "real trace, first windows", path: prefixPath, events: prefixEvents, hostIds: ["real-prefix.bin"] }]);

describe("xentrace detection", () => {
  const head = readFileSync(REAL).subarray(0, 4096);

  it("recognises a xentrace file by its leading cpu_change record, whatever its name", () => {
    expect(xentraceReader.detect("/traces/whatever.dat", head, false)).toBe(true);
    expect(sniffXentrace(cpuChange(3, 4096))).toBe(true);
  });

  it("refuses directories, short heads, text, other records first, big-endian and absurd CPUs", () => {
    expect(xentraceReader.detect("/traces/x.bin", head, true)).toBe(false);
    expect(sniffXentrace(head.subarray(0, 11))).toBe(false);
    expect(sniffXentrace(new TextEncoder().encode('{"ts": 1, "name": "x"}\n'))).toBe(false);
    const swapped = new Uint8Array(12);
    new DataView(swapped.buffer).setUint32(0, 0x2001f003, false);
    expect(sniffXentrace(swapped)).toBe(false);
    expect(sniffXentrace(cpuChange(70_000, 16))).toBe(false);
    const wake = new Uint8Array(head.subarray(0, 12));
    new DataView(wake.buffer).setUint32(0, 0xa0028004, true);
    expect(sniffXentrace(wake)).toBe(false);
  });
});

describe("xentrace reader options", () => {
  it("takes cpuHz and the time scale from the reader's defaults, overridden per open", async () => {
    const reader = createXentraceReader({ cpuHz: 3_000_000_000, timeScale: "exact" });
    const issues: ReadIssue[] = [];
    const [a] = (await reader.open(smallPath, { onIssue: (i) => issues.push(i) })) as XentraceSource[];
    expect(a!.clockInfo).toEqual({ cpuHz: 3_000_000_000, cpuHzFrom: "option", scale: "exact" });
    const [b] = (await reader.open(smallPath, { onIssue: () => {}, cpuHz: 1_000_000_000 } as Parameters<typeof reader.open>[1])) as XentraceSource[];
    expect(b!.clockInfo.cpuHz).toBe(1_000_000_000);
    expect(b!.hostId).toBe("small.xentrace");
    const [c] = (await reader.open(smallPath, { onIssue: () => {}, hostId: "xen-host-7" })) as XentraceSource[];
    expect(c!.hostId).toBe("xen-host-7");
    await a!.open();
    expect(issues).toEqual([]);
  });

  it("rejects a nonsense cpuHz when opening, naming the option", async () => {
    await expect(xentraceReader.open(smallPath, { onIssue: () => {}, cpuHz: 2.4 } as Parameters<typeof xentraceReader.open>[1])).rejects.toThrow(/cpuHz must be a whole number of Hz/);
  });
});
