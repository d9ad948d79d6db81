/**
 * `alert` CST → `AlertRule`, and the pieces sequences share with it: `do` clauses (actions
 * with rate policies) and severities.
 *
 * Contract: the trigger is `OnEvents`, `WhenState` (`when M enters S [and stays T]`) or
 * `WhenCondition`; severity defaults to "warning" and must be one of the AST's `Severity`
 * (VGL106 with a did-you-mean hint, the default is kept); message and action strings become
 * `Template`s; a clause given twice is reported (VGL109, the first wins).
 */
import type { IToken } from "chevrotain";
import type { Action, AlertRule, AlertTrigger, DoClause, RatePolicy, Severity, Template } from "./ast.js";
import { type BuildContext, eventList, Incomplete, ident, need, nodeSpan, tokenSpan } from "./build-context.js";
import { buildExpr } from "./build-expr.js";
import { buildTemplate } from "./build-template.js";
import type { ActionCstNode, AlertCstNode, DoClauseCstNode, PolicyCstNode } from "./cst.js";
import { error } from "./diagnostic.js";

const SEVERITIES: readonly Severity[] = ["debug", "info", "notice", "warning", "error", "critical"];

/** Builds a top-level alert declaration. */
export function buildAlert(ctx: BuildContext, node: AlertCstNode): AlertRule {
  const c = node.children;
  let severity: Severity | null = null;
  let message: Template | null = null;
  const actions: DoClause[] = [];
  for (const clause of c.alertClause ?? []) {
    const k = clause.children;
    if (k.Severity) {
      if (severity !== null) _twice(ctx, need(k.Severity, "severity"), "severity");
      else severity = severityOf(ctx, need(k.severity, "severity name"));
    } else if (k.Message) {
      if (message !== null) _twice(ctx, need(k.Message, "message"), "message");
      else message = buildTemplate(ctx, need(k.message, "message text"));
    } else {
      actions.push(buildDo(ctx, need(k.doClause, "do clause")));
    }
  }
  return {
    kind: "Alert",
    name: ident(ctx, need(c.name, "alert name")),
    trigger: _trigger(ctx, c),
    spec: { severity: severity ?? "warning", message, actions },
    span: nodeSpan(ctx, node),
  };
}

/** The severity a name token spells; unknown names are reported and read as "warning". */
export function severityOf(ctx: BuildContext, tok: IToken): Severity {
  const found = SEVERITIES.find((s) => s === tok.image);
  if (found !== undefined) return found;
  const near = _closest(tok.image);
  const list = SEVERITIES.join(", ");
  ctx.diagnostics.push(
    error("VGL106", `unknown severity \`${tok.image}\``, tokenSpan(ctx, tok), near !== null ? `did you mean \`${near}\`? (one of ${list})` : `use one of ${list}`),
  );
  return "warning";
}

/** `do ACTION [POLICY]` */
export function buildDo(ctx: BuildContext, node: DoClauseCstNode): DoClause {
  const policy = node.children.policy?.[0];
  return {
    kind: "Do",
    action: _action(ctx, need(node.children.action, "action")),
    policy: policy === undefined ? null : _policy(ctx, policy),
    span: nodeSpan(ctx, node),
  };
}

// --- internal ---

function _trigger(ctx: BuildContext, c: AlertCstNode["children"]): AlertTrigger {
  const on = c.onTrigger?.[0];
  if (on !== undefined) {
    const w = on.children.where?.[0];
    return { kind: "OnEvents", events: eventList(ctx, need(on.children.events, "events")), where: w ? buildExpr(ctx, w) : null, span: nodeSpan(ctx, on) };
  }
  const st = c.whenState?.[0];
  if (st !== undefined) {
    const stays = st.children.stays?.[0];
    return {
      kind: "WhenState",
      machine: ident(ctx, need(st.children.machine, "machine")),
      state: ident(ctx, need(st.children.state, "state")),
      stays: stays ? buildExpr(ctx, stays) : null,
      span: nodeSpan(ctx, st),
    };
  }
  const cond = c.whenCondition?.[0];
  if (cond === undefined) throw new Incomplete("trigger");
  return { kind: "WhenCondition", cond: buildExpr(ctx, need(cond.children.cond, "condition")), span: nodeSpan(ctx, cond) };
}

function _action(ctx: BuildContext, node: ActionCstNode): Action {
  const c = node.children;
  const span = nodeSpan(ctx, node);
  if (c.Print) return { kind: "PrintAction", span };
  if (c.Log) return { kind: "LogAction", file: buildTemplate(ctx, need(c.file, "log file")), span };
  if (c.Exec) {
    const argv = (c.argv ?? []).map((t) => buildTemplate(ctx, t));
    if (argv.length === 0) throw new Incomplete("exec argv");
    return { kind: "ExecAction", argv, span };
  }
  if (c.Snapshot) {
    const name = c.snapName?.[0];
    const max = c.maxSize?.[0];
    return {
      kind: "SnapshotAction",
      session: buildTemplate(ctx, need(c.session, "snapshot session")),
      name: name === undefined ? null : buildTemplate(ctx, name),
      maxSize: max === undefined ? null : buildExpr(ctx, max),
      span,
    };
  }
  if (c.Rotate) return { kind: "RotateAction", session: buildTemplate(ctx, need(c.session, "rotate session")), span };
  throw new Incomplete("action");
}

function _policy(ctx: BuildContext, node: PolicyCstNode): RatePolicy {
  const c = node.children;
  const span = nodeSpan(ctx, node);
  const perNode = c.per?.[0];
  const per = perNode === undefined ? null : buildExpr(ctx, perNode);
  if (c.At) return { kind: "AtMostEvery", interval: buildExpr(ctx, need(c.interval, "interval")), per, span };
  return { kind: "OnceAfter", count: buildExpr(ctx, need(c.count, "count")), per, span };
}

function _twice(ctx: BuildContext, tok: IToken, what: string): void {
  ctx.diagnostics.push(error("VGL109", `\`${what}\` is given twice in this alert`, tokenSpan(ctx, tok), "keep one"));
}

/** The severity within edit distance 2 of `word`, if any (`warn` → `warning` by prefix). */
function _closest(word: string): Severity | null {
  const w = word.toLowerCase();
  const prefix = SEVERITIES.find((s) => s.startsWith(w) || w.startsWith(s));
  if (prefix !== undefined && w.length >= 3) return prefix;
  let best: Severity | null = null;
  let bestD = 3;
  for (const s of SEVERITIES) {
    const d = _distance(w, s);
    if (d < bestD) {
      best = s;
      bestD = d;
    }
  }
  return best;
}

function _distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
