/**
 * The trace-cmd report / tracefs `trace` text reader: detection and opening. One file (or
 * stdin, path `-`) is one source.
 *
 * Detection is by content only: the first event-like line of the head must decode as an
 * ftrace line (`COMM-TID [CPU] ... SEC.FRAC: EVENT:`), after any `# tracer:` header,
 * `cpus=N` or `version =` lines.
 */
import type { TraceReader, TraceSource } from "../source.js";
import { FtraceDecoder } from "./decode-ftrace.js";
import { sniffWith } from "./sniff-text.js";
import { openTextSource, type TextReaderOptions } from "./text-source.js";

export const ftraceReader: TraceReader = {
  format: "ftrace",

  detect(_path: string, head: Uint8Array, isDirectory: boolean): boolean {
    return !isDirectory && sniffWith(head, () => new FtraceDecoder());
  },

  async open(path: string, options: TextReaderOptions): Promise<TraceSource[]> {
    return [openTextSource(path, options, "ftrace", () => new FtraceDecoder())];
  },
};
