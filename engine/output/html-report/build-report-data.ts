/**
 * RunResult → ReportData: the run reshaped for drawing. Lanes are machine instances grouped by
 * the group field (the VM: `vm`, else `domain`, `domid`, `dom`), intervals are columnar and
 * sorted by start, kept fields are deduplicated into per-machine tuples, alerts are placed on
 * the lane of the instance they name (`key`), tables carry each column's display kind.
 *
 * Contract: pure; the result is untouched; the same result gives the same data. At most
 * `maxIntervals` intervals are kept (whole machines in run order, then whole lanes) and the
 * report says how many were left out.
 */
import type { FieldValue } from "../../model/event.js";
import type { AlertRecord, RunResult, StateInterval, TableResult } from "../../runtime/result.js";
import { isDurationColumn } from "../display-value.js";
import { isUncertain } from "../format-options.js";
import { type CriticalPathInput, criticalPathData } from "./critical-path-input.js";
import type { AlertData, CellValue, ColumnKind, LaneData, MachineData, ReportData, TableData } from "./report-types.js";
import { stateColors } from "./state-colors.js";

/** What a caller may add to or change in the report. */
export interface HtmlReportOptions {
  /** Page title (default "Vigil report"). */
  title?: string;
  /** A critical path to draw under the timeline (see `critical-path-input.ts`). */
  criticalPath?: CriticalPathInput;
  /** Field that groups lanes, table rows and alerts; default: the first kept field among vm, domain, domid, dom. */
  groupField?: string;
  /** Cap on state intervals embedded in the page (default 1,000,000). */
  maxIntervals?: number;
}

/** Kept-field names that identify a VM, in order of preference. */
export const GROUP_FIELDS = ["vm", "domain", "domid", "dom"] as const;

const DEFAULT_MAX_INTERVALS = 1_000_000;

/** Builds the page's data from a run (see the contract above). */
export function buildReportData(result: RunResult, opts: HtmlReportOptions = {}): ReportData {
  const groupField = opts.groupField ?? _autoGroupField(result);
  const stateIndex = new Map<string, number>();
  const notes: string[] = [];
  const machines: MachineData[] = [];
  let budget = opts.maxIntervals ?? DEFAULT_MAX_INTERVALS;
  let left = 0;
  for (const [name, intervals] of Object.entries(result.states)) {
    if (intervals.length > budget) { left += intervals.length; continue; }
    budget -= intervals.length;
    machines.push(_machine(name, intervals, groupField, stateIndex));
  }
  if (left > 0) notes.push(`${left.toLocaleString("en")} state intervals are not drawn (more than maxIntervals ${(opts.maxIntervals ?? DEFAULT_MAX_INTERVALS).toLocaleString("en")}); tables and alerts are complete.`);
  const cp = opts.criticalPath ? criticalPathData(opts.criticalPath) : null;
  if (cp) cp.states.forEach((s) => _index(stateIndex, s));
  const states = [...stateIndex.keys()];
  const tables = Object.entries(result.tables).map(([n, t]) => _table(n, t, groupField));
  const alerts = result.alerts.map((a) => _alert(a, machines, groupField));
  const groups = new Set<string>();
  for (const m of machines) for (const l of m.lanes) if (l.group !== null) groups.add(l.group);
  for (const t of tables) if (t.groupColumn >= 0) for (const r of t.rows) if (_groupText(r[t.groupColumn]) !== null) groups.add(_groupText(r[t.groupColumn])!);
  return {
    title: opts.title ?? "Vigil report",
    origin: result.origin.toString(),
    first: result.first,
    last: result.last,
    hosts: [...result.hosts],
    stats: { events: result.stats.events, late: result.stats.late, lost: result.stats.lost, suppressedAlerts: result.stats.suppressed_alerts, actionFailures: result.stats.action_failures },
    uncertain: isUncertain(result),
    notes,
    groupField,
    groups: _sortGroups([...groups]),
    states,
    colors: stateColors(states),
    machines,
    tables,
    alerts,
    losses: result.losses.map((l) => ({ ...l })),
    criticalPath: cp,
  };
}

/** A field value as JSON: bigints and nested values become text, non-finite numbers null. */
export function toCell(v: FieldValue | undefined): CellValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
}

// --- internal ---

function _autoGroupField(result: RunResult): string | null {
  for (const f of GROUP_FIELDS) {
    for (const ivs of Object.values(result.states)) if (ivs.length > 0 && f in ivs[0]!.fields) return f;
  }
  for (const f of GROUP_FIELDS) for (const t of Object.values(result.tables)) if (t.columns.includes(f)) return f;
  return null;
}

function _machine(name: string, intervals: StateInterval[], groupField: string | null, stateIndex: Map<string, number>): MachineData {
  const fieldNames: string[] = [];
  const seenField = new Set<string>();
  for (const iv of intervals) for (const k of Object.keys(iv.fields)) if (!seenField.has(k)) { seenField.add(k); fieldNames.push(k); }
  const fieldSets: CellValue[][] = [];
  const setIndex = new Map<string, number>();
  const byKey = new Map<string, StateInterval[]>();
  for (const iv of intervals) {
    const k = _keyText(iv.key);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(iv);
  }
  const vcpuField = ["vcpu", "vcpu_id", "id"].find((f) => seenField.has(f)) ?? null;
  const nameField = ["comm", "task", "procname"].find((f) => seenField.has(f)) ?? null;
  const lanes: LaneData[] = [];
  for (const [key, ivs] of byKey) {
    ivs.sort((a, b) => a.start - b.start);
    const iv: number[] = [];
    for (const x of ivs) {
      const tuple = fieldNames.map((f) => toCell(x.fields[f]));
      const tk = JSON.stringify(tuple);
      let fi = setIndex.get(tk);
      if (fi === undefined) { setIndex.set(tk, (fi = fieldSets.length)); fieldSets.push(tuple); }
      iv.push(x.start, x.end - x.start, _index(stateIndex, x.state), fi);
    }
    const lastFields = ivs[ivs.length - 1]!.fields;
    const group = groupField === null ? null : _groupText(toCell(lastFields[groupField]));
    const vcpu = vcpuField === null ? null : toCell(lastFields[vcpuField]);
    const comm = nameField === null ? null : toCell(lastFields[nameField]);
    let label = vcpu !== null && vcpu !== -1 && vcpu !== "" ? `${key} · vCPU ${vcpu}` : key;
    if (typeof comm === "string" && comm !== "") label += ` · ${comm}`;
    lanes.push({ id: `${name}[${key}]`, key, label, group, iv });
  }
  lanes.sort((a, b) => _compareText(a.group ?? "", b.group ?? "") || _compareText(a.label, b.label));
  return { name, fieldNames, fieldSets, lanes };
}

/** Column names that are aggregates (`count`, `p99_ns`, `share_duration`, `avg(duration)`...). */
const AGGREGATE = /^(count|sum|total|avg|mean|min|max|p\d+|share|pct|rate|stddev|first|last)(_|\(|$)|(_ns|_pct|_count|_bytes|_share|_rate)$/;

function _table(name: string, t: TableResult, groupField: string | null): TableData {
  const rows = t.rows.map((r) => t.columns.map((_c, i) => toCell(r[i])));
  const kinds = t.columns.map((c, i) => _kind(c, rows.map((r) => r[i] ?? null)));
  // The leading columns up to the first aggregate are the row's name (`by vm, reason`).
  let labels = t.columns.findIndex((c, i) => AGGREGATE.test(c) || (kinds[i] !== "int" && kinds[i] !== "text"));
  if (labels < 0) labels = Math.max(0, t.columns.length - 1);
  for (let i = 0; i < labels; i++) if (kinds[i] === "int") kinds[i] = "id";
  return { name, columns: [...t.columns], kinds, labels, rows, groupColumn: groupField === null ? -1 : t.columns.indexOf(groupField), notes: [...t.notes] };
}

function _kind(column: string, values: CellValue[]): ColumnKind {
  const nums = values.filter((v) => v !== null);
  if (nums.length > 0 && nums.some((v) => typeof v !== "number")) return "text";
  if (/^share\b|(^|_)(pct|percent)$|^pct/.test(column)) return "percent";
  if (isDurationColumn(column)) return "duration";
  return nums.every((v) => Number.isInteger(v)) ? "int" : "float";
}

function _alert(a: AlertRecord, machines: MachineData[], groupField: string | null): AlertData {
  const key = a.fields.key;
  let lane: LaneData | null = null;
  if (key !== undefined && key !== null) {
    const k = _keyText(key);
    for (const m of machines) { lane = m.lanes.find((l) => l.key === k) ?? null; if (lane) break; }
  }
  let group: string | null = groupField === null ? null : _groupText(toCell(a.fields[groupField]));
  if (group === null && groupField !== null) {
    const inst = a.fields.instances;
    if (inst && typeof inst === "object" && !Array.isArray(inst)) {
      for (const snap of Object.values(inst)) {
        if (snap && typeof snap === "object" && !Array.isArray(snap) && groupField in snap) { group = _groupText(toCell((snap as Record<string, FieldValue>)[groupField])); break; }
      }
    }
  }
  return { rule: a.rule, severity: a.severity, ts: a.ts, message: a.message, lane: lane?.id ?? null, group: group ?? lane?.group ?? null };
}

/** Group values as text; "unset" values (null, "", -1: the packs' initial `keep` values) are no group. */
function _groupText(v: CellValue): string | null {
  if (v === null || v === "" || v === -1) return null;
  return String(v);
}

function _keyText(k: FieldValue): string {
  return typeof k === "string" ? k : String(toCell(k));
}

function _index(m: Map<string, number>, k: string): number {
  let i = m.get(k);
  if (i === undefined) m.set(k, (i = m.size));
  return i;
}

function _sortGroups(groups: string[]): string[] {
  return groups.sort(_compareText);
}

/** Numbers by value, then text: "2" before "10", "10" before "web01". */
function _compareText(a: string, b: string): number {
  const na = Number(a), nb = Number(b);
  const an = a !== "" && Number.isFinite(na), bn = b !== "" && Number.isFinite(nb);
  if (an && bn) return na - nb;
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
