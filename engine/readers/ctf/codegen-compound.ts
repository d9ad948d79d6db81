/**
 * Emitter for compound types (struct, variant, array, sequence) and for the paths that variant
 * tags and sequence lengths name.
 *
 * Output layout (what `TraceEvent.fields` holds): a struct's members are flattened into dotted
 * keys (`network_header.ipv4.ttl`); a variant writes the selected option's name at its own key
 * and the option's value(s) under `<key>.<option>`, and sets the other options' keys to null so
 * the object keeps one shape; text arrays/sequences are strings; other arrays are arrays, whose
 * struct elements are positional arrays of member values.
 *
 * Tag and length paths are resolved by `codegen-paths.ts`.
 */
import type { CtfType, NamedType, StructType, VariantType } from "./metadata-model.js";
import { alignOf } from "./metadata-model.js";
import { CodeGen, intLiteral, quote } from "./codegen-buffer.js";
import { emitAlign, emitFloat, emitInt, emitString, emitText } from "./codegen-scalar.js";
import { DecodeError } from "./decode-state.js";
import { PathScopes, type Binding, type ExternalScope } from "./codegen-paths.js";
import { minBits } from "./type-size.js";
import type { FieldType } from "../../model/event.js";


/** Where a decoded value goes: an output slot `obj[key]`, or a local variable. */
type Sink = { kind: "out"; obj: string; key: string } | { kind: "var"; v: string };


/** What a `TypeEmitter` needs to know about the scope it emits. */
export interface EmitterOptions {
  le: boolean;
  /** Scopes decoded before this function runs (packet header/context, event header). */
  external: ExternalScope[];
  /** `id` fields set `st.id` (event header). */
  captureId: boolean;
  /** Top-level member names whose clock mapping is ignored (`timestamp_end`). */
  noClock: ReadonlySet<string>;
  /** False to decode without storing values (a scope nothing reads by name). Default true. */
  outputs?: boolean;
}

/** Emits the decoding code of whole scopes (structs and everything inside) into a `CodeGen`. */
export class TypeEmitter {
  private readonly scopes: PathScopes;
  private rename: ReadonlyMap<string, string> | undefined;

  constructor(
    readonly g: CodeGen,
    private readonly opts: EmitterOptions,
  ) {
    this.scopes = new PathScopes(opts.external);
  }

  /**
   * Decodes a scope root struct into `obj` (keys at top level), registered as `path` for later
   * paths; `rename` renames top-level output keys (`procname` → `comm` in contexts).
   */
  emitRoot(st: StructType, path: string, obj: string, rename?: ReadonlyMap<string, string>): void {
    this.rename = rename;
    const b = this.emitStructOut(st, "", obj, true);
    this.rename = undefined;
    this.scopes.addRoot(path, b.members);
  }

  // --- internal ---

  private emitStructOut(st: StructType, prefix: string, obj: string, top = false): { kind: "struct"; members: Map<string, Binding> } {
    emitAlign(this.g, alignOf(st));
    const members = new Map<string, Binding>();
    this.scopes.stack.push(members);
    for (const f of st.fields) {
      let key = prefix === "" ? f.name : `${prefix}.${f.name}`;
      if (top && this.rename?.has(f.name)) key = this.rename.get(f.name) as string;
      members.set(f.name, this.emitField(f, { kind: "out", obj, key }, top));
    }
    this.scopes.stack.pop();
    return { kind: "struct", members };
  }

  private emitField(f: NamedType, sink: Sink, top: boolean): Binding {
    const t = f.type;
    const g = this.g;
    switch (t.kind) {
      case "int":
      case "enum": {
        const it = t.kind === "int" ? t : t.container;
        const v = g.fresh();
        const clock = it.clock !== null && !(top && this.opts.noClock.has(f.name));
        emitInt(g, it, this._le(it.byteOrder), v, { clock, id: this.opts.captureId && f.name === "id" });
        this.store(sink, v, t.kind === "enum" ? "enum" : it.signed ? "int" : "uint");
        return { kind: "local", v, type: t };
      }
      case "float": {
        const v = g.fresh();
        emitFloat(g, t, this._le(t.byteOrder), v);
        this.store(sink, v, "float");
        return { kind: "other" };
      }
      case "string": {
        const v = g.fresh();
        emitString(g, v);
        this.store(sink, v, "string");
        return { kind: "other" };
      }
      case "struct": {
        if (sink.kind === "out") return this.emitStructOut(t, sink.key, sink.obj);
        emitAlign(g, alignOf(t));
        const members = new Map<string, Binding>();
        const vars: string[] = [];
        this.scopes.stack.push(members);
        for (const m of t.fields) {
          const v = g.fresh("e");
          vars.push(v);
          members.set(m.name, this.emitField(m, { kind: "var", v }, false));
        }
        this.scopes.stack.pop();
        g.line(`${sink.v} = [${vars.join(", ")}];`);
        return { kind: "struct", members };
      }
      case "variant":
        this.emitVariant(t, f.name, sink);
        return { kind: "other" };
      case "array":
      case "sequence":
        this.emitList(t, f.name, sink);
        return { kind: "other" };
    }
  }

  private store(sink: Sink, v: string, type: FieldType): void {
    if (sink.kind === "var") {
      this.g.line(`${sink.v} = ${v};`);
      return;
    }
    if (this.opts.outputs === false) return;
    this.g.addKey(sink.obj, sink.key, type);
    this.g.line(`${sink.obj}[${quote(sink.key)}] = ${v};`);
  }

  private emitVariant(t: VariantType, name: string, sink: Sink): void {
    const g = this.g;
    if (t.tag === null) throw new DecodeError(`Variant \`${name}\` has no tag`, 0);
    const tag = this.scopes.resolve(t.tag, name);
    if (tag.type.kind !== "enum") throw new DecodeError(`Variant \`${name}\`: tag \`${t.tag}\` is not an enum`, 0);
    const mappings = tag.type.mappings;
    const branches: Array<{ cond: string; lines: string[]; keys: string[]; known: number | null }> = [];
    const startKnown = g.known;
    const obj = sink.kind === "out" ? sink.obj : "";
    for (const opt of t.options) {
      const ranges = mappings.filter((m) => _stripOne(m.label) === opt.name);
      if (ranges.length === 0) continue;
      const cond = ranges.map((m) => (m.lo === m.hi ? `${tag.expr} === ${intLiteral(m.lo)}` : `(${tag.expr} >= ${intLiteral(m.lo)} && ${tag.expr} <= ${intLiteral(m.hi)})`)).join(" || ");
      const before = sink.kind === "out" ? (g.keys.get(obj) ?? []).length : 0;
      g.known = startKnown;
      const mark = g.mark();
      if (sink.kind === "out") {
        this.store(sink, quote(opt.name), "string");
        this.emitField(opt, { kind: "out", obj, key: `${sink.key}.${opt.name}` }, false);
      } else this.emitField(opt, sink, false);
      const keys = sink.kind === "out" ? (g.keys.get(obj) ?? []).slice(before).map((k) => k.key) : [];
      branches.push({ cond, lines: g.cut(mark), keys, known: g.known });
    }
    const all = new Set(branches.flatMap((b) => b.keys));
    const fail = `R.noOption(p, ${quote(`variant \`${name}\``)}, ${tag.expr});`;
    branches.forEach((b, i) => {
      if (i === 0) g.open(`if (${b.cond}) {`);
      else g.reopen(`} else if (${b.cond}) {`);
      for (const k of all) if (!b.keys.includes(k)) g.line(`${obj}[${quote(k)}] = null;`);
      g.paste(b.lines);
    });
    if (branches.length === 0) g.line(fail);
    else {
      g.reopen("} else {");
      g.line(fail);
      g.close();
    }
    const ends = new Set(branches.map((b) => b.known));
    g.known = ends.size === 1 ? branches[0].known : null;
  }

  private emitList(t: CtfType & { kind: "array" | "sequence" }, name: string, sink: Sink): void {
    const g = this.g;
    let n: string;
    if (t.kind === "array") n = String(t.length);
    else {
      const len = this.scopes.resolve(t.lengthPath, name);
      n = len.expr;
    }
    const el = t.element;
    const what = quote(`${t.kind} \`${name}\``);
    const v = sink.kind === "var" ? sink.v : g.fresh();
    const elInt = el.kind === "int" ? el : null;
    if (elInt && elInt.size === 8 && elInt.encoding !== "none" && elInt.align % 8 === 0) {
      emitText(g, n, v, what);
      if (sink.kind === "out") this.store(sink, v, "string");
      return;
    }
    emitAlign(g, alignOf(el));
    const len = g.fresh("n");
    const i = g.fresh("i");
    const e = g.fresh("e");
    g.line(`${len} = R.len(st, p, ${n}, ${minBits(el)}, ${what});`);
    g.line(`${v} = new Array(${len});`);
    const elAlign = alignOf(el);
    g.known = elAlign >= 8 ? 0 : null;
    g.open(`for (${i} = 0; ${i} < ${len}; ${i}++) {`);
    g.known = elAlign >= 8 ? 0 : null;
    this.emitField({ name, type: el }, { kind: "var", v: e }, false);
    g.line(`${v}[${i}] = ${e};`);
    g.close();
    g.known = elAlign >= 8 && g.known === 0 ? 0 : null;
    if (sink.kind === "out") this.store(sink, v, "array");
  }

  private _le(bo: "le" | "be" | "native"): boolean {
    return bo === "native" ? this.opts.le : bo === "le";
  }
}

// --- internal ---

function _stripOne(s: string): string {
  return s.startsWith("_") ? s.slice(1) : s;
}
