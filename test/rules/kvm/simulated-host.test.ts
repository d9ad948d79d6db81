/**
 * The kvm pack against the ground truth of ../shared/traces/simulated-kvm-host (a discrete-event
 * simulation of an 8-CPU kvm host with six VMs and a noisy neighbour; README.md there). Its
 * truth is computed by the simulator from its own state, not by reading the trace back.
 *
 * The trace is read through every registered route to it: the CTF decoded by babeltrace2
 * (python3-bt2) into JSON Lines always, and Vigil's own CTF reader when it is registered.
 * State times are compared on the truth's `window` (from there on every vCPU's state is
 * derivable from the trace alone) with the analysis range set to it; exits also over the
 * whole trace. Counts must be equal; times within 0.1 % (they come out exact).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ReadersMap } from "../../../engine/readers/index.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { sharedPath } from "../../helpers/shared.js";
import { ctfAsJsonl } from "./helpers/ctf-jsonl.js";
import { rowsOf, runPackOnTraces } from "./helpers/run-pack.js";
import { countsByVmVector, exitsByVm, loadTruth, near, preemptorsByVcpu, windowRange, type Truth } from "./helpers/sim-truth.js";

const SIM = ["traces", "simulated-kvm-host"];
const truth: Truth = loadTruth(sharedPath(...SIM, "truth.json"));

/**
 * Each way to read the trace: a path, the reader format, and the offset from the truth's raw
 * clock values to the reader's absolute times (CTF readers add the clock's offset from the
 * epoch; the JSONL conversion keeps raw cycles, as the truth does).
 */
// read as text: the offset (1.7e18 ns) is beyond a double's exact integers
const epoch = /"offset_ns_from_epoch":\s*(\d+)/.exec(readFileSync(sharedPath(...SIM, "truth.json"), "utf8"))![1]!;
const routes: Array<{ name: string; path: () => string; format?: string; offset: bigint }> = [
  { name: "CTF via babeltrace2 → JSONL", path: () => ctfAsJsonl(sharedPath(...SIM, "ctf")), format: "jsonl", offset: 0n },
  ...("ctf" in ReadersMap ? [{ name: "CTF (Vigil's reader)", path: () => sharedPath(...SIM, "ctf"), offset: BigInt(epoch) }] : []),
];

describe.each(routes)("simulated kvm host, $name", ({ path, format, offset }) => {
  let win: RunResult;
  let whole: RunResult;

  beforeAll(async () => {
    const p = path();
    const w = await runPackOnTraces([p], (o) => ({ set: windowRange(truth, o - offset), history: false }), { format });
    expect(w.issues).toEqual([]);
    win = w.result;
    whole = (await runPackOnTraces([p], { history: false }, { format })).result;
  }, 180_000);

  it("reads every event", () => {
    expect(whole.stats.events).toBe(truth.trace.events);
    expect(BigInt(whole.first) + whole.origin - offset).toBe(BigInt(truth.trace.start));
  });

  it("kvm.vcpu_time: guest / hypervisor / preempted / waiting time, exits and preemptions of every vCPU", () => {
    const rows = rowsOf(win, "kvm.vcpu_time");
    expect(rows.map((r) => r["tid"]).sort()).toEqual(truth.vcpus.map((v) => v.tid).sort());
    for (const v of truth.vcpus) {
      const r = rows.find((x) => x["tid"] === v.tid)!;
      const label = `${v.vm} vCPU ${v.vcpu_id}`;
      expect([label, r["vm"], r["vcpu"]]).toEqual([label, v.vm_pid, v.vcpu_id]);
      const w = v.window;
      const got = { guest: r["guest_ns"] as number, host: r["hypervisor_ns"] as number, pre: r["preempted_ns"] as number, wait: r["waiting_ns"] as number };
      expect([label, near(got.guest, w.guest_ns), near(got.host, w.host_ns), near(got.pre, w.preempted_ns), near(got.wait, w.waiting_ns)])
        .toEqual([label, true, true, true, true]);
      // the four states partition the window
      expect(got.guest + got.host + got.pre + got.wait).toBe(truth.window.end - truth.window.start);
      expect([label, r["exits"], r["preemptions"]]).toEqual([label, w.exits, w.preemptions.count]);
    }
  });

  it("kvm.preemptions: who preempted each vCPU, how often and for how long", () => {
    const got = preemptorsByVcpu(win);
    for (const v of truth.vcpus) {
      const mine = got.get(`${v.vm_pid}/${v.vcpu_id}`) ?? new Map();
      const expected = new Map(v.window.preemptions.by_thread.map((b) => [b.tid, { count: b.count, ns: b.ns, comm: b.comm }]));
      expect([v.vm, v.vcpu_id, [...mine.keys()].sort()]).toEqual([v.vm, v.vcpu_id, [...expected.keys()].sort()]);
      for (const [tid, e] of expected) {
        const m = mine.get(tid)!;
        expect([v.vm, tid, m.count, m.comm, near(m.ns, e.ns)]).toEqual([v.vm, tid, e.count, e.comm, true]);
      }
    }
    // a preemptor that is another VM's vCPU names that VM
    const rows = rowsOf(win, "kvm.preemptions");
    const vcpuVm = new Map(truth.vcpus.map((v) => [v.tid, v.vm_pid]));
    for (const r of rows) expect(r["by_vm"]).toBe(vcpuVm.get(r["by_tid"] as number) ?? -1);
  });

  for (const range of ["window", "trace"] as const) {
    it(`kvm.exits per VM and reason over the ${range}, as perf kvm stat counts them`, () => {
      const got = exitsByVm(range === "window" ? win : whole);
      const expected = truth.exit_reasons.filter((e) => e.range === range);
      expect([...got.keys()].sort()).toEqual(expected.map((e) => e.vm_pid).sort());
      for (const e of expected) {
        const mine = got.get(e.vm_pid)!;
        expect([e.vm_pid, [...mine.keys()].sort()]).toEqual([e.vm_pid, e.reasons.map((r) => r.name).sort()]);
        for (const r of e.reasons) {
          const m = mine.get(r.name)!;
          expect([e.vm_pid, r.name, m["count"], m["min_ns"], m["max_ns"]]).toEqual([e.vm_pid, r.name, r.count, r.min_ns, r.max_ns]);
          expect([e.vm_pid, r.name, near(m["total_ns"]!, r.total_ns), near(m["avg_ns"]!, r.avg_ns)]).toEqual([e.vm_pid, r.name, true, true]);
        }
      }
      // shares are of each VM's exits (perf kvm stat report --pid), so they sum to 100 per VM
      const rows = rowsOf(range === "window" ? win : whole, "kvm.exits");
      for (const vm of new Set(rows.map((r) => r["vm"]))) {
        const mine = rows.filter((r) => r["vm"] === vm);
        const count = mine.reduce((s, r) => s + (r["count"] as number), 0);
        const ns = mine.reduce((s, r) => s + (r["total_ns"] as number), 0);
        for (const r of mine) {
          expect([vm, r["reason"], near(r["count_pct"] as number, (100 * (r["count"] as number)) / count, 1e-9), near(r["time_pct"] as number, (100 * (r["total_ns"] as number)) / ns, 1e-9)])
            .toEqual([vm, r["reason"], true, true]);
        }
        expect(near(mine.reduce((s, r) => s + (r["count_pct"] as number), 0), 100, 1e-9)).toBe(true);
        expect(near(mine.reduce((s, r) => s + (r["time_pct"] as number), 0), 100, 1e-9)).toBe(true);
      }
    });
  }

  it("kvm.injections (kvm_x86_inj_virq) and kvm.apic_accepts per VM and vector", () => {
    for (const [table, key] of [["kvm.injections", "injections"], ["kvm.apic_accepts", "apic_accept"]] as const) {
      const got = countsByVmVector(win, table);
      const expected = truth[key].filter((x) => x.range === "window");
      expect([table, [...got.keys()].sort()]).toEqual([table, expected.map((x) => x.vm_pid).sort()]);
      for (const x of expected) expect([table, x.vm_pid, got.get(x.vm_pid)]).toEqual([table, x.vm_pid, x.by_vector]);
    }
    const classes = new Map(rowsOf(win, "kvm.injections").map((r) => [r["vector"], r["class"]]));
    expect(Object.fromEntries(classes)).toEqual({ 236: "timer", 251: "ipi", 252: "ipi", 253: "ipi", 37: "device", 38: "device", 39: "device" });
  });

  it("kvm.nested: the nested hypervisor and its evidence, over the trace and the window", () => {
    for (const [result, key] of [[whole, "evidence"], [win, "evidence_window"]] as const) {
      const rows = rowsOf(result, "kvm.nested");
      const byVm = new Map<number, Record<string, number>>();
      for (const r of rows) byVm.set(r["vm"] as number, { ...byVm.get(r["vm"] as number), [r["evidence"] as string]: r["count"] as number });
      expect(Object.fromEntries(byVm)).toEqual(Object.fromEntries(truth.nested_vms.map((n) => [n.vm_pid, n[key]])));
    }
    // L1/L2 split only for the nested VM's vCPUs: L2 is entered after every VMLAUNCH/VMRESUME,
    // and again after the host interrupts L0 handled alone (this truth has no L1/L2 times: the
    // generated scenario checks them)
    const nested = rowsOf(whole, "kvm.nested_time");
    const n = truth.nested_vms[0]!;
    expect(nested.map((r) => r["vm"])).toEqual(truth.vms.find((v) => v.pid === n.vm_pid)!.vcpus.map(() => n.vm_pid));
    const entries = nested.reduce((s, r) => s + (r["l2_entries"] as number), 0);
    expect(entries).toBeGreaterThanOrEqual((n.evidence["VMRESUME"] ?? 0) + (n.evidence["VMLAUNCH"] ?? 0));
    const guest = truth.vcpus.filter((v) => v.vm_pid === n.vm_pid).reduce((s, v) => s + v.trace.guest_ns, 0);
    expect(nested.reduce((s, r) => s + (r["l1_ns"] as number) + (r["l2_ns"] as number), 0)).toBeLessThanOrEqual(guest);
  });

  it("kvm.long_preemptions and the kvm.long_preemption alert: every preemption over 10 ms, who did it", () => {
    expect(truth.long_preemption_threshold_ns).toBe(10_000_000);
    const rows = rowsOf(whole, "kvm.long_preemptions");
    const rel = (abs: number) => Number(BigInt(abs) + offset - whole.origin);
    expect(rows.map((r) => [r["tid"], r["start"], r["duration_ns"], r["by_tid"], r["by_comm"], r["vm"], r["vcpu"]]))
      .toEqual(truth.long_preemptions.map((p) => [p.tid, rel(p.start), p.duration_ns, p.preempted_by.tid, p.preempted_by.comm, p.vm_pid, p.vcpu_id]));
    const alerts = whole.alerts.filter((a) => a.rule === "kvm.long_preemption");
    expect(alerts.map((a) => [a.fields["key"], a.fields["start"], a.ts, a.fields["by_comm"], a.fields["vm"], a.fields["vcpu"]]))
      .toEqual(truth.long_preemptions.map((p) => [p.tid, rel(p.start), rel(p.start) + 10_000_000, p.preempted_by.comm, p.vm_pid, p.vcpu_id]));
    // no unknown exit codes in this trace, no failed entries
    expect(whole.alerts.filter((a) => a.rule !== "kvm.long_preemption")).toEqual([]);
  });
});

/**
 * The same host through its `trace-cmd report` text (ftrace names and formats). ftrace records
 * no process id, so VMs cannot be told apart (vm -1): every per-vCPU result is checked per host
 * thread, per-VM tables summed over the VMs.
 */
describe("simulated kvm host, trace-cmd report text", () => {
  let win: RunResult;
  let whole: RunResult;
  beforeAll(async () => {
    const p = sharedPath(...SIM, "trace.txt");
    const w = await runPackOnTraces([p], (o) => ({ set: windowRange(truth, o), history: false }));
    expect(w.issues).toEqual([]);
    win = w.result;
    whole = (await runPackOnTraces([p], { history: false })).result;
  }, 180_000);

  it("vCPU times, exits and preemptions per host thread", () => {
    // the text has no statedump: 94 events fewer than the CTF
    expect(whole.stats.events).toBe(truth.trace.events - 94);
    const rows = rowsOf(win, "kvm.vcpu_time");
    expect(rows.map((r) => r["tid"]).sort()).toEqual(truth.vcpus.map((v) => v.tid).sort());
    for (const v of truth.vcpus) {
      const r = rows.find((x) => x["tid"] === v.tid)!;
      const w = v.window;
      expect([v.tid, r["vm"], r["vcpu"], r["exits"], r["preemptions"]]).toEqual([v.tid, -1, v.vcpu_id, w.exits, w.preemptions.count]);
      expect([v.tid, near(r["guest_ns"] as number, w.guest_ns), near(r["hypervisor_ns"] as number, w.host_ns),
        near(r["preempted_ns"] as number, w.preempted_ns), near(r["waiting_ns"] as number, w.waiting_ns)]).toEqual([v.tid, true, true, true, true]);
    }
  });

  it("exits per reason (all VMs) with names resolved from the text, and injections per vector", () => {
    const expected = new Map<string, { count: number; total: number; min: number; max: number }>();
    for (const e of truth.exit_reasons.filter((x) => x.range === "trace")) {
      for (const r of e.reasons) {
        const p = expected.get(r.name) ?? { count: 0, total: 0, min: Infinity, max: 0 };
        expected.set(r.name, { count: p.count + r.count, total: p.total + r.total_ns, min: Math.min(p.min, r.min_ns), max: Math.max(p.max, r.max_ns) });
      }
    }
    const rows = rowsOf(whole, "kvm.exits");
    expect(rows.every((r) => r["vm"] === -1)).toBe(true);
    expect(Object.fromEntries(rows.map((r) => [r["reason"], { count: r["count"], total: r["total_ns"], min: r["min_ns"], max: r["max_ns"] }])))
      .toEqual(Object.fromEntries(expected));
    const inj: Record<string, number> = {};
    for (const x of truth.injections.filter((i) => i.range === "window")) for (const [k, n] of Object.entries(x.by_vector)) inj[k] = (inj[k] ?? 0) + n;
    expect(countsByVmVector(win, "kvm.injections").get(-1)).toEqual(inj);
  });
});
