/**
 * A sequence → step guards and captures (generated), its completion function (segment row,
 * tables over it, its alert) and the per-event blocks that feed the tracker with a step mask.
 * Step fields referenced later (`x.exit_reason`) are copied into slots of the partial match at
 * capture time, because readers reuse event objects.
 */
import type { SequenceRule } from "../../grammar/ast.js";
import { resolveEvents } from "../check/resolve-events.js";
import { sequenceRowFields } from "../check/rule-scopes.js";
import type { Scope } from "../check/scope.js";
import type { RulePlan } from "../plan/plan-rules.js";
import { keyOf, prop, stamp } from "./code-builder.js";
import { genFire, registerAlert } from "./gen-alert.js";
import { genEmitLink } from "./gen-link.js";
import { genCond, genExpr } from "./gen-expr.js";
import { addBlock, env, type GenContext } from "./gen-context.js";

const CONTEXT_READS: Record<string, string> = {
  $tid: "(cx.tid >= 0 ? cx.tid : null)", $pid: "(cx.pid >= 0 ? cx.pid : null)", $ppid: "(cx.ppid >= 0 ? cx.ppid : null)",
  $comm: '(cx.comm !== "" ? cx.comm : null)', $cpu: "ev.cpu", $host: "H[ev.host]", $ts: "ev.ts", $name: "ev.name", ts: "ev.ts",
};

export function genSequence(g: GenContext, order: number, seqIndex: number, plan: RulePlan, s: SequenceRule): void {
  const S = `S${seqIndex}`;
  const stepEvents = s.steps.map((st) => resolveEvents(st.events, g.unit.symbols, g.unit.catalog, []));
  const labels = new Map<string, number>();
  const slots: Array<{ step: number; property: string }> = [];
  const slot = (step: number, property: string) => {
    let k = slots.findIndex((x) => x.step === step && x.property === property);
    if (k < 0) { slots.push({ step, property }); k = slots.length - 1; }
    return k;
  };

  // the first step's guard, inlined in the handlers (it decides whether a partial match starts)
  const firstStep = s.steps[0]!;
  const firstCond = firstStep.where ? genCond(firstStep.where, env(g, { events: stepEvents[0]!, labels: new Map() }, slot)) : "true";
  // step guards, each in a scope that sees earlier labels only
  const preds = s.steps.map((st, i) => {
    const e = env(g, { events: stepEvents[i]!, labels: new Map(labels) }, slot);
    const code = st.where ? genCond(st.where, e) : "true";
    if (st.kind === "MatchStep" && st.label) labels.set(st.label.name, i);
    return st.where ? `function (ev, f, b) { let t; return ${code}; }` : "null";
  });

  // completion: the segment row, tables over it, the alert
  const last = s.steps[s.steps.length - 1]!;
  const outScope: Scope = { events: last.kind === "MatchStep" ? stepEvents[stepEvents.length - 1]! : [], labels };
  const oe = env(g, outScope, slot);
  const bindings = (s.segment ?? []).map((b) => `, ${JSON.stringify(b.name.name)}: ${genExpr(b.value, oe)}`).join("");
  const consumers = (g.rowConsumers.get(s.name.name) ?? []).map((fn) => `${fn}(r);`).join(" ");
  let alert = "";
  if (s.alert) {
    const idx = registerAlert(g, plan.outName, s.alert);
    alert = genFire(g, idx, s.alert, { ...outScope, row: sequenceRowFields(s) }, "end", "r", plan.outName, slot);
  }
  const segment = (s.segment ? `rt.segment(${seqIndex}, r);` : "") + genEmitLink(g, s, plan.outName, oe);

  // captures come last: all slots are known now
  const captures = s.steps.map((_, i) => {
    const sets = slots.map((x, k) => (x.step === i ? `b[${k}] = ${CONTEXT_READS[x.property] ?? prop("f", x.property, g.pool)};` : "")).filter((c) => c);
    return `function (b, ev, f) { ${sets.join(" ")} }`;
  });

  const steps = s.steps.map((st, i) => {
    const bound = plan.bounds.gaps?.[i];
    if (st.kind === "AbsenceStep") {
      const w = typeof plan.bounds.gaps?.[i] === "number" ? plan.bounds.gaps[i] : absenceWithin(g, st.within);
      return `{ absence: true, min: 1, max: 1, gap: ${w}, strict: false, pred: ${preds[i]}, capture: ${captures[i]} }`;
    }
    const q = st.quantifier;
    return `{ absence: false, min: ${q ? q.min : 1}, max: ${q ? (q.max === null ? "Infinity" : q.max) : 1}, gap: ${typeof bound === "number" ? bound : "Infinity"}, strict: ${st.strict}, pred: ${preds[i]}, capture: ${captures[i]} }`;
  });

  g.decls.push(`${stamp(s.span)} // sequence ${s.name.name}
function ${S}_complete(b, key, start, end, ev) {
  let t;
  if (ev === null) ev = { name: "", ts: end, cpu: -1, host: 0, fields: {}, context: null };
  const f = ev.fields;
  const r = { start: start, end: end, duration: end - start, key: key${bindings} };
  ${segment} ${consumers} ${alert}
}
const ${S} = new rt.SequenceTracker({ name: ${g.pool.ref(plan.outName)}, steps: [${steps.join(",\n  ")}], within: ${plan.bounds.within ?? "Infinity"}, cap: ${plan.bounds.cap}, skipPastLast: ${s.skip === "past-last"}, emits: ${s.segment !== null}, slots: ${slots.length}, complete: ${S}_complete }, rt.timers);
rt.seqs.push(${S});`);

  const all = [...new Set(stepEvents.flat())];
  for (const ev of all) {
    let mask = 0;
    stepEvents.forEach((evs, i) => { if (evs.includes(ev)) mask |= 1 << i; });
    const key = genExpr(s.key, env(g, { events: [ev] }));
    const starts = mask & 1 ? `(${firstCond})` : "false";
    addBlock(g, order, [ev], `${stamp(s.span)} { const key = ${keyOf(key)}; const l = ${S}.keys.get(key); const m0 = ${starts}; if (m0 || (l !== undefined && l.length > 0)) ${S}.onEvent(ev, f, key, ${mask}, m0, l); }`);
  }
}

function absenceWithin(g: GenContext, e: Parameters<typeof genExpr>[0]): string {
  // The checker guarantees a constant; evaluate it through the expression generator's const path.
  return genExpr(e, env(g, { events: [] }));
}
