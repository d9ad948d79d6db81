/**
 * A longer xentrace file made of a real one: the xentrace benches (xentrace-bench.ts,
 * xen-pack-bench.ts) time Vigil and xenalyze on a real trace `copies` times over, since the
 * real traces at hand are far shorter than the runs worth timing. Nothing is invented: every
 * record is the trace's own but for the seams below.
 *
 * Contract: `replicateXentrace(original, copies)` returns the trace's windows `copies` times,
 * the TSCs of copy k (record TSCs and lost-records' first-TSC words) shifted by k · (the
 * trace's span + 1 ms at 2.4 GHz), so the file stays in time order. Before each copy but the
 * first, every CPU gets a window holding one lost-records record (count 0) naming the vCPU
 * that runs on it when the trace starts (`runningAtStart`; {domain 32767, vcpu = cpu}, the
 * idle domain, when no record says): that makes xenalyze reset its scheduling state at the seam
 * as after a real loss (without it its analysis stops there: "FATAL: continue on p5, but d14v2
 * p2") and makes Vigil mark the run uncertain. `records` counts every record of the result,
 * window headers included.
 */
import { join, resolve } from "node:path";
import { REPO_ROOT } from "./bench-env.js";

/** The real trace the xentrace benches replicate, as results name it. */
export const XENTRACE_SAMPLE = "../shared/traces/xentrace-parser-rs-example/xentrace.bin";

/** Where `XENTRACE_SAMPLE` is on this machine (`$VIGIL_SHARED` stands for ../shared). */
export const XENTRACE_SAMPLE_PATH = process.env.VIGIL_SHARED
  ? join(process.env.VIGIL_SHARED, "traces", "xentrace-parser-rs-example", "xentrace.bin")
  : resolve(REPO_ROOT, XENTRACE_SAMPLE);

/** The domain and vCPU a CPU runs, by CPU. */
export type RunningVcpus = Map<number, [domain: number, vcpu: number]>;

/** Calls `fn(cpu, offset, header)` for every record, window headers (cpu_change) included. */
export function eachXentraceRecord(dv: DataView, fn: (cpu: number, at: number, hdr: number) => void): void {
  for (let at = 0; at + 12 <= dv.byteLength; ) {
    const cpu = dv.getUint32(at + 4, true);
    fn(cpu, at, dv.getUint32(at, true));
    const end = at + 12 + dv.getUint32(at + 8, true);
    for (let p = at + 12; p < end; ) {
      const hdr = dv.getUint32(p, true);
      fn(cpu, p, hdr);
      // header word, then the TSC when bit 31 says so, then 0-7 extra words (bits 28-30)
      p += 4 + (hdr >>> 31) * 8 + ((hdr >>> 28) & 7) * 4;
    }
    at = end;
  }
}

/**
 * The domain and vCPU each CPU runs when the trace starts: from its first switch-out, continue,
 * or run-leaving runstate record (the records that name the vCPU leaving the CPU).
 */
export function runningAtStart(dv: DataView): RunningVcpus {
  const running: RunningVcpus = new Map();
  eachXentraceRecord(dv, (cpu, at, hdr) => {
    if (running.has(cpu)) return;
    const id = hdr & 0x0fffffff;
    if (id === 0x2800a || id === 0x2800e || id === 0x28011) running.set(cpu, [dv.getUint32(at + 12, true), dv.getUint32(at + 16, true)]);
    else if (id === 0x21002 || ((id & 0xfffff00f) === 0x21001 && ((id >>> 8) & 0xf) === 0)) {
      const w0 = dv.getUint32(at + 12, true); // {u16 vcpu, u16 domain}
      running.set(cpu, [w0 >>> 16, w0 & 0xffff]);
    }
  });
  return running;
}

/** The trace `copies` times over, with seams (see the contract above). */
export function replicateXentrace(original: Uint8Array, copies: number): { bytes: Uint8Array; records: number } {
  const dv = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const running = runningAtStart(dv);
  const first = new Map<number, bigint>();
  const last = new Map<number, bigint>();
  let records = 0;
  eachXentraceRecord(dv, (cpu, at, hdr) => {
    records++;
    if (hdr >>> 31 === 0) return;
    const t = dv.getBigUint64(at + 4, true);
    if (!first.has(cpu)) first.set(cpu, t);
    last.set(cpu, t);
  });
  const min = [...first.values()].reduce((a, b) => (a < b ? a : b));
  const max = [...last.values()].reduce((a, b) => (a > b ? a : b));
  const step = max - min + 2_400_000n;
  const out = new Uint8Array(original.length * copies + _SEAM * first.size * (copies - 1));
  const odv = new DataView(out.buffer);
  let at = 0;
  for (let k = 0; k < copies; k++) {
    const shift = step * BigInt(k);
    if (k > 0) {
      for (const [cpu, t] of first) {
        const [dom, vcpu] = running.get(cpu) ?? [32767, cpu];
        odv.setUint32(at, _CPU_CHANGE, true);
        odv.setUint32(at + 4, cpu, true);
        odv.setUint32(at + 8, 28, true);
        odv.setUint32(at + 12, _LOST_RECORDS, true);
        odv.setBigUint64(at + 16, t + shift - 1n, true);
        odv.setUint32(at + 24, 0, true); // lost count
        odv.setUint32(at + 28, ((vcpu << 16) | dom) >>> 0, true); // {u16 domain, u16 vcpu}
        odv.setBigUint64(at + 32, last.get(cpu)! + shift - step + 1n, true); // first TSC of the loss
        at += _SEAM;
      }
    }
    out.set(original, at);
    if (k > 0) {
      const base = at;
      eachXentraceRecord(dv, (_cpu, p, hdr) => {
        if (hdr >>> 31) odv.setBigUint64(base + p + 4, dv.getBigUint64(p + 4, true) + shift, true);
        if ((hdr & 0x0fffffff) === 0x1f001 && ((hdr >>> 28) & 7) >= 4) odv.setBigUint64(base + p + 20, dv.getBigUint64(p + 20, true) + shift, true);
      });
    }
    at += original.length;
  }
  // Each seam adds a cpu_change and a lost_records record per CPU.
  return { bytes: out, records: records * copies + 2 * first.size * (copies - 1) };
}

// --- internal ---

const _CPU_CHANGE = 0x2001f003;
/** lost_records with a TSC and 4 extra words. */
const _LOST_RECORDS = (0x1f001 | (4 << 28) | 0x80000000) >>> 0;
/** A seam window: cpu_change header (12 bytes) + lost_records (4 + 8 + 16). */
const _SEAM = 12 + 28;
