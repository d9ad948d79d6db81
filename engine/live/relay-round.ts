/**
 * The streams of one relay connection and one polling round over them: for every data stream
 * that has room, GET_NEXT_INDEX; then, as the reply says, fetch new metadata first, fetch the
 * packet, record an inactivity beacon, or hang the stream up.
 *
 * Contract: `run()` performs one round and resolves true when at least one packet arrived:
 * index requests for the streams with room, metadata if any reply asked for it, then the
 * packets.
 * A stream holds at most one queued packet beyond the one being decoded. Metadata is always
 * fetched before a packet that needs it (the relay flags it on the index reply; a packet reply
 * refused for missing metadata is retried once after fetching it). Times from indexes are
 * converted with the stream class's clock, exactly as event times are.
 */
import type { ReadIssue } from "../readers/source.js";
import type { LiveSink } from "./live-feed.js";
import type { LiveTrace } from "./live-trace.js";
import { NEED, type PacketCursor } from "./packet-cursor.js";
import type { PacketReply, RelayClient } from "./relay-client.js";
import type { StreamSet } from "./stream-set.js";
import { FLAG_NEW_METADATA, FLAG_NEW_STREAM, IndexStatus, MetadataStatus, PacketStatus, type ViewerIndex, type ViewerStream } from "./viewer-abi.js";

export interface RelayStreamState {
  stream: ViewerStream;
  trace: LiveTrace;
  cursor: PacketCursor;
  ended: boolean;
}

interface TraceEntry {
  live: LiveTrace;
  metadataStream: bigint | null;
  wantMetadata: boolean;
}

export class RelayRound {
  /** Set when a reply flagged new streams: the feed asks for them after the round. */
  needNewStreams = false;
  private readonly traces = new Map<bigint, TraceEntry>();
  private readonly streams: RelayStreamState[] = [];

  constructor(
    readonly client: RelayClient,
    private readonly set: StreamSet,
    private readonly sink: LiveSink,
    private readonly onIssue: (i: ReadIssue) => void,
  ) {}

  /** Data streams still open. */
  get streamCount(): number {
    return this.streams.filter((s) => !s.ended).length;
  }

  /** Registers streams from an attach or new-streams reply. */
  addStreams(list: ViewerStream[], newTrace: (ctfTraceId: bigint) => LiveTrace): void {
    for (const s of list) {
      let t = this.traces.get(s.ctfTraceId);
      if (t === undefined) this.traces.set(s.ctfTraceId, (t = { live: newTrace(s.ctfTraceId), metadataStream: null, wantMetadata: false }));
      if (s.metadata) {
        t.metadataStream = s.id;
        t.wantMetadata = true;
        continue;
      }
      if (this.streams.some((x) => x.stream.id === s.id)) continue;
      const cursor = this.set.addStream(t.live, `${this.client.where} stream ${s.id} (${s.pathName}/${s.channelName})`);
      this.streams.push({ stream: s, trace: t.live, cursor, ended: false });
    }
  }

  async run(): Promise<boolean> {
    let progressed = false;
    for (const t of this.traces.values()) if (t.wantMetadata) await this.fetchMetadata(t);
    // One request at a time. Pipelining them was measured 5x slower: the relay daemon's
    // socket does not disable Nagle, so its second small reply waits for our delayed ACK.
    const want = this.streams.filter((s) => !s.ended && (s.cursor.kind === NEED || s.cursor.queued === 0));
    const replies: ViewerIndex[] = [];
    for (const s of want) replies.push(await this.client.nextIndex(s.stream.id));
    const ready: Array<[RelayStreamState, ViewerIndex]> = [];
    for (let i = 0; i < want.length; i++) {
      const s = want[i]!;
      const ix = replies[i]!;
      const c = s.cursor;
      const entry = this.traces.get(s.stream.ctfTraceId)!;
      if (ix.flags & FLAG_NEW_METADATA) entry.wantMetadata = true;
      if (ix.flags & FLAG_NEW_STREAM) this.needNewStreams = true;
      switch (ix.status) {
        case IndexStatus.OK:
          ready.push([s, ix]);
          break;
        case IndexStatus.INACTIVE: {
          const ns = this.relNs(s.trace, ix, ix.timestampEnd);
          if (ns !== null) c.beacon(ns);
          break;
        }
        case IndexStatus.RETRY:
          break;
        case IndexStatus.HUP:
        case IndexStatus.EOF:
          s.ended = true;
          c.hangUp();
          break;
        default:
          this.onIssue({ severity: "error", file: c.label, message: `the relay daemon cannot index this stream (status ${ix.status}); it is left out from now on` });
          s.ended = true;
          c.hangUp();
      }
    }
    // Metadata a packet needs is always fetched before the packet.
    for (const t of this.traces.values()) if (t.wantMetadata) await this.fetchMetadata(t);
    const packets: PacketReply[] = [];
    for (const [s, ix] of ready) packets.push(await this.client.packet(s.stream.id, ix.offset, Number(ix.packetSize / 8n)));
    for (let i = 0; i < ready.length; i++) {
      const [s, ix] = ready[i]!;
      if (await this.takePacket(s, this.traces.get(s.stream.ctfTraceId)!, ix, packets[i]!)) progressed = true;
    }
    return progressed;
  }

  // --- internal ---

  /** Queues a fetched packet (asking once more after new metadata when the relay said so). */
  private async takePacket(s: RelayStreamState, entry: TraceEntry, ix: ViewerIndex, first: PacketReply): Promise<boolean> {
    const len = Number(ix.packetSize / 8n);
    let pkt = first;
    if (pkt.status !== PacketStatus.OK && pkt.flags & FLAG_NEW_METADATA) {
      await this.fetchMetadata(entry);
      pkt = await this.client.packet(s.stream.id, ix.offset, len);
    }
    if (pkt.status === PacketStatus.OK && pkt.data !== null) {
      const end = this.relNs(s.trace, ix, ix.timestampEnd);
      s.cursor.push({ bytes: pkt.data, offset: Number(ix.offset) }, end);
      return true;
    }
    if (pkt.status === PacketStatus.EOF) {
      s.ended = true;
      s.cursor.hangUp();
    } else {
      this.onIssue({ severity: "error", file: s.cursor.label, offset: Number(ix.offset), message: `the relay daemon could not send this packet (status ${pkt.status}); it is skipped` });
    }
    return false;
  }

  /** ns relative to the origin of a raw clock value of an index (fixes the origin if needed). */
  private relNs(live: LiveTrace, ix: ViewerIndex, raw: bigint): number | null {
    const rs = live.streamClass(Number(ix.streamClassId));
    if (rs === undefined || raw === 0n) return null;
    if (this.set.origin === null) {
      const abs = live.absNs(rs, ix.status === IndexStatus.OK ? ix.timestampBegin : raw);
      if (abs === null) return null;
      this.set.fixOrigin(abs, this.sink);
    }
    const conv = live.converter(rs);
    return conv === null ? null : conv.relNs(live.runningClock(raw));
  }

  private async fetchMetadata(t: TraceEntry): Promise<void> {
    t.wantMetadata = false;
    if (t.metadataStream === null) return;
    for (let i = 0; i < 10_000; i++) {
      const r = await this.client.metadata(t.metadataStream);
      if (r.status === MetadataStatus.OK && r.data.length > 0) {
        t.live.addMetadata(r.data);
        continue;
      }
      if (r.status === MetadataStatus.ERR) this.onIssue({ severity: "error", file: t.live.label, message: "the relay daemon could not send the metadata" });
      break;
    }
    if (t.live.error !== null && t.live.trace === null) this.onIssue({ severity: "warning", file: t.live.label, message: t.live.error });
  }
}
