/**
 * How values look in the terminal report (`table` format).
 *
 * Contract: times are seconds with 9 decimals relative to the origin, computed with integer
 * arithmetic (no float rounding of the ns digits); durations are plain integer ns; other
 * floats have 2 decimals, applied to the whole column so decimal points line up; null is `-`;
 * control characters in strings are escaped so one value never breaks a line.
 */
import type { FieldValue } from "../model/event.js";

/** `12.000000345` for 12000000345 ns; negative offsets keep their sign. */
export function formatSeconds(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const n = BigInt(Math.round(ns));
  const abs = n < 0n ? -n : n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, "0");
  return `${n < 0n ? "-" : ""}${abs / 1_000_000_000n}.${frac}`;
}

/**
 * True for columns holding nanosecond durations: the name (or an aggregate's argument, as in
 * `avg(duration)`) ends with `_ns` or `duration`. `share`, `rate` and `count` of a duration are
 * percentages, rates and counts, not durations.
 */
export function isDurationColumn(name: string): boolean {
  const call = /^(\w+)\((.*)\)$/.exec(name);
  let inner = name;
  if (call !== null) {
    if (call[1] === "share" || call[1] === "rate" || call[1] === "count") return false;
    inner = call[2];
  }
  return inner.endsWith("_ns") || inner.endsWith("duration");
}

/**
 * True for aggregates whose values are fractions by nature — `share`, `avg`, `stddev`, `rate`,
 * with or without an argument — so they print 2 decimals even when a value happens to be whole.
 */
export function isFloatColumn(name: string): boolean {
  return /^(share|avg|stddev|rate)(\(.*\))?$/.test(name);
}

/** One column's cells and whether it is numeric (then right-aligned). */
export interface DisplayColumn {
  cells: string[];
  numeric: boolean;
}

/** Formats a column of values by the rules in the contract. */
export function formatColumn(values: readonly FieldValue[], duration: boolean): DisplayColumn {
  let numeric = false;
  let allNumeric = true;
  let fractional = false;
  for (const v of values) {
    if (v === null) continue;
    if (typeof v === "number" || typeof v === "bigint") numeric = true;
    else allNumeric = false;
    if (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v)) fractional = true;
  }
  const cells = values.map((v) => {
    if (typeof v !== "number") return displayScalar(v);
    if (!Number.isFinite(v)) return String(v);
    if (duration) return String(Math.round(v));
    return fractional ? v.toFixed(2) : String(v);
  });
  return { cells, numeric: numeric && allNumeric };
}

/** Text of one value outside a numeric column. */
export function displayScalar(v: FieldValue): string {
  if (v === null) return "-";
  if (Array.isArray(v)) return `[${v.map(displayScalar).join(", ")}]`;
  if (typeof v === "string") return escapeControl(v);
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${k}: ${displayScalar(x)}`).join(", ")}}`;
  return String(v);
}

/** Escapes newlines, tabs and other control characters as `\n`, `\t`, `\x1b`. */
export function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
