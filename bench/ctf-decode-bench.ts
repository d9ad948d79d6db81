/**
 * CTF decoding speed: Vigil's native reader against babeltrace2 on the same traces, in the
 * same run. Results: bench/results/ctf-decode.json. Build first (`npx tsc`), then
 * `node dist/bench/ctf-decode-bench.js [--rounds R] [--copies K]`.
 *
 * Traces: the biggest shared CTF trace (`simulated-kvm-host/ctf/kernel`, 150,002 events, as is)
 * and the biggest real LTTng kernel trace (`lttng-ref-basic-kernel-analysis`) replicated K
 * times (default 38: 5.1M events) with `replicateTrace` (packets repeated, clocks shifted; no
 * content invented), written to the temp directory and removed.
 *
 * Vigil: open + every batch (full decode of every field into the event objects rules read,
 * merge of the CPU streams by time), in a fresh Node process per round so its time includes
 * metadata parsing, code generation and JIT warm-up, and its peak RSS is the reader's own.
 * babeltrace2: `-o dummy` (decode, no output) and `-c sink.utils.counter`. Best wall time of
 * R rounds (default 3) each; events/s = events / seconds.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ctfReader } from "../engine/readers/ctf/index.js";
import { replicateTrace } from "./ctf-replicate.js";

const args = process.argv.slice(2);
const arg = (name: string, def: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const ROUNDS = arg("--rounds", 3);
const COPIES = arg("--copies", 38);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, here.includes(join("dist", "bench")) ? "../.." : "..");
const shared = process.env.VIGIL_SHARED ?? resolve(repo, "..", "shared");

interface Run {
  seconds: number;
  events: number;
  maxRssKiB: number;
}

/** One read in this process (child mode): prints a `Run` as JSON. */
async function vigilChild(path: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  const issues: string[] = [];
  const sources = await ctfReader.open(path, { onIssue: (i) => issues.push(i.message) });
  let events = 0;
  for (const s of sources) {
    await s.open();
    for await (const batch of s.batches(s.first ?? 0n, 0)) events += batch.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (issues.length > 0) throw new Error(`issues reading ${path}: ${issues.slice(0, 3).join("; ")}`);
  console.log(JSON.stringify({ seconds, events, maxRssKiB: process.resourceUsage().maxRSS }));
}

function vigilOnce(path: string): Run {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", path], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vigil child failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) as string) as Run;
}

function bt2Once(argv: string[]): Omit<Run, "events"> {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", "babeltrace2", ...argv], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`babeltrace2 ${argv.join(" ")} failed (apt-get install -y babeltrace2 time): ${r.stderr.slice(-800)}`);
  const [seconds, rss] = (r.stderr.trim().split("\n").at(-1) as string).split(" ").map(Number) as [number, number];
  return { seconds, maxRssKiB: rss };
}

function best<T extends { seconds: number }>(f: () => T): T {
  let b: T | null = null;
  for (let i = 0; i < ROUNDS; i++) {
    const r = f();
    if (b === null || r.seconds < b.seconds) b = r;
  }
  return b as T;
}

function measure(label: string, path: string): Record<string, unknown> {
  const vigil = best(() => vigilOnce(path));
  const dummy = best(() => bt2Once(["-o", "dummy", path]));
  const counter = best(() => bt2Once([path, "-c", "sink.utils.counter"]));
  const rate = (s: number) => Math.round(vigil.events / s);
  console.error(`${label}: ${vigil.events} events, vigil ${vigil.seconds.toFixed(2)} s, babeltrace2 -o dummy ${dummy.seconds} s`);
  return {
    trace: label,
    events: vigil.events,
    vigil: { seconds: Number(vigil.seconds.toFixed(3)), eventsPerSecond: rate(vigil.seconds), maxRssMiB: Math.round(vigil.maxRssKiB / 1024) },
    babeltrace2: {
      "-o dummy": { seconds: dummy.seconds, eventsPerSecond: rate(dummy.seconds), maxRssMiB: Math.round(dummy.maxRssKiB / 1024) },
      "-c sink.utils.counter": { seconds: counter.seconds, eventsPerSecond: rate(counter.seconds), maxRssMiB: Math.round(counter.maxRssKiB / 1024) },
    },
    ratio: {
      "vigil / babeltrace2 -o dummy": Number((dummy.seconds / vigil.seconds).toFixed(2)),
      "vigil / babeltrace2 -c sink.utils.counter": Number((counter.seconds / vigil.seconds).toFixed(2)),
    },
  };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "vigil-ctf-bench-"));
  try {
    const results = [measure("simulated-kvm-host/ctf/kernel (as is)", join(shared, "traces", "simulated-kvm-host", "ctf", "kernel"))];
    const rep = join(tmp, "kernel");
    replicateTrace(join(shared, "traces", "lttng-ref-basic-kernel-analysis", "kernel"), COPIES, rep);
    results.push(measure(`lttng-ref-basic-kernel-analysis/kernel x${COPIES}`, rep));
    const version = spawnSync("babeltrace2", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] ?? "unknown";
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      babeltrace2: version,
      machine: { cpus: cpus().length, loadavg1: Number(loadavg()[0].toFixed(2)) },
      rounds: ROUNDS,
      results,
      note:
        "Wall seconds, best of the rounds; babeltrace2 times from /usr/bin/time (10 ms resolution). Vigil runs in a fresh process per round: " +
        "its time includes Node start-up, metadata parsing, decoder generation and JIT warm-up, which weigh most on the small trace.",
    };
    const out = join(repo, "bench", "results", "ctf-decode.json");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (args[0] === "--child") await vigilChild(args[1] as string);
else await main();
