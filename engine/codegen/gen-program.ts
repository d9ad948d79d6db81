/**
 * Assembles the generated module: declarations, then one handler per event type that runs the
 * blocks of every rule listening to it in source order, plus a fallback for rules that run on
 * every event. Output is deterministic (same unit → same source), so it is snapshot-testable.
 */
import type { CheckedUnit } from "../check/index.js";
import type { RulePlan } from "../plan/plan-rules.js";
import { genEventAlert } from "./gen-alert.js";
import { genLinkRule } from "./gen-link.js";
import { newGenContext, type GenContext } from "./gen-context.js";
import { genMachine } from "./gen-machine.js";
import { genSequence } from "./gen-sequence.js";
import { genTable } from "./gen-table.js";

export interface GeneratedProgram {
  /** Body of `function (rt) { ... }`. */
  source: string;
  /** The constant pool `K` the source indexes into. */
  constants: unknown[];
  /** Event types with a handler (the dispatch table's keys). */
  events: string[];
  /** Alert rule names in runtime order. */
  alerts: string[];
  /** Link set names in runtime order (`rt.link(i, ...)`). */
  links: string[];
}

export function generateProgram(unit: CheckedUnit, plans: RulePlan[]): GeneratedProgram {
  const g = newGenContext(unit, plans);
  // Tables first: machines and sequences call the row consumers they register.
  let tables = 0;
  plans.forEach((p, order) => { if (p.rule.kind === "Table") genTable(g, order, tables++, p, p.rule); });
  let seqs = 0;
  plans.forEach((p, order) => {
    if (p.rule.kind === "Machine") genMachine(g, order, p, p.rule);
    else if (p.rule.kind === "Sequence") genSequence(g, order, seqs++, p, p.rule);
    else if (p.rule.kind === "Alert") genEventAlert(g, order, p.rule, p.outName, p.events);
    else if (p.rule.kind === "Link") genLinkRule(g, order, p.rule, p.outName, p.events ?? []);
  });
  return assemble(g);
}

// --- internal ---

function assemble(g: GenContext): GeneratedProgram {
  const names = [...g.blocks.keys()].sort();
  const handlers: string[] = [];
  names.forEach((name, h) => {
    const blocks = [...g.blocks.get(name)!, ...g.everyEvent].sort((a, b) => a[0] - b[0]).map((b) => b[1]);
    handlers.push(`function h${h}(ev) {\n  const f = ev.fields; let t;\n  ${blocks.join("\n  ")}\n}`);
  });
  const fallback = g.everyEvent.length > 0
    ? `function hAll(ev) {\n  const f = ev.fields; let t;\n  ${g.everyEvent.sort((a, b) => a[0] - b[0]).map((b) => b[1]).join("\n  ")}\n}`
    : "const hAll = null;";
  const table = names.map((name, h) => `[${g.pool.ref(name)}, h${h}]`).join(", ");
  const source = `"use strict";
const K = rt.K, B = rt.B, cx = rt.cx, H = rt.hosts, _NA = { notComputed: true };
${g.decls.join("\n")}
${handlers.join("\n")}
${fallback}
return { handlers: [${table}], fallback: hAll, alerts: [${g.alertDecls.join(",\n  ")}] };
`;
  return { source, constants: g.pool.values, events: names, alerts: g.alertNames, links: g.linkNames };
}
