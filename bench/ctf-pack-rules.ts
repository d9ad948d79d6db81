/**
 * A stateless rule pack written from a real trace, for the "decode + rules" benchmark: `count`
 * rules `alert rK on EVENT where FIELD == CONST`, over the trace's own event names and integer
 * or string payload fields, each constant a value that field really takes in the trace.
 *
 * Contract: deterministic for a given trace. Rules go round the most frequent event classes
 * first (so the rules see most of the stream), one (class, field) pair per rule; the constant is
 * the field's least frequent value (ties: the smallest), so every rule matches the trace at
 * least once but alerts stay few (fields whose rarest value occurs more than 10 times are
 * skipped) and the alert list does not dominate memory. Fields above 2^53
 * (pointers) are left out: the language's integer literals are exact to 2^53.
 */
import { ctfReader } from "../engine/readers/ctf/index.js";
import { isLoss } from "../engine/readers/source.js";
import type { FieldValue } from "../engine/model/event.js";

/** The generated pack: its text, and for each rule the event, field and constant it tests. */
export interface GeneratedPack {
  text: string;
  rules: Array<{ name: string; event: string; field: string; value: number | string }>;
}

/** Scans the trace at `path` and writes `count` rules over what it holds. */
export async function packFromTrace(path: string, count: number): Promise<GeneratedPack> {
  const values = await _fieldValues(path);
  // Classes by frequency, then (within a class) fields in declaration order.
  const pairs = [...values.entries()]
    .sort((a, b) => b[1].events - a[1].events || (a[0] < b[0] ? -1 : 1))
    .map(([event, c]) => ({ event, fields: [...c.fields.entries()] }));
  const rules: GeneratedPack["rules"] = [];
  for (let round = 0; rules.length < count; round++) {
    let added = false;
    for (const { event, fields } of pairs) {
      if (rules.length >= count) break;
      const f = fields[round];
      if (f === undefined) continue;
      added = true;
      const [field, counts] = f;
      const value = _rarest(counts);
      // A field that is nearly constant would make its rule fire on most events of its class.
      if ((counts.get(value) as number) > MAX_MATCHES) continue;
      rules.push({ name: `r${rules.length}`, event, field, value });
    }
    if (!added) throw new Error(`the trace at ${path} has fewer than ${count} (event, field) pairs`);
  }
  const text = rules.map((r) => `alert ${r.name} on ${r.event} where ${r.field} == ${typeof r.value === "string" ? JSON.stringify(r.value) : r.value}`).join("\n") + "\n";
  return { text, rules };
}

// --- internal ---

interface ClassValues {
  events: number;
  /** Per usable field, how often each value occurs. */
  fields: Map<string, Map<number | string, number>>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Most events of the scanned trace a rule may match: alerts are kept, and must stay few. */
const MAX_MATCHES = 10;

async function _fieldValues(path: string): Promise<Map<string, ClassValues>> {
  const out = new Map<string, ClassValues>();
  const sources = await ctfReader.open(path, {
    onIssue: (i) => {
      if (i.severity === "error") throw new Error(`${i.file}: ${i.message}`);
    },
  });
  for (const s of sources) {
    await s.open();
    for await (const batch of s.batches(s.first ?? 0n, 0)) {
      for (const item of batch) {
        if (isLoss(item)) continue;
        let c = out.get(item.name);
        if (c === undefined) out.set(item.name, (c = { events: 0, fields: new Map() }));
        c.events++;
        for (const [k, v] of Object.entries(item.fields)) {
          if (!IDENT.test(k) || !_usable(v)) continue;
          let m = c.fields.get(k);
          if (m === undefined) c.fields.set(k, (m = new Map()));
          m.set(v, (m.get(v) ?? 0) + 1);
        }
      }
    }
  }
  return out;
}

/** Integers exact as `number`, and short printable strings (no escapes needed). */
function _usable(v: FieldValue): v is number | string {
  if (typeof v === "number") return Number.isSafeInteger(v);
  return typeof v === "string" && v.length > 0 && v.length <= 64 && /^[\x20-\x7e]*$/.test(v) && !/["\\{}]/.test(v);
}

function _rarest(counts: Map<number | string, number>): number | string {
  let best: number | string | null = null;
  let bestN = Infinity;
  for (const [v, n] of counts) {
    if (n < bestN || (n === bestN && best !== null && (typeof v === "number" && typeof best === "number" ? v < best : String(v) < String(best)))) {
      best = v;
      bestN = n;
    }
  }
  return best as number | string;
}
