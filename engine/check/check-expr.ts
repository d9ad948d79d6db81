/**
 * Checks one expression in a scope: every name resolves, labels and machines are used through
 * `.field` / `[key].field`, lists only after `in`, calls name a built-in with the right arity,
 * regex literals compile, macros do not recurse.
 */
import type { Expr, MacroDecl } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { walkExpr } from "../../grammar/walk-expr.js";
import { calledMacro, expandMacroCall, macroCallProblem, macroWithoutArguments } from "./macro-call.js";
import { FUNCTIONS } from "../model/functions.js";
import type { EventCatalog } from "./event-catalog.js";
import { resolveName, scopeNames, type Scope } from "./scope.js";
import { didYouMean } from "./suggest.js";
import type { Symbols } from "./symbols.js";

export interface ExprCheckContext {
  symbols: Symbols;
  catalog: EventCatalog;
  scope: Scope;
  out: Diagnostic[];
  /** Rule name for messages ("rule=vcpu"). */
  rule: string;
  /** Macros being expanded, to catch recursion. */
  macroStack?: string[];
}

const CONTEXT_NAMES = new Set(["tid", "pid", "ppid", "comm", "cpu", "host"]);
const INSTANCE_PROPS = new Set(["state", "since", "key"]);

export function checkExpr(e: Expr, cx: ExprCheckContext): void {
  switch (e.kind) {
    case "Int": case "Float": case "Duration": case "Size": case "Str": case "Bool": case "Null": case "Context":
      return;
    case "Exists":
      return;
    case "Paren":
      return checkExpr(e.inner, cx);
    case "Unary":
      return checkExpr(e.operand, cx);
    case "Binary":
      checkExpr(e.left, cx);
      checkExpr(e.right, cx);
      if (e.op === "regex" && e.right.kind === "Str") {
        try { new RegExp(e.right.value); } catch (err) {
          cx.out.push(error("VGL301", `Invalid regular expression: ${(err as Error).message}`, e.right.span));
        }
      }
      return;
    case "In":
      checkExpr(e.operand, cx);
      if (Array.isArray(e.list)) e.list.forEach((x) => checkExpr(x, cx));
      else if (!cx.symbols.lists.has(e.list.listName) && !cx.symbols.maps.has(e.list.listName)) {
        cx.out.push(error("VGL205", `Unknown list \`${e.list.listName}\`: rule=${cx.rule}`, e.list.span, didYouMean(e.list.listName, cx.symbols.lists.keys())));
      }
      return;
    case "Call": {
      const macro = calledMacro(e.callee, cx.symbols);
      if (macro !== undefined) return checkMacroCall(e, macro, cx);
      const f = FUNCTIONS[e.callee];
      if (!f) cx.out.push(error("VGL206", `Unknown function \`${e.callee}\``, e.span, didYouMean(e.callee, Object.keys(FUNCTIONS))));
      else if (e.args.length < f.minArgs || e.args.length > f.maxArgs) {
        const want = f.minArgs === f.maxArgs ? `${f.minArgs}` : `${f.minArgs} to ${f.maxArgs}`;
        cx.out.push(error("VGL207", `\`${e.callee}\` takes ${want} argument(s), got ${e.args.length}`, e.span));
      }
      e.args.forEach((a) => checkExpr(a, cx));
      return;
    }
    case "Index":
      return checkInstance(e, null, cx);
    case "Member":
      return checkMember(e, cx);
    case "Name":
      return checkBareName(e, cx);
  }
}

/** A macro is checked where it is used: its field names belong to the user's events. */
function checkMacroBody(name: string, body: Expr, at: Expr["span"], cx: ExprCheckContext): void {
  const stack = cx.macroStack ?? [];
  if (stack.includes(name)) {
    cx.out.push(error("VGL211", `Macro \`${name}\` refers to itself (${[...stack, name].join(" → ")})`, at));
    return;
  }
  const inner: ExprCheckContext = { ...cx, macroStack: [...stack, name], out: [] };
  checkExpr(body, inner);
  for (const d of inner.out) cx.out.push({ ...d, message: `${d.message} (in macro \`${name}\` used at line ${at.line})` });
}

function checkMacroCall(e: Extract<Expr, { kind: "Call" }>, macro: MacroDecl, cx: ExprCheckContext): void {
  const problem = macroCallProblem(macro, e.args.length, e.span);
  if (problem !== null) {
    cx.out.push(problem);
    e.args.forEach((a) => checkExpr(a, cx));
    return;
  }
  // arguments are checked where the body reads them; one the body never reads, here
  const used = new Set<string>();
  walkExpr(macro.body, (x) => { if (x.kind === "Name") used.add(x.name); });
  macro.params.forEach((p, i) => { if (!used.has(p.name)) checkExpr(e.args[i]!, cx); });
  checkMacroBody(e.callee, expandMacroCall(macro, e.args), e.span, cx);
}

function checkBareName(e: Extract<Expr, { kind: "Name" }>, cx: ExprCheckContext): void {
  const b = resolveName(e.name, cx.scope, cx.symbols, cx.catalog);
  switch (b.kind) {
    case "label":
      cx.out.push(error("VGL208", `Step \`${e.name}\` is an event, not a value: read one of its fields, e.g. \`${e.name}.ts\``, e.span));
      return;
    case "machine":
      cx.out.push(error("VGL209", `Machine \`${e.name}\` needs a key: \`${e.name}[$tid].state\``, e.span));
      return;
    case "list":
      cx.out.push(error("VGL210", `List \`${e.name}\` can only be used after \`in\``, e.span));
      return;
    case "map":
      cx.out.push(error("VGL227", `Map \`${e.name}\` needs a key: \`${e.name}[exit_reason]\` (or test membership with \`in\`)`, e.span));
      return;
    case "macro":
      if (b.decl.params.length > 0) {
        cx.out.push(macroWithoutArguments(b.decl, e.span));
        return;
      }
      return checkMacroBody(e.name, b.decl.body, e.span, cx);
    case "unknown": {
      const where = cx.scope.events.length ? ` of \`${cx.scope.events.join("|")}\`` : "";
      const ctx = CONTEXT_NAMES.has(e.name) ? `did you mean the context \`$${e.name}\`?` : undefined;
      cx.out.push(error("VGL212", `Unknown name \`${e.name}\`: not a field${where}, const, list or macro: rule=${cx.rule}`, e.span,
        ctx ?? didYouMean(e.name, scopeNames(cx.scope, cx.symbols, cx.catalog))));
      return;
    }
    default:
      return;
  }
}

function checkMember(e: Extract<Expr, { kind: "Member" }>, cx: ExprCheckContext): void {
  if (e.object.kind === "Index") return checkInstance(e.object, e, cx);
  if (e.object.kind === "Name") {
    const b = resolveName(e.object.name, cx.scope, cx.symbols, cx.catalog);
    if (b.kind === "label") return; // step fields are checked against the step's events by the sequence checker
    if (b.kind === "machine") return checkBareName(e.object, cx);
  }
  checkExpr(e.object, cx);
}

function checkInstance(index: Extract<Expr, { kind: "Index" }>, member: Extract<Expr, { kind: "Member" }> | null, cx: ExprCheckContext): void {
  checkExpr(index.index, cx);
  if (index.object.kind === "Name" && cx.symbols.maps.has(index.object.name)) {
    if (member) cx.out.push(error("VGL228", `A map value has no fields: read \`${index.object.name}[...]\` itself`, member.span));
    return;
  }
  if (index.object.kind !== "Name" || !cx.symbols.machines.has(index.object.name)) {
    const name = index.object.kind === "Name" ? index.object.name : "expression";
    cx.out.push(error("VGL213", `\`${name}[...]\`: only machines can be indexed by key`, index.span, index.object.kind === "Name" ? didYouMean(name, cx.symbols.machines.keys()) : undefined));
    return;
  }
  const m = cx.symbols.machines.get(index.object.name)!;
  if (!member) {
    cx.out.push(error("VGL214", `\`${m.name.name}[...]\` is an instance: read \`.state\` or a kept field`, index.span));
    return;
  }
  const kept = m.keep.map((k) => k.target.name);
  if (!INSTANCE_PROPS.has(member.property) && !kept.includes(member.property)) {
    cx.out.push(error("VGL215", `Machine \`${m.name.name}\` keeps no field \`${member.property}\``, member.span,
      didYouMean(member.property, [...kept, ...INSTANCE_PROPS])));
  }
}
