/**
 * Exact timestamps from decimal text: `12345.678901` is 12345 s + 678901000 ns, read digit by
 * digit — never through a float, which would lose the last ns of any uptime above 2^53 ns.
 *
 * Contract: `scanSeconds(s, pos, end, out)` reads `SEC[.FRAC]` at `pos` (1..9 fraction digits,
 * padded to ns) into `out.sec` / `out.nsec` (0 ≤ nsec < 1e9) and returns the position after it,
 * or -1. Without a fraction the integer is taken as ns (ftrace's `counter` and raw-TSC clocks
 * print integers) and `out.integerClock` is set so the caller can say so. `absNs` builds the
 * bigint form for `first`/`last`.
 */

export interface SecNs {
  sec: number;
  nsec: number;
}

/** Set by the last `scanSeconds`: the stamp had no decimal point. */
export const clockShape = { integer: false };

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

export function scanSeconds(s: string, pos: number, end: number, out: SecNs): number {
  let i = pos;
  let sec = 0;
  while (i < end) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    sec = sec * 10 + d;
    i++;
  }
  const intDigits = i - pos;
  if (intDigits === 0) return -1;
  if (i < end && s.charCodeAt(i) === 46 /* . */) {
    if (intDigits > 15) return -1;
    i++;
    const fracStart = i;
    let frac = 0;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      frac = frac * 10 + d;
      i++;
    }
    const n = i - fracStart;
    if (n === 0 || n > 9) return -1;
    out.sec = sec;
    out.nsec = frac * POW10[9 - n]!;
    clockShape.integer = false;
    return i;
  }
  // an integer clock: split off the last 9 digits so values beyond 2^53 stay exact
  if (intDigits > 18) return -1;
  if (intDigits <= 9) {
    out.sec = 0;
    out.nsec = sec;
  } else {
    out.sec = _digits(s, pos, i - 9);
    out.nsec = _digits(s, i - 9, i);
  }
  clockShape.integer = true;
  return i;
}

/** (sec, nsec) → absolute ns as a bigint. */
export function absNs(sec: number, nsec: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

// --- internal ---

function _digits(s: string, a: number, b: number): number {
  let v = 0;
  for (let i = a; i < b; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}
