/**
 * The medium of the text readers: a file streamed in 1 MiB chunks, or a byte stream (stdin),
 * split into lines on arbitrary chunk boundaries and fed to a format's `LineDecoder`.
 *
 * Contract (beyond `TraceSource`): memory stays bounded by one chunk plus one batch. Events of
 * one batch are distinct objects (`EventSlot`s), reused by the next batch. A bad line gives one
 * `error` issue (file, line, what was expected) and reading goes on; a last line without its
 * newline is decoded when it can be (with a warning that it may be cut) and reported as an
 * error when it cannot. Loss lines become `LossMarker`s: with their own times (babeltrace2), or
 * (ftrace's `CPU:2 [LOST 9 EVENTS]`) from the last event seen on that CPU to the next one.
 * Events out of timestamp order are delivered as they are and reported once with their count.
 * A file source can be read several times; a stream source once.
 */
import { basename } from "node:path";
import type { Readable } from "node:stream";
import type { EventClassSchema, LossMarker } from "../../model/event.js";
import { LineSplitter } from "../jsonl/line-splitter.js";
import { lineBatches } from "../line-batches.js";
import { OrderWatch } from "../order-watch.js";
import { LineMedium } from "../line-medium.js";
import type { ReaderOptions, ReadIssue, SourceItem, TraceSource } from "../source.js";
import { absNs } from "./decimal-time.js";
import { BatchPools, EventSlot, LINE_ERROR, LINE_EVENT, LINE_LOSS, type LineDecoder } from "./line-decoder.js";

/** Events per yielded batch: big enough to amortise the async boundary, small for latency. */
export const TEXT_BATCH = 4096;
/** Bad lines reported one by one; beyond this, one summary at the end. */
export const MAX_LINE_ISSUES = 200;

/** Reader options plus the stream that stands for stdin (tests pass their own). */
export interface TextReaderOptions extends ReaderOptions {
  /** Read for path `-`; defaults to `process.stdin`. */
  stdin?: Readable;
}

/** One text trace (file or stream) read through a format's `LineDecoder`. */
export class TextSource implements TraceSource {
  first: bigint | null = null;
  last: bigint | null = null;
  /** Text traces declare no event classes. */
  schema: EventClassSchema[] | null = null;
  private readonly medium: LineMedium;
  private readonly file: string;

  /** `stream` is read instead of `path` when given (stdin: path "-"). */
  constructor(
    readonly path: string,
    readonly hostId: string,
    readonly format: string,
    private readonly newDecoder: () => LineDecoder,
    private readonly onIssue: (issue: ReadIssue) => void,
    stream: Readable | null = null,
  ) {
    this.medium = new LineMedium(path, stream);
    this.file = this.medium.file;
  }

  /** Finds the first timestamp (and for files with a real clock, the last one from the tail). */
  async open(): Promise<void> {
    this.first = await this.medium.head((it, keep) => _firstTs(it, keep, this.newDecoder()));
    if (this.medium.isFile && this.newDecoder().absoluteTime) this.last = await this.tailTs();
  }

  async *batches(origin: bigint, host: number): AsyncIterable<SourceItem[]> {
    const decoder = this.newDecoder();
    let oSec = Number(origin / 1_000_000_000n);
    let oNsec = Number(origin % 1_000_000_000n);
    if (oNsec < 0) {
      oNsec += 1e9;
      oSec -= 1;
    }
    const pool: EventSlot[] = [];
    const pools = new BatchPools();
    let used = 0;
    let lineNo = 0;
    let bad = 0;
    const order = new OrderWatch();
    let lastTs = 0;
    let lastSec = 0;
    let lastNsec = 0;
    let untimedNoted = false;
    /** Last ts per CPU, and untimed losses waiting for that CPU's next event. */
    const lastOnCpu = new Map<number, number>();
    const pendingLoss = new Map<number, LossMarker>();

    const issue = (severity: ReadIssue["severity"], line: number, message: string): void => {
      this.onIssue({ severity, file: this.file, line, message });
    };

    const take = (line: string | null, final: boolean, batch: SourceItem[]): void => {
      lineNo++;
      if (line === null) {
        if (++bad <= MAX_LINE_ISSUES) issue("error", lineNo, "line too long (over 16 MiB): not a text trace line; skipped");
        return;
      }
      const slot = pool[used] ?? (pool[used] = new EventSlot(host, pools));
      const outcome = decoder.decode(line, slot);
      if (decoder.notes.length > 0) {
        for (const note of decoder.notes) issue("warning", lineNo, note);
        decoder.notes.length = 0;
      }
      if (outcome === LINE_EVENT) {
        if (!slot.timed) {
          slot.sec = lastSec;
          slot.nsec = lastNsec;
          if (!untimedNoted) {
            untimedNoted = true;
            issue("warning", lineNo, "events without a timestamp (the trace has no clock): each takes the time of the event before it (0 at the start)");
          }
        }
        const ts = (slot.sec - oSec) * 1e9 + (slot.nsec - oNsec);
        const ev = slot.event;
        ev.ts = ts;
        order.see(ts, lineNo);
        const pending = pendingLoss.get(ev.cpu);
        if (pending !== undefined) {
          pending.end = ts;
          batch.push(pending);
          pendingLoss.delete(ev.cpu);
        }
        lastOnCpu.set(ev.cpu, ts);
        lastTs = ts;
        lastSec = slot.sec;
        lastNsec = slot.nsec;
        batch.push(ev);
        used++;
        if (final) issue("warning", lineNo, "the input does not end with a newline: this last line may be cut short (truncated file?)");
      } else if (outcome === LINE_LOSS) {
        const l = decoder.loss;
        if (l.timed) {
          const start = (l.startSec - oSec) * 1e9 + (l.startNsec - oNsec);
          const end = (l.endSec - oSec) * 1e9 + (l.endNsec - oNsec);
          batch.push({ kind: "loss", host, cpu: l.cpu, start, end, count: l.count });
        } else {
          const start = lastOnCpu.get(l.cpu) ?? lastTs;
          const prev = pendingLoss.get(l.cpu);
          if (prev !== undefined) prev.count = prev.count < 0 || l.count < 0 ? -1 : prev.count + l.count;
          else pendingLoss.set(l.cpu, { kind: "loss", host, cpu: l.cpu, start, end: start, count: l.count });
        }
      } else if (outcome === LINE_ERROR) {
        if (++bad <= MAX_LINE_ISSUES) {
          const cut = final ? " — the input ends mid-line (truncated?)" : "";
          issue("error", lineNo, `bad ${this.format} line: ${decoder.error}${cut}; line skipped`);
        }
      }
    };

    yield* lineBatches(this.medium.body(), TEXT_BATCH, {
      take,
      // The consumer is done with the last batch: its slots and payload objects serve again.
      next: () => {
        used = 0;
        pools.nextBatch();
      },
      // Untimed losses still waiting for their CPU's next event end with the trace.
      end: (batch) => {
        for (const loss of pendingLoss.values()) {
          loss.end = Math.max(loss.start, lastTs);
          batch.push(loss);
        }
      },
    });

    if (bad > MAX_LINE_ISSUES) {
      this.onIssue({ severity: "error", file: this.file, message: `${bad} bad lines in all; only the first ${MAX_LINE_ISSUES} were reported` });
    }
    order.report(this.file, this.onIssue);
  }

  // --- internal ---

  /** The time of the last decodable line among the file's last 64 KiB (a hint, not a bound). */
  private async tailTs(): Promise<bigint | null> {
    const lines = await this.medium.tailLines();
    const dec = this.newDecoder();
    const slot = new EventSlot(0);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!.replace(/\r$/, "");
      if (dec.decode(line, slot) === LINE_EVENT && slot.timed) return absNs(slot.sec, slot.nsec);
    }
    return null;
  }
}

/** A `TextSource` for `path` (stdin for `-`) with a format's decoder. */
export function openTextSource(path: string, options: TextReaderOptions, format: string, newDecoder: () => LineDecoder): TextSource {
  const stdin = path === "-";
  const hostId = options.hostId ?? (stdin ? "stdin" : basename(path));
  const stream = stdin ? (options.stdin ?? process.stdin) : null;
  return new TextSource(path, hostId, format, newDecoder, options.onIssue, stream);
}

// --- internal ---

/**
 * The absolute time of the first event (0 when it has none: a clockless trace); null when there
 * is no event. Stops pulling there; chunks pulled are kept in `keep` (a stream's replay buffer).
 */
async function _firstTs(it: AsyncIterator<Uint8Array | string>, keep: Array<Uint8Array | string> | null, dec: LineDecoder): Promise<bigint | null> {
  const splitter = new LineSplitter();
  const slot = new EventSlot(0);
  for (;;) {
    const r = await it.next();
    if (!r.done) keep?.push(r.value);
    const lines = r.done ? [splitter.end()] : splitter.push(r.value);
    for (const line of lines) {
      if (typeof line === "string" && dec.decode(line, slot) === LINE_EVENT) return slot.timed ? absNs(slot.sec, slot.nsec) : 0n;
    }
    if (r.done) return null;
  }
}
