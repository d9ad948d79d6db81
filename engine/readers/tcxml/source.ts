/**
 * The Trace Compass XML medium: the whole file (or stdin) read and decoded in `open`.
 *
 * Contract (beyond `TraceSource`): after `open`, `first`, `last` and `schema` are exact (the
 * whole trace is decoded); `batches` can be called any number of times and yields fresh event
 * objects each time, in timestamp order, with `ts` relative to the given origin.
 */
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { EventClassSchema, TraceEvent } from "../../model/event.js";
import type { ReadIssue, SourceItem, TraceSource } from "../source.js";
import { decodeTcxml, type TcxmlEvent } from "./decode-tcxml.js";

/** Events per yielded batch. */
export const TCXML_BATCH = 4096;

export class TcxmlSource implements TraceSource {
  readonly format = "tcxml";
  first: bigint | null = null;
  last: bigint | null = null;
  schema: EventClassSchema[] | null = null;
  /** Aspects the trace declares in `<set_aspects>` (valid after `open`). */
  aspects: string[] = [];
  private events: TcxmlEvent[] = [];

  /** `stream` is read instead of `path` when given (stdin: path "-"). */
  constructor(
    readonly path: string,
    readonly hostId: string,
    private readonly onIssue: (issue: ReadIssue) => void,
    private readonly stream: Readable | null = null,
  ) {}

  async open(): Promise<void> {
    const text = this.stream === null ? await readFile(this.path, "utf8") : await _readAll(this.stream);
    const file = this.stream !== null && this.path === "-" ? "<stdin>" : this.path;
    const trace = decodeTcxml(text, file, this.onIssue);
    this.events = trace.events;
    this.schema = trace.schema;
    this.aspects = trace.aspects;
    this.first = trace.events[0]?.ts ?? null;
    this.last = trace.events[trace.events.length - 1]?.ts ?? null;
  }

  async *batches(origin: bigint, host: number): AsyncIterable<SourceItem[]> {
    const all = this.events;
    for (let i = 0; i < all.length; i += TCXML_BATCH) {
      const batch: TraceEvent[] = [];
      for (const e of all.slice(i, i + TCXML_BATCH)) {
        // fields are copied per read: a consumer may keep events of an earlier read
        batch.push({ name: e.name, ts: Number(e.ts - origin), cpu: e.cpu, host, fields: { ...e.fields }, context: null });
      }
      yield batch;
    }
  }
}

// --- internal ---

async function _readAll(stream: Readable): Promise<string> {
  const parts: string[] = [];
  const dec = new TextDecoder();
  for await (const c of stream) parts.push(typeof c === "string" ? c : dec.decode(c as Uint8Array, { stream: true }));
  parts.push(dec.decode());
  return parts.join("");
}
