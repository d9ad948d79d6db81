/**
 * Writes `grammar/cst.d.ts`, the CST node types of `VglParser`, with chevrotain's
 * `generateCstDts`. Run after changing a rule (`test/grammar/cst-dts.test.ts` fails while the
 * committed file is stale and regenerates it when run with `VIGIL_UPDATE_CST=1`).
 *
 * Usage: `node dist/grammar/gen-cst-dts.js [out-path]` (default `grammar/cst.d.ts`).
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { generateCstDts } from "./chevrotain.js";
import { vglParser } from "./parser.js";

const HEADER = "// DO NOT EDIT: generated from grammar/parser.ts by grammar/gen-cst-dts.ts.\n";

/** The text of `cst.d.ts` for the current grammar. */
export function renderCstDts(): string {
  return HEADER + generateCstDts(vglParser.getGAstProductions());
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(process.argv[2] ?? "grammar/cst.d.ts");
  writeFileSync(out, renderCstDts());
  console.log(`wrote ${out}`);
}
