/**
 * Payload templates: one printed tracepoint format, written as data
 * (`"irq={irq:int} name={name:str}"`), compiled once into steps that match a payload in place.
 *
 * Contract: `match(s, start, end, out)` is true when `s[start, end)` is exactly the template's
 * text; then every key of `keys` has been written to `out` (template fields, then the constants
 * the template sets). On false, `out` may hold partial writes: callers either try the next
 * template (which rewrites every key) or discard the object. Matching allocates only the
 * substrings of string-valued fields.
 *
 * Placeholder `{key:type}`: `type` names a `ValueReader` in `VALUE_READERS`. A reader that is
 * `spanned` gets the text up to the next literal (its first occurrence), the others scan their
 * own extent. Two placeholders must be separated by a literal.
 */
import type { FieldValue, Fields } from "../../../model/event.js";
import { VALUE_READERS, type ValueReader } from "./value-readers.js";

interface LiteralStep {
  lit: string;
}
interface FieldStep {
  key: string;
  reader: ValueReader;
  /** The literal right after this field ("" when the field ends the template). */
  next: string;
}
type Step = LiteralStep | FieldStep;

export class PayloadTemplate {
  /** Every key a successful match writes, in a fixed order. */
  readonly keys: readonly string[];
  private readonly steps: Step[];
  private readonly constKeys: string[];
  private readonly constValues: FieldValue[];

  /** `consts`: values this spelling implies (e.g. `{ write: 1 }` for `msr_write ...`). */
  constructor(
    readonly source: string,
    consts: Record<string, FieldValue> = {},
  ) {
    this.steps = _compile(source);
    this.constKeys = Object.keys(consts);
    this.constValues = this.constKeys.map((k) => consts[k]!);
    const keys: string[] = [];
    for (const st of this.steps) if ("key" in st) keys.push(...st.reader.keys(st.key));
    keys.push(...this.constKeys);
    this.keys = keys;
  }

  match(s: string, start: number, end: number, out: Fields): boolean {
    let pos = start;
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) {
      const st = steps[i]!;
      if ("lit" in st) {
        if (!s.startsWith(st.lit, pos)) return false;
        pos += st.lit.length;
        continue;
      }
      let stop = end;
      if (st.reader.spanned && st.next.length > 0) {
        stop = s.indexOf(st.next, pos);
        if (stop < 0 || stop > end) return false;
      }
      pos = st.reader.read(s, pos, stop, out, st.key);
      if (pos < 0) return false;
    }
    if (pos !== end) return false;
    for (let i = 0; i < this.constKeys.length; i++) out[this.constKeys[i]!] = this.constValues[i]!;
    return true;
  }
}

// --- internal ---

function _compile(source: string): Step[] {
  const steps: Step[] = [];
  const re = /\{([A-Za-z_][A-Za-z0-9_]*)?:([a-z0-9_]+)\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) {
    if (m.index > last) steps.push({ lit: source.slice(last, m.index) });
    else if (steps.length > 0 && "key" in steps[steps.length - 1]!) throw new Error(`template "${source}": two fields need a literal between them`);
    const reader = VALUE_READERS[m[2]!];
    if (reader === undefined) throw new Error(`template "${source}": unknown value type "${m[2]}"`);
    steps.push({ key: m[1] ?? "", reader, next: "" });
    last = re.lastIndex;
  }
  if (last < source.length) steps.push({ lit: source.slice(last) });
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i]!;
    const nx = steps[i + 1];
    if ("key" in st && nx !== undefined && "lit" in nx) st.next = nx.lit;
  }
  return steps;
}
