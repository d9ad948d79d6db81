/**
 * Per-rule checks: states, steps, sources, triggers and every expression in its proper scope.
 * Registered as data, one checker per rule kind (STYLE §4).
 */
import type { AlertRule, Expr, Ident, LinkRule, MachineRule, SequenceRule, Template } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { checkExpr } from "./check-expr.js";
import { checkTable } from "./check-table.js";
import type { EventCatalog } from "./event-catalog.js";
import { resolveEvents } from "./resolve-events.js";
import type { Scope } from "./scope.js";
import { didYouMean } from "./suggest.js";
import type { Rule, Symbols } from "./symbols.js";
import { deriveEventSet, machineRowFields, MACHINE_ROW_TIMING, reservedRowField, SEGMENT_ROW_TIMING, sequenceRowFields } from "./rule-scopes.js";

export interface RuleCheckContext {
  symbols: Symbols;
  catalog: EventCatalog;
  out: Diagnostic[];
}

type RuleChecker<R extends Rule> = (rule: R, cx: RuleCheckContext) => void;

export const RULE_CHECKERS: { [K in Rule["kind"]]: RuleChecker<Extract<Rule, { kind: K }>> } = {
  Machine: checkMachine,
  Sequence: checkSequence,
  Table: checkTable,
  Alert: checkAlert,
  Link: checkLink,
};

export function checkRule(rule: Rule, cx: RuleCheckContext): void {
  (RULE_CHECKERS[rule.kind] as RuleChecker<Rule>)(rule, cx);
}

// --- internal ---

function expr(e: Expr | null, scope: Scope, cx: RuleCheckContext, rule: string): void {
  if (e) checkExpr(e, { symbols: cx.symbols, catalog: cx.catalog, scope, out: cx.out, rule });
}

function template(t: Template | null, scope: Scope, cx: RuleCheckContext, rule: string): void {
  if (!t) return;
  for (const p of t.parts) if (typeof p !== "string") expr(p, scope, cx, rule);
}

function checkState(id: Ident, states: string[], m: MachineRule, cx: RuleCheckContext): void {
  if (!states.includes(id.name)) {
    cx.out.push(error("VGL216", `Cannot resolve state \`${id.name}\`: machine=${m.name.name}, line=${id.span.line}`, id.span, didYouMean(id.name, states)));
  }
}

function checkMachine(m: MachineRule, cx: RuleCheckContext): void {
  const rule = m.name.name;
  const states = m.states.map((s) => s.name);
  const dup = states.find((s, i) => states.indexOf(s) !== i);
  if (dup) cx.out.push(error("VGL217", `State \`${dup}\` is declared twice in machine ${rule}`, m.span));
  if (m.states.length === 0) cx.out.push(error("VGL218", `Machine ${rule} declares no states: add \`states a, b = a\``, m.name.span));
  else checkState(m.initial, states, m, cx);
  const kept = new Set(m.keep.map((k) => k.target.name));
  for (const k of m.keep) reservedRowField(k.target, "machine", MACHINE_ROW_TIMING, cx);
  const allEvents: string[] = [];
  for (const t of m.transitions) {
    const events = resolveEvents(t.events, cx.symbols, cx.catalog, cx.out);
    allEvents.push(...events);
    const scope: Scope = { events, kept };
    expr(t.routeKey, scope, cx, rule);
    expr(t.where, scope, cx, rule);
    t.from.forEach((s) => checkState(s, states, m, cx));
    checkState(t.to, states, m, cx);
    for (const a of t.assignments) {
      if (!kept.has(a.target.name)) {
        cx.out.push(error("VGL219", `\`${a.target.name}\` is not a kept field of machine ${rule}: declare it with \`keep ${a.target.name} = ...\``, a.target.span, didYouMean(a.target.name, kept)));
      }
      expr(a.value, scope, cx, rule);
    }
  }
  for (const k of m.keep) expr(k.value, { events: [] }, cx, rule);
  const hookScope: Scope = { events: [...new Set(allEvents)], kept };
  for (const h of m.hooks) {
    checkState(h.state, states, m, cx);
    for (const a of h.assignments) {
      if (!kept.has(a.target.name)) cx.out.push(error("VGL219", `\`${a.target.name}\` is not a kept field of machine ${rule}`, a.target.span, didYouMean(a.target.name, kept)));
      expr(a.value, hookScope, cx, rule);
    }
  }
  expr(m.key, { events: [...new Set(allEvents)] }, cx, rule);
  if (m.transitions.length === 0) cx.out.push(error("VGL220", `Machine ${rule} has no transitions: add \`on EVENT -> STATE\``, m.name.span));
}

function checkSequence(s: SequenceRule, cx: RuleCheckContext): void {
  const rule = s.name.name;
  const labels = new Map<string, number>();
  const stepEvents: string[][] = [];
  s.steps.forEach((step, i) => {
    const events = resolveEvents(step.events, cx.symbols, cx.catalog, cx.out);
    stepEvents.push(events);
    if (step.kind === "AbsenceStep" && i === 0) {
      cx.out.push(error("VGL221", `A sequence cannot start with \`not\`: absence is measured from the step before it`, step.span));
    }
    expr(step.where, { events, labels: new Map(labels) }, cx, rule);
    if (step.kind === "MatchStep" && step.label) {
      if (labels.has(step.label.name)) cx.out.push(error("VGL222", `Step label \`${step.label.name}\` is used twice`, step.label.span));
      labels.set(step.label.name, i);
    }
  });
  const all = [...new Set(stepEvents.flat())];
  expr(s.key, { events: all }, cx, rule);
  const last = s.steps[s.steps.length - 1];
  const outScope: Scope = { events: last && last.kind === "MatchStep" ? stepEvents[stepEvents.length - 1]! : [], labels };
  for (const b of s.segment ?? []) {
    reservedRowField(b.name, "segment", SEGMENT_ROW_TIMING, cx);
    expr(b.value, outScope, cx, rule);
  }
  if (s.alert) {
    const rowScope: Scope = { ...outScope, row: sequenceRowFields(s) };
    template(s.alert.message, rowScope, cx, rule);
    for (const d of s.alert.actions) expr(d.policy?.per ?? null, rowScope, cx, rule);
  }
  for (const b of s.link ?? []) expr(b.value, outScope, cx, rule);
  if (s.link) {
    const names = s.link.map((b) => b.name.name);
    for (const req of ["from", "to"]) if (!names.includes(req)) cx.out.push(error("VGL235", `\`emit link\` of ${rule} needs a \`${req}:\` worker`, s.name.span));
    for (const b of s.link) if (!["from", "to", "from_ts", "to_ts"].includes(b.name.name)) cx.out.push(error("VGL236", `\`emit link\` takes from, to, from_ts and to_ts, not \`${b.name.name}\``, b.name.span, didYouMean(b.name.name, ["from", "to", "from_ts", "to_ts"])));
  }
  if (!s.segment && !s.alert && !s.link) cx.out.push(error("VGL223", `Sequence ${rule} has no output: add \`emit segment { ... }\`, \`emit link { ... }\` or \`alert ...\``, s.name.span));
}

function checkAlert(a: AlertRule, cx: RuleCheckContext): void {
  const rule = a.name.name;
  let scope: Scope;
  const trig = a.trigger;
  if (trig.kind === "WhenState") {
    const m = cx.symbols.machines.get(trig.machine.name);
    if (!m) {
      cx.out.push(error("VGL226", `Alert ${rule}: unknown machine \`${trig.machine.name}\``, trig.machine.span, didYouMean(trig.machine.name, cx.symbols.machines.keys())));
      return;
    }
    checkState(trig.state, m.states.map((s) => s.name), m, cx);
    scope = { events: [], row: machineRowFields(m) };
  } else if (trig.kind === "OnEvents") {
    scope = { events: resolveEvents(trig.events, cx.symbols, cx.catalog, cx.out) };
    expr(trig.where, scope, cx, rule);
  } else {
    const derived = deriveEventSet(trig.cond);
    scope = { events: derived ?? ["*"] };
    expr(trig.cond, scope, cx, rule);
  }
  template(a.spec.message, scope, cx, rule);
  for (const d of a.spec.actions) expr(d.policy?.per ?? null, scope, cx, rule);
}

function checkLink(l: LinkRule, cx: RuleCheckContext): void {
  const scope: Scope = { events: resolveEvents(l.events, cx.symbols, cx.catalog, cx.out) };
  for (const e of [l.where, l.from, l.to, l.at]) expr(e, scope, cx, l.name.name);
}
