/**
 * What the live driver needs from a `Program` beyond push/loss/finish: its timer queue (to let
 * event-time timers fire when an inactivity beacon proves time has passed without events), its
 * alerter (to see alerts as they fire and keep only the newest records), its action runner
 * (to follow commands), its loss list (to keep it bounded) and the runtime object of the
 * generated code (machine instances and tables for the live view, interval rows to count
 * time shares).
 *
 * `Program` does not expose these yet, so this file is the one place that reaches them by
 * name, and it checks their shape at run time: if `Program` changes, `tapProgram` throws a
 * clear error (and the live tests fail) instead of the driver misbehaving. The proper fix is a
 * `Program.advanceTo(ts)` and `ProgramOptions.{maxAlerts, onAlert, onAction, retry}`.
 */
import { ActionRunner } from "../runtime/actions.js";
import { Alerter } from "../runtime/alerter.js";
import type { FieldValue } from "../model/event.js";
import { MachineStore } from "../runtime/machine-store.js";
import type { Program } from "../runtime/program.js";
import type { RunResult } from "../runtime/result.js";
import { TimerQueue } from "../runtime/timer-queue.js";
import type { TableTracker } from "../runtime/table-tracker.js";

/** The runtime object generated code calls (`rt`): the parts the live view reads or wraps. */
export interface RuntimeTap {
  machines: MachineStore[];
  tables: TableTracker[];
  interval: (machine: number, row: Record<string, FieldValue>) => void;
}

export interface ProgramTap {
  timers: TimerQueue;
  alerter: Alerter;
  runner: ActionRunner;
  losses: RunResult["losses"];
  rt: RuntimeTap;
}

export function tapProgram(p: Program): ProgramTap {
  const o = p as unknown as Record<string, unknown>;
  const { timers, alerter, runner, losses, rt } = o;
  const r = rt as Partial<RuntimeTap> | undefined;
  if (
    !(timers instanceof TimerQueue) || !(alerter instanceof Alerter) || !(runner instanceof ActionRunner) || !Array.isArray(losses) ||
    r === undefined || !Array.isArray(r.machines) || !r.machines.every((m) => m instanceof MachineStore) || !Array.isArray(r.tables) || typeof r.interval !== "function"
  ) {
    throw new Error("engine/runtime/program.ts changed shape (timers, alerter, runner, losses, rt): update engine/live/program-tap.ts");
  }
  return { timers, alerter, runner, losses: losses as RunResult["losses"], rt: r as RuntimeTap };
}
