/**
 * Line numbers of elements, which fast-xml-parser does not report: the k-th start tag of `tag`
 * in document order is the k-th element the parser returns for it, so issues about parsed
 * elements can name their line. Comments, CDATA sections and processing instructions are
 * skipped so that a `<tag` inside them does not shift the count.
 */

/** 1-based line of every `<tag` start tag, in document order. */
export function elementLines(text: string, tag: string): number[] {
  const lines: number[] = [];
  const open = `<${tag}`;
  let line = 1;
  let counted = 0;
  let i = text.indexOf("<");
  while (i >= 0) {
    const skipTo = _skipEnd(text, i);
    if (skipTo > 0) {
      i = text.indexOf("<", skipTo);
      continue;
    }
    if (text.startsWith(open, i) && _endsName(text.charCodeAt(i + open.length))) {
      line += _newlines(text, counted, i);
      counted = i;
      lines.push(line);
    }
    i = text.indexOf("<", i + 1);
  }
  return lines;
}

// --- internal ---

const SKIPPED: Array<[string, string]> = [["<!--", "-->"], ["<![CDATA[", "]]>"], ["<?", "?>"]];

/** Offset after the end of a comment/CDATA/PI starting at `i`, or 0 when none starts there. */
function _skipEnd(text: string, i: number): number {
  for (const [start, end] of SKIPPED) {
    if (text.startsWith(start, i)) {
      const e = text.indexOf(end, i + start.length);
      return e < 0 ? text.length : e + end.length;
    }
  }
  return 0;
}

/** True when the character after `<tag` ends the name (whitespace, `>`, `/` or end of text). */
function _endsName(c: number): boolean {
  return Number.isNaN(c) || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3e || c === 0x2f;
}

function _newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
