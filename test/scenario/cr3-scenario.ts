/**
 * The guest-cr3 scenario: a kvm host (test/scenario/sim/) whose VM entries carry the seed
 * study's `addons_vcpu_enter_guest` (vcpuID, cr3tmp, sptmp, iptmp), with (a) a plain VM
 * running three guest processes (network, disk and timer-driven) with virtio disk and network,
 * and (b) an L1 hypervisor running an agent process and two nested guests with two processes
 * each, one of them misconfigured for a while (I/O exits every few µs); a CPU hog preempts
 * both for a time. `simulate` returns the trace and the truth the simulation recorded from its
 * own state: the kvm scenario's ("gen-kvm truth v1": vCPU states, exits, injections, nested
 * evidence...) plus `cr3`: per guest address space, per nested vCPU and guest, waits and
 * overhead windows (sim/cr3-truth.ts), and `spaces` (name → page-table root) for labels.
 *
 * Written as kvm-scenario.ts writes: `trace.jsonl`, `truth.json`, and `ctf/` through
 * babeltrace2's CTF writer, where the addon event has LTTng's layout (jsonl-to-ctf.py).
 */
import { NESTED_EXITS, type VmThreads } from "./sim/context.js";
import { Cr3Truth } from "./sim/cr3-truth.js";
import { IoThread, Vhost } from "./sim/devices.js";
import { GuestVcpu } from "./sim/guest-vcpu.js";
import { hexOf, type Guest, type Space } from "./sim/guest-space.js";
import { NestedGuest, type NestedConfig } from "./sim/nested-guest.js";
import { PlainGuest, type TaskKind } from "./sim/plain-guest.js";
import { newSimContext, runScenarioHost, type ScenarioHostConfig } from "./sim/scenario-host.js";
import { TruthRecorder } from "./sim/truth.js";
import type { Scenario } from "./kvm-scenario.js";

/** A cr3 scenario: the host, the plain VM, the L1 hypervisor VM, the noisy neighbour. */
export interface Cr3ScenarioConfig extends ScenarioHostConfig {
  /** Each vCPU's guest timer period. */
  timerNs: number;
  plain: { name: string; vcpus: number; cpus: number[]; procs: Array<{ name: string; kind: TaskKind }>; rxPps: number };
  nested: { name: string; vcpus: number; cpus: number[] } & NestedConfig;
  /** kvm.nested_overhead's window (the pack's default). */
  windowNs: number;
}

/** The scenario the pack's tests check: 400 ms, three CPUs, two VMs of two vCPUs each. */
export const CR3_SCENARIO: Cr3ScenarioConfig = {
  seed: 11,
  cpus: 3,
  durationNs: 400_000_000,
  sliceNs: 6_000_000,
  tickNs: 4_000_000,
  timerNs: 4_000_000,
  plain: { name: "app", vcpus: 2, cpus: [0, 1], procs: [{ name: "web", kind: "net" }, { name: "db", kind: "disk" }, { name: "batch", kind: "timer" }], rxPps: 800 },
  nested: {
    name: "nest", vcpus: 2, cpus: [1, 2], agent: "l1-agent",
    l2: [{ name: "alpha", procs: ["alpha-web", "alpha-cron"] }, { name: "beta", procs: ["beta-db", "beta-sync"] }],
    misconfigured: { guest: "beta", from: 150_000_000, until: 300_000_000 },
  },
  noisy: { cpus: [1], from: 100_000_000, until: 200_000_000 },
  rplusFrac: 0.35,
  windowNs: 100_000_000,
};

/** qemu process ids of the plain VM and of the L1 hypervisor VM (vCPU threads are pid + 2 + i). */
export const PLAIN_PID = 2000;
export const NESTED_PID = 2100;

/** Runs the simulation; the same config gives the same events and truth. */
export function simulate(config: Cr3ScenarioConfig = CR3_SCENARIO, exitName: (code: number) => string = String): Scenario {
  const truth = new TruthRecorder(exitName, 10_000_000, NESTED_EXITS);
  const cr3 = new Cr3Truth(NESTED_EXITS, config.windowNs);
  const sim = newSimContext(config, truth);
  const { host, rng } = sim;
  const spaces: Space[] = [];
  const vm = (name: string, pid: number, profile: VmThreads["profile"], guest: Guest & { spaces: Space[] }, vcpuCpus: number[]): VmThreads => {
    const t: VmThreads = { name, pid, profile, vcpus: [] };
    vcpuCpus.forEach((cpu, i) => t.vcpus.push(new GuestVcpu(sim, cr3, t, guest, i, pid + 2 + i, cpu, config.timerNs)));
    sim.vms.push(t);
    spaces.push(...guest.spaces);
    return t;
  };

  const plain = vm(config.plain.name, PLAIN_PID, "disk", new PlainGuest(rng, PLAIN_PID, config.plain.procs), config.plain.cpus.slice(0, config.plain.vcpus));
  const io = new IoThread(sim, plain, PLAIN_PID + 1, config.cpus - 1);
  plain.submitDisk = (from) => io.submit(from);
  plain.tap = "vnet0";
  const vhost = new Vhost(sim, plain, 3000, 0, [...Array(config.cpus).keys()], config.plain.rxPps, 30_000_000);
  plain.kickVhost = (from) => vhost.kick(from);
  const nested = vm(config.nested.name, NESTED_PID, "nested", new NestedGuest(rng, NESTED_PID, config.nested), config.nested.cpus.slice(0, config.nested.vcpus));
  for (const v of [...plain.vcpus, ...nested.vcpus]) host.start(v);
  const { events, last, trace } = runScenarioHost(sim, config);
  const vms = [plain, nested].map((v) => ({ name: v.name, pid: v.pid, profile: v.profile, vcpus: v.vcpus.map((x) => ({ vcpu_id: (x as GuestVcpu).vcpuId, tid: x.tid })) }));
  return {
    events,
    truth: {
      ...truth.finish({
        scenario: "vigil test/scenario cr3", seed: config.seed, context_fields: true, time_unit: "ns",
        trace, vms, config,
      }, last),
      spaces: spaces.map((s) => ({ vm_pid: s.vmPid, name: s.name, level: s.level, pgd: hexOf(s.pgd), vmm_of: s.vmmOf, guest: s.guestVmm?.name ?? null })),
      cr3: cr3.finish(last),
    },
  };
}
