/** `vigil packs`: the built-in packs and the rules each declares. */
import { compile } from "../../engine/compile.js";
import { listPacks } from "../../engine/load-files.js";
import type { ParsedArgs } from "../command.js";

export async function run(_args: ParsedArgs): Promise<number> {
  const packs = listPacks();
  if (packs.length === 0) {
    process.stdout.write("no built-in packs\n");
    return 0;
  }
  for (const p of packs) {
    const out = compile({ packs: [p] });
    const doc = out.unit?.files.flatMap((f) => f.decls).find((d) => d.kind === "Pack");
    process.stdout.write(`${p}${doc && doc.kind === "Pack" && doc.doc ? ` — ${doc.doc}` : ""}\n`);
    for (const plan of out.plans) process.stdout.write(`  ${plan.kind.toLowerCase().padEnd(9)} ${plan.outName}\n`);
    if (out.plans.length === 0) process.stdout.write("  (no rules yet)\n");
  }
  return 0;
}
