/**
 * The CLI builds its lexer and parser without chevrotain's definition validations (they cost
 * about 150 ms at every start); this test runs them, so a grammar change that makes a token
 * pattern invalid or an alternative ambiguous still fails here.
 */
import { describe, expect, it } from "vitest";
import { VglParser } from "../../grammar/parser.js";
import { buildLexer } from "../../grammar/tokens.js";

describe("grammar definition", () => {
  it("passes chevrotain's lexer validations", () => {
    expect(buildLexer(true).lexerDefinitionErrors).toEqual([]);
  });

  it("passes chevrotain's parser validations", () => {
    expect(new VglParser(true).definitionErrors).toEqual([]);
  });
});
