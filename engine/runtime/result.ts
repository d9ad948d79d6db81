/**
 * What a run produces. Output formatters (`engine/output/`) render exactly this; the JSON
 * contract in the README is this type with times as integer ns relative to `origin`.
 */
import type { SegmentSummary, StateSummary } from "./summaries.js";
import type { FieldValue } from "../model/event.js";

/** One closed interval of one machine instance. `fields` are the kept fields during it. */
export interface StateInterval {
  key: FieldValue;
  state: string;
  start: number;
  end: number;
  fields: Record<string, FieldValue>;
}

export interface Segment {
  start: number;
  end: number;
  fields: Record<string, FieldValue>;
}

export interface TableResult {
  columns: string[];
  rows: FieldValue[][];
  /** Notes such as "p99 above 100000 values per group is a sketch (1% relative error)". */
  notes: string[];
}

export type AlertSeverity = "debug" | "info" | "notice" | "warning" | "error" | "critical";

export interface AlertRecord {
  rule: string;
  severity: AlertSeverity;
  ts: number;
  message: string;
  fields: Record<string, FieldValue>;
}

export interface RunStats {
  events: number;
  late: number;
  lost: number;
  /** Alert actions a rate policy held back, per rule (never silently dropped). */
  suppressed_alerts: number;
  suppressed_by_rule: Record<string, number>;
  /** Partial matches / instances refused by caps, per rule. */
  overflow_by_rule: Record<string, number>;
  /** Action failures (exec exit code, unwritable log) per rule. */
  action_failures: number;
}

/** A vertical edge of the execution graph: from worker `from` at `from_ts` to `to` at `to_ts`. */
export interface LinkRecord {
  from: FieldValue;
  from_ts: number;
  to: FieldValue;
  to_ts: number;
}

export interface RunResult {
  /** Absolute ns that every time in this result is relative to. */
  origin: bigint;
  /** First and last event times (relative), or 0 when no event. */
  first: number;
  last: number;
  states: Record<string, StateInterval[]>;
  segments: Record<string, Segment[]>;
  /** Links by link set (link rules and sequences with `emit link`). */
  links: Record<string, LinkRecord[]>;
  tables: Record<string, TableResult>;
  alerts: AlertRecord[];
  stats: RunStats;
  /** Host ids in source order (`TraceEvent.host` indexes this). */
  hosts: string[];
  /**
   * Per-machine and per-segment-set summaries tallied as the run went, present when the run
   * kept no history but was asked to tally (`ProgramOptions.tally`): the terminal report
   * prints them in place of summaries of `states` and `segments`, which are then empty.
   */
  summaries?: RunSummaries;
  /** Loss ranges seen, so reports can mark results uncertain. */
  losses: Array<{ host: number; cpu: number; start: number; end: number; count: number }>;
  /**
   * Intervals and segments written out during the run instead of kept (`ProgramOptions.spill`):
   * their lists in `states` / `segments` are then empty, and only the JSON output reads them.
   */
  spilled?: SpilledHistory;
}

/** Records kept outside the heap: their number, and their JSON lines in order. */
export interface RecordLines {
  count: number;
  /** User field names of the records, in order (the CSV header's field part). */
  fields: readonly string[];
  /** The records' JSON texts joined by `separator`, in pieces whose concatenation is that. */
  joined(separator: string): Iterable<string>;
}

/** See `RunResult.spilled`, by machine and by segment set. */
export interface SpilledHistory {
  states: Record<string, RecordLines>;
  segments: Record<string, RecordLines>;
}

/** Where a run writes its intervals and segments instead of keeping them (see `RunResult.spilled`). */
export interface HistorySpill {
  /** A closed interval, as the machine's row (key, state, start, end, duration, open, kept fields), read during the call only. */
  state(machine: string, row: Record<string, FieldValue | undefined>): void;
  /** A segment, as the sequence's row (start, end, duration, key, fields), read during the call only. */
  segment(set: string, row: Record<string, FieldValue | undefined>): void;
  /** Ends writing; the sets that received records. */
  finish(): SpilledHistory;
}

/** See `RunResult.summaries`. */
export interface RunSummaries {
  states: Record<string, StateSummary>;
  segments: Record<string, SegmentSummary>;
}
