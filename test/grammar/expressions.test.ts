import { describe, expect, it } from "vitest";
import { parseExpression } from "../../grammar/parse.js";
import { at, FILE, parseExprOk, tree } from "./helpers.js";

const t = (text: string) => tree(parseExprOk(text));

describe("expression precedence (C rules)", () => {
  it("binds && tighter than ||, in both spellings", () => {
    expect(t("a || b && c")).toBe("(|| a (&& b c))");
    expect(t("a or b and c")).toBe("(|| a (&& b c))");
    expect(t("a && b || c")).toBe("(|| (&& a b) c)");
  });

  it("binds == tighter than &, as C does", () => {
    expect(t("a & 0xff == 0")).toBe("(& a (== 255 0))");
    expect(t("(a & 0xff) == 0")).toBe("(== (paren (& a 255)) 0)");
  });

  it("orders the bit operators | ^ & and the shifts", () => {
    expect(t("a | b ^ c & d")).toBe("(| a (^ b (& c d)))");
    expect(t("1 << 2 + 3")).toBe("(<< 1 (+ 2 3))");
    expect(t("a < b << 1")).toBe("(< a (<< b 1))");
  });

  it("does arithmetic with * before + and left associativity", () => {
    expect(t("1 + 2 * 3")).toBe("(+ 1 (* 2 3))");
    expect(t("10 - 4 - 3")).toBe("(- (- 10 4) 3)");
    expect(t("a / b % c * d")).toBe("(* (% (/ a b) c) d)");
  });

  it("applies unary operators before binary ones, nested", () => {
    expect(t("-a * b")).toBe("(* (- a) b)");
    expect(t("!a && ~b")).toBe("(&& (! a) (~ b))");
    expect(t("not not a")).toBe("(! (! a))");
    expect(t("- -1")).toBe("(- (- 1))");
  });

  it("parses relations, string operators and equality at their levels", () => {
    expect(t('$comm startswith "qemu" && name contains "x" || f glob "*.c"')).toBe(
      '(|| (&& (startswith $comm "qemu") (contains name "x")) (glob f "*.c"))',
    );
    expect(t('a >= 1 == b regex "^x"')).toBe('(== (>= a 1) (regex b "^x"))');
    expect(t("a endswith b")).toBe("(endswith a b)");
  });

  it("parses in and not in with lists and list names", () => {
    expect(t("reason in (1, 2, 3)")).toBe("(in reason [1 2 3])");
    expect(t("$comm not in QEMU_NAMES")).toBe("(not-in $comm QEMU_NAMES)");
    expect(t("a + 1 in (2) && b")).toBe("(&& (in (+ a 1) [2]) b)");
    const e = parseExprOk("x not in L");
    expect(e).toMatchObject({ kind: "In", negated: true, list: { listName: "L" } });
  });

  it("chains member, index and call suffixes left to right", () => {
    expect(t("vcpu[$tid].id")).toBe("(. ([] vcpu $tid) id)");
    expect(t("x.$pid")).toBe("(. x $pid)");
    expect(t("vmx_name(x.exit_reason)")).toBe("(call vmx_name (. x exit_reason))");
    expect(t("VMX.name(1, 2)[0]")).toBe("([] (call VMX.name 1 2) 0)");
    expect(t("f()")).toBe("(call f)");
    expect(t("exists guest_rip")).toBe("(exists guest_rip)");
  });

  it("gives every node an exact span", () => {
    const e = parseExprOk("a + vcpu[$tid].id");
    expect(at(e)).toBe("1:1-1:18");
    if (e.kind !== "Binary") throw new Error("expected a binary expression");
    expect(at(e.right)).toBe("1:5-1:18");
    const member = parseExprOk("x.$pid");
    expect(member).toMatchObject({ kind: "Member", property: "$pid" });
    expect(at(member)).toBe("1:1-1:7");
    expect(at(parseExprOk("(1 +\n 2)"))).toBe("1:1-2:4");
  });

  it("reports a syntax error without throwing and returns no expression", () => {
    const r = parseExpression("a + * b", FILE);
    expect(r.expr).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.span.col, d.message])).toEqual([["VGL102", 5, "expected an expression, found `*`"]]);
  });

  it("rejects calling something that is not a name", () => {
    const r = parseExpression("(a)(1)", FILE);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["VGL102"]);
  });
});
