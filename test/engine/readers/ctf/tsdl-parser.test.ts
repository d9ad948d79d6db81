import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MetadataFileError, readMetadataText } from "../../../../engine/readers/ctf/metadata-file.js";
import { TsdlError } from "../../../../engine/readers/ctf/tsdl-lexer.js";
import { parseTsdl } from "../../../../engine/readers/ctf/tsdl-parser.js";
import { sharedPath } from "../../../helpers/shared.js";

const HEAD = `/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 64; align = 8; signed = false; } := unsigned long;
trace { major = 1; minor = 8; uuid = "830f2129-77d5-cb4e-90cf-b0754d8ce889"; byte_order = be;
  packet.header := struct { uint8_t magic; }; };
clock { name = "monotonic"; freq = 1000000000; offset = 1564079206484157378; offset_s = -3; };
`;

/** Parses and returns the error a bad text must give. */
function errorOf(text: string): TsdlError {
  try {
    parseTsdl(text);
  } catch (e) {
    if (e instanceof TsdlError) return e;
    throw e;
  }
  throw new Error("expected a TsdlError");
}

describe("TSDL parser", () => {
  test("typealiases (multi-word), defaults, enums, variants, sequences, names without their leading underscore", () => {
    const md = parseTsdl(`${HEAD}
stream { event.header := struct { uint8_t id; }; };
event { name = sched_switch; id = 3;
  fields := struct {
    unsigned long _prev_state;
    integer { size = 5; } _bits;
    enum : uint8_t { A, B = 5, C, D = 10 ... 12, E } _e;
    integer { size = 8; align = 8; } __cmd_length;
    uint8_t _cmd[ __cmd_length ];
    variant <_e> { string A; struct { uint8_t x; } align(32) _B; } _v;
  };
};`);
    expect(md.trace).toMatchObject({ byteOrder: "be", uuid: "830f2129-77d5-cb4e-90cf-b0754d8ce889" });
    expect(md.clocks[0]).toMatchObject({ name: "monotonic", offset: 1564079206484157378n, offsetS: -3n, freq: 1000000000n });
    const ev = md.streams[0].events[0];
    expect(ev).toMatchObject({ name: "sched_switch", id: 3, streamId: 0 });
    const f = ev.fields!.fields;
    expect(f.map((x) => x.name)).toEqual(["prev_state", "bits", "e", "_cmd_length", "cmd", "v"]);
    expect(f[0].type).toMatchObject({ kind: "int", size: 64, align: 8, signed: false, byteOrder: "native" });
    expect(f[1].type).toMatchObject({ kind: "int", size: 5, align: 1, base: 10, encoding: "none" });
    expect(f[2].type.kind === "enum" && f[2].type.mappings).toEqual([
      { label: "A", lo: 0n, hi: 0n },
      { label: "B", lo: 5n, hi: 5n },
      { label: "C", lo: 6n, hi: 6n },
      { label: "D", lo: 10n, hi: 12n },
      { label: "E", lo: 13n, hi: 13n },
    ]);
    expect(f[4].type).toMatchObject({ kind: "sequence", lengthPath: "_cmd_length" });
    expect(f[5].type).toMatchObject({ kind: "variant", tag: "e" });
    expect(f[5].type.kind === "variant" && f[5].type.options.map((o) => [o.name, o.type.kind === "struct" ? o.type.minAlign : o.type.kind])).toEqual([
      ["A", "string"],
      ["B", 32],
    ]);
  });

  test("unknown attributes are warnings with their line, not errors", () => {
    const md = parseTsdl(`${HEAD}
stream { event.header := struct { integer { size = 8; colour = blue; } id; }; };
event { name = "e"; id = 0; loglevel = 13; flavour = "x"; };`);
    expect(md.warnings).toEqual([
      { line: 8, message: "Unknown integer attribute `colour` ignored" },
      { line: 9, message: "Unknown event attribute `flavour` kept as is" },
    ]);
    expect(md.streams[0].events[0].attributes).toEqual({ loglevel: 13n, flavour: "x" });
  });

  test.each([
    ["a missing semicolon", `${HEAD}\nevent { name = "e" id = 0; };`, 8, /Expected `;`, found `id`/],
    ["an unknown type", `${HEAD}\nevent { name = "e"; fields := struct { uint32_t x; }; };`, 8, /Unknown type `uint32_t`/],
    ["an integer of 0 bits", `${HEAD}\nevent { name = "e";\n fields := struct { integer { size = 0; } x; }; };`, 9, /Integer size must be 1\.\.64 bits, got 0/],
    ["an unterminated comment", `${HEAD}\n\n/* never closed`, 9, /Unterminated comment/],
    ["an event on an undeclared stream", `${HEAD}\nstream { id = 1; };\nevent { name = "e"; stream_id = 7; };`, 9, /names stream class 7, which is not declared/],
    ["a reversed enum range", `${HEAD}\nevent { name = "e"; fields := struct {\n enum : uint8_t { A = 5 ... 2 } x; }; };`, 9, /reversed/],
  ])("%s is a located error", (_what, text, line, message) => {
    const e = errorOf(text);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(new RegExp(`metadata line ${line}, column \\d+`));
  });

  test("real metadata: the dorsal KVM host (1026 classes) and tracecompass's LTTng 2.0/2.1 packetized kernels", () => {
    const kvm = parseTsdl(readMetadataText(readFileSync(sharedPath("traces", "dorsal-kvm-lttng-metadata", "metadata-only", "metadata"))).text);
    const names = kvm.streams[0].events.map((e) => e.name);
    expect(names).toHaveLength(1026);
    expect(names).toEqual(expect.arrayContaining(["kvm_x86_entry", "kvm_x86_exit", "kvm_x86_inj_virq", "sched_switch"]));
    const exit = kvm.streams[0].events.find((e) => e.name === "kvm_x86_exit")!;
    expect(exit.fields!.fields.map((f) => f.name)).toEqual(["exit_reason", "guest_rip", "isa", "info1", "info2"]);
    for (const [dir, count] of [["kernel", 368], ["trace2", 609], ["kernel_vm", 777]] as const) {
      const mt = readMetadataText(readFileSync(sharedPath("traces", "tct-metadata-only", dir, "metadata")));
      expect(mt.packetized).toBe(true);
      expect(parseTsdl(mt.text).streams[0].events).toHaveLength(count);
    }
  });
});

describe("metadata file", () => {
  const text = "/* CTF 1.8 */ trace { major = 1; minor = 8; byte_order = le; };";

  /** Packetizes `text` in two packets of the given byte order. */
  function packetize(s: string, le: boolean): Uint8Array {
    const body = new TextEncoder().encode(s);
    const halves = [body.subarray(0, 20), body.subarray(20)];
    const out: number[] = [];
    for (const h of halves) {
      const size = 37 + h.length;
      const packet = new Uint8Array(size + 3);
      const dv = new DataView(packet.buffer);
      dv.setUint32(0, 0x75d11d57, le);
      dv.setUint32(24, size * 8, le);
      dv.setUint32(28, packet.length * 8, le);
      packet[35] = 1;
      packet[36] = 8;
      packet.set(h, 37);
      out.push(...packet);
    }
    return Uint8Array.from(out);
  }

  test("packetized metadata in either byte order gives back the text", () => {
    for (const le of [true, false]) {
      const mt = readMetadataText(packetize(text, le));
      expect(mt).toMatchObject({ text, packetized: true, byteOrder: le ? "le" : "be" });
    }
    expect(readMetadataText(new TextEncoder().encode(text))).toMatchObject({ text, packetized: false });
  });

  test("a bad magic in a later packet is an error at its byte offset", () => {
    const bytes = packetize(text, true);
    const second = 37 + 20 + 3;
    bytes[second] = 0;
    expect(() => readMetadataText(bytes)).toThrow(MetadataFileError);
    try {
      readMetadataText(bytes);
    } catch (e) {
      expect((e as MetadataFileError).offset).toBe(second);
    }
  });

  test("babeltrace's fail/ metadata traces are all rejected with a location", () => {
    const root = sharedPath("traces", "babeltrace-tests", "tests", "data", "ctf-traces", "fail");
    for (const [dir, where] of [["metadata-syntax-error", "line"], ["fail2", "line"], ["integer-range", "line"], ["lttng-modules-2.0-pre1", "offset"]] as const) {
      let located: number | undefined;
      try {
        parseTsdl(readMetadataText(readFileSync(join(root, dir, "metadata"))).text);
      } catch (e) {
        located = e instanceof TsdlError ? (where === "line" ? e.line : undefined) : e instanceof MetadataFileError ? e.offset : undefined;
      }
      expect(located, dir).toBeGreaterThan(0);
    }
  });
});
