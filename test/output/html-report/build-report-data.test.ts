/**
 * The report's data and page text without a browser: lanes and intervals round-trip exactly,
 * VMs group lanes, rows and alerts, the interval cap is announced, tables carry display kinds,
 * bad critical paths are named, and hostile text stays data.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildReportData } from "../../../engine/output/html-report/build-report-data.js";
import { criticalPathData, criticalPathFromRows } from "../../../engine/output/html-report/critical-path-input.js";
import { formatHtmlReport, scriptSafeJson } from "../../../engine/output/html-report/html-report-formatter.js";
import { chartDataModule } from "../../../engine/output/html-report/client/client-chart-data.js";
import { chartsModule } from "../../../engine/output/html-report/client/client-charts.js";
import { clientMain } from "../../../engine/output/html-report/client/client-main.js";
import { criticalPathModule } from "../../../engine/output/html-report/client/client-critical-path.js";
import { formatModule } from "../../../engine/output/html-report/client/client-format.js";
import { lanePainterModule } from "../../../engine/output/html-report/client/client-lane-painter.js";
import { tablesModule } from "../../../engine/output/html-report/client/client-tables.js";
import { timelineModule } from "../../../engine/output/html-report/client/client-timeline.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { ev, runOnTraces, runRules } from "../../helpers/run-rules.js";
import { REPO } from "../../helpers/shared.js";

const example = async (): Promise<RunResult> =>
  (await runOnTraces(readFileSync(join(REPO, "examples", "vcpu.vgl"), "utf8"), [join(REPO, "examples", "kvm-host.jsonl")])).result;

describe("buildReportData", () => {
  it("keeps every interval exactly: lanes decode back to the run's intervals", async () => {
    const r = await example();
    const d = buildReportData(r);
    const m = d.machines.find((x) => x.name === "example.vcpu")!;
    const decoded = m.lanes.flatMap((l) => {
      const out: Array<[string, string, number, number, Record<string, unknown>]> = [];
      for (let i = 0; i < l.iv.length; i += 4) {
        const fs = m.fieldSets[l.iv[i + 3]!]!;
        out.push([l.key, d.states[l.iv[i + 2]!]!, l.iv[i]!, l.iv[i]! + l.iv[i + 1]!, Object.fromEntries(m.fieldNames.map((f, k) => [f, fs[k]]))]);
      }
      return out;
    });
    const original = r.states["example.vcpu"]!.map((s) => [String(s.key), s.state, s.start, s.end, s.fields] as const);
    const order = (a: readonly [string, string, number, ...unknown[]], b: readonly [string, string, number, ...unknown[]]) => a[0].localeCompare(b[0]) || a[2] - b[2];
    expect([...decoded].sort(order)).toEqual([...original].sort(order));
    // kept fields are shared, not repeated per interval
    expect(m.fieldSets.length).toBeLessThan(original.length / 10);
  });

  it("groups lanes, table rows and alerts by VM and names vCPUs in lane labels", async () => {
    const d = buildReportData(await example());
    expect(d.groupField).toBe("vm");
    expect(d.groups).toEqual(["1000", "2000"]);
    const lanes = d.machines[0]!.lanes;
    expect(lanes.map((l) => l.group)).toEqual(["1000", "1000", "2000", "2000"]);
    expect(lanes.map((l) => l.label)).toEqual(["1001 · vCPU 0", "1002 · vCPU 1", "2001 · vCPU 0", "2002 · vCPU 1"]);
    const exits = d.tables.find((t) => t.name === "example.exits")!;
    expect(exits.groupColumn).toBe(0);
    expect(exits.labels).toBe(2);
    expect(exits.kinds.slice(0, 5)).toEqual(["id", "id", "int", "percent", "duration"]);
    // slow_exit alerts name their vCPU only through the instance snapshot: still grouped
    expect(d.alerts.map((a) => [a.lane, a.group])).toEqual([
      ["example.vcpu[1001]", "1000"], ["example.vcpu[1001]", "1000"], ["example.vcpu[2001]", "2000"],
      ["example.vcpu[2001]", "2000"], ["example.vcpu[1002]", "1000"],
    ]);
  });

  it("says how many intervals it leaves out above maxIntervals, and keeps tables whole", async () => {
    const r = await runRules(`
machine a per $tid { states i, x, y = i  on go -> x  on stop from x -> y }
machine b per $tid { states i, p, q = i  on go -> p  on stop from p -> q }
table t from a by state select count`, [ev(10, "go", {}, { tid: 1 }), ev(20, "stop", {}, { tid: 1 }), ev(30, "end")]);
    const d = buildReportData(r, { maxIntervals: 2 });
    expect(d.machines.map((m) => m.name)).toEqual(["a"]);
    expect(d.notes).toEqual(["2 state intervals are not drawn (more than maxIntervals 2); tables and alerts are complete."]);
    expect(d.tables[0]!.rows.length).toBe(2);
    expect(d.groupField).toBeNull();
  });
});

describe("criticalPathData", () => {
  it("indexes workers, states and causes in first-seen order", () => {
    const cp = criticalPathData({
      title: "t",
      steps: [
        { worker: 200, state: "running", start: 0, end: 10 },
        { worker: "irq", state: "interrupted", start: 10, end: 15, cause: "disk sda" },
        { worker: 200, state: "running", start: 15, end: 20 },
      ],
      links: [{ from: "irq", from_ts: 15, to: 200, to_ts: 15 }],
    });
    expect(cp).toEqual({ title: "t", workers: ["200", "irq"], states: ["running", "interrupted"], causes: ["disk sda"],
      steps: [0, 0, 10, 0, -1, 1, 10, 15, 1, 0, 0, 15, 20, 0, -1], links: [1, 15, 0, 15] });
  });

  it("takes a critical-path walk's rows: horizontal rows as steps, vertical ones as links", () => {
    const row = { from: null, cause: "", vertical: false };
    const input = criticalPathFromRows("thread 200", [
      { ...row, worker: "h:200:-1", label: "server (200)", state: "running", start: 0, end: 10 },
      { ...row, worker: "h:200:-1", label: "server (200)", state: "blocked", start: 10, end: 40, cause: "network" },
      { ...row, worker: "h:-1:0", label: "irq CPU 0", state: "interrupted", start: 30, end: 38 },
      { worker: "h:200:-1", from: "h:-1:0", label: "irq CPU 0 → server (200)", state: "network", start: 38, end: 40, cause: "", vertical: true },
    ]);
    expect(input).toEqual({
      title: "thread 200",
      steps: [
        { worker: "server (200)", state: "running", start: 0, end: 10 },
        { worker: "server (200)", state: "blocked", start: 10, end: 40, cause: "network" },
        { worker: "irq CPU 0", state: "interrupted", start: 30, end: 38 },
      ],
      links: [{ from: "irq CPU 0", from_ts: 38, to: "server (200)", to_ts: 40 }],
    });
    expect(criticalPathData(input).workers).toEqual(["server (200)", "irq CPU 0"]);
  });

  it("names the first bad step or link", () => {
    const step = { worker: 1, state: "running", start: 0, end: 10 };
    expect(() => criticalPathData({ title: "t", steps: [step, { ...step, start: 200, end: 100 }] })).toThrow("criticalPath.steps[1]: end 100 is before start 200");
    expect(() => criticalPathData({ title: "t", steps: [{ ...step, end: Number.NaN }] })).toThrow("criticalPath.steps[0].end: expected a finite number of ns from the run's origin, got NaN");
    expect(() => criticalPathData({ title: "t", steps: [{ ...step, state: "" }] })).toThrow("criticalPath.steps[0]: state must be a non-empty string");
    expect(() => criticalPathData({ title: "t", steps: [step], links: [{ from: 1, from_ts: Infinity, to: 2, to_ts: 3 }] })).toThrow("criticalPath.links[0].from_ts");
  });
});

describe("formatHtmlReport", () => {
  it("keeps hostile text as data: a message with </script> cannot end the data block", async () => {
    const r = await runRules(`alert a on go message "</script><script>alert(1)</script>\u2028"`, [ev(5, "go")]);
    const html = formatHtmlReport(r, { title: `<b>"x"</b>` });
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain("<title>&#60;b&#62;&#34;x&#34;&#60;/b&#62;</title>");
    const block = /<script type="application\/json" id="vigil-data">(.*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(block).alerts[0].message).toBe("</script><script>alert(1)</script>\u2028");
    expect(scriptSafeJson({ s: "a<b" })).toBe('{"s":"a\\u003cb"}');
  });

  it("is deterministic and leaves the result untouched", async () => {
    const r = await example();
    const copy = structuredClone(r);
    expect(formatHtmlReport(r)).toBe(formatHtmlReport(await example()));
    expect(r).toEqual(copy);
  });

  it("inlines browser modules that reference nothing outside themselves", () => {
    for (const f of [formatModule, lanePainterModule, timelineModule, chartsModule, chartDataModule, tablesModule, criticalPathModule, clientMain]) {
      const src = f.toString();
      expect(src).toMatch(/^function \w+\(/);
      expect(src).not.toMatch(/\bimport\b|__vi|require\(|\bexports\b/);
    }
  });
});
