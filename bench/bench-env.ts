/**
 * What every bench takes from where it runs: its numeric options, the repository, and the file
 * its result goes to. The benches run from their sources or, usually, built (`dist/bench/*.js`),
 * and write to the same `bench/results/` either way, since those files are committed and read
 * by people.
 *
 * Contract: `numberArg(name, def)` is the number after `name` on the command line, or `def`
 * when `name` is absent. `REPO_ROOT` is the repository root whether this module runs from
 * `bench/` or `dist/bench/`. `writeBenchResult(name, result)` leaves
 * `bench/results/<name>.json` holding `result` as 2-space JSON and a final newline (stable,
 * diffable), and prints the same JSON on stdout.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const _here = dirname(fileURLToPath(import.meta.url));

/** The number given after option `name` (`--rounds 5`), or `def` when the option is absent. */
export function numberArg(name: string, def: number): number {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
}

/** The repository root (see the contract above). */
export const REPO_ROOT = resolve(_here, _here.includes(join("dist", "bench")) ? "../.." : "..");

/** Writes and prints one bench's result (see the contract above). */
export function writeBenchResult(name: string, result: unknown): void {
  const out = join(REPO_ROOT, "bench", "results", `${name}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
  console.log(JSON.stringify(result, null, 2));
}
