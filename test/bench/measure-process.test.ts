/**
 * bench/measure-process.ts: that what `/usr/bin/time` reports is parsed into the right fields.
 * A parser test, not a timing test: the child's known lower bounds (it sleeps, it holds memory,
 * it spins) are asserted, never an upper bound, so a loaded machine cannot make it fail.
 */
import { describe, expect, it } from "vitest";
import { bestOf, measureProcess } from "../../bench/measure-process.js";

// Holds ~64 MiB of touched memory, spins until it has used 150 ms of CPU (measured by the
// kernel, as time's figure is, so preemption on a loaded machine cannot shorten it), sleeps
// 200 ms, then prints a line.
const CHILD = `
const b = Buffer.alloc(64 * 1024 * 1024, 1);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
while (cpu() < 150) {}
setTimeout(() => { console.log("child saw " + b[b.length - 1]); }, 200);
`;

describe("measureProcess", () => {
  it("parses wall, CPU, peak RSS and captures stdout", () => {
    const t = measureProcess([process.execPath, "-e", CHILD], { captureStdout: true });
    expect(t.wallSeconds).toBeGreaterThanOrEqual(0.2);
    expect(t.cpuSeconds).toBeGreaterThanOrEqual(0.14); // 150 ms, less time's 10 ms resolution
    expect(t.maxRssKiB).toBeGreaterThanOrEqual(50 * 1024);
    expect(t.stdout).toBe("child saw 1\n");
  });

  it("discards stdout unless asked, and ignores what the command writes on stderr", () => {
    const t = measureProcess([process.execPath, "-e", 'console.log("out"); console.error("1 2 3 4")']);
    expect(t.stdout).toBe("");
    expect(t.maxRssKiB).toBeGreaterThan(1024);
  });

  it("throws with the command, the hint and its stderr when it fails", () => {
    expect(() => measureProcess([process.execPath, "-e", 'console.error("broken input"); process.exit(3)'], { hint: "is it installed?" })).toThrow(
      /node.* failed \(is it installed\?\):[\s\S]*broken input/,
    );
  });
});

describe("bestOf", () => {
  it("keeps the run with the smallest key, the first of equals", () => {
    const runs = [{ s: 3, id: "a" }, { s: 1, id: "b" }, { s: 2, id: "c" }, { s: 1, id: "d" }];
    let i = 0;
    expect(bestOf(4, () => runs[i++]!, (r) => r.s).id).toBe("b");
    expect(i).toBe(4);
  });

  it("refuses zero rounds", () => {
    expect(() => bestOf(0, () => 1, (x) => x)).toThrow(RangeError);
  });
});
