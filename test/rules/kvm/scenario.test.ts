/**
 * The kvm pack against the scenario generator (test/scenario/kvm-scenario.ts): a simulated host
 * whose truth is recorded by the simulation from its own state. The trace goes through the
 * JSON Lines reader and, when the CTF reader is registered, through CTF written by babeltrace2
 * (python3-bt2). Counts must be equal, times within 0.1 % (they come out exact).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterTable } from "../../../engine/analyses/cluster.js";
import { ReadersMap } from "../../../engine/readers/index.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { REPO } from "../../helpers/shared.js";
import { DEFAULT_SCENARIO, simulate, writeScenario } from "../../scenario/kvm-scenario.js";
import { rowsOf, runPackOnTraces } from "./helpers/run-pack.js";
import { countsByVmVector, exitsByVm, near, preemptorsByVcpu, type Truth } from "./helpers/sim-truth.js";

/** Exit names as the kernel prints them (the pack's own data file: naming only). */
function vmxNames(): (code: number) => string {
  const names = new Map<number, string>();
  for (const line of readFileSync(join(REPO, "rules", "kvm", "data", "vmx-exit-reasons.tsv"), "utf8").split("\n")) {
    const [code, name, kind] = line.split("\t");
    if (kind === "reason") names.set(Number(code), name!);
  }
  return (c) => names.get(c) ?? String(c);
}

type ScenarioTruth = Omit<Truth, "vcpus"> & {
  vcpus: Array<Truth["vcpus"][number] & { nested_time: { l1_ns: number; l2_ns: number; l2_entries: number } | null }>;
  disk: Array<{ vm_pid: number; requests: number; bytes: number; device_ns: number; notify_ns: number; total_ns: number }>;
  net: Array<{ tap: string; dir: string; packets: number; bytes: number; ns: number }>;
};

const dir = mkdtempSync(join(tmpdir(), "vigil-kvm-scenario-"));
const scenario = simulate(DEFAULT_SCENARIO, vmxNames());
const truth = scenario.truth as unknown as ScenarioTruth;
const withCtf = "ctf" in ReadersMap;
writeScenario(dir, scenario, { ctf: withCtf });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const routes = [{ name: "JSON Lines", path: join(dir, "trace.jsonl") }, ...(withCtf ? [{ name: "CTF by babeltrace2", path: join(dir, "ctf") }] : [])];

/**
 * Each VM exit paired with the next entry of its thread, as perf kvm stat times it (a second
 * exit first drops the earlier one), straight from the simulator's events: VM pid → reason → ns.
 */
function exitPairs(events: typeof scenario.events): Map<number, Map<number, number[]>> {
  const open = new Map<number, (typeof events)[number]>();
  const out = new Map<number, Map<number, number[]>>();
  for (const e of events) {
    if (e.name === "kvm_x86_exit") open.set(e.context.tid, e);
    else if (e.name === "kvm_x86_entry") {
      const x = open.get(e.context.tid);
      if (x === undefined) continue;
      open.delete(e.context.tid);
      const byReason = out.get(x.context.pid) ?? new Map<number, number[]>();
      out.set(x.context.pid, byReason);
      const code = x.fields["exit_reason"] as number;
      byReason.set(code, [...(byReason.get(code) ?? []), e.ts - x.ts]);
    }
  }
  return out;
}

describe.each(routes)("kvm pack on the generated scenario ($name)", ({ path }) => {
  let r: RunResult;
  beforeAll(async () => {
    const run = await runPackOnTraces([path], { history: false });
    expect(run.issues).toEqual([]);
    r = run.result;
    expect(r.stats.events).toBe(truth.trace.events);
  }, 120_000);

  it("vCPU states, exits and preemptions per vCPU", () => {
    const rows = rowsOf(r, "kvm.vcpu_time");
    expect(rows.length).toBe(truth.vcpus.length);
    // A pair whose entry is the trace's very last event opens a guest interval of no length,
    // which machines do not record: kvm.vcpu_time misses it (kvm.exits counts it; README).
    const last = scenario.events.at(-1)!;
    const endsWithEntry = (tid: number) => last.name === "kvm_x86_entry" && last.context.tid === tid;
    for (const v of truth.vcpus) {
      const x = rows.find((row) => row["tid"] === v.tid)!;
      const t = v.trace;
      const exits = t.exits - (endsWithEntry(v.tid) ? 1 : 0);
      expect([v.vm, v.vcpu_id, x["vm"], x["vcpu"], x["exits"], x["preemptions"]]).toEqual([v.vm, v.vcpu_id, v.vm_pid, v.vcpu_id, exits, t.preemptions.count]);
      expect([v.vm, v.vcpu_id, near(x["guest_ns"] as number, t.guest_ns), near(x["hypervisor_ns"] as number, t.host_ns),
        near(x["preempted_ns"] as number, t.preempted_ns), near(x["waiting_ns"] as number, t.waiting_ns)]).toEqual([v.vm, v.vcpu_id, true, true, true, true]);
    }
    const got = preemptorsByVcpu(r);
    for (const v of truth.vcpus) {
      const mine = got.get(`${v.vm_pid}/${v.vcpu_id}`) ?? new Map();
      expect([v.vm, Object.fromEntries([...mine].map(([tid, m]) => [tid, [m.count, m.ns, m.comm]]))])
        .toEqual([v.vm, Object.fromEntries(v.trace.preemptions.by_thread.map((b) => [b.tid, [b.count, b.ns, b.comm]]))]);
    }
  });

  it("exits per VM and reason", () => {
    const got = exitsByVm(r);
    for (const e of truth.exit_reasons) {
      const mine = got.get(e.vm_pid)!;
      expect([e.vm_pid, [...mine.keys()].sort()]).toEqual([e.vm_pid, e.reasons.map((x) => x.name).sort()]);
      for (const x of e.reasons) {
        const m = mine.get(x.name)!;
        expect([e.vm_pid, x.name, m["count"], m["total_ns"], m["min_ns"], m["max_ns"]]).toEqual([e.vm_pid, x.name, x.count, x.total_ns, x.min_ns, x.max_ns]);
      }
    }
  });

  it("injections and APIC accepts per VM and vector (vhost's too)", () => {
    for (const [table, key] of [["kvm.injections", "injections"], ["kvm.apic_accepts", "apic_accept"]] as const) {
      const got = countsByVmVector(r, table);
      expect([table, Object.fromEntries(got)]).toEqual([table, Object.fromEntries(truth[key].map((x) => [x.vm_pid, x.by_vector]))]);
    }
  });

  it("nested evidence and the L1/L2 split of the nested VM's vCPUs", () => {
    const ev = new Map<number, Record<string, number>>();
    for (const x of rowsOf(r, "kvm.nested")) ev.set(x["vm"] as number, { ...ev.get(x["vm"] as number), [x["evidence"] as string]: x["count"] as number });
    expect(Object.fromEntries(ev)).toEqual(Object.fromEntries(truth.nested_vms.map((n) => [n.vm_pid, n.evidence])));
    const rows = rowsOf(r, "kvm.nested_time");
    const expected = truth.vcpus.filter((v) => v.nested_time !== null);
    expect(rows.map((x) => x["tid"])).toEqual(expected.map((v) => v.tid));
    for (const v of expected) {
      const x = rows.find((row) => row["tid"] === v.tid)!;
      expect([v.tid, x["l1_ns"], x["l2_ns"], x["l2_entries"]]).toEqual([v.tid, v.nested_time!.l1_ns, v.nested_time!.l2_ns, v.nested_time!.l2_entries]);
    }
  });

  it("long preemptions: table and alerts", () => {
    expect(truth.long_preemptions.length).toBeGreaterThan(0);
    // the truth lists them as they ended, the table and the alerts as they started
    const byStart = [...truth.long_preemptions].sort((a, b) => a.start - b.start);
    expect(rowsOf(r, "kvm.long_preemptions").map((x) => [x["tid"], x["start"], x["duration_ns"], x["by_tid"], x["by_comm"]]))
      .toEqual(byStart.map((p) => [p.tid, p.start, p.duration_ns, p.preempted_by.tid, p.preempted_by.comm]));
    expect(r.alerts.filter((a) => a.rule === "kvm.long_preemption").map((a) => [a.fields["key"], a.ts]))
      .toEqual(byStart.map((p) => [p.tid, p.start + DEFAULT_SCENARIO.longPreemptionNs]));
  });

  it("disk requests (issue → complete → interrupt) and bridged packets per VM", () => {
    const disk = rowsOf(r, "kvm.disk");
    expect(disk.map((x) => [x["vm"], x["requests"], x["bytes"]])).toEqual(truth.disk.map((d) => [d.vm_pid, d.requests, d.bytes]));
    for (const d of truth.disk) {
      const x = disk.find((row) => row["vm"] === d.vm_pid)!;
      expect([near(x["device_avg_ns"] as number, d.device_ns / d.requests), near(x["notify_avg_ns"] as number, d.notify_ns / d.requests), near(x["avg_ns"] as number, d.total_ns / d.requests)])
        .toEqual([true, true, true]);
    }
    const webPid = truth.vms.find((v) => v.profile === "net")!.pid;
    expect(rowsOf(r, "kvm.net").map((x) => [x["vm"], x["tap"], x["dir"], x["packets"], x["bytes"]]).sort())
      .toEqual(truth.net.map((n) => [webPid, n.tap, n.dir, n.packets, n.bytes]).sort());
  });

  it("kvm.exits as perf kvm stat: shares sum to 100 per VM, stddev_pct from the exit/entry pairs of the trace", () => {
    const pairs = exitPairs(scenario.events);
    const name = vmxNames();
    const rows = rowsOf(r, "kvm.exits");
    expect(rows.length).toBe([...pairs.values()].reduce((n, m) => n + m.size, 0));
    for (const [vm, byReason] of pairs) {
      const all = [...byReason.values()].flat();
      const vmCount = all.length, vmNs = all.reduce((a, b) => a + b, 0);
      for (const [code, ds] of byReason) {
        const x = rows.find((row) => row["vm"] === vm && row["reason"] === name(code))!;
        const n = ds.length, mean = ds.reduce((a, b) => a + b, 0) / n;
        // perf's util/stat.c: stddev of the mean √(Σ(d − mean)² / (n − 1) / n), relative to the mean; 0 for one value
        const pct = n < 2 ? 0 : (100 * Math.sqrt(ds.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1) / n)) / mean;
        expect([vm, code, x["count"], near(x["stddev_pct"] as number, pct, 1e-9), near(x["count_pct"] as number, (100 * n) / vmCount, 1e-12),
          near(x["time_pct"] as number, (100 * ds.reduce((a, b) => a + b, 0)) / vmNs, 1e-12)]).toEqual([vm, code, n, true, true, true]);
      }
      const mine = rows.filter((row) => row["vm"] === vm);
      expect([vm, near(mine.reduce((a, row) => a + (row["count_pct"] as number), 0), 100, 1e-12), near(mine.reduce((a, row) => a + (row["time_pct"] as number), 0), 100, 1e-12)])
        .toEqual([vm, true, true]);
    }
  });

  it("kvm.profile: one row per VM with its vCPUs' shares and rates and its disk and network rates", () => {
    const span = (truth.trace.end - truth.trace.start) / 1e9;
    const rows = rowsOf(r, "kvm.profile");
    expect(rows.map((p) => p["vm"])).toEqual(truth.vms.map((v) => v.pid).sort((a, b) => a - b));
    const webPid = truth.vms.find((v) => v.profile === "net")!.pid;
    const vcpuTime = rowsOf(r, "kvm.vcpu_time");
    for (const p of rows) {
      const vm = p["vm"] as number;
      const vcpus = truth.vcpus.filter((v) => v.vm_pid === vm);
      const guest = vcpus.reduce((a, v) => a + v.trace.guest_ns, 0);
      const exits = vcpuTime.filter((x) => x["vm"] === vm).reduce((a, x) => a + (x["exits"] as number), 0);
      const disk = truth.disk.find((d) => d.vm_pid === vm);
      const net = vm === webPid ? truth.net : [];
      expect([vm, near(p["guest_share"] as number, (100 * guest) / 1e9 / span, 1e-9), near(p["exits_per_s"] as number, exits / span, 1e-9),
        near(p["disk_requests_per_s"] as number, (disk?.requests ?? 0) / span, 1e-9), near(p["disk_bytes_per_s"] as number, (disk?.bytes ?? 0) / span, 1e-9),
        near(p["net_packets_per_s"] as number, net.reduce((a, n) => a + n.packets, 0) / span, 1e-9),
        near(p["net_bytes_per_s"] as number, net.reduce((a, n) => a + n.bytes, 0) / span, 1e-9)]).toEqual([vm, true, true, true, true, true, true]);
    }
  });

  it("--cluster on kvm.profile gives the disk VM and the network VM a cluster each (per vCPU they share one)", () => {
    const diskPid = truth.vms.find((v) => v.profile === "disk")!.pid;
    const webPid = truth.vms.find((v) => v.profile === "net")!.pid;
    for (const k of [3, 4, 5]) {
      const c = clusterTable("kvm.profile", r.tables["kvm.profile"]!, { k });
      const at = (col: string) => c.columns.indexOf(col);
      const of = (vm: number) => c.rows.find((row) => row[at("vm")] === vm)!;
      const members = (vm: number) => c.rows.filter((row) => row[at("cluster")] === of(vm)[at("cluster")]).map((row) => row[at("vm")]);
      expect([k, members(diskPid), members(webPid)]).toEqual([k, [diskPid], [webPid]]);
      expect([k, String(of(diskPid)[at("label")]).startsWith("disk_"), String(of(webPid)[at("label")]).startsWith("net_")]).toEqual([k, true, true]);
      // the per-vCPU profile has no I/O rates: some disk vCPU and some network vCPU fall together
      const v = clusterTable("kvm.vcpu_profile", r.tables["kvm.vcpu_profile"]!, { k });
      const vmOf = v.columns.indexOf("vm"), cl = v.columns.indexOf("cluster");
      const clustersOf = (vm: number) => new Set(v.rows.filter((row) => row[vmOf] === vm).map((row) => row[cl]));
      expect([k, [...clustersOf(diskPid)].some((x) => clustersOf(webPid).has(x))]).toEqual([k, true]);
    }
  });

  it("the per-vCPU profile's time shares add up to each vCPU's life and its rates to the tables'", () => {
    const span = (truth.trace.end - truth.trace.start) / 1e9;
    for (const p of rowsOf(r, "kvm.vcpu_profile")) {
      const v = truth.vcpus.find((x) => x.tid === p["tid"])!;
      const life = v.trace.guest_ns + v.trace.host_ns + v.trace.preempted_ns + v.trace.waiting_ns;
      const shares = ["guest_share", "hypervisor_share", "preempted_share", "waiting_share"].reduce((s, c) => s + (p[c] as number), 0);
      expect(near(shares, (100 * life) / 1e9 / span, 1e-9)).toBe(true);
      const exits = rowsOf(r, "kvm.vcpu_time").find((x) => x["tid"] === p["tid"])!["exits"] as number;
      expect(near(p["exits_per_s"] as number, exits / span, 1e-9)).toBe(true);
    }
  });
});
