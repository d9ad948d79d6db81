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
import { createReadStream } from "node:fs";
import { open as openFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { EventClassSchema, TraceEvent } from "../../model/event.js";
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
  private readonly file: string;
  /** The stream's one iterator, shared by `open` and `batches` (null for a file). */
  private readonly input: AsyncIterator<Uint8Array | string> | null;
  /** Chunks a stream source consumed in `open`, replayed by `batches`. */
  private replay: Array<Uint8Array | string> = [];
  private consumed = false;

  /** `stream` is read instead of `path` when given (stdin: path "-"). */
  constructor(
    readonly path: string,
    readonly hostId: string,
    private readonly onIssue: (issue: ReadIssue) => void,
    stream: Readable | null = null,
  ) {
    this.input = stream === null ? null : _chunks(stream);
    this.file = stream !== null && path === "-" ? "<stdin>" : path;
  }

  /** Finds the first timestamp (and for files the last one, from the file's tail). */
  async open(): Promise<void> {
    if (this.input === null) {
      const it = _chunks(createReadStream(this.path, { highWaterMark: 1 << 16 }));
      try {
        this.first = await _firstTs(it, null);
      } finally {
        await it.return(undefined);
      }
      this.last = await this.tailTs();
      return;
    }
    // A stream cannot be rewound: keep the chunks open() reads and replay them in batches().
    this.first = await _firstTs(this.input, this.replay);
  }

  async *batches(origin: bigint, host: number): AsyncIterable<SourceItem[]> {
    const chunks = this.takeInput();
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

  private takeInput(): AsyncIterable<Uint8Array | string> {
    if (this.input === null) return { [Symbol.asyncIterator]: () => _chunks(createReadStream(this.path, { highWaterMark: 1 << 20 })) };
    if (this.consumed) throw new Error(`${this.file}: a stream source can be read only once`);
    this.consumed = true;
    const input = this.input;
    const replayed = this.replay;
    this.replay = [];
    return (async function* () {
      yield* replayed;
      for (;;) {
        const r = await input.next();
        if (r.done) return;
        yield r.value;
      }
    })();
  }

  /** The ts of the last decodable line among the file's last 64 KiB (a hint, not a bound). */
  private async tailTs(): Promise<bigint | null> {
    const fh = await openFile(this.path, "r");
    try {
      const size = (await fh.stat()).size;
      const len = Math.min(size, 1 << 16);
      const buf = new Uint8Array(len);
      await fh.read(buf, 0, len, size - len);
      const lines = new TextDecoder().decode(buf).split("\n");
      const dec = new JsonlDecoder(0n, 0);
      // the first line of the window may be cut: never trust it unless the window is the file
      for (let i = lines.length - 1; i >= (len < size ? 1 : 0); i--) {
        if (dec.decode(lines[i]!.trim()) !== null) return dec.lastAbsTs();
      }
      return null;
    } finally {
      await fh.close();
    }
  }
}

// --- internal ---

async function* _chunks(s: Readable): AsyncGenerator<Uint8Array | string> {
  for await (const c of s) yield c as Uint8Array | string;
}

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
