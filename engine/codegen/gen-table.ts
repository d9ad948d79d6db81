/**
 * A table → its TableSpec (columns, order, limit) and the generated update function that fills
 * reused scratch arrays with group values and aggregate inputs. Tables over events run in the
 * event's handler; tables over a sequence or machine are called with each row it produces.
 */
import type { TableRule } from "../../grammar/ast.js";
import { selectColumnName } from "../../grammar/print-expr.js";
import { resolveEvents } from "../check/resolve-events.js";
import { machineRowFields, sequenceRowFields } from "../check/rule-scopes.js";
import type { Scope } from "../check/scope.js";
import type { RulePlan } from "../plan/plan-rules.js";
import { stamp } from "./code-builder.js";
import { genCond, genExpr } from "./gen-expr.js";
import { addBlock, addRowConsumer, env, type GenContext } from "./gen-context.js";

export function genTable(g: GenContext, order: number, tableIndex: number, plan: RulePlan, t: TableRule): void {
  const T = `T${tableIndex}`;
  const { symbols } = g.unit;
  const seq = symbols.sequences.get(t.source.name);
  const machine = symbols.machines.get(t.source.name);
  const fromRows = seq !== undefined || machine !== undefined;
  const scope: Scope = seq ? { events: [], row: sequenceRowFields(seq) }
    : machine ? { events: [], row: new Set([...machineRowFields(machine), ...(t.split ? ["window"] : [])]) }
    : { events: resolveEvents([t.source], symbols, g.unit.catalog, []) };
  const e = env(g, scope);
  const split = plan.bounds.split;

  const groupColumns = t.by.map((b) => b.alias ?? (b.value.kind === "Name" ? b.value.name : `by${t.by.indexOf(b)}`));
  const columns: string[] = groupColumns.map((name, index) => `{ name: ${g.pool.ref(name)}, kind: "group", index: ${index} }`);
  const values: string[] = [];
  for (const item of t.select) {
    const name = selectColumnName(item);
    if (item.kind === "Column") {
      if (groupColumns.includes(name)) continue; // already a group column
      values.push(genExpr(item.value, e));
      columns.push(`{ name: ${g.pool.ref(name)}, kind: "agg", fn: "last", arg: ${values.length - 1} }`);
      continue;
    }
    let arg = -1;
    const countShare = item.fn === "share" && item.arg?.kind === "Name" && item.arg.name === "count";
    if (item.arg && !countShare) {
      values.push(genExpr(item.arg, e));
      arg = values.length - 1;
    }
    columns.push(`{ name: ${g.pool.ref(name)}, kind: "agg", fn: ${g.pool.ref(item.fn)}, arg: ${arg} }`);
  }
  const orderSpec = t.order.map((o) => `{ column: ${g.pool.ref(o.column)}, desc: ${o.desc} }`).join(", ");
  const fill = [
    ...t.by.map((b, k) => `G${tableIndex}[${k}] = B.key(${genExpr(b.value, e)});`),
    ...values.map((v, k) => `V${tableIndex}[${k}] = B.num(${v});`),
  ].join(" ");
  const where = t.where ? `if (!${genCond(t.where, e)}) return;` : "";
  const ts = fromRows ? "r.end" : "ev.ts";
  const params = fromRows ? "r" : "ev, f";
  g.decls.push(`${stamp(t.span)} // table ${t.name.name}
const ${T} = new rt.TableTracker({ name: ${g.pool.ref(plan.outName)}, groupColumns: ${g.pool.ref(groupColumns)}, columns: [${columns.join(", ")}], order: [${orderSpec}], limit: ${t.limit ?? "null"} });
rt.tables.push(${T});
const G${tableIndex} = new Array(${t.by.length}).fill(null), V${tableIndex} = new Array(${values.length}).fill(0);
function ${T}_add(${params}) { let t; ${where} ${fill} ${T}.update(${ts}, G${tableIndex}, V${tableIndex}); }${split === undefined ? "" : `
function ${T}_split(row) {
  // split ${split}ns: one row per window the interval overlaps
  for (let s = row.start; s < row.end;) {
    const w = Math.floor(s / ${split}) * ${split};
    const e = Math.min(row.end, w + ${split});
    ${T}_add(Object.assign({}, row, { start: s, end: e, duration: e - s, open: row.open && e === row.end, window: w }));
    s = e;
  }
}`}`);
  if (fromRows) addRowConsumer(g, t.source.name, split === undefined ? `${T}_add` : `${T}_split`);
  else addBlock(g, order, plan.events, `${T}_add(ev, f);`);
}
