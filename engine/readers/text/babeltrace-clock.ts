/**
 * The timestamp column of babeltrace2's pretty text, in each of its shapes, to absolute
 * (sec, nsec):
 * - `[hh:mm:ss.nnnnnnnnn]` (default): a time of day only. Vigil counts days from the first line
 *   (day 0 = 1970-01-01, so the times are not real dates) and adds a day whenever the time of day
 *   goes back by more than 12 h (midnight passed; babeltrace2's output is sorted). A gap of more
 *   than a day without events cannot be seen. Exact to the ns within a run; use one of the
 *   forms below when real dates matter or the trace spans days.
 * - `[YYYY-MM-DD hh:mm:ss.nnnnnnnnn]` (`--clock-date`): read as UTC — true with `--clock-gmt`,
 *   else off by babeltrace2's local time-zone offset.
 * - `[SEC.NNNNNNNNN]` (`--clock-seconds`, also babeltrace2's fallback for negative times): exact
 *   ns from the clock's origin (the Unix epoch for LTTng traces). Recommended.
 * - `[00000263442153476789]` (`--clock-cycles`): raw cycles, read as ns — right for LTTng's
 *   kernel and UST clocks (1 GHz) but without the clock offset, so not epoch-based.
 * - `[??:??:??.?????????]`: the event has no clock snapshot (untimed).
 *
 * Contract: `read(s, pos, out, advance)` parses the text after `[` up to and including `]` and
 * returns the position after `]`, or -1. `out.timed` is false for the `??` form. `advance`
 * false (loss warnings) reads without moving the day counter. `shape` tells which form was seen.
 */
import type { SecNs } from "./decimal-time.js";

/** Which of babeltrace2's time columns the last line had. */
export type ClockShape = "time-of-day" | "date" | "seconds" | "cycles";

const DAY = 86400;
const HALF_DAY_NS = 43200 * 1e9;

/** Reads the time column; one instance per source (it carries the day count). */
export class BtClock {
  shape: ClockShape | null = null;
  private day = 0;
  private lastTodNs = -1;

  read(s: string, pos: number, out: SecNs & { timed: boolean }, advance = true): number {
    const close = s.indexOf("]", pos);
    if (close < 0) return -1;
    out.timed = true;
    const len = close - pos;
    if (len === 18 && s.charCodeAt(pos + 2) === 58 /* : */) {
      if (s.startsWith("??:??:??.?????????", pos)) {
        out.timed = false;
        return close + 1;
      }
      return this.timeOfDay(s, pos, out, advance) ? close + 1 : -1;
    }
    if (len === 29 && s.charCodeAt(pos + 4) === 45 /* - */ && s.charCodeAt(pos + 10) === 32) {
      const y = _int(s, pos, 4);
      const mo = _int(s, pos + 5, 2);
      const d = _int(s, pos + 8, 2);
      if (y < 0 || mo < 1 || d < 1 || s.charCodeAt(pos + 7) !== 45) return -1;
      const tod = _tod(s, pos + 11);
      if (tod < 0) return -1;
      out.sec = Date.UTC(y, mo - 1, d) / 1000 + Math.floor(tod / 1e9);
      out.nsec = tod % 1e9;
      this.shape = "date";
      return close + 1;
    }
    if (len === 20 && _allDigits(s, pos, close)) {
      out.sec = _int(s, pos, 11);
      out.nsec = _int(s, pos + 11, 9);
      this.shape = "cycles";
      return close + 1;
    }
    return this.seconds(s, pos, close, out) ? close + 1 : -1;
  }

  // --- internal ---

  private timeOfDay(s: string, pos: number, out: SecNs, advance: boolean): boolean {
    const tod = _tod(s, pos);
    if (tod < 0) return false;
    let day = this.day;
    if (this.lastTodNs >= 0 && tod < this.lastTodNs - HALF_DAY_NS) day++;
    if (advance) {
      this.day = day;
      this.lastTodNs = tod;
    }
    out.sec = day * DAY + Math.floor(tod / 1e9);
    out.nsec = tod % 1e9;
    this.shape = "time-of-day";
    return true;
  }

  /** `-?SEC.NNNNNNNNN`; negative times are normalised to 0 ≤ nsec < 1e9. */
  private seconds(s: string, pos: number, close: number, out: SecNs): boolean {
    const neg = s.charCodeAt(pos) === 45;
    const a = neg ? pos + 1 : pos;
    const dot = s.indexOf(".", a);
    if (dot < 0 || dot > close || close - dot !== 10 || dot === a || dot - a > 15) return false;
    if (!_allDigits(s, a, dot) || !_allDigits(s, dot + 1, close)) return false;
    const sec = _int(s, a, dot - a);
    const ns = _int(s, dot + 1, 9);
    if (neg) {
      out.sec = ns > 0 ? -sec - 1 : -sec;
      out.nsec = ns > 0 ? 1e9 - ns : 0;
    } else {
      out.sec = sec;
      out.nsec = ns;
    }
    this.shape = "seconds";
    return true;
  }
}

// --- internal ---

/** `hh:mm:ss.nnnnnnnnn` at `pos` → ns of the day, or -1. */
function _tod(s: string, pos: number): number {
  if (s.charCodeAt(pos + 2) !== 58 || s.charCodeAt(pos + 5) !== 58 || s.charCodeAt(pos + 8) !== 46) return -1;
  const h = _int(s, pos, 2);
  const m = _int(s, pos + 3, 2);
  const sec = _int(s, pos + 6, 2);
  const ns = _int(s, pos + 9, 9);
  if (h < 0 || m < 0 || sec < 0 || ns < 0 || h > 23 || m > 59 || sec > 60) return -1;
  return ((h * 60 + m) * 60 + sec) * 1e9 + ns;
}

/** `n` decimal digits at `pos`, or -1 when one is not a digit. */
function _int(s: string, pos: number, n: number): number {
  let v = 0;
  for (let i = pos; i < pos + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function _allDigits(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
  }
  return b > a;
}
