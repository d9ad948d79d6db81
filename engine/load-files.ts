/**
 * Loads the files of a compilation unit: the files and directories named, the built-in packs
 * asked for, and everything they `use`, each parsed once. A missing file is a diagnostic at
 * the `use` that names it (or at 1:1 of a pseudo-file for a command-line path).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Span, VglFile } from "../grammar/ast.js";
import { error, type Diagnostic } from "../grammar/diagnostic.js";
import { packageRoot } from "./model/package-root.js";

export interface SourceText {
  file: string;
  text: string;
}

export type ParseFn = (text: string, file: string) => { ast: VglFile; diagnostics: Diagnostic[] };

/** Folder of the built-in packs. */
export function packsDir(): string {
  return join(packageRoot(), "rules");
}

/** A built-in pack's `pack.json` as parsed JSON, or null when it has none. */
export function packManifest(pack: string): Record<string, unknown> | null {
  const file = join(packsDir(), pack, "pack.json");
  if (!existsSync(file)) return null;
  const doc: unknown = JSON.parse(readFileSync(file, "utf8"));
  return typeof doc === "object" && doc !== null && !Array.isArray(doc) ? doc as Record<string, unknown> : null;
}

/**
 * The machines, segment sets and tables a pack's `reports` lists, in that order: the order
 * its terminal report shows them in (the pack's main timeline and tables first).
 */
export function packReportOrder(pack: string): string[] {
  const reports = packManifest(pack)?.["reports"];
  if (typeof reports !== "object" || reports === null) return [];
  const r = reports as Record<string, unknown>;
  return ["machines", "sequences", "tables"].flatMap((k) => Array.isArray(r[k]) ? r[k].filter((x): x is string => typeof x === "string") : []);
}

/** Names of the built-in packs (folders of `rules/` holding `.vgl` files). */
export function listPacks(): string[] {
  const dir = packsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory() && vglFilesUnder(join(dir, d)).length > 0).sort();
}

/** `.vgl` files under a directory, sorted for determinism. */
export function vglFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...vglFilesUnder(p));
    else if (name.endsWith(".vgl")) out.push(p);
  }
  return out;
}

export function loadUnitFiles(
  input: { files?: string[]; packs?: string[]; sources?: SourceText[] },
  parse: ParseFn,
): { files: VglFile[]; diagnostics: Diagnostic[]; texts: Map<string, string> } {
  const files: VglFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();
  const loaded = new Set<string>();

  const add = (file: string, text: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    texts.set(file, text);
    const { ast, diagnostics: ds } = parse(text, file);
    diagnostics.push(...ds);
    files.push(ast);
    for (const d of ast.decls) {
      if (d.kind !== "Use") continue;
      if ("path" in d.target) loadPath(resolve(dirname(file), d.target.path), d.span);
      else loadPack(d.target.pack, d.span);
    }
  };
  const loadPath = (path: string, at: Span | null) => {
    if (!existsSync(path)) {
      diagnostics.push(error("VGL120", `Cannot read \`${path}\`: no such file or directory`, at ?? pseudo(path)));
      return;
    }
    if (statSync(path).isDirectory()) {
      const vgls = vglFilesUnder(path);
      if (vgls.length === 0) diagnostics.push(error("VGL121", `No .vgl files under \`${path}\``, at ?? pseudo(path)));
      vgls.forEach((f) => add(f, readFileSync(f, "utf8")));
    } else add(path, readFileSync(path, "utf8"));
  };
  const loadPack = (name: string, at: Span | null) => {
    const [pack, ...rest] = name.split(".");
    const dir = join(packsDir(), pack!);
    const target = rest.length > 0 ? join(dir, ...rest.slice(0, -1), rest[rest.length - 1] + ".vgl") : dir;
    if (!existsSync(target)) {
      const known = listPacks();
      diagnostics.push(error("VGL122", `Unknown pack \`${name}\`${known.length ? ` (built-in packs: ${known.join(", ")})` : ""}`, at ?? pseudo(name)));
      return;
    }
    loadPath(target, at);
  };

  for (const s of input.sources ?? []) add(s.file, s.text);
  for (const p of input.packs ?? []) loadPack(p, null);
  for (const f of input.files ?? []) loadPath(resolve(f), null);
  return { files, diagnostics, texts };
}

function pseudo(file: string): Span {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1 };
}
