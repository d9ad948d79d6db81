/**
 * Deterministic random numbers for aggregate tests: the same seed gives the same values on
 * every machine, so a failing accuracy test can be replayed.
 */

/** mulberry32: a small 32-bit PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal samples exp(mu + sigma·Z), Z standard normal by Box–Muller. */
export function logNormal(rand: () => number, mu: number, sigma: number): number {
  const u1 = 1 - rand(); // (0, 1]: log(0) would be -Infinity
  const u2 = rand();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(mu + sigma * z);
}

/** Exact nearest-rank percentile of an ascending-sorted array, computed the textbook way. */
export function nearestRank(sorted: ArrayLike<number>, percent: number): number {
  // Integer arithmetic: rank = ceil(percent * n / 100) without floating-point surprises.
  const n = sorted.length;
  const rank = Math.max(1, Math.floor((percent * n + 99) / 100));
  return sorted[rank - 1];
}
