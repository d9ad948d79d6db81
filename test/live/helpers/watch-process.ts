/**
 * `vigil watch --format json` as a child process of a lab: its JSON Lines collected as they
 * come, with waits on what they say (attached, N alerts, ended) and the exit code.
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT, type LttngLab } from "./lttng-lab.js";

export const VIGIL = join(REPO_ROOT, "dist", "cli", "main.js");

export type WatchLine = { type: string; [k: string]: unknown };

export class WatchProcess {
  readonly lines: WatchLine[] = [];
  stderr = "";
  readonly exited: Promise<number | null>;
  readonly child: ChildProcess;

  constructor(lab: LttngLab, args: string[]) {
    this.child = lab.spawn([process.execPath, VIGIL, "watch", "--format", "json", ...args]);
    let buf = "";
    this.child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() !== "") this.lines.push(JSON.parse(line) as WatchLine);
      }
    });
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((res) => this.child.once("exit", (code) => res(code)));
  }

  of(type: string, pred: (l: WatchLine) => boolean = () => true): WatchLine[] {
    return this.lines.filter((l) => l.type === type && pred(l));
  }

  async waitFor(pred: (w: WatchProcess) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred(this)) {
      if (Date.now() > end) throw new Error(`timed out waiting for vigil watch: ${what}\nlines:\n${this.lines.map((l) => JSON.stringify(l)).join("\n")}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Asks it to stop (SIGTERM: it finishes the run and prints its summary). */
  stop(): void {
    if (this.child.exitCode === null) process.kill(this.child.pid!, "SIGTERM");
  }
}
