/**
 * A private LTTng installation for one test file: `lttng-relayd` on loopback ports of its own,
 * `lttng-sessiond` with its own LTTNG_HOME (so its sockets, consumer daemons and snapshot
 * outputs are the test's), the `lttng` client, and the UST replay program built from
 * `test/live/ust/`. Every process it starts is stopped by `stop()`, by process id.
 *
 * As root, a session daemon always uses the system-wide run directory, so two tests (or a
 * host's own daemon) would collide: the lab then runs everything LTTng-related — daemons,
 * client, replay program and `vigil watch` itself — as the unprivileged `nobody` user, whose
 * session daemon lives entirely under the lab's LTTNG_HOME.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest folder above this file with test/live/ust (works from dist/ too). */
export const REPO_ROOT = ((): string => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, "test", "live", "ust", "vkvm-replay.c"))) {
    const up = dirname(d);
    if (up === d) throw new Error("cannot find test/live/ust above " + fileURLToPath(import.meta.url));
    d = up;
  }
  return d;
})();
const UST_DIR = join(REPO_ROOT, "test", "live", "ust");
const NOBODY = 65534;

/** Throws a clear error when the LTTng tools or the UST headers are missing. */
export function requireLttng(): void {
  const missing: string[] = [];
  for (const tool of ["lttng", "lttng-sessiond", "lttng-relayd", "gcc", "babeltrace2"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) missing.push(tool);
  }
  if (spawnSync("sh", ["-c", "echo '#include <lttng/tracepoint.h>' | gcc -E - >/dev/null 2>&1"]).status !== 0) missing.push("lttng/tracepoint.h");
  if (missing.length > 0) {
    throw new Error(`The live tests need LTTng's user-space tracing and tools (missing: ${missing.join(", ")}): apt-get install -y lttng-tools liblttng-ust-dev babeltrace2 gcc`);
  }
}

/** A free TCP port on loopback (the kernel picks it; a tiny race is accepted). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a !== null ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

export class LttngLab {
  readonly dir: string;
  readonly home: string;
  readonly relayOut: string;
  readonly hostname = hostname();
  ports = { control: 0, data: 0, live: 0 };
  private relayd: ChildProcess | null = null;
  private sessiond: ChildProcess | null = null;
  private readonly children = new Set<ChildProcess>();
  private readonly asNobody = process.getuid?.() === 0;

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
    this.home = join(this.dir, "home");
    this.relayOut = join(this.dir, "relay");
    for (const d of [this.dir, this.home, this.relayOut]) {
      mkdirSync(d, { recursive: true });
      chmodSync(d, 0o777);
    }
  }

  /** The environment every LTTng-related process of the lab gets. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, HOME: this.home, LTTNG_HOME: this.home, LTTNG_UST_REGISTER_TIMEOUT: "5000", NO_COLOR: "1" };
  }

  /** `argv` as the lab's user (nobody when the tests run as root). */
  argv(argv: string[]): string[] {
    return this.asNobody ? ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", ...argv] : argv;
  }

  /** Starts a process of the lab (in its own process group, so `stop` ends its children too). */
  spawn(argv: string[], opts: { stdin?: "pipe" | "ignore" } = {}): ChildProcess {
    const [cmd, ...args] = this.argv(argv);
    const child = spawn(cmd!, args, { env: this.env, detached: true, stdio: [opts.stdin ?? "ignore", "pipe", "pipe"] });
    this.children.add(child);
    child.on("exit", () => this.children.delete(child));
    return child;
  }

  async startRelayd(ports?: { control: number; data: number; live: number }): Promise<void> {
    this.ports = ports ?? { control: await freePort(), data: await freePort(), live: await freePort() };
    const p = this.ports;
    this.relayd = this.spawn(["lttng-relayd", "-o", this.relayOut, "-C", `tcp://127.0.0.1:${p.control}`, "-D", `tcp://127.0.0.1:${p.data}`, "-L", `tcp://127.0.0.1:${p.live}`]);
    await this.waitFor(() => _canConnect(p.live), "lttng-relayd to listen on its live port");
  }

  /** Kills the relay daemon at once (SIGKILL), as a crash would. */
  async killRelayd(): Promise<void> {
    const r = this.relayd;
    this.relayd = null;
    if (r === null || r.exitCode !== null) return;
    const gone = new Promise((res) => r.once("exit", res));
    process.kill(-r.pid!, "SIGKILL");
    await gone;
  }

  async startSessiond(): Promise<void> {
    this.sessiond = this.spawn(["lttng-sessiond", "--no-kernel"]);
    await this.waitFor(() => this.lttng(["list"], { check: false }).status === 0, "lttng-sessiond to answer");
  }

  /** Runs the `lttng` client; throws with its output when it fails (unless `check` is false). */
  lttng(args: string[], opts: { check?: boolean } = {}): { status: number | null; stdout: string; stderr: string } {
    const [cmd, ...rest] = this.argv(["lttng", ...args]);
    const r = spawnSync(cmd!, rest, { env: this.env, encoding: "utf8" });
    if (opts.check !== false && r.status !== 0) throw new Error(`lttng ${args.join(" ")} failed (${r.status}): ${r.stdout}${r.stderr}`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** A live session streaming every vkvm event to the lab's relay daemon. */
  createLiveSession(name: string, liveTimerUs = 100_000): void {
    this.lttng(["create", name, `--live=${liveTimerUs}`, `--set-url=net://127.0.0.1:${this.ports.control}:${this.ports.data}`]);
    this.lttng(["enable-event", "-u", "vkvm:*", "-s", name]);
    this.lttng(["start", name]);
  }

  /** A snapshot (flight recorder) session of every vkvm event, written under the lab's home. */
  createSnapshotSession(name: string): void {
    this.lttng(["create", name, "--snapshot"]);
    this.lttng(["enable-event", "-u", "vkvm:*", "-s", name]);
    this.lttng(["start", name]);
  }

  /** Compiles the UST replay program (provider header and source from test/live/ust). */
  buildReplay(): string {
    const out = join(this.dir, "vkvm-replay");
    const r = spawnSync("gcc", ["-O1", "-Wall", `-I${UST_DIR}`, "-o", out, join(UST_DIR, "vkvm-replay.c"), "-llttng-ust", "-ldl", "-lpthread"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`building the UST replay program failed:\n${r.stderr}`);
    return out;
  }

  /** Waits until `ok()` holds (polling), or throws naming what was awaited. */
  async waitFor(ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** Stops every process of the lab (daemons last) and removes its directory unless `keep`. */
  async stop(keep = false): Promise<void> {
    const others = [...this.children].filter((c) => c !== this.relayd && c !== this.sessiond);
    for (const c of [...others, this.sessiond, this.relayd]) {
      if (c === null || c.exitCode !== null || c.signalCode !== null) continue;
      const gone = new Promise((res) => c.once("exit", res));
      try {
        process.kill(-c.pid!, "SIGTERM");
      } catch {
        continue;
      }
      const t = setTimeout(() => { try { process.kill(-c.pid!, "SIGKILL"); } catch { /* already gone */ } }, 5000);
      await gone;
      clearTimeout(t);
    }
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}

function _canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host: "127.0.0.1", port });
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
}
