/**
 * The live view's screen as ink components, a pure function of one `LiveSnapshot`: a status
 * header, per machine the instances grouped by VM (state, time in state, recent shares), the
 * rules' tables (top rows), and the latest alerts and actions. Written with `createElement`
 * (no JSX build step); rendered by `live-app.ts`, or to a string in tests.
 */
import { createElement as h, type ReactElement } from "react";
import { Box, Text } from "ink";
import type { LiveSnapshot } from "../../engine/live/live-view.js";
import { actionWhat, timeOfDay } from "./plain-lines.js";

export function LiveScreen({ snap }: { snap: LiveSnapshot }): ReactElement {
  return h(Box, { flexDirection: "column" },
    header(snap),
    ...snap.machines.map((m) => machinePanel(m)),
    ...snap.tables.filter((t) => t.rows.length > 0).map((t) => tablePanel(t)),
    alertsPanel(snap),
    actionsPanel(snap),
  );
}

// --- internal ---

function header(s: LiveSnapshot): ReactElement {
  const time = s.traceTime === null ? "-" : timeOfDay(s.traceTime);
  return h(Box, { flexDirection: "column", borderStyle: "round", paddingX: 1 },
    h(Text, { bold: true }, `vigil watch  ${s.source}`),
    h(Text, null, `${s.status}`),
    h(Text, null,
      `trace time ${time}   events ${s.events.toLocaleString("en")} (${Math.round(s.eventsPerSec).toLocaleString("en")}/s)   `,
      h(Text, { color: s.alerts > 0 ? "yellow" : undefined }, `alerts ${s.alerts}`),
      `   commands ${s.commands.done}/${s.commands.started}`,
      s.commands.failed > 0 ? h(Text, { color: "red" }, ` (${s.commands.failed} failed)`) : "",
      s.gaps > 0 ? h(Text, { color: "red" }, `   gaps ${s.gaps}`) : "",
    ),
  );
}

function machinePanel(m: LiveSnapshot["machines"][number]): ReactElement {
  const lines: ReactElement[] = [];
  for (const g of m.groups) {
    if (g.group) lines.push(h(Text, { key: `g${g.group}`, bold: true }, g.group));
    for (const r of g.rows) {
      const fields = r.fields.map(([k, v]) => `${k}=${v}`).join(" ");
      const shares = r.shares.slice(0, 4).map(([st, pct]) => `${st} ${pct.toFixed(0)}%`).join(", ");
      lines.push(h(Text, { key: `${g.group}/${r.key}` },
        `  ${r.key.padEnd(8)} `,
        h(Text, { color: _stateColor(r.state) }, r.state.padEnd(10)),
        ` ${r.inState.padStart(9)}  ${fields.padEnd(14)} ${shares}`,
      ));
    }
  }
  if (m.hidden > 0) lines.push(h(Text, { key: "more", dimColor: true }, `  … ${m.hidden} more`));
  if (lines.length === 0) lines.push(h(Text, { key: "none", dimColor: true }, "  (no instance yet)"));
  return h(Box, { key: `m-${m.name}`, flexDirection: "column", marginTop: 1 }, h(Text, { underline: true }, `machine ${m.name}`), ...lines);
}

function tablePanel(t: LiveSnapshot["tables"][number]): ReactElement {
  const widths = t.columns.map((c, i) => Math.min(24, Math.max(c.length, ...t.rows.map((r) => (r[i] ?? "").length))));
  const line = (cells: string[]) => cells.map((c, i) => c.slice(0, 24).padEnd(widths[i]!)).join("  ");
  return h(Box, { key: `t-${t.name}`, flexDirection: "column", marginTop: 1 },
    h(Text, { underline: true }, `table ${t.name}`),
    h(Text, { dimColor: true }, `  ${line(t.columns)}`),
    ...t.rows.map((r, i) => h(Text, { key: i }, `  ${line(r)}`)),
  );
}

function alertsPanel(s: LiveSnapshot): ReactElement {
  const rows = s.recentAlerts.map((a, i) =>
    h(Text, { key: i, color: a.severity === "error" || a.severity === "critical" ? "red" : a.severity === "warning" ? "yellow" : undefined },
      `  ${a.rule}: ${a.message}${typeof a.fields.snapshot_path === "string" ? `  -> ${a.fields.snapshot_path}` : ""}`));
  return h(Box, { flexDirection: "column", marginTop: 1 }, h(Text, { underline: true }, "latest alerts"), ...(rows.length ? rows : [h(Text, { key: "n", dimColor: true }, "  none")]));
}

function actionsPanel(s: LiveSnapshot): ReactElement {
  const rows = s.recentActions.map((e, i) =>
    h(Text, { key: i, color: e.phase === "failed" ? "red" : e.phase === "retrying" ? "yellow" : undefined },
      `  ${e.phase.padEnd(8)} ${actionWhat(e)}${e.durationMs !== undefined ? ` (${e.durationMs.toFixed(0)} ms)` : ""}${e.path ? ` -> ${e.path}` : ""}${e.error ? `: ${e.error}` : ""}`));
  return h(Box, { flexDirection: "column", marginTop: 1 }, h(Text, { underline: true }, "latest actions"), ...(rows.length ? rows : [h(Text, { key: "n", dimColor: true }, "  none")]));
}

function _stateColor(state: string): string | undefined {
  if (/preempt|steal|runnable/.test(state)) return "red";
  if (/guest|running/.test(state)) return "green";
  if (/wait|block|idle|halt/.test(state)) return "gray";
  return undefined;
}
