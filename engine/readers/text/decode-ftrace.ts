/**
 * trace-cmd report and tracefs `trace` text: one line → one event, no I/O.
 *
 * Line shape (kernel/trace/trace_output.c, trace-cmd's report):
 * `COMM-TID [(TGID)] [CPU] [FLAGS] SEC.FRAC: EVENT: PAYLOAD`, where COMM is right-aligned and may
 * hold blanks, `-` and `[` (`IO iothread1-2341`, `<idle>-0`, `<...>-4083`), the TGID column
 * (`(  1977)` or `(-----)`) appears with `options/record-tgid`, FLAGS is the 4- or 5-character
 * irqs-off/need-resched/hardirq/preempt column (absent in trace-cmd report), and FRAC has 6 (µs)
 * or 9 (ns, `report -t`) digits. Event names end with `:`; the syscall tracer's
 * `sys_read(fd: 3, ...)` / `sys_read -> 0x0` become `sys_enter_read` / `sys_exit_read` (their
 * tracepoint names; arguments are hex), the function tracer's `func <-parent` becomes
 * `function` with `ip` and `parent_ip` (symbol text).
 *
 * Contract: see `LineDecoder`. `context` is `{tid, comm, pid}` from the head (`pid` only with
 * the TGID column; `comm` undefined for `<...>`, an unknown comm). Payloads go through
 * `PayloadDecoder` (the event-format table).
 */
import { clockShape, scanSeconds } from "./decimal-time.js";
import { classifyNonEvent, findCpuColumn, identifierEnd, skipBlanks } from "./head-scan.js";
import { LINE_EVENT, LINE_SKIP, type EventSlot, type LineOutcome } from "./line-decoder.js";
import { PrintkLineDecoder } from "./printk-line-decoder.js";
import { isDigit, scanDecimal, scanHex, scanHexSigned64, scanned } from "./scan-number.js";

const EXPECTED = "expected `COMM-TID [CPU] SEC.FRAC: EVENT: PAYLOAD` (trace-cmd report or the tracefs trace file)";

/** Decodes trace-cmd report / tracefs `trace` lines (one instance per source: it keeps notes and interned texts). */
export class FtraceDecoder extends PrintkLineDecoder {
  private integerClockNoted = false;

  override decode(line: string, slot: EventSlot): LineOutcome {
    const i = skipBlanks(line, 0);
    if (i === line.length) return LINE_SKIP;
    if (line.charCodeAt(i) === 35 /* # */) return this.comment(line);
    const b = findCpuColumn(line, i + 1);
    if (b < 0) {
      const special = classifyNonEvent(line, i, this.loss);
      return special !== -1 ? special : this.fail(`no [CPU] column; ${EXPECTED}`);
    }
    const ctx = slot.context;

    // left of [CPU]: COMM-TID, then maybe (TGID)
    let e = b - 1;
    while (e > i && line.charCodeAt(e) === 32) e--;
    ctx.pid = undefined;
    if (line.charCodeAt(e) === 41 /* ) */) {
      const open = line.lastIndexOf("(", e);
      if (open <= i) return this.fail(`unbalanced TGID column; ${EXPECTED}`);
      const a = skipBlanks(line, open + 1);
      let z = e;
      while (z > a && line.charCodeAt(z - 1) === 32) z--;
      if (z > a && scanDecimal(line, a, z) === z) ctx.pid = scanned.value as number;
      e = open - 1;
      while (e > i && line.charCodeAt(e) === 32) e--;
    }
    let d = e;
    while (d > i && isDigit(line.charCodeAt(d))) d--;
    if (d === e || line.charCodeAt(d) !== 45 /* - */) return this.fail(`no COMM-TID before the [CPU] column; ${EXPECTED}`);
    scanDecimal(line, d + 1, e + 1);
    ctx.tid = scanned.value as number;
    ctx.comm = line.charCodeAt(i) === 60 /* < */ && line.startsWith("<...>", i) && d === i + 5 ? undefined : this.texts.get(line, i, d);

    // [CPU]
    const close = line.indexOf("]", b);
    scanDecimal(line, b + 1, close);
    const ev = slot.event;
    ev.cpu = scanned.value as number;

    // [FLAGS] SEC.FRAC:
    let p = skipBlanks(line, close + 1);
    if (!isDigit(line.charCodeAt(p))) {
      const sp = line.indexOf(" ", p);
      p = sp < 0 ? line.length : skipBlanks(line, sp);
    }
    const q = scanSeconds(line, p, line.length, slot);
    if (q < 0 || line.charCodeAt(q) !== 58 /* : */) return this.fail(`no timestamp (SEC.FRAC:) after the [CPU] column; ${EXPECTED}`);
    if (clockShape.integer && !this.integerClockNoted) {
      this.integerClockNoted = true;
      this.notes.push("timestamps have no decimal point (trace clock `counter` or `x86-tsc`?): they are read as ns, which is right only for a ns clock");
    }
    slot.timed = true;
    ev.context = ctx;

    // EVENT: PAYLOAD
    const n = skipBlanks(line, q + 1);
    const ne = identifierEnd(line, n);
    if (ne === n) return this.fail(`no event name after the timestamp; ${EXPECTED}`);
    const c = line.charCodeAt(ne);
    if (c === 58 /* : */) return this.printkEvent(line, n, ne, ne + 1, slot);
    if (c === 40 /* ( */ && line.charCodeAt(line.length - 1) === 41) return this.syscallEntry(line, n, ne, slot);
    if (c === 32 && line.startsWith("-> ", ne + 1)) return this.syscallExit(line, n, ne, slot);
    if (c === 32 && line.startsWith("<-", ne + 1)) {
      ev.name = "function";
      ev.fields = { ip: line.slice(n, ne), parent_ip: line.slice(ne + 3).trim() };
      return LINE_EVENT;
    }
    return this.fail(`event name "${line.slice(n, ne)}" is not followed by ":"; ${EXPECTED}`);
  }

  // --- internal ---

  private comment(line: string): LineOutcome {
    if (/^#\s*tracer:\s*function_graph\b/.test(line)) {
      this.notes.push("this is function_graph tracer output, which has no per-event lines Vigil can read; record tracepoints (trace-cmd record -e ...) instead");
    }
    return LINE_SKIP;
  }

  /** `sys_openat(dfd: ffffff9c, filename: 7ffd..., flags: 0, mode: 0)`: arguments in hex. */
  private syscallEntry(line: string, n: number, ne: number, slot: EventSlot): LineOutcome {
    const ev = slot.event;
    ev.name = _syscallName("sys_enter_", line.slice(n, ne));
    const fields: Record<string, number | bigint | string> = {};
    let p = ne + 1;
    const end = line.length - 1;
    while (p < end) {
      const colon = line.indexOf(": ", p);
      if (colon < 0 || colon >= end) return this.fail("syscall arguments are not `name: hex` pairs");
      const r = scanHex(line, colon + 2, end);
      if (r < 0) return this.fail("syscall arguments are not `name: hex` pairs");
      fields[line.slice(p, colon)] = scanned.value as number | bigint;
      p = line.startsWith(", ", r) ? r + 2 : r;
      if (p !== end && p === r) return this.fail("syscall arguments are not `name: hex` pairs");
    }
    ev.fields = fields;
    return LINE_EVENT;
  }

  /** `sys_read -> 0x1c`: the return value, printed as 64-bit hex, read back signed. */
  private syscallExit(line: string, n: number, ne: number, slot: EventSlot): LineOutcome {
    const r = scanHexSigned64(line, ne + 4, line.length);
    if (r !== line.length) return this.fail("syscall return is not `-> 0xHEX`");
    slot.event.name = _syscallName("sys_exit_", line.slice(n, ne));
    slot.event.fields = { ret: scanned.value };
    return LINE_EVENT;
  }
}

// --- internal ---


/** `sys_read` → `sys_enter_read` (the tracepoint's name; the tracer prints the syscall's). */
function _syscallName(prefix: string, printed: string): string {
  return prefix + (printed.startsWith("sys_") ? printed.slice(4) : printed);
}
