/**
 * The HTML report opened in headless Chromium (Debian's, through playwright-core): what is
 * drawn, what a click does, and that the page fetches nothing. The run is the shipped example
 * (examples/vcpu.vgl over examples/kvm-host.jsonl); every expectation is computed from that
 * run's result, not copied from a previous output. Screenshots go to ./artifacts/.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatHtmlReport } from "../../../engine/output/html-report/html-report-formatter.js";
import type { CriticalPathInput } from "../../../engine/output/html-report/critical-path-input.js";
import type { VigilReportApi } from "../../../engine/output/html-report/client/client-main.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { runOnTraces } from "../../helpers/run-rules.js";
import { REPO } from "../../helpers/shared.js";
import { launchChromium, type TestBrowser } from "./browser.js";

declare global {
  interface Window { vigilReport: VigilReportApi }
}

const ARTIFACTS = join(REPO, "test", "output", "html-report", "artifacts");
const COLORS = { guest: "#2e9e4f", preempted: "#d64541", warning: "#e67e00", info: "#1f6fd1" };
const STATE_COLORS: Record<string, string> = { guest: "#2e9e4f", host: "#e6a100", preempted: "#d64541", waiting: "#8a94a6" };

let browser: TestBrowser;
let page: Page;
let result: RunResult;
let path: CriticalPathInput;
const requests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  ({ result } = await runOnTraces(readFileSync(join(REPO, "examples", "vcpu.vgl"), "utf8"), [join(REPO, "examples", "kvm-host.jsonl")]));
  path = pathAroundFirstPreemption(result);
  const file = join(ARTIFACTS, "report.html");
  writeFileSync(file, formatHtmlReport(result, { title: "kvm-host example", criticalPath: path }));
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => "vigilReport" in window);
}, 60_000);

afterAll(async () => { await browser?.close(); });

// Each test starts from the whole range and every VM, whatever the previous one left.
beforeEach(async () => {
  await page.evaluate(() => { const r = window.vigilReport; r.setGroup(null); r.timeline.reset(); });
});

describe("HTML report in Chromium", () => {
  it("loads without script errors and fetches nothing but itself", async () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.endsWith("/report.html"))).toEqual([]);
    const html = readFileSync(join(ARTIFACTS, "report.html"), "utf8");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it("draws one lane per vCPU thread, each wide interval in its state's colour", async () => {
    const ivs = result.states["example.vcpu"]!;
    const keys = [...new Set(ivs.map((s) => String(s.key)))];
    const lanes = await page.evaluate(() => window.vigilReport.timeline.lanes() as string[]);
    expect(lanes.sort()).toEqual(keys.map((k) => `example.vcpu[${k}]`).sort());
    // At the full range and zoomed in 200 times: every interval at least 6 px wide shows its
    // state's colour at its middle (unless an alert marker sits there).
    const plotPx = await page.locator("#timeline canvas").evaluate((c) => c.clientWidth - 198);
    const colours = new Set<string>();
    for (const [t0, t1] of [[result.first, result.last], [result.first + 3_000_000, result.first + 3_000_000 + (result.last - result.first) / 200]]) {
      await page.evaluate(([a, b]) => window.vigilReport.timeline.setRange(a, b), [t0!, t1!]);
      const nsPerPx = (t1! - t0!) / plotPx;
      const marked = (s: (typeof ivs)[number]) => result.alerts.some((a) => a.fields.key === s.key && Math.abs(a.ts - (s.start + s.end) / 2) < 8 * nsPerPx);
      const mid = (s: (typeof ivs)[number]) => (Math.max(s.start, t0!) + Math.min(s.end, t1!)) / 2;
      const wide = ivs.filter((s) => Math.min(s.end, t1!) - Math.max(s.start, t0!) >= 6 * nsPerPx && !marked(s));
      expect(wide.length).toBeGreaterThan(10);
      const seen = await pixels(page, wide.map((s) => ({ lane: `example.vcpu[${String(s.key)}]`, ts: mid(s), dy: 8 })));
      expect(seen).toEqual(wide.map((s) => STATE_COLORS[s.state]));
      seen.forEach((c) => colours.add(c));
    }
    expect(colours).toEqual(new Set(Object.values(STATE_COLORS)));
    await page.click(".tl-reset");
  });

  it("puts each alert on the lane of the vCPU it names; the most severe shows where they overlap", async () => {
    const placed = result.alerts.filter((a) => a.fields.key !== undefined);
    expect(placed.length).toBeGreaterThan(0);
    const nsPerPx = (result.last - result.first) / (await page.locator("#timeline canvas").evaluate((c) => c.clientWidth - 198));
    const seen = await pixels(page, placed.map((a) => ({ lane: `example.vcpu[${String(a.fields.key)}]`, ts: a.ts, dy: 3 })));
    const rank = ["info", "warning"];
    const expected = placed.map((a) => {
      const near = placed.filter((b) => b.fields.key === a.fields.key && Math.abs(b.ts - a.ts) < 6 * nsPerPx);
      const top = near.map((b) => b.severity).sort((x, y) => rank.indexOf(x) - rank.indexOf(y)).pop();
      return top === "warning" ? COLORS.warning : COLORS.info;
    });
    expect(seen).toEqual(expected);
    expect(expected).toContain(COLORS.info);
  });

  it("zooms with the buttons and the wheel, pans by dragging, resets", async () => {
    const range = () => page.evaluate(() => window.vigilReport.timeline.range() as [number, number]);
    const [a0, b0] = await range();
    expect([a0, b0]).toEqual([result.first, result.last]);
    await page.click(".tl-zoom-in");
    const [a1, b1] = await range();
    expect(b1 - a1).toBeCloseTo((b0 - a0) / 2, -1);
    const box = (await page.locator("#timeline canvas").boundingBox())!;
    const x = box.x + 190 + (box.width - 198) * 0.25;
    await page.mouse.move(x, box.y + 40);
    const under = await page.evaluate((px) => { const [a, b] = window.vigilReport.timeline.range(); return a + ((px - 190) / (document.querySelector("#timeline canvas")!.clientWidth - 198)) * (b - a); }, x - box.x);
    await page.mouse.wheel(0, -400);
    const [a2, b2] = await range();
    expect(b2 - a2).toBeLessThan((b1 - a1) * 0.7);
    // the time under the pointer stays under the pointer
    expect(a2 + ((x - box.x - 190) / (box.width - 198)) * (b2 - a2)).toBeCloseTo(under, -3);
    await page.mouse.down();
    await page.mouse.move(x + 200, box.y + 40, { steps: 5 });
    await page.mouse.up();
    const [a3, b3] = await range();
    expect(a3).toBeLessThan(a2);
    expect(b3 - a3).toBeCloseTo(b2 - a2, -1);
    await page.click(".tl-reset");
    expect(await range()).toEqual([result.first, result.last]);
  });

  it("zooms the timeline around an alert clicked in the alert list", async () => {
    const a = result.alerts[2]!;
    await page.locator("#alerts tbody tr").nth(2).click();
    const [t0, t1] = await page.evaluate(() => window.vigilReport.timeline.range() as [number, number]);
    expect(t1 - t0).toBeCloseTo((result.last - result.first) / 50, -1);
    expect((t0 + t1) / 2).toBeCloseTo(a.ts, -1);
  });

  it("charts exits, time in state and preemption with real bars", async () => {
    const exitRows = result.tables["example.exits"]!.rows.length;
    expect(await page.locator('figure[data-table="example.exits"] svg rect.bar').count()).toBe(exitRows);
    const figs = await page.locator("figure.chart figcaption").allTextContents();
    expect(figs.some((t) => t.startsWith("Time in state per instance"))).toBe(true);
    expect(figs.some((t) => t.startsWith("Preempted time per instance"))).toBe(true);
    const widths = () => page.locator('figure[data-table="example.exits"] rect.bar').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute("width"))));
    const byCount = await widths();
    expect(Math.max(...byCount)).toBeGreaterThan(100);
    await page.selectOption('figure[data-table="example.exits"] select', { label: "total_ns" });
    expect(await widths()).not.toEqual(byCount);
    await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
  });

  it("sorts a table by a clicked column, then the other way", async () => {
    const t = result.tables["example.exits"]!;
    const col = t.columns.indexOf("avg_ns");
    const header = page.locator('table[data-table="example.exits"] th', { hasText: "avg_ns" });
    const cells = () => page.locator(`table[data-table="example.exits"] tbody tr td:nth-child(${col + 1})`).evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("title"))));
    await header.click();
    const values = t.rows.map((r) => r[col] as number);
    expect(await cells()).toEqual([...values].sort((a, b) => b - a));
    await page.locator('table[data-table="example.exits"] th', { hasText: "avg_ns" }).click();
    expect(await cells()).toEqual([...values].sort((a, b) => a - b));
  });

  it("filters every view to one VM from its chip, and from its header in the timeline", async () => {
    const vm = 2000;
    await page.click(`nav.filter button[data-group="${vm}"]`);
    const lanes = await page.evaluate(() => window.vigilReport.timeline.lanes() as string[]);
    const keysOfVm = [...new Set(result.states["example.vcpu"]!.filter((s) => s.fields.vm === vm).map((s) => `example.vcpu[${String(s.key)}]`))];
    expect(lanes.sort()).toEqual(keysOfVm.sort());
    const t = result.tables["example.exits"]!;
    const vmCol = t.columns.indexOf("vm");
    expect(await page.locator('table[data-table="example.exits"] tbody tr').count()).toBe(t.rows.filter((r) => r[vmCol] === vm).length);
    const shownVms = await page.locator(`table[data-table="example.exits"] tbody td:nth-child(${vmCol + 1})`).allTextContents();
    expect(new Set(shownVms)).toEqual(new Set([String(vm)]));
    const vmAlerts = result.alerts.filter((a) => alertVm(a) === vm).length;
    expect(await page.locator("#alerts tbody tr").count()).toBe(vmAlerts);
    expect(await page.locator("#alerts h2").textContent()).toBe(`Alerts (${vmAlerts} of ${result.alerts.length})`);
    await page.screenshot({ path: join(ARTIFACTS, "report-vm.png"), fullPage: true });

    await page.click('nav.filter button[data-group=""]');
    const other = 1000;
    const y = await page.evaluate((g) => window.vigilReport.timeline.groupTop(g) as number, String(other));
    await page.locator("#timeline canvas").click({ position: { x: 40, y: y + 8 } });
    expect(await page.evaluate(() => window.vigilReport.group())).toBe(String(other));
    expect(await page.locator(`nav.filter button[data-group="${other}"]`).getAttribute("aria-pressed")).toBe("true");
    await page.click('nav.filter button[data-group=""]');
  });

  it("draws the critical path: lanes, steps table and per-cause totals", async () => {
    expect(await page.locator("#critical-path h3").textContent()).toBe(path.title);
    expect(await page.locator("#critical-path table.cp-steps tbody tr").count()).toBe(path.steps.length);
    const causes = new Set(path.steps.map((s) => s.cause ?? s.state));
    expect(await page.locator("#critical-path rect.bar").count()).toBe(causes.size);
    const counts = await colourCounts(page, "#critical-path canvas", [COLORS.guest, COLORS.preempted]);
    expect(counts[COLORS.preempted]).toBeGreaterThan(50);
  });
});

// --- helpers ---

/** Pixels of each colour on a canvas (exact matches: solid fills, not anti-aliased edges). */
function colourCounts(p: Page, selector: string, colours: string[]): Promise<Record<string, number>> {
  return p.evaluate(([sel, cs]) => {
    const c = document.querySelector(sel) as HTMLCanvasElement;
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    const want = new Map(cs.map((h) => [parseInt(h.slice(1), 16), h]));
    const out: Record<string, number> = Object.fromEntries(cs.map((h) => [h, 0]));
    for (let i = 0; i < d.length; i += 4) {
      const h = want.get((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
      if (h !== undefined && d[i + 3] === 255) out[h]!++;
    }
    return out;
  }, [selector, colours] as const);
}

/** The colour (hex) at time `ts`, `dy` px below the top of each lane, on the main timeline. */
function pixels(p: Page, points: Array<{ lane: string; ts: number; dy: number }>): Promise<string[]> {
  return p.evaluate((pts) => {
    const tl = window.vigilReport.timeline;
    const c = document.querySelector("#timeline canvas") as HTMLCanvasElement;
    const ctx = c.getContext("2d")!;
    return pts.map(({ lane, ts, dy }) => {
      const x = Math.round(tl.xOf(ts) as number), y = (tl.laneTop(lane) as number) + dy;
      const d = ctx.getImageData(x * devicePixelRatio, y * devicePixelRatio, 1, 1).data;
      return "#" + [d[0]!, d[1]!, d[2]!].map((v) => v.toString(16).padStart(2, "0")).join("");
    });
  }, points);
}

function alertVm(a: RunResult["alerts"][number]): unknown {
  if (a.fields.vm !== undefined) return a.fields.vm;
  const inst = a.fields.instances as Record<string, Record<string, unknown>> | undefined;
  return inst ? Object.values(inst)[0]?.vm : undefined;
}

/**
 * A critical path built from the run (as the critical-path analysis would hand it over): the
 * vCPU thread of the first long-preemption alert, its intervals over the 20 ms before the
 * alert, and the wakeup link from the other VM's first thread.
 */
function pathAroundFirstPreemption(r: RunResult): CriticalPathInput {
  const alert = r.alerts.find((a) => a.rule === "example.long_preemption")!;
  const key = alert.fields.key;
  const from = alert.ts - 20_000_000;
  const steps = r.states["example.vcpu"]!
    .filter((s) => s.key === key && s.end > from && s.start < alert.ts)
    .sort((a, b) => a.start - b.start)
    .map((s) => ({
      worker: `tid ${String(key)}`,
      state: s.state,
      start: Math.max(s.start, from),
      end: Math.min(s.end, alert.ts),
      cause: s.state === "preempted" ? "preempted by a noisy neighbour" : s.state === "host" ? `exit ${String(s.fields.reason)}` : undefined,
    }));
  const other = r.states["example.vcpu"]!.find((s) => s.fields.vm !== alert.fields.vm)!;
  const pre = steps.find((s) => s.state === "preempted")!;
  steps.unshift({ worker: `tid ${String(other.key)}`, state: "guest", start: from, end: pre.start, cause: undefined });
  return {
    title: `thread ${String(key)} over the 20 ms before its long preemption`,
    steps,
    links: [{ from: `tid ${String(other.key)}`, from_ts: pre.start, to: `tid ${String(key)}`, to_ts: pre.start }],
  };
}
