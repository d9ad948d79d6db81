/** sched.packet, sched.packet_irq, sched.net_softirq: messages matched across hosts. */
import { describe, expect, it } from "vitest";
import { runSched, sw, type E } from "./helpers.js";

const pkt = (ts: number, name: "packet_sent" | "packet_received", msgid: number, host: number, cpu = 0): E => ({ ts, name, cpu, host, fields: { msgid } });
const at = (ts: number, name: string, host: number, fields: Record<string, number> = {}): E => ({ ts, name, cpu: 0, host, fields });

describe("packets", () => {
  it("a message sent by a thread and received in a NET_RX softirq links the thread to the CPU's interrupt worker", async () => {
    const r = await runSched([
      sw(5, 0, 0, 0, 100, 1),
      sw(10, 0, 0, 0, 200, 0),
      pkt(13, "packet_sent", 1, 0),
      at(30, "softirq_entry", 1, { vec: 3 }),
      pkt(33, "packet_received", 1, 1),
      at(38, "softirq_exit", 1, { vec: 3 }),
    ], ["client", "server"]);
    expect(r.links["sched.packet"]).toEqual([{ from: "client:200:-1", from_ts: 13, to: "server:-1:0", to_ts: 33 }]);
    expect(r.links["sched.packet_irq"]).toEqual([]);
    expect(r.links["sched.net_softirq"]).toEqual([{ from: "server:-1:0", from_ts: 30, to: "server:-1:0", to_ts: 30 }]);
    // every send and reception is an instant of its worker, matched or not
    expect(r.links["sched.net_endpoint"]).toEqual([
      { from: "client:200:-1", from_ts: 13, to: "client:200:-1", to_ts: 13 },
      { from: "server:-1:0", from_ts: 33, to: "server:-1:0", to_ts: 33 },
    ]);
  });

  it("received outside interrupts, the packet goes to the thread; sent from a softirq, it comes from the interrupt worker", async () => {
    const r = await runSched([
      sw(5, 0, 0, 0, 50, 1),
      sw(6, 0, 0, 0, 60, 0),
      at(10, "softirq_entry", 0, { vec: 2 }),
      pkt(13, "packet_sent", 7, 0),
      at(14, "softirq_exit", 0, { vec: 2 }),
      pkt(33, "packet_received", 7, 1),
    ], ["a", "b"]);
    expect(r.links["sched.packet_irq"]).toEqual([{ from: "a:-1:0", from_ts: 13, to: "b:50:-1", to_ts: 33 }]);
    expect(r.links["sched.packet"]).toEqual([]);
  });

  it("matches by message id, each message once", async () => {
    const r = await runSched([
      sw(1, 0, 0, 0, 200, 0), sw(1, 0, 0, 0, 100, 1),
      pkt(10, "packet_sent", 1, 0), pkt(11, "packet_sent", 2, 0),
      pkt(20, "packet_received", 2, 1), pkt(21, "packet_received", 1, 1), pkt(22, "packet_received", 1, 1),
    ], ["a", "b"]);
    expect(r.links["sched.packet"]).toEqual([
      { from: "a:200:-1", from_ts: 11, to: "b:100:-1", to_ts: 20 },
      { from: "a:200:-1", from_ts: 10, to: "b:100:-1", to_ts: 21 },
    ]);
  });
});
