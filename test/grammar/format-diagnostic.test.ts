import { describe, expect, it } from "vitest";
import { error } from "../../grammar/diagnostic.js";
import { formatDiagnostic, toJsonDiagnostic } from "../../grammar/format-diagnostic.js";
import { parseVgl } from "../../grammar/parse.js";

describe("formatDiagnostic", () => {
  it("prints the location, the source line and a caret under the span, then the hint", () => {
    const text = "alert a when x\n  severity critcal\n";
    const [d] = parseVgl(text, "rules/a.vgl").diagnostics;
    expect(formatDiagnostic(d!, text)).toBe(
      [
        "rules/a.vgl:2:12: error VGL106: unknown severity `critcal`",
        "  severity critcal",
        "           ^~~~~~~",
        "  hint: did you mean `critical`? (one of debug, info, notice, warning, error, critical)",
      ].join("\n"),
    );
  });

  it("puts a single caret under a one-character span and keeps tabs for alignment", () => {
    const text = "\tconst a = 1 @";
    const [d] = parseVgl(text, "t.vgl").diagnostics;
    expect(formatDiagnostic(d!, text)).toBe(
      ["t.vgl:1:14: error VGL101: unexpected character `@`", "\tconst a = 1 @", "\t            ^", "  hint: remove it, or put it inside a string"].join("\n"),
    );
  });

  it("clips a span that runs past its line to the end of the line", () => {
    const d = error("VGL999", "spans lines", { file: "f", line: 1, col: 3, endLine: 3, endCol: 2 });
    expect(formatDiagnostic(d, "abcdef\nx\ny")).toBe("f:1:3: error VGL999: spans lines\nabcdef\n  ^~~~");
  });
});

describe("toJsonDiagnostic", () => {
  it("flattens the span and folds the hint into the message", () => {
    const d = error("VGL104", "a `by` item needs a name", { file: "f.vgl", line: 3, col: 7, endLine: 3, endCol: 12 }, "add `as NAME`");
    expect(toJsonDiagnostic(d)).toEqual({ file: "f.vgl", line: 3, column: 7, severity: "error", code: "VGL104", message: "a `by` item needs a name; hint: add `as NAME`" });
    expect(toJsonDiagnostic({ ...d, hint: undefined }).message).toBe("a `by` item needs a name");
  });
});
