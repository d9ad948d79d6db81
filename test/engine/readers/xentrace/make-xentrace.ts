/**
 * Builds xentrace files byte by byte with the documented layout (xen/include/public/trace.h
 * `struct t_rec`; tools/xentrace/xentrace.c `struct cpu_change_record`), so tests can pin
 * exact decoding without a Xen host.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RecordSpec {
  id: number;
  /** Present → the TSC flag is set and the 64-bit TSC follows the header. */
  tsc?: bigint;
  /** Extra 32-bit words (0..7); negative numbers are written as their two's complement. */
  data?: number[];
}

/** One `t_rec`: header word, optional TSC (low word first), extra words, little-endian. */
export function record(r: RecordSpec): Uint8Array {
  const data = r.data ?? [];
  if (data.length > 7) throw new Error("a t_rec holds at most 7 extra words");
  const size = 4 + (r.tsc !== undefined ? 8 : 0) + 4 * data.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  const header = (r.id & 0x0fffffff) | (data.length << 28) | (r.tsc !== undefined ? 0x80000000 : 0);
  dv.setUint32(0, header >>> 0, true);
  let p = 4;
  if (r.tsc !== undefined) {
    dv.setBigUint64(4, r.tsc, true);
    p = 12;
  }
  for (const w of data) {
    dv.setUint32(p, w >>> 0, true);
    p += 4;
  }
  return out;
}

/** A cpu_change record announcing `size` bytes of `cpu`'s records. */
export function cpuChange(cpu: number, size: number): Uint8Array {
  return record({ id: 0x1f003, data: [cpu, size] });
}

/** A CPU window as xentrace writes it: cpu_change, then the records. */
export function cpuWindow(cpu: number, records: Uint8Array[]): Uint8Array {
  const body = concat(records);
  return concat([cpuChange(cpu, body.length), body]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The 32-bit halves of a 64-bit value, low first (how 64-bit fields are traced). */
export function words64(v: bigint): [number, number] {
  return [Number(v & 0xffffffffn), Number(v >> 32n)];
}

/** A fresh temporary directory. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "vigil-xentrace-"));
}

/** Writes bytes to `dir/name` and returns the path. */
export async function writeTrace(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Base TSC of `smallTrace`; read it at 1 GHz so one cycle is one ns. */
export const T0 = 1_000_000n;
/** A guest rip above 2^53, to prove 64-bit fields stay exact. */
export const RIP = 0xffffffff81234567n;

/**
 * A two-CPU trace exercising each rule of the format: interleaved windows, a record without a
 * TSC, a 64-bit field, an unknown id, negative fields, a lost-records record, `wrap_buffer`
 * padding, and (in `cut`) a last record the file ends inside.
 */
export function smallTrace(): { whole: Uint8Array; cut: Uint8Array; cutRecordOffset: number } {
  const dv = (dom: number, vcpu: number) => ((dom << 16) | vcpu) >>> 0;
  const windowA = cpuWindow(0, [
    record({ id: 0x21101, tsc: T0, data: [dv(14, 2)] }),
    record({ id: 0x81102, tsc: T0 + 100n, data: [30, ...words64(RIP)] }),
    record({ id: 0x8200f, data: [0xef] }),
    record({ id: 0x81001, tsc: T0 + 250n }),
  ]);
  const windowB = cpuWindow(1, [
    record({ id: 0x28004, tsc: T0 + 50n, data: [14, 3] }),
    record({ id: 0x00abc12, tsc: T0 + 120n, data: [1, 2, 0xffffffff] }),
    record({ id: 0x1f001, tsc: T0 + 400n, data: [7, dv(3, 14), ...words64(T0 + 300n)] }),
    record({ id: 0x1f002, tsc: T0 + 410n, data: [0xdead, 0xbeef] }),
    record({ id: 0x28006, tsc: T0 + 420n, data: [14, 3] }),
  ]);
  const lastRecords = [
    record({ id: 0x21021, tsc: T0 + 500n, data: [dv(14, 2)] }),
    record({ id: 0x22203, tsc: T0 + 510n, data: [dv(0, 1), -5, 0x80000000, 100] }),
  ];
  const tail = record({ id: 0x81102, tsc: T0 + 600n, data: [12, ...words64(0x1000n)] });
  const windowC = cpuWindow(0, [...lastRecords, tail]);
  const whole = concat([windowA, windowB, windowC]);
  const cutRecordOffset = whole.length - tail.length;
  return { whole, cut: whole.subarray(0, cutRecordOffset + 10), cutRecordOffset };
}
