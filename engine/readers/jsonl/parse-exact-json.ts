/**
 * A strict JSON parser that keeps integers exact: an integer literal beyond ±(2^53 − 1) becomes
 * a `bigint` instead of the nearest double `JSON.parse` would give.
 *
 * Why not `JSON.parse` with a reviver: on Node 20 the reviver sees the already-rounded double
 * (no `context.source`), and matching revived values back to source tokens by visit order
 * breaks on integer-like object keys, which V8 enumerates first. So lines that may hold a big
 * integer (see `mayHoldBigInt`) take this slower, exact path; all others use `JSON.parse`.
 *
 * Semantics follow `JSON.parse`: duplicate keys keep the last value, `__proto__` is an own
 * property, and string escapes decode the same way (string tokens are handed to `JSON.parse`).
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** A JSON value where wide integers are `bigint`. */
export type ExactJson = number | bigint | string | boolean | null | ExactJson[] | { [key: string]: ExactJson };

/** Thrown by `parseExactJson`; `column` is 1-based in the parsed text. */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly column: number) {
    super(`${message} at column ${column}`);
  }
}

/**
 * True when `text` contains a run of 16 or more digits — the only way a JSON integer can exceed
 * 2^53 (9007199254740992 has 16 digits). False positives (digits inside strings, long
 * fractions) only cost the slow path; there are no false negatives.
 */
export function mayHoldBigInt(text: string): boolean {
  return BIG_DIGITS.test(text);
}

/**
 * The fast exact path: puts quotes around every wide integer written as a bare JSON number
 * (`"guest_rip": 18446744073709551615` → `"guest_rip": "18446744073709551615"`), so that
 * `JSON.parse` keeps its digits; the caller turns wide decimal strings into `bigint`.
 *
 * It looks only for integers in value position (after `:`, `,` or `[`, before `,`, `}` or
 * `]`). The same characters inside a JSON string may match too, but quoting there always
 * breaks the JSON (the inserted quote ends the string and digits follow it), so a `JSON.parse`
 * failure on the result means: parse the original text with `parseExactJson` instead.
 */
export function quoteWideIntegers(text: string): string {
  let out = "";
  let done = 0;
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!isWideInteger(m[0]) || !_valueStart(text, start) || !_valueEnd(text, end)) continue;
    out += `${text.slice(done, start)}"${m[0]}"`;
    done = end;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** True when `digits` (decimal, optional `-`) is beyond ±(2^53 − 1); no bigint involved. */
export function isWideInteger(digits: string): boolean {
  const n = digits.charCodeAt(0) === 45 ? digits.length - 1 : digits.length;
  if (n !== 16) return n > 16;
  return (n === digits.length ? digits : digits.slice(1)) > MAX_SAFE_TEXT;
}

/** Parses one JSON text exactly; throws `JsonSyntaxError` on malformed input. */
export function parseExactJson(text: string): ExactJson {
  const p = new _Parser(text);
  p.skipWs();
  const v = p.value();
  p.skipWs();
  if (p.pos < text.length) p.fail("Unexpected data after the JSON value");
  return v;
}

/**
 * Decimal integer text (optional leading `-`) → `number` when it fits in 2^53, else `bigint`.
 * Returns undefined when `text` is not a plain decimal integer.
 */
export function parseDecimalInteger(text: string): number | bigint | undefined {
  if (!INTEGER.test(text)) return undefined;
  const digits = text.charCodeAt(0) === 45 ? text.length - 1 : text.length;
  if (digits <= 15) return Number(text);
  const big = BigInt(text);
  return big > MAX_SAFE || big < MIN_SAFE ? big : Number(big);
}

// --- internal ---

const BIG_DIGITS = /\d{16}/;
const DIGIT_RUN = /-?\d{16,}/g;
const MAX_SAFE_TEXT = String(Number.MAX_SAFE_INTEGER);

/** The run at `i` starts a value: only whitespace between it and a preceding `:`, `,` or `[`. */
function _valueStart(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const c = text.charCodeAt(j);
    if (c === 0x3a || c === 0x2c || c === 0x5b) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return false;
}

/** The run ending at `i` ends a value: only whitespace before a `,`, `}` or `]`. */
function _valueEnd(text: string, i: number): boolean {
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x2c || c === 0x7d || c === 0x5d) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return false;
}
const INTEGER = /^-?\d+$/;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class _Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new JsonSyntaxError(message, this.pos + 1);
  }

  skipWs(): void {
    const t = this.text;
    let i = this.pos;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    }
    this.pos = i;
  }

  value(): ExactJson {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.text.startsWith("true", this.pos)) return this.literal(4, true);
    if (this.text.startsWith("false", this.pos)) return this.literal(5, false);
    if (this.text.startsWith("null", this.pos)) return this.literal(4, null);
    return this.fail(this.pos >= this.text.length ? "Unexpected end of JSON" : "Unexpected token");
  }

  literal(len: number, v: boolean | null): boolean | null {
    this.pos += len;
    return v;
  }

  object(): { [key: string]: ExactJson } {
    const out: { [key: string]: ExactJson } = {};
    this.pos++;
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail("Expected a string key");
      const key = this.string();
      this.skipWs();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("Expected ':' after key");
      this.pos++;
      this.skipWs();
      // defineProperty so that a "__proto__" key is data, as JSON.parse makes it
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipWs();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) this.fail("Expected ',' or '}' in object");
      this.skipWs();
    }
  }

  array(): ExactJson[] {
    const out: ExactJson[] = [];
    this.pos++;
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipWs();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) this.fail("Expected ',' or ']' in array");
      this.skipWs();
    }
  }

  string(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x5c) i++;
      else if (c === 0x22) break;
    }
    if (i >= t.length) this.fail("Unterminated string");
    this.pos = i + 1;
    try {
      // JSON.parse on the token alone decodes escapes and rejects raw control characters
      return JSON.parse(t.slice(start, i + 1)) as string;
    } catch {
      this.pos = start;
      return this.fail("Bad string");
    }
  }

  number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) return this.fail("Bad number");
    this.pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) return parseDecimalInteger(m[0]) as number | bigint;
    return Number(m[0]);
  }
}
