/**
 * Streaming per-group accumulators for one aggregate argument, packed in a Float64Array so a
 * group costs one allocation however many aggregates read the same argument.
 *
 * Contract: after the code of `momentUpdateCode(base, NEED_ALL)` has seen the finite values
 * v1..vn (with their timestamps), the slot at `base` holds n, Σv, min, max, the running mean
 * and M2 (Welford's sum of squared deviations, numerically stable where Σv² − n·mean² would
 * cancel), and the value with the smallest ts (first; ties → earliest arrival) and with the
 * largest ts (last; ties → latest arrival); with fewer needs, n, Σv and the parts named.
 * `momentValue` turns a slot into an aggregate's output.
 */
import type { AggFn } from "../../../grammar/ast.js";

/** Doubles per argument slot. */
export const MOMENT_STRIDE = 10;

const N = 0;
const SUM = 1;
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

/** What a slot's readers need beyond its count and sum, as bits (`momentNeeds`). */
export const NEED_MIN = 1;
export const NEED_MAX = 2;
/** The running mean and M2, for stddev. */
export const NEED_SPREAD = 4;
export const NEED_FIRST = 8;
export const NEED_LAST = 16;
export const NEED_ALL = NEED_MIN | NEED_MAX | NEED_SPREAD | NEED_FIRST | NEED_LAST;

/** The parts of a slot that `fn` reads beyond count and sum (`avg` is Σv/n). */
export function momentNeeds(fn: AggFn): number {
  switch (fn) {
    case "sum": case "avg": return 0;
    case "min": return NEED_MIN;
    case "max": return NEED_MAX;
    case "stddev": return NEED_SPREAD;
    case "first": return NEED_FIRST;
    case "last": return NEED_LAST;
    default: return NEED_ALL;
  }
}

/**
 * JavaScript statements adding one finite value `v` seen at `ts` to the slot at `base` of the
 * array `a`, keeping only the parts in `needs` up to date (count and sum always): the table
 * updates are generated from this, one straight line per slot. Only integers enter the code.
 */
export function momentUpdateCode(base: number, needs: number): string {
  const at = (k: number) => `a[${base + k}]`;
  const out = [`${at(N)} += 1; ${at(SUM)} += v;`];
  if (needs & NEED_MIN) out.push(`if (v < ${at(MIN)}) ${at(MIN)} = v;`);
  if (needs & NEED_MAX) out.push(`if (v > ${at(MAX)}) ${at(MAX)} = v;`);
  // Welford: the mean moves by delta / n, M2 grows by delta times the distance to the new mean
  if (needs & NEED_SPREAD) out.push(`{ const mean = ${at(MEAN)}, delta = v - mean, next = mean + delta / ${at(N)}; ${at(MEAN)} = next; ${at(M2)} += delta * (v - next); }`);
  if (needs & NEED_FIRST) out.push(`if (ts < ${at(FIRST_TS)}) { ${at(FIRST_TS)} = ts; ${at(FIRST_V)} = v; }`);
  if (needs & NEED_LAST) out.push(`if (ts >= ${at(LAST_TS)}) { ${at(LAST_TS)} = ts; ${at(LAST_V)} = v; }`);
  return out.join(" ");
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
