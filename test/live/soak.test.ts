/**
 * The soak benchmark in its short form (CI): `vigil watch -` fed at full speed for 20 s must
 * keep its memory flat after warm-up (the full run is `npm run bench:watch`, 10 minutes).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/lttng-lab.js";

const BENCH = join(REPO_ROOT, "dist", "bench", "watch-soak-bench.js");

describe("watch soak (short)", () => {
  it("keeps RSS flat after warm-up while events stream at full speed", () => {
    if (!existsSync(BENCH)) throw new Error(`${BENCH} is missing: run \`npm run build\` first (npm test does)`);
    const r = spawnSync(process.execPath, [BENCH, "--duration", "20", "--no-save"], { encoding: "utf8", timeout: 120_000 });
    const out = JSON.parse(r.stdout) as { flat: boolean; exit_code: number; events_written: number; output_lines: number; rss_mib: { second_half_max: number; ceiling: number } };
    expect(out.exit_code).toBe(0);
    expect(out.events_written).toBeGreaterThan(200_000);
    expect(out.output_lines).toBeGreaterThan(10); // alerts and actions were printed along the way
    expect(out.rss_mib.second_half_max).toBeLessThanOrEqual(out.rss_mib.ceiling);
    expect(out.flat).toBe(true);
  }, 150_000);
});
