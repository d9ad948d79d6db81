/**
 * The lab of a live test that traces the UST replay program: a private relay daemon and session
 * daemon (lttng-lab.ts) with the replay program built, and a way to run it on one script.
 *
 * Contract: `ReplayLab.start(name)` returns a lab whose relay and session daemons answer and
 * whose `replay` program is built, or throws having stopped whatever it had started (a test
 * file's `afterAll` never sees a half-made lab). `runReplay` resolves once the program traced
 * the whole script and exited cleanly, and throws with its output otherwise. `finish` stops
 * every process of the lab, keeping its directory when VIGIL_KEEP_LAB=1 (to look at a failure).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { LttngLab, requireLttng } from "./lttng-lab.js";

export class ReplayLab extends LttngLab {
  private program = "";

  /** The compiled UST replay program (test/live/ust/vkvm-replay.c). */
  get replay(): string {
    return this.program;
  }

  /** A started lab named `name` (see the contract above). */
  static async start(name: string): Promise<ReplayLab> {
    requireLttng();
    const lab = new ReplayLab(name);
    try {
      lab.program = lab.buildReplay();
      await lab.startRelayd();
      await lab.startSessiond();
    } catch (err) {
      await lab.finish();
      throw err;
    }
    return lab;
  }

  /** Runs the replay program on `script` (saved as `<name>.txt` in the lab) and waits for it. */
  async runReplay(script: string, name: string): Promise<void> {
    const file = join(this.dir, `${name}.txt`);
    writeFileSync(file, script);
    const app = this.spawn([this.replay, file]);
    let out = "";
    app.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    app.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((res) => app.once("exit", res));
    // The program prints "done" after its last event: an exit without it means a cut-short trace.
    if (code !== 0 || !out.includes("done")) throw new Error(`replay program failed (${code}): ${out}`);
  }

  /** Stops the lab's processes (see the contract above). */
  finish(): Promise<void> {
    return this.stop(process.env.VIGIL_KEEP_LAB === "1");
  }
}
