/**
 * The live view's screen (ink), rendered to text from a real driver snapshot: header with
 * rates and counts, vCPUs grouped by VM with state and shares, tables, latest alerts with the
 * snapshot path, latest actions.
 */
import { createElement } from "react";
import { renderToString } from "ink";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LiveDriver } from "../../engine/live/live-driver.js";
import { LiveView } from "../../engine/live/live-view.js";
import { LiveScreen } from "../../cli/ui/live-screen.js";
import { compileOk, toEvent } from "../helpers/run-rules.js";
import { expectedAlerts, flightRecorderScenario, scenarioScript } from "./helpers/kvm-scenario.js";
import { scriptEvents } from "./helpers/script-events.js";

const RULES = readFileSync(join(import.meta.dirname, "fixtures", "fr.vgl"), "utf8");

describe("LiveScreen", () => {
  it("draws the run's state from a snapshot", () => {
    const view = new LiveView("net://127.0.0.1:5344/host/h1/live");
    const d = new LiveDriver(compileOk(`${RULES}\ntable states from vcpu by vm, state select count, sum(duration) as ns order by ns desc`).program!, {
      host: "h", onAlert: (r) => view.alert(r), onNotice: (n) => view.notice(n),
    });
    d.start(0n);
    d.notice({ kind: "attached", what: "net://127.0.0.1:5344/host/h1/live (1 relay session)", streams: 3 });
    const scenario = flightRecorderScenario(0, 3000);
    const events = scriptEvents(scenarioScript(scenario)).map(toEvent);
    d.items(events);
    d.advance(events.at(-1)!.ts);
    d.program!.alerts[0]!.fields.snapshot_path = "/traces/fr/snapshot-1-20260101-000000-0";
    view.action({ phase: "done", rule: "fr.long_preemption", kind: "snapshot", argv: ["lttng", "snapshot", "record", "-s", "fr"], attempt: 1, wallMs: 0, durationMs: 12.4, path: "/traces/fr/snapshot-1-20260101-000000-0", record: d.program!.alerts[0]! });
    const text = renderToString(createElement(LiveScreen, { snap: view.snapshot(d) }), { columns: 140 });
    expect(text).toContain("vigil watch  net://127.0.0.1:5344/host/h1/live");
    expect(text).toContain("reading net://127.0.0.1:5344/host/h1/live (1 relay session)");
    expect(text).toMatch(new RegExp(`events ${events.length.toLocaleString("en")} `));
    expect(text).toContain(`alerts ${expectedAlerts(scenario).length} `);
    expect(text).toContain("machine fr.vcpu");
    const vcpu = text.split("\n").find((l) => /^\s+1001\s/.test(l))!;
    expect(text).toMatch(/vm 1000\n\s+1001\s+guest\s+\S+\s+id=0\s+guest 9\d%/);
    expect(vcpu).toMatch(/preempted [1-9]%/);
    expect(vcpu).toMatch(/host \d+%/);
    expect(text).toContain("vm 2000");
    expect(text).toContain("table fr.states");
    expect(text).toMatch(/fr\.long_preemption: vCPU 0 of VM 1000 preempted for more than 10ms\s+-> \/traces\/fr\/snapshot-1-20260101-000000-0/);
    expect(text).toMatch(/done\s+snapshot: lttng snapshot record -s fr \(12 ms\) -> \/traces\/fr\//);
  });
});
