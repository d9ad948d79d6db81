/**
 * Lost data between two consecutive packets of one stream, as loss markers (what babeltrace2
 * reports as discarded-events and discarded-packets messages).
 *
 * Contract: no I/O. `events_discarded` is a running counter (modulo its width): an increase is
 * that many events lost between the end of the previous packet and the end of this one. A
 * `packet_seq_num` jump of more than one is lost packets (count unknown: -1) between the end of
 * the previous packet and the start of this one. Nothing is reported before a stream's first
 * packet, whatever its counters say (snapshots and rotated sessions start mid-stream).
 */
import type { LossMarker } from "../../model/event.js";
import type { PacketInfo } from "./packet-reader.js";

/** Loss markers for what was lost between `prev` and `cur`; `rel` maps a clock value (or null: unknown) to ns. */
export function lossesBetween(prev: PacketInfo, cur: PacketInfo, rel: (clk: number | null) => number, host: number): LossMarker[] {
  const out: LossMarker[] = [];
  if (cur.discarded !== null && prev.discarded !== null) {
    const mod = 1n << BigInt(cur.discardedBits);
    const delta = (((BigInt(cur.discarded) - BigInt(prev.discarded)) % mod) + mod) % mod;
    if (delta > 0n) out.push({ kind: "loss", host, cpu: cur.cpu, start: rel(prev.endClk), end: rel(cur.endClk ?? cur.beginClk), count: Number(delta) });
  }
  if (cur.seq !== null && prev.seq !== null && BigInt(cur.seq) - BigInt(prev.seq) > 1n) {
    out.push({ kind: "loss", host, cpu: cur.cpu, start: rel(prev.endClk), end: rel(cur.beginClk), count: -1 });
  }
  return out;
}
