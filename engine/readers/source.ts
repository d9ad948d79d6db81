/**
 * The source interface every reader implements (babeltrace's "medium" + "message iterator").
 *
 * Contract: `openTrace` (in `index.ts`) picks a reader by detection, the reader returns one or
 * more `TraceSource`s (a CTF parent directory with `kernel/` and `ust/` is several). After
 * `open`, `first` is known; `batches(origin, host)` then yields events in non-decreasing `ts`
 * (relative to `origin`) and loss markers, in batches so the async boundary is paid rarely.
 * Problems are reported through `issues` with a location, and reading continues where it can:
 * a truncated file yields everything before the break, then one `error` issue saying where.
 */
import type { EventClassSchema, LossMarker, TraceEvent } from "../model/event.js";

export interface ReadIssue {
  severity: "error" | "warning";
  /** file path, plus `line` for text formats or `offset` (bytes) for binary ones */
  file: string;
  line?: number;
  offset?: number;
  message: string;
}

export type SourceItem = TraceEvent | LossMarker;

export interface TraceSource {
  /** Host id: the trace's file or directory name unless the user names it. */
  readonly hostId: string;
  readonly path: string;
  /** Format name as registered in `ReadersMap`. */
  readonly format: string;
  /** Absolute ns of the first event, null when the source is empty. Valid after `open`. */
  first: bigint | null;
  /** Absolute ns of the last event when cheaply known (else null). */
  last: bigint | null;
  /** Event classes declared by the trace (CTF metadata, XML scan...), or null when unknown. */
  schema: EventClassSchema[] | null;
  /** Reads headers / first timestamp. */
  open(): Promise<void>;
  /** Yields the source's events in timestamp order. `host` is stamped on every event. */
  batches(origin: bigint, host: number): AsyncIterable<SourceItem[]>;
  /**
   * How much of the source the current read has consumed, 0 to 1, for progress where `last`
   * is not known (CTF: bytes of the stream files); absent or null when unknown.
   */
  progress?(): number | null;
}

export interface ReaderOptions {
  /** Called for every problem found while reading; never throws for bad input. */
  onIssue: (issue: ReadIssue) => void;
  /** Overrides the host id (default: file or directory name). */
  hostId?: string;
}

/** One trace format: detection plus opening (one file per format folder, as unjs drivers). */
export interface TraceReader {
  readonly format: string;
  /** Cheap check on a path (and the first bytes of a file, empty for directories). */
  detect(path: string, head: Uint8Array, isDirectory: boolean): boolean;
  open(path: string, options: ReaderOptions): Promise<TraceSource[]>;
}

/** True when the item is a loss marker rather than an event. */
export function isLoss(item: SourceItem): item is LossMarker {
  return (item as LossMarker).kind === "loss";
}
