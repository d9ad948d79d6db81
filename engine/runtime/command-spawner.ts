/**
 * Starts action commands from a small helper process instead of the engine's own.
 *
 * Why: `child_process.spawn` forks the calling process synchronously, and a fork costs time in
 * proportion to the caller's memory — measured 1.3 ms from a bare Node process, 4–8 ms (p99
 * 20 ms) from a `vigil watch` holding its rules' state. Every alert of a live batch paid that
 * on the event loop before the next event was processed, and the next alert's command waited
 * for all the forks before it. The helper is a bare Node process (its forks are cheap and run
 * beside the engine), told each argument vector over an IPC channel; it replies when the
 * command has started and when it has ended.
 *
 * Contract: `run` resolves with null when the command exited 0, else why it failed (the same
 * wording as a direct spawn); `onStarted` is called once, with the wall-clock ms taken just
 * before the helper spawned it, before the promise resolves. Commands are never lost: if the
 * helper dies, its pending commands resolve as failed (so the runner retries them per its
 * policy) and the next command starts a new helper; if no helper can be started at all,
 * commands are spawned directly. The helper holds the process open only while a command is
 * pending, and exits when `close()` is called or its parent goes away.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** One command's end, as the helper reports it. */
interface ExitReply {
  id: number;
  kind: "exit";
  /** spawn error text, when the command could not be started */
  spawnError: string | null;
  code: number | null;
  signal: string | null;
  stderr: string;
  stdout: string;
  /** How long the command ran (ms, measured in the helper). */
  ms: number;
}

type Reply = { id: number; kind: "started"; wallMs: number } | ExitReply;

export interface CommandOutcome {
  /** null on exit 0, else why the command failed. */
  error: string | null;
  /** Its standard output (first 64 KiB) when asked for, else "". */
  stdout: string;
  /** How long it ran (ms). */
  ms: number;
}

interface Job {
  argv: string[];
  onStarted: (wallMs: number) => void;
  resolve: (o: CommandOutcome) => void;
  started: boolean;
}

export class CommandSpawner {
  private helper: ChildProcess | null = null;
  /** False once a helper could not be started: spawn directly from then on. */
  private usable = true;
  private nextId = 0;
  private readonly jobs = new Map<number, Job>();

  /** Starts `argv` (never through a shell); `capture` keeps its standard output. */
  run(argv: string[], capture: boolean, onStarted: (wallMs: number) => void): Promise<CommandOutcome> {
    if (argv.length === 0 || argv[0] === "") {
      onStarted(Date.now());
      return Promise.resolve({ error: "exec with an empty argument vector", stdout: "", ms: 0 });
    }
    const helper = this.usable ? this.ensureHelper() : null;
    if (helper === null) return _direct(argv, capture, onStarted);
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.jobs.set(id, { argv, onStarted, resolve, started: false });
      if (this.jobs.size === 1) helper.channel?.ref();
      helper.send({ id, argv, capture });
    });
  }

  /** Lets the helper exit (it also exits by itself when this process goes away). */
  close(): void {
    const h = this.helper;
    this.helper = null;
    if (h !== null && h.connected) h.disconnect();
  }

  // --- internal ---

  private ensureHelper(): ChildProcess | null {
    if (this.helper !== null && this.helper.connected) return this.helper;
    let h: ChildProcess;
    try {
      h = spawn(process.execPath, ["-e", HELPER_SOURCE], { stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "json" });
    } catch {
      this.usable = false;
      return null;
    }
    h.on("message", (m: Reply) => this.reply(m));
    h.on("error", () => {
      // The helper could not be started (or died at once): spawn directly from now on.
      this.usable = false;
      this.lost(h, "the command helper could not be started");
    });
    h.on("exit", (code, signal) => this.lost(h, `the command helper exited (${signal ?? `code ${code}`})`));
    // Neither the helper nor its channel keeps this process alive while no command is pending.
    h.unref();
    h.channel?.unref();
    this.helper = h;
    return h;
  }

  private reply(m: Reply): void {
    const job = this.jobs.get(m.id);
    if (job === undefined) return;
    if (m.kind === "started") {
      job.started = true;
      job.onStarted(m.wallMs);
      return;
    }
    this.settle(m.id, job, { error: _why(job.argv, m), stdout: m.stdout, ms: m.ms });
  }

  /** Fails every command the helper `h` still owed (they are retried by the runner's policy). */
  private lost(h: ChildProcess, why: string): void {
    if (this.helper === h) this.helper = null;
    for (const [id, job] of this.jobs) {
      if (!job.started) job.onStarted(Date.now());
      this.settle(id, job, { error: `${job.argv.join(" ")}: ${why}`, stdout: "", ms: 0 });
    }
  }

  private settle(id: number, job: Job, o: CommandOutcome): void {
    this.jobs.delete(id);
    if (this.jobs.size === 0) this.helper?.channel?.unref();
    job.resolve(o);
  }
}

// --- internal ---

/**
 * The helper, run as `node -e` so it works the same from the TypeScript sources (tests) and the
 * build: spawn each command asked for, report its start and its end, exit with its parent.
 */
const HELPER_SOURCE = `
const { spawn } = require("node:child_process");
process.on("disconnect", () => process.exit(0));
process.on("message", (m) => {
  const [cmd, ...args] = m.argv;
  const wallMs = Date.now();
  const t0 = performance.now();
  let out = "", err = "", done = false;
  const end = (r) => { if (!done) { done = true; process.send(Object.assign({ id: m.id, kind: "exit", spawnError: null, code: null, signal: null, stderr: err, stdout: out, ms: performance.now() - t0 }, r)); } };
  process.send({ id: m.id, kind: "started", wallMs });
  let child;
  try {
    child = spawn(cmd, args, { stdio: ["ignore", m.capture ? "pipe" : "ignore", "pipe"], shell: false });
  } catch (e) {
    return end({ spawnError: e.message });
  }
  if (child.stdout) child.stdout.on("data", (d) => { if (out.length < 65536) out += d; });
  child.stderr.on("data", (d) => { if (err.length < 2000) err += d; });
  child.on("error", (e) => end({ spawnError: e.message }));
  child.on("close", (code, signal) => end({ code, signal }));
});
`;

/** The failure text of an ended command (null on exit 0), worded as a direct spawn words it. */
function _why(argv: string[], r: ExitReply): string | null {
  if (r.spawnError !== null) return `cannot run ${argv[0]}: ${r.spawnError}`;
  if (r.code === 0) return null;
  const how = r.code === null ? `was killed by ${r.signal}` : `exited with ${r.code}`;
  return `${argv.join(" ")} ${how}${r.stderr ? ": " + r.stderr.trim() : ""}`;
}

/** Spawns from this process (when no helper can be started). */
function _direct(argv: string[], capture: boolean, onStarted: (wallMs: number) => void): Promise<CommandOutcome> {
  const [cmd, ...args] = argv as [string, ...string[]];
  onStarted(Date.now());
  const t0 = performance.now();
  return new Promise((resolve) => {
    let out = "";
    let err = "";
    let done = false;
    const end = (r: Pick<ExitReply, "spawnError" | "code" | "signal">): void => {
      if (done) return;
      done = true;
      resolve({ error: _why(argv, { id: 0, kind: "exit", stderr: err, stdout: out, ms: 0, ...r }), stdout: out, ms: performance.now() - t0 });
    };
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, { stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"], shell: false });
    } catch (e) {
      end({ spawnError: (e as Error).message, code: null, signal: null });
      return;
    }
    child.stdout?.on("data", (d: Buffer) => { if (out.length < 65536) out += d.toString(); });
    child.stderr?.on("data", (d: Buffer) => { if (err.length < 2000) err += d.toString(); });
    child.on("error", (e) => end({ spawnError: e.message, code: null, signal: null }));
    child.on("close", (code, signal) => end({ spawnError: null, code, signal }));
  });
}
