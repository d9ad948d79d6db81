/**
 * One data stream of a trace — one file, or the rotated files of one stream (`chan_0_0`,
 * `chan_0_1`…) read as one — walked packet by packet, event by event (babeltrace's msg-iter).
 *
 * Contract: after `start()` and after each `emit()`, `kind` says what comes next: an event
 * (its header decoded, its time in `key`), a loss marker (`key` = its start), or the end.
 * `emitUntil` decodes pending events' contexts and payloads into pooled objects and appends
 * them (and markers) to a batch until another stream's item comes first. Bad data never
 * throws: the packet (or, when the next packet cannot be found, the rest of the file) is
 * skipped with a located `ReadIssue`, and everything decoded before it has been delivered.
 */
import type { Fields, LossMarker, TraceEvent } from "../../model/event.js";
import type { ReadIssue, SourceItem } from "../source.js";
import type { ClockConverter } from "./clock-convert.js";
import type { CompiledEventClass } from "./compile-class.js";
import { DecodeError, DecodeState } from "./decode-state.js";
import type { EventPool } from "./event-pool.js";
import { lossesBetween } from "./packet-losses.js";
import type { PacketInfo } from "./packet-reader.js";
import { PacketWalker } from "./packet-walker.js";
import { eventClassById, type CompiledTrace, type RuntimeStreamClass } from "./trace-runtime.js";

/** `StreamCursor.kind`: nothing left. */
export const END = 0;
/** `StreamCursor.kind`: an event is pending. */
export const EVENT = 1;
/** `StreamCursor.kind`: a loss marker is pending. */
export const LOSS = 2;

/** What a cursor shares with the other cursors of one read. */
export interface CursorEnv {
  trace: CompiledTrace;
  /** Clock converters per stream class; null while peeking at open (no times, no markers). */
  clockFor: ((rs: RuntimeStreamClass) => ClockConverter | null) | null;
  pool: EventPool | null;
  host: number;
  onIssue: (issue: ReadIssue) => void;
  /** When set, each emitted event is mapped to a copy of its packet's context (text output). */
  packets?: Map<TraceEvent, Fields> | null;
}

/** The read position in one stream, one pending item ahead. */
export class StreamCursor {
  kind = END;
  /** ns relative to the origin of the pending item (0 while peeking). */
  key = 0;
  /** Running clock of the pending event (valid while peeking too). */
  clk = 0;
  private readonly st: DecodeState;
  private readonly walker: PacketWalker;
  private pkt: PacketInfo | null = null;
  /** `cpu_id` of the current packet, or -1. */
  private cpu = -1;
  private prev: PacketInfo | null = null;
  private p = 0;
  private evStart = 0;
  private contentEnd = 0;
  private cls: CompiledEventClass | null = null;
  private conv: ClockConverter | null = null;
  private readonly losses: LossMarker[] = [];
  private lastKey = -Infinity;
  private warnedOrder = false;
  /** Copy of the current packet's context, kept only when `env.packets` asks for it. */
  private pcCopy: Fields | null = null;

  constructor(
    private readonly env: CursorEnv,
    files: string[],
    /** Position of the stream in the trace: breaks timestamp ties, so merges are deterministic. */
    readonly rank = 0,
  ) {
    this.st = new DecodeState(env.trace.base);
    if (env.trace.packetHeader) this.st.ph = env.trace.packetHeader.make();
    this.walker = new PacketWalker(env.trace, this.st, files, (severity, bitPos, message) => this.issue(severity, bitPos, message));
  }

  /** Positions on the first item. */
  start(): void {
    this.advance();
  }

  /** True when this cursor's pending item comes before `o`'s in merge order. */
  before(o: StreamCursor): boolean {
    return this.key < o.key || (this.key === o.key && this.rank < o.rank);
  }

  /**
   * Appends pending items to `out` while they come before `limit`'s (the next stream in merge
   * order; null when there is none) and `out` holds fewer than `max`; at least one item is
   * taken. Corrupt events are reported and dropped.
   */
  emitUntil(out: SourceItem[], limit: StreamCursor | null, max: number): void {
    const pool = this.env.pool as EventPool;
    const host = this.env.host;
    const st = this.st;
    const limitKey = limit === null ? Infinity : limit.key;
    const limitRank = limit === null ? Infinity : limit.rank;
    do {
      if (this.kind === EVENT && this.losses.length === 0 && this.conv !== null) {
        // The common case: a run of events of one packet, decoded with the state in locals.
        if (this.run(out, limitKey, this.rank < limitRank, max, pool, host)) continue;
        return;
      }
      if (this.kind === EVENT) {
        const cls = this.cls as CompiledEventClass;
        const ev = pool.take(cls);
        let p: number;
        try {
          p = cls.decode(st, this.p, ev);
          if (p > this.contentEnd) throw new DecodeError(`Event \`${cls.name}\` ends ${p - this.contentEnd} bits past the packet content`, this.evStart);
        } catch (e) {
          this.fault(e, this.evStart);
          this.advance();
          continue;
        }
        ev.ts = this.key;
        ev.cpu = this.cpu;
        ev.host = host;
        out.push(ev);
        if (this.env.packets) this.env.packets.set(ev, this.pcCopy as Fields);
        this.p = p;
        // Fast path: the next event of the same packet.
        if (p < this.contentEnd && this.losses.length === 0) {
          if (!this.readHeader()) this.advance();
          continue;
        }
      } else if (this.kind === LOSS) {
        out.push(this.losses.shift() as LossMarker);
      } else return;
      this.advance();
    } while (out.length < max && (this.key < limitKey || (this.key === limitKey && this.rank < limitRank)));
  }

  /** Stream class of the current packet (null before the first packet or after the end). */
  /** Bytes of the stream's files before its pending item. */
  get bytesRead(): number {
    return this.walker.bytesBefore(this.p);
  }

  get streamClass(): RuntimeStreamClass | null {
    return this.pkt?.rs ?? null;
  }

  /** Releases the file. */
  close(): void {
    this.walker.close();
  }

  // --- internal ---

  /**
   * Decodes the pending event and the ones after it in the same packet while they come before
   * (`limitKey`, tie allowed when `tieOk`) and `out` has room. Returns true when it stopped at
   * something the general loop must handle (end of packet, a bad event), false when the batch
   * is full or another stream's item comes first — in both cases with the cursor's state
   * (`p`, `cls`, `key`, `kind`) saved as `readHeader` and `advance` leave it.
   */
  private run(out: SourceItem[], limitKey: number, tieOk: boolean, max: number, pool: EventPool, host: number): boolean {
    const st = this.st;
    const rs = (this.pkt as PacketInfo).rs;
    const header = rs.eventHeader;
    const eh = st.eh;
    const byId = rs.byId;
    const conv = this.conv as ClockConverter;
    const end = this.contentEnd;
    const cpu = this.cpu;
    const packets = this.env.packets ?? null;
    const pcCopy = this.pcCopy as Fields;
    let cls = this.cls as CompiledEventClass;
    let key = this.key;
    let p = this.p;
    let evStart = this.evStart;
    let lastKey = this.lastKey;
    try {
      for (;;) {
        const ev = pool.take(cls);
        const q = cls.decode(st, p, ev);
        if (q > end) throw new DecodeError(`Event \`${cls.name}\` ends ${q - end} bits past the packet content`, evStart);
        ev.ts = key;
        ev.cpu = cpu;
        ev.host = host;
        out.push(ev);
        if (packets !== null) packets.set(ev, pcCopy);
        p = q;
        if (p >= end) {
          this.p = p;
          this.lastKey = lastKey;
          this.advance();
          return true;
        }
        // The next event's header, as `readHeader` decodes it.
        evStart = p;
        if (header !== null) p = header.decode(st, p, eh);
        const id = st.id;
        const next = typeof id === "number" && id < 65536 ? byId[id] : eventClassById(rs, id);
        if (next === undefined) throw _noClass(rs, id, evStart);
        if (p > end) throw _headerCut(evStart);
        cls = next;
        key = conv.relNs(st.clk);
        if (key < lastKey && !this.warnedOrder) {
          this.warnedOrder = true;
          this.issue("warning", evStart, "Event timestamps go backwards in this stream; later stages reorder within their window");
        }
        lastKey = key;
        if (out.length >= max || !(key < limitKey || (key === limitKey && tieOk))) break;
      }
    } catch (e) {
      this.fault(e, evStart);
      this.lastKey = lastKey;
      this.advance();
      return true;
    }
    this.p = p;
    this.evStart = evStart;
    this.cls = cls;
    this.key = key;
    this.lastKey = lastKey;
    this.clk = st.clk;
    return false;
  }

  private advance(): void {
    for (;;) {
      if (this.losses.length > 0) {
        this.kind = LOSS;
        this.key = this.losses[0].start;
        return;
      }
      if (this.pkt !== null && this.p < this.contentEnd) {
        if (this.readHeader()) return;
        continue;
      }
      if (!this.nextPacket()) {
        this.kind = END;
        this.close();
        return;
      }
    }
  }

  /** Decodes the next event header; false when the packet had to be abandoned. */
  private readHeader(): boolean {
    const pkt = this.pkt as PacketInfo;
    const rs = pkt.rs;
    this.evStart = this.p;
    try {
      const p = rs.eventHeader === null ? this.p : rs.eventHeader.decode(this.st, this.p, this.st.eh);
      const cls = eventClassById(rs, this.st.id);
      if (cls === undefined) throw _noClass(rs, this.st.id, this.evStart);
      if (p > this.contentEnd) throw _headerCut(this.evStart);
      this.p = p;
      this.cls = cls;
    } catch (e) {
      this.fault(e, this.evStart);
      return false;
    }
    this.clk = this.st.clk;
    this.kind = EVENT;
    if (this.conv !== null) {
      this.key = this.conv.relNs(this.st.clk);
      if (this.key < this.lastKey && !this.warnedOrder) {
        this.warnedOrder = true;
        this.issue("warning", this.evStart, "Event timestamps go backwards in this stream; later stages reorder within their window");
      }
      this.lastKey = this.key;
    }
    return true;
  }

  /** Moves to the next packet; false at the end of the stream. */
  private nextPacket(): boolean {
    this.pkt = null;
    const placed = this.walker.next();
    if (placed === null) return false;
    const info = placed.info;
    this.p = placed.p;
    this.contentEnd = placed.contentEnd;
    const conv = (this.conv = this.env.clockFor === null ? null : this.env.clockFor(info.rs));
    if (conv !== null && this.prev !== null) {
      this.losses.push(...lossesBetween(this.prev, info, (clk) => (clk === null ? this.key : conv.relNs(clk)), this.env.host));
    }
    this.prev = info;
    this.pkt = info;
    this.cpu = info.cpu;
    if (this.env.packets) this.pcCopy = { ...this.st.pc };
    return true;
  }

  /** Reports a bad event and abandons the rest of its packet. */
  private fault(e: unknown, bitPos: number): void {
    if (!(e instanceof DecodeError) && !(e instanceof RangeError)) throw e;
    // In a packet already reported as truncated, the event cut by the end of file is expected.
    if (this.pkt?.truncated === true) {
      this.pkt = null;
      return;
    }
    const msg = e instanceof DecodeError ? e.message : "Data ends in the middle of a field";
    this.issue("error", e instanceof DecodeError && e.bitPos > 0 ? e.bitPos : bitPos, `${msg}; the rest of this packet is skipped`);
    this.pkt = null;
  }

  private issue(severity: ReadIssue["severity"], bitPos: number, message: string): void {
    this.env.onIssue({ severity, ...this.walker.locate(bitPos), message });
  }
}

function _noClass(rs: RuntimeStreamClass, id: number | bigint, evStart: number): DecodeError {
  return new DecodeError(`No event class with id ${id} in stream class ${rs.sc.id}`, evStart);
}

function _headerCut(evStart: number): DecodeError {
  return new DecodeError("Event header crosses the end of the packet content", evStart);
}
