/**
 * Browser side: the zoomable state timeline. One canvas; rows are a time axis, an alerts lane
 * (alerts that name no instance), then per machine a header, per VM a clickable header, and
 * one lane per instance with its state intervals and its alerts as triangles. Wheel zooms
 * around the pointer, drag pans, double-click resets; hovering shows the interval or alert.
 *
 * Inlined with `Function.prototype.toString`: self-contained, imports are types only.
 */
import type { ReportData, LaneData, MachineData } from "../report-types.js";
import type { Fmt } from "./client-format.js";
import type { lanePainterModule } from "./client-lane-painter.js";

/** What the page learns from the timeline. */
export interface TimelineHooks {
  /** A VM header was clicked. */
  onGroupClick(group: string): void;
}

/** The live timeline. */
export interface TimelineView {
  setGroup(group: string | null): void;
  setRange(t0: number, t1: number): void;
  range(): [number, number];
  reset(): void;
  /** Lane ids drawn now, top to bottom. */
  lanes(): string[];
  /** Canvas y (CSS px) of a lane's or a VM header's top, or null when not drawn. */
  laneTop(id: string): number | null;
  groupTop(group: string): number | null;
  /** Canvas x (CSS px) of time `t` in the current range. */
  xOf(t: number): number;
}

type Row =
  | { kind: "axis"; y: number; h: number }
  | { kind: "alerts"; y: number; h: number }
  | { kind: "machine"; y: number; h: number; text: string }
  | { kind: "group"; y: number; h: number; text: string; group: string }
  | { kind: "note"; y: number; h: number; text: string }
  | { kind: "lane"; y: number; h: number; lane: LaneData; machine: MachineData };

/** The timeline factory (see `TimelineView`). */
export function timelineModule(fmt: Fmt, painter: ReturnType<typeof lanePainterModule>) {
  // Lanes beyond MAX_LANES are not drawn (a canvas cannot be taller than 32767 px): the VM
  // filter shows them.
  const LABEL_W = 190, LANE_H = 16, GAP = 3, MAX_LANES = 1200;
  const RANK: Record<string, number> = { debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5 };
  const SEVERITY: Record<string, string> = { critical: "#8b0000", error: "#c0392b", warning: "#e67e00", notice: "#1f6fd1", info: "#1f6fd1", debug: "#888" };

  function create(root: HTMLElement, data: ReportData, hooks: TimelineHooks): TimelineView {
    const full: [number, number] = [data.first, Math.max(data.last, data.first + 1)];
    let [t0, t1] = full;
    let group: string | null = null;
    let rows: Row[] = [];
    const bar = fmt.el("div", "tl-bar");
    const buttons: Array<[string, string, () => void]> = [
      ["zoom-in", "+", () => zoomAt((t0 + t1) / 2, 0.5)],
      ["zoom-out", "−", () => zoomAt((t0 + t1) / 2, 2)],
      ["reset", "Reset", () => reset()],
    ];
    for (const [name, text, fn] of buttons) {
      const b = fmt.el("button", `tl-${name}`, text);
      b.addEventListener("click", fn);
      bar.append(b);
    }
    const rangeLabel = fmt.el("span", "tl-range");
    bar.append(rangeLabel, fmt.el("span", "tl-help", "wheel: zoom · drag: pan · double-click: reset · click a VM: filter"));
    const wrap = fmt.el("div", "tl-wrap");
    const canvas = fmt.el("canvas", "tl-canvas");
    const tip = fmt.el("div", "tip");
    wrap.append(canvas, tip);
    root.append(bar, wrap);
    const ctx = canvas.getContext("2d")!;
    const alertsByLane = new Map<string, ReportData["alerts"]>();
    for (const a of data.alerts) if (a.lane !== null) { const l = alertsByLane.get(a.lane); if (l) l.push(a); else alertsByLane.set(a.lane, [a]); }

    function layout(): void {
      rows = [{ kind: "axis", y: 0, h: 26 }];
      let y = 26;
      const push = (r: Row) => { rows.push(r); y += r.h; };
      if (data.alerts.some((a) => a.lane === null && (group === null || a.group === group))) push({ kind: "alerts", y, h: LANE_H + GAP });
      let budget = MAX_LANES;
      for (const m of data.machines) {
        const lanes = m.lanes.filter((l) => group === null || l.group === group);
        if (lanes.length === 0) continue;
        push({ kind: "machine", y, h: 22, text: `${m.name} — ${lanes.length} instance${lanes.length === 1 ? "" : "s"}` });
        let current: string | null | undefined;
        for (const lane of lanes.slice(0, budget)) {
          if (lane.group !== current && data.groupField !== null && lane.group !== null) push({ kind: "group", y, h: 20, text: `${data.groupField} ${lane.group}`, group: lane.group });
          current = lane.group;
          push({ kind: "lane", y, h: LANE_H + GAP, lane, machine: m });
        }
        if (lanes.length > budget) push({ kind: "note", y, h: 20, text: `… ${lanes.length - budget} more instances not drawn${data.groupField ? ` — pick a ${data.groupField} above` : ""}` });
        budget = Math.max(0, budget - lanes.length);
      }
      const dpr = window.devicePixelRatio || 1;
      const w = Math.max(400, wrap.clientWidth);
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round((y + 4) * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${y + 4}px`;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    }

    const plotW = () => canvas.width / (window.devicePixelRatio || 1) - LABEL_W - 8;
    const xOf = (t: number) => LABEL_W + ((t - t0) / (t1 - t0)) * plotW();
    const tOf = (x: number) => t0 + ((x - LABEL_W) / plotW()) * (t1 - t0);

    function draw(): void {
      const w = canvas.width / (window.devicePixelRatio || 1);
      ctx.clearRect(0, 0, w, canvas.height);
      ctx.font = "12px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      for (const r of rows) {
        if (r.kind === "axis") _axis(r.y, r.h, w);
        else if (r.kind === "machine") { ctx.fillStyle = "#1d2633"; ctx.font = "600 12px system-ui, sans-serif"; ctx.fillText(r.text, 6, r.y + r.h / 2 + 2); ctx.font = "12px system-ui, sans-serif"; }
        else if (r.kind === "group") { ctx.fillStyle = "#eef2f8"; ctx.fillRect(0, r.y + 2, w, r.h - 3); ctx.fillStyle = "#2a5db0"; ctx.fillText(`▸ ${r.text}`, 10, r.y + r.h / 2 + 1); }
        else if (r.kind === "note") { ctx.fillStyle = "#5b6878"; ctx.fillText(r.text, 22, r.y + r.h / 2); }
        else if (r.kind === "alerts") {
          ctx.fillStyle = "#f6f8fb"; ctx.fillRect(LABEL_W, r.y, plotW(), LANE_H);
          _label("alerts", r.y);
          _alerts(data.alerts.filter((a) => a.lane === null && (group === null || a.group === group)), r.y);
        } else {
          _label(r.lane.label, r.y);
          painter.paint(ctx, r.lane.iv, (s) => data.colors[data.states[s]!] ?? "#999999", { t0, t1, left: LABEL_W, top: r.y, width: plotW(), height: LANE_H, dpr: window.devicePixelRatio || 1 }, "#f6f8fb");
          _alerts(alertsByLane.get(r.lane.id) ?? [], r.y);
        }
      }
      ctx.fillStyle = "rgba(214,69,65,0.18)";
      for (const l of data.losses) if (l.end >= t0 && l.start <= t1) ctx.fillRect(Math.max(LABEL_W, xOf(l.start)), 26, Math.max(2, xOf(l.end) - xOf(l.start)), canvas.height);
      rangeLabel.textContent = `${fmt.seconds(t0, 6)} s – ${fmt.seconds(t1, 6)} s (${fmt.duration(t1 - t0)})`;
    }

    function _label(text: string, y: number): void {
      ctx.fillStyle = "#33404f"; ctx.fillText(text.length > 26 ? text.slice(0, 25) + "…" : text, 22, y + LANE_H / 2 + 1);
    }

    function _axis(y: number, h: number, w: number): void {
      const step = fmt.niceStep(t1 - t0, plotW() / 110);
      const decimals = Math.max(0, Math.min(9, 9 - Math.floor(Math.log10(step))));
      ctx.strokeStyle = "#c9d1dc"; ctx.fillStyle = "#4a5868";
      ctx.beginPath(); ctx.moveTo(LABEL_W, y + h - 1); ctx.lineTo(w - 8, y + h - 1); ctx.stroke();
      for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
        const x = Math.round(xOf(t)) + 0.5;
        ctx.beginPath(); ctx.moveTo(x, y + h - 6); ctx.lineTo(x, y + h - 1); ctx.stroke();
        const text = `${fmt.seconds(t, decimals)} s`;
        if (x + 3 + ctx.measureText(text).width < w - 8) ctx.fillText(text, x + 3, y + h / 2 - 2);
      }
    }

    /** Alert triangles, the most severe drawn last so it shows where markers overlap. */
    function _alerts(list: ReportData["alerts"], y: number): void {
      const sorted = [...list].sort((a, b) => (RANK[a.severity] ?? 0) - (RANK[b.severity] ?? 0));
      for (const a of sorted) {
        if (a.ts < t0 || a.ts > t1) continue;
        const x = xOf(a.ts);
        ctx.fillStyle = SEVERITY[a.severity] ?? "#c0392b";
        ctx.strokeStyle = "#fff";
        ctx.beginPath(); ctx.moveTo(x - 5, y - 1); ctx.lineTo(x + 5, y - 1); ctx.lineTo(x, y + 9); ctx.closePath(); ctx.fill(); ctx.stroke();
      }
    }

    function zoomAt(t: number, factor: number, soon = false): void {
      const span = Math.min(full[1] - full[0], Math.max(100, (t1 - t0) * factor));
      const f = (t - t0) / (t1 - t0);
      (soon ? setRangeSoon : setRange)(t - f * span, t - f * span + span);
    }

    function setRange(a: number, b: number): void {
      const span = Math.max(100, b - a);
      a = Math.max(full[0], Math.min(a, full[1] - span));
      t0 = a; t1 = Math.min(full[1], a + span);
      draw();
    }

    /** Wheel and drag move the range at input rate; the canvas follows once per frame. */
    let pending = false;
    function setRangeSoon(a: number, b: number): void {
      const span = Math.max(100, b - a);
      t0 = Math.max(full[0], Math.min(a, full[1] - span)); t1 = Math.min(full[1], t0 + span);
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; draw(); });
    }

    function reset(): void { t0 = full[0]; t1 = full[1]; draw(); }

    function hit(x: number, y: number): { row: Row; text: string } | null {
      const row = rows.find((r) => y >= r.y && y < r.y + r.h);
      if (!row || x < LABEL_W) return row && row.kind === "group" ? { row, text: `Show only ${row.text}` } : null;
      const t = tOf(x), slack = (4 / plotW()) * (t1 - t0);
      if (row.kind === "lane" || row.kind === "alerts") {
        const alerts = (row.kind === "lane" ? alertsByLane.get(row.lane.id) ?? [] : data.alerts.filter((a) => a.lane === null)).filter((a) => Math.abs(a.ts - t) <= slack);
        if (alerts.length > 0 && y - row.y < 10) return { row, text: alerts.map((a) => `${a.severity.toUpperCase()} ${a.rule} @ ${fmt.seconds(a.ts)} s\n${a.message}`).join("\n") };
      }
      if (row.kind !== "lane") return null;
      const iv = row.lane.iv;
      for (let i = painter.firstEndingAfter(iv, t - slack); i < iv.length && iv[i]! <= t + slack; i += 4) {
        if (iv[i]! + iv[i + 1]! < t - slack) continue;
        const names = row.machine.fieldNames, vals = row.machine.fieldSets[iv[i + 3]!] ?? [];
        const extra = names.map((n, k) => `${n}=${vals[k]}`).join("  ");
        return { row, text: `${row.machine.name}[${row.lane.key}]  ${data.states[iv[i + 2]!]}\nfrom ${fmt.seconds(iv[i]!)} s for ${fmt.duration(iv[i + 1]!)}\n${extra}` };
      }
      return null;
    }

    let drag: { x: number; a: number; b: number; moved: boolean } | null = null;
    canvas.addEventListener("wheel", (e) => { e.preventDefault(); zoomAt(tOf(e.offsetX), Math.exp(e.deltaY * 0.0015), true); }, { passive: false });
    canvas.addEventListener("mousedown", (e) => { drag = { x: e.offsetX, a: t0, b: t1, moved: false }; });
    window.addEventListener("mouseup", (e) => {
      if (drag && !drag.moved && e.target === canvas) {
        const h = rows.find((r) => e.offsetY >= r.y && e.offsetY < r.y + r.h);
        if (h && h.kind === "group") hooks.onGroupClick(h.group);
      }
      drag = null;
    });
    canvas.addEventListener("dblclick", () => reset());
    canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
    canvas.addEventListener("mousemove", (e) => {
      if (drag) {
        const dx = e.offsetX - drag.x;
        if (Math.abs(dx) > 2) drag.moved = true;
        if (drag.moved) setRangeSoon(drag.a - (dx / plotW()) * (drag.b - drag.a), drag.b - (dx / plotW()) * (drag.b - drag.a));
        return;
      }
      const h = hit(e.offsetX, e.offsetY);
      canvas.style.cursor = h && h.row.kind === "group" ? "pointer" : "default";
      if (!h) { tip.style.display = "none"; return; }
      tip.textContent = h.text;
      tip.style.display = "block";
      tip.style.left = `${Math.min(e.offsetX + 14, canvas.clientWidth - 320)}px`;
      tip.style.top = `${e.offsetY + 14}px`;
    });
    window.addEventListener("resize", () => { layout(); draw(); });

    layout();
    draw();
    return {
      setGroup(g) { group = g; layout(); draw(); },
      setRange,
      range: () => [t0, t1],
      reset,
      lanes: () => rows.flatMap((r) => (r.kind === "lane" ? [r.lane.id] : [])),
      laneTop: (id) => rows.find((r) => r.kind === "lane" && r.lane.id === id)?.y ?? null,
      groupTop: (g) => rows.find((r) => r.kind === "group" && r.group === g)?.y ?? null,
      xOf,
    };
  }
  return { create };
}
