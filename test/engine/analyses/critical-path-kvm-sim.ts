/**
 * A simulated kvm host, as JSON Lines, with its own bookkeeping of where the time went.
 *
 * VM A (qemu pid 1000) has one vCPU thread V (1001) on pCPU 0 and an I/O thread IO (1005) on
 * pCPU 1. A noisy neighbour, VM B's vCPU thread N (2001, pid 2000), always wants pCPU 0. Each
 * request: V runs guest code, kicks the virtio disk (IO_INSTRUCTION exit, wakes IO), IO
 * submits and sleeps in D; V halts (HLT exit) and sleeps; the disk interrupt's BLOCK softirq
 * wakes IO, which wakes V (irqfd); V waits while N holds pCPU 0, then runs, is preempted by N
 * once more in guest mode, halts, and sleeps until a timer brings the next request.
 *
 * `expected` is what the generator knows, per cause, over V's whole life: the numbers a
 * critical path of V must reproduce.
 */

export interface KvmSimulation {
  lines: string[];
  expected: {
    /** V blocked, explained by IO waiting for the disk (clipped to V's wait). */
    disk: number;
    /** V runnable but N on pCPU 0: after the disk wakeup, after the timer, and in guest mode. */
    preemptedByNoisy: number;
    /** V asleep between requests until its timer fired. */
    timer: number;
    guest: number;
    /** Hypervisor time per exit reason (VMX codes). */
    hypervisor: Map<number, number>;
    /** V running before its first VM entry (the vCPU machine does not know it yet). */
    unsplit: number;
    /** IO running, and IO woken but waiting for (idle) pCPU 1, on V's path. */
    ioRunning: number;
    ioPreempted: number;
    /** V's path: first and last vertex. */
    start: number;
    end: number;
  };
}

const V = 1001;
const IO = 1005;
const N = 2001;
const VM_A = 1000;
const VM_B = 2000;
const EXTERNAL_INTERRUPT = 1;
const HLT = 12;
const IO_INSTRUCTION = 30;
const BLOCK_SOFTIRQ = 4;

export function simulateKvmHost(requests: number, seed: number): KvmSimulation {
  const rnd = mulberry32(seed);
  const us = (lo: number, hi: number) => 1000 * (lo + Math.floor(rnd() * (hi - lo + 1)));
  const lines: string[] = [];
  const emit = (ts: number, name: string, cpu: number, fields: Record<string, unknown>, context?: Record<string, number>) =>
    lines.push(JSON.stringify({ ts, name, cpu, fields, ...(context ? { context } : {}) }));
  const sw = (ts: number, cpu: number, prev: [number, string], state: number, next: [number, string]) =>
    emit(ts, "sched_switch", cpu, { prev_comm: prev[1], prev_tid: prev[0], prev_prio: 20, prev_state: state, next_comm: next[1], next_tid: next[0], next_prio: 20 });
  const wake = (ts: number, cpu: number, target: [number, string], targetCpu: number) =>
    emit(ts, "sched_waking", cpu, { comm: target[1], tid: target[0], prio: 20, target_cpu: targetCpu });
  const entry = (ts: number, tid: number, pid: number) => emit(ts, "kvm_entry", 0, { vcpu_id: 0 }, { tid, pid });
  const exit = (ts: number, tid: number, pid: number, reason: number) => emit(ts, "kvm_exit", 0, { exit_reason: reason, isa: 1, vcpu_id: 0, guest_rip: 0 }, { tid, pid });

  const vT: [number, string] = [V, "CPU 0/KVM"];
  const nT: [number, string] = [N, "CPU 0/KVM"];
  const ioT: [number, string] = [IO, "qemu-iothread"];
  const idle0: [number, string] = [0, "swapper/0"];
  const idle1: [number, string] = [0, "swapper/1"];
  const hyp = new Map<number, number>();
  const addHyp = (reason: number, ns: number) => hyp.set(reason, (hyp.get(reason) ?? 0) + ns);
  const x = { disk: 0, preempted: 0, timer: 0, guest: 0, ioRunning: 0, ioPreempted: 0, unsplit: 0 };

  // pCPU 1 starts idle, IO asleep; pCPU 0 starts with N, then V is switched in.
  let t = 1_000_000_000;
  sw(t, 1, ioT, 1, idle1);
  sw(t, 0, idle0, 0, nT);
  entry(t + 1000, N, VM_B);
  t += 50_000;
  exit(t - 2000, N, VM_B, EXTERNAL_INTERRUPT);
  sw(t, 0, nT, 0, vT);
  const start = t;
  let end = t;
  for (let r = 0; r < requests; r++) {
    // V on pCPU 0: hypervisor, guest, kick the disk
    const enter = t + us(2, 5);
    // back on a CPU after the timer: the HLT exit's handling resumes (before the first entry
    // the vCPU machine knows nothing: plain running)
    if (r === 0) x.unsplit += enter - t;
    else addHyp(HLT, enter - t);
    entry(enter, V, VM_A);
    const kick = enter + us(50, 200);
    x.guest += kick - enter;
    exit(kick, V, VM_A, IO_INSTRUCTION);
    wake(kick + 1000, 0, ioT, 1);
    const resume = kick + us(3, 8);
    addHyp(IO_INSTRUCTION, resume - kick);
    entry(resume, V, VM_A);
    // IO on pCPU 1: runs, submits, sleeps in D before V halts
    const ioIn = kick + 2000;
    sw(ioIn, 1, idle1, 0, ioT);
    emit(ioIn + 1000, "block_rq_issue", 1, { dev: 259, sector: 1000 + r, nr_sector: 8, bytes: 4096, rwbs: "R", comm: "qemu-iothread", tid: IO });
    const ioSleep = ioIn + us(4, 9);
    sw(ioSleep, 1, ioT, 2, idle1);
    // V halts and sleeps; N takes pCPU 0
    const halt = resume + us(20, 60);
    x.guest += halt - resume;
    exit(halt, V, VM_A, HLT);
    const vSleep = halt + us(2, 4);
    addHyp(HLT, vSleep - halt);
    sw(vSleep, 0, vT, 1, nT);
    entry(vSleep + 1000, N, VM_B);
    // the disk completes on pCPU 1: irq, BLOCK softirq wakes IO, IO wakes V
    const irq = vSleep + us(200, 2000);
    emit(irq, "irq_handler_entry", 1, { irq: 24, name: "nvme0q1" });
    emit(irq + 1000, "softirq_raise", 1, { vec: BLOCK_SOFTIRQ });
    emit(irq + 2000, "irq_handler_exit", 1, { irq: 24, ret: 1 });
    emit(irq + 2500, "softirq_entry", 1, { vec: BLOCK_SOFTIRQ });
    emit(irq + 3000, "block_rq_complete", 1, { dev: 259, sector: 1000 + r, nr_sector: 8, error: 0, rwbs: "R" });
    const ioWoken = irq + 3500;
    wake(ioWoken, 1, ioT, 1);
    emit(irq + 4000, "softirq_exit", 1, { vec: BLOCK_SOFTIRQ });
    x.disk += ioWoken - vSleep;
    const ioRun = irq + 5000;
    x.ioPreempted += ioRun - ioWoken;
    sw(ioRun, 1, idle1, 0, ioT);
    const vWoken = ioRun + us(5, 15);
    x.ioRunning += vWoken - ioRun;
    wake(vWoken, 1, vT, 0);
    sw(vWoken + us(2, 4), 1, ioT, 1, idle1);
    // V runnable, N holds pCPU 0
    const back = vWoken + us(100, 3000);
    x.preempted += back - vWoken;
    exit(back - 2000, N, VM_B, EXTERNAL_INTERRUPT);
    sw(back, 0, nT, 0, vT);
    // V handles the completion; N preempts it once in guest mode
    const enter2 = back + us(2, 5);
    addHyp(HLT, enter2 - back); // the HLT exit's handling resumes once V has a CPU again
    entry(enter2, V, VM_A);
    const tick = enter2 + us(30, 80);
    x.guest += tick - enter2;
    exit(tick, V, VM_A, EXTERNAL_INTERRUPT);
    const out = tick + us(1, 3);
    addHyp(EXTERNAL_INTERRUPT, out - tick);
    sw(out, 0, vT, 0, nT);
    entry(out + 1000, N, VM_B);
    const again = out + us(200, 1500);
    x.preempted += again - out;
    exit(again - 2000, N, VM_B, EXTERNAL_INTERRUPT);
    sw(again, 0, nT, 0, vT);
    const enter3 = again + us(2, 5);
    addHyp(EXTERNAL_INTERRUPT, enter3 - again);
    entry(enter3, V, VM_A);
    const done = enter3 + us(40, 120);
    x.guest += done - enter3;
    exit(done, V, VM_A, HLT);
    const sleep2 = done + us(2, 4);
    addHyp(HLT, sleep2 - done);
    sw(sleep2, 0, vT, 1, nT);
    entry(sleep2 + 1000, N, VM_B);
    // the next request: V's hrtimer fires on pCPU 0 while N runs
    const fire = sleep2 + us(500, 3000);
    emit(fire, "hrtimer_expire_entry", 0, { hrtimer: 0xffff0000, now: fire, function: "hrtimer_wakeup" });
    wake(fire + 500, 0, vT, 0);
    emit(fire + 1000, "hrtimer_expire_exit", 0, { hrtimer: 0xffff0000 });
    x.timer += fire + 500 - sleep2;
    const next = fire + 500 + us(100, 2000);
    x.preempted += next - (fire + 500);
    exit(next - 2000, N, VM_B, EXTERNAL_INTERRUPT);
    sw(next, 0, nT, 0, vT);
    t = next;
    end = next;
  }
  // V's last stretch: it runs to its final switch-out
  const last = t + us(5, 10);
  addHyp(HLT, last - t);
  sw(last, 0, vT, 1, nT);
  end = last;
  lines.sort((a, b) => tsOf(a) - tsOf(b));
  return { lines, expected: { ...x, preemptedByNoisy: x.preempted, hypervisor: hyp, start, end } };
}

function tsOf(line: string): number {
  return Number(/"ts":(\d+)/.exec(line)![1]);
}

/** A small seeded PRNG (deterministic scenarios). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
