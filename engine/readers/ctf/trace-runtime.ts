/**
 * A trace's metadata compiled for decoding: the packet header decoder, and per stream class
 * the packet context and event header decoders, the event classes by id and the clock.
 *
 * Contract: built once per trace directory and shared read-only by all its stream cursors
 * (each cursor keeps its own `DecodeState` and output objects). `compileErrors` lists event
 * classes that could not be compiled; their events fail individually when met.
 */
import type { EventClassSchema } from "../../model/event.js";
import { compileEventClass, compileEventHeader, compilePacketContext, compilePacketHeader, type CompiledEventClass, type CompiledScope } from "./compile-class.js";
import type { ClockBase } from "./decode-state.js";
import { alignOf, type ClockClass, type CtfMetadata, type CtfType, type StreamClass } from "./metadata-model.js";

/** A stream class with its compiled decoders. */
export interface RuntimeStreamClass {
  sc: StreamClass;
  packetContext: CompiledScope | null;
  eventHeader: CompiledScope | null;
  /** Event classes by id (dense ids), with `sparse` for ids beyond the array. */
  byId: Array<CompiledEventClass | undefined>;
  sparse: Map<number, CompiledEventClass>;
  /** The clock the stream's timestamps count in, or null when events carry no time. */
  clock: ClockClass | null;
}

/** A trace's metadata with every decoder compiled. */
export interface CompiledTrace {
  md: CtfMetadata;
  packetHeader: CompiledScope | null;
  streams: Map<number, RuntimeStreamClass>;
  /** Largest alignment of any type, in bytes (packets are placed at multiples of it). */
  maxAlignBytes: number;
  base: ClockBase;
  schema: EventClassSchema[];
  compileErrors: string[];
  /** Every compiled event class gets a dense slot number (index of per-run event pools). */
  classCount: number;
  /** Trace UUID as 16 bytes, or null. */
  uuid: Uint8Array | null;
}

/** Compiles every scope and event class of `md`. */
export function compileTrace(md: CtfMetadata): CompiledTrace {
  const streams = new Map<number, RuntimeStreamClass>();
  const schema: EventClassSchema[] = [];
  const compileErrors: string[] = [];
  let slot = 0;
  let maxAlign = md.trace.packetHeader ? alignOf(md.trace.packetHeader) : 8;
  for (const sc of md.streams) {
    const byId: Array<CompiledEventClass | undefined> = [];
    const sparse = new Map<number, CompiledEventClass>();
    for (const ec of sc.events) {
      const c = compileEventClass(md, sc, ec);
      c.slot = slot++;
      if (c.error !== null) compileErrors.push(c.error);
      if (ec.id < 65536) byId[ec.id] = c;
      else sparse.set(ec.id, c);
      schema.push(c.schema);
      for (const t of [ec.fields, ec.context]) if (t) maxAlign = Math.max(maxAlign, _deepAlign(t));
    }
    for (const t of [sc.packetContext, sc.eventHeader, sc.eventContext]) if (t) maxAlign = Math.max(maxAlign, _deepAlign(t));
    streams.set(sc.id, {
      sc,
      packetContext: compilePacketContext(md, sc),
      eventHeader: compileEventHeader(md, sc),
      byId,
      sparse,
      clock: _streamClock(md, sc),
    });
  }
  const uuid = md.trace.uuid ? _uuidBytes(md.trace.uuid) : null;
  return { md, packetHeader: compilePacketHeader(md), streams, maxAlignBytes: Math.max(1, maxAlign / 8), base: { hi: -1 }, schema, compileErrors, classCount: slot, uuid };
}

/** The event class with `id` in a stream class, or undefined. */
export function eventClassById(rs: RuntimeStreamClass, id: number | bigint): CompiledEventClass | undefined {
  if (typeof id === "number" && id < 65536) return rs.byId[id];
  return rs.sparse.get(Number(id));
}

// --- internal ---

/** The clock of the first clock-mapped integer in the event header, else the packet context. */
function _streamClock(md: CtfMetadata, sc: StreamClass): ClockClass | null {
  for (const t of [sc.eventHeader, sc.packetContext]) {
    const name = t ? _firstClock(t) : null;
    if (name !== null) return md.clocks.find((c) => c.name === name) ?? null;
  }
  return null;
}

function _firstClock(t: CtfType): string | null {
  switch (t.kind) {
    case "int":
      return t.clock;
    case "enum":
      return t.container.clock;
    case "struct":
      for (const f of t.fields) {
        const c = _firstClock(f.type);
        if (c !== null) return c;
      }
      return null;
    case "variant":
      for (const o of t.options) {
        const c = _firstClock(o.type);
        if (c !== null) return c;
      }
      return null;
    default:
      return null;
  }
}

function _deepAlign(t: CtfType): number {
  switch (t.kind) {
    case "struct":
      return Math.max(t.minAlign, ...t.fields.map((f) => _deepAlign(f.type)));
    case "variant":
      return Math.max(1, ...t.options.map((o) => _deepAlign(o.type)));
    case "array":
    case "sequence":
      return _deepAlign(t.element);
    default:
      return alignOf(t);
  }
}

function _uuidBytes(s: string): Uint8Array | null {
  const hex = s.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}
