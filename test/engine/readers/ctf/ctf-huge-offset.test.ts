/**
 * tct `funky_trace` and `ctfwriter` declare `offset_s = 1351530929945824323` (4e10 years):
 * babeltrace2 refuses them ("Cannot convert clock cycles to nanoseconds from origin"). Vigil
 * reads them exactly in bigint. To compare with babeltrace2 anyway, both read a temporary copy
 * whose metadata says `offset_s = 0`; and Vigil's timestamps on the original must be those of
 * the copy plus exactly offset_s seconds.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sharedPath } from "../../../helpers/shared.js";
import { decodeWithBt2, decodeWithVigil, requireBt2 } from "./bt2-compare.js";
import { compareLines } from "./compare-lines.js";

const OFFSET_S = 1351530929945824323n;
const tmp = mkdtempSync(join(tmpdir(), "vigil-ctf-offset-"));

beforeAll(requireBt2);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the trace (stream files linked, metadata rewritten) with `offset_s = 0`. */
function zeroOffsetCopy(trace: string): string {
  const src = sharedPath("traces", trace, "ctf");
  const dst = join(tmp, trace);
  rmSync(dst, { recursive: true, force: true });
  mkdirSync(dst, { recursive: true });
  for (const f of readdirSync(src)) if (f !== "metadata") symlinkSync(join(src, f), join(dst, f));
  const md = readFileSync(join(src, "metadata"), "utf8");
  expect(md).toContain(`offset_s = ${OFFSET_S};`);
  writeFileSync(join(dst, "metadata"), md.replace(`offset_s = ${OFFSET_S};`, "offset_s = 0;"));
  return dst;
}

describe.each([
  ["tct-funky_trace", 100002],
  ["tct-ctfwriter_JF8nq3", 100003],
])("%s (offset_s beyond babeltrace2's range)", (trace, events) => {
  test(
    "agrees with babeltrace2 on a copy with offset_s = 0, and the original is that shifted by offset_s",
    async () => {
      const copy = zeroOffsetCopy(trace);
      const b = decodeWithBt2(copy);
      const v = await decodeWithVigil(copy);
      expect(b.events).toHaveLength(events);
      const d = compareLines(v.events, b.events);
      expect(d.mismatches).toEqual([]);
      expect(d.compared).toBe(events);
      expect([...v.losses].sort()).toEqual([...b.losses].sort());
      const original = await decodeWithVigil(sharedPath("traces", trace, "ctf"));
      expect(original.times).toHaveLength(events);
      original.times.forEach((t, i) => {
        if (t - v.times[i] !== OFFSET_S * 1000000000n) expect.fail(`event ${i}: ${t} is not ${v.times[i]} + offset_s`);
      });
    },
    300_000,
  );
});
