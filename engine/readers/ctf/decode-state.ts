/**
 * The mutable state compiled decoders read and write while walking one stream's packets, and
 * the small runtime (`DecodeRuntime`) generated code calls for the slow cases.
 *
 * Contract: positions are bit offsets into `u8`, whose byte 0 is aligned for every type of the
 * trace (the stream source guarantees it). `clk` is the stream's running clock in cycles
 * relative to `base.hi * 2^32` (shared by every stream of a trace, fixed by the first 64-bit
 * clock value decoded), so it stays an exact `number` for 104 days of trace at 1 GHz whatever
 * the uptime. Decoders throw `DecodeError` (never anything else on purpose) for bad data.
 */
import type { Fields } from "../../model/event.js";
import { HASH_SEED, MAX_CACHED, textOf } from "./string-cache.js";
import { combineSigned, combineUnsigned, floatFromBits32, floatFromBits64, readSigned, readUnsigned } from "./bit-reader.js";

/** Bad stream data found while decoding; `bitPos` is buffer-relative. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly bitPos: number,
  ) {
    super(message);
    this.name = "DecodeError";
  }
}

/** The trace-wide clock base: high 32 bits of the first 64-bit clock value, -1 until known. */
export interface ClockBase {
  hi: number;
}

/** Per-stream decoding state: buffer, content end, running clock, last id and scopes. */
export class DecodeState {
  u8: Uint8Array = new Uint8Array(0);
  dv: DataView = new DataView(new ArrayBuffer(0));
  /** End of the current packet's content, in bits. */
  end = 0;
  /** Running clock, cycles relative to `base.hi * 2^32`. */
  clk = 0;
  /** Event id from the last event header. */
  id: number | bigint = 0;
  /** Position after the last string read (bytes). */
  strEnd = 0;
  /** Last decoded packet header, packet context and event header (for paths into them). */
  ph: Fields = {};
  pc: Fields = {};
  eh: Fields = {};

  constructor(readonly base: ClockBase) {}

  setBuffer(u8: Uint8Array): void {
    this.u8 = u8;
    this.dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  }
}

const TWO_POW_32 = 4294967296;

/** Helpers called from generated decoders (passed in as `R`). */
export const DecodeRuntime = {
  DecodeError,
  ru: readUnsigned,
  rs: readSigned,
  cu: combineUnsigned,
  cs: combineSigned,
  f32: floatFromBits32,
  f64: floatFromBits64,

  /** NUL-terminated string starting at byte `s`; sets `st.strEnd` past the NUL. */
  str(st: DecodeState, s: number): string {
    const u8 = st.u8;
    const endByte = st.end >>> 3;
    // One pass: find the NUL and hash the bytes for the string cache.
    let h = HASH_SEED;
    let e = s;
    const lim = Math.min(endByte, s + MAX_CACHED + 1);
    while (e < lim) {
      const c = u8[e];
      if (c === 0) break;
      h = Math.imul(h ^ c, 16777619);
      e++;
    }
    // Long strings are not cached: let memchr find their end.
    if (e === s + MAX_CACHED + 1) e = u8.indexOf(0, e);
    if (e < 0 || e >= endByte) throw new DecodeError(`Unterminated string at byte ${s}`, s * 8);
    st.strEnd = e + 1;
    return textOf(u8, s, e, h);
  },

  /** Text array of `n` bytes at byte `s`, up to its first NUL. */
  text(u8: Uint8Array, s: number, n: number): string {
    let h = HASH_SEED;
    let e = s;
    const lim = s + n;
    while (e < lim) {
      const c = u8[e];
      if (c === 0) break;
      h = Math.imul(h ^ c, 16777619);
      e++;
    }
    return textOf(u8, s, e, h);
  },

  /** Checks that `n` elements of at least `minBits` each fit before the content end. */
  len(st: DecodeState, p: number, raw: number | bigint, minBits: number, what: string): number {
    const n = typeof raw === "bigint" ? Number(raw) : raw;
    const room = st.end - p;
    // Zero-size elements cannot overrun the packet; cap their count so bad data cannot hang us.
    if (!(n >= 0) || (minBits > 0 ? n * minBits > room : n > 16777216)) {
      throw new DecodeError(`${what}: length ${raw} does not fit in the ${room} bits left in the packet`, p);
    }
    return n;
  },

  /** Clock update from a 64-bit value read as one number/bigint (unaligned reads). */
  clk64(st: DecodeState, v: number | bigint): void {
    const b = BigInt(v);
    const hi = Number(b >> 32n);
    if (st.base.hi < 0) st.base.hi = hi;
    st.clk = (hi - st.base.hi) * TWO_POW_32 + Number(b & 0xffffffffn);
  },

  /** Clock update from an N-bit value, 33 <= N <= 63 (CTF wrap rule). */
  clkWide(st: DecodeState, v: number | bigint, n: number): void {
    const base = st.base.hi < 0 ? 0n : BigInt(st.base.hi) << 32n;
    const mod = 1n << BigInt(n);
    const cur = BigInt(st.clk) + base;
    const low = cur & (mod - 1n);
    const val = BigInt(v);
    const next = cur - low + val + (val < low ? mod : 0n);
    st.clk = Number(next - base);
  },

  /** Throws for a variant whose tag matches no option. */
  noOption(p: number, what: string, tag: number | bigint): never {
    throw new DecodeError(`${what}: tag value ${tag} selects no option`, p);
  },
};

/** The type of `DecodeRuntime`, as generated code sees it. */
export type DecodeRuntimeT = typeof DecodeRuntime;
