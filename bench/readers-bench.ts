/**
 * `npm run bench:readers`: Vigil's CTF decoder against babeltrace2 on the same trace, in the
 * same run, plus decode + a 100-rule stateless pack. Results: bench/results/readers.json.
 * Options: --rounds R (default 3), --copies K (default 38: 5.1M events), --small K (default 10).
 *
 * Trace: the largest real kernel trace in ../shared/traces (`lttng-ref-basic-kernel-analysis`,
 * lttng-modules 2.10, 134,500 events) replicated K times with `replicateTrace` (its packets
 * repeated with shifted clocks; no content invented), and a second, smaller copy to show that
 * the peak RSS does not grow with the trace.
 *
 * Measured, interleaved round by round so that load changes hit every contender alike:
 * - vigil decode: a fresh Node process opens the trace and reads every batch (every field of
 *   every event decoded into the objects rules read, streams merged by time). Its time
 *   includes Node start-up, metadata parsing, decoder generation and JIT warm-up.
 * - `babeltrace2 -o dummy` (decode, no output) and `babeltrace2 -c sink.utils.counter`.
 * - vigil decode + pack: 100 `alert rK on EVENT where FIELD == CONST` rules written from the
 *   trace's own names, fields and values (`ctf-pack-rules.ts`), compiled with the trace's
 *   schema (engine/compile.ts) and run with `runSources(..., { history: false })`.
 * Every contender is a whole process timed by `/usr/bin/time`: wall and CPU (user + sys)
 * seconds, best of R each; events/s = events / seconds; peak RSS (`%M`). The machine is shared: the load average is
 * recorded, and CPU-time ratios are the steadier ones when it is high.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { numberArg, REPO_ROOT, writeBenchResult } from "./bench-env.js";
import { ctfReader } from "../engine/readers/ctf/index.js";
import { packFromTrace } from "./ctf-pack-rules.js";
import { replicateTrace } from "./ctf-replicate.js";
import { measureProcess } from "./measure-process.js";

const args = process.argv.slice(2);
const ROUNDS = numberArg("--rounds", 3);
const COPIES = numberArg("--copies", 38);
const SMALL = numberArg("--small", 10);
const RULES = 100;
const shared = process.env.VIGIL_SHARED ?? resolve(REPO_ROOT, "..", "shared");
const TRACE = join(shared, "traces", "lttng-ref-basic-kernel-analysis", "kernel");

/** One timed run of one contender. */
interface Run {
  wall: number;
  cpu: number;
  events: number;
  maxRssKiB: number;
  alerts?: number;
}

// --- child side: one read (or read + rules) in a fresh process; prints what it saw ---

async function child(mode: string, path: string, packFile: string | undefined): Promise<void> {
  const errors: string[] = [];
  const sources = await ctfReader.open(path, { onIssue: (i) => void (i.severity === "error" && errors.push(i.message)) });
  for (const s of sources) await s.open();
  let events = 0;
  let alerts: number | undefined;
  if (mode === "decode") {
    for (const s of sources) for await (const batch of s.batches(s.first ?? 0n, 0)) events += batch.length;
  } else {
    // Loaded here only: the decode-only child does not pay for the compiler's modules.
    const { compile } = await import("../engine/compile.js");
    const { runSources } = await import("../engine/run.js");
    const out = compile({ sources: [{ file: "readers-bench-pack.vgl", text: readFileSync(packFile as string, "utf8") }], traceSchema: sources[0]?.schema ?? null });
    if (out.program === null) throw new Error(`pack does not compile: ${out.diagnostics.map((d) => d.message).join("; ")}`);
    const result = await runSources(out.program, sources, { history: false, print: () => {} });
    events = result.stats.events;
    alerts = result.alerts.length;
  }
  if (errors.length > 0) throw new Error(`errors reading ${path}: ${errors.slice(0, 3).join("; ")}`);
  console.log(JSON.stringify({ events, alerts }));
}

// --- parent side: every contender is a whole process timed by /usr/bin/time ---

function vigil(mode: "decode" | "pack", path: string, packFile: string): Run {
  const r = _timed(process.execPath, [fileURLToPath(import.meta.url), "--child", mode, path, packFile]);
  const seen = JSON.parse(r.stdout.trim().split("\n").at(-1) as string) as { events: number; alerts?: number };
  return { ...r.run, events: seen.events, alerts: seen.alerts };
}

function bt2(argv: string[]): Run {
  const r = _timed("babeltrace2", argv);
  // The counter sink says how many events it saw; -o dummy says nothing.
  const m = /(\d+) Event messages/.exec(r.stdout);
  return { ...r.run, events: m === null ? -1 : Number(m[1]) };
}

function _timed(cmd: string, argv: string[]): { run: Run; stdout: string } {
  const t = measureProcess([cmd, ...argv], { captureStdout: true, hint: "needs apt packages babeltrace2 and time" });
  return { run: { wall: t.wallSeconds, cpu: t.cpuSeconds, events: -1, maxRssKiB: t.maxRssKiB }, stdout: t.stdout };
}

/** Best wall and best CPU time over the rounds, with the largest peak RSS seen. */
interface Summary {
  events: number;
  bestWallSeconds: number;
  bestCpuSeconds: number;
  eventsPerSecondWall: number;
  eventsPerSecondCpu: number;
  maxRssMiB: number;
  alerts?: number;
}

function summarize(runs: Run[], events: number): Summary {
  const wall = Math.min(...runs.map((r) => r.wall));
  const cpu = Math.min(...runs.map((r) => r.cpu));
  const s: Summary = {
    events,
    bestWallSeconds: Number(wall.toFixed(3)),
    bestCpuSeconds: Number(cpu.toFixed(3)),
    eventsPerSecondWall: Math.round(events / wall),
    eventsPerSecondCpu: Math.round(events / cpu),
    maxRssMiB: Math.round(Math.max(...runs.map((r) => r.maxRssKiB)) / 1024),
  };
  if (runs[0]?.alerts !== undefined) s.alerts = runs[0].alerts;
  return s;
}

function ratio(slow: Summary, fast: Summary): { wall: number; cpu: number } {
  return { wall: Number((slow.bestWallSeconds / fast.bestWallSeconds).toFixed(2)), cpu: Number((slow.bestCpuSeconds / fast.bestCpuSeconds).toFixed(2)) };
}

/** Runs every contender on `path`, interleaved, R rounds; checks that all saw every event. */
function measure(path: string, expected: number, packFile: string | null): Record<string, Summary> {
  const runs: Record<string, Run[]> = { vigil: [], "babeltrace2 -o dummy": [], "babeltrace2 -c sink.utils.counter": [] };
  if (packFile !== null) runs["vigil + 100-rule pack"] = [];
  for (let r = 0; r < ROUNDS; r++) {
    runs.vigil.push(vigil("decode", path, ""));
    runs["babeltrace2 -o dummy"].push(bt2(["-o", "dummy", path]));
    runs["babeltrace2 -c sink.utils.counter"].push(bt2([path, "-c", "sink.utils.counter", "-p", "step=+0"]));
    if (packFile !== null) runs["vigil + 100-rule pack"].push(vigil("pack", path, packFile));
    process.stderr.write(`  round ${r + 1}/${ROUNDS}: ${Object.entries(runs).map(([k, v]) => `${k} ${v.at(-1)?.wall.toFixed(2)} s`).join(", ")}\n`);
  }
  for (const [k, v] of Object.entries(runs)) {
    for (const run of v) if (run.events !== -1 && run.events !== expected) throw new Error(`${k} saw ${run.events} events, expected ${expected}`);
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarize(v, expected)]));
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "vigil-readers-bench-"));
  const load0 = loadavg()[0];
  try {
    const pack = await packFromTrace(TRACE, RULES);
    const packFile = join(tmp, "pack.vgl");
    writeFileSync(packFile, pack.text);
    const sizes: Array<Record<string, unknown>> = [];
    for (const copies of [SMALL, COPIES]) {
      const dir = join(tmp, `kernel-x${copies}`);
      const events = replicateTrace(TRACE, copies, dir);
      process.stderr.write(`${TRACE} x${copies}: ${events} events\n`);
      const big = copies === COPIES;
      const m = measure(dir, events, big ? packFile : null);
      const row: Record<string, unknown> = { trace: `lttng-ref-basic-kernel-analysis/kernel x${copies}`, events, results: m };
      const v = m.vigil;
      row.ratios = {
        "babeltrace2 -o dummy time / vigil time": ratio(m["babeltrace2 -o dummy"], v),
        "babeltrace2 -c sink.utils.counter time / vigil time": ratio(m["babeltrace2 -c sink.utils.counter"], v),
      };
      if (big) {
        (row.ratios as Record<string, unknown>)["babeltrace2 -o dummy time / (vigil + 100-rule pack) time"] = ratio(m["babeltrace2 -o dummy"], m["vigil + 100-rule pack"]);
      }
      rmSync(dir, { recursive: true, force: true });
      sizes.push(row);
    }
    const version = spawnSync("babeltrace2", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] ?? "unknown";
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      babeltrace2: version,
      machine: { cpus: cpus().length, loadavg1AtStart: Number(load0.toFixed(2)), loadavg1AtEnd: Number(loadavg()[0].toFixed(2)) },
      rounds: ROUNDS,
      targets: { "decode vs babeltrace2 -o dummy": 8, "decode + 100-rule pack vs babeltrace2 -o dummy": 4 },
      sizes,
      pack: { rules: pack.rules.length, sample: pack.text.split("\n").slice(0, 5) },
      note:
        "Best of the rounds for wall and for CPU (user+sys) seconds, separately, of whole processes timed by /usr/bin/time (10 ms resolution). " +
        "Vigil's include Node start-up, module loading, metadata parsing, decoder generation and JIT warm-up, and its CPU time V8's background " +
        "compiler and GC threads. Peak RSS is the largest of the rounds; compare it across the two sizes.",
    };
    writeBenchResult("readers", result);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (args[0] === "--child") await child(args[1] as string, args[2] as string, args[3]);
else await main();
