/**
 * The text medium: the same events whatever the chunking (stdin-like streams cut anywhere,
 * even inside a UTF-8 character), located issues for bad or cut lines, losses, order.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { babeltraceTextReader } from "../../../../engine/readers/text/babeltrace-reader.js";
import { ftraceReader } from "../../../../engine/readers/text/ftrace-reader.js";
import { sharedPath } from "../../../helpers/shared.js";
import { readAll, show } from "./read-text.js";

const HEAD = "# tracer: nop\n#\n";
const L = (comm: string, tid: number, cpu: number, ts: string, rest: string): string => `${comm.padStart(16)}-${String(tid).padEnd(5)} [${String(cpu).padStart(3, "0")}] d..2 ${ts}: ${rest}\n`;

describe("chunk boundaries", () => {
  it("gives the same events for every chunking of a real trace, UTF-8 included", async () => {
    const real = readFileSync(sharedPath("traces/tracecompass-ftrace-text/trace-android-sched-irq"), "utf8");
    const text = real + L("café-ünïcødé", 77, 1, "108279.999999", "sched_waking: comm=naïve pid=78 prio=120 target_cpu=001");
    const whole = await readAll(ftraceReader, "-", text, [1 << 20]);
    expect(whole.issues).toEqual([]);
    expect(whole.events.at(-1)!.context!.comm).toBe("café-ünïcødé");
    expect(whole.events.at(-1)!.fields.comm).toBe("naïve");
    const ref = show(whole.events);
    for (const sizes of [[1], [2, 3], [7], [13, 1, 64], [4095], [100, 1, 1, 999]]) {
      const r = await readAll(ftraceReader, "-", text, sizes);
      expect({ sizes, issues: r.issues }).toEqual({ sizes, issues: [] });
      expect(show(r.events)).toBe(ref);
      expect(r.first).toBe(whole.first);
    }
  });

  it("reads a file source twice the same way, and a stream once", async () => {
    const path = sharedPath("traces/tracecompass-ftrace-text/trace-critical-path");
    const [src] = await ftraceReader.open(path, { onIssue: () => {} });
    await src!.open();
    const count = async (): Promise<number> => {
      let n = 0;
      for await (const b of src!.batches(src!.first!, 0)) n += b.length;
      return n;
    };
    expect(await count()).toBe(146);
    expect(await count()).toBe(146);
  });
});

describe("bad input", () => {
  it("reports each bad line with its number and what was expected, and keeps going", async () => {
    const text = HEAD + L("a", 1, 0, "10.000001", "sched_waking: comm=b pid=2 prio=120 target_cpu=000") + "garbage here\n" + L("a", 1, 0, "10.000003", "irq_handler_entry: irq=1 name=x");
    const r = await readAll(ftraceReader, "-", text);
    expect(r.events.map((e) => e.name)).toEqual(["sched_waking", "irq_handler_entry"]);
    expect(r.issues).toEqual([{ severity: "error", file: "<stdin>", line: 4, message: expect.stringMatching(/^bad ftrace line: no \[CPU\] column; expected `COMM-TID/) }]);
  });

  it("a last line cut mid-event is an error naming the cut; what came before is delivered", async () => {
    const good = HEAD + L("a", 1, 0, "10.000001", "irq_handler_entry: irq=1 name=x");
    const cut = good + "               a-1     [000] d..2 10.0";
    const r = await readAll(ftraceReader, "-", cut);
    expect(r.events).toHaveLength(1);
    expect(r.issues).toEqual([{ severity: "error", file: "<stdin>", line: 4, message: expect.stringContaining("the input ends mid-line (truncated?)") }]);
  });

  it("bounds the number of line issues and sums up the rest", async () => {
    const r = await readAll(ftraceReader, "-", HEAD + L("a", 1, 0, "1.000001", "irq_handler_entry: irq=1 name=x") + "bad\n".repeat(250));
    expect(r.issues).toHaveLength(201);
    expect(r.issues.at(-1)!.message).toBe("250 bad lines in all; only the first 200 were reported");
  });

  it("delivers out-of-order events as they are and reports them once", async () => {
    const text = HEAD + L("a", 1, 0, "10.000005", "irq_handler_entry: irq=1 name=x") + L("a", 1, 1, "10.000002", "irq_handler_entry: irq=2 name=y") + L("a", 1, 1, "10.000001", "irq_handler_entry: irq=3 name=z");
    const r = await readAll(ftraceReader, "-", text);
    expect(r.events.map((e) => e.ts)).toEqual([0, -3000, -4000]);
    expect(r.issues).toEqual([expect.objectContaining({ severity: "warning", line: 4, message: expect.stringMatching(/^2 event\(s\) out of timestamp order/) })]);
  });
});

describe("losses", () => {
  it("places an ftrace `[LOST N EVENTS]` between the CPU's last event and its next one", async () => {
    const text =
      HEAD +
      L("a", 1, 2, "10.000001", "irq_handler_entry: irq=1 name=x") +
      L("b", 2, 3, "10.000002", "irq_handler_entry: irq=1 name=x") +
      "CPU:2 [LOST 17 EVENTS]\n" +
      L("b", 2, 3, "10.000004", "irq_handler_exit: irq=1 ret=handled") +
      L("a", 1, 2, "10.000009", "irq_handler_exit: irq=1 ret=handled") +
      "CPU:3 [LOST 5 EVENTS]\n";
    const r = await readAll(ftraceReader, "-", text);
    expect(r.issues).toEqual([]);
    expect(r.losses).toEqual([
      { kind: "loss", host: 0, cpu: 2, start: 0, end: 8000, count: 17 },
      { kind: "loss", host: 0, cpu: 3, start: 3000, end: 8000, count: 5 },
    ]);
  });

  it("turns babeltrace2's discarded-events warning into a timed loss", async () => {
    const text =
      "[19:16:02.352676000] (+?.?????????) h ev: { cpu_id = 0 }, { a = 1 }\n" +
      'WARNING: Tracer discarded 728 events between [19:16:02.352676346] and [19:16:33.426663981] in trace "joraj-alpa/kernel" (UUID: 830f2129-77d5-cb4e-90cf-b0754d8ce889) within stream "/x/kernel/kernel_channel_0" (stream class ID: 0, stream ID: 0).\n' +
      "[19:16:33.500000000] (+31.147324000) h ev: { cpu_id = 0 }, { a = 2 }\n";
    const r = await readAll(babeltraceTextReader, "-", text);
    expect(r.issues).toEqual([]);
    expect(r.losses).toEqual([{ kind: "loss", host: 0, cpu: 0, start: 346, end: 31073987981, count: 728 }]);
    expect(r.events.map((e) => e.fields.a)).toEqual([1, 2]);
  });
});
