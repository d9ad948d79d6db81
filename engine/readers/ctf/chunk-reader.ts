/**
 * The medium: a window of one stream file, read with `readSync` in packet-sized blocks so a
 * 100 MB stream never sits in memory at once (the mmap of babeltrace's `fs-src`, done by hand).
 *
 * Contract: `window(off, need, align)` makes bytes [off, off + need) of the file available in
 * `buf` (fewer when the file ends first: see `len`) at an index that is a multiple of `align`,
 * and returns that index. It re-reads only when the current window does not already hold them.
 * `buf` may be replaced by a larger one; callers re-bind after each call (`generation` changes).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Smallest block read at once (larger packets are read whole). */
export const MIN_CHUNK = 1 << 20;
/** Largest packet accepted: positions are kept in bits in 31-bit integers. */
export const MAX_PACKET_BYTES = 1 << 27;

/** A sliding window over one file, refilled with `readSync` when asked for bytes it lacks. */
export class ChunkReader {
  private fd = -1;
  /** File size in bytes. */
  size = 0;
  buf: Uint8Array = new Uint8Array(0);
  /** File offset of `buf[0]`. */
  base = 0;
  /** Valid bytes in `buf`. */
  len = 0;
  /** Changes whenever `buf` is re-filled or replaced. */
  generation = 0;

  constructor(readonly path: string) {}

  /** Opens the file; throws the `fs` error (ENOENT, EACCES) as is. */
  open(): void {
    this.fd = openSync(this.path, "r");
    this.size = fstatSync(this.fd).size;
  }

  /** Index in `buf` of file offset `off`, with [off, off + need) loaded as far as the file goes. */
  window(off: number, need: number, align: number): number {
    const idx = off - this.base;
    if (idx >= 0 && off + need <= this.base + this.len && idx % align === 0) return idx;
    const want = Math.min(Math.max(need, MIN_CHUNK), this.size - off);
    // Bytes already read (the tail of the window, where the next packet usually starts) move
    // to the front instead of being read again.
    let got = 0;
    if (idx >= 0 && idx < this.len && this.buf.length >= want) {
      got = Math.min(this.len - idx, want);
      this.buf.copyWithin(0, idx, idx + got);
    } else if (this.buf.length < want) {
      const grown = new Uint8Array(Math.max(want, MIN_CHUNK));
      if (idx >= 0 && idx < this.len) {
        got = Math.min(this.len - idx, want);
        grown.set(this.buf.subarray(idx, idx + got));
      }
      this.buf = grown;
    }
    while (got < want) {
      const n = readSync(this.fd, this.buf, got, want - got, off + got);
      if (n === 0) break;
      got += n;
    }
    this.base = off;
    this.len = got;
    this.generation++;
    return 0;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.buf = new Uint8Array(0);
  }
}
