/**
 * A small discrete-event simulation of a kvm host (test/scenario/sim/): pCPUs with a
 * round-robin scheduler, VMs with cpu, duty-cycle, idle, disk, net and nested profiles, a noisy
 * neighbour, kworkers. `simulate` returns the trace (LTTng kernel event names and fields, with
 * tid/pid/procname context) and the ground truth the simulation recorded from its own state.
 *
 * `writeScenario` writes `trace.jsonl` (Vigil's JSON Lines) and `truth.json`; with `ctf`, also
 * `ctf/` through babeltrace2's own CTF writer (test/scenario/jsonl-to-ctf.py, python3-bt2), so
 * the CTF bytes come from an independent implementation.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NESTED_EXITS, type VmConfig, type VmThreads } from "./sim/context.js";
import { IoThread, Vhost } from "./sim/devices.js";
import type { SimEvent } from "./sim/host.js";
import { newSimContext, runScenarioHost, type ScenarioHostConfig } from "./sim/scenario-host.js";
import { TruthRecorder } from "./sim/truth.js";
import { Vcpu } from "./sim/vcpu.js";

export interface ScenarioConfig extends ScenarioHostConfig {
  vms: VmConfig[];
  longPreemptionNs: number;
}

export const DEFAULT_SCENARIO: ScenarioConfig = {
  seed: 7,
  cpus: 4,
  durationNs: 400_000_000,
  sliceNs: 6_000_000,
  tickNs: 4_000_000,
  vms: [
    { name: "web", profile: "net", vcpus: 2, rxPps: 3000 },
    { name: "db", profile: "disk", vcpus: 2 },
    { name: "batch", profile: "cpu", vcpus: 2 },
    { name: "spare", profile: "idle", vcpus: 1 },
    { name: "kube", profile: "nested", vcpus: 2 },
    { name: "build", profile: "duty", vcpus: 1 },
  ],
  noisy: { cpus: [2, 2, 3], from: 100_000_000, until: 250_000_000 },
  rplusFrac: 0.35,
  longPreemptionNs: 10_000_000,
};

export interface Scenario {
  events: SimEvent[];
  truth: Record<string, unknown>;
}

/** Runs the simulation; the same config gives the same events and truth. */
export function simulate(config: ScenarioConfig = DEFAULT_SCENARIO, exitName: (code: number) => string = String): Scenario {
  const truth = new TruthRecorder(exitName, config.longPreemptionNs, NESTED_EXITS);
  const sim = newSimContext(config, truth);
  const { host, rng } = sim;
  let nextCpu = 0;
  const cpu = () => nextCpu++ % config.cpus;
  const vmInfo: Array<Record<string, unknown>> = [];
  config.vms.forEach((vc, j) => {
    const pid = 2000 + 100 * j;
    const vm: VmThreads = { name: vc.name, pid, profile: vc.profile, vcpus: [] };
    const timer = vc.profile === "idle" ? () => rng.int(1_000_000, 100_000_000) : () => 4_000_000;
    for (let i = 0; i < vc.vcpus; i++) vm.vcpus.push(new Vcpu(sim, vm, i, pid + 2 + i, cpu(), timer));
    const info: Record<string, unknown> = { name: vc.name, pid, profile: vc.profile, vcpus: vm.vcpus.map((v) => ({ vcpu_id: (v as Vcpu).vcpuId, tid: v.tid })) };
    if (vc.profile === "disk") {
      const io = new IoThread(sim, vm, pid + 1, cpu());
      vm.submitDisk = (from) => io.submit(from);
      info.iothread_tid = io.tid;
    }
    if (vc.profile === "net") {
      vm.tap = `vnet${j}`;
      // the NIC's queues interrupt every CPU; packets start once the guest has transmitted
      const vhost = new Vhost(sim, vm, 3000 + j, cpu(), [...Array(config.cpus).keys()], vc.rxPps ?? 1000, 20_000_000);
      vm.kickVhost = (from) => vhost.kick(from);
      info.vhost_tid = vhost.tid;
      info.tap = vm.tap;
    }
    sim.vms.push(vm);
    vmInfo.push(info);
    for (const v of vm.vcpus) host.start(v);
  });
  const { events, last, trace } = runScenarioHost(sim, config);
  return {
    events,
    truth: truth.finish({
      scenario: "vigil test/scenario", seed: config.seed, context_fields: true, time_unit: "ns",
      trace,
      vms: vmInfo, config,
    }, last),
  };
}

/** One event as a JSON Lines record (wide decimal strings stay strings: the reader makes them bigint). */
export function toJsonl(e: SimEvent): string {
  return JSON.stringify({ ts: e.ts, name: e.name, cpu: e.cpu, fields: e.fields, context: e.context });
}

/** Writes `trace.jsonl`, `truth.json` and, with `ctf`, `ctf/` (babeltrace2 writer) into `dir`. */
export function writeScenario(dir: string, scenario: Scenario, options: { ctf?: boolean } = {}): void {
  mkdirSync(dir, { recursive: true });
  const jsonl = join(dir, "trace.jsonl");
  writeFileSync(jsonl, scenario.events.map(toJsonl).join("\n") + "\n");
  writeFileSync(join(dir, "truth.json"), JSON.stringify(scenario.truth, null, 1) + "\n");
  if (options.ctf) {
    const script = fileURLToPath(new URL("./jsonl-to-ctf.py", import.meta.url));
    execFileSync("/usr/bin/python3", [script, jsonl, join(dir, "ctf")], { stdio: ["ignore", "ignore", "pipe"] });
  }
}
