/** perf script text: line heads, and the real kvm irq-injection snippet. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PerfScriptDecoder } from "../../../../engine/readers/text/decode-perf.js";
import { EventSlot, LINE_ERROR, LINE_SKIP } from "../../../../engine/readers/text/line-decoder.js";
import { perfScriptReader } from "../../../../engine/readers/text/perf-reader.js";
import { sharedPath } from "../../../helpers/shared.js";
import { decodeOne, readAll } from "./read-text.js";

const one = (line: string) => decodeOne(new PerfScriptDecoder(), line);

describe("perf script line heads", () => {
  it("COMM TID [CPU] SEC.USEC: SUBSYS:EVENT: with the name right-aligned", () => {
    expect(one(" kworker/5:2-eve 429543 [005] 108229.924107:         kvm:kvm_set_irq: gsi 4 level 1 source 0")).toEqual({
      sec: 108229,
      nsec: 924107000,
      ev: { name: "kvm_set_irq", ts: 0, cpu: 5, host: 0, fields: { gsi: 4, level: 1, irq_source_id: 0 }, context: { tid: 429543, comm: "kworker/5:2-eve", pid: undefined } },
    });
  });

  it("PID/TID, --ns timestamps, a period column and comms with blanks", () => {
    expect(one("       CPU 0/KVM  2339/2342  [000] 263442.153476789:          1 kvm:kvm_inj_virq: irq 37")).toMatchObject({
      sec: 263442,
      nsec: 153476789,
      ev: { name: "kvm_inj_virq", fields: { irq: 37 }, context: { tid: 2342, pid: 2339, comm: "CPU 0/KVM" } },
    });
  });

  it("skips callchains and headers; says what it expected otherwise", () => {
    const d = new PerfScriptDecoder();
    const slot = new EventSlot(0);
    expect(d.decode("\t    ffffffff8108a2b1 __schedule+0x2b1 ([kernel.kallsyms])", slot)).toBe(LINE_SKIP);
    expect(d.decode("# ========", slot)).toBe(LINE_SKIP);
    expect(d.decode("            bash-1234 [000] 1.000001: sched:sched_switch: x", slot)).toBe(LINE_ERROR);
    expect(d.error).toMatch(/no blank between COMM and TID; expected `COMM TID \[CPU\]/);
  });
});

describe("kvm-text-snippets/perf-script-kvm-irq-injection.txt", () => {
  it("reads the 36 samples with the right names and fields", async () => {
    const path = sharedPath("traces/kvm-text-snippets/perf-script-kvm-irq-injection.txt");
    const r = await readAll(perfScriptReader, path);
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(r.issues).toEqual([]);
    expect(r.events).toHaveLength(lines.length);
    expect(r.events.map((e) => e.name)).toEqual(lines.map((l) => /kvm:(\w+):/.exec(l)![1]));
    const counts: Record<string, number> = {};
    for (const e of r.events) counts[e.name] = (counts[e.name] ?? 0) + 1;
    expect(counts).toEqual({ kvm_apic_accept_irq: 8, kvm_set_irq: 8, kvm_ioapic_set_irq: 8, kvm_pic_set_irq: 8, kvm_inj_virq: 4 }); // grep -c per name
    expect(r.events[0]).toMatchObject({ cpu: 4, fields: { apicid: 0, vec: 236, dm: 0, tm: 0, coalesced: 0 }, context: { tid: 426566, comm: "dbs_load_kernel" } });
    expect(r.events.filter((e) => e.name === "kvm_inj_virq").map((e) => e.fields.irq)).toEqual([52, 52, 52, 52]);
    expect(r.events.find((e) => e.name === "kvm_ioapic_set_irq")!.fields).toEqual({ pin: 4, dst: 0, vec: 0, flags: "Fixed|physical|edge|masked" });
    // the two captures are ~4879 s apart; times stay exact µs
    expect(r.first).toBe(108229766087000n);
    expect(r.events.at(-1)!.ts).toBe(Number(113108815849000n - 108229766087000n));
  });

  it("is not taken for an ftrace file, nor an ftrace file for it", async () => {
    const perf = readFileSync(sharedPath("traces/kvm-text-snippets/perf-script-kvm-irq-injection.txt"));
    const ftrace = readFileSync(sharedPath("traces/kvm-text-snippets/ftrace-kvm-nested-lkml-2023.txt"));
    expect(perfScriptReader.detect("x", perf, false)).toBe(true);
    expect(perfScriptReader.detect("x", ftrace, false)).toBe(false);
  });
});
