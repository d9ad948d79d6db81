/**
 * Integer scanning straight from a line, without substrings on the common path: the text
 * formats print numbers in decimal or hex, and the readers must keep 64-bit values exact.
 *
 * Contract: each scanner reads the longest run of digits at `pos` (bounded by `end`), leaves its
 * value in `scanned.value` — a `number` when it is a safe integer, else a `bigint` (FieldValue's rule)
 * — and returns the position after the digits, or -1 when there is no digit at `pos`.
 */
import type { FieldValue } from "../../model/event.js";

/** Holds the value of the last successful scan (one shared slot: the readers are synchronous). */
export const scanned: { value: FieldValue } = { value: 0 };

/** Optional `-`, then decimal digits. */
/** True for a char code of `0`..`9`. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function scanDecimal(s: string, pos: number, end: number): number {
  let i = pos;
  const neg = i < end && s.charCodeAt(i) === 45; /* - */
  if (neg) i++;
  const digits = i;
  let v = 0;
  while (i < end) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    i++;
  }
  if (i === digits) return -1;
  // 15 digits always fit in 2^53; longer runs are re-read exactly
  if (i - digits > 15 && !Number.isSafeInteger(v)) scanned.value = _big(s.slice(digits, i), 10, neg);
  else scanned.value = neg && v !== 0 ? -v : v;
  return i;
}

/** Optional `0x`/`0X`, then hex digits; unsigned. */
export function scanHex(s: string, pos: number, end: number): number {
  let i = pos;
  if (i + 1 < end && s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) i += 2;
  const digits = i;
  let v = 0;
  while (i < end) {
    const h = _hexDigit(s.charCodeAt(i));
    if (h < 0) break;
    v = v * 16 + h;
    i++;
  }
  if (i === digits) return -1;
  scanned.value = i - digits > 13 && !Number.isSafeInteger(v) ? _big(s.slice(digits, i), 16, false) : v;
  return i;
}

/** Like `scanHex`, then read as a two's-complement 64-bit value (syscall returns print as hex). */
export function scanHexSigned64(s: string, pos: number, end: number): number {
  const r = scanHex(s, pos, end);
  if (r < 0) return r;
  if (typeof scanned.value === "bigint") {
    const v = BigInt.asIntN(64, scanned.value);
    scanned.value = v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
  }
  return r;
}

/** Parses a whole token as a number: decimal, or hex with a `0x` prefix; null when it is not one. */
export function parseIntegerToken(s: string, pos: number, end: number): FieldValue | null {
  if (pos >= end) return null;
  const hex = end - pos > 2 && s.charCodeAt(pos) === 48 && (s.charCodeAt(pos + 1) | 0x20) === 120;
  const r = hex ? scanHex(s, pos, end) : scanDecimal(s, pos, end);
  return r === end ? scanned.value : null;
}

// --- internal ---

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function _hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

function _big(digits: string, radix: 10 | 16, neg: boolean): FieldValue {
  const v = BigInt(radix === 16 ? "0x" + digits : digits);
  const signed = neg ? -v : v;
  return signed >= -MAX_SAFE && signed <= MAX_SAFE ? Number(signed) : signed;
}
