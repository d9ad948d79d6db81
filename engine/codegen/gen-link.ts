/**
 * Links — vertical edges of the execution graph — from `link` rules (one per matching event)
 * and from sequences' `emit link` (one per match). The runtime keeps them per link set.
 */
import type { LinkRule, SequenceRule } from "../../grammar/ast.js";
import type { ExprEnv } from "./gen-expr.js";
import { stamp } from "./code-builder.js";
import { genCond, genExpr } from "./gen-expr.js";
import { addBlock, env, type GenContext } from "./gen-context.js";

/** Index of a link set by its output name (registered on first use). */
export function linkSet(g: GenContext, outName: string): number {
  let i = g.linkNames.indexOf(outName);
  if (i < 0) { g.linkNames.push(outName); i = g.linkNames.length - 1; }
  return i;
}

export function genLinkRule(g: GenContext, order: number, l: LinkRule, outName: string, events: string[]): void {
  const idx = linkSet(g, outName);
  const e = env(g, { events });
  const cond = l.where ? genCond(l.where, e) : "true";
  const at = l.at ? `B.num(${genExpr(l.at, e)})` : "ev.ts";
  addBlock(g, order, events, `${stamp(l.span)} if (${cond}) { const at = ${at}; rt.link(${idx}, B.key(${genExpr(l.from, e)}), at, B.key(${genExpr(l.to, e)}), at); }`);
}

/** The statement a sequence's completion runs for `emit link { ... }` (`start`/`end` in scope). */
export function genEmitLink(g: GenContext, s: SequenceRule, outName: string, e: ExprEnv): string {
  if (!s.link) return "";
  const idx = linkSet(g, outName);
  const get = (name: string, fallback: string) => {
    const b = s.link!.find((x) => x.name.name === name);
    return b ? genExpr(b.value, e) : fallback;
  };
  return `rt.link(${idx}, B.key(${get("from", "null")}), B.num(${get("from_ts", "start")}), B.key(${get("to", "null")}), B.num(${get("to_ts", "end")}));`;
}
