/**
 * Alert actions. Each runs off the hot path (the event loop only queues it) and reports its
 * failure instead of throwing; `exec` always takes an argument vector, never a shell string.
 */
import { spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import type { AlertRecord } from "./result.js";
import { alertJson } from "./alert-json.js";

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
}

export class ActionRunner {
  private logs = new Map<string, WriteStream>();
  private pending = new Set<Promise<void>>();
  failures: string[] = [];

  constructor(private readonly env: ActionEnv) {}

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
        return this.spawn(r.rule, spec.argv(r));
      case "snapshot": {
        const argv = [this.env.lttng, "snapshot", "record", "-s", spec.session(r)];
        if (spec.name) argv.push("-n", spec.name(r));
        if (spec.maxSize !== null) argv.push("-m", String(spec.maxSize));
        return this.spawn(r.rule, argv);
      }
      case "rotate":
        return this.spawn(r.rule, [this.env.lttng, "rotate", "-s", spec.session(r)]);
    }
  }

  /** Waits for every queued action and closes log files. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await Promise.all([...this.logs.values()].map((s) => new Promise<void>((res) => s.end(res))));
    this.logs.clear();
  }

  private spawn(rule: string, argv: string[]): void {
    const [cmd, ...args] = argv;
    if (!cmd) { this.failures.push(`${rule}: exec with an empty argument vector`); return; }
    const p = new Promise<void>((resolve) => {
      const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"], shell: false });
      let err = "";
      child.stderr?.on("data", (d: Buffer) => { if (err.length < 2000) err += d.toString(); });
      child.on("error", (e) => { this.failures.push(`${rule}: cannot run ${cmd}: ${e.message}`); resolve(); });
      child.on("close", (code) => {
        if (code !== 0 && code !== null) this.failures.push(`${rule}: ${argv.join(" ")} exited with ${code}${err ? ": " + err.trim() : ""}`);
        resolve();
      });
    });
    this.pending.add(p);
    void p.then(() => this.pending.delete(p));
  }
}
