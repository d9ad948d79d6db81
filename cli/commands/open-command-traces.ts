/**
 * Opening the traces of a command that reads them in one batch (`vigil run`, `vigil dump`): the
 * same flags (`--input-format`, `--cpu-hz`, `--strict`) must mean the same in each, and a trace
 * that cannot be opened must end each the same way, so this is done once here.
 *
 * Contract: on success, every source is open (`TraceSource.open` done) and `reporter` prints
 * and counts read issues, throwing `StrictStop` at the first error under `--strict` (also while
 * the caller reads batches later). On failure the reason was written to stderr as
 * `vigil COMMAND: ...` and `exitCode` is what the command returns: 2 for a bad option, 1 for a
 * trace that cannot be opened or a `--strict` stop while opening. Other errors propagate.
 */
import { openTraces, TraceOpenError } from "../../engine/readers/index.js";
import type { TraceSource } from "../../engine/readers/source.js";
import type { ParsedArgs } from "../command.js";
import { issueReporter, readerOptions, StrictStop } from "../inputs.js";

/** The outcome of `openCommandTraces`. */
export type OpenedTraces =
  | { ok: true; sources: TraceSource[]; reporter: ReturnType<typeof issueReporter> }
  | { ok: false; exitCode: 1 | 2 };

/** Opens `paths` for `vigil <command>` with the reader flags of `values` (see the contract above). */
export async function openCommandTraces(command: string, paths: string[], values: ParsedArgs["values"]): Promise<OpenedTraces> {
  const reporter = issueReporter(values.strict === true);
  try {
    const inputFormat = values["input-format"];
    const ro = readerOptions(values);
    if (ro.error) {
      process.stderr.write(`vigil ${command}: ${ro.error}\n`);
      return { ok: false, exitCode: 2 };
    }
    const sources = await openTraces(paths, { onIssue: reporter.onIssue, ...(typeof inputFormat === "string" ? { format: inputFormat } : {}), ...ro });
    return { ok: true, sources, reporter };
  } catch (err) {
    if (err instanceof TraceOpenError || err instanceof StrictStop) {
      process.stderr.write(`vigil ${command}: ${err.message}\n`);
      return { ok: false, exitCode: 1 };
    }
    throw err;
  }
}
