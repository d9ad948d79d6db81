/**
 * Alert rules and alert outputs → generated fire functions and runtime action specs.
 * An alert record's fields are its row (state alerts, sequence alerts) or the event's context
 * and payload (event alerts).
 */
import type { AlertRule, AlertSpec, DoClause, Expr, Template } from "../../grammar/ast.js";
import { printExpr } from "../../grammar/print-expr.js";
import { walkExpr } from "../../grammar/walk-expr.js";
import type { Scope } from "../check/scope.js";
import { constCount, constDuration } from "../check/const-eval.js";
import { stamp } from "./code-builder.js";
import { genCond, genExpr, type ExprEnv } from "./gen-expr.js";
import { addBlock, env, genTemplate, type GenContext } from "./gen-context.js";

/** Registers an alert rule in the runtime list; returns its index. */
export function registerAlert(g: GenContext, name: string, spec: AlertSpec): number {
  const idx = g.alertNames.length;
  g.alertNames.push(name);
  const actions = spec.actions.map((d) => genAction(g, d)).join(", ");
  g.alertDecls.push(`{ name: ${g.pool.ref(name)}, severity: ${g.pool.ref(spec.severity)}, actions: [${actions}] }`);
  return idx;
}

/**
 * Code that fires alert `idx` with record fields `fieldsExpr`, evaluating message and policy
 * keys in `scope`. Machine instances the alert refers to (`vcpu[$tid]` in its condition,
 * message or policy) are frozen into the record's `instances` at fire time.
 */
export function genFire(g: GenContext, idx: number, spec: AlertSpec, scope: Scope, ts: string, fieldsExpr: string, defaultMessage: string, slot?: ExprEnv["slot"], conditions: Array<Expr | null> = []): string {
  const e = env(g, scope, slot);
  const msg = genTemplate(spec.message, defaultMessage, e);
  const hasKeys = spec.actions.some((d) => d.policy?.per);
  const keys = hasKeys ? `[${spec.actions.map((d) => (d.policy?.per ? `B.key(${genExpr(d.policy.per, e)})` : "null")).join(", ")}]` : "null";
  const refs = instanceRefs(g, [...conditions, ...(spec.message?.parts ?? []).filter((p): p is Expr => typeof p !== "string"), ...spec.actions.map((d) => d.policy?.per ?? null)]);
  const fields = refs.length === 0 ? fieldsExpr
    : `rt.withInstances(${fieldsExpr}, [${refs.map((r) => `M${r.machine}, ${g.pool.ref(r.label)}, B.key(${genExpr(r.key, e)})`).join(", ")}])`;
  return `rt.alerter.fire(${idx}, ${ts}, ${msg}, ${fields}, ${keys});`;
}

/** Distinct `machine[key]` references in expressions, labelled by their source text. */
function instanceRefs(g: GenContext, exprs: Array<Expr | null>): Array<{ machine: number; label: string; key: Expr }> {
  const out: Array<{ machine: number; label: string; key: Expr }> = [];
  for (const x of exprs) {
    if (!x) continue;
    walkExpr(x, (n) => {
      if (n.kind !== "Index" || n.object.kind !== "Name") return;
      const m = g.machineIndex.get(n.object.name);
      const label = printExpr(n);
      if (m !== undefined && !out.some((r) => r.label === label)) out.push({ machine: m, label, key: n.index });
    });
  }
  return out;
}

/** `alert NAME on EVENTS [where C]` and `alert NAME when C`. State alerts are generated with their machine. */
export function genEventAlert(g: GenContext, order: number, a: AlertRule, outName: string, events: string[] | null): void {
  const t = a.trigger;
  if (t.kind === "WhenState") return;
  const scope: Scope = { events: events ?? ["*"] };
  const e = env(g, scope);
  const idx = registerAlert(g, outName, a.spec);
  const cond = t.kind === "OnEvents" ? (t.where ? genCond(t.where, e) : "true") : genCond(t.cond, e);
  const fn = `A${idx}_fire`;
  g.decls.push(`${stamp(a.span)}
function ${fn}(ev, f) {
  let t;
  ${genFire(g, idx, a.spec, scope, "ev.ts", "rt.eventRecord(ev, f)", outName, undefined, [t.kind === "OnEvents" ? t.where : t.cond])}
}`);
  addBlock(g, order, events, `if (${cond}) ${fn}(ev, f);`);
}

// --- internal ---

function genAction(g: GenContext, d: DoClause): string {
  const rowScope: Scope = { events: [], row: null };
  const tpl = (t: Template) => `function (rec) { const r = rec.fields; let t; return ${genTemplate(t, "", env(g, rowScope))}; }`;
  const a = d.action;
  let action: string;
  switch (a.kind) {
    case "PrintAction": action = `{ kind: "print" }`; break;
    case "LogAction": action = `{ kind: "log", file: ${tpl(a.file)} }`; break;
    case "ExecAction": action = `{ kind: "exec", argv: function (rec) { return [${a.argv.map((x) => `(${tpl(x)})(rec)`).join(", ")}]; } }`; break;
    case "SnapshotAction": {
      const max = a.maxSize ? constCount(a.maxSize, g.unit.symbols, g.unit.overrides) : null;
      action = `{ kind: "snapshot", session: ${tpl(a.session)}, name: ${a.name ? tpl(a.name) : "null"}, maxSize: ${typeof max === "number" ? max : "null"} }`;
      break;
    }
    case "RotateAction": action = `{ kind: "rotate", session: ${tpl(a.session)} }`; break;
  }
  let policy = "null";
  if (d.policy?.kind === "AtMostEvery") {
    const ns = constDuration(d.policy.interval, g.unit.symbols, g.unit.overrides);
    policy = `{ kind: "every", ns: ${typeof ns === "number" ? ns : 0} }`;
  } else if (d.policy?.kind === "OnceAfter") {
    const n = constCount(d.policy.count, g.unit.symbols, g.unit.overrides);
    policy = `{ kind: "once", n: ${typeof n === "number" ? n : 1} }`;
  }
  return `{ action: ${action}, policy: ${policy} }`;
}
