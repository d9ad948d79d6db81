/**
 * The xentrace record table: which event ids Vigil names and how their extra words become
 * fields, read from the data file `rules/xen/data/xentrace-formats.tsv` (format described in
 * its header). The table is data so that a new hypervisor record is one line, not code.
 *
 * Contract: `parseRecordTable` returns every row or throws a `RecordTableError` naming the
 * file and line of the first bad row (the table ships with Vigil, so a bad row is a bug to
 * fix, not input to tolerate). Field names are validated identifiers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../model/package-root.js";

/** How one field is read from the record's extra words. */
export type XenFieldKind =
  | { kind: "u32"; word: number }
  | { kind: "i32"; word: number }
  /** `word` low, `word + 1` high, as a bigint. */
  | { kind: "u64"; word: number }
  /** One word as a bigint, so a 32-bit variant keeps the type of its 64-bit twin. */
  | { kind: "big32"; word: number }
  /** Bits `lo .. lo+len-1` of the word (hi16 = bits(16,16), lo16 = bits(0,16)). */
  | { kind: "bits"; word: number; lo: number; len: number }
  /** A constant taken from the event id (runstate changes carry old/new state in the id). */
  | { kind: "const"; value: number };

export interface XenFieldSpec {
  name: string;
  read: XenFieldKind;
}

/** One row of the table: one event id. */
export interface XenRecordSpec {
  id: number;
  name: string;
  fields: XenFieldSpec[];
  doc: string;
  /** 1-based line in the table file, for messages. */
  line: number;
}

/** A bad row in the record table. */
export class RecordTableError extends Error {
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = "RecordTableError";
  }
}

/** Where the table ships: `rules/xen/data/xentrace-formats.tsv` under the package root. */
export function defaultRecordTablePath(): string {
  return join(packageRoot(), "rules", "xen", "data", "xentrace-formats.tsv");
}

const cache = new Map<string, Map<number, XenRecordSpec>>();

/** The table at `path` (default: the shipped one), keyed by event id; parsed once per path. */
export function loadRecordTable(path: string = defaultRecordTablePath()): Map<number, XenRecordSpec> {
  let table = cache.get(path);
  if (table === undefined) {
    table = new Map(parseRecordTable(readFileSync(path, "utf8"), path).map((r) => [r.id, r]));
    cache.set(path, table);
  }
  return table;
}

/** Parses the TSV text; `file` is used in error messages only. */
export function parseRecordTable(text: string, file: string): XenRecordSpec[] {
  const rows: XenRecordSpec[] = [];
  const seen = new Set<number>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const s = raw.replace(/\r$/, "");
    if (s.trim() === "" || s.startsWith("#")) return;
    const cols = s.split("\t");
    if (cols.length !== 4) throw new RecordTableError(file, line, `expected 4 tab-separated columns (id, name, fields, doc), found ${cols.length}`);
    const [idText, name, fieldText, doc] = cols as [string, string, string, string];
    const id = /^0x[0-9a-fA-F]{1,8}$/.test(idText) ? Number.parseInt(idText.slice(2), 16) : -1;
    if (id < 0 || id > 0x0fffffff) throw new RecordTableError(file, line, `bad event id "${idText}": expected a 28-bit hex id like 0x00021011`);
    if (seen.has(id)) throw new RecordTableError(file, line, `event id ${idText} is listed twice`);
    seen.add(id);
    if (!IDENT.test(name)) throw new RecordTableError(file, line, `bad event name "${name}": use lower-case letters, digits and _`);
    const fields = fieldText === "-" ? [] : fieldText.split(" ").filter((f) => f !== "").map((f) => _parseField(f, file, line));
    const names = new Set<string>();
    for (const f of fields) {
      if (names.has(f.name)) throw new RecordTableError(file, line, `field "${f.name}" appears twice`);
      names.add(f.name);
    }
    if (doc.trim() === "") throw new RecordTableError(file, line, "every row needs a doc string");
    rows.push({ id, name, fields, doc, line });
  });
  return rows;
}

/** Highest extra word a spec reads (−1 when it reads none): the record size it expects. */
export function wordsRead(spec: XenRecordSpec): number {
  let max = -1;
  for (const f of spec.fields) {
    const r = f.read;
    if (r.kind === "const") continue;
    max = Math.max(max, r.kind === "u64" ? r.word + 1 : r.word);
  }
  return max;
}

// --- internal ---

const IDENT = /^[a-z_][a-z0-9_]*$/;
const FIELD = /^([a-z_][a-z0-9_]*)=(?:#(\d+)|(\d)(?::(u32|i32|u64|big32|hi16|lo16|bits\((\d+),(\d+)\)))?)$/;

function _parseField(text: string, file: string, line: number): XenFieldSpec {
  const m = FIELD.exec(text);
  if (m === null) throw new RecordTableError(file, line, `bad field "${text}": expected NAME=WORD[:TYPE] or NAME=#VALUE`);
  const name = m[1]!;
  if (m[2] !== undefined) return { name, read: { kind: "const", value: Number(m[2]) } };
  const word = Number(m[3]);
  const type = m[4] ?? "u32";
  const lastWord = type === "u64" ? word + 1 : word;
  // t_rec has at most 7 extra words (TRACE_EXTRA_MAX).
  if (lastWord > 6) throw new RecordTableError(file, line, `field "${name}" reads word ${lastWord}: records have at most 7 extra words (0..6)`);
  switch (type) {
    case "u32":
    case "i32":
    case "u64":
    case "big32":
      return { name, read: { kind: type, word } };
    case "hi16":
      return { name, read: { kind: "bits", word, lo: 16, len: 16 } };
    case "lo16":
      return { name, read: { kind: "bits", word, lo: 0, len: 16 } };
    default: {
      const lo = Number(m[5]);
      const len = Number(m[6]);
      if (len < 1 || lo + len > 32) throw new RecordTableError(file, line, `field "${name}": bits(${lo},${len}) does not fit in a 32-bit word`);
      return { name, read: { kind: "bits", word, lo, len } };
    }
  }
}
