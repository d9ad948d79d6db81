/**
 * Cross-tabs in the layout of XenMon's `=== CPU ===` block (`--format xenmon`): one row key
 * down the side with one line per measure under it, one column key across, a `total` column
 * and `total` lines.
 *
 * Contract, by column position, for every selected table (every table without `select`):
 * - a first column named `window` splits the table into one block per window value;
 * - then the row key, then the column key when the second column holds only whole numbers
 *   or text (otherwise the table has one key and its measures print under `value`);
 * - every further column is a measure, printed on its own line labelled with its name.
 * A table with several rows for one (row key, column key) pair is no cross-tab: it gets a note
 * saying so instead of cells. Cells: numbers with 1 decimal when the measure holds fractions, else integers; a missing
 * (row, column) pair is 0 for additive measures. Totals are sums of the finite numbers; a
 * measure named like an average, percentile, extreme or first/last value (`avg_ns`,
 * `p99(duration)`, `max_ns`, `first(x)`...) gets `-` in its totals and missing cells, since
 * those do not add up. Column keys sort numerically when they are all numbers.
 * Honest: the header says UNCERTAIN when events were lost or late, and when the column key is
 * named `cpu` or `pcpu`, columns of CPUs that lost records are marked `*`.
 * Pure and deterministic, like every formatter; the text ends with one newline.
 */
import type { FieldValue } from "../model/event.js";
import type { RunResult, TableResult } from "../runtime/result.js";
import { displayScalar, escapeControl, formatSeconds } from "./display-value.js";
import { type FormatOptions, isUncertain, resolveSelection } from "./format-options.js";
import { type TextColumn, renderTextTable } from "./text-table.js";

/** Renders the selected tables of `result` as XenMon-style cross-tabs. */
export function formatXenmon(result: RunResult, opts: FormatOptions = {}): string {
  const sel = resolveSelection(result, opts);
  const blocks: string[][] = [_header(result)];
  for (const name of sel.tables) blocks.push(..._table(name, result.tables[name]!, _lossyCpus(result)));
  return `${blocks.map((b) => b.join("\n")).join("\n\n")}\n`;
}

// --- internal ---

interface _Layout {
  windowed: boolean;
  row: number;
  col: number | null;
  measures: number[];
}

function _header(r: RunResult): string[] {
  const lines = [`Vigil cross-tabs: trace ${formatSeconds(r.first)} .. ${formatSeconds(r.last)} s (${r.last - r.first} ns)`];
  if (!isUncertain(r)) return lines;
  const perCpu = new Map<string, number>();
  for (const l of r.losses) {
    const k = `${r.hosts[l.host] ?? `#${l.host}`} cpu ${l.cpu}`;
    perCpu.set(k, (perCpu.get(k) ?? 0) + Math.max(0, l.count));
  }
  lines.push(`UNCERTAIN: ${r.stats.lost} events lost, ${r.stats.late} late; results covering these CPUs may be incomplete`);
  for (const [k, n] of [...perCpu].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) lines.push(`  lost on ${escapeControl(k)}: ${n}`);
  return lines;
}

function _lossyCpus(r: RunResult): Set<number> {
  return new Set(r.losses.map((l) => l.cpu));
}

function _layout(t: TableResult): _Layout {
  const windowed = t.columns[0] === "window" && t.columns.length >= 3;
  const row = windowed ? 1 : 0;
  const rest = t.columns.length - row - 1;
  const keyLike = t.rows.every((r) => _isKeyValue(r[row + 1]!));
  const col = rest >= 2 && keyLike ? row + 1 : null;
  const first = col === null ? row + 1 : col + 1;
  const measures: number[] = [];
  for (let i = first; i < t.columns.length; i++) measures.push(i);
  return { windowed, row, col, measures };
}

function _table(name: string, t: TableResult, lossy: Set<number>): string[][] {
  const title = `=== ${escapeControl(name)} ===`;
  if (t.columns.length < 2) return [[title, "  (a cross-tab needs a key and a measure)"]];
  if (t.rows.length === 0) return [[title, "  (no rows)"]];
  const layout = _layout(t);
  if (!layout.windowed) return [[title, ..._crossTab(t, t.rows, layout, lossy)]];
  const windows = _distinct(t.rows.map((r) => r[0]!));
  return windows.map((w) => [
    `${title} window ${displayScalar(w)}`,
    ..._crossTab(t, t.rows.filter((r) => _same(r[0]!, w)), layout, lossy),
  ]);
}

function _crossTab(t: TableResult, rows: FieldValue[][], L: _Layout, lossy: Set<number>): string[] {
  const rowKeys = _distinct(rows.map((r) => r[L.row]!));
  const colKeys = L.col === null ? [null] : _sortKeys(_distinct(rows.map((r) => r[L.col!]!)));
  const cpuColumn = L.col !== null && /^p?cpu$/.test(t.columns[L.col]!);
  const cell = new Map<string, FieldValue>();
  for (const r of rows) {
    const ck = L.col === null ? null : r[L.col]!;
    if (cell.has(_cellKey(r[L.row]!, ck, L.measures[0] ?? -1))) return [`  (not a cross-tab: several rows per ${_pairName(t, L)}; print this table with --format table)`];
    for (const m of L.measures) cell.set(_cellKey(r[L.row]!, ck, m), r[m]!);
    if (L.measures.length === 0) cell.set(_cellKey(r[L.row]!, ck, -1), null);
  }

  const keyCells: string[] = [];
  const labelCells: string[] = [];
  const valueCells: string[][] = colKeys.map(() => []);
  const totalCells: string[] = [];
  const addLine = (key: string, m: number, values: FieldValue[]) => {
    const fractional = rows.some((r) => typeof r[m] === "number" && Number.isFinite(r[m]) && !Number.isInteger(r[m]));
    const avg = _nonAdditive(t.columns[m]!);
    keyCells.push(key);
    labelCells.push(escapeControl(t.columns[m]!));
    values.forEach((v, i) => valueCells[i]!.push(_show(v, fractional, avg)));
    totalCells.push(avg ? "-" : _show(_sum(values), fractional, false));
  };
  for (const rk of rowKeys) {
    L.measures.forEach((m, j) => addLine(j === 0 ? displayScalar(rk) : "", m, colKeys.map((ck) => cell.get(_cellKey(rk, ck, m)) ?? null)));
  }
  L.measures.forEach((m, j) => {
    const avg = _nonAdditive(t.columns[m]!);
    addLine(j === 0 ? "total" : "", m, colKeys.map((ck) => (avg ? null : _sum(rowKeys.map((rk) => cell.get(_cellKey(rk, ck, m)) ?? null)))));
  });

  const columns: TextColumn[] = [
    { header: escapeControl(t.columns[L.row]!), cells: keyCells, align: "left" },
    { header: "", cells: labelCells, align: "left" },
    ...colKeys.map((ck, i): TextColumn => ({
      header: ck === null ? "value" : displayScalar(ck) + (cpuColumn && typeof ck === "number" && lossy.has(ck) ? "*" : ""),
      cells: valueCells[i]!,
      align: "right",
    })),
  ];
  if (L.col !== null) columns.push({ header: "total", cells: totalCells, align: "right" });
  const lines = renderTextTable(columns);
  if (cpuColumn && colKeys.some((ck) => typeof ck === "number" && lossy.has(ck))) lines.push("  * records were lost on this CPU: its numbers may be incomplete");
  return lines;
}

/** Averages, percentiles, extremes and first/last values do not add up across rows or columns. */
function _nonAdditive(column: string): boolean {
  return /^(avg|mean|p\d+|stddev|min|max|first|last)(_|\(|$)/.test(column);
}

/** Keys are whole numbers or text; a fraction in the second column makes it a measure. */
function _isKeyValue(v: FieldValue): boolean {
  return typeof v === "string" || typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

function _pairName(t: TableResult, L: _Layout): string {
  return L.col === null ? t.columns[L.row]! : `(${t.columns[L.row]!}, ${t.columns[L.col]!})`;
}

function _show(v: FieldValue, fractional: boolean, avg: boolean): string {
  if (v === null) return avg ? "-" : fractional ? "0.0" : "0";
  if (typeof v === "number") return Number.isFinite(v) ? (fractional ? v.toFixed(1) : String(v)) : String(v);
  return displayScalar(v);
}

/** Sum of the finite numbers (bigints included, as numbers); null when there is none. */
function _sum(values: FieldValue[]): number | null {
  let s = 0;
  let any = false;
  for (const v of values) {
    const n = typeof v === "bigint" ? Number(v) : v;
    if (typeof n === "number" && Number.isFinite(n)) { s += n; any = true; }
  }
  return any ? s : null;
}

function _cellKey(rk: FieldValue, ck: FieldValue, m: number): string {
  return `${_keyText(rk)}\u0000${_keyText(ck)}\u0000${m}`;
}

/** A key's identity as text; the type tag keeps 1 and "1" apart. */
function _keyText(v: FieldValue): string {
  const composite = typeof v === "object" && v !== null;
  return `${typeof v}:${composite ? JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)) : String(v)}`;
}

function _same(a: FieldValue, b: FieldValue): boolean {
  return _keyText(a) === _keyText(b);
}

/** Distinct values in order of first appearance. */
function _distinct(values: FieldValue[]): FieldValue[] {
  const seen = new Set<string>();
  const out: FieldValue[] = [];
  for (const v of values) {
    const k = _keyText(v);
    if (!seen.has(k)) { seen.add(k); out.push(v); }
  }
  return out;
}

/** Numbers ascending when every key is a number; otherwise the table's order. */
function _sortKeys(keys: FieldValue[]): FieldValue[] {
  return keys.every((k) => typeof k === "number") ? [...keys].sort((a, b) => (a as number) - (b as number)) : keys;
}
