/**
 * Finds the data stream files of a trace directory and groups them into streams: the files of
 * a rotated stream (`chan_0_0`, `chan_0_1`…) share a `stream_instance_id` and are read one
 * after the other in `timestamp_begin` order, as babeltrace groups them.
 *
 * Contract: every regular, non-empty file of the directory except `metadata` and dot-files is
 * a stream file. A file whose first packet cannot be decoded still forms its own stream (the
 * cursor reports the fault when it reads it). Groups come out in a deterministic order.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ChunkReader } from "./chunk-reader.js";
import { DecodeError, DecodeState } from "./decode-state.js";
import { readPacketPreamble } from "./packet-reader.js";
import type { CompiledTrace } from "./trace-runtime.js";

/** Stream files of `dir` grouped by stream, each group in reading order. */
export function groupStreamFiles(trace: CompiledTrace, dir: string): string[][] {
  const files = readdirSync(dir)
    .filter((n) => n !== "metadata" && !n.startsWith("."))
    .map((n) => join(dir, n))
    .filter((f) => {
      const s = statSync(f);
      return s.isFile() && s.size > 0;
    })
    .sort(_natural);
  const groups = new Map<string, Array<{ file: string; begin: number }>>();
  for (const file of files) {
    const probe = _probe(trace, file);
    const key = probe === null || probe.instance === null ? `file:${file}` : `${probe.streamClass}:${probe.instance}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push({ file, begin: probe?.begin ?? 0 });
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a.begin - b.begin || _natural(a.file, b.file)).map((x) => x.file));
}

// --- internal ---

function _probe(trace: CompiledTrace, file: string): { streamClass: number; instance: string | null; begin: number } | null {
  // Probing uses a private clock base so it cannot fix the trace's base before reading starts.
  const st = new DecodeState({ hi: -1 });
  if (trace.packetHeader) st.ph = trace.packetHeader.make();
  const r = new ChunkReader(file);
  try {
    r.open();
    const at = r.window(0, Math.min(r.size, 4096), trace.maxAlignBytes);
    st.setBuffer(r.buf);
    st.end = r.len * 8;
    const info = readPacketPreamble(trace, st, at, r.size, 0, (rs) => (rs.packetContext ? rs.packetContext.make() : {}));
    const begin = info.beginClk === null ? 0 : (st.base.hi < 0 ? 0 : st.base.hi) * 4294967296 + info.beginClk;
    return { streamClass: info.rs.sc.id, instance: info.streamInstanceId === null ? null : String(info.streamInstanceId), begin };
  } catch (e) {
    // Undecodable first packet: the file still forms its own stream; the cursor reports it.
    if (e instanceof DecodeError || e instanceof RangeError) return null;
    throw e;
  } finally {
    r.close();
  }
}

/**
 * Orders `chan_0_10` after `chan_0_9`: runs of digits compare by value, the rest by code unit
 * (no locale: file names are ASCII, and ICU's collator costs more to load than the sort).
 */
function _natural(a: string, b: string): number {
  const ra = a.match(RUNS) ?? [];
  const rb = b.match(RUNS) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i];
    const y = rb[i];
    if (x === y) continue;
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length || (a < b ? -1 : a > b ? 1 : 0);
}

const RUNS = /\d+|\D+/g;
