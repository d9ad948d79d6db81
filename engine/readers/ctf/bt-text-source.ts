/**
 * `vigil dump --format babeltrace`: the lines `babeltrace2 TRACE` prints, from any source that
 * can write them (CTF sources, which know their traces' types: display bases, enum labels,
 * scopes). Sources offer it through the optional `BabeltraceTextSource` methods; the dump
 * command asks `babeltraceLines` for a printer over all its sources.
 *
 * Contract: call `babeltraceLines` before the sources are read (it asks them to keep each
 * event's packet context), then give it every item, in the merged order, while that item's
 * batch is current (events are pooled). Loss markers print nothing on standard output, as
 * babeltrace2 only warns about them on standard error.
 */
import type { TraceEvent } from "../../model/event.js";
import { isLoss, type SourceItem, type TraceSource } from "../source.js";
import { BabeltraceClock } from "./bt-text-values.js";

/** What a source offers to be printed as babeltrace2 prints it. */
export interface BabeltraceTextSource {
  /** Called before reading: keep what `formatBabeltrace` needs. */
  prepareBabeltrace(): void;
  /** One event of the current read as a babeltrace2 pretty line (`clock` is shared by all sources). */
  formatBabeltrace(ev: TraceEvent, clock: BabeltraceClock): string;
}

/** True when `s` can print babeltrace2 lines. */
export function isBabeltraceTextSource(s: TraceSource): s is TraceSource & BabeltraceTextSource {
  const t = s as Partial<BabeltraceTextSource>;
  return typeof t.prepareBabeltrace === "function" && typeof t.formatBabeltrace === "function";
}

/**
 * A printer over `sources` (index = the `host` of their items), or an error message naming the
 * sources that cannot be printed this way.
 */
export function babeltraceLines(sources: readonly TraceSource[]): ((item: SourceItem) => string | null) | string {
  const bad = sources.filter((s) => !isBabeltraceTextSource(s));
  if (bad.length > 0) return `--format babeltrace needs CTF traces; ${bad.map((s) => `${s.path} is ${s.format}`).join(", ")}`;
  const printable = sources as ReadonlyArray<TraceSource & BabeltraceTextSource>;
  for (const s of printable) s.prepareBabeltrace();
  const clock = new BabeltraceClock();
  return (item) => (isLoss(item) ? null : printable[item.host].formatBabeltrace(item, clock));
}
