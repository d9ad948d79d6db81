/**
 * Writes parsed leaves into a reused object when they come with the keys, in the order, the
 * object was last filled with (the steady state of one event class), and tells when they did
 * not (a variant chose another option, a new event class) so the caller refills a fresh object.
 *
 * Contract: after `begin(obj, keys)` and the puts of one event, `done()` is true iff the puts
 * wrote exactly `keys`, in order — then `obj` holds this event and nothing stale. `key()` returns
 * the cached key string when the member name matches it, so the steady state allocates no keys.
 * `unnamed` is set when a leaf had no name at the top level (babeltrace2 run with `-n none`).
 */
import type { FieldValue } from "../../model/event.js";
import type { LeafSink } from "./babeltrace-values.js";

export class ShapeWriter implements LeafSink {
  obj: Record<string, FieldValue | undefined> = {};
  unnamed = false;
  private keys: string[] = [];
  private n = 0;
  private same = true;

  begin(obj: Record<string, FieldValue | undefined>, keys: string[]): void {
    this.obj = obj;
    this.keys = keys;
    this.n = 0;
    this.same = true;
    this.unnamed = false;
  }

  key(prefix: string, s: string, a: number, b: number): string {
    const exp = this.same ? this.keys[this.n] : undefined;
    if (exp !== undefined && _sameKey(exp, prefix, s, a, b)) return exp;
    return prefix === "" ? s.slice(a, b) : prefix + "." + s.slice(a, b);
  }

  put(key: string, value: FieldValue): void {
    if (key === "") this.unnamed = true;
    if (this.same && this.keys[this.n] !== key) this.same = false;
    this.obj[key] = value;
    this.n++;
  }

  done(): boolean {
    return this.same && this.n === this.keys.length;
  }

  /** The keys written since `begin`, in order (after a refill, to cache them). */
  writtenKeys(): string[] {
    return Object.keys(this.obj).slice(0, this.n);
  }
}

// --- internal ---

/** `exp === (prefix ? prefix + "." : "") + s.slice(a, b)`, without building the right side. */
function _sameKey(exp: string, prefix: string, s: string, a: number, b: number): boolean {
  const off = prefix.length === 0 ? 0 : prefix.length + 1;
  if (exp.length !== off + (b - a)) return false;
  if (off > 0 && (exp.charCodeAt(prefix.length) !== 46 || !exp.startsWith(prefix))) return false;
  for (let i = a; i < b; i++) if (exp.charCodeAt(off + i - a) !== s.charCodeAt(i)) return false;
  return true;
}
