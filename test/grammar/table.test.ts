import { describe, expect, it } from "vitest";
import type { SelectItem } from "../../grammar/ast.js";
import { columnName } from "../../grammar/column-name.js";
import { diagnosticsOf, expectReject, parseDecl, tree } from "./helpers.js";

const item = (s: SelectItem): string =>
  s.kind === "Aggregate" ? `agg ${s.fn}(${s.arg ? tree(s.arg) : ""})` : `col ${tree(s.value)}`;

describe("table", () => {
  const t = parseDecl(
    `table exits from exit_handling where vm != 0 by vm, reason, x.cpu as cpu
  select count, share(count), share(duration), min(duration) as fastest, p99(x.duration), rate, count(), vm, x.y, sum
  order by share(duration) desc, vm asc, count
  limit 20`,
    "Table",
  );

  it("reads source, filter and group-by items", () => {
    expect(t.name.name).toBe("exits");
    expect(t.sources.map((x) => x.name)).toEqual(["exit_handling"]);
    expect(tree(t.where!)).toBe("(!= vm 0)");
    expect(t.by.map((b) => `${tree(b.value)} as ${b.alias}`)).toEqual(["vm as null", "reason as null", "(. x cpu) as cpu"]);
    expect(t.by.map(columnName)).toEqual(["vm", "reason", "cpu"]);
  });

  it("tells aggregates from columns", () => {
    expect(t.select.map(item)).toEqual([
      "agg count()", "agg share(count)", "agg share(duration)", "agg min(duration)", "agg p99((. x duration))",
      "agg rate()", "agg count()", "col vm", "col (. x y)", "col sum",
    ]);
  });

  it("names columns by alias, function and argument text", () => {
    expect(t.select.map(columnName)).toEqual([
      "count", "share_count", "share_duration", "fastest", "p99_x_duration", "rate", "count", "vm", "x_y", "sum",
    ]);
  });

  it("reads order by (aggregates by their column name) and limit", () => {
    expect(t.order.map((o) => `${o.column} ${o.desc ? "desc" : "asc"}`)).toEqual(["share_duration desc", "vm asc", "count asc"]);
    expect(t.limit).toBe(20);
  });

  it("needs an alias for a by item that is not a name (VGL104)", () => {
    const d = expectReject("table t from s by x.cpu select count", "VGL104", 1, 19);
    expect(d.hint).toBe("add `as NAME`");
  });

  it("rejects an aggregate with two arguments, at the top or inside an expression, and an order item that is not a column", () => {
    expect(diagnosticsOf("table t from s select p99(a, b) order by a + 1")).toEqual(["VGL108 1:23", "VGL102 1:42"]);
    expect(diagnosticsOf("table t from s select 1 + sum(a, b) as x, avg(a) / p5(a, b, c) as y")).toEqual(["VGL108 1:27", "VGL108 1:52"]);
  });

  it("reads several sources, each with its span", () => {
    const m = parseDecl("table p from vcpu, disk_request,net_packet by vm select count", "Table");
    expect(m.sources.map((x) => `${x.name}@${x.span.col}-${x.span.endCol}`)).toEqual(["vcpu@14-18", "disk_request@20-32", "net_packet@33-43"]);
    // `by` is a soft keyword, so it is read as a third source name and `vm` is the error
    expect(diagnosticsOf("table p from a, by vm select count")).toEqual(["VGL102 1:20"]);
  });

  it("reads arithmetic over aggregates as one column, min/max with two arguments as the scalar built-ins", () => {
    const m = parseDecl("table e from h by vm select stddev(d) / sqrt(count) / avg(d) * 100 as pct, max(count, 1), min(d)", "Table");
    expect(m.select.map(item)).toEqual([
      "col (* (/ (/ (call stddev d) (call sqrt count)) (call avg d)) 100)", "col (call max count 1)", "agg min(d)",
    ]);
    expect(m.select.map(columnName)).toEqual(["pct", "max_count_1", "min_d"]);
  });

  it("reads `per NAME` after an item, before its alias", () => {
    const m = parseDecl("table e from h by vm, reason select share(count) per vm as count_pct, 100 - share(d) per vm, share(d)", "Table");
    expect(m.select.map((s) => [s.kind, s.per?.name ?? null, s.per?.span.col ?? null, s.alias])).toEqual([
      ["Aggregate", "vm", 54, "count_pct"], ["Column", "vm", 90, null], ["Aggregate", null, null, null],
    ]);
  });

  it("requires select", () => {
    const d = expectReject("table t from s by vm order by vm", "VGL102", 1, 22);
    expect(d.message).toBe("expected `select` and the table's columns, found `order`");
  });
});
