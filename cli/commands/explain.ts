/** `vigil explain`: the compiled plan of each rule and the plan warnings. */
import { hasErrors } from "../../grammar/diagnostic.js";
import { printExpr } from "../../grammar/print-expr.js";
import { compile } from "../../engine/compile.js";
import { formatDuration } from "../../engine/model/time.js";
import type { RulePlan } from "../../engine/plan/plan-rules.js";
import type { ParsedArgs } from "../command.js";
import { list, parseOverrides, printDiagnostics } from "../inputs.js";

export async function run(args: ParsedArgs): Promise<number> {
  const { overrides, errors } = parseOverrides(list(args.values.set));
  if (errors.length > 0) { errors.forEach((e) => process.stderr.write(`vigil explain: ${e}\n`)); return 2; }
  const out = compile({ files: args.positionals, packs: list(args.values.pack), overrides });
  if (hasErrors(out.diagnostics)) { printDiagnostics(out.diagnostics, out.texts); return 1; }
  const lines: string[] = [];
  for (const p of out.plans) lines.push(...explainRule(p), "");
  if (out.program) {
    lines.push(`dispatch table: ${out.program.events.length} event type(s): ${out.program.events.join(", ") || "(none)"}`);
    const every = out.plans.filter((p) => p.events === null).map((p) => p.outName);
    if (every.length > 0) lines.push(`runs on every event: ${every.join(", ")}`);
  }
  process.stdout.write(lines.join("\n") + "\n");
  const warnings = out.diagnostics.filter((d) => d.severity === "warning");
  if (warnings.length > 0) printDiagnostics(warnings, out.texts);
  if (args.values.source && out.program) process.stdout.write("\n// generated program\n" + out.program.source);
  return 0;
}

function explainRule(p: RulePlan): string[] {
  const r = p.rule;
  const lines = [`${p.kind.toLowerCase()} ${p.outName}  (${r.span.file}:${r.span.line})`];
  lines.push(`  listens to: ${p.events === null ? "EVERY EVENT" : p.events.length > 0 ? p.events.join(", ") : "(rows of " + p.reads + ")"}`);
  if (p.key) lines.push(`  key:        ${p.key}`);
  if (r.kind === "Machine") {
    lines.push(`  states:     ${r.states.map((s) => s.name).join(", ")} (initial ${r.initial.name})`);
    const routes = [...new Set(r.transitions.filter((t) => t.routeKey).map((t) => printExpr(t.routeKey!)))];
    if (routes.length) lines.push(`  routed by:  ${routes.join(", ")}`);
  }
  const b = p.bounds;
  const bounds: string[] = [];
  if (b.within !== undefined) bounds.push(`within ${formatDuration(b.within)}`);
  if (b.gaps?.some((g) => g !== null)) bounds.push(`gaps ${b.gaps.map((g) => (g === null ? "-" : formatDuration(g))).join(" ")}`);
  if (b.cap !== undefined) bounds.push(`cap ${b.cap} ${r.kind === "Sequence" ? "partial matches per key" : "instances"}`);
  if (b.idle !== undefined) bounds.push(`idle expiry ${formatDuration(b.idle)}`);
  if (b.stays !== undefined) bounds.push(`stays ${formatDuration(b.stays)}`);
  if (b.split !== undefined) bounds.push(`rows split every ${formatDuration(b.split)}`);
  if (bounds.length) lines.push(`  bounds:     ${bounds.join(", ")}`);
  for (const w of p.warnings) lines.push(`  warning ${w.code}: ${w.message}`);
  return lines;
}
