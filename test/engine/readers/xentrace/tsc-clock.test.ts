/**
 * TSC → ns: the double-only arithmetic of `TscClock` against BigInt references, over deltas
 * from a few cycles to weeks of uptime, and the option checks.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CPU_HZ, TscClock } from "../../../../engine/readers/xentrace/tsc-clock.js";

/** Deterministic pseudo-random integers in [0, 2^53) (xorshift; no dependency). */
function* deltas(n: number): Generator<number> {
  let x = 0x2545f4914f6cdd1dn;
  for (let i = 0; i < n; i++) {
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    // Spread over magnitudes: up to 2^(10..53).
    const bits = 10n + (x % 44n);
    yield Number((x >> 11n) % (1n << bits));
  }
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

describe("TscClock", () => {
  for (const hz of [DEFAULT_CPU_HZ, 2_099_999_000, 3_700_000_000, 1_000_000_000]) {
    it(`xenalyze scale at ${hz} Hz equals xenalyze's integer formula exactly, for ±d`, () => {
      const clock = new TscClock(hz);
      const qhz = (BigInt(hz) << 10n) / 1_000_000_000n;
      for (const d of deltas(5000)) {
        expect(clock.deltaToNs(d)).toBe(Number((BigInt(d) << 10n) / qhz));
        expect(clock.deltaToNs(-d)).toBe(Number(floorDiv(-(BigInt(d) << 10n), qhz)));
      }
    });

    it(`exact scale at ${hz} Hz is within 1 ns of d·1e9/hz`, () => {
      const clock = new TscClock(hz, "exact");
      for (const d of deltas(5000)) {
        const want = (BigInt(d) * 1_000_000_000n) / BigInt(hz);
        const got = BigInt(clock.deltaToNs(d));
        expect(got - want <= 1n && want - got <= 1n, `d=${d}`).toBe(true);
      }
    });
  }

  it("uses xenalyze's 2.4 GHz when no frequency is given and says it was a default", () => {
    expect(new TscClock(undefined).info).toEqual({ cpuHz: 2_400_000_000, cpuHzFrom: "default", scale: "xenalyze" });
    expect(new TscClock(3e9, "exact").info).toEqual({ cpuHz: 3_000_000_000, cpuHzFrom: "option", scale: "exact" });
    // 2.4 GHz in xenalyze's fixed point is 2457 cycles per 1024 ns: one second of TSC reads 1.000244 s.
    expect(new TscClock(undefined).deltaToNs(2_400_000_000)).toBe(1_000_244_200);
    expect(new TscClock(undefined, "exact").deltaToNs(2_400_000_000)).toBe(1_000_000_000);
  });

  it("rejects frequencies that are not whole Hz of at least 1 MHz", () => {
    for (const bad of [0, -1, 2.5e9 + 0.5, 999_999, Number.NaN]) expect(() => new TscClock(bad)).toThrow(/cpuHz must be/);
  });

  it("gives absolute ns of a base TSC with the same scale", () => {
    expect(new TscClock(1e9).absNs(123_456_789n)).toBe(123_456_789n);
    expect(new TscClock(2.4e9, "exact").absNs(2_400_000_000n * 86_400n)).toBe(86_400_000_000_000n);
  });
});
