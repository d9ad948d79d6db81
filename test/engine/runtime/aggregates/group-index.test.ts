import { describe, expect, it } from "vitest";
import { GroupIndex } from "../../../../engine/runtime/aggregates/group-index.js";
import type { FieldValue } from "../../../../engine/model/event.js";

function intern(index: GroupIndex<number>, rows: FieldValue[][]): number[] {
  let next = 0;
  return rows.map((r) => {
    let g = index.find(r);
    if (g === undefined) index.insert(r, (g = next++));
    return g;
  });
}

describe("GroupIndex", () => {
  it("keeps 1, \"1\", 1n, true, null and [1] apart in one column", () => {
    const ids = intern(new GroupIndex<number>(1), [[1], ["1"], [1n], [true], [null], [[1]], [["1"]], [1], ["1"], [1n]]);
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 0, 1, 2]);
  });

  it("treats 0 and -0 as one group, NaN as equal to itself, and equal bigints as one", () => {
    const ids = intern(new GroupIndex<number>(1), [[0], [-0], [NaN], [NaN], [2n ** 64n], [2n ** 64n + 0n]]);
    expect(ids).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it("composes several columns without collisions across column boundaries", () => {
    // A string-joining key would merge ("a,b","c") with ("a","b,c"); a typed key keeps them apart.
    const ids = intern(new GroupIndex<number>(2), [
      ["a,b", "c"], ["a", "b,c"], [1, "1"], ["1", 1], [1, 1n], [1, "1"], [["x", 1], 2], [["x", "1"], 2], [["x", 1], 2],
    ]);
    expect(ids).toEqual([0, 1, 2, 3, 4, 2, 5, 6, 5]);
  });

  it("encodes nested arrays with strings that look like the encoding itself", () => {
    const ids = intern(new GroupIndex<number>(1), [[["s1:a"]], [["a"]], [[["a"]]], [["a", "b"]], [["a,b"]], [["a"]]]);
    expect(ids).toEqual([0, 1, 2, 3, 4, 1]);
  });

  it("holds one group when there are no by-columns", () => {
    expect(intern(new GroupIndex<number>(0), [[], [], []])).toEqual([0, 0, 0]);
  });
});
