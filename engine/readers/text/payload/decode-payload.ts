/**
 * Turns an ftrace-style payload (the text after `event_name:`) into `slot.event.fields`, shared
 * by the trace-cmd/ftrace and perf script decoders (both print the kernel's TP_printk text).
 *
 * Contract: `decodePayload(name, s, start, end, slot, notes)` always succeeds. A known event
 * whose text matches one of its spellings gets the slot's fields object for that format
 * (fixed keys, absent ones null); any other payload gets a fresh `parseGenericPayload` object
 * with `raw` — for a known event whose spelling is new, with one note per event name so the
 * user learns the table needs a row. Sets `slot.event.name` (the format's own string when known,
 * so equal names are one string).
 */
import type { Fields } from "../../../model/event.js";
import type { EventSlot } from "../line-decoder.js";
import { EVENT_FORMATS, type EventFormat } from "./event-formats.js";
import { parseGenericPayload } from "./generic-payload.js";

/** One per source: remembers which unknown spellings it already noted. */
export class PayloadDecoder {
  private readonly unmatched = new Set<string>();

  decode(name: string, s: string, start: number, end: number, slot: EventSlot, notes: string[]): void {
    // trailing blanks are padding (kvm_pio prints one after an empty "%s")
    while (end > start && s.charCodeAt(end - 1) === 32) end--;
    const format = EVENT_FORMATS.get(name);
    const ev = slot.event;
    if (format === undefined) {
      ev.name = name;
      ev.fields = parseGenericPayload(s, start, end);
      return;
    }
    ev.name = format.name;
    const fields = slot.pools.formatFields(format.id, () => _blank(format));
    const templates = format.templates;
    for (let i = 0; i < templates.length; i++) {
      if (templates[i]!.match(s, start, end, fields)) {
        const missing = format.missing[i]!;
        for (let k = 0; k < missing.length; k++) fields[missing[k]!] = null;
        format.finish?.(fields);
        ev.fields = fields;
        return;
      }
    }
    if (!this.unmatched.has(name)) {
      this.unmatched.add(name);
      notes.push(`${name}: payload "${s.slice(start, Math.min(end, start + 120))}" is in no known spelling of this event; such events keep their text in field "raw" and key=value pairs only`);
    }
    ev.fields = parseGenericPayload(s, start, end);
  }
}

// --- internal ---

function _blank(format: EventFormat): Fields {
  const f: Fields = {};
  for (const k of format.keys) f[k] = null;
  return f;
}
