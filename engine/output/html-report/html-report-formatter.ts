/**
 * `--report FILE.html`: the run as one self-contained page — per-VM state timelines (zoom,
 * pan, tooltips, alerts on their lanes), charts (time in state, preemption, any table),
 * sortable tables, the alert list and, when given, the critical path.
 *
 * Contract: the page needs nothing but itself — styles and scripts are inline, fonts are the
 * system's, and a Content-Security-Policy of `default-src 'none'` forbids every fetch, so it
 * opens the same offline, from a mail attachment or a CI artifact. The data is one JSON block
 * (`#vigil-data`, shape `ReportData`) that other tools may read. Pure and deterministic: the
 * same result and options give the same bytes; the result is not modified.
 */
import type { RunResult } from "../../runtime/result.js";
import { buildReportData, type HtmlReportOptions } from "./build-report-data.js";
import { chartDataModule } from "./client/client-chart-data.js";
import { chartsModule } from "./client/client-charts.js";
import { criticalPathModule } from "./client/client-critical-path.js";
import { formatModule } from "./client/client-format.js";
import { lanePainterModule } from "./client/client-lane-painter.js";
import { clientMain, type ClientModules } from "./client/client-main.js";
import { tablesModule } from "./client/client-tables.js";
import { timelineModule } from "./client/client-timeline.js";
import { REPORT_CSS } from "./report-styles.js";

export type { HtmlReportOptions } from "./build-report-data.js";
export type { CriticalPathInput, CriticalPathLink, CriticalPathStep, PathRowLike } from "./critical-path-input.js";
export { criticalPathFromRows } from "./critical-path-input.js";

/** The browser-side modules, by the names `clientMain` receives them under. */
const MODULES: ClientModules = { formatModule, timelineModule, lanePainterModule, chartsModule, chartDataModule, tablesModule, criticalPathModule };

/** Renders `result` as the HTML page described above (ends with a newline). */
export function formatHtmlReport(result: RunResult, opts: HtmlReportOptions = {}): string {
  const data = buildReportData(result, opts);
  const script = [
    '"use strict";',
    ...Object.values(MODULES).map((f) => f.toString()),
    clientMain.toString(),
    `clientMain(JSON.parse(document.getElementById("vigil-data").textContent), { ${Object.keys(MODULES).join(", ")} });`,
  ].join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="vigil">
<title>${escapeHtml(data.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<div id="app"></div>
<noscript><p>This report draws its timelines and charts with JavaScript; the data is in the vigil-data block of this file.</p></noscript>
<script type="application/json" id="vigil-data">${scriptSafeJson(data)}</script>
<script>
${script}
</script>
</body>
</html>
`;
}

/** Text safe inside HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that cannot end its `<script>` block early: every `<` becomes `\u003c` (JSON.parse reads
 * it back as `<`), so a message containing `</script>` stays data.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
