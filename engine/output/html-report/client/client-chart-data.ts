/**
 * Browser side: what the charts show, computed from the embedded data for the current VM
 * filter — time in each state per instance (stacked), preempted time per instance and per
 * preemptor (when a state's name says "preempt"), and any table as bars of one measure.
 *
 * Inlined with `Function.prototype.toString`: self-contained, imports are types only.
 */
import type { MachineData, ReportData, TableData } from "../report-types.js";
import type { ChartSpec } from "./client-charts.js";

/** The chart-data factory. */
export function chartDataModule() {
  const MAX_BARS = 30;
  const PREEMPTOR_FIELDS = ["by_comm", "preempted_by", "preemptor", "by_tid"];

  const inGroup = (g: string | null, v: unknown) => g === null || (v !== null && v !== undefined && String(v) === g);

  /** Stacked bars: time in each state per instance of `m` (the longest-lived first). */
  function stateTime(data: ReportData, m: MachineData, group: string | null): ChartSpec {
    const bars = m.lanes.filter((l) => inGroup(group, l.group)).map((l) => {
      const per = new Map<number, number>();
      for (let i = 0; i < l.iv.length; i += 4) per.set(l.iv[i + 2]!, (per.get(l.iv[i + 2]!) ?? 0) + l.iv[i + 1]!);
      const parts = [...per].sort((a, b) => a[0] - b[0]).map(([s, v]) => ({ name: data.states[s]!, value: v, color: data.colors[data.states[s]!] ?? "#999" }));
      return { label: `${l.group !== null && data.groupField ? `${data.groupField} ${l.group} · ` : ""}${l.label}`, value: parts.reduce((a, p) => a + p.value, 0), parts };
    });
    const used = new Set<number>();
    for (const l of m.lanes) for (let i = 2; i < l.iv.length; i += 4) used.add(l.iv[i]!);
    return {
      title: `Time in state per instance — ${m.name}`,
      bars: _top(bars, false),
      kind: "duration",
      legend: [...used].sort((a, b) => a - b).map((s) => ({ name: data.states[s]!, color: data.colors[data.states[s]!] ?? "#999" })),
      note: bars.length > MAX_BARS ? `${MAX_BARS} of ${bars.length} instances (the longest-lived).` : undefined,
    };
  }

  /** Preempted time per instance and, when the intervals say by whom, per preemptor. */
  function preemption(data: ReportData, group: string | null): ChartSpec[] {
    const out: ChartSpec[] = [];
    const preemptStates = new Set(data.states.map((s, i) => (/preempt/i.test(s) ? i : -1)).filter((i) => i >= 0));
    if (preemptStates.size === 0) return out;
    for (const m of data.machines) {
      const perLane: ChartSpec["bars"] = [];
      const byWho = new Map<string, number>();
      const who = PREEMPTOR_FIELDS.map((f) => m.fieldNames.indexOf(f)).find((i) => i >= 0) ?? -1;
      const tid = m.fieldNames.indexOf("by_tid");
      for (const l of m.lanes) {
        if (!inGroup(group, l.group)) continue;
        let total = 0;
        for (let i = 0; i < l.iv.length; i += 4) {
          if (!preemptStates.has(l.iv[i + 2]!)) continue;
          total += l.iv[i + 1]!;
          if (who >= 0) {
            const fs = m.fieldSets[l.iv[i + 3]!]!;
            const name = tid >= 0 && tid !== who ? `${fs[who]} (${fs[tid]})` : String(fs[who]);
            byWho.set(name, (byWho.get(name) ?? 0) + l.iv[i + 1]!);
          }
        }
        if (total > 0) perLane.push({ label: `${l.group !== null && data.groupField ? `${data.groupField} ${l.group} · ` : ""}${l.label}`, value: total, color: "#d64541" });
      }
      if (perLane.length === 0) continue;
      out.push({ title: `Preempted time per instance — ${m.name}`, bars: _top(perLane, true), kind: "duration" });
      if (byWho.size > 0) out.push({ title: `Preempted time by preemptor — ${m.name}`, bars: _top([...byWho].map(([label, value]) => ({ label, value, color: "#b03a2e" })), true), kind: "duration" });
    }
    return out;
  }

  /** Numeric columns after the label columns: what a table's chart can show. */
  function measures(t: TableData): number[] {
    return t.columns.map((_c, i) => i).filter((i) => i >= t.labels && t.kinds[i] !== "text" && t.kinds[i] !== "id");
  }

  /** Bars of column `measure` of `t`, one per row of the selected VM, largest first. */
  function tableChart(t: TableData, measure: number, group: string | null): ChartSpec {
    const n = t.labels;
    const rows = t.rows.filter((r) => t.groupColumn < 0 || inGroup(group, r[t.groupColumn]));
    const bars = rows.map((r, k) => ({
      label: n === 0 ? `#${k + 1}` : t.columns.slice(0, n).map((c, i) => `${c} ${r[i]}`).join(" · "),
      value: typeof r[measure] === "number" ? (r[measure] as number) : Number.NaN,
      color: "#4e79a7",
    }));
    return {
      title: `${t.name}: ${t.columns[measure]}`,
      bars: _top(bars, true),
      kind: t.kinds[measure] ?? "float",
      note: bars.length > MAX_BARS ? `${MAX_BARS} largest of ${bars.length} rows.` : undefined,
    };
  }

  function _top(bars: ChartSpec["bars"], sort: boolean): ChartSpec["bars"] {
    const sorted = [...bars].sort((a, b) => b.value - a.value).slice(0, MAX_BARS);
    if (sort) return sorted;
    const keep = new Set(sorted);
    return bars.filter((b) => keep.has(b));
  }

  return { stateTime, preemption, measures, tableChart };
}
