/**
 * Runs the kvm pack (every `.vgl` under rules/kvm/, as `vigil run --pack kvm` loads it) over
 * traces or in-memory events, with `--set`-style const overrides and `--map`-style entries.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Expr } from "../../../../grammar/ast.js";
import { parseExpression } from "../../../../grammar/parse.js";
import { compile, type CompileOutput } from "../../../../engine/compile.js";
import { openTraces } from "../../../../engine/readers/index.js";
import type { ReadIssue } from "../../../../engine/readers/source.js";
import { runSources, sourcesSchema } from "../../../../engine/run.js";
import { chooseRunOrigin } from "../../../../engine/readers/sort.js";
import { Program } from "../../../../engine/runtime/program.js";
import type { RunResult, TableResult } from "../../../../engine/runtime/result.js";
import type { FieldValue } from "../../../../engine/model/event.js";
import { REPO } from "../../../helpers/shared.js";
import { toEvent, type EventSpec } from "../../../helpers/run-rules.js";

export const PACK_DIR = join(REPO, "rules", "kvm");

export interface PackOptions {
  /** Const overrides, as `--set kvm.NAME=VALUE` would give them (values in the language's syntax). */
  set?: Record<string, string>;
  /** Map entries, as `--map kvm.NAME:KEY=VALUE` would give them. */
  maps?: Array<{ map: string; key: string; value: string }>;
  /** Keep state intervals and segments (default true). */
  history?: boolean;
}

/** Compiles the pack; throws with every error diagnostic when it does not compile. */
export function compilePack(options: PackOptions = {}, traceSchema: Parameters<typeof compile>[0]["traceSchema"] = null): CompileOutput {
  const overrides = new Map<string, Expr>();
  for (const [name, value] of Object.entries(options.set ?? {})) {
    const { expr, diagnostics } = parseExpression(value, "--set");
    if (!expr || diagnostics.length > 0) throw new Error(`bad --set ${name}=${value}`);
    overrides.set(name, expr);
  }
  const out = compile({ packs: ["kvm"], traceSchema, overrides, mapEntries: options.maps });
  const errors = out.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !out.program) {
    throw new Error("kvm pack does not compile:\n" + errors.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.code} ${d.message}`).join("\n"));
  }
  return out;
}

/**
 * Runs the pack over trace files through the registered readers. `options` may depend on the
 * run's origin (absolute ns that result times are relative to), e.g. to set an analysis range
 * given in absolute trace time.
 */
export async function runPackOnTraces(
  paths: string[],
  options: PackOptions | ((origin: bigint) => PackOptions) = {},
  open: { format?: string } = {},
): Promise<{ result: RunResult; issues: ReadIssue[]; compiled: CompileOutput }> {
  const issues: ReadIssue[] = [];
  const sources = await openTraces(paths, { onIssue: (i) => issues.push(i), ...(open.format ? { format: open.format } : {}) });
  const origin = chooseRunOrigin(sources);
  if (typeof options === "function") options = options(origin);
  const compiled = compilePack(options, sourcesSchema(sources));
  const result = await runSources(compiled.program!, sources, { print: () => {}, history: options.history ?? true });
  return { result, issues, compiled };
}

/** Runs the pack over events given in order (no reader involved). */
export async function runPackOnEvents(events: EventSpec[], options: PackOptions = {}): Promise<RunResult> {
  const compiled = compilePack(options);
  const prog = new Program(compiled.program!, { print: () => {}, history: options.history ?? true });
  for (const e of events) prog.push(toEvent(e));
  return prog.finish();
}

/** The rows of a table as objects keyed by column name. */
export function rowsOf(result: RunResult, table: string): Array<Record<string, FieldValue>> {
  const t: TableResult | undefined = result.tables[table];
  if (!t) throw new Error(`no table ${table}; tables: ${Object.keys(result.tables).join(", ")}`);
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c, row[i]!])));
}

/** The .vgl files of the pack, for tests that check each one. */
export function packFiles(): string[] {
  return readdirSync(PACK_DIR).filter((f) => f.endsWith(".vgl")).sort().map((f) => join(PACK_DIR, f));
}
