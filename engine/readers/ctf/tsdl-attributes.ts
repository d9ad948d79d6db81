/**
 * Attribute lists of TSDL basic types: `integer { size; align; signed; byte_order; base;
 * encoding; map }` and `floating_point { exp_dig; mant_dig; byte_order; align }`.
 *
 * Contract: applies the CTF 1.8 defaults (unsigned, native byte order, base 10, no encoding,
 * `align` 8 for whole-byte sizes else 1), rejects values no reader can use (size 0 or > 64,
 * alignment not a power of two, float sizes other than 32/64) with a located `TsdlError`,
 * and warns about attributes it does not know.
 */
import type { AttrValue, TsdlCursor } from "./tsdl-cursor.js";
import type { TsdlToken } from "./tsdl-lexer.js";
import type { ByteOrder, FloatType, IntegerType } from "./metadata-model.js";

/** Receives a tolerated problem at a metadata line. */
export type Warn = (line: number, message: string) => void;

/** One `key = value;` of a basic type's attribute list. */
export interface TypeAttr {
  key: string;
  value: AttrValue;
  /** The attribute's name token, for error locations. */
  at: TsdlToken;
}

/** Builds an integer type from its attribute list. */
export function parseIntegerAttrs(attrs: TypeAttr[], warn: Warn, c: TsdlCursor): IntegerType {
  let size = -1;
  let align = -1;
  let signed = false;
  let byteOrder: ByteOrder = "native";
  let base = 10;
  let encoding: IntegerType["encoding"] = "none";
  let clock: string | null = null;
  for (const a of attrs) {
    const text = String(a.value.value);
    switch (a.key) {
      case "size":
        size = _int(a, c);
        break;
      case "align":
        align = _int(a, c);
        break;
      case "signed":
        signed = _bool(a, c);
        break;
      case "byte_order":
        byteOrder = _byteOrder(a, c);
        break;
      case "base":
        base = _base(a, c);
        break;
      case "encoding": {
        const e = text.toLowerCase();
        encoding = e === "utf8" ? "utf8" : e === "ascii" ? "ascii" : "none";
        if (e !== "utf8" && e !== "ascii" && e !== "none") warn(a.at.line, `Unknown integer encoding \`${text}\`, using none`);
        break;
      }
      case "map": {
        const m = /^clock\.([^.]+)\.value$/.exec(text);
        if (m) clock = m[1];
        else warn(a.at.line, `Unsupported integer mapping \`${text}\` ignored (only clock.<name>.value is known)`);
        break;
      }
      default:
        warn(a.at.line, `Unknown integer attribute \`${a.key}\` ignored`);
    }
  }
  const at = attrs[0]?.at ?? c.peek();
  if (size < 1 || size > 64) c.error(`Integer size must be 1..64 bits, got ${size < 0 ? "none" : size}`, at);
  if (align < 0) align = size % 8 === 0 ? 8 : 1;
  _checkAlign(align, c, at);
  return { kind: "int", size, align, signed, byteOrder, base, encoding, clock };
}

/** Builds a floating-point type from its attribute list. */
export function parseFloatAttrs(attrs: TypeAttr[], warn: Warn, c: TsdlCursor): FloatType {
  let expDig = 0;
  let mantDig = 0;
  let align = -1;
  let byteOrder: ByteOrder = "native";
  for (const a of attrs) {
    if (a.key === "exp_dig") expDig = _int(a, c);
    else if (a.key === "mant_dig") mantDig = _int(a, c);
    else if (a.key === "align") align = _int(a, c);
    else if (a.key === "byte_order") byteOrder = _byteOrder(a, c);
    else warn(a.at.line, `Unknown floating_point attribute \`${a.key}\` ignored`);
  }
  const at = attrs[0]?.at ?? c.peek();
  const size = expDig + mantDig;
  if (!((expDig === 8 && mantDig === 24) || (expDig === 11 && mantDig === 53))) {
    c.error(`Only 32-bit (8+24) and 64-bit (11+53) floating_point types are supported, got exp_dig=${expDig} mant_dig=${mantDig}`, at);
  }
  if (align < 0) align = size % 8 === 0 ? 8 : 1;
  _checkAlign(align, c, at);
  return { kind: "float", expDig, mantDig, align, byteOrder };
}

// --- internal ---

function _int(a: TypeAttr, c: TsdlCursor): number {
  if (a.value.kind !== "int") c.error(`Attribute \`${a.key}\` needs an integer, got \`${a.value.value}\``, a.at);
  return Number(a.value.value);
}

function _bool(a: TypeAttr, c: TsdlCursor): boolean {
  const v = String(a.value.value).toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return c.error(`Attribute \`${a.key}\` needs true or false, got \`${a.value.value}\``, a.at);
}

function _byteOrder(a: TypeAttr, c: TsdlCursor): ByteOrder {
  switch (String(a.value.value).toLowerCase()) {
    case "le":
    case "little_endian":
      return "le";
    case "be":
    case "network":
    case "big_endian":
      return "be";
    case "native":
      return "native";
  }
  return c.error(`Unknown byte_order \`${a.value.value}\` : use le, be, network or native`, a.at);
}

const BASES: Record<string, number> = {
  decimal: 10, dec: 10, d: 10, i: 10, u: 10, "10": 10,
  hexadecimal: 16, hex: 16, x: 16, X: 16, p: 16, "16": 16,
  octal: 8, oct: 8, o: 8, "8": 8,
  binary: 2, b: 2, "2": 2,
};

function _base(a: TypeAttr, c: TsdlCursor): number {
  const b = BASES[String(a.value.value)];
  if (b === undefined) c.error(`Unknown integer base \`${a.value.value}\``, a.at);
  return b;
}

function _checkAlign(align: number, c: TsdlCursor, at: TsdlToken): void {
  if (align < 1 || (align & (align - 1)) !== 0 || align > 1024) c.error(`Alignment must be a power of two in bits, got ${align}`, at);
}
