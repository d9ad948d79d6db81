/**
 * The command helper: commands are forked by a helper process (not by the engine's own), their
 * start and end are reported with the same wording as a direct spawn, a helper that dies fails
 * its pending commands (so the runner retries them) and is replaced, and an idle helper does
 * not keep the engine's process alive.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CommandSpawner } from "../../../engine/runtime/command-spawner.js";
import { REPO } from "../../helpers/shared.js";

describe("CommandSpawner", () => {
  it("starts commands from a helper process, reporting start before the end", async () => {
    const s = new CommandSpawner();
    const steps: string[] = [];
    const o = await s.run(["sh", "-c", "echo $PPID"], true, (wallMs) => steps.push(`started ${typeof wallMs}`));
    steps.push("ended");
    const ppid = Number(o.stdout.trim());
    expect(o.error).toBeNull();
    expect(ppid).toBeGreaterThan(1);
    expect(ppid).not.toBe(process.pid);
    expect(steps).toEqual(["started number", "ended"]);
    // one helper serves every command
    const again = await s.run(["sh", "-c", "echo $PPID"], true, () => {});
    expect(Number(again.stdout.trim())).toBe(ppid);
    s.close();
  });

  it("words failures as a direct spawn does", async () => {
    const s = new CommandSpawner();
    const failed = await s.run(["sh", "-c", "echo nope >&2; exit 3"], false, () => {});
    expect(failed.error).toBe("sh -c echo nope >&2; exit 3 exited with 3: nope");
    const missing = await s.run(["/nonexistent/vigil-cmd"], false, () => {});
    expect(missing.error).toMatch(/^cannot run \/nonexistent\/vigil-cmd: spawn \/nonexistent\/vigil-cmd ENOENT/);
    expect((await s.run([], false, () => {})).error).toBe("exec with an empty argument vector");
    s.close();
  });

  it("fails the pending commands of a helper that dies, and starts a new one for the next", async () => {
    const s = new CommandSpawner();
    const first = await s.run(["sh", "-c", "echo $PPID"], true, () => {});
    const helper = Number(first.stdout.trim());
    const pending = s.run(["sleep", "5"], false, () => {});
    await new Promise((r) => setTimeout(r, 100));
    process.kill(helper, "SIGKILL");
    const o = await pending;
    expect(o.error).toMatch(/^sleep 5: the command helper exited \(SIGKILL\)$/);
    const next = await s.run(["sh", "-c", "echo $PPID"], true, () => {});
    expect(next.error).toBeNull();
    expect(Number(next.stdout.trim())).not.toBe(helper);
    s.close();
  });

  it("does not keep a process alive once its commands are done", () => {
    const script = `
      import { CommandSpawner } from ${JSON.stringify(join(REPO, "dist", "engine", "runtime", "command-spawner.js"))};
      const s = new CommandSpawner();
      const o = await s.run(["sh", "-c", "echo ok"], true, () => {});
      console.log(o.stdout.trim());`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 10_000 });
    expect({ status: r.status, stdout: r.stdout.trim(), stderr: r.stderr }).toEqual({ status: 0, stdout: "ok", stderr: "" });
    expect(Date.now() - t0).toBeLessThan(8000);
  });
});
