/**
 * The CTF reader through the shared conformance suite, plus detection, session directories,
 * what an event carries (context, cpu, schema) and the pooling of event objects.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { TraceEvent } from "../../../../engine/model/event.js";
import { chooseOrigin } from "../../../../engine/model/time.js";
import { ctfReader } from "../../../../engine/readers/ctf/index.js";
import { BATCH_SIZE } from "../../../../engine/readers/ctf/ctf-source.js";
import { isLoss, type ReadIssue } from "../../../../engine/readers/source.js";
import { sharedPath } from "../../../helpers/shared.js";
import { testReader, type OpenFn } from "../conformance.js";

const openCtf: OpenFn = async (path, onIssue) => {
  const sources = await ctfReader.open(path, { onIssue });
  for (const s of sources) await s.open();
  return sources;
};

const succeed = (t: string) => sharedPath("traces", "babeltrace-tests", "tests", "data", "ctf-traces", "succeed", t);

testReader("ctf", openCtf, [
  { label: "LTTng 2.11 session (kernel/ and ust/ traces)", path: succeed("multi-domains"), events: 4272, hostIds: ["multi-domains/kernel", "multi-domains/ust"] },
  { label: "lttng-ust 2.3 with discarded events", path: sharedPath("traces", "tct-hello-lost", "ctf"), events: 32300, hostIds: ["ctf"] },
  { label: "32-bit ARM kernel", path: sharedPath("traces", "tct-bug446190", "ctf"), events: 31556, hostIds: ["ctf"] },
  { label: "rotated tracefiles", path: succeed("lttng-tracefile-rotation"), events: 12305, hostIds: ["lttng-tracefile-rotation"] },
]);

describe("CTF reader", () => {
  test("detects trace directories, session directories above them, and metadata files; nothing else", () => {
    const sim = sharedPath("traces", "simulated-kvm-host", "ctf", "kernel");
    expect(ctfReader.detect(sim, new Uint8Array(0), true)).toBe(true);
    expect(ctfReader.detect(sharedPath("traces", "simulated-kvm-host"), new Uint8Array(0), true)).toBe(true);
    const md = join(sim, "metadata");
    expect(ctfReader.detect(md, readFileSync(md).subarray(0, 64), false)).toBe(true);
    const packetized = sharedPath("traces", "tct-hello-lost", "ctf", "metadata");
    expect(ctfReader.detect(packetized, readFileSync(packetized).subarray(0, 64), false)).toBe(true);
    expect(ctfReader.detect(sharedPath("traces", "kvm-text-snippets"), new Uint8Array(0), true)).toBe(false);
    const txt = sharedPath("traces", "simulated-kvm-host", "trace.txt");
    expect(ctfReader.detect(txt, readFileSync(txt).subarray(0, 64), false)).toBe(false);
  });

  test("events carry the payload, the LTTng context (procname as comm) and the packet's cpu; the schema lists every class", async () => {
    const issues: ReadIssue[] = [];
    const [src] = await openCtf(sharedPath("traces", "simulated-kvm-host", "ctf", "kernel"), (i) => issues.push(i));
    expect(src.schema?.map((c) => c.name).sort()).toContain("kvm_x86_exit");
    const exitSchema = src.schema?.find((c) => c.name === "kvm_x86_exit");
    expect(exitSchema?.fields).toEqual([
      { name: "exit_reason", type: "uint" },
      { name: "guest_rip", type: "uint" },
      { name: "isa", type: "uint" },
      { name: "info1", type: "uint" },
      { name: "info2", type: "uint" },
      { name: "intr_info", type: "uint" },
      { name: "error_code", type: "uint" },
      { name: "vcpu_id", type: "uint" },
    ]);
    const origin = chooseOrigin([src.first]);
    let first: TraceEvent | null = null;
    for await (const batch of src.batches(origin, 0)) {
      const e = batch.find((x) => !isLoss(x)) as TraceEvent;
      first = { ...e, fields: { ...e.fields }, context: { ...e.context } };
      break;
    }
    // The first event of the trace, as babeltrace2 prints it.
    expect(first).toEqual({
      name: "kvm_x86_exit",
      ts: 0,
      cpu: 0,
      host: 0,
      fields: { exit_reason: 1, guest_rip: 18446744071612343763n, isa: 1, info1: 0, info2: 0, intr_info: 2147483899, error_code: 0, vcpu_id: 0 },
      context: { tid: 2342, pid: 2339, comm: "CPU 0/KVM" },
    });
    expect(issues).toEqual([]);
  });

  test("event objects are pooled: distinct within a batch, reused from the next batch on (no per-event allocation)", async () => {
    const [src] = await openCtf(sharedPath("traces", "simulated-kvm-host", "ctf", "kernel"), () => {});
    const seen = new Set<object>();
    // Per class, the most events one batch held: the objects the pool needs for that class.
    const most = new Map<string, number>();
    let events = 0;
    for await (const batch of src.batches(chooseOrigin([src.first]), 0)) {
      expect(new Set(batch).size).toBe(batch.length);
      const counts = new Map<string, number>();
      for (const e of batch) {
        seen.add(e);
        if (!isLoss(e)) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
      }
      for (const [name, n] of counts) most.set(name, Math.max(most.get(name) ?? 0, n));
      events += batch.length;
    }
    expect(events).toBe(150002);
    // Released at each new batch, the pool reuses its objects from the start of each class's
    // ring: it never holds more than the largest batch needed, whatever the trace's length.
    expect(seen.size).toBe([...most.values()].reduce((a, b) => a + b, 0));
    expect(seen.size).toBeLessThan(2 * BATCH_SIZE);
  });

  test("a metadata syntax error is an error issue with the file and line, and no source", async () => {
    const issues: ReadIssue[] = [];
    const sources = await openCtf(sharedPath("traces", "babeltrace-tests", "tests", "data", "ctf-traces", "fail", "metadata-syntax-error"), (i) => issues.push(i));
    expect(sources).toEqual([]);
    expect(issues).toMatchObject([{ severity: "error", line: 3, file: expect.stringMatching(/metadata-syntax-error\/metadata$/), message: expect.stringMatching(/Expected an attribute name, found `]` at column 58/) }]);
  });

  test("loss markers sit in time order among the events, with counts and ranges", async () => {
    const [src] = await openCtf(sharedPath("traces", "tct-hello-lost", "ctf"), () => {});
    const losses = [];
    for await (const b of src.batches(chooseOrigin([src.first]), 0)) losses.push(...b.filter(isLoss));
    expect(losses).toHaveLength(562);
    for (const l of losses) {
      expect(l.count).toBeGreaterThan(0);
      expect(l.end).toBeGreaterThanOrEqual(l.start);
      expect([0, 1, 2, 3]).toContain(l.cpu);
    }
  });
});
