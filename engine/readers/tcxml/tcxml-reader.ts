/**
 * The Trace Compass XML stub trace reader: detection and opening. One file is one source whose
 * host id is the file name (`host.xml`), as Trace Compass names experiment traces.
 *
 * Detection: an `.xml` file (or stdin) whose first element, after the XML declaration and
 * comments, is `<trace>`; other XML (Trace Compass analyses, `<tmfxml>`) is not claimed.
 */
import { basename } from "node:path";
import type { Readable } from "node:stream";
import type { ReaderOptions, TraceReader, TraceSource } from "../source.js";
import { TcxmlSource } from "./source.js";

/** Reader options plus the stream that stands for stdin (tests pass their own). */
export interface TcxmlReaderOptions extends ReaderOptions {
  /** Read for path `-`; defaults to `process.stdin`. */
  stdin?: Readable;
}

export const tcxmlReader: TraceReader = {
  format: "tcxml",

  detect(path: string, head: Uint8Array, isDirectory: boolean): boolean {
    if (isDirectory) return false;
    if (path !== "-" && !/\.xml$/i.test(path)) return false;
    return sniffTcxml(head);
  },

  async open(path: string, options: TcxmlReaderOptions): Promise<TraceSource[]> {
    const stdin = path === "-";
    const hostId = options.hostId ?? (stdin ? "stdin" : basename(path));
    return [new TcxmlSource(path, hostId, options.onIssue, stdin ? (options.stdin ?? process.stdin) : null)];
  },
};

/** True when the first element of the text in `head` is `<trace>` (declaration and comments skipped). */
export function sniffTcxml(head: Uint8Array): boolean {
  let text = new TextDecoder().decode(head).replace(/^\uFEFF/, "");
  for (;;) {
    text = text.trimStart();
    const skip = text.startsWith("<?") ? "?>" : text.startsWith("<!--") ? "-->" : null;
    if (skip === null) break;
    const end = text.indexOf(skip);
    if (end < 0) return false;
    text = text.slice(end + skip.length);
  }
  return /^<trace[\s>/]/.test(text);
}
