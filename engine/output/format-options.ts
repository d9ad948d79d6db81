/**
 * What a caller asks a formatter to print, and its resolution against one run.
 *
 * Contract: without `select` a formatter prints the whole report. With `select`, only the
 * parts it names: `states` (every machine), `segments` (every segment set), `tables` (those
 * tables, in the order given). Each formatter documents what frame it keeps around a
 * selection (the JSON origin and stats, the text header and footer; CSV keeps nothing).
 * A table name the run does not have is an error that lists the names it does have.
 */
import type { RunResult } from "../runtime/result.js";

/** Parts of a run to print; absent means "not selected" once `select` is given. */
export interface FormatSelection {
  states?: boolean;
  segments?: boolean;
  tables?: string[];
}

/** Options every formatter takes. */
export interface FormatOptions {
  select?: FormatSelection;
  /**
   * Names (machines, segment sets, tables) in the order a reader should meet them — a pack's
   * report order from its pack.json — for the formats that print for people (the terminal
   * report); the names it lacks follow in the run's order. Machine-readable formats keep the
   * run's order.
   */
  order?: readonly string[];
}

/** A selection resolved to the names present in one run. */
export interface ResolvedSelection {
  /** True when no `select` was given: print everything, alerts included. */
  full: boolean;
  machines: string[];
  segmentSets: string[];
  tables: string[];
}

/** Resolves `opts.select` against `result`; throws an Error naming unknown tables. */
export function resolveSelection(result: RunResult, opts: FormatOptions = {}): ResolvedSelection {
  const select = opts.select;
  const allTables = Object.keys(result.tables);
  if (select === undefined) {
    return {
      full: true,
      machines: Object.keys(result.states),
      segmentSets: Object.keys(result.segments),
      tables: allTables,
    };
  }
  const tables = select.tables ?? [];
  const unknown = tables.filter((t) => !Object.hasOwn(result.tables, t));
  if (unknown.length > 0) {
    const have = allTables.length > 0 ? `this run has: ${allTables.join(", ")}` : "this run has no tables";
    throw new Error(`Unknown table ${unknown.map((t) => `\`${t}\``).join(", ")}: ${have}. Pick one of those names.`);
  }
  return {
    full: false,
    machines: select.states === true ? Object.keys(result.states) : [],
    segmentSets: select.segments === true ? Object.keys(result.segments) : [],
    tables: [...new Set(tables)],
  };
}

/** True when losses or late events make some results incomplete. */
export function isUncertain(result: RunResult): boolean {
  return result.losses.length > 0 || result.stats.lost > 0 || result.stats.late > 0;
}

/** `names` with those in `order` first, in that order; the others after, as they were. */
export function inReportOrder(names: readonly string[], order: readonly string[] | undefined): string[] {
  if (order === undefined || order.length === 0) return [...names];
  const rank = new Map(order.map((n, i) => [n, i]));
  const listed = names.filter((n) => rank.has(n)).sort((a, b) => rank.get(a)! - rank.get(b)!);
  return [...listed, ...names.filter((n) => !rank.has(n))];
}
