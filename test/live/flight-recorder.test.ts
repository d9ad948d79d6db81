/**
 * Flight-recorder mode with the real LTTng tools: a UST program replays a kvm-like host into a
 * live session and a snapshot session of a private session daemon; `vigil watch` follows the
 * live session through a private relay daemon and takes snapshots under a rate policy.
 * Checked: the alerts the script implies fire (and only those), `lttng snapshot record` ran as
 * the policy allows, the snapshots exist, decode the same in Vigil and babeltrace2 and hold the
 * events that triggered them, and the same trace replayed gives the same alerts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeWithBt2, decodeWithVigil, requireBt2 } from "../engine/readers/ctf/bt2-compare.js";
import { allowedByPolicy, expectedAlerts, flightRecorderScenario, scenarioScript } from "./helpers/kvm-scenario.js";
import { VIGIL, WatchProcess, type WatchLine } from "./helpers/watch-process.js";
import { replayAlerts } from "./helpers/replay.js";
import { ReplayLab } from "./helpers/replay-lab.js";

const RULES = join(import.meta.dirname, "fixtures", "fr.vgl");
const WINDOW_MS = 1000;

let lab: ReplayLab;

beforeAll(async () => {
  requireBt2();
  lab = await ReplayLab.start("fr");
}, 60_000);

afterAll(async () => {
  await lab?.finish();
}, 30_000);

const alertKey = (l: WatchLine) => `${String(l.rule)} key=${String(l.key)}`;

describe("vigil watch against lttng-relayd", () => {
  it("lists the relay daemon's sessions as live URLs", async () => {
    lab.createLiveSession("listed", 250_000);
    const r = spawnSync(process.execPath, [VIGIL, "watch", "--live", `net://127.0.0.1:${lab.ports.live}`], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`net://127.0.0.1:${lab.ports.live}/host/${lab.hostname}/listed  (live timer 250000 us, `);
    lab.lttng(["destroy", "listed"]);
  }, 30_000);

  it("raises the scenario's alerts, snapshots per policy, and agrees with a replay of the same trace", async () => {
    const scenario = flightRecorderScenario();
    const expected = expectedAlerts(scenario);
    lab.createSnapshotSession("fr");
    lab.createLiveSession("live");
    const report = join(lab.dir, "report.json");
    const watch = new WatchProcess(lab, [
      RULES, "--live", `net://127.0.0.1:${lab.ports.live}/host/${lab.hostname}/live`, "--strip-provider",
      "--do", `fr.long_preemption: snapshot "fr" at most every ${WINDOW_MS}ms per vm`, "--result", report,
    ]);
    await watch.waitFor((w) => w.of("notice", (l) => l.kind === "attached").length > 0, "attach");
    await lab.runReplay(scenarioScript(scenario), "fr");
    await watch.waitFor((w) => w.of("alert").length >= expected.length, `${expected.length} alerts`);
    lab.lttng(["destroy", "live"]);
    expect(await watch.exited).toBe(0);
    expect(watch.of("notice", (l) => l.kind === "ended")).toHaveLength(1);

    // The alerts the script implies, and only those.
    const alerts = watch.of("alert");
    expect(alerts.map(alertKey).sort()).toEqual(expected.map((a) => `${a.rule} key=${a.tid}`).sort());
    // Their spacing per vCPU is the script's (preemptions are timed by the replay's sleeps).
    for (const tid of [1001, 2001]) {
      const got = alerts.filter((a) => a.rule === "fr.long_preemption" && a.key === tid).map((a) => Number(BigInt(String(a.abs_ts)) / 1000n) / 1000);
      const want = expected.filter((a) => a.rule === "fr.long_preemption" && a.tid === tid).map((a) => a.atMs);
      for (let i = 1; i < want.length; i++) {
        const d = got[i]! - got[i - 1]!;
        expect(d).toBeGreaterThan(want[i]! - want[i - 1]! - 5);
        expect(d).toBeLessThan((want[i]! - want[i - 1]!) * 2 + 100);
      }
    }

    // The policy, applied to the alerts as they were observed, and as the script intends.
    const observed = alerts.map((a) => ({ rule: String(a.rule), vm: Number(a.vm ?? -1), atMs: Number(BigInt(String(a.abs_ts)) / 1000n) / 1000 }));
    const allowed = allowedByPolicy(observed, "fr.long_preemption", WINDOW_MS);
    expect(allowed.map((a) => a.vm)).toEqual(allowedByPolicy(expected, "fr.long_preemption", WINDOW_MS).map((a) => a.vm));

    // `lttng snapshot record` ran once per alert the policy let through, for the right VM.
    const started = watch.of("action", (l) => l.phase === "started");
    expect(started.map((l) => l.argv)).toEqual(allowed.map((_a, i) => ["lttng", "snapshot", "record", "-s", "fr", "-n", `fr_long_preemption-${i + 1}`]));
    const byTs = new Map(alerts.map((a) => [String(a.abs_ts), a]));
    expect(started.map((l) => byTs.get(String(l.alert_ts))?.vm)).toEqual(allowed.map((a) => a.vm));
    const summary = watch.of("summary")[0]!;
    expect(summary.suppressed).toBe(expected.filter((a) => a.rule === "fr.long_preemption").length - allowed.length);
    expect(summary.failed).toBe(0);

    // Each snapshot exists, decodes identically in Vigil and babeltrace2, and holds the
    // sched_switch that started the preemption it was taken for.
    const done = watch.of("action", (l) => l.phase === "done");
    expect(done).toHaveLength(allowed.length);
    for (const d of done) {
      const path = String(d.path);
      expect(existsSync(join(path, "ust"))).toBe(true);
      const bt = decodeWithBt2(path);
      const vg = await decodeWithVigil(path);
      expect(vg.issues.filter((i) => i.severity === "error")).toEqual([]);
      expect(bt.events.length).toBeGreaterThan(100);
      expect([...vg.events].sort()).toEqual([...bt.events].sort());
      // Each session's probe reads the clock itself: the snapshot's copy of the event is
      // microseconds away from the live session's.
      const alert = byTs.get(String(d.alert_ts))!;
      const origin = BigInt(String(alert.abs_ts)) - BigInt(Number(alert.ts));
      const switchAt = origin + BigInt(Number(alert.start));
      const switches = bt.events.filter((e) => e.startsWith("vkvm:sched_switch |") && e.includes(`"prev_tid":"${String(alert.key)}"`));
      expect(switches.some((e) => { const t = BigInt(e.split(" | ")[1]!); return t > switchAt - 1_000_000n && t < switchAt + 1_000_000n; })).toBe(true);
    }

    // The report holds the snapshot paths, and a replay of the relay's copy gives the same alerts.
    const rep = JSON.parse(readFileSync(report, "utf8")) as { origin: string; alerts: Array<{ rule: string; ts: number; message: string; snapshot_path?: string }> };
    expect(rep.alerts.filter((a) => a.snapshot_path !== undefined).map((a) => a.snapshot_path)).toEqual(done.map((d) => d.path));
    const live = rep.alerts.map((a) => `${a.rule} ${BigInt(rep.origin) + BigInt(a.ts)} ${a.message}`);
    expect(await replayAlerts(RULES, lab.relayOut, "live")).toEqual(live);
  }, 120_000);
});
