/**
 * Content sniffing for the text formats: run a format's own decoder over the first lines of
 * a file's head and see whether they are its lines.
 *
 * Contract: `sniffWith(head, newDecoder)` is true when, among the first `MAX_SNIFF_LINES` lines
 * that are not skipped (comments, headers, blank), the first one decodes to an event, and none
 * decoded before it failed. The head's last line may be cut: it is looked at last, through the
 * decoder's `sniffCut` when it has one. Binary heads (a NUL byte) are never text.
 */
import { EventSlot, LINE_ERROR, LINE_EVENT, LINE_LOSS, type LineDecoder } from "./line-decoder.js";

export const MAX_SNIFF_LINES = 64;

export function sniffWith(head: Uint8Array, newDecoder: () => LineDecoder): boolean {
  if (head.includes(0)) return false;
  const { lines, cut } = headLines(head);
  const dec = newDecoder();
  const slot = new EventSlot(0);
  let looked = 0;
  for (const line of lines) {
    const r = dec.decode(line, slot);
    if (r === LINE_EVENT) return true;
    if (r === LINE_ERROR) return false;
    if (r === LINE_LOSS) continue;
    if (++looked >= MAX_SNIFF_LINES) return false;
  }
  if (cut === "") return false;
  return dec.sniffCut !== undefined ? dec.sniffCut(cut) : dec.decode(cut, slot) === LINE_EVENT;
}

/** The complete lines of `head` (without `\r`, BOM stripped), and the text after the last newline. */
export function headLines(head: Uint8Array): { lines: string[]; cut: string } {
  let text = new TextDecoder("utf-8").decode(head);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split("\n");
  const cut = lines.pop()!;
  return { lines: lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)), cut };
}
