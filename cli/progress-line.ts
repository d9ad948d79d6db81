/**
 * The progress line long runs print on a terminal: events so far, seconds, and — when the
 * sources tell how far they are — the share done and the time left.
 *
 * How far: by time when every source knows its first and last event (text, JSON Lines,
 * xentrace), else by the bytes read when every source can say (CTF); else the line has no
 * share. Time left assumes the rest goes at the pace so far.
 */
import { chooseRunOrigin } from "../engine/readers/sort.js";
import type { TraceSource } from "../engine/readers/source.js";

/** The text after `\r` for `events` read, `elapsedMs` in, at relative time `ts`. */
export type ProgressLine = (events: number, ts: number, elapsedMs: number) => string;

export function progressLine(sources: readonly TraceSource[]): ProgressLine {
  const share = _share(sources);
  return (events, ts, elapsedMs) => {
    const base = `${events.toLocaleString("en")} events, ${(elapsedMs / 1000).toFixed(1)}s`;
    const f = share(ts);
    if (f === null || !(f > 0)) return base;
    const left = (elapsedMs / 1000) * (1 - f) / f;
    return `${base}, ${Math.floor(f * 100)}% done, about ${left < 60 ? `${Math.ceil(left)}s` : `${Math.ceil(left / 60)} min`} left`;
  };
}

/** Share done (0..1) at relative time `ts`, or null when the sources cannot tell. */
function _share(sources: readonly TraceSource[]): (ts: number) => number | null {
  if (sources.length === 0) return () => null;
  if (sources.every((s) => s.first !== null && s.last !== null)) {
    const origin = chooseRunOrigin(sources); // the one runSources picks: progress times are relative to it
    const lo = sources.reduce((a, s) => (s.first! < a ? s.first! : a), sources[0]!.first!);
    const hi = sources.reduce((a, s) => (s.last! > a ? s.last! : a), sources[0]!.last!);
    if (hi <= lo) return () => null;
    const span = Number(hi - lo);
    return (ts) => Math.min(1, Math.max(0, Number(BigInt(Math.round(ts)) + origin - lo) / span));
  }
  if (sources.every((s) => s.progress !== undefined)) {
    return () => {
      let sum = 0;
      for (const s of sources) {
        const p = s.progress!();
        if (p === null) return null;
        sum += p;
      }
      return sum / sources.length;
    };
  }
  return () => null;
}
