/**
 * A vCPU thread whose guest is modelled (test/scenario/sim/plain-guest.ts, nested-guest.ts):
 * the host side is the one of sim/vcpu.ts (exits handled on the CPU, one pending interrupt
 * injected per entry, HLT blocks when nothing is pending, preemption before re-entry, a timer
 * per vCPU, reschedule kicks), and every entry is preceded by the seed study's addon event
 * `addons_vcpu_enter_guest` (vcpuID, cr3tmp, sptmp, iptmp) in the order kvm emits them: the
 * addon when vcpu_enter_guest starts, then kvm_x86_inj_virq, then kvm_x86_entry. The interrupt
 * that woke a halted vCPU is the first one injected. What woke it is told to the cr3 truth.
 */
import type { Thread } from "./host.js";
import { exitFields } from "./exit-fields.js";
import { acceptFields, EXIT, VEC, type SimContext, type VmThreads } from "./context.js";
import { cr3Of, ipOf, spOf, wide, type Guest, type Run, type RunPlan } from "./guest-space.js";
import type { Cr3Truth, WakeCause } from "./cr3-truth.js";
import { IoThread, Vhost } from "./devices.js";

/** Mean handling time per exit reason (ns); anything else 1 µs. */
const HANDLE_MEAN: Record<number, number> = {
  [EXIT.EXTERNAL_INTERRUPT]: 1500, [EXIT.HLT]: 900, [EXIT.EPT_MISCONFIG]: 3000, [EXIT.MSR_WRITE]: 800, [EXIT.MSR_READ]: 800,
  [EXIT.CPUID]: 500, [EXIT.EPT_VIOLATION]: 3000, [EXIT.PAUSE_INSTRUCTION]: 700, [EXIT.IO_INSTRUCTION]: 6000,
  [EXIT.VMREAD]: 900, [EXIT.VMWRITE]: 900, [EXIT.VMRESUME]: 5000, [EXIT.VMLAUNCH]: 9000, [EXIT.PREEMPTION_TIMER]: 1000,
};

/** A vCPU thread running KVM_RUN for a modelled guest; `kick` is how devices and siblings interrupt it. */
export class GuestVcpu implements Thread {
  state: Thread["state"] = "blocked";
  gen = 0;
  readonly pid: number;
  readonly comm: string;
  private mode: "guest" | "host" = "host";
  private pending: number[] = [];
  private timerDue = false;
  private inHlt = false;
  private wakeVec: number | undefined;
  private current: Run | null = null;
  private lastExit = -1;
  private plannedExit = true;
  private plan: RunPlan | null = null;

  constructor(private readonly sim: SimContext, private readonly cr3: Cr3Truth, private readonly vm: VmThreads, private readonly guest: Guest,
    readonly vcpuId: number, readonly tid: number, readonly cpu: number, private readonly timerNs: number) {
    this.pid = vm.pid;
    this.comm = `CPU ${vcpuId}/KVM`;
    sim.truth.addVcpu(tid, vm.pid, vm.name, vcpuId);
    cr3.addVcpu(tid, vm.pid, vcpuId);
    sim.host.at(timerNs, () => this.timerFires());
  }

  run(ts: number): void {
    this.sim.truth.switchedIn(this.tid, ts);
    this.cr3.switchedIn(this.tid, ts);
    this.mode = "host";
    this.inHlt = false;
    this.host.later(this, this.sim.rng.int(800, 3000), () => this.beforeEntry());
  }

  tick(): void {
    if (this.mode === "guest") this.cut(EXIT.EXTERNAL_INTERRUPT);
  }

  switchedOut(ts: number, prevState: number, next: Thread | null): void {
    const by = next ? { tid: next.tid, comm: next.comm, pid: next.pid } : { tid: 0, comm: `swapper/${this.cpu}`, pid: 0 };
    this.sim.truth.switchedOut(this.tid, ts, (prevState & 0xff) === 0, by);
    this.cr3.switchedOut(this.tid, ts, (prevState & 0xff) === 0);
  }

  /** An interrupt for this vCPU was raised by `waker` on `wakerCpu` (the accept is already written). */
  kick(waker: Thread | null, wakerCpu: number, vector: number): void {
    this.pending.push(vector);
    if (this.state === "blocked" && this.inHlt) {
      this.wakeVec = vector;
      this.cr3.woke(this.tid, causeOf(waker, vector));
      this.host.wake(this, waker, wakerCpu);
    } else if (this.state === "running" && this.mode === "guest") {
      const gen = this.gen;
      this.host.at(this.host.now + 1000, () => { if (this.gen === gen && this.mode === "guest") this.cut(EXIT.EXTERNAL_INTERRUPT); });
    }
  }

  // --- internal ---

  private get host() { return this.sim.host; }

  private accept(vec: number, target: GuestVcpu = this): void {
    this.host.emit(this.cpu, "kvm_x86_apic_accept_irq", acceptFields(vec, target.vcpuId), this);
    this.sim.truth.accept(this.vm.pid, vec);
  }

  private beforeEntry(): void {
    const now = this.host.now;
    if (this.timerDue) {
      this.timerDue = false;
      this.accept(VEC.TIMER);
      this.pending.push(VEC.TIMER);
    }
    if (this.wakeVec !== undefined) {
      const i = this.pending.indexOf(this.wakeVec);
      if (i > 0) this.pending.unshift(...this.pending.splice(i, 1));
      this.wakeVec = undefined;
    }
    // the guest's state as the last exit left it (interrupts now pending go to L1)
    const run = this.current === null ? this.guest.first(this) : this.guest.afterExit(this, this.lastExit, this.plannedExit, this.pending.length > 0, now);
    this.current = run;
    const { rng } = this.sim;
    this.host.emit(this.cpu, "addons_vcpu_enter_guest", {
      vcpuID: this.vcpuId, cr3tmp: wide(cr3Of(run.space, this.vcpuId)), sptmp: wide(spOf(run.space, run.kernel, rng)), iptmp: wide(ipOf(run.kernel, rng)),
    }, this);
    const vec = run.level === 2 ? undefined : this.pending.shift();
    if (vec !== undefined) {
      this.host.emit(this.cpu, "kvm_x86_inj_virq", { irq: vec }, this);
      this.sim.truth.injection(this.vm.pid, vec);
    }
    const ts = this.host.emit(this.cpu, "kvm_x86_entry", { vcpu_id: this.vcpuId }, this);
    this.sim.truth.entry(this.tid, ts, run.level);
    this.cr3.entry(this.tid, ts, run);
    this.mode = "guest";
    const plan = this.guest.plan(this, run, vec, ts);
    this.plan = plan;
    this.host.later(this, plan.runNs, () => this.exit(plan.reason, true));
  }

  /** The guest run is cut short (tick, kick, timer): exit now. */
  private cut(reason: number): void {
    this.gen++;
    this.exit(reason, false);
  }

  private exit(reason: number, planned: boolean): void {
    const ts = this.host.emit(this.cpu, "kvm_x86_exit", exitFields(reason, this.vcpuId, this.sim.rng), this);
    this.sim.truth.exit(this.tid, ts, reason);
    this.cr3.exit(this.tid, ts, reason);
    this.mode = "host";
    this.lastExit = reason;
    this.plannedExit = planned;
    const action = planned ? this.plan?.action : undefined;
    const slow = reason === EXIT.EPT_VIOLATION && this.current?.level === 1 && this.sim.rng.chance(0.004);
    this.host.later(this, slow ? 0 : Math.max(150, this.sim.rng.exp(HANDLE_MEAN[reason] ?? 1000)), () => (slow ? this.pageIn() : this.handled(reason, action)));
  }

  /** The exit's handling is done: its side effects, then back to the guest (or off the CPU). */
  private handled(reason: number, action: RunPlan["action"]): void {
    if (action === "ipi") {
      const sibling = this.vm.vcpus.find((v) => v !== this) as GuestVcpu | undefined;
      if (sibling) {
        this.accept(VEC.RESCHEDULE, sibling);
        sibling.kick(this, this.cpu, VEC.RESCHEDULE);
      }
    } else if (action === "disk") this.vm.submitDisk?.(this);
    else if (action === "net") this.vm.kickVhost?.(this);
    if (reason === EXIT.PREEMPTION_TIMER) this.timerDue = true;
    else if (reason === EXIT.HLT && this.pending.length === 0 && !this.timerDue) {
      this.inHlt = true;
      this.host.block(this, 1);
      return;
    }
    if (this.host.needResched(this.cpu)) this.host.preempt(this, this.sim.rng.chance(this.sim.rplusFrac) ? 0x100 : 0);
    else this.beforeEntry();
  }

  /** A rare EPT violation that waits for a host page-in in D state. */
  private pageIn(): void {
    this.host.block(this, 2);
    this.host.at(this.host.now + this.sim.rng.int(500_000, 3_000_000), () => {
      this.cr3.woke(this.tid, "host");
      this.host.wake(this, this.host.current(this.cpu), this.cpu);
    });
  }

  private timerFires(): void {
    if (this.state === "running" && this.mode === "guest") this.cut(EXIT.PREEMPTION_TIMER);
    else {
      this.timerDue = true;
      if (this.state === "blocked" && this.inHlt) {
        this.wakeVec = VEC.TIMER;
        this.cr3.woke(this.tid, "timer");
        this.host.wake(this, this.host.current(this.cpu), this.cpu);
      }
    }
    this.host.at(this.host.now + this.timerNs, () => this.timerFires());
  }
}

/** Who woke a halted vCPU, as the simulation knows it (not from the vector). */
function causeOf(waker: Thread | null, vector: number): WakeCause {
  if (waker instanceof GuestVcpu) return "vcpu";
  if (waker instanceof Vhost) return "network";
  if (waker instanceof IoThread) return "disk";
  return vector === VEC.TIMER ? "timer" : "device";
}
