import { describe, expect, test } from "vitest";
import { DecodeError } from "../../../../engine/readers/ctf/decode-state.js";
import { BitWriter } from "./bit-writer.js";
import { decoderFor, metadataWith } from "./ctf-helpers.js";

/** xorshift32: deterministic pseudo-random numbers for reproducible layouts. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const asValue = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

describe("compiled decoders", () => {
  test("integers of every size, alignment and byte order decode to what was written (inline, DataView and generic paths)", () => {
    const rand = rng(12345);
    const specs: Array<{ size: number; align: number; signed: boolean; le: boolean; value: bigint }> = [];
    for (let i = 0; i < 400; i++) {
      const size = 1 + Math.floor(rand() * 64);
      let align = [1, 1, 8, 16, 32, 64][Math.floor(rand() * 6)];
      const signed = rand() < 0.5;
      const le = rand() < 0.5;
      // The byte order may only change on a byte boundary (bit orders differ within a byte).
      if (i > 0 && specs[i - 1].le !== le) align = Math.max(align, 8);
      // Random bits, then interpreted as the field's type.
      let raw = 0n;
      for (let b = 0; b < size; b++) raw = (raw << 1n) | (rand() < 0.5 ? 1n : 0n);
      const value = signed ? BigInt.asIntN(size, raw) : raw;
      specs.push({ size, align, signed, le, value });
    }
    const fields = specs.map((s, i) => `integer { size = ${s.size}; align = ${s.align}; signed = ${s.signed}; byte_order = ${s.le ? "le" : "be"}; } f${i};`).join("\n");
    const d = decoderFor(metadataWith(fields));
    // The payload struct aligns on its most aligned member (CTF 1.8 §4.2.1).
    const w = new BitWriter().int(0, 8, true).align(Math.max(...specs.map((s) => s.align)));
    for (const s of specs) w.align(s.align).int(s.value, s.size, s.le);
    const { ev, end } = d.decode(w.done());
    specs.forEach((s, i) => expect(ev.fields[`f${i}`], `f${i}: ${s.signed ? "s" : "u"}${s.size} align ${s.align} ${s.le ? "le" : "be"}`).toBe(asValue(s.value)));
    expect(end).toBe(w.pos);
  });

  test("structs flatten to dotted keys; enums give their value; strings, text arrays, floats", () => {
    const d = decoderFor(
      metadataWith(`
        struct { integer { size = 16; align = 8; } a; string b; } s;
        enum : integer { size = 3; align = 1; } { ZERO, ONE, FIVE = 5 } e;
        floating_point { exp_dig = 8; mant_dig = 24; byte_order = le; align = 1; } f32;
        floating_point { exp_dig = 11; mant_dig = 53; byte_order = be; align = 8; } f64;
        integer { size = 8; align = 8; encoding = UTF8; } comm[16];`),
    );
    const f32 = new DataView(new ArrayBuffer(4));
    f32.setFloat32(0, 1.5, true);
    const w = new BitWriter().int(0, 8, true).int(513, 16, true).str("héllo").int(5, 3, true).int(f32.getUint32(0, true), 32, true);
    const f64 = new DataView(new ArrayBuffer(8));
    f64.setFloat64(0, -2.25e-300, false);
    w.align(8).int(f64.getBigUint64(0, false), 64, false);
    w.raw(new TextEncoder().encode("qemu-kvm\0\0\0\0\0\0\0\0"));
    const { ev, end } = d.decode(w.done());
    expect(end).toBe(w.pos);
    expect(ev.fields).toEqual({ "s.a": 513, "s.b": "héllo", e: 5, f32: 1.5, f64: -2.25e-300, comm: "qemu-kvm" });
  });

  test("variants follow their enum tag, by label with or without one leading underscore, and reset the other option's keys", () => {
    const d = decoderFor(
      metadataWith(`
        enum : integer { size = 8; align = 8; } { _ipv4 = 4, "_ipv6" = 6 } kind;
        variant <kind> {
          struct { integer { size = 4; align = 1; byte_order = be; } version; integer { size = 4; align = 1; byte_order = be; } ihl; } _ipv4;
          struct { integer { size = 16; align = 8; } flow; } ipv6;
        } hdr;`),
    );
    const v4 = d.decode(new BitWriter().int(0, 8, true).int(4, 8, true).int(4, 4, false).int(5, 4, false).done()).ev;
    expect({ ...v4.fields }).toEqual({ kind: 4, hdr: "ipv4", "hdr.ipv4.version": 4, "hdr.ipv4.ihl": 5, "hdr.ipv6.flow": null });
    const v6 = d.decode(new BitWriter().int(0, 8, true).int(6, 8, true).int(0xbeef, 16, true).done()).ev;
    // Same reused object, same keys: the ipv4 option's values are cleared.
    expect(v6).toBe(v4);
    expect({ ...v6.fields }).toEqual({ kind: 6, hdr: "ipv6", "hdr.ipv4.version": null, "hdr.ipv4.ihl": null, "hdr.ipv6.flow": 0xbeef });
    expect(() => d.decode(new BitWriter().int(0, 8, true).int(9, 8, true).done())).toThrow(/tag value 9 selects no option/);
  });

  test("sequences take their length from an earlier field (LTTng `__name_length`), arrays of structs are positional", () => {
    const d = decoderFor(
      metadataWith(`
        integer { size = 8; align = 8; } __vtids_length;
        integer { size = 32; align = 8; signed = 1; } _vtids[ __vtids_length ];
        struct { integer { size = 8; align = 8; } x; integer { size = 8; align = 8; } y; } pts[2];`),
    );
    const w = new BitWriter().int(0, 8, true).int(3, 8, true).int(-1, 32, true).int(7, 32, true).int(42, 32, true);
    w.int(1, 8, true).int(2, 8, true).int(3, 8, true).int(4, 8, true);
    const { ev } = d.decode(w.done());
    expect(ev.fields).toEqual({ _vtids_length: 3, vtids: [-1, 7, 42], pts: [[1, 2], [3, 4]] });
  });

  test("a sequence length beyond the packet is a DecodeError, not an allocation", () => {
    const d = decoderFor(metadataWith(`integer { size = 32; align = 8; } n; integer { size = 64; align = 8; } a[n];`));
    expect(() => d.decode(new BitWriter().int(0, 8, true).int(0xffffffff, 32, true).done())).toThrow(DecodeError);
  });

  test("a tag or length path that resolves nowhere makes only that class fail, with the reason", () => {
    const d = decoderFor(metadataWith(`integer { size = 8; align = 8; } a[nowhere];`));
    const cls = [...d.trace.streams.values()][0].byId[0];
    expect(cls?.error).toMatch(/Cannot resolve `nowhere`/);
    expect(d.trace.compileErrors).toHaveLength(1);
    // Its sibling class still decodes.
    expect(d.decode(new BitWriter().int(1, 8, true).int(9, 8, true).done()).ev.fields).toEqual({ x: 9 });
  });
});
