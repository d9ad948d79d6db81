/**
 * The xen pack as a unit: it compiles without a diagnostic against the xentrace reader's
 * schema (the built-in catalogue, used when no trace is given, does not list xentrace events
 * yet: see rules/xen/README.md), pack.json names exactly the events and reports the rules use, every event is one
 * the xentrace reader decodes, and the window width follows `--set xen.WINDOW=...`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compile.js";
import { XentraceSource } from "../../../engine/readers/xentrace/source.js";
import { sourcesSchema } from "../../../engine/run.js";
import { REPO, sharedPath } from "../../helpers/shared.js";
import { rowsOf, runXenPack } from "./run-pack.js";

const PACK = join(REPO, "rules", "xen");
const manifest = JSON.parse(readFileSync(join(PACK, "pack.json"), "utf8")) as {
  name: string;
  events: Record<string, string>;
  reports: { machines: string[]; tables: string[]; sequences: string[]; alerts: string[] };
};
const formats = readFileSync(join(PACK, "data", "xentrace-formats.tsv"), "utf8")
  .split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")).map((l) => l.split("\t")[1]!);

const TRACE = sharedPath("traces", "xentrace-parser-rs-example", "xentrace.bin");
const source = new XentraceSource(TRACE, "xen-host", () => {}, {});
await source.open();

describe("the xen pack", () => {
  const out = compile({ packs: ["xen"], traceSchema: sourcesSchema([source]) });

  it("compiles without errors or warnings", () => {
    expect(out.diagnostics.map((d) => `${d.span.file}:${d.span.line} ${d.code} ${d.message}`)).toEqual([]);
    expect(out.program).toBeDefined();
  });

  it("listens to exactly the events pack.json declares, all decoded by the xentrace reader", () => {
    const used = new Set(out.plans.flatMap((p) => p.events));
    expect([...used].sort()).toEqual(Object.keys(manifest.events).sort());
    for (const e of used) expect(formats, `event ${e} in xentrace-formats.tsv`).toContain(e);
    expect(manifest.name).toBe("xen");
  });

  it("reports what pack.json lists", () => {
    const byKind = (k: string) => out.plans.filter((p) => p.kind === k).map((p) => p.outName).sort();
    expect(byKind("Machine")).toEqual([...manifest.reports.machines].sort());
    expect(byKind("Table")).toEqual([...manifest.reports.tables].sort());
    expect(byKind("Sequence")).toEqual([...manifest.reports.sequences].sort());
  });

  it("cuts windows at the WINDOW given with --set", async () => {
    const { result } = await runXenPack(TRACE, { set: { WINDOW: "100ms" } });
    const windows = [...new Set(rowsOf(result, "xen.xenmon_windows").map((r) => r["window"] as number))];
    expect(windows.every((w) => w % 100_000_000 === 0)).toBe(true);
    // 3.495 s of trace from 21036.754 s: windows 21036.7 .. 21040.2
    expect(windows.length).toBe(36);
    for (const r of rowsOf(result, "xen.xenmon_windows")) expect(r["cpu_pct"] as number).toBeLessThanOrEqual(100 + 1e-9);
  });
});
