/**
 * The report's stylesheet, inlined in the page: system fonts only (nothing to fetch), light
 * background, tabular numbers so columns of durations line up, print-friendly.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2633; --muted: #5b6878; --line: #d8dee7; --accent: #2a5db0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
#app { max-width: 1400px; margin: 0 auto; padding: 16px 24px 40px; }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
.meta { margin: 0; color: var(--muted); }
.uncertain { margin: 8px 0 0; padding: 6px 10px; background: #fdecea; color: #8b1e17; border-radius: 6px; font-weight: 600; }
.note { color: var(--muted); font-size: 12px; margin: 4px 0; }
.empty { color: var(--muted); font-style: italic; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 18px 0 6px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
nav.filter { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,0.96); padding: 10px 0; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.filter-label { font-weight: 600; margin-right: 4px; }
button { font: inherit; cursor: pointer; }
.chip { border: 1px solid var(--line); background: #f4f6fa; border-radius: 999px; padding: 2px 12px; }
.chip[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.tl-bar { display: flex; gap: 6px; align-items: center; margin: 6px 0; }
.tl-bar button { border: 1px solid var(--line); background: #f4f6fa; border-radius: 4px; min-width: 30px; padding: 1px 8px; }
.tl-range { font-variant-numeric: tabular-nums; margin-left: 8px; }
.tl-help { color: var(--muted); font-size: 12px; margin-left: auto; }
.tl-wrap { position: relative; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
canvas { display: block; }
.tip { display: none; position: absolute; z-index: 10; max-width: 420px; white-space: pre-wrap; pointer-events: none; background: #1d2633; color: #fff; font-size: 12px; padding: 6px 8px; border-radius: 4px; box-shadow: 0 2px 8px rgba(0,0,0,0.25); }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 6px 0; font-size: 12px; }
.legend-item { display: inline-flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
figure.chart { margin: 0; padding: 10px 12px; border: 1px solid var(--line); border-radius: 6px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart svg { max-width: 100%; height: auto; }
#critical-path figure.chart { max-width: 760px; margin: 12px 0; }
details.steps summary { cursor: pointer; color: var(--accent); margin: 8px 0; }
.bar-label { font-size: 11px; fill: #33404f; }
.bar-value { font-size: 11px; fill: var(--muted); font-variant-numeric: tabular-nums; }
.bar:hover { opacity: 0.8; }
select.measure { font: inherit; font-weight: normal; margin-left: 6px; }
.table-wrap { overflow-x: auto; }
table.data { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 3px 10px; border-bottom: 1px solid #edf0f4; text-align: left; white-space: nowrap; }
table.data th { background: #f4f6fa; position: sticky; top: 0; cursor: pointer; user-select: none; }
table.data .num { text-align: right; }
table.data tbody tr:hover { background: #f7f9fc; }
table.alerts tbody tr { cursor: pointer; }
.sev-warning .sev { color: #b35c00; font-weight: 600; }
.sev-error .sev, .sev-critical .sev { color: #b00020; font-weight: 600; }
button.more { margin-top: 6px; border: 1px solid var(--line); background: #f4f6fa; border-radius: 4px; }
footer.stats { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { nav.filter { position: static; } .tl-bar { display: none; } }
`;
