/**
 * The CTF 1.8 `TraceReader`: detection and opening of LTTng (and other CTF 1.8) traces.
 *
 * A path is a CTF trace when it is a directory holding a `metadata` file, a directory with such
 * directories below it (an LTTng session: `kernel/`, `ust/uid/0/64-bit/`…), or a `metadata`
 * file itself. Each trace directory becomes one `TraceSource`.
 *
 * Contract: `open` never throws for bad traces: metadata that cannot be read or parsed is
 * reported through `onIssue` with the file and line (or byte offset) and that trace is left
 * out; metadata warnings and event classes that cannot be compiled are reported as warnings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import type { ReaderOptions, TraceReader, TraceSource } from "../source.js";
import { CtfTraceSource } from "./ctf-source.js";
import { MetadataFileError, isPacketizedMetadata, readMetadataText } from "./metadata-file.js";
import { groupStreamFiles } from "./stream-files.js";
import { TsdlError } from "./tsdl-lexer.js";
import { parseTsdl } from "./tsdl-parser.js";
import { compileTrace } from "./trace-runtime.js";

/** How deep below the given directory trace directories are looked for. */
const MAX_DEPTH = 8;
const MAX_ENTRIES = 20000;

/** The CTF reader registered as `ctf` in `ReadersMap`. */
export const ctfReader: TraceReader = {
  format: "ctf",

  detect(path: string, head: Uint8Array, isDirectory: boolean): boolean {
    if (isDirectory) return findTraceDirs(path).length > 0;
    if (basename(path) !== "metadata") return false;
    return isPacketizedMetadata(head) || new TextDecoder().decode(head.subarray(0, 64)).includes("CTF 1.8");
  },

  async open(path: string, options: ReaderOptions): Promise<TraceSource[]> {
    let root: string;
    try {
      root = statSync(path).isDirectory() ? path : dirname(path);
    } catch (e) {
      if (!_isFsError(e)) throw e;
      options.onIssue({ severity: "error", file: path, message: `Cannot read the trace: ${(e as Error).message}` });
      return [];
    }
    const dirs = findTraceDirs(root);
    const name = options.hostId ?? basename(root);
    const sources: TraceSource[] = [];
    for (const dir of dirs) {
      const rel = relative(root, dir);
      const hostId = dirs.length === 1 || rel === "" ? name : `${name}/${rel}`;
      const src = openTraceDir(dir, hostId, options);
      if (src !== null) sources.push(src);
    }
    return sources;
  },
};

/** Opens one trace directory, or reports why it cannot be read and returns null. */
export function openTraceDir(dir: string, hostId: string, options: ReaderOptions): CtfTraceSource | null {
  const file = join(dir, "metadata");
  try {
    const mt = readMetadataText(readFileSync(file));
    for (const w of mt.warnings) options.onIssue({ severity: "warning", file, offset: w.offset, message: w.message });
    const md = parseTsdl(mt.text);
    for (const w of md.warnings) options.onIssue({ severity: "warning", file, line: w.line, message: w.message });
    const trace = compileTrace(md);
    for (const e of trace.compileErrors) options.onIssue({ severity: "warning", file, message: `${e}; its events will be skipped` });
    return new CtfTraceSource(hostId, dir, trace, groupStreamFiles(trace, dir), options.onIssue);
  } catch (e) {
    if (e instanceof TsdlError) {
      options.onIssue({ severity: "error", file, line: e.line, message: `${e.detail} at column ${e.col}; fix the metadata or re-export it (babeltrace2 -o ctf-metadata)` });
    } else if (e instanceof MetadataFileError) {
      options.onIssue({ severity: "error", file, offset: e.offset, message: e.detail });
    } else if (_isFsError(e)) {
      options.onIssue({ severity: "error", file, message: `Cannot read the trace: ${(e as Error).message}` });
    } else throw e;
    return null;
  }
}

/** Trace directories (holding `metadata`) at or below `path`, sorted. */
export function findTraceDirs(path: string): string[] {
  const out: string[] = [];
  let budget = MAX_ENTRIES;
  const walk = (dir: string, depth: number): void => {
    if (existsSync(join(dir, "metadata")) && statSync(join(dir, "metadata")).isFile()) {
      out.push(dir);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return; // unreadable directory: nothing to find there
    }
    for (const n of names) {
      if (--budget < 0) return;
      if (n.startsWith(".")) continue;
      const p = join(dir, n);
      try {
        if (statSync(p).isDirectory()) walk(p, depth + 1);
      } catch {
        // dangling link or race with deletion: skip the entry
      }
    }
  };
  walk(path, 0);
  return out;
}

function _isFsError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string";
}
