/**
 * TSC cycles → nanoseconds for xentrace. A xentrace file carries no CPU frequency, so, like
 * xenalyze's `--cpu-hz`, the user names it and the default is xenalyze's 2.4 GHz.
 *
 * Contract: `deltaToNs(d)` converts a signed cycle count relative to the clock's base TSC.
 * In `xenalyze` mode it is exactly xenalyze's fixed-point formula
 * `(d << 10) / ((hz << 10) / 1e9)` (integer division), so a timestamp relative to the first
 * record equals what `xenalyze --dump-all` prints, to the ns; that formula stretches time
 * by less than 1/⌊hz·1.024e-6⌋ (0.024% at 2.4 GHz) because it truncates that product.
 * `exact` mode computes d·1e9/hz (±1 ns). Both stay in doubles and are exact for
 * |d| < 2^53 cycles (43 days at 2.4 GHz).
 */

/** xenalyze's DEFAULT_CPU_HZ. */
export const DEFAULT_CPU_HZ = 2_400_000_000;

export type TscScale = "xenalyze" | "exact";

/** What the reader used to turn cycles into time, for reports. */
export interface TscClockInfo {
  cpuHz: number;
  /** `default` when the user gave no frequency. */
  cpuHzFrom: "default" | "option";
  scale: TscScale;
}

export class TscClock {
  readonly info: TscClockInfo;
  /** xenalyze's `cpu_qhz`: cycles per 1024 ns, truncated. */
  private readonly qhz: number;
  private readonly hz: number;

  constructor(cpuHz: number | undefined, scale: TscScale = "xenalyze") {
    const hz = cpuHz ?? DEFAULT_CPU_HZ;
    if (!Number.isSafeInteger(hz) || hz < 1_000_000) {
      throw new RangeError(`cpuHz must be a whole number of Hz of at least 1 MHz (e.g. 2400000000), got ${cpuHz}`);
    }
    this.hz = hz;
    this.qhz = Math.floor((hz * 1024) / 1e9);
    this.info = { cpuHz: hz, cpuHzFrom: cpuHz === undefined ? "default" : "option", scale };
    this.deltaToNs = scale === "xenalyze" ? this._xenalyze : this._exact;
  }

  /** Signed cycles since the base TSC → ns since the base. */
  readonly deltaToNs: (cycles: number) => number;

  /** Absolute ns of an absolute TSC (used once per trace, for the base). */
  absNs(tsc: bigint): bigint {
    return this.info.scale === "xenalyze" ? (tsc << 10n) / BigInt(this.qhz) : (tsc * 1_000_000_000n) / BigInt(this.hz);
  }

  // ns = d·1024/qhz (xenalyze's fixed point) or d·1e9/hz (exact), both floored.
  private readonly _xenalyze = (d: number): number => _mulDivFloor(d, 1024, this.qhz);
  private readonly _exact = (d: number): number => _mulDivFloor(d, 1e9, this.hz);
}

// --- internal ---

/**
 * ⌊d·mul/div⌋ for a whole `d` (of either sign) and whole positive `mul`, `div`: exact while
 * |d| < 2^53 and r·mul < 2^53 for every r < div (xenalyze mode); otherwise within 1 (exact
 * mode's ±1 ns). d·mul itself can pass 2^53, so d is split as q·div + r first, and q is moved
 * by one where the float quotient d/div rounded across a whole number (large d).
 */
function _mulDivFloor(d: number, mul: number, div: number): number {
  let q = Math.floor(d / div);
  let r = d - q * div;
  if (r < 0) {
    q -= 1;
    r += div;
  } else if (r >= div) {
    q += 1;
    r -= div;
  }
  return q * mul + Math.floor((r * mul) / div);
}
