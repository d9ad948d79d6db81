/** babeltrace2's timestamp column in each of its shapes → exact (sec, nsec). */
import { describe, expect, it } from "vitest";
import { BtClock } from "../../../../engine/readers/text/babeltrace-clock.js";

function read(clock: BtClock, stamp: string, advance = true) {
  const out = { sec: -1, nsec: -1, timed: false };
  const end = clock.read(`[${stamp}]`, 1, out, advance);
  return end < 0 ? null : { ...out, shape: clock.shape };
}

describe("BtClock", () => {
  it("--clock-seconds: exact epoch ns, negative times normalised", () => {
    const c = new BtClock();
    expect(read(c, "1715945442.403476789")).toEqual({ sec: 1715945442, nsec: 403476789, timed: true, shape: "seconds" });
    expect(read(c, "-1.250000000")).toEqual({ sec: -2, nsec: 750000000, timed: true, shape: "seconds" });
  });

  it("--clock-date: a UTC date and time", () => {
    expect(read(new BtClock(), "2024-05-17 11:30:42.403476789")).toEqual({ sec: 1715945442, nsec: 403476789, timed: true, shape: "date" });
  });

  it("--clock-cycles: 20 digits read as ns", () => {
    expect(read(new BtClock(), "00000263442153476789")).toEqual({ sec: 263442, nsec: 153476789, timed: true, shape: "cycles" });
  });

  it("time of day: counts days from the first line and notices midnight", () => {
    const c = new BtClock();
    expect(read(c, "23:59:59.999999999")).toMatchObject({ sec: 86399, nsec: 999999999 });
    expect(read(c, "23:59:58.000000000")).toMatchObject({ sec: 86398 }); // small step back: same day
    expect(read(c, "00:00:00.000000001")).toMatchObject({ sec: 86400, nsec: 1 }); // midnight passed
    expect(read(c, "23:00:00.000000000", false)).toMatchObject({ sec: 86400 + 82800 }); // a peek does not move the day
    expect(read(c, "00:00:01.000000000")).toMatchObject({ sec: 86401 });
  });

  it("no clock snapshot is untimed; junk is refused", () => {
    expect(read(new BtClock(), "??:??:??.?????????")).toMatchObject({ timed: false });
    expect(read(new BtClock(), "25:00:00.000000000")).toBeNull();
    expect(read(new BtClock(), "12:00:00.0000")).toBeNull();
    expect(read(new BtClock(), "abc")).toBeNull();
  });
});
