import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCstDts } from "../../grammar/gen-cst-dts.js";
import { REPO } from "../helpers/shared.js";

describe("grammar/cst.d.ts", () => {
  it("matches the grammar (regenerate with VIGIL_UPDATE_CST=1)", () => {
    const path = join(REPO, "grammar/cst.d.ts");
    const fresh = renderCstDts();
    if (process.env.VIGIL_UPDATE_CST === "1") writeFileSync(path, fresh);
    expect(readFileSync(path, "utf8")).toBe(fresh);
  });
});
