/**
 * Kvm-like scripts for the UST replay program (`test/live/ust/vkvm-replay.c`): per simulated
 * CPU a vCPU thread that exits and re-enters every millisecond, preemption episodes (switched
 * out while runnable, a kworker runs, switched back), and EPT-violation storms with or without
 * re-entry. The expected alerts of `fixtures/fr.vgl` follow from the episodes, so tests assert
 * what the script implies rather than numbers copied from a run.
 */

export interface Preemption {
  cpu: number;
  /** Start (ms from the start of the replay) and length (ms). */
  atMs: number;
  lengthMs: number;
}

export interface Storm {
  cpu: number;
  atMs: number;
  /** Exits with reason 48, 100 µs apart. */
  exits: number;
  /** True: no entry until `resumeAfterMs` after the storm (a stall). */
  stall: boolean;
  resumeAfterMs: number;
}

export interface VcpuThread {
  cpu: number;
  tid: number;
  pid: number;
  vcpu: number;
  comm: string;
}

export interface Scenario {
  threads: VcpuThread[];
  preemptions: Preemption[];
  storms: Storm[];
  /** Length of the replay (ms); the vCPUs keep exiting and entering until then. */
  durationMs: number;
}

const EXIT_EVERY_US = 1000;
const ENTRY_AFTER_US = 20;

/** The script text: `AT_US CPU KIND ARGS` lines, sorted per CPU. */
export function scenarioScript(s: Scenario): string {
  const lines: Array<[number, number, string]> = [];
  const add = (us: number, cpu: number, rest: string) => lines.push([Math.round(us), cpu, rest]);
  for (const t of s.threads) {
    add(0, t.cpu, `P ${t.tid} ${t.pid} 1 ${t.comm}`);
    add(1, t.cpu, `S swapper/${t.cpu} 0 0 ${t.comm} ${t.tid}`);
    add(2, t.cpu, `E ${t.vcpu}`);
    // Busy spans (preempted, storming) of this CPU: no regular exits inside them.
    const busy: Array<[number, number]> = [
      ...s.preemptions.filter((p) => p.cpu === t.cpu).map((p): [number, number] => [p.atMs * 1000 - 50, (p.atMs + p.lengthMs) * 1000 + 200]),
      ...s.storms.filter((x) => x.cpu === t.cpu).map((x): [number, number] => [x.atMs * 1000 - 50, x.atMs * 1000 + x.exits * 100 + x.resumeAfterMs * 1000 + 200]),
    ];
    for (let us = EXIT_EVERY_US; us < s.durationMs * 1000; us += EXIT_EVERY_US) {
      if (busy.some(([a, b]) => us >= a && us <= b)) continue;
      add(us, t.cpu, `X 1 0x${(0x1000 + (us % 4096)).toString(16)}`);
      add(us + ENTRY_AFTER_US, t.cpu, `E ${t.vcpu}`);
    }
    for (const p of s.preemptions.filter((x) => x.cpu === t.cpu)) {
      const at = p.atMs * 1000;
      const kworker = 50 + t.cpu;
      add(at, t.cpu, `X 1 0x2000`);
      add(at + 10, t.cpu, `S ${t.comm} ${t.tid} 0 kworker/${t.cpu} ${kworker}`);
      add(at + p.lengthMs * 1000, t.cpu, `S kworker/${t.cpu} ${kworker} 1 ${t.comm} ${t.tid}`);
      add(at + p.lengthMs * 1000 + 10, t.cpu, `E ${t.vcpu}`);
    }
    for (const x of s.storms.filter((y) => y.cpu === t.cpu)) {
      const at = x.atMs * 1000;
      for (let i = 0; i < x.exits; i++) {
        add(at + i * 100, t.cpu, `X 48 0x${(0x4000 + i).toString(16)}`);
        if (!x.stall) add(at + i * 100 + 20, t.cpu, `E ${t.vcpu}`);
      }
      if (x.stall) add(at + x.exits * 100 + x.resumeAfterMs * 1000, t.cpu, `E ${t.vcpu}`);
    }
  }
  lines.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  return lines.map(([us, cpu, rest]) => `${us} ${cpu} ${rest}`).join("\n") + "\n";
}

/** Alerts `fr.vgl` must raise for this scenario, in time order: [rule, vm or tid, at ms]. */
export function expectedAlerts(s: Scenario): Array<{ rule: string; vm: number; tid: number; atMs: number }> {
  const out: Array<{ rule: string; vm: number; tid: number; atMs: number }> = [];
  const thread = (cpu: number) => s.threads.find((t) => t.cpu === cpu)!;
  for (const p of s.preemptions) if (p.lengthMs > 10) out.push({ rule: "fr.long_preemption", vm: thread(p.cpu).pid, tid: thread(p.cpu).tid, atMs: p.atMs + 10 });
  for (const x of s.storms) if (x.stall && x.exits >= 20 && x.resumeAfterMs > 5) out.push({ rule: "fr.ept_stall", vm: thread(x.cpu).pid, tid: thread(x.cpu).tid, atMs: x.atMs + 1.9 + 5 });
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** Which alerts of `expected` a policy `at most every windowMs per vm` lets through, per rule. */
export function allowedByPolicy(expected: Array<{ rule: string; vm: number; atMs: number }>, rule: string, windowMs: number): Array<{ vm: number; atMs: number }> {
  const last = new Map<number, number>();
  const out: Array<{ vm: number; atMs: number }> = [];
  for (const a of expected) {
    if (a.rule !== rule) continue;
    const l = last.get(a.vm);
    if (l !== undefined && a.atMs - l < windowMs) continue;
    last.set(a.vm, a.atMs);
    out.push({ vm: a.vm, atMs: a.atMs });
  }
  return out;
}

/**
 * The scenario of the flight-recorder test: two CPUs, two VMs, 3 s. Preemptions of one VM are
 * either 300 ms apart (within a 1 s policy window even if a busy machine stretches the replay)
 * or 1.3 s apart (outside it).
 */
export function flightRecorderScenario(offsetMs = 0, durationMs = 3000): Scenario {
  const o = offsetMs;
  return {
    threads: [
      { cpu: 0, tid: 1001, pid: 1000, vcpu: 0, comm: "qemu-vm1" },
      { cpu: 1, tid: 2001, pid: 2000, vcpu: 0, comm: "qemu-vm2" },
    ],
    preemptions: [
      { cpu: 0, atMs: o + 300, lengthMs: 30 },
      { cpu: 0, atMs: o + 450, lengthMs: 1 },
      { cpu: 0, atMs: o + 600, lengthMs: 30 },
      { cpu: 0, atMs: o + 1200, lengthMs: 1 },
      { cpu: 0, atMs: o + 1900, lengthMs: 30 },
      { cpu: 1, atMs: o + 400, lengthMs: 30 },
      { cpu: 1, atMs: o + 550, lengthMs: 1 },
      { cpu: 1, atMs: o + 700, lengthMs: 30 },
    ],
    storms: [
      { cpu: 0, atMs: o + 2200, exits: 20, stall: true, resumeAfterMs: 8 },
      { cpu: 1, atMs: o + 2300, exits: 30, stall: false, resumeAfterMs: 0 },
    ],
    durationMs: o + durationMs,
  };
}
