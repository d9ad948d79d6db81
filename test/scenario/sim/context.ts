/**
 * What every simulated thread shares: the host, the random source, the truth recorder, the
 * VMs, and the exit reasons the guests use (VMX numbering, as kvm_x86_exit records them).
 */
import type { Host, Thread } from "./host.js";
import type { Rng } from "./rng.js";
import type { TruthRecorder } from "./truth.js";

export const EXIT = {
  EXTERNAL_INTERRUPT: 1, INTERRUPT_WINDOW: 7, CPUID: 10, HLT: 12, VMCALL: 18, VMCLEAR: 19, VMLAUNCH: 20,
  VMPTRLD: 21, VMREAD: 23, VMRESUME: 24, VMWRITE: 25, CR_ACCESS: 28, IO_INSTRUCTION: 30, MSR_READ: 31,
  MSR_WRITE: 32, PAUSE_INSTRUCTION: 40, EPT_VIOLATION: 48, EPT_MISCONFIG: 49, INVEPT: 50, PREEMPTION_TIMER: 52, INVVPID: 53,
} as const;

/** Exits that only a guest running its own hypervisor makes (VMCALL is not one). */
export const NESTED_EXITS: ReadonlySet<number> = new Set([19, 20, 21, 22, 23, 24, 25, 26, 27, 50, 53]);

/** Guest interrupt vectors (Linux): local timer, IPIs, virtio-blk, virtio-net RX / TX. */
export const VEC = { TIMER: 236, CALL_FUNCTION_SINGLE: 251, RESCHEDULE: 253, BLK: 37, NET_RX: 38, NET_TX: 39 } as const;

export type Profile = "cpu" | "duty" | "idle" | "disk" | "net" | "nested";

export interface VmConfig {
  name: string;
  profile: Profile;
  vcpus: number;
  /** Packets per second received for the VM (net profile). */
  rxPps?: number;
}

/** A VM's threads, as the other threads need them. */
export interface VmThreads {
  name: string;
  pid: number;
  profile: Profile;
  vcpus: Array<Thread & { kick(waker: Thread | null, wakerCpu: number, vector: number): void }>;
  /** qemu's I/O thread (disk VMs): hands a virtio-blk notification to it. */
  submitDisk?: (from: Thread) => void;
  /** The vhost-net thread (net VMs): a TX notification from the guest. */
  kickVhost?: (from: Thread) => void;
  tap?: string;
}

export interface SimContext {
  host: Host;
  rng: Rng;
  truth: TruthRecorder;
  vms: VmThreads[];
  /** Fraction of vCPU preemptions recorded as R+ (0x100) rather than R (0). */
  rplusFrac: number;
}

/** An event field set for `kvm_x86_apic_accept_irq`. */
export function acceptFields(vec: number, apicid: number): Record<string, number> {
  return { apicid, dm: 0, tm: 0, vec, coalesced: 0 };
}
