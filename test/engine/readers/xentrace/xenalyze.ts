/**
 * Runs the reference tool, xenalyze (Debian `xen-utils-common`), and parses the parts of its
 * output the xentrace tests compare against. A missing xenalyze is a failure with the fix in
 * the message, never a skipped test.
 */
import { spawnSync } from "node:child_process";

/** Runs `xenalyze ...args` and returns its stdout; throws a clear error when it is missing. */
export function runXenalyze(args: string[]): string {
  const r = spawnSync("xenalyze", args, { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error(
      "xenalyze is not installed: these tests compare the xentrace reader with it. Install Debian's xen-utils-common " +
        "(apt-get install -y xen-utils-common), which ships /usr/bin/xenalyze.",
    );
  }
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`xenalyze ${args.join(" ")} exited with ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** One record as `xenalyze --dump-raw-reads --dump-no-processing` prints it. */
export interface RawRecord {
  cpu: number;
  offset: number;
  id: number;
  tsc: bigint | null;
  words: number[];
}

/**
 * Every record read, in the order xenalyze read it. xenalyze also prints the cpu_change records
 * each CPU steps over while looking for its next window, so those lines repeat.
 */
export function parseRawReads(text: string): RawRecord[] {
  const out: RawRecord[] = [];
  const re = /^R p\s*(\d+) o([0-9a-f]{16})\s+([0-9a-f]+) (\d) +(\d+|-) \[([^\]]*)\]/;
  for (const line of text.split("\n")) {
    const m = re.exec(line);
    if (m === null) continue;
    const words = m[6]!.trim() === "" ? [] : m[6]!.trim().split(/\s+/).map((w) => Number.parseInt(w, 16));
    out.push({ cpu: Number(m[1]), offset: Number.parseInt(m[2]!, 16), id: Number.parseInt(m[3]!, 16), tsc: m[5] === "-" ? null : BigInt(m[5]!), words });
  }
  return out;
}

/** A `--dump-all` line: ns since the first TSC (0 when xenalyze prints no time) and the text after it. */
export interface DumpLine {
  ns: number;
  text: string;
}

/** The `--dump-all` lines that carry a record's time, e.g. `   0.000003382 x .  .. d32768v0 runstate_change ...`. */
export function parseDumpAll(text: string): DumpLine[] {
  const out: DumpLine[] = [];
  // xenalyze prints "%3u.%09u" or 14 spaces when the time is 0, then the pcpu map and the vcpu.
  const re = /^[\] !]?\s*(?:(\d+)\.(\d{9}))?\s+[ x.|\-l]+ d(?:\d+|\?)v(?:\d+|\?) (.*)$/;
  for (const line of text.split("\n")) {
    const m = re.exec(line);
    if (m === null) continue;
    out.push({ ns: m[1] === undefined ? 0 : Number(m[1]) * 1e9 + Number(m[2]), text: m[3]! });
  }
  return out;
}

/** Exit-reason counts per vCPU of one domain, from `--summary` (`-- vN --` then `Exit reasons:`). */
export function parseExitReasons(summary: string, domain: number): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  let inDomain = false;
  let vcpu = -1;
  let inExits = false;
  for (const line of summary.split("\n")) {
    const dm = /^\|-- Domain (\d+) --\|/.exec(line);
    if (dm !== null) {
      inDomain = Number(dm[1]) === domain;
      inExits = false;
      continue;
    }
    if (!inDomain) continue;
    const vm = /^-- v(\d+) --/.exec(line);
    if (vm !== null) {
      vcpu = Number(vm[1]);
      inExits = false;
      continue;
    }
    if (line.startsWith("Exit reasons:")) {
      inExits = true;
      out.set(vcpu, new Map());
      continue;
    }
    if (inExits) {
      const em = /^ (\S+)\s+(\d+)\s/.exec(line);
      if (em !== null) out.get(vcpu)!.set(em[1]!, Number(em[2]));
      else if (!line.startsWith("  ")) inExits = false;
    }
  }
  return out;
}
