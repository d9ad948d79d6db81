/**
 * How a `Program` is run (`ProgramOptions`) and what it shows of itself while running
 * (`MachineView`): the public surface batch runs, `vigil watch` and the live view share, so
 * nothing outside the runtime needs to know how a program is built inside.
 */
import type { FieldValue } from "../model/event.js";
import type { ActionEvent, RetryPolicy } from "./actions.js";
import type { Instance } from "./machine-store.js";
import type { AlertRecord, HistorySpill } from "./result.js";

export interface ProgramOptions {
  /** Absolute time (ns) event times are relative to; written into alert logs. Default 0. */
  origin?: bigint;
  /** Host labels, indexed by `TraceEvent.host`. Default `["trace"]`. */
  hosts?: string[];
  /** Keep state intervals and segments (default true); a number keeps only the newest N per rule (a ring). */
  history?: boolean | number;
  /**
   * Alert records kept for the result: only (about) the newest N — at most 2N are held, trimmed
   * in halves so the cost stays amortised O(1). Default: all. Every alert is still counted, and
   * `onAlert` still sees each one.
   */
  maxAlerts?: number;
  /** Loss ranges kept for the result: only (about) the newest N, as `maxAlerts`. Default: all. */
  maxLosses?: number;
  /** Where `print` actions write (default: stderr). */
  print?: (line: string) => void;
  /** The `lttng` executable snapshot and rotate actions run (default `lttng`). */
  lttng?: string;
  /** How failed action commands are tried again (default 3 attempts, 250 ms doubling backoff). */
  retry?: RetryPolicy;
  /** Called synchronously with every alert record as it fires, before its actions are queued. */
  onAlert?: (record: AlertRecord) => void;
  /** Told every step of every command action (started, done, retrying, failed), off the hot path. */
  onAction?: (event: ActionEvent) => void;
  /**
   * Called with every closed state interval of positive length, in the order they close
   * (`machine` indexes `Program.machines`). Setting it makes machines build their interval rows
   * even when `history` is false.
   */
  onInterval?: (machine: number, key: FieldValue, state: string, start: number, end: number) => void;
  /**
   * With `history` false, still tally each machine's and segment set's summary as intervals
   * and segments close (`RunResult.summaries`): what the terminal report shows, exact, in
   * memory bounded by the number of instances rather than the length of the trace.
   */
  tally?: boolean;
  /**
   * With `history` true, hand every interval and segment to this spill as it closes instead
   * of keeping it: the result's lists are empty and `RunResult.spilled` holds them (the JSON
   * output reads them back), so memory does not grow with the trace.
   */
  spill?: HistorySpill;
}

/**
 * One keyed state machine as seen from outside the program: its live instances (state index
 * into `states`, time of the last state change in `since`, kept fields as `k_<name>`). The view
 * is live — it follows the run without being rebuilt — and read-only: callers must not keep
 * instances past the next `push`, as the program changes them in place.
 */
export interface MachineView {
  readonly name: string;
  readonly states: readonly string[];
  readonly instances: ReadonlyMap<FieldValue, Readonly<Instance>>;
}
