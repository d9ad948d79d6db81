/** Windows, gaps, caps, `stays` and policy intervals must be compile-time constants of the right kind. */
import type { DoClause, Expr } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { constCount, constDuration } from "./const-eval.js";
import type { Rule, Symbols } from "./symbols.js";

export function checkBounds(rule: Rule, symbols: Symbols, overrides: Map<string, Expr>, out: Diagnostic[]): void {
  const dur = (e: Expr | null, what: string) => {
    if (!e) return;
    const v = constDuration(e, symbols, overrides);
    if (typeof v === "string") out.push(error("VGL302", `${what} of ${rule.name.name}: ${v}`, e.span));
  };
  const count = (e: Expr | null, what: string) => {
    if (!e) return;
    const v = constCount(e, symbols, overrides);
    if (typeof v === "string") out.push(error("VGL303", `${what} of ${rule.name.name}: ${v}`, e.span));
  };
  const policies = (ds: DoClause[]) => {
    for (const d of ds) {
      if (d.policy?.kind === "AtMostEvery") dur(d.policy.interval, "`at most every`");
      if (d.policy?.kind === "OnceAfter") count(d.policy.count, "`once after`");
    }
  };
  switch (rule.kind) {
    case "Machine": dur(rule.idle, "`idle`"); count(rule.cap, "`cap`"); break;
    case "Sequence":
      dur(rule.within, "`within`");
      count(rule.cap, "`cap`");
      for (const s of rule.steps) {
        if (s.kind === "AbsenceStep") dur(s.within, "`not ... within`");
        else dur(s.gap, "`gap`");
      }
      if (rule.alert) policies(rule.alert.actions);
      break;
    case "Alert":
      if (rule.trigger.kind === "WhenState") dur(rule.trigger.stays, "`stays`");
      policies(rule.spec.actions);
      break;
    case "Table":
      dur(rule.split, "`split`");
      break;
  }
}
