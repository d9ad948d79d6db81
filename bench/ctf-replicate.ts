/**
 * Replicates a real CTF trace K times into a new trace directory, for decode benchmarks that
 * need millions of events: every stream file becomes its packets K times over, copy k with
 * every clock value shifted by k · Δ (Δ = the trace span rounded up to a multiple of 2^27
 * cycles, so that LTTng's 27-bit compact timestamps keep their low bits and stay valid) and
 * `packet_seq_num` continued. Content is replicated, none invented; the result is a valid
 * trace in time order that babeltrace2 reads too.
 *
 * Supported: little-endian traces whose event header is LTTng's `event_header_compact` or
 * `event_header_large`, or a plain `{ id; timestamp; }` of 64-bit integers (babeltrace2's
 * `sink.ctf.fs` output), with fixed-layout packet headers and contexts.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { readMetadataText } from "../engine/readers/ctf/metadata-file.js";
import { parseTsdl } from "../engine/readers/ctf/tsdl-parser.js";
import { compileTrace, eventClassById, type CompiledTrace, type RuntimeStreamClass } from "../engine/readers/ctf/trace-runtime.js";
import { DecodeState } from "../engine/readers/ctf/decode-state.js";
import { readPacketPreamble } from "../engine/readers/ctf/packet-reader.js";
import { groupStreamFiles } from "../engine/readers/ctf/stream-files.js";
import { alignOf, type StructType } from "../engine/readers/ctf/metadata-model.js";
import type { TraceEvent } from "../engine/model/event.js";

type HeaderKind = "compact" | "large" | "plain";

interface Packet {
  start: number;
  bytes: number;
  /** Byte offsets (packet-relative) of each event header. */
  headers: number[];
  rs: RuntimeStreamClass;
}

/** Writes `copies` copies of the trace at `dir` into `out`; returns the number of events. */
export function replicateTrace(dir: string, copies: number, out: string): number {
  const md = parseTsdl(readMetadataText(readFileSync(join(dir, "metadata"))).text);
  if (md.trace.byteOrder !== "le") throw new Error("replicateTrace handles little-endian traces only");
  const trace = compileTrace(md);
  mkdirSync(out, { recursive: true });
  copyFileSync(join(dir, "metadata"), join(out, "metadata"));
  const files = groupStreamFiles(trace, dir).flat();
  const scanned = files.map((f) => ({ file: f, bytes: readFileSync(f), ...scanFile(trace, f) }));
  const first = Math.min(...scanned.map((s) => s.minClk));
  const last = Math.max(...scanned.map((s) => s.maxClk));
  const unit = 2 ** 27;
  const delta = BigInt(Math.ceil((last - first + 1e6) / unit) * unit);
  let events = 0;
  for (const s of scanned) {
    const outBytes = new Uint8Array(s.bytes.length * copies);
    const dv = new DataView(outBytes.buffer);
    for (let k = 0; k < copies; k++) {
      const base = k * s.bytes.length;
      outBytes.set(s.bytes, base);
      const shift = delta * BigInt(k);
      for (const p of s.packets) {
        const at = base + p.start;
        const ctx = contextOffsets(trace, p.rs);
        for (const name of ["timestamp_begin", "timestamp_end"]) {
          const o = ctx.get(name);
          if (o !== undefined) dv.setBigUint64(at + o, dv.getBigUint64(at + o, true) + shift, true);
        }
        const seq = ctx.get("packet_seq_num");
        if (seq !== undefined) dv.setBigUint64(at + seq, dv.getBigUint64(at + seq, true) + BigInt(k * s.packets.length), true);
        const kind = headerKind(p.rs);
        for (const h of p.headers) {
          const o = at + h;
          const tsAt = kind === "plain" ? o + 8 : kind === "compact" ? ((outBytes[o] & 31) === 31 ? o + 5 : -1) : dv.getUint16(o, true) === 0xffff ? o + 6 : -1;
          if (tsAt >= 0) dv.setBigUint64(tsAt, dv.getBigUint64(tsAt, true) + shift, true);
        }
      }
    }
    events += s.packets.reduce((n, p) => n + p.headers.length, 0) * copies;
    writeFileSync(join(out, basename(s.file)), outBytes);
  }
  return events;
}

// --- internal ---

function scanFile(trace: CompiledTrace, file: string): { packets: Packet[]; minClk: number; maxClk: number } {
  const bytes = readFileSync(file);
  const st = new DecodeState(trace.base);
  st.setBuffer(bytes);
  if (trace.packetHeader) st.ph = trace.packetHeader.make();
  const packets: Packet[] = [];
  let minClk = Infinity;
  let maxClk = -Infinity;
  const scratch = new Map<number, TraceEvent>();
  for (let off = 0; off < bytes.length; ) {
    st.end = bytes.length * 8;
    const info = readPacketPreamble(trace, st, off, bytes.length - off, off, (rs) => (rs.packetContext as NonNullable<typeof rs.packetContext>).make());
    // Packet bounds count too: copies must not overlap at packet level either.
    for (const c of [info.beginClk, info.endClk]) {
      if (c === null) continue;
      minClk = Math.min(minClk, c);
      maxClk = Math.max(maxClk, c);
    }
    const headers: number[] = [];
    let p = off * 8 + info.eventsBits;
    const end = off * 8 + info.contentBits;
    st.end = end;
    while (p < end) {
      headers.push(p / 8 - off);
      p = info.rs.eventHeader ? info.rs.eventHeader.decode(st, p, st.eh) : p;
      const cls = eventClassById(info.rs, st.id);
      if (!cls) throw new Error(`unknown event id ${st.id} in ${file}`);
      let ev = scratch.get(cls.slot);
      if (!ev) scratch.set(cls.slot, (ev = { name: cls.name, ts: 0, cpu: 0, host: 0, fields: cls.makeFields(), context: cls.makeContext ? cls.makeContext() : null }));
      p = cls.decode(st, p, ev);
      minClk = Math.min(minClk, st.clk);
      maxClk = Math.max(maxClk, st.clk);
    }
    packets.push({ start: off, bytes: info.packetBytes, headers, rs: info.rs });
    off += info.packetBytes;
  }
  return { packets, minClk, maxClk };
}

function headerKind(rs: RuntimeStreamClass): HeaderKind {
  const h = rs.sc.eventHeader;
  if (!h) throw new Error("replicateTrace needs an event header");
  const id = h.fields[0];
  if (id?.type.kind === "enum" && h.fields[1]?.type.kind === "variant") return id.type.container.size === 5 ? "compact" : "large";
  if (h.fields.length === 2 && h.fields.every((f) => f.type.kind === "int" && f.type.size === 64 && f.type.align === 8)) return "plain";
  throw new Error("replicateTrace: unsupported event header layout");
}

/** Byte offsets, from the packet start, of the packet context's fixed-layout members. */
function contextOffsets(trace: CompiledTrace, rs: RuntimeStreamClass): Map<string, number> {
  const out = new Map<string, number>();
  let bits = _fixedSize(trace.md.trace.packetHeader);
  const pc = rs.sc.packetContext;
  if (!pc) return out;
  bits = _align(bits, alignOf(pc));
  for (const f of pc.fields) {
    if (f.type.kind !== "int") throw new Error("replicateTrace: packet context must be plain integers");
    bits = _align(bits, f.type.align);
    if (f.type.size === 64 && bits % 8 === 0) out.set(f.name, bits / 8);
    bits += f.type.size;
  }
  return out;
}

function _fixedSize(st: StructType | null): number {
  if (!st) return 0;
  let bits = _align(0, alignOf(st));
  for (const f of st.fields) {
    const t = f.type;
    if (t.kind === "int") bits = _align(bits, t.align) + t.size;
    else if (t.kind === "array" && t.element.kind === "int") bits = _align(bits, t.element.align) + t.length * t.element.size;
    else throw new Error("replicateTrace: packet header must be fixed-layout");
  }
  return bits;
}

function _align(bits: number, a: number): number {
  return Math.ceil(bits / a) * a;
}
