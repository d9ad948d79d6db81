/**
 * The Vigil parser: a pure chevrotain `CstParser` (no embedded actions), error recovery on.
 *
 * ```
 * file        := decl*                  -- driven by split-decls.ts: one `decl` per chunk, so a
 *                                          broken declaration never swallows the next one
 * decl        := pack | use | eventAlias | const | list | macro | map | machine | sequence | table | alert | link
 * link        := "link" IDENT "on" events ("where" expr)? "from" expr "to" expr ("at" expr)?
 * pack        := "pack" dotted STRING?
 * use         := "use" (dotted | STRING)
 * eventAlias  := "event" IDENT "=" aliasTarget ("|" aliasTarget)*
 * aliasTarget := IDENT (":" IDENT)? | STRING     -- UST `provider:event`, bare (no spaces) or quoted
 * const       := "const" IDENT "=" expr
 * list        := "list" IDENT "=" "(" expr ("," expr)* ")"
 * macro       := "macro" IDENT [ "(" IDENT { "," IDENT } ")" ] "=" expr
 * map         := "map" IDENT "=" "{" (expr ":" expr ("," expr ":" expr)* ","?)? "}"
 *              | "map" IDENT "from" STRING "key" IDENT "value" IDENT      -- a TSV data file
 * machine     := "machine" IDENT "per" expr ("idle" expr | "cap" expr)* "{" machineItem* "}"
 * machineItem := "states" IDENT ("," IDENT)* "=" IDENT
 *              | "keep" assign ("," assign)*
 *              | "on" ("enter" | "exit") IDENT block
 *              | "on" events ("for" expr)? ("where" expr)? ("from" IDENT ("," IDENT)*)? "->" "again"? IDENT block?
 *                -- written as onItem := "on" events (IDENT block | transitionTail), see onItem
 * events      := (IDENT | STRING) ("|" (IDENT | STRING))*      -- STRING: a name like "provider:event"
 * block       := "{" (assign (";" | ",")?)* "}"
 * assign      := IDENT "=" expr
 * sequence    := "sequence" IDENT "per" expr seqOption* "{" steps ("within" expr)? seqOutput* "}"
 * seqOption   := "cap" expr | "skip" ("past" "last" | "to" "next")
 * steps       := step (("->" | "=>") step)*
 * step        := "not" events ("where" expr)? "within" expr
 *              | (IDENT ":")? events ("where" expr)? quant? ("gap" expr)?
 * quant       := "{" INT ("," INT?)? "}"
 * seqOutput   := "emit" "segment" ("{" (binding ("," binding)* ","?)? "}")?     -- binding := (IDENT | "from") ":" expr
 *              | "emit" "link" "{" binding ("," binding)* ","? "}"     -- from:, to: required
 *              | "alert" SEVERITY? STRING doClause*
 * binding     := IDENT ":" expr
 * table       := "table" IDENT "from" IDENT ("," IDENT)* ("split" expr)? ("where" expr)? ("by" byItem ("," byItem)*)?
 *                "select" selItem ("," selItem)* ("order" "by" orderItem ("," orderItem)*)? ("limit" INT)?
 * byItem      := expr ("as" IDENT)?
 * selItem     := expr ("per" IDENT)? ("as" IDENT)?   -- aggregates are calls/names (select-expr.ts)
 * orderItem   := expr ("asc" | "desc")?
 * alert       := "alert" IDENT trigger alertClause*
 * trigger     := "on" events ("where" expr)? | "when" IDENT "enters" IDENT ("and" "stays" expr)? | "when" expr
 * alertClause := "severity" IDENT | "message" STRING | doClause
 * doClause    := "do" action policy?
 * action      := "print" | "log" STRING | "exec" "[" STRING ("," STRING)* "]"
 *              | "snapshot" STRING ("name" STRING)? ("max" "size" expr)? | "rotate" STRING
 * policy      := "at" "most" "every" expr ("per" expr)? | "once" "after" expr ("per" expr)?
 *
 * expr := or;  or := and (("||"|"or") and)*;  and := bitor (("&&"|"and") bitor)*
 * bitor := bitxor ("|" bitxor)*;  bitxor := bitand ("^" bitand)*;  bitand := equality ("&" equality)*
 * equality := relation (("=="|"!=") relation)*
 * relation := shift relTail*;  relTail := RELOP shift | "not"? "in" ("(" expr ("," expr)* ")" | IDENT)
 * shift := additive (("<<"|">>") additive)*;  additive := term (("+"|"-") term)*
 * term := unary (("*"|"/"|"%") unary)*;  unary := ("!"|"not"|"-"|"~") unary | postfix
 * postfix := primary suffix*;  suffix := "." (IDENT | CONTEXT) | "[" expr "]" | "(" (expr ("," expr)*)? ")"
 * primary := INT | FLOAT | DURATION | SIZE | STRING | "true" | "false" | "null" | IDENT | CONTEXT
 *          | "exists" IDENT | "(" expr ")"
 * ```
 *
 * Contract: after `parser.input = tokens; parser.decl()` (or `parser.expr()`), `parser.errors`
 * holds every syntax error of that input with human wording (see parser-messages.ts); the CST
 * may be partial where recovery happened (`recoveredNode`), which the builder checks.
 */
import * as T from "./tokens.js";
import { vglErrorMessages } from "./parser-messages.js";
import { VglDeclParser } from "./parser-decls.js";

/**
 * The Vigil CST parser: rule declarations (machine, sequence, table, alert, link) here; the
 * small declarations (parser-decls.ts), clauses (parser-clauses.ts) and expressions
 * (parser-expr.ts) inherited, chevrotain grammar inheritance.
 * Build it once ({@link vglParser}): construction analyses the whole grammar.
 */
export class VglParser extends VglDeclParser {
  /**
   * @param validate run chevrotain's grammar validations (ambiguities, left recursion, ...):
   *   about 100 ms, so the CLI's one parser skips them and a test runs them.
   */
  constructor(validate = false) {
    super(T.allTokens, {
      skipValidations: !validate,
      recoveryEnabled: true,
      nodeLocationTracking: "full",
      errorMessageProvider: vglErrorMessages,
      maxLookahead: 3,
    });
    this.performSelfAnalysis();
  }

  decl = this.RULE("decl", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.packDecl) },
      { ALT: () => this.SUBRULE(this.useDecl) },
      { ALT: () => this.SUBRULE(this.eventAlias) },
      { ALT: () => this.SUBRULE(this.constDecl) },
      { ALT: () => this.SUBRULE(this.listDecl) },
      { ALT: () => this.SUBRULE(this.macroDecl) },
      { ALT: () => this.SUBRULE(this.mapDecl) },
      { ALT: () => this.SUBRULE(this.machine) },
      { ALT: () => this.SUBRULE(this.sequence) },
      { ALT: () => this.SUBRULE(this.table) },
      { ALT: () => this.SUBRULE(this.alert) },
      { ALT: () => this.SUBRULE(this.link) },
    ]);
  });

  // ------------------------------------------------------------------ machine
  machine = this.RULE("machine", () => {
    this.CONSUME(T.Machine);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Per);
    this.SUBRULE(this.expr, { LABEL: "key" });
    this.MANY(() =>
      this.OR([
        { ALT: () => { this.CONSUME(T.Idle); this.SUBRULE2(this.expr, { LABEL: "idle" }); } },
        { ALT: () => { this.CONSUME(T.Cap); this.SUBRULE3(this.expr, { LABEL: "cap" }); } },
      ]),
    );
    this.CONSUME(T.LCurly);
    this.MANY2(() => this.SUBRULE(this.machineItem));
    this.CONSUME(T.RCurly);
  });

  machineItem = this.RULE("machineItem", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.statesItem) },
      { ALT: () => this.SUBRULE(this.keepItem) },
      { ALT: () => this.SUBRULE(this.onItem) },
    ]);
  });

  statesItem = this.RULE("statesItem", () => {
    this.CONSUME(T.States);
    this.CONSUME(T.Identifier, { LABEL: "state" });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier, { LABEL: "state" });
    });
    this.CONSUME(T.Equals);
    this.CONSUME3(T.Identifier, { LABEL: "initial" });
  });

  keepItem = this.RULE("keepItem", () => {
    this.CONSUME(T.Keep);
    this.SUBRULE(this.assign);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.assign);
    });
  });

  /**
   * A transition or an `on enter|exit STATE { … }` hook. Both start `on NAME`, so the choice
   * is made after the event list: a name there means a hook (the builder checks the event
   * list was exactly `enter` or `exit`, and otherwise reports the missing `->`); anything
   * else continues a transition. This keeps the decision LL(1) and the error precise.
   */
  onItem = this.RULE("onItem", () => {
    this.CONSUME(T.On);
    this.SUBRULE(this.events);
    this.OR([
      { ALT: () => { this.CONSUME(T.Identifier, { LABEL: "hookState" }); this.SUBRULE(this.block, { LABEL: "hookBlock" }); } },
      { ALT: () => this.SUBRULE(this.transitionTail) },
    ]);
  });

  transitionTail = this.RULE("transitionTail", () => {
    this.OPTION(() => { this.CONSUME(T.For); this.SUBRULE(this.expr, { LABEL: "routeKey" }); });
    this.OPTION2(() => { this.CONSUME(T.Where); this.SUBRULE2(this.expr, { LABEL: "where" }); });
    this.OPTION3(() => {
      this.CONSUME(T.From);
      this.CONSUME(T.Identifier, { LABEL: "from" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME2(T.Identifier, { LABEL: "from" });
      });
    });
    this.CONSUME(T.Arrow);
    // `-> again S`: re-enter S even when already in it (a new interval starts)
    this.OPTION5(() => this.CONSUME(T.Again));
    this.CONSUME3(T.Identifier, { LABEL: "to" });
    this.OPTION4(() => this.SUBRULE(this.block));
  });

  // ------------------------------------------------------------------ sequence

  sequence = this.RULE("sequence", () => {
    this.CONSUME(T.Sequence);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Per);
    this.SUBRULE(this.expr, { LABEL: "key" });
    this.MANY(() => this.SUBRULE(this.seqOption));
    this.CONSUME(T.LCurly);
    this.SUBRULE(this.step);
    this.MANY2(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Arrow, { LABEL: "joiner" }) }, { ALT: () => this.CONSUME(T.FatArrow, { LABEL: "joiner" }) }]);
      this.SUBRULE2(this.step);
    });
    this.OPTION(() => { this.CONSUME(T.Within); this.SUBRULE2(this.expr, { LABEL: "within" }); });
    this.MANY3(() => this.OR2([
      { ALT: () => this.SUBRULE(this.emitSegment) },
      { ALT: () => this.SUBRULE(this.emitLink) },
      { ALT: () => this.SUBRULE(this.seqAlert) },
    ]));
    this.CONSUME(T.RCurly);
  });

  seqOption = this.RULE("seqOption", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.Cap); this.SUBRULE(this.expr, { LABEL: "cap" }); } },
      {
        ALT: () => {
          this.CONSUME(T.Skip);
          this.OR2([
            { ALT: () => { this.CONSUME(T.Past); this.CONSUME(T.Last); } },
            { ALT: () => { this.CONSUME(T.To); this.CONSUME(T.Next); } },
          ]);
        },
      },
    ]);
  });

  step = this.RULE("step", () => {
    this.OR([{ ALT: () => this.SUBRULE(this.absenceStep) }, { ALT: () => this.SUBRULE(this.matchStep) }]);
  });

  absenceStep = this.RULE("absenceStep", () => {
    this.CONSUME(T.Not);
    this.SUBRULE(this.events);
    this.OPTION(() => { this.CONSUME(T.Where); this.SUBRULE(this.expr, { LABEL: "where" }); });
    this.CONSUME(T.Within);
    this.SUBRULE2(this.expr, { LABEL: "within" });
  });

  matchStep = this.RULE("matchStep", () => {
    this.OPTION(() => { this.CONSUME(T.Identifier, { LABEL: "label" }); this.CONSUME(T.Colon); });
    this.SUBRULE(this.events);
    this.OPTION2(() => { this.CONSUME(T.Where); this.SUBRULE(this.expr, { LABEL: "where" }); });
    this.OPTION3(() => this.SUBRULE(this.quantifier));
    this.OPTION4(() => { this.CONSUME(T.Gap); this.SUBRULE2(this.expr, { LABEL: "gap" }); });
  });

  seqAlert = this.RULE("seqAlert", () => {
    this.CONSUME(T.Alert);
    this.OPTION(() => this.CONSUME(T.Identifier, { LABEL: "severity" }));
    this.CONSUME(T.StringLit, { LABEL: "message" });
    this.MANY(() => this.SUBRULE(this.doClause));
  });

  // ------------------------------------------------------------------ table

  table = this.RULE("table", () => {
    this.CONSUME(T.Table);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.From);
    this.CONSUME2(T.Identifier, { LABEL: "source" });
    this.MANY4(() => { this.CONSUME4(T.Comma); this.CONSUME3(T.Identifier, { LABEL: "source" }); });
    this.OPTION5(() => { this.CONSUME(T.Split); this.SUBRULE3(this.expr, { LABEL: "split" }); });
    this.OPTION(() => { this.CONSUME(T.Where); this.SUBRULE(this.expr, { LABEL: "where" }); });
    this.OPTION2(() => {
      this.CONSUME(T.By);
      this.SUBRULE(this.byItem);
      this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.byItem); });
    });
    this.CONSUME(T.Select);
    this.SUBRULE(this.selItem);
    this.MANY2(() => { this.CONSUME2(T.Comma); this.SUBRULE2(this.selItem); });
    this.OPTION3(() => {
      this.CONSUME(T.Order);
      this.CONSUME2(T.By);
      this.SUBRULE(this.orderItem);
      this.MANY3(() => { this.CONSUME3(T.Comma); this.SUBRULE2(this.orderItem); });
    });
    this.OPTION4(() => { this.CONSUME(T.Limit); this.CONSUME(T.IntLit, { LABEL: "limit" }); });
  });

  // ------------------------------------------------------------------ alert

  alert = this.RULE("alert", () => {
    this.CONSUME(T.Alert);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OR([
      { ALT: () => this.SUBRULE(this.onTrigger) },
      { ALT: () => this.SUBRULE(this.whenState) },
      { ALT: () => this.SUBRULE(this.whenCondition) },
    ]);
    this.MANY(() => this.SUBRULE(this.alertClause));
  });

  // ------------------------------------------------------------------ link

  link = this.RULE("link", () => {
    this.CONSUME(T.Link);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.On);
    this.SUBRULE(this.events);
    this.OPTION(() => { this.CONSUME(T.Where); this.SUBRULE(this.expr, { LABEL: "where" }); });
    this.CONSUME(T.From);
    this.SUBRULE2(this.expr, { LABEL: "from" });
    this.CONSUME(T.To);
    this.SUBRULE3(this.expr, { LABEL: "to" });
    this.OPTION2(() => { this.CONSUME(T.At); this.SUBRULE4(this.expr, { LABEL: "at" }); });
  });

  onTrigger = this.RULE("onTrigger", () => {
    this.CONSUME(T.On);
    this.SUBRULE(this.events);
    this.OPTION(() => { this.CONSUME(T.Where); this.SUBRULE(this.expr, { LABEL: "where" }); });
  });

  whenState = this.RULE("whenState", () => {
    this.CONSUME(T.When);
    this.CONSUME(T.Identifier, { LABEL: "machine" });
    this.CONSUME(T.Enters);
    this.CONSUME2(T.Identifier, { LABEL: "state" });
    this.OPTION(() => { this.CONSUME(T.And); this.CONSUME(T.Stays); this.SUBRULE(this.expr, { LABEL: "stays" }); });
  });

  whenCondition = this.RULE("whenCondition", () => {
    this.CONSUME(T.When);
    this.SUBRULE(this.expr, { LABEL: "cond" });
  });

}

/** The one parser instance: chevrotain parsers are reusable, and building one costs milliseconds. */
export const vglParser = new VglParser();
