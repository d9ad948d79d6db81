/**
 * What every live source gives the live driver: a `LiveFeed` pushes items into a `LiveSink`
 * as they become safe to process, plus the times below which nothing more will come, and
 * notices (connected, gap, ended...) for the user.
 *
 * Contract: `run` calls `sink.start(origin)` exactly once before the first `items`; `items`
 * batches are in non-decreasing time order across calls (a reconnection may deliver loss
 * markers covering the gap first) and their objects may be reused once `items` returns;
 * `advance(t)` promises that no later item is older than `t`. `run` resolves when the source
 * has ended for good (session destroyed, stdin closed) or `signal` is aborted; it rejects only
 * for errors the user must fix (bad URL, no such session after `--wait`).
 */
import type { ReadIssue, SourceItem } from "../readers/source.js";

export type LiveNotice =
  | { kind: "connected"; where: string }
  | { kind: "waiting"; what: string }
  | { kind: "attached"; what: string; streams: number }
  | { kind: "streams"; added: number; total: number }
  | { kind: "disconnected"; reason: string; retryInMs: number }
  /** Events between `start` and `end` (ns relative to the origin) were never received. */
  | { kind: "gap"; start: number; end: number; why: string }
  | { kind: "ended"; why: string }
  | { kind: "issue"; issue: ReadIssue };

export interface LiveSink {
  start(origin: bigint): void;
  items(batch: SourceItem[]): void;
  advance(safe: number): void;
  notice(n: LiveNotice): void;
}

export interface LiveFeed {
  /** What is read, for messages (`net://localhost/host/h1/live`, a directory, stdin). */
  readonly label: string;
  run(sink: LiveSink, signal: AbortSignal): Promise<void>;
}

/** A user mistake in how the live source was named or reached (exit code 2 material). */
export class LiveSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LiveSourceError";
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
