/**
 * The JSON Lines reader: detection and opening. One file (or stdin) is one source.
 *
 * Detection: a `.jsonl` / `.ndjson` name, or content whose first non-blank line is a JSON
 * object with a `"ts"` and a `"name"` key (stdin, other extensions).
 */
import { basename } from "node:path";
import type { Readable } from "node:stream";
import type { ReaderOptions, TraceReader, TraceSource } from "../source.js";
import { JsonlSource } from "./source.js";

/** Reader options plus the stream that stands for stdin (tests pass their own). */
export interface JsonlReaderOptions extends ReaderOptions {
  /** Read for path `-`; defaults to `process.stdin`. */
  stdin?: Readable;
}

export const jsonlReader: TraceReader = {
  format: "jsonl",

  detect(path: string, head: Uint8Array, isDirectory: boolean): boolean {
    if (isDirectory) return false;
    if (/\.(jsonl|ndjson)$/i.test(path)) return true;
    return sniffJsonl(head);
  },

  async open(path: string, options: JsonlReaderOptions): Promise<TraceSource[]> {
    const stdin = path === "-";
    const hostId = options.hostId ?? (stdin ? "stdin" : basename(path));
    const stream = stdin ? (options.stdin ?? process.stdin) : null;
    return [new JsonlSource(path, hostId, options.onIssue, stream)];
  },
};

/**
 * True when the first non-blank line of `head` opens a JSON object holding `"ts"` and `"name"`
 * keys. The line may be cut by the end of `head`, so it is not parsed, only looked at.
 */
export function sniffJsonl(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head);
  const line = text.replace(/^\uFEFF/, "").split("\n").find((l) => l.trim().length > 0);
  if (line === undefined || !line.trimStart().startsWith("{")) return false;
  return /"ts"\s*:/.test(line) && /"name"\s*:/.test(line);
}
