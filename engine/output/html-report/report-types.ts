/**
 * The data the HTML report embeds (one JSON block) and its inline script reads.
 *
 * Contract: plain JSON — no bigint, no undefined. Times are integer ns relative to
 * `RunResult.origin` (kept as the decimal string `origin`), like every time of a run. Arrays
 * of intervals are flat and columnar so a million intervals stay a few megabytes.
 */

/** A table cell as JSON: bigints and nested values arrive as strings. */
export type CellValue = number | string | boolean | null;

/**
 * How a column's values are shown: ns durations, percentages, floats, counts (with thousands
 * separators), identifiers (integers shown as they are: a VM's pid, a reason code) or text.
 */
export type ColumnKind = "duration" | "percent" | "float" | "int" | "id" | "text";

/** One machine instance (a lane of the timeline). */
export interface LaneData {
  /** `machine[key]`: unique in the report. */
  id: string;
  /** Key as text (the thread id for per-$tid machines). */
  key: string;
  /** Shown at the left of the lane: key, plus the vCPU number and the thread's name when kept. */
  label: string;
  /** Value of the group field (the VM) as text, or null when the lane has none. */
  group: string | null;
  /**
   * Flat quadruples `[start, duration, stateIndex, fieldSetIndex, ...]`, sorted by start.
   * `stateIndex` indexes `ReportData.states`; `fieldSetIndex` the machine's `fieldSets`.
   */
  iv: number[];
}

/** One machine: its lanes and the distinct kept-field tuples its intervals carry. */
export interface MachineData {
  name: string;
  fieldNames: string[];
  /** Distinct tuples of kept-field values (shown in tooltips), shared between intervals. */
  fieldSets: CellValue[][];
  lanes: LaneData[];
}

/** One table of the run, with its columns' display kinds. */
export interface TableData {
  name: string;
  columns: string[];
  kinds: ColumnKind[];
  /** How many leading columns name a row (the `by` columns) rather than measure it. */
  labels: number;
  rows: CellValue[][];
  /** Index of the column holding the group (VM) value, or -1. */
  groupColumn: number;
  notes: string[];
}

/** One alert, placed on a lane when its fields name a machine instance. */
export interface AlertData {
  rule: string;
  severity: string;
  ts: number;
  message: string;
  /** `LaneData.id` of the instance the alert concerns, or null (shown on the alerts lane). */
  lane: string | null;
  group: string | null;
}

/** The critical path as the report draws it (see `critical-path-input.ts`). */
export interface CriticalPathData {
  title: string;
  workers: string[];
  /** Flat `[workerIndex, start, end, stateIndex, causeIndex, ...]`; causeIndex -1 = none. */
  steps: number[];
  states: string[];
  causes: string[];
  /** Flat `[fromWorker, fromTs, toWorker, toTs, ...]`. */
  links: number[];
}

/** Everything the page shows. */
export interface ReportData {
  title: string;
  /** Absolute ns of time 0, decimal. */
  origin: string;
  first: number;
  last: number;
  hosts: string[];
  stats: { events: number; late: number; lost: number; suppressedAlerts: number; actionFailures: number };
  uncertain: boolean;
  /** Honest remarks shown under the header (e.g. intervals left out above the cap). */
  notes: string[];
  /** Name of the field that groups lanes, rows and alerts (`vm`), or null. */
  groupField: string | null;
  /** Distinct group values, sorted (numbers numerically). */
  groups: string[];
  /** Every state name of every machine; lanes index into it. */
  states: string[];
  /** CSS colour per state name. */
  colors: Record<string, string>;
  machines: MachineData[];
  tables: TableData[];
  alerts: AlertData[];
  losses: Array<{ host: number; cpu: number; start: number; end: number; count: number }>;
  criticalPath: CriticalPathData | null;
}
