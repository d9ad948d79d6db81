import { describe, expect, it } from "vitest";
import type { EventContext, Fields, TraceEvent } from "../../../engine/model/event.js";
import { tcxmlReader } from "../../../engine/readers/tcxml/tcxml-reader.js";
import { ContextModel, type ThreadContext } from "../../../engine/runtime/context-model.js";
import { sharedPath } from "../../helpers/shared.js";

function ev(name: string, ts: number, cpu: number, fields: Fields = {}, context: EventContext | null = null, host = 0): TraceEvent {
  return { name, ts, cpu, host, fields, context };
}

/** Runs the resolve → (rules) → advance protocol, recording cx as rules would see it. */
function run(model: ContextModel, events: TraceEvent[]): ThreadContext[] {
  return events.map((e) => {
    model.resolve(e);
    const seen = { ...model.cx };
    model.advance(e);
    return seen;
  });
}

async function stub(...path: string[]): Promise<TraceEvent[]> {
  const [s] = await tcxmlReader.open(sharedPath("traces", "tracecompass-vm-stubs", ...path), { onIssue: () => {} });
  await s!.open();
  const out: TraceEvent[] = [];
  for await (const b of s!.batches(0n, 0)) out.push(...(b as TraceEvent[]));
  return out;
}

describe("ContextModel on sched_only.xml", () => {
  it("gives the switched-out thread at each sched_switch and the switched-in one after it", async () => {
    const events = await stub("core-graph", "sched_only.xml");
    const m = new ContextModel();
    const seen = run(m, events);
    expect(seen.map((c) => [c.tid, c.comm])).toEqual([[1, "proc1"], [2, "proc2"], [1, "proc1"], [2, "proc2"]]);
    // at ts 20 the event belongs to tid 2; after it, tid 1 runs on cpu 0
    expect(events[1]!.ts).toBe(20);
    expect(seen[1]!.tid).toBe(2);
    const after = ev("some_event", 25, 0);
    m.resolve(after);
    expect([m.cx.tid, m.cx.comm, m.cx.pid]).toEqual([1, "proc1", -1]);
    expect(m.currentTid(0, 0)).toBe(1);
    expect(m.currentTid(0, 1)).toBe(-1);
  });

  it("follows the OneQemuKvm host: kvm events run on qemucpu1 (tid 31) until it is switched out", async () => {
    const events = await stub("incubator-OneQemuKvm", "host.xml");
    const seen = run(new ContextModel(), events);
    const at = (ts: number) => seen[events.findIndex((e) => e.ts === ts)]!;
    expect([at(5).tid, at(5).comm]).toEqual([31, "qemucpu1"]);
    expect(at(95).tid).toBe(31);
    expect(at(100).tid).toBe(31); // the switch 31→30 itself
    expect(at(150).tid).toBe(30); // the switch 30→31
    expect(at(155).tid).toBe(31);
  });
});

describe("ContextModel: identity from statedump, fork, exec and context", () => {
  it("learns pid, ppid and comm from a statedump and a fork sequence", () => {
    const m = new ContextModel();
    const seen = run(m, [
      ev("lttng_statedump_process_state", 1, 0, { tid: 100, vtid: 100, pid: 100, vpid: 100, ppid: 1, vppid: 1, name: "bash", type: 0, status: 5 }),
      ev("lttng_statedump_process_state", 2, 0, { tid: 101, pid: 100, ppid: 1, name: "bash-worker" }),
      ev("sched_switch", 3, 1, { prev_comm: "swapper/1", prev_tid: 0, prev_state: 0, next_comm: "bash", next_tid: 100 }),
      // bash forks a process (tid 200, new pid) and bash-worker's process a thread (tid 201, pid 100)
      ev("sched_process_fork", 4, 1, { parent_comm: "bash", parent_tid: 100, parent_pid: 100, child_comm: "bash", child_tid: 200, child_pid: 200 }),
      ev("sched_process_fork", 5, 1, { parent_comm: "bash", parent_tid: 100, parent_pid: 100, child_comm: "bash", child_tid: 201, child_pid: 100 }),
      ev("sched_switch", 6, 1, { prev_comm: "bash", prev_tid: 100, prev_state: 1, next_comm: "bash", next_tid: 200 }),
      ev("sched_process_exec", 7, 1, { filename: "/usr/bin/a-very-long-program-name", tid: 200, old_tid: 200 }),
      ev("syscall_entry_read", 8, 1),
      ev("sched_switch", 9, 1, { prev_comm: "a-very-long-pro", prev_tid: 200, prev_state: 0, next_comm: "swapper/1", next_tid: 0 }),
      ev("irq_handler_entry", 10, 1, { irq: 5 }),
    ]);
    expect(seen[2]).toEqual({ tid: 0, pid: 0, ppid: 0, comm: "swapper/1" });
    expect(seen[3]).toEqual({ tid: 100, pid: 100, ppid: 1, comm: "bash" });
    expect(seen[7]).toEqual({ tid: 200, pid: 200, ppid: 100, comm: "a-very-long-pro" });
    expect(seen[9]).toEqual({ tid: 0, pid: 0, ppid: 0, comm: "swapper/1" });
    expect(m.thread(0, 201)).toEqual({ pid: 100, ppid: 1, comm: "bash" });
    expect(m.thread(0, 101)).toEqual({ pid: 100, ppid: 1, comm: "bash-worker" });
  });

  it("reads ftrace spellings: prev_pid/next_pid, child_pid as a tid, task_rename, sched_process_free", () => {
    const m = new ContextModel();
    const seen = run(m, [
      ev("sched_switch", 1, 2, { prev_comm: "swapper/2", prev_pid: 0, prev_prio: 120, prev_state: 0, next_comm: "make", next_pid: 4242, next_prio: 120 }),
      ev("sched_process_fork", 2, 2, { parent_comm: "make", parent_pid: 4242, child_comm: "make", child_pid: 4243 }),
      ev("task_rename", 3, 2, { pid: 4243, oldcomm: "make", newcomm: "cc1", oom_score_adj: 0 }),
      ev("sched_switch", 4, 2, { prev_comm: "make", prev_pid: 4242, prev_prio: 120, prev_state: 1, next_comm: "cc1", next_pid: 4243, next_prio: 120 }),
      ev("sched_process_free", 5, 2, { comm: "cc1", pid: 4243, prio: 120 }),
    ]);
    expect(seen[1]).toEqual({ tid: 4242, pid: -1, ppid: -1, comm: "make" });
    expect(seen[3]).toEqual({ tid: 4242, pid: -1, ppid: -1, comm: "make" });
    expect(m.currentTid(0, 2)).toBe(4243);
    expect(m.thread(0, 4243)).toBeUndefined();
  });

  it("lets the event's own context win, and learns from it", () => {
    const m = new ContextModel();
    m.resolve(ev("sched_switch", 1, 0, { prev_tid: 0, prev_comm: "swapper/0", next_tid: 7, next_comm: "seven" }));
    m.advance(ev("sched_switch", 1, 0, { prev_tid: 0, prev_comm: "swapper/0", next_tid: 7, next_comm: "seven" }));
    const withCtx = ev("kvm_exit", 2, 0, {}, { tid: 9, pid: 8, procname: "qemu-system-x86" });
    m.resolve(withCtx);
    expect(m.cx).toEqual({ tid: 9, pid: 8, ppid: -1, comm: "qemu-system-x86" });
    m.advance(withCtx);
    // the context said tid 9 runs on cpu 0 now, and what tid 9 is
    m.resolve(ev("kvm_entry", 3, 0));
    expect(m.cx).toEqual({ tid: 9, pid: 8, ppid: -1, comm: "qemu-system-x86" });
  });

  it("keeps hosts and CPUs apart, up to CPU 65535", () => {
    const m = new ContextModel();
    run(m, [
      ev("sched_switch", 1, 3, { prev_tid: 0, next_tid: 11, next_comm: "h0" }, null, 0),
      ev("sched_switch", 1, 3, { prev_tid: 0, next_tid: 22, next_comm: "h1" }, null, 65535),
      ev("sched_switch", 1, 65535, { prev_tid: 0, next_tid: 33, next_comm: "big" }, null, 0),
    ]);
    expect([m.currentTid(0, 3), m.currentTid(65535, 3), m.currentTid(0, 65535), m.currentTid(1, 3)]).toEqual([11, 22, 33, -1]);
    m.resolve(ev("x", 2, 3, {}, null, 65535));
    expect([m.cx.tid, m.cx.comm]).toEqual([22, "h1"]);
  });

  it("reuses its cx object: rules read one shape", () => {
    const m = new ContextModel();
    const cx = m.cx;
    m.resolve(ev("x", 1, 0));
    expect(m.cx).toBe(cx);
    expect(cx).toEqual({ tid: -1, pid: -1, ppid: -1, comm: "" });
  });
});
