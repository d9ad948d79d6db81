/**
 * The kvm pack's guest-cr3 views against the cr3 scenario (test/scenario/cr3-scenario.ts): a
 * plain VM with three guest processes and an L1 hypervisor with two nested guests of two
 * processes each, whose truth the simulation recorded from its own state. Through the JSON
 * Lines reader and through CTF written by babeltrace2 and read by Vigil's own CTF reader.
 * Counts must be equal, times within 0.1 % (they come out exact). Address spaces are labelled
 * through --map kvm.cr3_names (the page-table roots the truth lists).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReadersMap } from "../../../engine/readers/index.js";
import type { RunResult } from "../../../engine/runtime/result.js";
import { CR3_SCENARIO, NESTED_PID, PLAIN_PID, simulate } from "../../scenario/cr3-scenario.js";
import { writeScenario } from "../../scenario/kvm-scenario.js";
import { rowsOf, runPackOnTraces } from "./helpers/run-pack.js";
import { cr3Maps, expectedAlerts, near, vmxNames, type Cr3Truth } from "./helpers/cr3-truth.js";

const dir = mkdtempSync(join(tmpdir(), "vigil-kvm-cr3-"));
const scenario = simulate(CR3_SCENARIO, vmxNames());
const truth = scenario.truth as unknown as Cr3Truth;
const withCtf = "ctf" in ReadersMap;
writeScenario(dir, scenario, { ctf: withCtf });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const name = vmxNames();

const routes = [{ name: "JSON Lines", path: join(dir, "trace.jsonl") }, ...(withCtf ? [{ name: "CTF (babeltrace2 writer, Vigil's reader)", path: join(dir, "ctf") }] : [])];

/** Rows keyed by the given columns, as `a|b|c` → row. */
function byKey(rows: Array<Record<string, unknown>>, ...cols: string[]): Map<string, Record<string, unknown>> {
  return new Map(rows.map((r) => [cols.map((c) => String(r[c])).join("|"), r]));
}

describe.each(routes)("guest cr3 views on the cr3 scenario ($name)", ({ path }) => {
  let r: RunResult;
  beforeAll(async () => {
    const run = await runPackOnTraces([path], { history: false, maps: cr3Maps(truth) });
    expect(run.issues).toEqual([]);
    r = run.result;
    expect(r.stats.events).toBe(truth.trace.events);
  }, 180_000);

  it("kvm.guest_processes: every address space of both VMs, its guest, user/kernel, host, preempted and waiting time", () => {
    const got = byKey(rowsOf(r, "kvm.guest_processes"), "vm", "guest", "cr3");
    const want = truth.cr3.guest_processes;
    expect([...got.keys()].sort()).toEqual(want.map((p) => `${p.vm_pid}|${p.guest}|${p.cr3}`).sort());
    // (a) three processes in the plain VM; (b) the agent and two VMMs in L1, two processes per nested guest
    expect(want.filter((p) => p.vm_pid === PLAIN_PID).length).toBe(3);
    expect(want.filter((p) => p.vm_pid === NESTED_PID && p.guest !== "L1").map((p) => p.guest).sort()).toEqual(["alpha", "alpha", "beta", "beta"]);
    for (const p of want) {
      const x = got.get(`${p.vm_pid}|${p.guest}|${p.cr3}`)!;
      expect([p.cr3, x["exits"], x["first_seen"], x["last_seen"]]).toEqual([p.cr3, p.exits, p.first_seen, p.last_seen]);
      for (const c of ["vcpu_time_ns", "user_ns", "kernel_ns", "hypervisor_ns", "preempted_ns", "waiting_ns"] as const) {
        expect([p.cr3, c, near(x[c] as number, p[c])]).toEqual([p.cr3, c, true]);
      }
    }
  });

  it("kvm.guest_process_exits: the host's handling per address space and exit reason", () => {
    const got = byKey(rowsOf(r, "kvm.guest_process_exits"), "vm", "guest", "cr3", "reason");
    const want = truth.cr3.guest_process_exits;
    expect([...got.keys()].sort()).toEqual(want.map((e) => `${e.vm_pid}|${e.guest}|${e.cr3}|${name(e.reason)}`).sort());
    for (const e of want) {
      const x = got.get(`${e.vm_pid}|${e.guest}|${e.cr3}|${name(e.reason)}`)!;
      expect([e.cr3, name(e.reason), x["exits"], near(x["hypervisor_ns"] as number, e.hypervisor_ns)]).toEqual([e.cr3, name(e.reason), e.exits, true]);
    }
  });

  it("nested vCPU view: kvm.nested_levels and kvm.nested_time split by cr3, per vCPU", () => {
    const levels = rowsOf(r, "kvm.nested_levels");
    const time = rowsOf(r, "kvm.nested_time");
    expect(levels.map((x) => x["tid"]).sort()).toEqual(truth.cr3.nested_vcpus.map((v) => v.tid).sort());
    for (const v of truth.cr3.nested_vcpus) {
      const x = levels.find((row) => row["tid"] === v.tid)!;
      expect([v.tid, x["vm"], x["vcpu"], x["levels_from"], x["l2_entries"]]).toEqual([v.tid, NESTED_PID, v.vcpu_id, "cr3", v.l2_entries]);
      for (const c of ["l1_ns", "l1_hypervisor_ns", "l2_ns", "l0_ns", "preempted_ns", "waiting_ns"] as const) {
        expect([v.tid, c, near(x[c] as number, v[c])]).toEqual([v.tid, c, true]);
      }
      const t = time.find((row) => row["tid"] === v.tid)!;
      expect([t["l1_ns"], t["l2_ns"], t["l2_entries"]]).toEqual([x["l1_ns"], x["l2_ns"], x["l2_entries"]]);
    }
  });

  it("per nested guest: kvm.nested_guests tells alpha's and beta's cr3 sets apart", () => {
    const got = byKey(rowsOf(r, "kvm.nested_guests"), "vm", "guest");
    expect([...got.keys()].sort()).toEqual([`${NESTED_PID}|alpha`, `${NESTED_PID}|beta`]);
    for (const g of truth.cr3.nested_guests) {
      const x = got.get(`${g.vm_pid}|${g.guest}`)!;
      expect([g.guest, x["l2_entries"], x["l2_exits"], x["hypervisor_exits"]]).toEqual([g.guest, g.l2_entries, g.l2_exits, g.hypervisor_exits]);
      for (const c of ["l2_ns", "l1_hypervisor_ns", "l0_ns", "preempted_ns", "waiting_ns"] as const) {
        expect([g.guest, c, near(x[c] as number, g[c])]).toEqual([g.guest, c, true]);
      }
    }
  });

  it("wait reasons: kvm.vcpu_waits and kvm.guest_process_waits from the injected vector and the waker", () => {
    const vcpu = byKey(rowsOf(r, "kvm.vcpu_waits"), "vm", "vcpu", "reason");
    expect([...vcpu.keys()].sort()).toEqual(truth.cr3.vcpu_waits.map((w) => `${w.vm_pid}|${w.vcpu}|${w.reason}`).sort());
    for (const w of truth.cr3.vcpu_waits) {
      const x = vcpu.get(`${w.vm_pid}|${w.vcpu}|${w.reason}`)!;
      expect([w.vm_pid, w.vcpu, w.reason, x["waits"], near(x["total_ns"] as number, w.total_ns)]).toEqual([w.vm_pid, w.vcpu, w.reason, w.waits, true]);
    }
    // every reason the scenario produces is there (vcpu: reschedule IPIs; host: page-ins)
    expect([...new Set(truth.cr3.vcpu_waits.map((w) => w.reason))].sort()).toEqual(["disk", "host", "network", "timer", "vcpu"]);
    const proc = byKey(rowsOf(r, "kvm.guest_process_waits"), "vm", "guest", "cr3", "reason");
    expect([...proc.keys()].sort()).toEqual(truth.cr3.guest_process_waits.map((w) => `${w.vm_pid}|${w.guest}|${w.cr3}|${w.reason}`).sort());
    for (const w of truth.cr3.guest_process_waits) {
      const x = proc.get(`${w.vm_pid}|${w.guest}|${w.cr3}|${w.reason}`)!;
      expect([w.cr3, w.reason, x["waits"], near(x["total_ns"] as number, w.total_ns)]).toEqual([w.cr3, w.reason, w.waits, true]);
    }
  });

  it("kvm.nested_overhead: raised for exactly the windows where L1 work for a nested guest exceeds half its L2 time", () => {
    const want = expectedAlerts(truth, 0.5);
    const got = r.alerts.filter((a) => a.rule === "kvm.nested_overhead")
      .map((a) => ({ guest: String(a.message.match(/nested guest (\S+)/)![1]), window: a.fields["last_window"], l2_ns: a.fields["last_l2_ns"], hypervisor_ns: a.fields["last_hypervisor_ns"] }));
    expect([...got].sort((a, b) => (a.window as number) - (b.window as number) || a.guest.localeCompare(b.guest))).toEqual(want);
    // the misconfigured guest's windows are among them, the other guest's are not
    const m = CR3_SCENARIO.nested.misconfigured!;
    expect(want.filter((a) => a.guest === m.guest && a.window >= m.from && a.window < m.until).length).toBeGreaterThan(0);
    expect(want.filter((a) => a.guest !== m.guest)).toEqual([]);
  });

  it("exit reasons and cr3 agree on which VMs are nested", () => {
    const byExits = [...new Set(rowsOf(r, "kvm.nested").map((x) => x["vm"]))];
    const byCr3 = [...new Set(rowsOf(r, "kvm.nested_guests").filter((x) => (x["l2_ns"] as number) > 0).map((x) => x["vm"]))];
    expect(byExits).toEqual([NESTED_PID]);
    expect(byCr3).toEqual(byExits);
    expect(truth.nested_vms.map((n) => n.vm_pid)).toEqual([NESTED_PID]);
  });
});

describe("the CTF the generator writes", () => {
  it.runIf(withCtf)("declares addons_vcpu_enter_guest as LTTng does: unsigned vcpuID (32 bits), cr3tmp, sptmp, iptmp (64 bits)", () => {
    // babeltrace2 leaves CTF's defaults implicit (signed = false, base = 10): lttng-modules
    // spells them out, as ../shared/traces/dorsal-kvm-lttng-metadata shows for kvm_x86_*
    const meta = readFileSync(join(dir, "ctf", "metadata"), "utf8");
    const block = meta.slice(meta.indexOf('name = "addons_vcpu_enter_guest"'));
    const fields = block.slice(block.indexOf("fields := struct {"), block.indexOf("}", block.indexOf("_iptmp")) + 1);
    const decl = (f: string) => new RegExp(`integer \\{ ([^}]*)\\} _${f};`).exec(fields)?.[1];
    const layout = ["vcpuID", "cr3tmp", "sptmp", "iptmp"].map((f) => {
      const d = decl(f) ?? "";
      return [f, /size = (\d+);/.exec(d)?.[1], /signed = (true|1)/.test(d) ? "signed" : "unsigned", /base = (?!10)/.test(d) ? "other base" : "base 10"];
    });
    expect(layout).toEqual([["vcpuID", "32", "unsigned", "base 10"], ["cr3tmp", "64", "unsigned", "base 10"], ["sptmp", "64", "unsigned", "base 10"], ["iptmp", "64", "unsigned", "base 10"]]);
  });
});

describe("the cr3 scenario without names, and without its cr3 events", () => {
  it("without --map kvm.cr3_names an address space prints as its page-table root (cr3 with the ASID bits cleared), a nested guest as its VMM's", async () => {
    const { result } = await runPackOnTraces([join(dir, "trace.jsonl")], { history: false });
    const hex = new Map(truth.spaces.map((s) => [`${s.vm_pid}|${s.name}`, s.pgd]));
    const label = (vm: number, guest: string) => (guest === "L1" ? "L1" : `L2 ${hex.get(`${vm}|${guest}`)}`);
    expect(rowsOf(result, "kvm.guest_processes").map((x) => `${x["vm"]}|${x["guest"]}|${x["cr3"]}`).sort())
      .toEqual(truth.cr3.guest_processes.map((p) => `${p.vm_pid}|${label(p.vm_pid, p.guest)}|${hex.get(`${p.vm_pid}|${p.cr3}`)}`).sort());
    // the addon reported several cr3 values per process (one ASID per vCPU): one row each all the same
    const raw = new Set(scenario.events.filter((e) => e.name === "addons_vcpu_enter_guest").map((e) => String(e.fields["cr3tmp"])));
    expect(raw.size).toBeGreaterThan(truth.spaces.length);
  }, 120_000);

  it("says the trace lacks guest cr3, and falls back to exit reasons that miss the L2 stints L0 resumed alone", async () => {
    const noCr3 = join(dir, "no-cr3.jsonl");
    const lines = readFileSync(join(dir, "trace.jsonl"), "utf8").split("\n").filter((l) => l !== "" && !l.includes('"addons_vcpu_enter_guest"'));
    writeFileSync(noCr3, lines.join("\n") + "\n");
    const { result } = await runPackOnTraces([noCr3], { history: false });
    const guestNs = (vm: number) => truth.vcpus.filter((v) => v.vm_pid === vm).reduce((s, v) => s + v.trace.guest_ns, 0);
    // one row per VM and level, all its guest time
    const procs = rowsOf(result, "kvm.guest_processes");
    expect(procs.map((x) => [x["vm"], x["guest"], x["cr3"]])).toEqual([[PLAIN_PID, "L1", "(trace lacks guest cr3)"], [NESTED_PID, "L1", "(trace lacks guest cr3)"], [NESTED_PID, "L2", "(trace lacks guest cr3)"]]);
    for (const vm of [PLAIN_PID, NESTED_PID]) expect(procs.filter((x) => x["vm"] === vm).reduce((n, x) => n + (x["vcpu_time_ns"] as number), 0)).toBe(guestNs(vm));
    const levels = rowsOf(result, "kvm.nested_levels");
    expect(levels.map((x) => [x["tid"], x["levels_from"], x["cr3_entries"]])).toEqual(truth.cr3.nested_vcpus.map((v) => [v.tid, "exit reasons", 0]).sort((a, b) => (a[0] as number) - (b[0] as number)));
    for (const v of truth.cr3.nested_vcpus) {
      const x = levels.find((row) => row["tid"] === v.tid)!;
      // the same guest time, split differently: an L2 exit L0 handles alone (a shadow-EPT fault) looks like a reflection
      expect((x["l1_ns"] as number) + (x["l2_ns"] as number)).toBe(v.l1_ns + v.l2_ns);
      expect(x["l2_ns"] as number).toBeLessThan(v.l2_ns);
      expect([x["l0_ns"], x["preempted_ns"], x["waiting_ns"]]).toEqual([v.l0_ns, v.preempted_ns, v.waiting_ns]);
    }
    // nested guests cannot be told apart without cr3; exit reasons still agree on which VM is nested
    expect(rowsOf(result, "kvm.nested_guests").map((x) => [x["vm"], x["guest"]])).toEqual([[NESTED_PID, "L2"]]);
    expect([...new Set(rowsOf(result, "kvm.nested").map((x) => x["vm"]))]).toEqual([NESTED_PID]);
    expect(result.alerts.filter((a) => a.rule === "kvm.nested_overhead")).toEqual([]);
  }, 120_000);
});
