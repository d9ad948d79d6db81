/**
 * Turns parsed TSDL blocks into the metadata model: trace, env, clocks, stream and event
 * classes, with CTF 1.8 defaults and babeltrace's conventions.
 *
 * Contract: the result has at least one stream class when it has events; every event class
 * sits in its stream class; duplicate ids are rejected with the block's location. Unmapped
 * `timestamp` (event header) and `timestamp_begin`/`timestamp_end` (packet context) integers
 * are mapped to the trace's only clock (or to an implicit 1 GHz clock when there is none), as
 * babeltrace does, so that such traces still carry time.
 */
import type { TsdlToken } from "./tsdl-lexer.js";
import type { BlockEntry, TsdlBlock } from "./tsdl-parser.js";
import type { ClockClass, CtfMetadata, CtfType, EventClass, MetadataWarning, StreamClass, StructType, TraceClass } from "./metadata-model.js";

type Fail = (message: string, at: TsdlToken) => never;

/** Builds the model from blocks; `fail` throws a located error. */
export function buildMetadata(blocks: TsdlBlock[], warnings: MetadataWarning[], fail: Fail): CtfMetadata {
  const warn = (at: TsdlToken, m: string): void => void warnings.push({ line: at.line, message: m });
  const trace: TraceClass = { major: 1, minor: 8, uuid: null, byteOrder: "le", packetHeader: null };
  const env: Record<string, string | bigint> = {};
  const clocks: ClockClass[] = [];
  const streams: StreamClass[] = [];
  const events: Array<[EventClass, TsdlToken]> = [];
  let sawTrace = false;
  for (const b of blocks) {
    if (b.kind === "trace") {
      sawTrace = true;
      _trace(b, trace, warn, fail);
    } else if (b.kind === "env") {
      for (const e of b.entries) if (e.value.kind !== "type") env[e.key] = e.value.value;
    } else if (b.kind === "clock") clocks.push(_clock(b, warn, fail));
    else if (b.kind === "stream") {
      const s = _stream(b, warn, fail);
      if (streams.some((x) => x.id === s.id)) fail(`Duplicate stream class id ${s.id}`, b.at);
      streams.push(s);
    } else if (b.kind === "event") events.push([_event(b, warn, fail), b.at]);
  }
  if (!sawTrace) warnings.push({ line: 1, message: "No trace block: assuming CTF 1.8, little-endian" });
  if (streams.length === 0) streams.push({ id: 0, packetContext: null, eventHeader: null, eventContext: null, events: [] });
  for (const [ev, at] of events) {
    const s = ev.streamId < 0 && streams.length === 1 ? streams[0] : streams.find((x) => x.id === ev.streamId);
    if (s === undefined) fail(`Event \`${ev.name}\` names stream class ${ev.streamId}, which is not declared`, at);
    if (ev.streamId < 0 && streams.length > 1) fail(`Event \`${ev.name}\` needs a stream_id: the trace has several stream classes`, at);
    const st = s as StreamClass;
    ev.streamId = st.id;
    if (st.events.some((x) => x.id === ev.id)) fail(`Duplicate event id ${ev.id} in stream class ${st.id}`, at);
    st.events.push(ev);
  }
  _autoMapClocks(streams, clocks);
  return { trace, env, clocks, streams, warnings };
}

// --- internal ---

type WarnAt = (at: TsdlToken, m: string) => void;

function _num(e: BlockEntry, fail: Fail): bigint {
  if (e.value.kind !== "int") fail(`\`${e.key}\` needs an integer`, e.at);
  return e.value.value as bigint;
}

function _int(e: BlockEntry, fail: Fail): number {
  const v = _num(e, fail);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < 0n) fail(`\`${e.key}\` = ${v} is out of range`, e.at);
  return Number(v);
}

function _text(e: BlockEntry, fail: Fail): string {
  if (e.value.kind !== "string" && e.value.kind !== "ident") fail(`\`${e.key}\` needs a string or a name`, e.at);
  return String(e.value.value);
}

function _struct(e: BlockEntry, fail: Fail): StructType {
  if (e.value.kind !== "type" || e.value.value.kind !== "struct") fail(`\`${e.key}\` must be a struct type`, e.at);
  return e.value.value as StructType;
}

function _trace(b: TsdlBlock, t: TraceClass, warn: WarnAt, fail: Fail): void {
  for (const e of b.entries) {
    if (e.key === "major") t.major = _int(e, fail);
    else if (e.key === "minor") t.minor = _int(e, fail);
    else if (e.key === "uuid") t.uuid = _text(e, fail).toLowerCase();
    else if (e.key === "byte_order") {
      const bo = _text(e, fail).toLowerCase();
      if (bo === "be" || bo === "network" || bo === "big_endian") t.byteOrder = "be";
      else if (bo === "le" || bo === "little_endian") t.byteOrder = "le";
      else fail(`Trace byte_order must be le or be, got \`${bo}\``, e.at);
    } else if (e.key === "packet.header") t.packetHeader = _struct(e, fail);
    else warn(e.at, `Unknown trace attribute \`${e.key}\` ignored`);
  }
  if (t.major !== 1) fail(`Unsupported CTF version ${t.major}.${t.minor}: this reader reads CTF 1.8`, b.at);
}

function _clock(b: TsdlBlock, warn: WarnAt, fail: Fail): ClockClass {
  const c: ClockClass = { name: "", freq: 1000000000n, offsetS: 0n, offset: 0n, uuid: null, description: null, absolute: false };
  for (const e of b.entries) {
    if (e.key === "name") c.name = _text(e, fail);
    else if (e.key === "freq") c.freq = _num(e, fail);
    else if (e.key === "offset_s") c.offsetS = _num(e, fail);
    else if (e.key === "offset") c.offset = _num(e, fail);
    else if (e.key === "uuid") c.uuid = _text(e, fail);
    else if (e.key === "description") c.description = _text(e, fail);
    else if (e.key === "absolute") c.absolute = /^(true|1)$/i.test(String(e.value.value));
    else if (e.key !== "precision") warn(e.at, `Unknown clock attribute \`${e.key}\` ignored`);
  }
  if (c.name === "") fail("A clock block needs a name", b.at);
  if (c.freq <= 0n) fail(`Clock \`${c.name}\` has a frequency of ${c.freq} Hz`, b.at);
  return c;
}

function _stream(b: TsdlBlock, warn: WarnAt, fail: Fail): StreamClass {
  const s: StreamClass = { id: 0, packetContext: null, eventHeader: null, eventContext: null, events: [] };
  for (const e of b.entries) {
    if (e.key === "id") s.id = _int(e, fail);
    else if (e.key === "packet.context") s.packetContext = _struct(e, fail);
    else if (e.key === "event.header") s.eventHeader = _struct(e, fail);
    else if (e.key === "event.context") s.eventContext = _struct(e, fail);
    else warn(e.at, `Unknown stream attribute \`${e.key}\` ignored`);
  }
  return s;
}

function _event(b: TsdlBlock, warn: WarnAt, fail: Fail): EventClass {
  const ev: EventClass = { id: 0, name: "", streamId: -1, context: null, fields: null, attributes: {} };
  for (const e of b.entries) {
    if (e.key === "name") ev.name = _text(e, fail);
    else if (e.key === "id") ev.id = _int(e, fail);
    else if (e.key === "stream_id") ev.streamId = _int(e, fail);
    else if (e.key === "context") ev.context = _struct(e, fail);
    else if (e.key === "fields") ev.fields = _struct(e, fail);
    else if (e.value.kind !== "type") {
      ev.attributes[e.key] = e.value.kind === "int" ? e.value.value : String(e.value.value);
      if (e.key !== "loglevel" && e.key !== "model.emf.uri") warn(e.at, `Unknown event attribute \`${e.key}\` kept as is`);
    } else warn(e.at, `Unknown event type attribute \`${e.key}\` ignored`);
  }
  if (ev.name === "") fail("An event block needs a name", b.at);
  return ev;
}

/** Maps well-known unmapped timestamp fields to the default clock (babeltrace convention). */
function _autoMapClocks(streams: StreamClass[], clocks: ClockClass[]): void {
  let clockName: string | null = clocks.length === 1 ? clocks[0].name : null;
  const pick = (): string | null => {
    if (clockName !== null || clocks.length > 1) return clockName;
    clocks.push({ name: "default", freq: 1000000000n, offsetS: 0n, offset: 0n, uuid: null, description: "implicit clock", absolute: false });
    return (clockName = "default");
  };
  for (const s of streams) {
    if (s.eventHeader) s.eventHeader = _mapNamed(s.eventHeader, new Set(["timestamp"]), pick) as StructType;
    if (s.packetContext) s.packetContext = _mapTop(s.packetContext, new Set(["timestamp_begin", "timestamp_end"]), pick);
  }
}

function _mapTop(st: StructType, names: Set<string>, pick: () => string | null): StructType {
  return { ...st, fields: st.fields.map((f) => (names.has(f.name) ? { name: f.name, type: _mapInt(f.type, pick) } : f)) };
}

function _mapNamed(t: CtfType, names: Set<string>, pick: () => string | null): CtfType {
  if (t.kind === "struct") return { ...t, fields: t.fields.map((f) => ({ name: f.name, type: names.has(f.name) ? _mapInt(f.type, pick) : _mapNamed(f.type, names, pick) })) };
  if (t.kind === "variant") return { ...t, options: t.options.map((o) => ({ name: o.name, type: _mapNamed(o.type, names, pick) })) };
  return t;
}

function _mapInt(t: CtfType, pick: () => string | null): CtfType {
  if (t.kind !== "int" || t.clock !== null) return t;
  const clock = pick();
  return clock === null ? t : { ...t, clock };
}
