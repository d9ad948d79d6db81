/**
 * A machine → its instance factory, interval recorder, transition functions, hooks, state
 * alerts, and per-event routing blocks. For one event and one routing key the first matching
 * transition in source order wins; each distinct routing (`for` expression) moves its own key.
 */
import type { AlertRule, MachineRule, Transition } from "../../grammar/ast.js";
import { printExpr } from "../../grammar/print-expr.js";
import { constDuration } from "../check/const-eval.js";
import { resolveEvents } from "../check/resolve-events.js";
import { machineRowFields } from "../check/rule-scopes.js";
import type { Scope } from "../check/scope.js";
import type { RulePlan } from "../plan/plan-rules.js";
import { keyOf, prop, stamp } from "./code-builder.js";
import { withCse } from "./cse.js";
import { genFire, registerAlert } from "./gen-alert.js";
import { genCond, genExpr } from "./gen-expr.js";
import { addBlock, env, type GenContext } from "./gen-context.js";

export function genMachine(g: GenContext, order: number, plan: RulePlan, m: MachineRule): void {
  const idx = g.machineIndex.get(m.name.name)!;
  const M = `M${idx}`;
  const states = m.states.map((s) => s.name);
  const init = states.indexOf(m.initial.name);
  const kept = new Set(m.keep.map((k) => k.target.name));
  const P = (obj: string, name: string) => prop(obj, "k_" + name, g.pool);
  const noEvent: Scope = { events: [] };

  // factory, default instance (read by guards when no instance exists), interval recorder
  const keepInit = m.keep.map((k) => `${JSON.stringify("k_" + k.target.name)}: ${genExpr(k.value, env(g, noEvent))}`);
  const rowFields = m.keep.map((k) => `${JSON.stringify(k.target.name)}: ${P("i", k.target.name)}`);
  const consumers = (g.rowConsumers.get(m.name.name) ?? []).map((fn) => `${fn}(r);`).join(" ");
  g.decls.push(`${stamp(m.span)} // machine ${m.name.name}
const ${M} = new rt.MachineStore({ name: ${g.pool.ref(plan.outName)}, states: ${g.pool.ref(states)}, initial: ${init}, cap: ${plan.bounds.cap}, idleNs: ${plan.bounds.idle ?? "null"}, make: ${M}_make, onInterval: ${M}_interval });
rt.machines.push(${M});
function ${M}_make(key, ts) { let t; return { key: key, state: ${init}, since: ts, last: ts, gen: 0, tallied: 0${keepInit.map((x) => ", " + x).join("")} }; }
const ${M}_D = ${M}_make(null, 0);
const ${M}_R = { key: null, state: "", start: 0, end: 0, duration: 0, open: false${m.keep.map((k) => `, ${JSON.stringify(k.target.name)}: null`).join("")} };
function ${M}_interval(i, start, end, open) {
  // Without history a row is only read during the call (tables, tallies, the live view): one
  // scratch row per machine instead of an object per interval.
  if (!rt.keepHistory) {
    ${consumers === "" ? "if (!rt.seesRows) return;" : ""}
    const r = ${M}_R; r.key = i.key; r.state = ${M}.spec.states[i.state]; r.start = start; r.end = end; r.duration = end - start; r.open = open;${m.keep.map((k) => ` r[${JSON.stringify(k.target.name)}] = ${P("i", k.target.name)};`).join("")}
    if (rt.seesRows) rt.interval(${idx}, r, i);
    ${consumers}
    return;
  }
  const r = { key: i.key, state: ${M}.spec.states[i.state], start: start, end: end, duration: end - start, open: open${rowFields.map((x) => ", " + x).join("")} };
  rt.interval(${idx}, r, i); ${consumers}
}`);

  genHooks(g, m, M, states, kept);
  m.transitions.forEach((t, j) => genTransition(g, m, M, j, t, states, kept));
  genRouting(g, order, m, M, states, init, kept);
}

// --- internal ---

function genHooks(g: GenContext, m: MachineRule, M: string, states: string[], kept: Set<string>): void {
  const allEvents = [...new Set(m.transitions.flatMap((t) => resolveEvents(t.events, g.unit.symbols, g.unit.catalog, [])))];
  const scope: Scope = { events: allEvents, kept };
  const hookCases = (when: "enter" | "exit") =>
    states.map((s, si) => {
      const hooks = m.hooks.filter((h) => h.when === when && h.state.name === s);
      const body = hooks.flatMap((h) => h.assignments.map((a) => `${prop("i", "k_" + a.target.name, g.pool)} = ${genExpr(a.value, env(g, scope))};`));
      const alerts = when === "enter" ? genStateAlerts(g, m, M, s) : [];
      return body.length + alerts.length > 0 ? `case ${si}: { ${[...body, ...alerts].join(" ")} break; }` : "";
    }).filter((c) => c !== "").join("\n    ");
  g.decls.push(`function ${M}_exit(i, s, ev, f) { let t; switch (s) { ${hookCases("exit")} } }
function ${M}_enter(i, s, ev, f) { let t; switch (s) { ${hookCases("enter")} } }`);
}

function genStateAlerts(g: GenContext, m: MachineRule, M: string, state: string): string[] {
  const out: string[] = [];
  for (const p of g.plans) {
    const a = p.rule;
    if (a.kind !== "Alert" || a.trigger.kind !== "WhenState" || a.trigger.machine.name !== m.name.name || a.trigger.state.name !== state) continue;
    const idx = registerAlert(g, p.outName, (a as AlertRule).spec);
    const scope: Scope = { events: [], row: machineRowFields(m) };
    const fire = genFire(g, idx, a.spec, scope, "at", "r", p.outName);
    const row = `const r = { key: i.key, state: ${g.pool.ref(state)}, start: i.since, end: at, duration: at - i.since${m.keep.map((k) => `, ${JSON.stringify(k.target.name)}: ${prop("i", "k_" + k.target.name, g.pool)}`).join("")} };`;
    const stays = a.trigger.stays ? constDuration(a.trigger.stays, g.unit.symbols, g.unit.overrides) : null;
    if (typeof stays === "number") {
      out.push(`{ const gen = i.gen; rt.timers.schedule(ev.ts + ${stays}, function (at) { if (i.gen !== gen || ${M}.map.get(i.key) !== i) return; let t; ${row} ${fire} }); }`);
    } else {
      out.push(`{ const at = ev.ts; ${row} ${fire} }`);
    }
  }
  return out;
}

function genTransition(g: GenContext, m: MachineRule, M: string, j: number, t: Transition, states: string[], kept: Set<string>): void {
  const events = resolveEvents(t.events, g.unit.symbols, g.unit.catalog, []);
  const e = env(g, { events, kept });
  const to = states.indexOf(t.to.name);
  // every right-hand side is computed before any is assigned: one CSE scope for them all
  const { result: rhs, declarations } = withCse((cse) => t.assignments.map((a, k) => `const a${k} = ${genExpr(a.value, { ...e, cse })};`).join(" "));
  const set = t.assignments.map((a, k) => `${prop("i", "k_" + a.target.name, g.pool)} = a${k};`).join(" ");
  g.decls.push(`${stamp(t.span)}
function ${M}_t${j}(i, key, ev, f) {
  let t;
  if (i === undefined) { i = ${M}.create(key, ev.ts); if (i === undefined) return; }
  const from = i.state; ${declarations}
  ${rhs}
  const moves = ${t.again ? "true" : `from !== ${to}`};
  if (moves) { ${M}.close(i, ev.ts); ${M}_exit(i, from, ev, f); }
  ${set}
  i.last = ev.ts;
  if (moves) { i.state = ${to}; i.since = ev.ts; i.gen++; ${M}_enter(i, ${to}, ev, f); }
}`);
}

/** One block per (event, routing): compute the key once, then the first matching transition wins. */
function genRouting(g: GenContext, order: number, m: MachineRule, M: string, states: string[], init: number, kept: Set<string>): void {
  const byEvent = new Map<string, Map<string, number[]>>();
  m.transitions.forEach((t, j) => {
    const routing = printExpr(t.routeKey ?? m.key);
    for (const ev of resolveEvents(t.events, g.unit.symbols, g.unit.catalog, [])) {
      const r = byEvent.get(ev) ?? new Map<string, number[]>();
      r.set(routing, [...(r.get(routing) ?? []), j]);
      byEvent.set(ev, r);
    }
  });
  for (const [ev, routings] of byEvent) {
    const blocks: string[] = [];
    for (const [, js] of routings) {
      const first = m.transitions[js[0]!]!;
      // The key, then the guards until one transition is taken: nothing changes meanwhile, so
      // one CSE scope serves them all (a key such as `cond(m[$tid].x, tuple(m[$tid].a, ...))`).
      const { result, declarations } = withCse((cse) => {
        const keyExpr = genExpr(first.routeKey ?? m.key, { ...env(g, { events: [ev], kept }), cse });
        const arms = js.map((j) => {
          const t = m.transitions[j]!;
          const to = states.indexOf(t.to.name);
          const fromMask = t.from.length === 0 ? (2 ** states.length - 1) : t.from.reduce((acc, s) => acc | (1 << states.indexOf(s.name)), 0);
          const canCreate = to !== init && ((fromMask >> init) & 1) === 1;
          const guard = [`((${fromMask} >> s) & 1) === 1`];
          if (!canCreate) guard.push("i0 !== undefined");
          if (t.where) guard.push(genCond(t.where, { ...env(g, { events: [ev], kept }), cse }));
          return `if (${guard.join(" && ")}) ${M}_t${j}(i0, key, ev, f);`;
        });
        return { keyExpr, arms };
      });
      blocks.push(`{ ${declarations} const key = ${keyOf(result.keyExpr)}; if (key !== null) { const i0 = ${M}.map.get(key); const i = i0 === undefined ? ${M}_D : i0; const s = i.state; ${result.arms.join(" else ")} } }`);
    }
    addBlock(g, order, [ev], `${stamp(m.span)} ${blocks.join(" ")}`);
  }
}
