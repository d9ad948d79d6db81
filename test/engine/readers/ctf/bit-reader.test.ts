import { describe, expect, test } from "vitest";
import { readSigned, readUnsigned } from "../../../../engine/readers/ctf/bit-reader.js";

/** Reference: the CTF 1.8 §4.1.5 bit order, one bit at a time, in bigint. */
function reference(u8: Uint8Array, p: number, size: number, le: boolean, signed: boolean): bigint {
  let v = 0n;
  for (let k = 0; k < size; k++) {
    const i = p + k;
    const bit = le ? (u8[i >> 3] >> (i & 7)) & 1 : (u8[i >> 3] >> (7 - (i & 7))) & 1;
    // LE assembles least significant bit first, BE most significant first.
    v = le ? v | (BigInt(bit) << BigInt(k)) : (v << 1n) | BigInt(bit);
  }
  if (signed && size > 0 && v >= 1n << BigInt(size - 1)) v -= 1n << BigInt(size);
  return v;
}

/** A deterministic pseudo-random byte buffer (xorshift), so failures reproduce. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const exact = (v: number | bigint): bigint => BigInt(v);

describe("bit-reader", () => {
  test("every size 1..64 at every bit offset 0..15, both byte orders, signed and unsigned, matches the bit-by-bit reference", () => {
    const u8 = bytes(32, 0x9e3779b9);
    let checked = 0;
    for (const le of [true, false]) {
      for (let size = 1; size <= 64; size++) {
        for (let p = 0; p < 16; p++) {
          expect(exact(readUnsigned(u8, p, size, le)), `u${size} at bit ${p} ${le ? "le" : "be"}`).toBe(reference(u8, p, size, le, false));
          expect(exact(readSigned(u8, p, size, le)), `s${size} at bit ${p} ${le ? "le" : "be"}`).toBe(reference(u8, p, size, le, true));
          checked += 2;
        }
      }
    }
    expect(checked).toBe(2 * 64 * 16 * 2);
  });

  test("values are numbers when exact and bigints beyond 2^53", () => {
    const u8 = new Uint8Array(8).fill(0xff);
    expect(readUnsigned(u8, 0, 53, true)).toBe(2 ** 53 - 1);
    expect(readUnsigned(u8, 0, 64, true)).toBe(0xffffffffffffffffn);
    expect(readSigned(u8, 0, 64, true)).toBe(-1);
    const big = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0x80]);
    expect(readSigned(big, 0, 64, true)).toBe(-(2n ** 63n));
    expect(readUnsigned(big, 0, 64, true)).toBe(2n ** 63n);
  });

  test("LTTng compact event header: 5-bit id then 27-bit timestamp in one little-endian word", () => {
    // w = ts27 << 5 | id; id 7, ts27 0x5a5a5a5
    const w = ((0x5a5a5a5 << 5) | 7) >>> 0;
    const u8 = new Uint8Array(4);
    new DataView(u8.buffer).setUint32(0, w, true);
    expect(readUnsigned(u8, 0, 5, true)).toBe(7);
    expect(readUnsigned(u8, 5, 27, true)).toBe(0x5a5a5a5);
    // The same layout on a big-endian trace: id in the top 5 bits.
    const be = new Uint8Array(4);
    new DataView(be.buffer).setUint32(0, ((7 << 27) | 0x5a5a5a5) >>> 0, false);
    expect(readUnsigned(be, 0, 5, false)).toBe(7);
    expect(readUnsigned(be, 5, 27, false)).toBe(0x5a5a5a5);
  });

  test("big-endian sub-byte fields fill from the most significant bit (IPv4 version/ihl)", () => {
    const u8 = new Uint8Array([0x45]);
    expect(readUnsigned(u8, 0, 4, false)).toBe(4);
    expect(readUnsigned(u8, 4, 4, false)).toBe(5);
    // Little-endian fills from the least significant bit: the same byte reads 5 then 4.
    expect(readUnsigned(u8, 0, 4, true)).toBe(5);
    expect(readUnsigned(u8, 4, 4, true)).toBe(4);
  });
});
