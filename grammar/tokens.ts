/**
 * The Vigil tokens, in the one order the lexer tries them.
 *
 * Contract: `VglLexer.tokenize(text)` yields parser tokens in `tokens`, malformed literals in
 * `groups.invalid` (reported as VGL101 by `parse.ts`, never seen by the parser) and unknown
 * characters in `errors`; lexing always runs to the end of the text.
 *
 * Why the order matters: chevrotain's lexer takes the FIRST pattern that matches, not the
 * longest. So multi-character operators (`->`, `=>`, `<=`, `<<`, `==`, `&&`, …) come before
 * their one-character prefixes, durations and sizes (`10ms`, `64KiB`, `1.5s`) and hex
 * (`0x1F`) before plain numbers, and keywords before `Identifier`. A keyword carries
 * `longer_alt: Identifier` so `index` is a name and not `in` + `dex`; soft keywords also carry
 * `categories: [Identifier]` so `max`, `size` or `name` still work wherever a name is
 * expected. Literals carry `longer_alt: BadNumber` so `10mb` is one located error rather than
 * a number followed by a stray name.
 */
import type { Lexer as ChevrotainLexer, TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

// --- operator classes (no pattern): the parser consumes a class, the builder reads the image
export const OrOp = createToken({ name: "OrOp", pattern: Lexer.NA });
export const AndOp = createToken({ name: "AndOp", pattern: Lexer.NA });
export const EqOp = createToken({ name: "EqOp", pattern: Lexer.NA });
export const RelOp = createToken({ name: "RelOp", pattern: Lexer.NA });
export const ShiftOp = createToken({ name: "ShiftOp", pattern: Lexer.NA });
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA });
export const UnaryOp = createToken({ name: "UnaryOp", pattern: Lexer.NA });

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

// --- trivia
const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f]+/, group: Lexer.SKIPPED, line_breaks: true });
const Comment = createToken({ name: "Comment", pattern: /(?:#|\/\/)[^\n\r]*/, group: Lexer.SKIPPED });

// --- malformed literals: lexed so that the error names the whole word, then set aside
export const BadNumber = createToken({ name: "BadNumber", pattern: /\d+(?:\.\d+)?[A-Za-z_][A-Za-z0-9_]*/, group: "invalid" });
export const BadContext = createToken({ name: "BadContext", pattern: /\$[A-Za-z_][A-Za-z0-9_]*/, group: "invalid" });
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\n\r]|\\.)*/, group: "invalid" });

// --- literals
export const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\\n\r]|\\.)*"/, label: "a string" });
export const Context = createToken({
  name: "Context",
  pattern: /\$(?:tid|pid|ppid|comm|cpu|host|ts|name)/,
  longer_alt: BadContext,
  label: "a context variable ($tid, $pid, …)",
});
/** Decimal or hex integer: the parser consumes this class, the builder reads the spelling. */
export const IntLit = createToken({ name: "IntLit", pattern: Lexer.NA, label: "an integer" });
export const HexInt = createToken({
  name: "HexInt",
  pattern: /0[xX][0-9a-fA-F]+/,
  longer_alt: BadNumber,
  label: "an integer",
  categories: [IntLit],
});
export const DurationLit = createToken({
  name: "DurationLit",
  pattern: /\d+(?:\.\d+)?(?:ns|us|ms|min|s|h)/,
  longer_alt: BadNumber,
  label: "a duration",
});
export const SizeLit = createToken({ name: "SizeLit", pattern: /\d+(?:B|KiB|MiB|GiB|TiB|KB|MB|GB)/, longer_alt: BadNumber, label: "a size" });
export const FloatLit = createToken({ name: "FloatLit", pattern: /\d+\.\d+/, longer_alt: BadNumber, label: "a number" });
export const DecInt = createToken({
  name: "DecInt",
  pattern: /\d+/,
  longer_alt: BadNumber,
  label: "an integer",
  categories: [IntLit],
});

// --- punctuation; two-character operators first (see header)
const op = (name: string, pattern: string, categories: TokenType[] = []): TokenType =>
  createToken({ name, pattern, label: "`" + pattern + "`", categories });
export const Arrow = op("Arrow", "->");
export const FatArrow = op("FatArrow", "=>");
export const EqEq = op("EqEq", "==", [EqOp]);
export const NotEq = op("NotEq", "!=", [EqOp]);
export const LtEq = op("LtEq", "<=", [RelOp]);
export const GtEq = op("GtEq", ">=", [RelOp]);
export const Shl = op("Shl", "<<", [ShiftOp]);
export const Shr = op("Shr", ">>", [ShiftOp]);
export const AmpAmp = op("AmpAmp", "&&", [AndOp]);
export const PipePipe = op("PipePipe", "||", [OrOp]);
export const Lt = op("Lt", "<", [RelOp]);
export const Gt = op("Gt", ">", [RelOp]);
export const Equals = op("Equals", "=");
export const Bang = op("Bang", "!", [UnaryOp]);
export const Amp = op("Amp", "&");
export const Pipe = op("Pipe", "|");
export const Caret = op("Caret", "^");
export const Tilde = op("Tilde", "~", [UnaryOp]);
export const Plus = op("Plus", "+", [AddOp]);
export const Minus = op("Minus", "-", [AddOp, UnaryOp]);
export const Star = op("Star", "*", [MulOp]);
export const Slash = op("Slash", "/", [MulOp]);
export const Percent = op("Percent", "%", [MulOp]);
export const LParen = op("LParen", "(");
export const RParen = op("RParen", ")");
export const LBracket = op("LBracket", "[");
export const RBracket = op("RBracket", "]");
export const LCurly = op("LCurly", "{");
export const RCurly = op("RCurly", "}");
export const Comma = op("Comma", ",");
export const Semi = op("Semi", ";");
export const Colon = op("Colon", ":");
export const Dot = op("Dot", ".");

// --- keywords
const kw = (word: string, categories: TokenType[] = []): TokenType =>
  createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: "`" + word + "`",
    categories,
  });
const soft = (word: string): TokenType => kw(word, [Identifier]);

// Hard keywords: reserved everywhere. The first ten start a declaration.
export const Pack = kw("pack");
export const Use = kw("use");
export const Event = kw("event");
export const Const = kw("const");
export const List = kw("list");
export const Macro = kw("macro");
export const MapKw = createToken({ name: "Map", pattern: /map/, longer_alt: Identifier, label: "`map`" });
export const Link = kw("link");
export const Machine = kw("machine");
export const Sequence = kw("sequence");
export const Table = kw("table");
export const Alert = kw("alert");
export const On = kw("on");
export const When = kw("when");
export const Where = kw("where");
export const For = kw("for");
export const From = kw("from");
export const Within = kw("within");
export const Not = kw("not", [UnaryOp]);
export const In = kw("in");
export const And = kw("and", [AndOp]);
export const Or = kw("or", [OrOp]);
export const True = kw("true");
export const False = kw("false");
export const Null = kw("null");
export const Exists = kw("exists");
export const Do = kw("do");
export const Contains = kw("contains", [RelOp]);
export const Startswith = kw("startswith", [RelOp]);
export const Endswith = kw("endswith", [RelOp]);
export const Glob = kw("glob", [RelOp]);
export const Regex = kw("regex", [RelOp]);

// Soft keywords: meaningful only where the grammar expects them, names everywhere else.
// `to` (of `skip to next`) is soft too though the README list omits it.
export const Per = soft("per");
export const Every = soft("every");
export const Most = soft("most");
export const Past = soft("past");
export const Last = soft("last");
export const Next = soft("next");
export const To = soft("to");
export const Again = kw("again");
export const Split = soft("split");
export const Enters = soft("enters");
export const Stays = soft("stays");
export const Severity = soft("severity");
export const Message = soft("message");
export const Print = soft("print");
export const Log = soft("log");
export const Exec = soft("exec");
export const Snapshot = soft("snapshot");
export const Rotate = soft("rotate");
export const Name = soft("name");
export const Max = soft("max");
export const SizeKw = soft("size");
export const Asc = soft("asc");
export const Desc = soft("desc");
export const Idle = soft("idle");
export const Cap = soft("cap");
export const Skip = soft("skip");
export const Gap = soft("gap");
export const Emit = soft("emit");
export const Segment = soft("segment");
export const Select = soft("select");
export const By = soft("by");
export const Order = soft("order");
export const Limit = soft("limit");
export const As = soft("as");
export const Once = soft("once");
export const After = soft("after");
export const At = soft("at");
export const Enter = soft("enter");
export const Exit = soft("exit");
export const States = soft("states");
export const Keep = soft("keep");

/** The keywords that open a declaration: the points where the top-level loop resynchronises. */
export const DECL_KEYWORDS: readonly TokenType[] = [Pack, Use, Event, Const, List, Macro, MapKw, Machine, Sequence, Table, Alert, Link];

const hardKeywords = [
  ...DECL_KEYWORDS, On, When, Where, For, From, Within, Not, In, And, Or, True, False, Null, Exists, Do,
  Contains, Startswith, Endswith, Glob, Regex, Again,
];
const softKeywords = [
  Per, Every, Most, Past, Last, Next, To, Enters, Stays, Severity, Message, Print, Log, Exec, Snapshot, Rotate,
  Name, Max, SizeKw, Asc, Desc, Idle, Cap, Skip, Gap, Emit, Segment, Select, By, Order, Limit, As, Once, After,
  At, Enter, Exit, States, Keep, Split,
];

/** Every token type in lexing order (classes first: they have no pattern and match nothing). */
export const allTokens: TokenType[] = [
  OrOp, AndOp, EqOp, RelOp, ShiftOp, AddOp, MulOp, UnaryOp, IntLit,
  WhiteSpace, Comment,
  StringLit, UnterminatedString,
  Context, BadContext,
  HexInt, DurationLit, SizeLit, FloatLit, DecInt, BadNumber,
  Arrow, FatArrow, EqEq, NotEq, LtEq, GtEq, Shl, Shr, AmpAmp, PipePipe,
  Lt, Gt, Equals, Bang, Amp, Pipe, Caret, Tilde, Plus, Minus, Star, Slash, Percent,
  LParen, RParen, LBracket, RBracket, LCurly, RCurly, Comma, Semi, Colon, Dot,
  // Longest keyword first: `on` would otherwise claim the start of `once` (its longer_alt is
  // Identifier, so `once` would become a plain name), `enter` the start of `enters`.
  ...[...hardKeywords, ...softKeywords].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
];

/**
 * Builds the lexer. `ensureOptimizations` makes a pattern chevrotain cannot index by first
 * character fail at load time instead of silently slowing every file down. chevrotain's
 * pattern validations cost about 50 ms at every start, so the CLI skips them and a test
 * (test/grammar/grammar-validations.test.ts) runs them with `validate`.
 */
export function buildLexer(validate: boolean): ChevrotainLexer {
  return new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: true, skipValidations: !validate });
}

/** The one lexer, built once. */
export const VglLexer = buildLexer(false);
