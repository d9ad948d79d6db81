/**
 * xentrace decoding speed: Vigil's reader against xenalyze on the same file, in the same run.
 * Results: bench/results/xentrace.json. Build first (`npm run build`), then
 * `node dist/bench/xentrace-bench.js [--copies K] [--rounds R]`.
 *
 * The file is the real trace `../shared/traces/xentrace-parser-rs-example/xentrace.bin`
 * replicated K times (default 28, 5.06M records, 104 MiB): each copy's windows are appended
 * with every TSC shifted past the previous copy, so the file stays a valid trace in time order
 * (content replicated, none invented; see `replicate` for the seams). It is written to the
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
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { XentraceSource } from "../engine/readers/xentrace/source.js";

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const COPIES = arg("--copies", 28);
const ROUNDS = arg("--rounds", 3);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, here.includes(`${join("dist", "bench")}`) ? "../.." : "..");
const SOURCE = process.env.VIGIL_SHARED
  ? join(process.env.VIGIL_SHARED, "traces", "xentrace-parser-rs-example", "xentrace.bin")
  : resolve(repo, "..", "shared", "traces", "xentrace-parser-rs-example", "xentrace.bin");

/**
 * The trace replicated `copies` times, TSCs of copy k shifted by k · (span + 1 ms at 2.4 GHz).
 * Between copies, each CPU gets a window with one lost-records record (count 0, naming the vCPU
 * that runs on it when the trace starts), which makes xenalyze reset its scheduling state as
 * it does after real losses; without it its analysis stops at the seam ("FATAL: continue on
 * p5, but d14v2 p2").
 */
function replicate(original: Uint8Array, copies: number): { bytes: Uint8Array; records: number } {
  const dv = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const first = new Map<number, bigint>();
  const last = new Map<number, bigint>();
  const running = new Map<number, [number, number]>();
  let records = 0;
  _walk(dv, (cpu, at, hdr) => {
    records++;
    if (hdr >>> 31) {
      const t = dv.getBigUint64(at + 4, true);
      if (!first.has(cpu)) first.set(cpu, t);
      last.set(cpu, t);
    }
    if (running.has(cpu)) return;
    const id = hdr & 0x0fffffff;
    // Who runs when the trace starts: the first switch-out, continue, or run-leaving runstate record.
    if (id === 0x2800a || id === 0x2800e || id === 0x28011) running.set(cpu, [dv.getUint32(at + 12, true), dv.getUint32(at + 16, true)]);
    else if (id === 0x21002 || ((id & 0xfffff00f) === 0x21001 && ((id >>> 8) & 0xf) === 0)) {
      const w0 = dv.getUint32(at + 12, true);
      running.set(cpu, [w0 >>> 16, w0 & 0xffff]);
    }
  });
  const min = [...first.values()].reduce((a, b) => (a < b ? a : b));
  const max = [...last.values()].reduce((a, b) => (a > b ? a : b));
  const step = max - min + 2_400_000n;
  const seam = 12 + 28; // cpu_change + lost_records with TSC and 4 words
  const out = new Uint8Array(original.length * copies + seam * first.size * (copies - 1));
  const odv = new DataView(out.buffer);
  let at = 0;
  for (let k = 0; k < copies; k++) {
    const shift = step * BigInt(k);
    if (k > 0) {
      for (const [cpu, t] of first) {
        const [dom, vcpu] = running.get(cpu) ?? [32767, cpu];
        odv.setUint32(at, 0x2001f003, true);
        odv.setUint32(at + 4, cpu, true);
        odv.setUint32(at + 8, 28, true);
        odv.setUint32(at + 12, (0x1f001 | (4 << 28) | 0x80000000) >>> 0, true);
        odv.setBigUint64(at + 16, t + shift - 1n, true);
        odv.setUint32(at + 24, 0, true);
        odv.setUint32(at + 28, ((vcpu << 16) | dom) >>> 0, true);
        odv.setBigUint64(at + 32, last.get(cpu)! + shift - step + 1n, true);
        at += seam;
      }
    }
    out.set(original, at);
    if (k > 0) {
      const base = at;
      _walk(dv, (_cpu, p, hdr) => {
        if (hdr >>> 31) odv.setBigUint64(base + p + 4, dv.getBigUint64(p + 4, true) + shift, true);
        if ((hdr & 0x0fffffff) === 0x1f001 && ((hdr >>> 28) & 7) >= 4) odv.setBigUint64(base + p + 20, dv.getBigUint64(p + 20, true) + shift, true);
      });
    }
    at += original.length;
  }
  // Each seam adds a cpu_change and a lost_records record per CPU.
  return { bytes: out, records: records * copies + 2 * first.size * (copies - 1) };
}

/** Calls `fn(cpu, offset, header)` for every record, cpu_change records included. */
function _walk(dv: DataView, fn: (cpu: number, at: number, hdr: number) => void): void {
  for (let at = 0; at + 12 <= dv.byteLength; ) {
    const cpu = dv.getUint32(at + 4, true);
    fn(cpu, at, dv.getUint32(at, true));
    const end = at + 12 + dv.getUint32(at + 8, true);
    for (let p = at + 12; p < end; ) {
      const hdr = dv.getUint32(p, true);
      fn(cpu, p, hdr);
      p += 4 + (hdr >>> 31) * 8 + ((hdr >>> 28) & 7) * 4;
    }
    at = end;
  }
}

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

function xenalyzeOnce(flags: string[], path: string): { seconds: number; maxRssKiB: number } {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", "xenalyze", ...flags, path], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`xenalyze ${flags.join(" ")} failed (is xen-utils-common installed? and /usr/bin/time?): ${r.stderr.slice(-500)}`);
  const [secs, rss] = r.stderr.trim().split("\n").at(-1)!.split(" ").map(Number) as [number, number];
  return { seconds: secs, maxRssKiB: rss };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-xentrace-bench-"));
  try {
    const { bytes, records } = replicate(new Uint8Array(readFileSync(SOURCE)), COPIES);
    const path = join(dir, "replicated.bin");
    writeFileSync(path, bytes);
    console.error(`replicated ${COPIES}x: ${records} records, ${(bytes.length / 2 ** 20).toFixed(1)} MiB`);

    let vigil = { seconds: Infinity, items: 0, maxRssKiB: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const once = vigilOnce(path);
      if (once.seconds < vigil.seconds) vigil = once;
    }
    const peers: Record<string, { seconds: number; maxRssKiB: number }> = {};
    for (const [label, flags] of [["xenalyze", []], ["xenalyze --summary", ["--summary"]], ["xenalyze --dump-no-processing", ["--dump-no-processing"]]] as Array<[string, string[]]>) {
      let best = { seconds: Infinity, maxRssKiB: 0 };
      for (let r = 0; r < ROUNDS; r++) {
        const once = xenalyzeOnce(flags, path);
        if (once.seconds < best.seconds) best = once;
      }
      peers[label] = best;
    }
    const rate = (s: number) => Math.round(records / s);
    const version = spawnSync("dpkg-query", ["-W", "-f=${Version}", "xen-utils-common"], { encoding: "utf8" }).stdout || "unknown";
    const result = {
      date: new Date().toISOString(),
      trace: "../shared/traces/xentrace-parser-rs-example/xentrace.bin",
      copies: COPIES,
      records,
      bytes: bytes.length,
      node: process.version,
      vigil: { seconds: Number(vigil.seconds.toFixed(3)), items: vigil.items, recordsPerSecond: rate(vigil.seconds), maxRssMiB: Math.round(vigil.maxRssKiB / 1024) },
      xenalyze: {
        package: `xen-utils-common ${version}`,
        runs: Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, { seconds: v.seconds, recordsPerSecond: rate(v.seconds), maxRssMiB: Math.round(v.maxRssKiB / 1024) }])),
      },
      ratio: Object.fromEntries(Object.entries(peers).map(([k, v]) => [`vigil / ${k}`, Number((v.seconds / vigil.seconds).toFixed(2))])),
      note: "records counts every record in the file (framing and padding included); vigil items are the events and loss markers it delivered. xenalyze timings include its analysis (it has no decode-only mode without printing); --dump-no-processing skips the analysis but prints every record (output discarded). Wall time from /usr/bin/time (10 ms resolution).",
    };
    const out = join(repo, "bench", "results", "xentrace.json");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args[0] === "--child") await vigilChild(args[1]!);
else await main();
