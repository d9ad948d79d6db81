/**
 * Helpers the generated code calls where plain JavaScript operators would be wrong: 64-bit
 * bit operations and mixed number/bigint arithmetic (JS `&` truncates to 32 bits and
 * `1n + 1` throws), set membership across number/bigint, globs, and the built-in functions.
 * Every helper takes and returns plain values; none allocates on the number fast path.
 */
import type { FieldValue, Fields, TraceEvent } from "../model/event.js";
import { formatDuration } from "../model/time.js";

type V = FieldValue | undefined;

const TWO31 = 2 ** 31;
const TWO32 = 2 ** 32;

function big(v: V): bigint | null {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  return null;
}

/** Narrows a bigint back to number when exact, so equality with number fields keeps working. */
export function norm(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function bitop(a: V, b: V, op: (x: bigint, y: bigint) => bigint): V {
  const x = big(a), y = big(b);
  if (x === null || y === null) return null;
  return norm(op(x, y));
}

export const B = {
  band(a: V, b: V): V {
    if (typeof a === "number" && typeof b === "number" && a >= 0 && b >= 0) {
      if (a < TWO31 && b < TWO31) return a & b;
      // exact on non-negative safe integers: high and low 32-bit halves separately, no BigInt
      if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return (((a / TWO32) & (b / TWO32)) >>> 0) * TWO32 + ((a & b) >>> 0);
    }
    return bitop(a, b, (x, y) => x & y);
  },
  bor(a: V, b: V): V {
    if (typeof a === "number" && typeof b === "number" && a >= 0 && b >= 0 && a < TWO31 && b < TWO31) return a | b;
    return bitop(a, b, (x, y) => x | y);
  },
  bxor(a: V, b: V): V {
    if (typeof a === "number" && typeof b === "number" && a >= 0 && b >= 0 && a < TWO31 && b < TWO31) return a ^ b;
    return bitop(a, b, (x, y) => x ^ y);
  },
  shl(a: V, b: V): V { return bitop(a, b, (x, y) => x << y); },
  shr(a: V, b: V): V { return bitop(a, b, (x, y) => x >> y); },
  bnot(a: V): V { const x = big(a); return x === null ? null : norm(~x); },
  /** Slow paths of arithmetic when an operand is not a number. */
  arith(op: string, a: V, b: V): V {
    if (typeof a === "string" && op === "+") return a + String(b ?? "");
    // booleans count as 0 and 1, so `sum((state == "guest") * duration)` pivots a column
    if (typeof a === "boolean") a = a ? 1 : 0;
    if (typeof b === "boolean") b = b ? 1 : 0;
    if (typeof a === "number" && typeof b === "number") {
      switch (op) {
        case "+": return a + b; case "-": return a - b; case "*": return a * b;
        case "/": return b === 0 ? null : a / b; case "%": return b === 0 ? null : a % b;
      }
    }
    const x = big(a), y = big(b);
    if (x !== null && y !== null && (typeof a === "bigint" || typeof b === "bigint")) {
      switch (op) {
        case "+": return norm(x + y);
        case "-": return norm(x - y);
        case "*": return norm(x * y);
        case "/": return y === 0n ? null : norm(x / y);
        case "%": return y === 0n ? null : norm(x % y);
      }
    }
    if (typeof a === "number" && typeof b === "number") {
      switch (op) {
        case "+": return a + b; case "-": return a - b; case "*": return a * b;
        case "/": return b === 0 ? null : a / b; case "%": return b === 0 ? null : a % b;
      }
    }
    return null;
  },
  add(a: V, b: V): V { return typeof a === "number" && typeof b === "number" ? a + b : B.arith("+", a, b); },
  sub(a: V, b: V): V { return typeof a === "number" && typeof b === "number" ? a - b : B.arith("-", a, b); },
  mul(a: V, b: V): V { return typeof a === "number" && typeof b === "number" ? a * b : B.arith("*", a, b); },
  div(a: V, b: V): V { return typeof a === "number" && typeof b === "number" && b !== 0 ? a / b : B.arith("/", a, b); },
  mod(a: V, b: V): V { return typeof a === "number" && typeof b === "number" && b !== 0 ? a % b : B.arith("%", a, b); },
  /** Aggregate inputs: numbers as they are, bigints approximated, anything else NaN (skipped). */
  num(v: V): number { return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : typeof v === "boolean" ? (v ? 1 : 0) : NaN; },
  /** Map keys: exact bigints that fit are numbers, so `5n` and `5` are one key. */
  key(v: V): FieldValue { return typeof v === "bigint" ? norm(v) : v === undefined ? null : v; },
  neg(a: V): V { return typeof a === "number" ? -a : typeof a === "bigint" ? norm(-a) : null; },
  /** Membership in a Set built from literals (numbers normalised, so 5n finds 5). */
  /**
   * Membership in a set of small non-negative integers given as a bitmap (`bits[n] === 1`):
   * what `inSet` answers, without hashing (exit-reason lists are tested on every exit).
   */
  inBits(bits: Uint8Array, v: V): boolean {
    const n = typeof v === "bigint" ? norm(v) : v;
    return typeof n === "number" && bits[n] === 1;
  },
  inSet(set: Set<unknown>, v: V): boolean {
    return set.has(typeof v === "bigint" ? norm(v) : v);
  },
  /** `map[key]`: the value, or null when the key is absent. */
  lookup(m: Map<unknown, FieldValue>, k: V): V {
    const v = m.get(typeof k === "bigint" ? norm(k) : k);
    return v === undefined ? null : v;
  },
  inMap(m: Map<unknown, FieldValue>, k: V): boolean { return m.has(typeof k === "bigint" ? norm(k) : k); },
  contains(a: V, b: V): boolean {
    if (Array.isArray(a)) return a.some((x) => x === b || (typeof x === "bigint" && norm(x) === b));
    return a !== null && a !== undefined && String(a).includes(String(b));
  },
  startswith(a: V, b: V): boolean { return typeof a === "string" && a.startsWith(String(b)); },
  endswith(a: V, b: V): boolean { return typeof a === "string" && a.endsWith(String(b)); },
  test(re: RegExp, a: V): boolean { return typeof a === "string" && re.test(a); },
  /** For a pattern that is not a literal: compiled once per distinct pattern. */
  globDynamic(a: V, pattern: V): boolean {
    if (typeof a !== "string" || typeof pattern !== "string") return false;
    let re = globCache.get(pattern);
    if (!re) { re = globToRegExp(pattern); globCache.set(pattern, re); }
    return re.test(a);
  },
  regexDynamic(a: V, pattern: V): boolean {
    if (typeof a !== "string" || typeof pattern !== "string") return false;
    let re = regexCache.get(pattern);
    if (re === undefined) {
      try { re = new RegExp(pattern); } catch { re = null; }
      regexCache.set(pattern, re);
    }
    return re !== null && re.test(a);
  },
  /** The record of an event alert: where and in which thread it happened, then the payload. */
  eventRecord(ev: TraceEvent, f: Fields, cx: { tid: number; pid: number; comm: string }): Record<string, FieldValue> {
    const r: Record<string, FieldValue> = { event: ev.name, cpu: ev.cpu, tid: cx.tid >= 0 ? cx.tid : null, pid: cx.pid >= 0 ? cx.pid : null, comm: cx.comm || null };
    for (const k of Object.keys(f)) if (!(k in r)) r[k] = f[k]!;
    return r;
  },
  /** Own-property read for names that could reach the prototype chain. */
  own(o: Record<string, FieldValue> | null | undefined, name: string): V {
    return o !== null && o !== undefined && Object.prototype.hasOwnProperty.call(o, name) ? o[name] : undefined;
  },
  /** Truthiness for conditions: null, 0, "", false are false. */
  truthy(v: V): boolean { return v !== null && v !== undefined && v !== 0 && v !== 0n && v !== "" && v !== false; },
  /** Renders a value inside a message template. */
  show(v: V): string {
    if (v === null || v === undefined) return "?";
    if (Array.isArray(v)) return `[${v.map((x) => B.show(x)).join(", ")}]`;
    if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${k}: ${B.show(x)}`).join(", ")}}`;
    return String(v);
  },
  // built-in functions callable from rules (names in engine/model/functions.ts)
  fn_abs(a: V): V { return typeof a === "number" ? Math.abs(a) : typeof a === "bigint" ? (a < 0n ? norm(-a) : a) : null; },
  fn_sqrt(a: V): V {
    const x = typeof a === "number" ? a : typeof a === "bigint" ? Number(a) : NaN;
    return x >= 0 ? Math.sqrt(x) : null;
  },
  fn_min(...xs: V[]): V { return pick(xs, (a, b) => a < b); },
  fn_max(...xs: V[]): V { return pick(xs, (a, b) => a > b); },
  fn_str(a: V): V { return a === null || a === undefined ? null : B.show(a); },
  fn_int(a: V): V {
    if (typeof a === "number") return Math.trunc(a);
    if (typeof a === "bigint") return a;
    if (typeof a === "string" && /^\s*-?(0x[0-9a-f]+|\d+)\s*$/i.test(a)) return norm(BigInt(a.trim()));
    return null;
  },
  fn_hex(a: V): V { const x = big(a); return x === null ? null : (x < 0n ? "-0x" + (-x).toString(16) : "0x" + x.toString(16)); },
  fn_after(a: V, mark: V): V {
    if (typeof a !== "string" || typeof mark !== "string") return null;
    const at = a.indexOf(mark);
    return at < 0 ? null : a.slice(at + mark.length);
  },
  fn_lower(a: V): V { return typeof a === "string" ? a.toLowerCase() : null; },
  fn_upper(a: V): V { return typeof a === "string" ? a.toUpperCase() : null; },
  fn_len(a: V): V { return typeof a === "string" || Array.isArray(a) ? a.length : null; },
  fn_coalesce(...xs: V[]): V { for (const x of xs) if (x !== null && x !== undefined) return x; return null; },
  fn_ms(a: V): V { return typeof a === "number" || typeof a === "bigint" ? Number(a) / 1e6 : null; },
  fn_us(a: V): V { return typeof a === "number" || typeof a === "bigint" ? Number(a) / 1e3 : null; },
  fn_cond(c: V, a: V, b: V): V { return B.truthy(c) ? a : b; },
  fn_tuple(...xs: V[]): V { return xs.map((x) => B.show(x)).join(":"); },
  fn_bucket(t: V, w: V): V {
    if (typeof t !== "number" || typeof w !== "number" || w <= 0) return null;
    return Math.floor(t / w) * w;
  },
  fn_duration(a: V): V { return typeof a === "number" || typeof a === "bigint" ? formatDuration(Number(a)) : null; },
};

export type Builtins = typeof B;

const globCache = new Map<string, RegExp>();
const regexCache = new Map<string, RegExp | null>();

/** `*` any run, `?` one character, `[...]` a class; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let re = "^";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        re += "[" + (body.startsWith("!") ? "^" + body.slice(1) : body) + "]";
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(re + "$", "s");
}

function pick(xs: V[], better: (a: number | bigint | string, b: number | bigint | string) => boolean): V {
  let best: V = null;
  for (const x of xs) {
    if (typeof x !== "number" && typeof x !== "bigint" && typeof x !== "string") continue;
    if (best === null || better(x, best as number | bigint | string)) best = x;
  }
  return best;
}
