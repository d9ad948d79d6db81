import { describe, expect, it } from "vitest";
import { at, expectReject, parseDecl, parseOk, tree } from "./helpers.js";

describe("pack, use, event, const, list, macro", () => {
  it("parses a pack with a dotted name and a doc string", () => {
    const p = parseDecl('pack kvm.vcpu "vCPU state"', "Pack");
    expect(p.name).toEqual({ name: "kvm.vcpu", span: { file: "test.vgl", line: 1, col: 6, endLine: 1, endCol: 14 } });
    expect(p.doc).toBe("vCPU state");
    expect(parseDecl("pack sched", "Pack").doc).toBeNull();
  });

  it("parses use of a built-in pack and of a file", () => {
    expect(parseDecl("use kvm.tables", "Use").target).toEqual({ pack: "kvm.tables" });
    expect(parseDecl('use "./common.vgl"', "Use").target).toEqual({ path: "./common.vgl" });
  });

  it("parses an event alias with several tracer spellings", () => {
    const e = parseDecl("event vm_exit = kvm_x86_exit | kvm_exit", "EventAlias");
    expect(e.name.name).toBe("vm_exit");
    expect(e.events.map((i) => i.name)).toEqual(["kvm_x86_exit", "kvm_exit"]);
    expect(at(e)).toBe("1:1-1:40");
  });

  it("parses const, list and macro", () => {
    const c = parseDecl("const LIMIT = 64KiB * 2", "Const");
    expect(tree(c.value)).toBe("(* 65536B 2)");
    const l = parseDecl('list QEMU = ("qemu-kvm", "qemu-system-x86_64")', "List");
    expect(l.items.map(tree)).toEqual(['"qemu-kvm"', '"qemu-system-x86_64"']);
    const m = parseDecl("macro still_runnable = (prev_state & 0xff) == 0", "Macro");
    expect(tree(m.body)).toBe("(== (paren (& prev_state 255)) 0)");
  });

  it("allows soft keywords as declaration and field names", () => {
    const ast = parseOk("const max = 1\nmacro size = name + last\nevent select = order | limit");
    expect(ast.decls.map((d) => d.kind)).toEqual(["Const", "Macro", "EventAlias"]);
  });

  it("sets the file path and one span per declaration", () => {
    const ast = parseOk("const a = 1\n\n  const b = 2 # trailing comment\n");
    expect(ast.path).toBe("test.vgl");
    expect(ast.decls.map(at)).toEqual(["1:1-1:12", "3:3-3:14"]);
  });

  it("rejects junk before the first declaration and still parses the rest", () => {
    const d = expectReject("foo bar\nconst a = 1", "VGL102", 1, 1);
    expect(d.message).toContain("expected a declaration");
    expect(d.message).toContain("found `foo`");
  });
});
