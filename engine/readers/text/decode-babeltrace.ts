/**
 * babeltrace2 `sink.text.pretty` text (its default output): one line → one event, no I/O.
 *
 * Line shape (src/plugins/text/pretty/print.c):
 * `[TIME] (+DELTA) HOST NAME: { cpu_id = N }, { stream event context }, { event context },
 * { payload }`. TIME takes any of the shapes `BtClock` reads (`--clock-seconds` recommended);
 * `(+DELTA)` is absent with `--no-delta`; HOST is the trace's `hostname` (UST traces add
 * `:procname:(vpid)`, `-f` adds more), absent when the trace has none; NAME may hold `:` and
 * blanks (`lttng_ust_tracef:event`, `sequence event`). Scopes are present only when the trace
 * has them; without `-n scope` they are told apart by position: the last is the payload, a
 * first one holding `cpu_id` is the packet context, the ones between are context. With
 * `-n scope` (`stream.packet.context = {...}`) their names say it. Events without a clock
 * (`ev: { ... }`) are untimed. `WARNING: Tracer discarded N events between [T1] and [T2] ...`
 * lines (babeltrace2's stderr, when merged with `2>&1`) become losses; its log lines are skipped.
 *
 * Contract: see `LineDecoder`. Fields are the payload's, flattened (`babeltrace-values.ts`);
 * `context` holds the context scopes' fields plus the packet context's other members, with
 * `comm` copied from LTTng's `procname`; `cpu` is the packet context's `cpu_id` (-1 without).
 * A trace without a hostname whose event names hold blanks is mis-split (the first word taken
 * for the host): babeltrace2 prints nothing that tells them apart.
 */
import type { EventContext, Fields } from "../../model/event.js";
import { BtClock } from "./babeltrace-clock.js";
import { BtValueParser, skipBraced } from "./babeltrace-values.js";
import { EventSlot, LINE_ERROR, LINE_EVENT, LINE_LOSS, LINE_SKIP, newLossInfo, type LineDecoder, type LineOutcome, type ShapeEntry } from "./line-decoder.js";
import { ShapeWriter } from "./shape-writer.js";
import { TextInterner } from "./text-interner.js";

const EXPECTED = "expected babeltrace2 text: `[TIME] (+DELTA) HOST NAME: { ... }, { ... }`";
const LOG_LINE = /^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ [TDIWEF] /;
const DISCARDED = /^WARNING: Tracer (?:may have )?discarded (?:(\d+) )?(event|packet)s? (?:between \[([^\]]+)\] and \[([^\]]+)\]|\(unknown time range\)) in trace .* within stream "([^"]*)"/;

type Role = "packet" | "context" | "payload";
/** `prefix` results that are not positions. */
const SKIPPED = -2;
const LOSS = -3;
const FAILED = -1;

/** Decodes babeltrace2 pretty lines (one instance per source: the clock counts days across lines). */
export class BabeltraceDecoder implements LineDecoder {
  error = "";
  readonly loss = newLossInfo();
  readonly notes: string[] = [];
  /** A time-of-day clock is rebuilt line by line, so a file's tail cannot be read alone. */
  readonly absoluteTime = false;
  readonly clock = new BtClock();
  private readonly values = new BtValueParser();
  private readonly writer = new ShapeWriter();
  private readonly texts = new TextInterner();
  private readonly starts: number[] = [];
  /** Where each scope must end (the split's claim, checked by the parse). */
  private readonly ends: number[] = [];
  private readonly roles: Role[] = [];
  private cyclesNoted = false;
  private logNoted = false;
  private readonly time = { sec: 0, nsec: 0, timed: true };

  decode(raw: string, slot: EventSlot): LineOutcome {
    // colour codes (--color=always) start at the timestamp or the name: look there, not everywhere
    const colored = raw.charCodeAt(0) === 27 || raw.charCodeAt(1) === 27 || (raw.charCodeAt(0) !== 91 && raw.indexOf("\x1b") >= 0);
    const line = colored ? raw.replace(/\x1b\[[0-9;]*m/g, "") : raw;
    if (line.length === 0) return LINE_SKIP;
    const p = this.prefix(line, slot);
    if (p < 0) return p === SKIPPED ? LINE_SKIP : p === LOSS ? LINE_LOSS : LINE_ERROR;
    let t = _nameEnd(line, p);
    if (t < 0) {
      if (line.charCodeAt(line.length - 1) !== 58) return this.fail(`no "NAME: " before the fields; ${EXPECTED}`);
      t = line.length - 1;
    }
    const paren = line.lastIndexOf(") ", t - 1);
    const sp = line.indexOf(" ", p);
    const nameStart = paren >= p ? paren + 2 : sp >= p && sp < t ? sp + 1 : p;
    if (nameStart >= t) return this.fail(`empty event name; ${EXPECTED}`);
    const entry = slot.pools.shape(this.texts.get(line, nameStart, t));
    const ev = slot.event;
    ev.name = entry.name;
    ev.cpu = -1;

    const s0 = Math.min(t + 2, line.length);
    if (!this.scopes(line, s0, entry, slot) && !this.scopes(line, s0, entry, slot, true)) return LINE_ERROR;
    return LINE_EVENT;
  }

  /** A line cut by the end of a file's head: its time/host/name head reads and a scope follows. */
  sniffCut(line: string): boolean {
    const p = this.prefix(line, new EventSlot(0));
    if (p < 0) return false;
    const t = _nameEnd(line, p);
    return t > p && t + 2 < line.length;
  }

  // --- internal ---

  /**
   * Reads `[TIME] (+DELTA) ` into `slot` and returns where the host/name part starts, or
   * SKIPPED / LOSS / FAILED for babeltrace2's other lines (warnings, logs) and bad ones.
   */
  private prefix(line: string, slot: EventSlot): number {
    slot.timed = false;
    if (line.startsWith("WARNING: ") || line.startsWith("[warning]")) return this.warning(line) === LINE_LOSS ? LOSS : SKIPPED;
    if (line.charCodeAt(0) === 91 /* [ */) {
      let p = this.clock.read(line, 1, slot);
      if (p < 0 || line.charCodeAt(p) !== 32) return this.failed(`bad timestamp column; ${EXPECTED}`);
      p++;
      if (this.clock.shape === "cycles" && !this.cyclesNoted) {
        this.cyclesNoted = true;
        this.notes.push("timestamps in clock cycles (--clock-cycles): read as ns, right for LTTng's 1 GHz clocks only, and without the clock offset");
      }
      if (line.startsWith("(+", p)) {
        const close = line.indexOf(") ", p);
        if (close < 0) return this.failed(`unclosed (+delta) column; ${EXPECTED}`);
        p = close + 2;
      }
      return p;
    }
    if (LOG_LINE.test(line)) {
      if (!this.logNoted) {
        this.logNoted = true;
        this.notes.push("babeltrace2 log lines in the input (stderr merged into stdout?) are skipped");
      }
      return SKIPPED;
    }
    if (line.startsWith("timestamp = ")) {
      return this.failed("header field names (`babeltrace2 -n header` or `-n all`) are not supported; run without -n, or with `-n scope,payload,context`");
    }
    return 0; // a clockless trace: `NAME: { ... }`
  }

  private failed(why: string): number {
    this.error = why;
    return FAILED;
  }

  /**
   * Splits the scopes, gives each its role and parses them into the entry's objects (refilled
   * fresh when the shape changed). `slow` splits by brace matching instead of `}, {`.
   */
  private scopes(line: string, pos: number, entry: ShapeEntry, slot: EventSlot, slow = false): boolean {
    const starts = this.starts;
    const roles = this.roles;
    const ends = this.ends;
    starts.length = 0;
    roles.length = 0;
    ends.length = 0;
    if (pos < line.length && line.charCodeAt(pos) !== 123) {
      if (!this.namedScopes(line, pos)) return false;
    } else if (pos < line.length) {
      starts.push(pos);
      if (slow) {
        for (let e = skipBraced(line, pos); e > 0 && line.startsWith(", {", e); e = skipBraced(line, e + 2)) starts.push(e + 2);
      } else {
        for (let k = line.indexOf("}, {", pos); k >= 0; k = line.indexOf("}, {", k + 4)) starts.push(k + 3);
      }
      for (let i = 0; i < starts.length; i++) {
        roles.push(i === starts.length - 1 ? "payload" : "context");
        ends.push(i === starts.length - 1 ? _trimmedEnd(line) : starts[i + 1]! - 2);
      }
      if (starts.length > 1 && line.startsWith("{ cpu_id = ", pos)) roles[0] = "packet";
    }
    // context and packet scopes, then the payload
    let contexts = 0;
    for (let i = 0; i < roles.length; i++) if (roles[i] !== "payload") contexts++;
    const ev = slot.event;
    let ctx: EventContext | null = null;
    if (contexts > 0) {
      ctx = this.fill(line, entry, "context", slow);
      if (ctx === null) return false;
      const cpu = ctx.cpu_id;
      if (typeof cpu === "number") ev.cpu = cpu;
      if (typeof ctx.procname === "string") ctx.comm = ctx.procname;
    }
    ev.context = ctx;
    if (contexts < roles.length) {
      const f = this.fill(line, entry, "payload", slow) as Fields | null;
      if (f === null) return false;
      ev.fields = f;
    } else {
      ev.fields = entry.fields ?? (entry.fields = {});
    }
    return true;
  }

  /** `stream.packet.context = {...}, event.fields = {...}` (`-n scope`): roles from the names. */
  private namedScopes(line: string, pos: number): boolean {
    let p = pos;
    for (;;) {
      const eq = line.indexOf(" = {", p);
      if (eq < 0) {
        this.why(`expected a scope name then \` = {\` at column ${p + 1}`);
        return false;
      }
      const scope = line.slice(p, eq);
      const role: Role | undefined = scope === "event.fields" ? "payload" : scope === "stream.packet.context" ? "packet" : scope.endsWith("context") ? "context" : undefined;
      if (role === undefined) {
        this.why(`unknown scope "${scope}"`);
        return false;
      }
      const end = skipBraced(line, eq + 3);
      this.starts.push(eq + 3);
      this.roles.push(role);
      this.ends.push(end);
      if (end < 0) {
        this.why(`unclosed scope "${scope}"`);
        return false;
      }
      if (end === line.length) return true;
      if (!line.startsWith(", ", end)) {
        this.why(`expected \`, \` after a scope at column ${end + 1}`);
        return false;
      }
      p = end + 2;
    }
  }

  /** Parses the scopes of one target (context: packet + context roles; payload) into the entry's object. */
  private fill(line: string, entry: ShapeEntry, target: "context" | "payload", slow: boolean): Fields | null {
    const w = this.writer;
    const ctx = target === "context";
    const cached = ctx ? entry.context : entry.fields;
    for (let pass = cached === null ? 1 : 0; pass < 2; pass++) {
      const obj = pass === 0 ? (cached as Fields) : {};
      w.begin(obj, pass === 0 ? (ctx ? entry.contextKeys : entry.fieldKeys) : []);
      for (let i = 0; i < this.starts.length; i++) {
        if ((this.roles[i] === "payload") === ctx) continue;
        const end = this.values.parseStruct(line, this.starts[i]!, "", w);
        if (end < 0) {
          this.why(this.values.error);
          return null;
        }
        // the `}, {` split must fall on scope boundaries (a string may hold "}, {")
        if (end !== this.ends[i]) {
          this.why(`unexpected text after a scope at column ${end + 1}`);
          return null;
        }
      }
      if (w.unnamed) {
        this.why("field names are missing (babeltrace2 -n none?); run babeltrace2 without -n");
        return null;
      }
      if (pass === 0 && w.done()) return obj;
      if (pass === 1) {
        if (ctx) {
          entry.context = obj as EventContext;
          entry.contextKeys = w.writtenKeys();
        } else {
          entry.fields = obj;
          entry.fieldKeys = w.writtenKeys();
        }
        return obj;
      }
    }
    return null;
  }

  /** babeltrace2's discarded events/packets warning → a loss. */
  private warning(line: string): LineOutcome {
    const m = DISCARDED.exec(line);
    if (m === null) return LINE_SKIP;
    const l = this.loss;
    l.count = m[2] === "event" && m[1] !== undefined ? Number(m[1]) : -1;
    const cpu = /_(\d+)$/.exec(m[5] ?? "");
    l.cpu = cpu !== null ? Number(cpu[1]) : -1;
    l.timed = false;
    if (m[3] !== undefined && m[4] !== undefined) {
      const a = `${m[3]}]`;
      const b = `${m[4]}]`;
      const t = this.time;
      if (this.clock.read(a, 0, t, false) > 0 && t.timed) {
        l.startSec = t.sec;
        l.startNsec = t.nsec;
        if (this.clock.read(b, 0, t, false) > 0 && t.timed) {
          l.endSec = t.sec;
          l.endNsec = t.nsec;
          l.timed = true;
        }
      }
    }
    return LINE_LOSS;
  }

  private fail(why: string): LineOutcome {
    this.error = why;
    return LINE_ERROR;
  }

  /** Records why a scope could not be read (the caller returns its own failure value). */
  private why(message: string): void {
    this.error = message;
  }
}

// --- internal ---

/** The line's length without trailing blanks. */
function _trimmedEnd(line: string): number {
  let e = line.length;
  while (e > 0 && line.charCodeAt(e - 1) === 32) e--;
  return e;
}

/** The end of `HOST NAME`: the first ": " followed by a scope, the line end, or -1. */
function _nameEnd(line: string, p: number): number {
  let t = line.indexOf(": ", p);
  while (t >= 0) {
    const c = line.charCodeAt(t + 2);
    if (t + 2 >= line.length || c === 123 || line.startsWith("stream.", t + 2) || line.startsWith("event.", t + 2)) break;
    t = line.indexOf(": ", t + 1);
  }
  return t;
}
