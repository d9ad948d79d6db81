/** `vigil check`: compile only; every diagnostic, exit 1 on any error. */
import { hasErrors } from "../../grammar/diagnostic.js";
import { compile } from "../../engine/compile.js";
import { openTraces } from "../../engine/readers/index.js";
import { sourcesSchema } from "../../engine/run.js";
import type { ParsedArgs } from "../command.js";
import { diagnosticsJson, list, parseOverrides, printDiagnostics } from "../inputs.js";

export async function run(args: ParsedArgs): Promise<number> {
  const packs = list(args.values.pack);
  if (args.positionals.length === 0 && packs.length === 0) {
    process.stderr.write("vigil check: name rule files or folders (or --pack NAME) to check\n");
    return 2;
  }
  const { overrides, errors } = parseOverrides(list(args.values.set));
  if (errors.length > 0) { errors.forEach((e) => process.stderr.write(`vigil check: ${e}\n`)); return 2; }
  const traces = list(args.values.trace);
  let traceSchema = null;
  if (traces.length > 0) {
    const sources = await openTraces(traces, { onIssue: (i) => process.stderr.write(`${i.file}${i.line ? ":" + i.line : ""}: ${i.severity}: ${i.message}\n`) });
    traceSchema = sourcesSchema(sources);
  }
  const out = compile({ files: args.positionals, packs, overrides, traceSchema });
  if (args.values.format === "json") process.stdout.write(diagnosticsJson(out.diagnostics) + "\n");
  else {
    printDiagnostics(out.diagnostics, out.texts);
    if (!hasErrors(out.diagnostics)) process.stderr.write(`ok: ${out.plans.length} rule(s) in ${out.texts.size} file(s)\n`);
  }
  return hasErrors(out.diagnostics) ? 1 : 0;
}
