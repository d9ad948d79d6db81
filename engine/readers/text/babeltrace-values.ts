/**
 * The value syntax of babeltrace2's `sink.text.pretty` (src/plugins/text/pretty/print.c):
 * structures `{ a = 1, b = "x" }` (`{ }` empty), arrays and sequences `[ [0] = 1, [1] = 2 ]`,
 * enumerations `( "LABEL" : container = 6 )` (several labels, or `<unknown>`), variants and
 * options `{ value }` / `<none>`, C-escaped strings, integers in decimal, `0x` hex (upper case),
 * `0b` binary and `0` octal, `%g` reals, `true`/`false`.
 *
 * Contract: `parseStruct(s, pos, prefix, out)` reads the structure at `s[pos] === "{"` and hands
 * every leaf to `out.put(key, value)`; it returns the position after the closing `}`, or -1
 * with `error` set. Nesting is flattened into dotted keys (`network_header.ipv4.ttl`): a
 * structure member adds `.name`, a variant or option adds nothing (babeltrace does not print the
 * chosen option's name). Arrays of scalars become arrays; an element that is itself a structure
 * is kept as its text. Enumerations give their integer (as CTF decoding does). Integers are
 * `number` up to 2^53, `bigint` beyond.
 */
import type { FieldValue } from "../../model/event.js";
import { isDigit, scanDecimal, scanHex, scanned } from "./scan-number.js";

/** Where parsed leaves go; `key` builds (or reuses) the key string for a member name. */
export interface LeafSink {
  key(prefix: string, s: string, a: number, b: number): string;
  put(key: string, value: FieldValue): void;
}

/** A reusable parser; `error` explains the last -1. */
export class BtValueParser {
  error = "";

  parseStruct(s: string, pos: number, prefix: string, out: LeafSink): number {
    if (s.charCodeAt(pos) !== 123 /* { */) return this.fail(pos, "`{`");
    let i = pos + 1;
    if (s.startsWith(" }", i)) return i + 2;
    for (;;) {
      if (s.charCodeAt(i) !== 32) return this.fail(i, "a blank");
      i++;
      const nameEnd = _memberName(s, i);
      if (nameEnd > 0) {
        const key = out.key(prefix, s, i, nameEnd);
        i = this.value(s, nameEnd + 3, key, out);
      } else {
        i = this.value(s, i, prefix, out); // variant or option content: no name of its own
      }
      if (i < 0) return -1;
      if (s.charCodeAt(i) === 44 /* , */) {
        i++;
        continue;
      }
      if (s.startsWith(" }", i)) return i + 2;
      return this.fail(i, "`,` or ` }`");
    }
  }

  // --- internal ---

  /** One value at `i`, stored under `key`; returns the position after it. */
  private value(s: string, i: number, key: string, out: LeafSink): number {
    const c = s.charCodeAt(i);
    if (c === 123 /* { */) return this.parseStruct(s, i, key, out);
    if (c === 34 /* " */) {
      const r = this.string(s, i);
      if (r >= 0) out.put(key, this.str);
      return r;
    }
    if (c === 91 /* [ */) {
      const arr: FieldValue[] = [];
      const r = this.array(s, i, arr);
      if (r >= 0) out.put(key, arr);
      return r;
    }
    if (c === 40 /* ( */) {
      const r = this.enumeration(s, i);
      if (r >= 0) out.put(key, this.scalar);
      return r;
    }
    const r = this.atom(s, i);
    if (r >= 0) out.put(key, this.scalar);
    return r;
  }

  private str = "";
  private scalar: FieldValue = null;

  /** `[ [0] = v, [1] = v ]` or `[ v, v ]` (without names), `[ ]` when empty. */
  private array(s: string, pos: number, arr: FieldValue[]): number {
    let i = pos + 1;
    if (s.startsWith(" ]", i)) return i + 2;
    for (;;) {
      if (s.charCodeAt(i) !== 32) return this.fail(i, "a blank");
      i++;
      if (s.charCodeAt(i) === 91 /* [ */ && isDigit(s.charCodeAt(i + 1))) {
        const close = s.indexOf("] = ", i);
        if (close < 0) return this.fail(i, "`[index] = `");
        i = close + 4;
      }
      const c = s.charCodeAt(i);
      if (c === 123 /* { */) {
        const end = skipBraced(s, i);
        if (end < 0) return this.fail(i, "a closed structure");
        arr.push(s.slice(i, end));
        i = end;
      } else if (c === 91 /* [ */) {
        const inner: FieldValue[] = [];
        i = this.array(s, i, inner);
        arr.push(inner);
      } else if (c === 34 /* " */) {
        i = this.string(s, i);
        arr.push(this.str);
      } else {
        i = c === 40 /* ( */ ? this.enumeration(s, i) : this.atom(s, i);
        arr.push(this.scalar);
      }
      if (i < 0) return -1;
      if (s.charCodeAt(i) === 44 /* , */) {
        i++;
        continue;
      }
      if (s.startsWith(" ]", i)) return i + 2;
      return this.fail(i, "`,` or ` ]`");
    }
  }

  /** `( "A" : container = 3 )`, `( "A", "B" : container = 3 )`, `( <unknown> : container = 3 )`. */
  private enumeration(s: string, pos: number): number {
    let i = pos + 2;
    if (s.startsWith("<unknown>", i)) i += 9;
    else {
      for (;;) {
        i = this.string(s, i);
        if (i < 0) return -1;
        if (!s.startsWith(", ", i)) break;
        i += 2;
      }
    }
    if (!s.startsWith(" : container = ", i)) return this.fail(i, "` : container = `");
    i = this.atom(s, i + 15);
    if (i < 0) return -1;
    if (!s.startsWith(" )", i)) return this.fail(i, "` )`");
    return i + 2;
  }

  /** A quoted string with babeltrace's C escapes; the text goes to `this.str`. */
  private string(s: string, pos: number): number {
    if (s.charCodeAt(pos) !== 34) return this.fail(pos, '`"`');
    let i = pos + 1;
    let start = i;
    let parts: string[] | null = null;
    for (;;) {
      const q = s.indexOf('"', i);
      const bs = s.indexOf("\\", i);
      if (q < 0) return this.fail(pos, "a closing `\"`");
      if (bs < 0 || q < bs) {
        const tail = s.slice(start, q);
        this.str = parts === null ? tail : (parts.push(tail), parts.join(""));
        return q + 1;
      }
      (parts ??= []).push(s.slice(start, bs));
      const e = s.charCodeAt(bs + 1);
      if (e === 120 /* x */) {
        parts.push(String.fromCharCode(parseInt(s.slice(bs + 2, bs + 4), 16)));
        i = bs + 4;
      } else {
        parts.push(ESCAPES[String.fromCharCode(e)] ?? String.fromCharCode(e));
        i = bs + 2;
      }
      start = i;
    }
  }

  /** A number, `true`/`false` or `<none>`; the value goes to `this.scalar`. */
  private atom(s: string, pos: number): number {
    let end = pos;
    while (end < s.length) {
      const c = s.charCodeAt(end);
      if (c === 44 /* , */ || c === 32) break;
      end++;
    }
    if (end === pos) return this.fail(pos, "a value");
    const c0 = s.charCodeAt(pos);
    if (c0 === 48 /* 0 */ && end - pos > 1) {
      const c1 = s.charCodeAt(pos + 1) | 0x20;
      if (c1 === 120 /* x */ && scanHex(s, pos, end) === end) return this.ok(scanned.value, end);
      if (c1 === 98 /* b */ && /^[01]+$/.test(s.slice(pos + 2, end))) return this.ok(_fit(BigInt("0b" + s.slice(pos + 2, end))), end);
      if (/^[0-7]+$/.test(s.slice(pos + 1, end))) return this.ok(_fit(BigInt("0o" + s.slice(pos + 1, end))), end);
    }
    if (scanDecimal(s, pos, end) === end) return this.ok(scanned.value, end);
    const text = s.slice(pos, end);
    if (text === "true" || text === "false") return this.ok(text === "true", end);
    if (text === "<none>") return this.ok(null, end);
    const f = Number(text);
    if (!Number.isNaN(f) || /^-?nan$/.test(text)) return this.ok(f, end);
    if (text === "inf" || text === "-inf") return this.ok(text === "inf" ? Infinity : -Infinity, end);
    return this.fail(pos, "a number, string, structure, array or enumeration");
  }

  private ok(v: FieldValue, end: number): number {
    this.scalar = v;
    return end;
  }

  private fail(pos: number, expected: string): number {
    this.error = `expected ${expected} at column ${pos + 1}`;
    return -1;
  }
}

// --- internal ---

const ESCAPES: Record<string, string> = { "0": "\0", a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function _fit(v: bigint): FieldValue {
  return v <= MAX_SAFE ? Number(v) : v;
}


/** End of a member name followed by ` = ` at `i` (CTF identifiers), or -1. */
function _memberName(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return -1;
  let j = i + 1;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (!((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || isDigit(d) || d === 95)) break;
    j++;
  }
  return s.startsWith(" = ", j) ? j : -1;
}

/** The position after the `}` that closes the `{` at `pos`, skipping strings; -1 if none. */
export function skipBraced(s: string, pos: number): number {
  let depth = 0;
  for (let i = pos; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < s.length && s.charCodeAt(i) !== 34; i++) if (s.charCodeAt(i) === 92) i++;
    } else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i + 1;
  }
  return -1;
}
