/**
 * One CTF trace received piece by piece (a relay daemon's `ctf_trace_id`, or a trace directory
 * still being written): its metadata bytes as they arrive, compiled with the CTF reader's own
 * stages (`readMetadataText` → `parseTsdl` → `compileTrace`) each time they grow, and the
 * clock converters that turn its clock values into ns relative to the run's origin.
 *
 * Contract: `addMetadata` never throws for bad input: metadata that does not parse yet (cut in
 * the middle of a block) is kept and compiled again with the next bytes; `error` says why the
 * last attempt failed. Every recompilation keeps the same `ClockBase` object, so clock values
 * decoded before and after it count from the same point. Event names go through `rename`
 * (e.g. stripping a UST provider prefix) once per compiled class, never per event.
 */
import type { EventClassSchema } from "../model/event.js";
import { ClockConverter } from "../readers/ctf/clock-convert.js";
import { EventPool } from "../readers/ctf/event-pool.js";
import type { ClockBase } from "../readers/ctf/decode-state.js";
import { readMetadataText } from "../readers/ctf/metadata-file.js";
import { compileTrace, type CompiledTrace, type RuntimeStreamClass } from "../readers/ctf/trace-runtime.js";
import { parseTsdl } from "../readers/ctf/tsdl-parser.js";

export type EventRename = (name: string) => string;

/** `provider:event` → `event` (UST names); names without a provider are kept. */
export const stripProvider: EventRename = (name) => {
  const i = name.lastIndexOf(":");
  return i < 0 ? name : name.slice(i + 1);
};

export class LiveTrace {
  /** The compiled trace, null until the metadata parses. Replaced when metadata grows. */
  trace: CompiledTrace | null = null;
  /** Bumped at every successful compilation (cursors re-bind at their next packet). */
  version = 0;
  /** Reusable events for this compilation's classes (each compilation has its own slots). */
  pool: EventPool | null = null;
  /** Why the metadata received so far does not compile, or null. */
  error: string | null = null;
  readonly base: ClockBase = { hi: -1 };
  private bytes: Uint8Array = new Uint8Array(0);
  private compiledLength = 0;
  private converters = new Map<RuntimeStreamClass, ClockConverter>();
  private origin: bigint | null = null;

  constructor(
    /** Where the metadata comes from, for messages (`relay trace 3`, a file path). */
    readonly label: string,
    private readonly rename: EventRename | null = null,
    /** Events of one class handed out before one is reused: above the consumer's batch size. */
    private readonly poolSize = 1100,
  ) {}

  /** Appends metadata bytes and recompiles; true when a new compiled trace is in place. */
  addMetadata(chunk: Uint8Array): boolean {
    if (chunk.length === 0) return false;
    const all = new Uint8Array(this.bytes.length + chunk.length);
    all.set(this.bytes);
    all.set(chunk, this.bytes.length);
    this.bytes = all;
    return this.compile();
  }

  /** Replaces the metadata with the whole of `bytes` (a metadata file read again). */
  setMetadata(bytes: Uint8Array): boolean {
    if (bytes.length === this.bytes.length) return false;
    this.bytes = bytes;
    return this.compile();
  }

  get metadataBytes(): number {
    return this.bytes.length;
  }

  /** Event classes of the compiled trace (after renaming), or an empty list. */
  get schema(): EventClassSchema[] {
    return this.trace?.schema ?? [];
  }

  /** Fixes the origin every converter counts from (once per run). */
  setOrigin(origin: bigint): void {
    this.origin = origin;
    for (const c of this.converters.values()) c.setOrigin(origin);
  }

  /**
   * The converter of a stream class. Valid once the clock base is fixed (after the first
   * 64-bit clock value decoded or `fixBase`) and the origin set; null before that.
   */
  converter(rs: RuntimeStreamClass): ClockConverter | null {
    let c = this.converters.get(rs);
    if (c !== undefined) return c;
    if (this.base.hi < 0 || this.origin === null) return null;
    c = new ClockConverter(rs.clock, rs.clock === null ? 0 : this.base.hi);
    c.setOrigin(this.origin);
    this.converters.set(rs, c);
    return c;
  }

  /** Fixes the clock base from a raw 64-bit clock value when nothing fixed it yet. */
  fixBase(raw: bigint): void {
    if (this.base.hi < 0) this.base.hi = Number(raw >> 32n);
  }

  /** A raw 64-bit clock value as the running clock (cycles relative to the base). */
  runningClock(raw: bigint): number {
    return Number(raw - (BigInt(Math.max(0, this.base.hi)) << 32n));
  }

  /** Absolute ns of a raw clock value of stream class `rs` (null without a converter). */
  absNs(rs: RuntimeStreamClass, raw: bigint): bigint | null {
    this.fixBase(raw);
    const c = new ClockConverter(rs.clock, rs.clock === null ? 0 : this.base.hi);
    return c.absNs(this.runningClock(raw));
  }

  /** The stream class with CTF id `id`, or the only one. */
  streamClass(id: number): RuntimeStreamClass | undefined {
    const t = this.trace;
    if (t === null) return undefined;
    return t.streams.get(id) ?? (t.streams.size === 1 ? t.streams.values().next().value : undefined);
  }

  // --- internal ---

  private compile(): boolean {
    if (this.bytes.length === this.compiledLength) return false;
    try {
      const text = readMetadataText(this.bytes).text;
      const md = parseTsdl(text);
      const trace = compileTrace(md);
      trace.base = this.base;
      if (this.rename !== null) _renameClasses(trace, this.rename);
      // Converters hang on stream-class objects of the old compilation: rebuild them lazily.
      this.converters = new Map();
      this.trace = trace;
      this.pool = new EventPool(Math.max(1, trace.classCount), this.poolSize);
      this.compiledLength = this.bytes.length;
      this.error = null;
      this.version++;
      return true;
    } catch (e) {
      // Metadata cut mid-block parses with the next bytes; keep the last good compilation.
      this.error = `${this.label}: metadata does not compile yet: ${(e as Error).message}`;
      return false;
    }
  }
}

function _renameClasses(trace: CompiledTrace, rename: EventRename): void {
  for (const rs of trace.streams.values()) {
    for (const c of [...rs.byId, ...rs.sparse.values()]) {
      if (c === undefined) continue;
      c.name = rename(c.name);
      c.schema.name = c.name;
    }
  }
}
