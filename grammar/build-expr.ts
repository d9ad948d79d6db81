/**
 * Expression CST → `Expr`: folds each precedence level left-associatively, turns literals
 * into exact values, and keeps parentheses as `Paren` nodes for faithful spans.
 *
 * Contract: returns a well-formed `Expr` whose every node has a span inside the source (or
 * throws `Incomplete` for recovered CST); semantic slips (a duration finer than 1 ns, a bad
 * escape, calling something that is not a name) are pushed to `ctx.diagnostics` and the
 * expression is still built.
 */
import type { CstNode, IToken } from "chevrotain";
import type { BinaryOp, Expr, Span, UnaryOp } from "./ast.js";
import { type BuildContext, Incomplete, joinSpans, need, nodeSpan, tokenSpan } from "./build-context.js";
import type {
  ExprCstNode, PostfixExprCstNode, PrimaryCstNode, RelationExprCstNode, SuffixCstNode, UnaryExprCstNode,
} from "./cst.js";
import { error } from "./diagnostic.js";
import { durationNs, intValue, sizeBytes, unescapeString } from "./literals.js";

/** Builds the AST of an `expr` CST node. */
export function buildExpr(ctx: BuildContext, node: ExprCstNode): Expr {
  return _binary(ctx, need(node.children.orExpr, "expression"));
}

/** A string literal's value; unknown escapes are reported (VGL101) and kept literally. */
export function stringValue(ctx: BuildContext, tok: IToken): string {
  const { value, bad } = unescapeString(tok.image);
  for (const b of bad) {
    const span = tokenSpan(ctx, tok);
    const col = span.col + b.offset;
    ctx.diagnostics.push(
      error("VGL101", `unknown escape \`${b.text}\` in a string`, { ...span, col, endLine: span.line, endCol: col + 2 }, 'use \\" \\\\ \\n or \\t'),
    );
  }
  return value;
}

// --- internal ---

/** The shape shared by every binary level: `operand (op operand)*`. */
type LevelChildren = { operand?: CstNode[]; op?: IToken[] };

const NEXT_LEVEL: Record<string, true> = {
  orExpr: true, andExpr: true, bitOrExpr: true, bitXorExpr: true, bitAndExpr: true, equalityExpr: true,
  shiftExpr: true, additiveExpr: true, termExpr: true,
};

function _binary(ctx: BuildContext, node: CstNode): Expr {
  if (node.name === "relationExpr") return _relation(ctx, node as RelationExprCstNode);
  if (node.name === "unaryExpr") return _unary(ctx, node as UnaryExprCstNode);
  if (NEXT_LEVEL[node.name] !== true) throw new Incomplete(`unexpected ${node.name}`);
  const { operand, op } = node.children as LevelChildren;
  let left = _binary(ctx, need(operand, node.name));
  const ops = op ?? [];
  for (let i = 0; i < ops.length; i++) {
    const right = _binary(ctx, need(operand, node.name, i + 1));
    left = { kind: "Binary", op: _binaryOp(ops[i]!), left, right, span: joinSpans(left.span, right.span) };
  }
  return left;
}

function _binaryOp(tok: IToken): BinaryOp {
  if (tok.image === "or") return "||";
  if (tok.image === "and") return "&&";
  return tok.image as BinaryOp;
}

function _relation(ctx: BuildContext, node: RelationExprCstNode): Expr {
  let left = _binary(ctx, need(node.children.operand, "relation"));
  for (const tail of node.children.relTail ?? []) {
    const c = tail.children;
    const span = joinSpans(left.span, nodeSpan(ctx, tail));
    if (c.op !== undefined) {
      const right = _binary(ctx, need(c.operand, "relation operand"));
      left = { kind: "Binary", op: _binaryOp(need(c.op, "op")), left, right, span };
    } else {
      const listTok = c.listName?.[0];
      const list = listTok !== undefined
        ? { listName: listTok.image, span: tokenSpan(ctx, listTok) }
        : (c.item ?? []).map((i) => buildExpr(ctx, i));
      if (Array.isArray(list) && list.length === 0) throw new Incomplete("in-list");
      left = { kind: "In", operand: left, list, negated: c.Not !== undefined, span };
    }
  }
  return left;
}

function _unary(ctx: BuildContext, node: UnaryExprCstNode): Expr {
  const c = node.children;
  if (c.op === undefined) return _postfix(ctx, need(c.postfixExpr, "operand"));
  const opTok = need(c.op, "unary op");
  const op: UnaryOp = opTok.image === "not" ? "!" : (opTok.image as UnaryOp);
  const operand = _unary(ctx, need(c.operand, "unary operand"));
  return { kind: "Unary", op, operand, span: joinSpans(tokenSpan(ctx, opTok), operand.span) };
}

function _postfix(ctx: BuildContext, node: PostfixExprCstNode): Expr {
  let e = _primary(ctx, need(node.children.primary, "primary"));
  for (const suffix of node.children.suffix ?? []) e = _suffix(ctx, e, suffix);
  return e;
}

function _suffix(ctx: BuildContext, object: Expr, node: SuffixCstNode): Expr {
  const c = node.children;
  const span = joinSpans(object.span, nodeSpan(ctx, node));
  if (c.Dot !== undefined) return { kind: "Member", object, property: need(c.property, "property").image, span };
  if (c.LBracket !== undefined) return { kind: "Index", object, index: buildExpr(ctx, need(c.index, "index")), span };
  const args = (c.arg ?? []).map((a) => buildExpr(ctx, a));
  const callee = _calleeName(object);
  if (callee === null) {
    ctx.diagnostics.push(error("VGL102", "only a function name can be called", object.span, "write `name(args)`, e.g. `vmx_name(exit_reason)`"));
  }
  return { kind: "Call", callee: callee ?? "?", args, span };
}

/** `f` or a dotted path `VMX.name`: functions live in packs, so a qualified name is a name. */
function _calleeName(e: Expr): string | null {
  if (e.kind === "Name") return e.name;
  if (e.kind === "Member") {
    const base = _calleeName(e.object);
    return base === null ? null : `${base}.${e.property}`;
  }
  return null;
}

function _primary(ctx: BuildContext, node: PrimaryCstNode): Expr {
  const c = node.children;
  if (c.inner !== undefined) {
    return { kind: "Paren", inner: buildExpr(ctx, need(c.inner, "parenthesised expression")), span: nodeSpan(ctx, node) };
  }
  if (c.Exists !== undefined) return { kind: "Exists", field: need(c.field, "exists field").image, span: nodeSpan(ctx, node) };
  const tok = _firstToken(c);
  const span = tokenSpan(ctx, tok);
  switch (tok.tokenType.name) {
    case "HexInt":
    case "DecInt":
      return { kind: "Int", value: intValue(tok.image), text: tok.image, span };
    case "FloatLit":
      return { kind: "Float", value: Number(tok.image), span };
    case "DurationLit":
      return { kind: "Duration", ns: _durationNs(ctx, tok.image, span), text: tok.image, span };
    case "SizeLit":
      return { kind: "Size", bytes: sizeBytes(tok.image), text: tok.image, span };
    case "StringLit":
      return { kind: "Str", value: stringValue(ctx, tok), span };
    case "True":
    case "False":
      return { kind: "Bool", value: tok.image === "true", span };
    case "Null":
      return { kind: "Null", span };
    case "Context":
      return { kind: "Context", name: tok.image.slice(1) as Extract<Expr, { kind: "Context" }>["name"], span };
    default:
      return { kind: "Name", name: tok.image, span };
  }
}

function _durationNs(ctx: BuildContext, text: string, span: Span): bigint {
  const d = durationNs(text);
  if ("ns" in d) return d.ns;
  ctx.diagnostics.push(error("VGL103", d.error, span, "durations resolve to whole nanoseconds: round the value"));
  return 0n;
}

function _firstToken(children: PrimaryCstNode["children"]): IToken {
  for (const list of Object.values(children)) {
    const tok = (list as IToken[] | undefined)?.[0];
    if (tok !== undefined) return tok;
  }
  throw new Incomplete("primary");
}
