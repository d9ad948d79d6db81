/**
 * One event as one line, for `vigil dump`: `jsonl` is Vigil's JSON Lines input format (so a
 * dump of any trace can be fed back with `vigil run rules.vgl -`), `text` a readable line with
 * absolute seconds, cpu, host, name, context and fields. 64-bit values stay exact.
 */
import type { FieldValue, LossMarker, TraceEvent } from "../model/event.js";

export type EventLineFormat = "jsonl" | "text";

export function eventLine(ev: TraceEvent, origin: bigint, host: string, format: EventLineFormat): string {
  const abs = origin + BigInt(ev.ts);
  if (format === "jsonl") {
    const parts = [`"ts":"${abs}"`, `"name":${JSON.stringify(ev.name)}`, `"cpu":${ev.cpu}`, `"fields":${jsonObject(ev.fields)}`];
    if (ev.context) parts.push(`"context":${jsonObject(ev.context as Record<string, FieldValue | undefined>)}`);
    return `{${parts.join(",")}}`;
  }
  const ctx = ev.context ? Object.entries(ev.context).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${show(v as FieldValue)}`).join(" ") : "";
  const fields = Object.entries(ev.fields).map(([k, v]) => `${k}=${show(v)}`).join(" ");
  return `${seconds(abs)} cpu${ev.cpu} ${host} ${ev.name}${ctx ? ` [${ctx}]` : ""} ${fields}`.trimEnd();
}

export function lossLine(m: LossMarker, origin: bigint, host: string, format: EventLineFormat): string {
  const start = origin + BigInt(m.start);
  const end = origin + BigInt(m.end);
  if (format === "jsonl") return `{"ts":"${start}","name":"vigil_lost_events","cpu":${m.cpu},"fields":{"count":${m.count},"end":"${end}"}}`;
  return `${seconds(start)} cpu${m.cpu} ${host} LOST ${m.count >= 0 ? m.count : "some"} events until ${seconds(end)}`;
}

// --- internal ---

function seconds(abs: bigint): string {
  const s = abs / 1_000_000_000n;
  const ns = (abs % 1_000_000_000n).toString().padStart(9, "0");
  return `${s}.${ns}`;
}

function show(v: FieldValue): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(",")}]`;
  return String(v);
}

function jsonValue(v: FieldValue | undefined): string {
  if (v === undefined || v === null) return "null";
  if (typeof v === "bigint") return v.toString(); // exact JSON integer: the JSONL reader reads it back as bigint
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (Array.isArray(v)) return `[${v.map(jsonValue).join(",")}]`;
  return JSON.stringify(v);
}

function jsonObject(o: Record<string, FieldValue | undefined>): string {
  return `{${Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v)}`).join(",")}}`;
}
