/**
 * `vigil dump --format babeltrace` against `babeltrace2 TRACE` itself: the same lines, byte
 * for byte, on every shared CTF trace babeltrace2 reads, on babeltrace's own test traces, and
 * on a synthetic trace holding what those lack (signed hex/octal/binary, multi-label enums,
 * reals, escapes, variants with compound options, arrays of structs, packet-context members),
 * in two time zones. Every difference is either babeltrace2's stale empty string (verified
 * line by line in `compareText`) or explained here.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { sharedPath } from "../../../helpers/shared.js";
import { bt2Text, compareText, vigilText } from "./bt-text-compare.js";
import { writeSyntheticTrace } from "./synthetic-trace.js";

const SLOW = 600_000;
const tmp = mkdtempSync(join(tmpdir(), "vigil-bt-text-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Both tools on `path`: identical lines but for verified stale strings; returns the diff. */
async function same(path: string, tz = "UTC"): Promise<ReturnType<typeof compareText>> {
  const b = bt2Text(path, tz);
  expect(b.ok, b.stderr.slice(-500)).toBe(true);
  const v = await vigilText([path], tz);
  expect(v.code).toBe(0);
  expect(v.lines.length).toBe(b.lines.length);
  const d = compareText(b.lines, v.lines);
  expect(d.mismatches).toEqual([]);
  return d;
}

describe("vigil dump --format babeltrace vs babeltrace2", () => {
  test(
    "real LTTng kernel trace (lttng-modules 2.10): 134,500 identical lines but babeltrace2's stale empty strings",
    async () => {
      const d = await same(sharedPath("traces", "lttng-ref-basic-kernel-analysis", "kernel"));
      expect(d.compared).toBe(134500);
      // babeltrace2 2.0.4 shows a recycled value where a `filename`/`pathname` is empty; each
      // of these lines was checked to show a recent value of that field, all else identical.
      expect(d.stale).toBe(19);
    },
    SLOW,
  );

  test(
    "32-bit ARM kernel (lttng-modules 2.5), in UTC and in a half-hour time zone",
    async () => {
      for (const tz of ["UTC", "Asia/Kolkata"]) {
        const d = await same(sharedPath("traces", "tct-bug446190", "ctf"), tz);
        expect(d.compared).toBe(31556);
        expect(d.stale).toBe(3);
      }
    },
    SLOW,
  );

  test.each([
    ["simulated kvm host (contexts, nested variants, hex pointers)", ["simulated-kvm-host", "ctf", "kernel"], 150002],
    ["tct-flipping-endianness", ["tct-flipping-endianness", "ctf"], 14310],
    ["tct-perf-taskset2 (perf's CTF converter: no packet context)", ["tct-perf-taskset2", "ctf"], 1500],
    ["lttng-ref-picotrace", ["lttng-ref-picotrace", "kernel"], 20],
  ])(
    "%s",
    async (_name, parts, lines) => {
      const d = await same(sharedPath("traces", ...parts));
      expect(d.compared).toBe(lines);
      expect(d.stale).toBe(0);
    },
    SLOW,
  );

  test("synthetic trace: every integer base, enums, reals, escapes, variants, arrays, packet context, env — in two time zones", async () => {
    const dir = join(tmp, "synthetic");
    const events = writeSyntheticTrace(dir);
    for (const tz of ["UTC", "America/Montreal"]) {
      const d = await same(dir, tz);
      expect(d.compared).toBe(events);
      expect(d.stale).toBe(0);
    }
    // Spot checks, so that a babeltrace2 that printed nothing could not pass.
    const v = await vigilText([dir]);
    expect(v.lines[0]).toMatch(/^\[12:26:41\.001234567\] \(\+\?\.\?{9}\) probe-host:probe:\(42\) probe:ints: \{ cpu_id = 3, other = 9 \}, \{ sctx = 7 \}, \{ ectx = "ctx0" \}, \{ sh8 = 0xFF, sh13 = 0xFFFF,/);
    expect(v.lines.join("\n")).toContain('e = ( "A", "B" : container = 0x1 )');
    expect(v.lines.join("\n")).toContain("v = { { x = 3, y = 4 } }");
  });

  test(
    "tct-hello-lost: babeltrace2's muxer aborts on its overlapping packets after 38 lines; those are Vigil's first 38, and Vigil goes on to all 32,300",
    async () => {
      const path = sharedPath("traces", "tct-hello-lost", "ctf");
      const b = bt2Text(path);
      expect(b.ok).toBe(false);
      expect(b.stderr).toMatch(/muxer/);
      const v = await vigilText([path]);
      expect(v.lines).toHaveLength(32300);
      expect(b.lines.length).toBeGreaterThan(10);
      expect(v.lines.slice(0, b.lines.length)).toEqual(b.lines);
    },
    SLOW,
  );

  test("a trace that is not CTF is refused with exit code 2 and the reason", async () => {
    const v = await vigilText([sharedPath("traces", "kvm-text-snippets", "perf-script-kvm-irq-injection.txt")]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/--format babeltrace needs CTF traces; .*perf-script-kvm-irq-injection\.txt is /);
    expect(v.lines).toEqual([]);
  });
});

describe("vigil dump --format babeltrace vs babeltrace2 on babeltrace's own test traces", () => {
  const root = sharedPath("traces", "babeltrace-tests", "tests", "data", "ctf-traces");
  const dirs = ["succeed", "intersection", "packet-seq-num"].flatMap((cat) => readdirSync(join(root, cat)).map((t) => `${cat}/${t}`));
  dirs.push("deterministic-ordering/b-not-corrupted", "live/split-metadata");
  // babeltrace2 2.0.4 aborts on this one (`Assertion tgt_fc failed`); the reader test covers it.
  const bt2Crashes = new Set(["succeed/meta-ctx-sequence"]);
  test.each(dirs.filter((d) => !bt2Crashes.has(d)))("%s", async (dir) => {
    const d = await same(join(root, dir));
    expect(d.stale).toBe(0);
  });
});
