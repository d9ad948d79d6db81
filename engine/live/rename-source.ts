/**
 * A `TraceSource` whose event names go through a rename (e.g. `stripProvider`), so a recorded
 * UST trace can be replayed with the same names `vigil watch --strip-provider` gives it live.
 *
 * Contract: everything but `name` and the schema's names is the wrapped source's; names are
 * rewritten in place on the events of each batch (the reader's pooled objects), once per event.
 */
import type { EventClassSchema } from "../model/event.js";
import { isLoss, type SourceItem, type TraceSource } from "../readers/source.js";
import type { EventRename } from "./live-trace.js";

export class RenamedSource implements TraceSource {
  private readonly cache = new Map<string, string>();

  constructor(private readonly inner: TraceSource, private readonly rename: EventRename) {}

  get hostId(): string { return this.inner.hostId; }
  get path(): string { return this.inner.path; }
  get format(): string { return this.inner.format; }
  get first(): bigint | null { return this.inner.first; }
  get last(): bigint | null { return this.inner.last; }
  progress(): number | null { return this.inner.progress?.() ?? null; }
  get schema(): EventClassSchema[] | null {
    return this.inner.schema?.map((c) => ({ ...c, name: this.map(c.name) })) ?? null;
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  async *batches(origin: bigint, host: number): AsyncIterable<SourceItem[]> {
    for await (const batch of this.inner.batches(origin, host)) {
      for (const it of batch) if (!isLoss(it)) it.name = this.map(it.name);
      yield batch;
    }
  }

  // --- internal ---

  private map(name: string): string {
    let n = this.cache.get(name);
    if (n === undefined) this.cache.set(name, (n = this.rename(name)));
    return n;
  }
}
