/**
 * The guest-cr3 rules (rules/kvm/cr3-*.vgl) on small hand-made event lists, every number worked
 * out in the comments: address spaces as exact 64-bit values (in memory and through both
 * readers), ASID masking, guest kernel vs user mode, both event spellings, L1 / L2 / L1
 * hypervisor work by cr3 where exit reasons alone go wrong, two nested guests told apart, wake
 * reasons, kvm.nested_overhead, and what the views say when a VM's trace lacks guest cr3.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReadersMap } from "../../../engine/readers/index.js";
import { ev, type EventSpec } from "../../helpers/run-rules.js";
import { REPO } from "../../helpers/shared.js";
import { rowsOf, runPackOnEvents, runPackOnTraces } from "./helpers/run-pack.js";

const VM = 100;
const T0 = 101; // vCPU 0
const T1 = 102; // vCPU 1
const ctx = (tid: number, pid = VM, cpu = 0) => ({ tid, pid, cpu });
const exit = (ts: number, reason: number, tid = T0) => ev(ts, "kvm_x86_exit", { exit_reason: reason, isa: 1, vcpu_id: tid === T0 ? 0 : 1 }, ctx(tid));
const entry = (ts: number, tid = T0) => ev(ts, "kvm_x86_entry", { vcpu_id: 0 }, ctx(tid));
const cr3 = (ts: number, value: bigint, sp: bigint, tid = T0, name = "addons_vcpu_enter_guest") =>
  ev(ts, name, { vcpuID: tid === T0 ? 0 : 1, cr3tmp: norm(value), sptmp: norm(sp), iptmp: 0xffffffff81000000n }, ctx(tid));
const inj = (ts: number, irq: number, tid = T0) => ev(ts, "kvm_x86_inj_virq", { irq }, ctx(tid));
const sw = (ts: number, prev: number, state: number, next: number) =>
  ev(ts, "sched_switch", { prev_comm: "x", prev_tid: prev, prev_prio: 20, prev_state: state, next_comm: "y", next_tid: next, next_prio: 20 }, { tid: prev, cpu: 0 });
const waking = (ts: number, tid: number, by: number, byPid = by) => ev(ts, "sched_waking", { comm: "CPU 0/KVM", tid, prio: 20, target_cpu: 0 }, { tid: by, pid: byPid, cpu: 1 });
/** As the readers give 64-bit values: numbers when a double holds them exactly, else bigint. */
const norm = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

const USER_SP = 0x7ffc_1234_5670n;
const KERNEL_SP = 0xffff_c900_0001_3f00n; // ≥ 2^63
// Two address spaces no double tells apart (both round to 2^63), each seen with two ASIDs
const A = (1n << 63n) + 0x1000n;
const B = (1n << 63n) + 0x2000n;

/** A plain vCPU: A in user then kernel mode, B in user mode, a halt woken by the timer, B in kernel mode (sp written as a signed -8). */
function plainEvents(name = "addons_vcpu_enter_guest"): EventSpec[] {
  return [
    cr3(0, A | 1n, USER_SP, T0, name), entry(10), exit(100, 10), // A user 10–100; host 100–115
    cr3(110, A | 2n, KERNEL_SP, T0, name), entry(115), exit(200, 10), // A kernel 115–200; host 200–220
    cr3(210, B | 1n, USER_SP, T0, name), entry(220), exit(300, 12), // B user 220–300; host 300–310
    sw(310, T0, 1, 0), waking(400, T0, 0), sw(500, 0, 0, T0), // B waiting 310–500; host 500–510
    cr3(505, B | 3n, -8n, T0, name), inj(508, 0xec), entry(510), exit(600, 10), // B kernel 510–600; host 600–700
    ev(700, "tick"),
  ];
}
const plainRows = [
  { vm: VM, guest: "L1", cr3: "0x8000000000001000", vcpu_time_ns: 175, hypervisor_ns: 35, preempted_ns: 0, exits: 2, first_seen: 10, last_seen: 200, user_ns: 90, kernel_ns: 85, waiting_ns: 0 },
  { vm: VM, guest: "L1", cr3: "0x8000000000002000", vcpu_time_ns: 170, hypervisor_ns: 120, preempted_ns: 0, exits: 2, first_seen: 220, last_seen: 600, user_ns: 80, kernel_ns: 90, waiting_ns: 190 },
];

describe("address spaces", () => {
  it("cr3 values stay exact 64-bit integers, ASID bits masked; sptmp tells guest kernel from user mode", async () => {
    const r = await runPackOnEvents(plainEvents());
    expect(rowsOf(r, "kvm.guest_processes")).toEqual(plainRows);
    expect(rowsOf(r, "kvm.guest_process_exits").map((x) => [x["cr3"], x["reason"], x["exits"], x["hypervisor_ns"]]))
      .toEqual([["0x8000000000001000", "CPUID", 2, 35], ["0x8000000000002000", "CPUID", 1, 100], ["0x8000000000002000", "HLT", 1, 20]]);
    expect(rowsOf(r, "kvm.vcpu_waits")).toEqual([{ vm: VM, vcpu: 0, reason: "timer", waits: 1, total_ns: 190, max_ns: 190, avg_ns: 190 }]);
    expect(rowsOf(r, "kvm.guest_process_waits")).toEqual([{ vm: VM, guest: "L1", cr3: "0x8000000000002000", reason: "timer", waits: 1, total_ns: 190 }]);
  });

  it("the other spelling, vcpu_enter_guest, gives the same view; --set kvm.cr3_mask=-1 keeps every raw value", async () => {
    expect(rowsOf(await runPackOnEvents(plainEvents("vcpu_enter_guest")), "kvm.guest_processes")).toEqual(plainRows);
    const raw = await runPackOnEvents(plainEvents(), { set: { cr3_mask: "-1" } });
    expect(rowsOf(raw, "kvm.guest_processes").map((x) => [x["cr3"], x["vcpu_time_ns"]]))
      .toEqual([["0x8000000000001001", 90], ["0x8000000000002003", 90], ["0x8000000000001002", 85], ["0x8000000000002001", 80]]);
  });

  it("--map kvm.cr3_names:VM:CR3=NAME labels an address space, CR3 in hex as printed; another VM's same cr3 keeps its hex", async () => {
    const other = plainEvents().map((e) => (e.name === "tick" ? e : { ...e, ts: e.ts + 1000, tid: 201, pid: 200, ...(e.name === "sched_switch" ? { fields: { ...e.fields, prev_tid: e.fields!["prev_tid"] === T0 ? 201 : 0, next_tid: e.fields!["next_tid"] === T0 ? 201 : 0 }, tid: e.fields!["prev_tid"] === T0 ? 201 : 0 } : {}) }));
    const r = await runPackOnEvents([...plainEvents().filter((e) => e.name !== "tick"), ...other], { maps: [{ map: "kvm.cr3_names", key: `${VM}:0x8000000000001000`, value: "nginx" }, { map: "kvm.cr3_names", key: `${VM}:0x8000000000002000`, value: "cron" }] });
    expect(rowsOf(r, "kvm.guest_processes").map((x) => [x["vm"], x["cr3"]])).toEqual([[VM, "nginx"], [VM, "cron"], [200, "0x8000000000001000"], [200, "0x8000000000002000"]]);
  });

  it("through the JSON Lines reader and through CTF (babeltrace2's writer, Vigil's reader) the values stay exact", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-cr3-exact-"));
    try {
      const lines = plainEvents().filter((e) => e.name !== "tick").map((e) => {
        const c = e as EventSpec & { tid: number; pid?: number; cpu?: number };
        // 64-bit values as bare JSON integers; the signed -8 as the unsigned u64 LTTng writes
        const u64 = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : typeof v === "number" && v < 0 ? String((1n << 64n) + BigInt(v)) : String(v));
        const fields = Object.entries(e.fields ?? {}).map(([k, v]) => `${JSON.stringify(k)}:${u64(v)}`).join(",");
        return `{"ts":${e.ts},"name":"${e.name}","cpu":${c.cpu ?? 0},"fields":{${fields}},"context":{"tid":${c.tid},"pid":${c.pid ?? 0},"procname":"CPU 0/KVM"}}`;
      });
      writeFileSync(join(dir, "t.jsonl"), lines.join("\n") + "\n");
      const routes = [join(dir, "t.jsonl")];
      if ("ctf" in ReadersMap && existsSync("/usr/bin/python3")) {
        execFileSync("/usr/bin/python3", [join(REPO, "test", "scenario", "jsonl-to-ctf.py"), join(dir, "t.jsonl"), join(dir, "ctf")], { stdio: ["ignore", "ignore", "pipe"] });
        routes.push(join(dir, "ctf"));
      }
      for (const path of routes) {
        const { result, issues } = await runPackOnTraces([path], { history: false });
        expect(issues).toEqual([]);
        // the trace ends at B's exit (600): B's last host stretch has no length
        expect([path, rowsOf(result, "kvm.guest_processes").map((x) => [x["cr3"], x["vcpu_time_ns"], x["user_ns"], x["kernel_ns"], x["exits"]])])
          .toEqual([path, [["0x8000000000001000", 175, 90, 85, 2], ["0x8000000000002000", 170, 80, 90, 1]]]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// L1 addresses: the agent P, two VMMs V and W; L2: X1, X2 (V's guest), Y1 (W's guest)
const P = 0x1_0001_0000n, V = 0x1_0002_0000n, W = 0x1_0003_0000n, X1 = 0x1_0004_0000n, X2 = 0x1_0004_1000n, Y1 = 0x1_0005_0000n;
const K = KERNEL_SP, U = USER_SP;
/** Guest intervals x10–x00 (90 ns), host x00–x10 (10 ns): `[address space, sp, exit reason, injected vector?]` per 100 ns. */
function nestedEvents(withCr3: boolean): EventSpec[] {
  const steps: Array<[bigint, bigint, number, number?]> = [
    [P, U, 18], //        0: VMCALL is no evidence
    [V, K, 23], //      100: VMREAD, the first evidence: counted from here (this interval is not)
    [V, K, 24], //      200: V not known yet: L1; VMRESUME makes V a VMM
    [X1, U, 48], //     300: L2 of V (after VMRESUME)
    [X2, U, 48], //     400: cr3 X2 is not V: L0 handled the EPT violation, L2 again (exit reasons say L1)
    [V, K, 23], //      500: V's cr3 after an L2 exit: reflected, L1 hypervisor work for V
    [V, K, 24], //      600: L1 hypervisor work
    [X1, K, 1], //      700: L2 of V, kernel mode
    [V, K, 32, 0xec], // 800: reflected with L1's timer: L1 hypervisor work
    [W, K, 20], //      900: W not known yet: L1; VMLAUNCH makes W a VMM
    [Y1, U, 10], //    1000: L2 of W
    [W, K, 24], //     1100: L1 hypervisor work for W
    [Y1, U, 12], //    1200: L2 of W
    [W, K, 32], //     1300: L1 hypervisor work for W
    [P, U, 10], //     1400: the agent again: L1
  ];
  const out: EventSpec[] = [];
  steps.forEach(([space, sp, reason, vec], i) => {
    const t = 100 * i;
    if (withCr3) out.push(cr3(t + 4, space | 3n, sp));
    if (vec !== undefined) out.push(inj(t + 6, vec));
    out.push(entry(t + 10), exit(t + 100, reason));
  });
  return [...out, ev(1600, "tick")];
}
const names = [[P, "agent"], [V, "qemu-v"], [W, "qemu-w"], [X1, "x1"], [X2, "x2"], [Y1, "y1"]].map(([c, n]) => ({ map: "kvm.cr3_names", key: `${VM}:0x${(c as bigint).toString(16)}`, value: n as string }));

describe("nested guests from cr3", () => {
  it("L2 after VMLAUNCH/VMRESUME, L2 again when L0 alone resumes it, L1 hypervisor work in a VMM's address space; two nested guests apart", async () => {
    const r = await runPackOnEvents(nestedEvents(true), { maps: names });
    // from the exit at 200 on: L1 210, 910, 1410 (and hypervisor work 510, 610, 810, 1110, 1310: l1_ns 8 × 90);
    // L2 310, 410, 710, 1010, 1210; host: 13 gaps of 10 from 200 to 1410, and 1500–1600
    expect(rowsOf(r, "kvm.nested_levels")).toEqual([{ vm: VM, vcpu: 0, tid: T0, levels_from: "cr3", l1_ns: 720, l1_hypervisor_ns: 450, l2_ns: 450, l0_ns: 230, preempted_ns: 0, waiting_ns: 0, l2_entries: 5, cr3_entries: 13 }]);
    expect(rowsOf(r, "kvm.nested_time")).toEqual([{ tid: T0, vm: VM, vcpu: 0, l1_ns: 720, l2_ns: 450, l2_entries: 5 }]);
    expect(rowsOf(r, "kvm.nested_guests")).toEqual([
      { vm: VM, guest: "qemu-v", l2_ns: 270, l1_hypervisor_ns: 270, l0_ns: 60, preempted_ns: 0, waiting_ns: 0, l2_entries: 3, l2_exits: 3, hypervisor_exits: 3 },
      { vm: VM, guest: "qemu-w", l2_ns: 180, l1_hypervisor_ns: 180, l0_ns: 40, preempted_ns: 0, waiting_ns: 0, l2_entries: 2, l2_exits: 2, hypervisor_exits: 2 },
    ]);
    expect(rowsOf(r, "kvm.guest_processes").map((x) => [x["guest"], x["cr3"], x["vcpu_time_ns"], x["user_ns"], x["kernel_ns"]])).toEqual([
      ["L1", "qemu-v", 450, 0, 450], ["L1", "qemu-w", 270, 0, 270], ["L1", "agent", 180, 180, 0],
      ["qemu-v", "x1", 180, 90, 90], ["qemu-v", "x2", 90, 90, 0], ["qemu-w", "y1", 180, 180, 0],
    ]);
    expect(r.states["kvm.nested_vmm"]!.map((i) => i.fields["cr3"])).toEqual([Number(V), Number(W)]);
  });

  it("without cr3 the same trace falls back to exit reasons: the L2 stint L0 resumed alone counts as L1, nested guests are not told apart", async () => {
    const r = await runPackOnEvents(nestedEvents(false), { maps: names });
    // L2 only after VMRESUME/VMLAUNCH (310, 710, 1010, 1210) or a host interrupt with nothing injected (none here);
    // hypervisor work: L1 intervals after an L2 exit or a VMX-instruction exit (210, 410, 510, 610, 1110, 1310)
    expect(rowsOf(r, "kvm.nested_levels")).toEqual([{ vm: VM, vcpu: 0, tid: T0, levels_from: "exit reasons", l1_ns: 810, l1_hypervisor_ns: 540, l2_ns: 360, l0_ns: 230, preempted_ns: 0, waiting_ns: 0, l2_entries: 4, cr3_entries: 0 }]);
    expect(rowsOf(r, "kvm.nested_guests").map((x) => [x["guest"], x["l2_ns"], x["l2_entries"]])).toEqual([["L2", 360, 4]]);
    expect(rowsOf(r, "kvm.guest_processes").map((x) => [x["guest"], x["cr3"], x["vcpu_time_ns"], x["user_ns"], x["kernel_ns"]]))
      .toEqual([["L1", "(trace lacks guest cr3)", 15 * 90 - 360, 0, 0], ["L2", "(trace lacks guest cr3)", 360, 0, 0]]);
  });

  it("kvm.nested_overhead: a window where L1 works for a nested guest more than half its L2 time, judged at its first exit in the next window", async () => {
    // cycles of 110 ns: V 60 (then VMRESUME), host 10, X1 30 (then an EPT exit reflected), host 10: V's share 2:1
    const events: EventSpec[] = [cr3(0, V, K), entry(1), exit(50, 23)]; // first evidence
    for (let t = 100; t < 3000; t += 110) {
      events.push(cr3(t - 5, V, K), entry(t), exit(t + 60, 24), cr3(t + 65, X1, U), entry(t + 70), exit(t + 100, 48));
    }
    const r = await runPackOnEvents(events, { set: { nested_overhead_window: "1000ns" } });
    const alerts = r.alerts.filter((a) => a.rule === "kvm.nested_overhead");
    // the last cycle (t = 2960) ends in window 3000: windows 0, 1000 and 2000 are judged, 3000 never is
    expect(alerts.map((a) => [a.fields["last_window"], a.severity])).toEqual([[0, "warning"], [1000, "warning"], [2000, "warning"]]);
    // window 0: the cycles t = 100 … 870 end in it; V's first interval (100–160) is plain L1 (V is a VMM
    // from its VMRESUME at 160 on): hypervisor work 7 × 60, L2 8 × 30
    const w0 = alerts[0]!.fields;
    expect([w0["last_hypervisor_ns"], w0["last_l2_ns"], alerts[0]!.ts]).toEqual([7 * 60, 8 * 30, 1040]);
    expect(alerts[0]!.message).toMatch(/^L1 hypervisor work for nested guest L2 0x100020000 of VM 100: 420ns, 175% of its L2 time \(240ns\)/);
    // a share of 3 is not exceeded
    const calm = await runPackOnEvents(events, { set: { nested_overhead_window: "1000ns", nested_overhead_share: "3" } });
    expect(calm.alerts.filter((a) => a.rule === "kvm.nested_overhead")).toEqual([]);
  });
});

describe("wait reasons", () => {
  const IO = 103; // qemu's I/O thread
  const VH = 300; // vhost-net, its own process
  /** A halt (exit 12), switched out S (or D), woken by `by`, switched in, `vec` injected, entry. */
  const wait = (t: number, by: number, byPid: number, vec: number | null, d = false): EventSpec[] => [
    exit(t, 12), sw(t + 10, T0, d ? 2 : 1, 0), waking(t + 50, T0, by, byPid), sw(t + 100, 0, 0, T0),
    cr3(t + 105, A, K), ...(vec === null ? [] : [inj(t + 106, vec)]), entry(t + 110),
  ];
  it("timer, another vCPU, disk (the VM's I/O thread), network (vhost), other devices, host (D state or nothing injected)", async () => {
    const r = await runPackOnEvents([
      cr3(0, A, K), entry(10),
      ev(20, "block_rq_issue", { dev: 7, sector: 8, nr_sector: 8, bytes: 4096, rwbs: 1 }, ctx(IO)), // IO is the VM's I/O thread
      exit(30, 49), waking(40, VH, T0, VM), cr3(55, A, K), entry(60), // a virtio kick wakes vhost: it serves the VM
      ...wait(1000, 0, 0, 0xec), // timer
      ...wait(2000, T1, VM, 0xfd), // a reschedule IPI from vCPU 1
      ...wait(3000, IO, VM, 37), // disk completion
      ...wait(4000, VH, VH, 38), // packet
      ...wait(5000, 555, 555, 40), // some other device
      ...wait(6000, 0, 0, 0xec, true), // a page-in (D): the host's wait, whatever is injected after
      ...wait(7000, 0, 0, null), // nothing injected
      exit(8000, 10), ev(8100, "tick"),
    ]);
    // each wait: switched out at +10, in at +100: 90 ns
    expect(rowsOf(r, "kvm.vcpu_waits").map((x) => [x["reason"], x["waits"], x["total_ns"]]))
      .toEqual([["host", 2, 180], ["device", 1, 90], ["disk", 1, 90], ["network", 1, 90], ["timer", 1, 90], ["vcpu", 1, 90]]);
    expect(rowsOf(r, "kvm.guest_process_waits").map((x) => [x["cr3"], x["reason"], x["waits"]]).length).toBe(6);
    // --map kvm.vector_class overrides a vector's class
    const mapped = await runPackOnEvents([cr3(0, A, K), entry(10), ...wait(100, 555, 555, 40), exit(500, 10)], { maps: [{ map: "kvm.vector_class", key: "40", value: "disk" }] });
    expect(rowsOf(mapped, "kvm.vcpu_waits").map((x) => x["reason"])).toEqual(["disk"]);
  });
});

describe("traces without guest cr3", () => {
  it("a VM without cr3 events is labelled so, next to one with them; an entry whose addon came before the last exit gets no cr3", async () => {
    const T9 = 201;
    const r = await runPackOnEvents([
      cr3(0, A, U), entry(10), exit(100, 10),
      entry(110), exit(200, 10), // no addon since the exit at 100: no address space for 110–200
      ev(210, "kvm_x86_entry", { vcpu_id: 0 }, ctx(T9, 200)), ev(300, "kvm_x86_exit", { exit_reason: 10, isa: 1, vcpu_id: 0 }, ctx(T9, 200)),
      ev(400, "tick"),
    ]);
    expect(rowsOf(r, "kvm.guest_processes").map((x) => [x["vm"], x["cr3"], x["vcpu_time_ns"], x["hypervisor_ns"]]))
      .toEqual([[VM, "0x8000000000001000", 90, 10], [200, "(trace lacks guest cr3)", 90, 100]]);
  });
});
