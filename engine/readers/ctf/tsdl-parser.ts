/**
 * TSDL parser (hand-written recursive descent): metadata text → `CtfMetadata`.
 *
 * Grammar accepted (CTF 1.8 §7, the parts real writers use):
 *
 *   metadata   := item*
 *   item       := block | "typealias" type ":=" words ";" | "typedef" type declarator ("," declarator)* ";"
 *               | type ";"                                   (named struct / enum / variant)
 *   block      := ("trace"|"env"|"clock"|"stream"|"event"|"callsite") "{" entry* "}" ";"
 *   entry      := path "=" value ";" | path ":=" type ";" | typealias | typedef
 *   path       := ident ("." ident)*
 *   value      := ["-"|"+"] int | string | path
 *
 * Types and declarators are parsed by `tsdl-types.ts`. Contract: `parseTsdl` returns the
 * resolved model or throws a `TsdlError` with the line and column of the first fault; tolerated
 * problems are in `metadata.warnings`.
 */
import { lexTsdl, type TsdlToken } from "./tsdl-lexer.js";
import { TsdlCursor, type AttrValue } from "./tsdl-cursor.js";
import { parseMembers, parseType, parseTypealias, parseTypedef } from "./tsdl-types.js";
import type { CtfMetadata, CtfType, MetadataWarning } from "./metadata-model.js";
import { buildMetadata } from "./metadata-builder.js";

/** A block entry value: a plain value or a type (`key := type`). */
export type EntryValue = AttrValue | { kind: "type"; value: CtfType };

/** One `key = value;` or `key := type;` of a block. */
export interface BlockEntry {
  key: string;
  value: EntryValue;
  at: TsdlToken;
}

/** A top-level block with its entries, before interpretation. */
export interface TsdlBlock {
  kind: "trace" | "env" | "clock" | "stream" | "event" | "callsite";
  entries: BlockEntry[];
  at: TsdlToken;
}

const BLOCKS = new Set(["trace", "env", "clock", "stream", "event", "callsite"]);

/** Parses TSDL text into the metadata model; throws `TsdlError` (line, column) on bad input. */
export function parseTsdl(text: string): CtfMetadata {
  const c = new TsdlCursor(lexTsdl(text));
  const warnings: MetadataWarning[] = [];
  const warn = (line: number, message: string): void => void warnings.push({ line, message });
  const blocks: TsdlBlock[] = [];
  while (c.peek().kind !== "eof") {
    if (c.isIdent() && BLOCKS.has(c.peek().text) && c.isPunct("{", 1)) {
      blocks.push(_block(c, warn));
    } else if (c.isIdent("typealias")) {
      parseTypealias(c, warn);
    } else if (c.isIdent("typedef")) {
      parseTypedef(c, warn);
    } else if (c.isIdent()) {
      const at = c.peek();
      const members = parseMembers(c, warn);
      if (members.length > 0) c.error("A field declaration is only allowed inside a struct, variant or block", at);
    } else {
      c.fail("a block (trace, env, clock, stream, event), typealias or typedef");
    }
  }
  return buildMetadata(blocks, warnings, (msg, at) => c.error(msg, at));
}

// --- internal ---

function _block(c: TsdlCursor, warn: (line: number, message: string) => void): TsdlBlock {
  const at = c.next();
  c.expectPunct("{");
  c.pushScope();
  const entries: BlockEntry[] = [];
  while (!c.eat("}")) {
    if (c.isIdent("typealias")) {
      parseTypealias(c, warn);
      continue;
    }
    if (c.isIdent("typedef")) {
      parseTypedef(c, warn);
      continue;
    }
    const keyTok = c.expectIdent("an attribute name");
    let key = keyTok.text;
    while (c.eat(".")) key += "." + c.expectIdent("a name after `.`").text;
    if (c.eat(":=")) {
      entries.push({ key, value: { kind: "type", value: parseType(c, warn, false) }, at: keyTok });
    } else if (c.eat("=")) {
      entries.push({ key, value: c.attrValue(), at: keyTok });
    } else {
      c.fail(`\`=\` or \`:=\` after \`${key}\``);
    }
    c.expectPunct(";");
  }
  c.popScope();
  if (!c.eat(";")) c.fail(`\`;\` after the ${at.text} block`);
  return { kind: at.text as TsdlBlock["kind"], entries, at };
}
