/**
 * One physical CPU's record stream: the concatenation of its windows (`scan-windows.ts`),
 * read with positioned reads into a private buffer, as xenalyze keeps one file offset per CPU.
 *
 * Contract: after `fill()` resolves, either `done` is set or a whole record is buffered and
 * `key` is its order key in TSC cycles relative to the trace's base TSC: its own TSC; for a
 * record without one, the TSC of the CPU's previous record (it inherits it, as in xenalyze);
 * for a lost-records record, the TSC of the first lost record (xenalyze orders it there).
 * `take()` consumes the buffered record and returns its event, its loss marker, or null for
 * records that are not events (padding); when it leaves `needFill` set, call `fill()` before
 * reading `key` again. A record cut by the end of its window or of the file is reported once
 * through `onProblem` with its file offset and skipped; reading goes on with the next window.
 */
import type { FileHandle } from "node:fs/promises";
import type { SourceItem } from "../source.js";
import { TRC_LOST_RECORDS, TRC_TRACE_WRAP_BUFFER, recordSize, type RecordDecoder } from "./decode-records.js";
import type { XenWindow } from "./scan-windows.js";
import type { TscClock } from "./tsc-clock.js";

/** Shared by the cursors of one trace: where TSCs are measured from and how they become ns. */
export interface CursorTime {
  clock: TscClock;
  /** Base TSC split in 32-bit halves, so deltas stay in doubles. */
  baseHi: number;
  baseLo: number;
  /** ns of the base TSC relative to the run's origin. */
  baseTs: number;
}

/** The record stream of one physical CPU, merged with the others by `source.ts`. */
export class CpuCursor {
  done = false;
  needFill = true;
  /** Order key of the buffered record (cycles since the base TSC). */
  key = 0;
  /** Records taken, including padding and lost-records records. */
  records = 0;
  /** Loss markers produced and the records they account for. */
  lossMarkers = 0;
  lostRecords = 0;
  /** `wrap_buffer` padding records skipped. */
  padding = 0;
  /** Records whose TSC was impossible (corrupt), given the previous TSC instead. */
  badTsc = 0;

  private buf = new Uint8Array(_BUFFER);
  private dv = new DataView(this.buf.buffer);
  private pos = 0;
  private end = 0;
  private window = -1;
  private winNext = 0;
  private winEnd = 0;
  private hdr = 0;
  private size = 0;
  private lastDelta = 0;
  private nextDelta = 0;

  constructor(
    readonly cpu: number,
    private readonly windows: readonly XenWindow[],
    private readonly fh: FileHandle,
    private readonly decoder: RecordDecoder,
    private readonly time: CursorTime,
    private readonly host: number,
    private readonly onProblem: (offset: number, message: string) => void,
    private readonly fileSize: number,
  ) {}

  /** File offset of the buffered record. */
  get offset(): number {
    return this.winNext - (this.end - this.pos);
  }

  /** Buffers the next whole record (reading the file as needed) or sets `done`. */
  async fill(): Promise<void> {
    for (;;) {
      if (this._ready()) return;
      const left = this.winEnd - this.winNext;
      if (left > 0) {
        await this._read(left);
        continue;
      }
      if (this.window >= 0) this._finishWindow();
      if (++this.window >= this.windows.length) {
        this.done = true;
        this.needFill = false;
        return;
      }
      const w = this.windows[this.window]!;
      this.winNext = w.start;
      this.winEnd = w.start + w.length;
      this.pos = this.end = 0;
    }
  }

  /** Consumes the buffered record; see the module contract. */
  take(): SourceItem | null {
    const dv = this.dv;
    const hdr = this.hdr;
    const id = hdr & 0x0fffffff;
    const n = (hdr >>> 28) & 7;
    const data = this.pos + 4 + (hdr >>> 31) * 8;
    if (hdr >>> 31 === 1) this.lastDelta = this.nextDelta;
    this.records++;
    let item: SourceItem | null = null;
    if (id === TRC_LOST_RECORDS && n >= 4) {
      const t = this.time;
      const count = dv.getUint32(data, true);
      this.lossMarkers++;
      this.lostRecords += count;
      item = { kind: "loss", host: this.host, cpu: this.cpu, start: t.baseTs + t.clock.deltaToNs(this.key), end: t.baseTs + t.clock.deltaToNs(this.lastDelta), count };
    } else if (id === TRC_TRACE_WRAP_BUFFER) {
      this.padding++;
    } else {
      const cls = this.decoder.classOf(id, n);
      cls.count++;
      const t = this.time;
      item = { name: cls.name, ts: t.baseTs + t.clock.deltaToNs(this.lastDelta), cpu: this.cpu, host: this.host, fields: cls.read(dv, data, n), context: null };
    }
    this.pos += this.size;
    this.needFill = !this._ready();
    return item;
  }

  // --- internal ---

  /** Parses the header at `pos` when the whole record is buffered; sets `key`. */
  private _ready(): boolean {
    const avail = this.end - this.pos;
    if (avail < 4) return false;
    const dv = this.dv;
    const hdr = dv.getUint32(this.pos, true);
    const size = recordSize(hdr);
    if (avail < size) return false;
    this.hdr = hdr;
    this.size = size;
    if (hdr >>> 31 === 1) {
      this.nextDelta = this._delta(this.pos + 4);
      // A lost-records record sorts at its first lost TSC (words 2-3 of its data).
      this.key = (hdr & 0x0fffffff) === TRC_LOST_RECORDS && ((hdr >>> 28) & 7) >= 4 ? this._delta(this.pos + 20) : this.nextDelta;
    } else {
      this.key = this.lastDelta;
    }
    this.needFill = false;
    return true;
  }

  /**
   * Cycles from the base TSC to the TSC at `at`. A TSC 2^53 cycles (43 days at 2.4 GHz) away
   * from the base cannot be real; it is corrupt data: say so once and keep the previous TSC.
   */
  private _delta(at: number): number {
    const lo = this.dv.getUint32(at, true);
    const hi = this.dv.getUint32(at + 4, true);
    const d = (hi - this.time.baseHi) * 4294967296 + (lo - this.time.baseLo);
    if (d > -_MAX_DELTA && d < _MAX_DELTA) return d;
    if (this.badTsc++ === 0) {
      const tsc = (BigInt(hi) << 32n) | BigInt(lo);
      this.onProblem(this.offset, `record at offset ${this.offset} on cpu ${this.cpu} has TSC ${tsc}, more than 2^53 cycles from the trace's first TSC: the record is corrupt; it keeps the previous TSC (later ones on this CPU are counted, not reported)`);
    }
    return this.lastDelta;
  }

  /** Moves the unread tail to the front and appends up to `left` bytes of the window. */
  private async _read(left: number): Promise<void> {
    const tail = this.end - this.pos;
    if (this.pos > 0) this.buf.copyWithin(0, this.pos, this.end);
    this.pos = 0;
    this.end = tail;
    const want = Math.min(left, this.buf.length - tail);
    const { bytesRead } = await this.fh.read(this.buf, tail, want, this.winNext);
    if (bytesRead === 0) {
      // The file shrank under us: treat the rest of the window as missing.
      this.winEnd = this.winNext;
      return;
    }
    this.end += bytesRead;
    this.winNext += bytesRead;
  }

  /**
   * The window is used up. A partial record left at its end, or a window the file ends inside,
   * is reported once with its offset; the partial bytes are dropped.
   */
  private _finishWindow(): void {
    const w = this.windows[this.window]!;
    const avail = this.end - this.pos;
    if (avail === 0) {
      if (w.declared > w.length) {
        const at = w.start + w.length;
        this.onProblem(at, `the file ends at offset ${at}, inside cpu ${this.cpu}'s window (header at ${w.header} announced ${w.declared} bytes, ${w.length} present): the trace is truncated; records before it are kept`);
      }
      return;
    }
    const at = this.offset;
    const need = avail >= 4 ? recordSize(this.dv.getUint32(this.pos, true)) : 4;
    const fileEnds = w.start + w.declared > this.fileSize;
    const why = fileEnds
      ? `the file ends after ${avail} of its ${need} bytes: the trace is truncated (cpu ${this.cpu}'s window at ${w.header} announced ${w.declared} bytes)`
      : `it needs ${need} bytes but cpu ${this.cpu}'s window (header at ${w.header}, ${w.declared} bytes) ends after ${avail}: the window is corrupt`;
    this.onProblem(at, `record at offset ${at} is cut short: ${why}; records before it are kept`);
    this.pos = this.end;
  }
}

/** Largest |TSC − base TSC| taken as real: beyond it, doubles lose cycles. */
const _MAX_DELTA = 2 ** 53;

/** Per-CPU read buffer; any size above the 40-byte largest record works. */
const _BUFFER = 256 * 1024;
