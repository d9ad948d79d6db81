/**
 * What the decoders of the kernel's own text output share: trace-cmd report / tracefs `trace`
 * (decode-ftrace.ts) and `perf script` (decode-perf.ts) print one event per line with a head
 * (task, CPU, time, event name) in their own layout, followed by the same payload: the
 * tracepoint's TP_printk text, rendered by the kernel or libtraceevent. So the payload decoder,
 * the interned texts, the `LineDecoder` state and the way an event line ends are one thing here.
 *
 * Contract: a subclass implements `decode` for its head and, once it has found the event name
 * at `line[nameStart, nameEnd)` and the payload's start, calls `printkEvent`, which fills
 * `slot.event`'s name and fields and returns `LINE_EVENT`; `fail(why)` sets `error` and returns
 * `LINE_ERROR`. Both keep real clocks (`absoluteTime`). One instance per source: its notes and
 * interned texts belong to that source.
 */
import { LINE_ERROR, LINE_EVENT, newLossInfo, type EventSlot, type LineDecoder, type LineOutcome } from "./line-decoder.js";
import { PayloadDecoder } from "./payload/decode-payload.js";
import { skipBlanks } from "./head-scan.js";
import { TextInterner } from "./text-interner.js";

/** A `LineDecoder` for a kernel text format whose payloads are TP_printk text. */
export abstract class PrintkLineDecoder implements LineDecoder {
  error = "";
  readonly loss = newLossInfo();
  readonly notes: string[] = [];
  readonly absoluteTime = true;
  /** Interns comms and event names, so equal texts are one string across events. */
  protected readonly texts = new TextInterner();
  private readonly payload = new PayloadDecoder();

  abstract decode(line: string, slot: EventSlot): LineOutcome;

  /** The event named `line[nameStart, nameEnd)` with the TP_printk payload from `payloadStart` (blanks skipped). */
  protected printkEvent(line: string, nameStart: number, nameEnd: number, payloadStart: number, slot: EventSlot): LineOutcome {
    this.payload.decode(this.texts.get(line, nameStart, nameEnd), line, skipBlanks(line, payloadStart), line.length, slot, this.notes);
    return LINE_EVENT;
  }

  /** Not a line of this format: `why` says what was expected, in words for the user. */
  protected fail(why: string): LineOutcome {
    this.error = why;
    return LINE_ERROR;
  }
}
