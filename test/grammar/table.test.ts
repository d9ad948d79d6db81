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
    expect(t.source.name).toBe("exit_handling");
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

  it("rejects an aggregate with two arguments and an order item that is not a column", () => {
    expect(diagnosticsOf("table t from s select min(a, b) order by a + 1")).toEqual(["VGL108 1:23", "VGL102 1:42"]);
  });

  it("requires select", () => {
    const d = expectReject("table t from s by vm order by vm", "VGL102", 1, 22);
    expect(d.message).toBe("expected `select` and the table's columns, found `order`");
  });
});
