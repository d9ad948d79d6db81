/**
 * The relay daemon dies in the middle of a live run (SIGKILL) and comes back on the same ports;
 * the tracing session is created again, as an operator would. `vigil watch` must reconnect,
 * report the gap (a notice with its time range, and a loss range in the report), and go on
 * raising the alerts of what comes after — without raising any twice.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedAlerts, scenarioScript, type Scenario } from "./helpers/kvm-scenario.js";
import { ReplayLab } from "./helpers/replay-lab.js";
import { WatchProcess } from "./helpers/watch-process.js";

const RULES = join(import.meta.dirname, "fixtures", "fr.vgl");

let lab: ReplayLab;

beforeAll(async () => {
  lab = await ReplayLab.start("restart");
}, 60_000);

afterAll(async () => {
  await lab?.finish();
}, 30_000);

/** One run of the replay program: two long preemptions per VM-thread list given. */
function scenario(preemptions: Array<[cpu: number, atMs: number]>, durationMs: number): Scenario {
  return {
    threads: [
      { cpu: 0, tid: 1001, pid: 1000, vcpu: 0, comm: "qemu-vm1" },
      { cpu: 1, tid: 2001, pid: 2000, vcpu: 0, comm: "qemu-vm2" },
    ],
    preemptions: preemptions.map(([cpu, atMs]) => ({ cpu, atMs, lengthMs: 30 })),
    storms: [],
    durationMs,
  };
}

describe("vigil watch when the relay daemon restarts", () => {
  it("reconnects, reports the gap, and keeps raising alerts", async () => {
    // The traced program runs before the crash, and again once the session is back: what it
    // does while the relay daemon is down is lost (that is the gap).
    const first = scenario([[0, 300], [1, 400]], 1500);
    const second = scenario([[0, 300], [1, 500], [0, 1300]], 2000);
    const before = expectedAlerts(first);
    const after = expectedAlerts(second);
    lab.createLiveSession("live");
    const report = join(lab.dir, "report.json");
    const watch = new WatchProcess(lab, [RULES, "--live", `net://127.0.0.1:${lab.ports.live}/host/${lab.hostname}/live`, "--strip-provider", "--result", report]);
    await watch.waitFor((w) => w.of("notice", (l) => l.kind === "attached").length > 0, "attach");
    await lab.runReplay(scenarioScript(first), "first");
    await watch.waitFor((w) => w.of("alert").length >= before.length, "the alerts before the crash");
    await lab.killRelayd();
    await watch.waitFor((w) => w.of("notice", (l) => l.kind === "disconnected").length > 0, "the disconnection");
    await new Promise((r) => setTimeout(r, 500));
    await lab.startRelayd(lab.ports);
    // The consumer daemon does not reconnect to a new relay daemon: the session is made again.
    lab.lttng(["destroy", "live"], { check: false });
    lab.createLiveSession("live");
    await watch.waitFor((w) => w.of("notice", (l) => l.kind === "attached").length > 1, "the second attach", 30_000);
    await lab.runReplay(scenarioScript(second), "second");
    await watch.waitFor((w) => w.of("alert").length >= before.length + after.length, "the alerts after the restart", 30_000);
    lab.lttng(["destroy", "live"]);
    expect(await watch.exited).toBe(0);

    // Each CPU's replay thread keeps its own pace, so alerts are compared as sets per phase.
    const keys = (list: Array<{ rule: string; tid: number }>) => list.map((a) => `${a.rule} ${a.tid}`).sort();
    const got = watch.of("alert").map((a) => `${String(a.rule)} ${String(a.key)}`);
    expect(got.slice(0, before.length).sort()).toEqual(keys(before));
    expect(got.slice(before.length).sort()).toEqual(keys(after));
    const gaps = watch.of("notice", (l) => l.kind === "gap");
    expect(gaps).toHaveLength(1);
    const gap = gaps[0]!;
    const gapStart = BigInt(String(gap.start));
    const gapEnd = BigInt(String(gap.end));
    // The gap lies between the last alert before the crash and the first one after it, and
    // covers at least the time the relay daemon was down.
    const abs = watch.of("alert").map((a) => BigInt(String(a.abs_ts)));
    expect(gapStart > abs[before.length - 1]!).toBe(true);
    expect(gapEnd < abs[before.length]!).toBe(true);
    expect(Number(gapEnd - gapStart) / 1e6).toBeGreaterThan(500);
    expect(watch.of("summary")[0]!.gaps).toBe(1);
    const rep = JSON.parse(readFileSync(report, "utf8")) as { origin: string; alerts: unknown[]; stats: { uncertain: boolean; losses: Array<{ cpu: number; start: number; end: number; count: number }> } };
    expect(rep.alerts).toHaveLength(before.length + after.length);
    // The gap is a loss range of unknown size over every CPU: results over it are uncertain.
    expect(rep.stats.losses).toEqual([{ host: 0, cpu: -1, start: Number(gapStart - BigInt(rep.origin)), end: Number(gapEnd - BigInt(rep.origin)), count: -1 }]);
    expect(rep.stats.uncertain).toBe(true);
  }, 120_000);
});
