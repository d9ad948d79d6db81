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
import type { EventsCstNode } from "./cst.js";
import type { Diagnostic } from "./diagnostic.js";

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

/** `a | b | c` → the event names in order (at least one). */
export function eventList(ctx: BuildContext, node: EventsCstNode): Ident[] {
  const list = idents(ctx, node.children.Identifier);
  if (list.length === 0) throw new Incomplete("events");
  return list;
}
