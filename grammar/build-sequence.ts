/**
 * `sequence` CST → `SequenceRule`: steps with their joins (`->` followed-by, `=>` strict
 * next), quantifiers, absence steps, the window, options and outputs.
 *
 * Contract: `skip` defaults to "past-last"; a quantifier `{n}` means min = max = n and `{n,}`
 * max = null, with min ≤ max checked (VGL105); options and outputs given twice are reported
 * (VGL109, the first wins). A sequence alert without a severity is a "warning".
 */
import type { IToken } from "chevrotain";
import type { AlertSpec, Expr, FieldBinding, Quantifier, SequenceRule, SequenceStep, SkipPolicy } from "./ast.js";
import { buildDo, severityOf } from "./build-alert.js";
import { type BuildContext, eventList, Incomplete, ident, need, nodeSpan, tokenSpan } from "./build-context.js";
import { buildExpr } from "./build-expr.js";
import { buildTemplate } from "./build-template.js";
import type { EmitLinkCstNode, EmitSegmentCstNode, QuantifierCstNode, SeqAlertCstNode, SequenceCstNode, StepCstNode } from "./cst.js";
import { error } from "./diagnostic.js";
import { intValue } from "./literals.js";

/** Builds a sequence declaration. */
export function buildSequence(ctx: BuildContext, node: SequenceCstNode): SequenceRule {
  const c = node.children;
  let cap: Expr | null = null;
  let skip: SkipPolicy | null = null;
  for (const opt of c.seqOption ?? []) {
    const oc = opt.children;
    if (oc.Cap) {
      if (cap !== null) _twice(ctx, need(oc.Cap, "cap"), "cap");
      else cap = buildExpr(ctx, need(oc.cap, "cap value"));
    } else if (oc.Skip) {
      if (skip !== null) _twice(ctx, need(oc.Skip, "skip"), "skip");
      else skip = oc.Past ? "past-last" : "to-next";
    }
  }
  const joiners = c.joiner ?? [];
  const steps = (c.step ?? []).map((s, i) => _step(ctx, s, i > 0 && joiners[i - 1]?.image === "=>"));
  if (steps.length === 0) throw new Incomplete("steps");
  let segment: FieldBinding[] | null = null;
  for (const seg of c.emitSegment ?? []) {
    if (segment !== null) _twice(ctx, need(seg.children.Emit, "emit"), "emit segment");
    else segment = _segment(ctx, seg);
  }
  let link: FieldBinding[] | null = null;
  for (const l of c.emitLink ?? []) {
    if (link !== null) _twice(ctx, need(l.children.Emit, "emit"), "emit link");
    else link = _bindings(ctx, l);
  }
  let alert: AlertSpec | null = null;
  for (const a of c.seqAlert ?? []) {
    if (alert !== null) _twice(ctx, need(a.children.Alert, "alert"), "alert");
    else alert = _alert(ctx, a);
  }
  return {
    kind: "Sequence",
    name: ident(ctx, need(c.name, "sequence name")),
    key: buildExpr(ctx, need(c.key, "sequence key")),
    steps,
    within: c.within ? buildExpr(ctx, need(c.within, "within")) : null,
    skip: skip ?? "past-last",
    cap,
    segment,
    link,
    alert,
    span: nodeSpan(ctx, node),
  };
}

// --- internal ---

function _step(ctx: BuildContext, node: StepCstNode, strict: boolean): SequenceStep {
  const absent = node.children.absenceStep?.[0];
  if (absent !== undefined) {
    const a = absent.children;
    return {
      kind: "AbsenceStep",
      events: eventList(ctx, need(a.events, "absent events")),
      where: a.where ? buildExpr(ctx, need(a.where, "where")) : null,
      within: buildExpr(ctx, need(a.within, "absence window")),
      span: nodeSpan(ctx, absent),
    };
  }
  const m = need(node.children.matchStep, "step");
  const mc = m.children;
  return {
    kind: "MatchStep",
    label: mc.label ? ident(ctx, need(mc.label, "label")) : null,
    events: eventList(ctx, need(mc.events, "step events")),
    where: mc.where ? buildExpr(ctx, need(mc.where, "where")) : null,
    quantifier: mc.quantifier ? _quantifier(ctx, need(mc.quantifier, "quantifier")) : null,
    gap: mc.gap ? buildExpr(ctx, need(mc.gap, "gap")) : null,
    strict,
    span: nodeSpan(ctx, m),
  };
}

function _quantifier(ctx: BuildContext, node: QuantifierCstNode): Quantifier {
  const c = node.children;
  const span = nodeSpan(ctx, node);
  const min = _count(ctx, need(c.min, "quantifier min"));
  const max = c.max ? _count(ctx, need(c.max, "quantifier max")) : c.Comma ? null : min;
  if (max !== null && min > max) {
    ctx.diagnostics.push(error("VGL105", `quantifier {${min},${max}} asks for at least ${min} but at most ${max}`, span, `write {${max},${min}}`));
  }
  return { min, max, span };
}

function _count(ctx: BuildContext, tok: IToken): number {
  const v = intValue(tok.image);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    ctx.diagnostics.push(error("VGL105", `quantifier bound ${tok.image} is too large`, tokenSpan(ctx, tok)));
  }
  return Number(v);
}

function _bindings(ctx: BuildContext, node: EmitLinkCstNode): FieldBinding[] {
  nodeSpan(ctx, node);
  return (node.children.binding ?? []).map((b) => ({
    name: ident(ctx, need(b.children.name, "field name")),
    value: buildExpr(ctx, need(b.children.expr, "field value")),
    span: nodeSpan(ctx, b),
  }));
}

function _segment(ctx: BuildContext, node: EmitSegmentCstNode): FieldBinding[] {
  nodeSpan(ctx, node); // a recovered segment is incomplete
  return (node.children.binding ?? []).map((b) => ({
    name: ident(ctx, need(b.children.name, "field name")),
    value: buildExpr(ctx, need(b.children.expr, "field value")),
    span: nodeSpan(ctx, b),
  }));
}

function _alert(ctx: BuildContext, node: SeqAlertCstNode): AlertSpec {
  const c = node.children;
  const sev = c.severity?.[0];
  return {
    severity: sev === undefined ? "warning" : severityOf(ctx, sev),
    message: buildTemplate(ctx, need(c.message, "alert message")),
    actions: (c.doClause ?? []).map((d) => buildDo(ctx, d)),
  };
}

function _twice(ctx: BuildContext, tok: IToken, what: string): void {
  ctx.diagnostics.push(error("VGL109", `\`${what}\` is given twice in this sequence`, tokenSpan(ctx, tok), "keep one"));
}
