/**
 * The expression half of the Vigil grammar (C precedence, see the EBNF in parser.ts), as a
 * chevrotain base parser that `VglParser` extends (chevrotain grammar inheritance).
 *
 * Contract: one rule per precedence level, lowest first; each binary level is
 * `operand (OP operand)*` with the operators under the `op` label in source order, so the
 * builder folds them left-associatively. Operator classes (`OrOp`, `RelOp`, …) let one CONSUME
 * accept every spelling of a level (`||` and `or`).
 */
import type { IParserConfig, TokenType } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import * as T from "./tokens.js";

export class VglExprParser extends CstParser {
  constructor(tokens: TokenType[], config: IParserConfig) {
    super(tokens, config);
  }

  expr = this.RULE("expr", () => {
    this.SUBRULE(this.orExpr);
  });

  orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.OrOp, { LABEL: "op" });
      this.SUBRULE2(this.andExpr, { LABEL: "operand" });
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.bitOrExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.AndOp, { LABEL: "op" });
      this.SUBRULE2(this.bitOrExpr, { LABEL: "operand" });
    });
  });

  bitOrExpr = this.RULE("bitOrExpr", () => {
    this.SUBRULE(this.bitXorExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.Pipe, { LABEL: "op" });
      this.SUBRULE2(this.bitXorExpr, { LABEL: "operand" });
    });
  });

  bitXorExpr = this.RULE("bitXorExpr", () => {
    this.SUBRULE(this.bitAndExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.Caret, { LABEL: "op" });
      this.SUBRULE2(this.bitAndExpr, { LABEL: "operand" });
    });
  });

  bitAndExpr = this.RULE("bitAndExpr", () => {
    this.SUBRULE(this.equalityExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.Amp, { LABEL: "op" });
      this.SUBRULE2(this.equalityExpr, { LABEL: "operand" });
    });
  });

  equalityExpr = this.RULE("equalityExpr", () => {
    this.SUBRULE(this.relationExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.EqOp, { LABEL: "op" });
      this.SUBRULE2(this.relationExpr, { LABEL: "operand" });
    });
  });

  relationExpr = this.RULE("relationExpr", () => {
    this.SUBRULE(this.shiftExpr, { LABEL: "operand" });
    this.MANY(() => this.SUBRULE(this.relTail));
  });

  /** One `< x`, `contains x`, `in (a, b)` or `not in LIST` applied to the left operand. */
  relTail = this.RULE("relTail", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.RelOp, { LABEL: "op" }); this.SUBRULE(this.shiftExpr, { LABEL: "operand" }); } },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Not));
          this.CONSUME(T.In);
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.LParen);
                this.SUBRULE(this.expr, { LABEL: "item" });
                this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expr, { LABEL: "item" }); });
                this.CONSUME(T.RParen);
              },
            },
            { ALT: () => this.CONSUME(T.Identifier, { LABEL: "listName" }) },
          ]);
        },
      },
    ]);
  });

  shiftExpr = this.RULE("shiftExpr", () => {
    this.SUBRULE(this.additiveExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.ShiftOp, { LABEL: "op" });
      this.SUBRULE2(this.additiveExpr, { LABEL: "operand" });
    });
  });

  additiveExpr = this.RULE("additiveExpr", () => {
    this.SUBRULE(this.termExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.AddOp, { LABEL: "op" });
      this.SUBRULE2(this.termExpr, { LABEL: "operand" });
    });
  });

  termExpr = this.RULE("termExpr", () => {
    this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.MulOp, { LABEL: "op" });
      this.SUBRULE2(this.unaryExpr, { LABEL: "operand" });
    });
  });

  unaryExpr = this.RULE("unaryExpr", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.UnaryOp, { LABEL: "op" }); this.SUBRULE(this.unaryExpr, { LABEL: "operand" }); } },
      { ALT: () => this.SUBRULE(this.postfixExpr) },
    ]);
  });

  postfixExpr = this.RULE("postfixExpr", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.suffix));
  });

  /** `.field`, `.$pid`, `[key]` or `(args)`, applied left to right. */
  suffix = this.RULE("suffix", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          this.OR2([{ ALT: () => this.CONSUME(T.Identifier, { LABEL: "property" }) }, { ALT: () => this.CONSUME(T.Context, { LABEL: "property" }) }]);
        },
      },
      { ALT: () => { this.CONSUME(T.LBracket); this.SUBRULE(this.expr, { LABEL: "index" }); this.CONSUME(T.RBracket); } },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.OPTION(() => {
            this.SUBRULE2(this.expr, { LABEL: "arg" });
            this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE3(this.expr, { LABEL: "arg" }); });
          });
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntLit) },
      { ALT: () => this.CONSUME(T.FloatLit) },
      { ALT: () => this.CONSUME(T.DurationLit) },
      { ALT: () => this.CONSUME(T.SizeLit) },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.Context) },
      { ALT: () => { this.CONSUME(T.Exists); this.CONSUME2(T.Identifier, { LABEL: "field" }); } },
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.expr, { LABEL: "inner" }); this.CONSUME(T.RParen); } },
    ]);
  });
}
