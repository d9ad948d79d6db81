/**
 * String literal → `Template`: literal text and `{expr}` holes, each hole parsed with the
 * expression grammar at its real position inside the string.
 *
 * Contract: `{{` and `}}` are literal braces; escapes (`\" \\ \n \t`) apply to literal text.
 * A bad hole (unclosed, empty, or not an expression) is a diagnostic located inside the
 * string (VGL107 for brace structure, VGL101/VGL102 for the hole's own text) and is dropped
 * from `parts`; the template is still returned. Adjacent literal pieces are merged.
 */
import type { IToken } from "chevrotain";
import type { Expr, Span, Template } from "./ast.js";
import { type BuildContext, tokenSpan } from "./build-context.js";
import { error } from "./diagnostic.js";
import { unescapeString } from "./literals.js";
import { parseExpressionAt } from "./parse-expression.js";

/** Builds the template of a string token (strings are single-line: columns map 1:1). */
export function buildTemplate(ctx: BuildContext, tok: IToken): Template {
  const span = tokenSpan(ctx, tok);
  const image = tok.image;
  const end = image.length - 1; // the closing quote
  const parts: Array<string | Expr> = [];
  let literal = "";
  let i = 1;
  while (i < end) {
    const ch = image[i]!;
    if (ch === "\\" && i + 1 < end) {
      literal += image.slice(i, i + 2);
      i += 2;
    } else if ((ch === "{" || ch === "}") && image[i + 1] === ch) {
      literal += ch;
      i += 2;
    } else if (ch === "}") {
      ctx.diagnostics.push(error("VGL107", "unmatched `}` in a message", _at(span, i, 1), "write `}}` for a literal brace"));
      literal += ch;
      i++;
    } else if (ch === "{") {
      const close = _holeEnd(image, i + 1, end);
      if (close < 0) {
        ctx.diagnostics.push(error("VGL107", "unclosed `{` in a message", _at(span, i, 1), "close the hole with `}`, or write `{{` for a literal brace"));
        literal += image.slice(i, end);
        break;
      }
      _pushLiteral(ctx, parts, literal, tok);
      literal = "";
      const hole = _hole(ctx, image.slice(i + 1, close), span, i);
      if (hole !== null) parts.push(hole);
      i = close + 1;
    } else {
      literal += ch;
      i++;
    }
  }
  _pushLiteral(ctx, parts, literal, tok);
  return { kind: "Template", parts, span };
}

// --- internal ---

/** Index of the `}` closing a hole that opens before `from`, or -1. Nested braces count;
 * braces inside a nested string (`{$comm == \"a}b\"}`) do not. */
function _holeEnd(image: string, from: number, end: number): number {
  let depth = 0;
  let inString = false;
  for (let j = from; j < end; j++) {
    const c = image[j];
    if (c === "\\") {
      if (image[j + 1] === '"') inString = !inString;
      j++;
    } else if (inString) {
      continue;
    } else if (c === "{") {
      depth++;
    } else if (c === "}") {
      if (depth === 0) return j;
      depth--;
    }
  }
  return -1;
}

function _hole(ctx: BuildContext, raw: string, strSpan: Span, openIdx: number): Expr | null {
  if (raw.trim() === "") {
    ctx.diagnostics.push(error("VGL107", "empty `{}` in a message", _at(strSpan, openIdx, 2), "put an expression in it, or write `{{}}` for literal braces"));
    return null;
  }
  // Inside the string a nested quote is written \" : undo the escape without moving columns,
  // putting the freed column outside the nested string (before an opening quote, after a
  // closing one) so its value is exact.
  let quotes = 0;
  const text = raw.replace(/\\"/g, () => (quotes++ % 2 === 0 ? ' "' : '" '));
  return parseExpressionAt(ctx, text, strSpan.line, strSpan.col + openIdx + 1, "`}`");
}

/** A span over `length` characters at offset `offset` of the string image. */
function _at(strSpan: Span, offset: number, length: number): Span {
  const col = strSpan.col + offset;
  return { file: strSpan.file, line: strSpan.line, col, endLine: strSpan.line, endCol: col + length };
}

function _pushLiteral(ctx: BuildContext, parts: Array<string | Expr>, rawLiteral: string, tok: IToken): void {
  if (rawLiteral === "") return;
  const { value, bad } = unescapeString(`"${rawLiteral}"`);
  if (bad.length > 0) {
    const b = bad[0]!;
    ctx.diagnostics.push(error("VGL101", `unknown escape \`${b.text}\` in a string`, tokenSpan(ctx, tok), 'use \\" \\\\ \\n or \\t'));
  }
  parts.push(value);
}
