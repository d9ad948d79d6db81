/**
 * An L1 guest running its own hypervisor: L1 tasks (an agent process, and one VMM per nested
 * guest: qemu in L1, whose thread runs the L2 guest's single vCPU) share the VM's vCPUs, and
 * each L2 guest has processes of its own. A VMM's run: L1 kernel work (VMCLEAR/VMPTRLD/
 * VMWRITE... at launch; VMREAD/VMWRITE after an L2 exit, sometimes qemu in user mode emulating
 * I/O), then VMLAUNCH/VMRESUME, then the L2 guest until an exit. An L2 exit is handled by L0
 * alone (a host interrupt with nothing for L1, a shadow-EPT fault) and L2 resumes, or it is
 * reflected to L1, which resumes inside that VMM (its cr3). An L2 halt blocks its VMM until a
 * later L1 timer. `misconfigured`: in that time range, that L2 guest exits on I/O every few µs
 * (seed 004's "nested VM misconfiguration").
 *
 * Granularity as in plain-guest.ts: switches (of L1 task, of L2 process) happen at exits.
 */
import { EXIT, VEC } from "./context.js";
import type { Rng } from "./rng.js";
import { newSpace, type Guest, type Run, type RunPlan, type Space, type VcpuView } from "./guest-space.js";

interface L2Guest {
  name: string;
  procs: Space[];
  cur: Space;
  launched: boolean;
}

interface Task {
  space: Space;
  l2: L2Guest | null;
  state: "runnable" | "running" | "blocked";
  blockedUntil: number;
  /** VMM: running L2 (true) or its own L1 work; the exits its L1 work still has to make. */
  inL2: boolean;
  script: Array<{ reason: number; user?: boolean }>;
  /** VMM: block (L2 halted) or yield the vCPU once the script is done. */
  after: "resume" | "block" | "yield";
}

interface VcpuGuestState {
  cur: Task | null;
  lazy: Space;
  planned: { reason: number; user?: boolean } | null;
  blockAfter: boolean;
}

/** The L1 agent's name, the nested guests and their processes, and an optional misconfiguration window (ns). */
export interface NestedConfig {
  agent: string;
  l2: Array<{ name: string; procs: string[] }>;
  misconfigured?: { guest: string; from: number; until: number };
}

const L2_EXITS = [[EXIT.EPT_VIOLATION, 4], [EXIT.CPUID, 1], [EXIT.IO_INSTRUCTION, 2], [EXIT.MSR_WRITE, 1], [EXIT.HLT, 0.4]] as const;
const AGENT_EXITS = [[EXIT.CPUID, 2], [EXIT.EPT_VIOLATION, 2], [EXIT.MSR_READ, 1], [EXIT.MSR_WRITE, 1]] as const;

/** The guest OS of an L1 hypervisor VM (see the file header); `spaces` are L1's and the nested guests' address spaces. */
export class NestedGuest implements Guest {
  readonly spaces: Space[] = [];
  readonly l2Guests: L2Guest[] = [];
  private readonly tasks: Task[] = [];
  private readonly runq: Task[] = [];
  private readonly vcpus = new Map<number, VcpuGuestState>();

  constructor(private readonly rng: Rng, vmPid: number, private readonly config: NestedConfig) {
    const agent = newSpace(rng, vmPid, config.agent, 1);
    this.spaces.push(agent);
    this.tasks.push({ space: agent, l2: null, state: "runnable", blockedUntil: 0, inL2: false, script: [], after: "resume" });
    for (const g of config.l2) {
      const vmm = newSpace(rng, vmPid, g.name, 1, g.name);
      const procs = g.procs.map((p) => newSpace(rng, vmPid, p, 2, null, vmm));
      const l2: L2Guest = { name: g.name, procs, cur: procs[0]!, launched: false };
      this.l2Guests.push(l2);
      this.spaces.push(vmm, ...procs);
      this.tasks.push({ space: vmm, l2, state: "runnable", blockedUntil: 0, inL2: false, script: [], after: "resume" });
    }
    this.runq.push(...this.tasks);
  }

  first(v: VcpuView): Run {
    const s: VcpuGuestState = { cur: null, lazy: this.spaces[0]!, planned: null, blockAfter: false };
    this.vcpus.set(v.vcpuId, s);
    return this.schedule(s);
  }

  afterExit(v: VcpuView, reason: number, planned: boolean, l1Pending: boolean, now: number): Run {
    const s = this.vcpus.get(v.vcpuId)!;
    const t = s.cur;
    // a VMM exit cut short by the host: its L1 work still has that exit to make
    if (t?.l2 && !t.inL2 && !planned && s.planned) t.script.unshift(s.planned);
    s.planned = null;
    if (!t) return this.schedule(s);
    if (t.l2 && t.inL2) return this.afterL2Exit(s, t, reason, l1Pending);
    if (t.l2) {
      if (planned && (reason === EXIT.VMRESUME || reason === EXIT.VMLAUNCH)) {
        t.inL2 = true;
        return this.l2Run(t.l2);
      }
      if (t.script.length > 0) return this.vmmRun(t);
      if (t.after === "block") return this.block(s, t, now);
      if (t.after === "yield" && this.runq.length > 0) return this.yieldTask(s, t);
      t.script = [{ reason: EXIT.VMRESUME }];
      return this.vmmRun(t);
    }
    if (planned && s.blockAfter) return this.block(s, t, now);
    if (this.runq.length > 0 && this.rng.chance(0.15)) return this.yieldTask(s, t);
    return this.agentRun(t);
  }

  plan(v: VcpuView, run: Run, vec: number | undefined, now: number): RunPlan {
    const s = this.vcpus.get(v.vcpuId)!;
    const { rng } = this;
    s.blockAfter = false;
    if (vec === VEC.TIMER) this.wakeTimers(now);
    const t = s.cur;
    if (run.level === 2) {
      const g = t!.l2!;
      const m = this.config.misconfigured;
      if (m && m.guest === g.name && now >= m.from && now < m.until) return { runNs: rng.exp(10_000), reason: EXIT.IO_INSTRUCTION };
      return { runNs: rng.exp(100_000), reason: rng.pick(L2_EXITS) };
    }
    if (vec === VEC.TIMER) return { runNs: rng.int(5_000, 20_000), reason: EXIT.MSR_WRITE };
    if (run.idle) return this.runq.length > 0 ? { runNs: rng.int(2_000, 6_000), reason: EXIT.MSR_WRITE } : { runNs: rng.int(2_000, 8_000), reason: EXIT.HLT };
    if (t!.l2) {
      const step = t!.script.shift() ?? { reason: EXIT.MSR_WRITE };
      s.planned = step;
      return { runNs: step.user ? rng.int(5_000, 20_000) : rng.int(800, 3_000), reason: step.reason };
    }
    s.blockAfter = rng.chance(0.08);
    return { runNs: rng.exp(200_000), reason: s.blockAfter ? EXIT.MSR_WRITE : rng.pick(AGENT_EXITS) };
  }

  // --- internal ---

  private afterL2Exit(s: VcpuGuestState, t: Task, reason: number, l1Pending: boolean): Run {
    const g = t.l2!;
    if (this.rng.chance(0.25)) g.cur = g.procs[this.rng.int(0, g.procs.length - 1)]!; // L2 switched process before the exit
    const reflect = reason === EXIT.PREEMPTION_TIMER || l1Pending
      || !(reason === EXIT.EXTERNAL_INTERRUPT || (reason === EXIT.EPT_VIOLATION && this.rng.chance(0.5)));
    if (!reflect) return this.l2Run(g);
    t.inL2 = false;
    t.script = [];
    for (let i = this.rng.int(2, 6); i > 0; i--) t.script.push({ reason: EXIT.VMREAD });
    if (reason === EXIT.IO_INSTRUCTION) t.script.push({ reason: EXIT.EPT_VIOLATION, user: true }); // qemu emulates the port
    for (let i = this.rng.int(1, 3); i > 0; i--) t.script.push({ reason: EXIT.VMWRITE });
    if (this.rng.chance(0.1)) t.script.push({ reason: EXIT.INVEPT });
    t.after = reason === EXIT.HLT ? "block" : reason === EXIT.PREEMPTION_TIMER && this.rng.chance(0.5) ? "yield" : "resume";
    if (t.after === "resume") t.script.push({ reason: EXIT.VMRESUME });
    else t.script.push({ reason: EXIT.MSR_WRITE }); // arm L2's timer / L1's scheduler tick
    return this.vmmRun(t);
  }

  private schedule(s: VcpuGuestState): Run {
    const t = this.runq.shift();
    if (!t) return { space: s.lazy, kernel: true, level: 1, idle: true };
    t.state = "running";
    s.cur = t;
    s.lazy = t.space;
    if (!t.l2) return this.agentRun(t);
    t.inL2 = false;
    t.after = "resume";
    if (t.script.length === 0) {
      t.script = t.l2.launched ? [{ reason: EXIT.VMPTRLD }, { reason: EXIT.VMRESUME }]
        : [{ reason: EXIT.VMCLEAR }, { reason: EXIT.VMPTRLD }, { reason: EXIT.VMWRITE }, { reason: EXIT.VMWRITE }, { reason: EXIT.VMLAUNCH }];
      t.l2.launched = true;
    }
    return this.vmmRun(t);
  }

  private block(s: VcpuGuestState, t: Task, now: number): Run {
    t.state = "blocked";
    t.blockedUntil = now + this.rng.int(1_000_000, 6_000_000);
    t.script = [];
    s.cur = null;
    return this.schedule(s);
  }

  private yieldTask(s: VcpuGuestState, t: Task): Run {
    t.state = "runnable";
    this.runq.push(t);
    s.cur = null;
    return this.schedule(s);
  }

  private wakeTimers(now: number): void {
    for (const t of this.tasks) {
      if (t.state !== "blocked" || t.blockedUntil > now) continue;
      t.state = "runnable";
      this.runq.push(t);
    }
  }

  private vmmRun(t: Task): Run {
    return { space: t.space, kernel: !(t.script[0]?.user ?? false), level: 1, idle: false };
  }

  private agentRun(t: Task): Run {
    return { space: t.space, kernel: this.rng.chance(0.35), level: 1, idle: false };
  }

  private l2Run(g: L2Guest): Run {
    return { space: g.cur, kernel: this.rng.chance(0.3), level: 2, idle: false };
  }
}
