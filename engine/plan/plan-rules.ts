/**
 * The planner: for each rule, the set of concrete event types it listens to (Falco's event-type
 * sets, so the runtime dispatches through a table), its key, its bounds and plan warnings.
 */
import type { SequenceRule } from "../../grammar/ast.js";
import { warning, type Diagnostic } from "../../grammar/diagnostic.js";
import { printExpr } from "../../grammar/print-expr.js";
import type { CheckedUnit } from "../check/index.js";
import { constCount, constDuration } from "../check/const-eval.js";
import { resolveEvents } from "../check/resolve-events.js";
import { deriveEventSet } from "../check/rule-scopes.js";
import type { Rule } from "../check/symbols.js";

/** Default live partial matches per sequence key, and instances per machine. */
export const DEFAULT_SEQUENCE_CAP = 256;
export const DEFAULT_MACHINE_CAP = 1_000_000;

export interface RulePlan {
  rule: Rule;
  outName: string;
  kind: Rule["kind"];
  /** Concrete event names; `null` = every event (warned). Tables over rules list no events. */
  events: string[] | null;
  key: string | null;
  bounds: { within?: number; gaps?: Array<number | null>; cap?: number; idle?: number; stays?: number; split?: number };
  /** Rule(s) this one reads from (tables over sequences/machines, comma-separated; state alerts). */
  reads: string | null;
  warnings: Diagnostic[];
}

export function planRules(unit: CheckedUnit): RulePlan[] {
  const { symbols, catalog, overrides } = unit;
  const ev = (ids: Parameters<typeof resolveEvents>[0]) => resolveEvents(ids, symbols, catalog, []);
  const num = (v: number | string | undefined) => (typeof v === "number" ? v : undefined);
  return symbols.rules.map(({ rule, outName }) => {
    const warnings: Diagnostic[] = [];
    const plan: RulePlan = { rule, outName, kind: rule.kind, events: [], key: null, bounds: {}, reads: null, warnings };
    switch (rule.kind) {
      case "Machine":
        plan.events = [...new Set(rule.transitions.flatMap((t) => ev(t.events)))];
        plan.key = printExpr(rule.key);
        plan.bounds.cap = rule.cap ? num(constCount(rule.cap, symbols, overrides)) : DEFAULT_MACHINE_CAP;
        if (rule.idle) plan.bounds.idle = num(constDuration(rule.idle, symbols, overrides));
        break;
      case "Sequence":
        plan.events = [...new Set(rule.steps.flatMap((s) => ev(s.events)))];
        plan.key = printExpr(rule.key);
        plan.bounds.cap = rule.cap ? num(constCount(rule.cap, symbols, overrides)) : DEFAULT_SEQUENCE_CAP;
        if (rule.within) plan.bounds.within = num(constDuration(rule.within, symbols, overrides));
        plan.bounds.gaps = rule.steps.map((s) => (s.kind === "MatchStep" && s.gap ? num(constDuration(s.gap, symbols, overrides)) ?? null : null));
        if (!isBounded(rule)) {
          warnings.push(warning("VGL402", `Sequence ${rule.name.name} has no bound: add \`within T\` (partial matches are only limited by the cap of ${plan.bounds.cap} per key)`, rule.name.span));
        }
        break;
      case "Table": {
        if (rule.split) plan.bounds.split = num(constDuration(rule.split, symbols, overrides));
        // Rows of sequences and machines arrive through row consumers; events through handlers.
        const rows = rule.sources.filter((s) => symbols.sequences.has(s.name) || symbols.machines.has(s.name));
        const events = rule.sources.filter((s) => !rows.includes(s));
        plan.events = [...new Set(ev(events))];
        plan.reads = rows.length > 0 ? rows.map((s) => s.name).join(", ") : null;
        break;
      }
      case "Link":
        plan.events = ev(rule.events);
        break;
      case "Alert": {
        const t = rule.trigger;
        if (t.kind === "OnEvents") plan.events = ev(t.events);
        else if (t.kind === "WhenCondition") plan.events = deriveEventSet(t.cond);
        else {
          plan.events = [];
          plan.reads = t.machine.name;
          if (t.stays) plan.bounds.stays = num(constDuration(t.stays, symbols, overrides));
        }
        break;
      }
    }
    if (plan.events === null) {
      warnings.push(warning("VGL401", `Rule ${rule.name.name} runs on every event: restrict it with \`on EVENT\` or \`$name == "..."\``, rule.name.span));
    }
    return plan;
  });
}

function isBounded(s: SequenceRule): boolean {
  if (s.within) return true;
  // Every step after the first carries its own gap (absence steps are bounded by their within).
  return s.steps.slice(1).every((st) => st.kind === "AbsenceStep" || st.gap !== null);
}
