/**
 * The xentrace medium: one binary file, read per CPU with positioned reads (`cpu-cursor.ts`)
 * and merged by TSC, as xenalyze does.
 *
 * Contract (beyond `TraceSource`): `open` scans the window headers and takes the trace's base
 * TSC as the smallest first TSC of any CPU (xenalyze's `first_tsc`), so `ts - first` of every
 * event equals the time `xenalyze --dump-all` prints for it at the same `cpuHz`. Records come
 * out in TSC order across CPUs; a record without a TSC inherits its CPU's previous TSC and
 * follows its predecessor; lost-records records become loss markers placed at their first
 * lost TSC; padding (`wrap_buffer`) and framing (`cpu_change`) are not events. Memory is one
 * buffer per CPU plus one batch. A cut record, a truncated window or a corrupt window header
 * gives one located `error` issue and everything before it is delivered; records whose TSC
 * steps back are delivered at their recorded time (the merge counts them as late) and summed
 * up in one warning. A source can be read several times; `stats()` describes the last
 * complete read.
 */
import { open as openFile, type FileHandle } from "node:fs/promises";
import type { EventClassSchema } from "../../model/event.js";
import type { ReadIssue, SourceItem, TraceSource } from "../source.js";
import { CpuCursor, type CursorTime } from "./cpu-cursor.js";
import { RecordDecoder, TRC_LOST_RECORDS, TRC_TRACE_CPU_CHANGE, TRC_TRACE_WRAP_BUFFER, hasTsc, recordSize } from "./decode-records.js";
import { loadRecordTable, type XenRecordSpec } from "./record-table.js";
import { scanWindows, type WindowLayout, type XenWindow } from "./scan-windows.js";
import { TscClock, type TscClockInfo, type TscScale } from "./tsc-clock.js";

/** Items per yielded batch. */
export const XENTRACE_BATCH = 4096;

/** Options of the xentrace reader (all optional). */
export interface XentraceOptions {
  /** TSC frequency of the traced host in Hz (xenalyze `--cpu-hz`); default 2.4 GHz. */
  cpuHz?: number;
  /** `xenalyze` (default): xenalyze's fixed-point conversion; `exact`: cycles·1e9/hz. */
  timeScale?: TscScale;
  /** Record table to use instead of the shipped `rules/xen/data/xentrace-formats.tsv`. */
  recordTablePath?: string;
}

/** What one complete read saw; counts are of records, framing and padding included. */
export interface XentraceStats {
  records: number;
  /** Records per event id (`cpu_change` counts the windows). */
  byId: Map<number, number>;
  /** Records per physical CPU, from that CPU's windows. */
  byCpu: Map<number, number>;
  windows: number;
  lossMarkers: number;
  lostRecords: number;
  /** Events delivered with a timestamp below one delivered before (cross-CPU TSC skew). */
  backwardSteps: number;
  /** Records whose TSC was impossible (corrupt data); they kept their CPU's previous TSC. */
  corruptTsc: number;
}

export class XentraceSource implements TraceSource {
  readonly format = "xentrace";
  first: bigint | null = null;
  last: bigint | null = null;
  schema: EventClassSchema[] | null;
  /** The TSC frequency and conversion in use (report it with results). */
  readonly clock: TscClock;
  private readonly table: ReadonlyMap<number, XenRecordSpec>;
  private layout: WindowLayout | null = null;
  private size = 0;
  private base = { hi: 0, lo: 0, abs: 0n };
  private lastStats: XentraceStats | null = null;

  constructor(
    readonly path: string,
    readonly hostId: string,
    private readonly onIssue: (issue: ReadIssue) => void,
    options: XentraceOptions = {},
  ) {
    this.clock = new TscClock(options.cpuHz, options.timeScale ?? "xenalyze");
    this.table = loadRecordTable(options.recordTablePath);
    this.schema = RecordDecoder.schemaOf(this.table);
  }

  get clockInfo(): TscClockInfo {
    return this.clock.info;
  }

  /** Scans the windows and finds the first and last TSC of the trace. */
  async open(): Promise<void> {
    const fh = await openFile(this.path, "r");
    try {
      this.size = (await fh.stat()).size;
      this.layout = await scanWindows(fh, this.size);
      let min: bigint | null = null;
      for (const windows of this.layout.cpus.values()) {
        const t = await _firstTsc(fh, windows);
        if (t !== null && (min === null || t < min)) min = t;
      }
      if (min === null) return;
      this.base = { hi: Number(min >> 32n), lo: Number(min & 0xffffffffn), abs: this.clock.absNs(min) };
      this.first = this.base.abs;
      this.last = await this._lastNs(fh);
    } finally {
      await fh.close();
    }
    if (this.clock.info.cpuHzFrom === "default") {
      this.onIssue({
        severity: "warning",
        file: this.path,
        message: `xentrace records carry TSC cycles and no frequency: converting at xenalyze's default of ${this.clock.info.cpuHz / 1e9} GHz; give the traced host's TSC frequency (cpuHz, --cpu-hz) for true times`,
      });
    }
  }

  /** Counts of the last complete read of `batches`, or null before one. */
  stats(): XentraceStats | null {
    return this.lastStats;
  }

  async *batches(origin: bigint, host: number): AsyncIterable<SourceItem[]> {
    if (this.layout === null) throw new Error(`XentraceSource.open() must run before batches(): ${this.path}`);
    const layout = this.layout;
    const fh = await openFile(this.path, "r");
    const decoder = new RecordDecoder(this.table);
    const time: CursorTime = { clock: this.clock, baseHi: this.base.hi, baseLo: this.base.lo, baseTs: Number(this.base.abs - origin) };
    const report = (offset: number, message: string) => this.onIssue({ severity: "error", file: this.path, offset, message });
    const cursors = [...layout.cpus.entries()].map(([cpu, ws]) => new CpuCursor(cpu, ws, fh, decoder, time, host, report, this.size));
    let back = 0;
    let worstBack = 0;
    let firstBackOffset = -1;
    try {
      let active: CpuCursor[] = [];
      for (const c of cursors) {
        await c.fill();
        if (!c.done) active.push(c);
      }
      let batch: SourceItem[] = [];
      let lastTs = -Infinity;
      while (active.length > 0) {
        // The CPU with the smallest key runs until it passes the next-best one; on ties it keeps
        // going, as xenalyze favours the CPU it processed last.
        let best = active[0]!;
        let second = Infinity;
        for (let i = 1; i < active.length; i++) {
          const c = active[i]!;
          if (c.key < best.key) {
            second = best.key;
            best = c;
          } else if (c.key < second) second = c.key;
        }
        do {
          const at = best.offset;
          const item = best.take();
          if (item !== null) {
            const ts = "kind" in item ? item.start : item.ts;
            if (ts < lastTs) {
              if (back++ === 0) firstBackOffset = at;
              worstBack = Math.max(worstBack, lastTs - ts);
            } else lastTs = ts;
            batch.push(item);
            if (batch.length >= XENTRACE_BATCH) {
              yield batch;
              batch = [];
            }
          }
          if (best.needFill) await best.fill();
        } while (!best.done && best.key <= second);
        if (best.done) active = active.filter((c) => c !== best);
      }
      if (batch.length > 0) yield batch;
      if (layout.problem !== null) report(layout.problem.offset, `${layout.problem.message}; the windows before it are read`);
      if (back > 0) {
        this.onIssue({
          severity: "warning",
          file: this.path,
          offset: firstBackOffset,
          message: `${back} records have a TSC earlier than a record already delivered (at most ${worstBack} ns back; first at offset ${firstBackOffset}): the CPUs' TSCs are skewed or a TSC went back; they are delivered at their recorded time`,
        });
      }
      this.lastStats = _stats(layout, decoder, cursors, back);
    } finally {
      await fh.close();
    }
  }

  // --- internal ---

  /** ns (absolute) of the largest TSC in any CPU's last window. */
  private async _lastNs(fh: FileHandle): Promise<bigint | null> {
    const time: CursorTime = { clock: this.clock, baseHi: this.base.hi, baseLo: this.base.lo, baseTs: 0 };
    const decoder = new RecordDecoder(new Map());
    let max = -Infinity;
    for (const [cpu, ws] of this.layout!.cpus) {
      const c = new CpuCursor(cpu, ws.slice(-1), fh, decoder, time, 0, () => {}, this.size);
      for (await c.fill(); !c.done; ) {
        max = Math.max(max, c.key);
        c.take();
        if (c.needFill) await c.fill();
      }
    }
    return max === -Infinity ? null : this.base.abs + BigInt(this.clock.deltaToNs(max));
  }
}

// --- internal ---

/** The first TSC of a CPU: the first record that carries one, in its first windows. */
async function _firstTsc(fh: FileHandle, windows: readonly XenWindow[]): Promise<bigint | null> {
  const buf = new Uint8Array(4096);
  const dv = new DataView(buf.buffer);
  for (const w of windows) {
    const end = w.start + w.length;
    for (let at = w.start; at + 4 <= end; ) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - at), at);
      let p = 0;
      // Only whole records of this read; a record cut by the buffer is read again from its start.
      while (p + 4 <= bytesRead && p + recordSize(dv.getUint32(p, true)) <= bytesRead) {
        const hdr = dv.getUint32(p, true);
        if (hasTsc(hdr)) return (BigInt(dv.getUint32(p + 8, true)) << 32n) | BigInt(dv.getUint32(p + 4, true));
        p += recordSize(hdr);
      }
      if (p === 0) break;
      at += p;
    }
  }
  return null;
}

function _stats(layout: WindowLayout, decoder: RecordDecoder, cursors: readonly CpuCursor[], backwardSteps: number): XentraceStats {
  const byId = new Map<number, number>();
  const add = (id: number, n: number) => n > 0 && byId.set(id, (byId.get(id) ?? 0) + n);
  for (const cls of decoder.classes()) add(cls.id, cls.count);
  let records = layout.windowCount;
  let lossMarkers = 0;
  let lostRecords = 0;
  let corruptTsc = 0;
  const byCpu = new Map<number, number>();
  for (const c of cursors) {
    records += c.records;
    lossMarkers += c.lossMarkers;
    lostRecords += c.lostRecords;
    corruptTsc += c.badTsc;
    byCpu.set(c.cpu, c.records + (layout.cpus.get(c.cpu)?.length ?? 0));
    add(TRC_TRACE_WRAP_BUFFER, c.padding);
  }
  add(TRC_LOST_RECORDS, lossMarkers);
  add(TRC_TRACE_CPU_CHANGE, layout.windowCount);
  return { records, byId, byCpu, windows: layout.windowCount, lossMarkers, lostRecords, backwardSteps, corruptTsc };
}
