/**
 * The host threads around the vCPUs: qemu's I/O thread and an NVMe disk (virtio-blk), a
 * vhost-net thread and a NIC (virtio-net), CPU-hog "noisy neighbour" threads, and per-CPU
 * kworkers. Each writes the events the real one causes, in its own context or, for interrupt
 * handlers, in the context of whatever thread the interrupt hit.
 */
import type { Thread } from "./host.js";
import { acceptFields, VEC, type SimContext, type VmThreads } from "./context.js";

/** NVMe namespace 259:0 as block tracepoints encode it (major << 20 | minor). */
const NVME_DEV = (259 << 20) | 0;

/** A thread that does work in callbacks and blocks when it has none. */
abstract class Worker implements Thread {
  state: Thread["state"] = "blocked";
  gen = 0;
  constructor(protected readonly sim: SimContext, readonly tid: number, readonly pid: number, readonly comm: string, readonly cpu: number) {}
  abstract run(ts: number): void;
  protected get host() { return this.sim.host; }
}

/** qemu's `IO iothread1`: issues the guest's requests, raises the completion interrupt. */
export class IoThread extends Worker {
  private toIssue = 0;
  private readonly done: Array<{ issue: number; complete: number; bytes: number }> = [];

  constructor(sim: SimContext, private readonly vm: VmThreads, tid: number, cpu: number) {
    super(sim, tid, vm.pid, "IO iothread1", cpu);
  }

  submit(from: Thread): void {
    this.toIssue++;
    this.host.wake(this, from, from.cpu);
  }

  run(): void {
    this.host.later(this, this.sim.rng.int(2000, 6000), () => this.work());
  }

  private work(): void {
    const { rng } = this.sim;
    for (; this.toIssue > 0; this.toIssue--) {
      const bytes = 4096 * rng.int(1, 16);
      const sector = rng.int(0, 2 ** 30);
      const issue = this.host.emit(this.cpu, "block_rq_issue", { dev: NVME_DEV, sector, nr_sector: bytes / 512, bytes, tid: this.tid, rwbs: rng.chance(0.7) ? 1 : 2, comm: this.comm }, this);
      this.host.at(this.host.now + 20_000 + rng.exp(80_000), () => this.complete(issue, sector, bytes));
    }
    if (this.done.length > 0) {
      // one interrupt for every completion seen so far (coalescing)
      const target = this.vm.vcpus[rng.int(0, this.vm.vcpus.length - 1)]!;
      const at = this.host.emit(this.cpu, "kvm_x86_apic_accept_irq", acceptFields(VEC.BLK, 0), this);
      this.sim.truth.accept(this.vm.pid, VEC.BLK);
      for (const d of this.done.splice(0)) this.sim.truth.diskRequest(this.vm.pid, d.bytes, d.issue, d.complete, at);
      target.kick(this, this.cpu, VEC.BLK);
    }
    this.host.block(this, 1);
  }

  /** The NVMe completion interrupt, on the I/O thread's CPU, in whatever thread runs there. */
  private complete(issue: number, sector: number, bytes: number): void {
    const cur = this.host.current(this.cpu);
    const irq = 40 + this.cpu;
    this.host.emit(this.cpu, "irq_handler_entry", { irq, name: `nvme0q${this.cpu + 1}` }, cur);
    const complete = this.host.emit(this.cpu, "block_rq_complete", { dev: NVME_DEV, sector, nr_sector: bytes / 512, error: 0, rwbs: 1 }, cur);
    this.done.push({ issue, complete, bytes });
    this.host.wake(this, cur, this.cpu);
    this.host.emit(this.cpu, "irq_handler_exit", { irq, ret: 1 }, cur);
  }
}

/** `vhost-<qemu pid>` (its own process on 5.15) and the NIC `eno1` bridged to the VM's tap. */
export class Vhost extends Worker {
  private rx = 0;
  private tx = 0;
  private skb = 0xffff_8880_0400_0000n;

  constructor(sim: SimContext, private readonly vm: VmThreads, tid: number, cpu: number, private readonly nicCpus: number[], rxPps: number, rxStart: number) {
    super(sim, tid, tid, `vhost-${vm.pid}`, cpu);
    const next = () => this.host.at(this.host.now + sim.rng.exp(1e9 / rxPps), () => { this.receive(); next(); });
    this.host.at(rxStart, next);
  }

  /** The guest notified a transmission (EPT_MISCONFIG on its queue's doorbell). */
  kick(from: Thread): void {
    this.tx++;
    this.host.wake(this, from, from.cpu);
  }

  run(): void {
    this.host.later(this, this.sim.rng.int(1500, 4000), () => this.work());
  }

  private work(): void {
    const tap = this.vm.tap!;
    if (this.rx > 0) {
      this.raise(VEC.NET_RX);
      this.rx = 0;
    }
    if (this.tx > 0) {
      for (; this.tx > 0; this.tx--) {
        const skb = String(this.skb++);
        const len = 66 + this.sim.rng.int(0, 1400);
        const a = this.host.emit(this.cpu, "net_if_receive_skb", { skbaddr: skb, len, name: tap }, this);
        const b = this.host.emit(this.cpu, "net_dev_xmit", { skbaddr: skb, rc: 0, len, name: "eno1" }, this);
        this.sim.truth.packet(tap, "tx", len, b - a);
      }
      this.raise(VEC.NET_TX);
    }
    this.host.block(this, 1);
  }

  private raise(vec: number): void {
    this.host.emit(this.cpu, "kvm_x86_apic_accept_irq", acceptFields(vec, 0), this);
    this.sim.truth.accept(this.vm.pid, vec);
    this.vm.vcpus[0]!.kick(this, this.cpu, vec);
  }

  /** A packet for the VM: NIC interrupt, receive on eno1, bridge to the tap, wake vhost. */
  private receive(): void {
    const { rng } = this.sim;
    const q = rng.int(0, this.nicCpus.length - 1);
    const cpu = this.nicCpus[q]!;
    const cur = this.host.current(cpu);
    const skb = String(this.skb++);
    const len = 60 + rng.int(0, 1440);
    this.host.emit(cpu, "irq_handler_entry", { irq: 60 + q, name: `eno1-TxRx-${q}` }, cur);
    const a = this.host.emit(cpu, "net_if_receive_skb", { skbaddr: skb, len, name: "eno1" }, cur);
    const b = this.host.emit(cpu, "net_dev_xmit", { skbaddr: skb, rc: 0, len, name: this.vm.tap! }, cur);
    this.sim.truth.packet(this.vm.tap!, "rx", len, b - a);
    this.rx++;
    this.host.wake(this, cur, cpu);
    this.host.emit(cpu, "irq_handler_exit", { irq: 60 + q, ret: 1 }, cur);
  }
}

/** A CPU hog (the noisy neighbour): burns its CPU in 200 µs chunks while its phase lasts. */
export class Hog extends Worker {
  constructor(sim: SimContext, tid: number, pid: number, cpu: number, private readonly from: number, private readonly until: number) {
    super(sim, tid, pid, "xz", cpu);
    this.host.at(from, () => this.host.wake(this, this.host.current(cpu), cpu));
  }

  run(): void {
    this.host.later(this, 200_000, () => this.chunk());
  }

  private chunk(): void {
    if (this.host.now >= this.until) return this.host.block(this, 1);
    if (this.host.needResched(this.cpu)) return this.host.preempt(this, 0);
    this.host.later(this, 200_000, () => this.chunk());
  }
}

/** A per-CPU kworker: wakes every few ms, runs a few µs, sleeps idle (prev_state I = 0x80). */
export class Kworker extends Worker {
  constructor(sim: SimContext, tid: number, cpu: number) {
    super(sim, tid, tid, `kworker/${cpu}:1`, cpu);
    this.host.at(sim.rng.int(1_000_000, 8_000_000), () => this.wakeUp());
  }

  run(): void {
    this.host.later(this, this.sim.rng.int(3000, 30000), () => this.host.block(this, 0x80));
  }

  private wakeUp(): void {
    this.host.wake(this, this.host.current(this.cpu), this.cpu);
    this.host.at(this.host.now + this.sim.rng.int(2_000_000, 12_000_000), () => this.wakeUp());
  }
}
