/**
 * Writes output that comes in pieces (see `OutputFormatter.write`) without ever joining it:
 * to a file synchronously, to a stream with back-pressure (a slow pipe reader must not make
 * Vigil buffer the whole output a second time).
 */
import { once } from "node:events";
import { closeSync, openSync, writeSync } from "node:fs";
import type { Writable } from "node:stream";

/** Writes `chunks` to `path` (created or truncated). */
export function writeChunksToFile(path: string, chunks: readonly string[]): void {
  const fd = openSync(path, "w");
  try {
    for (const c of chunks) writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
}

/** Writes `chunks` to `out`, waiting for `drain` whenever it asks to. */
export async function writeChunks(out: Writable, chunks: readonly string[]): Promise<void> {
  for (const c of chunks) {
    if (!out.write(c)) await once(out, "drain");
  }
}
