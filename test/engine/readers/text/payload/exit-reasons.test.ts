/**
 * The project's VMX/SVM exit-reason tables (rules/kvm/data) against the shared reference TSVs,
 * and the resolution of every spelling a text trace can print.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ISA_SVM, ISA_VMX, exitReasonTables, resolveExitReason } from "../../../../../engine/readers/text/payload/exit-reasons.js";
import { join } from "node:path";
import { REPO, sharedPath } from "../../../../helpers/shared.js";

function tsvRows(path: string): string[][] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .slice(1)
    .map((l) => l.split("\t"));
}

describe("exit-reason tables", () => {
  it("VMX: the same code for every name the reference lists, and the kernel-printed flag agrees", () => {
    const t = exitReasonTables();
    const ref = tsvRows(sharedPath("reference/vmx_exit_reasons.tsv"));
    expect(ref.length).toBeGreaterThan(60);
    for (const [code, , name, printed] of ref) {
      expect({ name, code: t.vmxByName.get(name!) }).toEqual({ name, code: Number(code) });
      const ours = readFileSync(join(REPO, "rules/kvm/data/vmx-exit-reasons.tsv"), "utf8").split("\n").find((l) => l.split("\t")[1] === name)!;
      expect({ name, printed: ours.split("\t")[4] }).toEqual({ name, printed });
    }
    // and nothing of ours the kernel prints is missing from the reference
    const refNames = new Set(ref.map((r) => r[2]));
    expect(t.vmx.filter((r) => !refNames.has(r.name)).map((r) => r.name)).toEqual(["IO_SMI", "GETSEC", "RSM"]);
  });

  it("SVM: the same code for every name the reference lists (its `PF_excp` is the kernel's `PF excp`)", () => {
    const t = exitReasonTables();
    const ref = tsvRows(sharedPath("reference/svm_exit_codes.tsv"));
    expect(ref.length).toBeGreaterThan(100);
    for (const [, dec, name] of ref) {
      const kernelName = name!.replace(/^([A-Z]{2})_excp$/, "$1 excp");
      expect({ name, code: t.svmByName.get(kernelName) }).toEqual({ name, code: Number(BigInt.asUintN(32, BigInt(dec!))) });
    }
  });

  it("every row has a doc string", () => {
    const t = exitReasonTables();
    for (const r of [...t.vmx, ...t.svm]) expect(r.doc.length, r.name).toBeGreaterThan(5);
  });
});

describe("resolveExitReason", () => {
  it.each([
    ["HLT", 12, ISA_VMX, "HLT"],
    ["EPT_VIOLATION", 48, ISA_VMX, "EPT_VIOLATION"],
    ["PENDING_INTERRUPT", 7, ISA_VMX, "INTERRUPT_WINDOW"], // before Linux 5.7, and libtraceevent
    ["INVALID_STATE FAILED_VMENTRY", 0x80000021, ISA_VMX, "INVALID_STATE"],
    ["hlt", 0x78, ISA_SVM, "hlt"],
    ["npf", 0x400, ISA_SVM, "npf"],
    ["PF excp", 0x4e, ISA_SVM, "PF excp"],
    ["idle-halt", 0xa6, ISA_SVM, "idle-halt"],
    ["EXIT_NPF", 0x400, ISA_SVM, "npf"], // libtraceevent's kvm plugin
    ["EXIT_IOIO", 0x7b, ISA_SVM, "io"],
    ["invalid_guest_state", 0xffffffff, ISA_SVM, "invalid_guest_state"],
    ["0x6", 6, 0, "0x6"], // OTHER_SMI: defined but not in the kernel's table, printed as hex
    ["UNKNOWN (76)", 76, 0, "UNKNOWN (76)"],
  ])("%s → %d", (text, code, isa, name) => {
    expect(resolveExitReason(text)).toEqual({ code, isa, name });
  });

  it("a bare number takes its name from the ISA hint", () => {
    expect(resolveExitReason("0x30", ISA_VMX)).toEqual({ code: 48, isa: ISA_VMX, name: "EPT_VIOLATION" });
    expect(resolveExitReason("0x78", ISA_SVM)).toEqual({ code: 0x78, isa: ISA_SVM, name: "hlt" });
  });

  it("an unknown name is -1 and keeps its text", () => {
    expect(resolveExitReason("WARP_DRIVE")).toEqual({ code: -1, isa: 0, name: "WARP_DRIVE" });
    expect(resolveExitReason("hlt FAILED_VMENTRY").code).toBe(-1); // flags are VMX-only
  });

  it("maps every VM-EXIT name of the real perf kvm stat reports (LKML 2019)", () => {
    const text = readFileSync(sharedPath("traces/kvm-text-snippets/perf-kvm-stat-report-lkml-2019.txt"), "utf8");
    const names = [...text.matchAll(/^\s+([A-Z_]+)\s+\d+\s+[\d.]+%/gm)].map((m) => m[1]!);
    expect(new Set(names).size).toBe(11);
    for (const n of names) expect({ n, ok: resolveExitReason(n).code >= 0 && resolveExitReason(n).isa === ISA_VMX }).toEqual({ n, ok: true });
  });
});
