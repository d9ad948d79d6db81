/**
 * Macros with parameters: `macro vector_class_of(v) = ...`, used as `vector_class_of(irq)`.
 *
 * Contract: a call is the macro's body with every bare name that is a parameter replaced by
 * the argument's expression, as written at the call (so errors in an argument point at the
 * call, and an argument is evaluated where the body reads it, exactly as if the body had been
 * written out there). Parameters shadow every other name in the body. A built-in function
 * keeps its name: a macro may not take one (VGL246, `declarationProblems`).
 */
import type { Expr, MacroDecl } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { mapExpr } from "../../grammar/walk-expr.js";
import { FUNCTIONS } from "../model/functions.js";
import type { Symbols } from "./symbols.js";

/** The macro a call names, or undefined when the callee is a built-in function or no macro. */
export function calledMacro(callee: string, symbols: Symbols): MacroDecl | undefined {
  return Object.hasOwn(FUNCTIONS, callee) ? undefined : symbols.macros.get(callee);
}

/** The expression a call of `decl` with `args` stands for (see the contract); arity checked by the caller. */
export function expandMacroCall(decl: MacroDecl, args: readonly Expr[]): Expr {
  const byName = new Map(decl.params.map((p, i) => [p.name, args[i]]));
  return mapExpr(decl.body, (x) => (x.kind === "Name" ? byName.get(x.name) : undefined));
}

/** What is wrong with calling `decl` with `count` arguments (null when nothing). */
export function macroCallProblem(decl: MacroDecl, count: number, at: Expr["span"]): Diagnostic | null {
  const name = decl.name.name;
  if (decl.params.length === 0) return error("VGL247", `Macro \`${name}\` takes no arguments: write \`${name}\`, not \`${name}(...)\``, at);
  if (count !== decl.params.length) {
    const want = decl.params.map((p) => p.name).join(", ");
    return error("VGL247", `Macro \`${name}(${want})\` takes ${decl.params.length} argument(s), got ${count}`, at);
  }
  return null;
}

/** The error for a macro with parameters used as a bare name. */
export function macroWithoutArguments(decl: MacroDecl, at: Expr["span"]): Diagnostic {
  const want = decl.params.map((p) => p.name).join(", ");
  return error("VGL247", `Macro \`${decl.name.name}\` takes arguments: write \`${decl.name.name}(${want})\``, at);
}

/** Declaration mistakes of every macro: a built-in function's name, a repeated parameter. */
export function declarationProblems(symbols: Symbols): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of symbols.macros.values()) {
    if (Object.hasOwn(FUNCTIONS, m.name.name)) {
      out.push(error("VGL246", `Macro \`${m.name.name}\` has the name of a built-in function; rename it`, m.name.span));
    }
    const seen = new Set<string>();
    for (const p of m.params) {
      if (seen.has(p.name)) out.push(error("VGL246", `Macro \`${m.name.name}\` names parameter \`${p.name}\` twice`, p.span));
      seen.add(p.name);
    }
  }
  return out;
}
