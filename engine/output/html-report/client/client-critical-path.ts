/**
 * Browser side: the critical path — one lane per worker it passes through, its steps coloured
 * by state, the links it followed as arrows between lanes, totals per cause (else per state)
 * as bars, and the steps as a table.
 *
 * Inlined with `Function.prototype.toString`: self-contained, imports are types only.
 */
import type { CriticalPathData } from "../report-types.js";
import type { Fmt } from "./client-format.js";
import type { ChartSpec } from "./client-charts.js";

/** The critical-path factory; `barChart` comes from the charts module. */
export function criticalPathModule(fmt: Fmt, barChart: (spec: ChartSpec) => HTMLElement) {
  const LABEL_W = 190, LANE_H = 18, GAP = 8, TOP = 24;

  function render(host: HTMLElement, cp: CriticalPathData, colors: Record<string, string>): void {
    host.replaceChildren(fmt.el("h3", "", cp.title));
    const n = cp.steps.length / 5;
    if (n === 0) { host.append(fmt.el("p", "empty", "The path is empty.")); return; }
    let t0 = Infinity, t1 = -Infinity;
    for (let i = 0; i < cp.steps.length; i += 5) { t0 = Math.min(t0, cp.steps[i + 1]!); t1 = Math.max(t1, cp.steps[i + 2]!); }
    if (t1 <= t0) t1 = t0 + 1;
    const wrap = fmt.el("div", "tl-wrap");
    const canvas = fmt.el("canvas", "cp-canvas");
    const tip = fmt.el("div", "tip");
    wrap.append(canvas, tip);
    host.append(wrap);
    const w = Math.max(400, host.clientWidth || 900), h = TOP + cp.workers.length * (LANE_H + GAP) + 6;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`; canvas.style.height = `${h}px`;
    const ctx = canvas.getContext("2d")!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const plotW = w - LABEL_W - 10;
    const xOf = (t: number) => LABEL_W + ((t - t0) / (t1 - t0)) * plotW;
    const yOf = (wk: number) => TOP + wk * (LANE_H + GAP);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.fillStyle = "#4a5868";
    ctx.fillText(`${fmt.seconds(t0, 6)} s`, LABEL_W, 10);
    ctx.textAlign = "right";
    ctx.fillText(`${fmt.seconds(t1, 6)} s (${fmt.duration(t1 - t0)})`, w - 10, 10);
    ctx.textAlign = "left";
    cp.workers.forEach((name, k) => {
      ctx.fillStyle = "#f6f8fb"; ctx.fillRect(LABEL_W, yOf(k), plotW, LANE_H);
      ctx.fillStyle = "#33404f"; ctx.fillText(name.length > 26 ? name.slice(0, 25) + "…" : name, 6, yOf(k) + LANE_H / 2);
    });
    for (let i = 0; i < cp.steps.length; i += 5) {
      const x0 = xOf(cp.steps[i + 1]!), x1 = xOf(cp.steps[i + 2]!);
      ctx.fillStyle = colors[cp.states[cp.steps[i + 3]!]!] ?? "#999";
      ctx.fillRect(x0, yOf(cp.steps[i]!), Math.max(1, x1 - x0), LANE_H);
    }
    ctx.strokeStyle = "#1d2633"; ctx.fillStyle = "#1d2633"; ctx.lineWidth = 1.2;
    for (let i = 0; i < cp.links.length; i += 4) {
      const xa = xOf(cp.links[i + 1]!), ya = yOf(cp.links[i]!) + LANE_H / 2;
      const xb = xOf(cp.links[i + 3]!), yb = yOf(cp.links[i + 2]!) + LANE_H / 2;
      ctx.beginPath(); ctx.moveTo(xa, ya); ctx.lineTo(xb, yb); ctx.stroke();
      const a = Math.atan2(yb - ya, xb - xa);
      ctx.beginPath(); ctx.moveTo(xb, yb);
      ctx.lineTo(xb - 7 * Math.cos(a - 0.4), yb - 7 * Math.sin(a - 0.4));
      ctx.lineTo(xb - 7 * Math.cos(a + 0.4), yb - 7 * Math.sin(a + 0.4));
      ctx.closePath(); ctx.fill();
    }
    canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
    canvas.addEventListener("mousemove", (e) => {
      const t = t0 + ((e.offsetX - LABEL_W) / plotW) * (t1 - t0);
      const wk = Math.floor((e.offsetY - TOP) / (LANE_H + GAP));
      for (let i = 0; i < cp.steps.length; i += 5) {
        if (cp.steps[i] !== wk || t < cp.steps[i + 1]! || t > cp.steps[i + 2]!) continue;
        tip.textContent = `${cp.workers[wk]}  ${cp.states[cp.steps[i + 3]!]}\nfrom ${fmt.seconds(cp.steps[i + 1]!)} s for ${fmt.duration(cp.steps[i + 2]! - cp.steps[i + 1]!)}${cp.steps[i + 4]! >= 0 ? `\n${cp.causes[cp.steps[i + 4]!]}` : ""}`;
        tip.style.display = "block"; tip.style.left = `${e.offsetX + 14}px`; tip.style.top = `${e.offsetY + 14}px`;
        return;
      }
      tip.style.display = "none";
    });
    host.append(barChart(_totals(cp, colors)));
    const steps = fmt.el("details", "steps");
    steps.open = n <= 12;
    steps.append(fmt.el("summary", "", `Steps (${n})`), _stepsTable(cp));
    host.append(steps);
  }

  /** Time per cause (a step without one counts under its state). */
  function _totals(cp: CriticalPathData, colors: Record<string, string>): ChartSpec {
    const per = new Map<string, { v: number; color: string }>();
    for (let i = 0; i < cp.steps.length; i += 5) {
      const state = cp.states[cp.steps[i + 3]!]!;
      const k = cp.steps[i + 4]! >= 0 ? cp.causes[cp.steps[i + 4]!]! : state;
      const cur = per.get(k) ?? { v: 0, color: colors[state] ?? "#999" };
      cur.v += cp.steps[i + 2]! - cp.steps[i + 1]!;
      per.set(k, cur);
    }
    const bars = [...per].map(([label, x]) => ({ label, value: x.v, color: x.color })).sort((a, b) => b.value - a.value);
    return { title: "Critical path: time per cause", bars, kind: "duration" };
  }

  function _stepsTable(cp: CriticalPathData): HTMLElement {
    const table = fmt.el("table", "data cp-steps");
    const head = fmt.el("tr");
    for (const c of ["worker", "state", "start (s)", "duration", "cause"]) head.append(fmt.el("th", "", c));
    table.createTHead().append(head);
    const body = table.createTBody();
    for (let i = 0; i < cp.steps.length; i += 5) {
      const tr = fmt.el("tr");
      tr.append(
        fmt.el("td", "", cp.workers[cp.steps[i]!]!),
        fmt.el("td", "", cp.states[cp.steps[i + 3]!]!),
        fmt.el("td", "num", fmt.seconds(cp.steps[i + 1]!)),
        fmt.el("td", "num", fmt.duration(cp.steps[i + 2]! - cp.steps[i + 1]!)),
        fmt.el("td", "", cp.steps[i + 4]! >= 0 ? cp.causes[cp.steps[i + 4]!]! : ""),
      );
      body.append(tr);
    }
    return table;
  }

  return { render };
}
