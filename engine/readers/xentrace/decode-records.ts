/**
 * Bytes → xentrace records → `TraceEvent` payloads. No I/O: the cursor hands this module a
 * `DataView` and a byte position.
 *
 * Record layout (`struct t_rec`, xen/include/public/trace.h), little-endian 32-bit words:
 *
 *   word 0   : event id (bits 0-27) | extra-word count N (bits 28-30) | TSC present (bit 31)
 *   [2 words : TSC low, TSC high]          when bit 31 is set
 *   N words  : extra data ("extra_u32")     N <= 7
 *
 * Contract: every event class (one per known id, one per unknown id and word count) is built
 * once, with a field reader compiled from its table row, so decoding a record is one call
 * that builds one object of a fixed shape per class. Unknown ids become `xen_unknown_<hex id>`
 * with raw words `d0 .. d(N-1)`; fields a short record lacks read `null`.
 */
import type { EventClassSchema, FieldType, Fields } from "../../model/event.js";
import type { XenFieldSpec, XenRecordSpec } from "./record-table.js";

export const TRC_LOST_RECORDS = 0x0001f001;
export const TRC_TRACE_WRAP_BUFFER = 0x0001f002;
export const TRC_TRACE_CPU_CHANGE = 0x0001f003;

/** Event id of a header word. */
export function recordId(header: number): number {
  return header & 0x0fffffff;
}

/** Number of extra 32-bit words of a header word. */
export function extraWords(header: number): number {
  return (header >>> 28) & 7;
}

/** True when a TSC follows the header word. */
export function hasTsc(header: number): boolean {
  return header >>> 31 === 1;
}

/** Total record size in bytes implied by its header word. */
export function recordSize(header: number): number {
  return 4 + (header >>> 31) * 8 + ((header >>> 28) & 7) * 4;
}

/** Reads a record's fields: `p` is the byte offset of its first extra word, `n` the word count. */
export type FieldReader = (dv: DataView, p: number, n: number) => Fields;

/** One event class: a name and a compiled field reader, plus a count kept by the reader. */
export interface XenEventClass {
  readonly id: number;
  readonly name: string;
  readonly fieldNames: readonly string[];
  readonly read: FieldReader;
  /** Records of this class decoded so far (statistics). */
  count: number;
}

/** The classes of one trace: the table's rows, and unknown classes made as they are met. */
export class RecordDecoder {
  private readonly known = new Map<number, XenEventClass>();
  private readonly unknown = new Map<number, XenEventClass>();

  constructor(table: ReadonlyMap<number, XenRecordSpec>) {
    for (const spec of table.values()) this.known.set(spec.id, _compile(spec.id, spec.name, spec.fields));
  }

  /** The class of a record with event id `id` and `n` extra words. */
  classOf(id: number, n: number): XenEventClass {
    const k = this.known.get(id);
    if (k !== undefined) return k;
    // One unknown class per (id, word count), so each keeps one field shape.
    const key = id + n * 0x10000000;
    let u = this.unknown.get(key);
    if (u === undefined) {
      const fields: XenFieldSpec[] = [];
      for (let w = 0; w < n; w++) fields.push({ name: `d${w}`, read: { kind: "u32", word: w } });
      u = _compile(id, `xen_unknown_${id.toString(16)}`, fields);
      this.unknown.set(key, u);
    }
    return u;
  }

  /** Every class met or declared, with its count (statistics, after reading). */
  classes(): XenEventClass[] {
    return [...this.known.values(), ...this.unknown.values()];
  }

  /** The event classes the table declares, one per name (32/64-bit variants share a name). */
  static schemaOf(table: ReadonlyMap<number, XenRecordSpec>): EventClassSchema[] {
    const byName = new Map<string, EventClassSchema>();
    for (const spec of table.values()) {
      if (_FRAMING.has(spec.id)) continue;
      let s = byName.get(spec.name);
      if (s === undefined) byName.set(spec.name, (s = { name: spec.name, fields: [] }));
      for (const f of spec.fields) {
        if (!s.fields.some((x) => x.name === f.name)) s.fields.push({ name: f.name, type: _typeOf(f) });
      }
    }
    return [...byName.values()];
  }
}

// --- internal ---

/** Records that frame or pad the stream and never become events. */
const _FRAMING = new Set([TRC_LOST_RECORDS, TRC_TRACE_WRAP_BUFFER, TRC_TRACE_CPU_CHANGE]);

function _typeOf(f: XenFieldSpec): FieldType {
  return f.read.kind === "i32" ? "int" : "uint";
}

/**
 * Compiles a field reader for one class: an object literal with the fields in table order, so
 * every object of the class has one hidden class. Names are validated identifiers
 * (`record-table.ts`) and the rest are numbers, so the generated text holds no outside input.
 */
function _compile(id: number, name: string, fields: readonly XenFieldSpec[]): XenEventClass {
  const parts = fields.map((f) => `${f.name}: ${_expr(f)}`);
  const read = new Function("dv", "p", "n", `"use strict"; return { ${parts.join(", ")} };`) as FieldReader;
  return { id, name, fieldNames: fields.map((f) => f.name), read, count: 0 };
}

function _expr(f: XenFieldSpec): string {
  const r = f.read;
  if (r.kind === "const") return String(r.value);
  const at = `p + ${r.word * 4}`;
  switch (r.kind) {
    case "u32":
      return `(n > ${r.word} ? dv.getUint32(${at}, true) : null)`;
    case "i32":
      return `(n > ${r.word} ? dv.getInt32(${at}, true) : null)`;
    case "big32":
      return `(n > ${r.word} ? BigInt(dv.getUint32(${at}, true)) : null)`;
    case "u64":
      return `(n > ${r.word + 1} ? dv.getBigUint64(${at}, true) : null)`;
    case "bits": {
      const shifted = `(dv.getUint32(${at}, true) >>> ${r.lo})`;
      const v = r.lo + r.len === 32 ? shifted : `(${shifted} & ${2 ** r.len - 1})`;
      return `(n > ${r.word} ? ${v} : null)`;
    }
  }
}
