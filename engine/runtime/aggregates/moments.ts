/**
 * Streaming per-group accumulators for one aggregate argument, packed in a Float64Array so a
 * group costs one allocation however many aggregates read the same argument.
 *
 * Contract: after `addMoment` has seen the finite values v1..vn (with their timestamps),
 * the slot at `base` holds n, Σv, min, max, the running mean and M2 (Welford's sum of squared
 * deviations, numerically stable where Σv² − n·mean² would cancel), and the value with the
 * smallest ts (first; ties → earliest arrival) and with the largest ts (last; ties → latest
 * arrival). `momentValue` turns a slot into an aggregate's output.
 */
import type { AggFn } from "../../../grammar/ast.js";

/** Doubles per argument slot. */
export const MOMENT_STRIDE = 10;

const N = 0;
const SUM = 1;
/** Offsets of the count and the sum inside a slot (generated table updates write them). */
export const MOMENT_COUNT = N;
export const MOMENT_SUM = SUM;
const MIN = 2;
const MAX = 3;
const MEAN = 4;
const M2 = 5;
const FIRST_TS = 6;
const FIRST_V = 7;
const LAST_TS = 8;
const LAST_V = 9;

/** A fresh accumulator array for `slots` arguments, every slot empty. */
export function newMoments(slots: number): Float64Array {
  const acc = new Float64Array(slots * MOMENT_STRIDE);
  for (let b = 0; b < acc.length; b += MOMENT_STRIDE) {
    acc[MIN + b] = Infinity;
    acc[MAX + b] = -Infinity;
    acc[FIRST_TS + b] = Infinity;
    acc[LAST_TS + b] = -Infinity;
  }
  return acc;
}

/** Adds one finite value `v` seen at `ts` to the slot starting at `base`. */
export function addMoment(acc: Float64Array, base: number, ts: number, v: number): void {
  const n = acc[base + N] + 1;
  acc[base + N] = n;
  acc[base + SUM] += v;
  if (v < acc[base + MIN]) acc[base + MIN] = v;
  if (v > acc[base + MAX]) acc[base + MAX] = v;
  const mean = acc[base + MEAN];
  const delta = v - mean;
  const nextMean = mean + delta / n;
  acc[base + MEAN] = nextMean;
  acc[base + M2] += delta * (v - nextMean);
  if (ts < acc[base + FIRST_TS]) {
    acc[base + FIRST_TS] = ts;
    acc[base + FIRST_V] = v;
  }
  if (ts >= acc[base + LAST_TS]) {
    acc[base + LAST_TS] = ts;
    acc[base + LAST_V] = v;
  }
}

/** True when `fn`, reading a moment slot, needs only its count and sum (`avg` is Σv/n). */
export function sumSuffices(fn: AggFn): boolean {
  return fn === "sum" || fn === "avg";
}

/** Number of values in the slot. */
export function momentCount(acc: Float64Array, base: number): number {
  return acc[base + N];
}

/** Σv of the slot (0 when empty). */
export function momentSum(acc: Float64Array, base: number): number {
  return acc[base + SUM];
}

/**
 * The value of `fn` over the slot, or null when undefined: min/max/avg/first/last of no value,
 * stddev of fewer than two. `stddev` is the *sample* standard deviation √(M2/(n−1)) — the
 * spread of the values themselves, not `perf kvm stat`'s relative stddev of the mean.
 * `sum` of no value is 0. Other functions are not moment aggregates and throw.
 */
export function momentValue(fn: AggFn, acc: Float64Array, base: number): number | null {
  const n = acc[base + N];
  switch (fn) {
    case "sum":
      return acc[base + SUM];
    case "min":
      return n > 0 ? acc[base + MIN] : null;
    case "max":
      return n > 0 ? acc[base + MAX] : null;
    case "avg":
      // Σv/n rather than the running mean: exact whenever the sum is (integer ns below 2^53).
      return n > 0 ? acc[base + SUM] / n : null;
    case "stddev":
      return n > 1 ? Math.sqrt(Math.max(0, acc[base + M2]) / (n - 1)) : null;
    case "first":
      return n > 0 ? acc[base + FIRST_V] : null;
    case "last":
      return n > 0 ? acc[base + LAST_V] : null;
    default:
      throw new Error(`momentValue: ${fn} is not a moment aggregate`);
  }
}
