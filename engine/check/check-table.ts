/**
 * Checks a `table` rule: its sources, its filter and by-items against every source, its select
 * items (`check-select.ts`) and its `order by` columns.
 *
 * Contract, for a table of several sources: an expression is checked once per source as that
 * source's rows read it (`bindSource`); a name is unknown (VGL212) only when it is unknown to
 * every source, other diagnostics are reported once. A by-item that reads fields is computable
 * for a source when the source has at least one of them (or it reads `source`, or the source is
 * events and it reads their context, `$pid`...); otherwise VGL239 names the source. A source named twice is VGL238; `split` needs machine sources only.
 */
import type { Expr, TableRule } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { walkExpr } from "../../grammar/walk-expr.js";
import { checkExpr } from "./check-expr.js";
import type { RuleCheckContext } from "./check-rules.js";
import { checkSelect } from "./check-select.js";
import { resolveEvents } from "./resolve-events.js";
import { didYouMean } from "./suggest.js";
import { bindSource, SOURCE_FIELD, tableSource, type TableSource, unionFields } from "./table-sources.js";

/** Reports every mistake of one table rule into `cx.out`. */
export function checkTable(t: TableRule, cx: RuleCheckContext): void {
  const rule = t.name.name;
  const sources = _sources(t, cx);
  if (sources === null) return;
  const check = (e: Expr | null) => { if (e) checkAcross(e, sources, cx, rule); };
  check(t.where);
  for (const b of t.by) {
    check(b.value);
    if (sources.length > 1) _checkComputable(t, b, sources, cx);
  }
  const columns = checkSelect(t, sources, cx, check);
  for (const o of t.order) {
    if (!columns.includes(o.column)) cx.out.push(error("VGL225", `Table ${rule} cannot order by \`${o.column}\`: not one of its columns (${columns.join(", ")})`, o.span, didYouMean(o.column, columns)));
  }
}

/** Checks `e` as rows of each source read it, merging the diagnostics (see the module contract). */
export function checkAcross(e: Expr, sources: readonly TableSource[], cx: RuleCheckContext, rule: string): void {
  const per: Diagnostic[][] = sources.map((src) => {
    const out: Diagnostic[] = [];
    checkExpr(bindSource(e, src, sources), { symbols: cx.symbols, catalog: cx.catalog, scope: src.scope, out, rule });
    return out;
  });
  if (per.length === 1) { cx.out.push(...per[0]!); return; }
  const seen = new Map<string, { d: Diagnostic; n: number }>();
  for (const ds of per) {
    for (const d of ds) {
      const key = `${d.code}:${d.span.line}:${d.span.col}:${d.span.endCol}`;
      const s = seen.get(key);
      if (s) s.n++;
      else seen.set(key, { d, n: 1 });
    }
  }
  const names = sources.map((s) => s.ident.name).join(", ");
  for (const { d, n } of seen.values()) {
    if (d.code !== "VGL212") cx.out.push(d);
    else if (n === sources.length) cx.out.push({ ...d, message: d.message.replace(/not a field( of `[^`]*`)?/, `not a field of any source (${names})`) });
  }
}

// --- internal ---

function _sources(t: TableRule, cx: RuleCheckContext): TableSource[] | null {
  const rule = t.name.name;
  const out: TableSource[] = [];
  let ok = true;
  for (const id of t.sources) {
    if (out.some((s) => s.ident.name === id.name)) {
      cx.out.push(error("VGL238", `Table ${rule} reads from \`${id.name}\` twice`, id.span, "name each source once"));
      continue;
    }
    const src = tableSource(id, t.split !== null, cx.symbols, cx.catalog);
    if (src === null) {
      const candidates = [...cx.symbols.sequences.keys(), ...cx.symbols.machines.keys(), ...cx.symbols.aliases.keys(), ...cx.catalog.events.keys()];
      cx.out.push(error("VGL224", `Table ${rule} reads from \`${id.name}\`, which is no sequence, machine or event`, id.span, didYouMean(id.name, candidates)));
      ok = false;
      continue;
    }
    // resolved again for its diagnostics (an alias's events the trace lacks are warnings)
    if (src.kind === "events") resolveEvents([id], cx.symbols, cx.catalog, cx.out);
    if (t.split && src.kind !== "machine") {
      const which = t.sources.length > 1 ? ` (\`${id.name}\` is not one)` : "";
      cx.out.push(error("VGL237", `Table ${rule}: \`split\` cuts state intervals, so it needs a machine as source${which}`, t.split.span));
    }
    out.push(src);
  }
  // Without every source the names of the rest cannot be judged: VGL224 says what to fix first.
  return ok && out.length > 0 ? out : null;
}

function _checkComputable(t: TableRule, b: TableRule["by"][number], sources: readonly TableSource[], cx: RuleCheckContext): void {
  const known = unionFields(sources);
  const read = new Set<string>();
  let context = false;
  walkExpr(b.value, (x) => {
    if (x.kind === "Name" && (known.has(x.name) || x.name === SOURCE_FIELD)) read.add(x.name);
    if (x.kind === "Context") context = true;
  });
  if (read.size === 0 || read.has(SOURCE_FIELD)) return;
  const column = b.alias ?? (b.value.kind === "Name" ? b.value.name : "?");
  for (const src of sources) {
    if (src.fields === null || [...read].some((f) => src.fields!.has(f))) continue;
    if (context && src.kind === "events") continue; // `coalesce(vm, $pid)`: the event's context fills in
    cx.out.push(error("VGL239",
      `Table ${t.name.name}: by \`${column}\` cannot be computed for source \`${src.ident.name}\`, whose rows have none of the fields it reads (${[...read].join(", ")})`,
      b.span, `combine fields of every source, e.g. \`coalesce(${[...read][0]}, <a field of ${src.ident.name}>)\`, or emit the field from ${src.ident.name}`));
  }
}
