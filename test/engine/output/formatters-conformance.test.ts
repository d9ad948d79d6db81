/**
 * One suite every output format runs: golden text, determinism, purity, selection errors.
 * The `.expect` files were generated once and reviewed line by line against the fixture.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type FormatName, FormattersMap, SinksMap } from "../../../engine/output/index.js";
import { REPO } from "../../helpers/shared.js";
import { sampleResult } from "./fixtures/sample-result.js";

const FIXTURES = join(REPO, "test", "engine", "output", "fixtures");

for (const name of Object.keys(FormattersMap) as FormatName[]) {
  const formatter = FormattersMap[name];
  describe(`${name} formatter`, () => {
    it("matches its reviewed golden file", () => {
      const expected = readFileSync(join(FIXTURES, `sample.${name}.expect`), "utf8");
      expect(formatter.format(sampleResult())).toBe(expected);
    });

    it("gives byte-identical output for equal results and leaves the result untouched", () => {
      const a = sampleResult();
      const first = formatter.format(a);
      expect(formatter.format(sampleResult())).toBe(first);
      expect(a).toEqual(sampleResult());
      // By-rule maps filled in another order must not change a byte.
      const b = sampleResult();
      b.stats.suppressed_by_rule = { ept_storm: 1, long_preemption: 2 };
      expect(formatter.format(b)).toBe(first);
    });

    it("rejects an unknown table name and lists the ones the run has", () => {
      expect(() => formatter.format(sampleResult(), { select: { tables: ["exit"] } })).toThrow(
        "Unknown table `exit`: this run has: exits, pointers, empty. Pick one of those names.",
      );
    });

    it("ends with exactly one newline and is registered under the same name in SinksMap", () => {
      const text = formatter.format(sampleResult());
      expect(text.endsWith("\n") && !text.endsWith("\n\n")).toBe(true);
      expect(SinksMap[name]).toBe(formatter);
    });
  });
}
