/**
 * The pack as data: every file declares `pack kvm`; pack.json names exactly the rules the pack
 * compiles to; the pack compiles cleanly with no trace and against each kind of trace it reads;
 * kvm.vcpu_profile (per vCPU) and kvm.profile (per VM) share their columns with xen.profile
 * (rules/xen/README.md, "Shared profile schema").
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compile.js";
import { openTraces } from "../../../engine/readers/index.js";
import { sourcesSchema } from "../../../engine/run.js";
import { REPO, sharedPath } from "../../helpers/shared.js";
import { compilePack, PACK_DIR, packFiles } from "./helpers/run-pack.js";

interface PackJson {
  name: string;
  consts: Record<string, string>;
  maps: Record<string, string>;
  data: string[];
  reports: Record<"machines" | "sequences" | "tables" | "alerts", string[]>;
}
const packJson = JSON.parse(readFileSync(join(PACK_DIR, "pack.json"), "utf8")) as PackJson;

describe("the kvm pack", () => {
  it("every file is in pack kvm; pack.json lists exactly its rules, consts and maps", () => {
    for (const f of packFiles()) expect([f, /^pack kvm\b/m.test(readFileSync(f, "utf8"))]).toEqual([f, true]);
    const out = compilePack();
    expect(out.diagnostics).toEqual([]);
    const kinds = { Machine: "machines", Sequence: "sequences", Table: "tables", Alert: "alerts" } as const;
    for (const [kind, key] of Object.entries(kinds)) {
      const names = out.plans.filter((p) => p.kind === kind).map((p) => p.outName).sort();
      expect([key, names]).toEqual([key, [...packJson.reports[key]].sort()]);
    }
    const symbols = out.unit!.symbols;
    expect(Object.keys(packJson.consts).every((c) => symbols.consts.has(c))).toBe(true);
    expect(Object.keys(packJson.maps).every((m) => symbols.maps.has(m))).toBe(true);
    for (const d of packJson.data) expect(readFileSync(join(PACK_DIR, d), "utf8").length).toBeGreaterThan(0);
  });

  it("its terminal report follows pack.json's report order: the vCPU timeline and table first", () => {
    const r = spawnSync(process.execPath, [join(REPO, "dist", "cli", "main.js"), "run", "--pack", "kvm", sharedPath("traces", "simulated-kvm-host", "ctf", "kernel")],
      { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    const titles = r.stdout.split("\n").filter((l) => /^(Machine|Table) /.test(l)).map((l) => l.split(/[ :]/)[1]);
    const listed = [...packJson.reports.machines, ...packJson.reports.tables];
    // machines with intervals, then tables, each in pack.json's order
    expect(titles.slice(0, 2)).toEqual(["kvm.vcpu", "kvm.guest_vcpu"]);
    expect(titles.filter((t) => t.startsWith("kvm.") && packJson.reports.tables.includes(t))[0]).toBe("kvm.vcpu_time");
    expect(titles).toEqual([...titles].sort((a, b) => listed.indexOf(a) - listed.indexOf(b)));
    // helpers that saw nothing share one line
    expect(r.stdout).toMatch(/\nMachines without intervals: (kvm\.[a-z_0-9]+, )*kvm\.cr3_pending(, kvm\.[a-z_0-9]+)*\n/);
  });

  it("compiles without a diagnostic against the schema of every kind of trace it reads", async () => {
    const traces = [
      ["traces", "tracecompass-vm-stubs", "incubator-OneQemuKvm", "host.xml"],
      ["traces", "kvm-text-snippets", "ftrace-kvm-nested-lkml-2023.txt"],
      ["traces", "kvm-text-snippets", "perf-script-kvm-irq-injection.txt"],
      ["traces", "simulated-kvm-host", "trace.txt"],
    ];
    for (const t of traces) {
      const sources = await openTraces([sharedPath(...t)], { onIssue: () => {} });
      const schema = sourcesSchema(sources);
      const out = compile({ packs: ["kvm"], traceSchema: schema });
      // the trace lacks most of the pack's optional events: warnings say so, nothing is an error
      expect([t.at(-1), out.diagnostics.filter((d) => d.severity === "error")]).toEqual([t.at(-1), []]);
    }
  });

  it("kvm.profile and kvm.vcpu_profile have the shared profile columns of xen.profile, in the same order", () => {
    const kvm = compilePack();
    // without a xentrace file the Xen pack's event names are unknown (its README, item 6): the
    // plans are still built, which is all this needs
    const xen = compile({ packs: ["xen"] });
    const columns = (plans: typeof kvm.plans, name: string) => {
      const t = plans.find((p) => p.outName === name)!.rule;
      if (t.kind !== "Table") throw new Error(name);
      return t.select.map((s) => s.alias ?? "");
    };
    const shared = ["guest_share", "hypervisor_share", "preempted_share", "waiting_share", "exits_per_s", "timer_inj_per_s", "ipi_inj_per_s", "device_inj_per_s"];
    const inXen = columns(xen.plans, "xen.profile").filter((c) => shared.includes(c));
    expect(inXen).toEqual(shared);
    for (const t of ["kvm.profile", "kvm.vcpu_profile"]) expect([t, columns(kvm.plans, t).filter((c) => shared.includes(c))]).toEqual([t, shared]);
    // the per-VM profile adds the I/O rates of its disk and network sources
    expect(columns(kvm.plans, "kvm.profile").slice(-4)).toEqual(["disk_requests_per_s", "disk_bytes_per_s", "net_packets_per_s", "net_bytes_per_s"]);
    // the README documents each of them
    const readme = readFileSync(join(REPO, "rules", "kvm", "README.md"), "utf8");
    for (const c of shared) expect([c, readme.includes(c)]).toEqual([c, true]);
  });
});
