/**
 * The medium of the line-based readers (JSON Lines, ftrace, perf script, babeltrace2 text): a
 * file, which can be read several times and from its tail, or a stream (stdin) read once,
 * whose chunks `open` consumed to find the first timestamp are replayed to `batches`.
 */
import { createReadStream } from "node:fs";
import { open as openFile } from "node:fs/promises";
import type { Readable } from "node:stream";

export type Chunk = Uint8Array | string;

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

  /** The whole input: the file from its start, or the stream (replay first); a stream only once. */
  body(): AsyncIterable<Chunk> {
    if (this.input === null) return { [Symbol.asyncIterator]: () => chunks(createReadStream(this.path, { highWaterMark: 1 << 20 })) };
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

async function* chunks(s: Readable): AsyncGenerator<Chunk> {
  for await (const c of s) yield c as Chunk;
}
