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
import { LineMedium } from "../line-medium.js";
import type { ReaderOptions, ReadIssue, SourceItem, TraceSource } from "../source.js";
import { JsonlDecoder } from "./decode-jsonl.js";
import { lineBatches } from "../line-batches.js";
import { LineSplitter } from "./line-splitter.js";
import { OrderWatch } from "../order-watch.js";

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
    const decoder = new JsonlDecoder(origin, host);
    const order = new OrderWatch();
    let lineNo = 0;
    let bad = 0;
    let lastBad = 0;

    const take = (line: string | null, final: boolean, batch: TraceEvent[]): void => {
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
      order.see(ev.ts, lineNo);
      batch.push(ev);
    };

    yield* lineBatches(this.medium.body(), JSONL_BATCH, { take });

    if (bad > MAX_LINE_ISSUES) {
      this.onIssue({ severity: "error", file: this.file, line: lastBad, message: `${bad} bad lines in all, the last at this line; only the first ${MAX_LINE_ISSUES} were reported one by one` });
    }
    order.report(this.file, this.onIssue);
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
