/**
 * Test helpers for the text readers: read a whole source (file or in-memory stream, in chunks
 * the test chooses) into plain copies of its events, losses and issues.
 */
import { Readable } from "node:stream";
import type { EventContext, Fields, LossMarker, TraceEvent } from "../../../../engine/model/event.js";
import type { ReadIssue, TraceReader } from "../../../../engine/readers/source.js";
import { isLoss } from "../../../../engine/readers/source.js";
import { EventSlot, LINE_EVENT, type LineDecoder } from "../../../../engine/readers/text/line-decoder.js";

export interface ReadResult {
  events: TraceEvent[];
  losses: LossMarker[];
  issues: ReadIssue[];
  first: bigint | null;
  last: bigint | null;
}

/** Reads `path` (or, with `text`, path "-" fed from `text` cut into `chunks` pieces). */
export async function readAll(reader: TraceReader, path: string, text?: string | Uint8Array, chunkSizes?: number[]): Promise<ReadResult> {
  const issues: ReadIssue[] = [];
  const stdin = text === undefined ? undefined : Readable.from(_cut(typeof text === "string" ? Buffer.from(text) : text, chunkSizes ?? [1 << 16]));
  const [src] = await reader.open(path, { onIssue: (i: ReadIssue) => issues.push(i), stdin } as Parameters<TraceReader["open"]>[1]);
  await src!.open();
  const events: TraceEvent[] = [];
  const losses: LossMarker[] = [];
  for await (const batch of src!.batches(src!.first ?? 0n, 0)) {
    const seen = new Set<object>();
    for (const item of batch) {
      if (isLoss(item)) {
        losses.push({ ...item });
        continue;
      }
      // events of one batch must be distinct objects (the readers reuse them across batches)
      if (seen.has(item) || seen.has(item.fields)) throw new Error(`event object reused within a batch at ${item.name}`);
      seen.add(item);
      seen.add(item.fields);
      events.push(copyEvent(item));
    }
  }
  return { events, losses, issues, first: src!.first, last: src!.last };
}

export function copyEvent(ev: TraceEvent): TraceEvent {
  return { ...ev, fields: { ...ev.fields } as Fields, context: ev.context === null ? null : ({ ...ev.context } as EventContext) };
}

/** Decodes one line with a fresh decoder; returns the copied event or the error text. */
export function decodeOne(dec: LineDecoder, line: string): { ev: TraceEvent; sec: number; nsec: number } | string {
  const slot = new EventSlot(0);
  const r = dec.decode(line, slot);
  if (r !== LINE_EVENT) return `outcome ${r}: ${dec.error}`;
  return { ev: copyEvent(slot.event), sec: slot.sec, nsec: slot.nsec };
}

/** JSON with bigints as `123n`, for readable diffs. */
export function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
}

// --- internal ---

function _cut(buf: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  let k = 0;
  while (i < buf.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}
