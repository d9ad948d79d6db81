/**
 * Declarations of a compiled unit (all its files and used packs), indexed by name.
 * Contract: after `collectSymbols`, every declaration is reachable by its short name and, for
 * rules, by its output name (`<pack>.<name>` when the file declares a pack); duplicates are
 * reported, the first declaration wins.
 */
import type {
  AlertRule, ConstDecl, EventAlias, LinkRule, ListDecl, MacroDecl, MachineRule, MapDecl, SequenceRule, Span, TableRule, VglFile,
} from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";

export type Rule = MachineRule | SequenceRule | TableRule | AlertRule | LinkRule;

export interface Symbols {
  aliases: Map<string, EventAlias>;
  consts: Map<string, ConstDecl>;
  lists: Map<string, ListDecl>;
  macros: Map<string, MacroDecl>;
  maps: Map<string, MapDecl>;
  machines: Map<string, MachineRule>;
  sequences: Map<string, SequenceRule>;
  tables: Map<string, TableRule>;
  alerts: Map<string, AlertRule>;
  links: Map<string, LinkRule>;
  /** Rules in source order (files in order given), with their output names. */
  rules: Array<{ rule: Rule; outName: string; pack: string | null }>;
}

export function collectSymbols(files: VglFile[]): { symbols: Symbols; diagnostics: Diagnostic[] } {
  const s: Symbols = {
    aliases: new Map(), consts: new Map(), lists: new Map(), macros: new Map(), maps: new Map(),
    machines: new Map(), sequences: new Map(), tables: new Map(), alerts: new Map(), links: new Map(), rules: [],
  };
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, Span>();
  const claim = (name: string, span: Span, what: string): boolean => {
    const prev = seen.get(name);
    if (prev) {
      diagnostics.push(error("VGL201", `Duplicate name \`${name}\` (${what}); first declared at ${prev.file}:${prev.line}`, span));
      return false;
    }
    seen.set(name, span);
    return true;
  };
  for (const file of files) {
    let pack: string | null = null;
    for (const d of file.decls) {
      switch (d.kind) {
        case "Pack": pack = d.name.name; break;
        case "Use": break;
        case "EventAlias": if (claim(d.name.name, d.name.span, "event alias")) s.aliases.set(d.name.name, d); break;
        case "Const": if (claim(d.name.name, d.name.span, "const")) s.consts.set(d.name.name, d); break;
        case "List": if (claim(d.name.name, d.name.span, "list")) s.lists.set(d.name.name, d); break;
        case "Macro": if (claim(d.name.name, d.name.span, "macro")) s.macros.set(d.name.name, d); break;
        case "Map": if (claim(d.name.name, d.name.span, "map")) s.maps.set(d.name.name, d); break;
        case "Machine": case "Sequence": case "Table": case "Alert": case "Link": {
          if (!claim(d.name.name, d.name.span, d.kind.toLowerCase())) break;
          const map = d.kind === "Machine" ? s.machines : d.kind === "Sequence" ? s.sequences : d.kind === "Table" ? s.tables : d.kind === "Alert" ? s.alerts : s.links;
          (map as Map<string, Rule>).set(d.name.name, d);
          s.rules.push({ rule: d, outName: pack ? `${pack}.${d.name.name}` : d.name.name, pack });
          break;
        }
      }
    }
  }
  return { symbols: s, diagnostics };
}
