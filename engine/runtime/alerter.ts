/**
 * Records alerts and applies rate policies to their actions. Policies run on trace time, per
 * key: `at most every T [per KEY]` lets one action through per window, `once after N [per KEY]`
 * lets exactly the N-th occurrence through. Every held-back action is counted per rule.
 *
 * Records are kept in memory for the final report: all of them by default or — for unbounded
 * live streams — only (about) the newest `maxRecords` (at most twice that is held, trimmed in
 * halves, so amortised O(1)); `total` counts every alert either way, and `onRecord` sees each
 * one as it fires, before its actions are queued.
 */
import type { FieldValue } from "../model/event.js";
import type { ActionRunner, ActionSpec } from "./actions.js";
import type { AlertRecord, AlertSeverity } from "./result.js";

/** Per-key policy entries kept before expired ones are swept. */
const PRUNE_AT = 4096;

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

export interface AlerterOptions {
  /** Keep only (about) the newest N records (default: all). */
  maxRecords?: number;
  /** Called with every new record, before its actions run. */
  onRecord?: (r: AlertRecord) => void;
}

export class Alerter {
  readonly records: AlertRecord[] = [];
  readonly suppressed: Record<string, number> = {};
  /** Alerts fired, whether or not their record is still kept. */
  total = 0;
  private readonly onRecord: ((r: AlertRecord) => void) | null;
  /** Records kept: the newest this many (0: all). */
  private readonly newest: number;
  private readonly pruneAt = new WeakMap<Map<FieldValue, number>, number>();
  /** Per rule, per action: key → last pass time (every) or occurrences (once). */
  private state: Array<Array<Map<FieldValue, number>>>;

  constructor(readonly rules: AlertRuleSpec[], private readonly runner: ActionRunner, options: AlerterOptions = {}) {
    this.state = rules.map((r) => r.actions.map(() => new Map()));
    this.newest = options.maxRecords === undefined || !Number.isFinite(options.maxRecords) ? 0 : Math.max(1, Math.floor(options.maxRecords));
    this.onRecord = options.onRecord ?? null;
  }

  /** Records one alert and runs its actions as policies allow. `keys[i]` is action i's policy key. */
  fire(rule: number, ts: number, message: string, fields: Record<string, FieldValue>, keys: FieldValue[] | null): void {
    const spec = this.rules[rule]!;
    const record: AlertRecord = { rule: spec.name, severity: spec.severity, ts, message, fields };
    this.total++;
    if (this.newest > 0) {
      this.records.push(record);
      if (this.records.length > 2 * this.newest) this.records.splice(0, this.records.length - this.newest);
    } else this.records.push(record);
    if (this.onRecord) this.onRecord(record);
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
      // Keys whose window has passed hold nothing: forget them so live key churn stays bounded.
      if (st.size >= (this.pruneAt.get(st) ?? PRUNE_AT)) {
        for (const [key, t] of st) if (ts - t >= p.ns) st.delete(key);
        // Sweep again only when the map has doubled: amortised O(1) per alert.
        this.pruneAt.set(st, Math.max(PRUNE_AT, st.size * 2));
      }
      st.set(k, ts);
      return true;
    }
    const n = (st.get(k) ?? 0) + 1;
    st.set(k, n);
    return n === p.n;
  }
}
