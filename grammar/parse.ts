/**
 * The front end's entry points: `.vgl` text → `VglFile` AST and every diagnostic.
 *
 * Contract: never throws on bad input. Returns the AST of every declaration that parsed —
 * including ones error recovery repaired, as long as their AST is complete; others are
 * dropped — and all lexing, syntax and front-end diagnostics, sorted by position:
 *
 *   VGL101 lexing (unknown character, malformed number, unclosed string, bad escape, `$foo`)
 *   VGL102 syntax (worded "expected …, found …")
 *   VGL103 duration that is not a whole number of nanoseconds
 *   VGL104 `by` item that needs `as NAME`
 *   VGL105 quantifier bounds (min > max, too large)
 *   VGL106 unknown severity (with a did-you-mean hint)
 *   VGL107 template braces (unclosed `{`, lone `}`, empty `{}`)
 *   VGL108 aggregate with several arguments, limit out of range
 *   VGL109 clause or option given twice
 *   VGL110 machine without a `states` line
 *   VGL118 event name no tracer writes (quoted empty or with spaces, `provider : event`)
 */
import type { IRecognitionException, IToken } from "chevrotain";
import type { Decl, Expr, VglFile } from "./ast.js";
import { buildDecl } from "./build-ast.js";
import { type BuildContext, Incomplete } from "./build-context.js";
import type { DeclCstNode } from "./cst.js";
import { type Diagnostic, error, sortDiagnostics } from "./diagnostic.js";
import { parseExpressionAt } from "./parse-expression.js";
import { vglParser } from "./parser.js";
import { foundDescription, setEndOfInput } from "./parser-messages.js";
import { type DeclChunk, splitDecls } from "./split-decls.js";
import { lexDiagnostics, parseDiagnostic } from "./syntax-diagnostics.js";
import { VglLexer } from "./tokens.js";

/** Parses a whole `.vgl` file (see the module contract). `file` goes into every span. */
export function parseVgl(text: string, file: string): { ast: VglFile; diagnostics: Diagnostic[] } {
  const ctx: BuildContext = { file, diagnostics: [], lineOffset: 0 };
  const lex = VglLexer.tokenize(text);
  ctx.diagnostics.push(...lexDiagnostics(ctx, lex, text));
  const decls: Decl[] = [];
  for (const chunk of splitDecls(lex.tokens)) {
    const decl = _parseDecl(ctx, chunk);
    if (decl !== null) decls.push(decl);
  }
  return { ast: { kind: "File", path: file, decls }, diagnostics: sortDiagnostics(ctx.diagnostics) };
}

/** Parses one expression (tests, tools, template holes); `expr` is null when it had errors. */
export function parseExpression(text: string, file: string): { expr: Expr | null; diagnostics: Diagnostic[] } {
  const ctx: BuildContext = { file, diagnostics: [], lineOffset: 0 };
  const expr = parseExpressionAt(ctx, text, 1, 1, "the end of the expression");
  return { expr, diagnostics: sortDiagnostics(ctx.diagnostics) };
}

// --- internal ---

/** Parses and builds one declaration chunk; null when it is junk or too broken to keep. */
function _parseDecl(ctx: BuildContext, chunk: DeclChunk): Decl | null {
  const first = chunk.tokens[0]!;
  if (chunk.junk) {
    ctx.diagnostics.push(parseDiagnostic(ctx, _junkError(first), null, undefined));
    return null;
  }
  const next = chunk.follower;
  setEndOfInput(next === null ? "the end of the file" : `${foundDescription(next)} on line ${next.startLine}`);
  vglParser.input = chunk.tokens;
  const cst = vglParser.decl() as DeclCstNode;
  const errors = vglParser.errors;
  const last = chunk.tokens[chunk.tokens.length - 1];
  const seen = new Set<string>();
  for (const [i, e] of errors.entries()) {
    // Leftover input after an earlier error is where recovery stopped, not a new mistake.
    if (i > 0 && e.name === "NotAllInputParsedException") continue;
    const d = parseDiagnostic(ctx, e, next, last);
    const at = `${d.span.line}:${d.span.col}`;
    // Recovery may trip twice on one token; the first message is the useful one.
    if (!seen.has(at)) ctx.diagnostics.push(d);
    seen.add(at);
  }
  try {
    return buildDecl(ctx, cst);
  } catch (e) {
    if (!(e instanceof Incomplete)) throw e;
    if (errors.length === 0) {
      // Cannot happen for CST the parser accepted; say so rather than drop silently.
      const line = first.startLine ?? 1;
      const col = first.startColumn ?? 1;
      ctx.diagnostics.push(error("VGL102", `could not read this declaration (${e.message})`, { file: ctx.file, line, col, endLine: line, endCol: col + first.image.length }));
    }
    return null;
  }
}

/** A recognition error for tokens before the first declaration keyword. */
function _junkError(tok: IToken): IRecognitionException {
  return {
    name: "JunkBeforeDeclaration",
    message: `expected a declaration (\`pack\`, \`use\`, \`event\`, \`const\`, \`list\`, \`macro\`, \`machine\`, \`sequence\`, \`table\` or \`alert\`), found ${foundDescription(tok)}`,
    token: tok,
    resyncedTokens: [],
    context: { ruleStack: [], ruleOccurrenceStack: [] },
  };
}
