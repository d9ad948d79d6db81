import { describe, expect, it } from "vitest";
import { VglLexer } from "../../grammar/tokens.js";
import { diagnosticsOf, expectReject } from "./helpers.js";

/** `Type:image` for every parser token of `text`. */
function lex(text: string): string[] {
  return VglLexer.tokenize(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe("lexer", () => {
  it("lexes durations, sizes, hex and floats before plain integers", () => {
    expect(lex("10ms 1.5s 5min 2h 250us 7ns 64KiB 3MB 1B 0x1F 0XfF 1.25 42")).toEqual([
      "DurationLit:10ms", "DurationLit:1.5s", "DurationLit:5min", "DurationLit:2h", "DurationLit:250us", "DurationLit:7ns",
      "SizeLit:64KiB", "SizeLit:3MB", "SizeLit:1B", "HexInt:0x1F", "HexInt:0XfF", "FloatLit:1.25", "DecInt:42",
    ]);
  });

  it("lexes two-character operators before their one-character prefixes", () => {
    expect(lex("-> => <= >= << >> == != && || < > = ! & | ^ ~ - + * / %").map((t) => t.split(":")[0])).toEqual([
      "Arrow", "FatArrow", "LtEq", "GtEq", "Shl", "Shr", "EqEq", "NotEq", "AmpAmp", "PipePipe",
      "Lt", "Gt", "Equals", "Bang", "Amp", "Pipe", "Caret", "Tilde", "Minus", "Plus", "Star", "Slash", "Percent",
    ]);
    expect(lex("a->b")).toEqual(["Identifier:a", "Arrow:->", "Identifier:b"]);
  });

  it("keeps keywords that prefix a longer word as names, and longer keywords whole", () => {
    expect(lex("in index on once onward enter enters or order")).toEqual([
      "In:in", "Identifier:index", "On:on", "Once:once", "Identifier:onward", "Enter:enter", "Enters:enters", "Or:or", "Order:order",
    ]);
  });

  it("lexes context variables and skips both comment styles", () => {
    expect(lex("$tid $pid $ppid $comm # a comment\n$cpu // another\n$host $ts $name")).toEqual([
      "Context:$tid", "Context:$pid", "Context:$ppid", "Context:$comm", "Context:$cpu", "Context:$host", "Context:$ts", "Context:$name",
    ]);
  });

  it("tracks 1-based lines and columns", () => {
    const t = VglLexer.tokenize("a\n  bc").tokens[1]!;
    expect([t.startLine, t.startColumn, t.endColumn]).toEqual([2, 3, 4]);
  });
});

describe("lexing diagnostics (VGL101)", () => {
  it("reports an unknown character with its position and keeps lexing", () => {
    const d = expectReject("const a = 1 @ 2\nconst b = 2 §", "VGL101", 1, 13);
    expect(d.message).toBe("unexpected character `@`");
    expectReject("const a = 1 @ 2\nconst b = 2 §", "VGL101", 2, 13);
  });

  it("names a malformed number, a bad unit and an unknown context variable", () => {
    expect(expectReject("const a = 10mb", "VGL101", 1, 11).message).toBe("`10mb` is not a number, duration or size");
    expect(expectReject("const a = 0x1G", "VGL101", 1, 11).message).toContain("`0x1G`");
    expect(expectReject("const a = $foo", "VGL101", 1, 11).message).toBe("unknown context variable `$foo`");
  });

  it("reports an unterminated string and a bad escape", () => {
    expectReject('pack p "no end\nconst a = 1', "VGL101", 1, 8);
    expect(expectReject('const a = "x\\qy"', "VGL101", 1, 13).message).toBe("unknown escape `\\q` in a string");
  });

  it("does not report valid soft keywords used as names", () => {
    expect(diagnosticsOf("const size = max + name * order - select")).toEqual([]);
  });
});
