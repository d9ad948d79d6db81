/**
 * Alert actions. Each runs off the hot path (the event loop only queues it; commands are forked
 * by a helper process, see command-spawner.ts) and reports its failure instead of throwing;
 * `exec` always takes an argument vector, never a shell string.
 *
 * Contract: a failed command (spawn error, non-zero exit) is retried `retry.attempts - 1` more
 * times with doubling backoff; every attempt is told to `listener`, and a final failure is kept
 * in `failures` and written into the alert record (`action_error`), never dropped. At most
 * `maxConcurrent` commands run at once (the rest wait their turn, so a burst of alerts cannot
 * fork without bound); a queued command is started as soon as a slot frees. Each snapshot gets
 * a name of its own (the rule's or the given name, plus a sequence number), so its directory
 * is known even when several run at once, and is written into the alert record
 * (`snapshot_path`). `settle()` waits for everything queued, retries included, then lets the
 * helper go.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { AlertRecord } from "./result.js";
import { alertJson } from "./alert-json.js";
import { CommandSpawner } from "./command-spawner.js";

export type ActionSpec =
  | { kind: "print" }
  | { kind: "log"; file: (r: AlertRecord) => string }
  | { kind: "exec"; argv: (r: AlertRecord) => string[] }
  | { kind: "snapshot"; session: (r: AlertRecord) => string; name: ((r: AlertRecord) => string) | null; maxSize: number | null }
  | { kind: "rotate"; session: (r: AlertRecord) => string };

export interface ActionEnv {
  /** Where `print` writes a line (default stderr). */
  print: (line: string) => void;
  /** The `lttng` executable for snapshot/rotate. */
  lttng: string;
  origin: bigint;
  /** How failed commands are tried again (default 3 attempts, 250 ms doubling backoff). */
  retry?: RetryPolicy;
  /** Told about every command start, end, retry and final failure. */
  onEvent?: (e: ActionEvent) => void;
}

/** How failed commands are tried again. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** One step in the life of a command action (for live views and logs). */
export interface ActionEvent {
  phase: "started" | "done" | "failed" | "retrying";
  rule: string;
  kind: ActionSpec["kind"];
  argv: string[];
  attempt: number;
  /** Wall-clock ms (epoch) of this step. */
  wallMs: number;
  /** Run time of the attempt that ended here (done/failed/retrying). */
  durationMs?: number;
  error?: string;
  /** Snapshot directory, when known. */
  path?: string;
  record: AlertRecord;
}

export class ActionRunner {
  private logs = new Map<string, WriteStream>();
  private pending = new Set<Promise<void>>();
  private outputs = new Map<string, string | null>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private snapshots = 0;
  private readonly spawner = new CommandSpawner();
  /** Commands running at once; later ones wait for a slot. */
  maxConcurrent = 8;
  failures: string[] = [];
  retry: RetryPolicy = { attempts: 3, backoffMs: 250 };
  /** Told about every command start, end, retry and final failure. */
  listener: ((e: ActionEvent) => void) | null = null;

  constructor(private readonly env: ActionEnv) {
    if (env.retry) this.retry = env.retry;
    if (env.onEvent) this.listener = env.onEvent;
  }

  run(spec: ActionSpec, r: AlertRecord): void {
    switch (spec.kind) {
      case "print":
        this.env.print(`${r.severity.toUpperCase()} ${r.rule} @${r.ts}: ${r.message}`);
        return;
      case "log": {
        const file = spec.file(r);
        let s = this.logs.get(file);
        if (!s) {
          s = createWriteStream(file, { flags: "a" });
          s.on("error", (e) => this.failures.push(`${r.rule}: cannot write ${file}: ${e.message}`));
          this.logs.set(file, s);
        }
        s.write(alertJson(r, this.env.origin) + "\n");
        return;
      }
      case "exec":
        return this.track(this.attempts(r, "exec", spec.argv(r)).then(() => undefined));
      case "snapshot": {
        const session = spec.session(r);
        // LTTng refuses some characters in names (a dot fails with "Create directory failed").
        const name = `${spec.name ? spec.name(r) : r.rule.replace(/[^A-Za-z0-9_-]/g, "_")}-${++this.snapshots}`;
        const argv = [this.env.lttng, "snapshot", "record", "-s", session, "-n", name];
        if (spec.maxSize !== null) argv.push("-m", String(spec.maxSize));
        return this.track((async () => {
          const ok = await this.attempts(r, "snapshot", argv, (e) => e.phase !== "done");
          if (ok === null) return;
          // The path is looked up after the command: it is part of what "done" reports.
          const path = await this.snapshotPath(session, name);
          if (path !== null) r.fields.snapshot_path = path;
          this.tell({ ...ok, ...(path !== null ? { path } : {}) });
        })());
      }
      case "rotate":
        return this.track(this.attempts(r, "rotate", [this.env.lttng, "rotate", "-s", spec.session(r)]).then(() => undefined));
    }
  }

  /** Waits for every queued action (retries included) and closes log files. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await Promise.all([...this.logs.values()].map((s) => new Promise<void>((res) => s.end(res))));
    this.logs.clear();
    this.spawner.close();
  }

  /** Commands queued or running. */
  get inFlight(): number {
    return this.pending.size;
  }

  // --- internal ---

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.then(() => this.pending.delete(p));
  }

  /** Runs `argv` once a slot is free (at most `maxConcurrent` at once). */
  private async slot<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((res) => this.waiting.push(res));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /**
   * Runs `argv` until it succeeds or the attempts are used up; resolves with the "done" event on
   * success (told to the listener when `tellIf` allows), null on final failure.
   */
  private async attempts(r: AlertRecord, kind: ActionSpec["kind"], argv: string[], tellIf: (e: ActionEvent) => boolean = () => true): Promise<ActionEvent | null> {
    const max = Math.max(1, this.retry.attempts);
    for (let attempt = 1; ; attempt++) {
      const { error, ms: took } = await this.slot(() =>
        this.spawner.run(argv, false, (wallMs) => this.tell({ phase: "started", rule: r.rule, kind, argv, attempt, wallMs, record: r })),
      );
      const end = _now();
      if (error === null) {
        const done: ActionEvent = { phase: "done", rule: r.rule, kind, argv, attempt, wallMs: end, durationMs: took, record: r };
        if (tellIf(done)) this.tell(done);
        return done;
      }
      if (attempt >= max) {
        const msg = `${r.rule}: ${error} (after ${attempt} attempt${attempt === 1 ? "" : "s"})`;
        this.failures.push(msg);
        r.fields.action_error = msg;
        this.tell({ phase: "failed", rule: r.rule, kind, argv, attempt, wallMs: end, durationMs: took, error, record: r });
        return null;
      }
      this.tell({ phase: "retrying", rule: r.rule, kind, argv, attempt, wallMs: end, durationMs: took, error, record: r });
      await new Promise((res) => setTimeout(res, this.retry.backoffMs * 2 ** (attempt - 1)));
    }
  }

  /** The directory of snapshot `name` of a session with a local output, or null. */
  private async snapshotPath(session: string, name: string): Promise<string | null> {
    let out = this.outputs.get(session);
    if (out === undefined) {
      out = await _snapshotOutput(this.spawner, this.env.lttng, session);
      this.outputs.set(session, out);
    }
    if (out === null) return null;
    try {
      let best: [number, string] | null = null;
      for (const n of await readdir(out)) {
        // NAME-YYYYMMDD-HHMMSS-SEQ; SEQ counts the session's snapshots: a name reused by an
        // earlier run of vigil has a smaller one.
        if (!n.startsWith(name + "-")) continue;
        const m = /^-\d{8}-\d{6}-(\d+)$/.exec(n.slice(name.length));
        if (m && (best === null || Number(m[1]) > best[0])) best = [Number(m[1]), n];
      }
      return best === null ? null : join(out, best[1]);
    } catch {
      this.outputs.delete(session); // the output may have been changed: ask again next time
      return null;
    }
  }

  private tell(e: ActionEvent): void {
    if (this.listener) this.listener(e);
  }
}

// --- internal ---

/**
 * Wall-clock ms. `Date.now()`, not `performance.timeOrigin + now()`: the latter is fixed at
 * process start from two clock reads that a busy machine can separate by tens of ms, so two
 * processes' values would not compare.
 */
function _now(): number {
  return Date.now();
}

/** The local directory a session's snapshots go to (`lttng snapshot list-output`), or null. */
async function _snapshotOutput(spawner: CommandSpawner, lttng: string, session: string): Promise<string | null> {
  const { error, stdout } = await spawner.run([lttng, "snapshot", "list-output", "-s", session], true, () => {});
  if (error !== null) return null;
  const m = /^\s*\[\d+\]\s+\S+:\s+(\/.*?)\s*$/m.exec(stdout);
  return m ? m[1]! : null;
}
