/**
 * Lexer and parser errors → located `Diagnostic`s (VGL101 lexing, VGL102 syntax).
 *
 * Contract: every diagnostic points at real source: a parser error at the end of its input
 * (the declaration ran out) points just past the declaration's last token, and its message
 * names what came instead ("found `macro` on line 9"); chevrotain's NaN positions never leak.
 */
import type { ILexingResult, IRecognitionException, IToken } from "chevrotain";
import type { Span } from "./ast.js";
import { type BuildContext, tokenSpan } from "./build-context.js";
import { type Diagnostic, error } from "./diagnostic.js";
import { BadContext, BadNumber, UnterminatedString } from "./tokens.js";

/** VGL101 for unknown characters and for malformed literals the lexer set aside. */
export function lexDiagnostics(ctx: BuildContext, lex: ILexingResult, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of lex.errors) {
    const line = (e.line ?? 1) + ctx.lineOffset;
    const col = e.column ?? 1;
    const chars = JSON.stringify(text.slice(e.offset, e.offset + e.length)).slice(1, -1);
    out.push(error("VGL101", `unexpected character${e.length > 1 ? "s" : ""} \`${chars}\``, { file: ctx.file, line, col, endLine: line, endCol: col + e.length }, "remove it, or put it inside a string"));
  }
  for (const tok of lex.groups["invalid"] ?? []) out.push(_invalidToken(ctx, tok));
  return out;
}

/** VGL102 for one chevrotain recognition error; `follower`/`last` locate end-of-input errors. */
export function parseDiagnostic(ctx: BuildContext, e: IRecognitionException, follower: IToken | null, last: IToken | undefined): Diagnostic {
  return error("VGL102", e.message, _errorSpan(ctx, e.token, follower, last));
}

// --- internal ---

function _invalidToken(ctx: BuildContext, tok: IToken): Diagnostic {
  const span = tokenSpan(ctx, tok);
  if (tok.tokenType === BadNumber) {
    return error("VGL101", `\`${tok.image}\` is not a number, duration or size`, span,
      "durations end in ns, us, ms, s, min or h; sizes in B, KiB, MiB, GiB, TiB, KB, MB or GB; hex integers start with 0x");
  }
  if (tok.tokenType === BadContext) {
    return error("VGL101", `unknown context variable \`${tok.image}\``, span,
      "the context variables are $tid, $pid, $ppid, $comm, $cpu, $host, $ts and $name");
  }
  if (tok.tokenType === UnterminatedString) {
    return error("VGL101", "this string is not closed", span, 'end it with `"` on the same line');
  }
  return error("VGL101", `unexpected \`${tok.image}\``, span);
}

/** Where an error is shown: at its token, or — when the declaration ran out — right after the
 * declaration's last token, so the report stays on the declaration that is broken. */
function _errorSpan(ctx: BuildContext, tok: IToken, follower: IToken | null, last: IToken | undefined): Span {
  if (!Number.isNaN(tok.startOffset) && tok.isInsertedInRecovery !== true) return tokenSpan(ctx, tok);
  if (last !== undefined) {
    const s = tokenSpan(ctx, last);
    return { file: ctx.file, line: s.endLine, col: s.endCol, endLine: s.endLine, endCol: s.endCol + 1 };
  }
  if (follower !== null) return tokenSpan(ctx, follower);
  return { file: ctx.file, line: 1 + ctx.lineOffset, col: 1, endLine: 1 + ctx.lineOffset, endCol: 2 };
}
