/**
 * The loop every line-based source runs in `batches()`: chunks from a `LineMedium` split into
 * lines, each line handed to the source's decoding, and the decoded items handed on in batches.
 * JSON Lines and the text formats (ftrace, perf script, babeltrace2 text) differ in how they
 * decode a line and what a batch holds, not in when a batch goes out.
 *
 * Contract: every line is given to `take` once, in order, with the batch being filled; the
 * input's last line (one without a newline) with `final` true. A batch goes out when it reaches
 * `batchSize` items, when a live stream pauses (`INPUT_PAUSED`: what was sent must not wait for
 * a full batch) and at the end, after `end`; an empty batch never goes out. Each batch is a new
 * array. `next` is called when the consumer asks for more after a batch went out, before any
 * further line is taken: from then on the source may reuse the objects of the batches it gave.
 */
import { INPUT_PAUSED, type Chunk } from "./line-medium.js";
import { LineSplitter } from "./jsonl/line-splitter.js";

/** What a line-based source plugs into `lineBatches`. */
export interface LineBatcher<T> {
  /** Decodes one line (null: too long to keep) into `batch`. */
  take(line: string | null, final: boolean, batch: T[]): void;
  /** A batch went out and the consumer asked for the next one. */
  next?(): void;
  /** After the last line, before the last batch goes out: items still held back go in. */
  end?(batch: T[]): void;
}

/** The batches of `chunks`, decoded line by line by `batcher` (see the contract above). */
export async function* lineBatches<T>(chunks: AsyncIterable<Chunk | typeof INPUT_PAUSED>, batchSize: number, batcher: LineBatcher<T>): AsyncGenerator<T[]> {
  const splitter = new LineSplitter();
  let batch: T[] = [];
  for await (const chunk of chunks) {
    if (chunk === INPUT_PAUSED) {
      if (batch.length > 0) {
        yield batch;
        batch = [];
        batcher.next?.();
      }
      continue;
    }
    for (const line of splitter.push(chunk)) {
      batcher.take(line, false, batch);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
        batcher.next?.();
      }
    }
  }
  const tail = splitter.end();
  if (tail !== undefined) batcher.take(tail, true, batch);
  batcher.end?.(batch);
  if (batch.length > 0) yield batch;
}
