/**
 * One expression from text that starts at a given line and column: template holes (spans
 * inside the string) and `parseExpression` for tests and tools.
 *
 * Contract: never throws on bad input; returns the expression, or null with at least one
 * diagnostic pushed to `ctx.diagnostics`, all located in the enclosing file.
 */
import type { Expr } from "./ast.js";
import { type BuildContext, Incomplete } from "./build-context.js";
import { buildExpr } from "./build-expr.js";
import type { ExprCstNode } from "./cst.js";
import { error } from "./diagnostic.js";
import { vglParser } from "./parser.js";
import { setEndOfInput } from "./parser-messages.js";
import { lexDiagnostics, parseDiagnostic } from "./syntax-diagnostics.js";
import { VglLexer } from "./tokens.js";

/**
 * Parses `text` as one expression whose first character sits at `line`:`col` of `ctx.file`
 * (single-line text when `col > 1`). `endOfInput` names what follows it in messages.
 */
export function parseExpressionAt(ctx: BuildContext, text: string, line: number, col: number, endOfInput: string): Expr | null {
  // Padding keeps chevrotain's columns equal to the file's, so no span needs shifting.
  const padded = col > 1 ? " ".repeat(col - 1) + text : text;
  const local: BuildContext = { file: ctx.file, diagnostics: ctx.diagnostics, lineOffset: line - 1 };
  const lex = VglLexer.tokenize(padded);
  const before = ctx.diagnostics.length;
  ctx.diagnostics.push(...lexDiagnostics(local, lex, padded));
  if (lex.tokens.length === 0) {
    if (ctx.diagnostics.length === before) {
      ctx.diagnostics.push(error("VGL102", `expected an expression, found ${endOfInput}`, { file: ctx.file, line, col, endLine: line, endCol: col + 1 }));
    }
    return null;
  }
  setEndOfInput(endOfInput);
  vglParser.input = lex.tokens;
  const cst = vglParser.expr() as ExprCstNode;
  const errors = vglParser.errors;
  for (const e of errors) ctx.diagnostics.push(parseDiagnostic(local, e, null, lex.tokens[lex.tokens.length - 1]));
  if (errors.length > 0 || ctx.diagnostics.length > before) return null;
  try {
    return buildExpr(local, cst);
  } catch (e) {
    if (e instanceof Incomplete) return null;
    throw e;
  }
}
