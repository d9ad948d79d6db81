/**
 * Critical paths against Trace Compass's answer keys (DistributedCriticalPathTest, restated in
 * ../shared/traces/tracecompass-vm-stubs/EXPECTED.md): the path of client thread 200 across two
 * hosts, with softirq and threaded-IRQ reception, and paths on one host alone. TC's DEFAULT
 * vertical edge for a wakeup is WAKEUP here; DEFAULT is the hop to the worker a wait depends on.
 */
import { describe, expect, it } from "vitest";
import { criticalPath, findThreads } from "../../../engine/analyses/critical-path.js";
import { pathOf, runPacks, stubs } from "./critical-path-helpers.js";

describe("critical path: Trace Compass answer keys", () => {
  it("testNetworkExchange: thread 200 waits for the server, which waits for its packet", async () => {
    const { result, g } = await runPacks(stubs("simple_network_server.xml", "simple_network_client.xml"));
    expect(pathOf(result, g, 200)).toEqual([
      "200 10-13 RUNNING", "200 13-15 RUNNING",
      "200@15 -> 100@35 NETWORK",
      "100 35-40 PREEMPTED", "100 40-45 RUNNING",
      "100@45 -> 200@70 NETWORK",
      "200 70-75 PREEMPTED", "200 75-90 RUNNING", "200 90-95 RUNNING",
    ]);
  });

  it("testNetworkExchangeWithWifi: the reply is received in a threaded IRQ handler", async () => {
    const { result, g } = await runPacks(stubs("network_exchange_eth.xml", "network_exchange_wifi.xml"));
    expect(pathOf(result, g, 200)).toEqual([
      "200 10-13 RUNNING", "200 13-15 RUNNING",
      "200@15 -> 100@35 NETWORK",
      "100 35-40 PREEMPTED", "100 40-45 RUNNING",
      "100@45 -> 200@70 NETWORK",
      "200 70-75 PREEMPTED",
    ]);
  });

  it("testNetworkExchangeOneTraceSoftirq: without the server's trace the wait stays NETWORK", async () => {
    const { result, g } = await runPacks(stubs("simple_network_client.xml"));
    expect(pathOf(result, g, 200)).toEqual([
      "200 10-13 RUNNING", "200 13-15 RUNNING", "200 15-70 NETWORK", "200 70-75 PREEMPTED", "200 75-90 RUNNING", "200 90-95 RUNNING",
    ]);
    // thread 202 blocked 7-90 until 200 woke it: the path goes through 200, unknown before 200 appears
    expect(pathOf(result, g, 202)).toEqual([
      "202@7 -> 200@7 DEFAULT",
      "200 7-10 UNKNOWN", "200 10-13 RUNNING", "200 13-15 RUNNING", "200 15-70 NETWORK", "200 70-75 PREEMPTED", "200 75-90 RUNNING",
      "200@90 -> 202@90 WAKEUP",
      "202 90-95 PREEMPTED",
    ]);
  });

  it("testNetworkExchangeOneTrace: the client's own edges, the wait qualified by the IRQ thread", async () => {
    const { result, g } = await runPacks(stubs("network_exchange_wifi.xml"));
    expect(pathOf(result, g, 200)).toEqual(["200 10-13 RUNNING", "200 13-15 RUNNING", "200 15-70 NETWORK", "200 70-75 PREEMPTED"]);
    const rows = criticalPath(result, g, findThreads(g, { tid: 200 })[0]!).rows;
    expect(rows[2]).toMatchObject({ state: "network", cause: "irq/30-handler", start: 15, end: 70, duration: 55 });
  });
});

describe("critical path report", () => {
  it("labels workers with their host when several traces are open, and totals time per cause over the path's span", async () => {
    const { result, g } = await runPacks(stubs("simple_network_server.xml", "simple_network_client.xml"));
    const r = criticalPath(result, g, findThreads(g, { tid: 200 })[0]!);
    expect(r.target).toEqual({ worker: "simple_network_client.xml:200:-1", label: "simple_network_client.xml/client (200)", start: 10, end: 95 });
    expect(r.rows[3]).toMatchObject({ label: "simple_network_server.xml/server (100)", state: "preempted", cause: "by simple_network_server.xml/other (101)" });
    expect(r.totals.map((t) => [t.state, t.cause, t.duration])).toEqual([
      ["network", "simple_network_server.xml/server (100) → simple_network_client.xml/client (200)", 25],
      ["running", "simple_network_client.xml/client (200)", 25],
      ["network", "simple_network_client.xml/client (200) → simple_network_server.xml/server (100)", 20],
      ["preempted", "by simple_network_client.xml/other (201)", 5],
      ["preempted", "by simple_network_server.xml/other (101)", 5],
      ["running", "simple_network_server.xml/server (100)", 5],
    ]);
    expect(r.totals.reduce((a, t) => a + t.duration, 0)).toBe(85);
    expect(r.totals.reduce((a, t) => a + t.share, 0)).toBeCloseTo(1, 9);
  });

  it("--from and --to bound the walk on the target", async () => {
    const { result, g } = await runPacks(stubs("simple_network_server.xml", "simple_network_client.xml"));
    expect(pathOf(result, g, 200, { from: 72, to: 80 })).toEqual(["200 70-75 PREEMPTED", "200 75-90 RUNNING"]);
  });

  it("a worker without scheduling history is an error that says so", async () => {
    const { result, g } = await runPacks(stubs("sched_only.xml"));
    expect(() => criticalPath(result, g, "sched_only.xml:99:-1")).toThrow(/no scheduling history/);
  });
});
