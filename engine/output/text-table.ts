/**
 * Aligned plain-text tables for the terminal report.
 *
 * Contract: every line has the columns at the same offsets, separated by two spaces, numeric
 * columns (and their headers) right-aligned, the last column not padded and no trailing
 * spaces. Width is measured in UTF-16 code units, which is exact for the ASCII that trace
 * names and numbers are made of.
 */

/** One column: header, already formatted cells, alignment. */
export interface TextColumn {
  header: string;
  cells: string[];
  align: "left" | "right";
}

/** Lines of the table (header first), each prefixed with `indent`. */
export function renderTextTable(columns: readonly TextColumn[], indent = "  "): string[] {
  const rows = columns.length === 0 ? 0 : Math.max(...columns.map((c) => c.cells.length));
  const widths = columns.map(_width);
  const line = (cell: (c: TextColumn) => string): string =>
    (indent + columns.map((c, i) => _pad(cell(c), widths[i], c.align)).join("  ")).trimEnd();
  const lines = [line((c) => c.header)];
  for (let r = 0; r < rows; r++) lines.push(line((c) => c.cells[r] ?? ""));
  return lines;
}

// --- internal ---

/** Widest of header and cells; a loop, since spreading a million cells into Math.max overflows the stack. */
function _width(c: TextColumn): number {
  let w = c.header.length;
  for (const x of c.cells) if (x.length > w) w = x.length;
  return w;
}

function _pad(s: string, width: number, align: "left" | "right"): string {
  return align === "right" ? s.padStart(width) : s.padEnd(width);
}
