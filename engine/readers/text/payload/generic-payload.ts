/**
 * Payloads of events no format describes: `key=value` pairs where they are, plus the text.
 *
 * Contract: `parseGenericPayload(s, start, end)` returns a new object with `raw` (the payload
 * as printed) and one entry per `key=value` pair: a key is an identifier at the start or after
 * a space, its value runs to the space before the next key (so `comm=IO iothread1 pid=5` keeps
 * the space). Values that are whole decimal or 0x-hex integers become numbers (bigint beyond
 * 2^53); the rest stay strings. A fresh object per event: these shapes vary line to line.
 */
import type { Fields } from "../../../model/event.js";
import { parseIntegerToken } from "../scan-number.js";

export function parseGenericPayload(s: string, start: number, end: number): Fields {
  const out: Fields = { raw: s.slice(start, end) };
  let key = "";
  let valueStart = -1;
  let i = start;
  while (i < end) {
    const k = _keyAt(s, i, end);
    if (k > 0) {
      if (valueStart >= 0) _put(out, key, s, valueStart, i - 1);
      key = s.slice(i, k);
      valueStart = k + 1;
      i = k + 1;
    }
    const sp = s.indexOf(" ", i);
    if (sp < 0 || sp >= end) break;
    i = sp + 1;
  }
  if (valueStart >= 0) _put(out, key, s, valueStart, end);
  return out;
}

// --- internal ---

/** The index of `=` when an identifier key starts at `i`, else -1. */
function _keyAt(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return -1;
  let j = i + 1;
  while (j < end) {
    const d = s.charCodeAt(j);
    if (d === 61 /* = */) return j;
    if (!((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || (d >= 48 && d <= 57) || d === 95 || d === 46)) return -1;
    j++;
  }
  return -1;
}

function _put(out: Fields, key: string, s: string, a: number, b: number): void {
  if (key === "raw") return;
  const n = parseIntegerToken(s, a, b);
  out[key] = n !== null ? n : s.slice(a, b);
}
