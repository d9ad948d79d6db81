/**
 * Replay: a recorded trace through the batch path `vigil run` uses (`compile` → CTF reader →
 * `runSources`), with UST provider prefixes stripped as `vigil watch --strip-provider` does.
 * Alerts come back as `rule absolute-ns message` lines, comparable with a live run's.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../../engine/compile.js";
import { stripProvider } from "../../../engine/live/live-trace.js";
import { RenamedSource } from "../../../engine/live/rename-source.js";
import { ctfReader } from "../../../engine/readers/ctf/index.js";
import type { ReadIssue } from "../../../engine/readers/source.js";
import { runSources } from "../../../engine/run.js";

/** The session directories `lttng-relayd -o OUT` wrote for `session` (one per creation). */
export function relaySessionDirs(out: string, session: string): string[] {
  const dirs: string[] = [];
  for (const host of readdirSync(out)) for (const s of readdirSync(join(out, host))) if (s.startsWith(`${session}-`)) dirs.push(join(out, host, s));
  return dirs.sort();
}

export async function replayAlerts(rules: string, relayOut: string, session: string): Promise<string[]> {
  const out = compile({ files: [rules] });
  if (!out.program) throw new Error(out.diagnostics.map((d) => d.message).join("\n"));
  const issues: ReadIssue[] = [];
  const sources = [];
  for (const dir of relaySessionDirs(relayOut, session)) sources.push(...(await ctfReader.open(dir, { onIssue: (i) => issues.push(i) })));
  const renamed = sources.map((s) => new RenamedSource(s, stripProvider));
  for (const s of renamed) await s.open();
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0) throw new Error(`replay read errors: ${JSON.stringify(errors)}`);
  const result = await runSources(out.program, renamed, {});
  return result.alerts.map((a) => `${a.rule} ${result.origin + BigInt(a.ts)} ${a.message}`);
}
