import { describe, expect, test } from "vitest";
import { ClockConverter } from "../../../../engine/readers/ctf/clock-convert.js";
import { readPacketPreamble } from "../../../../engine/readers/ctf/packet-reader.js";
import { BitWriter } from "./bit-writer.js";
import { decoderFor, metadataWith } from "./ctf-helpers.js";

/** LTTng's compact header: 5-bit id, then 27-bit timestamp or (id 31) u32 id + u64 timestamp. */
const COMPACT = `enum : integer { size = 5; align = 1; } { compact = 0 ... 30, extended = 31 } id;
  variant <id> {
    struct { integer { size = 27; align = 1; map = clock.c.value; } timestamp; } compact;
    struct { integer { size = 32; align = 8; } id; integer { size = 64; align = 8; map = clock.c.value; } timestamp; } extended;
  } v;`;

function compact(w: BitWriter, id: number, ts27: number): void {
  w.align(8).int(id, 5, true).int(ts27, 27, true).int(0, 8, true);
}

function extended(w: BitWriter, id: number, ts: bigint): void {
  w.align(8).int(31, 5, true).align(8).int(id, 32, true).int(ts, 64, true).int(0, 8, true);
}

describe("timestamp reconstruction", () => {
  test("27-bit timestamps replace the low bits, and wrap exactly once when they go down", () => {
    const d = decoderFor(metadataWith("integer { size = 8; align = 8; } x;", { header: COMPACT }));
    // A full value above 2^53 (uptime > 104 days at 1 GHz) — the clock must stay exact.
    const full = 2n ** 60n + 0x7fffff0n;
    const w = new BitWriter();
    extended(w, 0, full);
    compact(w, 0, 0x7fffff8); // same high bits: +8
    compact(w, 0, 0x10); // lower than 0x7fffff8: one wrap of 2^27
    compact(w, 0, 0x10); // equal: no wrap
    const bytes = w.done();
    const clocks: bigint[] = [];
    let p = 0;
    for (let i = 0; i < 4; i++) {
      p = d.decode(bytes, p).end;
      clocks.push(BigInt(d.st.base.hi) * 2n ** 32n + BigInt(d.st.clk));
    }
    expect(clocks).toEqual([full, full + 8n, (full & ~(2n ** 27n - 1n)) + 2n ** 27n + 0x10n, (full & ~(2n ** 27n - 1n)) + 2n ** 27n + 0x10n]);
  });

  test("32-bit timestamps (LTTng's large header) wrap on 2^32", () => {
    const d = decoderFor(metadataWith("integer { size = 8; align = 8; } x;", { header: "integer { size = 8; align = 8; } id; integer { size = 32; align = 8; map = clock.c.value; } timestamp;" }));
    const w = new BitWriter();
    for (const t of [4000000000, 4294967295, 5, 6]) w.int(0, 8, true).int(t, 32, true).int(0, 8, true);
    const bytes = w.done();
    const clocks: number[] = [];
    let p = 0;
    for (let i = 0; i < 4; i++) {
      p = d.decode(bytes, p).end;
      clocks.push(d.st.clk);
    }
    expect(clocks).toEqual([4000000000, 4294967295, 2 ** 32 + 5, 2 ** 32 + 6]);
  });

  test("timestamp_begin sets the clock, timestamp_end does not (but is known for loss ranges)", () => {
    const d = decoderFor(
      metadataWith("integer { size = 8; align = 8; } x;", {
        header: COMPACT,
        extra: "",
      }).replace(
        "stream {",
        "stream { packet.context := struct { integer { size = 64; align = 8; map = clock.c.value; } timestamp_begin; integer { size = 64; align = 8; map = clock.c.value; } timestamp_end; integer { size = 32; align = 8; } cpu_id; };",
      ),
    );
    const w = new BitWriter().int(1000, 64, true).int(9000, 64, true).int(3, 32, true);
    const bytes = w.done();
    d.st.setBuffer(bytes);
    d.st.end = bytes.length * 8;
    const rs = [...d.trace.streams.values()][0];
    const info = readPacketPreamble(d.trace, d.st, 0, bytes.length, 0, () => rs.packetContext!.make());
    expect(d.st.clk).toBe(1000);
    expect(info).toMatchObject({ beginClk: 1000, endClk: 9000, cpu: 3, eventsBits: 160, contentBits: 160 });
  });
});

describe("clock conversion", () => {
  const clock = (freq: bigint, offsetS: bigint, offset: bigint) => ({ name: "c", freq, offsetS, offset, uuid: null, description: null, absolute: true });

  test("1 GHz: ns = offset_s * 1e9 + offset + cycles, exact in bigint and as offsets from an origin", () => {
    // many-threads (lttng 2.8): offset 1457111225177515989 + cycles 2357617049815 = 2016-03-04 17:46:22.794565804 UTC
    const c = new ClockConverter(clock(1000000000n, 0n, 1457111225177515989n), 0);
    expect(c.absNs(2357617049815)).toBe(1457113582794565804n);
    c.setOrigin(1457113582000000000n);
    expect(c.relNs(2357617049815)).toBe(794565804);
  });

  test("the clock base keeps cycles beyond 2^53 exact (long uptimes)", () => {
    const hi = 0x300000; // 2^53 < hi * 2^32
    const c = new ClockConverter(clock(1000000000n, 1n, 5n), hi);
    expect(c.absNs(7)).toBe(1000000000n + 5n + (BigInt(hi) << 32n) + 7n);
  });

  test("other frequencies round as babeltrace2 does (offset normalised into seconds, remainder in binary64)", () => {
    // tct ctfwriter: freq 1123456789, offset 1234567 cycles; its first event (42 cycles) is at
    // 1098937 ns for babeltrace2: trunc(1e9 * 1234567 / f) + trunc(1e9 * 42 / f) = 1098900 + 37.
    const c = new ClockConverter(clock(1123456789n, 0n, 1234567n), 0);
    expect(c.absNs(0)).toBe(1098900n);
    expect(c.absNs(42)).toBe(1098937n);
    // Offsets beyond one second move into offset_s.
    const d = new ClockConverter(clock(1000n, 0n, 2500n), 0);
    expect(d.absNs(0)).toBe(2500000000n);
    expect(d.absNs(1)).toBe(2501000000n);
  });
});
