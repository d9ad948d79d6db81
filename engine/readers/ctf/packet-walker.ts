/**
 * The packets of one stream, in order, across its files (rotated tracefiles are one stream):
 * each packet is placed whole in the decode buffer (`st.u8`) at a position aligned for every
 * type of the trace, its preamble decoded, and its position handed to the event loop.
 *
 * Contract: `next()` returns the next packet (`p` = bit index of its first event in `st.u8`,
 * `contentEnd` = bit index where its events end) or null at the end of the stream. A packet
 * whose preamble is bad ends its file (where the next packet starts is then unknown) with an
 * `error` report; a packet longer than its file is reported and kept up to the end of the file.
 * `locate(bitPos)` turns a buffer position into the file and byte offset issues name.
 */
import type { Fields } from "../../model/event.js";
import type { ReadIssue } from "../source.js";
import { ChunkReader, MAX_PACKET_BYTES } from "./chunk-reader.js";
import { DecodeError, type DecodeState } from "./decode-state.js";
import { readPacketPreamble, type PacketInfo } from "./packet-reader.js";
import type { CompiledTrace, RuntimeStreamClass } from "./trace-runtime.js";

/** Bytes read to decode a packet preamble (header and context are far smaller). */
const PREAMBLE_BYTES = 4096;

/** Receives a problem at a position of the decode buffer. */
export type Report = (severity: ReadIssue["severity"], bitPos: number, message: string) => void;

/** A packet placed in the decode buffer, with where its events start and end (bits). */
export interface PlacedPacket {
  info: PacketInfo;
  p: number;
  contentEnd: number;
}

/** Walks the packets of one stream across its files. */
export class PacketWalker {
  private fileIdx = 0;
  private reader: ChunkReader | null = null;
  private gen = -1;
  private fileOff = 0;
  private warnedUuid = false;
  /** Bytes of the files already read to their end. */
  private doneBytes = 0;
  private readonly pcObjects = new Map<RuntimeStreamClass, Fields>();

  constructor(
    private readonly trace: CompiledTrace,
    private readonly st: DecodeState,
    readonly files: string[],
    private readonly report: Report,
  ) {}

  /** The next packet of the stream, placed in `st.u8`, or null when there is none. */
  next(): PlacedPacket | null {
    for (;;) {
      if (this.reader === null && !this.openNext()) return null;
      const r = this.reader as ChunkReader;
      const avail = r.size - this.fileOff;
      if (avail <= 0) {
        this.doneBytes += r.size;
        this.close();
        continue;
      }
      let at = this.window(this.fileOff, Math.min(avail, PREAMBLE_BYTES));
      this.st.end = (at + Math.min(avail, r.len - at)) * 8;
      let info: PacketInfo;
      try {
        info = readPacketPreamble(this.trace, this.st, at, avail, this.fileOff, (rs) => this.pcObject(rs));
        if (info.packetBytes > MAX_PACKET_BYTES) throw new DecodeError(`Packet of ${info.packetBytes} bytes is larger than the ${MAX_PACKET_BYTES} bytes this reader accepts`, at * 8);
      } catch (e) {
        if (!(e instanceof DecodeError) && !(e instanceof RangeError)) throw e;
        const why = e instanceof DecodeError ? e.message : "Packet header or context cut by the end of the file";
        this.report("error", at * 8, `${why}; the rest of this file is skipped (the next packet cannot be located)`);
        this.doneBytes += r.size;
        this.close();
        continue;
      }
      if (info.uuidMismatch && !this.warnedUuid) {
        this.warnedUuid = true;
        this.report("warning", at * 8 + 32, "Packet UUID differs from the trace UUID in the metadata; read anyway, as babeltrace2 does");
      }
      if (info.truncated) {
        this.report("error", at * 8, `Truncated packet: it claims ${info.packetBytes} bytes but the file ends after ${avail}; events wholly inside the file are kept`);
      }
      at = this.window(this.fileOff, Math.min(info.packetBytes, avail));
      this.fileOff += info.truncated ? avail : info.packetBytes;
      const contentEnd = at * 8 + Math.min(info.contentBits, avail * 8);
      this.st.end = contentEnd;
      return { info, p: at * 8 + info.eventsBits, contentEnd };
    }
  }

  /** File and byte offset of buffer bit position `bitPos` (the current file). */
  locate(bitPos: number): { file: string; offset: number } {
    const r = this.reader;
    return { file: r?.path ?? this.files[Math.max(0, this.fileIdx - 1)], offset: (r?.base ?? 0) + Math.floor(bitPos / 8) };
  }

  /** Releases the current file. */
  /** Bytes of the stream's files before buffer bit position `bitPos` of the current file (for progress). */
  bytesBefore(bitPos: number): number {
    return this.doneBytes + (this.reader === null ? 0 : this.reader.base + Math.floor(bitPos / 8));
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
  }

  // --- internal ---

  private openNext(): boolean {
    while (this.fileIdx < this.files.length) {
      const r = new ChunkReader(this.files[this.fileIdx++]);
      this.fileOff = 0;
      // A new reader restarts its generations: force a re-bind of the decode buffer.
      this.gen = -1;
      try {
        r.open();
        this.reader = r;
        return true;
      } catch (e) {
        this.reader = r; // so that the report names this file
        this.report("error", 0, `Cannot read stream file: ${(e as Error).message}`);
        this.reader = null;
      }
    }
    return false;
  }

  private window(off: number, need: number): number {
    const r = this.reader as ChunkReader;
    const at = r.window(off, need, this.trace.maxAlignBytes);
    if (r.generation !== this.gen) {
      this.gen = r.generation;
      this.st.setBuffer(r.buf);
    }
    return at;
  }

  private pcObject(rs: RuntimeStreamClass): Fields {
    let o = this.pcObjects.get(rs);
    if (o === undefined) this.pcObjects.set(rs, (o = (rs.packetContext as NonNullable<RuntimeStreamClass["packetContext"]>).make()));
    return o;
  }
}
