/**
 * Batch runs: sources → merge by timestamp → compiled program → result. A batch run is a live
 * run whose sources end; `vigil watch` (later) drives the same `Program` from a live stream.
 */
import type { EventClassSchema } from "./model/event.js";
import type { GeneratedProgram } from "./codegen/gen-program.js";
import { chooseRunOrigin, mergeSources } from "./readers/sort.js";
import { isLoss, type TraceSource } from "./readers/source.js";
import { Program, type ProgramOptions } from "./runtime/program.js";
import { ProgramSet } from "./runtime/program-set.js";
import type { RunResult } from "./runtime/result.js";

export interface RunOptions extends Omit<ProgramOptions, "origin" | "hosts"> {
  reorderWindowNs?: number;
  /** Called about every `progressEvery` events with the count so far and the current ts. */
  onProgress?: (events: number, ts: number) => void;
  progressEvery?: number;
}

/** Runs one program, or several units over the same stream, and returns the whole result. */
export async function runSources(program: GeneratedProgram | GeneratedProgram[], sources: TraceSource[], options: RunOptions = {}): Promise<RunResult> {
  const origin = chooseRunOrigin(sources);
  const opts = { ...options, origin, hosts: sources.map((s) => s.hostId) };
  const prog = Array.isArray(program) ? new ProgramSet(program, opts) : new Program(program, opts);
  const merged = mergeSources(sources, origin, options.reorderWindowNs === undefined ? {} : { reorderWindowNs: options.reorderWindowNs });
  const every = options.progressEvery ?? 1_000_000;
  let nextProgress = every;
  let n = 0;
  for await (const batch of merged) {
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i]!;
      if (isLoss(item)) prog.loss(item);
      else prog.push(item);
    }
    n += batch.length;
    if (options.onProgress && n >= nextProgress) {
      const last = batch[batch.length - 1]!;
      options.onProgress(n, isLoss(last) ? last.start : last.ts);
      nextProgress += every;
    }
  }
  const result = await prog.finish();
  result.stats.late = Math.max(result.stats.late, merged.stats.late);
  return result;
}

/** The union of the sources' declared event classes, or null when none declares any. */
export function sourcesSchema(sources: TraceSource[]): EventClassSchema[] | null {
  const withSchema = sources.filter((s) => s.schema !== null);
  if (withSchema.length === 0 || withSchema.length < sources.length) return null;
  return withSchema.flatMap((s) => s.schema!);
}
