/**
 * `npm run bench:critical-path`: the sched pack over a generated ≥5M-event kernel trace, the
 * whole-trace execution graph, and one critical path — time and memory of each stage.
 * Results: bench/results/critical-path.json.
 *
 * The workload is a scheduler simulation (deterministic PRNG): 2000 threads on 8 CPUs that
 * block, get preempted and wake each other, with hard interrupts, softirqs and hrtimers waking
 * threads too — every kind of wait the graph types. Events are pushed to the compiled program
 * as a reader would hand them (no file I/O, so the figure is the engine's and the graph's).
 * Options: --events N (default 5M), --seed S.
 */
import { cpus, loadavg } from "node:os";
import { getHeapStatistics } from "node:v8";
import { buildExecGraph, criticalPath, findThreads } from "../engine/analyses/critical-path.js";
import { graphSchema } from "../engine/analyses/critical-path/run-packs.js";
import { compile } from "../engine/compile.js";
import type { TraceEvent } from "../engine/model/event.js";
import { Program } from "../engine/runtime/program.js";
import { numberArg, writeBenchResult } from "./bench-env.js";

const N = numberArg("--events", 5_000_000);
const SEED = numberArg("--seed", 1);
const CPUS = 8;
const THREADS = 2000;
const FIRST_TID = 1000;

/** Calls `feed` with N scheduler events in time order; returns the count. */
function generate(n: number, seed: number, feed: (ev: TraceEvent) => void): number {
  let s = seed >>> 0;
  const rnd = () => { s = (s + 0x6d2b79f5) >>> 0; let t = Math.imul(s ^ (s >>> 15), s | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const cur = new Array<number>(CPUS).fill(0);
  const blocked: number[] = [];
  const runnable: number[] = [];
  for (let i = 0; i < THREADS; i++) (i < CPUS * 4 ? runnable : blocked).push(FIRST_TID + i);
  const take = (xs: number[]) => { const i = Math.floor(rnd() * xs.length); const x = xs[i]!; xs[i] = xs[xs.length - 1]!; xs.pop(); return x; };
  let ts = 1_000_000;
  let count = 0;
  const emit = (name: string, cpu: number, fields: TraceEvent["fields"]) => { feed({ name, ts, cpu, host: 0, fields, context: null }); count++; };
  const comm = (tid: number) => (tid === 0 ? "swapper" : `worker-${tid}`);
  const wake = (cpu: number) => {
    if (blocked.length === 0) return;
    const tid = take(blocked);
    runnable.push(tid);
    emit("sched_waking", cpu, { comm: comm(tid), tid, prio: 120, target_cpu: cpu });
    if (rnd() < 0.5) { ts += 200; emit("sched_wakeup", cpu, { comm: comm(tid), tid, prio: 120, target_cpu: cpu }); }
  };
  while (count < n) {
    ts += 1000 + Math.floor(rnd() * 20_000);
    const c = Math.floor(rnd() * CPUS);
    const r = rnd();
    if (r < 0.35) {
      const prev = cur[c]!;
      const next = runnable.length > 0 ? take(runnable) : 0;
      let state = 0;
      if (prev !== 0) {
        state = rnd() < 0.6 ? 1 : 0;
        (state === 0 ? runnable : blocked).push(prev);
      }
      cur[c] = next;
      emit("sched_switch", c, { prev_comm: comm(prev), prev_tid: prev, prev_prio: 120, prev_state: state, next_comm: comm(next), next_tid: next, next_prio: 120 });
    } else if (r < 0.6) {
      if (cur[c] !== 0) wake(c);
    } else if (r < 0.72) {
      const irq = pick([0, 24, 28, 30]);
      emit("irq_handler_entry", c, { irq, name: irq === 0 ? "timer" : `dev${irq}` });
      ts += 500;
      if (rnd() < 0.5) wake(c);
      ts += 500;
      emit("irq_handler_exit", c, { irq, ret: 1 });
    } else if (r < 0.88) {
      const vec = pick([1, 3, 4, 7, 9]);
      emit("softirq_entry", c, { vec });
      ts += 500;
      if (rnd() < 0.5) wake(c);
      ts += 500;
      emit("softirq_exit", c, { vec });
    } else {
      emit("hrtimer_expire_entry", c, { hrtimer: 0xffff0000 + c, now: ts, function: "hrtimer_wakeup" });
      ts += 300;
      wake(c);
      ts += 300;
      emit("hrtimer_expire_exit", c, { hrtimer: 0xffff0000 + c });
    }
  }
  return count;
}

const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function main(): Promise<void> {
  const loadStart = loadavg()[0]!;
  let t0 = process.hrtime.bigint();
  generate(N, SEED, () => {});
  const generateOnly = secs(t0);

  const out = compile({ packs: ["sched"], traceSchema: graphSchema([], ["sched"]) });
  if (!out.program) throw new Error(out.diagnostics.map((d) => d.message).join("\n"));
  const prog = new Program(out.program, { hosts: ["bench"], print: () => {} });
  t0 = process.hrtime.bigint();
  const events = generate(N, SEED, (ev) => prog.push(ev));
  const result = await prog.finish();
  const run = secs(t0);
  const heapAfterRun = getHeapStatistics().used_heap_size;

  t0 = process.hrtime.bigint();
  const g = buildExecGraph(result);
  const graph = secs(t0);
  const heapAfterGraph = getHeapStatistics().used_heap_size;
  let vertical = 0;
  for (let v = 0; v < g.inFrom.length; v++) if (g.inFrom[v]! >= 0) vertical++;
  const typed = [g.first, g.ts, g.owner, g.out, g.outCause, g.inFrom, g.inKind].reduce((a, x) => a + x.byteLength, 0);

  t0 = process.hrtime.bigint();
  const key = findThreads(g, { tid: FIRST_TID })[0]!;
  const report = criticalPath(result, g, key);
  const path = secs(t0);

  const doc = {
    bench: "critical-path", date: new Date().toISOString(), node: process.version, cpu: `${cpus()[0]?.model ?? "?"} x${cpus().length}`,
    // the machine is shared: a load average above its CPU count inflates every time below
    load_average_1m: [loadStart, loadavg()[0]!].map((x) => Math.round(x * 100) / 100),
    workload: { events, threads: THREADS, cpus: CPUS, seed: SEED, span_s: (result.last - result.first) / 1e9 },
    run: { seconds: run, events_per_s: Math.round(events / run), generator_alone_s: generateOnly, intervals: result.states["sched.thread"]!.length, wakeup_links: result.links["sched.wakeup"]!.length },
    graph: { seconds: graph, workers: g.workers.length, vertices: g.ts.length, vertical_edges: vertical, typed_array_mb: mb(typed) },
    critical_path: { seconds: path, target: report.target.label, rows: report.rows.length, span_s: (report.target.end - report.target.start) / 1e9, truncated: report.truncated },
    memory: { peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), heap_after_run_mb: mb(heapAfterRun), heap_after_graph_mb: mb(heapAfterGraph) },
  };
  writeBenchResult("critical-path", doc);
}

await main();
