/**
 * The CTF 1.8 metadata model: what the TSDL parser produces and the class compiler consumes.
 *
 * Contract: a `CtfMetadata` is fully resolved — type aliases are expanded, field names have had
 * one leading `_` stripped (as the spec asks and babeltrace does), numbers that may exceed 2^53
 * (clock offsets, enum bounds) are `bigint`. Byte order `"native"` is left as is and resolved
 * against `trace.byteOrder` by the compiler, because type aliases may precede the `trace` block.
 * Variant tags and sequence lengths stay as paths; the compiler resolves them in scope.
 */

/** Byte order of one type; `native` means the trace's `byte_order`. */
export type ByteOrder = "le" | "be" | "native";

/** `integer { ... }`: any size 1..64, alignment and byte order; maybe mapped to a clock. */
export interface IntegerType {
  kind: "int";
  /** Size in bits, 1..64. */
  size: number;
  /** Alignment in bits (a power of two). */
  align: number;
  signed: boolean;
  byteOrder: ByteOrder;
  /** Preferred display base (2, 8, 10, 16). */
  base: number;
  /** `utf8`/`ascii` on 8-bit integers makes arrays and sequences of them text. */
  encoding: "none" | "utf8" | "ascii";
  /** Clock name from `map = clock.<name>.value`, or null. */
  clock: string | null;
}

/** One enum mapping: `label = lo ... hi` (lo == hi for a single value). */
export interface EnumMapping {
  label: string;
  lo: bigint;
  hi: bigint;
}

/** `enum : container { label = lo ... hi, ... }`. */
export interface EnumType {
  kind: "enum";
  container: IntegerType;
  mappings: EnumMapping[];
}

/** `floating_point { ... }`: binary32 (8+24) or binary64 (11+53). */
export interface FloatType {
  kind: "float";
  expDig: number;
  mantDig: number;
  align: number;
  byteOrder: ByteOrder;
}

/** `string`: NUL-terminated, byte-aligned. */
export interface StringType {
  kind: "string";
  encoding: "utf8" | "ascii";
}

/** One named member of a struct or option of a variant. */
export interface NamedType {
  name: string;
  type: CtfType;
}

/** `struct { ... } align(N)`: members in order, no padding at the end. */
export interface StructType {
  kind: "struct";
  fields: NamedType[];
  /** The `align(N)` attribute (bits), 1 when absent. Effective alignment also counts members. */
  minAlign: number;
}

/** `variant <tag> { ... }`: one option, chosen by the label of the tag's enum value. */
export interface VariantType {
  kind: "variant";
  /** Dotted path of the tag field, or null for an untagged variant (tag given by a declarator). */
  tag: string | null;
  options: NamedType[];
}

/** `name[N]`: a fixed number of elements. */
export interface ArrayType {
  kind: "array";
  element: CtfType;
  length: number;
}

/** `name[length_field]`: as many elements as an earlier integer says. */
export interface SequenceType {
  kind: "sequence";
  element: CtfType;
  /** Dotted path of the length field. */
  lengthPath: string;
}

/** Every CTF 1.8 field type. */
export type CtfType = IntegerType | EnumType | FloatType | StringType | StructType | VariantType | ArrayType | SequenceType;

/** A `clock { ... }` block. */
export interface ClockClass {
  name: string;
  /** Hz; 1e9 when absent. */
  freq: bigint;
  /** Seconds, signed. */
  offsetS: bigint;
  /** Cycles, signed. */
  offset: bigint;
  uuid: string | null;
  description: string | null;
  absolute: boolean;
}

/** An `event { ... }` block. */
export interface EventClass {
  /** Event id within its stream class (0 when the metadata gives none). */
  id: number;
  name: string;
  streamId: number;
  context: StructType | null;
  fields: StructType | null;
  /** Other attributes (`loglevel`, `model.emf.uri`) as given. */
  attributes: Record<string, string | bigint>;
}

/** A `stream { ... }` block and its event classes. */
export interface StreamClass {
  /** Stream class id (0 when the metadata gives none). */
  id: number;
  packetContext: StructType | null;
  eventHeader: StructType | null;
  eventContext: StructType | null;
  events: EventClass[];
}

/** The `trace { ... }` block. */
export interface TraceClass {
  major: number;
  minor: number;
  /** Canonical lower-case UUID text, or null. */
  uuid: string | null;
  byteOrder: "le" | "be";
  packetHeader: StructType | null;
}

/** A metadata warning: something tolerated (unknown attribute, odd value). */
export interface MetadataWarning {
  line: number;
  message: string;
}

/** A whole metadata file, resolved. */
export interface CtfMetadata {
  trace: TraceClass;
  env: Record<string, string | bigint>;
  clocks: ClockClass[];
  streams: StreamClass[];
  warnings: MetadataWarning[];
}

/** Alignment in bits of a type as laid out in a stream (CTF 1.8 §4). */
export function alignOf(type: CtfType): number {
  switch (type.kind) {
    case "int":
    case "float":
      return type.align;
    case "enum":
      return type.container.align;
    case "string":
      return 8;
    case "array":
    case "sequence":
      return alignOf(type.element);
    case "variant":
      // A variant aligns as its selected option, known only per instance.
      return 1;
    case "struct": {
      let a = type.minAlign;
      for (const f of type.fields) if (f.type.kind !== "variant") a = Math.max(a, alignOf(f.type));
      return a;
    }
  }
}
