/**
 * What every CST→AST builder shares: the file, the diagnostics sink, span arithmetic, and the
 * `Incomplete` signal for CST that error recovery left partial.
 *
 * Contract: spans are 1-based with `endCol` exclusive; chevrotain's columns are 1-based with
 * inclusive ends, hence the `+ 1`. `lineOffset` shifts lines for text parsed out of context
 * (a template hole is lexed alone, on "line 1", padded so its columns are already right).
 */
import type { CstNode, IToken } from "chevrotain";
import type { Ident, Span } from "./ast.js";
import type { AliasTargetCstNode, EventsCstNode } from "./cst.js";
import { error, type Diagnostic } from "./diagnostic.js";
import { unescapeString } from "./literals.js";

export interface BuildContext {
  file: string;
  diagnostics: Diagnostic[];
  /** Added to every line: 0 for a file, `stringLine - 1` for a template hole. */
  lineOffset: number;
}

/**
 * Thrown when the CST lacks a piece the grammar guarantees: only recovered (already reported)
 * input produces it, and the declaration is dropped rather than given a malformed AST.
 */
export class Incomplete extends Error {
  constructor(what: string) {
    super(`incomplete CST: ${what}`);
    this.name = "Incomplete";
  }
}

/** The `i`th element of a CST child list, or {@link Incomplete} when recovery dropped it. */
export function need<T>(list: T[] | undefined, what: string, i = 0): T {
  const item = list?.[i];
  if (item === undefined) throw new Incomplete(what);
  return item;
}

/** The span of one token (inserted-by-recovery tokens have no position: Incomplete). */
export function tokenSpan(ctx: BuildContext, tok: IToken): Span {
  if (tok.isInsertedInRecovery === true || Number.isNaN(tok.startOffset)) throw new Incomplete(`position of ${tok.tokenType.name}`);
  return {
    file: ctx.file,
    line: (tok.startLine ?? 0) + ctx.lineOffset,
    col: tok.startColumn ?? 0,
    endLine: (tok.endLine ?? 0) + ctx.lineOffset,
    endCol: (tok.endColumn ?? 0) + 1,
  };
}

/** The span of a CST node, from its first to its last real token (recovered nodes: Incomplete). */
export function nodeSpan(ctx: BuildContext, node: CstNode): Span {
  if (node.recoveredNode === true) throw new Incomplete(`recovered ${node.name}`);
  const loc = node.location;
  if (loc === undefined || Number.isNaN(loc.startOffset) || loc.endLine === undefined || Number.isNaN(loc.endLine)) {
    throw new Incomplete(`position of ${node.name}`);
  }
  return {
    file: ctx.file,
    line: (loc.startLine ?? 0) + ctx.lineOffset,
    col: loc.startColumn ?? 0,
    endLine: loc.endLine + ctx.lineOffset,
    endCol: (loc.endColumn ?? 0) + 1,
  };
}

/** From the start of `a` to the end of `b`. */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}

/** A name token as an AST `Ident`. */
export function ident(ctx: BuildContext, tok: IToken): Ident {
  return { name: tok.image, span: tokenSpan(ctx, tok) };
}

/** All name tokens of a list, in order. */
export function idents(ctx: BuildContext, toks: IToken[] | undefined): Ident[] {
  return (toks ?? []).map((t) => ident(ctx, t));
}

/** `a | "p:b" | c` → the event names in order (at least one); quoted ones unquoted. */
export function eventList(ctx: BuildContext, node: EventsCstNode): Ident[] {
  const toks = [...(node.children.Identifier ?? []), ...(node.children.StringLit ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  const list = toks.map((t) => (t.tokenType.name === "StringLit" ? quotedEventName(ctx, t) : ident(ctx, t)));
  if (list.length === 0) throw new Incomplete("events");
  return list;
}

/**
 * One member of an `event` alias: `name`, `provider:event` (a UST name; written without spaces,
 * VGL118 otherwise), or a quoted name.
 */
export function aliasTarget(ctx: BuildContext, node: AliasTargetCstNode): Ident {
  const c = node.children;
  const quoted = c.quoted?.[0];
  if (quoted !== undefined) return quotedEventName(ctx, quoted);
  const provider = need(c.name, "event name");
  const colon = c.Colon?.[0];
  if (colon === undefined) return ident(ctx, provider);
  const event = need(c.event, "event after `provider:`");
  const span = joinSpans(tokenSpan(ctx, provider), tokenSpan(ctx, event));
  const name = `${provider.image}:${event.image}`;
  if (colon.startOffset !== (provider.endOffset ?? NaN) + 1 || event.startOffset !== colon.startOffset + 1) {
    ctx.diagnostics.push(error("VGL118", `spaces in the event name \`${name}\``, span, `write it as one word: \`${name}\``));
  }
  return { name, span };
}

// --- internal ---

/** A quoted event name; VGL118 when it is empty or holds spaces (no tracer names an event so). */
function quotedEventName(ctx: BuildContext, tok: IToken): Ident {
  const span = tokenSpan(ctx, tok);
  const { value, bad } = unescapeString(tok.image);
  if (bad.length > 0 || value === "" || /\s/.test(value)) {
    ctx.diagnostics.push(error("VGL118", `${JSON.stringify(value)} is not an event name`, span, 'quote a tracer\'s event name as written, e.g. "vigil_kvm:kvm_exit"'));
  }
  return { name: value, span };
}
