/**
 * Compile-time evaluation of constant expressions: bounds (`within 10ms`, `cap 64`), policy
 * intervals and `const` values, which `--set NAME=VALUE` may override.
 */
import type { Expr } from "../../grammar/ast.js";
import type { Symbols } from "./symbols.js";

export type ConstValue = bigint | number | string | boolean | null;

export class NotConstant extends Error {
  constructor(readonly expr: Expr, reason: string) {
    super(reason);
  }
}

/** Evaluates `e`; throws `NotConstant` naming the offending sub-expression. */
export function evalConst(e: Expr, symbols: Symbols, overrides: Map<string, Expr> = new Map(), depth = 0): ConstValue {
  if (depth > 32) throw new NotConstant(e, "constants refer to each other in a cycle");
  const ev = (x: Expr) => evalConst(x, symbols, overrides, depth + 1);
  switch (e.kind) {
    case "Int": return e.value;
    case "Float": return e.value;
    case "Duration": return e.ns;
    case "Size": return e.bytes;
    case "Str": return e.value;
    case "Bool": return e.value;
    case "Null": return null;
    case "Paren": return ev(e.inner);
    case "Name": {
      const o = overrides.get(e.name);
      if (o) return ev(o);
      const c = symbols.consts.get(e.name);
      if (c) return ev(c.value);
      throw new NotConstant(e, `\`${e.name}\` is not a constant`);
    }
    case "Unary": {
      const v = ev(e.operand);
      if (e.op === "-" && typeof v === "bigint") return -v;
      if (e.op === "-" && typeof v === "number") return -v;
      if (e.op === "!") return !v;
      if (e.op === "~" && typeof v === "bigint") return ~v;
      throw new NotConstant(e, `cannot apply \`${e.op}\` here`);
    }
    case "Binary": {
      const l = ev(e.left);
      const r = ev(e.right);
      if (typeof l === "bigint" && typeof r === "bigint") {
        switch (e.op) {
          case "+": return l + r;
          case "-": return l - r;
          case "*": return l * r;
          case "/": if (r === 0n) throw new NotConstant(e, "division by zero"); return l / r;
          case "%": if (r === 0n) throw new NotConstant(e, "division by zero"); return l % r;
          case "<<": return l << r;
          case ">>": return l >> r;
          case "&": return l & r;
          case "|": return l | r;
          case "^": return l ^ r;
          default: break;
        }
      }
      if (typeof l === "number" || typeof r === "number") {
        const a = Number(l), b = Number(r);
        switch (e.op) {
          case "+": return a + b;
          case "-": return a - b;
          case "*": return a * b;
          case "/": return a / b;
          default: break;
        }
      }
      throw new NotConstant(e, `\`${e.op}\` is not evaluated at compile time`);
    }
    default:
      throw new NotConstant(e, "not a constant expression");
  }
}

/** A non-negative duration in ns (as number) or an error message. */
export function constDuration(e: Expr, symbols: Symbols, overrides?: Map<string, Expr>): number | string {
  try {
    const v = evalConst(e, symbols, overrides);
    if (typeof v === "bigint" && v >= 0n) return Number(v);
    if (typeof v === "number" && v >= 0 && Number.isInteger(v)) return v;
    return "expected a duration such as `10ms`";
  } catch (err) {
    return err instanceof NotConstant ? err.message : String(err);
  }
}

/** A positive integer count or an error message. */
export function constCount(e: Expr, symbols: Symbols, overrides?: Map<string, Expr>): number | string {
  try {
    const v = evalConst(e, symbols, overrides);
    if (typeof v === "bigint" && v > 0n && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    return "expected a positive whole number";
  } catch (err) {
    return err instanceof NotConstant ? err.message : String(err);
  }
}
