/** The operators generated code calls: exact 64-bit bit operations and mixed arithmetic. */
import { describe, expect, it } from "vitest";
import { B, norm } from "../../../engine/runtime/builtins.js";

describe("builtins", () => {
  it("& is exact on every safe integer and on 64-bit bigints", () => {
    let s = 7;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 2000; i++) {
      const a = Math.floor(rnd() * 2 ** 53), b = Math.floor(rnd() * 2 ** (1 + Math.floor(rnd() * 53)));
      expect(B.band(a, b)).toBe(norm(BigInt(a) & BigInt(b)));
    }
    expect(B.band(0xffffffffffff0000n, 0xffff_ffffn)).toBe(0xffff0000);
    expect(B.band(0x100, 0xff)).toBe(0);
  });

  it("arithmetic mixes numbers, bigints and booleans without throwing", () => {
    expect(B.add(1, 2)).toBe(3);
    expect(B.add(2n ** 60n, 1)).toBe(2n ** 60n + 1n);
    expect(B.sub(2n ** 53n + 2n, 2n ** 53n)).toBe(2);
    expect(B.mul(true, 5)).toBe(5);
    expect(B.mul(false, 5)).toBe(0);
    expect(B.div(1, 0)).toBeNull();
    expect(B.add("vm-", 3)).toBe("vm-3");
    expect(B.add(null, 3)).toBeNull();
  });

  it("sqrt of numbers and bigints; null for negatives and non-numbers", () => {
    expect([B.fn_sqrt(16), B.fn_sqrt(2), B.fn_sqrt(10n ** 20n), B.fn_sqrt(0), B.fn_sqrt(-1), B.fn_sqrt("4"), B.fn_sqrt(null)])
      .toEqual([4, Math.SQRT2, 1e10, 0, null, null, null]);
  });
});
