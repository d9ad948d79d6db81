/**
 * Diagnostics for people and for tools.
 *
 * Contract: `formatDiagnostic` gives `file:line:col: error CODE: message`, the offending
 * source line, a caret line (`^~~~` under the span, clipped to the line; tabs kept so the
 * caret lines up), then `  hint: …` when there is one. `toJsonDiagnostic` gives the flat
 * record editors and CI annotations read, with the hint folded into the message.
 */
import type { Diagnostic } from "./diagnostic.js";

/** The flat JSON form of a diagnostic. */
export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: Diagnostic["severity"];
  code: string;
  message: string;
}

/** The terminal form (see the module contract); `sourceText` is the whole file's text. */
export function formatDiagnostic(d: Diagnostic, sourceText: string): string {
  const { file, line, col } = d.span;
  const out = [`${file}:${line}:${col}: ${d.severity} ${d.code}: ${d.message}`];
  const src = _line(sourceText, line);
  if (src !== null) {
    const start = Math.min(Math.max(col, 1), src.length + 1);
    const end = d.span.endLine === line ? Math.max(d.span.endCol, start + 1) : src.length + 1;
    const width = Math.max(1, Math.min(end, src.length + 1) - start);
    // Copy tabs from the source so the caret sits under the same column in any terminal.
    const pad = src.slice(0, start - 1).replace(/[^\t]/g, " ");
    out.push(src, pad + "^" + "~".repeat(width - 1));
  }
  if (d.hint !== undefined) out.push(`  hint: ${d.hint}`);
  return out.join("\n");
}

/** The JSON form (see the module contract). */
export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  return {
    file: d.span.file,
    line: d.span.line,
    column: d.span.col,
    severity: d.severity,
    code: d.code,
    message: d.hint === undefined ? d.message : `${d.message}; hint: ${d.hint}`,
  };
}

// --- internal ---

/** Line `n` (1-based) without its line break, or null past the end. */
function _line(text: string, n: number): string | null {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return null;
    start = nl + 1;
  }
  const nl = text.indexOf("\n", start);
  return text.slice(start, nl < 0 ? text.length : nl).replace(/\r$/, "");
}
