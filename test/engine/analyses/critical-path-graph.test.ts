/**
 * The execution graph against Trace Compass's answer keys (../shared/traces/tracecompass-vm-stubs
 * /EXPECTED.md, "Execution graph / critical path"): LttngExecutionGraphTest on sched_only.xml and
 * DistributedCriticalPathTest's graphs, worker by worker — every vertex, every edge kind, every
 * vertical edge. TC's DEFAULT vertical edge (a wakeup) is WAKEUP here.
 */
import { describe, expect, it } from "vitest";
import { horizontal, runPacks, stubs, vertical } from "./critical-path-helpers.js";

describe("execution graph: Trace Compass answer keys", () => {
  it("core-graph/sched_only.xml (LttngExecutionGraphTest)", async () => {
    const { g } = await runPacks(stubs("sched_only.xml"));
    expect(horizontal(g)).toEqual({
      "1": { vertices: [10, 20, 30, 40], edges: ["10-20 PREEMPTED", "20-30 RUNNING", "30-40 PREEMPTED"] },
      "2": { vertices: [10, 20, 30, 40], edges: ["10-20 RUNNING", "20-30 BLOCKED", "30-40 RUNNING"] },
    });
    expect(vertical(g)).toEqual([]);
  });

  it("simple_network_server.xml + simple_network_client.xml (testNetworkExchange: 7 workers)", async () => {
    const { g } = await runPacks(stubs("simple_network_server.xml", "simple_network_client.xml"));
    expect(horizontal(g)).toEqual({
      "201": { vertices: [7, 10, 15, 75], edges: ["7-10 RUNNING", "10-15 PREEMPTED", "15-75 RUNNING"] },
      "200": { vertices: [10, 13, 15, 70, 75, 90, 95], edges: ["10-13 RUNNING", "13-15 RUNNING", "15-70 NETWORK", "70-75 PREEMPTED", "75-90 RUNNING", "90-95 RUNNING"] },
      "kernel@simple_network_client.xml": { vertices: [60, 65], edges: ["60-65 RUNNING"] },
      "202": { vertices: [7, 90, 95], edges: ["7-90 BLOCKED", "90-95 PREEMPTED"] },
      "101": { vertices: [5, 40, 55], edges: ["5-40 RUNNING", "40-55 PREEMPTED"] },
      "100": { vertices: [5, 35, 40, 45, 55], edges: ["5-35 NETWORK", "35-40 PREEMPTED", "40-45 RUNNING", "45-55 RUNNING"] },
      "kernel@simple_network_server.xml": { vertices: [30, 33], edges: ["30-33 RUNNING"] },
    });
    expect(vertical(g)).toEqual(["100@45 -> 200@70 NETWORK", "200@13 -> 100@35 NETWORK", "200@90 -> 202@90 WAKEUP"]);
  });

  it("network_exchange_eth.xml + network_exchange_wifi.xml (testNetworkExchangeWithWifi: 6 workers, threaded IRQ)", async () => {
    const { g } = await runPacks(stubs("network_exchange_eth.xml", "network_exchange_wifi.xml"));
    const h = horizontal(g, true);
    // TC qualifies only the packet handled in a thread; the other qualifiers are ours
    expect(h["200"]!.edges[2]).toBe("15-70 NETWORK(irq/30-handler)");
    expect(horizontal(g)).toEqual({
      "201": { vertices: [10, 15, 60], edges: ["10-15 PREEMPTED", "15-60 RUNNING"] },
      "200": { vertices: [10, 13, 15, 70, 75], edges: ["10-13 RUNNING", "13-15 RUNNING", "15-70 NETWORK", "70-75 PREEMPTED"] },
      "50": { vertices: [55, 60, 65, 75], edges: ["55-60 PREEMPTED", "60-65 RUNNING", "65-75 RUNNING"] },
      "101": { vertices: [5, 40, 55], edges: ["5-40 RUNNING", "40-55 PREEMPTED"] },
      "100": { vertices: [5, 35, 40, 45, 55], edges: ["5-35 NETWORK", "35-40 PREEMPTED", "40-45 RUNNING", "45-55 RUNNING"] },
      "kernel@network_exchange_eth.xml": { vertices: [30, 33], edges: ["30-33 RUNNING"] },
    });
    expect(vertical(g)).toEqual(["100@45 -> 200@70 NETWORK", "200@13 -> 100@35 NETWORK"]);
  });

  it("simple_network_client.xml alone (testNetworkExchangeOneTraceSoftirq: 4 workers, the packet's sender unknown)", async () => {
    const { g } = await runPacks(stubs("simple_network_client.xml"));
    expect(horizontal(g)).toEqual({
      "201": { vertices: [7, 10, 15, 75], edges: ["7-10 RUNNING", "10-15 PREEMPTED", "15-75 RUNNING"] },
      "200": { vertices: [10, 13, 15, 70, 75, 90, 95], edges: ["10-13 RUNNING", "13-15 RUNNING", "15-70 NETWORK", "70-75 PREEMPTED", "75-90 RUNNING", "90-95 RUNNING"] },
      "kernel@simple_network_client.xml": { vertices: [60, 65], edges: ["60-65 RUNNING"] },
      "202": { vertices: [7, 90, 95], edges: ["7-90 BLOCKED", "90-95 PREEMPTED"] },
    });
    expect(vertical(g)).toEqual(["200@90 -> 202@90 WAKEUP"]);
  });

  it("network_exchange_wifi.xml alone (testNetworkExchangeOneTrace: 3 workers)", async () => {
    const { g } = await runPacks(stubs("network_exchange_wifi.xml"));
    expect(horizontal(g, true)).toEqual({
      "201": { vertices: [10, 15, 60], edges: ["10-15 PREEMPTED", "15-60 RUNNING"] },
      "200": { vertices: [10, 13, 15, 70, 75], edges: ["10-13 RUNNING", "13-15 RUNNING", "15-70 NETWORK(irq/30-handler)", "70-75 PREEMPTED"] },
      "50": { vertices: [55, 60, 65, 75], edges: ["55-60 PREEMPTED", "60-65 RUNNING", "65-75 RUNNING"] },
    });
    expect(vertical(g)).toEqual([]);
  });
});
