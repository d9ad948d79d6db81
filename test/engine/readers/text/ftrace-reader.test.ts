/**
 * The trace-cmd/ftrace text reader on real and simulated traces: every shared text trace reads
 * without errors, and the simulated kvm host's trace.txt gives exactly what its truth.json says.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../engine/model/event.js";
import { ftraceReader } from "../../../../engine/readers/text/ftrace-reader.js";
import { sharedPath } from "../../../helpers/shared.js";
import { readAll, type ReadResult } from "./read-text.js";

const TC = ["ftrace_syscalls.txt", "trace-android-sched", "trace-android-sched-irq", "trace-android-sched-irq-syscall", "trace-critical-path", "trace-func-graph"];

/** Lines that are events in a trace file: not blank, not `#` comments, not trace-cmd's `cpus=N`. */
function eventLines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#") && !/^cpus=\d+$/.test(l));
}

describe("Trace Compass ftrace text traces", () => {
  for (const name of TC) {
    it(`${name}: one event per event line, no error`, async () => {
      const path = sharedPath("traces/tracecompass-ftrace-text", name);
      const r = await readAll(ftraceReader, path);
      const lines = eventLines(path);
      expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
      expect(r.events.length).toBe(lines.length);
      // the per-line event names are the ones printed (syscall tracer lines renamed to their tracepoints)
      const printed = lines.map((l) => /\d+\.\d+: (\w+)/.exec(l)![1]!);
      expect(r.events.map((e) => e.name.replace(/^sys_(enter|exit)_/, "sys_"))).toEqual(printed);
      // timestamps are exact µs → ns and non-decreasing
      for (let i = 1; i < r.events.length; i++) expect(r.events[i]!.ts).toBeGreaterThanOrEqual(r.events[i - 1]!.ts);
    });
  }

  it("trace-func-graph ends without a newline: its last event is kept and the cut is reported", async () => {
    const path = sharedPath("traces/tracecompass-ftrace-text", "trace-func-graph");
    expect(readFileSync(path, "utf8").endsWith("\n")).toBe(false);
    const r = await readAll(ftraceReader, path);
    expect(r.issues).toEqual([expect.objectContaining({ severity: "warning", line: 200, message: expect.stringContaining("does not end with a newline") })]);
    const last = /func=0x([0-9a-f]+) .*depth=(\d+)$/.exec(readFileSync(path, "utf8"))!;
    expect(r.events.at(-1)!.fields).toMatchObject({ func: BigInt("0x" + last[1]), depth: Number(last[2]) });
  });

  it("decodes sched, softirq and syscall payloads into LTTng-named fields", async () => {
    const r = await readAll(ftraceReader, sharedPath("traces/tracecompass-ftrace-text", "trace-android-sched-irq"));
    const rplus = r.events.find((e) => e.name === "sched_switch" && e.fields.prev_comm === "logd.auditd")!;
    expect(rplus.fields).toEqual({ prev_comm: "logd.auditd", prev_tid: 1252, prev_prio: 130, prev_state: 0x100, next_comm: "EventThread", next_tid: 1338, next_prio: 97 });
    expect(rplus.context).toEqual({ tid: 1252, comm: undefined, pid: undefined }); // "<...>-1252": comm unknown
    expect(rplus.ts).toBe(Number(108255517000n - r.first!));
    const soft = r.events.find((e) => e.name === "softirq_raise")!;
    expect(soft.fields).toEqual({ vec: 1, action: "TIMER" });

    const sys = await readAll(ftraceReader, sharedPath("traces/tracecompass-ftrace-text", "ftrace_syscalls.txt"));
    const exit = sys.events.find((e) => e.name === "sys_exit_recvmsg" && typeof e.fields.ret === "number" && e.fields.ret < 0)!;
    expect(exit.fields.ret).toBe(-11); // 0xfffffffffffffff5 = -EAGAIN
    expect(sys.events.find((e) => e.name === "sys_enter_ioctl")!.fields).toEqual({ fd: 0xff, cmd: 0x5410, arg: 0x7ffe0babe8fc });
  });
});

describe("kvm-text-snippets/ftrace-kvm-nested-lkml-2023.txt", () => {
  let r: ReadResult;
  beforeAll(async () => {
    r = await readAll(ftraceReader, sharedPath("traces/kvm-text-snippets/ftrace-kvm-nested-lkml-2023.txt"));
  });

  it("reads all 53 lines (5-character irq-flags column) without issue", () => {
    expect(r.issues).toEqual([]);
    expect(r.events).toHaveLength(53);
    expect(r.first).toBe(1404389366000n);
  });

  it("maps every printed exit reason back to its VMX number", () => {
    const exits = r.events.filter((e) => e.name === "kvm_exit");
    const byName = Object.fromEntries(exits.map((e) => [e.fields.reason_name, e.fields.exit_reason]));
    expect(byName).toEqual({ CR_ACCESS: 28, EXTERNAL_INTERRUPT: 1, CPUID: 10, MSR_READ: 31, MSR_WRITE: 32, LDTR_TR: 47 });
    expect(exits.every((e) => e.fields.isa === 1)).toBe(true);
    expect(exits[0]!.fields).toEqual({
      vcpu_id: 1,
      exit_reason: 28,
      reason_name: "CR_ACCESS",
      isa: 1,
      guest_rip: 0xffffffff8100007an,
      info1: 0,
      info2: 0,
      intr_info: 0,
      error_code: 0,
    });
    expect(exits.find((e) => e.fields.intr_info === 0x800000fb)!.context).toEqual({ tid: 8396, comm: "qemu-system-x86", pid: undefined });
  });

  it("decodes kvm_entry, kvm_cr, kvm_msr and kvm_cpuid; keeps unknown kvm_mmu_* with their text", () => {
    expect(r.events.find((e) => e.name === "kvm_entry")!.fields).toEqual({ vcpu_id: 0, rip: 0xffffffff8108aca7n, immediate_exit: null });
    expect(r.events.filter((e) => e.name === "kvm_cr").map((e) => e.fields)).toEqual([
      { cr: 0, val: 0x80050033, rw: 1 },
      { cr: 4, val: 0xb0, rw: 1 },
      { cr: 4, val: 0x3208b0, rw: 1 },
    ]);
    expect(r.events.filter((e) => e.name === "kvm_msr").map((e) => e.fields)).toEqual([
      { ecx: 0xc0000080, data: 0xd01, write: 0, exception: 0 },
      { ecx: 0xc0000080, data: 0xd01, write: 1, exception: 0 },
      { ecx: 0xc0000103, data: 0x1, write: 1, exception: 0 },
    ]);
    expect(r.events.find((e) => e.name === "kvm_cpuid")!.fields).toEqual({ function: 0x80000001, index: 0xd3f0eef, rax: 0x50657, rbx: 0, rcx: 0x121, rdx: 0x2c100800, found: 1 });
    expect(r.events.find((e) => e.name === "kvm_mmu_paging_element")!.fields).toEqual({ raw: "pte 2929067 level 4" });
  });
});

describe("simulated-kvm-host/trace.txt against truth.json", () => {
  interface Truth {
    trace: { start: number; end: number; events_by_name: Record<string, number> };
    vms: Array<{ name: string; pid: number; vcpus: Array<{ vcpu_id: number; tid: number }> }>;
    vcpus: Array<{ tid: number; vcpu_id: number; vm_pid: number; trace: { exits: number } }>;
    exit_reasons: Array<{ range: string; vm_pid: number; unfinished_at_end: number; reasons: Array<{ reason: number; name: string; count: number }> }>;
    injections: Array<{ range: string; vm_pid: number; by_vector: Record<string, number> }>;
    apic_accept: Array<{ range: string; by_vector: Record<string, number> }>;
    nested_vms: Array<{ vm_pid: number; evidence: Record<string, number> }>;
  }
  let truth: Truth;
  let r: ReadResult;
  const LTTNG: Record<string, string> = {
    kvm_entry: "kvm_x86_entry",
    kvm_exit: "kvm_x86_exit",
    kvm_inj_virq: "kvm_x86_inj_virq",
    kvm_apic_accept_irq: "kvm_x86_apic_accept_irq",
    kvm_hypercall: "kvm_x86_hypercall",
    netif_receive_skb: "net_if_receive_skb",
  };

  beforeAll(async () => {
    truth = JSON.parse(readFileSync(sharedPath("traces/simulated-kvm-host/truth.json"), "utf8")) as Truth;
    r = await readAll(ftraceReader, sharedPath("traces/simulated-kvm-host/trace.txt"));
  });

  it("has the truth's event counts per name (ftrace spellings; the statedump is not in ftrace text)", () => {
    expect(r.issues).toEqual([]);
    const counts: Record<string, number> = {};
    for (const e of r.events) counts[LTTNG[e.name] ?? e.name] = (counts[LTTNG[e.name] ?? e.name] ?? 0) + 1;
    const expected = Object.fromEntries(Object.entries(truth.trace.events_by_name).filter(([n]) => !n.startsWith("lttng_statedump")));
    expect(counts).toEqual(expected);
  });

  it("has the truth's first and last timestamps, to the ns", () => {
    expect(r.first).toBe(BigInt(truth.trace.start));
    expect(r.last).toBe(BigInt(truth.trace.end));
    expect(r.events.at(-1)!.ts).toBe(truth.trace.end - truth.trace.start);
  });

  it("gives each vCPU thread the truth's number of exit→entry pairs", () => {
    const pairs = _exitPairs(r.events);
    for (const v of truth.vcpus) expect({ tid: v.tid, exits: pairs.get(v.tid)?.length ?? 0 }).toEqual({ tid: v.tid, exits: v.trace.exits });
  });

  it("maps exit-reason names to the truth's numbers, with the truth's counts per VM", () => {
    const pairs = _exitPairs(r.events);
    for (const vm of truth.exit_reasons.filter((e) => e.range === "trace")) {
      const tids = truth.vms.find((v) => v.pid === vm.vm_pid)!.vcpus.map((c) => c.tid);
      const got = new Map<number, { name: string; count: number }>();
      for (const tid of tids) {
        for (const x of pairs.get(tid) ?? []) {
          const g = got.get(x.fields.exit_reason as number) ?? { name: x.fields.reason_name as string, count: 0 };
          g.count++;
          got.set(x.fields.exit_reason as number, g);
        }
      }
      const want = new Map(vm.reasons.map((x) => [x.reason, { name: x.name, count: x.count }]));
      expect(got).toEqual(want);
    }
  });

  it("counts injected vectors per VM and accepted vectors in all as the truth does", () => {
    const vmOf = new Map(truth.vcpus.map((v) => [v.tid, v.vm_pid]));
    for (const inj of truth.injections.filter((e) => e.range === "trace")) {
      const got: Record<string, number> = {};
      for (const e of r.events) {
        if (e.name === "kvm_inj_virq" && vmOf.get(e.context!.tid!) === inj.vm_pid) got[String(e.fields.irq)] = (got[String(e.fields.irq)] ?? 0) + 1;
      }
      expect(got).toEqual(inj.by_vector);
    }
    const accepted: Record<string, number> = {};
    for (const e of r.events) if (e.name === "kvm_apic_accept_irq") accepted[String(e.fields.vec)] = (accepted[String(e.fields.vec)] ?? 0) + 1;
    const want: Record<string, number> = {};
    for (const a of truth.apic_accept.filter((e) => e.range === "trace")) for (const [v, n] of Object.entries(a.by_vector)) want[v] = (want[v] ?? 0) + n;
    expect(accepted).toEqual(want);
  });

  it("finds the nested hypervisor's VMX-instruction exits by name", () => {
    const nested = truth.nested_vms[0]!;
    const tids = new Set(truth.vms.find((v) => v.pid === nested.vm_pid)!.vcpus.map((c) => c.tid));
    const got: Record<string, number> = {};
    for (const e of r.events) {
      const name = e.fields.reason_name as string;
      if (e.name === "kvm_exit" && tids.has(e.context!.tid!) && name in nested.evidence) got[name] = (got[name] ?? 0) + 1;
    }
    expect(got).toEqual(nested.evidence);
  });

  it("reads prev_state R+ as 0x100 and the other letters as TASK_* bits", () => {
    const states: Record<string, number> = {};
    for (const e of r.events) if (e.name === "sched_switch") states[String(e.fields.prev_state)] = (states[String(e.fields.prev_state)] ?? 0) + 1;
    const text = readFileSync(sharedPath("traces/simulated-kvm-host/trace.txt"), "utf8");
    const count = (s: string): number => text.split(`prev_state=${s} `).length - 1;
    expect(states).toEqual({ "0": count("R"), "256": count("R+"), "1": count("S"), "128": count("I") });
  });
});

// --- internal ---

/** Per thread, the kvm_exit events followed by a kvm_entry of the same thread (perf kvm stat pairs). */
function _exitPairs(events: TraceEvent[]): Map<number, TraceEvent[]> {
  const open = new Map<number, TraceEvent>();
  const pairs = new Map<number, TraceEvent[]>();
  for (const e of events) {
    const tid = e.context!.tid!;
    if (e.name === "kvm_exit") open.set(tid, e);
    else if (e.name === "kvm_entry") {
      const x = open.get(tid);
      if (x === undefined) continue;
      open.delete(tid);
      (pairs.get(tid) ?? pairs.set(tid, []).get(tid)!).push(x);
    }
  }
  return pairs;
}
