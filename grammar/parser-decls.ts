/**
 * The small declarations of the Vigil grammar — pack, use, event aliases, const, list, map and
 * macro — as a chevrotain base parser between the clauses (`VglClauseParser`) and the rule
 * declarations (`VglParser`). The EBNF for all of them is at the top of parser.ts.
 *
 * Contract: each rule here uses only expressions, clauses and other rules of this file.
 */
import type { IParserConfig, TokenType } from "chevrotain";
import * as T from "./tokens.js";
import { VglClauseParser } from "./parser-clauses.js";

export class VglDeclParser extends VglClauseParser {
  constructor(tokens: TokenType[], config: IParserConfig) {
    super(tokens, config);
  }

  packDecl = this.RULE("packDecl", () => {
    this.CONSUME(T.Pack);
    this.SUBRULE(this.dotted);
    this.OPTION(() => this.CONSUME(T.StringLit));
  });

  useDecl = this.RULE("useDecl", () => {
    this.CONSUME(T.Use);
    this.OR([{ ALT: () => this.SUBRULE(this.dotted) }, { ALT: () => this.CONSUME(T.StringLit) }]);
  });

  eventAlias = this.RULE("eventAlias", () => {
    this.CONSUME(T.Event);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.aliasTarget, { LABEL: "targets" });
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.SUBRULE2(this.aliasTarget, { LABEL: "targets" });
    });
  });

  /** An alias member: a name, a UST name `provider:event` (bare here only: in steps `x:` is a label), or quoted. */
  aliasTarget = this.RULE("aliasTarget", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: "name" });
          this.OPTION(() => {
            this.CONSUME(T.Colon);
            this.CONSUME2(T.Identifier, { LABEL: "event" });
          });
        },
      },
      { ALT: () => this.CONSUME(T.StringLit, { LABEL: "quoted" }) },
    ]);
  });

  constDecl = this.RULE("constDecl", () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  listDecl = this.RULE("listDecl", () => {
    this.CONSUME(T.List);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expr);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expr);
    });
    this.CONSUME(T.RParen);
  });

  mapDecl = this.RULE("mapDecl", () => {
    this.CONSUME(T.MapKw);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.CONSUME(T.LCurly);
          this.OPTION(() => {
            this.SUBRULE(this.mapEntry);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.OPTION2(() => this.SUBRULE2(this.mapEntry));
            });
          });
          this.CONSUME(T.RCurly);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.From);
          this.CONSUME(T.StringLit, { LABEL: "path" });
          this.CONSUME2(T.Identifier, { LABEL: "keyWord" });
          this.CONSUME3(T.Identifier, { LABEL: "keyColumn" });
          this.CONSUME4(T.Identifier, { LABEL: "valueWord" });
          this.CONSUME5(T.Identifier, { LABEL: "valueColumn" });
        },
      },
    ]);
  });

  mapEntry = this.RULE("mapEntry", () => {
    this.SUBRULE(this.expr, { LABEL: "key" });
    this.CONSUME(T.Colon);
    this.SUBRULE2(this.expr, { LABEL: "value" });
  });

  macroDecl = this.RULE("macroDecl", () => {
    this.CONSUME(T.Macro);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.CONSUME2(T.Identifier, { LABEL: "param" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME3(T.Identifier, { LABEL: "param" });
      });
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });
}
