/**
 * The contents of `map` declarations, built once at check time: literal entries (constant
 * expressions) or a TSV data file next to the rule file (`# comments`, a header row naming
 * the columns). Keys and values that look like integers (decimal or 0x) become numbers, so
 * `vmx[exit_reason]` finds 12 whether the trace gives 12 or 12n.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { MapDecl } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import type { FieldValue } from "../model/event.js";
import { norm } from "../runtime/builtins.js";
import { evalConst } from "./const-eval.js";
import type { Symbols } from "./symbols.js";

export type MapData = Map<FieldValue, FieldValue>;

export function loadMaps(symbols: Symbols, out: Diagnostic[]): Map<string, MapData> {
  const maps = new Map<string, MapData>();
  for (const [name, decl] of symbols.maps) maps.set(name, decl.source ? fromFile(decl, out) : fromEntries(decl, symbols, out));
  return maps;
}

/** A TSV cell as a map key or value: integers as numbers (bigint beyond 2^53), else text. */
export function cellValue(text: string): FieldValue {
  const t = text.trim();
  if (/^-?\d+$/.test(t) || /^0x[0-9a-f]+$/i.test(t)) return norm(BigInt(t));
  return t;
}

// --- internal ---

function fromEntries(decl: MapDecl, symbols: Symbols, out: Diagnostic[]): MapData {
  const m: MapData = new Map();
  for (const { key, value } of decl.entries ?? []) {
    try {
      const k = evalConst(key, symbols);
      const v = evalConst(value, symbols);
      m.set(typeof k === "bigint" ? norm(k) : k, typeof v === "bigint" ? norm(v) : v);
    } catch (err) {
      out.push(error("VGL229", `Map ${decl.name.name}: entries must be constants (${(err as Error).message})`, key.span));
    }
  }
  return m;
}

function fromFile(decl: MapDecl, out: Diagnostic[]): MapData {
  const src = decl.source!;
  const path = resolve(dirname(decl.span.file), src.path);
  const m: MapData = new Map();
  if (!existsSync(path)) {
    out.push(error("VGL230", `Map ${decl.name.name}: cannot read \`${path}\``, src.span));
    return m;
  }
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = (lines.shift() ?? "").split("\t").map((h) => h.trim());
  const ki = header.indexOf(src.keyColumn);
  const vi = header.indexOf(src.valueColumn);
  if (ki < 0 || vi < 0) {
    const missing = ki < 0 ? src.keyColumn : src.valueColumn;
    out.push(error("VGL231", `Map ${decl.name.name}: \`${path}\` has no column \`${missing}\` (columns: ${header.join(", ")})`, src.span));
    return m;
  }
  for (const line of lines) {
    const cells = line.split("\t");
    if (cells[ki] === undefined || cells[vi] === undefined) continue;
    m.set(cellValue(cells[ki]!), cellValue(cells[vi]!));
  }
  return m;
}
