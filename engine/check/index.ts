/**
 * The checker stage: names, scopes, states, bounds. Contract: when the returned diagnostics
 * hold no error, the code generator may trust every name and bound in the unit.
 */
import type { Expr, VglFile } from "../../grammar/ast.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import type { EventClassSchema } from "../model/event.js";
import { checkBounds } from "./check-bounds.js";
import { checkRule } from "./check-rules.js";
import { eventCatalog, type EventCatalog } from "./event-catalog.js";
import { checkAliases } from "./resolve-events.js";
import { collectSymbols, type Symbols } from "./symbols.js";
import { declarationProblems } from "./macro-call.js";
import { checkExpr } from "./check-expr.js";
import { cellValue, loadMaps, type MapData } from "./map-data.js";
import { error } from "../../grammar/diagnostic.js";
import { didYouMean } from "./suggest.js";

export interface CheckedUnit {
  files: VglFile[];
  symbols: Symbols;
  catalog: EventCatalog;
  overrides: Map<string, Expr>;
  /** Contents of every `map`, by name. */
  maps: Map<string, MapData>;
}

export interface CheckOptions {
  traceSchema?: EventClassSchema[] | null;
  /** `--set NAME=VALUE`: replaces a const's value (already parsed as an expression). */
  overrides?: Map<string, Expr>;
  /** `--map NAME:KEY=VALUE`: adds or replaces entries of a declared map (cells as in TSV files). */
  mapEntries?: Array<{ map: string; key: string; value: string }>;
}

export function checkUnit(files: VglFile[], options: CheckOptions = {}): { unit: CheckedUnit; diagnostics: Diagnostic[] } {
  const { symbols, diagnostics } = collectSymbols(files);
  const catalog = eventCatalog(options.traceSchema ?? null);
  // `--set kvm.x=...` names the const `x` (the pack prefix only routes it to the kvm unit)
  const overrides = new Map<string, Expr>();
  for (const [name, e] of options.overrides ?? []) overrides.set(name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : name, e);
  checkAliases(symbols, catalog, diagnostics);
  diagnostics.push(...declarationProblems(symbols));
  for (const c of symbols.consts.values()) checkExpr(c.value, { symbols, catalog, scope: { events: [] }, out: diagnostics, rule: c.name.name });
  for (const l of symbols.lists.values()) for (const x of l.items) checkExpr(x, { symbols, catalog, scope: { events: [] }, out: diagnostics, rule: l.name.name });
  for (const { rule } of symbols.rules) {
    checkRule(rule, { symbols, catalog, out: diagnostics });
    checkBounds(rule, symbols, overrides, diagnostics);
  }
  const maps = loadMaps(symbols, diagnostics);
  for (const m of options.mapEntries ?? []) {
    const name = m.map.includes(".") ? m.map.slice(m.map.lastIndexOf(".") + 1) : m.map;
    const data = maps.get(name);
    if (!data) {
      const at = { file: "--map", line: 1, col: 1, endLine: 1, endCol: 1 };
      diagnostics.push(error("VGL232", `--map ${m.map}:${m.key}=${m.value}: no map \`${name}\` is declared`, at, didYouMean(name, maps.keys())));
      continue;
    }
    data.set(cellValue(m.key), cellValue(m.value));
  }
  return { unit: { files, symbols, catalog, overrides, maps }, diagnostics };
}
