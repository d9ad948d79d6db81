/**
 * Naming of record fields in flat outputs (JSON objects, CSV headers), where a record's fixed
 * keys (`start`, `end`, `key`, ...) and its user fields share one namespace.
 *
 * Contract: a user field whose name equals one of the record's fixed keys is written as
 * `fields.<name>` — fixed keys keep their meaning, the field is not lost, and since language
 * identifiers contain no dot the new name cannot collide with another field.
 */
import type { FieldValue } from "../model/event.js";

/** Fixed keys of a state interval record (CSV adds `duration`, see `STATE_CSV_KEYS`). */
export const STATE_KEYS: ReadonlySet<string> = new Set(["key", "state", "start", "end"]);
/** Fixed columns of a state interval row in CSV. */
export const STATE_CSV_KEYS: ReadonlySet<string> = new Set([...STATE_KEYS, "duration"]);
/** Fixed keys of a segment record. */
export const SEGMENT_KEYS: ReadonlySet<string> = new Set(["start", "end", "duration"]);
/** Fixed keys of an alert record. */
export const ALERT_KEYS: ReadonlySet<string> = new Set(["rule", "severity", "ts", "message"]);

/** The output name of user field `name` in a record with fixed keys `reserved`. */
export function fieldKey(name: string, reserved: ReadonlySet<string>): string {
  return reserved.has(name) ? `fields.${name}` : name;
}

/** Names of every field over `records`, in first-seen order (a CSV header's field part). */
export function fieldUnion(records: Iterable<{ fields: Record<string, FieldValue> }>): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const name of Object.keys(r.fields)) seen.add(name);
  return [...seen];
}

/** Column names made unique for use as object keys: a repeated `x` becomes `x_2`, `x_3`. */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let out = name;
    for (let i = 2; used.has(out); i++) out = `${name}_${i}`;
    used.add(out);
    return out;
  });
}
