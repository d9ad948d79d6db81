#!/usr/bin/env node
// Writes examples/kvm-host.jsonl: a small, deterministic kvm host trace made for Vigil's quick
// start (2 VMs × 2 vCPUs on 2 host CPUs, a noisy host task, exits of several reasons and one
// long preemption). Run: node examples/make-kvm-host-trace.mjs > examples/kvm-host.jsonl
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const ORIGIN = 1_700_000_000_000_000_000n; // ns since the epoch, to exercise the origin
const out = [];
const emit = (ts, name, cpu, fields, context) => out.push({ ts, name, cpu, fields, context });

const vms = [
  { pid: 1000, comm: "qemu-web", vcpus: [1001, 1002] },
  { pid: 2000, comm: "qemu-db", vcpus: [2001, 2002] },
];
const threads = new Map();
for (const vm of vms) vm.vcpus.forEach((tid, i) => threads.set(tid, { tid, pid: vm.pid, comm: `CPU ${i}/KVM`, vcpu: i }));
threads.set(500, { tid: 500, pid: 500, comm: "kworker/0:1", vcpu: -1 });
threads.set(0, { tid: 0, pid: 0, comm: "swapper", vcpu: -1 });

const REASONS = [[1, 0.35], [12, 0.2], [30, 0.15], [48, 0.2], [32, 0.1]]; // EXTERNAL_INTERRUPT HLT IO EPT MSR_WRITE
const pick = () => { let r = rand(); for (const [c, p] of REASONS) { if ((r -= p) < 0) return c; } return 1; };

// Each host CPU runs two vCPU threads in turn; CPU 0 also runs the noisy kworker.
const plan = [
  { cpu: 0, tids: [1001, 2001] },
  { cpu: 1, tids: [1002, 2002] },
];
for (const { cpu, tids } of plan) {
  let t = 1_000_000;
  let prev = 0;
  let slot = 0;
  while (t < 400_000_000) {
    const tid = tids[slot % tids.length];
    const th = threads.get(tid);
    const prevTh = threads.get(prev);
    emit(t, "sched_switch", cpu, { prev_comm: prevTh.comm, prev_tid: prev, prev_prio: 20, prev_state: prev === 0 ? 0 : (slot % 3 === 0 ? 1 : 0), next_comm: th.comm, next_tid: tid, next_prio: 20 }, { tid: prev, pid: prevTh.pid });
    const ctx = { tid, pid: th.pid };
    const sliceEnd = t + 2_000_000 + Math.floor(rand() * 6_000_000);
    t += 5_000;
    while (t < sliceEnd) {
      emit(t, "kvm_entry", cpu, { vcpu_id: th.vcpu }, ctx);
      t += 20_000 + Math.floor(rand() * 400_000);
      const reason = pick();
      emit(t, "kvm_exit", cpu, { exit_reason: reason, guest_rip: 0xffffffff81000000n + BigInt(Math.floor(rand() * 0x100000)), isa: 1, vcpu_id: th.vcpu }, ctx);
      if (reason === 1 && rand() < 0.5) emit(t + 800, "kvm_inj_virq", cpu, { irq: rand() < 0.7 ? 236 : 251 }, ctx);
      t += 1_000 + Math.floor(rand() * (reason === 30 ? 40_000 : 8_000));
    }
    prev = tid;
    slot++;
    // One long preemption: the kworker takes CPU 0 for 14 ms at about 0.2 s.
    if (cpu === 0 && t > 200_000_000 && t < 210_000_000) {
      emit(t, "sched_switch", cpu, { prev_comm: th.comm, prev_tid: tid, prev_prio: 20, prev_state: 0, next_comm: "kworker/0:1", next_tid: 500, next_prio: 20 }, ctx);
      t += 14_000_000;
      prev = 500;
    }
  }
}
out.sort((a, b) => a.ts - b.ts || a.cpu - b.cpu);
for (const e of out) {
  // 64-bit values (guest_rip) are written as exact JSON integers, as a tracer would.
  const line = JSON.stringify({ ts: (ORIGIN + BigInt(e.ts)).toString(), name: e.name, cpu: e.cpu, fields: e.fields, context: e.context },
    (_k, v) => (typeof v === "bigint" ? `@@${v}@@` : v));
  process.stdout.write(line.replace(/"@@(\d+)@@"/g, "$1") + "\n");
}
