/** `vigil dump`: every event of the traces, merged by time, one per line. */
import { once } from "node:events";
import { eventLine, lossLine, type EventLineFormat } from "../../engine/output/event-lines.js";
import { babeltraceLines } from "../../engine/readers/ctf/index.js";
import { chooseRunOrigin, mergeSources } from "../../engine/readers/sort.js";
import { isLoss } from "../../engine/readers/source.js";
import type { ParsedArgs } from "../command.js";
import { StrictStop } from "../inputs.js";
import { openCommandTraces } from "./open-command-traces.js";

// `babeltrace`: the lines `babeltrace2 TRACE` prints (CTF traces only), to diff against it.
const FORMATS: Array<EventLineFormat | "babeltrace"> = ["text", "jsonl", "babeltrace"];

export async function run(args: ParsedArgs): Promise<number> {
  const format = String(args.values.format ?? "text") as EventLineFormat | "babeltrace";
  if (!FORMATS.includes(format)) { process.stderr.write(`vigil dump: unknown --format ${format} (choose ${FORMATS.join(", ")})\n`); return 2; }
  if (args.positionals.length === 0) { process.stderr.write("vigil dump: give at least one trace (or - for stdin)\n"); return 2; }
  const opened = await openCommandTraces("dump", args.positionals, args.values);
  if (!opened.ok) return opened.exitCode;
  const { sources, reporter } = opened;
  const origin = chooseRunOrigin(sources);
  const hosts = sources.map((s) => s.hostId);
  const bt = format === "babeltrace" ? babeltraceLines(sources) : null;
  if (typeof bt === "string") { process.stderr.write(`vigil dump: ${bt}\n`); return 2; }
  const limit = typeof args.values.limit === "string" ? Number(args.values.limit) : Infinity;
  let n = 0;
  let buf: string[] = [];
  const out = process.stdout;
  try {
    outer: for await (const batch of mergeSources(sources, origin)) {
      for (const item of batch) {
        if (n++ >= limit) break outer;
        if (bt !== null) { const line = bt(item); if (line !== null) buf.push(line); continue; }
        buf.push(isLoss(item) ? lossLine(item, origin, hosts[item.host] ?? "?", format as EventLineFormat) : eventLine(item, origin, hosts[item.host] ?? "?", format as EventLineFormat));
      }
      if (buf.length > 0 && !out.write(buf.join("\n") + "\n")) await once(out, "drain");
      buf = [];
    }
  } catch (err) {
    if (!(err instanceof StrictStop)) throw err;
    if (buf.length > 0) out.write(buf.join("\n") + "\n");
    process.stderr.write(`vigil dump: ${err.message}\n`);
    return 1;
  }
  if (buf.length > 0) out.write(buf.join("\n") + "\n");
  return reporter.errors() > 0 ? 1 : 0;
}
