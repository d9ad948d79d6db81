/**
 * Whole-process measurement for the benches: one command run under GNU `/usr/bin/time`, which
 * reports what the kernel accounted to the process (wall time, user and system CPU time, peak
 * resident set) whatever the program is — a Node process of Vigil or a peer tool such as
 * babeltrace2 or xenalyze — so every contender is measured the same way.
 *
 * Contract: `measureProcess(argv)` runs `argv` once and returns its figures as `/usr/bin/time`
 * printed them (10 ms resolution for the times, KiB for the RSS), or throws when the command
 * fails or `/usr/bin/time` is missing, with the tail of its stderr and the caller's hint.
 * `bestOf(rounds, once, by)` runs `once` `rounds` times and keeps the run with the smallest
 * `by` (the first of equals). No other state: nothing is cached between calls.
 */
import { spawnSync } from "node:child_process";

/** One run of one command, as `/usr/bin/time` measured it. */
export interface ProcessTiming {
  /** Elapsed real time, seconds (`%e`). */
  wallSeconds: number;
  /** User plus system CPU time, seconds (`%U` + `%S`): steadier than wall time on a loaded machine. */
  cpuSeconds: number;
  /** Peak resident set size, KiB (`%M`). */
  maxRssKiB: number;
  /** What the command wrote on stdout; "" unless `captureStdout` was asked for. */
  stdout: string;
}

/** How to run the measured command. */
export interface MeasureOptions {
  /**
   * Keep the command's stdout (for a child that reports what it saw). Off by default: the
   * peers' output is discarded, as a benchmark of them must not pay for a pipe it never reads.
   */
  captureStdout?: boolean;
  /** Added to the error when the command fails, e.g. which packages it needs. */
  hint?: string;
}

/** Runs `argv` once under `/usr/bin/time` and returns what it measured. */
export function measureProcess(argv: readonly string[], options: MeasureOptions = {}): ProcessTiming {
  // The marker tells time's own line from anything the command writes on stderr.
  const r = spawnSync("/usr/bin/time", ["-f", `${_MARK}%e %U %S %M`, ...argv], {
    stdio: ["ignore", options.captureStdout === true ? "pipe" : "ignore", "pipe"],
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const line = (r.stderr ?? "").split("\n").filter((l) => l.startsWith(_MARK)).at(-1);
  if (r.status !== 0 || line === undefined) {
    const why = r.error !== undefined ? r.error.message : (r.stderr ?? "").slice(-1500);
    throw new Error(`${argv.join(" ")} failed${options.hint !== undefined ? ` (${options.hint})` : ""}: ${why}`);
  }
  const [wall, user, sys, rss] = line.slice(_MARK.length).split(" ").map(Number) as [number, number, number, number];
  return { wallSeconds: wall, cpuSeconds: user + sys, maxRssKiB: rss, stdout: r.stdout ?? "" };
}

/**
 * The best of `rounds` runs of `once`: the one with the smallest `by` (wall time, usually),
 * the earliest of equals. `rounds` must be at least 1.
 */
export function bestOf<T>(rounds: number, once: () => T, by: (run: T) => number): T {
  if (!(rounds >= 1)) throw new RangeError(`rounds must be at least 1, got ${rounds}`);
  let best = once();
  for (let r = 1; r < rounds; r++) {
    const run = once();
    if (by(run) < by(best)) best = run;
  }
  return best;
}

// --- internal ---

const _MARK = "VIGIL-TIME ";
