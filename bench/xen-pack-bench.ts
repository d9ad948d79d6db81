/**
 * The xen rule pack against xenalyze on the same file, in the same run: `vigil run --pack xen`
 * (every table, machine and alert of rules/xen) versus `xenalyze --summary` (Debian
 * xen-utils-common), which computes the same runstate, exit and interrupt summaries.
 * Results: bench/results/xen-pack.json. Build first (`npm run build`), then
 * `node dist/bench/xen-pack-bench.js [--copies K] [--rounds R]` (or `npm run bench:xen`).
 *
 * The file is the real trace `../shared/traces/xentrace-parser-rs-example/xentrace.bin`
 * replicated K times (default 28, just over 5M records), every copy's TSCs shifted past the
 * previous copy's, by bench/xentrace-replicate.ts: between copies each CPU gets a window
 * holding one lost-records record (count 0), which makes xenalyze reset its scheduling state
 * at the seam (without it its analysis stops there) and makes Vigil mark the run uncertain.
 * Nothing is invented: every other record is the trace's own.
 *
 * Both tools run as processes timed by /usr/bin/time (wall time and peak RSS, start-up and,
 * for Vigil, rule compilation included), output discarded, best of R rounds (default 3).
 * Vigil runs with `--no-states` (tables, segments' tables and alerts, no interval history: what
 * xenalyze keeps too) and, once, keeping every interval (JSON output).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { numberArg, REPO_ROOT, writeBenchResult } from "./bench-env.js";
import { bestOf, measureProcess, type ProcessTiming } from "./measure-process.js";
import { replicateXentrace, XENTRACE_SAMPLE, XENTRACE_SAMPLE_PATH } from "./xentrace-replicate.js";

const COPIES = numberArg("--copies", 28);
const ROUNDS = numberArg("--rounds", 3);
const VIGIL = join(REPO_ROOT, "dist", "cli", "main.js");

/** Best wall time of `rounds` runs of `argv`. */
function best(argv: string[], rounds: number): ProcessTiming {
  return bestOf(rounds, () => measureProcess(argv, { hint: "are xen-utils-common and /usr/bin/time installed?" }), (t) => t.wallSeconds);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "vigil-xen-pack-bench-"));
  try {
    const { bytes, records } = replicateXentrace(new Uint8Array(readFileSync(XENTRACE_SAMPLE_PATH)), COPIES);
    const path = join(dir, "replicated.bin");
    writeFileSync(path, bytes);
    console.error(`replicated ${COPIES}x: ${records} records, ${(bytes.length / 2 ** 20).toFixed(1)} MiB`);
    const vigilArgs = [process.execPath, VIGIL, "run", "--pack", "xen", "-q"];
    const vigil = best([...vigilArgs, "--no-states", path], ROUNDS);
    // every interval kept, as JSON output needs them
    const vigilStates = best([...vigilArgs, "--format", "json", "--output", "/dev/null", path], 1);
    const xenalyze = best(["xenalyze", "--summary", path], ROUNDS);
    const rate = (s: number) => Math.round(records / s);
    const mib = (k: number) => Math.round(k / 1024);
    const version = spawnSync("dpkg-query", ["-W", "-f=${Version}", "xen-utils-common"], { encoding: "utf8" }).stdout || "unknown";
    const result = {
      date: new Date().toISOString(),
      trace: XENTRACE_SAMPLE,
      copies: COPIES,
      records,
      bytes: bytes.length,
      node: process.version,
      vigil: {
        command: "vigil run --pack xen --no-states -q FILE",
        seconds: vigil.wallSeconds, recordsPerSecond: rate(vigil.wallSeconds), maxRssMiB: mib(vigil.maxRssKiB),
        withStates: { command: "vigil run --pack xen -q --format json --output /dev/null FILE", seconds: vigilStates.wallSeconds, maxRssMiB: mib(vigilStates.maxRssKiB) },
      },
      xenalyze: { package: `xen-utils-common ${version}`, command: "xenalyze --summary FILE", seconds: xenalyze.wallSeconds, recordsPerSecond: rate(xenalyze.wallSeconds), maxRssMiB: mib(xenalyze.maxRssKiB) },
      ratio: { "vigil / xenalyze --summary": Number((vigil.wallSeconds / xenalyze.wallSeconds).toFixed(2)), "vigil with states / xenalyze --summary": Number((vigilStates.wallSeconds / xenalyze.wallSeconds).toFixed(2)) },
      note: "ratio = Vigil's wall time over xenalyze's (higher is slower). Wall time and peak RSS from /usr/bin/time (10 ms resolution), process start-up included (Node, rule compilation). Output discarded. The lost-records seams between copies make both tools reset per-CPU state and Vigil report UNCERTAIN.",
    };
    writeBenchResult("xen-pack", result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
