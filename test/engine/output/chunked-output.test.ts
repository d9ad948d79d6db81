/**
 * JSON and CSV of a long run are written in pieces (one JavaScript string holds at most about
 * 512 MB, and `vigil run -f json` of a few million intervals is more): every registered format's
 * `write` must hand over exactly the bytes of `format`, and the large formats in pieces of
 * about a megabyte, never the whole text at once.
 */
import { describe, expect, it } from "vitest";
import { FormattersMap } from "../../../engine/output/index.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { sampleResult } from "./fixtures/sample-result.js";

/** The sample result with 40,000 more intervals and segments (2.5 MB of CSV, more of JSON). */
function bigResult(): RunResult {
  const r = sampleResult();
  const n = 40_000;
  r.states.vcpu = [...r.states.vcpu!, ...Array.from({ length: n }, (_, i) => ({ key: 2000 + (i % 8), state: i % 2 ? "guest" : "host", start: i * 10, end: i * 10 + 7, fields: { vm: i % 3, reason: `r,"${i}"` } }))];
  r.segments.exit_handling = [...r.segments.exit_handling!, ...Array.from({ length: n }, (_, i) => ({ start: i, end: i + 5, fields: { vm: 7, reason: "HLT" } }))];
  return r;
}

describe("output in pieces", () => {
  for (const [name, f] of Object.entries(FormattersMap)) {
    it(`${name}: write gives the bytes of format`, () => {
      for (const result of [sampleResult(), bigResult()]) {
        const chunks: string[] = [];
        f.write(result, {}, (c) => chunks.push(c));
        expect(chunks.join("")).toBe(f.format(result));
      }
    });
  }

  for (const name of ["json", "csv"] as const) {
    it(`${name}: a large result comes in pieces of about a megabyte`, () => {
      const chunks: string[] = [];
      FormattersMap[name].write(bigResult(), {}, (c) => chunks.push(c));
      const total = chunks.reduce((a, c) => a + c.length, 0);
      expect(total).toBeGreaterThan(2_000_000);
      expect(chunks.length).toBeGreaterThanOrEqual(Math.floor(total / (1 << 20)));
      // a piece is flushed as soon as it reaches 1 MiB, so it exceeds that by one record at most
      for (const c of chunks) expect(c.length).toBeLessThan((1 << 20) + 4096);
    });
  }
});
