/**
 * The cr3 scenario's truth (test/scenario/cr3-scenario.ts, sim/cr3-truth.ts) as the pack's
 * tests read it, the `--map kvm.cr3_names` entries naming its address spaces, and the
 * kvm.nested_overhead alerts its overhead windows call for.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../../../helpers/shared.js";
import type { Times, ProcessTimes } from "../../../scenario/sim/cr3-truth.js";
import type { Truth } from "./sim-truth.js";

export { near } from "./sim-truth.js";

/** truth.json of the cr3 scenario: the kvm scenario's truth, the address spaces, the cr3 part. */
export type Cr3Truth = Truth & {
  spaces: Array<{ vm_pid: number; name: string; level: 1 | 2; pgd: string; vmm_of: string | null; guest: string | null }>;
  cr3: {
    guest_processes: ProcessTimes[];
    guest_process_exits: Array<{ vm_pid: number; guest: string; cr3: string; reason: number; exits: number; hypervisor_ns: number }>;
    nested_vcpus: Array<Times & { tid: number; vm_pid: number; vcpu_id: number }>;
    nested_guests: Array<Times & { vm_pid: number; guest: string }>;
    overhead_windows: Array<{ vm_pid: number; guest: string; windows: Array<{ start: number; l2_ns: number; hypervisor_ns: number }> }>;
    vcpu_waits: Array<{ vm_pid: number; vcpu: number; reason: string; waits: number; total_ns: number }>;
    guest_process_waits: Array<{ vm_pid: number; guest: string; cr3: string; reason: string; waits: number; total_ns: number }>;
    vmm_unrecognised_ns: Record<string, number>;
  };
};

/** Exit names as the kernel prints them (the pack's own data file: naming only). */
export function vmxNames(): (code: number) => string {
  const names = new Map<number, string>();
  for (const line of readFileSync(join(REPO, "rules", "kvm", "data", "vmx-exit-reasons.tsv"), "utf8").split("\n")) {
    const [code, name, kind] = line.split("\t");
    if (kind === "reason") names.set(Number(code), name!);
  }
  return (c) => names.get(c) ?? String(c);
}

/** `--map kvm.cr3_names:VM:CR3=NAME` for every address space of the truth (CR3 in hex). */
export function cr3Maps(truth: Cr3Truth): Array<{ map: string; key: string; value: string }> {
  return truth.spaces.map((s) => ({ map: "kvm.cr3_names", key: `${s.vm_pid}:${s.pgd}`, value: s.name }));
}

/** One kvm.nested_overhead alert: the guest, its window's start, the window's L2 and L1 hypervisor time. */
export interface ExpectedAlert { guest: string; window: number; l2_ns: number; hypervisor_ns: number }

/**
 * kvm.nested_overhead's alerts: a window of a nested guest (guest intervals counted in the
 * window of the exit that ends them) where L1 hypervisor work exceeds `share` of the L2 time;
 * judged at the guest's first exit in a later window, so a guest's last window never is.
 * Ordered by window, then guest.
 */
export function expectedAlerts(truth: Cr3Truth, share: number): ExpectedAlert[] {
  const out: ExpectedAlert[] = [];
  for (const g of truth.cr3.overhead_windows) {
    const ws = [...g.windows].sort((a, b) => a.start - b.start);
    for (const w of ws.slice(0, -1)) {
      if (w.l2_ns > 0 && w.hypervisor_ns > share * w.l2_ns) out.push({ guest: g.guest, window: w.start, l2_ns: w.l2_ns, hypervisor_ns: w.hypervisor_ns });
    }
  }
  return out.sort((a, b) => a.window - b.window || a.guest.localeCompare(b.guest));
}
