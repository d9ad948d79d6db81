/**
 * Test helpers in the Langium manner: compile rule text in memory and run it over events given
 * as plain objects, or over trace files through the real readers.
 */
import { compile } from "../../engine/compile.js";
import type { Fields, TraceEvent } from "../../engine/model/event.js";
import { openTraces } from "../../engine/readers/index.js";
import type { ReadIssue } from "../../engine/readers/source.js";
import { runSources, sourcesSchema } from "../../engine/run.js";
import { Program, type ProgramOptions } from "../../engine/runtime/program.js";
import type { RunResult } from "../../engine/runtime/result.js";

export interface EventSpec {
  ts: number;
  name: string;
  cpu?: number;
  fields?: Fields;
  tid?: number;
  pid?: number;
  comm?: string;
}

export function ev(ts: number, name: string, fields: Fields = {}, extra: Partial<EventSpec> = {}): EventSpec {
  return { ts, name, fields, ...extra };
}

/** Compiles `text`, failing the test with every diagnostic when there is an error. */
export function compileOk(text: string, file = "test.vgl") {
  const out = compile({ sources: [{ file, text }] });
  const errors = out.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !out.program) {
    throw new Error("compile failed:\n" + errors.map((d) => `${d.span.line}:${d.span.col} ${d.code} ${d.message}`).join("\n"));
  }
  return out;
}

export function toEvent(e: EventSpec): TraceEvent {
  const context = e.tid !== undefined || e.pid !== undefined || e.comm !== undefined
    ? { ...(e.tid !== undefined ? { tid: e.tid } : {}), ...(e.pid !== undefined ? { pid: e.pid } : {}), ...(e.comm !== undefined ? { comm: e.comm } : {}) }
    : null;
  return { name: e.name, ts: e.ts, cpu: e.cpu ?? 0, host: 0, fields: e.fields ?? {}, context };
}

/** Compiles and runs `text` over `events` (in order). */
export async function runRules(text: string, events: EventSpec[], options: ProgramOptions = {}): Promise<RunResult> {
  const out = compileOk(text);
  const prog = new Program(out.program!, { print: () => {}, ...options });
  for (const e of events) prog.push(toEvent(e));
  return prog.finish();
}

/** Compiles and runs `text` over trace files through the real readers; read issues are returned. */
export async function runOnTraces(text: string, paths: string[]): Promise<{ result: RunResult; issues: ReadIssue[] }> {
  const issues: ReadIssue[] = [];
  const sources = await openTraces(paths, { onIssue: (i) => issues.push(i) });
  const out = compile({ sources: [{ file: "test.vgl", text }], traceSchema: sourcesSchema(sources) });
  const errors = out.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !out.program) throw new Error("compile failed:\n" + errors.map((d) => `${d.span.line}:${d.span.col} ${d.code} ${d.message}`).join("\n"));
  const result = await runSources(out.program, sources, { print: () => {} });
  return { result, issues };
}

/** Intervals of one machine as compact tuples, for readable assertions. */
export function intervals(result: RunResult, machine: string): Array<[unknown, string, number, number]> {
  return (result.states[machine] ?? []).map((i) => [i.key, i.state, i.start, i.end]);
}
