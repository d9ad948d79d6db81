/**
 * The reader conformance suite: every reader runs it on its fixtures (as unstorage's
 * `testDriver`). It checks the `TraceSource` contract from the outside: hosts and first/last,
 * well-formed events stamped with their host index, per-source timestamp order, timestamps
 * relative to the origin, located issues, and that a truncated input keeps what came before.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FieldValue, TraceEvent } from "../../../engine/model/event.js";
import { chooseOrigin } from "../../../engine/model/time.js";
import { isLoss, type ReadIssue, type SourceItem, type TraceSource } from "../../../engine/readers/source.js";

/** Opens `path` with the reader under test; every returned source must already be `open`ed. */
export type OpenFn = (path: string, onIssue: (issue: ReadIssue) => void) => Promise<TraceSource[]>;

export interface ReaderFixture {
  /** Shown in test names. */
  label: string;
  path: string;
  /** Events (loss markers excluded) over all sources of the fixture. */
  events: number;
  /** Host id of each source, in order. */
  hostIds: string[];
  /** Issues reading the intact fixture must give (default: none). */
  issues?: number;
  /**
   * A damaged copy cut inside a record: `cut(bytes)` returns the bytes to write (default: keep
   * `truncateAt` bytes). Reading it must give a prefix of the intact events, at least
   * `keptAtLeast` of them, and one located error.
   */
  truncateAt?: number;
  keptAtLeast?: number;
  /** A file with bad records, and the lines (or byte offsets) its errors must name. */
  bad?: { path: string; lines?: number[]; offsets?: number[]; events: number };
}

/**
 * Everything a source yields with the given origin and host index, as copies: readers may
 * reuse event objects once the next batch is asked for (`engine/model/event.ts`), so a suite
 * that keeps events past their batch must copy them, as any such consumer must.
 */
export async function readAll(source: TraceSource, origin: bigint, host: number): Promise<{ items: SourceItem[]; batches: number[] }> {
  const items: SourceItem[] = [];
  const batches: number[] = [];
  for await (const b of source.batches(origin, host)) {
    batches.push(b.length);
    for (const item of b) items.push(copyItem(item));
  }
  return { items, batches };
}

/** A deep copy of an item: nothing in it is shared with the reader's reusable objects. */
export function copyItem(item: SourceItem): SourceItem {
  if (isLoss(item)) return { ...item };
  return { ...item, fields: _copyRecord(item.fields), context: item.context === null ? null : _copyRecord(item.context) };
}

/** Opens and reads a path fully, collecting its issues. */
export async function readPath(open: OpenFn, path: string, origin?: bigint): Promise<{ sources: TraceSource[]; events: TraceEvent[][]; issues: ReadIssue[]; origin: bigint }> {
  const issues: ReadIssue[] = [];
  const sources = await open(path, (i) => issues.push(i));
  const o = origin ?? chooseOrigin(sources.map((s) => s.first), sources.map((s) => s.last));
  const events: TraceEvent[][] = [];
  for (const [i, s] of sources.entries()) {
    const { items } = await readAll(s, o, i);
    events.push(items.filter((x): x is TraceEvent => !isLoss(x)));
  }
  return { sources, events, issues, origin: o };
}

/** Registers the conformance tests of one reader. */
export function testReader(format: string, open: OpenFn, fixtures: ReaderFixture[]): void {
  describe(`reader conformance: ${format}`, () => {
    const dirs: string[] = [];
    afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

    for (const fx of fixtures) {
      it(`${fx.label}: opens with its hosts, format, and first/last timestamps`, async () => {
        const { sources, events, issues, origin } = await readPath(open, fx.path);
        expect(sources.map((s) => s.hostId)).toEqual(fx.hostIds);
        for (const [i, s] of sources.entries()) {
          expect(s.format).toBe(format);
          const ts = events[i]!.map((e) => BigInt(e.ts) + origin);
          if (ts.length === 0) continue;
          const min = ts.reduce((a, b) => (a < b ? a : b));
          const max = ts.reduce((a, b) => (a > b ? a : b));
          expect(s.first).toBe(min);
          if (s.last !== null) expect(s.last).toBe(max);
        }
        expect(issues).toHaveLength(fx.issues ?? 0);
      });

      it(`${fx.label}: delivers well-formed events, host-stamped, sorted per source, in non-empty batches`, async () => {
        const issues: ReadIssue[] = [];
        const sources = await open(fx.path, (i) => issues.push(i));
        const origin = chooseOrigin(sources.map((s) => s.first), sources.map((s) => s.last));
        let total = 0;
        for (const [i, s] of sources.entries()) {
          const host = i + 3; // not the position, to catch readers that stamp their own index
          const { items, batches } = await readAll(s, origin, host);
          expect(batches.every((n) => n > 0)).toBe(true);
          let prev = -Infinity;
          for (const item of items) {
            expect(item.host).toBe(host);
            if (isLoss(item)) continue;
            total++;
            expect(typeof item.name === "string" && item.name.length > 0).toBe(true);
            expect(Number.isSafeInteger(item.ts)).toBe(true);
            expect(Number.isInteger(item.cpu) && item.cpu >= -1).toBe(true);
            expect(typeof item.fields).toBe("object");
            expect(item.fields).not.toBeNull();
            expect(item.context === null || typeof item.context === "object").toBe(true);
            expect(item.ts).toBeGreaterThanOrEqual(prev);
            prev = item.ts;
          }
        }
        expect(total).toBe(fx.events);
      });

      it(`${fx.label}: timestamps are relative to the origin given`, async () => {
        const a = await readPath(open, fx.path);
        const shifted = a.origin + 1000n;
        const b = await readPath(open, fx.path, shifted);
        for (const [i, s] of a.sources.entries()) {
          const ea = a.events[i]!;
          const eb = b.events[i]!;
          expect(eb.map((e) => e.ts)).toEqual(ea.map((e) => e.ts - 1000));
          if (ea.length > 0) expect(ea[0]!.ts).toBe(Number(s.first! - a.origin));
        }
      });

      if (fx.truncateAt !== undefined) {
        it(`${fx.label}: a copy cut at byte ${fx.truncateAt} keeps the events before the cut and says where it broke`, async () => {
          const dir = await mkdtemp(join(tmpdir(), `vigil-${format}-`));
          dirs.push(dir);
          const cut = join(dir, basename(fx.path));
          await writeFile(cut, (await readFile(fx.path)).subarray(0, fx.truncateAt));
          const whole = await readPath(open, fx.path);
          const part = await readPath(open, cut, whole.origin);
          const kept = part.events.flat();
          expect(kept.length).toBeGreaterThanOrEqual(fx.keptAtLeast ?? 1);
          const strip = (e: TraceEvent) => ({ name: e.name, ts: e.ts, cpu: e.cpu, fields: e.fields });
          expect(kept.map(strip)).toEqual(whole.events.flat().slice(0, kept.length).map(strip));
          const errors = part.issues.filter((i) => i.severity === "error");
          expect(errors.length).toBeGreaterThanOrEqual(1);
          for (const e of errors) {
            expect(e.file).toBe(cut);
            expect(e.line !== undefined || e.offset !== undefined).toBe(true);
          }
        });
      }

      if (fx.bad !== undefined) {
        const bad = fx.bad;
        it(`${fx.label}: bad records give located errors and reading goes on`, async () => {
          const r = await readPath(open, bad.path);
          expect(r.events.flat()).toHaveLength(bad.events);
          const errors = r.issues.filter((i) => i.severity === "error");
          for (const e of errors) expect(e.file).toBe(bad.path);
          if (bad.lines) expect(errors.map((e) => e.line)).toEqual(bad.lines);
          if (bad.offsets) expect(errors.map((e) => e.offset)).toEqual(bad.offsets);
          for (const e of errors) expect(e.message.length).toBeGreaterThan(10);
        });
      }
    }
  });
}

// --- internal ---

function _copyRecord<T extends { [name: string]: FieldValue | undefined }>(r: T): T {
  const out: { [name: string]: FieldValue | undefined } = {};
  for (const k of Object.keys(r)) out[k] = _copyValue(r[k]);
  return out as T;
}

function _copyValue<V extends FieldValue | undefined>(v: V): V {
  if (Array.isArray(v)) return v.map((x) => _copyValue(x)) as V;
  if (v !== null && typeof v === "object") return _copyRecord(v) as V;
  return v;
}
