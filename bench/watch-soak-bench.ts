/**
 * `npm run bench:watch` (soak part): a kvm host replayed at full speed through `vigil watch -`
 * for --duration seconds (default 600), sampling the watch process's RSS; the verdict asserts
 * that memory is flat after warm-up. Results: bench/results/watch-soak.json (unless --no-save).
 *
 * The stream never ends and never repeats its keys forever: 16 VMs × 2 vCPUs on 8 CPUs, vCPU
 * threads replaced by new ones (new tids) every 20 s of trace time, exits and entries with
 * kvm's common reasons, preemptions of 1–20 ms, EPT-violation storms; rules with a machine per
 * thread (`idle 5s`), a `stays` alert with a snapshot action under a rate policy (the `lttng`
 * run is a stand-in that exits at once), an absence sequence, and tables. Everything the engine
 * keeps is then bounded by design: the history ring, idle expiry, alert records, policy keys.
 *
 * Verdict: the highest RSS in the second half of the post-warm-up time may exceed the highest
 * RSS of its first half by at most 10 % + 16 MiB (a leak grows steadily; GC saw-teeth do not).
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../test/live/helpers/lttng-lab.js";

const args = process.argv.slice(2);
const arg = (name: string, def: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
const DURATION_S = arg("--duration", 600);
const WARMUP = arg("--warmup", 0.25);
const SAMPLE_MS = arg("--sample", Math.min(5000, Math.max(500, (DURATION_S * 1000) / 120)));
const SAVE = !args.includes("--no-save");

const RULES = `pack soak
event vm_entry = kvm_x86_entry | kvm_entry
event vm_exit = kvm_x86_exit | kvm_exit
macro still_runnable = (prev_state & 0xff) == 0
machine vcpu per $tid idle 5s {
  states unknown, guest, host, preempted, waiting = unknown
  keep vm = 0, id = -1, reason = -1
  on vm_entry -> guest { vm = $pid; id = vcpu_id }
  on vm_exit from guest -> host { reason = exit_reason }
  on sched_switch for prev_tid where still_runnable from guest, host -> preempted
  on sched_switch for prev_tid from guest, host -> waiting
  on sched_switch for next_tid from preempted, waiting -> host
}
sequence exit_handling per $tid { x: vm_exit -> e: vm_entry within 1s  emit segment { vm: x.$pid, reason: x.exit_reason } }
sequence ept_stall per $tid { x: vm_exit where exit_reason == 48 {20,} -> not vm_entry within 2ms within 20ms  alert "stall on {x.$tid}" }
table exits from exit_handling by vm, reason select count, p99(duration) as p99_ns
table shares from vcpu by vm, state select sum(duration) as ns
alert long_preemption when vcpu enters preempted and stays 10ms
  message "vCPU {id} of VM {vm} preempted"
`;

/** Deterministic kvm host: yields JSON lines in time order, forever. */
function* host(): Generator<string> {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const CPUS = 8, VMS = 16, GEN_NS = 20e9;
  let t = 1_700_000_000_000_000_000n;
  let rel = 0;
  let gen = -1;
  const tid = (vm: number, v: number) => 100_000 + gen * 100 + vm * 2 + v;
  const holdUntil = new Array<number>(CPUS).fill(0);
  const line = (name: string, cpu: number, fields: Record<string, unknown>) => `{"ts":"${t + BigInt(rel)}","name":"${name}","cpu":${cpu},"fields":${JSON.stringify(fields)}}\n`;
  for (let n = 0; ; n++) {
    if (rel >= (gen + 1) * GEN_NS) {
      gen++;
      for (let vm = 0; vm < VMS; vm++) for (let v = 0; v < 2; v++) yield line("lttng_statedump_process_state", 0, { tid: tid(vm, v), pid: 1000 + vm, ppid: 1, name: `qemu-${vm}` });
    }
    rel += 1000 + Math.floor(rnd() * 3000);
    const cpu = n % CPUS;
    if (rel < holdUntil[cpu]!) continue;
    const slot = (cpu * 4 + Math.floor(rnd() * 4)) % (VMS * 2);
    const vm = slot >> 1, v = slot & 1, me = tid(vm, v);
    const r = rnd();
    if (n % 50_021 === 0) {
      // an EPT-violation storm with no re-entry for 3 ms (the vCPU is then re-entered)
      for (let i = 0; i < 25; i++) {
        yield line("kvm_exit", cpu, { exit_reason: 48, guest_rip: 8192 + i, isa: 1, info1: 0, info2: 0 });
        rel += 50_000;
      }
      rel += 3e6;
      yield line("kvm_entry", cpu, { vcpu_id: v });
      holdUntil[cpu] = rel;
      continue;
    }
    if (n % 3001 === 0) {
      // preempted while runnable, 1–20 ms
      const hold = 1e6 + Math.floor(rnd() * 19e6);
      yield line("sched_switch", cpu, { prev_comm: `qemu-${vm}`, prev_tid: me, prev_prio: 120, prev_state: 0, next_comm: "kworker", next_tid: 50 + cpu, next_prio: 120 });
      rel += hold;
      yield line("sched_switch", cpu, { prev_comm: "kworker", prev_tid: 50 + cpu, prev_prio: 120, prev_state: 1, next_comm: `qemu-${vm}`, next_tid: me, next_prio: 120 });
      holdUntil[cpu] = rel;
      continue;
    }
    yield line("sched_switch", cpu, { prev_comm: "x", prev_tid: 50 + cpu, prev_prio: 120, prev_state: 1, next_comm: `qemu-${vm}`, next_tid: me, next_prio: 120 });
    const reason = r < 0.5 ? 1 : r < 0.7 ? 30 : r < 0.9 ? 48 : 12;
    yield line("kvm_exit", cpu, { exit_reason: reason, guest_rip: 4096 + (n & 4095), isa: 1, info1: 0, info2: 0 });
    rel += 2000 + Math.floor(rnd() * 40000);
    yield line("kvm_entry", cpu, { vcpu_id: v });
  }
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-soak-"));
  const rules = join(dir, "soak.vgl");
  writeFileSync(rules, RULES);
  const stub = join(dir, "lttng-stub");
  writeFileSync(stub, "#!/bin/sh\nexit 0\n");
  chmodSync(stub, 0o755);
  const child = spawn(process.execPath, [join(REPO_ROOT, "dist", "cli", "main.js"), "watch", rules, "-", "--input-format", "jsonl", "--format", "json", "--lttng", stub,
    "--do", 'soak.long_preemption: snapshot "fr" at most every 1s per vm', "--history", "1000", "--max-alerts", "500"], { stdio: ["pipe", "pipe", "pipe"] });
  let outLines = 0;
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => { for (const c of d) if (c === 10) outLines++; });
  child.stderr.on("data", (d: Buffer) => { if (stderr.length < 1e5) stderr += d.toString(); });
  const exited = new Promise<number | null>((res) => child.once("exit", res));

  const t0 = Date.now();
  const samples: Array<{ s: number; rss_mib: number; events: number }> = [];
  let events = 0;
  const sampler = setInterval(() => {
    try {
      samples.push({ s: +((Date.now() - t0) / 1000).toFixed(1), rss_mib: +(rssKiB(child.pid!) / 1024).toFixed(1), events });
    } catch { /* exited */ }
  }, SAMPLE_MS);

  // Write at full speed, respecting the pipe's backpressure, until the time is up.
  const gen = host();
  const deadline = t0 + DURATION_S * 1000;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (Date.now() < deadline) {
        let chunk = "";
        for (let i = 0; i < 2000; i++) chunk += gen.next().value as string;
        events += 2000;
        if (!child.stdin.write(chunk)) return void child.stdin.once("drain", pump);
      }
      resolve();
    };
    pump();
  });
  clearInterval(sampler);
  child.stdin.end();
  const code = await exited;
  rmSync(dir, { recursive: true, force: true });

  const post = samples.filter((x) => x.s >= DURATION_S * WARMUP);
  const half = Math.floor(post.length / 2);
  const max = (xs: typeof post) => Math.max(...xs.map((x) => x.rss_mib));
  const firstHalfMax = max(post.slice(0, half));
  const secondHalfMax = max(post.slice(half));
  const ceiling = +(firstHalfMax * 1.1 + 16).toFixed(1);
  const summary = stderr.match(/vigil watch: .*/g)?.pop() ?? null;
  const result = {
    bench: "vigil watch: soak at full speed on stdin, RSS after warm-up",
    date: new Date().toISOString(),
    machine: { cpus: availableParallelism(), loadavg_1m_at_end: +loadavg()[0]!.toFixed(2), node: process.version },
    settings: { duration_s: DURATION_S, warmup_fraction: WARMUP, sample_ms: SAMPLE_MS, history: 1000, max_alerts: 500 },
    events_written: events, events_per_s: Math.round(events / DURATION_S), output_lines: outLines, exit_code: code, watch_summary: summary,
    rss_mib: { at_warmup_end: post[0]?.rss_mib ?? null, first_half_max: firstHalfMax, second_half_max: secondHalfMax, ceiling, final: samples.at(-1)?.rss_mib ?? null },
    flat: secondHalfMax <= ceiling && code === 0,
    samples,
  };
  if (SAVE) {
    mkdirSync(join(REPO_ROOT, "bench", "results"), { recursive: true });
    writeFileSync(join(REPO_ROOT, "bench", "results", "watch-soak.json"), JSON.stringify(result, null, 2) + "\n");
  }
  const { samples: _s, ...brief } = result;
  process.stdout.write(JSON.stringify(brief, null, 2) + "\n");
  if (!result.flat) process.exitCode = 1;
}

await main();
