import { describe, expect, it } from "vitest";
import { compareFieldValues } from "../../../../engine/runtime/aggregates/compare-values.js";
import type { FieldValue } from "../../../../engine/model/event.js";

describe("compareFieldValues", () => {
  it("orders kinds null < bool < numbers < strings < arrays, numbers by value across number/bigint", () => {
    const values: FieldValue[] = ["b", 10, [1], 2n, null, "a", true, 2, 1.5, NaN, -3n, false, "B", [0, 5], 2n ** 70n];
    const sorted = [...values].sort(compareFieldValues);
    expect(sorted).toEqual([null, false, true, -3n, 1.5, 2, 2n, 10, 2n ** 70n, NaN, "B", "a", "b", [0, 5], [1]]);
  });

  it("is antisymmetric and zero only for the same value", () => {
    const values: FieldValue[] = [1, 1n, "1", -0, 0, "", [], [1], null, true];
    for (const a of values) {
      for (const b of values) {
        const ab = Math.sign(compareFieldValues(a, b));
        const ba = Math.sign(compareFieldValues(b, a));
        expect(ab + ba).toBe(0);
        const same =
          Object.is(a, b) || (a === 0 && b === 0) || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.length === 0);
        expect(ab === 0).toBe(same);
      }
    }
  });
});
