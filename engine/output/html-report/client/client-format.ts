/**
 * Browser side of the report: how numbers, times and durations read on the page.
 *
 * Runs in the page, inlined with `Function.prototype.toString`: the factory must not use
 * anything outside its own body (imports are types only).
 */
import type { CellValue, ColumnKind } from "../report-types.js";

/** Formatting helpers shared by the report's views. */
export interface Fmt {
  /** `812 ns`, `3.41 µs`, `20.8 ms`, `1.204 s`. */
  duration(ns: number): string;
  /** Seconds from the origin with `decimals` digits (default 9): `0.208291313`. */
  seconds(ns: number, decimals?: number): string;
  /** A table cell by its column's kind (durations readable, percentages with `%`). */
  cell(v: CellValue, kind: ColumnKind): string;
  /** A "nice" axis step (1, 2 or 5 × 10^k ns) for `span` ns over about `ticks` ticks. */
  niceStep(span: number, ticks: number): number;
  /** Creates an element with a class and optional text. */
  el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K];
}

/** The formatting helpers (see `Fmt`). */
export function formatModule(): Fmt {
  function duration(ns: number): string {
    const a = Math.abs(ns);
    if (a < 1e3) return `${Math.round(ns)} ns`;
    if (a < 1e6) return `${_trim(ns / 1e3, 3)} µs`;
    if (a < 1e9) return `${_trim(ns / 1e6, 3)} ms`;
    return `${_trim(ns / 1e9, 4)} s`;
  }
  function _trim(v: number, significant: number): string {
    const digits = Math.max(0, significant - 1 - Math.floor(Math.log10(Math.abs(v) || 1)));
    return v.toFixed(Math.min(digits, 3));
  }
  function seconds(ns: number, decimals = 9): string {
    const sign = ns < 0 ? "-" : "";
    const a = Math.round(Math.abs(ns));
    const whole = Math.floor(a / 1e9);
    const frac = String(a - whole * 1e9).padStart(9, "0").slice(0, Math.max(0, Math.min(9, decimals)));
    return frac.length > 0 ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
  }
  function cell(v: CellValue, kind: ColumnKind): string {
    if (v === null) return "–";
    if (typeof v !== "number") return String(v);
    switch (kind) {
      case "duration": return duration(v);
      case "percent": return `${v.toFixed(2)} %`;
      case "float": return v.toFixed(2);
      case "int": return v.toLocaleString("en");
      case "id": return String(v);
      default: return String(v);
    }
  }
  function niceStep(span: number, ticks: number): number {
    const raw = Math.max(span / Math.max(1, ticks), 1);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  return { duration, seconds, cell, niceStep, el };
}
