/**
 * Scalar values and times as babeltrace2's pretty printer (`sink.text.pretty`, the default
 * output of `babeltrace2 TRACE`) writes them, so that `vigil dump --format babeltrace` can be
 * diffed against it line by line. Every rule here was checked against babeltrace2 2.0.4 output
 * (the shared traces and `test/engine/readers/ctf/synthetic-trace.ts`).
 *
 * - Integers follow their type's display base: decimal (signed or not); hex `0x` + upper-case
 *   digits, octal `0` + digits, of the value's two's complement cut to the size rounded up to a
 *   whole digit (4 or 3 bits); binary `0b` + exactly `size` digits.
 * - Reals as C's `%g` (6 significant digits, ties to even), `nan`, `inf`, `-inf`, `-0`.
 * - Strings quoted, with C escapes (`\n \t \" \\ \' \?`, `\e` for ESC) and `\xNN` for other
 *   control characters.
 * - Times `[HH:MM:SS.NNNNNNNNN]` in the local time zone, deltas `(+S.NNNNNNNNN)` from the
 *   previous line, `(+?.?????????)` for the first one.
 */
import type { FieldValue } from "../../model/event.js";
import type { IntegerType } from "./metadata-model.js";

/** An integer value in `t`'s display base. */
export function formatInteger(v: number | bigint, t: IntegerType): string {
  if (t.base === 10) return typeof v === "bigint" ? v.toString() : String(v);
  const digitBits = t.base === 16 ? 4 : t.base === 8 ? 3 : 1;
  const bits = t.base === 2 ? t.size : Math.ceil(t.size / digitBits) * digitBits;
  const u = BigInt.asUintN(bits, BigInt(v));
  if (t.base === 16) return "0x" + u.toString(16).toUpperCase();
  if (t.base === 8) return "0" + u.toString(8);
  return "0b" + u.toString(2).padStart(t.size, "0");
}

/** A real as C's `printf("%g", v)` prints it. */
export function formatReal(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const [digits, exp] = _sixDigits(Math.abs(v));
  const sign = v < 0 ? "-" : "";
  if (exp < -4 || exp >= 6) {
    const mant = _trimZeros(digits[0] + "." + digits.slice(1));
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  // Fixed notation: the six digits with the point placed by the exponent.
  const s = exp >= 0 ? digits.slice(0, exp + 1) + "." + digits.slice(exp + 1) : "0." + "0".repeat(-exp - 1) + digits;
  return sign + _trimZeros(s);
}

/** A string as a quoted, escaped C literal. */
export function quoteString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const e = ESCAPES[c];
    if (e !== undefined) out += e;
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += s[i];
  }
  return out + '"';
}

/** A value whose CTF type is not known (defensive: generic but still readable). */
export function formatUntyped(v: FieldValue): string {
  if (typeof v === "string") return quoteString(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : formatReal(v);
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.length === 0 ? "[ ]" : `[ ${v.map((x, i) => `[${i}] = ${formatUntyped(x)}`).join(", ")} ]`;
  if (v === null) return "<none>";
  if (typeof v === "boolean") return v ? "1" : "0";
  const entries = Object.entries(v);
  return entries.length === 0 ? "{ }" : `{ ${entries.map(([k, x]) => `${k} = ${formatUntyped(x)}`).join(", ")} }`;
}

/**
 * The time column of babeltrace2's lines, shared by every source of one dump: the clock of day
 * of each event and its distance from the previous line's.
 */
export class BabeltraceClock {
  private prev: bigint | null = null;

  /** `[HH:MM:SS.NNNNNNNNN] (+S.NNNNNNNNN) ` for an event at `abs` ns since the Unix epoch. */
  stamp(abs: bigint): string {
    const s = abs >= 0n ? abs / NS : -((-abs + NS - 1n) / NS);
    const ns = abs - s * NS;
    const d = new Date(Number(s) * 1000);
    const day = `${_two(d.getHours())}:${_two(d.getMinutes())}:${_two(d.getSeconds())}.${_nine(ns)}`;
    let delta = "+?.?????????";
    if (this.prev !== null) {
      const dt = abs - this.prev;
      delta = dt >= 0n ? `+${dt / NS}.${_nine(dt % NS)}` : `-${-dt / NS}.${_nine(-dt % NS)}`;
    }
    this.prev = abs;
    return `[${day}] (${delta}) `;
  }
}

// --- internal ---

const NS = 1_000_000_000n;

const ESCAPES: Record<number, string> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\v",
  12: "\\f",
  13: "\\r",
  27: "\\e",
  34: '\\"',
  39: "\\'",
  63: "\\?",
  92: "\\\\",
};

function _two(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

function _nine(ns: bigint): string {
  return ns.toString().padStart(9, "0");
}

function _trimZeros(s: string): string {
  if (!s.includes(".")) return s;
  s = s.replace(/0+$/, "");
  return s.endsWith(".") ? s.slice(0, -1) : s;
}

/**
 * The six significant digits of `a` (> 0) and its decimal exponent, rounded as glibc does:
 * to nearest, ties to even on the exact binary value (JavaScript rounds ties up).
 */
function _sixDigits(a: number): [string, number] {
  // 100 fraction digits show the exact value of any double that could be a tie at 7 digits.
  const exact = a.toExponential(100);
  const e = exact.indexOf("e");
  const all = exact[0] + exact.slice(2, e);
  const exp = Number(exact.slice(e + 1));
  const tie = all[6] === "5" && /^0*$/.test(all.slice(7));
  if (!tie) {
    const r = a.toExponential(5);
    const re = r.indexOf("e");
    return [r[0] + r.slice(2, re), Number(r.slice(re + 1))];
  }
  let n = BigInt(all.slice(0, 6));
  if (n % 2n === 1n) n += 1n;
  // 999999 + 1 carries into a seventh digit: one more power of ten.
  return n === 1000000n ? ["100000", exp + 1] : [n.toString(), exp];
}
