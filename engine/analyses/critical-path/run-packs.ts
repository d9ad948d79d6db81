/**
 * Runs the packs the execution graph is built from (sched, and kvm for VM-aware paths) over
 * opened sources. A pack names tracepoints a given trace may lack (Trace Compass stub
 * spellings, NAPI entry/exit, IPI vectors): its `pack.json` lists them under `optional_events`,
 * and they are declared to the checker with unknown fields. That matters for traces that
 * declare no events (ftrace text, JSON Lines), checked against the built-in catalogue: there an
 * absent spelling that resembles a known event (`netif_receive_skb_entry`) reads as a typo,
 * and the stubs' `msgid` is no field of the catalogue's `packet_sent`.
 */
import type { Diagnostic } from "../../../grammar/diagnostic.js";
import { hasErrors } from "../../../grammar/diagnostic.js";
import { eventCatalog } from "../../check/event-catalog.js";
import { compile } from "../../compile.js";
import { packManifest } from "../../load-files.js";
import type { EventClassSchema } from "../../model/event.js";
import type { TraceSource } from "../../readers/source.js";
import { runSources, sourcesSchema, type RunOptions } from "../../run.js";
import type { RunResult } from "../../runtime/result.js";

export interface PackRun {
  /** Null when compilation failed (see `diagnostics`). */
  result: RunResult | null;
  diagnostics: Diagnostic[];
  /** Source text per rule file, for caret diagnostics. */
  texts: Map<string, string>;
}

/** Compiles `packs` against the sources' events (plus the packs' optional ones) and runs them. */
export async function runGraphPacks(sources: TraceSource[], packs: string[], options: RunOptions = {}): Promise<PackRun> {
  const out = compile({ packs, traceSchema: graphSchema(sources, packs) });
  if (hasErrors(out.diagnostics) || !out.program) return { result: null, diagnostics: out.diagnostics, texts: out.texts };
  const result = await runSources(out.program, sources, { history: true, ...options });
  return { result, diagnostics: out.diagnostics, texts: out.texts };
}

/**
 * The schema the packs are checked against: the sources' own (or, when a source declares none,
 * the built-in catalogue), plus every optional event of the packs with its fields left unknown.
 */
export function graphSchema(sources: TraceSource[], packs: string[]): EventClassSchema[] {
  const optional = new Set(packs.flatMap(optionalEvents));
  const declared = sourcesSchema(sources);
  const base: EventClassSchema[] = declared ?? [...eventCatalog(null).events].map(([name, fields]) => ({
    name, fields: [...(fields ?? [])].map((f) => ({ name: f, type: "unknown" as const })),
  }));
  const out = base.map((c) => (optional.has(c.name) && declared === null ? { name: c.name, fields: [] } : c));
  const have = new Set(out.map((c) => c.name));
  for (const name of optional) if (!have.has(name)) out.push({ name, fields: [] });
  return out;
}

/** A pack's `optional_events` (empty when it declares none). */
export function optionalEvents(pack: string): string[] {
  const events = packManifest(pack)?.["optional_events"];
  return Array.isArray(events) ? events.filter((x): x is string => typeof x === "string") : [];
}
