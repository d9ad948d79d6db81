/**
 * The host part every scenario shares (kvm-scenario.ts, cr3-scenario.ts): the simulated
 * machine's parameters, its context, and the run itself with the threads every scenario has
 * besides its VMs — the noisy neighbour's CPU hogs and one kworker per CPU — so the scenarios
 * differ only in the VMs they build.
 *
 * Contract: `newSimContext` makes a fresh host and PRNG (seeded with `config.seed`) and no VMs;
 * the caller adds its VMs and starts their threads; `runScenarioHost` then adds the hogs and
 * kworkers, in that order and after the VMs (threads draw from the one PRNG as they are made,
 * so this order is part of what a seed means), runs to `durationNs` and summarises the trace as
 * the truth files do.
 */
import type { SimContext } from "./context.js";
import { Hog, Kworker } from "./devices.js";
import { Host, type SimEvent } from "./host.js";
import { Rng } from "./rng.js";
import type { TruthRecorder } from "./truth.js";

/** What a scenario sets for the host itself, beside its VMs. */
export interface ScenarioHostConfig {
  seed: number;
  cpus: number;
  durationNs: number;
  sliceNs: number;
  tickNs: number;
  /** CPU hogs named `xz`: on which CPUs, and when. */
  noisy: { cpus: number[]; from: number; until: number };
  /** Fraction of vCPU preemptions recorded as R+ rather than R. */
  rplusFrac: number;
}

/** The trace as a truth file describes it. */
export interface TraceSummary {
  start: number;
  end: number;
  events: number;
  events_by_name: Record<string, number>;
}

/** A fresh host and PRNG for `config`, recording into `truth`, with no VMs yet. */
export function newSimContext(config: ScenarioHostConfig, truth: TruthRecorder): SimContext {
  const host = new Host({ cpus: config.cpus, sliceNs: config.sliceNs, tickNs: config.tickNs });
  return { host, rng: new Rng(config.seed), truth, vms: [], rplusFrac: config.rplusFrac };
}

/** Adds the hogs and kworkers, runs the simulation to its end, and returns its events. */
export function runScenarioHost(sim: SimContext, config: ScenarioHostConfig): { events: SimEvent[]; last: number; trace: TraceSummary } {
  const { host } = sim;
  config.noisy.cpus.forEach((c, k) => new Hog(sim, 4001 + k, 4000, c, config.noisy.from, config.noisy.until));
  for (let c = 0; c < config.cpus; c++) new Kworker(sim, 100 + c, c);
  host.runUntil(config.durationNs);
  const events = host.out;
  const byName: Record<string, number> = {};
  for (const e of events) byName[e.name] = (byName[e.name] ?? 0) + 1;
  const last = host.lastEventTs;
  return { events, last, trace: { start: events[0]!.ts, end: last, events: events.length, events_by_name: byName } };
}
