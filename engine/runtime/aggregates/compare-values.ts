/**
 * A total order over `FieldValue`s, used to sort table rows and to break ties between groups.
 *
 * Contract: `compareFieldValues` is a total, deterministic order (never depends on insertion
 * order or locale), so two runs over the same events sort their rows identically.
 *
 * Order between kinds: null < boolean < number/bigint < string < array.
 * Numbers and bigints compare by mathematical value (`3 < 4n`); when equal (`1` and `1n`) the
 * number sorts first, so `1` and `1n` remain distinct but ordered. NaN sorts after every number,
 * `-0` equals `0`. Strings compare by UTF-16 code units (like `Array.prototype.sort`), not by
 * locale, because a locale-dependent order would make output differ between machines.
 * Arrays compare element by element, then by length.
 */
import type { FieldValue } from "../../model/event.js";

/** Negative when `a` sorts before `b`, positive after, 0 when they are the same value. */
export function compareFieldValues(a: FieldValue, b: FieldValue): number {
  const ra = _kindRank(a);
  const rb = _kindRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case RANK_NULL:
      return 0;
    case RANK_BOOL:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case RANK_NUMERIC:
      return _compareNumeric(a as number | bigint, b as number | bigint);
    case RANK_STRING:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    default:
      return _compareArrays(a as FieldValue[], b as FieldValue[]);
  }
}

/** Compares two rows of group values column by column (the tiebreak of table ordering). */
export function compareGroupValues(a: readonly FieldValue[], b: readonly FieldValue[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareFieldValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

// --- internal ---

const RANK_NULL = 0;
const RANK_BOOL = 1;
const RANK_NUMERIC = 2;
const RANK_STRING = 3;
const RANK_ARRAY = 4;

function _kindRank(v: FieldValue): number {
  if (v === null) return RANK_NULL;
  switch (typeof v) {
    case "boolean":
      return RANK_BOOL;
    case "number":
    case "bigint":
      return RANK_NUMERIC;
    case "string":
      return RANK_STRING;
    default:
      return RANK_ARRAY;
  }
}

function _compareNumeric(a: number | bigint, b: number | bigint): number {
  const aNaN = typeof a === "number" && a !== a;
  const bNaN = typeof b === "number" && b !== b;
  if (aNaN || bNaN) return (aNaN ? 1 : 0) - (bNaN ? 1 : 0);
  // JS relational operators compare number and bigint by mathematical value, exactly.
  if (a < b) return -1;
  if (a > b) return 1;
  // Mathematically equal: keep `1` before `1n` so distinct groups still order deterministically.
  const ta = typeof a === "bigint" ? 1 : 0;
  const tb = typeof b === "bigint" ? 1 : 0;
  return ta - tb;
}

function _compareArrays(a: FieldValue[], b: FieldValue[]): number {
  return compareGroupValues(a, b);
}
