import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseVgl } from "../../grammar/parse.js";
import { REPO } from "../helpers/shared.js";

const SKETCH = readFileSync(join(REPO, "test/grammar/fixtures/design-sketch.vgl"), "utf8");

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sketch with a few words deleted, duplicated or swapped for punctuation. */
function mutate(seed: number): string {
  const rand = rng(seed);
  const words = SKETCH.split(/(\s+)/);
  const junk = ["{", "}", "(", ")", "->", "=>", "\"", "{x", "@", "0x", "1.5ns", "alert", "not", ",", "$"];
  for (let n = 0; n < 4; n++) {
    const i = Math.floor(rand() * words.length);
    const r = rand();
    if (r < 0.4) words[i] = "";
    else if (r < 0.7) words[i] = junk[Math.floor(rand() * junk.length)]!;
    else words[i] = `${words[i]} ${words[i]}`;
  }
  return words.join("");
}

describe("robustness", () => {
  it("never throws on mutated input and always locates diagnostics inside the text", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const text = mutate(seed);
      const lines = text.split("\n");
      const { ast, diagnostics } = parseVgl(text, "m.vgl");
      for (const d of diagnostics) {
        const where = `seed ${seed}: ${d.code} ${d.span.line}:${d.span.col} ${d.message}`;
        expect(Number.isInteger(d.span.line) && d.span.line >= 1 && d.span.line <= lines.length, where).toBe(true);
        expect(Number.isInteger(d.span.col) && d.span.col >= 1 && d.span.col <= lines[d.span.line - 1]!.length + 1, where).toBe(true);
        expect(d.message, where).not.toMatch(/undefined|NaN|-->|Expecting/);
      }
      // Every kept declaration has a real span too.
      for (const decl of ast.decls) expect(Number.isInteger(decl.span.line) && Number.isInteger(decl.span.endCol), `seed ${seed}`).toBe(true);
    }
  });
});
