/**
 * Every trace format Vigil reads, in one map, and `openTraces`, which turns the paths a user
 * gives into opened sources.
 *
 * Contract: after `openTraces` resolves, every source has been `open`ed (`first`, `last` and
 * `schema` are valid) and the list follows the order of `paths` (a path may give several
 * sources, e.g. a CTF trace with `kernel/` and `ust/`). A path no reader recognises, or a
 * missing one, rejects with a `TraceOpenError` naming the path and the supported formats;
 * problems inside a trace go to `onIssue` and never reject.
 */
import { open as openFile, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { ctfReader } from "./ctf/index.js";
import { jsonlReader } from "./jsonl/jsonl-reader.js";
import type { ReaderOptions, TraceReader, TraceSource } from "./source.js";
import { tcxmlReader } from "./tcxml/tcxml-reader.js";
import { xentraceReader } from "./xentrace/xentrace-reader.js";
import { babeltraceTextReader } from "./text/babeltrace-reader.js";
import { ftraceReader } from "./text/ftrace-reader.js";
import { perfScriptReader } from "./text/perf-reader.js";

/**
 * The readers, keyed by format name (the `--format` choices; the key must equal the reader's
 * `format`). Detection tries them in this order, so more specific detectors come first.
 */
export const ReadersMap = {
  ctf: ctfReader,
  jsonl: jsonlReader,
  tcxml: tcxmlReader,
  xentrace: xentraceReader,
  "babeltrace-text": babeltraceTextReader,
  ftrace: ftraceReader,
  "perf-script": perfScriptReader,
} satisfies Record<string, TraceReader>;

/** A format name registered in `ReadersMap`. */
export type FormatName = keyof typeof ReadersMap;

/** Bytes of a file read for detection. */
export const HEAD_BYTES = 4096;

/** A path that cannot be opened as a trace; `path` is the path as the user gave it. */
export class TraceOpenError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = "TraceOpenError";
  }
}

export interface OpenOptions extends Omit<ReaderOptions, "hostId"> {
  /** Skip detection and read every path with this format (`--format`). */
  format?: string;
  /** Host ids by position in `paths` (default: file or directory name; `stdin` for `-`). */
  hostIds?: Array<string | undefined>;
  /** The stream read for path `-` (default `process.stdin`). */
  stdin?: Readable;
  /** Format-specific options every reader receives (e.g. xentrace's `cpuHz`); readers ignore what they don't know. */
  readerOptions?: Record<string, unknown>;
}

/** The supported format names, sorted, for messages and CLI choices. */
export function supportedFormats(): string[] {
  return Object.keys(ReadersMap).sort();
}

/** The reader registered for `format`, or a `TraceOpenError` listing the supported ones. */
export function readerFor(format: string, path = ""): TraceReader {
  const reader = (ReadersMap as Record<string, TraceReader>)[format];
  if (reader === undefined) {
    throw new TraceOpenError(path, `Unknown trace format "${format}": supported formats are ${supportedFormats().join(", ")}`);
  }
  return reader;
}

/** Opens every path (file, directory, or `-` for stdin) as one or more sources, in order. */
export async function openTraces(paths: string[], options: OpenOptions): Promise<TraceSource[]> {
  if (paths.filter((p) => p === "-").length > 1) throw new TraceOpenError("-", "stdin (-) can be given only once");
  const sources: TraceSource[] = [];
  const hostPaths = new Map<string, string>();
  for (const [i, path] of paths.entries()) {
    const { reader, stdin } = await _pick(path, options);
    const opened = await reader.open(path, { ...options.readerOptions, onIssue: options.onIssue, hostId: options.hostIds?.[i], stdin } as ReaderOptions);
    for (const s of opened) {
      await s.open();
      _warnDuplicateHost(s, path, hostPaths, options);
    }
    sources.push(...opened);
  }
  return sources;
}

// --- internal ---

/** The reader for `path`: the override, else the first whose `detect` accepts it. */
async function _pick(path: string, options: OpenOptions): Promise<{ reader: TraceReader; stdin?: Readable }> {
  let head: Uint8Array;
  let isDirectory = false;
  let stdin: Readable | undefined;
  if (path === "-") {
    const peeked = await _peek(options.stdin ?? process.stdin, HEAD_BYTES);
    head = peeked.head;
    stdin = peeked.rest;
  } else {
    const info = await stat(path).catch(() => null);
    if (info === null) throw new TraceOpenError(path, `Cannot open trace ${path}: no such file or directory`);
    isDirectory = info.isDirectory();
    head = isDirectory ? new Uint8Array(0) : await _readHead(path);
  }
  if (options.format !== undefined) return { reader: readerFor(options.format, path), stdin };
  for (const reader of Object.values(ReadersMap) as TraceReader[]) {
    if (reader.detect(path, head, isDirectory)) return { reader, stdin };
  }
  const what = path === "-" ? "stdin" : isDirectory ? `directory ${path}` : path;
  throw new TraceOpenError(
    path,
    `Cannot recognise the trace format of ${what}: supported formats are ${supportedFormats().join(", ")}; name one with --format`,
  );
}

async function _readHead(path: string): Promise<Uint8Array> {
  const fh = await openFile(path, "r");
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Reads at least `n` bytes (or all, if shorter) from a stream without losing them: `rest`
 * yields the same bytes again, then the remainder of the stream. It stops early when the
 * stream pauses after a whole line: a live text stream (`babeltrace2 --input-format=lttng-live
 * ... | vigil watch -`) may send one event a minute, and its first alert must not wait for
 * `n` bytes.
 */
async function _peek(stream: Readable, n: number): Promise<{ head: Uint8Array; rest: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = stream.readableEnded;
  let wholeLine = false;
  while (size < n && !ended) {
    const c: unknown = stream.read();
    if (c !== null) {
      const b = typeof c === "string" ? Buffer.from(c) : Buffer.from(c as Uint8Array);
      chunks.push(b);
      size += b.length;
      wholeLine ||= b.includes(10);
      continue;
    }
    if (wholeLine) break;
    if (stream.readableEnded) {
      ended = true;
      break;
    }
    ended = await new Promise<boolean>((resolve, reject) => {
      const done = (v: boolean) => () => {
        stream.off("readable", onReadable).off("end", onEnd).off("error", onError);
        resolve(v);
      };
      const onReadable = done(false);
      const onEnd = done(true);
      const onError = (e: Error) => reject(e);
      stream.once("readable", onReadable).once("end", onEnd).once("error", onError);
    });
  }
  const head = Buffer.concat(chunks);
  if (ended) return { head, rest: Readable.from(head.length > 0 ? [head] : []) };
  stream.unshift(head);
  return { head, rest: stream };
}

/**
 * Sources of two different paths with one host id make results ambiguous: say so (they stay
 * distinct by index). Sources of one path (CTF `kernel/` + `ust/`) share their host on purpose.
 */
function _warnDuplicateHost(s: TraceSource, path: string, hostPaths: Map<string, string>, options: OpenOptions): void {
  const prev = hostPaths.get(s.hostId);
  if (prev === undefined) hostPaths.set(s.hostId, path);
  else if (prev !== path) {
    options.onIssue({ severity: "warning", file: path, message: `Host id "${s.hostId}" is also the host id of ${prev}; give distinct host ids to tell them apart` });
  }
}
