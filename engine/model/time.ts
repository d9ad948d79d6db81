/**
 * Time: integer nanoseconds. The engine keeps `number` offsets from a per-run `bigint` origin
 * so that the hot path never touches bigint; the origin is 0n when every timestamp fits in
 * 2^53 (104 days), else the smallest timestamp of the run.
 */

export const MAX_SAFE_TS = BigInt(Number.MAX_SAFE_INTEGER);

/** Chooses the run's origin from the first timestamps of all its sources. */
export function chooseOrigin(firstTimestamps: Array<bigint | null>, lastTimestamps: Array<bigint | null> = []): bigint {
  const all = [...firstTimestamps, ...lastTimestamps].filter((t): t is bigint => t !== null);
  if (all.length === 0) return 0n;
  const max = all.reduce((a, b) => (a > b ? a : b));
  if (max < MAX_SAFE_TS) return 0n;
  return firstTimestamps.filter((t): t is bigint => t !== null).reduce((a, b) => (a < b ? a : b), max);
}

const UNITS: Array<[string, number]> = [["s", 1e9], ["ms", 1e6], ["us", 1e3], ["ns", 1]];

/** Human-readable duration for tables and messages: `12.5ms`, `3s`, `250ns`. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const abs = Math.abs(ns);
  for (const [unit, scale] of UNITS) {
    if (abs >= scale || unit === "ns") {
      const v = ns / scale;
      return `${Number.isInteger(v) ? v : Number(v.toFixed(3))}${unit}`;
    }
  }
  return `${ns}ns`;
}
