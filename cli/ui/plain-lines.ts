/**
 * `vigil watch` without a terminal view: one line per alert, action step and notice, as text
 * for people or as JSON Lines for programs (`--format json`). Lines are written as things
 * happen, so `vigil watch ... | grep ALERT` and log shippers see them at once.
 *
 * Contract: every function returns one line without its newline. Times are the trace's own
 * (absolute ns, shown as UTC time of day with ns, or `abs_ts` in JSON); action steps carry
 * wall-clock times (`wall_ms`).
 */
import type { LiveNotice } from "../../engine/live/live-feed.js";
import type { ActionEvent } from "../../engine/runtime/actions.js";
import { alertJson } from "../../engine/runtime/alert-json.js";
import type { AlertRecord } from "../../engine/runtime/result.js";
import { formatDuration } from "../../engine/model/time.js";

export type LineFormat = "text" | "json";

/** Absolute ns → `HH:MM:SS.nnnnnnnnn` (UTC). */
export function timeOfDay(abs: bigint): string {
  const day = 86_400_000_000_000n;
  const ns = ((abs % day) + day) % day;
  const s = ns / 1_000_000_000n;
  const p = (v: bigint, n: number) => v.toString().padStart(n, "0");
  return `${p(s / 3600n, 2)}:${p((s / 60n) % 60n, 2)}:${p(s % 60n, 2)}.${p(ns % 1_000_000_000n, 9)}`;
}

export function alertLine(r: AlertRecord, origin: bigint, format: LineFormat): string {
  if (format === "json") return `{"type":"alert",${alertJson(r, origin).slice(1)}`;
  const fields = Object.entries(r.fields).map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : String(v)}`).join(" ");
  return `${timeOfDay(origin + BigInt(Math.round(r.ts)))} ALERT ${r.severity} ${r.rule}: ${r.message}${fields ? `  {${fields}}` : ""}`;
}

export function actionLine(e: ActionEvent, origin: bigint, format: LineFormat): string {
  if (format === "json") {
    return JSON.stringify({
      type: "action", phase: e.phase, rule: e.rule, kind: e.kind, argv: e.argv, attempt: e.attempt, wall_ms: e.wallMs,
      ...(e.durationMs !== undefined ? { duration_ms: e.durationMs } : {}), ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.path !== undefined ? { path: e.path } : {}), alert_ts: (origin + BigInt(Math.round(e.record.ts))).toString(),
    });
  }
  const what = actionWhat(e);
  const took = e.durationMs !== undefined ? ` in ${e.durationMs.toFixed(1)} ms` : "";
  const tail = e.path !== undefined ? ` -> ${e.path}` : e.error !== undefined ? `: ${e.error}` : "";
  return `${new Date(e.wallMs).toISOString()} ACTION ${e.phase} (${e.rule}, attempt ${e.attempt}) ${what}${took}${tail}`;
}

/** `snapshot snapshot record -s fr` reads badly: LTTng actions show their lttng arguments, exec its argv. */
export function actionWhat(e: ActionEvent): string {
  return e.kind === "exec" ? `exec ${e.argv.join(" ")}` : `${e.kind}: lttng ${e.argv.slice(1).join(" ")}`;
}

export function noticeLine(n: LiveNotice, origin: bigint | null, format: LineFormat): string {
  if (format === "json") {
    if (n.kind === "gap") {
      const o = origin ?? 0n;
      return JSON.stringify({ type: "notice", kind: "gap", start: (o + BigInt(Math.round(n.start))).toString(), end: (o + BigInt(Math.round(n.end))).toString(), seconds: (n.end - n.start) / 1e9, why: n.why });
    }
    return JSON.stringify({ type: "notice", ...n });
  }
  switch (n.kind) {
    case "connected":
      return `-- connected to the ${n.where}`;
    case "waiting":
      return `-- waiting for ${n.what}`;
    case "attached":
      return `-- reading ${n.what}: ${n.streams} stream(s)`;
    case "streams":
      return `-- ${n.added} new stream(s), ${n.total} in all`;
    case "disconnected":
      return `-- lost ${n.reason}; retrying in ${n.retryInMs} ms`;
    case "gap":
      return `-- GAP of ${formatDuration(n.end - n.start)} without events (${n.why})${origin !== null ? ` from ${timeOfDay(origin + BigInt(Math.round(n.start)))} to ${timeOfDay(origin + BigInt(Math.round(n.end)))}` : ""}`;
    case "ended":
      return `-- end: ${n.why}`;
    case "issue": {
      const i = n.issue;
      const where = i.line !== undefined ? `:${i.line}` : i.offset !== undefined ? ` (byte ${i.offset})` : "";
      return `${i.file}${where}: ${i.severity}: ${i.message}`;
    }
  }
}
