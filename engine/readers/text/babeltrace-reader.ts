/**
 * The babeltrace2 text reader (`sink.text.pretty`, babeltrace2's default output): detection and
 * opening. One file (or stdin, path `-`, for `babeltrace2 TRACE | vigil run -`) is one source,
 * whatever number of traces babeltrace2 merged into it.
 *
 * Detection is by content only: the first line of the head must decode as a babeltrace2 pretty
 * line (`[TIME] (+DELTA) HOST NAME: { ... }`, or `NAME: { ... }` for clockless traces).
 * Best fed `babeltrace2 --clock-seconds` (exact epoch ns); the default time-of-day form works
 * within a run (see `babeltrace-clock.ts`).
 */
import type { TraceReader, TraceSource } from "../source.js";
import { BabeltraceDecoder } from "./decode-babeltrace.js";
import { sniffWith } from "./sniff-text.js";
import { openTextSource, type TextReaderOptions } from "./text-source.js";

export const babeltraceTextReader: TraceReader = {
  format: "babeltrace-text",

  detect(_path: string, head: Uint8Array, isDirectory: boolean): boolean {
    return !isDirectory && sniffWith(head, () => new BabeltraceDecoder());
  },

  async open(path: string, options: TextReaderOptions): Promise<TraceSource[]> {
    return [openTextSource(path, options, "babeltrace-text", () => new BabeltraceDecoder())];
  },
};
