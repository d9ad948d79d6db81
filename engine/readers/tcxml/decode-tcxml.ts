/**
 * Trace Compass XML stub traces (`TmfXmlTraceStub`, schema `TmfXmlDevelopmentTrace.xsd`): text → events,
 * no I/O. The files are small test traces, so the whole text is parsed at once.
 *
 * `<trace>` holds an optional `<set_aspects>` then `<event timestamp name>` elements whose
 * `<field name value type>` children are typed `int | long | string | double | longArray |
 * intArray` (arrays comma-separated). Integers beyond 2^53 become `bigint`. A `cpu` field sets
 * `cpu` on the event and also stays in `fields` (rules may read it either way).
 *
 * Problems are reported with the line of the element: malformed XML keeps every event
 * complete before the break; a bad event (missing attribute, bad value or type) is skipped.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { EventClassSchema, FieldType, FieldValue, Fields } from "../../model/event.js";
import type { ReadIssue } from "../source.js";
import { parseDecimalInteger } from "../jsonl/parse-exact-json.js";
import { elementLines } from "./element-lines.js";

/** One decoded event, timestamp still absolute. */
export interface TcxmlEvent {
  name: string;
  ts: bigint;
  cpu: number;
  fields: Fields;
  /** Line of the `<event>` element. */
  line: number;
}

export interface TcxmlTrace {
  /** In timestamp order (stably sorted when the file was not). */
  events: TcxmlEvent[];
  /** Event classes with the union of their fields, in order of first appearance. */
  schema: EventClassSchema[];
  /** Aspects declared by `<set_aspects>` (`cpu` in every VM stub). */
  aspects: string[];
}

/** Parses a whole stub trace; never throws for bad input, reports through `onIssue`. */
export function decodeTcxml(text: string, file: string, onIssue: (issue: ReadIssue) => void): TcxmlTrace {
  const out: TcxmlTrace = { events: [], schema: [], aspects: [] };
  const usable = _salvage(text, file, onIssue);
  if (usable === null) return out;

  const doc = PARSER.parse(usable) as { trace?: _RawTrace | string };
  if (typeof doc.trace !== "object" || doc.trace === null) {
    if (doc.trace === undefined) onIssue({ severity: "error", file, line: 1, message: "No <trace> root element: not a Trace Compass XML stub trace" });
    return out;
  }
  const trace = doc.trace;
  for (const f of trace.set_aspects?.field ?? []) if (typeof f.name === "string") out.aspects.push(f.name);

  const lines = elementLines(usable, "event");
  const classes = new Map<string, EventClassSchema>();
  const rawEvents = trace.event ?? [];
  for (let i = 0; i < rawEvents.length; i++) {
    const line = lines[i] ?? 0;
    const problem = _decodeEvent(rawEvents[i]!, line, out.events, classes);
    if (problem !== null) onIssue({ severity: "error", file, line, message: `${problem}; event skipped` });
  }
  out.schema = [...classes.values()];

  let disorder = 0;
  for (let i = 1; i < out.events.length; i++) if (out.events[i]!.ts < out.events[i - 1]!.ts) disorder++;
  if (disorder > 0) {
    // Array.prototype.sort is stable: equal timestamps keep their file order.
    out.events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    onIssue({ severity: "warning", file, message: `Events are not in timestamp order (${disorder} step(s) back); they were sorted` });
  }
  return out;
}

// --- internal ---

interface _RawField { name?: string; value?: string; type?: string }
interface _RawEvent { timestamp?: string; name?: string; field?: _RawField[] }
interface _RawTrace { set_aspects?: { field?: _RawField[] }; event?: _RawEvent[] }

const PARSER = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (tag) => tag === "event" || tag === "field",
});

const TYPES: Record<string, FieldType> = {
  int: "int", long: "int", string: "string", double: "float", intArray: "array", longArray: "array",
};

/**
 * The text to parse: all of it when well-formed, else everything up to the last complete
 * `</event>` before the error, closed with `</trace>` — or null when nothing is usable.
 */
function _salvage(text: string, file: string, onIssue: (issue: ReadIssue) => void): string | null {
  const v = XMLValidator.validate(text);
  if (v === true) return text;
  const { line, col, msg } = v.err;
  // fast-xml-parser reports elements left open at the end at their start tag, or at 1:1
  const unclosed = msg.startsWith("Unclosed tag") || msg.startsWith("Invalid '[");
  if (unclosed) {
    const last = text.split("\n").length;
    onIssue({ severity: "error", file, line: last, message: `XML ends inside an element (${msg}): the file is truncated; the events complete before this line are kept` });
  } else {
    onIssue({ severity: "error", file, line, message: `Malformed XML (${msg}, column ${col}); the events complete before this line are kept, the rest is lost` });
  }
  let offset = 0;
  for (let l = 1; l < line && offset >= 0; l++) offset = text.indexOf("\n", offset) + 1;
  const at = unclosed ? text.length : Math.max(0, offset) + col - 1;
  const end = text.lastIndexOf("</event>", at);
  if (end < 0) return null;
  const cut = `${text.slice(0, end + "</event>".length)}\n</trace>\n`;
  return XMLValidator.validate(cut) === true ? cut : null;
}

/** Decodes one event into `into`; returns what was wrong, or null. */
function _decodeEvent(raw: _RawEvent, line: number, into: TcxmlEvent[], classes: Map<string, EventClassSchema>): string | null {
  const { name, timestamp } = raw;
  if (typeof name !== "string" || name.length === 0) return "<event> without a name attribute";
  const ts = typeof timestamp === "string" ? parseDecimalInteger(timestamp.trim()) : undefined;
  if (ts === undefined || ts < 0) return `<event name="${name}"> timestamp ${JSON.stringify(timestamp ?? null)} is not a non-negative integer`;

  let schema = classes.get(name);
  const fields: Fields = {};
  let cpu = -1;
  for (const f of raw.field ?? []) {
    if (typeof f.name !== "string" || typeof f.type !== "string" || typeof f.value !== "string") {
      return `<field> of ${name} lacks a name, value or type attribute`;
    }
    const type = TYPES[f.type];
    if (type === undefined) return `field ${f.name} of ${name} has unknown type "${f.type}" (expected int, long, string, double, intArray or longArray)`;
    const value = _convert(f.value, f.type);
    if (value === undefined) return `field ${f.name} of ${name} has value "${f.value}", not a valid ${f.type}`;
    fields[f.name] = value;
    if (f.name === "cpu" && typeof value === "number") cpu = value;
    if (schema === undefined) classes.set(name, (schema = { name, fields: [] }));
    if (!schema.fields.some((s) => s.name === f.name)) schema.fields.push({ name: f.name, type });
  }
  if (schema === undefined) classes.set(name, { name, fields: [] });
  into.push({ name, ts: BigInt(ts), cpu, fields, line });
  return null;
}

/** Attribute text → typed value, or undefined when it does not parse as its type. */
function _convert(text: string, type: string): FieldValue | undefined {
  switch (type) {
    case "string":
      return text;
    case "int":
    case "long":
      return _integer(text);
    case "double": {
      const t = text.trim();
      const n = Number(t);
      return t.length > 0 && (!Number.isNaN(n) || t === "NaN") ? n : undefined;
    }
    default: {
      if (text.trim().length === 0) return [];
      const items = text.split(",").map(_integer);
      return items.includes(undefined) ? undefined : (items as FieldValue[]);
    }
  }
}

function _integer(text: string): number | bigint | undefined {
  const t = text.trim();
  // Java's Long.valueOf, which Trace Compass uses, accepts a leading '+'
  return parseDecimalInteger(t.charCodeAt(0) === 43 ? t.slice(1) : t);
}
