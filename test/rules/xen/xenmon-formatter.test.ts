/**
 * `--format xenmon` on the formatters' shared sample result (golden file reviewed by hand:
 * string column keys, bigint row keys, NaN/Infinity, nulls, non-additive measures, an empty
 * table, losses) and on small tables that pin the layout rules: window blocks, one-key
 * tables, and tables that are no cross-tab.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormattersMap } from "../../../engine/output/index.js";
import { formatXenmon } from "../../../engine/output/xenmon-formatter.js";
import type { RunResult, TableResult } from "../../../engine/runtime/result.js";
import { sampleResult } from "../../engine/output/fixtures/sample-result.js";
import { REPO } from "../../helpers/shared.js";

function withTables(tables: Record<string, TableResult>): RunResult {
  return { ...sampleResult(), tables, losses: [], stats: { ...sampleResult().stats, lost: 0, late: 0 } };
}

describe("xenmon formatter", () => {
  it("matches its reviewed golden file and is registered as --format xenmon", () => {
    const expected = readFileSync(join(REPO, "test", "rules", "xen", "fixtures", "sample.xenmon.expect"), "utf8");
    expect(formatXenmon(sampleResult())).toBe(expected);
    expect(FormattersMap.xenmon.format).toBe(formatXenmon);
    expect(formatXenmon(sampleResult())).toBe(formatXenmon(sampleResult()));
  });

  it("prints one block per window, columns sorted, missing cells as 0, averages never totalled", () => {
    const t: TableResult = {
      columns: ["window", "domain", "pcpu", "cpu_pct", "avg_ns"],
      rows: [[0, 1, 3, 50, 10], [0, 1, 1, 25.5, 20], [0, 2, 1, 10, 30], [1000, 1, 1, 5, 40]],
      notes: [],
    };
    expect(formatXenmon(withTables({ w: t }))).toBe(`Vigil cross-tabs: trace 0.000000000 .. 2.500000000 s (2500000000 ns)

=== w === window 0
  domain              1     3  total
  1       cpu_pct  25.5  50.0   75.5
          avg_ns     20    10      -
  2       cpu_pct  10.0   0.0   10.0
          avg_ns     30     -      -
  total   cpu_pct  35.5  50.0   85.5
          avg_ns      -     -      -

=== w === window 1000
  domain            1  total
  1       cpu_pct   5      5
          avg_ns   40      -
  total   cpu_pct   5      5
          avg_ns    -      -
`);
  });

  it("says so instead of printing a table that has several rows per cell", () => {
    const t: TableResult = { columns: ["domain", "vcpu", "state", "count"], rows: [[0, 0, "running", 3], [0, 0, "blocked", 2]], notes: [] };
    expect(formatXenmon(withTables({ runstates: t }))).toContain("=== runstates ===\n  (not a cross-tab: several rows per (domain, vcpu); print this table with --format table)\n");
  });
});
