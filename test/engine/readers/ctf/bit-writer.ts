/**
 * A reference bit writer for tests: lays values out as CTF 1.8 §4.1.5 says (little-endian
 * fields fill each byte from its least significant bit, big-endian from its most significant),
 * one bit at a time, independently of the reader's code.
 */
export class BitWriter {
  private bytes = new Uint8Array(1024);
  /** Current position in bits. */
  pos = 0;

  /** Pads to a multiple of `bits` with zero bits. */
  align(bits: number): this {
    this.pos = Math.ceil(this.pos / bits) * bits;
    this.grow(this.pos);
    return this;
  }

  /** Writes the low `size` bits of `v` (two's complement for negatives). */
  int(v: number | bigint, size: number, le: boolean): this {
    let x = BigInt.asUintN(size, BigInt(v));
    this.grow(this.pos + size);
    for (let k = 0; k < size; k++) {
      // LE: value bit k goes to stream bit pos+k; BE: value bit (size-1-k) does.
      const bit = le ? Number((x >> BigInt(k)) & 1n) : Number((x >> BigInt(size - 1 - k)) & 1n);
      const i = this.pos + k;
      if (bit) this.bytes[i >> 3] |= le ? 1 << (i & 7) : 1 << (7 - (i & 7));
    }
    x = 0n;
    this.pos += size;
    return this;
  }

  /** Writes a NUL-terminated UTF-8 string (byte-aligned). */
  str(s: string): this {
    this.align(8);
    for (const b of new TextEncoder().encode(s)) this.int(b, 8, true);
    return this.int(0, 8, true);
  }

  /** Writes raw bytes (byte-aligned). */
  raw(b: Uint8Array): this {
    this.align(8);
    for (const x of b) this.int(x, 8, true);
    return this;
  }

  /** Overwrites an unsigned field already written at bit `at`. */
  patch(at: number, v: number | bigint, size: number, le: boolean): this {
    const save = this.pos;
    this.pos = at;
    for (let k = 0; k < size; k++) {
      const i = at + k;
      this.bytes[i >> 3] &= ~(le ? 1 << (i & 7) : 1 << (7 - (i & 7)));
    }
    this.int(v, size, le);
    this.pos = save;
    return this;
  }

  /** The bytes written so far (whole bytes). */
  done(): Uint8Array {
    return this.bytes.slice(0, Math.ceil(this.pos / 8));
  }

  private grow(bits: number): void {
    const need = Math.ceil(bits / 8) + 8;
    if (need <= this.bytes.length) return;
    const b = new Uint8Array(Math.max(need, this.bytes.length * 2));
    b.set(this.bytes);
    this.bytes = b;
  }
}
