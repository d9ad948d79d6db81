/**
 * Browser side: horizontal bar charts as SVG (plain or stacked), each bar with a `<title>`
 * tooltip, the value printed at its end and an optional legend.
 *
 * Inlined with `Function.prototype.toString`: self-contained, imports are types only.
 */
import type { ColumnKind } from "../report-types.js";
import type { Fmt } from "./client-format.js";

/** One bar; with `parts` it is stacked (parts' values add up to `value`). */
export interface Bar {
  label: string;
  value: number;
  color?: string;
  parts?: Array<{ name: string; value: number; color: string }>;
}

/** A chart: bars in the order given, values shown by `kind`. */
export interface ChartSpec {
  title: string;
  bars: Bar[];
  kind: ColumnKind;
  note?: string;
  legend?: Array<{ name: string; color: string }>;
}

/** The chart factory. */
export function chartsModule(fmt: Fmt) {
  const SVG = "http://www.w3.org/2000/svg";
  const W = 720, LABEL = 200, VALUE = 90, ROW = 20;

  function _svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  }

  /** A `<figure class="chart">` holding the chart, or a "nothing to chart" note. */
  function barChart(spec: ChartSpec): HTMLElement {
    const fig = fmt.el("figure", "chart");
    fig.append(fmt.el("figcaption", "", spec.title));
    const bars = spec.bars.filter((b) => Number.isFinite(b.value) && b.value > 0);
    if (bars.length === 0) {
      fig.append(fmt.el("p", "empty", "Nothing to chart for this selection."));
      return fig;
    }
    const max = Math.max(...bars.map((b) => b.value));
    const h = bars.length * ROW + 8;
    // Drawn at 1:1 and shrunk on narrow screens, never blown up: bars stay readable.
    const svg = _svg("svg", { viewBox: `0 0 ${W} ${h}`, width: W, height: h, role: "img", "aria-label": spec.title });
    bars.forEach((b, i) => {
      const y = 4 + i * ROW;
      const label = _svg("text", { x: LABEL - 6, y: y + ROW / 2 + 4, "text-anchor": "end", class: "bar-label" });
      label.textContent = b.label.length > 30 ? b.label.slice(0, 29) + "…" : b.label;
      svg.append(label);
      const scale = (W - LABEL - VALUE) / max;
      let x = LABEL;
      const parts = b.parts && b.parts.length > 0 ? b.parts : [{ name: "", value: b.value, color: b.color ?? "#4e79a7" }];
      for (const p of parts) {
        if (!(p.value > 0)) continue;
        const w = Math.max(1, p.value * scale);
        const r = _svg("rect", { x, y: y + 2, width: w, height: ROW - 5, fill: p.color, class: "bar", "data-label": b.label });
        const title = _svg("title", {});
        title.textContent = `${b.label}${p.name ? ` — ${p.name}` : ""}: ${fmt.cell(p.value, spec.kind)}`;
        r.append(title);
        svg.append(r);
        x += p.value * scale;
      }
      const v = _svg("text", { x: x + 5, y: y + ROW / 2 + 4, class: "bar-value" });
      v.textContent = fmt.cell(b.value, spec.kind);
      svg.append(v);
    });
    fig.append(svg);
    if (spec.legend && spec.legend.length > 0) {
      const lg = fmt.el("div", "legend");
      for (const l of spec.legend) {
        const item = fmt.el("span", "legend-item", l.name);
        const sw = fmt.el("i", "swatch");
        sw.style.background = l.color;
        item.prepend(sw);
        lg.append(item);
      }
      fig.append(lg);
    }
    if (spec.note) fig.append(fmt.el("p", "note", spec.note));
    return fig;
  }

  return { barChart };
}
