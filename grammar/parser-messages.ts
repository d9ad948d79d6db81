/**
 * Syntax error wording: chevrotain's error provider hooks, rewritten for people.
 *
 * Contract: every message reads `expected <what> <where>, found <token>`; `<where>` comes from
 * the rule being parsed (and, for the common slips, the exact token wanted), `<token>` is the
 * offending token in backticks, or {@link setEndOfInput}'s description when the declaration
 * ran out (the parser sees one declaration at a time, so its end is the next declaration's
 * keyword or the end of the file).
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { EOF } from "./chevrotain.js";

let endOfInput = "the end of the file";

/** Sets what "found" says when the parser hits the end of its input (e.g. "`machine`"). */
export function setEndOfInput(description: string): void {
  endOfInput = description;
}

/** The human name of a token class: its label (`` `->` ``, "a name") or its name. */
export function tokenDescription(tok: TokenType): string {
  return tok.LABEL ?? tok.name;
}

/** How an actual token is named in "found …". */
export function foundDescription(tok: IToken): string {
  if (tok.tokenType === EOF) return endOfInput;
  const image = tok.image.length > 30 ? tok.image.slice(0, 27) + "…" : tok.image;
  return "`" + image + "`";
}

/** The chevrotain hooks; handed to the parser's `errorMessageProvider`. */
export const vglErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const special = SPECIFIC[`${ruleName}:${expected.name}`];
    const what = special ?? tokenDescription(expected) + where(ruleName);
    return `expected ${what}, found ${foundDescription(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant, ruleName }) {
    const what = EXPR_RULES.has(ruleName) ? "expression" : "declaration";
    return `unexpected ${foundDescription(firstRedundant)} after the end of the ${what}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const special = NO_VIABLE[ruleName];
    if (special !== undefined) return `expected ${special}, found ${foundDescription(actual[0]!)}`;
    const firsts = expectedPathsPerAlt.flat().map((path) => path[0]).filter((t): t is TokenType => t !== undefined);
    return `expected ${alternatives(ruleName, firsts)}${where(ruleName)}, found ${foundDescription(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = expectedIterationPaths.map((path) => path[0]).filter((t): t is TokenType => t !== undefined);
    return `expected ${alternatives(ruleName, firsts)}${where(ruleName)}, found ${foundDescription(actual[0]!)}`;
  },
};

// --- internal ---

/** Where the parser was, by rule: "in a transition", "in an expression", … */
const PLACES: Record<string, string> = {
  decl: "at the start of a declaration",
  packDecl: "in a `pack` declaration",
  useDecl: "in a `use` declaration",
  dotted: "(a dotted name like `kvm.vcpu`)",
  eventAlias: "in an `event` alias",
  aliasTarget: "in an `event` alias",
  constDecl: "in a `const` declaration",
  listDecl: "in a `list` declaration",
  macroDecl: "in a `macro` declaration",
  events: "in an event list",
  machine: "in a machine",
  machineItem: "in a machine body",
  statesItem: "in a `states` line",
  keepItem: "in a `keep` line",
  onItem: "in a transition",
  transitionTail: "in a transition",
  block: "in an assignment block",
  assign: "in an assignment",
  sequence: "in a sequence",
  seqOption: "in a sequence option",
  step: "in a sequence",
  absenceStep: "in a `not … within` step",
  matchStep: "in a sequence step",
  quantifier: "in a quantifier `{n,m}`",
  emitSegment: "in `emit segment`",
  binding: "in a segment field",
  seqAlert: "in a sequence's alert",
  table: "in a table",
  byItem: "in a `by` item",
  selItem: "in a `select` item",
  orderItem: "in an `order by` item",
  alert: "after the alert's name",
  onTrigger: "in an `on` trigger",
  whenState: "in a `when … enters` trigger",
  whenCondition: "in a `when` trigger",
  alertClause: "in an alert",
  doClause: "in a `do` clause",
  action: "after `do`",
  policy: "in a rate policy",
};

/** The usual slips, worded precisely (rule:expectedToken). */
const SPECIFIC: Record<string, string> = {
  "transitionTail:Arrow": "`->` after the transition's events",
  "transitionTail:Identifier": "the target state after `->`",
  "alert:Identifier": "a name for the alert after `alert`",
  "machine:Identifier": "a name for the machine after `machine`",
  "sequence:Identifier": "a name for the sequence after `sequence`",
  "machine:Per": "`per` and the machine's key after its name (`machine NAME per KEY {`)",
  "sequence:Per": "`per` and the sequence's key after its name (`sequence NAME per KEY {`)",
  "machine:LCurly": "`{` to open the machine's body",
  "sequence:LCurly": "`{` to open the sequence's body",
  "machine:RCurly": "`}` to close the machine's body",
  "sequence:RCurly": "`}` to close the sequence's body",
  "table:Select": "`select` and the table's columns",
  "table:From": "`from` and the table's source after its name",
  "absenceStep:Within": "`within` and a window after a `not` step (absence needs a bound)",
  "statesItem:Equals": "`=` and the initial state after the state names",
  "whenState:Identifier": "a state name after `enters`",
  "eventAlias:Equals": "`=` after the alias name",
  "quantifier:RCurly": "`}` to close the quantifier",
  "listDecl:RParen": "`,` or `)` after a list item",
  "emitSegment:RCurly": "`,` or `}` after a segment field",
  "block:RCurly": "`;`, `,` or `}` after an assignment",
  "suffix:RParen": "`)` to close the call's arguments",
  "suffix:RBracket": "`]` to close the index",
  "primary:RParen": "`)` to close the parenthesis",
};

/** Choices better named by what is missing than by listing every possible token. */
const NO_VIABLE: Record<string, string> = {
  onItem: "`->` after the transition's events",
  alert: "`on EVENTS` or `when …` after the alert's name",
};

const EXPR_RULES = new Set([
  "expr", "orExpr", "andExpr", "bitOrExpr", "bitXorExpr", "bitAndExpr", "equalityExpr", "relationExpr",
  "shiftExpr", "additiveExpr", "termExpr", "unaryExpr", "postfixExpr", "primary",
]);

/** " in a transition" (with its leading space), or "" inside expressions. */
function where(ruleName: string): string {
  if (EXPR_RULES.has(ruleName)) return "";
  return " " + (PLACES[ruleName] ?? `in ${ruleName}`);
}

function alternatives(ruleName: string, firsts: TokenType[]): string {
  if (EXPR_RULES.has(ruleName)) return "an expression";
  if (ruleName === "decl") return "a declaration (`pack`, `use`, `event`, `const`, `list`, `macro`, `machine`, `sequence`, `table` or `alert`)";
  if (ruleName === "step") return "a step (an event name, `label: event` or `not event within T`)";
  const names = [...new Set(firsts.map(tokenDescription))];
  if (names.length <= 1) return names[0] ?? "something else";
  return names.slice(0, -1).join(", ") + " or " + names[names.length - 1];
}
