/**
 * Any opened `TraceSource` as a live feed — what `vigil watch -` uses for a text stream on
 * stdin (`babeltrace2 ... | vigil watch rules.vgl -`), and what replays a finished trace
 * through the live path. Items are handed over batch by batch as the source yields them.
 *
 * Contract: `sink.start` gets the same origin a batch run would choose; after the source ends
 * the feed reports `ended` and resolves. Aborting stops at once, even while waiting for input.
 */
import { chooseRunOrigin, mergeSources } from "../readers/sort.js";
import type { TraceSource } from "../readers/source.js";
import { isLoss } from "../readers/source.js";
import type { LiveFeed, LiveSink } from "./live-feed.js";

export class SourceFeed implements LiveFeed {
  readonly label: string;

  constructor(private readonly sources: TraceSource[]) {
    this.label = sources.map((s) => (s.path === "-" ? "stdin" : s.path)).join(", ");
  }

  async run(sink: LiveSink, signal: AbortSignal): Promise<void> {
    const origin = chooseRunOrigin(this.sources);
    sink.start(origin);
    const it = mergeSources(this.sources, origin)[Symbol.asyncIterator]();
    for (;;) {
      const r = await _nextOrAbort(it, signal);
      if (r === null) return;
      if (r.done) break;
      const batch = r.value;
      sink.items(batch);
      const last = batch[batch.length - 1];
      if (last !== undefined) sink.advance(isLoss(last) ? last.start : last.ts);
    }
    sink.notice({ kind: "ended", why: `${this.label}: end of input` });
  }
}

/**
 * The iterator's next result, or null as soon as `signal` aborts (a quiet stdin must not keep an
 * aborted watch waiting). The abort listener lives for one read only: racing every read
 * against one long-lived promise would pile up reactions on it, one per batch.
 */
function _nextOrAbort<T>(it: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T> | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(null);
    signal.addEventListener("abort", onAbort, { once: true });
    it.next().then(
      (r) => {
        signal.removeEventListener("abort", onAbort);
        resolve(r);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
