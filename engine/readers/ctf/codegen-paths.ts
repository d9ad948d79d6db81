/**
 * Name resolution for variant tags and sequence lengths (CTF 1.8 §7.3.2): what a path names,
 * as an expression of generated code holding the integer, and its type.
 *
 * Contract: a relative path is looked up in the enclosing structs, innermost first, then in
 * the scope roots decoded earlier by the same function (e.g. the event context, from the
 * payload); an absolute path (`stream.event.context.len`) names a root of the same function or
 * a scope decoded before it (`st.pc[...]`). Unresolvable paths throw `DecodeError`, which fails
 * the one class that uses them at compile time.
 */
import { quote } from "./codegen-buffer.js";
import { DecodeError } from "./decode-state.js";
import type { CtfType, EnumType, IntegerType, NamedType, StructType } from "./metadata-model.js";

/** A name a path can reach: a decoded integer (local) or a struct of further names. */
export type Binding = { kind: "local"; v: string; type: IntegerType | EnumType } | { kind: "struct"; members: Map<string, Binding> } | { kind: "other" };

/** A scope decoded elsewhere, reachable by absolute path through `st.<expr>`. */
export interface ExternalScope {
  /** Absolute path prefix, e.g. `stream.packet.context`. */
  path: string;
  /** Expression of its decoded object, e.g. `st.pc`. */
  expr: string;
  type: StructType | null;
  /** Whether relative paths may fall back to it (not for scopes whose values are not kept). */
  relative: boolean;
}

/** A resolved path: the generated-code expression holding the value, and its integer type. */
export interface Resolved {
  expr: string;
  type: IntegerType | EnumType;
}

/** The names visible while emitting one function: enclosing structs, earlier roots, externals. */
export class PathScopes {
  /** Members of the structs being decoded, innermost last. */
  readonly stack: Array<Map<string, Binding>> = [];
  private readonly roots: Array<{ path: string; members: Map<string, Binding> }> = [];

  constructor(private readonly externals: ExternalScope[]) {}

  /** Registers a decoded scope root under its absolute path. */
  addRoot(path: string, members: Map<string, Binding>): void {
    this.roots.push({ path, members });
  }

  /** Resolves a tag/length path to an expression holding the integer and its type. */
  resolve(path: string, user: string): Resolved {
    const parts = path.split(".");
    const fromBinding = (b: Binding | undefined, rest: string[]): Resolved | null => {
      for (const part of rest) {
        if (b === undefined || b.kind !== "struct") return null;
        b = b.members.get(part);
      }
      if (b === undefined || b.kind !== "local") return null;
      return { expr: b.v, type: b.type };
    };
    for (const root of this.roots) {
      if (path.startsWith(root.path + ".")) {
        const r = fromBinding({ kind: "struct", members: root.members }, path.slice(root.path.length + 1).split("."));
        if (r) return r;
      }
    }
    for (const ext of this.externals) {
      if (path.startsWith(ext.path + ".") && ext.type) return this.external(ext, path.slice(ext.path.length + 1), user);
    }
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const r = fromBinding(this.stack[i].get(parts[0]), parts.slice(1));
      if (r) return r;
    }
    for (let i = this.roots.length - 1; i >= 0; i--) {
      const r = fromBinding(this.roots[i].members.get(parts[0]), parts.slice(1));
      if (r) return r;
    }
    for (const ext of this.externals) {
      if (ext.relative && ext.type && _findType(ext.type, parts)) return this.external(ext, path, user);
    }
    throw new DecodeError(`Cannot resolve \`${path}\` (tag or length of \`${user}\`)`, 0);
  }

  private external(ext: ExternalScope, rel: string, user: string): Resolved {
    const t = _findType(ext.type as StructType, rel.split("."));
    if (!t || (t.kind !== "int" && t.kind !== "enum")) throw new DecodeError(`Cannot resolve \`${ext.path}.${rel}\` (tag or length of \`${user}\`)`, 0);
    return { expr: `${ext.expr}[${quote(rel)}]`, type: t };
  }
}

// --- internal ---

function _findType(st: StructType, parts: string[]): CtfType | null {
  let t: CtfType = st;
  for (const part of parts) {
    if (t.kind !== "struct") return null;
    const m: NamedType | undefined = t.fields.find((f) => f.name === part);
    if (!m) return null;
    t = m.type;
  }
  return t;
}
