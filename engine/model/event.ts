/**
 * The one event shape every reader produces and every compiled rule reads.
 *
 * Contract: a reader hands the engine `TraceEvent`s in non-decreasing `ts` order per source.
 * Readers may reuse one event object (and one `fields` object per event class) between calls:
 * a consumer that keeps an event past the call that delivered it must copy what it keeps.
 * Generated rule code reads `ev.fields.<name>` — a fixed object shape per event class keeps
 * those reads monomorphic — and context through `ev.context` or the engine's context model.
 */

/**
 * A payload value. Integers that fit in 2^53 are `number`; wider ones (pointers, cr3, ns since
 * the epoch) are `bigint` so they stay exact. Arrays come from CTF sequences/arrays and Trace
 * Compass `intArray`/`longArray` fields.
 */
export type FieldValue = number | bigint | string | boolean | null | FieldValue[] | FieldRecord;

/** A nested record: CTF structs kept whole, and frozen instance snapshots in alert records. */
export interface FieldRecord {
  readonly [name: string]: FieldValue;
}

/** Fields keyed by name; one object shape per event class. */
export type Fields = Record<string, FieldValue>;

/** Context a tracer recorded with the event (LTTng `tid`, `pid`, `procname`...). */
export interface EventContext {
  tid?: number;
  pid?: number;
  ppid?: number;
  comm?: string;
  [extra: string]: FieldValue | undefined;
}

export interface TraceEvent {
  /** Tracepoint name as the trace spells it (`kvm_x86_exit`, `sched_switch`). */
  name: string;
  /** Integer ns relative to the run's origin (see `engine/model/time.ts`). */
  ts: number;
  /** CPU the event was recorded on; -1 when unknown. */
  cpu: number;
  /** Index of the source (host) in the run's source list; `hostName(host)` gives its id. */
  host: number;
  fields: Fields;
  /** Tracer-recorded context, or null; missing entries come from the context model. */
  context: EventContext | null;
}

/**
 * A loss marker: the tracer dropped events (CTF `events_discarded`, `packet_seq_num` gaps,
 * xentrace lost records). Results covering `[start, end]` on `cpu` are uncertain.
 */
export interface LossMarker {
  kind: "loss";
  host: number;
  cpu: number;
  start: number;
  end: number;
  /** Number of events lost when known, else -1. */
  count: number;
}

/** What a reader knows about one event class before any event is read (from metadata). */
export interface EventClassSchema {
  name: string;
  fields: Array<{ name: string; type: FieldType }>;
}

export type FieldType = "int" | "uint" | "float" | "string" | "bool" | "array" | "enum" | "unknown";
