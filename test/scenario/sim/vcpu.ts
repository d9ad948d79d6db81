/**
 * A vCPU thread (qemu's `CPU n/KVM`) running KVM_RUN: guest mode until an exit its workload,
 * its timer, a host tick or a kick causes; the exit handled on the CPU; at most one pending
 * interrupt injected right before each entry; HLT blocks when nothing is pending; the thread is
 * switched out before re-entry when the scheduler wants its CPU. Nested VMs alternate L1 and
 * L2: L2 runs after VMLAUNCH/VMRESUME, every L2 exit but a host tick is reflected to L1, which
 * executes VMREAD/VMWRITE (sometimes INVEPT/INVVPID) and resumes L2.
 */
import type { Thread } from "./host.js";
import { exitFields } from "./exit-fields.js";
import { acceptFields, EXIT, VEC, type Profile, type SimContext, type VmThreads } from "./context.js";

type Weights = ReadonlyArray<readonly [number, number]>;
/** "MSR_WRITE to the x2APIC ICR": an IPI to a sibling vCPU. */
const IPI = -32;

const EXITS: Record<Profile, Weights> = {
  cpu: [[EXIT.CPUID, 2], [EXIT.MSR_READ, 2], [EXIT.EPT_VIOLATION, 2], [EXIT.PAUSE_INSTRUCTION, 1], [EXIT.VMCALL, 1], [IPI, 2]],
  duty: [[EXIT.CPUID, 1], [EXIT.MSR_READ, 1], [EXIT.EPT_VIOLATION, 1], [IPI, 1]],
  idle: [[EXIT.HLT, 9], [EXIT.VMCALL, 1]],
  disk: [[EXIT.EPT_MISCONFIG, 3], [EXIT.HLT, 2], [EXIT.MSR_READ, 1], [IPI, 1]],
  net: [[EXIT.EPT_MISCONFIG, 2], [EXIT.HLT, 3], [EXIT.VMCALL, 1]],
  nested: [[EXIT.EPT_VIOLATION, 3], [EXIT.MSR_WRITE, 2], [EXIT.CPUID, 2], [EXIT.IO_INSTRUCTION, 1], [EXIT.CR_ACCESS, 1], [EXIT.PAUSE_INSTRUCTION, 1]],
};
const RUN_MEAN: Record<Profile, number> = { cpu: 1_500_000, duty: 1_000_000, idle: 40_000, disk: 150_000, net: 300_000, nested: 150_000 };
/** Mean handling time per exit reason (ns); anything else 1 µs. */
const HANDLE_MEAN: Record<number, number> = {
  [EXIT.EXTERNAL_INTERRUPT]: 1500, [EXIT.HLT]: 900, [EXIT.EPT_MISCONFIG]: 3000, [EXIT.MSR_WRITE]: 800, [EXIT.MSR_READ]: 800,
  [EXIT.CPUID]: 500, [EXIT.EPT_VIOLATION]: 4000, [EXIT.PAUSE_INSTRUCTION]: 700, [EXIT.VMCALL]: 2000, [EXIT.IO_INSTRUCTION]: 8000,
  [EXIT.VMREAD]: 900, [EXIT.VMWRITE]: 900, [EXIT.VMRESUME]: 6000, [EXIT.VMLAUNCH]: 10000, [EXIT.PREEMPTION_TIMER]: 1000,
};

export class Vcpu implements Thread {
  state: Thread["state"] = "blocked";
  gen = 0;
  readonly pid: number;
  readonly comm: string;
  private mode: "guest" | "host" = "host";
  private pending: number[] = [];
  private timerDue = false;
  private rearm = false;
  private inHlt = false;
  /** Nested: level of the current (or last) guest run, the last exit, the L1 exits still to make before resuming L2. */
  private level: 1 | 2 = 1;
  private lastExit = -1;
  private l1Script: number[] = [];

  constructor(private readonly sim: SimContext, private readonly vm: VmThreads, readonly vcpuId: number, readonly tid: number, readonly cpu: number, private readonly timerNs: () => number) {
    this.pid = vm.pid;
    this.comm = `CPU ${vcpuId}/KVM`;
    sim.truth.addVcpu(tid, vm.pid, vm.name, vcpuId);
    sim.host.at(timerNs(), () => this.timerFires());
  }

  run(ts: number): void {
    this.sim.truth.switchedIn(this.tid, ts);
    this.mode = "host";
    this.inHlt = false;
    this.sim.host.later(this, this.sim.rng.int(800, 3000), () => this.beforeEntry());
  }

  tick(): void {
    if (this.mode === "guest") this.cut(EXIT.EXTERNAL_INTERRUPT);
  }

  switchedOut(ts: number, prevState: number, next: Thread | null): void {
    const by = next ? { tid: next.tid, comm: next.comm, pid: next.pid } : { tid: 0, comm: `swapper/${this.cpu}`, pid: 0 };
    this.sim.truth.switchedOut(this.tid, ts, (prevState & 0xff) === 0, by);
  }

  /** An interrupt for this vCPU was raised by `waker` on `wakerCpu` (the accept is already written). */
  kick(waker: Thread | null, wakerCpu: number, vector: number): void {
    this.pending.push(vector);
    if (this.state === "blocked" && this.inHlt) this.sim.host.wake(this, waker, wakerCpu);
    else if (this.state === "running" && this.mode === "guest") {
      // a reschedule IPI makes the running guest exit
      const gen = this.gen;
      this.sim.host.at(this.sim.host.now + 1000, () => { if (this.gen === gen && this.mode === "guest") this.cut(EXIT.EXTERNAL_INTERRUPT); });
    }
  }

  // --- internal ---

  private get host() { return this.sim.host; }

  private accept(vec: number, target: Vcpu = this): void {
    this.host.emit(this.cpu, "kvm_x86_apic_accept_irq", acceptFields(vec, target.vcpuId), this);
    this.sim.truth.accept(this.vm.pid, vec);
  }

  private beforeEntry(): void {
    if (this.timerDue) {
      this.timerDue = false;
      this.accept(VEC.TIMER);
      this.pending.push(VEC.TIMER);
      this.rearm = true;
    }
    const vec = this.pending.shift();
    if (vec !== undefined) {
      this.host.emit(this.cpu, "kvm_x86_inj_virq", { irq: vec }, this);
      this.sim.truth.injection(this.vm.pid, vec);
    }
    const ts = this.host.emit(this.cpu, "kvm_x86_entry", { vcpu_id: this.vcpuId }, this);
    // nested: L2 runs after VMLAUNCH/VMRESUME; an L2 exit goes back to L1 unless it is a host
    // interrupt that L0 handles alone with nothing to inject into L1
    if (this.vm.profile === "nested") {
      const x = this.lastExit;
      this.level = this.level === 1 ? (x === EXIT.VMRESUME || x === EXIT.VMLAUNCH ? 2 : 1) : x === EXIT.EXTERNAL_INTERRUPT && vec === undefined ? 2 : 1;
    }
    this.sim.truth.entry(this.tid, ts, this.level);
    this.mode = "guest";
    const { run, reason } = this.nextRun();
    this.host.later(this, run, () => this.exit(reason));
  }

  /** How long the guest runs until its own next exit, and which. */
  private nextRun(): { run: number; reason: number } {
    const { rng } = this.sim;
    if (this.rearm) {
      this.rearm = false;
      return { run: rng.int(5_000, 20_000), reason: EXIT.MSR_WRITE }; // re-arm the TSC deadline
    }
    if (this.vm.profile === "nested" && this.level === 1) {
      if (this.l1Script.length === 0) this.l1Script = this.l1Exits();
      return { run: rng.int(800, 3000), reason: this.l1Script.shift()! };
    }
    if (this.vm.profile === "duty" && Math.floor(this.host.now / 20_000_000) % 2 === 1) return { run: rng.int(2000, 10000), reason: EXIT.HLT };
    return { run: rng.exp(RUN_MEAN[this.vm.profile]), reason: rng.pick(EXITS[this.vm.profile]) };
  }

  /** An L1 hypervisor's exits between two L2 runs. */
  private l1Exits(): number[] {
    const { rng } = this.sim;
    const s: number[] = [];
    for (let i = rng.int(2, 8); i > 0; i--) s.push(EXIT.VMREAD);
    for (let i = rng.int(1, 4); i > 0; i--) s.push(EXIT.VMWRITE);
    if (rng.chance(0.1)) s.push(EXIT.INVEPT);
    if (rng.chance(0.05)) s.push(EXIT.INVVPID);
    if (rng.chance(0.08)) s.push(EXIT.HLT); // L1 idles for a while
    s.push(...(rng.chance(0.02) ? [EXIT.VMCLEAR, EXIT.VMPTRLD, EXIT.VMWRITE, EXIT.VMLAUNCH] : [EXIT.VMRESUME]));
    return s;
  }

  /** The guest run is cut short (tick, kick, timer): exit now. */
  private cut(reason: number): void {
    this.gen++;
    this.exit(reason);
  }

  private exit(code: number): void {
    const reason = code === IPI ? EXIT.MSR_WRITE : code;
    const ts = this.host.emit(this.cpu, "kvm_x86_exit", exitFields(reason, this.vcpuId, this.sim.rng), this);
    this.sim.truth.exit(this.tid, ts, reason);
    this.mode = "host";
    this.lastExit = reason;
    const mean = HANDLE_MEAN[reason] ?? 1000;
    const slow = reason === EXIT.EPT_VIOLATION && this.sim.rng.chance(0.002);
    this.host.later(this, slow ? 0 : Math.max(150, this.sim.rng.exp(mean)), () => (slow ? this.pageIn() : this.handled(code)));
  }

  /** The exit's handling is done: its side effects, then back to the guest (or off the CPU). */
  private handled(code: number): void {
    const { rng } = this.sim;
    if (code === IPI) {
      const sibling = this.vm.vcpus.find((v) => v !== this) as Vcpu | undefined;
      if (sibling) {
        const vec = rng.chance(0.5) ? VEC.CALL_FUNCTION_SINGLE : VEC.RESCHEDULE;
        this.accept(vec, sibling);
        sibling.kick(this, this.cpu, vec);
      }
    } else if (code === EXIT.EPT_MISCONFIG) {
      this.vm.submitDisk?.(this);
      this.vm.kickVhost?.(this);
    } else if (code === EXIT.PREEMPTION_TIMER) {
      this.timerDue = true;
    } else if (code === EXIT.HLT && this.pending.length === 0 && !this.timerDue) {
      this.inHlt = true;
      this.host.block(this, 1);
      return;
    }
    this.reenter();
  }

  private reenter(): void {
    if (this.host.needResched(this.cpu)) this.host.preempt(this, this.sim.rng.chance(this.sim.rplusFrac) ? 0x100 : 0);
    else this.beforeEntry();
  }

  /** A rare EPT violation that waits for a host page-in in D state. */
  private pageIn(): void {
    this.host.block(this, 2);
    const wait = this.sim.rng.int(500_000, 3_000_000);
    this.host.at(this.host.now + wait, () => this.host.wake(this, this.host.current(this.cpu), this.cpu));
  }

  private timerFires(): void {
    if (this.state === "running" && this.mode === "guest") this.cut(EXIT.PREEMPTION_TIMER);
    else {
      this.timerDue = true;
      if (this.state === "blocked" && this.inHlt) this.host.wake(this, this.host.current(this.cpu), this.cpu);
    }
    this.host.at(this.host.now + this.timerNs(), () => this.timerFires());
  }
}
