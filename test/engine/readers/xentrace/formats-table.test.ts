/**
 * Vigil's record table (`rules/xen/data/xentrace-formats.tsv`) against the documented formats
 * (`../shared/reference/xentrace-formats.txt`, Xen's tools/xentrace/formats) and against the
 * record sizes of a real trace. Each departure from the formats file is listed here with its
 * reason, so a change to either side shows up.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RecordDecoder } from "../../../../engine/readers/xentrace/decode-records.js";
import { loadRecordTable, parseRecordTable, RecordTableError, type XenRecordSpec } from "../../../../engine/readers/xentrace/record-table.js";
import { sharedPath } from "../../../helpers/shared.js";
import { parseRawReads, runXenalyze } from "./xenalyze.js";

const table = loadRecordTable();
const STATES = ["running", "runnable", "blocked", "offline"];

/** id → name and the extra words (0-based) its format prints, from the formats file. */
function documented(): Map<number, { name: string; words: Set<number> }> {
  const out = new Map<number, { name: string; words: Set<number> }>();
  for (const line of readFileSync(sharedPath("reference", "xentrace-formats.txt"), "utf8").split("\n")) {
    const m = /^0x([0-9a-fA-F]{8})\s+CPU%\(cpu\)d\s+%\(tsc\)d \(\+%\(reltsc\)8d\)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const id = Number.parseInt(m[1]!, 16);
    const rest = m[2]!;
    // The name runs to the "[" of the field list, or to the first printf conversion.
    const name = rest.split(/\[|\s\S*%/)[0]!.trim();
    const words = new Set([...rest.matchAll(/%\((\d+)\)/g)].map((w) => Number(w[1]) - 1));
    if (id !== 0) out.set(id, { name, words });
  }
  return out;
}

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");

/** Words a row reads (0-based). */
const wordsOf = (spec: XenRecordSpec) =>
  new Set(spec.fields.flatMap((f) => (f.read.kind === "const" ? [] : f.read.kind === "u64" ? [f.read.word, f.read.word + 1] : [f.read.word])));

/** Names Vigil spells differently from the formats file, and why. */
const RENAMED: Record<number, string> = {
  0x0002220f: "csched2_migrate", // formats misspells it "migrrate"
  0x0020100d: "hypercall_v2", // formats calls both hypercall records "hypercall"; the v2 layout differs
  0x0020200e: "hypercall_subcall",
};

/**
 * credit2 ids the formats file puts one lower than the hypervisor (it predates
 * TRC_CSCHED2_PICKED_CPU = 19 in xen/common/sched/credit2.c); xenalyze and the real trace follow
 * the hypervisor: e.g. 0x22214 carries {dom:vcpu, tickled_cpu, credit}, a runq_candidate.
 */
const SHIFTED = [0x22213, 0x22214, 0x22215, 0x22216, 0x22217];

describe("xentrace record table", () => {
  const docs = documented();

  it("has a row for every documented record (credit2's shifted ids aside)", () => {
    const missing = [...docs.keys()].filter((id) => !table.has(id) && !(id === 0x22212 && table.has(0x22213)));
    expect(missing.map((id) => id.toString(16))).toEqual([]);
    expect(docs.size).toBeGreaterThan(190);
  });

  it("names each record as the formats file does, as an identifier", () => {
    const wrong: string[] = [];
    for (const [id, spec] of table) {
      const doc = docs.get(SHIFTED.includes(id) ? id - 1 : id);
      if (doc === undefined) continue;
      const want = RENAMED[id] ?? normalize(doc.name);
      if (spec.name === "runstate_change") {
        // One event for all twelve: the formats name is "<old>_to_<new>", here two fields.
        const state = (n: string) => STATES[(spec.fields.find((f) => f.name === n)!.read as { value: number }).value];
        if (`${state("old_state")}_to_${state("new_state")}` !== doc.name) wrong.push(`${id.toString(16)}: states do not match ${doc.name}`);
        continue;
      }
      if (spec.name !== want) wrong.push(`${id.toString(16)}: ${spec.name}, formats says ${doc.name} (${want})`);
    }
    expect(wrong).toEqual([]);
  });

  it("decodes at least every word the formats file prints", () => {
    const short: string[] = [];
    for (const [id, spec] of table) {
      const doc = docs.get(SHIFTED.includes(id) ? id - 1 : id);
      if (doc === undefined) continue;
      const mine = wordsOf(spec);
      // wrap_buffer's words are padding the hypervisor writes to fill the ring: nothing to decode.
      const lacking = id === 0x1f002 ? [] : [...doc.words].filter((w) => !mine.has(w));
      if (lacking.length > 0) short.push(`${id.toString(16)} ${spec.name}: words ${lacking.join(",")} not decoded`);
    }
    expect(short).toEqual([]);
  });

  it("matches the record sizes of a real trace, id by id", () => {
    const raw = parseRawReads(runXenalyze(["--dump-raw-reads", "--dump-no-processing", sharedPath("traces", "xentrace-parser-rs-example", "xentrace.bin")]));
    const sizes = new Map<number, Set<number>>();
    for (const r of raw) sizes.set(r.id, (sizes.get(r.id) ?? new Set()).add(r.words.length));
    // Records that legitimately differ from their row: padding words and optional data.
    const allowed: Record<number, string> = {
      0x1f002: "wrap_buffer pads with any number of words",
      0x2220c: "csched2_updt_runq_load ends with a u32 of padding",
      0x82016: "ioport_read has no data word when the data goes through memory",
      0x82216: "ioport_write likewise",
    };
    const off: string[] = [];
    for (const [id, ns] of sizes) {
      const spec = table.get(id);
      expect(spec, `id ${id.toString(16)} seen in the trace`).toBeDefined();
      const want = Math.max(-1, ...wordsOf(spec!)) + 1;
      for (const n of ns) if (n !== want && allowed[id] === undefined) off.push(`${id.toString(16)} ${spec!.name}: ${n} words, table reads ${want}`);
    }
    expect(off).toEqual([]);
  });

  it("declares one schema class per name, with the fields of all its variants", () => {
    const schema = RecordDecoder.schemaOf(table);
    const byName = new Map(schema.map((s) => [s.name, s]));
    expect(byName.get("vmexit")!.fields).toEqual([
      { name: "exit_reason", type: "uint" },
      { name: "rip", type: "uint" },
    ]);
    expect(byName.get("runstate_change")!.fields.map((f) => f.name)).toEqual(["domain", "vcpu", "old_state", "new_state"]);
    expect(byName.get("csched2_credit_burn")!.fields.find((f) => f.name === "credit")!.type).toBe("int");
    expect(byName.has("cpu_change") || byName.has("wrap_buffer") || byName.has("lost_records")).toBe(false);
    expect(new Set(schema.map((s) => s.name)).size).toBe(schema.length);
  });
});

describe("record table parser", () => {
  const row = (cols: string) => `# header\n\n${cols}\n`;
  const fails = (text: string, line: number, what: RegExp) => {
    let err: unknown;
    try {
      parseRecordTable(text, "t.tsv");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RecordTableError);
    expect((err as RecordTableError).line).toBe(line);
    expect((err as Error).message).toMatch(what);
    expect((err as Error).message.startsWith(`t.tsv:${line}: `)).toBe(true);
  };

  it("reads every field kind", () => {
    const [spec] = parseRecordTable(row("0x00081102\tvmexit\treason=0 rip=1:u64 s=3:i32 b=4:big32 hi=5:hi16 lo=5:lo16 mid=6:bits(4,8) k=#3\tdoc"), "t.tsv");
    expect(spec!.id).toBe(0x81102);
    expect(spec!.line).toBe(3);
    expect(spec!.fields.map((f) => [f.name, f.read])).toEqual([
      ["reason", { kind: "u32", word: 0 }],
      ["rip", { kind: "u64", word: 1 }],
      ["s", { kind: "i32", word: 3 }],
      ["b", { kind: "big32", word: 4 }],
      ["hi", { kind: "bits", word: 5, lo: 16, len: 16 }],
      ["lo", { kind: "bits", word: 5, lo: 0, len: 16 }],
      ["mid", { kind: "bits", word: 6, lo: 4, len: 8 }],
      ["k", { kind: "const", value: 3 }],
    ]);
  });

  it("rejects bad rows with the file and line", () => {
    fails(row("0x1\ta\t-"), 3, /4 tab-separated columns/);
    fails(row("21011\ta\t-\tdoc"), 3, /bad event id/);
    fails(row("0x10000000\ta\t-\tdoc"), 3, /28-bit/);
    fails(row("0x1\tBad-Name\t-\tdoc"), 3, /bad event name/);
    fails(row("0x1\ta\tx=7\tdoc"), 3, /at most 7 extra words/);
    fails(row("0x1\ta\tx=6:u64\tdoc"), 3, /at most 7 extra words/);
    fails(row("0x1\ta\tx=0:bits(30,4)\tdoc"), 3, /does not fit/);
    fails(row("0x1\ta\tx=0:f32\tdoc"), 3, /bad field "x=0:f32"/);
    fails(row("0x1\ta\tx=0 x=1\tdoc"), 3, /appears twice/);
    fails(row("0x1\ta\t-\t "), 3, /doc string/);
    fails(row("0x1\ta\t-\tdoc\n0x1\tb\t-\tdoc"), 4, /listed twice/);
  });
});
