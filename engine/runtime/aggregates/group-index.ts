/**
 * Finds the group of a row of group-by values without building a key string per row.
 *
 * Contract: two rows map to the same group exactly when their values are equal column by
 * column under `SameValueZero` (so `1`, `"1"`, `1n` and `true` are four different groups,
 * `0` and `-0` are one, `NaN` equals `NaN`), with array values compared element-wise the same
 * way. The index never keeps a reference to the caller's row: callers copy the values they
 * store (the row is a reused scratch array on the hot path).
 *
 * Why nested maps rather than one composed string key: with one `Map` level per by-column a
 * lookup is `width` hash probes and allocates nothing, and `Map` keys keep JS types apart, so
 * there is no encoding to get wrong (no collision between `1` and `"1"`, no JSON.stringify of
 * bigints). Only array values — rare as group keys — are encoded, into a tagged,
 * length-prefixed string kept in a separate map per level, so they cannot collide with string
 * values either.
 */
import type { FieldValue } from "../../model/event.js";

export class GroupIndex<G> {
  private readonly width: number;
  private readonly root = new _Level();
  /** The one group of a table without by-columns. */
  private single: G | undefined = undefined;
  /** The group `find` returned last (never one with an array value), and its values. */
  private lastGroup: G | undefined = undefined;
  private readonly lastValues: FieldValue[] = [];

  /** @param width number of group-by columns (0 for a table without `by`). */
  constructor(width: number) {
    this.width = width;
  }

  /** The group stored for `values[0..width)`, or undefined when this is its first sight. */
  find(values: readonly FieldValue[]): G | undefined {
    const width = this.width;
    if (width === 0) return this.single;
    // Consecutive rows often belong to the same group (one vCPU's intervals, one VM's
    // exits): compare with the last group found before walking the maps.
    const last = this.lastValues;
    if (this.lastGroup !== undefined) {
      let same = true;
      for (let i = 0; i < width; i++) {
        const a = values[i], b = last[i];
        if (a !== b && (a === a || b === b)) { same = false; break; }
      }
      if (same) return this.lastGroup;
    }
    let node: _Level = this.root;
    let arrays = false;
    for (let i = 0; ; i++) {
      const v = values[i];
      let next: unknown;
      if (Array.isArray(v)) {
        arrays = true;
        next = node.arrays?.get(_arrayKey(v));
      } else next = node.prim.get(v);
      if (next === undefined) return undefined;
      if (i === width - 1) {
        // array values compare by content, so a group with one is never the cached one
        if (arrays) this.lastGroup = undefined;
        else {
          for (let k = 0; k < width; k++) last[k] = values[k]!;
          this.lastGroup = next as G;
        }
        return next as G;
      }
      node = next as _Level;
    }
  }

  /** Stores `group` for `values[0..width)`; the caller has checked `find` returned undefined. */
  insert(values: readonly FieldValue[], group: G): void {
    const width = this.width;
    if (width === 0) {
      this.single = group;
      return;
    }
    let node: _Level = this.root;
    for (let i = 0; i < width; i++) {
      const v = values[i];
      const last = i === width - 1;
      let next: unknown;
      if (Array.isArray(v)) {
        const key = _arrayKey(v);
        const arrays = (node.arrays ??= new Map());
        next = arrays.get(key);
        if (next === undefined) arrays.set(key, (next = last ? group : new _Level()));
      } else {
        next = node.prim.get(v);
        if (next === undefined) node.prim.set(v, (next = last ? group : new _Level()));
      }
      if (!last) node = next as _Level;
    }
  }
}

// --- internal ---

type _Scalar = Exclude<FieldValue, FieldValue[]>;

class _Level {
  readonly prim = new Map<_Scalar, unknown>();
  arrays: Map<string, unknown> | null = null;
}

/** Injective encoding of an array value: every element tagged by type, strings length-prefixed. */
function _arrayKey(values: readonly FieldValue[]): string {
  let out = `a${values.length}[`;
  for (const v of values) {
    if (v === null) out += "z;";
    else if (Array.isArray(v)) out += _arrayKey(v);
    else if (typeof v === "string") out += `s${v.length}:${v}`;
    else if (typeof v === "bigint") out += `b${v};`;
    else if (typeof v === "boolean") out += v ? "t;" : "f;";
    // String(-0) is "0", matching SameValueZero for scalars; NaN prints as "NaN".
    else out += `n${v};`;
  }
  return out + "]";
}
