/**
 * The xen pack over a small xentrace file written here record by record with the documented
 * layout (test/engine/readers/xentrace/make-xentrace.ts), read at 1 GHz so a cycle is a ns.
 * Every number below is worked out by hand from the timeline; the trace ends at t = 2000.
 *
 *   t     pCPU 0                                    pCPU 1
 *   0     d1v0 runnable→running                     50  d32767v1 continue_running
 *   100   vmexit HLT (12)
 *   150   d1v0 running→blocked
 *   160   d32767v0 runnable→running                 400 d1v0 blocked→runnable (wake)
 *   500   d32767v0 running→runnable
 *   510   d1v0 runnable→running (waited 110 behind the idle vCPU)
 *   520   inj_virq 0xec (LAPIC timer)
 *   530   vmentry
 *   700   vmexit EXTERNAL_INTERRUPT (1)
 *   720   vmentry
 *   800   d1v0 continue_running (a new running slice)
 *   900   vmexit IO_INSTRUCTION (30)
 *   950   d1v0 running→runnable (preempted)
 *   960   d2v0 runnable→running
 *   1200  d2v0 running→offline
 *   1210  d1v0 runnable→running (waited 260 behind d2v0)
 *   1300  vmentry
 *   1500  vmexit HLT, still open at the end        2000 d32767v1 continue_running
 */
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { formatXenmon } from "../../../engine/output/xenmon-formatter.js";
import { formatTable } from "../../../engine/output/table-formatter.js";
import { concat, cpuWindow, record, tempDir, words64, writeTrace } from "../../engine/readers/xentrace/make-xentrace.js";
import { runXenalyze } from "../../engine/readers/xentrace/xenalyze.js";
import { rowsOf, runXenPack } from "./run-pack.js";
import { parseVcpuSummaries, XENALYZE_VMX_REASON } from "./xenalyze-summary.js";
import { key, xenalyzeView } from "./xenalyze-view.js";

const T0 = 1_000_000n;
const GHZ = 1_000_000_000;
const dv = (dom: number, vcpu: number) => ((dom << 16) | vcpu) >>> 0;
/** TRC_SCHED_RUNSTATE_CHANGE: 0x21001 | old << 8 | new << 4 (0 running, 1 runnable, 2 blocked, 3 offline). */
const rs = (t: number, dom: number, vcpu: number, from: number, to: number) =>
  record({ id: 0x21001 | (from << 8) | (to << 4), tsc: T0 + BigInt(t), data: [dv(dom, vcpu)] });
const cont = (t: number, dom: number, vcpu: number) => record({ id: 0x21002, tsc: T0 + BigInt(t), data: [dv(dom, vcpu)] });
const vmexit = (t: number, reason: number) => record({ id: 0x81002, tsc: T0 + BigInt(t), data: [reason, 0x401000] });
const vmentry = (t: number) => record({ id: 0x81001, tsc: T0 + BigInt(t) });
const injVirq = (t: number, vector: number) => record({ id: 0x82004, tsc: T0 + BigInt(t), data: [vector, 0] });

const cpu0 = [
  rs(0, 1, 0, 1, 0), vmexit(100, 12), rs(150, 1, 0, 0, 2), rs(160, 32767, 0, 1, 0), rs(500, 32767, 0, 0, 1),
  rs(510, 1, 0, 1, 0), injVirq(520, 0xec), vmentry(530), vmexit(700, 1), vmentry(720), cont(800, 1, 0),
  vmexit(900, 30), rs(950, 1, 0, 0, 1), rs(960, 2, 0, 1, 0), rs(1200, 2, 0, 0, 3), rs(1210, 1, 0, 1, 0),
  vmentry(1300), vmexit(1500, 12),
];
const cpu1 = [cont(50, 32767, 1), rs(400, 1, 0, 2, 1), cont(2000, 32767, 1)];
const bytes = concat([cpuWindow(0, cpu0), cpuWindow(1, cpu1)]);
const dir = await tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));
const path = await writeTrace(dir, "hand.xentrace", bytes);
const { result, issues } = await runXenPack(path, { cpuHz: GHZ, set: { WINDOW: "1000ns", LONG_WAIT: "200ns" } });
const at = (t: number) => Number(T0) + t;
/** The columns asked for; floats rounded to 1e-9 (percentages are sums of float quotients). */
const pick = (rows: Array<Record<string, unknown>>, cols: string[]) =>
  rows.map((r) => cols.map((c) => (typeof r[c] === "number" ? Math.round((r[c] as number) * 1e9) / 1e9 : r[c])));

describe("xen pack on a hand-built xentrace file", () => {
  it("reads the file cleanly", () => {
    expect(issues).toEqual([]);
    expect([result.first, result.last]).toEqual([at(0), at(2000)]);
  });

  it("pins every runstate transition of d1v0, continue_running slices included", () => {
    const d1v0 = (result.states["xen.runstate"] ?? []).filter((i) => i.key === "1:0").map((i) => [i.state, i.start - at(0), i.end - at(0), i.fields["cause"], i.fields["on_cpu"]]);
    expect(d1v0).toEqual([
      ["running", 0, 150, "", 0], ["blocked", 150, 400, "", 0], ["runnable", 400, 510, "wake", 0],
      ["running", 510, 800, "", 0], ["running", 800, 950, "", 0], ["runnable", 950, 1210, "preempt", 0],
      ["running", 1210, 2000, "", 0],
    ]);
    // the idle vCPU of pCPU 1 starts with a continue_running; the one at t = 2000 opens a 0 ns slice
    expect((result.states["xen.runstate"] ?? []).filter((i) => i.key === "32767:1").map((i) => [i.state, i.start - at(0), i.end - at(0)])).toEqual([["running", 50, 2000]]);
  });

  it("tabulates runstates and the runnable split", () => {
    const cols = ["domain", "vcpu", "state", "count", "total_ns", "avg_ns", "p50_ns"];
    expect(pick(rowsOf(result, "xen.runstates"), cols)).toEqual([
      [1, 0, "blocked", 1, 250, 250, 250], [1, 0, "runnable", 2, 370, 185, 110], [1, 0, "running", 4, 1380, 345, 150],
      [2, 0, "offline", 1, 800, 800, 800], [2, 0, "running", 1, 240, 240, 240],
      [32767, 0, "runnable", 1, 1500, 1500, 1500], [32767, 0, "running", 1, 340, 340, 340],
      [32767, 1, "running", 1, 1950, 1950, 1950],
    ]);
    expect(pick(rowsOf(result, "xen.runnable"), ["domain", "vcpu", "cause", "count", "total_ns"])).toEqual([
      [1, 0, "preempt", 1, 260], [1, 0, "wake", 1, 110], [32767, 0, "preempt", 1, 1500],
    ]);
  });

  it("times HVM exits until the VM entry or the wake-up, and names them by record type", () => {
    expect(pick(rowsOf(result, "xen.exits"), ["domain", "vcpu", "reason", "reason_name", "count", "total_ns", "max_ns"])).toEqual([
      [1, 0, 1, "EXTERNAL_INTERRUPT", 1, 20, 20],
      [1, 0, 12, "HLT", 2, 800, 500], // 100→400 (closed by the wake), 1500→2000 (open at the end)
      [1, 0, 30, "IO_INSTRUCTION", 1, 50, 50], // closed by the preemption at 950
    ]);
    expect(pick(rowsOf(result, "xen.injections"), ["domain", "vcpu", "vector", "count"])).toEqual([[1, 0, 0xec, 1]]);
  });

  it("says who ran instead of a waiting vCPU, and alerts on a long wait", () => {
    expect(pick(rowsOf(result, "xen.waits"), ["domain", "vcpu", "by_domain", "count", "total_ns"])).toEqual([
      [1, 0, 2, 1, 260], [1, 0, 32767, 1, 110],
    ]);
    // the idle domain's vCPU 0, runnable from 500 on, is left out by design
    expect(result.alerts.map((a) => [a.rule, a.ts - at(0), a.message])).toEqual([
      ["xen.long_wait", 1150, "d1v0 runnable for more than 200ns without a pCPU (it was running)"],
    ]);
  });

  it("gives the XenMon percentages over the trace, per domain and pCPU, exactly", () => {
    const cols = ["domain", "pcpu", "cpu_pct", "blocked_pct", "waited_pct", "executions", "avg_exec_ns"];
    expect(pick(rowsOf(result, "xen.xenmon"), cols)).toEqual([
      [1, 0, 69, 12.5, 18.5, 4, 345],
      [2, 0, 12, 0, 0, 1, 240],
      [32767, 0, 17, 0, 75, 1, 340],
      [32767, 1, 97.5, 0, 0, 1, 1950],
    ]);
    expect(pick(rowsOf(result, "xen.xenmon_cpus"), ["pcpu", "cpu_pct", "blocked_pct", "waited_pct", "executions"])).toEqual([
      [0, 98, 12.5, 93.5, 6], [1, 97.5, 0, 0, 1],
    ]);
    expect(pick(rowsOf(result, "xen.xenmon_domains"), ["domain", "cpu_pct", "executions"])).toEqual([[1, 69, 4], [2, 12, 1], [32767, 114.5, 2]]);
  });

  it("prints them in XenMon's === CPU === layout", () => {
    expect(formatXenmon(result, { select: { tables: ["xen.xenmon"] } })).toBe(`Vigil cross-tabs: trace 0.001000000 .. 0.001002000 s (2000 ns)

=== xen.xenmon ===
  domain                  0     1  total
  1       cpu_pct      69.0   0.0   69.0
          blocked_pct  12.5   0.0   12.5
          waited_pct   18.5   0.0   18.5
          executions      4     0      4
          avg_exec_ns   345     -      -
  2       cpu_pct      12.0   0.0   12.0
          blocked_pct   0.0   0.0    0.0
          waited_pct    0.0   0.0    0.0
          executions      1     0      1
          avg_exec_ns   240     -      -
  32767   cpu_pct      17.0  97.5  114.5
          blocked_pct   0.0   0.0    0.0
          waited_pct   75.0   0.0   75.0
          executions      1     1      2
          avg_exec_ns   340  1950      -
  total   cpu_pct      98.0  97.5  195.5
          blocked_pct  12.5   0.0   12.5
          waited_pct   93.5   0.0   93.5
          executions      6     1      7
          avg_exec_ns     -     -      -
`);
  });

  it("splits intervals at WINDOW boundaries: each window gets exactly its share", () => {
    const cols = ["window", "domain", "pcpu", "cpu_pct", "blocked_pct", "waited_pct", "executions"];
    // d1v0 (pcpu 0): running 0–150, 510–800, 800–950, 1210–2000; blocked 150–400; runnable
    // 400–510 and 950–1210 (cut at 1000: 50 + 210). d2v0: running 960–1200 (40 + 200).
    // Idle vCPU 0: running 160–500, runnable 500–2000 (500 + 1000); idle vCPU 1 runs 50–2000.
    expect(pick(rowsOf(result, "xen.xenmon_windows"), cols)).toEqual([
      [at(0), 1, 0, 59, 25, 16, 3],
      [at(0), 2, 0, 4, 0, 0, 1],
      [at(0), 32767, 0, 34, 0, 50, 1],
      [at(0), 32767, 1, 95, 0, 0, 1],
      [at(1000), 1, 0, 79, 0, 21, 1],
      [at(1000), 2, 0, 20, 0, 0, 1],
      [at(1000), 32767, 0, 0, 0, 100, 0],
      [at(1000), 32767, 1, 100, 0, 0, 1],
    ]);
  });

  it("fills the shared profile: time shares and rates per vCPU", () => {
    const cols = ["domain", "vcpu", "guest_share", "hypervisor_share", "preempted_share", "waiting_share", "exits_per_s", "timer_inj_per_s", "ipi_inj_per_s", "device_inj_per_s", "upcall_inj_per_s"];
    const d1v0 = pick(rowsOf(result, "xen.profile"), cols).find((r) => r[0] === 1)!;
    // 2000 ns of trace: guest 650, in Xen 730 (four exits), runnable 370, blocked 250; one timer injection
    expect(d1v0).toEqual([1, 0, 32.5, 36.5, 18.5, 12.5, 2_000_000, 500_000, 0, 0, 0]);
  });

  it("splits pCPU time into busy and idle", () => {
    expect(pick(rowsOf(result, "xen.pcpus"), ["pcpu", "state", "count", "total_ns"])).toEqual([
      [0, "busy", 2, 1650], [0, "idle", 1, 350], [1, "idle", 1, 1950],
    ]);
  });

  it("is read the same way by xenalyze, once its end-of-trace convention is applied", async () => {
    const theirs = parseVcpuSummaries(runXenalyze(["--summary", "--cpu-hz=1G", path]));
    const ours = await xenalyzeView(result, path, GHZ);
    const flat = new Map<string, [number, number]>();
    for (const [vcpu, s] of theirs) {
      for (const [state, l] of s.runstates) flat.set(key(vcpu, state), [l.count, l.avgCycles * l.count]);
      for (const [name, l] of s.exits) flat.set(key(vcpu, "exit", XENALYZE_VMX_REASON[name]), [l.count, l.avgCycles * l.count]);
    }
    const mine = new Map<string, [number, number]>([
      ...[...ours.runstates].map(([k, v]): [string, [number, number]] => [k, [v.count, v.total]]),
      ...[...ours.exits].map(([k, v]): [string, [number, number]] => [k.replace(/:(\d+)$/, ":exit:$1"), [v.count, v.total]]),
    ]);
    // d1v0's last slice ends at pCPU 0's last record (1500): 150 + 290 + 150 + 290 = 880
    expect(flat.get("1:0:running")).toEqual([4, 880]);
    expect(mine).toEqual(flat);
    expect(ours.droppedExits).toEqual(["1:0 HLT"]);
  });

  it("counts records lost per pCPU and marks the results uncertain", async () => {
    // the same trace with 5 records lost on pCPU 1 between t = 900 and t = 1000 (TRC_LOST_RECORDS)
    const lost = record({ id: 0x1f001, tsc: T0 + 1000n, data: [5, dv(32767, 1), ...words64(T0 + 900n)] });
    const lossy = await writeTrace(dir, "lossy.xentrace", concat([cpuWindow(0, cpu0), cpuWindow(1, [cpu1[0]!, cpu1[1]!, lost, cpu1[2]!])]));
    const { result: r } = await runXenPack(lossy, { cpuHz: GHZ });
    expect(r.losses.map((l) => [l.cpu, l.count, l.start - at(0), l.end - at(0)])).toEqual([[1, 5, 900, 1000]]);
    expect(r.stats.lost).toBe(5);
    const text = formatXenmon(r, { select: { tables: ["xen.xenmon"] } });
    expect(text).toContain("UNCERTAIN: 5 events lost, 0 late; results covering these CPUs may be incomplete\n  lost on xen-host cpu 1: 5\n");
    expect(text).toContain("  domain                  0    1*  total\n");
    expect(text).toContain("  * records were lost on this CPU: its numbers may be incomplete\n");
    expect(formatTable(r, { select: { tables: ["xen.runstates"] } })).toContain("lost on host xen-host cpu 1: 0.001000900 .. 0.001001000, 5 events");
    // the tables themselves are those of the complete trace: the loss fell where nothing changed
    expect(rowsOf(r, "xen.runstates")).toEqual(rowsOf(result, "xen.runstates"));
  });

  it("names SVM exits from the SVM table (the record type says which)", async () => {
    // d3v0 exits with SVM codes 0x78 (HLT) and 0x72 (CPUID, 64-bit record), then with VMX reason 12
    // (HLT): no real host writes both, but each record type must be named from its own table
    const svm = await writeTrace(dir, "svm.xentrace", cpuWindow(0, [
      rs(0, 3, 0, 1, 0), record({ id: 0x81003, tsc: T0 + 10n, data: [0x78, 0x1000] }), vmentry(30),
      record({ id: 0x81103, tsc: T0 + 40n, data: [0x72, ...words64(0xffffffff81000000n)] }), vmentry(45), vmexit(50, 12), vmentry(60),
    ]));
    const { result: r } = await runXenPack(svm, { cpuHz: GHZ });
    expect(pick(rowsOf(r, "xen.exits"), ["domain", "vcpu", "reason", "reason_name", "count", "total_ns"])).toEqual([
      [3, 0, 12, "HLT", 1, 10], [3, 0, 0x72, "cpuid", 1, 5], [3, 0, 0x78, "hlt", 1, 20],
    ]);
  });
});
