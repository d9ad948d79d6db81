/**
 * Event names in rules → concrete tracepoint names (aliases expanded), with did-you-mean
 * diagnostics for names neither declared nor known.
 */
import type { Ident } from "../../grammar/ast.js";
import { error, warning, type Diagnostic } from "../../grammar/diagnostic.js";
import type { EventCatalog } from "./event-catalog.js";
import { closest } from "./suggest.js";
import type { Symbols } from "./symbols.js";

/** Expands idents to concrete event names (deduplicated, in order), reporting unknown ones. */
export function resolveEvents(idents: Ident[], symbols: Symbols, catalog: EventCatalog, out: Diagnostic[]): string[] {
  const result: string[] = [];
  const add = (n: string) => { if (!result.includes(n)) result.push(n); };
  for (const id of idents) {
    const alias = symbols.aliases.get(id.name);
    if (alias) {
      for (const e of alias.events) add(e.name);
      continue;
    }
    add(id.name);
    if (catalog.events.has(id.name) || _ustOfKnown(id.name, catalog)) continue;
    const candidates = [...symbols.aliases.keys(), ...catalog.events.keys()];
    const near = closest(id.name, candidates);
    const hint = near ? `did you mean \`${near}\`?` : undefined;
    if (catalog.fromTrace) {
      // Against a trace a missing event is a fact about the trace; the hint still catches typos.
      out.push(warning("VGL204", `The trace has no event \`${id.name}\`: this rule part never matches`, id.span, hint));
    } else if (near && !id.name.includes(":")) {
      out.push(error("VGL202", `Unknown event \`${id.name}\``, id.span, hint));
    } else {
      out.push(warning("VGL203", `Event \`${id.name}\` is not in the built-in catalogue; it will match only if the trace has it`, id.span));
    }
  }
  return result;
}

/** Checks the members of alias declarations themselves (each spelling may be absent from a trace). */
export function checkAliases(symbols: Symbols, catalog: EventCatalog, out: Diagnostic[]): void {
  for (const alias of symbols.aliases.values()) {
    const known = alias.events.filter((e) => catalog.events.has(e.name) || _ustOfKnown(e.name, catalog));
    if (known.length > 0) continue;
    for (const e of alias.events) {
      const near = closest(e.name, catalog.events.keys());
      // Against a trace, a missing spelling is a fact about the trace (no port I/O here), not a typo.
      if (catalog.fromTrace) {
        out.push(warning("VGL204", `No spelling of alias \`${alias.name.name}\` is in the trace: its rules will never match`, alias.span));
        break;
      }
      // A `provider:event` name is a user-space tracer's own: the kernel catalogue cannot judge it.
      if (near && !e.name.includes(":")) out.push(error("VGL202", `Unknown event \`${e.name}\` in alias \`${alias.name.name}\``, e.span, `did you mean \`${near}\`?`));
    }
  }
}

// --- internal ---

/**
 * A UST name `provider:event` whose `event` the built-in (kernel) catalogue knows — a user-space
 * replay of that tracepoint (`vigil_kvm:kvm_exit`). Against a trace's schema names are exact.
 */
function _ustOfKnown(name: string, catalog: EventCatalog): boolean {
  const colon = name.indexOf(":");
  return colon > 0 && !catalog.fromTrace && catalog.events.has(name.slice(colon + 1));
}
