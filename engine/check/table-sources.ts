/**
 * The sources of a `table NAME from A, B, C`: what each one is, the fields its rows have, the
 * scope its expressions resolve in, and how an expression of the table reads for one source.
 * Shared by the checker (which reports) and the code generator (which trusts the checker).
 *
 * Contract: `tableSources` returns the sources that resolve, in `from` order (an unresolvable
 * one is the checker's VGL224). `bindSource(e, src, all)` is `e` as rows of `src` see it: the
 * row field `source` is the source's name (a string literal; it shadows a field of that name),
 * and in a table of several sources a field some other source has and `src` lacks is `null`,
 * so `coalesce(vm, tap_owner[tap].vm)` works across sources. Names no source has as a field
 * (consts, macros, maps, machines) are left alone.
 */
import type { Expr, Ident, TableRule } from "../../grammar/ast.js";
import type { EventCatalog } from "./event-catalog.js";
import { resolveEvents } from "./resolve-events.js";
import { machineRowFields, sequenceRowFields } from "./rule-scopes.js";
import type { Scope } from "./scope.js";
import type { Symbols } from "./symbols.js";

/** The row field naming the source a row came from. */
export const SOURCE_FIELD = "source";

/** One resolved source of a table. */
export interface TableSource {
  ident: Ident;
  kind: "sequence" | "machine" | "events";
  /** Concrete event names of an event source (empty for rule sources). */
  events: string[];
  /** Fields of its rows, `source` excluded; null when unknown (an event the catalog does not describe). */
  fields: Set<string> | null;
  /** The scope its expressions resolve in. */
  scope: Scope;
}

/** The resolvable sources of `t`, in `from` order. Event names resolve silently (the checker warns). */
export function tableSources(t: TableRule, symbols: Symbols, catalog: EventCatalog): TableSource[] {
  const out: TableSource[] = [];
  for (const ident of t.sources) {
    const src = tableSource(ident, t.split !== null, symbols, catalog);
    if (src !== null) out.push(src);
  }
  return out;
}

/** One source by name, or null when it names no sequence, machine, event or alias. */
export function tableSource(ident: Ident, split: boolean, symbols: Symbols, catalog: EventCatalog): TableSource | null {
  const name = ident.name;
  const seq = symbols.sequences.get(name);
  if (seq) {
    const fields = sequenceRowFields(seq);
    return { ident, kind: "sequence", events: [], fields, scope: { events: [], row: new Set([...fields, SOURCE_FIELD]) } };
  }
  const machine = symbols.machines.get(name);
  if (machine) {
    const fields = new Set([...machineRowFields(machine), ...(split ? ["window"] : [])]);
    return { ident, kind: "machine", events: [], fields, scope: { events: [], row: new Set([...fields, SOURCE_FIELD]) } };
  }
  const isEvent = symbols.aliases.has(name) || catalog.events.has(name);
  // Against a trace, an event it lacks is a fact about the trace (resolveEvents warns): no rows.
  const absentEvent = catalog.fromTrace && !symbols.links.has(name) && !symbols.alerts.has(name) && !symbols.tables.has(name);
  if (!isEvent && !absentEvent) return null;
  const events = resolveEvents([ident], symbols, catalog, []);
  return { ident, kind: "events", events, fields: _eventFields(events, catalog), scope: { events } };
}

/** Every field some source's rows have (the union over known field lists). */
export function unionFields(sources: readonly TableSource[]): Set<string> {
  const out = new Set<string>();
  for (const s of sources) for (const f of s.fields ?? []) out.add(f);
  return out;
}

/** `e` as rows of `src` read it (see the module contract). Returns `e` itself when nothing changes. */
export function bindSource(e: Expr, src: TableSource, all: readonly TableSource[]): Expr {
  const missing = all.length > 1 && src.fields !== null ? _missingFields(src, all) : null;
  return _bind(e, src.ident.name, missing);
}

// --- internal ---

function _eventFields(events: string[], catalog: EventCatalog): Set<string> | null {
  if (events.length === 0) return null;
  const out = new Set<string>();
  for (const e of events) {
    const f = catalog.events.get(e);
    if (f === undefined || f === null || f.size === 0) return null;
    for (const x of f) out.add(x);
  }
  return out;
}

function _missingFields(src: TableSource, all: readonly TableSource[]): Set<string> {
  const out = new Set<string>();
  for (const f of unionFields(all)) if (!src.fields!.has(f)) out.add(f);
  return out;
}

function _bind(e: Expr, source: string, missing: Set<string> | null): Expr {
  const b = (x: Expr) => _bind(x, source, missing);
  switch (e.kind) {
    case "Name":
      if (e.name === SOURCE_FIELD) return { kind: "Str", value: source, span: e.span };
      if (missing?.has(e.name)) return { kind: "Null", span: e.span };
      return e;
    case "Paren": { const inner = b(e.inner); return inner === e.inner ? e : { ...e, inner }; }
    case "Unary": { const operand = b(e.operand); return operand === e.operand ? e : { ...e, operand }; }
    case "Binary": {
      const left = b(e.left), right = b(e.right);
      return left === e.left && right === e.right ? e : { ...e, left, right };
    }
    case "Member": {
      // `label.field` and `machine[...]` keep their object name: only the key is a value.
      const object = e.object.kind === "Name" ? e.object : b(e.object);
      return object === e.object ? e : { ...e, object };
    }
    case "Index": {
      const index = b(e.index);
      return index === e.index ? e : { ...e, index };
    }
    case "Call": {
      const args = e.args.map(b);
      return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
    }
    case "In": {
      const operand = b(e.operand);
      const items = Array.isArray(e.list) ? e.list.map(b) : null;
      const same = operand === e.operand && (items === null || items.every((x, i) => x === (e.list as Expr[])[i]));
      return same ? e : { ...e, operand, list: items ?? e.list };
    }
    default:
      return e;
  }
}
