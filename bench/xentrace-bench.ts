/**
 * xentrace decoding speed: Vigil's reader against xenalyze on the same file, in the same run.
 * Results: bench/results/xentrace.json. Build first (`npm run build`), then
 * `node dist/bench/xentrace-bench.js [--copies K] [--rounds R]`.
 *
 * The file is the real trace `../shared/traces/xentrace-parser-rs-example/xentrace.bin`
 * replicated K times (default 28, 5.06M records, 104 MiB): each copy's windows are appended
 * with every TSC shifted past the previous copy, so the file stays a valid trace in time order
 * (content replicated, none invented; see bench/xentrace-replicate.ts for the seams). It is written to the
 * temp directory and removed.
 *
 * Vigil: open + every batch, counting items (the reader's full decode: windows, merge by TSC,
 * named fields, ns timestamps), in a fresh Node process per round so its time includes JIT
 * warm-up and its peak RSS is the reader's own, as for xenalyze. xenalyze (Debian xen-utils-common): `xenalyze FILE` and
 * `xenalyze --summary FILE`, output discarded. xenalyze always runs its analysis while it
 * reads, so the ratio compares Vigil's reader with xenalyze's read + analysis; its
 * `--dump-no-processing` mode, which skips the analysis, prints every record and is timed too.
 * Best of R rounds (default 3) for each.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { numberArg, writeBenchResult } from "./bench-env.js";
import { XentraceSource } from "../engine/readers/xentrace/source.js";
import { bestOf, measureProcess, type ProcessTiming } from "./measure-process.js";
import { replicateXentrace, XENTRACE_SAMPLE, XENTRACE_SAMPLE_PATH } from "./xentrace-replicate.js";

const args = process.argv.slice(2);
const COPIES = numberArg("--copies", 28);
const ROUNDS = numberArg("--rounds", 3);

/** One read in this process (child mode): prints {seconds, items, maxRssKiB} as JSON. */
async function vigilChild(path: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  const source = new XentraceSource(path, "bench", () => {}, { cpuHz: 2_400_000_000 });
  await source.open();
  let items = 0;
  for await (const batch of source.batches(0n, 0)) items += batch.length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ seconds, items, maxRssKiB: process.resourceUsage().maxRSS }));
}

/** Vigil's reader in a fresh Node process, like xenalyze (so memory is the reader's own). */
function vigilOnce(path: string): { seconds: number; items: number; maxRssKiB: number } {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", path], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vigil child failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { seconds: number; items: number; maxRssKiB: number };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-xentrace-bench-"));
  try {
    const { bytes, records } = replicateXentrace(new Uint8Array(readFileSync(XENTRACE_SAMPLE_PATH)), COPIES);
    const path = join(dir, "replicated.bin");
    writeFileSync(path, bytes);
    console.error(`replicated ${COPIES}x: ${records} records, ${(bytes.length / 2 ** 20).toFixed(1)} MiB`);

    const vigil = bestOf(ROUNDS, () => vigilOnce(path), (v) => v.seconds);
    const peers: Record<string, ProcessTiming> = {};
    for (const [label, flags] of [["xenalyze", []], ["xenalyze --summary", ["--summary"]], ["xenalyze --dump-no-processing", ["--dump-no-processing"]]] as Array<[string, string[]]>) {
      const argv = ["xenalyze", ...flags, path];
      peers[label] = bestOf(ROUNDS, () => measureProcess(argv, { hint: "is xen-utils-common installed? and /usr/bin/time?" }), (t) => t.wallSeconds);
    }
    const rate = (s: number) => Math.round(records / s);
    const version = spawnSync("dpkg-query", ["-W", "-f=${Version}", "xen-utils-common"], { encoding: "utf8" }).stdout || "unknown";
    const result = {
      date: new Date().toISOString(),
      trace: XENTRACE_SAMPLE,
      copies: COPIES,
      records,
      bytes: bytes.length,
      node: process.version,
      vigil: { seconds: Number(vigil.seconds.toFixed(3)), items: vigil.items, recordsPerSecond: rate(vigil.seconds), maxRssMiB: Math.round(vigil.maxRssKiB / 1024) },
      xenalyze: {
        package: `xen-utils-common ${version}`,
        runs: Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, { seconds: v.wallSeconds, recordsPerSecond: rate(v.wallSeconds), maxRssMiB: Math.round(v.maxRssKiB / 1024) }])),
      },
      ratio: Object.fromEntries(Object.entries(peers).map(([k, v]) => [`vigil / ${k}`, Number((v.wallSeconds / vigil.seconds).toFixed(2))])),
      note: "records counts every record in the file (framing and padding included); vigil items are the events and loss markers it delivered. xenalyze timings include its analysis (it has no decode-only mode without printing); --dump-no-processing skips the analysis but prints every record (output discarded). Wall time from /usr/bin/time (10 ms resolution).",
    };
    writeBenchResult("xentrace", result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args[0] === "--child") await vigilChild(args[1]!);
else await main();
