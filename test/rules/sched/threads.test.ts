/** sched.thread and sched.wakeup: thread states, and what ended each wait, from every context. */
import { describe, expect, it } from "vitest";
import { runSched, sw, threadIntervals, waking, type E } from "./helpers.js";

/** Thread 5 runs on CPU 1 and sleeps; `ctx` wakes it at 50 on CPU 0 (thread 7 current there). */
async function wakeIn(ctx: { enter: E[]; exit: E[] }) {
  const r = await runSched([
    sw(5, 0, 0, 0, 7),
    sw(10, 1, 0, 0, 5),
    sw(20, 1, 5, 1, 0),
    ...ctx.enter,
    waking(50, 0, 5),
    ...ctx.exit,
    sw(70, 1, 0, 0, 5),
    sw(80, 1, 5, 1, 0),
  ]);
  const iv = threadIntervals(r, "h:5:-1");
  return { r, wait: iv[1]!, after: iv[2]! };
}

const at = (ts: number, name: string, fields: Record<string, number | string> = {}, cpu = 0): E => ({ ts, name, cpu, fields });

describe("sched.thread", () => {
  it("switches give running, preempted (R, R+), blocked (S, D) and dead (X, Z) intervals", async () => {
    const r = await runSched([
      sw(10, 0, 1, 0x0, 2), sw(20, 0, 2, 0x100, 1), sw(30, 0, 1, 0x2, 2), sw(40, 0, 2, 0x1, 3),
      sw(50, 0, 3, 0x20, 0), sw(60, 0, 0, 0, 4),
    ]);
    expect(threadIntervals(r, "h:1:-1").map(([s, a, b]) => [s, a, b])).toEqual([["preempted", 10, 20], ["running", 20, 30], ["blocked", 30, 60]]);
    expect(threadIntervals(r, "h:2:-1").map(([s, a, b]) => [s, a, b])).toEqual([["running", 10, 20], ["preempted", 20, 30], ["running", 30, 40], ["blocked", 40, 60]]);
    expect(threadIntervals(r, "h:3:-1").map(([s, a, b]) => [s, a, b])).toEqual([["running", 40, 50], ["dead", 50, 60]]);
    // the idle thread is one worker per CPU
    expect(threadIntervals(r, "h:0:0").map(([s, a, b]) => [s, a, b])).toEqual([["running", 50, 60]]);
    expect(r.states["sched.thread"]!.find((i) => i.key === "h:2:-1" && i.state === "running")!.fields["on_cpu"]).toBe(0);
  });

  it("a wakeup from a thread is a link from the waker, and the wait is ended by a task", async () => {
    const { r, wait, after } = await wakeIn({ enter: [], exit: [] });
    expect(wait).toEqual(["blocked", 20, 50, "", ""]);
    expect(after).toEqual(["preempted", 50, 70, "task", ""]);
    expect(r.links["sched.wakeup"]).toEqual([{ from: "h:7:-1", from_ts: 50, to: "h:5:-1", to_ts: 50 }]);
  });

  it("sched_waking then sched_wakeup: one transition and one link (the second finds it runnable)", async () => {
    const r = await runSched([sw(10, 1, 0, 0, 5), sw(20, 1, 5, 1, 0), sw(25, 0, 0, 0, 7), waking(50, 0, 5), waking(52, 0, 5, "sched_wakeup"), sw(70, 1, 0, 0, 5)]);
    expect(threadIntervals(r, "h:5:-1").map(([s, a, b]) => [s, a, b])).toEqual([["running", 10, 20], ["blocked", 20, 50], ["preempted", 50, 70]]);
    expect(r.links["sched.wakeup"]).toHaveLength(1);
  });

  it.each([
    ["an hrtimer callback", [at(40, "hrtimer_expire_entry")], [at(60, "hrtimer_expire_exit")], "timer", ""],
    ["an hrtimer inside the timer interrupt", [at(39, "irq_handler_entry", { irq: 0, name: "timer" }), at(40, "hrtimer_expire_entry")], [at(60, "hrtimer_expire_exit"), at(61, "irq_handler_exit", { irq: 0, ret: 1 })], "timer", ""],
    ["the timer interrupt (irq 0)", [at(40, "irq_handler_entry", { irq: 0, name: "timer" })], [at(60, "irq_handler_exit", { irq: 0, ret: 1 })], "interrupted", "timer"],
    ["a device interrupt", [at(40, "irq_handler_entry", { irq: 28, name: "radeon" })], [at(60, "irq_handler_exit", { irq: 28, ret: 1 })], "blocked", "radeon"],
    ["the TIMER softirq", [at(40, "softirq_entry", { vec: 1 })], [at(60, "softirq_exit", { vec: 1 })], "timer", "TIMER softirq"],
    ["the BLOCK softirq", [at(40, "softirq_entry", { vec: 4 })], [at(60, "softirq_exit", { vec: 4 })], "block_device", "BLOCK softirq"],
    ["the NET_RX softirq", [at(40, "softirq_entry", { vec: 3 })], [at(60, "softirq_exit", { vec: 3 })], "network", "NET_RX softirq"],
    ["the SCHED softirq", [at(40, "softirq_entry", { vec: 7 })], [at(60, "softirq_exit", { vec: 7 })], "interrupted", "SCHED softirq"],
    ["the RCU softirq", [at(40, "softirq_entry", { vec: 9 })], [at(60, "softirq_exit", { vec: 9 })], "blocked", "RCU softirq"],
    ["LTTng's softirq spelling", [at(40, "irq_softirq_entry", { vec: 4 })], [at(60, "irq_softirq_exit", { vec: 4 })], "block_device", "BLOCK softirq"],
    ["a device interrupt inside a softirq", [at(40, "softirq_entry", { vec: 3 }), at(45, "irq_handler_entry", { irq: 30, name: "nvme" })], [at(60, "irq_handler_exit", { irq: 30, ret: 1 }), at(61, "softirq_exit", { vec: 3 })], "blocked", "nvme"],
    ["an IPI", [at(40, "ipi_entry", { reason: "Function call interrupts" })], [at(60, "ipi_exit", { reason: "Function call interrupts" })], "ipi", ""],
    ["packet reception in a thread", [at(40, "netif_receive_skb_internal_entry")], [at(60, "netif_receive_skb_internal_return")], "network", "t7"],
    ["packet reception in the NET_RX softirq", [at(39, "softirq_entry", { vec: 3 }), at(40, "netif_receive_skb_internal_entry")], [at(60, "netif_receive_skb_internal_return"), at(61, "softirq_exit", { vec: 3 })], "network", "NET_RX softirq"],
    ["do_IRQ after its handler returned", [at(40, "do_IRQ_entry")], [at(60, "do_IRQ_return")], "unknown", ""],
  ])("a wakeup in %s", async (_what, enter, exit, kind, cause) => {
    const { r, after } = await wakeIn({ enter, exit });
    expect(after.slice(3)).toEqual([kind, cause]);
    // interrupt context: the link comes from the CPU's interrupt worker; a thread receiving a packet links from itself
    expect(r.links["sched.wakeup"]![0]!.from).toBe(kind === "network" && cause === "t7" ? "h:7:-1" : "h:-1:0");
  });

  it("leaving a context restores the one below: a wakeup after the irq, still in the softirq", async () => {
    const { after } = await wakeIn({
      enter: [at(40, "softirq_entry", { vec: 4 }), at(41, "irq_handler_entry", { irq: 30, name: "nvme" }), at(42, "irq_handler_exit", { irq: 30, ret: 1 })],
      exit: [at(60, "softirq_exit", { vec: 4 })],
    });
    expect(after.slice(3)).toEqual(["block_device", "BLOCK softirq"]);
  });

  it.each([
    ["an hrtimer callback ends inside the timer interrupt", [at(38, "irq_handler_entry", { irq: 0, name: "timer" }), at(39, "hrtimer_expire_entry"), at(40, "hrtimer_expire_exit")], [at(60, "irq_handler_exit", { irq: 0, ret: 1 })], "interrupted", "timer"],
    ["an IPI ends inside a NET_RX softirq", [at(38, "softirq_entry", { vec: 3 }), at(39, "ipi_entry"), at(40, "ipi_exit")], [at(60, "softirq_exit", { vec: 3 })], "network", "NET_RX softirq"],
    ["packet reception ends inside do_IRQ", [at(37, "do_IRQ_entry"), at(38, "netif_receive_skb_internal_entry"), at(40, "netif_receive_skb_internal_return")], [at(60, "do_IRQ_return")], "unknown", ""],
    ["a softirq opens under an open IPI (out of order): the IPI stays on top", [at(38, "ipi_entry"), at(39, "softirq_entry", { vec: 4 })], [at(60, "softirq_exit", { vec: 4 }), at(61, "ipi_exit")], "ipi", ""],
  ])("when %s, the level below decides", async (_what, enter, exit, kind, cause) => {
    const { after } = await wakeIn({ enter, exit });
    expect(after.slice(3)).toEqual([kind, cause]);
  });

  it("a wakeup after every context closed is a task wakeup again", async () => {
    const { r, after } = await wakeIn({ enter: [at(40, "softirq_entry", { vec: 4 }), at(45, "softirq_exit", { vec: 4 })], exit: [] });
    expect(after[3]).toBe("task");
    expect(r.links["sched.wakeup"]![0]!.from).toBe("h:7:-1");
  });

  it("the first sight of a thread may be its wakeup (a new thread)", async () => {
    const r = await runSched([sw(5, 0, 0, 0, 7), waking(50, 0, 9, "sched_wakeup_new"), sw(60, 0, 7, 0, 9), sw(70, 0, 9, 1, 7)]);
    expect(threadIntervals(r, "h:9:-1").map(([s, a, b, w]) => [s, a, b, w])).toEqual([["preempted", 50, 60, "task"], ["running", 60, 70, "task"]]);
    expect(r.links["sched.wakeup"]).toEqual([{ from: "h:7:-1", from_ts: 50, to: "h:9:-1", to_ts: 50 }]);
  });
});

describe("sched.last_change", () => {
  it("keeps each host's last transition, so a real close at the last event is told from the end of the run", async () => {
    const r = await runSched([sw(10, 0, 1, 0, 2), sw(20, 0, 2, 1, 1), waking(25, 1, 2), sw(30, 0, 1, 0, 2)]);
    expect(r.states["sched.last_change"]).toEqual([
      { key: "h", state: "seen", start: 10, end: 30, fields: { at: 30, prev: 1, next: 2, woken: -1, cpu: 0 } },
    ]);
  });
});
