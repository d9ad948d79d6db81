/**
 * The JSON output: the machine-readable contract other parts of the project rely on.
 *
 * Contract (one document, keys in exactly this order):
 * `{"origin": "<absolute ns, decimal string>",
 *   "states": {MACHINE: [{"key","state","start","end", ...kept fields}]},
 *   "segments": {NAME: [{"start","end","duration", ...fields}]},
 *   "tables": {NAME: [{COLUMN: value, ...}]},
 *   "alerts": [{"rule","severity","ts","message", ...fields}],
 *   "stats": {"events","late","lost","suppressed_alerts","suppressed_by_rule",
 *             "overflow_by_rule","action_failures","uncertain","hosts","losses","table_notes"}}`
 * Times are integer ns relative to `origin`. Machines, segment sets, tables, rows and fields
 * keep the run's order; the `*_by_rule` maps and `table_notes` are sorted by name. bigint
 * values are decimal strings, non-finite numbers null (see `json-text.ts`). A field named like
 * a fixed key is written `fields.<name>`; a repeated table column name gets `_2`.
 * Layout: 2-space indentation, one record per line, so two runs give byte-identical text.
 * With `select`, only the selected parts among states/segments/tables are present, and
 * "alerts" is omitted; "origin" and "stats" are always there.
 */
import type { FieldValue } from "../model/event.js";
import type { RecordLines, RunResult, RunStats, Segment, StateInterval } from "../runtime/result.js";
import type { SpillRenderers } from "./history-spill.js";
import { type FormatOptions, isUncertain, resolveSelection } from "./format-options.js";
import { type JsonNode, inlineObject, inlineRecord, jsonValue, raw, writeJson } from "./json-text.js";
import { ALERT_KEYS, SEGMENT_KEYS, STATE_KEYS, fieldKey, uniqueNames } from "./record-fields.js";

/** Renders `result` as the JSON document described above (ends with a newline). */
export function formatJson(result: RunResult, opts: FormatOptions = {}): string {
  const out: string[] = [];
  writeJsonResult(result, opts, (chunk) => out.push(chunk));
  return out.join("");
}

/** The same document handed to `write` in pieces, for results too large for one string. */
export function writeJsonResult(result: RunResult, opts: FormatOptions, write: (chunk: string) => void): void {
  const sel = resolveSelection(result, opts);
  const doc: Array<[string, JsonNode]> = [["origin", raw(JSON.stringify(result.origin.toString()))]];
  // Intervals and segments are rendered while written, or read back from the run's spill.
  if (sel.full || sel.machines.length > 0) {
    doc.push(["states", _records(sel.machines, (m) => result.spilled?.states[m] ?? _rendered(result.states[m], stateRecordText))]);
  }
  if (sel.full || sel.segmentSets.length > 0) {
    doc.push(["segments", _records(sel.segmentSets, (n) => result.spilled?.segments[n] ?? _rendered(result.segments[n], segmentRecordText))]);
  }
  const linkSets = Object.keys(result.links ?? {});
  if (sel.full && linkSets.length > 0) {
    doc.push(["links", _named(linkSets, (n) => result.links[n]!.map((l) =>
      raw(inlineObject([["from", l.from], ["from_ts", l.from_ts], ["to", l.to], ["to_ts", l.to_ts]])),
    ))]);
  }
  if (sel.full || sel.tables.length > 0) {
    doc.push(["tables", _named(sel.tables, (n) => {
      const t = result.tables[n];
      const names = uniqueNames(t.columns);
      return t.rows.map((row) => raw(inlineObject(names.map((c, i): [string, FieldValue] => [c, row[i] ?? null]))));
    })]);
  }
  if (sel.full) {
    doc.push(["alerts", { kind: "array", items: result.alerts.map((a) =>
      raw(inlineObject([["rule", a.rule], ["severity", a.severity], ["ts", a.ts], ["message", a.message], ..._fields(a.fields, ALERT_KEYS)])),
    ) }]);
  }
  doc.push(["stats", _stats(result, result.stats)]);
  writeJson({ kind: "object", entries: doc }, write);
}

/** One state interval as a line of the JSON document. */
export function stateRecordText(s: StateInterval): string {
  return inlineRecord(_stateHead(s.key, s.state, s.start, s.end), s.fields, _stateField);
}

/** One segment as a line of the JSON document. */
export function segmentRecordText(s: Segment): string {
  return inlineRecord(_segmentHead(s.start, s.end), s.fields, _segmentField);
}

/**
 * Rows as JSON document lines, for a run's spill (history-spill.ts): the texts
 * `stateRecordText` / `segmentRecordText` give for the interval or segment a row describes
 * (key, state, start, end, duration, open or start, end, duration, key, then `fields`), with
 * the loop over a set's fields compiled once per set (a long run renders millions of rows of
 * one shape).
 */
export const JSON_ROWS: SpillRenderers = {
  state: (r, fields) => _compiled(fields, "state")(r),
  segment: (r, fields) => _compiled(fields, "segment")(r),
};

const _renderers = new WeakMap<readonly string[], { state?: _RowText; segment?: _RowText }>();
type _RowText = (r: Record<string, FieldValue | undefined>) => string;
const _IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The renderer of rows whose fields are `fields`, in order. The generated source holds no
 * text from a rule: names that are plain identifiers are read as properties (`r.vm`), others
 * through the array `N`; every key text comes from the array `P`.
 */
function _compiled(fields: readonly string[], kind: "state" | "segment"): _RowText {
  const known = _renderers.get(fields) ?? {};
  const cached = known[kind];
  if (cached !== undefined) return cached;
  const reserved = kind === "state" ? STATE_KEYS : SEGMENT_KEYS;
  const P = fields.map((f) => `, ${JSON.stringify(fieldKey(f, reserved))}: `);
  const N = [...fields];
  const head = kind === "state"
    ? `let s = "{" + H(r.key === undefined ? null : r.key, String(r.state), Number(r.start), Number(r.end)); let v;`
    : `let s = "{" + H(Number(r.start), Number(r.end)); let v;`;
  const body = fields.map((f, i) => `v = ${_IDENT.test(f) && f !== "__proto__" ? `r.${f}` : `r[N[${i}]]`}; s += P[${i}] + (typeof v === "number" ? (v - v === 0 ? "" + v : "null") : J(v));`);
  const fn = new Function("P", "N", "H", "J", `return function (r) { ${head} ${body.join(" ")} return s + "}"; };`)(P, N, kind === "state" ? _stateHead : _segmentHead, jsonValue) as _RowText;
  known[kind] = fn;
  _renderers.set(fields, known);
  return fn;
}

// --- internal ---

function _records(names: string[], records: (name: string) => RecordLines): JsonNode {
  return { kind: "object", entries: names.map((n): [string, JsonNode] => {
    const r = records(n);
    return [n, { kind: "records", count: r.count, joined: (separator) => r.joined(separator) }];
  }) };
}

function _rendered<T>(items: readonly T[], text: (item: T) => string): RecordLines {
  return {
    count: items.length,
    fields: [],
    *joined(separator) {
      for (let i = 0; i < items.length; i++) {
        if (i > 0) yield separator;
        yield text(items[i]!);
      }
    },
  };
}

function _stateHead(key: FieldValue, state: string, start: number, end: number): string {
  return `"key": ${jsonValue(key)}, "state": ${jsonValue(state)}, "start": ${jsonValue(start)}, "end": ${jsonValue(end)}`;
}

function _segmentHead(start: number, end: number): string {
  return `"start": ${jsonValue(start)}, "end": ${jsonValue(end)}, "duration": ${jsonValue(end - start)}`;
}

function _stateField(name: string): string {
  return fieldKey(name, STATE_KEYS);
}

function _segmentField(name: string): string {
  return fieldKey(name, SEGMENT_KEYS);
}

function _named(names: string[], items: (name: string) => JsonNode[]): JsonNode {
  return { kind: "object", entries: names.map((n): [string, JsonNode] => [n, { kind: "array", items: items(n) }]) };
}

function _fields(fields: Record<string, FieldValue>, reserved: ReadonlySet<string>): Array<[string, FieldValue]> {
  return Object.entries(fields).map(([k, v]): [string, FieldValue] => [fieldKey(k, reserved), v]);
}

function _sortedCounts(counts: Record<string, number>): JsonNode {
  return raw(inlineObject(Object.keys(counts).sort().map((k): [string, FieldValue] => [k, counts[k]])));
}

function _stats(result: RunResult, s: RunStats): JsonNode {
  const notes = Object.keys(result.tables)
    .filter((n) => result.tables[n].notes.length > 0)
    .sort()
    .map((n): [string, JsonNode] => [n, raw(`[${result.tables[n].notes.map((x) => JSON.stringify(x)).join(", ")}]`)]);
  return {
    kind: "object",
    entries: [
      ["events", raw(jsonValue(s.events))],
      ["late", raw(jsonValue(s.late))],
      ["lost", raw(jsonValue(s.lost))],
      ["suppressed_alerts", raw(jsonValue(s.suppressed_alerts))],
      ["suppressed_by_rule", _sortedCounts(s.suppressed_by_rule)],
      ["overflow_by_rule", _sortedCounts(s.overflow_by_rule)],
      ["action_failures", raw(jsonValue(s.action_failures))],
      ["uncertain", raw(String(isUncertain(result)))],
      ["hosts", raw(jsonValue(result.hosts))],
      ["losses", { kind: "array", items: result.losses.map((l) =>
        raw(inlineObject([["host", l.host], ["cpu", l.cpu], ["start", l.start], ["end", l.end], ["count", l.count]])),
      ) }],
      ["table_notes", { kind: "object", entries: notes }],
    ],
  };
}
