/**
 * Reads the per-vCPU blocks of `xenalyze --summary` (tools/xentrace/xenalyze.c): runstates
 * with the runnable split, exit reasons and guest interrupt counts. Counts are exact; xenalyze
 * prints times as integer average cycles (`avg`), so `count × avg` is the total to within
 * `count` cycles.
 */

/** One `print_cycle_summary` / `PRINT_SUMMARY` line: how many, and the mean in cycles. */
export interface CycleLine {
  count: number;
  avgCycles: number;
}

export interface VcpuSummary {
  /** running, runnable, blocked, offline */
  runstates: Map<string, CycleLine>;
  /** runnable split: wake, preempt, other */
  runnable: Map<string, CycleLine>;
  /** exit reasons by xenalyze's name */
  exits: Map<string, CycleLine>;
  /** guest interrupt counts by vector */
  interrupts: Map<number, number>;
}

/** `"d:v"` → that vCPU's blocks. */
export function parseVcpuSummaries(text: string): Map<string, VcpuSummary> {
  const out = new Map<string, VcpuSummary>();
  let domain = -1;
  let cur: VcpuSummary | null = null;
  let section: "none" | "runstates" | "exits" | "interrupts" = "none";
  for (const line of text.split("\n")) {
    const dm = /^\|-- Domain (\d+) --\|/.exec(line);
    if (dm !== null) { domain = Number(dm[1]); cur = null; section = "none"; continue; }
    const vm = /^-- v(\d+) --/.exec(line);
    if (vm !== null && domain >= 0) {
      cur = { runstates: new Map(), runnable: new Map(), exits: new Map(), interrupts: new Map() };
      out.set(`${domain}:${Number(vm[1])}`, cur);
      section = "none";
      continue;
    }
    if (cur === null) continue;
    if (line === " Runstates:") { section = "runstates"; continue; }
    if (line === "Exit reasons:") { section = "exits"; continue; }
    if (line === "Guest interrupt counts:") { section = "interrupts"; continue; }
    if (section === "runstates") {
      const m = /^\s+(running|runnable|blocked|offline|wake|preempt|other):\s+(\d+)\s+[\d.]+s\s+(\d+)/.exec(line);
      if (m === null) { section = "none"; continue; }
      const entry = { count: Number(m[2]), avgCycles: Number(m[3]) };
      if (["wake", "preempt", "other"].includes(m[1]!)) cur.runnable.set(m[1]!, entry);
      else cur.runstates.set(m[1]!, entry);
    } else if (section === "exits") {
      // reasons start with one space; handler sub-lines (`   cpuid`, `    [ vcpu_op]`) with more
      const m = /^ (\S+)\s+(\d+)\s+[\d.]+s\s+[\d.]+%\s+(\d+) cyc/.exec(line);
      if (m !== null) cur.exits.set(m[1]!, { count: Number(m[2]), avgCycles: Number(m[3]) });
      else if (!line.startsWith("  ")) section = "none";
    } else if (section === "interrupts") {
      const m = /^\s+\[\s*(\d+)\] (\d+)$/.exec(line);
      if (m !== null) cur.interrupts.set(Number(m[1]), Number(m[2]));
      else if (!line.startsWith("   *")) section = "none";
    }
  }
  return out;
}

/**
 * xenalyze's spellings of the VMX basic exit reasons (Intel SDM Vol. 3 Appendix C numbering);
 * reason 7 is PENDING_INTERRUPT in Xen 4.17's xenalyze and PENDING_VIRT_INTR in later ones.
 */
export const XENALYZE_VMX_REASON: Record<string, number> = {
  EXCEPTION_NMI: 0, EXTERNAL_INTERRUPT: 1, TRIPLE_FAULT: 2, INIT: 3, SIPI: 4, IO_SMI: 5, OTHER_SMI: 6,
  PENDING_INTERRUPT: 7, PENDING_VIRT_INTR: 7, PENDING_VIRT_NMI: 8, TASK_SWITCH: 9, CPUID: 10, GETSEC: 11,
  HLT: 12, INVD: 13, INVLPG: 14, RDPMC: 15, RDTSC: 16, RSM: 17, VMCALL: 18, VMCLEAR: 19, VMLAUNCH: 20,
  VMPTRLD: 21, VMPTRST: 22, VMREAD: 23, VMRESUME: 24, VMWRITE: 25, VMXOFF: 26, VMXON: 27, CR_ACCESS: 28,
  DR_ACCESS: 29, IO_INSTRUCTION: 30, MSR_READ: 31, MSR_WRITE: 32, INVALID_GUEST_STATE: 33, MSR_LOADING: 34,
  MWAIT_INSTRUCTION: 36, MONITOR_TRAP_FLAG: 37, MONITOR_INSTRUCTION: 39, PAUSE_INSTRUCTION: 40,
  MCE_DURING_VMENTRY: 41, TPR_BELOW_THRESHOLD: 43, APIC_ACCESS: 44, ACCESS_GDTR_OR_IDTR: 46,
  ACCESS_LDTR_OR_TR: 47, EPT_VIOLATION: 48, EPT_MISCONFIG: 49, INVEPT: 50, RDTSCP: 51,
  VMX_PREEMPTION_TIMER_EXPIRED: 52, INVVPID: 53, WBINVD: 54, XSETBV: 55,
};
