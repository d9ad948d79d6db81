/**
 * Compares Vigil's and babeltrace2's canonical event lines (see `bt2-compare.ts`) as multisets
 * per (name, timestamp, cpu), so that the order of simultaneous events of different streams
 * does not matter, and reports what differs.
 *
 * One tolerance, and only one: babeltrace2 2.0.x reuses string fields and shows the previous
 * event's text for an empty string (documented in ../shared/reference/ctf-notes.md). A line
 * pair that differs only in string fields where Vigil has `""` is counted in `staleEmpty`; any
 * other difference is a mismatch.
 */

export interface LineDiff {
  compared: number;
  /** Pairs accepted because of babeltrace2's stale empty strings. */
  staleEmpty: number;
  /** Up to 5 examples of real differences. */
  mismatches: Array<{ vigil: string | undefined; bt2: string | undefined }>;
  mismatchCount: number;
}

/** Compares two lists of canonical event lines. */
export function compareLines(vigil: string[], bt2: string[]): LineDiff {
  const out: LineDiff = { compared: 0, staleEmpty: 0, mismatches: [], mismatchCount: 0 };
  const groups = new Map<string, { v: string[]; b: string[] }>();
  const add = (line: string, side: "v" | "b"): void => {
    const key = line.split(" | ", 3).join(" | ");
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { v: [], b: [] }));
    g[side].push(line);
  };
  for (const l of vigil) add(l, "v");
  for (const l of bt2) add(l, "b");
  for (const g of groups.values()) {
    const left = new Map<string, number>();
    for (const l of g.v) left.set(l, (left.get(l) ?? 0) + 1);
    const unmatched: string[] = [];
    for (const l of g.b) {
      const n = left.get(l) ?? 0;
      if (n > 0) {
        left.set(l, n - 1);
        out.compared++;
      } else unmatched.push(l);
    }
    const vRest = [...left].flatMap(([l, n]) => Array<string>(n).fill(l));
    for (const b of unmatched) {
      const i = vRest.findIndex((v) => _staleEmptyOnly(v, b));
      if (i >= 0) {
        vRest.splice(i, 1);
        out.staleEmpty++;
        out.compared++;
      } else _mismatch(out, vRest.shift(), b);
    }
    for (const v of vRest) _mismatch(out, v, undefined);
  }
  return out;
}

// --- internal ---

function _mismatch(out: LineDiff, vigil: string | undefined, bt2: string | undefined): void {
  out.mismatchCount++;
  if (out.mismatches.length < 5) out.mismatches.push({ vigil, bt2 });
}

/** True when the lines differ only in payload strings that are empty on Vigil's side. */
function _staleEmptyOnly(vigil: string, bt2: string): boolean {
  const [v, b] = [vigil.split(" | "), bt2.split(" | ")];
  if (v.length !== 5 || b.length !== 5 || v[4] !== b[4]) return false;
  const pv = JSON.parse(v[3]) as Record<string, string>;
  const pb = JSON.parse(b[3]) as Record<string, string>;
  const keys = new Set([...Object.keys(pv), ...Object.keys(pb)]);
  let differs = false;
  for (const k of keys) {
    if (pv[k] === pb[k]) continue;
    if (pv[k] !== '""' || pb[k] === undefined || !pb[k].startsWith('"')) return false;
    differs = true;
  }
  return differs;
}
