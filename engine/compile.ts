/**
 * The compiler, stage by stage (as Langium's buildDocuments): each stage consumes the previous
 * one's output and adds its diagnostics; compilation stops before code generation on errors.
 */
import { readFileSync } from "node:fs";
import type { Expr, VglFile } from "../grammar/ast.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../grammar/diagnostic.js";
import { parseVgl } from "../grammar/parse.js";
import { checkUnit, type CheckedUnit } from "./check/index.js";
import { generateProgram, type GeneratedProgram } from "./codegen/gen-program.js";
import type { EventClassSchema } from "./model/event.js";
import { planRules, type RulePlan } from "./plan/plan-rules.js";
import { loadUnitFiles, type SourceText } from "./load-files.js";
import { attachActions, type ExtraAction } from "./attach-actions.js";

export interface CompileInput {
  /** Rule files and built-in packs to load (`use` pulls in more). */
  files?: string[];
  packs?: string[];
  /** In-memory sources (tests, `-e`). */
  sources?: SourceText[];
  traceSchema?: EventClassSchema[] | null;
  overrides?: Map<string, Expr>;
  mapEntries?: Array<{ map: string; key: string; value: string }>;
  /** Actions given on the command line (`--do`), attached to their alerts before checking. */
  extraActions?: ExtraAction[];
}

export interface CompileOutput {
  diagnostics: Diagnostic[];
  /** Source text per file, for caret diagnostics. */
  texts: Map<string, string>;
  unit: CheckedUnit | null;
  plans: RulePlan[];
  program: GeneratedProgram | null;
}

export function compile(input: CompileInput): CompileOutput {
  // 1. load: files, packs and everything they `use`, each parsed once
  const loaded = loadUnitFiles(input, (text, file) => parseVgl(text, file));
  const diagnostics = [...loaded.diagnostics];
  const files: VglFile[] = loaded.files;
  diagnostics.push(...attachActions(files, input.extraActions ?? []));
  // 2. check: names, scopes, states, bounds
  const { unit, diagnostics: checkDiags } = checkUnit(files, { traceSchema: input.traceSchema ?? null, overrides: input.overrides, mapEntries: input.mapEntries });
  diagnostics.push(...checkDiags);
  // 3. plan: event-type sets, keys, bounds, plan warnings
  const plans = planRules(unit);
  for (const p of plans) diagnostics.push(...p.warnings);
  const sorted = sortDiagnostics(dedupe(diagnostics));
  if (hasErrors(sorted)) return { diagnostics: sorted, texts: loaded.texts, unit, plans, program: null };
  // 4. generate: one handler per event type
  const program = generateProgram(unit, plans);
  return { diagnostics: sorted, texts: loaded.texts, unit, plans, program };
}

/** Reads a file for `compile`'s in-memory form. */
export function sourceFromFile(path: string): SourceText {
  return { file: path, text: readFileSync(path, "utf8") };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.span.file}:${d.span.line}:${d.span.col}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
