import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseVgl } from "../../grammar/parse.js";
import { REPO } from "../helpers/shared.js";

/** ~1000 lines: the DESIGN sketch's rules repeated under distinct names. */
function bigFile(): string {
  const sketch = readFileSync(join(REPO, "test/grammar/fixtures/design-sketch.vgl"), "utf8").replace(/^(pack|use)[^\n]*$/gm, "");
  const names = /\b(vcpu|exit_handling|ept_storm|exits|long_preemption|vm_entry|vm_exit|still_runnable)\b/g;
  return Array.from({ length: 22 }, (_, i) => sketch.replace(names, `$1_${i}`)).join("\n");
}

// Speed is measured by benchmarks, never by timed tests (they flake on a loaded machine):
// this checks that a large file parses completely and identically twice.
describe("large files", () => {
  it("parses a 1000-line file completely, the same way every time", () => {
    const text = bigFile();
    expect(text.split("\n").length).toBeGreaterThan(950);
    const first = parseVgl(text, "big.vgl");
    expect(first.diagnostics).toEqual([]);
    expect(first.ast.decls).toHaveLength(22 * 8);
    expect(parseVgl(text, "big.vgl")).toEqual(first);
  });
});
