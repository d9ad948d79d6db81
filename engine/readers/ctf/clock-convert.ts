/**
 * Clock values → nanoseconds from the clock's origin (the Unix epoch for LTTng clocks), exactly
 * as babeltrace2 computes them, so that timestamps match it to the nanosecond.
 *
 * The conversion (CTF 1.8 §8): `offset` cycles are first normalised into `offset_s` so that
 * 0 <= offset < freq; then ns = offset_s * 1e9 + cyc2ns(offset) + (v / freq) * 1e9 + cyc2ns(v % freq),
 * where cyc2ns(c) = c when freq is 1 GHz, else trunc(1e9 * c / freq) in binary64 arithmetic
 * (that rounding is babeltrace's, and reproducing it is what keeps the nanoseconds equal).
 *
 * Contract: `absNs` is exact (bigint). `relNs` returns ns relative to an origin as a `number`,
 * exact while the result and the trace's clock span stay below 2^53; at 1 GHz it costs one add.
 */
import type { ClockClass } from "./metadata-model.js";

const NS_PER_S = 1000000000n;

/** Converts one clock's running values (relative to the trace's clock base) to nanoseconds. */
export class ClockConverter {
  private readonly freq: bigint;
  private readonly freqN: number;
  /** 1 GHz clock: cycles are ns (a boolean, so the hot path never compares bigints). */
  private readonly ghz: boolean;
  /** offset_s * 1e9 + cyc2ns(offset), after normalisation */
  private readonly offsetNs: bigint;
  /** Absolute cycles of clk = 0 (the trace's clock base). */
  private readonly baseCycles: bigint;
  private shift = 0;
  private originNs = 0n;

  /** `baseHi` is the trace's `ClockBase.hi` (running clocks count from `baseHi * 2^32`). */
  constructor(clock: ClockClass | null, baseHi: number) {
    this.freq = clock?.freq ?? NS_PER_S;
    this.freqN = Number(this.freq);
    this.ghz = this.freq === NS_PER_S;
    let offS = clock?.offsetS ?? 0n;
    let off = clock?.offset ?? 0n;
    // Floor division keeps 0 <= off < freq for negative offsets too.
    let q = off / this.freq;
    if (off % this.freq < 0n) q -= 1n;
    offS += q;
    off -= q * this.freq;
    this.offsetNs = offS * NS_PER_S + this.cyc2ns(off);
    this.baseCycles = baseHi < 0 ? 0n : BigInt(baseHi) << 32n;
  }

  /** Exact ns from the clock origin of running-clock value `clk`. */
  absNs(clk: number): bigint {
    const v = this.baseCycles + BigInt(clk);
    if (this.freq === NS_PER_S) return this.offsetNs + v;
    return this.offsetNs + (v / this.freq) * NS_PER_S + this.cyc2ns(v % this.freq);
  }

  /** Fixes the origin (absolute ns) for `relNs`. */
  setOrigin(origin: bigint): void {
    this.shift = Number(this.offsetNs + this.baseCycles - origin);
    this.originNs = origin;
  }

  /** ns relative to the origin set by `setOrigin`. */
  relNs(clk: number): number {
    if (this.ghz) return this.shift + clk;
    return this.slowRel(clk);
  }

  // --- internal ---

  private cyc2ns(c: bigint): bigint {
    if (this.freq === NS_PER_S) return c;
    return BigInt(Math.trunc((1e9 * Number(c)) / this.freqN));
  }

  private slowRel(clk: number): number {
    return Number(this.absNs(clk) - this.originNs);
  }
}
