/**
 * The public surface of `Program` that live runs use: `advanceTo` (deadlines pass without a later
 * event), bounded alert and loss records, the `onAlert` / `onAction` / `onInterval` hooks, the
 * retry policy, and the read-only views of machines and tables.
 */
import { describe, expect, it } from "vitest";
import { Program } from "../../../engine/runtime/program.js";
import type { ActionEvent } from "../../../engine/runtime/actions.js";
import { compileOk, ev, runRules, toEvent } from "../../helpers/run-rules.js";

const STAYS = `
machine m per key {
  states idle, busy = idle
  keep owner = 0
  on start for key -> busy { owner = who }
  on stop for key -> idle
}
alert stuck when m enters busy and stays 100ns
  message "busy {key}"
table busy_time from m by state select count, sum(duration) as total
`;

describe("Program public API", () => {
  it("advanceTo fires a deadline the stream has proven passed, and not one it has not", async () => {
    const alerts: string[] = [];
    const p = new Program(compileOk(STAYS).program!, { print: () => {}, onAlert: (r) => alerts.push(`${r.message}@${r.ts}`) });
    p.push(toEvent(ev(0, "start", { key: 1, who: 9 })));
    p.push(toEvent(ev(50, "start", { key: 2, who: 8 })));
    p.advanceTo(100); // key 1's deadline is 100: only time strictly past it proves it
    expect(alerts).toEqual([]);
    p.advanceTo(101);
    expect(alerts).toEqual(["busy 1@100"]);
    p.advanceTo(90); // going back is a no-op
    expect(p.alertCount).toBe(1);
    p.push(toEvent(ev(120, "stop", { key: 2 })));
    const r = await p.finish();
    // advanceTo is not an event: the run still ends at the last event (120)
    expect(r.last).toBe(120);
    expect(r.stats.events).toBe(3);
    expect(r.alerts.map((a) => a.message)).toEqual(["busy 1"]);
  });

  it("gives the alerts of a replay when time is advanced between events", async () => {
    const events = [ev(0, "start", { key: 1, who: 1 }), ev(30, "stop", { key: 1 }), ev(40, "start", { key: 1, who: 2 }), ev(500, "stop", { key: 1 }), ev(600, "start", { key: 3, who: 3 }), ev(650, "stop", { key: 3 })];
    const replay = await runRules(STAYS, events);
    const p = new Program(compileOk(STAYS).program!, { print: () => {} });
    for (const e of events) {
      p.push(toEvent(e));
      p.advanceTo(e.ts);
    }
    const live = await p.finish();
    expect(replay.alerts).toHaveLength(1);
    expect(live.alerts).toEqual(replay.alerts);
    expect(live.tables).toEqual(replay.tables);
  });

  it("keeps only the newest maxAlerts records and maxLosses ranges, counting all", async () => {
    const seen: number[] = [];
    const p = new Program(compileOk(`alert a on x\n  message "x {v}"`).program!, { print: () => {}, maxAlerts: 10, maxLosses: 5, onAlert: (r) => seen.push(r.ts) });
    for (let i = 0; i < 3000; i++) {
      p.push(toEvent(ev(i * 10, "x", { v: i })));
      p.loss({ kind: "loss", host: 0, cpu: 0, start: i * 10 + 1, end: i * 10 + 2, count: 1 });
    }
    expect(p.alerts.length).toBeLessThanOrEqual(20);
    expect(p.alertCount).toBe(3000);
    expect(seen).toHaveLength(3000);
    const r = await p.finish();
    expect(r.alerts.at(-1)!.message).toBe("x 2999");
    expect(r.losses.length).toBeLessThanOrEqual(10);
    expect(r.losses.at(-1)!.start).toBe(29_991);
    expect(r.stats.lost).toBe(3000);
  });

  it("reports closed intervals to onInterval even with history off, and shows live instances and tables", async () => {
    const closed: string[] = [];
    const p = new Program(compileOk(STAYS).program!, { print: () => {}, history: false, onInterval: (m, key, state, start, end) => closed.push(`${m}:${String(key)}:${state}:${start}-${end}`) });
    p.push(toEvent(ev(0, "start", { key: 1, who: 9 })));
    p.push(toEvent(ev(10, "start", { key: 2, who: 8 })));
    p.push(toEvent(ev(40, "stop", { key: 1 })));
    expect(closed).toEqual(["0:1:busy:0-40"]);
    const [m] = p.machines;
    expect(m!.name).toBe("m");
    const inst = m!.instances.get(2)!;
    expect([m!.states[inst.state], inst.since, inst.k_owner]).toEqual(["busy", 10, 8]);
    expect(m!.instances.get(1)!.state).toBe(m!.states.indexOf("idle"));
    // tables as they stand: closed intervals only (key 2 is still busy)
    const [t] = p.tablesAt(70);
    expect(t!.name).toBe("busy_time");
    expect(t!.result.rows.find((row) => row[0] === "busy")!.slice(1)).toEqual([1, 40]);
    // reading changed nothing: finish closes key 2 at the last event (40), as without the read
    const r = await p.finish();
    expect(r.states).toEqual({ m: [] });
    expect(r.tables.busy_time!.rows.find((row) => row[0] === "busy")!.slice(1)).toEqual([2, 40 + 30]);
    expect(closed.at(-1)).toBe("0:2:busy:10-40");
  });

  it("tells onAction every attempt and retries failed commands per the policy", async () => {
    const steps: ActionEvent[] = [];
    const text = `alert a on x\n  message "x"\n  do exec ["/nonexistent/vigil-no-such-command"]`;
    const p = new Program(compileOk(text).program!, { print: () => {}, retry: { attempts: 2, backoffMs: 1 }, onAction: (e) => steps.push(e) });
    p.push(toEvent(ev(0, "x")));
    const r = await p.finish();
    expect(steps.map((e) => `${e.phase}#${e.attempt}`)).toEqual(["started#1", "retrying#1", "started#2", "failed#2"]);
    expect(r.stats.action_failures).toBe(1);
    expect(String(r.alerts[0]!.fields.action_error)).toContain("after 2 attempts");
  });
});
