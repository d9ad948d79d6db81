/**
 * A plain guest OS: single-threaded processes sharing the VM's vCPUs through one run queue,
 * each running on at most one vCPU at a time. A process blocks on its kind of event (network,
 * disk, a timer) after the exit that starts it (a virtio kick, arming the TSC deadline); a
 * vCPU with nothing to run idles on the last process's page tables (lazy TLB) and halts.
 * Interrupts delivered at an entry wake the processes waiting for them; a vCPU busy with
 * another process then sends a reschedule IPI to a halted sibling.
 *
 * Granularity (the host-based method's, stated once here): the guest switches process and
 * mode only at VM exits, so the address space an entry reports runs until the next exit. A
 * real guest also switches between exits; no host-only trace can see that.
 */
import { EXIT, VEC } from "./context.js";
import type { Rng } from "./rng.js";
import { newSpace, type Guest, type Run, type RunPlan, type Space, type VcpuView } from "./guest-space.js";

/** What a guest process waits for when it blocks: network, disk, or a timer (a sleep). */
export type TaskKind = "net" | "disk" | "timer";

interface Task {
  space: Space;
  kind: TaskKind;
  state: "runnable" | "running" | "blocked";
  blockedUntil: number;
}

type Pick = readonly [reason: number, weight: number, action?: "disk" | "net", block?: number];

/** Per kind: mean run (ns), exits (reason, weight, host action, probability of blocking after it). */
const KINDS: Record<TaskKind, { mean: number; exits: Pick[] }> = {
  net: { mean: 100_000, exits: [[EXIT.EPT_VIOLATION, 3], [EXIT.MSR_WRITE, 1], [EXIT.CPUID, 1], [EXIT.EPT_MISCONFIG, 2, "net", 0.5]] },
  disk: { mean: 60_000, exits: [[EXIT.EPT_VIOLATION, 2], [EXIT.MSR_READ, 1], [EXIT.EPT_MISCONFIG, 3, "disk", 0.85]] },
  timer: { mean: 300_000, exits: [[EXIT.CPUID, 2], [EXIT.EPT_VIOLATION, 2], [EXIT.PAUSE_INSTRUCTION, 1], [EXIT.MSR_WRITE, 1, undefined, 0.3]] },
};
const WAKES: Record<number, TaskKind> = { [VEC.BLK]: "disk", [VEC.NET_RX]: "net", [VEC.NET_TX]: "net", [VEC.TIMER]: "timer" };

interface VcpuGuestState {
  cur: Task | null;
  lazy: Space;
  /** The planned exit blocks the current task (set by `plan`). */
  blockAfter: boolean;
  /** Processes became runnable at this run's entry: an idle vCPU stops halting, a busy one IPIs a halted sibling. */
  woke: boolean;
}

/** The guest OS of a plain VM (see the file header); `spaces` are its processes' address spaces. */
export class PlainGuest implements Guest {
  readonly spaces: Space[];
  private readonly tasks: Task[];
  private readonly runq: Task[] = [];
  private readonly vcpus = new Map<number, VcpuGuestState>();
  private readonly halted = new Set<number>();

  constructor(private readonly rng: Rng, vmPid: number, procs: Array<{ name: string; kind: TaskKind }>) {
    this.tasks = procs.map((p) => ({ space: newSpace(rng, vmPid, p.name, 1), kind: p.kind, state: "runnable", blockedUntil: 0 }));
    this.spaces = this.tasks.map((t) => t.space);
    this.runq.push(...this.tasks);
  }

  first(v: VcpuView): Run {
    const s: VcpuGuestState = { cur: null, lazy: this.spaces[v.vcpuId % this.spaces.length]!, blockAfter: false, woke: false };
    this.vcpus.set(v.vcpuId, s);
    return this.schedule(s);
  }

  afterExit(v: VcpuView, reason: number, planned: boolean, _l1Pending: boolean, now: number): Run {
    const s = this.vcpus.get(v.vcpuId)!;
    this.halted.delete(v.vcpuId);
    const t = s.cur;
    if (t && planned && s.blockAfter) {
      t.state = "blocked";
      t.blockedUntil = t.kind === "timer" ? now + this.rng.int(1_000_000, 6_000_000) : 0;
      s.cur = null;
    } else if (t && this.runq.length > 0 && this.rng.chance(0.15)) {
      t.state = "runnable";
      this.runq.push(t);
      s.cur = null;
    }
    if (reason === EXIT.HLT && s.cur === null) this.halted.add(v.vcpuId);
    return s.cur ? this.runOf(s.cur) : this.schedule(s);
  }

  plan(v: VcpuView, run: Run, vec: number | undefined, now: number): RunPlan {
    const s = this.vcpus.get(v.vcpuId)!;
    s.blockAfter = false;
    s.woke = vec !== undefined && this.deliver(vec, now);
    const { rng } = this;
    if (vec === VEC.TIMER) return { runNs: rng.int(5_000, 20_000), reason: EXIT.MSR_WRITE }; // re-arm the TSC deadline
    if (run.idle) return this.runq.length > 0 ? { runNs: rng.int(2_000, 6_000), reason: EXIT.MSR_WRITE } : { runNs: rng.int(2_000, 8_000), reason: EXIT.HLT };
    if (s.woke && this.halted.size > 0) return { runNs: rng.int(3_000, 9_000), reason: EXIT.MSR_WRITE, action: "ipi" };
    const k = KINDS[s.cur!.kind];
    const [reason, , action, block] = k.exits[rng.pick(k.exits.map((e, i) => [i, e[1]] as const))]!;
    s.blockAfter = block !== undefined && rng.chance(block);
    return { runNs: rng.exp(k.mean), reason, ...(action ? { action } : {}) };
  }

  // --- internal ---

  private schedule(s: VcpuGuestState): Run {
    const next = this.runq.shift();
    if (!next) return { space: s.lazy, kernel: true, level: 1, idle: true };
    next.state = "running";
    s.cur = next;
    s.lazy = next.space;
    return this.runOf(next);
  }

  private runOf(t: Task): Run {
    return { space: t.space, kernel: this.rng.chance(0.35), level: 1, idle: false };
  }

  /** Wakes the processes `vec` completes; true when any became runnable. */
  private deliver(vec: number, now: number): boolean {
    const kind = WAKES[vec];
    let any = false;
    for (const t of this.tasks) {
      if (t.state !== "blocked" || t.kind !== kind) continue;
      if (t.blockedUntil > now) continue;
      t.state = "runnable";
      this.runq.push(t);
      any = true;
    }
    return any;
  }
}
