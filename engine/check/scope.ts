/**
 * Name resolution, shared by the checker (which reports) and the code generator (which trusts
 * the checker). A bare name resolves, in order: a local of the rule (kept field, row field,
 * step label, machine name), then a const / list / macro, then a field of the current event.
 */
import type { ConstDecl, ListDecl, MacroDecl, MapDecl } from "../../grammar/ast.js";
import type { EventCatalog } from "./event-catalog.js";
import type { Symbols } from "./symbols.js";

export type Binding =
  | { kind: "const"; decl: ConstDecl }
  | { kind: "list"; decl: ListDecl }
  | { kind: "macro"; decl: MacroDecl }
  /** A lookup table; only valid as `map[key]` or after `in`. */
  | { kind: "map"; decl: MapDecl }
  /** A machine's kept field (inside the machine's own transitions and hooks). */
  | { kind: "kept"; name: string }
  /** A field of a row: segment fields, state interval fields, alert record fields. */
  | { kind: "row"; name: string }
  /** A step label of a sequence; only valid as the object of `.field`. */
  | { kind: "label"; index: number }
  /** A machine; only valid as `machine[key].field`. */
  | { kind: "machine"; name: string }
  | { kind: "eventField"; name: string }
  | { kind: "unknown" };

export interface Scope {
  /** Concrete event names the current event can be; empty when there is no current event. */
  events: string[];
  kept?: Set<string>;
  /** Row fields; `null` means "any name is a row field" (not checked). */
  row?: Set<string> | null;
  labels?: Map<string, number>;
}

export function resolveName(name: string, scope: Scope, symbols: Symbols, catalog: EventCatalog): Binding {
  if (scope.kept?.has(name)) return { kind: "kept", name };
  if (scope.row !== undefined && (scope.row === null || scope.row.has(name))) return { kind: "row", name };
  const label = scope.labels?.get(name);
  if (label !== undefined) return { kind: "label", index: label };
  if (symbols.machines.has(name)) return { kind: "machine", name };
  const c = symbols.consts.get(name);
  if (c) return { kind: "const", decl: c };
  const l = symbols.lists.get(name);
  if (l) return { kind: "list", decl: l };
  const m = symbols.macros.get(name);
  if (m) return { kind: "macro", decl: m };
  const mp = symbols.maps.get(name);
  if (mp) return { kind: "map", decl: mp };
  if (scope.events.length > 0 && eventFieldPossible(name, scope.events, catalog)) return { kind: "eventField", name };
  return { kind: "unknown" };
}

/** True unless every event of the scope has a known field list without `name`. */
export function eventFieldPossible(name: string, events: string[], catalog: EventCatalog): boolean {
  for (const e of events) {
    const fields = catalog.events.get(e);
    if (fields === undefined || fields === null || fields.size === 0 || fields.has(name)) return true;
  }
  return false;
}

/** Every name the scope could offer, for did-you-mean hints. */
export function scopeNames(scope: Scope, symbols: Symbols, catalog: EventCatalog): string[] {
  const out: string[] = [...(scope.kept ?? []), ...(scope.row ?? []), ...(scope.labels?.keys() ?? [])];
  out.push(...symbols.consts.keys(), ...symbols.lists.keys(), ...symbols.macros.keys(), ...symbols.maps.keys());
  for (const e of scope.events) out.push(...(catalog.events.get(e) ?? []));
  return out;
}
