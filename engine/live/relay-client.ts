/**
 * The live viewer protocol's commands over one `RelayConnection`: handshake, list sessions,
 * create the viewer session, attach, get metadata, next index, packet, new streams, detach.
 *
 * Contract: each method sends its command at once and reads its whole reply as one unit, so
 * calls may be pipelined (issued before earlier ones settle) and replies pair up in order. Protocol-level refusals come back as
 * statuses (the caller decides); a reply that contradicts the protocol rejects with a
 * `RelayError` of code "protocol", a lost connection with "closed" or "timeout".
 */
import { RelayConnection, RelayError } from "./relay-connection.js";
import {
  Cmd, CreateSessionStatus, MetadataStatus, PacketStatus, Seek, Size, VIEWER_MAJOR, VIEWER_MINOR,
  decodeConnect, decodeIndex, decodeMetadataHeader, decodePacketHeader, decodeSession, decodeStatusCount, decodeStream, decodeU32,
  encodeAttach, encodeCommand, encodeConnect, encodeGetPacket, encodeU64Command,
  type ViewerIndex, type ViewerSession, type ViewerStream,
} from "./viewer-abi.js";

/** Largest packet or metadata chunk accepted (the CTF reader's own packet limit). */
const MAX_REPLY_BYTES = 1 << 27;

export type PacketReply =
  | { status: typeof PacketStatus.OK; data: Uint8Array; flags: number }
  | { status: number; data: null; flags: number };

export class RelayClient {
  /** Protocol version in use (the lower of the relay's and ours). */
  minor = 0;
  viewerSessionId = 0n;

  private constructor(private readonly conn: RelayConnection) {}

  /** Connects and performs the version handshake. */
  static async connect(host: string, port: number, timeoutMs = 10_000): Promise<RelayClient> {
    const conn = await RelayConnection.open(host, port, timeoutMs);
    const c = new RelayClient(conn);
    try {
      conn.write(encodeConnect());
      const r = decodeConnect(await conn.read(Size.CONNECT));
      if (r.major !== VIEWER_MAJOR) {
        throw new RelayError(`${conn.where}: speaks live protocol ${r.major}.${r.minor}, this viewer ${VIEWER_MAJOR}.x`, "protocol");
      }
      c.minor = Math.min(r.minor, VIEWER_MINOR);
      c.viewerSessionId = r.viewerSessionId;
      return c;
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  get where(): string {
    return this.conn.where;
  }

  get closed(): boolean {
    return this.conn.closed;
  }

  async listSessions(): Promise<ViewerSession[]> {
    this.conn.write(encodeCommand(Cmd.LIST_SESSIONS));
    let count = 0;
    const { body } = await this.conn.readFramed(Size.COUNT, (h) => {
      count = decodeU32(h);
      return Math.min(count, 100_000) * Size.SESSION;
    });
    if (count > 100_000) throw this.protocol(`lists ${count} sessions`);
    const out: ViewerSession[] = [];
    for (let i = 0; i < count; i++) out.push(decodeSession(body.subarray(i * Size.SESSION, (i + 1) * Size.SESSION)));
    return out;
  }

  /** Creates this connection's viewer session (needed once before attaching). */
  async createViewerSession(): Promise<void> {
    this.conn.write(encodeCommand(Cmd.CREATE_SESSION));
    const status = decodeU32(await this.conn.read(Size.STATUS));
    if (status !== CreateSessionStatus.OK) throw new RelayError(`${this.where}: refused to create a viewer session (status ${status})`, "protocol");
  }

  /** Attaches to a relay session; `streams` is empty unless `status` is OK. */
  async attach(sessionId: bigint, seek: number = Seek.LAST): Promise<{ status: number; streams: ViewerStream[] }> {
    this.conn.write(encodeAttach(sessionId, seek));
    return this.readStreams();
  }

  /** Streams added since the attach (or the last call), e.g. a new application's. */
  async newStreams(sessionId: bigint): Promise<{ status: number; streams: ViewerStream[] }> {
    this.conn.write(encodeU64Command(Cmd.GET_NEW_STREAMS, sessionId));
    return this.readStreams();
  }

  /** Metadata bytes not yet sent to this viewer (`data` empty when there is none). */
  async metadata(streamId: bigint): Promise<{ status: number; data: Uint8Array }> {
    this.conn.write(encodeU64Command(Cmd.GET_METADATA, streamId));
    let h = { len: 0n, status: 0 };
    const { body } = await this.conn.readFramed(Size.METADATA_HEADER, (b) => {
      h = decodeMetadataHeader(b);
      return h.status === MetadataStatus.OK && h.len <= BigInt(MAX_REPLY_BYTES) ? Number(h.len) : 0;
    });
    if (h.status !== MetadataStatus.OK) return { status: h.status, data: new Uint8Array(0) };
    if (h.len > BigInt(MAX_REPLY_BYTES)) throw this.protocol(`sends ${h.len} bytes of metadata at once`);
    return { status: h.status, data: body };
  }

  async nextIndex(streamId: bigint): Promise<ViewerIndex> {
    this.conn.write(encodeU64Command(Cmd.GET_NEXT_INDEX, streamId));
    return decodeIndex(await this.conn.read(Size.INDEX));
  }

  /** `len` bytes of a stream's data from `offset` (a whole packet, from its index). */
  async packet(streamId: bigint, offset: bigint, len: number): Promise<PacketReply> {
    if (len > MAX_REPLY_BYTES) throw this.protocol(`indexes a packet of ${len} bytes`);
    this.conn.write(encodeGetPacket(streamId, offset, len));
    let h = { status: 0, len: 0, flags: 0 };
    const { body } = await this.conn.readFramed(Size.PACKET_HEADER, (b) => {
      h = decodePacketHeader(b);
      return h.status === PacketStatus.OK && h.len <= MAX_REPLY_BYTES ? h.len : 0;
    });
    if (h.status !== PacketStatus.OK) return { status: h.status, data: null, flags: h.flags };
    if (h.len !== len) throw this.protocol(`answered ${h.len} bytes to a request for ${len}`);
    return { status: h.status, data: body, flags: h.flags };
  }

  async detach(sessionId: bigint): Promise<number> {
    this.conn.write(encodeU64Command(Cmd.DETACH_SESSION, sessionId));
    return decodeU32(await this.conn.read(Size.STATUS));
  }

  close(): void {
    this.conn.close();
  }

  // --- internal ---

  private async readStreams(): Promise<{ status: number; streams: ViewerStream[] }> {
    let h = { status: 0, count: 0 };
    const { body } = await this.conn.readFramed(Size.STATUS_COUNT, (b) => {
      h = decodeStatusCount(b);
      return Math.min(h.count, 100_000) * Size.STREAM;
    });
    if (h.count > 100_000) throw this.protocol(`announces ${h.count} streams`);
    const streams: ViewerStream[] = [];
    for (let i = 0; i < h.count; i++) streams.push(decodeStream(body.subarray(i * Size.STREAM, (i + 1) * Size.STREAM)));
    return { status: h.status, streams };
  }

  private protocol(what: string): RelayError {
    this.conn.close();
    return new RelayError(`${this.where}: ${what}, which the live protocol does not allow; is this an LTTng relay daemon's live port?`, "protocol");
  }
}
