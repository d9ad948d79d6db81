/**
 * Records alerts and applies rate policies to their actions. Policies run on trace time, per
 * key: `at most every T [per KEY]` lets one action through per window, `once after N [per KEY]`
 * lets exactly the N-th occurrence through. Every held-back action is counted per rule.
 */
import type { FieldValue } from "../model/event.js";
import type { ActionRunner, ActionSpec } from "./actions.js";
import type { AlertRecord, AlertSeverity } from "./result.js";

export type PolicySpec = { kind: "every"; ns: number } | { kind: "once"; n: number } | null;

export interface AlertActionSpec {
  action: ActionSpec;
  policy: PolicySpec;
}

export interface AlertRuleSpec {
  name: string;
  severity: AlertSeverity;
  actions: AlertActionSpec[];
}

export class Alerter {
  readonly records: AlertRecord[] = [];
  readonly suppressed: Record<string, number> = {};
  /** Per rule, per action: key → last pass time (every) or occurrences (once). */
  private state: Array<Array<Map<FieldValue, number>>>;

  constructor(readonly rules: AlertRuleSpec[], private readonly runner: ActionRunner, private readonly maxRecords = Number.POSITIVE_INFINITY) {
    this.state = rules.map((r) => r.actions.map(() => new Map()));
  }

  /** Records one alert and runs its actions as policies allow. `keys[i]` is action i's policy key. */
  fire(rule: number, ts: number, message: string, fields: Record<string, FieldValue>, keys: FieldValue[] | null): void {
    const spec = this.rules[rule]!;
    const record: AlertRecord = { rule: spec.name, severity: spec.severity, ts, message, fields };
    if (this.records.length < this.maxRecords) this.records.push(record);
    spec.actions.forEach((a, j) => {
      const key = keys?.[j] ?? null;
      if (this.allow(a.policy, this.state[rule]![j]!, key, ts)) this.runner.run(a.action, record);
      else this.suppressed[spec.name] = (this.suppressed[spec.name] ?? 0) + 1;
    });
  }

  get suppressedTotal(): number {
    return Object.values(this.suppressed).reduce((a, b) => a + b, 0);
  }

  // --- internal ---

  private allow(p: PolicySpec, st: Map<FieldValue, number>, key: FieldValue, ts: number): boolean {
    if (p === null) return true;
    const k = typeof key === "bigint" && key <= BigInt(Number.MAX_SAFE_INTEGER) && key >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(key) : key;
    if (p.kind === "every") {
      const last = st.get(k);
      if (last !== undefined && ts - last < p.ns) return false;
      st.set(k, ts);
      return true;
    }
    const n = (st.get(k) ?? 0) + 1;
    st.set(k, n);
    return n === p.n;
  }
}
