/**
 * Diagnostics are values: every stage returns them with a span, nothing throws for bad input.
 * Codes are stable (`VGL1xx` lexing/parsing, `VGL2xx` names, `VGL3xx` types and bounds,
 * `VGL4xx` plan warnings) so tests and users can match on them.
 */
import type { Span } from "./ast.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** "did you mean `kvm_exit`?" and similar fixes. */
  hint?: string;
}

export function error(code: string, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined ? { code, severity: "error", message, span } : { code, severity: "error", message, span, hint };
}

export function warning(code: string, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined ? { code, severity: "warning", message, span } : { code, severity: "warning", message, span, hint };
}

/** Sorts by file, line, column so reports read top to bottom. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) =>
    a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.line - b.span.line || a.span.col - b.span.col,
  );
}

export function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}
