/**
 * Bad input: babeltrace's fail/ traces, truncated and corrupted copies of real traces, and
 * random mutations. The reader must never throw for bad data, must say where the fault is,
 * and must deliver what it decoded before the fault.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { sharedPath } from "../../../helpers/shared.js";
import { decodeWithVigil } from "./bt2-compare.js";

const tmp = mkdtempSync(join(tmpdir(), "vigil-ctf-bad-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Copies a trace directory (files only) to a fresh temporary directory. */
function copyTrace(src: string, name: string): string {
  const dst = join(tmp, name);
  mkdirSync(dst, { recursive: true });
  for (const f of readdirSync(src)) if (statSync(join(src, f)).isFile()) copyFileSync(join(src, f), join(dst, f));
  return dst;
}

const FAIL = sharedPath("traces", "babeltrace-tests", "tests", "data", "ctf-traces", "fail");

describe("CTF reader on bad input", () => {
  test.each(readdirSync(FAIL))("babeltrace fail/%s is rejected with a located error", async (dir) => {
    const v = await decodeWithVigil(join(FAIL, dir));
    const errors = v.issues.filter((i) => i.severity === "error" || /skipped/.test(i.message));
    expect(errors.length, JSON.stringify(v.issues)).toBeGreaterThan(0);
    for (const e of errors) expect(e.line !== undefined || e.offset !== undefined || /Cannot resolve/.test(e.message), JSON.stringify(e)).toBe(true);
  });

  test("events before a bad event id are delivered (babeltrace's own expectation: 2 events)", async () => {
    const v = await decodeWithVigil(join(FAIL, "valid-events-then-invalid-events"));
    expect(v.events).toHaveLength(2);
    expect(v.issues).toMatchObject([{ severity: "error", offset: 2, message: expect.stringMatching(/No event class with id 255/) }]);
  });

  test("a truncated stream file keeps every event before the cut and names the file and offset", async () => {
    const src = sharedPath("traces", "simulated-kvm-host", "ctf", "kernel");
    const full = await decodeWithVigil(src);
    const dir = copyTrace(src, "truncated");
    const file = join(dir, "channel0_3");
    const bytes = readFileSync(file);
    const cut = Math.floor(bytes.length * 0.6);
    writeFileSync(file, bytes.subarray(0, cut));
    const v = await decodeWithVigil(dir);
    expect(v.issues).toHaveLength(1);
    const issue = v.issues[0];
    expect(issue).toMatchObject({ severity: "error", file, message: expect.stringMatching(/Truncated packet/) });
    expect(issue.offset).toBeLessThan(cut);
    const cpu3 = (d: typeof v) => d.events.filter((l) => l.split(" | ")[2] === "3");
    const kept = cpu3(v);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(cpu3(full).length);
    // Exactly a prefix of that CPU's events, and every other CPU complete.
    expect(kept).toEqual(cpu3(full).slice(0, kept.length));
    expect(v.events.length - kept.length).toBe(full.events.length - cpu3(full).length);
  });

  test("a corrupted packet header stops that file only, with the packet's offset", async () => {
    const src = sharedPath("traces", "tct-hello-lost", "ctf");
    const dir = copyTrace(src, "bad-magic");
    const file = join(dir, "channel1_2");
    const bytes = readFileSync(file);
    // Packets are 4 KiB: break the magic of the 10th of the busiest stream.
    const at = 9 * 4096;
    expect(bytes.readUInt32LE(at)).toBe(0xc1fc1fc1);
    bytes.writeUInt32LE(0xdeadbeef, at);
    writeFileSync(file, bytes);
    const v = await decodeWithVigil(dir);
    expect(v.issues).toEqual([{ severity: "error", file, offset: at, message: expect.stringMatching(/Bad packet magic 0xdeadbeef/) }]);
    // That stream (cpu 2) keeps its first 9 packets; the other streams are complete.
    const full = await decodeWithVigil(src);
    const cpu = (d: typeof v, c: string) => d.events.filter((l) => l.split(" | ")[2] === c);
    const kept = cpu(v, "2");
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(cpu(full, "2").slice(0, kept.length));
    for (const c of ["0", "1", "3"]) expect(cpu(v, c)).toEqual(cpu(full, c));
  });

  test("random byte mutations and truncations never throw, never hang, and always end cleanly", async () => {
    const src = sharedPath("traces", "lttng-ref-picotrace", "kernel");
    const dir = copyTrace(src, "fuzz");
    const files = readdirSync(dir);
    const originals = new Map(files.map((f) => [f, readFileSync(join(dir, f))]));
    let x = 0x2545f491;
    const rand = (n: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    let faults = 0;
    for (let round = 0; round < 150; round++) {
      const f = files[rand(files.length)];
      const b = Buffer.from(originals.get(f) as Buffer);
      const mutated = rand(4) === 0 ? b.subarray(0, rand(b.length)) : b;
      for (let k = 0; k < 1 + rand(8); k++) mutated[rand(mutated.length)] = rand(256);
      writeFileSync(join(dir, f), mutated);
      const v = await decodeWithVigil(dir);
      if (v.issues.length > 0) faults++;
      for (const i of v.issues) expect(i.file.startsWith(dir)).toBe(true);
      writeFileSync(join(dir, f), originals.get(f) as Buffer);
    }
    // Most mutations are noticed (metadata syntax, magic, sizes, ids); none crashed the reader.
    expect(faults).toBeGreaterThan(50);
  });
});
