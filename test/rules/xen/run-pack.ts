/**
 * Runs the built-in `xen` pack over one xentrace file through the real reader, compiler and
 * runtime, with the reader's CPU frequency and `--set`-style const overrides under test
 * control. Compile errors fail loudly with every diagnostic.
 */
import type { Expr } from "../../../grammar/ast.js";
import { parseExpression } from "../../../grammar/parse.js";
import { compile } from "../../../engine/compile.js";
import type { ReadIssue } from "../../../engine/readers/source.js";
import { XentraceSource } from "../../../engine/readers/xentrace/source.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { runSources, sourcesSchema } from "../../../engine/run.js";

export interface PackRun {
  result: RunResult;
  issues: ReadIssue[];
}

/** `vigil run --pack xen [--set NAME=VALUE]... TRACE` at `cpuHz` (xenalyze's 2.4 GHz by default). */
export async function runXenPack(path: string, options: { cpuHz?: number; set?: Record<string, string> } = {}): Promise<PackRun> {
  const issues: ReadIssue[] = [];
  const source = new XentraceSource(path, "xen-host", (i) => issues.push(i), options.cpuHz === undefined ? {} : { cpuHz: options.cpuHz });
  await source.open();
  const overrides = new Map<string, Expr>();
  for (const [name, text] of Object.entries(options.set ?? {})) {
    const { expr } = parseExpression(text, "--set");
    if (expr === null) throw new Error(`bad override ${name}=${text}`);
    overrides.set(name, expr);
  }
  const out = compile({ packs: ["xen"], overrides, traceSchema: sourcesSchema([source]) });
  const errors = out.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
  if (errors.length > 0 || !out.program) {
    throw new Error("the xen pack does not compile cleanly:\n" + errors.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.code} ${d.message}`).join("\n"));
  }
  const result = await runSources(out.program, [source], { print: () => {} });
  return { result, issues };
}

/** A table of the result as objects keyed by column name. */
export function rowsOf(result: RunResult, table: string): Array<Record<string, unknown>> {
  const t = result.tables[table];
  if (t === undefined) throw new Error(`no table ${table}; the run has ${Object.keys(result.tables).join(", ")}`);
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}
