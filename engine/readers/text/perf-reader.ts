/**
 * The `perf script` text reader: detection and opening. One file (or stdin, path `-`) is one
 * source.
 *
 * Detection is by content only: the first line of the head that is not a `#` header must
 * decode as a perf script tracepoint sample (`COMM TID [CPU] SEC.FRAC: SUBSYS:EVENT:`).
 */
import type { TraceReader, TraceSource } from "../source.js";
import { PerfScriptDecoder } from "./decode-perf.js";
import { sniffWith } from "./sniff-text.js";
import { openTextSource, type TextReaderOptions } from "./text-source.js";

export const perfScriptReader: TraceReader = {
  format: "perf-script",

  detect(_path: string, head: Uint8Array, isDirectory: boolean): boolean {
    return !isDirectory && sniffWith(head, () => new PerfScriptDecoder());
  },

  async open(path: string, options: TextReaderOptions): Promise<TraceSource[]> {
    return [openTextSource(path, options, "perf-script", () => new PerfScriptDecoder())];
  },
};
