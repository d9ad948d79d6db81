/** The row fields each rule kind exposes to tables and alerts, and `$name` event-set derivation. */
import type { Expr, Ident, MachineRule, SequenceRule } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";

/** The row fields every interval row carries; kept fields may not take these names. */
export const MACHINE_ROW_TIMING: ReadonlySet<string> = new Set(["key", "state", "start", "end", "duration", "open"]);
/** The row fields every segment row carries; emitted bindings may not take these names. */
export const SEGMENT_ROW_TIMING: ReadonlySet<string> = new Set(["key", "start", "end", "duration"]);

/**
 * Reports a kept field or segment binding named like a built-in row field: it would silently
 * replace the row's timing (and generated code relies on `start`/`end`/`duration` being numbers).
 */
export function reservedRowField(name: Ident, what: "machine" | "segment", reserved: ReadonlySet<string>, cx: { out: Diagnostic[] }): void {
  if (!reserved.has(name.name)) return;
  const where = what === "machine" ? "a kept field" : "a segment field";
  cx.out.push(error("VGL245", `\`${name.name}\` cannot be ${where}: every ${what === "machine" ? "state interval" : "segment"} row already has \`${name.name}\` (${[...reserved].join(", ")}); rename it`, name.span));
}

/** Fields of a segment row: the emitted bindings plus timing and key. */
export function sequenceRowFields(s: SequenceRule): Set<string> {
  return new Set(["start", "end", "duration", "key", ...(s.segment ?? []).map((b) => b.name.name)]);
}

/** Fields of a state-interval row: key, state, timing and the kept fields. */
export function machineRowFields(m: MachineRule): Set<string> {
  return new Set(["key", "state", "start", "end", "duration", "open", ...m.keep.map((k) => k.target.name)]);
}

/**
 * Falco-style: the event types a `when` condition can match, from `$name == "x"` and
 * `$name in ("a", "b")` conjuncts (unions under `||`); null when the condition does not restrict
 * the event type, so the rule runs on every event (the planner warns).
 */
export function deriveEventSet(e: Expr): string[] | null {
  if (e.kind === "Paren") return deriveEventSet(e.inner);
  if (e.kind === "Binary" && e.op === "&&") {
    const l = deriveEventSet(e.left);
    const r = deriveEventSet(e.right);
    if (l && r) return l.filter((x) => r.includes(x));
    return l ?? r;
  }
  if (e.kind === "Binary" && e.op === "||") {
    const l = deriveEventSet(e.left);
    const r = deriveEventSet(e.right);
    return l && r ? [...new Set([...l, ...r])] : null;
  }
  if (e.kind === "Binary" && e.op === "==") {
    if (e.left.kind === "Context" && e.left.name === "name" && e.right.kind === "Str") return [e.right.value];
    if (e.right.kind === "Context" && e.right.name === "name" && e.left.kind === "Str") return [e.left.value];
  }
  if (e.kind === "In" && !e.negated && e.operand.kind === "Context" && e.operand.name === "name" && Array.isArray(e.list)) {
    const names = e.list.map((x) => (x.kind === "Str" ? x.value : null));
    if (names.every((n): n is string => n !== null)) return names;
  }
  return null;
}
