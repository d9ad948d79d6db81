/**
 * JSON text for run results: exact bigints, no non-finite numbers, deterministic layout.
 *
 * Contract: `jsonValue` writes a `FieldValue` as JSON — bigint as a decimal string (exact at any
 * width; JSON numbers lose precision past 2^53 in most readers), NaN and ±Infinity as null,
 * arrays inline. `renderJson` pretty-prints a `JsonNode` tree with 2-space indentation and
 * keys in the order given; `raw` nodes (one record per line) are written as they are.
 * The same tree always gives the same bytes.
 */
import type { FieldValue } from "../model/event.js";
import { ChunkBuffer } from "./chunk-buffer.js";

/**
 * A JSON document in construction: objects keep their entry order. `records` is an array of
 * `count` one-line values produced only while the document is written, so a million intervals
 * are never all in memory as text at once.
 */
export type JsonNode =
  | { kind: "raw"; text: string }
  | { kind: "object"; entries: Array<[string, JsonNode]> }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "records"; count: number; joined: (separator: string) => Iterable<string> };

/** A pre-rendered JSON value. */
export function raw(text: string): JsonNode {
  return { kind: "raw", text };
}

/** JSON text of one value (see the contract). */
export function jsonValue(v: FieldValue): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "number":
      // String() gives the shortest round-tripping form, which is valid JSON for finite numbers.
      return Number.isFinite(v) ? String(v) : "null";
    case "bigint":
      return `"${v}"`;
    case "string":
      return JSON.stringify(v);
    case "boolean":
      return v ? "true" : "false";
    default:
      if (Array.isArray(v)) return `[${v.map(jsonValue).join(", ")}]`;
      return inlineObject(Object.entries(v));
  }
}

/** `{"a": 1, "b": "x"}` on one line, keys in the order given. */
export function inlineObject(entries: Array<[string, FieldValue]>): string {
  if (entries.length === 0) return "{}";
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonValue(v)}`).join(", ")}}`;
}

/**
 * `inlineObject` of `head` (the text of the first entries, as inlineObject writes them, without
 * braces) followed by the own fields of `fields`, each named by `name`.
 */
export function inlineRecord(head: string, fields: Record<string, FieldValue>, name: (field: string) => string): string {
  let out = `{${head}`;
  for (const k in fields) out += `, ${JSON.stringify(name(k))}: ${jsonValue(fields[k]!)}`;
  return `${out}}`;
}

/** The document's text, ending with a newline. */
export function renderJson(node: JsonNode): string {
  const out: string[] = [];
  writeJson(node, (chunk) => out.push(chunk));
  return out.join("");
}

/**
 * The document's text handed to `write` in pieces of about a megabyte, in order, ending with a
 * newline: a result with millions of intervals is more text than one JavaScript string holds.
 */
export function writeJson(node: JsonNode, write: (chunk: string) => void): void {
  const out = new ChunkBuffer(write);
  _render(node, "", out);
  out.push("\n");
  out.flush();
}

// --- internal ---

function _render(node: JsonNode, indent: string, out: ChunkBuffer): void {
  if (node.kind === "raw") {
    out.push(node.text);
    return;
  }
  const inner = `${indent}  `;
  if (node.kind === "records") {
    if (node.count === 0) {
      out.push("[]");
      return;
    }
    out.push(`[\n${inner}`);
    for (const piece of node.joined(`,\n${inner}`)) out.push(piece);
    out.push(`\n${indent}]`);
    return;
  }
  if (node.kind === "array") {
    if (node.items.length === 0) {
      out.push("[]");
      return;
    }
    out.push("[\n");
    node.items.forEach((item, i) => {
      out.push(inner);
      _render(item, inner, out);
      out.push(i < node.items.length - 1 ? ",\n" : "\n");
    });
    out.push(`${indent}]`);
    return;
  }
  if (node.entries.length === 0) {
    out.push("{}");
    return;
  }
  out.push("{\n");
  node.entries.forEach(([key, value], i) => {
    out.push(`${inner}${JSON.stringify(key)}: `);
    _render(value, inner, out);
    out.push(i < node.entries.length - 1 ? ",\n" : "\n");
  });
  out.push(`${indent}}`);
}
