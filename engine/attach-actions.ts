/**
 * `--do 'RULE: ACTION [POLICY]'` (and `vigil watch --do`): actions given on the command line,
 * parsed with the language's own `do` clause grammar and attached to the named alert (an
 * `alert` rule or a sequence's alert output) before checking, so they are checked and
 * generated exactly like actions written in the rule file.
 */
import type { DoClause, VglFile } from "../grammar/ast.js";
import { error, type Diagnostic } from "../grammar/diagnostic.js";
import { parseVgl } from "../grammar/parse.js";
import { didYouMean } from "./check/suggest.js";

export interface ExtraAction {
  /** Alert name, short (`long_preemption`) or with its pack (`kvm.long_preemption`). */
  rule: string;
  /** `snapshot "fr" at most every 60s per vm` — a `do` clause without the `do`. */
  action: string;
}

/** Parses `RULE: ACTION` as given to `--do`. */
export function parseDoOption(text: string): ExtraAction | null {
  const m = /^\s*([A-Za-z_][\w.]*)\s*:\s*(.+)$/s.exec(text);
  return m ? { rule: m[1]!, action: m[2]! } : null;
}

export function attachActions(files: VglFile[], extra: ExtraAction[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const alerts = new Map<string, { actions: DoClause[] }>();
  for (const f of files) {
    const pack = f.decls.find((d) => d.kind === "Pack");
    const prefix = pack && pack.kind === "Pack" ? pack.name.name + "." : "";
    for (const d of f.decls) {
      if (d.kind !== "Alert" && d.kind !== "Sequence") continue;
      const spec = d.kind === "Alert" ? d.spec : d.alert;
      if (!spec) continue;
      alerts.set(d.name.name, spec);
      alerts.set(prefix + d.name.name, spec);
    }
  }
  extra.forEach((x, i) => {
    const file = `--do #${i + 1}`;
    const spec = alerts.get(x.rule);
    const at = { file, line: 1, col: 1, endLine: 1, endCol: x.rule.length + 1 };
    if (!spec) {
      out.push(error("VGL233", `--do ${x.rule}: no alert of that name`, at, didYouMean(x.rule, alerts.keys())));
      return;
    }
    // The real grammar reads the clause, inside a one-line alert that is then thrown away.
    const prefix = "alert __vigil_cli on __vigil_cli do ";
    const { ast, diagnostics } = parseVgl(prefix + x.action, file);
    for (const d of diagnostics) out.push({ ...d, span: { ...d.span, col: Math.max(1, d.span.col - prefix.length), endCol: Math.max(1, d.span.endCol - prefix.length) } });
    const decl = ast.decls[0];
    if (decl && decl.kind === "Alert" && decl.spec.actions.length === 1 && diagnostics.length === 0) spec.actions.push(decl.spec.actions[0]!);
    else if (diagnostics.length === 0) out.push(error("VGL234", `--do ${x.rule}: expected one action such as \`snapshot "fr" at most every 60s per vm\``, at));
  });
  return out;
}
