/**
 * Output text in pieces: formatters push many small strings and their sink receives them
 * joined, about `limit` characters at a time, in order (a long run's JSON or CSV is more text
 * than one JavaScript string can hold, and one write per record would be slow).
 */
/** Collects small pieces and hands them on joined, about `limit` characters at a time. */
export class ChunkBuffer {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly write: (chunk: string) => void, private readonly limit = 1 << 20) {}

  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}
