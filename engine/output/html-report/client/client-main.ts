/**
 * Browser side: builds the page from the embedded data and keeps its views on one VM filter.
 * Sections: header (span, hosts, counts, UNCERTAIN), VM chips, timeline, critical path,
 * charts, alerts, tables. Clicking a VM chip or a VM header in the timeline filters every
 * view; clicking an alert zooms the timeline around it. `window.vigilReport` exposes the data
 * and the filter, read-only, for scripts and tests.
 *
 * Inlined with `Function.prototype.toString`: self-contained; the other modules arrive as
 * arguments (imports are types only).
 */
import type { ReportData } from "../report-types.js";
import type { chartDataModule } from "./client-chart-data.js";
import type { chartsModule } from "./client-charts.js";
import type { criticalPathModule } from "./client-critical-path.js";
import type { formatModule } from "./client-format.js";
import type { lanePainterModule } from "./client-lane-painter.js";
import type { tablesModule } from "./client-tables.js";
import type { TimelineView, timelineModule } from "./client-timeline.js";

/** The module factories the page script hands to `clientMain`. */
export interface ClientModules {
  formatModule: typeof formatModule;
  timelineModule: typeof timelineModule;
  lanePainterModule: typeof lanePainterModule;
  chartsModule: typeof chartsModule;
  chartDataModule: typeof chartDataModule;
  tablesModule: typeof tablesModule;
  criticalPathModule: typeof criticalPathModule;
}

/** What the page exposes as `window.vigilReport` (for scripts and tests; the data is read-only). */
export interface VigilReportApi {
  data: ReportData;
  /** The VM shown, or null for all. */
  group(): string | null;
  setGroup(group: string | null): void;
  timeline: TimelineView;
}

/** Renders the report into `document.body`'s `#app`. */
export function clientMain(data: ReportData, mods: ClientModules): void {
  const fmt = mods.formatModule();
  const charts = mods.chartsModule(fmt);
  const chartData = mods.chartDataModule();
  const tables = mods.tablesModule(fmt);
  const app = document.getElementById("app")!;
  let group: string | null = null;

  const section = (id: string, title: string) => {
    const s = fmt.el("section");
    s.id = id;
    s.append(fmt.el("h2", "", title));
    app.append(s);
    return s;
  };

  // header
  const header = fmt.el("header", "top");
  header.append(fmt.el("h1", "", data.title));
  const meta = fmt.el("p", "meta");
  meta.textContent = `${fmt.seconds(data.first)} s – ${fmt.seconds(data.last)} s (${fmt.duration(data.last - data.first)}) from origin ${data.origin} ns · ` +
    `host${data.hosts.length === 1 ? "" : "s"} ${data.hosts.join(", ") || "–"} · ${data.stats.events.toLocaleString("en")} events · ${data.alerts.length} alert${data.alerts.length === 1 ? "" : "s"}`;
  header.append(meta);
  if (data.uncertain) header.append(fmt.el("p", "uncertain", `UNCERTAIN: ${data.stats.lost} events lost, ${data.stats.late} late — results over the red bands may be incomplete.`));
  for (const n of data.notes) header.append(fmt.el("p", "note", n));
  app.append(header);

  // VM filter
  const nav = fmt.el("nav", "filter");
  const chips: HTMLButtonElement[] = [];
  if (data.groupField !== null && data.groups.length > 0) {
    nav.append(fmt.el("span", "filter-label", `${data.groupField}:`));
    for (const g of [null, ...data.groups]) {
      const b = fmt.el("button", "chip", g === null ? "All" : g);
      b.dataset.group = g ?? "";
      b.addEventListener("click", () => setGroup(g));
      chips.push(b);
      nav.append(b);
    }
    app.append(nav);
  }

  // timeline
  const tlSection = section("timeline", "State timeline");
  const legend = fmt.el("div", "legend");
  for (const s of data.states) {
    const item = fmt.el("span", "legend-item", s);
    const sw = fmt.el("i", "swatch");
    sw.style.background = data.colors[s] ?? "#999";
    item.prepend(sw);
    legend.append(item);
  }
  tlSection.append(legend);
  const tlHost = fmt.el("div");
  tlSection.append(tlHost);
  if (data.machines.length === 0) tlHost.append(fmt.el("p", "empty", "No state intervals in this run."));
  const timeline = mods.timelineModule(fmt, mods.lanePainterModule()).create(tlHost, data, { onGroupClick: (g) => setGroup(g) });

  if (data.criticalPath) {
    const cpSection = section("critical-path", "Critical path");
    const host = fmt.el("div");
    cpSection.append(host);
    mods.criticalPathModule(fmt, charts.barChart).render(host, data.criticalPath, data.colors);
  }

  const chartGrid = fmt.el("div", "charts");
  section("charts", "Charts").append(chartGrid);
  const alertHost = fmt.el("div");
  const alertSection = section("alerts", `Alerts (${data.alerts.length})`);
  alertSection.append(alertHost);
  const tableSection = section("tables", "Tables");
  const tableHosts = data.tables.map((t) => {
    tableSection.append(fmt.el("h3", "", t.name));
    const host = fmt.el("div", "table-wrap");
    tableSection.append(host);
    return host;
  });
  if (data.tables.length === 0) tableSection.append(fmt.el("p", "empty", "No tables in this run."));

  const footer = fmt.el("footer", "stats");
  footer.textContent = `events ${data.stats.events} · late ${data.stats.late} · lost ${data.stats.lost} · suppressed alert actions ${data.stats.suppressedAlerts} · action failures ${data.stats.actionFailures} · made by Vigil`;
  app.append(footer);

  const measureChoice = new Map<string, number>();

  function renderCharts(): void {
    chartGrid.replaceChildren();
    for (const m of data.machines) chartGrid.append(charts.barChart(chartData.stateTime(data, m, group)));
    for (const spec of chartData.preemption(data, group)) chartGrid.append(charts.barChart(spec));
    for (const t of data.tables) {
      const ms = chartData.measures(t);
      if (ms.length === 0 || t.rows.length === 0) continue;
      const measure = measureChoice.get(t.name) ?? ms[0]!;
      const fig = charts.barChart(chartData.tableChart(t, measure, group));
      fig.dataset.table = t.name;
      const select = fmt.el("select", "measure");
      for (const i of ms) {
        const o = fmt.el("option", "", t.columns[i]);
        o.value = String(i);
        o.selected = i === measure;
        select.append(o);
      }
      select.addEventListener("change", () => { measureChoice.set(t.name, Number(select.value)); renderCharts(); });
      fig.querySelector("figcaption")!.append(" ", select);
      chartGrid.append(fig);
    }
  }

  function renderAlerts(): void {
    alertHost.replaceChildren();
    const list = data.alerts.filter((a) => group === null || a.group === group);
    alertSection.querySelector("h2")!.textContent = group === null ? `Alerts (${data.alerts.length})` : `Alerts (${list.length} of ${data.alerts.length})`;
    if (list.length === 0) { alertHost.append(fmt.el("p", "empty", "No alerts for this selection.")); return; }
    const table = fmt.el("table", "data alerts");
    const head = fmt.el("tr");
    for (const c of ["time (s)", "severity", "rule", "message"]) head.append(fmt.el("th", "", c));
    table.createTHead().append(head);
    const body = table.createTBody();
    const span = Math.max(1000, (data.last - data.first) / 50);
    for (const a of list) {
      const tr = fmt.el("tr", `sev-${a.severity}`);
      tr.append(fmt.el("td", "num", fmt.seconds(a.ts)), fmt.el("td", "sev", a.severity), fmt.el("td", "", a.rule), fmt.el("td", "", a.message));
      tr.title = "Show on the timeline";
      tr.addEventListener("click", () => { timeline.setRange(a.ts - span / 2, a.ts + span / 2); tlSection.scrollIntoView({ behavior: "smooth" }); });
      body.append(tr);
    }
    alertHost.append(table);
  }

  function setGroup(g: string | null): void {
    group = g;
    for (const c of chips) c.setAttribute("aria-pressed", String((c.dataset.group || null) === g));
    timeline.setGroup(g);
    renderCharts();
    renderAlerts();
    data.tables.forEach((t, i) => tables.render(tableHosts[i]!, t, g));
  }

  setGroup(null);
  const api: VigilReportApi = { data, group: () => group, setGroup, timeline };
  (window as unknown as { vigilReport: VigilReportApi }).vigilReport = api;
}
