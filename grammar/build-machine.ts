/**
 * `machine` CST → `MachineRule`: states and initial state, kept fields, transitions and
 * enter/exit hooks in source order, and the `idle`/`cap` bounds.
 *
 * Contract: a machine has exactly one `states` line (VGL110 when missing — the declaration is
 * then dropped, as it has no initial state; VGL109 for a second one, which is ignored) and at
 * most one `idle` and one `cap` (VGL109, the first wins). Names are not resolved here.
 */
import type { IToken } from "chevrotain";
import type { Assignment, Expr, Ident, MachineRule, StateHook, Transition } from "./ast.js";
import {
  type BuildContext, eventList, Incomplete, ident, idents, need, nodeSpan, tokenSpan,
} from "./build-context.js";
import { buildExpr } from "./build-expr.js";
import type { AssignCstNode, BlockCstNode, ExprCstNode, MachineCstNode, OnItemCstNode } from "./cst.js";
import { error } from "./diagnostic.js";
import { Enter, Exit } from "./tokens.js";

/** Builds a machine declaration. */
export function buildMachine(ctx: BuildContext, node: MachineCstNode): MachineRule {
  const c = node.children;
  const name = ident(ctx, need(c.name, "machine name"));
  let states: Ident[] | null = null;
  let initial: Ident | null = null;
  const keep: Assignment[] = [];
  const transitions: Transition[] = [];
  const hooks: StateHook[] = [];
  for (const item of c.machineItem ?? []) {
    const ic = item.children;
    if (ic.statesItem) {
      const s = need(ic.statesItem, "states");
      if (states !== null) {
        ctx.diagnostics.push(error("VGL109", `machine \`${name.name}\` has a second \`states\` line`, nodeSpan(ctx, s), "list every state on one `states` line"));
        continue;
      }
      states = idents(ctx, s.children.state);
      initial = ident(ctx, need(s.children.initial, "initial state"));
    } else if (ic.keepItem) {
      for (const a of need(ic.keepItem, "keep").children.assign ?? []) keep.push(buildAssign(ctx, a));
    } else if (ic.onItem) {
      const on = need(ic.onItem, "on item");
      if (on.children.hookState && _isHook(on)) hooks.push(_hook(ctx, on));
      else transitions.push(_transition(ctx, on));
    } else {
      throw new Incomplete("machine item");
    }
  }
  const span = nodeSpan(ctx, node);
  if (states === null || initial === null) {
    ctx.diagnostics.push(error("VGL110", `machine \`${name.name}\` has no \`states\` line`, name.span, "add `states a, b, c = a` (the states, then the initial one)"));
    throw new Incomplete("states");
  }
  return {
    kind: "Machine", name, key: buildExpr(ctx, need(c.key, "machine key")), states, initial, keep, transitions, hooks,
    idle: _single(ctx, c.Idle, c.idle, "idle"), cap: _single(ctx, c.Cap, c.cap, "cap"), span,
  };
}

/** `name = expr` */
export function buildAssign(ctx: BuildContext, node: AssignCstNode): Assignment {
  return {
    kind: "Assignment",
    target: ident(ctx, need(node.children.target, "assignment target")),
    value: buildExpr(ctx, need(node.children.expr, "assigned value")),
    span: nodeSpan(ctx, node),
  };
}

// --- internal ---

/** `on enter S {` / `on exit S {`: a one-word event list spelled with the keyword. */
function _isHook(node: OnItemCstNode): boolean {
  const events = node.children.events?.[0]?.children.Identifier ?? [];
  return events.length === 1 && (events[0]!.tokenType === Enter || events[0]!.tokenType === Exit);
}

function _transition(ctx: BuildContext, node: OnItemCstNode): Transition {
  const c = node.children;
  const missingArrow = c.hookState?.[0];
  if (missingArrow !== undefined) {
    // `on ev STATE {…}`: read as `on ev -> STATE {…}` (as chevrotain's token insertion would)
    // so the rest of the machine still checks, and report the missing arrow.
    ctx.diagnostics.push(error("VGL102", `expected \`->\` after the transition's events, found \`${missingArrow.image}\``, tokenSpan(ctx, missingArrow), "write `on EVENTS -> STATE`; hooks are `on enter STATE { … }` and `on exit STATE { … }`"));
    return {
      kind: "Transition", events: eventList(ctx, need(c.events, "transition events")), routeKey: null, where: null, from: [],
      to: ident(ctx, missingArrow), again: false, assignments: _block(ctx, c.hookBlock?.[0]), span: nodeSpan(ctx, node),
    };
  }
  const t = need(c.transitionTail, "transition").children;
  return {
    kind: "Transition",
    events: eventList(ctx, need(c.events, "transition events")),
    routeKey: t.routeKey ? buildExpr(ctx, need(t.routeKey, "for key")) : null,
    where: t.where ? buildExpr(ctx, need(t.where, "where")) : null,
    from: idents(ctx, t.from),
    to: ident(ctx, need(t.to, "target state")),
    again: t.Again !== undefined,
    assignments: _block(ctx, t.block?.[0]),
    span: nodeSpan(ctx, node),
  };
}

function _hook(ctx: BuildContext, node: OnItemCstNode): StateHook {
  const c = node.children;
  const word = need(need(c.events, "hook").children.Identifier, "enter/exit");
  return {
    kind: "StateHook",
    when: word.tokenType === Enter ? "enter" : "exit",
    state: ident(ctx, need(c.hookState, "hook state")),
    assignments: _block(ctx, need(c.hookBlock, "hook block")),
    span: nodeSpan(ctx, node),
  };
}

function _block(ctx: BuildContext, node: BlockCstNode | undefined): Assignment[] {
  if (node === undefined) return [];
  nodeSpan(ctx, node); // a recovered block is incomplete
  return (node.children.assign ?? []).map((a) => buildAssign(ctx, a));
}

/** An option that may appear once (`idle`, `cap`): later copies are reported and ignored. */
function _single(ctx: BuildContext, keywords: IToken[] | undefined, values: ExprCstNode[] | undefined, what: string): Expr | null {
  if (values === undefined || values.length === 0) return null;
  for (const kw of (keywords ?? []).slice(1)) {
    ctx.diagnostics.push(error("VGL109", `\`${what}\` is given twice`, tokenSpan(ctx, kw), "keep one"));
  }
  return buildExpr(ctx, values[0]!);
}
