/**
 * Side-by-side decoding of a CTF trace by babeltrace2 (through python3-bt2, `bt2-dump.py`) and
 * by Vigil's reader, as canonical lines that can be compared exactly.
 *
 * An event line is `name | ts (absolute ns) | cpu | payload | context`, where payload and
 * context are JSON objects with sorted keys and canonical values (see `bt2-dump.py`): integers
 * in decimal, reals as the hex of their binary64, strings JSON-quoted, arrays `[..]`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chooseOrigin } from "../../../../engine/model/time.js";
import type { FieldValue, LossMarker, TraceEvent } from "../../../../engine/model/event.js";
import { isLoss, type ReadIssue } from "../../../../engine/readers/source.js";
import { ctfReader } from "../../../../engine/readers/ctf/index.js";

const PYTHON = "/usr/bin/python3";
const DUMP = join(dirname(fileURLToPath(import.meta.url)), "bt2-dump.py");

export interface Decoded {
  /** Canonical event lines in reading order. */
  events: string[];
  /** Event timestamps (absolute ns) in reading order. */
  times: bigint[];
  /** Index in `times` where each source's events start (one source per trace directory). */
  sourceStarts: number[];
  /** Loss markers as `count | start | end` with absolute ns (count -1 = unknown). */
  losses: string[];
  issues: ReadIssue[];
}

/** Throws a clear error when babeltrace2's Python bindings are not installed. */
export function requireBt2(): void {
  const r = existsSync(PYTHON) ? spawnSync(PYTHON, ["-c", "import bt2"], { encoding: "utf8" }) : null;
  if (r === null || r.status !== 0) {
    throw new Error(
      "These tests compare Vigil's CTF decoding with babeltrace2's, and need its Python bindings: " +
        "run `apt-get install -y babeltrace2 python3-bt2` (they load only under /usr/bin/python3).",
    );
  }
}

/**
 * babeltrace2's decoding of the trace(s) at `path`. `noMux` reads each stream on its own: the
 * 2.0.x muxer aborts on traces whose packets overlap (old LTTng), though each stream decodes.
 */
export function decodeWithBt2(path: string, opts: { noMux?: boolean } = {}): Decoded {
  const r = spawnSync(PYTHON, [DUMP, path, ...(opts.noMux ? ["--no-mux"] : [])], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`babeltrace2 failed on ${path}: ${r.stderr.slice(-2000)}`);
  const out: Decoded = { events: [], times: [], sourceStarts: [0], losses: [], issues: [] };
  for (const line of r.stdout.split("\n")) {
    if (line === "") continue;
    const j = JSON.parse(line) as [string, ...unknown[]];
    if (j[0] === "E") {
      const [, name, ts, cpu, payload, ctx] = j as [string, string, string | null, number | null, Record<string, string>, Record<string, string>];
      out.events.push(eventLine(name, ts, cpu, payload, ctx));
      out.times.push(ts === null ? 0n : BigInt(ts));
    } else {
      const [, kind, count, begin, end] = j as [string, string, number | null, string | null, string | null];
      out.losses.push(`${kind === "events" ? (count ?? -1) : -1} | ${begin} | ${end}`);
    }
  }
  return out;
}

/** Vigil's decoding of the trace(s) at `path`, merged as one run would see them. */
export async function decodeWithVigil(path: string, opts: { withTime?: boolean } = {}): Promise<Decoded> {
  const out: Decoded = { events: [], times: [], sourceStarts: [], losses: [], issues: [] };
  const sources = await ctfReader.open(path, { onIssue: (i) => out.issues.push(i) });
  for (const s of sources) await s.open();
  const origin = chooseOrigin(sources.map((s) => s.first));
  for (const [host, s] of sources.entries()) {
    out.sourceStarts.push(out.times.length);
    for await (const batch of s.batches(origin, host)) {
      for (const item of batch) {
        if (isLoss(item)) {
          const l = item as LossMarker;
          out.losses.push(`${l.count} | ${origin + BigInt(l.start)} | ${origin + BigInt(l.end)}`);
          continue;
        }
        const ev = item as TraceEvent;
        const ts = origin + BigInt(ev.ts);
        out.times.push(ts);
        out.events.push(eventLine(ev.name, opts.withTime === false ? null : String(ts), ev.cpu < 0 ? null : ev.cpu, _canonObject(ev.fields, s.schema?.find((c) => c.name === ev.name)), _canonContext(ev.context)));
      }
    }
  }
  return out;
}

/** One canonical event line. */
export function eventLine(name: string, ts: string | null, cpu: number | null, payload: Record<string, string>, ctx: Record<string, string>): string {
  return `${name} | ${ts ?? "-"} | ${cpu ?? "-"} | ${_sorted(payload)} | ${_sorted(ctx)}`;
}

/** Replaces the timestamp of canonical lines (for traces babeltrace cannot time). */
export function withoutTime(line: string): string {
  const parts = line.split(" | ");
  parts[1] = "-";
  return parts.join(" | ");
}

// --- internal ---

function _sorted(o: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

function _canonObject(fields: Record<string, FieldValue>, schema: { fields: Array<{ name: string; type: string }> } | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === null) continue; // an option a variant did not select
    const t = schema?.fields.find((f) => f.name === k)?.type;
    out[k] = _canon(v, t === "float");
  }
  return out;
}

function _canonContext(ctx: TraceEvent["context"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (ctx === null) return out;
  for (const [k, v] of Object.entries(ctx)) {
    if (v === null || v === undefined) continue;
    out[k === "comm" ? "procname" : k] = _canon(v, false);
  }
  return out;
}

function _canon(v: FieldValue, isFloat: boolean): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return "[" + v.map((e) => _canon(e, false)).join(",") + "]";
  if (typeof v === "number") {
    if (!isFloat && Number.isInteger(v)) return String(v);
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, v);
    return "f" + dv.getBigUint64(0).toString(16).padStart(16, "0");
  }
  return "null";
}
