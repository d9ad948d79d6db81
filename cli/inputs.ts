/**
 * Shared plumbing of the commands that compile rules: split positional arguments into rule
 * files and traces, turn `--set` into const overrides, and print diagnostics.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Expr } from "../grammar/ast.js";
import type { Diagnostic } from "../grammar/diagnostic.js";
import { formatDiagnostic, toJsonDiagnostic } from "../grammar/format-diagnostic.js";
import { parseExpression } from "../grammar/parse.js";
import type { ReadIssue } from "../engine/readers/source.js";

/** `.vgl` files and folders of them are rules; everything else (and `-`) is a trace. */
export function splitInputs(positionals: string[]): { rules: string[]; traces: string[] } {
  const rules: string[] = [];
  const traces: string[] = [];
  for (const p of positionals) {
    if (p.endsWith(".vgl")) rules.push(p);
    else if (p !== "-" && existsSync(p) && statSync(p).isDirectory() && holdsRulesOnly(p)) rules.push(p);
    else traces.push(p);
  }
  return { rules, traces };
}

function holdsRulesOnly(dir: string): boolean {
  const names = readdirSync(dir);
  if (names.includes("metadata")) return false;
  return names.some((n) => n.endsWith(".vgl") || (statSync(join(dir, n)).isDirectory() && holdsRulesOnly(join(dir, n))));
}

/** `--set NAME=VALUE` → overrides by const name (a pack prefix such as `kvm.` is ignored). */
export function parseOverrides(sets: string[] | undefined): { overrides: Map<string, Expr>; errors: string[] } {
  const overrides = new Map<string, Expr>();
  const errors: string[] = [];
  for (const s of sets ?? []) {
    const eq = s.indexOf("=");
    if (eq <= 0) { errors.push(`--set ${s}: expected NAME=VALUE`); continue; }
    const name = s.slice(0, eq).trim();
    const { expr, diagnostics } = parseExpression(s.slice(eq + 1), "--set");
    if (!expr || diagnostics.length > 0) {
      errors.push(`--set ${s}: ${diagnostics[0]?.message ?? "not a value"}`);
      continue;
    }
    overrides.set(name, expr); // a pack prefix routes it to that pack (compile-units), then is dropped
  }
  return { overrides, errors };
}

/** `--map NAME:KEY=VALUE` → entries for declared maps. */
export function parseMapEntries(items: string[]): { entries: Array<{ map: string; key: string; value: string }>; errors: string[] } {
  const entries: Array<{ map: string; key: string; value: string }> = [];
  const errors: string[] = [];
  for (const s of items) {
    const m = /^([A-Za-z_][\w.]*):([^=]+)=(.*)$/.exec(s);
    if (!m) errors.push(`--map ${s}: expected NAME:KEY=VALUE (e.g. kvm.vm_names:4242=web01)`);
    else entries.push({ map: m[1]!, key: m[2]!, value: m[3]! });
  }
  return { entries, errors };
}

/** Prints diagnostics as text (with source line and caret) to stderr. */
export function printDiagnostics(ds: Diagnostic[], texts: Map<string, string>): void {
  for (const d of ds) process.stderr.write(formatDiagnostic(d, texts.get(d.span.file) ?? "") + "\n");
  const errors = ds.filter((d) => d.severity === "error").length;
  const warnings = ds.length - errors;
  if (ds.length > 0) process.stderr.write(`${errors} error(s), ${warnings} warning(s)\n`);
}

export function diagnosticsJson(ds: Diagnostic[]): string {
  return JSON.stringify({ diagnostics: ds.map(toJsonDiagnostic) }, null, 2);
}

/** A list option as an array (parseArgs gives a string, an array or undefined). */
export function list(v: string | boolean | string[] | undefined): string[] {
  return v === undefined || typeof v === "boolean" ? [] : Array.isArray(v) ? v : [v];
}

/** Thrown by the issue reporter under `--strict` at the first read error. */
export class StrictStop extends Error {}

/** Prints read issues as `file:line: severity: message`; counts errors; `--strict` stops at the first. */
export function issueReporter(strict: boolean): { onIssue: (i: ReadIssue) => void; errors: () => number } {
  let errors = 0;
  return {
    onIssue: (i: ReadIssue) => {
      const where = i.line !== undefined ? `:${i.line}` : i.offset !== undefined ? ` (byte ${i.offset})` : "";
      process.stderr.write(`${i.file}${where}: ${i.severity}: ${i.message}\n`);
      if (i.severity === "error") {
        errors++;
        if (strict) throw new StrictStop(`stopped at the first read error (--strict): ${i.file}${where}`);
      }
    },
    errors: () => errors,
  };
}

/** Reader options from the command line (`--cpu-hz` for xentrace). */
export function readerOptions(values: Record<string, string | boolean | string[] | undefined>): { readerOptions?: Record<string, unknown>; error?: string } {
  const hz = values["cpu-hz"];
  if (typeof hz !== "string") return {};
  const n = Number(hz.replace(/ghz$/i, "e9").replace(/mhz$/i, "e6"));
  if (!Number.isFinite(n) || n <= 0) return { error: `--cpu-hz ${hz}: expected a frequency such as 2400000000 or 2.4GHz` };
  return { readerOptions: { cpuHz: n } };
}
