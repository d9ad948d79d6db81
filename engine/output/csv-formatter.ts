/**
 * CSV output: one block per part of the run, for spreadsheets and `csvkit`/`mlr`/pandas.
 *
 * Contract: fields are quoted per RFC 4180 (a field containing `,`, `"`, CR or LF is wrapped
 * in double quotes with inner quotes doubled); lines end with LF. Each block is a `# KIND NAME`
 * line, then a header row, then data rows; blocks are separated by one blank line. Blocks, in
 * order: `# origin N` (absolute ns; every time below is integer ns relative to it), `# states
 * MACHINE` (key,state,start,end,duration, then the union of kept fields), `# segments NAME`
 * (start,end,duration, fields), `# table NAME` (its notes as `# note:` lines, then the table),
 * `# alerts` (rule,severity,ts,message, fields), `# stats` (name,value). A field named like a
 * fixed column is written `fields.<name>`. Cells: numbers in full precision (no rounding),
 * bigint exact, null and non-finite numbers empty, arrays as JSON text.
 * With `select`, only the selected blocks, no origin/alerts/stats; and when the selection is
 * exactly one table, that table alone without any `#` line, so it pipes into other tools.
 */
import type { FieldValue } from "../model/event.js";
import type { RecordLines, RunResult } from "../runtime/result.js";
import type { SpillRenderers } from "./history-spill.js";
import { type FormatOptions, resolveSelection } from "./format-options.js";
import { ChunkBuffer } from "./chunk-buffer.js";
import { jsonValue } from "./json-text.js";
import { ALERT_KEYS, SEGMENT_KEYS, STATE_CSV_KEYS, fieldKey, fieldUnion } from "./record-fields.js";

/** Renders `result` as CSV blocks (ends with a newline). */
export function formatCsv(result: RunResult, opts: FormatOptions = {}): string {
  const out: string[] = [];
  writeCsv(result, opts, (chunk) => out.push(chunk));
  return out.join("");
}

/** The same text handed to `write` in pieces (one per block, each block's lines in pieces). */
export function writeCsv(result: RunResult, opts: FormatOptions, write: (chunk: string) => void): void {
  const sel = resolveSelection(result, opts);
  const bare = !sel.full && sel.machines.length === 0 && sel.segmentSets.length === 0 && sel.tables.length === 1;
  const out = new ChunkBuffer(write);
  if (bare) {
    const t = result.tables[sel.tables[0]];
    _lines([t.columns.map(csvField), ...t.rows.map((row) => t.columns.map((_, i) => csvCell(row[i] ?? null)))], out);
    out.flush();
    return;
  }
  // blocks are separated by an empty line
  let first = true;
  const block = (head: string, rows: Iterable<string[]>): void => {
    if (!first) out.push("\n");
    first = false;
    out.push(head);
    _lines(rows, out);
  };
  if (sel.full) block(`# origin ${result.origin}\n`, []);
  // Intervals and segments a run spilled (history-spill.ts) are streamed back as they were rendered.
  const spilled = (head: string, fixed: string[], reserved: ReadonlySet<string>, lines: RecordLines): void => {
    block(head, [[...fixed, ...lines.fields.map((f) => csvField(fieldKey(f, reserved)))]]);
    for (const piece of lines.joined("\n")) out.push(piece);
    if (lines.count > 0) out.push("\n");
  };
  for (const m of sel.machines) {
    const head = `# states ${_comment(m)}\n`;
    const lines = result.spilled?.states[m];
    if (lines !== undefined) { spilled(head, ["key", "state", "start", "end", "duration"], STATE_CSV_KEYS, lines); continue; }
    const intervals = result.states[m];
    const fields = fieldUnion(intervals);
    block(head, _with(
      ["key", "state", "start", "end", "duration", ...fields.map((f) => csvField(fieldKey(f, STATE_CSV_KEYS)))],
      intervals, (s) => _stateCells(s.key, s.state, s.start, s.end, s.fields, fields),
    ));
  }
  for (const n of sel.segmentSets) {
    const head = `# segments ${_comment(n)}\n`;
    const lines = result.spilled?.segments[n];
    if (lines !== undefined) { spilled(head, ["start", "end", "duration"], SEGMENT_KEYS, lines); continue; }
    const segments = result.segments[n];
    const fields = fieldUnion(segments);
    block(head, _with(
      ["start", "end", "duration", ...fields.map((f) => csvField(fieldKey(f, SEGMENT_KEYS)))],
      segments, (s) => _segmentCells(s.start, s.end, s.fields, fields),
    ));
  }
  for (const n of sel.tables) {
    const t = result.tables[n];
    const notes = t.notes.map((x) => `# note: ${_comment(x)}\n`).join("");
    block(`# table ${_comment(n)}\n${notes}`, _with(t.columns.map(csvField), t.rows, (row) => t.columns.map((_, i) => csvCell(row[i] ?? null))));
  }
  if (sel.full) {
    const fields = fieldUnion(result.alerts);
    block("# alerts\n", _with(
      ["rule", "severity", "ts", "message", ...fields.map((f) => csvField(fieldKey(f, ALERT_KEYS)))],
      result.alerts, (a) => [csvCell(a.rule), csvCell(a.severity), csvCell(a.ts), csvCell(a.message), ..._cells(a.fields, fields)],
    ));
    block("# stats\n", _statsRows(result));
  }
  out.flush();
}

/** One RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One value as a CSV field (see the contract for each kind). */
export function csvCell(v: FieldValue): string {
  if (v === null) return "";
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) ? String(v) : "";
    case "string":
      return csvField(v);
    case "bigint":
    case "boolean":
      return String(v);
    default:
      return csvField(jsonValue(v));
  }
}

/** Rows as CSV data lines, for a run's spill (history-spill.ts): the cells `writeCsv` writes. */
export const CSV_ROWS: SpillRenderers = {
  state: (r, fields) => _stateCells(r["key"] ?? null, String(r["state"]), Number(r["start"]), Number(r["end"]), r as Record<string, FieldValue>, fields).join(","),
  segment: (r, fields) => _segmentCells(Number(r["start"]), Number(r["end"]), r as Record<string, FieldValue>, fields).join(","),
};

// --- internal ---

function _lines(rows: Iterable<string[]>, out: ChunkBuffer): void {
  for (const r of rows) out.push(`${r.join(",")}\n`);
}

/** A header row, then one row per item, made as they are written. */
function* _with<T>(header: string[], items: readonly T[], row: (item: T) => string[]): Iterable<string[]> {
  yield header;
  for (const item of items) yield row(item);
}

/** The cells of a state interval's row (`names`: the block's field columns). */
function _stateCells(key: FieldValue, state: string, start: number, end: number, fields: Record<string, FieldValue>, names: readonly string[]): string[] {
  return [csvCell(key), csvCell(state), csvCell(start), csvCell(end), csvCell(end - start), ..._cells(fields, names)];
}

/** The cells of a segment's row. */
function _segmentCells(start: number, end: number, fields: Record<string, FieldValue>, names: readonly string[]): string[] {
  return [csvCell(start), csvCell(end), csvCell(end - start), ..._cells(fields, names)];
}

function _cells(fields: Record<string, FieldValue>, names: readonly string[]): string[] {
  return names.map((n) => (Object.hasOwn(fields, n) ? csvCell(fields[n]) : ""));
}

/** A name or note on a `#` line: a line break inside would end the comment early. */
function _comment(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

function _statsRows(r: RunResult): string[][] {
  const s = r.stats;
  const rows: string[][] = [
    ["name", "value"],
    ["events", String(s.events)],
    ["late", String(s.late)],
    ["lost", String(s.lost)],
    ["suppressed_alerts", String(s.suppressed_alerts)],
  ];
  for (const k of Object.keys(s.suppressed_by_rule).sort()) rows.push([csvField(`suppressed_by_rule.${k}`), String(s.suppressed_by_rule[k])]);
  for (const k of Object.keys(s.overflow_by_rule).sort()) rows.push([csvField(`overflow_by_rule.${k}`), String(s.overflow_by_rule[k])]);
  rows.push(["action_failures", String(s.action_failures)]);
  rows.push(["loss_ranges", String(r.losses.length)]);
  return rows;
}
