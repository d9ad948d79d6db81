/**
 * `vigil watch` as a user runs it (the built CLI), on a text stream on stdin: plain lines when
 * stdout is not a terminal (also with --ui), JSON Lines with --format json, the same alerts as
 * `vigil run` on the same input, and clear exit-2 messages for mistakes in the options.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers/shared.js";
import { flightRecorderScenario, scenarioScript } from "./helpers/kvm-scenario.js";
import { scriptEvents } from "./helpers/script-events.js";
import { VIGIL } from "./helpers/watch-process.js";

const RULES = join(import.meta.dirname, "fixtures", "fr.vgl");
const ORIGIN = 1_700_000_000_000_000_000n;

/** The scenario as JSON Lines (absolute ns), what `vigil dump --format jsonl` writes. */
function jsonl(): string {
  return scriptEvents(scenarioScript(flightRecorderScenario(0, 3000)))
    .map((e) => JSON.stringify({ ts: String(ORIGIN + BigInt(e.ts)), name: e.name, cpu: e.cpu, fields: e.fields }))
    .join("\n") + "\n";
}

function vigil(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [VIGIL, ...args], { cwd: REPO, input, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(VIGIL)) throw new Error(`${VIGIL} is missing: run \`npm run build\` first (npm test does)`);
});

describe("vigil watch on stdin", () => {
  const input = jsonl();

  it("prints one line per alert and action, and the same alerts as vigil run", () => {
    const w = vigil(["watch", RULES, "-", "--ui", "--do", 'fr.ept_stall: exec ["true"]'], input);
    expect({ code: w.code, stderr: w.stderr }).toMatchObject({ code: 0 });
    const alerts = w.stdout.split("\n").filter((l) => l.includes(" ALERT "));
    expect(alerts).toHaveLength(6);
    expect(alerts[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{9} ALERT warning fr\.long_preemption: vCPU 0 of VM 1000 preempted for more than 10ms  {key=1001 /);
    expect(w.stdout).toMatch(/ACTION started \(fr\.ept_stall, attempt 1\) exec true/);
    expect(w.stdout).toMatch(/ACTION done \(fr\.ept_stall, attempt 1\) exec true in [\d.]+ ms/);
    expect(w.stderr).toMatch(/vigil watch: \d+ events, 6 alerts \(0 actions held back by rate policies\), 1 commands started, 0 failed, 0 gap\(s\)/);

    const run = vigil(["run", RULES, "-", "--format", "json", "--no-states"], input);
    expect(run.code).toBe(0);
    const j = JSON.parse(run.stdout) as { origin: string; alerts: Array<{ rule: string; ts: number; message: string }> };
    const w2 = vigil(["watch", RULES, "-", "--format", "json"], input);
    const live = w2.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>).filter((l) => l.type === "alert");
    expect(live.map((a) => `${a.rule} ${a.abs_ts} ${a.message}`)).toEqual(j.alerts.map((a) => `${a.rule} ${BigInt(j.origin) + BigInt(a.ts)} ${a.message}`));
  });

  it("writes the whole result with --result, keeping only the newest alert records", () => {
    const file = join(mkdtempSync(join(tmpdir(), "vigil-watch-")), "report.json");
    const w = vigil(["watch", RULES, "-", "--result", file, "--max-alerts", "2"], input);
    expect({ code: w.code, stderr: w.stderr }).toMatchObject({ code: 0 });
    const rep = JSON.parse(readFileSync(file, "utf8")) as { alerts: unknown[]; stats: { events: number } };
    expect(rep.alerts.length).toBeLessThanOrEqual(4);
    expect(rep.stats.events).toBe(input.trim().split("\n").length);
  });

  it("stops on SIGTERM while waiting for input, finishing the run and printing its summary", async () => {
    const child = spawn(process.execPath, [VIGIL, "watch", RULES, "-", "--input-format", "jsonl"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // stdin stays open: the readers hand over what arrived whenever the input pauses.
    child.stdin.write(input);
    const end = Date.now() + 20_000;
    while (!stdout.includes(" ALERT ") && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((res) => child.once("exit", res));
    expect(code).toBe(0);
    const printed = stdout.split("\n").filter((l) => l.includes(" ALERT ")).length;
    expect(printed).toBeGreaterThan(0);
    const m = /vigil watch: (\d+) events, (\d+) alerts/.exec(stderr);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBe(printed);
    expect(Number(m![1])).toBeGreaterThan(0);
  }, 30_000);

  it("--strip-provider reads UST names as kernel names in vigil run and on stdin alike", () => {
    const ust = input.replace(/"name":"/g, '"name":"vkvm:');
    const plain = vigil(["run", RULES, "-", "--format", "json", "--no-states"], ust);
    expect(plain.code).toBe(0);
    expect((JSON.parse(plain.stdout) as { alerts: unknown[] }).alerts).toHaveLength(0);
    const run = vigil(["run", RULES, "-", "--format", "json", "--no-states", "--strip-provider"], ust);
    const j = JSON.parse(run.stdout) as { origin: string; alerts: Array<{ rule: string; ts: number; message: string }> };
    expect(j.alerts).toHaveLength(6);
    const w = vigil(["watch", RULES, "-", "--format", "json", "--strip-provider"], ust);
    const live = w.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>).filter((l) => l.type === "alert");
    expect(live.map((a) => `${a.rule} ${a.abs_ts} ${a.message}`)).toEqual(j.alerts.map((a) => `${a.rule} ${BigInt(j.origin) + BigInt(a.ts)} ${a.message}`));
  });

  const jsonLine = (v: number) => JSON.stringify({ ts: String(ORIGIN + BigInt(v) * 1000n), name: "kvm_exit", cpu: 1, fields: { exit_reason: v } });
  const btLine = (v: number) => `[19:16:01.${String(v).padStart(9, "0")}] (+0.000000000) h kvm_exit: { cpu_id = 1 }, { exit_reason = ${v} }`;
  it.each([
    ["jsonl", "named", jsonLine],
    ["babeltrace-text", "named", btLine],
    // format detection must not wait for a 4 KiB head either
    ["jsonl", "detected", jsonLine],
    ["babeltrace-text", "detected", btLine],
  ] as const)("prints the alert of one %s line at once, while stdin stays open (format %s)", async (format, how, line) => {
    const rules = join(mkdtempSync(join(tmpdir(), "vigil-watch-")), "hit.vgl");
    writeFileSync(rules, `alert hit on kvm_exit where exit_reason == 48 or exit_reason == 49\n  message "hit {exit_reason}"\n`);
    const formatArgs = how === "named" ? ["--input-format", format] : [];
    const child = spawn(process.execPath, [VIGIL, "watch", rules, "-", ...formatArgs, "--format", "json"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const alerts = () => stdout.split("\n").filter((l) => l.includes('"type":"alert"')).map((l) => (JSON.parse(l) as { message: string }).message);
    const waitFor = async (n: number) => {
      const end = Date.now() + 10_000;
      while (alerts().length < n && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      child.stdin.write(line(48) + "\n");
      await waitFor(1);
      expect({ alerts: alerts(), running: child.exitCode === null, stderr }).toEqual({ alerts: ["hit 48"], running: true, stderr: "" });
      // a quiet line, then a second trigger: each comes out alone, the pipe still open
      child.stdin.write(line(7) + "\n");
      await new Promise((r) => setTimeout(r, 100));
      child.stdin.write(line(49) + "\n");
      await waitFor(2);
      expect({ alerts: alerts(), running: child.exitCode === null }).toEqual({ alerts: ["hit 48", "hit 49"], running: true });
    } finally {
      child.stdin.end();
    }
    expect(await new Promise<number | null>((res) => (child.exitCode !== null ? res(child.exitCode) : child.once("exit", res)))).toBe(0);
    expect(stdout).toMatch(/"type":"summary","events":3,"alerts":2/);
  }, 30_000);

  it("explains mistakes in its options and exits 2", () => {
    expect(vigil(["watch", RULES])).toMatchObject({ code: 2, stderr: expect.stringContaining("name one live source") });
    expect(vigil(["watch", RULES, "--live", "http://x"])).toMatchObject({ code: 2, stderr: expect.stringContaining("expected net://RELAYD_HOST[:PORT]/host/TARGET_HOST/SESSION") });
    expect(vigil(["watch", RULES, "--live", "net://127.0.0.1:1/host/a/b", "--wait", "300ms"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/relay daemon at 127\.0\.0\.1:1: .*ECONNREFUSED.*gave up after 300 ms/) });
    expect(vigil(["watch", RULES, "-", "--poll", "soon"], "")).toMatchObject({ code: 2, stderr: expect.stringContaining("--poll soon: expected a duration") });
    expect(vigil(["watch", RULES, "-", "--do", "fr.nope: print"], "")).toMatchObject({ code: 1, stderr: expect.stringContaining("no alert of that name") });
    expect(vigil(["watch", RULES, "some-trace-dir"])).toMatchObject({ code: 2, stderr: expect.stringContaining("for a recorded trace use vigil run") });
  });
});
