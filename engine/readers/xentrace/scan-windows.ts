/**
 * The layout of a xentrace file: xentrace copies each CPU's trace ring to the file in windows,
 * each preceded by a `cpu_change` record (`TRC_TRACE_CPU_CHANGE`, no TSC, extra words
 * `{cpu, window_size}`); the window's records all belong to that CPU. Windows of different CPUs
 * interleave, so each CPU's stream is the concatenation of its windows (as xenalyze reads it).
 *
 * Contract: `scanWindows` reads only the window headers (hopping over the data) and returns
 * every CPU's windows in file order. It never throws for bad input: a header that is not a
 * `cpu_change`, an absurd CPU number, or a file that ends inside a header stops the scan with
 * one located error in `problem`, keeping the windows before it; a last window that runs past
 * the end of the file is kept, shortened, with `truncated` set (the cursor reports where the
 * records stop).
 */
import type { FileHandle } from "node:fs/promises";
import { TRC_TRACE_CPU_CHANGE, extraWords, hasTsc, recordId } from "./decode-records.js";

/** One window: `length` bytes of records of one CPU, starting at file offset `start`. */
export interface XenWindow {
  /** Offset of the window's `cpu_change` header. */
  header: number;
  start: number;
  length: number;
  /** Bytes the header announced (differs from `length` only when the file is truncated). */
  declared: number;
}

export interface WindowLayout {
  /** Windows per CPU, in file order; CPUs in ascending order. */
  cpus: Map<number, XenWindow[]>;
  windowCount: number;
  /** The window cut short by the end of the file, if any. */
  truncated: { cpu: number; window: XenWindow } | null;
  /** Why the scan stopped before the end of the file, with the offset. */
  problem: { offset: number; message: string } | null;
}

/** xentrace's header word for a cpu_change record: id 0x1f003, 2 extra words, no TSC. */
export const CPU_CHANGE_HEADER = (TRC_TRACE_CPU_CHANGE | (2 << 28)) >>> 0;

/** Xen's NR_CPUS tops out at 4096; a larger CPU number means the bytes are not a window header. */
export const MAX_CPU = 4095;

/** Scans the window headers of a file of `size` bytes. */
export async function scanWindows(fh: FileHandle, size: number): Promise<WindowLayout> {
  const reader = new _ChunkReader(fh, size);
  const byCpu = new Map<number, XenWindow[]>();
  let windowCount = 0;
  let truncated: WindowLayout["truncated"] = null;
  let problem: WindowLayout["problem"] = null;
  let at = 0;
  while (at < size) {
    if (size - at < 12) {
      problem = { offset: at, message: `the file ends ${size - at} bytes into a cpu_change header (12 bytes): the trace is truncated` };
      break;
    }
    const dv = await reader.view(at, 12);
    const header = dv.getUint32(0, true);
    if (recordId(header) !== TRC_TRACE_CPU_CHANGE || hasTsc(header) || extraWords(header) < 2) {
      problem = {
        offset: at,
        message: `expected a cpu_change record (header 0x${CPU_CHANGE_HEADER.toString(16)}) starting a CPU window, found header 0x${header.toString(16).padStart(8, "0")}: the file is corrupt or not a xentrace trace`,
      };
      break;
    }
    const cpu = dv.getUint32(4, true);
    const declared = dv.getUint32(8, true);
    if (cpu > MAX_CPU) {
      problem = { offset: at, message: `cpu_change names CPU ${cpu}, above Xen's limit of ${MAX_CPU + 1} CPUs: the file is corrupt` };
      break;
    }
    const start = at + 4 + 4 * extraWords(header);
    const length = Math.min(declared, Math.max(0, size - start));
    const w: XenWindow = { header: at, start, length, declared };
    let list = byCpu.get(cpu);
    if (list === undefined) byCpu.set(cpu, (list = []));
    list.push(w);
    windowCount++;
    if (start + declared > size) {
      truncated = { cpu, window: w };
      break;
    }
    at = start + declared;
  }
  const cpus = new Map([...byCpu.entries()].sort((a, b) => a[0] - b[0]));
  return { cpus, windowCount, truncated, problem };
}

// --- internal ---

const _CHUNK = 64 * 1024;

/** Positioned reads through a 64 KiB cache: small windows put many headers in one read. */
class _ChunkReader {
  private buf = new Uint8Array(_CHUNK);
  private from = 0;
  private to = 0;

  constructor(private readonly fh: FileHandle, private readonly size: number) {}

  async view(at: number, len: number): Promise<DataView> {
    if (at < this.from || at + len > this.to) {
      const { bytesRead } = await this.fh.read(this.buf, 0, Math.min(_CHUNK, this.size - at), at);
      this.from = at;
      this.to = at + bytesRead;
    }
    return new DataView(this.buf.buffer, this.buf.byteOffset + (at - this.from), len);
  }
}
