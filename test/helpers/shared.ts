/**
 * Third-party traces and reference data live in `../shared` beside the checkout (present on
 * every developer machine and in CI). Tests find them here and say so plainly when missing.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The repository root (where package.json is). */
export const REPO = repoRoot;

/** Absolute path under `../shared`; throws a clear error when the folder is not there. */
export function sharedPath(...parts: string[]): string {
  const root = process.env.VIGIL_SHARED ?? join(repoRoot, "..", "shared");
  if (!existsSync(root)) {
    throw new Error(
      `The shared traces folder is missing: expected ${root} (set VIGIL_SHARED to its location). ` +
        "Vigil's tests read third-party traces from ../shared and do not ship copies.",
    );
  }
  const p = join(root, ...parts);
  if (!existsSync(p)) throw new Error(`Missing shared file: ${p}`);
  return p;
}
