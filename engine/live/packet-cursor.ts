/**
 * One live stream as a cursor over whole packets held in memory (what a relay daemon's
 * GET_PACKET returns, or what a growing stream file has completed), decoded event by event
 * with the CTF reader's compiled decoders — the in-memory twin of the CTF reader's file-based
 * `StreamCursor`.
 *
 * Contract: after `push`, `beacon` or `emitUntil`, `kind` says what comes next: an event or a
 * loss marker whose time is `key`, `NEED` (no packet queued: the stream blocks the merge at
 * `horizon`) or `ENDED`. `horizon` only grows: this stream holds no event older than it beyond
 * what is queued. Events are taken from the caller's pool when appended (valid until the
 * pool cycles). A bad packet or event is reported (stream label and byte offset) and skipped;
 * nothing throws for bad data.
 */
import type { LossMarker } from "../model/event.js";
import type { ReadIssue, SourceItem } from "../readers/source.js";
import type { ClockConverter } from "../readers/ctf/clock-convert.js";
import type { CompiledEventClass } from "../readers/ctf/compile-class.js";
import { DecodeError, DecodeState } from "../readers/ctf/decode-state.js";
import type { EventPool } from "../readers/ctf/event-pool.js";
import { lossesBetween } from "../readers/ctf/packet-losses.js";
import { readPacketPreamble, type PacketInfo } from "../readers/ctf/packet-reader.js";
import { eventClassById, type RuntimeStreamClass } from "../readers/ctf/trace-runtime.js";
import type { Fields } from "../model/event.js";
import type { LiveTrace } from "./live-trace.js";

export const NEED = 0;
export const EVENT = 1;
export const LOSS = 2;
export const ENDED = 3;

/** Where a packet came from, for issues: its byte offset in the stream. */
export interface QueuedPacket {
  bytes: Uint8Array;
  offset: number;
}

export class PacketCursor {
  kind = NEED;
  key = 0;
  /** No future event of this stream is older than this (ns relative to the origin). */
  horizon = Number.NEGATIVE_INFINITY;
  /** Set by the medium when no more packets will come; the cursor ends once drained. */
  hungUp = false;
  /**
   * Set by a medium without inactivity beacons (a growing directory) when the stream has not
   * grown for a while: it then stops blocking the merge; data it sends later may come out late.
   */
  idle = false;
  /** Packets decoded, and events delivered (for the live view and tests). */
  packets = 0;
  events = 0;
  private readonly queue: QueuedPacket[] = [];
  private st: DecodeState;
  private version = -1;
  private pool: EventPool | null = null;
  private pkt: PacketInfo | null = null;
  private prev: PacketInfo | null = null;
  private cur: QueuedPacket | null = null;
  private p = 0;
  private evStart = 0;
  private contentEnd = 0;
  private cls: CompiledEventClass | null = null;
  private conv: ClockConverter | null = null;
  private cpu = -1;
  private readonly losses: LossMarker[] = [];
  private readonly pcObjects = new Map<RuntimeStreamClass, Fields>();

  constructor(
    readonly live: LiveTrace,
    /** `relay stream 7 (channel0_1)`, or a file path: names the stream in issues. */
    readonly label: string,
    /** Tie-break among streams with equal timestamps: merges are deterministic. */
    readonly rank: number,
    private readonly host: number,
    private readonly onIssue: (issue: ReadIssue) => void,
  ) {
    this.st = new DecodeState(live.base);
  }

  /** Queues a whole packet; `endNs` (relative), when known, raises the horizon. */
  push(packet: QueuedPacket, endNs: number | null): void {
    this.queue.push(packet);
    this.idle = false;
    if (endNs !== null && endNs > this.horizon) this.horizon = endNs;
    if (this.kind === NEED) this.advance();
  }

  /** An inactivity beacon: no event before `ns` (relative) will come from this stream. */
  beacon(ns: number): void {
    if (ns > this.horizon) this.horizon = ns;
  }

  /** No more packets: the stream ends once what is queued is delivered. */
  hangUp(): void {
    this.hungUp = true;
    if (this.kind === NEED) this.kind = ENDED;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** True when this cursor's pending item comes before `o`'s. */
  before(o: PacketCursor): boolean {
    return this.key < o.key || (this.key === o.key && this.rank < o.rank);
  }

  /**
   * Appends items while they come before (`limitKey`, `limitRank`) and `out` holds fewer than
   * `max`; at least one item is taken when one is pending.
   */
  emitUntil(out: SourceItem[], limitKey: number, limitRank: number, max: number): void {
    const st = this.st;
    const pool = this.pool as EventPool;
    while (this.kind === EVENT || this.kind === LOSS) {
      if (this.kind === EVENT) {
        const cls = this.cls as CompiledEventClass;
        const ev = pool.take(cls);
        let p: number;
        try {
          p = cls.decode(st, this.p, ev);
          if (p > this.contentEnd) throw new DecodeError(`Event \`${cls.name}\` ends ${p - this.contentEnd} bits past the packet content`, this.evStart);
          ev.ts = this.key;
          ev.cpu = this.cpu;
          ev.host = this.host;
          out.push(ev);
          this.events++;
          this.p = p;
        } catch (e) {
          this.fault(e, this.evStart);
        }
      } else {
        out.push(this.losses.shift() as LossMarker);
      }
      this.advance();
      if (out.length >= max) return;
      if (!(this.key < limitKey || (this.key === limitKey && this.rank < limitRank))) return;
    }
  }

  // --- internal ---

  private advance(): void {
    for (;;) {
      if (this.losses.length > 0) {
        this.kind = LOSS;
        this.key = this.losses[0]!.start;
        return;
      }
      if (this.pkt !== null && this.p < this.contentEnd) {
        if (this.readHeader()) return;
        continue;
      }
      if (!this.nextPacket()) {
        this.kind = this.hungUp ? ENDED : NEED;
        return;
      }
    }
  }

  /** Decodes the next event header; false when the rest of the packet had to be dropped. */
  private readHeader(): boolean {
    const rs = (this.pkt as PacketInfo).rs;
    this.evStart = this.p;
    try {
      const p = rs.eventHeader === null ? this.p : rs.eventHeader.decode(this.st, this.p, this.st.eh);
      const cls = eventClassById(rs, this.st.id);
      if (cls === undefined) throw new DecodeError(`No event class with id ${this.st.id} in stream class ${rs.sc.id}`, this.evStart);
      if (p > this.contentEnd) throw new DecodeError("Event header crosses the end of the packet content", this.evStart);
      this.p = p;
      this.cls = cls;
    } catch (e) {
      this.fault(e, this.evStart);
      return false;
    }
    this.kind = EVENT;
    if (this.conv !== null) this.key = this.conv.relNs(this.st.clk);
    return true;
  }

  private nextPacket(): boolean {
    this.pkt = null;
    const q = this.queue.shift();
    if (q === undefined) return false;
    const trace = this.live.trace;
    if (trace === null) {
      this.report("error", q, 0, "Packet received before any metadata that compiles; skipped");
      return this.nextPacket();
    }
    if (this.version !== this.live.version) {
      // New metadata: new decoders and output objects (the old ones keep their shapes).
      this.version = this.live.version;
      this.st = new DecodeState(this.live.base);
      this.pool = this.live.pool;
      if (trace.packetHeader) this.st.ph = trace.packetHeader.make();
      this.pcObjects.clear();
    }
    const st = this.st;
    this.cur = q;
    st.setBuffer(q.bytes);
    st.end = q.bytes.length * 8;
    let info: PacketInfo;
    try {
      info = readPacketPreamble(trace, st, 0, q.bytes.length, q.offset, (rs) => this.pcObject(rs));
    } catch (e) {
      if (!(e instanceof DecodeError) && !(e instanceof RangeError)) throw e;
      this.report("error", q, 0, `${e instanceof DecodeError ? e.message : "Packet header cut short"}; packet skipped`);
      return this.nextPacket();
    }
    this.contentEnd = Math.min(info.contentBits, q.bytes.length * 8);
    st.end = this.contentEnd;
    this.p = info.eventsBits;
    this.conv = this.live.converter(info.rs);
    const conv = this.conv;
    if (conv !== null && this.prev !== null && this.prev.rs.sc.id === info.rs.sc.id) {
      this.losses.push(...lossesBetween(this.prev, info, (clk) => (clk === null ? this.key : conv.relNs(clk)), this.host));
    }
    if (conv !== null && info.endClk !== null) {
      const end = conv.relNs(info.endClk);
      if (end > this.horizon) this.horizon = end;
    }
    this.prev = info;
    this.pkt = info;
    this.cpu = info.cpu;
    this.packets++;
    return true;
  }

  private fault(e: unknown, bitPos: number): void {
    if (!(e instanceof DecodeError) && !(e instanceof RangeError)) throw e;
    const msg = e instanceof DecodeError ? e.message : "Data ends in the middle of a field";
    this.report("error", this.cur, e instanceof DecodeError && e.bitPos > 0 ? e.bitPos : bitPos, `${msg}; the rest of this packet is skipped`);
    this.pkt = null;
  }

  private report(severity: ReadIssue["severity"], q: QueuedPacket | null, bitPos: number, message: string): void {
    this.onIssue({ severity, file: this.label, offset: (q?.offset ?? 0) + Math.floor(bitPos / 8), message });
  }

  private pcObject(rs: RuntimeStreamClass): Fields {
    let o = this.pcObjects.get(rs);
    if (o === undefined) this.pcObjects.set(rs, (o = (rs.packetContext as NonNullable<RuntimeStreamClass["packetContext"]>).make()));
    return o;
  }
}
