/**
 * The terminal report: what a user reads after `vigil run`.
 *
 * Contract: a header (origin once, trace span, hosts, and an `UNCERTAIN:` line with the loss
 * ranges when events were lost or late), then per machine a per-state summary (instances,
 * intervals, total_ns, share %) — machines without any interval named together on one line
 * after them — one summary table of the segment sets (count, total, min,
 * avg, max in ns), every table aligned under a title with its notes, the alerts (time,
 * severity, rule, message) and a stats footer. Times are seconds with 9 decimals from the
 * origin; durations integer ns (see `display-value.ts`). Machines, segment sets and tables
 * follow `opts.order` (a pack's report order), then the run's order. With `select`, only the
 * selected parts are printed between the header and the footer, and alerts are left out.
 */
import type { FieldValue } from "../model/event.js";
import type { RunResult, TableResult } from "../runtime/result.js";
import { displayScalar, escapeControl, formatColumn, formatSeconds, isDurationColumn, isFloatColumn } from "./display-value.js";
import { type FormatOptions, inReportOrder, isUncertain, resolveSelection } from "./format-options.js";
import { summarizeSegments, summarizeStates } from "../runtime/summaries.js";
import { type TextColumn, renderTextTable } from "./text-table.js";

/** Loss ranges listed one per line before the rest are summed up in one line. */
const MAX_LOSS_LINES = 10;

/** Renders `result` as the terminal report (ends with a newline). */
export function formatTable(result: RunResult, opts: FormatOptions = {}): string {
  const sel = resolveSelection(result, opts);
  const blocks: string[][] = [_header(result)];
  // Machines that never left their initial state (helpers that saw nothing) share one line.
  const idle: string[] = [];
  for (const m of inReportOrder(sel.machines, opts.order)) {
    const block = _machine(m, result);
    if (block === null) idle.push(m);
    else blocks.push(block);
  }
  if (idle.length > 0) blocks.push([`Machines without intervals: ${idle.map(escapeControl).join(", ")}`]);
  if (sel.segmentSets.length > 0) blocks.push(_segments(inReportOrder(sel.segmentSets, opts.order), result));
  // (an explicit --table list keeps the order it was given in)
  const tables = opts.select?.tables !== undefined ? sel.tables : inReportOrder(sel.tables, opts.order);
  for (const t of tables) blocks.push(_table(t, result.tables[t]));
  if (sel.full) blocks.push(_alerts(result));
  blocks.push(_footer(result));
  return `${blocks.map((b) => b.join("\n")).join("\n\n")}\n`;
}

// --- internal ---

function _header(r: RunResult): string[] {
  const lines = [
    `Vigil report: origin ${r.origin} ns, times are seconds from the origin`,
    `trace: ${formatSeconds(r.first)} .. ${formatSeconds(r.last)} (${r.last - r.first} ns), ` +
      `host${r.hosts.length === 1 ? "" : "s"}: ${r.hosts.length > 0 ? r.hosts.map(escapeControl).join(", ") : "-"}`,
  ];
  if (!isUncertain(r)) return lines;
  const lost = r.stats.lost;
  lines.push(
    `UNCERTAIN: ${lost} event${lost === 1 ? "" : "s"} lost in ${r.losses.length} range${r.losses.length === 1 ? "" : "s"}, ` +
      `${r.stats.late} late; results overlapping these ranges may be incomplete`,
  );
  for (const l of r.losses.slice(0, MAX_LOSS_LINES)) {
    const host = r.hosts[l.host] ?? `#${l.host}`;
    const count = l.count < 0 ? "unknown number of events" : `${l.count} event${l.count === 1 ? "" : "s"}`;
    lines.push(`  lost on host ${escapeControl(host)} cpu ${l.cpu}: ${formatSeconds(l.start)} .. ${formatSeconds(l.end)}, ${count}`);
  }
  if (r.losses.length > MAX_LOSS_LINES) lines.push(`  ... and ${r.losses.length - MAX_LOSS_LINES} more ranges`);
  return lines;
}

/** A machine's summary block, or null when it has no interval. */
function _machine(name: string, r: RunResult): string[] | null {
  const s = r.summaries?.states[name] ?? summarizeStates(r.states[name] ?? []);
  const title = `Machine ${name}: ${_plural(s.instances, "instance")}, ${_plural(s.intervals, "interval")}, ${s.totalNs} ns in states`;
  if (s.rows.length === 0) return null;
  return [
    title,
    ...renderTextTable([
      _col("state", s.rows.map((x) => x.state)),
      _col("instances", s.rows.map((x) => x.instances)),
      _col("intervals", s.rows.map((x) => x.intervals)),
      _col("total_ns", s.rows.map((x) => x.totalNs), true),
      _col("share", s.rows.map((x) => x.share), false, true),
    ]),
  ];
}

function _segments(names: string[], r: RunResult): string[] {
  const sums = names.map((n) => r.summaries?.segments[n] ?? summarizeSegments(r.segments[n] ?? []));
  return [
    "Segments",
    ...renderTextTable([
      _col("name", names),
      _col("count", sums.map((s) => s.count)),
      _col("total_ns", sums.map((s) => s.totalNs), true),
      _col("min_ns", sums.map((s) => s.minNs), true),
      _col("avg_ns", sums.map((s) => s.avgNs), true),
      _col("max_ns", sums.map((s) => s.maxNs), true),
    ]),
  ];
}

function _table(name: string, t: TableResult): string[] {
  const title = `Table ${name} (${_plural(t.rows.length, "row")})`;
  const columns = t.columns.map((c, i) => {
    const duration = isDurationColumn(c);
    return _col(c, t.rows.map((row) => row[i] ?? null), duration, !duration && isFloatColumn(c));
  });
  const lines = [title, ...renderTextTable(columns)];
  if (t.rows.length === 0) lines.push("  (no rows)");
  for (const note of t.notes) lines.push(`  note: ${escapeControl(note)}`);
  return lines;
}

function _alerts(r: RunResult): string[] {
  if (r.alerts.length === 0) return ["Alerts: none"];
  return [
    `Alerts: ${r.alerts.length}`,
    ...renderTextTable([
      { header: "time", cells: r.alerts.map((a) => formatSeconds(a.ts)), align: "right" },
      _col("severity", r.alerts.map((a) => a.severity)),
      _col("rule", r.alerts.map((a) => a.rule)),
      _col("message", r.alerts.map((a) => a.message)),
    ]),
  ];
}

function _footer(r: RunResult): string[] {
  const s = r.stats;
  const lines = [
    `Stats: ${_plural(s.events, "event")}, ${s.late} late, ${s.lost} lost, ` +
      `${_plural(s.suppressed_alerts, "suppressed alert")}, ${_plural(s.action_failures, "action failure")}`,
  ];
  const byRule = (label: string, counts: Record<string, number>): void => {
    const names = Object.keys(counts).sort();
    if (names.length > 0) lines.push(`  ${label}: ${names.map((n) => `${n} ${counts[n]}`).join(", ")}`);
  };
  byRule("suppressed alerts by rule", s.suppressed_by_rule);
  byRule("overflows by rule", s.overflow_by_rule);
  return lines;
}

/** A text column from values; `fixed2` forces 2 decimals on every number (a share of 50 prints `50.00`). */
function _col(header: string, values: FieldValue[], duration = false, fixed2 = false): TextColumn {
  if (fixed2) {
    const cells = values.map((v) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(2) : displayScalar(v)));
    return { header, cells, align: "right" };
  }
  const c = formatColumn(values, duration);
  return { header, cells: c.cells, align: c.numeric ? "right" : "left" };
}

function _plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
