/**
 * Shared state of one code generation: the constant pool, rule indices, and the blocks each
 * event type's handler will run (in rule source order), filled by the per-rule generators.
 */
import type { Template } from "../../grammar/ast.js";
import type { CheckedUnit } from "../check/index.js";
import type { Scope } from "../check/scope.js";
import type { RulePlan } from "../plan/plan-rules.js";
import { ConstPool } from "./code-builder.js";
import { genExpr, type ExprEnv } from "./gen-expr.js";

export interface GenContext {
  unit: CheckedUnit;
  plans: RulePlan[];
  pool: ConstPool;
  machineIndex: Map<string, number>;
  /** Per concrete event name: blocks to run, as [rule order, code]. */
  blocks: Map<string, Array<[number, string]>>;
  /** Blocks of rules that run on every event. */
  everyEvent: Array<[number, string]>;
  /** Top-level generated declarations. */
  decls: string[];
  /** Function names to call with a row `r` when the named sequence/machine produces one. */
  rowConsumers: Map<string, string[]>;
  /** Alert rules in runtime order (index = position). */
  alertNames: string[];
  alertDecls: string[];
  /** Link sets in runtime order. */
  linkNames: string[];
}

export function newGenContext(unit: CheckedUnit, plans: RulePlan[]): GenContext {
  const machineIndex = new Map<string, number>();
  let m = 0;
  for (const p of plans) if (p.rule.kind === "Machine") machineIndex.set(p.rule.name.name, m++);
  return {
    unit, plans, pool: new ConstPool(), machineIndex, blocks: new Map(), everyEvent: [], decls: [],
    rowConsumers: new Map(), alertNames: [], alertDecls: [], linkNames: [],
  };
}

export function env(g: GenContext, scope: Scope, slot?: ExprEnv["slot"]): ExprEnv {
  return slot ? { unit: g.unit, pool: g.pool, scope, machineIndex: g.machineIndex, slot } : { unit: g.unit, pool: g.pool, scope, machineIndex: g.machineIndex };
}

/** Adds a block to the handlers of `events` (null = every event). */
export function addBlock(g: GenContext, order: number, events: string[] | null, code: string): void {
  if (events === null) { g.everyEvent.push([order, code]); return; }
  for (const e of events) {
    let list = g.blocks.get(e);
    if (!list) { list = []; g.blocks.set(e, list); }
    list.push([order, code]);
  }
}

/** A JS expression building the template's text. */
export function genTemplate(t: Template | null, fallback: string, e: ExprEnv): string {
  if (!t) return e.pool.ref(fallback);
  const parts = t.parts.map((p) => (typeof p === "string" ? e.pool.ref(p) : `B.show(${genExpr(p, e)})`));
  return parts.length === 0 ? e.pool.ref("") : `(${parts.join(" + ")})`;
}

export function addRowConsumer(g: GenContext, source: string, fn: string): void {
  const l = g.rowConsumers.get(source) ?? [];
  l.push(fn);
  g.rowConsumers.set(source, l);
}
