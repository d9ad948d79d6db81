/**
 * Exit-reason detection (kvm.nested: VMX/SVM instruction exits, nested tracepoints) and the
 * cr3-based views (kvm.nested_guests, kvm.nested_levels) name the same nested VMs on every
 * trace the kvm pack is tested on that has no guest cr3 (the cr3 scenario, with and without
 * its cr3 events, is in cr3-scenario.test.ts); on those the views say the trace lacks guest
 * cr3 and fall back to exit reasons.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sharedPath } from "../../helpers/shared.js";
import { simulate, toJsonl } from "../../scenario/kvm-scenario.js";
import { rowsOf, runPackOnTraces } from "./helpers/run-pack.js";

const dir = mkdtempSync(join(tmpdir(), "vigil-kvm-agree-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generated(): string {
  const p = join(dir, "kvm-scenario.jsonl");
  writeFileSync(p, simulate().events.map(toJsonl).join("\n") + "\n");
  return p;
}

const traces: Array<[string, () => string, number[]]> = [
  ["the kvm scenario generator (JSON Lines)", generated, [2400]],
  ["simulated-kvm-host (CTF)", () => sharedPath("traces", "simulated-kvm-host", "ctf"), [3101]],
  ["simulated-kvm-host (trace-cmd text, no pids)", () => sharedPath("traces", "simulated-kvm-host", "trace.txt"), [-1]],
  ["Trace Compass OneQemuKvm stub", () => sharedPath("traces", "tracecompass-vm-stubs", "incubator-OneQemuKvm", "host.xml"), []],
  ["ftrace nested-kvm snippet", () => sharedPath("traces", "kvm-text-snippets", "ftrace-kvm-nested-lkml-2023.txt"), []],
  ["perf script injection snippet", () => sharedPath("traces", "kvm-text-snippets", "perf-script-kvm-irq-injection.txt"), []],
];

describe.each(traces)("%s", (_name, path, nestedVms) => {
  it("kvm.nested, kvm.nested_guests and kvm.nested_levels name the same nested VMs; the views say the trace lacks guest cr3", async () => {
    const { result } = await runPackOnTraces([path()], { history: false });
    const vms = (table: string, keep: (r: Record<string, unknown>) => boolean = () => true) =>
      [...new Set(rowsOf(result, table).filter(keep).map((r) => r["vm"] as number))].sort((a, b) => a - b);
    expect(vms("kvm.nested")).toEqual(nestedVms);
    expect(vms("kvm.nested_guests", (r) => (r["l2_ns"] as number) > 0)).toEqual(nestedVms);
    expect(vms("kvm.nested_levels")).toEqual(nestedVms);
    expect(rowsOf(result, "kvm.nested_levels").every((r) => r["levels_from"] === "exit reasons" && r["cr3_entries"] === 0)).toBe(true);
    expect([...new Set(rowsOf(result, "kvm.guest_processes").map((r) => r["cr3"]))]).toEqual(rowsOf(result, "kvm.guest_processes").length > 0 ? ["(trace lacks guest cr3)"] : []);
    expect(result.alerts.filter((a) => a.rule === "kvm.nested_overhead")).toEqual([]);
  }, 120_000);
});
