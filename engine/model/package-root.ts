/**
 * Finds the installed package's root (the folder holding Vigil's package.json), so data files
 * (`rules/`, catalogues) resolve the same from `dist/` and from sources under vitest.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | null = null;

export function packageRoot(): string {
  if (cached !== null) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj) && JSON.parse(readFileSync(pj, "utf8")).name === "vigil") return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error("Cannot find Vigil's package.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}
