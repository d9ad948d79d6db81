/**
 * The live driver over a compiled program: deadlines pass when the feed proves time has passed
 * (no later event needed), live and replay give the same alerts, and memory stays bounded
 * (history ring, newest alert records, loss ranges) however long the stream.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LiveDriver } from "../../engine/live/live-driver.js";
import { LiveView } from "../../engine/live/live-view.js";
import { SourceFeed } from "../../engine/live/source-feed.js";
import type { TraceEvent } from "../../engine/model/event.js";
import { compileOk, ev, runRules, toEvent } from "../helpers/run-rules.js";
import { scenarioScript, flightRecorderScenario } from "./helpers/kvm-scenario.js";
import { scriptEvents } from "./helpers/script-events.js";

const RULES = readFileSync(join(import.meta.dirname, "fixtures", "fr.vgl"), "utf8");
const MS = 1_000_000;

describe("LiveDriver", () => {
  it("fires a `stays` deadline when the feed's safe time passes it, without a later event", () => {
    const d = new LiveDriver(compileOk(RULES).program!, { host: "h" });
    d.start(0n);
    d.items([
      toEvent(ev(0, "lttng_statedump_process_state", { tid: 7, pid: 70, ppid: 1, name: "qemu" }, { cpu: 0 })),
      toEvent(ev(1, "sched_switch", { prev_tid: 0, prev_state: 0, next_tid: 7, prev_comm: "swapper/0", next_comm: "qemu" }, { cpu: 0 })),
      toEvent(ev(2, "kvm_entry", { vcpu_id: 3 }, { cpu: 0 })),
      toEvent(ev(1 * MS, "kvm_exit", { exit_reason: 1 }, { cpu: 0 })),
      toEvent(ev(1 * MS + 10, "sched_switch", { prev_tid: 7, prev_state: 0, next_tid: 50, prev_comm: "qemu", next_comm: "kworker" }, { cpu: 0 })),
    ]);
    d.advance(5 * MS);
    expect(d.counters.alerts).toBe(0);
    d.advance(11 * MS + 11); // deadline 11 ms + 10 ns: "stays" needs the stream strictly past it
    expect(d.counters.alerts).toBe(1);
    expect(d.program!.alerts[0]).toMatchObject({ rule: "fr.long_preemption", ts: 11 * MS + 10, fields: { vm: 70, id: 3, key: 7 } });
  });

  it("gives the alerts a replay gives, for a whole scenario fed through the live path", async () => {
    const events = scriptEvents(scenarioScript(flightRecorderScenario(0, 3000)));
    const replay = await runRules(RULES, events.map((e) => ({ ...e, fields: e.fields })));
    const d = new LiveDriver(compileOk(RULES).program!, { host: "h", history: 50 });
    d.start(0n);
    // Live: small batches, and a safe time after each (as beacons would give).
    for (let i = 0; i < events.length; i += 7) {
      const batch = events.slice(i, i + 7).map(toEvent);
      d.items(batch);
      d.advance(batch[batch.length - 1]!.ts);
    }
    const live = await d.finish();
    expect(replay.alerts.length).toBe(6);
    expect(live.alerts.map((a) => [a.rule, a.ts, a.message])).toEqual(replay.alerts.map((a) => [a.rule, a.ts, a.message]));
    // The ring: at most 2 × history intervals kept per machine.
    expect(live.states["fr.vcpu"]!.length).toBeLessThanOrEqual(100);
    expect(replay.states["fr.vcpu"]!.length).toBeGreaterThan(1000);
  });

  it("keeps only the newest alert records and loss ranges, and counts them all", async () => {
    const d = new LiveDriver(compileOk("alert a on x\n  message \"x {v}\"").program!, { host: "h", maxAlerts: 10, maxLosses: 5 });
    d.start(0n);
    for (let i = 0; i < 5000; i++) {
      d.items([toEvent(ev(i * 10, "x", { v: i })), { kind: "loss", host: 0, cpu: 0, start: i * 10, end: i * 10 + 1, count: 2 }]);
    }
    const r = await d.finish();
    expect(d.counters.alerts).toBe(5000);
    expect(r.alerts.length).toBeLessThanOrEqual(20);
    expect(r.alerts.at(-1)!.message).toBe("x 4999");
    expect(r.losses.length).toBeLessThanOrEqual(10);
    expect(r.stats.lost).toBe(10_000);
  });

  it("feeds the live view: instances by VM, time shares, tables, latest alerts", () => {
    const text = `${RULES}\ntable exits from vcpu by state select count`;
    const view = new LiveView("test");
    const d = new LiveDriver(compileOk(text).program!, { host: "h", onAlert: (r) => view.alert(r) });
    d.start(0n);
    const events: TraceEvent[] = scriptEvents(scenarioScript(flightRecorderScenario(0, 800))).map(toEvent);
    d.items(events);
    d.advance(events.at(-1)!.ts);
    const snap = view.snapshot(d);
    expect(snap.events).toBe(events.length);
    const vcpu = snap.machines.find((m) => m.name === "fr.vcpu")!;
    expect(vcpu.groups.map((g) => g.group).sort()).toEqual(["vm 1000", "vm 2000"]);
    const row = vcpu.groups.find((g) => g.group === "vm 1000")!.rows[0]!;
    expect(row.key).toBe("1001");
    // Mostly in the guest (an exit every ms, handled in 20 µs), preempted for 2 × 30 ms.
    expect(row.shares[0]![0]).toBe("guest");
    expect(row.shares.find(([s]) => s === "preempted")![1]).toBeGreaterThan(3);
    expect(snap.tables[0]!.name).toBe("fr.exits");
    expect(snap.recentAlerts.map((a) => a.rule)).toContain("fr.long_preemption");
  });

  it("runs a finished source through SourceFeed with the batch run's origin", async () => {
    const got: bigint[] = [];
    const feed = new SourceFeed([{
      hostId: "t", path: "t", format: "test", first: 5_000_000_000_000_000_000n, last: null, schema: null,
      open: async () => {},
      batches: async function* () { yield [toEvent(ev(0, "x")), toEvent(ev(3, "x"))]; },
    }]);
    const notes: string[] = [];
    await feed.run({ start: (o) => got.push(o), items: () => {}, advance: () => {}, notice: (n) => notes.push(n.kind) }, new AbortController().signal);
    expect(got).toEqual([5_000_000_000_000_000_000n]);
    expect(notes).toEqual(["ended"]);
  });
});
