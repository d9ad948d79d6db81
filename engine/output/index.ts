/**
 * The output formats of `vigil run`/`vigil watch`: one formatter per file, registered here.
 *
 * Contract: every formatter is a pure function of a `RunResult` and `FormatOptions` that
 * returns the whole text, ending with a newline; the same result gives the same bytes. `write`
 * hands the same text over in pieces: JSON and CSV of a long run (every interval) are more
 * text than one JavaScript string can hold.
 * The CLI takes its `--format` choices from `keyof typeof FormattersMap`.
 */
import type { RunResult } from "../runtime/result.js";
import { formatCsv, writeCsv } from "./csv-formatter.js";
import type { FormatOptions } from "./format-options.js";
import { formatJson, writeJsonResult } from "./json-formatter.js";
import { formatTable } from "./table-formatter.js";
import { formatXenmon } from "./xenmon-formatter.js";

export type { FormatOptions, FormatSelection } from "./format-options.js";

/** One output format. */
export interface OutputFormatter {
  /** One line for `--help`. */
  description: string;
  /** Renders a run; throws an Error when `opts.select` names a table the run lacks. */
  format(result: RunResult, opts?: FormatOptions): string;
  /** The same text as `format`, in order, in pieces. */
  write(result: RunResult, opts: FormatOptions, write: (chunk: string) => void): void;
}

/** `write` for a formatter whose text is always small (one piece). */
function whole(format: (result: RunResult, opts?: FormatOptions) => string): OutputFormatter["write"] {
  return (result, opts, write) => write(format(result, opts));
}

/** Every output format by its `--format` name. */
export const FormattersMap = {
  table: { description: "aligned text for the terminal: summaries, tables, alerts, stats", format: formatTable, write: whole(formatTable) },
  json: { description: "one JSON document (the stable machine-readable contract)", format: formatJson, write: writeJsonResult },
  csv: { description: "CSV blocks per machine, segment set, table; --table NAME prints that table alone", format: formatCsv, write: writeCsv },
  xenmon: { description: "cross-tabs like XenMon's === CPU === block: row key, column key, one line per measure, totals", format: formatXenmon, write: whole(formatXenmon) },
} as const satisfies Record<string, OutputFormatter>;

/** The name of an output format. */
export type FormatName = keyof typeof FormattersMap;

/**
 * The same registry under the name the CLI's sink wiring uses: an output format is the
 * end-of-run sink that renders a `RunResult` to text.
 */
export const SinksMap: Record<FormatName, OutputFormatter> = FormattersMap;
