/**
 * Guest address spaces as the host sees them through the addon's `addons_vcpu_enter_guest`:
 * the page-table root (cr3) of what runs in the guest, its stack and instruction pointers. A
 * space is a guest process (level 1: the VM's own; level 2: a process of a nested guest) or
 * the VMM of a nested guest (qemu inside L1: `vmmOf` names the L2 guest it runs).
 *
 * Values follow x86-64 Linux guests: page tables 4 KiB-aligned above 4 GiB (so a 32-bit
 * truncation shows), a per-CPU PCID in cr3's low 12 bits (one process shows several cr3 values,
 * as on real guests), user stacks near 0x7ffc…, kernel stacks and text in the upper half
 * (at or above 2^63: not representable as doubles, so they travel as exact integers).
 */
import type { Rng } from "./rng.js";

export interface Space {
  vmPid: number;
  name: string;
  /** Page-table root, 4 KiB aligned (what cr3 & ~0xfff gives back). */
  pgd: bigint;
  level: 1 | 2;
  /** For a VMM in L1: the nested guest it runs. */
  vmmOf: string | null;
  /** For a level-2 space: the VMM space of its nested guest. */
  guestVmm: Space | null;
}

/** What runs from a VM entry to the next exit: the address space the entry reports, and mode. */
export interface Run {
  space: Space;
  kernel: boolean;
  level: 1 | 2;
  /** The guest's idle loop (on the last process's page tables: lazy TLB). */
  idle: boolean;
}

/** How a run ends: after `runNs`, an exit `reason`; `action` is what the exit asks the host to do. */
export interface RunPlan {
  runNs: number;
  reason: number;
  action?: "disk" | "net" | "ipi";
}

/** A vCPU as guest models see it. */
export interface VcpuView {
  vcpuId: number;
  tid: number;
}

/** A guest OS (plain or nested) driving one VM's vCPUs. */
export interface Guest {
  /** The run of a vCPU's first entry. */
  first(v: VcpuView): Run;
  /** At an exit: the run the next entry starts (the guest's state as the exit left it). `planned`: the exit is the one `plan` chose (not a cut by the host). */
  afterExit(v: VcpuView, reason: number, planned: boolean, l1Pending: boolean, now: number): Run;
  /** At an entry, with `vec` injected (or none): how long the run lasts and how it ends. */
  plan(v: VcpuView, run: Run, vec: number | undefined, now: number): RunPlan;
}

const TWO63 = 1n << 63n;

/** A new space with a random page-table root above 4 GiB. */
export function newSpace(rng: Rng, vmPid: number, name: string, level: 1 | 2, vmmOf: string | null = null, guestVmm: Space | null = null): Space {
  const pgd = 0x1_0000_0000n + BigInt(rng.int(0x100, 0x3ffff)) * 0x1000n;
  return { vmPid, name, pgd, level, vmmOf, guestVmm };
}

/** cr3 as a Linux guest with PCID loads it on this vCPU: page tables | ASID + 1. */
export function cr3Of(space: Space, vcpuId: number): bigint {
  const asid = (Number(space.pgd >> 12n) + vcpuId) % 6;
  return space.pgd | BigInt(asid + 1);
}

/** Stack pointer: a kernel stack (upper half) or the process's user stack. */
export function spOf(space: Space, kernel: boolean, rng: Rng): bigint {
  const slot = (space.pgd >> 12n) & 0xfffn;
  return kernel ? TWO63 + 0x7fff_c900_0000_0000n + slot * 0x4000n + BigInt(rng.int(0x100, 0x3f00)) * 8n
    : 0x7ffc_0000_0000n + slot * 0x10_0000n + BigInt(rng.int(0, 0xffff)) * 16n;
}

/** Instruction pointer: kernel text or the process's text. */
export function ipOf(kernel: boolean, rng: Rng): bigint {
  return kernel ? 0xffff_ffff_8100_0000n + BigInt(rng.int(0, 0xff_ffff)) : 0x5555_5555_0000n + BigInt(rng.int(0, 0xf_ffff));
}

/** A 64-bit value as a JSON Lines field: a number when a double holds it, else decimal digits. */
export function wide(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** The hex spelling of a page-table root, as the pack prints an address space. */
export function hexOf(pgd: bigint): string {
  return "0x" + pgd.toString(16);
}
