/**
 * Counts the events of one source that come earlier than an event before them. Line-based
 * sources deliver such events as they are (the merge counts those beyond its reorder window as
 * late) and report them once, with their count and the first one's line, rather than once each:
 * a trace written by several CPUs out of order can hold millions.
 *
 * Contract: after `see` was called for every event in delivery order, `report` issues one
 * warning when at least one event was out of order, naming the first one's line, and nothing
 * otherwise. Equal timestamps are in order.
 */
import type { ReadIssue } from "./source.js";

export class OrderWatch {
  private outOfOrder = 0;
  private firstLine = 0;
  private maxTs = -Infinity;

  /** Notes the event at `line` with time `ts`. */
  see(ts: number, line: number): void {
    if (ts < this.maxTs) {
      if (this.outOfOrder++ === 0) this.firstLine = line;
    } else this.maxTs = ts;
  }

  /** The one warning about the events seen out of order, if any. */
  report(file: string, onIssue: (issue: ReadIssue) => void): void {
    if (this.outOfOrder === 0) return;
    onIssue({
      severity: "warning",
      file,
      line: this.firstLine,
      message: `${this.outOfOrder} event(s) out of timestamp order, the first at this line; delivered as they are (the merge counts them as late beyond its reorder window)`,
    });
  }
}
