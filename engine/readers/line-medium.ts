/**
 * The medium of the line-based readers (JSON Lines, ftrace, perf script, babeltrace2 text): a
 * file, which can be read several times and from its tail, or a stream (stdin) read once,
 * whose chunks `open` consumed to find the first timestamp are replayed to `batches`.
 *
 * A stream also says when its input pauses (`INPUT_PAUSED` between chunks: no more data could
 * be read at once), so readers hand over a partial batch there instead of holding a live
 * stream's events until a full batch arrives. A file never pauses: its batches stay full.
 */
import { createReadStream } from "node:fs";
import { open as openFile } from "node:fs/promises";
import type { Readable } from "node:stream";

export type Chunk = Uint8Array | string;

/** Yielded by `body()` of a stream between chunks when no more input is ready right now. */
export const INPUT_PAUSED = null;

export class LineMedium {
  /** The name issues carry: the path, or `<stdin>`. */
  readonly file: string;
  /** The stream's one iterator, shared by `head` and `body` (null for a file). */
  private readonly input: AsyncIterator<Chunk> | null;
  /** Chunks `head` consumed from the stream, replayed by `body`. */
  private replay: Chunk[] = [];
  private consumed = false;

  constructor(readonly path: string, stream: Readable | null) {
    this.input = stream === null ? null : chunks(stream);
    this.file = stream !== null && path === "-" ? "<stdin>" : path;
  }

  get isFile(): boolean {
    return this.input === null;
  }

  /**
   * Runs `read` over the beginning: a fresh reader of the file (closed afterwards), or the
   * stream with `keep` collecting what it pulls for the replay.
   */
  async head<T>(read: (it: AsyncIterator<Chunk>, keep: Chunk[] | null) => Promise<T>): Promise<T> {
    if (this.input !== null) return read(this.input, this.replay);
    const it = chunks(createReadStream(this.path, { highWaterMark: 1 << 16 }));
    try {
      return await read(it, null);
    } finally {
      await it.return(undefined);
    }
  }

  /**
   * The whole input: the file from its start, or the stream (replay first); a stream only once.
   * For a stream, `INPUT_PAUSED` comes between two chunks when the next one was not ready by
   * the time pending I/O had been polled (one `setImmediate` per chunk: negligible next to
   * decoding a chunk); never twice in a row, never for a file.
   */
  body(): AsyncIterable<Chunk | typeof INPUT_PAUSED> {
    if (this.input === null) return { [Symbol.asyncIterator]: () => chunks(createReadStream(this.path, { highWaterMark: 1 << 20 })) };
    if (this.consumed) throw new Error(`${this.file}: a stream source can be read only once`);
    this.consumed = true;
    const input = this.input;
    const replayed = this.replay;
    this.replay = [];
    return (async function* () {
      yield* replayed;
      for (;;) {
        const next = input.next();
        if (!(await _readyNow(next))) yield INPUT_PAUSED;
        const r = await next;
        if (r.done) return;
        yield r.value;
      }
    })();
  }

  /**
   * The lines of the file's last `bytes`, oldest first. The window's first line may be cut, so
   * it is left out unless the window is the whole file.
   */
  async tailLines(bytes = 1 << 16): Promise<string[]> {
    const fh = await openFile(this.path, "r");
    try {
      const size = (await fh.stat()).size;
      const len = Math.min(size, bytes);
      const buf = new Uint8Array(len);
      await fh.read(buf, 0, len, size - len);
      const lines = new TextDecoder().decode(buf).split("\n");
      return len < size ? lines.slice(1) : lines;
    } finally {
      await fh.close();
    }
  }
}

/**
 * True when `p` settles before the event loop's next check phase: its data was already
 * buffered, or readable as soon as pending I/O was polled. Errors count as ready (the caller
 * awaits `p` next and sees them).
 */
function _readyNow(p: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setImmediate(() => resolve(false));
    p.then(
      () => (clearImmediate(t), resolve(true)),
      () => (clearImmediate(t), resolve(true)),
    );
  });
}

async function* chunks(s: Readable): AsyncGenerator<Chunk> {
  for await (const c of s) yield c as Chunk;
}
