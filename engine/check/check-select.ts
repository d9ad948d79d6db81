/**
 * Checks the `select` items of a table: aggregates read rows, everything around them reads
 * only what is known per group when the table is read.
 *
 * Contract: an aggregate's argument is checked as a row expression (`checkRow`, against every
 * source) and holds no aggregate (VGL243); `sum`, `min`... need an argument (VGL242). Outside
 * aggregates an item may read by-column names, consts, macros (checked the same way), maps
 * indexed by such values, literals and built-in calls; a row field, context value or machine
 * state there is VGL244, located at that name. `per NAME` must name a by-column (VGL240) and
 * the item must be or hold a `share` (VGL241). Returns the table's column names: by-columns,
 * then select items.
 */
import type { AggFn, Expr, Ident, TableRule } from "../../grammar/ast.js";
import { error } from "../../grammar/diagnostic.js";
import { printExpr, selectColumnName } from "../../grammar/print-expr.js";
import { aggregateCall, selectAggregates } from "../../grammar/select-expr.js";
import { FUNCTIONS } from "../model/functions.js";
import { calledMacro, expandMacroCall, macroCallProblem, macroWithoutArguments } from "./macro-call.js";
import type { RuleCheckContext } from "./check-rules.js";
import { resolveName } from "./scope.js";
import { didYouMean } from "./suggest.js";
import { type TableSource, unionFields } from "./table-sources.js";

/** Aggregates that read no value: `count`, `rate`, and `share()` (a share of the row count). */
const NO_ARG_OK: ReadonlySet<AggFn> = new Set<AggFn>(["count", "rate", "share"]);

/** Checks every select item of `t`; returns its column names (see the module contract). */
export function checkSelect(t: TableRule, sources: readonly TableSource[], cx: RuleCheckContext, checkRow: (e: Expr) => void): string[] {
  const s: _SelectCx = {
    cx, rule: t.name.name, checkRow,
    byNames: t.by.map((b) => b.alias ?? (b.value.kind === "Name" ? b.value.name : "")),
    fields: unionFields(sources),
    openFields: sources.some((src) => src.fields === null),
  };
  const columns = [...s.byNames];
  for (const item of t.select) {
    if (item.kind === "Aggregate") {
      _aggregate(s, item.fn, item.arg, item.span);
      if (item.per && item.fn !== "share") s.cx.out.push(error("VGL241", `\`per\` splits a share: \`${item.fn}\` is not one (table ${s.rule})`, item.per.span, "write `share(x) per COLUMN`"));
    } else {
      _expr(s, item.value, []);
      if (item.per && !selectAggregates(item.value).some((a) => a.fn === "share")) {
        s.cx.out.push(error("VGL241", `\`per\` splits a share, and \`${printExpr(item.value)}\` holds none (table ${s.rule})`, item.per.span, "write `share(x) per COLUMN`"));
      }
    }
    if (item.per) _per(s, item.per);
    columns.push(selectColumnName(item));
  }
  return columns;
}

// --- internal ---

interface _SelectCx {
  cx: RuleCheckContext;
  rule: string;
  checkRow: (e: Expr) => void;
  byNames: string[];
  /** Fields of some source's rows. */
  fields: Set<string>;
  /** Some source is an event whose fields are not known: any name may be one of its fields. */
  openFields: boolean;
}

function _per(s: _SelectCx, per: Ident): void {
  if (!s.byNames.includes(per.name)) {
    s.cx.out.push(error("VGL240", `\`per ${per.name}\`: table ${s.rule} has no by-column \`${per.name}\` (by-columns: ${s.byNames.join(", ") || "none"})`, per.span, didYouMean(per.name, s.byNames)));
  }
}

function _aggregate(s: _SelectCx, fn: AggFn, arg: Expr | null, span: Expr["span"]): void {
  if (arg === null) {
    if (!NO_ARG_OK.has(fn)) s.cx.out.push(error("VGL242", `\`${fn}\` needs a value to aggregate, e.g. \`${fn}(duration)\` (table ${s.rule})`, span));
    return;
  }
  if (fn === "share" && arg.kind === "Name" && arg.name === "count") return; // share(count): of the row count
  // A row field may be called `count`: only a name that is no field is the aggregate.
  const nested = selectAggregates(arg).filter((a) => a.node.kind !== "Name" || !_isField(s, a.node.name));
  for (const a of nested) {
    s.cx.out.push(error("VGL243", `Aggregates do not nest: \`${printExpr(a.node)}\` inside \`${fn}(...)\` (table ${s.rule})`, a.node.span, "aggregate the row value once; combine aggregates outside, e.g. `sum(x) / count`"));
  }
  if (nested.length === 0) s.checkRow(arg);
}

function _isField(s: _SelectCx, name: string): boolean {
  return s.fields.has(name) || s.openFields;
}

function _perRow(s: _SelectCx, e: Expr, what: string): void {
  s.cx.out.push(error("VGL244", `${what} in select of table ${s.rule}: outside an aggregate, select reads only aggregates, by-columns and constants`, e.span,
    e.kind === "Name" ? `aggregate it (e.g. \`avg(${e.name})\`, \`last(${e.name})\`) or add it to \`by\`` : "aggregate it, or add it to `by`"));
}

function _expr(s: _SelectCx, e: Expr, macros: string[]): void {
  if (e.kind === "Name" && s.byNames.includes(e.name)) return;
  const agg = aggregateCall(e);
  if (agg !== null) return _aggregate(s, agg.fn, agg.arg, e.span);
  const sub = (x: Expr) => _expr(s, x, macros);
  switch (e.kind) {
    case "Int": case "Float": case "Duration": case "Size": case "Str": case "Bool": case "Null":
      return;
    case "Paren": return sub(e.inner);
    case "Unary": return sub(e.operand);
    case "Binary": sub(e.left); return sub(e.right);
    case "In":
      sub(e.operand);
      if (Array.isArray(e.list)) e.list.forEach(sub);
      else if (!s.cx.symbols.lists.has(e.list.listName) && !s.cx.symbols.maps.has(e.list.listName)) {
        s.cx.out.push(error("VGL205", `Unknown list \`${e.list.listName}\`: rule=${s.rule}`, e.list.span, didYouMean(e.list.listName, s.cx.symbols.lists.keys())));
      }
      return;
    case "Call": {
      const macro = calledMacro(e.callee, s.cx.symbols);
      if (macro !== undefined) {
        const problem = macroCallProblem(macro, e.args.length, e.span);
        if (problem !== null) { s.cx.out.push(problem); return e.args.forEach(sub); }
        return _macro(s, e.callee, expandMacroCall(macro, e.args), e.span, macros);
      }
      const f = FUNCTIONS[e.callee];
      if (!f) s.cx.out.push(error("VGL206", `Unknown function \`${e.callee}\``, e.span, didYouMean(e.callee, [...Object.keys(FUNCTIONS), "count", "sum", "avg", "share", "rate"])));
      else if (e.args.length < f.minArgs || e.args.length > f.maxArgs) {
        const want = f.minArgs === f.maxArgs ? `${f.minArgs}` : `${f.minArgs} to ${f.maxArgs}`;
        s.cx.out.push(error("VGL207", `\`${e.callee}\` takes ${want} argument(s), got ${e.args.length}`, e.span));
      }
      return e.args.forEach(sub);
    }
    case "Index":
      if (e.object.kind === "Name" && s.cx.symbols.maps.has(e.object.name)) return sub(e.index);
      return _perRow(s, e, `\`${printExpr(e)}\` is live machine state`);
    case "Member":
      return _perRow(s, e, `\`${printExpr(e)}\` is a value of each row or live machine state`);
    case "Context":
      return _perRow(s, e, `\`$${e.name}\` is a value of each event`);
    case "Exists":
      return _perRow(s, e, `\`exists ${e.field}\` is a test of each event`);
    case "Name": return _name(s, e, macros);
  }
}

function _macro(s: _SelectCx, name: string, body: Expr, at: Expr["span"], macros: string[]): void {
  if (macros.includes(name)) {
    s.cx.out.push(error("VGL211", `Macro \`${name}\` refers to itself (${[...macros, name].join(" → ")})`, at));
    return;
  }
  _expr(s, body, [...macros, name]);
}

function _name(s: _SelectCx, e: Extract<Expr, { kind: "Name" }>, macros: string[]): void {
  if (s.fields.has(e.name)) return _perRow(s, e, `\`${e.name}\` is a field of each row`);
  const b = resolveName(e.name, { events: [] }, s.cx.symbols, s.cx.catalog);
  switch (b.kind) {
    case "const": return;
    case "macro":
      if (b.decl.params.length > 0) { s.cx.out.push(macroWithoutArguments(b.decl, e.span)); return; }
      return _macro(s, e.name, b.decl.body, e.span, macros);
    case "list": s.cx.out.push(error("VGL210", `List \`${e.name}\` can only be used after \`in\``, e.span)); return;
    case "map": s.cx.out.push(error("VGL227", `Map \`${e.name}\` needs a key: \`${e.name}[...]\``, e.span)); return;
    case "machine": return _perRow(s, e, `machine \`${e.name}\` is live state`);
    default:
      if (s.openFields) return _perRow(s, e, `\`${e.name}\` is a field of each row`);
      s.cx.out.push(error("VGL212", `Unknown name \`${e.name}\`: not a by-column, aggregate, const or macro of table ${s.rule}`, e.span,
        didYouMean(e.name, [...s.byNames, ...s.fields, ...s.cx.symbols.consts.keys()])));
  }
}
