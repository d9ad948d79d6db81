import { describe, expect, it } from "vitest";
import { formatSeconds, isDurationColumn } from "../../../engine/output/display-value.js";
import { formatTable } from "../../../engine/output/table-formatter.js";
import { renderTextTable } from "../../../engine/output/text-table.js";
import { sampleResult } from "./fixtures/sample-result.js";

describe("formatTable", () => {
  it("marks the report uncertain only when events were lost or late", () => {
    expect(formatTable(sampleResult())).toContain("\nUNCERTAIN: 1500 events lost in 1 range, 2 late;");
    const clean = sampleResult();
    clean.losses = [];
    clean.stats.lost = 0;
    clean.stats.late = 0;
    expect(formatTable(clean)).not.toContain("UNCERTAIN");
    clean.stats.late = 1;
    expect(formatTable(clean)).toContain("UNCERTAIN: 0 events lost in 0 ranges, 1 late;");
  });

  it("lists at most ten loss ranges", () => {
    const r = sampleResult();
    r.losses = Array.from({ length: 13 }, (_, i) => ({ host: 5, cpu: i, start: i, end: i + 1, count: -1 }));
    const text = formatTable(r);
    expect(text.match(/^ {2}lost on host #5 cpu \d+: .*unknown number of events$/gm)).toHaveLength(10);
    expect(text).toContain("  ... and 3 more ranges\n");
  });

  it("with a selection prints header, the selected table and the footer, no alerts", () => {
    const text = formatTable(sampleResult(), { select: { tables: ["empty"] } });
    const blocks = text.trimEnd().split("\n\n");
    expect(blocks).toHaveLength(3);
    expect(blocks[1]).toBe("Table empty (0 rows)\n  k  count\n  (no rows)");
    expect(blocks[2]).toMatch(/^Stats: 12345 events/);
  });

  it("follows a report order, then the run's; an explicit table list keeps its own order", () => {
    const titles = (text: string) => text.split("\n").filter((l) => /^(Machine|Table)/.test(l)).map((l) => l.replace(/[:(].*$/, "").trim());
    // run order: machines vcpu, nested, idle (no interval); tables exits, pointers, empty
    expect(titles(formatTable(sampleResult()))).toEqual(["Machine vcpu", "Machine nested", "Machines without intervals", "Table exits", "Table pointers", "Table empty"]);
    const ordered = formatTable(sampleResult(), { order: ["empty", "nested", "no_such_name", "pointers"] });
    expect(titles(ordered)).toEqual(["Machine nested", "Machine vcpu", "Machines without intervals", "Table empty", "Table pointers", "Table exits"]);
    expect(ordered).toContain("\nMachines without intervals: idle\n");
    const chosen = formatTable(sampleResult(), { order: ["empty", "pointers"], select: { tables: ["exits", "empty"] } });
    expect(titles(chosen)).toEqual(["Table exits", "Table empty"]);
  });

  it("escapes line breaks in strings so each row stays one line", () => {
    const r = sampleResult();
    r.tables.exits.rows[0][1] = "a\nb\tc";
    expect(formatTable(r, { select: { tables: ["exits"] } })).toContain("  7  a\\nb\\tc ");
  });
});

describe("terminal display helpers", () => {
  it("prints seconds with 9 decimals from integer ns, exactly, for any sign", () => {
    expect(formatSeconds(0)).toBe("0.000000000");
    expect(formatSeconds(1)).toBe("0.000000001");
    expect(formatSeconds(-1_500_000_000)).toBe("-1.500000000");
    expect(formatSeconds(9_007_199_254_740_991)).toBe("9007199.254740991");
  });

  it("treats _ns and duration columns as durations, but not their share, rate or count", () => {
    expect(["total_ns", "duration", "avg(duration)", "p99(wait_ns)", "max(x.duration)"].map(isDurationColumn)).toEqual([true, true, true, true, true]);
    expect(["share(duration)", "rate(duration)", "count", "reason", "durations"].map(isDurationColumn)).toEqual([false, false, false, false, false]);
  });

  it("aligns numeric columns right and text left with two spaces between columns", () => {
    const lines = renderTextTable([
      { header: "name", cells: ["a", "long name"], align: "left" },
      { header: "n", cells: ["5", "12345"], align: "right" },
      { header: "last", cells: ["x", ""], align: "left" },
    ]);
    expect(lines).toEqual(["  name           n  last", "  a              5  x", "  long name  12345"]);
  });
});
