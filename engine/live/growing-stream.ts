/**
 * One CTF stream file that a tracer is still writing: hands over each packet once the file
 * holds all of it (the packet's `packet_size`, read from its preamble), never a partial one.
 *
 * Contract: `poll()` reads every packet completed since the last call and pushes it to the
 * cursor with its end time; it returns how many it pushed (`lastGrowth` tells when the file
 * last grew at all, partial packets included). A packet whose preamble does not
 * decode ends this file (where the next packet starts is unknown) with a located `error`
 * issue. Files are opened per poll and closed again, so a rotated-away file is not held open.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Fields } from "../model/event.js";
import type { ReadIssue } from "../readers/source.js";
import { DecodeError, DecodeState } from "../readers/ctf/decode-state.js";
import { readPacketPreamble } from "../readers/ctf/packet-reader.js";
import type { RuntimeStreamClass } from "../readers/ctf/trace-runtime.js";
import type { LiveSink } from "./live-feed.js";
import type { LiveTrace } from "./live-trace.js";
import type { PacketCursor } from "./packet-cursor.js";
import type { StreamSet } from "./stream-set.js";

const PREAMBLE_BYTES = 4096;
/** Largest packet accepted (the CTF reader's own limit). */
const MAX_PACKET_BYTES = 1 << 27;

export class GrowingStream {
  offset = 0;
  /** Wall-clock ms the file last grew (a partial packet counts). */
  lastGrowth = Date.now();
  /** Bytes the file had at the last poll. */
  size = 0;
  private broken = false;

  constructor(readonly path: string, readonly live: LiveTrace, readonly cursor: PacketCursor, private readonly onIssue: (i: ReadIssue) => void) {}

  poll(set: StreamSet, sink: LiveSink): number {
    const trace = this.live.trace;
    if (this.broken || trace === null) return 0;
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch {
      return 0; // not there yet, or rotated away: nothing to read now
    }
    let pushed = 0;
    try {
      const size = fstatSync(fd).size;
      if (size > this.size) {
        this.size = size;
        this.lastGrowth = Date.now();
      }
      while (size - this.offset > 0) {
        const head = new Uint8Array(Math.min(PREAMBLE_BYTES, size - this.offset));
        readSync(fd, head, 0, head.length, this.offset);
        const st = new DecodeState(this.live.base);
        if (trace.packetHeader) st.ph = trace.packetHeader.make();
        st.setBuffer(head);
        st.end = head.length * 8;
        let bytes: number;
        let endClk: number | null;
        let rs: RuntimeStreamClass;
        let beginClk: number | null;
        try {
          const info = readPacketPreamble(trace, st, 0, size - this.offset, this.offset, (r) => (r.packetContext?.make() ?? {}) as Fields);
          bytes = info.packetBytes;
          endClk = info.endClk;
          beginClk = info.beginClk;
          rs = info.rs;
          if (bytes > MAX_PACKET_BYTES) throw new DecodeError(`Packet of ${bytes} bytes is larger than the ${MAX_PACKET_BYTES} bytes accepted`, 0);
        } catch (e) {
          // A preamble cut by the end of the file is a packet still being written.
          if (e instanceof RangeError && head.length < PREAMBLE_BYTES) break;
          if (!(e instanceof DecodeError) && !(e instanceof RangeError)) throw e;
          this.onIssue({ severity: "error", file: this.path, offset: this.offset, message: `${e.message}; the rest of this stream file is skipped` });
          this.broken = true;
          break;
        }
        if (this.offset + bytes > size) break;
        const data = new Uint8Array(bytes);
        readSync(fd, data, 0, bytes, this.offset);
        if (set.origin === null && beginClk !== null) {
          const conv = this.live.absNs(rs, BigInt(beginClk) + (BigInt(Math.max(0, this.live.base.hi)) << 32n));
          if (conv !== null) set.fixOrigin(conv, sink);
        }
        const conv = this.live.converter(rs);
        this.cursor.push({ bytes: data, offset: this.offset }, conv !== null && endClk !== null ? conv.relNs(endClk) : null);
        this.offset += bytes;
        pushed++;
      }
    } finally {
      closeSync(fd);
    }
    return pushed;
  }
}
