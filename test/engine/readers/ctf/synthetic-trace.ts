/**
 * A small CTF 1.8 trace written from scratch (metadata text + one stream file laid out with
 * `BitWriter`), holding the types and values real kernel traces rarely show: signed integers
 * in hex, octal and binary, odd sizes, enums with several or no labels, floats of every kind,
 * strings needing escapes, nested structs, variants with compound options, arrays of structs,
 * sequences of strings, contexts of both kinds, and env fields babeltrace2 prints. Used to pin
 * `vigil dump --format babeltrace` to babeltrace2's own text on what the shared traces lack.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BitWriter } from "./bit-writer.js";

const METADATA = `/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
trace {
  major = 1; minor = 8; byte_order = le;
  packet.header := struct { uint32_t magic; uint32_t stream_id; };
};
env { hostname = "probe-host"; procname = "probe"; vpid = 42; domain = "ust"; };
clock { name = c; freq = 1000000000; offset_s = 1600000000; };
typealias integer { size = 64; align = 8; signed = false; map = clock.c.value; } := ts_t;
stream {
  id = 0;
  event.header := struct { uint32_t id; ts_t timestamp; };
  packet.context := struct { uint64_t content_size; uint64_t packet_size; uint32_t cpu_id; uint8_t other; };
  event.context := struct { integer { size = 16; align = 8; signed = true; } sctx; };
};
event {
  name = "probe:ints"; id = 0; stream_id = 0;
  context := struct { string ectx; };
  fields := struct {
    integer { size = 8; align = 8; signed = true; base = 16; } sh8;
    integer { size = 13; align = 1; signed = true; base = 16; } sh13;
    integer { size = 3; align = 1; signed = false; } pad3;
    integer { size = 32; align = 8; signed = true; base = 8; } so32;
    integer { size = 5; align = 1; signed = false; base = 2; } ub5;
    integer { size = 7; align = 1; signed = true; base = 2; } sb7;
    integer { size = 12; align = 1; signed = false; base = 8; } uo12;
    integer { size = 64; align = 8; signed = false; base = 16; } ux64;
    integer { size = 64; align = 8; signed = true; base = 16; } sx64;
    integer { size = 64; align = 8; signed = true; } s64;
    integer { size = 64; align = 8; signed = false; } u64;
    enum : integer { size = 8; align = 8; signed = false; base = 16; } { A = 1, B = 1 ... 3, C = 5, "a label" = 7 } e;
    enum : integer { size = 8; align = 8; signed = true; } { NEG = -5 ... -1, ZERO = 0 } se;
    floating_point { exp_dig = 8; mant_dig = 24; align = 8; } f32;
    floating_point { exp_dig = 11; mant_dig = 53; align = 8; } f64;
    string s;
  };
};
event {
  name = "probe:compound"; id = 1; stream_id = 0;
  context := struct { string ectx; };
  fields := struct {
    struct { uint8_t a; struct { uint16_t b; string c; } inner; } st;
    enum : uint8_t { NUM, TEXT, PAIR, LIST, NONE } tag;
    variant <tag> {
      uint32_t NUM;
      string TEXT;
      struct { uint8_t x; uint8_t y; } PAIR;
      uint8_t LIST[3];
      struct { } NONE;
    } v;
    struct { uint8_t k; integer { size = 16; align = 8; base = 16; } w; } pairs[2];
    uint8_t n;
    string names[n];
    integer { size = 8; align = 8; encoding = UTF8; } text[6];
    uint8_t empty[0];
    uint8_t grid[2][2];
    enum : uint8_t { OFF, ON } flags[2];
  };
};
`;

/** One event to write: its class id, time (ns after the clock's offset) and payload writer. */
interface Ev {
  id: number;
  ts: bigint;
  sctx: number;
  ectx: string;
  write: (w: BitWriter) => void;
}

const FLOATS = [0, -0, 1.5, 0.1, 1e20, 123456789, 1e-5, 1.0000001, NaN, Infinity, -Infinity, 2222, Math.PI, 1e100, 5e-324, 100000, 1000000, 0.0001, 0.00001, -2.5e-7];
const STRINGS = ["plain", "tab\there", 'quote"q', "back\\slash", "what?", "\x01\x7f", "héllo", "new\nline", "it's", "cr\rbell\x07bs\bff\fvt\v", "esc\x1b", "x"];

/** Writes the trace into `dir` (created); returns the number of events. */
export function writeSyntheticTrace(dir: string): number {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "metadata"), METADATA);
  const events: Ev[] = [];
  let ts = 1_000_000_000n;
  const n = Math.max(FLOATS.length, STRINGS.length);
  for (let i = 0; i < n; i++) {
    const k = i;
    events.push({
      id: 0,
      ts: (ts += 1234567n),
      sctx: -k * 1000 + 7,
      ectx: `ctx${k}`,
      write: (w) => {
        w.align(8).int([-1, -128, 5, 127][k % 4], 8, true);
        w.int([-1, -4096, 4095, 0x123][k % 4], 13, true).int(k % 8, 3, true);
        w.align(8).int([-8, 0o777, -1, 2147483647][k % 4], 32, true);
        w.int(k % 32, 5, true).int([-64, -1, 63, 5][k % 4], 7, true).int([0, 0o7777, 0o1234, 8][k % 4], 12, true);
        w.align(8).int([0n, 0xffffffffffffffffn, 0xdeadbeefn, 1n << 63n][k % 4], 64, true);
        w.int([-1n, -(1n << 63n), 0x7fffffffffffffffn, 255n][k % 4], 64, true);
        w.int([-1n, -(1n << 63n), 9007199254740993n, -9007199254740993n][k % 4], 64, true);
        w.int([0n, 0xffffffffffffffffn, 9007199254740993n, 42n][k % 4], 64, true);
        w.int([1, 2, 4, 5, 7, 0][k % 6], 8, true).int([-5, -1, 0, 3][k % 4], 8, true);
        const f32 = new DataView(new ArrayBuffer(4));
        f32.setFloat32(0, FLOATS[k % FLOATS.length], true);
        w.int(f32.getUint32(0, true), 32, true);
        const f64 = new DataView(new ArrayBuffer(8));
        f64.setFloat64(0, FLOATS[(k + 3) % FLOATS.length], true);
        w.int(f64.getBigUint64(0, true), 64, true);
        w.str(STRINGS[k % STRINGS.length]);
      },
    });
  }
  for (let k = 0; k < 5; k++) {
    events.push({
      id: 1,
      ts: (ts += 999n),
      sctx: k,
      ectx: STRINGS[k],
      write: (w) => {
        w.align(8).int(k, 8, true).int(300 + k, 16, true).str(`in${k}`);
        w.int(k, 8, true);
        if (k === 0) w.int(4000000000, 32, true);
        else if (k === 1) w.str("chosen");
        else if (k === 2) w.int(3, 8, true).int(4, 8, true);
        else if (k === 3) w.int(7, 8, true).int(8, 8, true).int(9, 8, true);
        for (let j = 0; j < 2; j++) w.int(j + k, 8, true).int(0xabc + j, 16, true);
        w.int(k % 3, 8, true);
        for (let j = 0; j < k % 3; j++) w.str(`name${j}`);
        const text = ["abc", "abcdef", "", "a\x00b", "x\ty", "é"][k];
        const bytes = new TextEncoder().encode(text);
        for (let j = 0; j < 6; j++) w.int(bytes[j] ?? 0, 8, true);
        for (let j = 0; j < 4; j++) w.int(j * k, 8, true);
        w.int(k % 2, 8, true).int(5, 8, true);
      },
    });
  }
  const body = new BitWriter();
  for (const ev of events) {
    body.align(8).int(ev.id, 32, true).int(ev.ts, 64, true);
    body.int(ev.sctx, 16, true);
    body.str(ev.ectx);
    ev.write(body);
  }
  const payload = body.done();
  const headerBits = 32 + 32 + 64 + 64 + 32 + 8;
  const w = new BitWriter();
  const total = headerBits / 8 + payload.length;
  w.int(0xc1fc1fc1, 32, true).int(0, 32, true).int(total * 8, 64, true).int(total * 8, 64, true).int(3, 32, true).int(9, 8, true);
  w.raw(payload);
  writeFileSync(join(dir, "stream_0"), w.done());
  return events.length;
}
