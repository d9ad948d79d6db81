/**
 * VMX and SVM exit-reason tables, read once from the data files that ship with the packs
 * (`rules/kvm/data/vmx-exit-reasons.tsv`, `rules/kvm/data/svm-exit-codes.tsv`), so text readers
 * can turn kvm_exit's printed `reason NAME` back into the number LTTng records.
 *
 * Contract: `resolveExitReason(text)` accepts every spelling a text trace can hold — the kernel's
 * names (VMX upper case, SVM lower case, `PF excp` with its space), older kernels' and
 * libtraceevent's spellings (`PENDING_INTERRUPT`, `EXIT_NPF`), VMX flag suffixes
 * (`INVALID_STATE FAILED_VMENTRY`), the hex the kernel prints for a number missing from its table
 * (`0x6`) and the plugin's `UNKNOWN (76)`. Results are memoised per spelling (a trace repeats a few
 * dozen), so the hot path is one map lookup. Names are matched case-sensitively: `HLT` is VMX 12,
 * `hlt` is SVM 0x78. SVM_EXIT_ERR (-1) is reported as the u32 the tracepoint stores (0xffffffff).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../../model/package-root.js";

/** KVM's `isa` values in kvm_exit (arch/x86/kvm/trace.h: KVM_ISA_VMX = 1, KVM_ISA_SVM = 2). */
export const ISA_VMX = 1;
export const ISA_SVM = 2;

/** One row of either table. */
export interface ExitReasonRow {
  code: number;
  name: string;
  aliases: string[];
  doc: string;
}

/** The parsed tables: names (and aliases) → codes, per ISA, plus the VMX flag bits. */
export interface ExitReasonTables {
  vmx: ExitReasonRow[];
  svm: ExitReasonRow[];
  vmxByName: Map<string, number>;
  svmByName: Map<string, number>;
  vmxFlags: Map<string, number>;
  /** code → canonical kernel name */
  vmxNames: Map<number, string>;
  svmNames: Map<number, string>;
}

/** The result of one resolution; `code` is -1 when the text names no known reason. */
export interface ExitReason {
  readonly code: number;
  /** ISA_VMX, ISA_SVM, or 0 when the text does not tell (a bare number, an unknown name). */
  readonly isa: number;
  /** The canonical (kernel) name when known, else the text as printed. */
  readonly name: string;
}

let tables: ExitReasonTables | null = null;
/** Memo per (hint, spelling); bounded so a corrupt trace cannot grow it without limit. */
const memo = new Map<string, ExitReason>();
const MEMO_MAX = 4096;

/** The tables, loaded on first use from the package's `rules/kvm/data/`. */
export function exitReasonTables(): ExitReasonTables {
  if (tables === null) {
    const dir = join(packageRoot(), "rules", "kvm", "data");
    tables = buildTables(readFileSync(join(dir, "vmx-exit-reasons.tsv"), "utf8"), readFileSync(join(dir, "svm-exit-codes.tsv"), "utf8"));
  }
  return tables;
}

/** Parses the two TSV texts (exported for tests and for tools that ship their own copies). */
export function buildTables(vmxTsv: string, svmTsv: string): ExitReasonTables {
  const vmx: ExitReasonRow[] = [];
  const vmxFlags = new Map<string, number>();
  for (const cols of _rows(vmxTsv, "vmx-exit-reasons.tsv")) {
    const [code, name, kind, aliases, , doc] = cols;
    if (kind === "flag") vmxFlags.set(name!, Number(code) >>> 0);
    else vmx.push({ code: Number(code) >>> 0, name: name!, aliases: _list(aliases), doc: doc ?? "" });
  }
  const svm: ExitReasonRow[] = [];
  for (const cols of _rows(svmTsv, "svm-exit-codes.tsv")) {
    const [code, name, aliases, doc] = cols;
    // kvm_exit stores the code in a u32: SVM_EXIT_ERR (-1) reads back as 0xffffffff
    svm.push({ code: Number(code) >>> 0, name: name!, aliases: _list(aliases), doc: doc ?? "" });
  }
  return { vmx, svm, vmxByName: _index(vmx), svmByName: _index(svm), vmxFlags, vmxNames: _names(vmx), svmNames: _names(svm) };
}

/**
 * Resolves the text between `reason ` and ` rip` of a kvm_exit line. `isaHint` (ISA_VMX /
 * ISA_SVM / 0) never overrides a name — names do not collide — but says how to read a bare
 * number. The returned object is shared: do not modify it.
 */
export function resolveExitReason(text: string, isaHint = 0): ExitReason {
  const key = isaHint === 0 ? text : `${isaHint}:${text}`;
  let r = memo.get(key);
  if (r === undefined) {
    r = _resolve(text, isaHint, exitReasonTables());
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(key, r);
  }
  return r;
}

/** The kernel name of `code` for an ISA, or undefined. */
export function exitReasonName(code: number, isa: number): string | undefined {
  return _nameOf(code, isa, exitReasonTables());
}

// --- internal ---

function _resolve(text: string, isaHint: number, t: ExitReasonTables): ExitReason {
  let code = t.vmxByName.get(text);
  if (code !== undefined) return { code, isa: ISA_VMX, name: t.vmxNames.get(code) ?? text };
  code = t.svmByName.get(text);
  if (code !== undefined) return { code, isa: ISA_SVM, name: t.svmNames.get(code) ?? text };
  // VMX flags follow the basic reason, separated by spaces: "INVALID_STATE FAILED_VMENTRY"
  let flags = 0;
  let rest = text.length;
  for (;;) {
    const cut = text.lastIndexOf(" ", rest - 1);
    if (cut <= 0) break;
    const bit = t.vmxFlags.get(text.slice(cut + 1, rest));
    if (bit === undefined) break;
    flags |= bit;
    rest = cut;
    const base = t.vmxByName.get(text.slice(0, rest));
    if (base !== undefined) return { code: (base | flags) >>> 0, isa: ISA_VMX, name: t.vmxNames.get(base) ?? text };
  }
  // a number missing from the kernel's table ("0x6"), or the plugin's "UNKNOWN (76)"
  const num = _number(text);
  if (num >= 0) return { code: num, isa: isaHint, name: _nameOf(num, isaHint, t) ?? text };
  return { code: -1, isa: 0, name: text };
}

function _nameOf(code: number, isa: number, t: ExitReasonTables): string | undefined {
  if (isa === ISA_SVM) return t.svmNames.get(code);
  if (isa === ISA_VMX) return t.vmxNames.get(code & 0xffff);
  return undefined;
}

function _names(rows: ExitReasonRow[]): Map<number, string> {
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** `0x1c` → 28, `28` → 28, `UNKNOWN (28)` → 28; -1 when the text is not a number. */
function _number(text: string): number {
  const m = /^(?:UNKNOWN \((\d+)\)|0x([0-9a-fA-F]+)|(\d+))$/.exec(text);
  if (m === null) return -1;
  if (m[2] !== undefined) return parseInt(m[2], 16);
  return Number(m[1] ?? m[3]);
}

function _rows(tsv: string, file: string): string[][] {
  const out: string[][] = [];
  let header = true;
  for (const line of tsv.split("\n")) {
    if (line.length === 0 || line.startsWith("#")) continue;
    if (header) {
      header = false;
      continue;
    }
    const cols = line.split("\t");
    if (cols.length < 3 || !/^(-1|0x[0-9a-fA-F]+|\d+)$/.test(cols[0]!)) throw new Error(`${file}: bad row "${line}"`);
    out.push(cols);
  }
  return out;
}

function _list(cell: string | undefined): string[] {
  return cell === undefined || cell === "" ? [] : cell.split(",").map((s) => s.trim());
}

function _index(rows: ExitReasonRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    m.set(r.name, r.code);
    for (const a of r.aliases) m.set(a, r.code);
  }
  return m;
}
