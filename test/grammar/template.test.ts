import { describe, expect, it } from "vitest";
import type { Expr } from "../../grammar/ast.js";
import { at, diagnosticsOf, expectReject, parseDecl, tree } from "./helpers.js";

const message = (msg: string) => parseDecl(`alert a when x\n  message ${msg}`, "Alert").spec.message!;

describe("message templates", () => {
  it("splits literal text and holes, holes parsed as expressions", () => {
    const t = message('"vCPU {vcpu[$tid].id} of VM {$pid + 1}"');
    expect(t.parts.map((p) => (typeof p === "string" ? p : tree(p)))).toEqual(["vCPU ", "(. ([] vcpu $tid) id)", " of VM ", "(+ $pid 1)"]);
    expect(at(t)).toBe("2:11-2:50"); // the closing quote is column 49
  });

  it("gives hole expressions spans inside the string", () => {
    const t = message('"vCPU {vcpu[$tid].id} of VM {$pid + 1}"');
    const [, first, , second] = t.parts as [string, Expr, string, Expr];
    expect(at(first)).toBe("2:18-2:31"); // `{` at 17, `vcpu[$tid].id` at 18–30
    expect(at(second)).toBe("2:40-2:48"); // `{` at 39, `$pid + 1` at 40–47
  });

  it("turns {{ and }} into literal braces and applies escapes", () => {
    expect(message('"{{literal}} \\"q\\" {n}\\t"').parts).toEqual(['{literal} "q" ', expect.objectContaining({ kind: "Name", name: "n" }), "\t"]);
  });

  it("allows escaped quotes inside a hole", () => {
    const t = message('"{$comm == \\"qemu\\"}"');
    expect(tree(t.parts[0] as Expr)).toBe('(== $comm "qemu")');
    const braces = message('"{$comm == \\"a}b\\"} done"');
    expect(braces.parts.map((p) => (typeof p === "string" ? p : tree(p)))).toEqual(['(== $comm "a}b")', " done"]);
  });

  it("reports a bad hole at its position inside the string, and keeps the declaration", () => {
    const d = expectReject('alert a when x\n  message "cost {1 +} ns"', "VGL102", 2, 21);
    expect(d.message).toBe("expected an expression, found `}`");
    const extra = expectReject('alert a when x\n  message "x {a b}"', "VGL102", 2, 17);
    expect(extra.message).toBe("unexpected `b` after the end of the expression");
  });

  it("reports unclosed, unmatched and empty braces (VGL107)", () => {
    expect(diagnosticsOf('alert a when x message "a {b"')).toEqual(["VGL107 1:27"]);
    expect(diagnosticsOf('alert a when x message "a } b"')).toEqual(["VGL107 1:27"]);
    expect(diagnosticsOf('alert a when x message "a {} b"')).toEqual(["VGL107 1:27"]);
  });

  it("makes action strings templates too", () => {
    const a = parseDecl('alert a when x do exec ["kill", "-STOP", "{$pid}"]', "Alert").spec.actions[0]!.action;
    expect(a.kind === "ExecAction" && a.argv.map((t) => t.parts.map((p) => (typeof p === "string" ? p : tree(p))))).toEqual([["kill"], ["-STOP"], ["$pid"]]);
  });
});
