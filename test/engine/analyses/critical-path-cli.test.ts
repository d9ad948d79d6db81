/** `vigil critical-path` as a user runs it: the built dist/cli/main.js (npm test builds first). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../../helpers/shared.js";
import { stubs } from "./critical-path-helpers.js";
import { simulateKvmHost } from "./critical-path-kvm-sim.js";

const MAIN = join(REPO, "dist", "cli", "main.js");

function vigil(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, "critical-path", ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
});

describe("vigil critical-path", () => {
  it("prints the path as a table (worker, state, start, duration, cause) and the time by cause", () => {
    const r = vigil(["--tid", "200", ...stubs("simple_network_server.xml", "simple_network_client.xml")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("critical path of simple_network_client.xml/client (200), 10 → 95 (85ns)");
    expect(lines[1]).toMatch(/^ {2}worker +state +start +duration +cause$/);
    expect(lines[4]).toMatch(/^ {2}simple_network_client\.xml\/client \(200\) → simple_network_server\.xml\/server \(100\) +→ packet +15 +20ns$/);
    expect(lines[5]).toMatch(/server \(100\) +preempted +35 +5ns +by simple_network_server\.xml\/other \(101\)$/);
    expect(r.stdout).toContain("time by cause");
    expect(r.stdout).toMatch(/running +simple_network_client\.xml\/client \(200\) +25ns +29\.4%/);
  });

  it("--format json: the engine's contract (ns relative to origin), path rows and totals", () => {
    const r = vigil(["--tid", "200", "--format", "json", ...stubs("network_exchange_eth.xml", "network_exchange_wifi.xml")]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { origin: string; target: { start: number; end: number }; path: Array<Record<string, unknown>>; totals: Array<{ duration: number }>; stats: { workers: number } };
    expect(doc.origin).toBe("0");
    expect(doc.target).toMatchObject({ worker: "network_exchange_wifi.xml:200:-1", start: 10, end: 75 });
    expect(doc.path.map((p) => [p.state, p.start, p.end, p.vertical])).toEqual([
      ["running", 10, 13, false], ["running", 13, 15, false], ["network", 15, 35, true], ["preempted", 35, 40, false],
      ["running", 40, 45, false], ["network", 45, 70, true], ["preempted", 70, 75, false],
    ]);
    expect(doc.path[2]).toMatchObject({ from: "network_exchange_wifi.xml:200:-1", worker: "network_exchange_eth.xml:100:-1" });
    expect(doc.totals.reduce((a, t) => a + t.duration, 0)).toBe(65);
  });

  it("--vm PID --vcpu K finds the vCPU thread through the kvm pack and splits its time", () => {
    const p = join(mkdtempSync(join(tmpdir(), "vigil-cp-cli-")), "host.jsonl");
    const sim = simulateKvmHost(5, 3);
    writeFileSync(p, sim.lines.join("\n") + "\n");
    const r = vigil(["--vm", "1000", "--vcpu", "0", "--format", "json", p]);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout) as { target: { label: string }; totals: Array<{ state: string; cause: string; duration: number }> };
    expect(doc.target.label).toBe("CPU 0/KVM (1001)");
    expect(doc.totals.find((t) => t.state === "block_device")!.duration).toBe(sim.expected.disk);
    expect(doc.totals.find((t) => t.cause === "by CPU 0/KVM (2001)")!.duration).toBe(sim.expected.preemptedByNoisy);
    expect(doc.totals.find((t) => t.cause === "exit HLT (12)")!.duration).toBe(sim.expected.hypervisor.get(12));
    const missing = vigil(["--vm", "999", "--vcpu", "0", p]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no vCPU 0 of VM 999");
  });

  it("says what is wrong with the question", () => {
    const trace = stubs("sched_only.xml");
    expect(vigil(trace)).toMatchObject({ code: 2, stderr: "vigil critical-path: name the thread: --tid N, --comm NAME, or --vm PID --vcpu K\n" });
    expect(vigil(["--vm", "1", ...trace])).toMatchObject({ code: 2, stderr: "vigil critical-path: --vm PID and --vcpu K go together\n" });
    expect(vigil(["--tid", "x", ...trace]).stderr).toContain("--tid x: expected an integer");
    expect(vigil(["--tid", "1", "--from", "soon", ...trace]).stderr).toContain("--from soon: expected a time");
    expect(vigil(["--tid", "99", ...trace])).toMatchObject({ code: 1, stderr: "vigil critical-path: no such thread with scheduling events in the trace (tid 99)\n" });
    const two = vigil(["--comm", "other", ...stubs("simple_network_server.xml", "simple_network_client.xml")]);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain("2 threads match");
    expect(vigil(["--comm", "other", "--host", "simple_network_server.xml", "--format", "json", ...stubs("simple_network_server.xml", "simple_network_client.xml")]).code).toBe(0);
  });
});
