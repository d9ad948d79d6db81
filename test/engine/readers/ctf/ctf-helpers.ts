/**
 * Test helpers: compile TSDL text and decode hand-written bytes with the compiled decoders,
 * without files — the unit level under the babeltrace2 comparisons.
 */
import type { TraceEvent } from "../../../../engine/model/event.js";
import { DecodeState } from "../../../../engine/readers/ctf/decode-state.js";
import { parseTsdl } from "../../../../engine/readers/ctf/tsdl-parser.js";
import { compileTrace, eventClassById, type CompiledTrace } from "../../../../engine/readers/ctf/trace-runtime.js";

/** Minimal metadata around a payload: a one-byte event id header, optional clock field. */
export function metadataWith(fields: string, opts: { byteOrder?: "le" | "be"; header?: string; extra?: string } = {}): string {
  const header = opts.header ?? "integer { size = 8; align = 8; } id;";
  return `/* CTF 1.8 */
trace { major = 1; minor = 8; byte_order = ${opts.byteOrder ?? "le"}; };
clock { name = c; freq = 1000000000; };
${opts.extra ?? ""}
stream { event.header := struct { ${header} }; };
event { name = "e"; id = 0; fields := struct { ${fields} }; };
event { name = "f"; id = 1; fields := struct { integer { size = 8; align = 8; } x; }; };
`;
}

export interface Decoder {
  trace: CompiledTrace;
  st: DecodeState;
  /** Decodes one event (header + payload) at bit `p` of `bytes`; returns it and the end. */
  decode(bytes: Uint8Array, p?: number): { ev: TraceEvent; end: number };
}

/** Compiles `tsdl` and returns a decoder over in-memory bytes. */
export function decoderFor(tsdl: string): Decoder {
  const trace = compileTrace(parseTsdl(tsdl));
  const rs = [...trace.streams.values()][0];
  const st = new DecodeState(trace.base);
  const events = new Map<number, TraceEvent>();
  return {
    trace,
    st,
    decode(bytes, p = 0) {
      st.setBuffer(bytes);
      st.end = bytes.length * 8;
      p = rs.eventHeader ? rs.eventHeader.decode(st, p, st.eh) : p;
      const cls = eventClassById(rs, st.id);
      if (!cls) throw new Error(`no class ${st.id}`);
      let ev = events.get(cls.slot);
      if (!ev) events.set(cls.slot, (ev = { name: cls.name, ts: 0, cpu: -1, host: 0, fields: cls.makeFields(), context: cls.makeContext ? cls.makeContext() : null }));
      const end = cls.decode(st, p, ev);
      return { ev, end };
    },
  };
}
