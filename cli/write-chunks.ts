/**
 * Writes output that comes in pieces (see `OutputFormatter.write`) without ever joining it:
 * to a file as the pieces come (a long run's JSON is never held whole), to a stream with
 * back-pressure (a slow pipe reader must not make Vigil buffer the output a second time).
 */
import { once } from "node:events";
import { closeSync, openSync, writeSync } from "node:fs";
import type { Writable } from "node:stream";

/** Writes each piece to `path` as it comes; the file is created (or truncated) at the first. */
export class FileSink {
  private fd = -1;

  constructor(readonly path: string) {}

  readonly write = (chunk: string): void => {
    if (this.fd < 0) this.fd = openSync(this.path, "w");
    writeSync(this.fd, chunk);
  };

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Writes `chunks` to `out`, waiting for `drain` whenever it asks to. */
export async function writeChunks(out: Writable, chunks: readonly string[]): Promise<void> {
  for (const c of chunks) {
    if (!out.write(c)) await once(out, "drain");
  }
}
