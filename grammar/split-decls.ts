/**
 * The top-level `decl*` loop's resynchronisation: cuts a file's tokens into one chunk per
 * declaration, so each declaration is parsed on its own and a broken one cannot swallow the
 * next (chevrotain's in-rule recovery still runs inside each chunk).
 *
 * Contract: every token lands in exactly one chunk, in order. A chunk starts at a declaration
 * keyword (`pack use event const list macro machine sequence table alert`), except a leading
 * chunk of tokens before the first one, marked `junk`. For valid input the cut is exact: those
 * keywords are reserved, so they never appear inside a declaration, with two exceptions —
 * `alert` inside a sequence body and `link` after `emit`. So `alert` starts a declaration only
 * outside braces, or, when a `}` was forgotten, when it reads like one (`alert NAME on|when`);
 * `link` never right after `emit`.
 */
import type { IToken } from "chevrotain";
import { tokenMatcher } from "./chevrotain.js";
import { Alert, DECL_KEYWORDS, Emit, Identifier, LCurly, Link, On, RCurly, When } from "./tokens.js";

export interface DeclChunk {
  tokens: IToken[];
  /** True for tokens before the first declaration keyword: nothing to parse, one error. */
  junk: boolean;
  /** The token right after the chunk (the next declaration's keyword), or null at the end. */
  follower: IToken | null;
}

/** Cuts `tokens` at each declaration start (see the module contract). */
export function splitDecls(tokens: IToken[]): DeclChunk[] {
  const chunks: DeclChunk[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (i > start && _startsDecl(tokens, i, depth)) {
      chunks.push(_chunk(tokens, start, i));
      start = i;
      depth = 0;
    }
    if (tok.tokenType === LCurly) depth++;
    else if (tok.tokenType === RCurly && depth > 0) depth--;
  }
  if (start < tokens.length) chunks.push(_chunk(tokens, start, tokens.length));
  return chunks;
}

// --- internal ---

const declKeywords = new Set(DECL_KEYWORDS);

function _startsDecl(tokens: IToken[], i: number, depth: number): boolean {
  const type = tokens[i]!.tokenType;
  if (!declKeywords.has(type)) return false;
  if (type === Link) return i === 0 || tokens[i - 1]!.tokenType !== Emit;
  if (type !== Alert || depth === 0) return true;
  const name = tokens[i + 1];
  const trigger = tokens[i + 2];
  return (
    name !== undefined && trigger !== undefined && tokenMatcher(name, Identifier) &&
    (trigger.tokenType === On || trigger.tokenType === When)
  );
}

function _chunk(tokens: IToken[], start: number, end: number): DeclChunk {
  return {
    tokens: tokens.slice(start, end),
    junk: !declKeywords.has(tokens[start]!.tokenType),
    follower: tokens[end] ?? null,
  };
}
