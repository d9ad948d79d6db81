/** Links: vertical edges of the execution graph from link rules and sequences' `emit link`. */
import { describe, expect, it } from "vitest";
import { sharedPath } from "../../helpers/shared.js";
import { ev, runOnTraces, runRules } from "../../helpers/run-rules.js";

describe("links", () => {
  it("a link rule records one edge per matching event, at its time or `at`", async () => {
    const r = await runRules(`
link wakeup on sched_waking where tid != 0 from $tid to tid
link late on sched_waking where tid == 0 from $tid to tid at $ts - 5`, [
      ev(10, "sched_waking", { tid: 2 }, { tid: 1 }), ev(20, "sched_waking", { tid: 0 }, { tid: 1 }),
    ]);
    expect(r.links).toEqual({ wakeup: [{ from: 1, from_ts: 10, to: 2, to_ts: 10 }], late: [{ from: 1, from_ts: 15, to: 0, to_ts: 15 }] });
  });

  it("a sequence links two workers across hosts (a packet from sender to receiver)", async () => {
    // Trace Compass's network stubs: client thread 200 sends at 13; the server receives it at 33
    // in softirq context (kernel worker 101), which wakes thread 100 at 35; and back (201 at 65).
    const dir = ["traces", "tracecompass-vm-stubs", "core-graph"];
    const { result } = await runOnTraces(`
sequence packet per msgid {
  s: packet_sent -> packet_received where $host != s.$host within 1s
  emit link { from: s.$tid, to: $tid }
}`, [sharedPath(...dir, "simple_network_client.xml"), sharedPath(...dir, "simple_network_server.xml")]);
    expect(result.links["packet"]).toEqual([{ from: 200, from_ts: 13, to: 101, to_ts: 33 }, { from: 100, from_ts: 45, to: 201, to_ts: 65 }]);
  });

  it("checks emit link fields", async () => {
    await expect(runRules(`sequence s per 0 { a -> b within 1s emit link { from: 1 } }`, [])).rejects.toThrow(/VGL235/);
  });
});
