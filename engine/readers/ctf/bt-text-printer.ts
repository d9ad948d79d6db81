/**
 * One decoded event as the rest of a babeltrace2 pretty line (after the time columns):
 * `HOST NAME: { packet context }, { stream event context }, { event context }, { payload }`,
 * walking the event class's CTF types over the reader's flattened fields (layout in
 * `codegen-compound.ts`: struct members as `a.b`, a variant's option name at its key and its
 * value under `key.option`, struct elements of arrays as positional arrays).
 *
 * What babeltrace2 2.0 shows, and so what this prints: the trace's `hostname`, `procname` and
 * `(vpid)` env entries joined by `:`; the packet context without the members the CTF source
 * consumes (sizes, packet bounds, `events_discarded`, `packet_seq_num`), and only when some
 * remain; each context scope and the payload that the class declares, in that order. Event
 * headers are not shown. Scalars are written by `bt-text-values.ts`.
 */
import type { Fields, FieldValue, TraceEvent } from "../../model/event.js";
import { formatInteger, formatReal, formatUntyped, quoteString } from "./bt-text-values.js";
import type { CtfMetadata, CtfType, EnumType, EventClass, NamedType, StreamClass } from "./metadata-model.js";

/** Packet-context members babeltrace2's CTF source turns into packet properties (not printed). */
const CONSUMED = new Set(["content_size", "packet_size", "timestamp_begin", "timestamp_end", "events_discarded", "packet_seq_num"]);
/** Context members the reader stores under another key (see `compile-class.ts`). */
const CONTEXT_KEYS: ReadonlyMap<string, string> = new Map([["procname", "comm"]]);

/** Prints events of one trace; built once per trace from its metadata. */
export class BabeltraceText {
  private readonly byName = new Map<string, _Class[]>();
  private readonly host: string;

  /** `timedStream` says whether a stream class's events have a time (a clock). */
  constructor(md: CtfMetadata, timedStream: (sc: StreamClass) => boolean) {
    const host = ["hostname", "procname"].map((k) => md.env[k]).filter((v) => v !== undefined).map(String);
    if (md.env.vpid !== undefined) host.push(`(${md.env.vpid})`);
    this.host = host.length > 0 ? host.join(":") + " " : "";
    for (const sc of md.streams) {
      const packet = sc.packetContext?.fields.filter((f) => !CONSUMED.has(f.name)) ?? [];
      for (const ec of sc.events) {
        const list = this.byName.get(ec.name) ?? [];
        list.push({ sc, ec, packet, timed: timedStream(sc) });
        this.byName.set(ec.name, list);
      }
    }
  }

  /** True when `ev`'s stream has a clock (babeltrace2 prints no time columns otherwise). */
  timed(ev: TraceEvent): boolean {
    return this.classOf(ev)?.timed ?? true;
  }

  /** The line after the time columns; `packet` is the event's packet context, when known. */
  body(ev: TraceEvent, packet: Fields | null): string {
    const c = this.classOf(ev);
    if (c === null) return `${this.host}${ev.name}: ${formatUntyped(ev.fields)}`;
    const groups: string[] = [];
    if (c.packet.length > 0) {
      // Without the packet's own values, `cpu_id` is still known: the reader copies it to `cpu`.
      const pkt: Fields = packet ?? { cpu_id: ev.cpu };
      groups.push(_members(c.packet, pkt, ""));
    }
    const ctx = (ev.context ?? {}) as Fields;
    for (const t of [c.sc.eventContext, c.ec.context]) if (t !== null) groups.push(_members(t.fields, ctx, "", CONTEXT_KEYS));
    if (c.ec.fields !== null) groups.push(_members(c.ec.fields.fields, ev.fields, ""));
    return `${this.host}${ev.name}: ${groups.join(", ")}`;
  }

  // --- internal ---

  private classOf(ev: TraceEvent): _Class | null {
    const list = this.byName.get(ev.name);
    if (list === undefined) return null;
    if (list.length === 1) return list[0];
    // Same name in several stream classes: the one whose payload keys the event has.
    const keys = Object.keys(ev.fields);
    const has = (name: string): boolean => name in ev.fields || keys.some((k) => k.startsWith(name + "."));
    return list.find((c) => (c.ec.fields?.fields ?? []).every((f) => has(f.name))) ?? list[0];
  }
}

// --- internal ---

interface _Class {
  sc: StreamClass;
  ec: EventClass;
  /** Packet-context members babeltrace2 shows for this class's stream. */
  packet: NamedType[];
  timed: boolean;
}

/** `{ a = 1, b = 2 }` for struct members whose values sit in `obj` under `prefix`. */
function _members(fields: NamedType[], obj: Fields, prefix: string, rename?: ReadonlyMap<string, string>): string {
  if (fields.length === 0) return "{ }";
  const parts = fields.map((f) => {
    const key = prefix === "" ? (rename?.get(f.name) ?? f.name) : `${prefix}.${f.name}`;
    return `${f.name} = ${_flat(f.type, obj, key)}`;
  });
  return `{ ${parts.join(", ")} }`;
}

/** A member stored flattened at `key` of `obj`. */
function _flat(t: CtfType, obj: Fields, key: string): string {
  switch (t.kind) {
    case "struct":
      return _members(t.fields, obj, key);
    case "variant": {
      const chosen = obj[key];
      const opt = t.options.find((o) => o.name === chosen);
      if (opt === undefined) return formatUntyped(chosen ?? null);
      return `{ ${_flat(opt.type, obj, `${key}.${opt.name}`)} }`;
    }
    default:
      return _value(t, obj[key]);
  }
}

/** A value held whole (scalars, arrays, and struct elements as positional arrays). */
function _value(t: CtfType, v: FieldValue | undefined): string {
  if (v === undefined || v === null) return formatUntyped(null);
  switch (t.kind) {
    case "int":
      return typeof v === "number" || typeof v === "bigint" ? formatInteger(v, t) : formatUntyped(v);
    case "enum":
      return typeof v === "number" || typeof v === "bigint" ? _enum(t, v) : formatUntyped(v);
    case "float":
      return typeof v === "number" ? formatReal(v) : formatUntyped(v);
    case "string":
      return typeof v === "string" ? quoteString(v) : formatUntyped(v);
    case "array":
    case "sequence":
      // Text arrays and sequences (8-bit integers with an encoding) are decoded as strings.
      if (typeof v === "string") return quoteString(v);
      if (!Array.isArray(v)) return formatUntyped(v);
      return v.length === 0 ? "[ ]" : `[ ${v.map((x, i) => `[${i}] = ${_value(t.element, x)}`).join(", ")} ]`;
    case "struct": {
      if (!Array.isArray(v)) return formatUntyped(v);
      if (t.fields.length === 0) return "{ }";
      return `{ ${t.fields.map((f, i) => `${f.name} = ${_value(f.type, v[i])}`).join(", ")} }`;
    }
    case "variant": {
      // Inside an array the reader keeps only the option's value: show it by its JS type.
      return `{ ${formatUntyped(v)} }`;
    }
  }
}

/** `( "LABEL", "OTHER" : container = V )`, or `( <unknown> : container = V )`. */
function _enum(t: EnumType, v: number | bigint): string {
  const b = BigInt(v);
  const labels: string[] = [];
  for (const m of t.mappings) if (b >= m.lo && b <= m.hi && !labels.includes(m.label)) labels.push(m.label);
  const shown = labels.length === 0 ? "<unknown>" : labels.map((l) => `"${l}"`).join(", ");
  return `( ${shown} : container = ${formatInteger(v, t.container)} )`;
}
