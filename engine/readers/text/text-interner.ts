/**
 * Interns short texts read from lines (event names, comms): a text seen before comes back as
 * the same string object without slicing the line again, so the hot path allocates nothing for
 * the few dozen names and comms a trace repeats millions of times, and map lookups keyed by
 * them hit strings whose hash is already computed.
 *
 * Contract: `get(line, a, b)` returns a string equal to `line.slice(a, b)`; bounded (a trace
 * with endless distinct texts just stops being interned once `max` is reached).
 */
export class TextInterner {
  private readonly buckets = new Map<number, string[]>();
  private size = 0;

  constructor(private readonly max = 65536) {}

  get(line: string, a: number, b: number): string {
    const len = b - a;
    if (len === 0) return "";
    const key = len * 0x1000000 + line.charCodeAt(a) * 0x10000 + (line.charCodeAt(b - 1) & 0xffff);
    let bucket = this.buckets.get(key);
    if (bucket !== undefined) {
      for (let i = 0; i < bucket.length; i++) {
        const s = bucket[i]!;
        if (line.startsWith(s, a)) return s;
      }
    }
    const s = line.slice(a, b);
    if (this.size < this.max) {
      if (bucket === undefined) this.buckets.set(key, (bucket = []));
      bucket.push(s);
      this.size++;
    }
    return s;
  }
}
