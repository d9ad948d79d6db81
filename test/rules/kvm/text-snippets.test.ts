/**
 * The kvm pack on real text traces (../shared/traces/kvm-text-snippets, SOURCE.txt there),
 * through the ftrace and perf-script readers. Every expected number below was counted by hand
 * from the snippet's lines (line numbers given); neither trace records process ids, so the VM
 * column is -1 throughout.
 */
import { describe, expect, it } from "vitest";
import { sharedPath } from "../../helpers/shared.js";
import { rowsOf, runPackOnTraces } from "./helpers/run-pack.js";

const SNIPPETS = ["traces", "kvm-text-snippets"];

describe("ftrace kvm snippet (LKML 2023, an L1 KVM host, two vCPU threads 8396 and 8397)", () => {
  it("exit table: every exit paired with its thread's next entry; the open LDTR_TR exit is left out", async () => {
    const { result, issues } = await runPackOnTraces([sharedPath(...SNIPPETS, "ftrace-kvm-nested-lkml-2023.txt")]);
    expect(issues).toEqual([]);
    expect(result.stats.events).toBe(53);
    const us = 1000;
    // thread 8397: CR_ACCESS 366→461 (l.1→25), 481→491 (28→30), 536→562 (40→42); CPUID 501→501 (31→33);
    // MSR_READ 509→510 (34→36); MSR_WRITE 517→520 (37→39), 594→595 (45→47); EXTERNAL_INTERRUPT 574→583 (43→44);
    // LDTR_TR at 646 (l.48) never re-entered. Thread 8396: EXTERNAL_INTERRUPT 421→435 (14→20), 448→456 (23→24), 462→462 (26→27).
    expect(rowsOf(result, "kvm.exits").map((r) => [r["reason"], r["count"], r["total_ns"], r["min_ns"], r["max_ns"]])).toEqual([
      ["EXTERNAL_INTERRUPT", 4, 31 * us, 0, 14 * us],
      ["CR_ACCESS", 3, 131 * us, 10 * us, 95 * us],
      ["MSR_WRITE", 2, 4 * us, 1 * us, 3 * us],
      ["CPUID", 1, 0, 0, 0],
      ["MSR_READ", 1, 1 * us, 1 * us, 1 * us],
    ]);
    const pct = rowsOf(result, "kvm.exits").map((r) => r["count_pct"] as number);
    expect(pct.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
    expect(pct[0]).toBeCloseTo((100 * 4) / 11, 9);
    // stddev_pct as perf's util/stat.c: 100 * sqrt(sample variance / n) / mean; 0 for one exit
    // (MSR_READ) and for a zero mean (CPUID, entered in the same microsecond), as perf prints.
    // MSR_WRITE: 1 and 3 us, mean 2, sample variance 2, so 100 * sqrt(2 / 2) / 2 = 50.
    const sd = Object.fromEntries(rowsOf(result, "kvm.exits").map((r) => [r["reason"], r["stddev_pct"]]));
    expect(sd["MSR_WRITE"]).toBeCloseTo(50, 9);
    expect(sd["CPUID"]).toBe(0);
    expect(sd["MSR_READ"]).toBe(0);
  });

  it("vCPU states: vcpu ids from kvm_exit, time in guest and hypervisor from the first kvm event to the last event", async () => {
    const { result } = await runPackOnTraces([sharedPath(...SNIPPETS, "ftrace-kvm-nested-lkml-2023.txt")]);
    const us = 1000;
    // the trace ends at 1404.389664 (l.53); no sched_switch, so no preemption or waiting.
    // 8396: hypervisor 421–435, 448–456, 462–462 (0 long, not recorded); guest 435–448, 456–462, 462–664
    // 8397: hypervisor 366–461, 481–491, 501–501, 509–510, 517–520, 536–562, 574–583, 594–595, 646–664; guest the rest
    expect(rowsOf(result, "kvm.vcpu_time")).toEqual([
      { tid: 8396, vm: -1, vcpu: 0, guest_ns: (13 + 6 + 202) * us, hypervisor_ns: (14 + 8) * us, preempted_ns: 0, waiting_ns: 0, exits: 3, preemptions: 0 },
      { tid: 8397, vm: -1, vcpu: 1, guest_ns: (20 + 10 + 8 + 7 + 16 + 12 + 11 + 51) * us, hypervisor_ns: (95 + 10 + 0 + 1 + 3 + 26 + 9 + 1 + 18) * us, preempted_ns: 0, waiting_ns: 0, exits: 8, preemptions: 0 },
    ]);
    // an L1 host's own trace: its guests execute no VMX instructions here, so no nested evidence
    expect(rowsOf(result, "kvm.nested")).toEqual([]);
  });
});

describe("perf script snippet (kvm interrupt injection, a rust-vmm guest)", () => {
  it("injections and APIC accepts per vector, rates over the trace's span", async () => {
    const { result, issues } = await runPackOnTraces([sharedPath(...SNIPPETS, "perf-script-kvm-irq-injection.txt")]);
    expect(issues).toEqual([]);
    expect(result.stats.events).toBe(36);
    // kvm_inj_virq irq 52 four times (l.9, 10, 18, 19); kvm_apic_accept_irq vec 236 six times
    // (l.1, 2, 11, 20, 21, 36) and vec 33 twice (l.23, 30, raised by kworkers through the IOAPIC)
    const span = 113108.815849 - 108229.766087;
    const inj = rowsOf(result, "kvm.injections");
    expect(inj.map((r) => [r["vm"], r["vector"], r["class"], r["count"]])).toEqual([[-1, 52, "device", 4]]);
    expect(inj[0]!["rate_per_s"]).toBeCloseTo(4 / span, 12);
    const acc = rowsOf(result, "kvm.apic_accepts");
    expect(acc.map((r) => [r["vm"], r["vector"], r["class"], r["count"]])).toEqual([[-1, 236, "timer", 6], [-1, 33, "device", 2]]);
    expect(acc[0]!["rate_per_s"]).toBeCloseTo(6 / span, 12);
    // no VM entry or exit in this snippet: no vCPU is tracked
    expect(rowsOf(result, "kvm.vcpu_time")).toEqual([]);
  });
});
