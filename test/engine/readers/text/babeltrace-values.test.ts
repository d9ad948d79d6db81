/** babeltrace2 pretty value syntax → flattened leaves. */
import { describe, expect, it } from "vitest";
import type { FieldValue } from "../../../../engine/model/event.js";
import { BtValueParser, type LeafSink } from "../../../../engine/readers/text/babeltrace-values.js";

function parse(text: string): Record<string, FieldValue> | string {
  const out: Record<string, FieldValue> = {};
  const sink: LeafSink = {
    key: (prefix, s, a, b) => (prefix === "" ? s.slice(a, b) : `${prefix}.${s.slice(a, b)}`),
    put: (k, v) => {
      out[k] = v;
    },
  };
  const p = new BtValueParser();
  const end = p.parseStruct(text, 0, "", sink);
  if (end < 0) return p.error;
  return end === text.length ? out : `stopped at ${end}`;
}

describe("BtValueParser", () => {
  it("integers: decimal, signed, 64-bit, hex, octal, binary", () => {
    expect(parse("{ a = 0, b = -42, c = 18446744071612343763, d = 0xFFFF888117480200, e = 0x9, f = 0755, g = 0b1010 }")).toEqual({
      a: 0,
      b: -42,
      c: 18446744071612343763n,
      d: 0xffff888117480200n,
      e: 9,
      f: 0o755,
      g: 10,
    });
  });

  it("reals as %g prints them, booleans, and an empty option", () => {
    expect(parse("{ a = 3.14159, b = 1e+20, c = -2.5e-07, d = inf, e = -nan, f = true, g = false, h = <none> }")).toEqual({
      a: 3.14159,
      b: 1e20,
      c: -2.5e-7,
      d: Infinity,
      e: Number.NaN,
      f: true,
      g: false,
      h: null,
    });
  });

  it("strings with babeltrace2's C escapes", () => {
    expect(parse('{ s = "how are you\\?", t = "I\\\'m \\"fine\\"", u = "tab\\there\\nnl", v = "\\\\*", w = "\\x01\\0", x = "", y = "a, b } c" }')).toEqual({
      s: "how are you?",
      t: 'I\'m "fine"',
      u: "tab\there\nnl",
      v: "\\*",
      w: "\x01\0",
      x: "",
      y: "a, b } c",
    });
  });

  it("enumerations give their integer, whatever the labels", () => {
    expect(parse('{ a = ( "ipv4" : container = 1 ), b = ( "A", "B" : container = 3 ), c = ( <unknown> : container = 7 ), d = ( "x: y" : container = -1 ) }')).toEqual({
      a: 1,
      b: 3,
      c: 7,
      d: -1,
    });
  });

  it("nested structures and variants flatten to dotted keys; arrays of scalars stay arrays", () => {
    const line =
      '{ len = 60, network_header_type = ( "ipv4" : container = 1 ), network_header = { { version = 4, saddr = [ [0] = 10, [1] = 0, [2] = 0, [3] = 23 ], transport_header = { { source_port = 5432, flags = 0x18 } } } }, var = { "Daniel Lavoie" }, e = { }, arr = [ ] }';
    expect(parse(line)).toEqual({
      len: 60,
      network_header_type: 1,
      "network_header.version": 4,
      "network_header.saddr": [10, 0, 0, 23],
      "network_header.transport_header.source_port": 5432,
      "network_header.transport_header.flags": 0x18,
      var: "Daniel Lavoie",
      arr: [],
    });
  });

  it("arrays of structures keep each element's text; nested arrays nest", () => {
    expect(parse("{ fds = [ [0] = { fd = 36, ev = { IN = 1 } }, [1] = { fd = 2, ev = { IN = 0 } } ], m = [ [0] = [ [0] = 1, [1] = 2 ], [1] = [ [0] = 3 ] ] }")).toEqual({
      fds: ["{ fd = 36, ev = { IN = 1 } }", "{ fd = 2, ev = { IN = 0 } }"],
      m: [[1, 2], [3]],
    });
  });

  it("says where it stopped on malformed text", () => {
    expect(parse("{ a = 1 ")).toBe("expected `,` or ` }` at column 8");
    expect(parse('{ a = "open }')).toBe('expected a closing `"` at column 7');
    expect(parse("{ a = ( 1 : container = 2 ) }")).toBe('expected `"` at column 9');
    expect(parse("{ a = zork }")).toBe("expected a number, string, structure, array or enumeration at column 7");
  });
});
