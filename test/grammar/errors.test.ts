import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseVgl } from "../../grammar/parse.js";
import { REPO } from "../helpers/shared.js";
import { diagnosticsOf } from "./helpers.js";

const fixture = (name: string) => readFileSync(join(REPO, "test/grammar/fixtures", name), "utf8");

describe("error recovery: every mistake of a file, each at its place", () => {
  it("reports the exact diagnostics of many-errors.vgl and keeps what parsed", () => {
    const text = fixture("many-errors.vgl");
    const { ast, diagnostics } = parseVgl(text, "many-errors.vgl");
    expect(diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`)).toEqual([
      "VGL102 5:19 expected an expression, found `macro` on line 6",
      "VGL102 10:15 expected `->` after the transition's events, found `guest`",
      "VGL102 16:29 expected `,` or `}` after a segment field, found `reason`",
      "VGL102 21:3 expected `)` to close the call's arguments, found `order`",
      "VGL106 24:12 unknown severity `urgent`",
      "VGL102 25:46 unexpected `ms` after the end of the expression",
      "VGL101 27:29 unexpected character `@`",
      "VGL102 27:31 expected `,` or `)` after a list item, found `\"vhost\"`",
      "VGL103 28:48 `1.5ns` is not a whole number of nanoseconds",
    ]);
    expect(diagnostics.every((d) => d.span.file === "many-errors.vgl" && d.severity === "error")).toBe(true);
    // Declarations that parsed, or that recovery repaired into a complete AST (the table got
    // its missing `)`), are kept; the const and the sequence are too broken to keep.
    expect(ast.decls.map((d) => `${d.kind} ${"name" in d ? d.name.name : ""}`)).toEqual([
      "Pack kvm.broken", "EventAlias vm_exit", "Macro still_runnable", "Machine vcpu", "Table exits", "Alert slow_exit", "List NAMES",
      "Alert last_one",
    ]);
  });

  it("reports five broken declarations as at least five diagnostics, one per declaration line", () => {
    const text = [
      "const a = (1 + 2",
      "machine m per $tid { states a = a on x -> }",
      "sequence s per $tid { a -> within 1s }",
      "table t from s select",
      "alert x on",
      "const ok = 1",
    ].join("\n");
    const { ast, diagnostics } = parseVgl(text, "five.vgl");
    expect(diagnostics.map((d) => `${d.span.line}:${d.span.col}`)).toEqual(["1:17", "2:43", "3:28", "4:22", "5:11"]);
    expect(ast.decls.map((d) => d.kind)).toEqual(["Const"]);
  });

  it("does not let a sequence's inner alert start a new declaration", () => {
    // A broken step before the sequence's own `alert` is one error, not two.
    expect(diagnosticsOf('sequence s per $tid {\n  a -> -> b\n  alert warning "x"\n}\nconst ok = 1')).toEqual(["VGL102 2:8"]);
  });

  it("resynchronises at a top-level alert after a sequence missing its `}`", () => {
    const { ast, diagnostics } = parseVgl('sequence s per $tid {\n  a -> b within 1s\n  alert warning "x"\nalert a2 when x > 1', "t.vgl");
    expect(diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`)).toEqual([
      "VGL102 3:20 expected `}` to close the sequence's body, found `alert` on line 4",
    ]);
    expect(ast.decls.map((d) => d.kind)).toEqual(["Alert"]);
  });

  it("resynchronises after a machine missing its `}` at the next declaration keyword", () => {
    expect(diagnosticsOf("machine m per $tid {\n  states a = a\nmacro x = 1\nconst y = (")).toEqual(["VGL102 2:15", "VGL102 4:12"]);
  });

  it("never throws, whatever the input", () => {
    const inputs = ["", "}", "{{{{", "alert", "machine", '"', "$", "0x", "table t from", "sequence s per $tid { not", "@@@\n###"];
    for (const text of inputs) expect(() => parseVgl(text, "x.vgl")).not.toThrow();
    expect(parseVgl("", "x.vgl")).toEqual({ ast: { kind: "File", path: "x.vgl", decls: [] }, diagnostics: [] });
  });
});

describe("syntax error wording", () => {
  it("names the missing piece of a declaration head", () => {
    const msg = (text: string) => parseVgl(text, "w.vgl").diagnostics[0]?.message;
    expect(msg("alert on x")).toBe("expected a name for the alert after `alert`, found `on`");
    expect(msg("sequence { a }")).toBe("expected a name for the sequence after `sequence`, found `{`");
    // `per` is a soft keyword, so it can be the name: then the key is what is missing.
    expect(msg("sequence per $tid { a }")).toBe("expected `per` and the sequence's key after its name (`sequence NAME per KEY {`), found `$tid`");
    expect(msg("alert a when x do nothing")).toBe("expected `print`, `log`, `exec`, `snapshot` or `rotate` after `do`, found `nothing`");
    expect(msg("table t s select count")).toBe("expected `from` and the table's source after its name, found `s`");
    expect(msg("const a = 1\n  )")).toBe("unexpected `)` after the end of the declaration");
  });
});
