/**
 * The data of the live terminal view, taken from a running `LiveDriver` at a steady rate:
 * per machine the live instances grouped by VM (a kept field named `vm`) with their current
 * state, time in it and recent time shares; the rules' tables (top rows); rates; and the
 * latest alerts, actions and notices. No rendering here: `cli/ui/` draws it.
 *
 * Contract: `snapshot()` costs O(instances + table groups) and never changes the run; the
 * recent lists are rings of `keep` entries.
 */
import type { FieldValue } from "../model/event.js";
import { formatDuration } from "../model/time.js";
import type { ActionEvent } from "../runtime/actions.js";
import type { AlertRecord } from "../runtime/result.js";
import type { LiveNotice } from "./live-feed.js";
import type { LiveDriver } from "./live-driver.js";

export interface InstanceRow {
  key: string;
  state: string;
  inState: string;
  fields: Array<[string, string]>;
  /** State → percent of the recent window, largest first. */
  shares: Array<[string, number]>;
}

export interface LiveSnapshot {
  source: string;
  status: string;
  events: number;
  eventsPerSec: number;
  traceTime: bigint | null;
  alerts: number;
  commands: { started: number; done: number; failed: number };
  gaps: number;
  machines: Array<{ name: string; groups: Array<{ group: string; rows: InstanceRow[] }>; hidden: number }>;
  tables: Array<{ name: string; columns: string[]; rows: string[][] }>;
  recentAlerts: AlertRecord[];
  recentActions: ActionEvent[];
}

export class LiveView {
  status = "starting";
  private readonly alerts: AlertRecord[] = [];
  private readonly actions: ActionEvent[] = [];
  private lastEvents = 0;
  private lastWall = Date.now();
  private rate = 0;

  constructor(private readonly source: string, private readonly keep = 8, private readonly maxRows = 16) {}

  alert(r: AlertRecord): void {
    _ring(this.alerts, r, this.keep);
  }

  action(e: ActionEvent): void {
    if (e.phase !== "started") _ring(this.actions, e, this.keep);
  }

  notice(n: LiveNotice): void {
    if (n.kind === "issue") return;
    this.status = n.kind === "gap" ? `gap of ${formatDuration(n.end - n.start)} (${n.why})` : n.kind === "disconnected" ? `disconnected: ${n.reason}` : n.kind === "waiting" ? `waiting for ${n.what}` : n.kind === "attached" ? `reading ${n.what}` : n.kind === "ended" ? `ended: ${n.why}` : this.status;
  }

  snapshot(d: LiveDriver): LiveSnapshot {
    const c = d.counters;
    const now = Date.now();
    if (now - this.lastWall >= 500) {
      this.rate = ((c.events - this.lastEvents) * 1000) / (now - this.lastWall);
      this.lastEvents = c.events;
      this.lastWall = now;
    }
    const t = Math.max(c.lastTs, c.safe);
    return {
      source: this.source, status: this.status, events: c.events, eventsPerSec: this.rate,
      traceTime: d.origin === null ? null : d.origin + BigInt(Math.round(t)),
      alerts: c.alerts, commands: { started: c.actionsStarted, done: c.actionsDone, failed: c.actionsFailed }, gaps: c.gaps,
      machines: this.machines(d, t), tables: this.tables(d, t),
      recentAlerts: [...this.alerts].reverse(), recentActions: [...this.actions].reverse(),
    };
  }

  // --- internal ---

  private machines(d: LiveDriver, now: number): LiveSnapshot["machines"] {
    const p = d.program;
    if (p === null) return [];
    return p.machines.map((m, mi) => {
      const groups = new Map<string, InstanceRow[]>();
      let shown = 0;
      let hidden = 0;
      const instances = [...m.instances.values()].sort((a, b) => _cmp(a.k_vm, b.k_vm) || _cmp(a.key, b.key));
      for (const i of instances) {
        if (shown >= this.maxRows) {
          hidden++;
          continue;
        }
        shown++;
        const fields: Array<[string, string]> = [];
        for (const k of Object.keys(i)) if (k.startsWith("k_") && k !== "k_vm") fields.push([k.slice(2), _text(i[k as `k_${string}`])]);
        const state = m.states[i.state] ?? "?";
        const acc = d.shares.of(mi, i.key);
        acc.set(state, (acc.get(state) ?? 0) + Math.max(0, now - i.since));
        const total = [...acc.values()].reduce((a, b) => a + b, 0);
        const shares = [...acc.entries()].map(([s, ns]): [string, number] => [s, total > 0 ? (100 * ns) / total : 0]).sort((a, b) => b[1] - a[1]);
        const group = i.k_vm === undefined ? "" : `vm ${_text(i.k_vm)}`;
        const rows = groups.get(group) ?? [];
        rows.push({ key: _text(i.key), state, inState: formatDuration(Math.max(0, now - i.since)), fields, shares });
        groups.set(group, rows);
      }
      return { name: m.name, groups: [...groups.entries()].map(([group, rows]) => ({ group, rows })), hidden };
    });
  }

  private tables(d: LiveDriver, now: number): LiveSnapshot["tables"] {
    const p = d.program;
    if (p === null) return [];
    return p.tablesAt(now).map(({ name, result: r }) => ({ name, columns: r.columns, rows: r.rows.slice(0, 5).map((row) => row.map(_text)) }));
  }
}

function _ring<T>(a: T[], x: T, n: number): void {
  a.push(x);
  if (a.length > n) a.shift();
}

function _text(v: FieldValue | undefined): string {
  if (v === undefined || v === null) return "-";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return Array.isArray(v) ? `[${v.map(_text).join(",")}]` : String(v);
}

function _cmp(a: FieldValue | undefined, b: FieldValue | undefined): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return _text(a).localeCompare(_text(b));
}
