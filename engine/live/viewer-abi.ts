/**
 * The LTTng live viewer protocol's wire format (lttng-tools `lttng-viewer-abi.h`, protocol 2.4,
 * which every relay daemon from 2.4 on speaks): command numbers, status codes, packed struct
 * sizes, and encoders/decoders for each message. Everything on the wire is big-endian and packed.
 *
 * Contract: no I/O. Encoders return the exact bytes to send (command header + payload);
 * decoders read from a buffer that holds at least the struct's size and never look further.
 * Fixed-size strings are read up to their first NUL.
 */

/** The protocol version this client speaks; the relay answers with min(its, ours). */
export const VIEWER_MAJOR = 2;
export const VIEWER_MINOR = 4;

export const Cmd = {
  CONNECT: 1,
  LIST_SESSIONS: 2,
  ATTACH_SESSION: 3,
  GET_NEXT_INDEX: 4,
  GET_PACKET: 5,
  GET_METADATA: 6,
  GET_NEW_STREAMS: 7,
  CREATE_SESSION: 8,
  DETACH_SESSION: 9,
} as const;

/** `flags` of index and packet replies. */
export const FLAG_NEW_METADATA = 1;
export const FLAG_NEW_STREAM = 2;

export const ConnType = { COMMAND: 1, NOTIFICATION: 2 } as const;
export const Seek = { BEGINNING: 1, LAST: 2 } as const;

export const AttachStatus = { OK: 1, ALREADY: 2, UNKNOWN: 3, NOT_LIVE: 4, SEEK_ERR: 5, NO_SESSION: 6 } as const;
export const IndexStatus = { OK: 1, RETRY: 2, HUP: 3, ERR: 4, INACTIVE: 5, EOF: 6 } as const;
export const PacketStatus = { OK: 1, RETRY: 2, ERR: 3, EOF: 4 } as const;
export const MetadataStatus = { OK: 1, NO_NEW: 2, ERR: 3 } as const;
export const NewStreamsStatus = { OK: 1, NO_NEW: 2, ERR: 3, HUP: 4 } as const;
export const CreateSessionStatus = { OK: 1, ERR: 2 } as const;

const HOST_NAME_MAX = 64;
const NAME_MAX = 255;
const PATH_MAX = 4096;

/** Packed sizes of the structs, in bytes. */
export const Size = {
  CMD_HEADER: 16,
  CONNECT: 20,
  SESSION: 8 + 4 + 4 + 4 + HOST_NAME_MAX + NAME_MAX,
  STREAM: 8 + 8 + 4 + PATH_MAX + NAME_MAX,
  INDEX: 7 * 8 + 4 + 4,
  PACKET_HEADER: 12,
  METADATA_HEADER: 12,
  STATUS_COUNT: 8,
  STATUS: 4,
  COUNT: 4,
} as const;

/** One tracing session as the relay lists it (one per session and tracer domain). */
export interface ViewerSession {
  id: bigint;
  /** Live timer period in µs; 0 when the session is not a live one. */
  liveTimerUs: number;
  clients: number;
  streams: number;
  hostname: string;
  name: string;
}

/** One stream of an attached session; streams with the same `ctfTraceId` share one metadata. */
export interface ViewerStream {
  id: bigint;
  ctfTraceId: bigint;
  metadata: boolean;
  pathName: string;
  channelName: string;
}

/** A GET_NEXT_INDEX reply: a packet's place and bounds (raw clock cycles), or a status. */
export interface ViewerIndex {
  offset: bigint;
  /** Sizes in bits, as in the packet context. */
  packetSize: bigint;
  contentSize: bigint;
  timestampBegin: bigint;
  timestampEnd: bigint;
  eventsDiscarded: bigint;
  /** CTF stream class id. */
  streamClassId: bigint;
  status: number;
  flags: number;
}

/** Command header + payload, ready to write. */
export function encodeCommand(cmd: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(Size.CMD_HEADER + payload.length);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(payload.length));
  dv.setUint32(8, cmd);
  dv.setUint32(12, 0);
  out.set(payload, Size.CMD_HEADER);
  return out;
}

/** CONNECT: our protocol version, as a command connection. */
export function encodeConnect(type: number = ConnType.COMMAND): Uint8Array {
  const p = new Uint8Array(Size.CONNECT);
  const dv = new DataView(p.buffer);
  dv.setBigUint64(0, 0n);
  dv.setUint32(8, VIEWER_MAJOR);
  dv.setUint32(12, VIEWER_MINOR);
  dv.setUint32(16, type);
  return encodeCommand(Cmd.CONNECT, p);
}

/** The relay's CONNECT reply: its version and the viewer session id it assigned. */
export function decodeConnect(b: Uint8Array): { viewerSessionId: bigint; major: number; minor: number } {
  const dv = _view(b);
  return { viewerSessionId: dv.getBigUint64(0), major: dv.getUint32(8), minor: dv.getUint32(12) };
}

/** ATTACH_SESSION to relay session `sessionId`, from its beginning or from now (`Seek`). */
export function encodeAttach(sessionId: bigint, seek: number): Uint8Array {
  const p = new Uint8Array(20);
  const dv = new DataView(p.buffer);
  dv.setBigUint64(0, sessionId);
  dv.setBigUint64(8, 0n);
  dv.setUint32(16, seek);
  return encodeCommand(Cmd.ATTACH_SESSION, p);
}

/** Commands whose payload is one u64 (stream or session id). */
export function encodeU64Command(cmd: number, id: bigint): Uint8Array {
  const p = new Uint8Array(8);
  new DataView(p.buffer).setBigUint64(0, id);
  return encodeCommand(cmd, p);
}

/** GET_PACKET: `len` bytes of stream `streamId` from byte `offset` (a whole packet, per its index). */
export function encodeGetPacket(streamId: bigint, offset: bigint, len: number): Uint8Array {
  const p = new Uint8Array(20);
  const dv = new DataView(p.buffer);
  dv.setBigUint64(0, streamId);
  dv.setBigUint64(8, offset);
  dv.setUint32(16, len);
  return encodeCommand(Cmd.GET_PACKET, p);
}

/** One `lttng_viewer_session` (2.4 layout, fixed-size strings). */
export function decodeSession(b: Uint8Array): ViewerSession {
  const dv = _view(b);
  return {
    id: dv.getBigUint64(0),
    liveTimerUs: dv.getUint32(8),
    clients: dv.getUint32(12),
    streams: dv.getUint32(16),
    hostname: _cstr(b, 20, HOST_NAME_MAX),
    name: _cstr(b, 20 + HOST_NAME_MAX, NAME_MAX),
  };
}

/** One `lttng_viewer_stream`. */
export function decodeStream(b: Uint8Array): ViewerStream {
  const dv = _view(b);
  return {
    id: dv.getBigUint64(0),
    ctfTraceId: dv.getBigUint64(8),
    metadata: dv.getUint32(16) !== 0,
    pathName: _cstr(b, 20, PATH_MAX),
    channelName: _cstr(b, 20 + PATH_MAX, NAME_MAX),
  };
}

/** A GET_NEXT_INDEX reply (`lttng_viewer_index`). */
export function decodeIndex(b: Uint8Array): ViewerIndex {
  const dv = _view(b);
  return {
    offset: dv.getBigUint64(0),
    packetSize: dv.getBigUint64(8),
    contentSize: dv.getBigUint64(16),
    timestampBegin: dv.getBigUint64(24),
    timestampEnd: dv.getBigUint64(32),
    eventsDiscarded: dv.getBigUint64(40),
    streamClassId: dv.getBigUint64(48),
    status: dv.getUint32(56),
    flags: dv.getUint32(60),
  };
}

/** `status, len, flags` of a GET_PACKET reply (the data follows). */
export function decodePacketHeader(b: Uint8Array): { status: number; len: number; flags: number } {
  const dv = _view(b);
  return { status: dv.getUint32(0), len: dv.getUint32(4), flags: dv.getUint32(8) };
}

/** `len, status` of a GET_METADATA reply (the data follows). */
export function decodeMetadataHeader(b: Uint8Array): { len: bigint; status: number } {
  const dv = _view(b);
  return { len: dv.getBigUint64(0), status: dv.getUint32(8) };
}

/** Two u32: a status and a count (attach and new-streams replies). */
export function decodeStatusCount(b: Uint8Array): { status: number; count: number } {
  const dv = _view(b);
  return { status: dv.getUint32(0), count: dv.getUint32(4) };
}

/** A lone u32 (a count or a status). */
export function decodeU32(b: Uint8Array): number {
  return _view(b).getUint32(0);
}

// --- internal ---

function _view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function _cstr(b: Uint8Array, at: number, max: number): string {
  let end = at;
  const lim = Math.min(b.length, at + max);
  while (end < lim && b[end] !== 0) end++;
  return new TextDecoder().decode(b.subarray(at, end));
}
