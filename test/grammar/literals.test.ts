import { describe, expect, it } from "vitest";
import { durationNs, intValue, sizeBytes, unescapeString } from "../../grammar/literals.js";
import { expectReject, parseExprOk } from "./helpers.js";

describe("literal values", () => {
  it("keeps integers above 2^53 exact", () => {
    const e = parseExprOk("0xffffffffffffffff");
    expect(e).toMatchObject({ kind: "Int", value: 18446744073709551615n, text: "0xffffffffffffffff" });
    expect(intValue("9007199254740993")).toBe(9007199254740993n); // 2^53 + 1: not representable as a number
  });

  it("converts every duration unit to nanoseconds", () => {
    const ns = (t: string) => ("ns" in durationNs(t) ? (durationNs(t) as { ns: bigint }).ns : null);
    expect([ns("7ns"), ns("250us"), ns("10ms"), ns("1s"), ns("5min"), ns("2h")]).toEqual([
      7n, 250_000n, 10_000_000n, 1_000_000_000n, 300_000_000_000n, 7_200_000_000_000n,
    ]);
    expect(ns("1.5ms")).toBe(1_500_000n);
    expect(ns("0.25us")).toBe(250n);
    expect(ns("1.5ns")).toBeNull();
  });

  it("reports a duration that is not a whole number of nanoseconds (VGL103)", () => {
    expect(expectReject("const t = 2.0001us", "VGL103", 1, 11).message).toBe("`2.0001us` is not a whole number of nanoseconds");
  });

  it("uses powers of 1024 for KiB-style sizes and of 1000 for KB-style", () => {
    expect([sizeBytes("1B"), sizeBytes("64KiB"), sizeBytes("2MiB"), sizeBytes("1GiB"), sizeBytes("1TiB")]).toEqual([
      1n, 65_536n, 2_097_152n, 1_073_741_824n, 1_099_511_627_776n,
    ]);
    expect([sizeBytes("64KB"), sizeBytes("2MB"), sizeBytes("3GB")]).toEqual([64_000n, 2_000_000n, 3_000_000_000n]);
    expect(parseExprOk("64KiB")).toMatchObject({ kind: "Size", bytes: 65_536n, text: "64KiB" });
  });

  it("unescapes strings", () => {
    expect(unescapeString('"a\\"b\\\\c\\nd\\te"').value).toBe('a"b\\c\nd\te');
    expect(parseExprOk('"tab\\there"')).toMatchObject({ kind: "Str", value: "tab\there" });
  });

  it("reads booleans, null and floats", () => {
    expect(parseExprOk("true")).toMatchObject({ kind: "Bool", value: true });
    expect(parseExprOk("false")).toMatchObject({ kind: "Bool", value: false });
    expect(parseExprOk("null").kind).toBe("Null");
    expect(parseExprOk("0.75")).toMatchObject({ kind: "Float", value: 0.75 });
  });
});
