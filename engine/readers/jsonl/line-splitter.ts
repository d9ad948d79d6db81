/**
 * Splits a byte (or text) stream into lines on arbitrary chunk boundaries: a line, or a UTF-8
 * character, cut between two chunks comes out whole, so the lines never depend on chunking.
 *
 * Lines come without their `\n` (and without a `\r` before it). A line longer than
 * `maxLineChars` is not kept (a binary file read as text would otherwise pile up in memory):
 * it comes out as `null` in its place, so line numbers stay right.
 */

/** Default cap on one line: far above any real event, far below a runaway. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export class LineSplitter {
  private readonly decoder = new TextDecoder("utf-8");
  /** Pieces of the current unfinished line (joined once, when its newline arrives). */
  private pending: string[] = [];
  private pendingChars = 0;
  /** The current line already exceeded the cap: drop its text until the newline. */
  private overlong = false;

  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {}

  /** Feeds one chunk; returns the lines it completed, in order (null = overlong line). */
  push(chunk: Uint8Array | string): Array<string | null> {
    const text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: Array<string | null> = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      out.push(this.finish(text, start, nl));
      start = nl + 1;
    }
    if (start < text.length) this.hold(text, start);
    return out;
  }

  /** Ends the stream: the last line when it had no newline, or undefined when there is none. */
  end(): string | null | undefined {
    const tail = this.decoder.decode();
    if (tail.length > 0) this.hold(tail, 0);
    if (this.pendingChars === 0 && !this.overlong) return undefined;
    return this.finish("", 0, 0);
  }

  // --- internal ---

  private hold(text: string, start: number): void {
    if (this.overlong) return;
    this.pendingChars += text.length - start;
    if (this.pendingChars > this.maxLineChars) {
      this.overlong = true;
      this.pending = [];
      return;
    }
    this.pending.push(start === 0 ? text : text.slice(start));
  }

  private finish(text: string, start: number, end: number): string | null {
    let line: string | null;
    if (this.overlong || this.pendingChars + (end - start) > this.maxLineChars) {
      line = null;
    } else {
      const piece = text.slice(start, end);
      line = this.pending.length === 0 ? piece : this.pending.join("") + piece;
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    }
    this.pending = this.pending.length === 0 ? this.pending : [];
    this.pendingChars = 0;
    this.overlong = false;
    return line;
  }
}
