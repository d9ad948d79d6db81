/**
 * The text buffer generated decoders are written into, with what the emitters track while
 * writing: local variable names, and `known` — the bit position modulo 8 when it is fixed at
 * this point of the code (null when it depends on the data), which lets integer reads that are
 * not byte-aligned compile to a few byte loads and shifts instead of a generic bit loop.
 *
 * Contract: generated code never embeds metadata text except through `JSON.stringify`
 * (`quote`), numbers printed by `String`, and names made by `fresh`.
 */
import type { FieldType } from "../../model/event.js";

/** One output slot of a generated decoder: its key and what kind of value it holds. */
export interface OutKey {
  key: string;
  type: FieldType;
}

/** The body of one generated function, built line by line. */
export class CodeGen {
  private readonly lines: string[] = [];
  private readonly locals: string[] = [];
  private counter = 0;
  private depth = 1;
  /**
   * Bit position modulo 8 when statically known, else null. Null at the start: a scope begins
   * wherever the previous one ended (a packet header can end mid-byte).
   */
  known: number | null = null;
  /** Output keys written per object variable, in first-write order. */
  readonly keys = new Map<string, OutKey[]>();

  /** A new local variable name (declared at the top of the function). */
  fresh(prefix = "v"): string {
    const name = `${prefix}${this.counter++}`;
    this.locals.push(name);
    return name;
  }

  line(code: string): void {
    this.lines.push("  ".repeat(this.depth) + code);
  }

  open(code: string): void {
    this.line(code);
    this.depth++;
  }

  /** Writes a line one level out and stays at this level (`} else {`). */
  reopen(code: string): void {
    this.depth--;
    this.line(code);
    this.depth++;
  }

  close(code = "}"): void {
    this.depth--;
    this.line(code);
  }

  /** Records that `obj[key]` is an output slot (for the fixed-shape factory and the schema). */
  addKey(obj: string, key: string, type: FieldType): void {
    let list = this.keys.get(obj);
    if (list === undefined) this.keys.set(obj, (list = []));
    if (!list.some((k) => k.key === key)) list.push({ key, type });
  }

  /** Number of lines written so far (to cut a branch's body out later). */
  mark(): number {
    return this.lines.length;
  }

  /** Removes and returns the lines written since `mark` (for variant branches). */
  cut(mark: number): string[] {
    return this.lines.splice(mark);
  }

  /** Appends previously cut lines. */
  paste(lines: string[]): void {
    this.lines.push(...lines);
  }

  /** The function body: locals declared first, then the code. */
  text(): string {
    const decl = this.locals.length > 0 ? `  let ${this.locals.join(", ")};\n` : "";
    return decl + this.lines.join("\n");
  }
}

/** A JavaScript string literal for `s` (the only way metadata text enters generated code). */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** A JavaScript literal for an integer bound (bigint literal beyond 2^53). */
export function intLiteral(v: bigint): string {
  const safe = v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER);
  return safe ? String(v) : `${v}n`;
}
