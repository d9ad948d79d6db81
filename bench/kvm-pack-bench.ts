/**
 * The whole kvm rule pack against babeltrace2's decode alone, on the same CTF trace, in the same
 * run: `vigil run --pack kvm` with its terminal report (every machine, sequence, table and
 * alert of rules/kvm; no interval history, only the report's summaries) versus `babeltrace2 -o dummy` (decodes every event and discards it: the floor of
 * any babeltrace2-based analysis). Results: bench/results/kvm-pack.json. Build first
 * (`npm run build`), then `node dist/bench/kvm-pack-bench.js [--copies K] [--rounds R]` (or
 * `npm run bench:kvm`).
 *
 * The trace is ../shared/traces/simulated-kvm-host/ctf (CTF written by babeltrace2's own
 * sink.ctf.fs: 150,002 events of an 8-CPU kvm host with six VMs) replicated K times by
 * bench/ctf-replicate.ts (default 34: 5.1M events; every copy's clock shifted past the previous
 * one, packets renumbered; nothing invented). Both tools run as processes timed by
 * /usr/bin/time (wall time and peak RSS, start-up and, for Vigil, rule compilation included),
 * output discarded, best of R rounds (default 3). Peak memory is also measured on a quarter
 * of the copies, to show it does not grow with the trace's length; Vigil with every interval
 * in its output (JSON) runs once on each trace, and once with a rule that matches nothing
 * on the whole one (the cost of reading, merging and the context model alone).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { numberArg, REPO_ROOT, writeBenchResult } from "./bench-env.js";
import { replicateTrace } from "./ctf-replicate.js";
import { bestOf, measureProcess, type ProcessTiming } from "./measure-process.js";

const COPIES = numberArg("--copies", 34);
const ROUNDS = numberArg("--rounds", 3);
const VIGIL = join(REPO_ROOT, "dist", "cli", "main.js");
const SOURCE = process.env.VIGIL_SHARED
  ? join(process.env.VIGIL_SHARED, "traces", "simulated-kvm-host", "ctf", "kernel")
  : resolve(REPO_ROOT, "..", "shared", "traces", "simulated-kvm-host", "ctf", "kernel");

/** Best wall time of `rounds` runs of `argv`. */
function best(argv: string[], rounds: number): ProcessTiming {
  return bestOf(rounds, () => measureProcess(argv, { hint: "are babeltrace2 and /usr/bin/time installed, and Vigil built?" }), (t) => t.wallSeconds);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "vigil-kvm-pack-bench-"));
  try {
    const full = join(dir, "full");
    const quarter = join(dir, "quarter");
    const events = replicateTrace(SOURCE, COPIES, full);
    const quarterCopies = Math.max(1, Math.round(COPIES / 4));
    const quarterEvents = replicateTrace(SOURCE, quarterCopies, quarter);
    console.error(`replicated ${COPIES}x: ${events} events (and ${quarterCopies}x: ${quarterEvents})`);
    const vigilArgs = [process.execPath, VIGIL, "run", "--pack", "kvm", "-q", "--input-format", "ctf"];
    // The terminal report (the default) keeps no interval history, only its summaries.
    const vigil = best([...vigilArgs, full], ROUNDS);
    const vigilQuarter = best([...vigilArgs, quarter], 1);
    // Every interval and segment in the JSON output (spilled to temporary files as they close):
    // on the quarter trace and the whole one, for peak memory against trace length.
    const vigilStates = best([...vigilArgs, "--format", "json", "--output", "/dev/null", quarter], 1);
    const vigilStatesFull = best([...vigilArgs, "--format", "json", "--output", "/dev/null", full], 1);
    // the same run with one rule that matches nothing: what reading and merging cost alone
    const none = join(dir, "none.vgl");
    writeFileSync(none, "alert nothing on no_such_event\n");
    const vigilRead = best([process.execPath, VIGIL, "run", "-q", "--input-format", "ctf", "--no-states", none, full], 1);
    const bt = best(["babeltrace2", "-o", "dummy", full], ROUNDS);
    const rate = (s: number) => Math.round(events / s);
    const mib = (k: number) => Math.round(k / 1024);
    const version = spawnSync("babeltrace2", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] ?? "unknown";
    const result = {
      date: new Date().toISOString(),
      trace: `../shared/traces/simulated-kvm-host/ctf/kernel x${COPIES} (bench/ctf-replicate.ts)`,
      events,
      node: process.version,
      vigil: {
        command: "vigil run --pack kvm -q --input-format ctf TRACE",
        seconds: vigil.wallSeconds, eventsPerSecond: rate(vigil.wallSeconds), maxRssMiB: mib(vigil.maxRssKiB),
        quarterTrace: { events: quarterEvents, maxRssMiB: mib(vigilQuarter.maxRssKiB), seconds: vigilQuarter.wallSeconds },
        withStates: {
          command: "vigil run --pack kvm -q --input-format ctf --format json --output /dev/null TRACE",
          quarterTrace: { events: quarterEvents, seconds: vigilStates.wallSeconds, maxRssMiB: mib(vigilStates.maxRssKiB) },
          wholeTrace: { events, seconds: vigilStatesFull.wallSeconds, maxRssMiB: mib(vigilStatesFull.maxRssKiB) },
        },
        readOnly: { command: "vigil run --no-states -q --input-format ctf NONE.vgl TRACE (a rule that matches nothing)", seconds: vigilRead.wallSeconds, eventsPerSecond: rate(vigilRead.wallSeconds) },
      },
      babeltrace2: { version, command: "babeltrace2 -o dummy TRACE", seconds: bt.wallSeconds, eventsPerSecond: rate(bt.wallSeconds), maxRssMiB: mib(bt.maxRssKiB) },
      ratio: {
        "babeltrace2 -o dummy / vigil --pack kvm": Number((bt.wallSeconds / vigil.wallSeconds).toFixed(2)),
        target: 3,
      },
      note: "ratio = babeltrace2's decode-only wall time over the full kvm analysis's (higher is better for Vigil; the issue's target is >= 3). Wall time and peak RSS from /usr/bin/time (10 ms resolution), process start-up included (Node, rule compilation). Output discarded. quarterTrace: the same run on a quarter of the copies, for peak memory against trace length.",
    };
    writeBenchResult("kvm-pack", result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
