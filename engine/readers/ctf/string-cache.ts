/**
 * UTF-8 bytes → string, through a small direct-mapped cache for short strings: trace text
 * repeats (`comm`, `procname`, interrupt and device names), and returning the cached string
 * instead of building a new one takes most string allocation off the decode hot path.
 *
 * Contract: `decodeText(u8, s, e)` returns the string of bytes [s, e) (invalid UTF-8 becomes
 * U+FFFD, as `TextDecoder` does); equal bytes give equal strings, cached or not.
 */

const SIZE = 4096;
/** Longest string cached (bytes): file paths repeat as much as names do. */
export const MAX_CACHED = 128;
const keys: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(SIZE);
const values: string[] = new Array<string>(SIZE).fill("");
const UTF8 = new TextDecoder("utf-8");

/** FNV-1a step: callers that scan bytes anyway (for the NUL) hash them on the way. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** The string of UTF-8 bytes `u8[s..e)`. */
export function decodeText(u8: Uint8Array, s: number, e: number): string {
  let h = HASH_SEED;
  for (let i = s; i < e && i - s <= MAX_CACHED; i++) h = Math.imul(h ^ u8[i], 16777619);
  return textOf(u8, s, e, h);
}

/** As `decodeText`, given `h`: the FNV-1a hash (from `HASH_SEED`) of the bytes, when at most `MAX_CACHED`. */
export function textOf(u8: Uint8Array, s: number, e: number, h: number): string {
  const n = e - s;
  if (n === 0) return "";
  if (n > MAX_CACHED) return UTF8.decode(u8.subarray(s, e));
  h ^= n;
  const slot = (h ^ (h >>> 15)) & (SIZE - 1);
  const k = keys[slot];
  if (k !== undefined && k.length === n) {
    let i = 0;
    while (i < n && k[i] === u8[s + i]) i++;
    if (i === n) return values[slot];
  }
  const str = _decode(u8, s, e);
  keys[slot] = u8.slice(s, e);
  values[slot] = str;
  return str;
}

// --- internal ---

function _decode(u8: Uint8Array, s: number, e: number): string {
  let r = "";
  for (let i = s; i < e; i++) {
    const c = u8[i];
    if (c >= 0x80) return UTF8.decode(u8.subarray(s, e));
    r += String.fromCharCode(c);
  }
  return r;
}
