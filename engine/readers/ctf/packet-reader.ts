/**
 * Packet preamble: decodes the packet header and context at the start of a packet and gives
 * what the well-known fields mean (babeltrace's "meanings"): `magic`, `uuid`, `stream_id`,
 * `stream_instance_id`, `packet_size`, `content_size`, `timestamp_begin`/`timestamp_end`,
 * `events_discarded`, `packet_seq_num`, `cpu_id`.
 *
 * Contract: no I/O. `readPacketPreamble` leaves `st.clk` at the packet's begin time (when it has
 * one), `st.ph`/`st.pc` holding the decoded scopes, and throws `DecodeError` for a bad magic,
 * an unknown stream class or sizes that contradict each other. A packet longer
 * than the file is not an error here: `truncated` says so and the caller keeps what is there.
 */
import type { Fields, FieldValue } from "../../model/event.js";
import { DecodeError, type DecodeState } from "./decode-state.js";
import type { CompiledTrace, RuntimeStreamClass } from "./trace-runtime.js";

/** The `magic` every CTF packet header starts with. */
export const PACKET_MAGIC = 0xc1fc1fc1;

/** What a packet's preamble says, in the reader's terms. */
export interface PacketInfo {
  /** Byte offset of the packet in its file. */
  fileOffset: number;
  /** Bytes the packet occupies in the file (its `packet_size`, or the rest of the file). */
  packetBytes: number;
  /** Content size in bits from the packet start. */
  contentBits: number;
  /** Bits from the packet start to its first event. */
  eventsBits: number;
  /** True when the file ends before `packetBytes`. */
  truncated: boolean;
  /** True when the packet's `uuid` is not the trace's (babeltrace 2.0 reads such packets). */
  uuidMismatch: boolean;
  rs: RuntimeStreamClass;
  streamInstanceId: number | bigint | null;
  /** `cpu_id`, or -1. */
  cpu: number;
  /** Running clock at `timestamp_begin` / `timestamp_end`, or null when absent. */
  beginClk: number | null;
  endClk: number | null;
  /** `events_discarded` (a running counter) and its width in bits. */
  discarded: number | bigint | null;
  discardedBits: number;
  seq: number | bigint | null;
}

/**
 * Decodes the preamble of the packet at byte `at` of `st.u8`; `avail` is how many bytes of the
 * file remain from there, `objects` gives the packet-context output object of a stream class.
 */
export function readPacketPreamble(trace: CompiledTrace, st: DecodeState, at: number, avail: number, fileOffset: number, objects: (rs: RuntimeStreamClass) => Fields): PacketInfo {
  let p = at * 8;
  const ph = trace.packetHeader;
  if (ph !== null) {
    p = ph.decode(st, p, st.ph);
    const magic = st.ph["magic"];
    if (magic !== undefined && magic !== PACKET_MAGIC) {
      throw new DecodeError(`Bad packet magic 0x${Number(magic).toString(16)} (expected 0xc1fc1fc1): not a CTF stream, or packets out of sync`, at * 8);
    }
  }
  const uuid = st.ph["uuid"];
  const uuidMismatch = ph !== null && trace.uuid !== null && Array.isArray(uuid) && !_sameUuid(uuid, trace.uuid);
  const sid = _num(st.ph["stream_id"]);
  const rs = sid === null ? (trace.streams.size === 1 ? trace.streams.values().next().value : trace.streams.get(0)) : trace.streams.get(sid);
  if (rs === undefined) throw new DecodeError(`Packet names stream class ${sid ?? 0}, which the metadata does not declare`, at * 8);
  let pc: Fields = {};
  if (rs.packetContext !== null) {
    pc = objects(rs);
    st.pc = pc;
    p = rs.packetContext.decode(st, p, pc);
  }
  const hasBegin = pc["timestamp_begin"] !== undefined;
  const packetBits = _num(pc["packet_size"]);
  const contentBits = _num(pc["content_size"]);
  const eventsBits = p - at * 8;
  let packetBytes = avail;
  if (packetBits !== null) {
    if (packetBits % 8 !== 0) throw new DecodeError(`packet_size ${packetBits} is not a whole number of bytes`, at * 8);
    packetBytes = packetBits / 8;
  }
  const content = contentBits ?? packetBytes * 8;
  if (content > packetBytes * 8) throw new DecodeError(`content_size ${content} bits exceeds packet_size ${packetBytes * 8} bits`, at * 8);
  if (content < eventsBits) throw new DecodeError(`content_size ${content} bits is smaller than the packet header and context (${eventsBits} bits)`, at * 8);
  if (packetBytes <= 0) throw new DecodeError("packet_size is 0", at * 8);
  return {
    fileOffset,
    packetBytes,
    contentBits: content,
    eventsBits,
    truncated: packetBytes > avail,
    uuidMismatch,
    rs,
    streamInstanceId: _raw(st.ph["stream_instance_id"]),
    cpu: _num(pc["cpu_id"]) ?? -1,
    beginClk: hasBegin ? st.clk : null,
    endClk: _clockAfter(st, pc["timestamp_end"], _intSize(rs, "timestamp_end")),
    discarded: _raw(pc["events_discarded"]),
    discardedBits: _intSize(rs, "events_discarded"),
    seq: _raw(pc["packet_seq_num"]),
  };
}

// --- internal ---

function _num(v: FieldValue | undefined): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return null;
}

function _raw(v: FieldValue | undefined): number | bigint | null {
  return typeof v === "number" || typeof v === "bigint" ? v : null;
}

function _intSize(rs: RuntimeStreamClass, name: string): number {
  const f = rs.sc.packetContext?.fields.find((x) => x.name === name);
  if (!f) return 64;
  return f.type.kind === "int" ? f.type.size : f.type.kind === "enum" ? f.type.container.size : 64;
}

/** Running-clock value of `v` (an N-bit clock field that must not move the clock). */
function _clockAfter(st: DecodeState, v: FieldValue | undefined, n: number): number | null {
  if (typeof v !== "number" && typeof v !== "bigint") return null;
  const base = st.base.hi < 0 ? 0n : BigInt(st.base.hi) << 32n;
  const val = BigInt(v);
  if (n >= 64) return Number(val - base);
  const mod = 1n << BigInt(n);
  const cur = BigInt(st.clk) + base;
  const low = cur & (mod - 1n);
  return Number(cur - low + val + (val < low ? mod : 0n) - base);
}

function _sameUuid(a: FieldValue[], b: Uint8Array): boolean {
  if (a.length !== 16) return false;
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}
