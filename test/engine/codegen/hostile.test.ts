/**
 * Generated code never embeds user text: strings, regexes and names that look like code are
 * data. Hostile rule text compiles, runs, and executes nothing.
 */
import { describe, expect, it } from "vitest";
import { compileOk, ev, runRules } from "../../helpers/run-rules.js";

const HOSTILE_STRINGS = [
  '"); globalThis.__vigil_pwned = 1; ("',
  "`${globalThis.__vigil_pwned = 2}`",
  "*/ globalThis.__vigil_pwned = 3; /*",
  "\\u0022); globalThis.__vigil_pwned = 4; //",
  "\n}); globalThis.__vigil_pwned = 5; (function(){\n",
];

function lit(s: string): string {
  return JSON.stringify(s); // the language's string escapes are a subset of JSON's
}

describe("injection-proof code generation", () => {
  it("strings, templates, regexes and globs are passed as data", async () => {
    const g = globalThis as { __vigil_pwned?: number };
    delete g.__vigil_pwned;
    const rules = HOSTILE_STRINGS.map((s, i) => `
alert a${i} on e where comm == ${lit(s)} || comm contains ${lit(s)} || comm glob ${lit(s)} || comm regex ${lit(s.replace(/[()*`$\\[\]{}+?.|^/]/g, "\\$&"))}
  message ${lit(s.replace(/[{}]/g, ""))}`).join("\n");
    const r = await runRules(rules, HOSTILE_STRINGS.map((s, i) => ev(i, "e", { comm: s })));
    expect(g.__vigil_pwned).toBeUndefined();
    // each rule matched its own event and its message is the hostile text, verbatim
    expect(r.alerts.map((a) => a.rule)).toEqual(HOSTILE_STRINGS.map((_, i) => `a${i}`));
    expect(r.alerts.map((a) => a.message)).toEqual(HOSTILE_STRINGS.map((s) => s.replace(/[{}]/g, "")));
  });

  it("names that reach Object.prototype are read as own properties only", async () => {
    const r = await runRules(`alert p on e where exists constructor || __proto__ != null || toString == 1`, [ev(1, "e", {})]);
    expect(r.alerts).toEqual([]);
  });

  it("no user text appears in the generated source outside the constant pool", () => {
    const marker = "ZZ_hostile_marker_ZZ";
    const out = compileOk(`alert x on e where comm == "${marker}" message "${marker} {comm}"`, "evil*/ globalThis.x = 1; /*.vgl");
    expect(out.program!.source).not.toContain(marker);
    expect(out.program!.source).not.toContain("evil*/");
    expect(out.program!.constants).toContain(marker);
  });

  it("is deterministic: the same unit gives the same source", () => {
    const text = `machine m per $tid { states a, b = a  on x -> b }\nsequence s per $tid { x -> y within 1ms emit segment { n: 1 } }`;
    expect(compileOk(text).program!.source).toBe(compileOk(text).program!.source);
  });
});
