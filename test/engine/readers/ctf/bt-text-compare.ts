/**
 * Side by side: `vigil dump --format babeltrace TRACE` (the command itself, run in this process
 * with standard output captured) and `babeltrace2 TRACE`, line by line, with the one known
 * babeltrace2 2.0.4 fault recognised and checked rather than ignored.
 *
 * babeltrace2 2.0.x shows a stale value for an empty string field: it recycles event objects
 * from a pool per event class, and an empty string leaves the recycled field as it was. A line
 * that differs only in that way is a "stale" line, accepted when Vigil's string is empty and
 * babeltrace2's is one of the last `RECENT` non-empty values Vigil printed for the same field of
 * the same event class (on the shared traces it is at most 11 such events back).
 */
import { spawnSync } from "node:child_process";
import { vi } from "vitest";
import { run as dump } from "../../../../cli/commands/dump.js";

export interface TextDump {
  code: number;
  lines: string[];
  stderr: string;
}

/** Runs `vigil dump --format babeltrace ...paths` in this process, in time zone `tz`. */
export async function vigilText(paths: string[], tz = "UTC"): Promise<TextDump> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env.TZ;
  process.env.TZ = tz;
  const o = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  try {
    const code = await dump({ values: { format: "babeltrace" }, positionals: paths });
    return { code, lines: _lines(out.join("")), stderr: err.join("") };
  } finally {
    o.mockRestore();
    e.mockRestore();
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

/** `babeltrace2 path` in time zone `tz`: its lines, and whether it ended normally. */
export function bt2Text(path: string, tz = "UTC"): { lines: string[]; ok: boolean; stderr: string } {
  const r = spawnSync("babeltrace2", [path], { encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, TZ: tz, BABELTRACE_TERM_COLOR: "NEVER" } });
  if (r.error) throw new Error(`cannot run babeltrace2 (apt-get install -y babeltrace2): ${r.error.message}`);
  return { lines: _lines(r.stdout), ok: r.status === 0, stderr: r.stderr };
}

export interface TextDiff {
  /** Lines compared (the shorter side). */
  compared: number;
  /** Lines that differ only by babeltrace2's stale empty string, verified. */
  stale: number;
  /** Any other difference: [line number, babeltrace2, vigil], at most 5. */
  mismatches: Array<[number, string, string]>;
}

/** Compares line by line; see the module comment for what counts as stale. */
export function compareText(bt: string[], vigil: string[]): TextDiff {
  const d: TextDiff = { compared: Math.min(bt.length, vigil.length), stale: 0, mismatches: [] };
  // Recent non-empty values Vigil printed, per `event name` + `field`.
  const last = new Map<string, string[]>();
  for (let i = 0; i < d.compared; i++) {
    const b = bt[i];
    const v = vigil[i];
    if (b !== v) {
      if (_isStale(b, v, last)) d.stale++;
      else if (d.mismatches.length < 5) d.mismatches.push([i + 1, b, v]);
    }
    _remember(v, last);
  }
  return d;
}

// --- internal ---

const STRING_FIELD = /([A-Za-z_][A-Za-z0-9_]*) = "((?:[^"\\]|\\.)*)"/g;
/** How many recent values of a field a stale string may come from. */
const RECENT = 16;

function _lines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function _event(line: string): string {
  const m = /^(?:\[[^\]]*\] \([^)]*\) )?(?:\S+ )?([^ ]+):/.exec(line);
  return m === null ? "" : m[1];
}

function _remember(line: string, last: Map<string, string[]>): void {
  const ev = _event(line);
  for (const m of line.matchAll(STRING_FIELD)) {
    if (m[2] === "") continue;
    const key = `${ev} ${m[1]}`;
    const ring = last.get(key) ?? [];
    ring.push(m[2]);
    if (ring.length > RECENT) ring.shift();
    last.set(key, ring);
  }
}

/** `v` has `name = ""` where `b` has `name = "<a recent non-empty value of that field>"`, all else equal. */
function _isStale(b: string, v: string, last: Map<string, string[]>): boolean {
  let p = 0;
  while (p < b.length && b[p] === v[p]) p++;
  // Both sides are inside the same string literal, just after its opening quote.
  if (v[p] !== '"' || p === 0 || b[p - 1] !== '"') return false;
  const field = /([A-Za-z_][A-Za-z0-9_]*) = "$/.exec(b.slice(0, p));
  if (field === null) return false;
  let end = p;
  while (end < b.length && b[end] !== '"') end += b[end] === "\\" ? 2 : 1;
  if (b.slice(end) !== v.slice(p)) return false;
  return last.get(`${_event(v)} ${field[1]}`)?.includes(b.slice(p, end)) ?? false;
}
