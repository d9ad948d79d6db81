/**
 * Compiles a run's rules as separate units — one per built-in pack, one for the user's rule
 * files — so each pack keeps its own names (`kvm.exits` and `xen.exits` both exist) and a
 * user's names never clash with a pack's. Options naming a pack (`--set kvm.x=1`, `--map
 * kvm.m:k=v`, `--do 'kvm.alert: ...'`) go to that pack's unit; unprefixed ones to every unit
 * that declares the name.
 */
import type { Expr } from "../grammar/ast.js";
import { sortDiagnostics, hasErrors, type Diagnostic } from "../grammar/diagnostic.js";
import type { ExtraAction } from "./attach-actions.js";
import { compile, type CompileInput, type CompileOutput } from "./compile.js";
import type { GeneratedProgram } from "./codegen/gen-program.js";
import type { RulePlan } from "./plan/plan-rules.js";

export interface UnitsInput extends Omit<CompileInput, "overrides" | "mapEntries" | "extraActions"> {
  /** `--set` values by name as given (`kvm.long_preemption_threshold` or `LIMIT`). */
  overrides?: Map<string, Expr>;
  mapEntries?: Array<{ map: string; key: string; value: string }>;
  extraActions?: ExtraAction[];
}

export interface UnitsOutput {
  diagnostics: Diagnostic[];
  texts: Map<string, string>;
  plans: RulePlan[];
  /** One program per unit, or null when any unit has an error. */
  programs: GeneratedProgram[] | null;
  units: CompileOutput[];
}

export function compileUnits(input: UnitsInput): UnitsOutput {
  const packs = input.packs ?? [];
  const units: Array<{ pack: string | null; input: CompileInput }> = packs.map((p) => ({ pack: p, input: { packs: [p] } }));
  if ((input.files ?? []).length > 0 || (input.sources ?? []).length > 0 || units.length === 0) {
    units.push({ pack: null, input: { files: input.files ?? [], sources: input.sources ?? [] } });
  }
  const outs = units.map((u) => compile({
    ...u.input,
    traceSchema: input.traceSchema ?? null,
    overrides: forUnit(input.overrides ?? new Map(), u.pack, packs),
    mapEntries: (input.mapEntries ?? []).filter((m) => belongs(m.map, u.pack, packs)).map((m) => ({ ...m, map: strip(m.map, u.pack) })),
    extraActions: (input.extraActions ?? []).filter((a) => belongs(a.rule, u.pack, packs)),
  }));
  // An unprefixed --map entry only has to exist in one unit.
  const diagnostics = sortDiagnostics(outs.flatMap((o) => o.diagnostics).filter((d, _i, all) =>
    d.code !== "VGL232" || outs.every((o) => o.diagnostics.some((x) => x.code === "VGL232" && x.message === d.message))));
  const unique = diagnostics.filter((d, i) => diagnostics.findIndex((x) => x.code === d.code && x.message === d.message && x.span.file === d.span.file && x.span.line === d.span.line) === i);
  const texts = new Map<string, string>();
  for (const o of outs) for (const [k, v] of o.texts) texts.set(k, v);
  const programs = hasErrors(unique) || outs.some((o) => !o.program) ? null : outs.map((o) => o.program!);
  return { diagnostics: unique, texts, plans: outs.flatMap((o) => o.plans), programs, units: outs };
}

// --- internal ---

/** `kvm.x` belongs to the kvm unit; an unprefixed name to every unit; user units take names of no pack. */
function belongs(name: string, pack: string | null, packs: string[]): boolean {
  const dot = name.indexOf(".");
  if (dot < 0) return true;
  const prefix = name.slice(0, dot);
  if (pack !== null) return prefix === pack;
  return !packs.includes(prefix);
}

function strip(name: string, pack: string | null): string {
  return pack !== null && name.startsWith(pack + ".") ? name.slice(pack.length + 1) : name;
}

function forUnit(overrides: Map<string, Expr>, pack: string | null, packs: string[]): Map<string, Expr> {
  const out = new Map<string, Expr>();
  for (const [name, e] of overrides) {
    if (!belongs(name, pack, packs)) continue;
    out.set(name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : name, e);
  }
  return out;
}
