/**
 * Compiles the metadata's scopes into JavaScript decoders, once per trace: the packet header,
 * each stream class's packet context and event header, and each event class (stream event
 * context + event context + payload in one function).
 *
 * Contract: every decoder has the signature `(st, p, out) => p'` — it reads from `st.u8`/`st.dv`
 * at bit `p`, writes into `out` (a reusable object of one fixed shape made by the matching
 * `make()`), updates `st.clk` / `st.id` as the metadata says, and returns the position after
 * the scope. Event decoders take a `TraceEvent` and fill its `fields` and `context`. A class
 * that cannot be compiled (a path that resolves nowhere) gets a decoder that throws
 * `DecodeError` with the reason, so only its events are lost.
 */
import type { EventClassSchema, EventContext, Fields, TraceEvent } from "../../model/event.js";
import { CodeGen, quote, type OutKey } from "./codegen-buffer.js";
import { TypeEmitter, type EmitterOptions } from "./codegen-compound.js";
import type { ExternalScope } from "./codegen-paths.js";
import { DecodeError, DecodeRuntime, type DecodeState } from "./decode-state.js";
import type { CtfMetadata, CtfType, EventClass, StreamClass, StructType } from "./metadata-model.js";

/** A generated decoder of one scope: reads at bit `p`, fills `out`, returns the end position. */
export type ScopeDecoder = (st: DecodeState, p: number, out: Fields) => number;
/** A generated decoder of one event class: contexts and payload into `ev`, returns the end. */
export type EventDecoder = (st: DecodeState, p: number, ev: TraceEvent) => number;

/** A compiled scope: its decoder, the factory of its output object, and its output keys. */
export interface CompiledScope {
  decode: ScopeDecoder;
  make: () => Fields;
  keys: OutKey[];
}

/** A compiled event class, with what the reader needs to pool and name its events. */
export interface CompiledEventClass {
  id: number;
  name: string;
  decode: EventDecoder;
  makeFields: () => Fields;
  /** Null when the stream and the class record no context. */
  makeContext: (() => EventContext) | null;
  schema: EventClassSchema;
  /** Why the class could not be compiled, or null. */
  error: string | null;
  /** Dense index among the trace's classes (set by `compileTrace`), for per-run pools. */
  slot: number;
}

/** Context fields the engine knows under another name. */
const CONTEXT_RENAMES: ReadonlyMap<string, string> = new Map([["procname", "comm"]]);
const NONE: ReadonlySet<string> = new Set();

/** The packet header decoder, or null when the trace declares none. */
export function compilePacketHeader(md: CtfMetadata): CompiledScope | null {
  const t = md.trace.packetHeader;
  if (t === null) return null;
  return _scope(md, t, "trace.packet.header", [], { captureId: false, noClock: NONE });
}

/** The packet context decoder of a stream class (`timestamp_end` does not move the clock). */
export function compilePacketContext(md: CtfMetadata, sc: StreamClass): CompiledScope | null {
  if (sc.packetContext === null) return null;
  return _scope(md, sc.packetContext, "stream.packet.context", _external(md, null, "ph"), { captureId: false, noClock: new Set(["timestamp_end"]) });
}

/** The event header decoder of a stream class; it sets `st.id` (0 when the header has none). */
export function compileEventHeader(md: CtfMetadata, sc: StreamClass): CompiledScope | null {
  if (sc.eventHeader === null) return null;
  // Its values are stored only when some path names them: the header is decoded per event.
  const outputs = _namesScope(md, "stream.event.header");
  return _scope(md, sc.eventHeader, "stream.event.header", _external(md, sc, "ph", "pc"), { captureId: true, noClock: NONE, outputs }, "st.id = 0;");
}

/** The decoder of one event class: stream event context, event context, payload. */
export function compileEventClass(md: CtfMetadata, sc: StreamClass, ec: EventClass): CompiledEventClass {
  const g = new CodeGen();
  const em = new TypeEmitter(g, { le: md.trace.byteOrder === "le", external: _external(md, sc, "ph", "pc", "eh"), captureId: false, noClock: NONE });
  let error: string | null = null;
  try {
    if (sc.eventContext) em.emitRoot(sc.eventContext, "stream.event.context", "c", CONTEXT_RENAMES);
    if (ec.context) em.emitRoot(ec.context, "event.context", "c", CONTEXT_RENAMES);
    if (ec.fields) em.emitRoot(ec.fields, "event.fields", "f");
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    error = `Event class \`${ec.name}\` (id ${ec.id}): ${e.message}`;
  }
  const fieldKeys = g.keys.get("f") ?? [];
  const ctxKeys = g.keys.get("c") ?? [];
  const schema: EventClassSchema = { name: ec.name, fields: fieldKeys.map((k) => ({ name: k.key, type: k.type })) };
  const makeFields = _lazy(() => _factory(fieldKeys) as () => Fields);
  const makeContext = ctxKeys.length > 0 ? _lazy(() => _factory(ctxKeys) as () => EventContext) : null;
  if (error !== null) {
    const msg = error;
    const decode: EventDecoder = (_st, p) => {
      throw new DecodeError(msg, p);
    };
    return { id: ec.id, name: ec.name, decode, makeFields, makeContext, schema, error, slot: -1 };
  }
  const src = `const u8 = st.u8, dv = st.dv, f = ev.fields, c = ev.context;\n${g.text()}\n  return p;`;
  const cls: CompiledEventClass = { id: ec.id, name: ec.name, decode: (st, p, ev) => (cls.decode = _compile()).call(null, st, p, ev), makeFields, makeContext, schema, error, slot: -1 };
  // A kernel trace declares a thousand classes and records a few hundred: JavaScript is made
  // for a class when its first event is met, which halves the cost of opening such a trace.
  const _compile = (): EventDecoder => new Function("R", `return function decode_event_${ec.id}(st, p, ev) {\n${src}\n};`)(DecodeRuntime) as EventDecoder;
  return cls;
}

// --- internal ---

function _scope(md: CtfMetadata, t: StructType, path: string, external: ExternalScope[], opts: Pick<EmitterOptions, "captureId" | "noClock" | "outputs">, prologue = ""): CompiledScope {
  const g = new CodeGen();
  new TypeEmitter(g, { le: md.trace.byteOrder === "le", external, ...opts }).emitRoot(t, path, "o");
  const src = `const u8 = st.u8, dv = st.dv;\n  ${prologue}\n${g.text()}\n  return p;`;
  const fname = path.replace(/\./g, "_");
  const decode = new Function("R", `return function decode_${fname}(st, p, o) {\n${src}\n};`)(DecodeRuntime) as ScopeDecoder;
  const keys = g.keys.get("o") ?? [];
  return { decode, make: _factory(keys) as () => Fields, keys };
}

/** True when a variant tag or sequence length anywhere in the metadata uses an absolute path into `scope`. */
function _namesScope(md: CtfMetadata, scope: string): boolean {
  const visit = (t: CtfType | null): boolean => {
    if (t === null) return false;
    switch (t.kind) {
      case "struct":
        return t.fields.some((f) => visit(f.type));
      case "variant":
        return (t.tag?.startsWith(scope + ".") ?? false) || t.options.some((o) => visit(o.type));
      case "sequence":
        return t.lengthPath.startsWith(scope + ".") || visit(t.element);
      case "array":
        return visit(t.element);
      default:
        return false;
    }
  };
  const roots: Array<CtfType | null> = [md.trace.packetHeader];
  for (const sc of md.streams) roots.push(sc.packetContext, sc.eventHeader, sc.eventContext, ...sc.events.flatMap((e) => [e.context, e.fields]));
  return roots.some(visit);
}

function _external(md: CtfMetadata, sc: StreamClass | null, ...which: Array<"ph" | "pc" | "eh">): ExternalScope[] {
  const out: ExternalScope[] = [];
  if (which.includes("ph")) out.push({ path: "trace.packet.header", expr: "st.ph", type: md.trace.packetHeader, relative: true });
  if (sc && which.includes("pc")) out.push({ path: "stream.packet.context", expr: "st.pc", type: sc.packetContext, relative: true });
  // The event header keeps its values only for absolute paths into it (see compileEventHeader).
  if (sc && which.includes("eh")) out.push({ path: "stream.event.header", expr: "st.eh", type: sc.eventHeader, relative: false });
  return out;
}

/** `make()` compiled on its first call (the factory is JavaScript made from metadata). */
function _lazy<T>(make: () => () => T): () => T {
  let f: (() => T) | null = null;
  return () => (f ??= make())();
}

/** A factory of fixed-shape objects with every output key set to null, in decode order. */
function _factory(keys: OutKey[]): () => Record<string, null> {
  const body = keys.map((k) => `${quote(k.key)}: null`).join(", ");
  return new Function(`return function make() { return { ${body} }; };`)() as () => Record<string, null>;
}
