import { describe, expect, it } from "vitest";
import { formatJson } from "../../../engine/output/json-formatter.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { sampleResult } from "./fixtures/sample-result.js";

function emptyResult(): RunResult {
  return {
    origin: 0n, first: 0, last: 0, states: {}, segments: {}, tables: {}, alerts: [], hosts: [], losses: [],
    stats: { events: 0, late: 0, lost: 0, suppressed_alerts: 0, suppressed_by_rule: {}, overflow_by_rule: {}, action_failures: 0 },
  };
}

describe("formatJson", () => {
  it("follows the contract's key order at every level", () => {
    const doc = JSON.parse(formatJson(sampleResult()));
    expect(Object.keys(doc)).toEqual(["origin", "states", "segments", "tables", "alerts", "stats"]);
    expect(Object.keys(doc.states.vcpu[0])).toEqual(["key", "state", "start", "end", "vm", "id"]);
    expect(Object.keys(doc.segments.exit_handling[0])).toEqual(["start", "end", "duration", "vm", "reason", "fields.duration"]);
    expect(Object.keys(doc.alerts[0])).toEqual(["rule", "severity", "ts", "message", "vm", "fields.ts"]);
    expect(Object.keys(doc.stats).slice(0, 4)).toEqual(["events", "late", "lost", "suppressed_alerts"]);
  });

  it("writes the origin and every bigint as an exact decimal string", () => {
    const r = sampleResult();
    const huge = 2n ** 64n + 12345n; // not representable as a double
    r.tables.pointers.rows[0][0] = huge;
    r.origin = 9_007_199_254_740_993n; // 2^53 + 1
    const doc = JSON.parse(formatJson(r));
    expect(doc.origin).toBe("9007199254740993");
    expect(doc.tables.pointers[0].ptr).toBe(huge.toString());
    expect(BigInt(doc.tables.pointers[0].ptr)).toBe(huge);
    expect(doc.states.nested[0].cr3).toBe((0xffff_8880_1234_5000n).toString());
    expect(doc.alerts[1].vcpu).toBe("1");
  });

  it("writes non-finite numbers as null and keeps times as integer ns from the origin", () => {
    const doc = JSON.parse(formatJson(sampleResult()));
    expect(doc.tables.pointers.map((row: Record<string, unknown>) => row["first(rip)"])).toEqual([null, null]);
    expect(doc.segments.exit_handling.map((s: { duration: number }) => s.duration)).toEqual([250_000, 250, 1]);
    expect(doc.alerts[1].ts).toBe(2_000_000_001);
  });

  it("round-trips strings with quotes and line breaks", () => {
    const doc = JSON.parse(formatJson(sampleResult()));
    expect(doc.segments.exit_handling[2].reason).toBe('say "hi"\nbye');
  });

  it("with a selection keeps origin and stats and only the selected parts", () => {
    const doc = JSON.parse(formatJson(sampleResult(), { select: { tables: ["pointers"] } }));
    expect(Object.keys(doc)).toEqual(["origin", "tables", "stats"]);
    expect(Object.keys(doc.tables)).toEqual(["pointers"]);
    const states = JSON.parse(formatJson(sampleResult(), { select: { states: true } }));
    expect(Object.keys(states)).toEqual(["origin", "states", "stats"]);
  });

  it("renders an empty run as a complete document", () => {
    expect(formatJson(emptyResult())).toBe(
      [
        "{",
        '  "origin": "0",',
        '  "states": {},',
        '  "segments": {},',
        '  "tables": {},',
        '  "alerts": [],',
        '  "stats": {',
        '    "events": 0,',
        '    "late": 0,',
        '    "lost": 0,',
        '    "suppressed_alerts": 0,',
        '    "suppressed_by_rule": {},',
        '    "overflow_by_rule": {},',
        '    "action_failures": 0,',
        '    "uncertain": false,',
        '    "hosts": [],',
        '    "losses": [],',
        '    "table_notes": {}',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("names repeated table columns apart instead of writing duplicate keys", () => {
    const r = emptyResult();
    r.tables.t = { columns: ["count", "count", "count_2"], rows: [[1, 2, 3]], notes: [] };
    const doc = JSON.parse(formatJson(r));
    expect(doc.tables.t).toEqual([{ count: 1, count_2: 2, count_2_2: 3 }]);
  });
});
