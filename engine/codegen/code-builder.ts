/**
 * Building blocks for generated code. User text never enters the generated source: strings,
 * regexes and sets go into the constant pool `K` and are referenced by index; names must be
 * plain identifiers (the lexer guarantees it; `prop` re-checks and routes anything else
 * through the pool); source stamps keep only safe characters.
 */
import type { Span } from "../../grammar/ast.js";

export class ConstPool {
  readonly values: unknown[] = [];
  private index = new Map<unknown, number>();

  /** `K[i]` for a value (deduplicated: primitives by value, objects by identity). */
  ref(v: unknown): string {
    const known = this.index.get(v);
    if (known !== undefined) return `K[${known}]`;
    this.values.push(v);
    const i = this.values.length - 1;
    this.index.set(v, i);
    return `K[${i}]`;
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Property names that reach Object.prototype machinery. */
const UNSAFE = new Set(["__proto__", "constructor", "prototype", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__", "hasOwnProperty", "toString", "valueOf"]);

/** A property read on `obj` that is safe for any name. */
export function prop(obj: string, name: string, pool: ConstPool): string {
  if (IDENT.test(name) && !UNSAFE.has(name)) return `${obj}.${name}`;
  return `B.own(${obj}, ${pool.ref(name)})`;
}

/** A generated identifier built from a validated name (`k_vm`, `M0`...). */
export function ident(prefix: string, name: string): string {
  if (!IDENT.test(name)) throw new Error(`internal: not an identifier: ${JSON.stringify(name)}`);
  return prefix + name;
}

/** `/* rules/kvm/vcpu.vgl:12 *\/` with only path-safe characters. */
export function stamp(span: Span): string {
  const file = span.file.replace(/[^A-Za-z0-9_./-]/g, "_");
  return `/* ${file}:${span.line} */`;
}

/** A map key from a generated expression: numbers pass inline, anything else goes through `B.key`. */
export function keyOf(js: string): string {
  return `(typeof (t = ${js}) === "number" ? t : B.key(t))`;
}

/** A JavaScript literal for a bigint value, as a number when exact. */
export function intLiteral(v: bigint): string {
  if (v >= -9007199254740991n && v <= 9007199254740991n) return v < 0n ? `(${v})` : `${v}`;
  return v < 0n ? `(${v}n)` : `${v}n`;
}
