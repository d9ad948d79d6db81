/**
 * `perf script` text (tracepoint samples): one line → one event, no I/O.
 *
 * Line shape (tools/perf/builtin-script.c, default fields for tracepoints):
 * `COMM TID [CPU] SEC.FRAC: [PERIOD] SUBSYS:EVENT: PAYLOAD`, where COMM may hold blanks and `-`
 * (`kworker/5:2-eve 429543`), TID may be `PID/TID` (`-F +pid`), FRAC has 6 digits (9 with
 * `--ns`), the event name is right-aligned and carries its subsystem (`kvm:kvm_exit`, read as
 * `kvm_exit`). The payload is the kernel's TP_printk text through libtraceevent, as in ftrace.
 * Callchain lines (`-g`: a tab, an address, a symbol) and `#` header lines are skipped.
 *
 * Contract: see `LineDecoder`. `context` is `{tid, comm, pid}` (`pid` only with `PID/TID`).
 */
import { clockShape, scanSeconds } from "./decimal-time.js";
import { findCpuColumn, skipBlanks } from "./head-scan.js";
import { LINE_SKIP, type EventSlot, type LineOutcome } from "./line-decoder.js";
import { PrintkLineDecoder } from "./printk-line-decoder.js";
import { isDigit, scanDecimal, scanned } from "./scan-number.js";

const EXPECTED = "expected `COMM TID [CPU] SEC.FRAC: SUBSYS:EVENT: PAYLOAD` (perf script)";

/** Decodes `perf script` lines (one instance per source). */
export class PerfScriptDecoder extends PrintkLineDecoder {
  override decode(line: string, slot: EventSlot): LineOutcome {
    if (line.charCodeAt(0) === 9 /* \t: a callchain frame */) return LINE_SKIP;
    const i = skipBlanks(line, 0);
    if (i === line.length || line.charCodeAt(i) === 35 /* # */) return LINE_SKIP;
    const b = findCpuColumn(line, i + 1);
    if (b < 0) return this.fail(`no [CPU] column; ${EXPECTED}`);
    const ctx = slot.context;

    // left of [CPU]: COMM, blanks, [PID/]TID
    let e = b - 1;
    while (e > i && line.charCodeAt(e) === 32) e--;
    let d = e;
    while (d > i && isDigit(line.charCodeAt(d))) d--;
    if (d === e) return this.fail(`no TID before the [CPU] column; ${EXPECTED}`);
    scanDecimal(line, d + 1, e + 1);
    ctx.tid = scanned.value as number;
    ctx.pid = undefined;
    if (line.charCodeAt(d) === 47 /* / */) {
      const slash = d;
      d--;
      while (d > i && isDigit(line.charCodeAt(d))) d--;
      if (d === slash - 1) return this.fail(`bad PID/TID before the [CPU] column; ${EXPECTED}`);
      scanDecimal(line, d + 1, slash);
      ctx.pid = scanned.value as number;
    }
    if (line.charCodeAt(d) !== 32) return this.fail(`no blank between COMM and TID; ${EXPECTED}`);
    while (d > i && line.charCodeAt(d) === 32) d--;
    ctx.comm = d >= i && line.charCodeAt(d) !== 32 ? this.texts.get(line, i, d + 1) : undefined;

    // [CPU] SEC.FRAC:
    const close = line.indexOf("]", b);
    scanDecimal(line, b + 1, close);
    const ev = slot.event;
    ev.cpu = scanned.value as number;
    const p = skipBlanks(line, close + 1);
    const q = scanSeconds(line, p, line.length, slot);
    if (q < 0 || line.charCodeAt(q) !== 58 /* : */ || clockShape.integer) return this.fail(`no timestamp (SEC.FRAC:) after the [CPU] column; ${EXPECTED}`);
    slot.timed = true;
    ev.context = ctx;

    // [PERIOD] SUBSYS:EVENT: PAYLOAD
    let n = skipBlanks(line, q + 1);
    let k = n;
    while (k < line.length && isDigit(line.charCodeAt(k))) k++;
    if (k > n && line.charCodeAt(k) === 32) n = skipBlanks(line, k);
    let colon = line.indexOf(":", n);
    let nameStart = n;
    while (colon >= 0 && colon + 1 < line.length && line.charCodeAt(colon + 1) !== 32) {
      nameStart = colon + 1; // a subsystem prefix (`kvm:`), dropped
      colon = line.indexOf(":", colon + 1);
    }
    if (colon < 0 || colon === nameStart) return this.fail(`no event name after the timestamp; ${EXPECTED}`);
    return this.printkEvent(line, nameStart, colon, colon + 1, slot);
  }
}
