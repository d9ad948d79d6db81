/**
 * A table → its TableSpec (columns, order, limit) and one generated update function per source
 * that fills reused scratch arrays with group values and aggregate inputs. Sources over events
 * run in the event's handler; sources over a sequence or machine are called with each row it
 * produces. Expressions are bound to each source first (`bindSource`: `source` is its name, a
 * field it lacks is null).
 *
 * Select items: an aggregate is an `agg` column; an expression over aggregates is an `expr`
 * column whose generated `eval` reads the by-columns and aggregate columns of the row; an
 * aggregate it needs that no item selects becomes a `hidden` column. Identical aggregates are
 * one column, and aggregate arguments with the same text are one input (so `min(d)`, `avg(d)`
 * and `stddev(d)` share one moment slot).
 */
import type { AggFn, Expr, Ident, TableRule } from "../../grammar/ast.js";
import { printExpr, selectColumnName } from "../../grammar/print-expr.js";
import { aggregateCall } from "../../grammar/select-expr.js";
import { bindSource, tableSources, type TableSource } from "../check/table-sources.js";
import type { RulePlan } from "../plan/plan-rules.js";
import { stamp } from "./code-builder.js";
import { genCond, genExpr } from "./gen-expr.js";
import { withCse, type CseScope } from "./cse.js";
import { addBlock, addRowConsumer, env, type GenContext } from "./gen-context.js";

/** Emits the table's tracker, its update functions, and hooks them to their sources. */
export function genTable(g: GenContext, order: number, tableIndex: number, plan: RulePlan, t: TableRule): void {
  const T = `T${tableIndex}`;
  const sources = tableSources(t, g.unit.symbols, g.unit.catalog);
  const split = plan.bounds.split;
  const groupColumns = t.by.map((b, i) => b.alias ?? (b.value.kind === "Name" ? b.value.name : `by${i}`));
  const cols = new _Columns(g, groupColumns);
  for (const item of t.select) {
    const name = selectColumnName(item);
    if (item.kind === "Aggregate") cols.aggregate(item.fn, item.arg, item.per, name, false);
    else if (!groupColumns.includes(name)) cols.expression(item.value, item.per, name);
  }
  const orderSpec = t.order.map((o) => `{ column: ${g.pool.ref(o.column)}, desc: ${o.desc} }`).join(", ");
  const name = (k: number) => `${T}_add${sources.length > 1 ? k : ""}`;
  const fns = sources.map((src, k) => {
    // values are fixed while one row (or event) is added: repeats are computed once (cse.ts)
    const { result, declarations } = withCse((cse) => _updateBody(g, t, src, sources, cols.args, tableIndex, cse));
    return `function ${name(k)}(${src.kind === "events" ? "ev, f" : "r"}) { let t; ${declarations} ${result} }`;
  });
  g.decls.push(`${stamp(t.span)} // table ${t.name.name}
const ${T} = new rt.TableTracker({ name: ${g.pool.ref(plan.outName)}, groupColumns: ${g.pool.ref(groupColumns)}, columns: [${cols.code.join(", ")}], order: [${orderSpec}], limit: ${t.limit ?? "null"} });
rt.tables.push(${T});
const G${tableIndex} = new Array(${t.by.length}).fill(null), V${tableIndex} = new Float64Array(${cols.args.length});
${fns.join("\n")}`);
  sources.forEach((src, k) => {
    const fn = name(k);
    if (src.kind === "events") addBlock(g, order, src.events, `${fn}(ev, f);`);
    else if (split === undefined || src.kind !== "machine") addRowConsumer(g, src.ident.name, fn);
    else {
      g.decls.push(_splitFn(fn, split));
      addRowConsumer(g, src.ident.name, `${fn}_split`);
    }
  });
}

// --- internal ---

/** The tracker's columns as code, with the aggregate inputs they read. */
class _Columns {
  readonly code: string[];
  /** Aggregate arguments, one per distinct text (index = position in the values array). */
  readonly args: Expr[] = [];
  private readonly argIndex = new Map<string, number>();
  /** Column index of each distinct aggregate, by `fn|arg text|per`. */
  private readonly aggIndex = new Map<string, number>();
  private hidden = 0;

  constructor(private readonly g: GenContext, private readonly groupColumns: string[]) {
    this.code = groupColumns.map((name, index) => `{ name: ${g.pool.ref(name)}, kind: "group", index: ${index} }`);
  }

  /** The column of an aggregate, added (hidden or not) unless the same one is already there. */
  aggregate(fn: AggFn, arg: Expr | null, per: Ident | null, name: string | null, hidden: boolean): number {
    const countShare = fn === "share" && arg?.kind === "Name" && arg.name === "count";
    const argText = arg === null || countShare ? "" : printExpr(arg);
    const perIndex = per === null ? -1 : this.groupColumns.indexOf(per.name);
    const key = `${fn}|${argText}|${fn === "share" ? perIndex : -1}`;
    const known = this.aggIndex.get(key);
    if (known !== undefined && hidden) return known;
    let a = -1;
    if (arg !== null && !countShare) {
      a = this.argIndex.get(argText) ?? -1;
      if (a < 0) {
        a = this.args.length;
        this.args.push(arg);
        this.argIndex.set(argText, a);
      }
    }
    const perCode = fn === "share" && perIndex >= 0 ? `, per: [${perIndex}]` : "";
    const colName = name ?? `#${this.hidden++}`;
    this.code.push(`{ name: ${this.g.pool.ref(colName)}, kind: "agg", fn: ${this.g.pool.ref(fn)}, arg: ${a}${perCode}${hidden ? ", hidden: true" : ""} }`);
    const index = this.code.length - 1;
    if (known === undefined) this.aggIndex.set(key, index);
    return index;
  }

  /** An expression column over aggregates and by-columns (`per` applies to its shares). */
  expression(value: Expr, per: Ident | null, name: string): void {
    const leaf = (e: Expr): string | undefined => {
      if (e.kind === "Name" && this.groupColumns.includes(e.name)) return `c[${this.groupColumns.indexOf(e.name)}]`;
      const agg = aggregateCall(e);
      return agg === null ? undefined : `c[${this.aggregate(agg.fn, agg.arg, agg.fn === "share" ? per : null, null, true)}]`;
    };
    const code = genExpr(value, { ...env(this.g, { events: [] }), leaf });
    this.code.push(`{ name: ${this.g.pool.ref(name)}, kind: "expr", eval: (c) => ${code} }`);
  }
}

/** The statements that add one row (or event) to the table. */
function _updateBody(g: GenContext, t: TableRule, src: TableSource, all: TableSource[], args: Expr[], tableIndex: number, cse: CseScope): string {
  const e = { ...env(g, src.scope), cse };
  const bound = (x: Expr) => bindSource(x, src, all);
  const fill = [
    ...t.by.map((b, k) => `G${tableIndex}[${k}] = B.key(${genExpr(bound(b.value), e)});`),
    ...args.map((v, k) => `V${tableIndex}[${k}] = B.num(${genExpr(bound(v), e)});`),
  ].join(" ");
  const where = t.where ? `if (!${genCond(bound(t.where), e)}) return;` : "";
  return `${where} ${fill} T${tableIndex}.update(${src.kind !== "events" ? "r.end" : "ev.ts"}, G${tableIndex}, V${tableIndex});`;
}

function _splitFn(fn: string, split: number): string {
  return `function ${fn}_split(row) {
  // split ${split}ns: one row per window the interval overlaps
  for (let s = row.start; s < row.end;) {
    const w = Math.floor(s / ${split}) * ${split};
    const e = Math.min(row.end, w + ${split});
    ${fn}(Object.assign({}, row, { start: s, end: e, duration: e - s, open: row.open && e === row.end, window: w }));
    s = e;
  }
}`;
}
