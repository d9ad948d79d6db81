/**
 * A run's intervals and segments written to temporary files, as the output's record lines
 * (JSON objects or CSV rows), while the run goes — so `vigil run -f json|csv` holds no
 * interval in memory and its peak memory does not grow with the trace (the kvm pack keeps
 * about 40 fields per vCPU interval: 2.5 GB of heap for 1.35M events before). The formatter
 * streams the lines back.
 *
 * Contract: `joined(sep)` of a set gives exactly the texts the format's renderer gave for its
 * rows, in the order they were added, joined by `sep`; `fields` are the user field names of
 * the set's first row, in order (a machine's or sequence's rows all have the same ones). A
 * file holds the records joined by newlines, so joining is one replace per piece read: exact
 * for JSON records, which never hold a raw newline; CSV rows may (inside quotes), and CSV
 * joins its rows with a newline, which leaves the file as it is.
 * Each file is unlinked as soon as it is open, so nothing is left behind however the process
 * ends (Ctrl-C, a crash): the space comes back when its descriptor closes. Files are named at
 * random, never by rule text. `dispose` closes them.
 */
import { randomUUID } from "node:crypto";
import { accessSync, closeSync, constants, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FieldValue } from "../model/event.js";
import type { HistorySpill, RecordLines, SpilledHistory } from "../runtime/result.js";

/** A row as the run hands it over (key, state, start, end, duration, open, then its fields). */
export type SpillRow = Record<string, FieldValue | undefined>;

/** How one format writes a row as one line (`fields`: the set's field names, see the contract). */
export interface SpillRenderers {
  state(row: SpillRow, fields: readonly string[]): string;
  segment(row: SpillRow, fields: readonly string[]): string;
}

/** Names of a row's fixed keys, which are not user fields. */
const STATE_ROW_KEYS: ReadonlySet<string> = new Set(["key", "state", "start", "end", "duration", "open"]);
const SEGMENT_ROW_KEYS: ReadonlySet<string> = new Set(["key", "start", "end", "duration"]);

/** Characters buffered before a write, bytes per read. */
const CHUNK = 1 << 14;

export class HistoryFiles implements HistorySpill {
  private readonly states = new Map<string, _SpillFile>();
  private readonly segments = new Map<string, _SpillFile>();

  /** @param parent where the temporary files go (the system's by default). */
  constructor(private readonly render: SpillRenderers, private readonly parent = tmpdir(), private readonly chunk = CHUNK) {
    // fail before the run, not in the middle of it
    _io(parent, () => accessSync(parent, constants.W_OK));
  }

  state(machine: string, row: SpillRow): void {
    const f = this.file(this.states, machine, row, STATE_ROW_KEYS);
    f.add(this.render.state(row, f.fields));
  }

  segment(set: string, row: SpillRow): void {
    const f = this.file(this.segments, set, row, SEGMENT_ROW_KEYS);
    f.add(this.render.segment(row, f.fields));
  }

  /** The sets so far; reading one first writes what is still buffered. */
  finish(): SpilledHistory {
    return { states: Object.fromEntries(this.states), segments: Object.fromEntries(this.segments) };
  }

  /** Closes the files (which frees their space: they have no name left). */
  dispose(): void {
    for (const f of [...this.states.values(), ...this.segments.values()]) f.close();
  }

  private file(sets: Map<string, _SpillFile>, name: string, first: SpillRow, fixed: ReadonlySet<string>): _SpillFile {
    let f = sets.get(name);
    if (f === undefined) {
      const fields = Object.keys(first).filter((k) => !fixed.has(k));
      f = new _SpillFile(this.parent, this.chunk, fields);
      sets.set(name, f);
    }
    return f;
  }
}

// --- internal ---

/** `action()`, its file-system error turned into one that says what to do. */
function _io<T>(dir: string, action: () => T): T {
  try {
    return action();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`cannot write the output's intervals to temporary files in ${dir} (${e.code ?? e.message}): set TMPDIR to a directory with room, or pass --no-states to leave them out`);
  }
}

class _SpillFile implements RecordLines {
  count = 0;
  private fd: number | null;
  private parts: string[] = [];
  private size = 0;
  private written = false;

  constructor(private readonly dir: string, private readonly chunk: number, readonly fields: readonly string[]) {
    const path = join(dir, `vigil-history-${randomUUID()}.txt`);
    this.fd = _io(dir, () => openSync(path, "wx+"));
    unlinkSync(path);
  }

  add(line: string): void {
    this.parts.push(line);
    this.count++;
    this.size += line.length + 1;
    if (this.size >= this.chunk) this.flush();
  }

  *joined(separator: string): Iterable<string> {
    this.flush();
    const fd = this.fd;
    if (fd === null) throw new Error("internal: a spilled record set read after dispose()");
    const buf = Buffer.allocUnsafe(this.chunk);
    // streaming decode: a UTF-8 character may straddle two reads
    const text = new TextDecoder("utf-8");
    // positional reads: writing goes on at the end, reading twice starts over
    for (let at = 0; ;) {
      const n = readSync(fd, buf, 0, buf.length, at);
      if (n === 0) break;
      at += n;
      yield text.decode(buf.subarray(0, n), { stream: true }).replaceAll("\n", separator);
    }
    const tail = text.decode();
    if (tail !== "") yield tail.replaceAll("\n", separator);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  private flush(): void {
    if (this.parts.length === 0 || this.fd === null) return;
    // newlines between records only: the file is the records joined by "\n"
    const fd = this.fd;
    const text = (this.written ? "\n" : "") + this.parts.join("\n");
    _io(this.dir, () => writeSync(fd, text));
    this.written = true;
    this.parts = [];
    this.size = 0;
  }
}
