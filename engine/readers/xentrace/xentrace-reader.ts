/**
 * The xentrace reader: detection and opening. One `xentrace` output file is one source.
 *
 * Detection is by content, since xentrace files have no fixed extension (`.bin`, `.xentrace`,
 * `trace.raw`...): xentrace starts every file with a `cpu_change` record (header 0x2001f003,
 * then a CPU number and a window size). Only little-endian traces (x86, Arm) are recognised.
 */
import { basename } from "node:path";
import type { ReaderOptions, TraceReader, TraceSource } from "../source.js";
import { CPU_CHANGE_HEADER, MAX_CPU } from "./scan-windows.js";
import { XentraceSource, type XentraceOptions } from "./source.js";

/** Reader options plus the xentrace ones (`cpuHz`, `timeScale`, `recordTablePath`). */
export type XentraceReaderOptions = ReaderOptions & XentraceOptions;

/**
 * A xentrace reader whose options default to `defaults` (e.g. the CLI's `--cpu-hz`); options
 * given to `open` win over them.
 */
export function createXentraceReader(defaults: XentraceOptions = {}): TraceReader {
  return {
    format: "xentrace",
    detect(_path: string, head: Uint8Array, isDirectory: boolean): boolean {
      return !isDirectory && sniffXentrace(head);
    },
    async open(path: string, options: XentraceReaderOptions): Promise<TraceSource[]> {
      const merged: XentraceOptions = {
        cpuHz: options.cpuHz ?? defaults.cpuHz,
        timeScale: options.timeScale ?? defaults.timeScale,
        recordTablePath: options.recordTablePath ?? defaults.recordTablePath,
      };
      return [new XentraceSource(path, options.hostId ?? basename(path), options.onIssue, merged)];
    },
  };
}

/** The xentrace reader with xenalyze's defaults (2.4 GHz, xenalyze's time conversion). */
export const xentraceReader: TraceReader = createXentraceReader();

/** True when `head` starts like a xentrace file: a cpu_change record with a plausible CPU. */
export function sniffXentrace(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return dv.getUint32(0, true) === CPU_CHANGE_HEADER && dv.getUint32(4, true) <= MAX_CPU;
}
