/**
 * The clause-level rules of the Vigil grammar — names, event lists, assignment blocks,
 * quantifiers, segment fields, table items, alert clauses, actions and rate policies — as a
 * chevrotain base parser between the expressions (`VglExprParser`) and the declarations
 * (`VglParser`). The EBNF for all of them is at the top of parser.ts.
 *
 * Contract: each rule here uses only expressions and other rules of this file, so the
 * declaration parser can combine them freely; labels name the parts the builders read.
 */
import type { IParserConfig, TokenType } from "chevrotain";
import * as T from "./tokens.js";
import { VglExprParser } from "./parser-expr.js";

export class VglClauseParser extends VglExprParser {
  constructor(tokens: TokenType[], config: IParserConfig) {
    super(tokens, config);
  }

  dotted = this.RULE("dotted", () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Identifier);
    });
  });

  /** A name, or a quoted one for names that are not identifiers (UST `"provider:event"`). */
  events = this.RULE("events", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.StringLit) }]);
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.OR2([{ ALT: () => this.CONSUME2(T.Identifier) }, { ALT: () => this.CONSUME2(T.StringLit) }]);
    });
  });

  block = this.RULE("block", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.assign);
      this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Semi) }, { ALT: () => this.CONSUME(T.Comma) }]));
    });
    this.CONSUME(T.RCurly);
  });

  assign = this.RULE("assign", () => {
    this.CONSUME(T.Identifier, { LABEL: "target" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  quantifier = this.RULE("quantifier", () => {
    this.CONSUME(T.LCurly);
    this.CONSUME(T.IntLit, { LABEL: "min" });
    this.OPTION(() => {
      this.CONSUME(T.Comma);
      this.OPTION2(() => this.CONSUME2(T.IntLit, { LABEL: "max" }));
    });
    this.CONSUME(T.RCurly);
  });

  /** `emit segment`, optionally with fields: `emit segment { a: x, b: y, }` (empty braces too). */
  emitLink = this.RULE("emitLink", () => {
    this.CONSUME(T.Emit);
    this.CONSUME(T.Link);
    this.CONSUME(T.LCurly);
    this.SUBRULE(this.binding);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.binding);
    });
    this.OPTION(() => this.CONSUME2(T.Comma));
    this.CONSUME(T.RCurly);
  });

  emitSegment = this.RULE("emitSegment", () => {
    this.CONSUME(T.Emit);
    this.CONSUME(T.Segment);
    this.OPTION(() => {
      this.CONSUME(T.LCurly);
      this.OPTION2(() => {
        this.SUBRULE(this.binding);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.binding);
        });
        this.OPTION3(() => this.CONSUME2(T.Comma));
      });
      this.CONSUME(T.RCurly);
    });
  });

  binding = this.RULE("binding", () => {
    // `from` is reserved, but reads best as a link's source: `emit link { from: ..., to: ... }`
    this.OR([{ ALT: () => this.CONSUME(T.Identifier, { LABEL: "name" }) }, { ALT: () => this.CONSUME(T.From, { LABEL: "name" }) }]);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expr);
  });

  byItem = this.RULE("byItem", () => {
    this.SUBRULE(this.expr);
    this.OPTION(() => { this.CONSUME(T.As); this.CONSUME(T.Identifier, { LABEL: "alias" }); });
  });

  selItem = this.RULE("selItem", () => {
    this.SUBRULE(this.expr);
    this.OPTION2(() => { this.CONSUME(T.Per); this.CONSUME2(T.Identifier, { LABEL: "per" }); });
    this.OPTION(() => { this.CONSUME(T.As); this.CONSUME(T.Identifier, { LABEL: "alias" }); });
  });

  orderItem = this.RULE("orderItem", () => {
    this.SUBRULE(this.expr);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]));
  });

  alertClause = this.RULE("alertClause", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.Severity); this.CONSUME(T.Identifier, { LABEL: "severity" }); } },
      { ALT: () => { this.CONSUME(T.Message); this.CONSUME(T.StringLit, { LABEL: "message" }); } },
      { ALT: () => this.SUBRULE(this.doClause) },
    ]);
  });

  doClause = this.RULE("doClause", () => {
    this.CONSUME(T.Do);
    this.SUBRULE(this.action);
    this.OPTION(() => this.SUBRULE(this.policy));
  });

  action = this.RULE("action", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Print) },
      { ALT: () => { this.CONSUME(T.Log); this.CONSUME(T.StringLit, { LABEL: "file" }); } },
      {
        ALT: () => {
          this.CONSUME(T.Exec);
          this.CONSUME(T.LBracket);
          this.CONSUME2(T.StringLit, { LABEL: "argv" });
          this.MANY(() => { this.CONSUME(T.Comma); this.CONSUME3(T.StringLit, { LABEL: "argv" }); });
          this.CONSUME(T.RBracket);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Snapshot);
          this.CONSUME4(T.StringLit, { LABEL: "session" });
          this.OPTION(() => { this.CONSUME(T.Name); this.CONSUME5(T.StringLit, { LABEL: "snapName" }); });
          this.OPTION2(() => { this.CONSUME(T.Max); this.CONSUME(T.SizeKw); this.SUBRULE(this.expr, { LABEL: "maxSize" }); });
        },
      },
      { ALT: () => { this.CONSUME(T.Rotate); this.CONSUME6(T.StringLit, { LABEL: "session" }); } },
    ]);
  });

  policy = this.RULE("policy", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.At); this.CONSUME(T.Most); this.CONSUME(T.Every); this.SUBRULE(this.expr, { LABEL: "interval" }); } },
      { ALT: () => { this.CONSUME(T.Once); this.CONSUME(T.After); this.SUBRULE2(this.expr, { LABEL: "count" }); } },
    ]);
    this.OPTION(() => { this.CONSUME(T.Per); this.SUBRULE3(this.expr, { LABEL: "per" }); });
  });
}
