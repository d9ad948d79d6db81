/**
 * JSON Lines decoding: one text line → one `TraceEvent`, no I/O.
 *
 * Line format: `{"ts": <integer or decimal string, absolute ns>, "name": "...", "cpu": N,
 * "fields": {...}, "context": {...}}`. `cpu`, `fields` and `context` are optional (cpu -1, no
 * fields, null context); `host` and any other top-level key are ignored (the host is the source).
 *
 * Exactness: integers beyond 2^53 — as JSON numbers or as decimal strings — become `bigint`.
 * Lines that may hold one (a run of 16 digits) have their wide numbers quoted before
 * `JSON.parse` (`quoteWideIntegers`), falling back to the slower `parseExactJson` when that
 * quoting hit a string. A string in `fields` or `context` (or in an array there) becomes a
 * `bigint` only when it is a plain decimal integer too wide for a `number`; shorter digit
 * strings stay strings, since a `comm` may well be "1234".
 */
import type { EventContext, Fields, TraceEvent } from "../../model/event.js";
import { MAX_SAFE_TS } from "../../model/time.js";
import { isWideInteger, mayHoldBigInt, parseExactJson, quoteWideIntegers } from "./parse-exact-json.js";

/**
 * Decodes lines for one source. `decode` returns a fresh event (events of one batch must stay
 * distinct) or null with the reason in `error`; it never throws for bad input.
 */
export class JsonlDecoder {
  /** Why the last `decode` returned null. */
  error = "";
  private readonly originNum: number;
  /** The origin split at 10^9, to subtract wide decimal timestamps without bigint. */
  private readonly originHi: number;
  private readonly originLo: number;
  /** Absolute ts of the last decoded event, held in one of three forms (see `tsForm`). */
  private tsForm = TsForm.Number;
  private tsNum = 0;
  private tsStr = "";
  private tsBig = 0n;

  /** `origin` is the run's origin; `host` is stamped on every event. */
  constructor(
    private readonly origin: bigint,
    private readonly host: number,
  ) {
    this.originNum = origin <= MAX_SAFE_TS && origin >= -MAX_SAFE_TS ? Number(origin) : Number.NaN;
    this.originHi = Number(origin / GIGA);
    this.originLo = Number(origin % GIGA);
  }

  /** The absolute timestamp of the last successfully decoded event. */
  lastAbsTs(): bigint {
    if (this.tsForm === TsForm.Number) return BigInt(this.tsNum);
    return this.tsForm === TsForm.Decimal ? BigInt(this.tsStr) : this.tsBig;
  }

  /** One line (without its newline) → an event, or null with `error` set. */
  decode(line: string): TraceEvent | null {
    const exact = mayHoldBigInt(line);
    let obj: unknown;
    try {
      obj = exact ? _parseWide(line) : JSON.parse(line);
    } catch (e) {
      return this.fail(`not valid JSON (${(e as Error).message})`);
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return this.fail("not a JSON object");
    const rec = obj as Record<string, unknown>;

    const name = rec.name;
    if (typeof name !== "string" || name.length === 0) return this.fail('missing or empty "name" string');
    if (!this.readTs(rec.ts)) return null;

    let cpu = -1;
    if (rec.cpu !== undefined) {
      if (typeof rec.cpu !== "number" || !Number.isInteger(rec.cpu) || rec.cpu < 0) {
        return this.fail(`"cpu" must be a non-negative integer, got ${_show(rec.cpu)}`);
      }
      cpu = rec.cpu;
    }

    let fields: Fields = EMPTY_FIELDS;
    if (rec.fields !== undefined) {
      if (!_isPlainObject(rec.fields)) return this.fail('"fields" must be an object');
      fields = rec.fields as Fields;
      const bad = _checkValues(fields, exact);
      if (bad !== null) return this.fail(`field "${bad}" holds an object; values are numbers, strings, booleans, null or arrays`);
    }

    let context: EventContext | null = null;
    if (rec.context !== undefined && rec.context !== null) {
      if (!_isPlainObject(rec.context)) return this.fail('"context" must be an object');
      context = rec.context as EventContext;
      const bad = _checkValues(context as Fields, exact);
      if (bad !== null) return this.fail(`context "${bad}" holds an object`);
    }
    return { name, ts: this.relativeTs(), cpu, host: this.host, fields, context };
  }

  // --- internal ---

  private fail(message: string): null {
    this.error = message;
    return null;
  }

  /** Stores the absolute ts; false (with `error`) when it is not a non-negative integer. */
  private readTs(v: unknown): boolean {
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v) || v < 0) {
        return !!this.fail(`"ts" ${_show(v)} is not an exact non-negative integer of ns (write wide values as integers or decimal strings)`);
      }
      this.tsForm = TsForm.Number;
      this.tsNum = v;
      return true;
    }
    if (typeof v === "string") {
      if (!_isDigits(v)) return !!this.fail(`"ts" string ${_show(v)} is not a non-negative decimal integer`);
      if (v.length <= 15) {
        this.tsForm = TsForm.Number;
        this.tsNum = Number(v);
      } else {
        this.tsForm = TsForm.Decimal;
        this.tsStr = v;
      }
      return true;
    }
    if (typeof v === "bigint") {
      if (v < 0n) return !!this.fail(`"ts" ${v} is negative`);
      this.tsForm = TsForm.Big;
      this.tsBig = v;
      return true;
    }
    return !!this.fail(v === undefined ? 'missing "ts"' : `"ts" must be an integer or a decimal string, got ${_show(v)}`);
  }

  /** The stored ts minus the origin, without bigint on the common paths. */
  private relativeTs(): number {
    if (this.tsForm === TsForm.Number && !Number.isNaN(this.originNum)) return this.tsNum - this.originNum;
    if (this.tsForm === TsForm.Decimal) {
      // 10^9 · (hi − originHi) + (lo − originLo) is exact while |hi − originHi| < 9·10^6
      const s = this.tsStr;
      const dHi = Number(s.slice(0, s.length - 9)) - this.originHi;
      if (dHi < 9e6 && dHi > -9e6) return dHi * 1e9 + (Number(s.slice(s.length - 9)) - this.originLo);
    }
    return Number(this.lastAbsTs() - this.origin);
  }
}

const enum TsForm { Number, Decimal, Big }
const GIGA = 1_000_000_000n;

function _isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Shared by events without fields; frozen so that no consumer can grow it by accident. */
const EMPTY_FIELDS: Fields = Object.freeze({}) as Fields;

function _isPlainObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Returns the first key whose value is an object (not a FieldValue), else null. On lines that
 * may hold wide integers (`exact`), also turns wide decimal strings into bigint in place.
 */
function _checkValues(obj: Record<string, unknown>, exact: boolean): string | null {
  for (const k in obj) {
    const v = obj[k];
    if (typeof v === "object" && v !== null) {
      if (!Array.isArray(v)) return k;
      if (exact) _widenArray(v);
    } else if (exact && typeof v === "string") {
      const w = _widen(v);
      if (w !== v) obj[k] = w;
    }
  }
  return null;
}

function _widenArray(a: unknown[]): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v === "string") a[i] = _widen(v);
    else if (Array.isArray(v)) _widenArray(v);
  }
}

/** A decimal string too wide for a number → bigint; anything else unchanged. */
function _widen(v: string): string | bigint {
  return v.length >= 16 && isWideInteger(v) && INTEGER.test(v) ? BigInt(v) : v;
}

const INTEGER = /^-?\d+$/;

/** Parses a line that may hold wide integers: quoted fast path, exact parser when that fails. */
function _parseWide(line: string): unknown {
  try {
    return JSON.parse(quoteWideIntegers(line));
  } catch {
    return parseExactJson(line);
  }
}

function _show(v: unknown): string {
  if (typeof v === "bigint") return String(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
