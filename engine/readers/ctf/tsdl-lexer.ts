/**
 * TSDL lexer: metadata text → tokens with line and column.
 *
 * Contract: `lexTsdl` either returns every token of the text (ending with one `eof` token) or
 * throws a `TsdlError` at the first character it cannot read. Comments and whitespace (LF, CRLF)
 * are dropped. Integer literals keep their exact value as `bigint` (clock offsets exceed 2^53);
 * string literals are unescaped (C escapes).
 */

export type TsdlTokenKind = "ident" | "int" | "string" | "punct" | "eof";

/** One token, located. */
export interface TsdlToken {
  kind: TsdlTokenKind;
  /** Identifier name, punctuator text, unescaped string, or the literal's source text. */
  text: string;
  /** Value of an integer literal (else 0n). */
  value: bigint;
  line: number;
  col: number;
}

/** A metadata syntax or semantic error, located in the TSDL text. */
export class TsdlError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(`${detail} (metadata line ${line}, column ${col})`);
    this.name = "TsdlError";
  }
}

/** One-character punctuators by char code (`:` and `.` also start `:=` and `...`). */
const SINGLE: ReadonlyMap<number, string> = new Map([..."{}()[];:=,<>.-+*"].map((ch) => [ch.charCodeAt(0), ch]));

/** Splits TSDL text into tokens; throws `TsdlError` on a character it cannot lex. */
export function lexTsdl(text: string): TsdlToken[] {
  const tokens: TsdlToken[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const err = (msg: string, at: number): never => {
    throw new TsdlError(msg, line, at - lineStart + 1);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = ++i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0) {
      // NUL bytes are padding some writers leave in text metadata.
      i++;
      continue;
    }
    const start = i;
    const col = i - lineStart + 1;
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) err("Unterminated comment", start);
      for (let k = i; k < end; k++) {
        if (text.charCodeAt(k) === 10) {
          line++;
          lineStart = k + 1;
        }
      }
      i = end + 2;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end;
      continue;
    }
    if (_isIdentStart(c)) {
      while (i < n && _isIdentPart(text.charCodeAt(i))) i++;
      tokens.push({ kind: "ident", text: text.slice(start, i), value: 0n, line, col });
      continue;
    }
    if (c >= 48 && c <= 57) {
      i = _lexNumber(text, i, tokens, line, col, (m) => err(m, start));
      continue;
    }
    if (c === 39) {
      // A C character constant ('a', '\n') is an integer.
      const [value, end] = _lexString(text, i + 1, (m, at) => err(m, at), "'");
      if (value.length !== 1) err("A character constant holds exactly one character", start);
      tokens.push({ kind: "int", text: text.slice(start, end), value: BigInt(value.charCodeAt(0)), line, col });
      i = end;
      continue;
    }
    if (c === 34) {
      const [value, end] = _lexString(text, i + 1, (m, at) => err(m, at), '"');
      tokens.push({ kind: "string", text: value, value: 0n, line, col });
      i = end;
      continue;
    }
    const p = _punctuator(text, i, c);
    if (p === null) return err(`Unexpected character ${JSON.stringify(text[i])}`, start);
    tokens.push({ kind: "punct", text: p, value: 0n, line, col });
    i += p.length;
  }
  tokens.push({ kind: "eof", text: "<end of metadata>", value: 0n, line, col: i - lineStart + 1 });
  return tokens;
}

// --- internal ---

function _isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function _isIdentPart(c: number): boolean {
  return _isIdentStart(c) || (c >= 48 && c <= 57);
}

/** The punctuator at `i` (first char code `c`), longest first: `:=` before `:`, `...` before `.`. */
function _punctuator(text: string, i: number, c: number): string | null {
  if (c === 58 && text.charCodeAt(i + 1) === 61) return ":=";
  if (c === 46 && text.startsWith("...", i)) return "...";
  return SINGLE.get(c) ?? null;
}

function _isDigit(c: number, radix: number): boolean {
  if (radix === 16) return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  if (radix === 2) return c === 48 || c === 49;
  return c >= 48 && c <= 57;
}

function _lexNumber(
  text: string,
  i: number,
  tokens: TsdlToken[],
  line: number,
  col: number,
  err: (msg: string) => never,
): number {
  const start = i;
  const x = text.charCodeAt(i + 1) | 0x20;
  let radix: 10 | 16 | 8 | 2 = 10;
  if (text.charCodeAt(i) === 48 && (x === 0x78 || x === 0x62)) {
    radix = x === 0x78 ? 16 : 2;
    i += 2;
  }
  const s = i;
  while (i < text.length && _isDigit(text.charCodeAt(i), radix)) i++;
  const digits = text.slice(s, i);
  if (radix === 10 && digits.length > 1 && digits.charCodeAt(0) === 48) {
    radix = 8;
    if (/[89]/.test(digits)) err(`Bad octal number ${digits}`);
  }
  if (digits.length === 0) err(`Bad number ${text.slice(start, i)}`);
  // Integer suffixes (u, U, l, L).
  for (let c = text.charCodeAt(i) | 0x20; c === 0x75 || c === 0x6c; c = text.charCodeAt(i) | 0x20) i++;
  if (i < text.length && _isIdentPart(text.charCodeAt(i))) err(`Bad number ${text.slice(start, i + 1)}`);
  // Short decimals (sizes, alignments, ids: nearly all of them) skip the string parse.
  const value = radix === 10 && digits.length <= 15 ? BigInt(+digits) : BigInt((radix === 16 ? "0x" : radix === 8 ? "0o" : radix === 2 ? "0b" : "") + digits);
  tokens.push({ kind: "int", text: text.slice(start, i), value, line, col });
  return i;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", a: "\x07", b: "\b", f: "\f", v: "\v", "?": "?" };

function _lexString(text: string, i: number, err: (msg: string, at: number) => never, quote: string): [string, number] {
  let out = "";
  while (i < text.length) {
    const ch = text[i];
    if (ch === quote) return [out, i + 1];
    if (ch === "\n") break;
    if (ch === "\\") {
      const e = text[i + 1];
      if (e === "x") {
        const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2));
        if (!m) err("Bad \\x escape in string", i);
        out += String.fromCharCode(parseInt((m as RegExpExecArray)[0], 16));
        i += 2 + (m as RegExpExecArray)[0].length;
        continue;
      }
      const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
      if (oct) {
        out += String.fromCharCode(parseInt(oct[0], 8));
        i += 1 + oct[0].length;
        continue;
      }
      const r = ESCAPES[e];
      if (r === undefined) err(`Unknown escape \\${e} in string`, i);
      out += r;
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  return err("Unterminated string", i);
}
