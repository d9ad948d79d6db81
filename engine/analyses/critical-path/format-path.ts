/**
 * A critical-path report as text: an aligned table (worker, state, start, duration, cause)
 * then the per-cause totals; or one JSON document in the engine's contract (integer ns
 * relative to `origin`, the origin as a decimal string).
 */
import { formatDuration } from "../../model/time.js";
import { renderTextTable } from "../../output/text-table.js";
import type { RunResult } from "../../runtime/result.js";
import type { CriticalPathReport } from "../critical-path.js";
import type { ExecGraph } from "./exec-graph.js";

/** How a vertical row reads in the table: the path moves from one worker to another. */
const HOP: Record<string, string> = { default: "→ waits on", wakeup: "→ wakes", network: "→ packet" };

export function formatPathTable(report: CriticalPathReport, result: RunResult): string {
  const t = report.target;
  const lines = [`critical path of ${t.label}, ${t.start} → ${t.end} (${formatDuration(t.end - t.start)})${report.truncated ? " — TRUNCATED (walk budget exhausted)" : ""}`];
  if (result.origin !== 0n) lines.push(`times: ns after ${result.origin}`);
  const rows = report.rows;
  lines.push(...renderTextTable([
    { header: "worker", cells: rows.map((r) => r.label), align: "left" },
    { header: "state", cells: rows.map((r) => (r.vertical ? HOP[r.state] ?? `→ ${r.state}` : r.state)), align: "left" },
    { header: "start", cells: rows.map((r) => String(r.start)), align: "right" },
    { header: "duration", cells: rows.map((r) => formatDuration(r.duration)), align: "right" },
    { header: "cause", cells: rows.map((r) => r.cause), align: "left" },
  ]));
  lines.push("", "time by cause");
  const tot = report.totals;
  lines.push(...renderTextTable([
    { header: "state", cells: tot.map((x) => x.state), align: "left" },
    { header: "cause", cells: tot.map((x) => x.cause), align: "left" },
    { header: "total", cells: tot.map((x) => formatDuration(x.duration)), align: "right" },
    { header: "share", cells: tot.map((x) => `${(x.share * 100).toFixed(1)}%`), align: "right" },
  ]));
  return lines.join("\n") + "\n";
}

export function formatPathJson(report: CriticalPathReport, result: RunResult, g: ExecGraph): string {
  const doc = {
    origin: String(result.origin),
    target: report.target,
    path: report.rows.map((r) => ({
      worker: r.worker, ...(r.from !== null ? { from: r.from } : {}), label: r.label, state: r.state,
      start: r.start, end: r.end, duration: r.duration, cause: r.cause, vertical: r.vertical,
    })),
    totals: report.totals.map((x) => ({ state: x.state, cause: x.cause, duration: x.duration, share: Number(x.share.toFixed(6)) })),
    truncated: report.truncated,
    stats: { events: result.stats.events, workers: g.workers.length, vertices: g.ts.length, dropped_links: g.droppedLinks },
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
