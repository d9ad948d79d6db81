/**
 * DSL test helpers in the Langium manner: text in, AST or diagnostics out.
 * `parseOk` fails the test with the formatted diagnostics when there are any.
 */
import { expect } from "vitest";
import type { Decl, Expr, VglFile } from "../../grammar/ast.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import { formatDiagnostic } from "../../grammar/format-diagnostic.js";
import { parseExpression, parseVgl } from "../../grammar/parse.js";

export const FILE = "test.vgl";

/** Parses `text`, expects no diagnostic at all, returns the file AST. */
export function parseOk(text: string): VglFile {
  const { ast, diagnostics } = parseVgl(text, FILE);
  expect(diagnostics.map((d) => formatDiagnostic(d, text)).join("\n\n")).toBe("");
  return ast;
}

/** Parses text holding exactly one declaration and returns it, narrowed by kind. */
export function parseDecl<K extends Decl["kind"]>(text: string, kind: K): Extract<Decl, { kind: K }> {
  const ast = parseOk(text);
  expect(ast.decls).toHaveLength(1);
  const d = ast.decls[0]!;
  expect(d.kind).toBe(kind);
  return d as Extract<Decl, { kind: K }>;
}

/** Expects a diagnostic with `code` at `line`:`col` among those of `text`; returns it. */
export function expectReject(text: string, code: string, line: number, col: number): Diagnostic {
  const { diagnostics } = parseVgl(text, FILE);
  const found = diagnostics.find((d) => d.code === code && d.span.line === line && d.span.col === col);
  const listed = diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`).join("\n");
  expect(found, `expected ${code} at ${line}:${col}, got:\n${listed}`).toBeDefined();
  return found!;
}

/** All diagnostics of `text` as `CODE line:col` strings, in order. */
export function diagnosticsOf(text: string): string[] {
  return parseVgl(text, FILE).diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`);
}

/** Parses one expression and expects no diagnostic. */
export function parseExprOk(text: string): Expr {
  const { expr, diagnostics } = parseExpression(text, FILE);
  expect(diagnostics.map((d) => d.message)).toEqual([]);
  expect(expr).not.toBeNull();
  return expr!;
}

/** A compact, fully parenthesised rendering of an expression's tree, for precedence tests. */
export function tree(e: Expr): string {
  switch (e.kind) {
    case "Int": return `${e.value}`;
    case "Float": return `${e.value}`;
    case "Duration": return `${e.ns}ns`;
    case "Size": return `${e.bytes}B`;
    case "Str": return JSON.stringify(e.value);
    case "Bool": return `${e.value}`;
    case "Null": return "null";
    case "Name": return e.name;
    case "Context": return `$${e.name}`;
    case "Member": return `(. ${tree(e.object)} ${e.property})`;
    case "Index": return `([] ${tree(e.object)} ${tree(e.index)})`;
    case "Call": return `(call ${e.callee}${e.args.map((a) => " " + tree(a)).join("")})`;
    case "Unary": return `(${e.op} ${tree(e.operand)})`;
    case "Binary": return `(${e.op} ${tree(e.left)} ${tree(e.right)})`;
    case "In": {
      const list = Array.isArray(e.list) ? `[${e.list.map(tree).join(" ")}]` : e.list.listName;
      return `(${e.negated ? "not-in" : "in"} ${tree(e.operand)} ${list})`;
    }
    case "Exists": return `(exists ${e.field})`;
    case "Paren": return `(paren ${tree(e.inner)})`;
  }
}

/** `line:col-endLine:endCol` of anything with a span. */
export function at(node: { span: { line: number; col: number; endLine: number; endCol: number } }): string {
  const s = node.span;
  return `${s.line}:${s.col}-${s.endLine}:${s.endCol}`;
}
