/**
 * The built-in event catalogue (`engine/model/catalog/events.tsv`) merged with a trace's own
 * schema. Answers "is this an event we know, and which fields does it have?" for the checker.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EventClassSchema } from "../model/event.js";
import { packageRoot } from "../model/package-root.js";

export interface EventCatalog {
  /** Field names per known event; an empty set means "fields unknown". */
  events: Map<string, Set<string> | null>;
  /** True when the names come from a trace: an event missing from it is then an error. */
  fromTrace: boolean;
}

let builtin: Map<string, Set<string> | null> | null = null;

function loadBuiltin(): Map<string, Set<string> | null> {
  if (builtin) return builtin;
  const root = packageRoot();
  const text = readFileSync(join(root, "engine", "model", "catalog", "events.tsv"), "utf8");
  const m = new Map<string, Set<string> | null>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#") || line.startsWith("name\t")) continue;
    const [name, fields] = line.split("\t");
    m.set(name!, new Set((fields ?? "").split(",").filter((f) => f !== "")));
  }
  // Other formats' event tables (xentrace record types...), listed in sources.json.
  const sources = JSON.parse(readFileSync(join(root, "engine", "model", "catalog", "sources.json"), "utf8")) as { tables: Array<{ file: string; nameColumn: number; fieldsColumn: number }> };
  for (const t of sources.tables) {
    const path = join(root, t.file);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (line === "" || line.startsWith("#")) continue;
      const cells = line.split("\t");
      const name = cells[t.nameColumn];
      if (!name) continue;
      const fields = (cells[t.fieldsColumn] ?? "").split(/\s+/).filter((x) => x.includes("=")).map((x) => x.slice(0, x.indexOf("=")));
      const prev = m.get(name);
      m.set(name, new Set([...(prev ?? []), ...fields]));
    }
  }
  m.set(LOST_EVENT, new Set(["count", "end"]));
  return (builtin = m);
}

/** The synthetic event rules see where the tracer lost events (see Program.loss). */
export const LOST_EVENT = "lost_events";

/** The catalogue for a check: the trace's schema when given, else the built-in one. */
export function eventCatalog(traceSchema: EventClassSchema[] | null): EventCatalog {
  if (traceSchema) {
    const m = new Map<string, Set<string> | null>();
    for (const c of traceSchema) {
      const prev = m.get(c.name);
      const s = new Set(c.fields.map((f) => f.name));
      if (prev) for (const f of prev) s.add(f);
      m.set(c.name, s);
    }
    return { events: m, fromTrace: true };
  }
  return { events: loadBuiltin(), fromTrace: false };
}
