/** One alert as a JSON line (the `log` action and `--format json` share this shape). */
import type { FieldValue } from "../model/event.js";
import type { AlertRecord } from "./result.js";

export function jsonValue(v: FieldValue | undefined): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  if (Array.isArray(v)) return v.map(jsonValue);
  return v ?? null;
}

export function alertJson(r: AlertRecord, origin: bigint): string {
  const o: Record<string, unknown> = { rule: r.rule, severity: r.severity, ts: r.ts, abs_ts: (origin + BigInt(r.ts)).toString(), message: r.message };
  for (const [k, v] of Object.entries(r.fields)) if (!(k in o)) o[k] = jsonValue(v);
  return JSON.stringify(o);
}
