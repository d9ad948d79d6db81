/**
 * A token cursor shared by the TSDL parsers, plus the lexical scopes of type names.
 *
 * Contract: `expect*` methods consume and return the token or throw a `TsdlError` located at
 * the offending token, worded "Expected X, found Y". Scopes follow TSDL's lexical scoping:
 * aliases declared inside a block or struct are visible only there and in nested scopes.
 */
import { TsdlError, type TsdlToken } from "./tsdl-lexer.js";
import type { CtfType } from "./metadata-model.js";

/** A value on the right of `key = value;` in a block or a type's attribute list. */
export type AttrValue =
  | { kind: "int"; value: bigint }
  | { kind: "string"; value: string }
  /** An identifier or a dotted path (`clock.monotonic.value`, `le`, `true`). */
  | { kind: "ident"; value: string };

/** Reading position in the token list, plus the stack of type-name scopes. */
export class TsdlCursor {
  private pos = 0;
  /** Innermost last. Keys: alias names (`unsigned long`), `struct X`, `enum X`, `variant X`. */
  private readonly scopes: Array<Map<string, CtfType>> = [new Map()];

  constructor(private readonly tokens: TsdlToken[]) {}

  peek(offset = 0): TsdlToken {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  next(): TsdlToken {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  /** True when the current token is punctuator `p`. */
  isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "punct" && t.text === p;
  }

  isIdent(word?: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "ident" && (word === undefined || t.text === word);
  }

  /** Consumes punctuator `p` when present. */
  eat(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.next();
    return true;
  }

  expectPunct(p: string): TsdlToken {
    if (!this.isPunct(p)) this.fail(`\`${p}\``);
    return this.next();
  }

  expectIdent(what = "an identifier"): TsdlToken {
    if (!this.isIdent()) this.fail(what);
    return this.next();
  }

  /** Throws "Expected <what>, found <token>" at the current token. */
  fail(what: string, at: TsdlToken = this.peek()): never {
    const found = at.kind === "eof" ? at.text : at.kind === "string" ? JSON.stringify(at.text) : `\`${at.text}\``;
    throw new TsdlError(`Expected ${what}, found ${found}`, at.line, at.col);
  }

  /** Throws a located error with a free-form message. */
  error(message: string, at: TsdlToken = this.peek()): never {
    throw new TsdlError(message, at.line, at.col);
  }

  /** Parses `value` in `key = value`: a signed integer, a string, or a (dotted) identifier. */
  attrValue(): AttrValue {
    const t = this.peek();
    if (t.kind === "punct" && (t.text === "-" || t.text === "+")) {
      this.next();
      const n = this.peek();
      if (n.kind !== "int") this.fail("a number after the sign");
      this.next();
      return { kind: "int", value: t.text === "-" ? -n.value : n.value };
    }
    if (t.kind === "int") return this.next(), { kind: "int", value: t.value };
    if (t.kind === "string") return this.next(), { kind: "string", value: t.text };
    if (t.kind === "ident") {
      let v = this.next().text;
      while (this.isPunct(".") && this.peek(1).kind === "ident") {
        this.next();
        v += "." + this.next().text;
      }
      return { kind: "ident", value: v };
    }
    return this.fail("a value (number, string or identifier)");
  }

  pushScope(): void {
    this.scopes.push(new Map());
  }

  popScope(): void {
    if (this.scopes.length > 1) this.scopes.pop();
  }

  /** Declares a type name in the innermost scope. */
  declare(name: string, type: CtfType): void {
    this.scopes[this.scopes.length - 1].set(name, type);
  }

  /** Looks a type name up from the innermost scope outward. */
  lookup(name: string): CtfType | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const t = this.scopes[i].get(name);
      if (t !== undefined) return t;
    }
    return undefined;
  }
}
