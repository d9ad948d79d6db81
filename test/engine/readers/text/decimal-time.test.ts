/** Timestamps parsed digit by digit: exact ns whatever the magnitude. */
import { describe, expect, it } from "vitest";
import { absNs, clockShape, scanSeconds } from "../../../../engine/readers/text/decimal-time.js";

function read(text: string): { sec: number; nsec: number; end: number; integer: boolean } {
  const out = { sec: -1, nsec: -1 };
  const end = scanSeconds(text, 0, text.length, out);
  return { ...out, end, integer: clockShape.integer };
}

describe("scanSeconds", () => {
  it("12345.678901 is 12345678901000 ns exactly", () => {
    const r = read("12345.678901:");
    expect(r).toEqual({ sec: 12345, nsec: 678901000, end: 12, integer: false });
    expect(absNs(r.sec, r.nsec)).toBe(12345678901000n);
  });

  it("keeps every ns where a float would not (uptime beyond 2^53 ns = 104 days)", () => {
    const text = "9876543.123456789";
    const r = read(text);
    expect(absNs(r.sec, r.nsec)).toBe(9876543123456789n);
    expect(Math.round(Number(text) * 1e9)).not.toBe(9876543123456789); // what parseFloat would give
  });

  it.each([
    ["263442.153476789", 263442, 153476789],
    ["1.5", 1, 500000000],
    ["0.000001", 0, 1000],
    ["108229.766087", 108229, 766087000],
  ])("%s", (text, sec, nsec) => {
    expect(read(text)).toMatchObject({ sec, nsec, end: text.length });
  });

  it("reads an integer clock (trace_clock counter / x86-tsc) as ns, exactly, and says so", () => {
    expect(read("123456789012345678:")).toEqual({ sec: 123456789, nsec: 12345678, end: 18, integer: true });
    expect(read("42")).toEqual({ sec: 0, nsec: 42, end: 2, integer: true });
  });

  it.each(["", ".5", "12.", "1.1234567890", "abc"])("rejects %j", (text) => {
    expect(read(text).end).toBe(-1);
  });
});
