/**
 * The JSON Lines medium: a file, streamed in 1 MiB chunks, or a byte stream (stdin).
 *
 * Contract (beyond `TraceSource`): memory stays bounded by one chunk plus one batch whatever the
 * file size. A bad line gives one `error` issue (file, line, what was wrong) and is skipped; a
 * final line cut mid-record is reported the same way, so a truncated file yields every event
 * before the cut. Events out of timestamp order within the file are delivered as they are
 * (the merge counts those beyond its reorder window as late) and reported in one warning with
 * their count. A file source can be read several times; a stream source once.
 */
import type { Readable } from "node:stream";
import type { EventClassSchema, TraceEvent } from "../../model/event.js";
import { INPUT_PAUSED, LineMedium } from "../line-medium.js";
import type { ReaderOptions, ReadIssue, SourceItem, TraceSource } from "../source.js";
import { JsonlDecoder } from "./decode-jsonl.js";
import { LineSplitter } from "./line-splitter.js";

/** Events per yielded batch: big enough to amortise the async boundary, small for latency. */
export const JSONL_BATCH = 4096;
/** Bad lines reported one by one; beyond this, one summary at the end. */
export const MAX_LINE_ISSUES = 1000;

export class JsonlSource implements TraceSource {
  readonly format = "jsonl";
  first: bigint | null = null;
  last: bigint | null = null;
  /** JSON Lines declares no event classes. */
  schema: EventClassSchema[] | null = null;
  private readonly medium: LineMedium;
  private readonly file: string;

  /** `stream` is read instead of `path` when given (stdin: path "-"). */
  constructor(
    readonly path: string,
    readonly hostId: string,
    private readonly onIssue: (issue: ReadIssue) => void,
    stream: Readable | null = null,
  ) {
    this.medium = new LineMedium(path, stream);
    this.file = this.medium.file;
  }

  /** Finds the first timestamp (and for files the last one, from the file's tail). */
  async open(): Promise<void> {
    // A stream cannot be rewound: the medium keeps the chunks read here for batches().
    this.first = await this.medium.head(_firstTs);
    if (this.medium.isFile) this.last = await this.tailTs();
  }

  async *batches(origin: bigint, host: number): AsyncIterable<SourceItem[]> {
    const chunks = this.medium.body();
    const splitter = new LineSplitter();
    const decoder = new JsonlDecoder(origin, host);
    let lineNo = 0;
    let bad = 0;
    let lastBad = 0;
    let outOfOrder = 0;
    let firstDisorder = 0;
    let maxTs = -Infinity;
    let batch: TraceEvent[] = [];

    const take = (line: string | null, final: boolean): void => {
      lineNo++;
      if (line !== null && _isBlank(line)) return;
      const ev = line === null ? null : decoder.decode(lineNo === 1 ? _noBom(line) : line);
      if (ev === null) {
        bad++;
        lastBad = lineNo;
        if (bad <= MAX_LINE_ISSUES) {
          const why = line === null ? "line too long (over 16 MiB)" : decoder.error;
          const cut = final ? " — the file ends mid-line (truncated?)" : "";
          this.onIssue({ severity: "error", file: this.file, line: lineNo, message: `Bad event line: ${why}${cut}; line skipped` });
        }
        return;
      }
      if (ev.ts < maxTs) {
        if (outOfOrder++ === 0) firstDisorder = lineNo;
      } else maxTs = ev.ts;
      batch.push(ev);
    };

    for await (const chunk of chunks) {
      if (chunk === INPUT_PAUSED) {
        // A live stream went quiet: what it sent so far must not wait for a full batch.
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
        continue;
      }
      for (const line of splitter.push(chunk)) {
        take(line, false);
        if (batch.length >= JSONL_BATCH) {
          yield batch;
          batch = [];
        }
      }
    }
    const tail = splitter.end();
    if (tail !== undefined) take(tail, true);
    if (batch.length > 0) yield batch;

    if (bad > MAX_LINE_ISSUES) {
      this.onIssue({ severity: "error", file: this.file, line: lastBad, message: `${bad} bad lines in all, the last at this line; only the first ${MAX_LINE_ISSUES} were reported one by one` });
    }
    if (outOfOrder > 0) {
      this.onIssue({
        severity: "warning",
        file: this.file,
        line: firstDisorder,
        message: `${outOfOrder} event(s) out of timestamp order, the first at this line; delivered as they are (the merge counts them as late beyond its reorder window)`,
      });
    }
  }

  // --- internal ---

  /** The ts of the last decodable line among the file's last 64 KiB (a hint, not a bound). */
  private async tailTs(): Promise<bigint | null> {
    const lines = await this.medium.tailLines();
    const dec = new JsonlDecoder(0n, 0);
    for (let i = lines.length - 1; i >= 0; i--) {
      if (dec.decode(lines[i]!.trim()) !== null) return dec.lastAbsTs();
    }
    return null;
  }
}

// --- internal ---

/**
 * The absolute ts of the first decodable line; stops pulling there. Chunks pulled are appended
 * to `keep` when given (a stream's replay buffer).
 */
async function _firstTs(it: AsyncIterator<Uint8Array | string>, keep: Array<Uint8Array | string> | null): Promise<bigint | null> {
  const splitter = new LineSplitter();
  const dec = new JsonlDecoder(0n, 0);
  for (;;) {
    const r = await it.next();
    if (!r.done) keep?.push(r.value);
    const lines = r.done ? [splitter.end()] : splitter.push(r.value);
    for (const line of lines) {
      if (line && dec.decode(_noBom(line)) !== null) return dec.lastAbsTs();
    }
    if (r.done) return null;
  }
}

function _noBom(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/** Blank lines (e.g. a trailing empty line) are not events and not errors. */
function _isBlank(line: string): boolean {
  if (line.length === 0) return true;
  const c = line.charCodeAt(0);
  return (c === 0x20 || c === 0x09 || c === 0x0d) && line.trim().length === 0;
}
