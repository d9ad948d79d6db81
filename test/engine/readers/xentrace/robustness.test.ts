/**
 * Damaged xentrace files: the real trace cut at many offsets, and a real prefix mutated byte by
 * byte. The reader must never throw or hang, must report located problems, and (for cuts)
 * must keep every record before the cut: per CPU, what it delivers is a prefix of what the
 * intact file gives (across CPUs the merge order legitimately changes, since a cut removes
 * later windows of some CPUs only).
 */
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../engine/model/event.js";
import type { ReadIssue, SourceItem } from "../../../../engine/readers/source.js";
import { XentraceSource } from "../../../../engine/readers/xentrace/source.js";
import { sharedPath } from "../../../helpers/shared.js";
import { tempDir, writeTrace } from "./make-xentrace.js";

const dir = await tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));
const REAL = sharedPath("traces", "xentrace-parser-rs-example", "xentrace.bin");
const bytes = new Uint8Array(readFileSync(REAL));

async function read(path: string) {
  const issues: ReadIssue[] = [];
  const source = new XentraceSource(path, "t", (i) => issues.push(i), { cpuHz: 2_400_000_000 });
  await source.open();
  const items: SourceItem[] = [];
  for await (const b of source.batches(0n, 0)) items.push(...b);
  return { source, issues, events: items.filter((i): i is TraceEvent => !("kind" in i)) };
}

/** Per CPU, "name ts fields" of each event, with ts relative to the trace's first TSC. */
function perCpu(events: TraceEvent[], first: bigint): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const e of events) {
    const list = out.get(e.cpu) ?? [];
    out.set(e.cpu, list);
    list.push(`${e.name} ${BigInt(e.ts) - first} ${JSON.stringify(e.fields, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))}`);
  }
  return out;
}

/** Offsets where windows start (a cut there leaves a well-formed, shorter trace). */
function windowStarts(b: Uint8Array): Set<number> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Set<number>();
  for (let at = 0; at + 12 <= b.length; at += 12 + dv.getUint32(at + 8, true)) out.add(at);
  return out;
}

/** Deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("xentrace robustness", () => {
  it("cut anywhere, keeps every record before the cut on each CPU and names the offset once", async () => {
    const whole = await read(REAL);
    const full = perCpu(whole.events, whole.source.first!);
    const starts = windowStarts(bytes);
    const random = rng(7);
    const cuts = [5, 11, 12, 13, 8500, ...Array.from({ length: 3 }, () => 12 + Math.floor(random() * (bytes.length - 12)))];
    for (const cut of cuts) {
      const path = await writeTrace(dir, `cut-${cut}.bin`, bytes.subarray(0, cut));
      const part = await read(path);
      const errors = part.issues.filter((i) => i.severity === "error");
      expect(errors.length, `cut at ${cut}`).toBe(starts.has(cut) ? 0 : 1);
      for (const e of errors) {
        expect(e.file).toBe(path);
        expect(e.offset).toBeGreaterThanOrEqual(0);
        expect(e.offset).toBeLessThanOrEqual(cut);
      }
      if (part.source.first === null) continue;
      for (const [cpu, list] of perCpu(part.events, part.source.first)) {
        // Times are relative to the cut trace's own first TSC; rebase on the whole trace's.
        const shift = part.source.first - whole.source.first!;
        const rebased = list.map((s) => {
          const [name, rel, ...rest] = s.split(" ");
          return [name, BigInt(rel!) + shift, ...rest].join(" ");
        });
        expect(rebased, `cut at ${cut}, cpu ${cpu}`).toEqual(full.get(cpu)!.slice(0, rebased.length));
      }
    }
  });

  it("mutated byte by byte, never throws or hangs and locates every problem", async () => {
    const starts = [...windowStarts(bytes)];
    const prefix = bytes.subarray(0, starts.find((s) => s > 60_000)!);
    const random = rng(42);
    let withErrors = 0;
    for (let i = 0; i < 150; i++) {
      const b = new Uint8Array(prefix);
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips; f++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
      const size = random() < 0.5 ? b.length : Math.floor(random() * b.length);
      const path = await writeTrace(dir, "mutated.bin", b.subarray(0, size));
      const r = await read(path);
      expect(r.events.length).toBeLessThanOrEqual(size / 4);
      expect(r.events.every((e) => Number.isFinite(e.ts) && typeof e.name === "string")).toBe(true);
      for (const issue of r.issues) {
        expect(issue.file).toBe(path);
        if (issue.severity === "error") {
          expect(Number.isInteger(issue.offset)).toBe(true);
          expect(issue.offset).toBeLessThanOrEqual(size);
        }
        expect(issue.message.length).toBeGreaterThan(20);
      }
      if (r.issues.some((x) => x.severity === "error")) withErrors++;
    }
    expect(withErrors).toBeGreaterThan(10);
  });
});
