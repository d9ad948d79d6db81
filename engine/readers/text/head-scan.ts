/**
 * Pieces of the line heads ftrace, trace-cmd and perf script share: the `[CPU]` column, runs
 * of blanks, identifiers, and the header/loss lines those tools print between events.
 *
 * Contract: pure functions over `(line, position)`; none allocates except where it returns text.
 */
import { LINE_LOSS, LINE_SKIP, type LineOutcome, type LossInfo } from "./line-decoder.js";
import { isDigit } from "./scan-number.js";

/**
 * Index of the `[` of the first `[digits]` column that has a blank (or the line start) before
 * it and a blank (or the line end) after it, searching from `from`; -1 when there is none. A
 * comm may hold `[` (`IntentService[E-3866`) but never `[digits] `.
 */
export function findCpuColumn(line: string, from: number): number {
  let j = line.indexOf("[", from);
  while (j >= 0) {
    let k = j + 1;
    while (k < line.length && isDigit(line.charCodeAt(k))) k++;
    if (k > j + 1 && line.charCodeAt(k) === 93 /* ] */ && (j === 0 || line.charCodeAt(j - 1) === 32)) {
      const after = line.charCodeAt(k + 1);
      if (k + 1 === line.length || after === 32) return j;
    }
    j = line.indexOf("[", j + 1);
  }
  return -1;
}

export function skipBlanks(line: string, i: number): number {
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return i;
}

/** End of the identifier (`[A-Za-z0-9_]`) starting at `i`. */
export function identifierEnd(line: string, i: number): number {
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95)) break;
    i++;
  }
  return i;
}

const LOST = /^CPU:\s*(\d+)\s+\[(?:LOST (\d+) EVENTS|(\d+) EVENTS DROPPED|LOST EVENTS|EVENTS DROPPED)\]\s*$/;
const HEADER = /^(?:cpus=\d+|version = \S+|CPU \d+ is empty|#{3,} CPU \d+ buffer started #+|trace-cmd: .*|\s*)$/;

/**
 * Recognises the non-event lines of ftrace and trace-cmd report: headers (`cpus=8`,
 * `version = 6`, `CPU 3 is empty`, `##### CPU 2 buffer started ####`) are LINE_SKIP; loss lines
 * (`CPU:2 [LOST 120 EVENTS]`, trace-cmd's `CPU:2 [120 EVENTS DROPPED]`) fill `loss` (no time:
 * the source places them) and are LINE_LOSS; anything else is -1.
 */
export function classifyNonEvent(line: string, start: number, loss: LossInfo): LineOutcome | -1 {
  const text = start === 0 ? line : line.slice(start);
  if (HEADER.test(text)) return LINE_SKIP;
  const m = LOST.exec(text);
  if (m === null) return -1;
  loss.cpu = Number(m[1]);
  loss.count = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? Number(m[3]) : -1;
  loss.timed = false;
  return LINE_LOSS;
}
