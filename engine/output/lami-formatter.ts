/**
 * LAMI 1.0 (LTTng Analyses Machine Interface): the protocol Trace Compass uses to run external
 * analyses and show their tables and charts. Shapes follow what `lttng-cputop-mi` (lttnganalyses
 * 0.6.1, LAMI 1.0) prints:
 * - `--mi-version` → the line `1.0`;
 * - `--metadata` → `{"mi-version": {"major","minor"}, "version", "title", "description",
 *   "authors", "url", "tags", "table-classes": {NAME: {"title", "column-descriptions":
 *   [{"title", "class", "unit"?}]}}}`;
 * - analysis → `{"results": [{"class": NAME, "time-range": {"class": "time-range", "begin":
 *   {"class": "timestamp", "value": NS}, "end": {...}}, "data": [[cell, ...], ...]}]}`;
 * - failure → `{"error-message": "...", "error-code": N}`; progress → lines `VALUE[ MESSAGE]`.
 *
 * Contract: one JSON document per call, one line, ending with a newline; absolute ns (beyond
 * 2^53) and 64-bit values are written as exact JSON integers, never rounded or quoted. Every
 * run also yields two fixed tables: `vigil-states` (time per machine state) and `vigil-alerts`.
 * Tables without rows are left out (LAMI wants at least one row per result table).
 */
import type { FieldValue } from "../model/event.js";
import type { RunResult } from "../runtime/result.js";
import type { LamiColumn, LamiTableClass } from "./lami-table-classes.js";
import { summarizeStates } from "../runtime/summaries.js";

/** The LAMI version Vigil speaks. */
export const LAMI_VERSION = { major: 1, minor: 0 } as const;

/** What `--metadata` says about the analysis besides its table classes. */
export interface LamiAnalysisInfo {
  title: string;
  description: string;
  version: { major: number; minor: number; patch: number; extra: string };
  authors: string[];
  url: string;
  tags: string[];
}

/** The tables every run writes besides the rules' own. */
export const FIXED_TABLE_CLASSES: Record<string, LamiTableClass> = {
  "vigil-states": {
    title: "Time per machine state",
    columns: [
      { title: "Machine", class: "string" }, { title: "State", class: "string" },
      { title: "Instances", class: "number", unit: "instances" }, { title: "Intervals", class: "number", unit: "intervals" },
      { title: "Total time", class: "duration" }, { title: "Share of machine time", class: "ratio" },
    ],
  },
  "vigil-alerts": {
    title: "Alerts",
    columns: [{ title: "Time", class: "timestamp" }, { title: "Severity", class: "string" }, { title: "Rule", class: "string" }, { title: "Message", class: "string" }],
  },
};

/** `--mi-version`: `1.0` and a newline (Trace Compass reads `\d+.\d+`). */
export function formatLamiVersion(): string {
  return `${LAMI_VERSION.major}.${LAMI_VERSION.minor}\n`;
}

/** `--metadata`: the analysis and every table class (rules' tables, then the fixed ones). */
export function formatLamiMetadata(info: LamiAnalysisInfo, classes: Record<string, LamiTableClass>): string {
  const tableClasses: Record<string, unknown> = {};
  for (const [name, c] of Object.entries({ ...classes, ...FIXED_TABLE_CLASSES })) {
    tableClasses[name] = { title: c.title, "column-descriptions": c.columns.map((col) => (col.unit ? { title: col.title, class: col.class, unit: col.unit } : { title: col.title, class: col.class })) };
  }
  return JSON.stringify({
    "mi-version": LAMI_VERSION, version: info.version, title: info.title, description: info.description,
    authors: info.authors, url: info.url, tags: info.tags, "table-classes": tableClasses,
  }) + "\n";
}

/** Options of the analysis phase. */
export interface LamiResultOptions {
  /** The analysed range in absolute ns (`--begin`/`--end`); default: first and last event. */
  begin?: bigint;
  end?: bigint;
  /** Maximum rows per table (`--limit`); default: every row. */
  limit?: number;
}

/**
 * The results object: every table of `result` that has a class in `classes` and at least one
 * row, in the run's order, then `vigil-states` and `vigil-alerts` when not empty. Throws when a
 * table's columns differ from its class (a table compiled from other rules than the metadata).
 */
export function formatLamiResults(result: RunResult, classes: Record<string, LamiTableClass>, opts: LamiResultOptions = {}): string {
  const begin = opts.begin ?? result.origin + BigInt(result.first);
  const end = opts.end ?? result.origin + BigInt(result.last);
  const range = `{"class": "time-range", "begin": {"class": "timestamp", "value": ${begin}}, "end": {"class": "timestamp", "value": ${end}}}`;
  const limit = opts.limit ?? Infinity;
  const tables: string[] = [];
  const push = (name: string, cls: LamiTableClass, rows: FieldValue[][]) => {
    if (rows.length === 0) return;
    const data = rows.slice(0, limit).map((r) => `[${cls.columns.map((c, i) => _cell(c, r[i] ?? null, result.origin)).join(", ")}]`);
    tables.push(`{"class": ${JSON.stringify(name)}, "time-range": ${range}, "data": [${data.join(", ")}]}`);
  };
  for (const [name, t] of Object.entries(result.tables)) {
    const cls = classes[name];
    if (!cls) continue;
    const titles = cls.columns.map((c) => c.title);
    if (titles.join("\u0000") !== t.columns.join("\u0000")) {
      throw new Error(`LAMI: table ${name} has columns ${t.columns.join(", ")} but its class declares ${titles.join(", ")}`);
    }
    push(name, cls, t.rows);
  }
  const states: FieldValue[][] = [];
  for (const [machine, ivs] of Object.entries(result.states)) {
    for (const r of (result.summaries?.states[machine] ?? summarizeStates(ivs)).rows) states.push([machine, r.state, r.instances, r.intervals, r.totalNs, r.share]);
  }
  push("vigil-states", FIXED_TABLE_CLASSES["vigil-states"]!, states);
  push("vigil-alerts", FIXED_TABLE_CLASSES["vigil-alerts"]!, result.alerts.map((a) => [a.ts, a.severity, a.rule, a.message]));
  return `{"results": [${tables.join(", ")}]}\n`;
}

/** An error object (stdout, with a non-zero exit status). */
export function formatLamiError(message: string, code?: number | string): string {
  return JSON.stringify(code === undefined ? { "error-message": message } : { "error-message": message, "error-code": code }) + "\n";
}

/** A progress line: a fraction in [0, 1] or `*` when unknown, then an optional message. */
export function formatLamiProgress(at: number | null, message?: string): string {
  const v = at === null ? "*" : String(Math.min(1, Math.max(0, Math.round(at * 1000) / 1000)));
  return `${v}${message ? ` ${message.replace(/\n/g, " ")}` : ""}\n`;
}

// --- internal ---

const UNKNOWN = '{"class": "unknown"}';

/**
 * One cell by its column's class, as a LAMI 1.0 data object (plain JSON values are pre-1.0):
 * null stays an empty cell, a value that does not fit the class is `unknown`.
 */
function _cell(col: LamiColumn, v: FieldValue, origin: bigint): string {
  if (v === null) return "null";
  const num = _numberText(v);
  switch (col.class) {
    case "number":
      return num !== null ? `{"class": "number", "value": ${num}}` : UNKNOWN;
    case "ratio":
      return typeof v === "number" && Number.isFinite(v) ? `{"class": "ratio", "value": ${v / 100}}` : UNKNOWN;
    case "duration":
    case "size":
      return num !== null ? `{"class": "${col.class}", "value": ${num}}` : UNKNOWN;
    case "timestamp":
      return typeof v === "number" && Number.isInteger(v) ? `{"class": "timestamp", "value": ${origin + BigInt(v)}}` : typeof v === "bigint" ? `{"class": "timestamp", "value": ${origin + v}}` : UNKNOWN;
    case "cpu":
      return _isInteger(v) ? `{"class": "cpu", "id": ${num}}` : UNKNOWN;
    case "process":
      return _isInteger(v) ? `{"class": "process", "${col.processId ?? "tid"}": ${num}}` : typeof v === "string" ? `{"class": "process", "name": ${JSON.stringify(v)}}` : UNKNOWN;
    case "string":
      return `{"class": "string", "value": ${JSON.stringify(_plain(v))}}`;
    case "bool":
      return typeof v === "boolean" ? `{"class": "bool", "value": ${v}}` : UNKNOWN;
    default: // mixed: each cell says its own class
      if (num !== null) return `{"class": "number", "value": ${num}}`;
      if (typeof v === "boolean") return `{"class": "bool", "value": ${v}}`;
      if (typeof v === "number") return UNKNOWN;
      return `{"class": "string", "value": ${JSON.stringify(_plain(v))}}`;
  }
}

function _isInteger(v: FieldValue): boolean {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

/** Exact JSON number text of a finite number or a bigint, else null. */
function _numberText(v: FieldValue): string | null {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

/** Arrays and records as JSON text (bigints as decimal strings). */
function _plain(v: FieldValue): string {
  return typeof v === "string" ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
}
