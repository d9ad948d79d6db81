/**
 * TSDL type specifiers and declarations: `integer {…}`, `floating_point {…}`, `string`,
 * `enum`, `struct`, `variant`, alias references (`uint32_t`, `unsigned long`), declarators
 * (`name`, `name[16]`, `name[ len ]`, `name : 3`), `typealias` and `typedef`.
 *
 * Contract: returns fully expanded model types (no alias left); names declared with
 * `typealias`/`typedef`/`struct NAME` go into the cursor's innermost scope. Field and option
 * names lose one leading `_`; so do the components of tag and length paths, so that they
 * name fields the same way. Unknown attributes are reported through `warn`, not rejected.
 */
import type { TsdlCursor } from "./tsdl-cursor.js";
import type { CtfType, EnumMapping, IntegerType, NamedType, StructType } from "./metadata-model.js";
import { parseFloatAttrs, parseIntegerAttrs, type TypeAttr, type Warn } from "./tsdl-attributes.js";

const TYPE_KEYWORDS = new Set(["integer", "floating_point", "string", "struct", "variant", "enum"]);

/** Strips one leading underscore (CTF 1.8 §7.3.2: `_name` escapes keywords). */
export function stripUnderscore(name: string): string {
  return name.startsWith("_") ? name.slice(1) : name;
}

/** Strips one leading underscore from every component of a dotted path. */
export function stripPath(path: string): string {
  return path.split(".").map(stripUnderscore).join(".");
}

/** True when the current tokens start a type specifier (a keyword or a known alias). */
export function startsType(c: TsdlCursor): boolean {
  return c.isIdent() && (TYPE_KEYWORDS.has(c.peek().text) || _aliasLength(c, 0) > 0);
}

/** Parses one type specifier. `leaveName` keeps one trailing identifier for a declarator. */
export function parseType(c: TsdlCursor, warn: Warn, leaveName = true): CtfType {
  const t = c.peek();
  if (t.kind !== "ident") return c.fail("a type");
  switch (t.text) {
    case "integer":
      c.next();
      return parseIntegerAttrs(_attrList(c), warn, c);
    case "floating_point":
      c.next();
      return parseFloatAttrs(_attrList(c), warn, c);
    case "string": {
      c.next();
      if (!c.isPunct("{")) return { kind: "string", encoding: "utf8" };
      const attrs = _attrList(c);
      const enc = attrs.find((a) => a.key === "encoding");
      return { kind: "string", encoding: enc && String(enc.value.value).toLowerCase() === "ascii" ? "ascii" : "utf8" };
    }
    case "struct":
      return _parseStruct(c, warn);
    case "variant":
      return _parseVariant(c, warn);
    case "enum":
      return _parseEnum(c, warn);
  }
  const words = _aliasLength(c, leaveName ? 1 : 0);
  if (words === 0) return c.error(`Unknown type \`${t.text}\`: declare it with typealias before use`);
  const name = _takeWords(c, words);
  return c.lookup(name) as CtfType;
}

/**
 * Parses `type decl[, decl]* ;` (a struct member or variant option line), or a nested
 * `typealias`/`typedef`, and returns the declared members.
 */
export function parseMembers(c: TsdlCursor, warn: Warn): NamedType[] {
  if (c.isIdent("typealias")) return parseTypealias(c, warn), [];
  if (c.isIdent("typedef")) return parseTypedef(c, warn), [];
  const type = parseType(c, warn);
  const out: NamedType[] = [];
  if (c.eat(";")) return out; // a bare named struct/enum declaration inside a scope
  do out.push(_declarator(c, type, warn));
  while (c.eat(","));
  c.expectPunct(";");
  return out;
}

/** `typealias <type> := <name words> ;` */
export function parseTypealias(c: TsdlCursor, warn: Warn): void {
  c.next();
  const type = parseType(c, warn, false);
  c.expectPunct(":=");
  const words: string[] = [];
  while (c.isIdent() || c.isPunct("*")) words.push(c.next().text);
  if (words.length === 0) c.fail("an alias name after `:=`");
  c.expectPunct(";");
  c.declare(words.join(" "), type);
}

/** `typedef <type> <declarator>[, <declarator>]* ;` */
export function parseTypedef(c: TsdlCursor, warn: Warn): void {
  c.next();
  const type = parseType(c, warn);
  do {
    const m = _declarator(c, type, warn, false);
    c.declare(m.name, m.type);
  } while (c.eat(","));
  c.expectPunct(";");
}

// --- internal ---

function _attrList(c: TsdlCursor): TypeAttr[] {
  c.expectPunct("{");
  const out: TypeAttr[] = [];
  while (!c.eat("}")) {
    const k = c.expectIdent("an attribute name");
    c.expectPunct("=");
    out.push({ key: k.text, value: c.attrValue(), at: k });
    c.expectPunct(";");
  }
  return out;
}

/** Number of ident words from here that form the longest known alias (0 when none). */
function _aliasLength(c: TsdlCursor, reserve: number): number {
  const words: string[] = [];
  for (let i = 0; c.isIdent(undefined, i) || c.isPunct("*", i); i++) words.push(c.peek(i).text);
  for (let n = words.length; n >= 1; n--) {
    if (c.lookup(words.slice(0, n).join(" ")) === undefined) continue;
    if (words.length - n >= reserve || n === 1) return n;
  }
  return 0;
}

function _takeWords(c: TsdlCursor, n: number): string {
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(c.next().text);
  return words.join(" ");
}

function _declarator(c: TsdlCursor, base: CtfType, warn: Warn, strip = true): NamedType {
  const nameTok = c.expectIdent("a field name");
  const dims: Array<number | string> = [];
  while (c.eat("[")) {
    const t = c.peek();
    if (t.kind === "int") dims.push(Number(c.next().value));
    else if (t.kind === "ident") dims.push(stripPath(String(c.attrValue().value)));
    else c.fail("an array length or a length field name");
    c.expectPunct("]");
  }
  let type = base;
  if (c.eat(":")) {
    const bits = c.peek();
    if (bits.kind !== "int" || (base.kind !== "int" && base.kind !== "enum")) c.fail("a bit-field size on an integer");
    c.next();
    const size = Number(bits.value);
    type = base.kind === "int" ? { ...base, size, align: 1 } : { ...base, container: { ...base.container, size, align: 1 } };
  }
  if (type.kind === "variant" && type.tag === null && c.isPunct("<")) warn(nameTok.line, "variant tag after a declarator is not supported");
  for (let i = dims.length - 1; i >= 0; i--) {
    const d = dims[i];
    type = typeof d === "number" ? { kind: "array", element: type, length: d } : { kind: "sequence", element: type, lengthPath: d };
  }
  return { name: strip ? stripUnderscore(nameTok.text) : nameTok.text, type };
}

function _parseStruct(c: TsdlCursor, warn: Warn): StructType {
  c.next();
  const name = c.isIdent() ? c.peek().text : null;
  if (name !== null && !c.isPunct("{", 1)) {
    c.next();
    const known = c.lookup(`struct ${name}`);
    if (known === undefined || known.kind !== "struct") c.error(`Unknown struct \`${name}\``);
    return _withAlign(c, known as StructType);
  }
  if (name !== null) c.next();
  c.expectPunct("{");
  c.pushScope();
  const fields: NamedType[] = [];
  while (!c.eat("}")) fields.push(...parseMembers(c, warn));
  c.popScope();
  const st = _withAlign(c, { kind: "struct", fields, minAlign: 1 });
  if (name !== null) c.declare(`struct ${name}`, st);
  return st;
}

function _withAlign(c: TsdlCursor, st: StructType): StructType {
  if (!c.isIdent("align") || !c.isPunct("(", 1)) return st;
  c.next();
  c.next();
  const t = c.peek();
  if (t.kind !== "int") c.fail("an alignment in bits");
  c.next();
  c.expectPunct(")");
  return { ...st, minAlign: Math.max(st.minAlign, Number(t.value)) };
}

function _parseVariant(c: TsdlCursor, warn: Warn): CtfType {
  c.next();
  const name = c.isIdent() ? c.next().text : null;
  let tag: string | null = null;
  if (c.eat("<")) {
    tag = stripPath(String(c.attrValue().value));
    c.expectPunct(">");
  }
  if (!c.isPunct("{")) {
    const known = name === null ? undefined : c.lookup(`variant ${name}`);
    if (known === undefined || known.kind !== "variant") return c.error(`Unknown variant \`${name ?? ""}\``);
    return { ...known, tag: tag ?? known.tag };
  }
  c.expectPunct("{");
  c.pushScope();
  const options: NamedType[] = [];
  while (!c.eat("}")) options.push(...parseMembers(c, warn));
  c.popScope();
  const v: CtfType = { kind: "variant", tag, options };
  if (name !== null) c.declare(`variant ${name}`, v);
  return v;
}

function _parseEnum(c: TsdlCursor, warn: Warn): CtfType {
  const at = c.next();
  const name = c.isIdent() ? c.next().text : null;
  let container: CtfType | undefined;
  if (c.eat(":")) container = parseType(c, warn, false);
  if (!c.isPunct("{")) {
    const known = name === null ? undefined : c.lookup(`enum ${name}`);
    if (known === undefined) return c.error(`Unknown enum \`${name ?? ""}\``);
    return known;
  }
  container ??= c.lookup("int");
  if (container === undefined) return c.error("An enum without a container type needs `int` declared with typealias", at);
  if (container.kind !== "int") return c.error("An enum container must be an integer type", at);
  c.expectPunct("{");
  const mappings: EnumMapping[] = [];
  let next = 0n;
  while (!c.eat("}")) {
    const lt = c.next();
    if (lt.kind !== "ident" && lt.kind !== "string") c.fail("an enum label", lt);
    let lo = next;
    let hi = next;
    if (c.eat("=")) {
      lo = hi = _signedInt(c);
      if (c.eat("...")) hi = _signedInt(c);
    }
    if (hi < lo) c.error(`Enum range ${lo} ... ${hi} of \`${lt.text}\` is reversed`, lt);
    mappings.push({ label: lt.text, lo, hi });
    next = hi + 1n;
    if (!c.eat(",")) {
      c.expectPunct("}");
      break;
    }
  }
  const e: CtfType = { kind: "enum", container: container as IntegerType, mappings };
  if (name !== null) c.declare(`enum ${name}`, e);
  return e;
}

function _signedInt(c: TsdlCursor): bigint {
  const v = c.attrValue();
  if (v.kind !== "int") c.fail("an integer value");
  return v.value as bigint;
}
