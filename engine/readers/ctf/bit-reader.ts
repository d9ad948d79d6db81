/**
 * Bit-packed integer reads at any bit position, size 1..64, either byte order (CTF 1.8 §4.1.5).
 *
 * Contract: positions are in bits from the start of `u8`. Little-endian fields fill each byte
 * from its least significant bit and assemble least significant bits first; big-endian fields
 * fill from the most significant bit and assemble most significant bits first. Results are
 * exact: a `number` when the value is a safe integer, else a `bigint`. Reading past the end of
 * `u8` reads zero bits (callers check bounds against the content end). No allocation except
 * the `bigint` of wide values.
 */

const POW2: number[] = Array.from({ length: 65 }, (_, i) => 2 ** i);
const TWO_POW_32 = 4294967296;
/** hi words below this give hi * 2^32 + lo < 2^53 */
const SAFE_HI = 0x200000;

/** Unsigned field of `size` bits at bit `p`; `le` selects the byte order. */
export function readUnsigned(u8: Uint8Array, p: number, size: number, le: boolean): number | bigint {
  if (size <= 32) return le ? _le(u8, p, size) : _be(u8, p, size);
  const hiBits = size - 32;
  const lo = le ? _le(u8, p, 32) : _be(u8, p + hiBits, 32);
  const hi = le ? _le(u8, p + 32, hiBits) : _be(u8, p, hiBits);
  return combineUnsigned(hi, lo);
}

/** Signed (two's complement) field of `size` bits at bit `p`. */
export function readSigned(u8: Uint8Array, p: number, size: number, le: boolean): number | bigint {
  if (size <= 32) {
    const v = le ? _le(u8, p, size) : _be(u8, p, size);
    return v >= POW2[size - 1] ? v - POW2[size] : v;
  }
  const hiBits = size - 32;
  const lo = le ? _le(u8, p, 32) : _be(u8, p + hiBits, 32);
  let hi = le ? _le(u8, p + 32, hiBits) : _be(u8, p, hiBits);
  if (hi >= POW2[hiBits - 1]) hi -= POW2[hiBits];
  return combineSigned(hi, lo);
}

/** hi (unsigned, < 2^32) and lo 32-bit words → exact unsigned value. */
export function combineUnsigned(hi: number, lo: number): number | bigint {
  return hi < SAFE_HI ? hi * TWO_POW_32 + lo : (BigInt(hi) << 32n) + BigInt(lo);
}

/** hi (signed) and lo (unsigned) 32-bit words → exact signed value. */
export function combineSigned(hi: number, lo: number): number | bigint {
  return hi < SAFE_HI && hi >= -SAFE_HI ? hi * TWO_POW_32 + lo : (BigInt(hi) << 32n) + BigInt(lo);
}

const F32 = new DataView(new ArrayBuffer(8));

/** IEEE-754 binary32 from its bit pattern (for floats that are not byte-aligned). */
export function floatFromBits32(bits: number): number {
  F32.setUint32(0, bits >>> 0);
  return F32.getFloat32(0);
}

/** IEEE-754 binary64 from its bit pattern as a 64-bit unsigned value. */
export function floatFromBits64(bits: number | bigint): number {
  const b = BigInt(bits);
  F32.setUint32(0, Number(b >> 32n));
  F32.setUint32(4, Number(b & 0xffffffffn));
  return F32.getFloat64(0);
}

// --- internal ---

/** Little-endian, size <= 32: gathers chunks of at most one byte, lowest bits first. */
function _le(u8: Uint8Array, p: number, size: number): number {
  let v = 0;
  let got = 0;
  while (got < size) {
    const bit = p & 7;
    const take = Math.min(8 - bit, size - got);
    const byte = u8[p >>> 3] ?? 0;
    v += ((byte >>> bit) & ((1 << take) - 1)) * POW2[got];
    got += take;
    p += take;
  }
  return v;
}

/** Big-endian, size <= 32: gathers chunks of at most one byte, highest bits first. */
function _be(u8: Uint8Array, p: number, size: number): number {
  let v = 0;
  let got = 0;
  while (got < size) {
    const bit = p & 7;
    const take = Math.min(8 - bit, size - got);
    const byte = u8[p >>> 3] ?? 0;
    v = v * (1 << take) + ((byte >>> (8 - bit - take)) & ((1 << take) - 1));
    got += take;
    p += take;
  }
  return v;
}
