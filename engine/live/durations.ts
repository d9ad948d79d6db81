/**
 * Durations as the language writes them (`250us`, `10ms`, `2s`, `1min`, `1h`), for command-line
 * options of the live commands. A bare number is milliseconds.
 */

const SCALE: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, min: 60e9, h: 3600e9 };

/** ns, or null when `text` is not a non-negative duration. */
export function parseDurationNs(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|s|min|h)?\s*$/.exec(text);
  if (!m) return null;
  return Math.round(Number(m[1]) * SCALE[m[2] ?? "ms"]!);
}
